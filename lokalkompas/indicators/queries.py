"""Read models for the pages: an indicator's series, the ranking of all municipalities, latest values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lokalkompas.indicators.models import Observation, Status
from lokalkompas.indicators.schema import Indicator
from lokalkompas.lib.formatting import format_number
from lokalkompas.lib.periods import parse_period
from lokalkompas.registry.models import Geography

STATUS_LABEL = {
    Status.MISSING: "mangler",
    Status.CONFIDENTIAL: "fortroligt",
}


@dataclass(frozen=True)
class Cell:
    value: float | None
    status: str
    decimals: int

    @property
    def text(self) -> str:
        if self.value is None:
            return STATUS_LABEL.get(Status(self.status), "mangler")
        return format_number(self.value, self.decimals)

    @property
    def is_demo(self) -> bool:
        return self.status == Status.DEMO

    @property
    def note(self) -> str:
        """A marker after the number for values that are not final: DEMO, foreløbigt, skønnet."""
        if self.value is None or self.status == Status.OK:
            return ""
        return Status(self.status).label


MISSING_CELL = Cell(None, Status.MISSING, 0)


def _cells(indicator: Indicator, rows: Iterable[tuple[str, str, float | None, str]]) -> dict[tuple[str, str], Cell]:
    return {(geo, period): Cell(value, status, indicator.decimals) for geo, period, value, status in rows}


def sorted_periods(periods: Iterable[str]) -> list[str]:
    return sorted(set(periods), key=lambda p: parse_period(p).start)


@dataclass(frozen=True)
class SeriesTable:
    geos: list[Geography]
    periods: list[str]
    cells: dict[tuple[str, str], Cell]

    def row(self, period: str) -> list[Cell]:
        return [self.cells.get((g.code, period), MISSING_CELL) for g in self.geos]

    @property
    def rows(self) -> list[tuple[str, list[Cell]]]:
        return [(p, self.row(p)) for p in reversed(self.periods)]

    @property
    def has_demo(self) -> bool:
        return any(c.is_demo for c in self.cells.values())


def series_table(indicator: Indicator, geos: list[Geography]) -> SeriesTable:
    rows = Observation.objects.filter(series=indicator.id, geo__in=[g.code for g in geos]).values_list(
        "geo_id", "period", "value", "status"
    )
    cells = _cells(indicator, rows)
    return SeriesTable(geos, sorted_periods(p for _g, p in cells), cells)


@dataclass(frozen=True)
class RankRow:
    geo: Geography
    cell: Cell


def latest_period(indicator: Indicator) -> str | None:
    periods = Observation.objects.filter(series=indicator.id, value__isnull=False).values_list("period", flat=True)
    ordered = sorted_periods(periods.distinct())
    return ordered[-1] if ordered else None


def municipal_values(indicator: Indicator, period: str) -> list[RankRow]:
    """All 98 municipalities for one period; a municipality without a row is shown as missing."""
    rows = Observation.objects.filter(series=indicator.id, period=period, geo__kind="municipality").values_list(
        "geo_id", "period", "value", "status"
    )
    cells = _cells(indicator, rows)
    municipalities = Geography.objects.filter(kind=Geography.Kind.MUNICIPALITY).select_related("region")
    return [RankRow(m, cells.get((m.code, period), MISSING_CELL)) for m in municipalities]


def latest_cells(indicators: list[Indicator], geo: str) -> dict[str, tuple[str, Cell]]:
    """Indicator id -> (period, cell) of the latest period with a value for one geography."""
    ids = [i.id for i in indicators]
    decimals = {i.id: i.decimals for i in indicators}
    rows = Observation.objects.filter(series__in=ids, geo_id=geo).values_list("series", "period", "value", "status")
    best: dict[str, tuple[str, Cell]] = {}
    for series, period, value, status in rows:
        if value is None:
            continue
        start = parse_period(period).start
        if series not in best or parse_period(best[series][0]).start < start:
            best[series] = (period, Cell(value, status, decimals[series]))
    return best


def export_rows(indicator: Indicator) -> Iterable[tuple[str, str, str, float | None, str]]:
    """Every geography and period for the downloads: code, name, period, value (None when missing), status."""
    names = dict(Geography.objects.values_list("code", "name"))
    rows = (
        Observation.objects.filter(series=indicator.id)
        .order_by("geo_id", "period")
        .values_list("geo_id", "period", "value", "status")
    )
    for geo, period, value, status in rows.iterator(chunk_size=5000):
        yield geo, names.get(geo, geo), period, value, Status(status).label


def csv_rows(indicator: Indicator) -> Iterable[tuple[str, str, str, str, str, str]]:
    """`export_rows` as Danish text: the value without thousands separators so spreadsheets read it."""
    for geo, name, period, value, status in export_rows(indicator):
        text = "" if value is None else format_number(value, indicator.decimals).replace(".", "")
        yield geo, name, period, text, status, indicator.unit
