"""The demographic model with the store: a municipality's population projection, scenario defaults from
its own indicators, and today's budgets for the three areas the model covers.

The projection is DST's (`befolkningsprognose`, FRKM1yy by single age) or the municipality's own
prognosis (`egen-prognose-*`, uploaded per age group). With both, the own prognosis sets the size of each
age group and DST's projection how the group splits into single ages (classes need one number per year
group); with the own prognosis alone, a group is split evenly over its ages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from lokalkompas.economy.demography import MODEL_AREAS, Assumptions, Population, demand, pressure_sentence
from lokalkompas.economy.service import BUDGET_KINDS
from lokalkompas.indicators.store import read_observations

DST = "dst"
OWN = "egen"
SOURCES = {
    DST: "Danmarks Statistiks befolkningsfremskrivning (FRKM1åå)",
    OWN: "kommunens egen befolkningsprognose (upload)",
}
PROJECTION_SERIES = "befolkningsprognose"
# The own prognosis' age groups (series suffix -> ages); 67+ and 80+ overlap on purpose.
OWN_GROUPS: dict[str, tuple[int, int]] = {
    "0-2": (0, 2),
    "3-5": (3, 5),
    "6-16": (6, 16),
    "67-plus": (67, 100),
    "80-plus": (80, 100),
}
TOP_AGE = 100


@dataclass(frozen=True)
class Projection:
    source: str  # DST or OWN
    years: dict[int, dict[int, float]]  # year -> age -> persons
    demo: bool

    @property
    def label(self) -> str:
        return SOURCES[self.source]

    @property
    def first_year(self) -> int:
        return min(self.years)


def available_sources(geo: str) -> list[str]:
    """Which projections the store has for a municipality, the own prognosis first."""
    found = set(read_observations([PROJECTION_SERIES, *_own_series()], [geo])["series"].unique().to_list())
    return [s for s in (OWN, DST) if (s == DST and PROJECTION_SERIES in found) or (s == OWN and _own_series() & found)]


def _own_series() -> set[str]:
    return {f"egen-prognose-{suffix}" for suffix in OWN_GROUPS}


def projection(geo: str, source: str | None = None) -> Projection | None:
    """The projection for a municipality: the chosen source, else the own prognosis, else DST's."""
    frame = read_observations([PROJECTION_SERIES, *_own_series()], [geo]).filter(pl.col("value").is_not_null())
    dst = _by_age(frame.filter(pl.col("series") == PROJECTION_SERIES))
    own = _own_groups(frame.filter(pl.col("series") != PROJECTION_SERIES))
    demo = bool(frame.height) and bool((frame["status"] == "demo").any())
    if source == DST or (source is None and not own):
        return Projection(DST, dst, demo) if dst else None
    if not own:
        return None
    return Projection(OWN, combine(own, dst), demo)


def _by_age(frame: pl.DataFrame) -> dict[int, dict[int, float]]:
    years: dict[int, dict[int, float]] = defaultdict(dict)
    for period, breakdown, value in frame.select("period", "breakdown", "value").iter_rows():
        if breakdown.isdigit():
            ages = years[int(period)]
            age = min(int(breakdown), TOP_AGE)
            ages[age] = ages.get(age, 0.0) + value
    return dict(years)


def _own_groups(frame: pl.DataFrame) -> dict[int, dict[str, float]]:
    years: dict[int, dict[str, float]] = defaultdict(dict)
    for series, period, value in frame.select("series", "period", "value").iter_rows():
        years[int(period)][series.removeprefix("egen-prognose-")] = value
    return dict(years)


def combine(
    own: Mapping[int, Mapping[str, float]], dst: Mapping[int, Mapping[int, float]]
) -> dict[int, dict[int, float]]:
    """Single ages from the own prognosis' groups, split like DST's projection of the same year where there
    is one (evenly otherwise). 67–79 is what 67+ leaves after 80+. Ages outside the groups come from DST."""
    out: dict[int, dict[int, float]] = {}
    for year, groups in sorted(own.items()):
        reference = dict(dst.get(year, {}))
        ages = dict(reference)
        bands = {name: OWN_GROUPS[name] for name in groups if name in OWN_GROUPS}
        totals = dict(groups)
        if "67-plus" in totals and "80-plus" in totals:
            bands["67-plus"] = (67, 79)
            totals["67-plus"] = max(totals["67-plus"] - totals["80-plus"], 0.0)
        for name, (low, high) in bands.items():
            ages.update(_split(totals[name], reference, low, high))
        out[year] = ages
    return out


def _split(total: float, reference: Mapping[int, float], low: int, high: int) -> dict[int, float]:
    span = range(low, high + 1)
    weights = [reference.get(age, 0.0) for age in span]
    whole = sum(weights)
    if whole <= 0:
        return {age: total / len(span) for age in span}
    return {age: total * w / whole for age, w in zip(span, weights, strict=True)}


# --- scenario defaults ---------------------------------------------------------------------------------

# Unit costs in 1.000 kr. a year when the user sets none. Rounded national levels, to be replaced by the
# municipality's own prices: the page says so next to each one.
STANDARD_COSTS = {
    "cost_place_0_2": 145.0,
    "cost_place_3_5": 80.0,
    "cost_pupil": 85.0,
    "cost_home_help": 95.0,
    "cost_nursing_place": 480.0,
}
STANDARD = {
    "coverage_0_2": 0.70,
    "coverage_3_5": 0.97,
    "school_share": 0.80,
    "class_size": 22.0,
    "home_help_67": 0.10,
    "nursing_80": 0.12,
} | STANDARD_COSTS
STANDARD_NOTE = "standardantagelse; ret den til kommunens egen"


@dataclass(frozen=True)
class Default:
    value: float
    note: str  # where the value comes from (indicator and period), or that it is a standard assumption
    demo: bool = False


def _latest(frame: pl.DataFrame, series: str) -> tuple[str, float, bool] | None:
    rows = frame.filter((pl.col("series") == series) & pl.col("value").is_not_null() & (pl.col("breakdown") == ""))
    if rows.height == 0:
        return None
    last = rows.sort("period").row(-1, named=True)
    return last["period"], last["value"], last["status"] == "demo"


def defaults(geo: str) -> dict[str, Default]:
    """The scenario's starting point: the municipality's latest own values where the store has them."""
    wanted = ["daekningsgrad-0-2", "daekningsgrad-3-5", "privatskoleandel", "klassekvotient"]
    wanted += ["hjemmehjaelp-andel-67", "aed07-plejebolig-67"]
    frame = read_observations([*wanted, "befolkning-alder"], [geo])
    out = {key: Default(value, STANDARD_NOTE) for key, value in STANDARD.items()}
    for key, series, convert, name in (
        ("coverage_0_2", "daekningsgrad-0-2", lambda v: v / 100, "dækningsgrad 0–2 år"),
        ("coverage_3_5", "daekningsgrad-3-5", lambda v: v / 100, "dækningsgrad 3–5 år"),
        ("school_share", "privatskoleandel", lambda v: 1 - v / 100, "1 − privatskoleandelen"),
        ("class_size", "klassekvotient", lambda v: float(round(v)), "klassekvotient"),
        ("home_help_67", "hjemmehjaelp-andel-67", lambda v: v / 100, "andel 67+ med hjemmehjælp"),
    ):
        found = _latest(frame, series)
        if found is not None:
            period, value, demo = found
            out[key] = Default(convert(value), f"kommunens {name} {period}", demo)
    nursing = _nursing_share(frame)
    if nursing is not None:
        out["nursing_80"] = nursing
    return out


def _nursing_share(frame: pl.DataFrame) -> Default | None:
    """Residents of nursing homes (67+, DST AED07) per 80+-year-old: most residents are over 80."""
    found = _latest(frame, "aed07-plejebolig-67")
    if found is None:
        return None
    period, residents, demo = found
    old = frame.filter(
        (pl.col("series") == "befolkning-alder") & (pl.col("period") == period) & (pl.col("breakdown") != "")
    ).filter(pl.col("breakdown").cast(pl.Int32, strict=False) >= 80)
    persons = float(old["value"].sum() or 0.0)
    if persons <= 0:
        return None
    return Default(residents / persons, f"kommunens plejeboligbeboere 67+ pr. 80+-årig {period}", demo)


def assumptions(values: Mapping[str, float], compensation: float) -> Assumptions:
    return Assumptions(
        coverage_0_2=values["coverage_0_2"],
        coverage_3_5=values["coverage_3_5"],
        school_share=values["school_share"],
        class_size=int(values["class_size"]),
        home_help_67=values["home_help_67"],
        nursing_80=values["nursing_80"],
        cost_place_0_2=values["cost_place_0_2"],
        cost_place_3_5=values["cost_place_3_5"],
        cost_pupil=values["cost_pupil"],
        cost_home_help=values["cost_home_help"],
        cost_nursing_place=values["cost_nursing_place"],
        compensation=compensation,
    )


# --- today's budgets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    area: str
    year: int
    amount: float  # 1.000 kr.
    kind: str  # which budget (korrigeret, oprindeligt ...)
    demo: bool


def budgets(geo: str, year: int) -> dict[str, Budget]:
    """Each model area's budget for `year`, the corrected one first (as the budget follow-up chooses)."""
    names = [f"{prefix}-{area}" for prefix, _ in BUDGET_KINDS for area in MODEL_AREAS]
    frame = read_observations(names, [geo]).filter((pl.col("period") == str(year)) & pl.col("value").is_not_null())
    out: dict[str, Budget] = {}
    for area in MODEL_AREAS:
        for prefix, kind in BUDGET_KINDS:
            rows = frame.filter(pl.col("series") == f"{prefix}-{area}")
            if rows.height:
                row = rows.row(0, named=True)
                out[area] = Budget(area, year, row["value"], kind, row["status"] == "demo")
                break
    return out


def pressure(geo: str, base_year: int, years_ahead: int = 4) -> dict[str, str]:
    """The brief block: one sentence per model area on the demographic pressure from `base_year` to
    `years_ahead` later, with the municipality's own coverages and full regulation; empty without a
    projection that covers the base year."""
    found = projection(geo)
    if found is None or base_year not in found.years:
        return {}
    values = {key: d.value for key, d in defaults(geo).items()}
    years = demand(found.years, assumptions(values, 1.0), base_year)
    first = next(d for d in years if d.year == base_year)
    last = next((d for d in years if d.year == base_year + years_ahead), years[-1])
    return {area: pressure_sentence(area, first, last) for area in MODEL_AREAS}


__all__ = ["Population", "Projection", "assumptions", "budgets", "defaults", "pressure", "projection"]
