"""Minimumsnormering: at least one adult per three children aged 0–2 and per six from 3 to school start.

Dagtilbudsloven § 19 a: stk. 1 sets the ratios for daginstitutioner; stk. 2 counts a child at 1:3
until the first of the month after the third birthday, even after moving to kindergarten; stk. 3
makes the ratio an annual average over the whole municipality, not per institution. Bekendtgørelse
nr. 1809 af 28/12/2023 sets which staff count and how much; the weights of leaders and trainees are
parameters here, because the values must be taken from the current bekendtgørelse.

Danmarks Statistik's published figure (BOERN8) is not the legal one: leaders count fully there, and
children who move up early count as kindergarten children. The result shows both and the difference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lokalkompas.legal.base import Rule, RuleResult, months_between
from lokalkompas.lib.formatting import format_number
from lokalkompas.lib.periods import parse_period

RULE = Rule(
    id="minimumsnormering",
    title="Minimumsnormering i daginstitutioner (1:3 og 1:6 som årligt gennemsnit i kommunen)",
    legal_reference="Dagtilbudsloven § 19 a; bek. nr. 1809 af 28/12/2023",
    margin_unit="fuldtidsvoksne",
    inputs=(
        "fuldtidsomregnede barneår 0–2 år og 3–5 år",
        "barneår for børn under 3 år, der er rykket i børnehave",
        "fuldtidsomregnet pædagogisk personale, ledere og studerende pr. aldersgruppe",
        "Danmarks Statistiks offentliggjorte normering (BOERN8)",
    ),
    caveats=(
        "Særlige dagtilbud og personale betalt af statslige puljer indgår ikke.",
        "Vægtene for ledere og studerende skal svare til den gældende bekendtgørelse.",
    ),
)

NURSERY_MAX = 3.0
KINDERGARTEN_MAX = 6.0


@dataclass(frozen=True)
class Parameters:
    """Named weights from bek. nr. 1809/2023, set by the operator from the current text."""

    leader_weight: float = 1.0  # bek. 1809/2023: ledernes andel af tiden med børnene
    trainee_weight: float = 1.0  # bek. 1809/2023: pædagogstuderende og pædagogisk assistentelever
    max_lag_months: int = 24  # older data than this cannot decide the current year

    @classmethod
    def from_settings(cls) -> Parameters:
        from django.conf import settings

        return cls(settings.NORMERING_LEADER_WEIGHT, settings.NORMERING_TRAINEE_WEIGHT)


@dataclass(frozen=True)
class Staff:
    pedagogical: float  # pædagoger, assistenter og medhjælpere
    leaders: float = 0.0
    trainees: float = 0.0

    def weighted(self, p: Parameters) -> float:
        return self.pedagogical + self.leaders * p.leader_weight + self.trainees * p.trainee_weight


@dataclass(frozen=True)
class Inputs:
    period: str  # the year the annual average covers, e.g. "2024"
    children_0_2: float | None
    children_3_5: float | None
    staff_0_2: Staff | None
    staff_3_5: Staff | None
    moved_before_3: float = 0.0  # child-years of under-3s already in kindergarten (§ 19 a, stk. 2)
    published_0_2: float | None = None
    published_3_5: float | None = None


def evaluate(inputs: Inputs, today: dt.date, params: Parameters = Parameters()) -> RuleResult:
    period = parse_period(inputs.period)
    lag = months_between(period.end, today)
    missing = [
        name
        for name, value in (
            ("barneår 0–2 år", inputs.children_0_2),
            ("barneår 3–5 år", inputs.children_3_5),
            ("personale 0–2 år", inputs.staff_0_2),
            ("personale 3–5 år", inputs.staff_3_5),
        )
        if value is None
    ]
    if missing:
        return _undecided(inputs, lag, f"Der mangler data: {', '.join(missing)}.")
    if lag > params.max_lag_months:
        return _undecided(
            inputs, lag, f"Data for {inputs.period} er {lag} måneder gamle; de kan ikke afgøre kravet i dag."
        )
    assert inputs.children_0_2 is not None and inputs.children_3_5 is not None
    assert inputs.staff_0_2 is not None and inputs.staff_3_5 is not None
    nursery_staff = inputs.staff_0_2.weighted(params)
    kindergarten_staff = inputs.staff_3_5.weighted(params)
    if nursery_staff <= 0 or kindergarten_staff <= 0:
        return _undecided(inputs, lag, "Personaletallet er 0; normeringen kan ikke beregnes.")
    # The law's test is a municipal annual average: the weighted staff must cover every child-year at
    # its ratio. Under-3s already in kindergarten count at 1:3, not 1:6 (stk. 2).
    required = (inputs.children_0_2 + inputs.moved_before_3) / NURSERY_MAX + (
        inputs.children_3_5 - inputs.moved_before_3
    ) / KINDERGARTEN_MAX
    margin = nursery_staff + kindergarten_staff - required
    # The two ratios as UVM and DST communicate them, with the weighted staff.
    legal_0_2 = inputs.children_0_2 / nursery_staff
    legal_3_5 = inputs.children_3_5 / kindergarten_staff
    ok = margin >= -1e-9
    explanation = (
        f"Lovens opgørelse for {inputs.period}: kravet er {format_number(required, 1)} fuldtidsvoksne; "
        f"kommunen har {format_number(nursery_staff + kindergarten_staff, 1)} efter lovens vægte "
        f"({format_number(legal_0_2, 2)} børn pr. voksen for 0–2 år og {format_number(legal_3_5, 2)} for 3–5 år)."
    )
    return RuleResult(
        rule=RULE.id,
        outcome="opfyldt" if ok else "ikke opfyldt",
        margin=margin,
        period=inputs.period,
        lag_months=lag,
        explanation=explanation,
        caveats=RULE.caveats,
        due=None,
        details={
            "lovens_normering_0_2": legal_0_2,
            "lovens_normering_3_5": legal_3_5,
            "offentliggjort_normering_0_2": inputs.published_0_2,
            "offentliggjort_normering_3_5": inputs.published_3_5,
            "forskel_0_2": None if inputs.published_0_2 is None else legal_0_2 - inputs.published_0_2,
            "forskel_3_5": None if inputs.published_3_5 is None else legal_3_5 - inputs.published_3_5,
        },
    )


def _undecided(inputs: Inputs, lag: int, why: str) -> RuleResult:
    # The published figures are still worth showing when the legal count cannot be made.
    published = {
        "offentliggjort_normering_0_2": inputs.published_0_2,
        "offentliggjort_normering_3_5": inputs.published_3_5,
    }
    return RuleResult(RULE.id, "kan ikke afgøres", None, inputs.period, lag, why, RULE.caveats, published)


def no_data() -> RuleResult:
    """Nothing at all is stored for the municipality."""
    why = "Der er hverken barneår, personaletal eller offentliggjort normering for kommunen."
    return RuleResult(RULE.id, "kan ikke afgøres", None, None, None, why, RULE.caveats)


# Test vectors: (inputs, today, parameters, expected outcome, expected margin in staff or None).
TODAY = dt.date(2026, 11, 27)
TEST_VECTORS: list[tuple[Inputs, dt.date, Parameters, str, float | None]] = [
    # Exactly on the line: 300 children, 100 adults (3.0) and 600 children, 100 adults (6.0) is met.
    (Inputs("2025", 300, 600, Staff(100), Staff(100)), TODAY, Parameters(), "opfyldt", 0.0),
    # One child too many in the nursery count.
    (Inputs("2025", 301, 600, Staff(100), Staff(100)), TODAY, Parameters(), "ikke opfyldt", -1 / 3),
    # Leaders at half weight turn a compliant published figure into a breach.
    (
        Inputs("2025", 300, 600, Staff(94, leaders=10), Staff(100)),
        TODAY,
        Parameters(leader_weight=0.5),
        "ikke opfyldt",
        -1.0,
    ),
    # Ten under-3s moved to kindergarten count at 1:3.
    (Inputs("2025", 290, 610, Staff(100), Staff(100), moved_before_3=10), TODAY, Parameters(), "opfyldt", 0.0),
    (Inputs("2025", None, 600, Staff(100), Staff(100)), TODAY, Parameters(), "kan ikke afgøres", None),
    (Inputs("2022", 300, 600, Staff(100), Staff(100)), TODAY, Parameters(), "kan ikke afgøres", None),
]
