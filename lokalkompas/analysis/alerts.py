"""Alerts: one list per municipality of what the council should look at, each with the page that explains it.

Pure functions: each turns one kind of evidence into alerts; `collect` orders them. The four kinds are
legal breaches (and deadlines near), budget overruns the year-end forecast warns of, indicators in the
worst tenth of the 98, clearly adverse trends, and values the source has revised lately.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import polars as pl

from lokalkompas.analysis.trend import Trend
from lokalkompas.legal.base import RuleResult
from lokalkompas.lib.formatting import format_date, format_number

Kind = Literal["lovkrav", "budget", "frist", "placering", "udvikling", "revision"]
# Lower is more urgent; the list is sorted by it.
SEVERITY: dict[Kind, int] = {"lovkrav": 1, "budget": 2, "frist": 3, "placering": 4, "udvikling": 5, "revision": 6}
WORST_SHARE = 0.10
DEADLINE_WARNING_DAYS = 120


@dataclass(frozen=True)
class Alert:
    kind: Kind
    subject: str  # the rule or indicator id
    title: str
    text: str
    url: str
    demo: bool = False

    @property
    def severity(self) -> int:
        return SEVERITY[self.kind]


def legal_alerts(
    results: Iterable[RuleResult], titles: dict[str, str], today: dt.date, url: Callable[[str], str]
) -> list[Alert]:
    """Breaches, and unmet duties whose deadline is less than DEADLINE_WARNING_DAYS away."""
    out = []
    for r in results:
        if r.is_breach:
            out.append(Alert("lovkrav", r.rule, titles[r.rule], r.explanation, url(r.rule), r.demo))
        elif r.outcome == "ikke opfyldt" and r.due is not None and (r.due - today).days <= DEADLINE_WARNING_DAYS:
            text = f"Fristen er {format_date(r.due)}. {r.explanation}"
            out.append(Alert("frist", r.rule, titles[r.rule], text, url(r.rule), r.demo))
    return out


def worst_decile(ranked: pl.DataFrame, geo: str) -> pl.DataFrame:
    """Rows of `ranked` (series, geo, period, value, rank, n, demo) where `geo` is in the worst tenth."""
    limit = pl.max_horizontal(pl.lit(1), (pl.col("n") * WORST_SHARE).floor())
    return ranked.filter((pl.col("geo") == geo) & (pl.col("rank") > pl.col("n") - limit))


def position_alerts(
    worst: pl.DataFrame, names: dict[str, tuple[str, str, int]], url: Callable[[str], str]
) -> list[Alert]:
    """`names`: indicator id -> (short name, unit, decimals)."""
    out = []
    for row in worst.sort("series").iter_rows(named=True):
        name, unit, decimals = names[row["series"]]
        text = (
            f"{format_number(row['value'], decimals)} {unit} i {row['period']}: nr. {row['rank']} af {row['n']} "
            "kommuner, blandt de 10 % dårligste."
        )
        out.append(Alert("placering", row["series"], name, text, url(row["series"]), row["demo"]))
    return out


def trend_alerts(
    trends: dict[str, Trend], names: dict[str, tuple[str, str, int]], demo: set[str], url: Callable[[str], str]
) -> list[Alert]:
    out = []
    for series, t in sorted(trends.items()):
        if t.direction != "dårligere" or t.slope is None:
            continue
        name, unit, decimals = names[series]
        text = f"Klart dårligere udvikling de seneste år: {format_number(t.slope, decimals + 1)} {unit} om året."
        out.append(Alert("udvikling", series, name, text, url(series), series in demo))
    return out


@dataclass(frozen=True)
class RevisedValue:
    series: str  # the indicator the revised value belongs to
    period: str
    old_value: float | None
    new_value: float | None
    when: dt.datetime
    demo: bool


def revision_alerts(
    revised: Iterable[RevisedValue], names: dict[str, tuple[str, str, int]], url: Callable[[str], str]
) -> list[Alert]:
    """One alert per indicator, naming its revised periods."""
    by_series: dict[str, list[RevisedValue]] = {}
    for r in revised:
        by_series.setdefault(r.series, []).append(r)
    out = []
    for series, items in sorted(by_series.items()):
        name, unit, decimals = names[series]
        parts = [
            f"{r.period}: {format_number(r.old_value, decimals)} → {format_number(r.new_value, decimals)} {unit}"
            for r in sorted(items, key=lambda r: r.period)
        ]
        text = f"Kilden har revideret tal, senest {format_date(max(r.when for r in items).date())}: {'; '.join(parts)}."
        out.append(Alert("revision", series, name, text, url(series), any(r.demo for r in items)))
    return out


@dataclass(frozen=True)
class BudgetSignal:
    """What the alerts need of a year-end forecast that raised the early warning."""

    area: str
    area_name: str
    deviation: float  # 1.000 kr.
    share: float | None
    reason: str
    demo: bool


def budget_alerts(signals: Iterable[BudgetSignal], url: Callable[[str], str]) -> list[Alert]:
    alerts = []
    for s in signals:
        amount = format_number(s.deviation / 1000, 1)
        share = f" ({format_number(s.share * 100, 1)} %)" if s.share is not None else ""
        direction = "over" if s.deviation > 0 else "under"
        alerts.append(
            Alert(
                "budget",
                s.area,
                f"Budgetvarsel: {s.area_name}",
                f"Prognosen for årets forbrug er {amount} mio. kr. {direction} budgettet{share}; {s.reason}.",
                url(s.area),
                s.demo,
            )
        )
    return alerts


def collect(*groups: list[Alert]) -> list[Alert]:
    """All alerts, most urgent first, then by title for a stable page."""
    return sorted((a for g in groups for a in g), key=lambda a: (a.severity, a.title))
