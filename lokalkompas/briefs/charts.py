"""Chart SVG as the brief renderers need it: labelled for screen readers and PDF tags, or as a PNG for Word."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from html import escape

SVG_NS = "http://www.w3.org/2000/svg"
_GROUP = f"{{{SVG_NS}}}g"
_PATH = f"{{{SVG_NS}}}path"
# Attributes only a browser's accessibility tree or pointer reads; the printed chart is one tagged figure.
_SCREEN_ONLY = frozenset({"class", "role", "aria-label", "aria-roledescription", "aria-hidden", "pointer-events"})
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
    data = base64.b64encode(labelled_svg(print_svg(svg), label).encode()).decode("ascii")
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


def print_svg(svg: str) -> str:
    """The chart with what paper never shows left out: Vega's empty background and foreground paths, hidden
    elements, screen-reader and pointer attributes, and the bare `<g>` wrappers around them. WeasyPrint draws
    every node, so this takes two fifths of the nodes off our charts; what is drawn stays the same."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return svg  # not ours to mend: drawn as it came
    _prune(root)
    return ET.tostring(root, encoding="unicode")


def _prune(parent: ET.Element) -> None:
    kept: list[ET.Element] = []
    for child in list(parent):
        if _invisible(child):
            continue
        _prune(child)
        for name in _SCREEN_ONLY.intersection(child.keys()):
            del child.attrib[name]
        if child.get("opacity") == "1":
            del child.attrib["opacity"]
        if child.tag == _GROUP and not child.attrib and not (child.tail or "").strip():
            kept.extend(child)  # a group without attributes changes nothing for its children
        else:
            kept.append(child)
    parent[:] = kept


def _invisible(element: ET.Element) -> bool:
    """Hidden, or one of Vega's frame paths with neither fill nor stroke of its own (the chart's root group
    sets fill="none")."""
    if element.get("display") == "none":
        return True
    frame = element.tag == _PATH and element.get("class") in ("background", "foreground")
    return frame and element.get("fill") is None and element.get("stroke") is None
