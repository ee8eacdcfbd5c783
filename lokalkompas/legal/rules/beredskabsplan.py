"""Beredskabsplanen and the plan for risk-based sizing: adopted at least once in every election term.

Beredskabsloven § 25 (LBK nr. 314 af 3/4/2017): the council adopts a plan for the municipality's
preparedness in a meeting, revises it when needed and at least once per term, and sends it to
Beredskabsstyrelsen. Bek. nr. 1085 af 25/10/2019 asks the same of the plan for the rescue service's
risk-based sizing (risikoprofil, serviceniveau, dimensionering).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lokalkompas.legal.base import Rule, RuleResult
from lokalkompas.legal.duties import once_per_term

RULE = Rule(
    id="beredskabsplan-pr-valgperiode",
    title="Beredskabsplanen er vedtaget i kommunalbestyrelsen i den nuværende valgperiode",
    legal_reference="Beredskabsloven § 25 (LBK nr. 314 af 3/4/2017)",
    inputs=("datoer for kommunalbestyrelsens vedtagelse af beredskabsplanen",),
    caveats=("Planen skal også sendes til Beredskabsstyrelsen; det registreres ikke her.",),
    margin_unit="dage",
)

SIZING_RULE = Rule(
    id="risikobaseret-dimensionering-pr-valgperiode",
    title="Planen for risikobaseret dimensionering er vedtaget i den nuværende valgperiode",
    legal_reference="Bek. nr. 1085 af 25/10/2019 om risikobaseret kommunalt redningsberedskab",
    inputs=("datoer for kommunalbestyrelsens vedtagelse af planen for risikobaseret dimensionering",),
    caveats=("Er redningsberedskabet fælleskommunalt, vedtager hver deltagende kommune planen.",),
    margin_unit="dage",
)


def evaluate(dates: Sequence[dt.date], today: dt.date) -> RuleResult:
    return once_per_term(RULE, dates, today, "vedtagelse af beredskabsplanen")


def evaluate_sizing(dates: Sequence[dt.date], today: dt.date) -> RuleResult:
    return once_per_term(SIZING_RULE, dates, today, "vedtagelse af planen for risikobaseret dimensionering")


TODAY = dt.date(2026, 11, 27)
# (dates, today, expected outcome, expected margin in days or None)
TEST_VECTORS: list[tuple[list[dt.date], dt.date, str, float | None]] = [
    # Adopted on the term's first day: met, with the whole term to spare.
    ([dt.date(2026, 1, 1)], TODAY, "opfyldt", 1460.0),
    # Adopted on the term's last day: met, no margin.
    ([dt.date(2029, 12, 31)], dt.date(2029, 12, 31), "opfyldt", 0.0),
    # Only in the previous term: not met yet; 1,130 days left.
    ([dt.date(2023, 5, 2)], TODAY, "ikke opfyldt", 1130.0),
    # The day after the term ended, the old term is history: the new term starts from scratch.
    ([dt.date(2025, 12, 31)], dt.date(2026, 1, 1), "ikke opfyldt", 1460.0),
    # Nothing registered: cannot be decided.
    ([], TODAY, "kan ikke afgøres", None),
    # A date in the future does not count.
    ([dt.date(2027, 3, 1)], TODAY, "kan ikke afgøres", None),
]
