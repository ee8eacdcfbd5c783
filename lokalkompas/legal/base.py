"""The one shape every legal rule has: what it is, and the result it gives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["opfyldt", "ikke opfyldt", "kan ikke afgøres"]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    legal_reference: str
    inputs: tuple[str, ...]
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleResult:
    rule: str
    outcome: Outcome
    # How far from the line, in the rule's own unit (positive = room to spare); None when undecidable.
    margin: float | None
    period: str | None
    # Months from the end of the data period to the day of the evaluation.
    lag_months: int | None
    explanation: str
    caveats: tuple[str, ...] = ()
    details: dict[str, float | None] = field(default_factory=dict)


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month
