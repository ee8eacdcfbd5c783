"""NIS2: the municipality's information-security policy is approved by its management.

NIS 2-loven (lov nr. 434 af 6/5/2025) covers every municipality. § 6 lists the minimum measures,
starting with risk analysis and information-security policies, and the management body must approve
them and oversee their implementation. The law sets no interval; Lokalkompas notes a policy older than
a year because the risk picture it rests on is reviewed yearly in practice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lokalkompas.legal.base import Rule, RuleResult, months_between
from lokalkompas.lib.formatting import format_date

RULE = Rule(
    id="nis2-sikkerhedspolitik",
    title="Informationssikkerhedspolitikken efter NIS2 er godkendt af ledelsen",
    legal_reference="NIS 2-loven (lov nr. 434 af 6/5/2025) § 6",
    inputs=("datoer for ledelsens godkendelse af informationssikkerhedspolitikken",),
    caveats=("Loven kræver også risikostyring, hændelsesrapportering og registrering; de registreres ikke her.",),
    margin_unit="",
)
REVIEW_MONTHS = 12


def evaluate(dates: Sequence[dt.date], today: dt.date) -> RuleResult:
    past = sorted(d for d in dates if d <= today)
    if not past:
        return RuleResult(
            RULE.id,
            "kan ikke afgøres",
            None,
            None,
            None,
            "Lokalkompas har ingen registrering af ledelsens godkendelse af informationssikkerhedspolitikken. "
            "Registrér beslutningen, så kan kravet afgøres.",
            RULE.caveats,
        )
    latest = past[-1]
    age = months_between(latest, today)
    caveats = RULE.caveats
    if age > REVIEW_MONTHS:
        caveats = (*caveats, f"Politikken blev godkendt for {age} måneder siden; ledelsen bør gennemgå den årligt.")
    return RuleResult(
        RULE.id,
        "opfyldt",
        None,
        str(latest.year),
        age,
        f"Ledelsen godkendte informationssikkerhedspolitikken {format_date(latest)}.",
        caveats,
    )


TODAY = dt.date(2026, 11, 27)
TEST_VECTORS: list[tuple[list[dt.date], dt.date, str, float | None]] = [
    ([dt.date(2025, 6, 30)], TODAY, "opfyldt", None),
    ([dt.date(2026, 11, 27)], TODAY, "opfyldt", None),
    ([], TODAY, "kan ikke afgøres", None),
    ([dt.date(2026, 12, 1)], TODAY, "kan ikke afgøres", None),
]
