"""The brief as a Word document (python-docx): real heading styles, sources under each sentence, charts as
PNG images followed by their data tables, Danish document properties."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from lokalkompas.briefs.charts import svg_to_png
from lokalkompas.briefs.html import document_title
from lokalkompas.briefs.model import Area, Brief, Chart, GoalLine, Sentence, Table, Theme
from lokalkompas.lib.formatting import format_date

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import _Row
    from docx.text.paragraph import Paragraph

LANGUAGE = "da-DK"
FONT = "Arial"  # on every Windows PC; LibreOffice shows it as the metric-compatible Liberation Sans
CHART_WIDTH = Cm(16)  # the text width of A4 with Word's default margins
SOURCE_GREY = RGBColor(0x44, 0x44, 0x44)


def render_docx(brief: Brief) -> bytes:
    document = Document()
    _set_up(document, brief)
    _title_page(document, brief)
    _contents(document, brief)
    for area in brief.areas:
        _area(document, area)
    _closing(document, brief)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_up(document: DocumentObject, brief: Brief) -> None:
    properties = document.core_properties
    properties.title = document_title(brief)
    properties.author = brief.municipality_name
    properties.subject = brief.title
    properties.language = LANGUAGE
    properties.created = dt.datetime.fromisoformat(brief.date)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    _danish_proofing(document)
    _page_numbers(document)


def _danish_proofing(document: DocumentObject) -> None:
    """The default run language: Word spell-checks and hyphenates in Danish."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if run_defaults is not None:
        lang = run_defaults.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            run_defaults.append(lang)
        lang.set(qn("w:val"), LANGUAGE)


def _page_numbers(document: DocumentObject) -> None:
    """'Side N af M' in the footer, as Word fields so Word counts the pages."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run("Side ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" af ")
    _field(paragraph, "NUMPAGES")


def _field(paragraph: Paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"  # shown until Word updates the field
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _danish_date(iso: str) -> str:
    return format_date(dt.date.fromisoformat(iso))


def _title_page(document: DocumentObject, brief: Brief) -> None:
    document.add_paragraph(brief.municipality_name, style="Subtitle")
    document.add_paragraph(brief.title, style="Title")
    document.add_paragraph(f"Udarbejdet {_danish_date(brief.date)}")
    if brief.since:
        document.add_paragraph(f"Ændringer er opgjort siden oplægget fra {_danish_date(brief.since)}.")
    if brief.demo:
        paragraph = document.add_paragraph()
        paragraph.add_run("DEMO").bold = True
        paragraph.add_run(" – oplægget bygger på demodata og må ikke bruges som beslutningsgrundlag.")


def _contents(document: DocumentObject, brief: Brief) -> None:
    """A plain contents list: it needs no field update, so it is right in Word, LibreOffice and a preview."""
    document.add_heading("Indhold", level=1)
    for area in brief.areas:
        document.add_paragraph(area.name, style="List Number")
        for theme in area.themes:
            document.add_paragraph(f"{theme.number}. {theme.title}", style="List Bullet 2")
    if brief.sources or brief.notes:
        document.add_paragraph("Kilder og noter", style="List Number")


def _area(document: DocumentObject, area: Area) -> None:
    document.add_page_break()
    document.add_heading(area.name, level=1)
    for theme in area.themes:
        _theme(document, theme)
    if area.budget or area.budget_table:
        document.add_heading("Økonomi", level=2)
        for sentence in area.budget:
            _sentence(document, sentence)
        if area.budget_table:
            _table(document, area.budget_table)
    if area.dates:
        document.add_heading("Datoer de næste 12 måneder", level=2)
        for item in area.dates:
            document.add_paragraph(f"{_danish_date(item.date)}: {item.text}", style="List Bullet")
    _list(document, f"Forbehold for {area.name.lower()}", area.caveats, level=2)


def _theme(document: DocumentObject, theme: Theme) -> None:
    document.add_heading(f"{theme.number}. {theme.title}", level=2)
    document.add_heading("Hvad tallene siger", level=3)
    for sentence in theme.says:
        _sentence(document, sentence)
    if theme.questions:
        document.add_heading("Spørgsmål til drøftelse", level=3)
        for question in theme.questions:
            document.add_paragraph(question.text, style="List Number")
            for figure in question.figures:
                _sentence(document, figure, style="List Bullet 2")
    if theme.goals:
        document.add_heading("Mål", level=3)
        for goal in theme.goals:
            _goal(document, goal)
    if theme.charts:
        document.add_heading("Figurer", level=3)
        for chart in theme.charts:
            _chart(document, chart)
    _list(document, "Forbehold", theme.caveats, level=3)


def _sentence(document: DocumentObject, sentence: Sentence, style: str = "List Bullet") -> None:
    paragraph = document.add_paragraph(sentence.text, style=style)
    if sentence.estimated:
        paragraph.add_run(" (skønnet)").italic = True
    if sentence.demo:
        paragraph.add_run(" DEMO").bold = True
    if sentence.sources:
        _source(paragraph, "; ".join(sentence.sources))


def _source(paragraph: Paragraph, source: str) -> None:
    paragraph.add_run().add_break(WD_BREAK.LINE)
    run = paragraph.add_run(f"Kilde: {source}")
    run.font.size = Pt(8.5)
    run.font.color.rgb = SOURCE_GREY


def _goal(document: DocumentObject, goal: GoalLine) -> None:
    paragraph = document.add_paragraph(style="List Bullet")
    paragraph.add_run(goal.text).bold = True
    paragraph.add_run(f" Status: {goal.status}")
    if goal.detail:
        _sentence(document, goal.detail, style="List Continue")
    if goal.overdue_actions:
        document.add_paragraph("Handlinger over frist:", style="List Continue")
        for action in goal.overdue_actions:
            document.add_paragraph(action, style="List Bullet 2")


def _chart(document: DocumentObject, chart: Chart) -> None:
    title = document.add_paragraph(style="Caption")
    title.add_run(chart.title)
    if chart.demo:
        title.add_run(" DEMO").bold = True
    summary = document.add_paragraph(chart.summary)
    _source(summary, chart.source)
    document.add_picture(io.BytesIO(svg_to_png(chart.svg)), width=CHART_WIDTH)
    # Alt text for screen readers: the picture's docPr description.
    document.inline_shapes[-1]._inline.docPr.set("descr", f"{chart.title}. {chart.summary}")
    _table(document, chart.table)


def _table(document: DocumentObject, table: Table) -> None:
    document.add_paragraph(table.caption, style="Caption")
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers), style="Table Grid")
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.paragraphs[0].add_run(header).bold = True  # a new cell holds one empty paragraph
    _repeat_as_header(grid.rows[0])
    for row, values in zip(grid.rows[1:], table.rows, strict=True):
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.text = value
            if column:  # numbers line up on the right, as in the HTML
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _repeat_as_header(row: _Row) -> None:
    """Mark the first row as the table's header row: Word repeats it on each page and tells screen readers."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _closing(document: DocumentObject, brief: Brief) -> None:
    if not (brief.sources or brief.notes):
        return
    document.add_page_break()
    document.add_heading("Kilder og noter", level=1)
    _list(document, "Kilder", brief.sources, level=2)
    _list(document, "Sådan læses oplægget", brief.notes, level=2)


def _list(document: DocumentObject, heading: str, items: tuple[str, ...], *, level: int) -> None:
    if not items:
        return
    document.add_heading(heading, level=level)
    for item in items:
        document.add_paragraph(item, style="List Bullet")
