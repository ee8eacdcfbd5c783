"""The demographic model's arithmetic: places, staff for 1:3 and 1:6, classes, elderly care, cost, pressure."""

import pytest

from lokalkompas.economy.demography import Assumptions, classes_needed, demand

SCENARIO = Assumptions(
    coverage_0_2=0.5,
    coverage_3_5=1.0,
    school_share=1.0,
    class_size=22,
    home_help_67=0.1,
    nursing_80=0.05,
    cost_place_0_2=150.0,
    cost_place_3_5=90.0,
    cost_pupil=80.0,
    cost_home_help=60.0,
    cost_nursing_place=500.0,
)


def ages(children_0_2: float, children_3_5: float, per_school_age: float, old_67_79: float, old_80: float):
    """Spread groups evenly over single ages."""
    out = {age: children_0_2 / 3 for age in range(0, 3)}
    out |= {age: children_3_5 / 3 for age in range(3, 6)}
    out |= {age: per_school_age for age in range(6, 17)}
    out |= {age: old_67_79 / 13 for age in range(67, 80)}
    out |= {age: old_80 / 21 for age in range(80, 101)}
    return out


def test_staff_follow_one_adult_per_three_small_children_and_per_six_older():
    (year,) = demand({2026: ages(600, 600, 0, 0, 0)}, SCENARIO, 2026)
    assert (year.places_0_2, year.places_3_5) == pytest.approx((300, 600))  # half of 0–2, all of 3–5
    assert year.staff == pytest.approx(300 / 3 + 600 / 6)  # 200


def test_each_year_group_needs_its_classes_rounded_up():
    assert classes_needed({6: 22.0, 7: 23.0, 8: 0.0}, 22) == 1 + 2
    assert classes_needed({6: 44.0}, 22) == 2
    with pytest.raises(ValueError):
        classes_needed({6: 1.0}, 0)


def test_elderly_care_counts_67_plus_for_home_help_and_80_plus_for_nursing_places():
    (year,) = demand({2026: ages(0, 0, 0, 1000, 400)}, SCENARIO, 2026)
    assert year.home_help == pytest.approx(0.1 * 1400) and year.nursing_places == pytest.approx(0.05 * 400)
    assert year.cost == pytest.approx(140 * 60 + 20 * 500)


def test_full_compensation_leaves_no_gap_and_none_leaves_the_whole_change():
    projection = {2026: ages(300, 300, 100, 1000, 400), 2030: ages(300, 300, 100, 1100, 520)}
    full = demand(projection, SCENARIO, 2026)
    assert [d.gap for d in full] == pytest.approx([0.0, 0.0])
    from dataclasses import replace

    none = demand(projection, replace(SCENARIO, compensation=0.0), 2026)
    extra = (100 * 0.1 + 120 * 0.1) * 60 + 120 * 0.05 * 500  # more 67+ and 80+, nothing else changes
    assert none[1].cost - none[0].cost == pytest.approx(extra)
    assert none[1].gap == pytest.approx(extra) and none[1].budget == pytest.approx(none[0].cost)
    half = demand(projection, replace(SCENARIO, compensation=0.5), 2026)
    assert half[1].gap == pytest.approx(extra / 2)


def test_the_base_year_must_be_in_the_projection():
    with pytest.raises(ValueError, match="no 2025"):
        demand({2026: ages(1, 1, 1, 1, 1)}, SCENARIO, 2025)
