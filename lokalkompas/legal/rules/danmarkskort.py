"""Danmarkskortet: treated by the council in a meeting every year.

Ankestyrelsen publishes a yearly map of how many of each municipality's decisions in social cases
about children and adults are reversed on appeal. Since L 151 (2021-22) the council must treat the
map in a meeting once a year and decide whether an action plan is needed; Ankestyrelsen can order one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lokalkompas.legal.base import Rule, RuleResult
from lokalkompas.legal.duties import once_a_year

RULE = Rule(
    id="danmarkskort-behandlet",
    title="Danmarkskortet er behandlet i kommunalbestyrelsen i årets løb",
    legal_reference="Serviceloven og barnets lov, som ændret ved L 151 (2021-22)",
    inputs=("datoer for kommunalbestyrelsens behandling af Danmarkskortet",),
    caveats=("Kravet omfatter også en beslutning om, hvorvidt der skal laves en handleplan.",),
    margin_unit="dage",
)


def evaluate(dates: Sequence[dt.date], today: dt.date) -> RuleResult:
    return once_a_year(RULE, dates, today, "kommunalbestyrelsens behandling af Danmarkskortet")


TODAY = dt.date(2026, 11, 27)
TEST_VECTORS: list[tuple[list[dt.date], dt.date, str, float | None]] = [
    # Treated on 31 December: met for the year, no margin.
    ([dt.date(2026, 12, 31)], dt.date(2026, 12, 31), "opfyldt", 0.0),
    # Treated last year, not yet this year: not met yet, 34 days left.
    ([dt.date(2025, 9, 24)], TODAY, "ikke opfyldt", 34.0),
    # Last treated two years ago: last year was missed, a breach (331 days since its deadline).
    ([dt.date(2024, 9, 24)], TODAY, "ikke opfyldt", -331.0),
    ([], TODAY, "kan ikke afgøres", None),
]
