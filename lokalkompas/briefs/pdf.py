"""The brief as a tagged PDF (PDF/UA-1), printed by WeasyPrint from the standalone HTML."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from lokalkompas.briefs.html import render_html
from lokalkompas.briefs.model import Brief


def render_pdf(brief: Brief) -> bytes:
    """A4, Danish, tagged for screen readers, fonts embedded, charts as vectors, "Side N af M" in the footer."""
    # Imported here: WeasyPrint loads Pango and friends at import, which only PDF requests should pay for.
    import weasyprint

    # The charts are data: URIs; nothing else may be loaded. A chart SVG is stored with the issued brief and
    # drawn as is, so it must not reach the file system or the network (an <image href="file:..."> inside it).
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    with _no_cycle_collection():
        html = weasyprint.HTML(string=render_html(brief, standalone=True), url_fetcher=fetcher)
        # pdf/ua-1 turns on the structure tree (/StructTreeRoot, /MarkInfo) and the UA metadata; the title
        # and /Lang come from <title> and <html lang="da">.
        pdf = html.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """WeasyPrint builds hundreds of thousands of boxes for a council brief; Python's cycle collector keeps
    walking them while they are alive, about an eighth of the all-areas render (bench/briefs_pdf.py). Switched
    off for the render only: the cycles it leaves are freed at the next collection, and peak memory grew by
    16 MB of 230 in the bench. Process-wide, so other threads' cycles wait too, for the seconds a render takes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
