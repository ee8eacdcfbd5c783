"""Trends: the change since the previous period and a robust yearly slope (Theil–Sen) over five periods.

Whether a trend is "clearly more than noise" is judged against the series' own year-to-year scatter:
the five-period change must exceed twice the median absolute deviation of the residuals around the
Theil–Sen line. Direction is judged by polarity: a rising value is an improvement only when higher is better.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from statistics import median
from typing import Literal

Direction = Literal["bedre", "dårligere", "uændret", "stigende", "faldende", "ukendt"]
WINDOW = 5


@dataclass(frozen=True)
class Trend:
    change: float | None
    slope: float | None
    clear: bool
    direction: Direction


def theil_sen(xs: list[float], ys: list[float]) -> float | None:
    """Median of the pairwise slopes; None with fewer than two points."""
    slopes = [(y2 - y1) / (x2 - x1) for (x1, y1), (x2, y2) in combinations(zip(xs, ys, strict=True), 2) if x2 != x1]
    return median(slopes) if slopes else None


def trend(points: list[tuple[float, float | None]], polarity: str) -> Trend:
    """`points` are (time in years, value) in time order; missing values are skipped."""
    known = [(x, y) for x, y in points if y is not None]
    if len(known) < 2:
        return Trend(None, None, False, "ukendt")
    change = known[-1][1] - known[-2][1]
    window = known[-WINDOW:]
    xs, ys = [x for x, _ in window], [y for _, y in window]
    slope = theil_sen(xs, ys)
    if slope is None:
        return Trend(change, None, False, "ukendt")
    intercept = median(y - slope * x for x, y in window)
    residuals = [y - (intercept + slope * x) for x, y in window]
    scatter = median(abs(r) for r in residuals)
    total = slope * (xs[-1] - xs[0])
    clear = len(window) >= 3 and abs(total) > 2 * scatter and total != 0
    return Trend(change, slope, clear, _direction(slope, clear, polarity))


def _direction(slope: float, clear: bool, polarity: str) -> Direction:
    if not clear:
        return "uændret"
    if polarity == "neutral":
        return "stigende" if slope > 0 else "faldende"
    better = (slope > 0) == (polarity == "higher_better")
    return "bedre" if better else "dårligere"
