"""The brief as Word: real heading styles, sources under sentences, tables with header rows, charts as images."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from lokalkompas.briefs.charts import svg_to_png
from lokalkompas.briefs.docx import render_docx
from lokalkompas.briefs.model import Brief
from tests.briefs.factory import MISSING_SENTENCE, SOURCE

# Engine-independent and slow: once, in the PostgreSQL pass of scripts/test.sh.
pytestmark = pytest.mark.once


@pytest.fixture(scope="module")
def document(demo_brief: Brief) -> DocumentObject:
    return Document(io.BytesIO(render_docx(demo_brief)))


def styled(document: DocumentObject, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def test_the_title_and_headings_use_words_own_styles(document: DocumentObject, demo_brief: Brief):
    assert styled(document, "Title") == ["Drøftelsesoplæg: Dagtilbud"]
    assert styled(document, "Heading 1") == ["Indhold", "Dagtilbud", "Kilder og noter"]
    themes = [f"{t.number}. {t.title}" for t in demo_brief.areas[0].themes]
    assert styled(document, "Heading 2") == [
        *themes,
        "Økonomi",
        "Datoer de næste 12 måneder",
        "Forbehold for dagtilbud",
        "Kilder",
        "Sådan læses oplægget",
    ]
    assert styled(document, "Heading 3").count("Hvad tallene siger") == 4


def test_the_title_page_has_the_danish_date_and_the_demo_warning(document: DocumentObject):
    texts = [p.text for p in document.paragraphs]
    assert "Udarbejdet 27. november 2026" in texts
    assert any(t.startswith("DEMO – oplægget bygger på demodata") for t in texts)


def test_sentences_carry_their_sources_and_markings(document: DocumentObject):
    texts = [p.text for p in document.paragraphs]
    first = next(t for t in texts if t.startswith("I 2024 gik 1.234,5 børn"))
    assert first.endswith(f" DEMO\nKilde: {SOURCE}")
    assert any("(skønnet) DEMO\nKilde:" in t for t in texts)
    assert any(t.startswith(MISSING_SENTENCE) for t in texts)


def test_every_table_has_a_bold_repeated_header_row_and_borders(document: DocumentObject):
    assert len(document.tables) == 4 * 2 + 1
    chart_table = document.tables[0]
    assert [c.text for c in chart_table.rows[0].cells] == [
        "Periode",
        "Aarhus",
        "Sammenlignelige kommuner",
        "Hele landet",
    ]
    assert chart_table.style is not None and chart_table.style.name == "Table Grid"
    budget = document.tables[-1]
    assert [c.text for c in budget.rows[0].cells] == ["År", "Korrigeret budget", "Forventet regnskab", "Afvigelse"]
    assert [c.text for c in budget.rows[3].cells] == ["2024", "751,0", "mangler", "mangler"]
    for table in document.tables:
        header = table.rows[0]
        properties = header._tr.trPr
        assert properties is not None and properties.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)


def test_each_chart_is_an_inline_png_with_alternative_text_followed_by_its_table(document: DocumentObject):
    shapes = document.inline_shapes
    assert len(shapes) == 8
    for shape in shapes:
        assert shape._inline.graphic.graphicData.pic.blipFill is not None
        assert shape._inline.docPr.get("descr")
    image_parts = [rel.target_part for rel in document.part.rels.values() if "image" in rel.reltype]
    assert image_parts and all(part.content_type == "image/png" for part in image_parts)
    assert all(part.blob.startswith(b"\x89PNG") for part in image_parts)
    body = [child.tag for child in document.element.body]
    first_picture = next(i for i, child in enumerate(document.element.body) if child.findall(".//" + qn("w:drawing")))
    # After the picture: the table's caption paragraph, then the table itself.
    assert body[first_picture + 2] == qn("w:tbl")


def test_the_document_is_danish_with_its_title_in_the_properties(document: DocumentObject):
    properties = document.core_properties
    assert properties.title == "Drøftelsesoplæg: Dagtilbud – Aarhus Kommune"
    assert properties.language == "da-DK"
    assert properties.author == "Aarhus Kommune"
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "da-DK"


def test_the_footer_counts_pages_with_word_fields(document: DocumentObject):
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [f.get(qn("w:instr")) for f in footer._p.findall(qn("w:fldSimple"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Side ") and " af " in footer.text


SQUARE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="{}"/>{}</svg>'
)


def test_a_chart_cannot_pull_a_file_from_the_server_into_the_word_picture(tmp_path: Path):
    red = tmp_path / "red.png"
    red.write_bytes(svg_to_png(SQUARE.format("red", "")))
    clean = svg_to_png(SQUARE.format("white", ""))
    for href in (str(red), f"file://{red}"):
        assert svg_to_png(SQUARE.format("white", f'<image href="{href}" width="40" height="40"/>')) == clean, href
    # A reference inside the SVG itself still works.
    inside = '<defs><rect id="r" width="40" height="40" fill="red"/></defs><use href="#r"/>'
    assert svg_to_png(SQUARE.format("white", inside)) != clean
