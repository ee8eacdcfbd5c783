"""Every table on a page as an XLSX workbook: read the page's HTML tables, write one sheet per table.

Working from the rendered page (not from each view's data) means every table view in the app exports
the same rows the user sees, with the same permissions, and a new page gets its export for free. Cells
that hold a Danish number ("1.234,5", "12,3 %") become numbers; everything else stays text, so
"mangler" is never turned into 0.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from openpyxl import Workbook
from openpyxl.styles import Font

DANISH_NUMBER = re.compile(r"^[-−]?\d{1,3}(\.\d{3})*(,\d+)?$|^[-−]?\d+(,\d+)?$")
SHEET_NAME_LIMIT = 31
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


@dataclass
class HtmlTable:
    caption: str = ""
    rows: list[list[str]] = field(default_factory=list)


class _TableReader(HTMLParser):
    """Collects the text of each table's caption and cells; screen-reader-only text is left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[HtmlTable] = []
        self._open: list[HtmlTable] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._hidden_depth = 0
        self._depth = 0
        self.demo = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if "demo-banner" in classes:
            self.demo = True
        if tag in VOID_TAGS:
            if tag == "br" and self._cell is not None:
                self._cell.append(" ")  # "Aarhus<br>Kommune" reads as two words
            return
        self._depth += 1
        if self._hidden_depth == 0 and ("sr-only" in classes or "no-export" in classes):
            self._hidden_depth = self._depth
        if tag == "table":
            self._open.append(HtmlTable())
        elif tag == "tr" and self._open:
            self._open[-1].rows.append([])
        elif tag in ("td", "th") and self._open:
            self._cell = []
        elif tag == "caption" and self._open:
            self._caption = []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if self._hidden_depth == self._depth:
            self._hidden_depth = 0
        self._depth -= 1
        if tag in ("td", "th") and self._cell is not None and self._open and self._open[-1].rows:
            self._open[-1].rows[-1].append(_clean("".join(self._cell)))
            self._cell = None
        elif tag == "caption" and self._caption is not None and self._open:
            self._open[-1].caption = _clean("".join(self._caption))
            self._caption = None
        elif tag == "table" and self._open:
            table = self._open.pop()
            table.rows = [r for r in table.rows if r]
            self.tables.append(table)

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


VOID_TAGS = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base"})


def _clean(text: str) -> str:
    return " ".join(text.split())


def read_tables(html: str) -> tuple[list[HtmlTable], bool]:
    """The page's tables in order, and whether the page is marked as demo data."""
    reader = _TableReader()
    reader.feed(html)
    reader.close()
    return reader.tables, reader.demo


def cell_value(text: str) -> float | str:
    """'1.234,5' -> 1234.5, '−2' -> -2.0, '12,3 %' -> 0.123 (shown as a percentage); anything else as text."""
    percent = text.endswith("%")
    core = text.removesuffix("%").strip() if percent else text
    if not DANISH_NUMBER.match(core):
        return text
    number = float(core.replace("−", "-").replace(".", "").replace(",", "."))
    return number / 100 if percent else number


def _sheet_name(caption: str, index: int, taken: set[str]) -> str:
    base = FORBIDDEN_IN_SHEET_NAMES.sub(" ", caption).strip()[: SHEET_NAME_LIMIT - 4] or f"Tabel {index}"
    name, n = base, 2
    while name.casefold() in taken:
        name, n = f"{base} ({n})", n + 1
    taken.add(name.casefold())
    return name


def workbook(tables: list[HtmlTable], *, source: str, demo: bool) -> bytes:
    """One sheet per table: a title row (the caption), a DEMO line where it applies, the rows, the source."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    taken: set[str] = set()
    bold = Font(bold=True)
    for index, table in enumerate(tables, start=1):
        sheet = book.create_sheet(_sheet_name(table.caption, index, taken))
        sheet.append([table.caption or f"Tabel {index}"])
        sheet["A1"].font = bold
        if demo:
            sheet.append(["DEMO: syntetiske demodata, ikke rigtige tal"])
        for number, row in enumerate(table.rows):
            sheet.append([cell_value(c) if number else c for c in row])
            for cell in sheet[sheet.max_row]:
                if number == 0:
                    cell.font = bold
                elif isinstance(cell.value, float) and row[cell.column - 1].endswith("%"):
                    cell.number_format = "0.0%"
        sheet.append([])
        sheet.append([source])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
