"""The demographic model's arithmetic: population by age × coverage × unit cost, year by year.

Pure functions (no Django). The population comes from a projection (DST's FRKM tables or the
municipality's own prognosis; not yet wired to the store); the coverages, class size and unit costs are
scenario assumptions the user sets. Staff for daycare follows the legal minimumsnormering: one adult per
three children aged 0–2 and per six aged 3–5.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

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


@dataclass(frozen=True)
class YearDemand:
    year: int
    places_0_2: float
    places_3_5: float
    staff: float  # pedagogical staff needed for 1:3 and 1:6
    pupils: float
    classes: int
    home_help: float
    nursing_places: float
    cost: float  # 1.000 kr.
    budget: float  # the base year's cost adjusted by `compensation` of the change
    gap: float  # cost − budget: positive is pressure on the budget


def _group(ages: Mapping[int, float], low: int, high: int | None = None) -> float:
    return sum(v for age, v in ages.items() if age >= low and (high is None or age <= high))


def classes_needed(pupils_by_age: Mapping[int, float], class_size: int) -> int:
    """Classes for each year group (one age, one grade), rounded up: 23 pupils at size 22 need two."""
    if class_size < 1:
        raise ValueError("class size must be at least 1")
    return sum(math.ceil(round(n, 9) / class_size) for n in pupils_by_age.values() if n > 0)


def demand(population: Population, a: Assumptions, base_year: int) -> list[YearDemand]:
    """Demand, cost and budget pressure for every projected year, against the base year's cost."""
    if base_year not in population:
        raise ValueError(f"the projection has no {base_year}")
    out: list[YearDemand] = []
    base_cost: float | None = None
    for year in sorted(population):
        ages = population[year]
        places_0_2 = _group(ages, 0, 2) * a.coverage_0_2
        places_3_5 = _group(ages, 3, 5) * a.coverage_3_5
        staff = places_0_2 / CHILDREN_PER_ADULT_0_2 + places_3_5 / CHILDREN_PER_ADULT_3_5
        pupils_by_age = {age: ages.get(age, 0.0) * a.school_share for age in SCHOOL_AGES}
        pupils = sum(pupils_by_age.values())
        home_help = _group(ages, 67) * a.home_help_67
        nursing = _group(ages, 80) * a.nursing_80
        cost = (
            places_0_2 * a.cost_place_0_2
            + places_3_5 * a.cost_place_3_5
            + pupils * a.cost_pupil
            + home_help * a.cost_home_help
            + nursing * a.cost_nursing_place
        )
        if year == base_year:
            base_cost = cost
        out.append(
            YearDemand(
                year,
                places_0_2,
                places_3_5,
                staff,
                pupils,
                classes_needed(pupils_by_age, a.class_size),
                home_help,
                nursing,
                cost,
                0.0,
                0.0,
            )
        )
    assert base_cost is not None
    return [_with_budget(d, base_cost, a.compensation) for d in out]


def _with_budget(d: YearDemand, base_cost: float, compensation: float) -> YearDemand:
    budget = base_cost + compensation * (d.cost - base_cost)
    return YearDemand(
        d.year,
        d.places_0_2,
        d.places_3_5,
        d.staff,
        d.pupils,
        d.classes,
        d.home_help,
        d.nursing_places,
        d.cost,
        budget,
        d.cost - budget,
    )
