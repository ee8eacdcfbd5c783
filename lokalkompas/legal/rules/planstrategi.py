"""Planstrategien: published before the end of the first half of the election term.

Planloven § 23 a: the council publishes a planstrategi in the first half of every term and decides
in it how much of the kommuneplan to revise. For the term 2026–2029 the deadline is 31 December 2027.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lokalkompas.legal.base import Rule, RuleResult
from lokalkompas.legal.duties import in_first_half_of_term

RULE = Rule(
    id="planstrategi-rettidig",
    title="Planstrategien er offentliggjort inden udgangen af valgperiodens første halvdel",
    legal_reference="Planloven § 23 a",
    inputs=("datoer for offentliggørelse af den vedtagne planstrategi",),
    caveats=("Planstrategien skal også tage stilling til, om kommuneplanen revideres helt eller delvist.",),
    margin_unit="dage",
)


def evaluate(dates: Sequence[dt.date], today: dt.date) -> RuleResult:
    return in_first_half_of_term(RULE, dates, today, "offentliggørelse af planstrategien")


TODAY = dt.date(2026, 11, 27)
TEST_VECTORS: list[tuple[list[dt.date], dt.date, str, float | None]] = [
    # Published on the deadline day itself: met, no margin.
    ([dt.date(2027, 12, 31)], dt.date(2028, 3, 1), "opfyldt", 0.0),
    # Published a day late: not met, one day over.
    ([dt.date(2028, 1, 1)], dt.date(2028, 3, 1), "ikke opfyldt", -1.0),
    # Last term's strategy only, deadline ahead: not met yet, 399 days left.
    ([dt.date(2023, 11, 1)], TODAY, "ikke opfyldt", 399.0),
    # Last term's strategy only, deadline passed: not met, 61 days over.
    ([dt.date(2023, 11, 1)], dt.date(2028, 3, 1), "ikke opfyldt", -61.0),
    ([], TODAY, "kan ikke afgøres", None),
]
