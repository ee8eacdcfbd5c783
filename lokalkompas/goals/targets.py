"""The target helper: suggested targets for a goal, each with the value it implies, and the legal check.

Four suggestions, each computed from the stored data and explained in a sentence:
- reach the median of the municipality's group (DST's municipality groups, latest period);
- reach the edge of the best quarter of the 98 municipalities (the same edge `analysis.benchmark` uses);
- continue the municipality's own linear trend to the end of the target period;
- the legal limit, where the indicator has one (`legal_threshold` in its definition).

A suggestion that cannot be computed (no data, no direction, too short a series) is shown with the
reason instead of a value; nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from lokalkompas.analysis.benchmark import best_quartile_edge
from lokalkompas.analysis.service import latest_municipal_values
from lokalkompas.indicators.models import Observation
from lokalkompas.indicators.schema import Indicator
from lokalkompas.lib.formatting import format_number, genitive
from lokalkompas.lib.periods import parse_period
from lokalkompas.registry.models import Geography

# A trend needs a few points to mean anything; more than six years back says little about the next four.
TREND_MIN_POINTS = 3
TREND_MAX_POINTS = 6


@dataclass(frozen=True)
class Suggestion:
    key: str
    label: str
    value: float | None
    explanation: str


def _year_fraction(period: str, end: bool) -> float:
    """A period's start or end as a decimal year (2024K2 end -> 2024.5), for straight-line fits."""
    parsed = parse_period(period)
    day = parsed.end if end else parsed.start
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def trend_value(points: list[tuple[str, float]], target_period: str) -> float | None:
    """Least-squares straight line through the last points, read at the end of the target period."""
    recent = sorted(points)[-TREND_MAX_POINTS:]
    if len(recent) < TREND_MIN_POINTS:
        return None
    x = np.array([_year_fraction(p, end=True) for p, _ in recent])
    y = np.array([v for _, v in recent])
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope * _year_fraction(target_period, end=True) + intercept)


def legal_warning(indicator: Indicator, target: float | None) -> str | None:
    """A Danish warning when the target is on the wrong side of the indicator's legal limit."""
    limit = indicator.legal_threshold
    if limit is None or target is None:
        return None
    unit = f" {indicator.unit}" if indicator.unit else ""
    shown = format_number(limit.value, indicator.decimals)
    if limit.kind == "max" and target > limit.value:
        return f"Målet ligger over lovkravets grænse på højst {shown}{unit} ({limit.rule})."
    if limit.kind == "min" and target < limit.value:
        return f"Målet ligger under lovkravets minimum på {shown}{unit} ({limit.rule})."
    return None


def _latest(indicator: Indicator) -> tuple[str | None, dict[str, float]]:
    frame = latest_municipal_values([indicator.id]).filter(pl.col("value").is_not_null())
    if frame.is_empty():
        return None, {}
    return str(frame["period"][0]), dict(frame.select("geo", "value").iter_rows())


def group_median(indicator: Indicator, geo: Geography) -> Suggestion:
    label = "Kommunegruppens median"
    period, values = _latest(indicator)
    if geo.group_id is None or period is None:
        return Suggestion("gruppe", label, None, "Kan ikke beregnes: der er ingen tal for kommunegruppen.")
    members = Geography.objects.filter(group_id=geo.group_id, kind=Geography.Kind.MUNICIPALITY)
    found = [values[m.code] for m in members if m.code in values]
    if not found:
        return Suggestion("gruppe", label, None, "Kan ikke beregnes: ingen kommuner i gruppen har tal.")
    return Suggestion(
        "gruppe",
        label,
        float(np.median(found)),
        f"Medianen af de {len(found)} kommuner i {genitive(geo.name)} kommunegruppe i {parse_period(period).label()}.",
    )


def best_quartile(indicator: Indicator) -> Suggestion:
    label = "Den bedste fjerdedel"
    if indicator.polarity == "neutral":
        return Suggestion("kvartil", label, None, "Indikatoren har ingen bedre eller dårligere retning.")
    period, values = _latest(indicator)
    if period is None:
        return Suggestion("kvartil", label, None, "Kan ikke beregnes: ingen kommuner har tal.")
    edge = best_quartile_edge(pl.Series(list(values.values()), dtype=pl.Float64), indicator.polarity)
    return Suggestion(
        "kvartil",
        label,
        edge,
        f"Grænsen til den bedste fjerdedel af de {len(values)} kommuner med tal i {parse_period(period).label()}.",
    )


def continued_trend(indicator: Indicator, geo: Geography, target_period: str) -> Suggestion:
    label = "Udviklingen fortsætter"
    rows = Observation.objects.filter(series=indicator.id, geo=geo, breakdown="", value__isnull=False)
    points = [(p, float(v)) for p, v in rows.values_list("period", "value") if v is not None]
    value = trend_value(points, target_period) if target_period else None
    if value is None:
        return Suggestion(
            "trend",
            label,
            None,
            f"Kan ikke beregnes: kræver mindst {TREND_MIN_POINTS} perioder med tal og en målperiode.",
        )
    used = sorted(points)[-TREND_MAX_POINTS:]
    first, last = parse_period(used[0][0]).label(), parse_period(used[-1][0]).label()
    until = parse_period(target_period).label()
    return Suggestion(
        "trend",
        label,
        value,
        f"Den rette linje gennem {genitive(geo.name)} tal {first}–{last}, forlænget til {until}.",
    )


def legal_limit(indicator: Indicator) -> Suggestion | None:
    limit = indicator.legal_threshold
    if limit is None:
        return None
    word = "højst" if limit.kind == "max" else "mindst"
    return Suggestion(
        "lovkrav",
        "Lovkravet",
        limit.value,
        f"Loven kræver {word} {format_number(limit.value, indicator.decimals)} {indicator.unit} ({limit.rule}).",
    )


def suggestions(indicator: Indicator, geo: Geography, target_period: str) -> list[Suggestion]:
    found = [group_median(indicator, geo), best_quartile(indicator), continued_trend(indicator, geo, target_period)]
    limit = legal_limit(indicator)
    return [*found, limit] if limit else found


def baseline_from_data(indicator_id: str, geo: str) -> tuple[float, str] | None:
    """The municipality's newest value of the indicator and its period: the default baseline."""
    row = (
        Observation.objects.filter(series=indicator_id, geo_id=geo, breakdown="", value__isnull=False)
        .order_by("-period")
        .values_list("value", "period")
        .first()
    )
    return (float(row[0]), str(row[1])) if row and row[0] is not None else None
