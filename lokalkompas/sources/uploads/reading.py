"""Reading an uploaded file into rows of cells, and the cell parsers (numbers, periods) the checks use.

Everything a user can get wrong ends as a `Problem` (row, column, value, Danish explanation) or, when the
file cannot be read at all, an `UploadError` naming the file. No other exception may leave this module
for any input: the fuzz tests hold it to that.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from typing import Literal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from lokalkompas.lib.formatting import format_number

Cell = str | float | dt.datetime | None
Severity = Literal["fejl", "advarsel"]
DATA_SHEET = "Data"
MAX_CELLS = 5_000_000  # a used range beyond this is a stray cell, not data (CSV has no such limit)
GUIDE_SHEET = "Vejledning"


class UploadError(ValueError):
    """The file cannot be read at all; the message (Danish) names the file and says why."""


@dataclass(frozen=True)
class Problem:
    row: int | None  # the row number as the spreadsheet shows it (the header is row 1)
    column: str  # the column's header, or its letter when there is no header
    value: str
    message: str
    severity: Severity = "fejl"

    def describe(self, file_name: str) -> str:
        where = f"række {self.row}, " if self.row is not None else ""
        shown = f" (værdi: {self.value!r})" if self.value else ""
        return f"{file_name}, {where}kolonne {self.column}: {self.message}{shown}"


@dataclass
class RawTable:
    file_name: str
    kind: Literal["xlsx", "csv"]
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number, cells) for every non-empty row below the header
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""


def read_upload(file_name: str, data: bytes, max_bytes: int) -> RawTable:
    """Read an XLSX or CSV file. Raises UploadError for a file that cannot be read at all."""
    if len(data) == 0:
        raise UploadError(f"{file_name}: filen er tom.")
    if len(data) > max_bytes:
        raise UploadError(
            f"{file_name}: filen fylder {megabytes(len(data))} MB; grænsen er {megabytes(max_bytes)} MB. "
            "Del den op i flere filer."
        )
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    is_zip = data[:4] == b"PK\x03\x04"
    if extension == "xlsx":
        if not is_zip:
            raise UploadError(
                f"{file_name}: filen hedder .xlsx, men er ikke en Excel-fil (xlsx). Gem den igen fra Excel."
            )
        return _read_xlsx(file_name, data)
    if extension in ("csv", "txt"):
        if is_zip or (b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff"))):
            raise UploadError(
                f"{file_name}: filen hedder .{extension}, men indeholder ikke tekst. Er det en Excel-fil?"
            )
        return _read_csv(file_name, data)
    if extension in ("xls", "ods", "numbers"):
        raise UploadError(f"{file_name}: .{extension}-filer kan ikke læses. Gem filen som .xlsx eller .csv.")
    raise UploadError(f"{file_name}: ukendt filtype. Brug en .xlsx- eller .csv-fil (fx skabelonen).")


def megabytes(size: int) -> str:
    """Bytes as MB the Danish way, without rounding a small limit to 0: 20 · 1,5 · 0,001."""
    return format_number(size / 1e6, 3).rstrip("0").rstrip(",")


def _decode(file_name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UploadError(f"{file_name}: filen kan ikke læses som UTF-16-tekst.") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # what Danish Excel writes as "CSV (semikolonsepareret)"
    except UnicodeDecodeError as exc:
        raise UploadError(
            f"{file_name}: tegnsættet kendes ikke (hverken UTF-8 eller Windows-1252). Gem filen som CSV UTF-8."
        ) from exc


def _separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _read_csv(file_name: str, data: bytes) -> RawTable:
    text = _decode(file_name, data).replace("\x00", "")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise UploadError(f"{file_name}: filen er tom.")
    # Strict: an unclosed quote would otherwise swallow the rest of the file into one cell, silently.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first), strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as exc:
        reason = (
            "en celle er for lang"
            if "field larger" in str(exc)
            else 'et anførselstegn (") er ikke lukket, eller der står tegn efter det afsluttende anførselstegn'
        )
        raise UploadError(f"{file_name}: række {len(records) + 1} kan ikke læses som CSV: {reason}.") from exc
    rows = [(n, [_text_cell(c) for c in r]) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    if not rows:  # only separators or empty quotes
        raise UploadError(f"{file_name}: filen er tom.")
    header_number, header = rows[0]
    headers = [str(c or "").strip() for c in header]
    return RawTable(file_name, "csv", headers, [r for r in rows if r[0] > header_number])


def _text_cell(text: str) -> Cell:
    text = text.strip()
    return text or None


def _read_xlsx(file_name: str, data: bytes) -> RawTable:
    try:
        formulas = load_workbook(io.BytesIO(data), data_only=False)
        values = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise UploadError(f"{file_name}: filen kan ikke læses som Excel-fil (xlsx). Gem den igen fra Excel.") from exc
    except Exception as exc:  # openpyxl raises many kinds for a broken package; all mean the same here
        raise UploadError(f"{file_name}: filen kan ikke læses som Excel-fil (xlsx). Gem den igen fra Excel.") from exc
    names = values.sheetnames
    sheet = DATA_SHEET if DATA_SHEET in names else next((n for n in names if n != GUIDE_SHEET), names[0])
    with_formulas, with_values = formulas[sheet], values[sheet]
    rows_used, columns_used = with_values.max_row or 0, with_values.max_column or 0
    if rows_used * columns_used > MAX_CELLS:
        # A stray cell far out (say XFD1048576) makes the used range huge; walking it would never end.
        corner = f"{get_column_letter(columns_used)}{rows_used}"
        raise UploadError(
            f"{file_name}: arket '{sheet}' går helt ud til celle {corner}. Slet tomme rækker og kolonner "
            "efter dataene, eller gem filen som CSV."
        )
    problems = [
        Problem(
            r.min_row,
            get_column_letter(r.min_col or 1),
            str(r.coord),
            f"flettede celler ({r.coord}) kan ikke læses; ophæv fletningen, og skriv værdien i hver celle.",
        )
        for r in with_formulas.merged_cells.ranges
    ]
    rows: list[tuple[int, list[Cell]]] = []
    for formula_row, value_row in zip(with_formulas.iter_rows(), with_values.iter_rows(), strict=True):
        cells: list[Cell] = []
        for f_cell, v_cell in zip(formula_row, value_row, strict=True):
            cell = _xlsx_cell(v_cell.value, str(v_cell.number_format or ""))
            if f_cell.data_type == "f" and cell is None:
                problems.append(
                    Problem(
                        f_cell.row,
                        get_column_letter(f_cell.column or 1),
                        str(f_cell.value)[:60],
                        "formlen har ingen beregnet værdi; åbn filen i Excel, og gem den, eller indsæt værdierne.",
                    )
                )
            cells.append(cell)
        if any(c is not None for c in cells):
            rows.append((value_row[0].row or 0, cells))
    if not rows:
        raise UploadError(f"{file_name}: arket '{sheet}' er tomt.")
    header = rows[0][1]
    headers = [str(c).strip() if c is not None else "" for c in header]
    return RawTable(file_name, "xlsx", headers, rows[1:], problems, sheet)


def _xlsx_cell(value: object, number_format: str) -> Cell:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        # A cell formatted as a percentage holds the share (0,123); the templates ask for percent (12,3).
        return float(value) * 100 if "%" in number_format else float(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value).strip()
    return text or None


# --- cell parsers -------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?[0-9.,]+$")


def parse_number(cell: Cell) -> float:
    """A number as Danes and spreadsheets write it: 1.234,5 · 12,3 % · 1234.5 · -7 · 1 234. Raises
    ValueError with a Danish explanation for anything else, including the ambiguous '1.234'."""
    if isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            raise ValueError("er ikke et tal")
        return cell
    if cell is None or isinstance(cell, dt.datetime):
        raise ValueError("er ikke et tal")
    text = cell.replace("\u2212", "-").replace("\xa0", "").replace(" ", "").removesuffix("%")
    if not _NUMBER.match(text) or not any(ch.isdigit() for ch in text):
        raise ValueError("er tekst, hvor der skal stå et tal")
    number = float(_plain(text))
    if not math.isfinite(number):  # 400 digits overflow to inf
        raise ValueError("er for stort et tal")
    return number


def _plain(text: str) -> str:
    """Digits with at most one '.' as the decimal point, from Danish or plain notation."""
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "")
        if text.count(decimal) > 1:
            raise ValueError("har flere decimaltegn")
        return text.replace(",", ".")
    for sep in (",", "."):
        if text.count(sep) > 1:  # 1.234.567 or 1,234,567: thousands
            if all(len(g) == 3 for g in text.lstrip("+-").split(sep)[1:]):
                return text.replace(sep, "")
            raise ValueError("har tusindtalsskilletegn de forkerte steder")
    if "." in text:
        whole, decimals = text.lstrip("+-").split(".")
        if len(decimals) == 3 and whole not in ("", "0"):
            raise ValueError("kan læses både som tusinder og som decimaler; skriv fx 1234 eller 1,234")
    return text.replace(",", ".")


_PERIOD = re.compile(
    r"^(?P<year>\d{4})(?:\s*(?:(?P<q>[KQ])\s*(?P<qn>\d)|(?:M|-)(?P<m>\d{1,2})))?$", re.IGNORECASE | re.ASCII
)
_KIND_WORD = {"year": "et årstal", "quarter": "et kvartal", "month": "en måned"}
_FREQUENCY_WORD = {"year": "årstal (fx 2025)", "quarter": "kvartaler (fx 2025K1)", "month": "måneder (fx 2025M01)"}


def parse_period(cell: Cell, frequency: str) -> str:
    """A DST period code of the template's frequency from a cell; raises ValueError in Danish."""
    if isinstance(cell, dt.datetime):
        if frequency != "month":
            raise ValueError(f"er en dato, men skabelonen har {_FREQUENCY_WORD[frequency]}")
        return f"{cell.year}M{cell.month:02d}"
    if isinstance(cell, float):
        if not cell.is_integer():
            raise ValueError("er ikke en periode")
        cell = str(int(cell))
    if cell is None:
        raise ValueError("mangler")
    match = _PERIOD.match(cell.strip())
    if not match or not 1990 <= int(match["year"]) <= 2100:
        raise ValueError(f"er ikke en periode; skabelonen har {_FREQUENCY_WORD[frequency]}")
    year = match["year"]
    if match["q"]:
        found, code = "quarter", f"{year}K{match['qn']}"
        if not 1 <= int(match["qn"]) <= 4:
            raise ValueError("har et kvartal uden for 1–4")
    elif match["m"]:
        found, code = "month", f"{year}M{int(match['m']):02d}"
        if not 1 <= int(match["m"]) <= 12:
            raise ValueError("har en måned uden for 1–12")
    else:
        found, code = "year", year
    if found != frequency:
        raise ValueError(f"er {_KIND_WORD[found]}, men skabelonen har {_FREQUENCY_WORD[frequency]}")
    return code
