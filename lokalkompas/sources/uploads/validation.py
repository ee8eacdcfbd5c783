"""Checking a read file against its template: every problem collected, each with row, column and value.

The outcome is either a clean frame of observations (series, geo, period, value) ready for the store,
or the list of errors; warnings (values outside the plausible range) never stop an import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl
from openpyxl.utils import get_column_letter

from lokalkompas.indicators.frames import FRAME_SCHEMA
from lokalkompas.registry.data import Municipality, municipality_by_code, municipality_from_code_or_name
from lokalkompas.sources.uploads.reading import Cell, Problem, RawTable, parse_number, parse_period
from lokalkompas.sources.uploads.templates import EXAMPLE, MUNICIPALITY, PERIOD, Column, Template


@dataclass
class Checked:
    table: RawTable
    template: Template | None
    frame: pl.DataFrame
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    data_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def municipalities(self) -> list[str]:
        return sorted(set(self.frame["geo"].to_list())) if self.frame.height else []


def _empty_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=FRAME_SCHEMA)


def _shown(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:g}"
    return str(cell)[:80]


def check(
    table: RawTable,
    templates: dict[str, Template],
    allowed: set[str] | None = None,
    template_id: str | None = None,
) -> Checked:
    """Check every row. `allowed`: the municipality codes this user may load (None: any)."""
    errors = list(table.problems)
    headers = [h.strip().casefold() for h in table.headers]
    template = _template(headers, templates, template_id, errors)
    if template is None:
        return Checked(table, None, _empty_frame(), errors)
    positions = {h: i for i, h in enumerate(headers) if h}
    value_columns = [(positions[c.id], c) for c in template.columns if c.id in positions]
    rows: list[tuple[str, str, str, str, float, str]] = []
    seen: dict[tuple[str, str], int] = {}
    warnings: list[Problem] = []
    data_rows = 0
    unnamed = [i for i, h in enumerate(headers) if not h]
    for number, cells in table.rows:
        cells = cells + [None] * (len(headers) - len(cells))
        place = _cell(cells, positions.get(MUNICIPALITY))
        if isinstance(place, str) and place.strip().casefold() == EXAMPLE.casefold():
            continue
        data_rows += 1
        geo = _municipality(number, place, allowed, errors)
        period = _period(number, _cell(cells, positions.get(PERIOD)), template.frequency, errors)
        if geo and period:
            key = (geo.code, period)
            if key in seen:
                errors.append(
                    Problem(
                        number,
                        MUNICIPALITY,
                        f"{geo.name} {period}",
                        f"gentager række {seen[key]} (samme kommune og periode)",
                    )
                )
                continue
            seen[key] = number
        for index, column in value_columns:
            value = _value(number, cells[index], column, errors, warnings)
            if value is not None and geo and period:
                rows.append((column.series.id, geo.code, period, "", value, "ok"))
        # Beyond the header row, or under an empty header (Excel's CSV writes trailing separators for those).
        extra = [(i, cells[i]) for i in unnamed if cells[i] is not None]
        extra += [(i, c) for i, c in enumerate(cells[len(headers) :], start=len(headers)) if c is not None]
        if extra:
            index, cell = extra[0]
            errors.append(
                Problem(number, get_column_letter(index + 1), _shown(cell), "værdi i en kolonne uden overskrift")
            )
    if data_rows == 0:
        errors.append(Problem(None, MUNICIPALITY, "", "filen har ingen rækker med data under overskrifterne"))
    frame = pl.DataFrame(rows, schema=FRAME_SCHEMA, orient="row") if rows else _empty_frame()
    return Checked(table, template, frame, errors, warnings, data_rows)


def _cell(cells: list[Cell], index: int | None) -> Cell:
    return cells[index] if index is not None and index < len(cells) else None


HEADERS = "(overskrifter)"
NO_VALUES = "filen har ingen kolonner med tal; brug overskrifterne fra skabelonen"
UNKNOWN_COLUMN = "ukendt kolonne: den hører ikke til skabelonen; brug skabelonens overskrifter"
MIXED = "kolonnerne kommer fra flere skabeloner; brug én skabelon pr. fil"
UNKNOWN_MUNICIPALITY = "ukendt kommune; brug kommunekoden (fx 101) eller navnet"


def _header_problems(headers: list[str]) -> list[Problem]:
    problems = [
        Problem(1, name, "", f"kolonnen '{name}' mangler i overskriftsrækken")
        for name in (MUNICIPALITY, PERIOD)
        if name not in headers
    ]
    duplicates = sorted({h for h in headers if h and headers.count(h) > 1})
    problems += [Problem(1, name, name, "kolonnen står mere end én gang i overskriftsrækken") for name in duplicates]
    return problems


def _template(
    headers: list[str], templates: dict[str, Template], chosen: str | None, errors: list[Problem]
) -> Template | None:
    """The template the file's columns belong to (or the chosen one, if they fit it)."""
    structural = _header_problems(headers)
    errors += structural
    if chosen is not None and chosen not in templates:
        errors.append(Problem(None, "skabelon", chosen, "ukendt skabelon; se listen på siden Data"))
        return None
    values = [h for h in headers if h and h not in (MUNICIPALITY, PERIOD)]
    if not values:
        errors.append(Problem(1, HEADERS, "", NO_VALUES))
        return None
    pool = [templates[chosen]] if chosen else list(templates.values())
    matching = [t for t in pool if {c.id for c in t.columns} >= set(values)]
    if not matching:
        known = {c.id for t in pool for c in t.columns}
        errors += [Problem(1, name, name, UNKNOWN_COLUMN) for name in values if name not in known]
        if all(name in known for name in values):
            errors.append(Problem(1, HEADERS, ", ".join(values), MIXED))
        return None
    return None if structural else matching[0]


def _municipality(number: int, cell: Cell, allowed: set[str] | None, errors: list[Problem]) -> Municipality | None:
    if cell is None:
        errors.append(Problem(number, MUNICIPALITY, "", "kommunen mangler"))
        return None
    text = f"{cell:g}" if isinstance(cell, float) else str(cell)
    found = municipality_from_code_or_name(text) if not isinstance(cell, type(None)) else None
    if found is None:
        errors.append(
            Problem(number, MUNICIPALITY, _shown(cell), "ukendt kommune; brug kommunekoden (fx 101) eller navnet")
        )
        return None
    if allowed is not None and found.code not in allowed:
        own = ", ".join(m.name for code in sorted(allowed) if (m := municipality_by_code(code)))
        errors.append(
            Problem(
                number,
                MUNICIPALITY,
                _shown(cell),
                f"du kan kun indlæse tal for {own or 'din egen kommune'}, ikke {found.name}",
            )
        )
        return None
    return found


# The same few period texts repeat on every row of a file: parse each once.
_parse_period = lru_cache(maxsize=4096)(parse_period)


def _period(number: int, cell: Cell, frequency: str, errors: list[Problem]) -> str | None:
    try:
        return _parse_period(cell, frequency)
    except ValueError as exc:
        errors.append(Problem(number, PERIOD, _shown(cell), f"perioden {exc}"))
        return None


def _value(number: int, cell: Cell, column: Column, errors: list[Problem], warnings: list[Problem]) -> float | None:
    if cell is None:
        return None  # missing stays missing: nothing is stored
    try:
        value = parse_number(cell)
    except ValueError as exc:
        errors.append(Problem(number, column.id, _shown(cell), f"værdien {exc}"))
        return None
    low, high = column.valid
    unit = column.series.unit
    if low is not None and value < low:
        reason = "kan ikke være negativ" if low == 0 else f"kan ikke være under {low:g}"
        errors.append(Problem(number, column.id, _shown(cell), f"umulig værdi: {column.series.name} {reason}"))
        return None
    if high is not None and value > high:
        reason = "kan ikke være over 100 %" if unit == "pct." and high == 100 else f"kan ikke være over {high:g}"
        errors.append(Problem(number, column.id, _shown(cell), f"umulig værdi: {reason}"))
        return None
    plausible = column.plausible
    if plausible and not plausible[0] <= value <= plausible[1]:
        warnings.append(
            Problem(
                number,
                column.id,
                _shown(cell),
                f"usædvanlig værdi: forventet mellem {plausible[0]:g} og {plausible[1]:g} {unit}; tjek den",
                "advarsel",
            )
        )
    return value
