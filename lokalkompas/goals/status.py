"""A goal's status from the data: the latest value against a straight path from baseline to target.

The path runs from the baseline value at the end of the baseline period to the target value at the end
of the target period. At the end of the latest period with a value, the path says where the
municipality should be; the shortfall, in the goal's own direction, is compared with a tolerance that
is a share of the whole planned change:

- `nået`: the latest value meets the target (in the goal's direction);
- `på sporet`: at most one tolerance behind the path;
- `i risiko`: more than one and at most two tolerances behind;
- `ikke på sporet`: further behind, or the target period has ended without the target met;
- `mangler data`: no value after the baseline.

A goal to hold a level (target equal to baseline) uses the polarity for its direction and a tolerance
relative to the level itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lokalkompas.lib.periods import parse_period

Status = Literal["på sporet", "i risiko", "ikke på sporet", "nået", "mangler data"]
STATUSES: tuple[Status, ...] = ("nået", "på sporet", "i risiko", "ikke på sporet", "mangler data")
DEFAULT_TOLERANCE = 0.10


@dataclass(frozen=True)
class GoalSpec:
    baseline: float
    baseline_period: str
    target: float
    target_period: str
    # Which way is better when the target equals the baseline (a goal to hold a level).
    higher_is_better: bool = True
    tolerance: float = DEFAULT_TOLERANCE


@dataclass(frozen=True)
class GoalStatus:
    status: Status
    expected: float | None  # where the path says the value should be at the latest period
    actual: float | None
    period: str | None
    explanation: str


def _position(spec: GoalSpec, period: str) -> float:
    """How far along the path the end of `period` lies: 0 at the baseline, 1 at the target (clipped)."""
    start, end, at = (parse_period(p).end for p in (spec.baseline_period, spec.target_period, period))
    span = (end - start).days
    if span <= 0:
        return 1.0
    return min(max((at - start).days / span, 0.0), 1.0)


def goal_status(spec: GoalSpec, observations: list[tuple[str, float | None]]) -> GoalStatus:
    """`observations`: (period, value) of the goal's indicator, any order; values before or at the
    baseline period do not count as progress."""
    baseline_end = parse_period(spec.baseline_period).end
    after = sorted(
        ((p, v) for p, v in observations if v is not None and parse_period(p).end > baseline_end),
        key=lambda pv: parse_period(pv[0]).end,
    )
    if not after:
        return GoalStatus("mangler data", None, None, None, "Der er ingen tal efter udgangsperioden endnu.")
    period, actual = after[-1]
    change = spec.target - spec.baseline
    direction = (1.0 if change > 0 else -1.0) if change else (1.0 if spec.higher_is_better else -1.0)
    scale = abs(change) if change else abs(spec.baseline)
    band = spec.tolerance * scale
    expected = spec.baseline + change * _position(spec, period)
    if (actual - spec.target) * direction >= 0:
        return GoalStatus("nået", expected, actual, period, "Målet er nået.")
    behind = (expected - actual) * direction
    target_over = parse_period(period).end >= parse_period(spec.target_period).end
    if target_over and change:
        status: Status = "ikke på sporet"
        why = "Målperioden er nået, uden at målet er nået."
    elif behind <= band:
        status, why = "på sporet", "Tallet følger den planlagte vej mod målet."
    elif behind <= 2 * band:
        status, why = "i risiko", "Tallet er bagud i forhold til den planlagte vej mod målet."
    else:
        status, why = "ikke på sporet", "Tallet er langt bagud i forhold til den planlagte vej mod målet."
    return GoalStatus(status, expected, actual, period, why)
