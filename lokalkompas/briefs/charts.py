"""Chart SVG as the brief renderers need it: labelled for screen readers and PDF tags, or as a PNG for Word."""

from __future__ import annotations

import base64
import re
from html import escape

_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
# href="..." or xlink:href='...' whose target is neither in the SVG itself (#id) nor inline data.
_EXTERNAL_HREF = re.compile(r"""(\bhref\s*=\s*)(["'])(?!#|data:)[^"']*\2""", re.IGNORECASE)


def labelled_svg(svg: str, label: str) -> str:
    """The SVG as one image named `label`: `role="img"` and `aria-label` for browsers, a `<title>` child for
    WeasyPrint, which takes a tagged PDF's figure text (/Alt) from the SVG's title."""
    name = escape(label, quote=True)
    # The root's own `class` and size stay; CSS scales it to the column.
    return _SVG_OPEN.sub(
        lambda m: f'<svg{m.group(1)} role="img" aria-label="{name}"><title>{name}</title>',
        without_external_references(svg),
        count=1,
    )


def svg_image(svg: str, label: str) -> str:
    """The SVG as an `<img>` with a data URI: still drawn as vectors in the PDF, but WeasyPrint reads it with
    its XML parser instead of parsing and styling every chart element as part of the HTML (bench/briefs_pdf.py:
    the all-areas PDF takes less than half the time)."""
    data = base64.b64encode(labelled_svg(svg, label).encode()).decode("ascii")
    return f'<img class="chart-svg" alt="{escape(label, quote=True)}" src="data:image/svg+xml;base64,{data}">'


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """A PNG of the chart at `scale` times its pixel size (2: sharp when printed at its width on A4)."""
    # vl-convert already renders our charts (resvg inside, fonts found through the system's fontconfig
    # list), so converting with it adds no dependency and no system library, and draws the text the same
    # way the SVG was measured. cairosvg would need another pinned package plus libcairo at runtime.
    import vl_convert

    return bytes(vl_convert.svg_to_png(without_external_references(svg), scale=scale))


def without_external_references(svg: str) -> str:
    """The SVG with every link to an outside file emptied. Our charts have none; a stored brief's SVG is drawn
    as is, and resvg would read an absolute path like <image href="/etc/..."> from the server's disk."""
    return _EXTERNAL_HREF.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(2)}", svg)
