"""Upload templates, generated from the indicator definitions: one per `source.template` id.

A template is a table with a row per municipality and period and a column per base series that names
the template (`source: {kind: upload, template: T, column: C}`). The same description drives the XLSX
and CSV files an analyst downloads, the reader's header check and the validation of each value.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache, cached_property

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from lokalkompas.indicators.definitions import Definitions, shipped_definitions
from lokalkompas.indicators.schema import BaseSeries, UploadSource

MUNICIPALITY = "kommune"
PERIOD = "periode"
# A row whose municipality cell says this is the template's example and is never imported.
EXAMPLE = "Eksempel"
DATA_SHEET = "Data"
GUIDE_SHEET = "Vejledning"

PERIOD_FORMATS = {
    "year": "År: 2025",
    "quarter": "Kvartal: 2025K1 (også 2025Q1)",
    "month": "Måned: 2025M01 eller 2025-01 (en dato i måneden i Excel går også)",
}
ACRONYMS = {"uvm": "UVM", "co2": "CO₂", "ve": "VE"}
EXAMPLE_PERIOD = {"year": "2025", "quarter": "2025K1", "month": "2025M01"}


@dataclass(frozen=True)
class Column:
    id: str
    series: BaseSeries

    @cached_property
    def valid(self) -> tuple[float | None, float | None]:
        """Values outside these are impossible (an error): shares are 0–100 %, counts are not negative."""
        source = self.series.source
        assert isinstance(source, UploadSource)
        if source.valid is not None:
            return source.valid
        unit = self.series.unit
        if unit == "pct.":
            return (0.0, 100.0)
        if "kr." in unit or unit == "karakter":
            return (None, None)  # amounts may be negative (refunds); grades have their own scale
        return (0.0, None)

    @cached_property
    def plausible(self) -> tuple[float, float] | None:
        """Values outside these are possible but surprising (a warning), as the definition sets them."""
        source = self.series.source
        assert isinstance(source, UploadSource)
        return source.plausible


@dataclass(frozen=True)
class Template:
    id: str
    frequency: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return template_name(self.id)

    @property
    def headers(self) -> list[str]:
        return [MUNICIPALITY, PERIOD, *(c.id for c in self.columns)]

    def column(self, column_id: str) -> Column | None:
        return next((c for c in self.columns if c.id == column_id), None)


def template_name(template_id: str) -> str:
    """A readable Danish name from the id ('maanedsforbrug' -> 'Månedsforbrug'): ids spell æøå out."""
    text = template_id.replace("-", " ").replace("aa", "å").replace("oe", "ø").replace("ae", "æ")
    text = " ".join(ACRONYMS.get(word, word) for word in text.split())
    return text[:1].upper() + text[1:]


def upload_templates(definitions: Definitions) -> dict[str, Template]:
    columns: dict[str, list[Column]] = {}
    for series in definitions.series.values():
        if isinstance(series.source, UploadSource):
            columns.setdefault(series.source.template, []).append(Column(series.source.column, series))
    return {
        tid: Template(tid, cols[0].series.frequency, tuple(cols))
        for tid, cols in sorted(columns.items(), key=lambda item: template_name(item[0]))
    }


@cache
def shipped_templates() -> dict[str, Template]:
    return upload_templates(shipped_definitions())


def _example_value(column: Column) -> str:
    low, high = column.plausible or column.valid
    if low is not None and high is not None:
        return f"{(low + high) / 2:.1f}".replace(".", ",")
    return "1234,5" if "kr." in column.series.unit else "12,5"


def example_row(template: Template) -> list[str]:
    return [EXAMPLE, EXAMPLE_PERIOD[template.frequency], *(_example_value(c) for c in template.columns)]


def guide_lines(template: Template) -> list[list[str]]:
    """The instruction sheet: what each column holds and which formats the reader accepts."""
    lines = [
        [f"Skabelon: {template.name} ({template.id})"],
        ["Udfyld arket 'Data': én række pr. kommune og periode. Tomme celler betyder 'mangler' og indlæses ikke."],
        ["Rækken, hvor kommune er 'Eksempel', viser formatet og indlæses aldrig; slet den gerne."],
        [],
        ["Kolonne", "Indhold", "Enhed", "Gyldige værdier"],
        [MUNICIPALITY, "Kommunekode (fx 101) eller navn (fx København)", "", ""],
        [PERIOD, PERIOD_FORMATS[template.frequency], "", ""],
    ]
    for c in template.columns:
        low, high = c.valid
        bounds = "alle tal" if low is None and high is None else f"{_bound(low)} til {_bound(high)}"
        lines.append([c.id, c.series.name, c.series.unit, bounds])
    lines += [
        [],
        ["Tal: dansk (1.234,5 eller 12,3 %) eller uden tusindtalsskilletegn (1234.5)."],
        ["CSV: semikolon eller komma som skilletegn; UTF-8 eller Windows-1252, som Excel gemmer."],
        ["Formler skal være regnet ud, og celler må ikke være flettede."],
    ]
    return lines


def _bound(value: float | None) -> str:
    return "ingen grænse" if value is None else f"{value:g}".replace(".", ",")


def template_xlsx(template: Template) -> bytes:
    workbook = Workbook()
    guide: Worksheet = workbook.active  # type: ignore[assignment]
    guide.title = GUIDE_SHEET
    for line in guide_lines(template):
        guide.append(line)
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 70
    data = workbook.create_sheet(DATA_SHEET)
    data.append(template.headers)
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.append(example_row(template))
    workbook.active = 1  # open on the data sheet
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv(template: Template) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark, which is how Danish Excel opens CSV cleanly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(template.headers)
    writer.writerow(example_row(template))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
