"""Database-facing analysis: the alert list for a municipality, from stored values and legal results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from lokalkompas.analysis.alerts import (
    Alert,
    BudgetSignal,
    RevisedValue,
    budget_alerts,
    collect,
    legal_alerts,
    position_alerts,
    revision_alerts,
    trend_alerts,
    worst_decile,
)
from lokalkompas.analysis.benchmark import Polarity, benchmark, rank_latest
from lokalkompas.analysis.expected import expected_vs_actual
from lokalkompas.analysis.peers import Neighbour, PeerMatrix
from lokalkompas.analysis.trend import Trend, trend
from lokalkompas.indicators.definitions import Definitions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.indicators.schema import Indicator
from lokalkompas.indicators.store import revisions_since
from lokalkompas.legal.base import RuleResult
from lokalkompas.legal.catalogue import RULES_BY_ID
from lokalkompas.legal.service import evaluate_municipality
from lokalkompas.lib.periods import parse_period
from lokalkompas.registry.data import COUNTRY_CODE, group_code, municipalities
from lokalkompas.registry.models import Geography

VALUE_SCHEMA = {"series": pl.String, "geo": pl.String, "period": pl.String, "value": pl.Float64, "status": pl.String}
# Revisions older than this no longer call for attention.
REVISION_WINDOW = dt.timedelta(days=90)


def _frame(rows: Iterable[tuple[str, str, str, float | None, str]]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=VALUE_SCHEMA, orient="row")


def data_version() -> tuple[int, int | None, dt.datetime | None]:
    """Changes whenever a load or a clean-up touches the store: every write creates or deletes a vintage."""
    stats = Vintage.objects.aggregate(n=Count("id"), last=Max("id"), at=Max("loaded_at"))
    return stats["n"], stats["last"], stats["at"]


_LATEST_CACHE: dict[tuple[object, ...], pl.DataFrame] = {}
LATEST_CACHE_ENTRIES = 8


def latest_municipal_values(ids: list[str]) -> pl.DataFrame:
    """`read_latest_municipal_values`, kept per process until the store changes (it is the dashboard's
    heaviest read, and the same for every visitor)."""
    key = (data_version(), tuple(ids))
    if key not in _LATEST_CACHE:
        if len(_LATEST_CACHE) >= LATEST_CACHE_ENTRIES:
            _LATEST_CACHE.pop(next(iter(_LATEST_CACHE)))
        _LATEST_CACHE[key] = read_latest_municipal_values(ids)
    return _LATEST_CACHE[key]


def read_latest_municipal_values(ids: list[str]) -> pl.DataFrame:
    """series, geo, period, value, status of the 98 municipalities in each indicator's latest period.

    A few small queries instead of reading every period: the newest period with a value per series
    (period codes of one frequency sort as strings), then just those cells.
    """
    codes = [m.code for m in municipalities()]
    present = Observation.objects.filter(series__in=ids, value__isnull=False, geo_id__in=codes)
    latest = dict(present.values("series").annotate(latest=Max("period")).values_list("series", "latest"))
    by_period: dict[str, list[str]] = {}
    for series, period in latest.items():
        by_period.setdefault(period, []).append(series)
    # One query per distinct latest period (a handful), each on the (series, period) index.
    rows: list[tuple[str, str, str, float | None, str]] = []
    for period, ids_then in by_period.items():
        rows += Observation.objects.filter(
            series__in=ids_then, period=period, breakdown="", geo_id__in=codes
        ).values_list("series", "geo_id", "period", "value", "status")
    return _frame(rows)


def own_values(ids: list[str], geo: str) -> pl.DataFrame:
    rows = Observation.objects.filter(series__in=ids, geo_id=geo, breakdown="").values_list(
        "series", "geo_id", "period", "value", "status"
    )
    return _frame(rows)


def _years(period: str) -> float:
    start = parse_period(period).start
    return start.year + (start.timetuple().tm_yday - 1) / 365.25


def municipality_trends(frame: pl.DataFrame, geo: str, polarity: Mapping[str, str]) -> dict[str, Trend]:
    mine = frame.filter(pl.col("geo") == geo).sort("series", "period")
    out = {}
    for (series,), part in mine.partition_by("series", as_dict=True, maintain_order=True).items():
        points = [(_years(p), v) for p, v in part.select("period", "value").iter_rows()]
        out[str(series)] = trend(points, polarity[str(series)])
    return out


def _indicator_url(indicator_id: str) -> str:
    return reverse("front:indicator", args=[indicator_id])


def _rule_url(rule_id: str) -> str:
    return reverse("front:legal") + f"#{rule_id}"


@dataclass(frozen=True)
class Snapshot:
    """What the dashboard and the alerts read for one municipality, fetched once per page."""

    geo: str
    today: dt.date
    definitions: Definitions
    latest: pl.DataFrame  # every municipality, each indicator's latest period
    own: pl.DataFrame  # the municipality's whole history
    legal: list[RuleResult]

    @property
    def polarity(self) -> dict[str, Polarity]:
        return {i.id: i.polarity for i in self.definitions.indicators.values()}


def snapshot(geo: str, definitions: Definitions, today: dt.date | None = None) -> Snapshot:
    ids = list(definitions.indicators)
    today = today or timezone.localdate()
    return Snapshot(
        geo, today, definitions, latest_municipal_values(ids), own_values(ids, geo), evaluate_municipality(geo, today)
    )


def alerts_for(geo: str, definitions: Definitions, today: dt.date | None = None) -> list[Alert]:
    """Everything the council of `geo` should look at, most urgent first."""
    return alerts_from(snapshot(geo, definitions, today))


def _budget_url(area: str) -> str:
    return reverse("front:economy_area", args=[area])


def _budget_signals(geo: str) -> list[BudgetSignal]:
    from lokalkompas.catalog.models import Area
    from lokalkompas.economy.service import forecasts

    names = dict(Area.objects.values_list("id", "name"))
    return [
        BudgetSignal(f.area, names.get(f.area, f.area), f.deviation or 0.0, f.deviation_share, f.warning.reason, f.demo)
        for f in forecasts([geo])
        if f.warning.raised
    ]


def alerts_from(snap: Snapshot) -> list[Alert]:
    indicators = snap.definitions.indicators
    names = {i.id: (i.short_name or i.name, i.unit, i.decimals) for i in indicators.values()}
    demo_series = set(snap.own.filter(pl.col("status") == "demo")["series"].unique())
    ranked = rank_latest(snap.latest, snap.polarity).with_columns((pl.col("status") == "demo").alias("demo"))
    titles = {r.id: r.title for r in RULES_BY_ID.values()}
    return collect(
        legal_alerts(snap.legal, titles, snap.today, _rule_url),
        budget_alerts(_budget_signals(snap.geo), _budget_url),
        position_alerts(worst_decile(ranked, snap.geo), names, _indicator_url),
        trend_alerts(municipality_trends(snap.own, snap.geo, snap.polarity), names, demo_series, _indicator_url),
        revision_alerts(_revised(snap.geo, snap.own, set(indicators)), names, _indicator_url),
    )


# The structural variables similar municipalities are found on (issue 5: as data allow). Population is
# compared on a log scale, so a city of 300.000 is not "far" from one of 60.000 on size alone.
STRUCTURE: tuple[str, ...] = (
    "folketal",
    "befolkningstaethed",
    "andel-0-5",
    "andel-6-16",
    "andel-67-plus",
    "andel-80-plus",
    "befolkningsudvikling",
    "indkomst",
)
LOG_SCALE = {"folketal", "befolkningstaethed"}


def peer_matrix(latest: pl.DataFrame | None = None) -> PeerMatrix:
    """The structural variables of every municipality in their latest period (NaN where missing)."""
    frame = latest if latest is not None else latest_municipal_values(list(STRUCTURE))
    frame = frame.filter(pl.col("series").is_in(STRUCTURE))
    codes = [m.code for m in municipalities()]
    cells = {(s, g): v for s, g, v in frame.select("series", "geo", "value").iter_rows()}
    values = np.array(
        [[_scaled(v, cells.get((v, g))) for v in STRUCTURE] for g in codes],
        dtype=float,
    )
    return PeerMatrix(codes, list(STRUCTURE), values)


def _scaled(variable: str, value: float | None) -> float:
    if value is None:
        return float("nan")
    if variable in LOG_SCALE:
        return float(np.log(value)) if value > 0 else float("nan")
    return value


def compare_with_peers(snap: Snapshot, neighbours: list[Neighbour]) -> dict[str, Verdict]:
    """Per indicator with a polarity: is the municipality better or worse than its neighbours' median?"""
    peers = [n.geo for n in neighbours]
    ranked = [s for s, p in snap.polarity.items() if p != "neutral"]
    frame = snap.latest.filter(pl.col("series").is_in(ranked))
    mine = frame.filter(pl.col("geo") == snap.geo).select("series", pl.col("value").alias("mine"))
    theirs = (
        frame.filter(pl.col("geo").is_in(peers) & pl.col("value").is_not_null())
        .group_by("series")
        .agg(pl.col("value").median().alias("median"), pl.len().alias("n"))
    )
    both = mine.join(theirs, on="series").filter(pl.col("mine").is_not_null() & (pl.col("n") >= MIN_PEERS))
    return {s: verdict(m, med, snap.polarity[s]) for s, m, med in both.select("series", "mine", "median").iter_rows()}


Verdict = Literal["bedre", "dårligere", "som lignende"]
MIN_PEERS = 5
# Within 1 % of the neighbours' median counts as "som lignende": differences that small are noise.
SAME_BAND = 0.01


def verdict(mine: float, median: float, polarity: Polarity) -> Verdict:
    if abs(mine - median) <= SAME_BAND * abs(median):
        return "som lignende"
    better = mine > median if polarity == "higher_better" else mine < median
    return "bedre" if better else "dårligere"


def _revised(geo: str, frame: pl.DataFrame, indicator_ids: set[str]) -> list[RevisedValue]:
    since = timezone.now() - REVISION_WINDOW
    status = {
        (s, p): st for s, p, st in frame.filter(pl.col("geo") == geo).select("series", "period", "status").iter_rows()
    }
    return [
        RevisedValue(
            r.series,
            r.period,
            r.old_value,
            r.new_value,
            r.new_vintage.loaded_at,
            status.get((r.series, r.period)) == "demo",
        )
        for r in revisions_since(since, geo, indicator_ids)
    ]


@dataclass(frozen=True)
class Position:
    """Where one municipality stands on one indicator in one period, beside its comparison values."""

    period: str
    value: float | None
    rank: int | None
    count: int
    percentile: float | None
    quartile: int | None
    distance_to_best_quartile: float | None
    # Region, municipality group and the country, as stored (each computed as the definition says).
    comparisons: list[tuple[Geography, float | None]]


def position(indicator: Indicator, geo: Geography, period: str) -> Position:
    codes = [m.code for m in municipalities()]
    rows = Observation.objects.filter(series=indicator.id, period=period, breakdown="", geo_id__in=codes)
    values = _frame((indicator.id, g, period, v, s) for g, v, s in rows.values_list("geo_id", "value", "status"))
    ranked = benchmark(values.select("geo", "value"), indicator.polarity)
    mine = ranked.filter(pl.col("geo") == geo.code)
    row = mine.row(0, named=True) if mine.height else {}
    peers = [g for g in (geo.region, _group_geography(geo), Geography.objects.filter(code=COUNTRY_CODE).first()) if g]
    stored = dict(
        Observation.objects.filter(series=indicator.id, period=period, geo__in=peers).values_list("geo_id", "value")
    )
    return Position(
        period,
        row.get("value"),
        row.get("rank"),
        int(ranked["value"].is_not_null().sum()),
        row.get("percentile"),
        row.get("quartile"),
        row.get("distance_to_best_quartile"),
        [(g, stored.get(g.code)) for g in peers],
    )


def _group_geography(geo: Geography) -> Geography | None:
    if geo.group_id is None:
        return None
    return Geography.objects.filter(code=group_code(geo.group_id)).first()


@dataclass(frozen=True)
class ExpectedView:
    """Expected vs actual for one municipality, ready to show (or the reason it is not meaningful)."""

    meaningful: bool
    reason: str
    r2: float | None = None
    expected: float | None = None
    actual: float | None = None
    residual: float | None = None
    residual_percentile: float | None = None
    better: bool | None = None


def expected_for(indicator: Indicator, geo: str) -> ExpectedView:
    """Regress the indicator's latest municipal values on the structural variables; the municipality's part."""
    if indicator.id in STRUCTURE:
        return ExpectedView(False, "indikatoren er selv en af de strukturelle variable")
    latest = latest_municipal_values([*STRUCTURE, indicator.id])
    matrix = peer_matrix(latest)
    mine = latest.filter(pl.col("series") == indicator.id)
    cells = dict(mine.select("geo", "value").iter_rows())
    y = np.array([cells.get(g) if cells.get(g) is not None else np.nan for g in matrix.geos], dtype=float)
    # Variables nobody has yet (not loaded) cannot explain anything; leave them out of the model.
    usable = ~np.isnan(matrix.values).all(axis=0)
    result = expected_vs_actual(matrix.geos, y, matrix.values[:, usable])
    if not result.meaningful:
        return ExpectedView(False, result.reason, result.r2)
    if geo not in result.expected:
        return ExpectedView(
            False, "kommunen mangler tal for indikatoren eller en af de strukturelle variable", result.r2
        )
    residual = result.residual[geo]
    better = None if indicator.polarity == "neutral" else (residual > 0) == (indicator.polarity == "higher_better")
    return ExpectedView(
        True, "", result.r2, result.expected[geo], cells.get(geo), residual, result.residual_percentile[geo], better
    )
