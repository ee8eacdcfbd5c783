"""Spreadsheet downloads (XLSX), written with openpyxl's streaming writer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lokalkompas.indicators.schema import Indicator

BOLD = Font(bold=True)


def number_format(decimals: int) -> str:
    """Excel shows this with the reader's own separators: 1.234,5 in a Danish Excel."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def write_indicator_workbook(
    target: IO[bytes] | HttpResponse,
    indicator: Indicator,
    sources: str,
    rows: Iterable[tuple[str, str, str, float | None, str]],
) -> None:
    """One sheet: a title block naming the indicator, unit and source, then one row per geography and period.

    A missing value is an empty cell with the status "Mangler" beside it, never 0.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Data")
    title = WriteOnlyCell(sheet, value=indicator.name)
    title.font = BOLD
    sheet.append([title])
    sheet.append([f"Enhed: {indicator.unit}"])
    sheet.append([f"Kilde: {sources}"])
    sheet.append([indicator.definition])
    sheet.append([])
    header = []
    for text in ("Kode", "Navn", "Periode", f"Værdi ({indicator.unit})", "Status"):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    fmt = number_format(indicator.decimals)
    for code, name, period, value, status in rows:
        number = WriteOnlyCell(sheet, value=value)
        number.number_format = fmt
        sheet.append([code, name, period, number, status])
    book.save(target)  # HttpResponse is a writable file-like object
