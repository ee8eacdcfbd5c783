"""The demographic model's arithmetic: population by age × coverage × unit cost, year by year.

Pure functions (no Django). The population comes from a projection (DST's FRKM tables or the
municipality's own prognosis, read by `economy.population`); the coverages, class size and unit costs are
scenario assumptions the user sets. Staff for daycare follows the legal minimumsnormering: one adult per
three children aged 0–2 and per six aged 3–5.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from lokalkompas.lib.formatting import format_number

# Children per pedagogical staff member at the legal minimum (dagtilbudsloven, minimumsnormering).
CHILDREN_PER_ADULT_0_2 = 3
CHILDREN_PER_ADULT_3_5 = 6
SCHOOL_AGES = range(6, 17)  # 6–16: 0. to 10. klasse

Population = Mapping[int, Mapping[int, float]]  # year -> age -> persons (1 January)


@dataclass(frozen=True)
class Assumptions:
    """A scenario. Coverages are shares of the age group; unit costs are 1.000 kr. per year."""

    coverage_0_2: float
    coverage_3_5: float
    school_share: float  # the share of 6–16-year-olds in the municipality's own schools
    class_size: int
    home_help_67: float  # the share of 67+ who receive home help
    nursing_80: float  # the share of 80+ in a nursing home
    cost_place_0_2: float
    cost_place_3_5: float
    cost_pupil: float
    cost_home_help: float
    cost_nursing_place: float
    # How much of the cost of changed demand the budget follows: 1 full, 0 none.
    compensation: float = 1.0


# The three budget areas the model covers, in the catalogue's ids.
MODEL_AREAS = ("dagtilbud", "skole", "aeldre")


@dataclass(frozen=True)
class YearDemand:
    year: int
    children_0_2: float
    children_3_5: float
    school_age: float  # 6–16-year-olds
    old_67: float  # 67 and over
    old_80: float  # 80 and over
    places_0_2: float
    places_3_5: float
    staff: float  # pedagogical staff needed for 1:3 and 1:6
    pupils: float
    classes: int
    home_help: float
    nursing_places: float
    costs: Mapping[str, float]  # 1.000 kr. per area of MODEL_AREAS
    budget: float = 0.0  # the base year's cost adjusted by `compensation` of the change
    gap: float = 0.0  # cost − budget: positive is pressure on the budget

    @property
    def cost(self) -> float:
        return sum(self.costs.values())


def _group(ages: Mapping[int, float], low: int, high: int | None = None) -> float:
    return sum(v for age, v in ages.items() if age >= low and (high is None or age <= high))


def classes_needed(pupils_by_age: Mapping[int, float], class_size: int) -> int:
    """Classes for each year group (one age, one grade), rounded up: 23 pupils at size 22 need two."""
    if class_size < 1:
        raise ValueError("class size must be at least 1")
    return sum(math.ceil(round(n, 9) / class_size) for n in pupils_by_age.values() if n > 0)


def year_demand(year: int, ages: Mapping[int, float], a: Assumptions) -> YearDemand:
    """One year's demand and cost (before any budget comparison)."""
    places_0_2 = _group(ages, 0, 2) * a.coverage_0_2
    places_3_5 = _group(ages, 3, 5) * a.coverage_3_5
    pupils_by_age = {age: ages.get(age, 0.0) * a.school_share for age in SCHOOL_AGES}
    pupils = sum(pupils_by_age.values())
    home_help = _group(ages, 67) * a.home_help_67
    nursing = _group(ages, 80) * a.nursing_80
    return YearDemand(
        year=year,
        children_0_2=_group(ages, 0, 2),
        children_3_5=_group(ages, 3, 5),
        school_age=_group(ages, 6, 16),
        old_67=_group(ages, 67),
        old_80=_group(ages, 80),
        places_0_2=places_0_2,
        places_3_5=places_3_5,
        staff=places_0_2 / CHILDREN_PER_ADULT_0_2 + places_3_5 / CHILDREN_PER_ADULT_3_5,
        pupils=pupils,
        classes=classes_needed(pupils_by_age, a.class_size),
        home_help=home_help,
        nursing_places=nursing,
        costs={
            "dagtilbud": places_0_2 * a.cost_place_0_2 + places_3_5 * a.cost_place_3_5,
            "skole": pupils * a.cost_pupil,
            "aeldre": home_help * a.cost_home_help + nursing * a.cost_nursing_place,
        },
    )


def demand(population: Population, a: Assumptions, base_year: int) -> list[YearDemand]:
    """Demand, cost and budget pressure for every projected year, against the base year's cost."""
    if base_year not in population:
        raise ValueError(f"the projection has no {base_year}")
    years = [year_demand(year, population[year], a) for year in sorted(population)]
    base_cost = next(d.cost for d in years if d.year == base_year)
    return [_with_budget(d, base_cost, a.compensation) for d in years]


def _with_budget(d: YearDemand, base_cost: float, compensation: float) -> YearDemand:
    budget = base_cost + compensation * (d.cost - base_cost)
    return replace(d, budget=budget, gap=d.cost - budget)


def _change(first: float, last: float) -> str:
    if first == 0:
        return "ændrer sig"
    share = (last - first) / first * 100
    if abs(share) < 0.5:
        return "er stort set uændret"
    return f"{'vokser' if share > 0 else 'falder'} med {format_number(abs(share), 1)} %"


def _mio(value: float) -> str:
    """1.000 kr. as a signed Danish amount in mio. kr."""
    return f"{format_number(abs(value) / 1000, 1)} mio. kr. {'mere' if value > 0 else 'mindre'}"


def pressure_sentence(area: str, first: YearDemand, last: YearDemand) -> str:
    """The demographic pressure on one area between two projected years, in one Danish sentence."""
    if area not in MODEL_AREAS:
        raise ValueError(f"the model has no area {area}")
    span = f"fra {first.year} til {last.year}"
    extra = last.costs[area] - first.costs[area]
    cost = "samme udgift" if abs(extra) < 50 else f"{_mio(extra)} om året i {last.year}"
    if area == "dagtilbud":
        group = (first.children_0_2 + first.children_3_5, last.children_0_2 + last.children_3_5)
        places = last.places_0_2 + last.places_3_5 - first.places_0_2 - first.places_3_5
        return (
            f"Antallet af 0–5-årige {_change(*group)} {span}; med uændret dækning svarer det til "
            f"{format_number(abs(places))} {'flere' if places >= 0 else 'færre'} pladser og {cost}."
        )
    if area == "skole":
        classes = last.classes - first.classes
        return (
            f"Antallet af 6–16-årige {_change(first.school_age, last.school_age)} {span}; det svarer til "
            f"{format_number(abs(classes))} {'flere' if classes >= 0 else 'færre'} klasser og {cost}."
        )
    return (
        f"Antallet af 80-årige og ældre {_change(first.old_80, last.old_80)} {span} (67+: "
        f"{_change(first.old_67, last.old_67).removeprefix('er ')}); med uændret dækning svarer det til {cost}."
    )
