"""The brief as PDF: Danish text and numbers, tagged (PDF/UA), fonts embedded, contents and page numbers."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

from lokalkompas.briefs.charts import svg_to_png
from lokalkompas.briefs.model import Brief
from lokalkompas.briefs.pdf import render_pdf
from tests.briefs.factory import MISSING_SENTENCE, sample_brief

# Engine-independent and slow: once, in the PostgreSQL pass of scripts/test.sh.
pytestmark = pytest.mark.once


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    """The output of a poppler-utils tool (pdftotext, pdffonts) on the PDF."""
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: run scripts/system-packages.sh (apt-get install poppler-utils)")
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def dictionary(value: object) -> DictionaryObject:
    resolved = value.get_object() if isinstance(value, IndirectObject) else value
    assert isinstance(resolved, DictionaryObject)
    return resolved


def catalog(pdf: bytes) -> DictionaryObject:
    return dictionary(PdfReader(io.BytesIO(pdf)).trailer["/Root"])


def test_the_text_has_the_danish_title_and_numbers_in_danish_format(pdf_bytes: bytes, tmp_path: Path):
    text = poppler("pdftotext", pdf_bytes, tmp_path)
    assert "Drøftelsesoplæg: Dagtilbud" in text
    assert "27. november 2026" in text
    assert "1.234,5 børn pr. 1.000 indbyggere" in text
    assert "Kilde: Danmarks Statistik (BOERN8), 2024" in text
    assert MISSING_SENTENCE in text
    assert "mangler" in text
    assert "(skønnet)" in text


def test_the_pdf_is_tagged_in_danish_with_the_title_in_its_metadata(pdf_bytes: bytes):
    root = catalog(pdf_bytes)
    assert bool(dictionary(root["/MarkInfo"])["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "da"
    assert bool(dictionary(root["/ViewerPreferences"])["/DisplayDocTitle"])
    info = PdfReader(io.BytesIO(pdf_bytes)).metadata
    assert info is not None and info.title == "Drøftelsesoplæg: Dagtilbud – Aarhus Kommune"
    metadata = root["/Metadata"].get_object()
    assert isinstance(metadata, StreamObject)
    assert b'pdfuaid:part="1"' in metadata.get_data()  # the PDF/UA-1 identification


def test_the_charts_are_tagged_figures_with_their_titles_as_alternative_text(pdf_bytes: bytes):
    alts: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, DictionaryObject):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids]:
                walk(kid)

    walk(catalog(pdf_bytes)["/StructTreeRoot"])
    assert alts.count("Børn pr. 1.000 indbyggere") == 4
    assert alts.count("Andel uddannet personale") == 4


def test_every_font_is_embedded(pdf_bytes: bytes, tmp_path: Path):
    lines = poppler("pdffonts", pdf_bytes, tmp_path).splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        # name type encoding emb sub uni object ID: the type may be two words ("CID TrueType").
        assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line), line
        assert re.search(r"\syes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line), f"not embedded: {line}"
    assert any("Liberation" in line for line in lines)


def test_every_page_after_the_first_says_side_n_af_m(pdf_bytes: bytes, tmp_path: Path):
    pages = poppler("pdftotext", pdf_bytes, tmp_path).split("\f")[:-1]
    total = len(pages)
    assert total > 5
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} af {total}" in page


def test_the_contents_give_each_theme_its_page_number(one_area: Brief, pdf_bytes: bytes, tmp_path: Path):
    pages = poppler("pdftotext", pdf_bytes, tmp_path, "-layout").split("\f")
    contents = next(page for page in pages if "Indhold" in page)
    for theme in one_area.areas[0].themes:
        title = f"{theme.number}. {theme.title}"
        found = re.search(re.escape(title) + r"\s+(\d+)\s*$", contents, re.MULTILINE)
        assert found, title
        target = int(found.group(1))
        assert title in pages[target - 1], (title, target)
        assert title not in pages[target - 2] or target - 2 == pages.index(contents), (title, target)


def test_rendering_a_pdf_does_not_load_weasyprint_into_the_app_at_import():
    code = "import lokalkompas.briefs.pdf, sys; print('weasyprint' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_charts_are_vectors_and_a_chart_cannot_pull_in_a_local_file(tmp_path: Path):
    picture = tmp_path / "secret.png"
    picture.write_bytes(
        svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>')
    )
    brief = sample_brief(1)
    area = brief.areas[0]
    theme = area.themes[0]
    chart = theme.charts[0]
    sneaky = chart.svg.replace("</svg>", f'<image href="file://{picture}" width="40" height="40"/></svg>', 1)
    changed = replace(brief, areas=(replace(area, themes=(replace(theme, charts=(replace(chart, svg=sneaky),)),)),))
    reader = PdfReader(io.BytesIO(render_pdf(changed)))
    assert all(len(page.images) == 0 for page in reader.pages)
