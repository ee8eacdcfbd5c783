"""The one shape every legal rule has: what it is, and the result it gives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["opfyldt", "ikke opfyldt", "kan ikke afgøres"]
OUTCOMES: tuple[Outcome, ...] = ("opfyldt", "ikke opfyldt", "kan ikke afgøres")


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    legal_reference: str
    inputs: tuple[str, ...]
    caveats: tuple[str, ...] = ()
    # What the margin is counted in ("fuldtidsvoksne", "dage").
    margin_unit: str = ""


@dataclass(frozen=True)
class RuleResult:
    rule: str
    outcome: Outcome
    # How far from the line, in the rule's margin unit (positive = room to spare); None when undecidable.
    margin: float | None
    # The data period (a DST period like "2024") or the span the duty covers ("valgperioden 2026–2029").
    period: str | None
    # Months from the end of the data period to the day of the evaluation; None where the input is a
    # register the municipality keeps up to date itself.
    lag_months: int | None
    explanation: str
    caveats: tuple[str, ...] = ()
    details: dict[str, float | None] = field(default_factory=dict)
    # The deadline the duty has, if it has one. "ikke opfyldt" before the deadline is not yet a breach.
    due: dt.date | None = None
    overdue: bool = False
    # Computed from synthetic demo data (or demo decisions): every page and printout must say DEMO.
    demo: bool = False

    @property
    def is_breach(self) -> bool:
        """Not met, and no time left to meet it (rules without a deadline are breached when not met)."""
        return self.outcome == "ikke opfyldt" and (self.due is None or self.overdue)


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month
