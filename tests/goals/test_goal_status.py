"""Goal status against a straight path from baseline to target, with the boundaries computed by hand.

Baseline 2020 and target 2022 put the end of 2021 exactly halfway (365 of 730 days).
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lokalkompas.goals.status import GoalSpec, goal_status

UP = GoalSpec(baseline=10.0, baseline_period="2020", target=20.0, target_period="2022")  # band 1,0
DOWN = GoalSpec(16.0, "2020", 8.0, "2022", tolerance=0.25)  # band 2,0; halfway 12
HOLD = GoalSpec(50.0, "2020", 50.0, "2022", higher_is_better=True)  # band 5,0


@pytest.mark.parametrize(
    ("spec", "actual", "status"),
    [
        (UP, 15.0, "på sporet"),  # on the path
        (UP, 14.0, "på sporet"),  # exactly one band behind
        (UP, 13.99, "i risiko"),
        (UP, 13.0, "i risiko"),  # exactly two bands behind
        (UP, 12.99, "ikke på sporet"),
        (UP, 20.0, "nået"),  # the target itself, early
        (DOWN, 14.0, "på sporet"),
        (DOWN, 16.0, "i risiko"),
        (DOWN, 16.5, "ikke på sporet"),
        (DOWN, 7.5, "nået"),
        (HOLD, 51.0, "nået"),
        (HOLD, 45.0, "på sporet"),
        (HOLD, 44.0, "i risiko"),
        (HOLD, 39.0, "ikke på sporet"),
    ],
)
def test_the_status_halfway_along_the_path(spec, actual, status):
    result = goal_status(spec, [("2020", spec.baseline), ("2021", actual)])
    assert result.status == status
    assert result.period == "2021" and result.actual == actual


def test_the_path_says_where_the_value_should_be():
    assert goal_status(UP, [("2021", 15.0)]).expected == pytest.approx(15.0)
    assert goal_status(DOWN, [("2021", 12.0)]).expected == pytest.approx(12.0)


def test_a_target_period_that_has_ended_without_the_target_is_off_track():
    result = goal_status(UP, [("2021", 15.0), ("2022", 19.9)])
    assert result.status == "ikke på sporet" and "Målperioden" in result.explanation


def test_no_value_after_the_baseline_is_missing_data_not_off_track():
    assert goal_status(UP, [("2019", 9.0), ("2020", 10.0), ("2021", None)]).status == "mangler data"
    assert goal_status(UP, []).status == "mangler data"


def test_quarters_count_along_the_path_too():
    # The end of 2021K2 lies 181 of 730 days along: expected 10 + 10 · 181/730.
    result = goal_status(UP, [("2021K2", 12.0)])
    assert result.expected == pytest.approx(10 + 10 * 181 / 730)
    assert result.status == "på sporet"


@given(st.floats(0, 100), st.floats(0, 100), st.floats(-50, 150))
def test_reaching_the_target_is_always_reached_and_better_is_never_worse(baseline, target, actual):
    spec = GoalSpec(baseline, "2020", target, "2024")
    order = ["ikke på sporet", "i risiko", "på sporet", "nået"]
    up = 1.0 if target >= baseline else -1.0
    worse = goal_status(spec, [("2022", actual)]).status
    better = goal_status(spec, [("2022", actual + up)]).status
    assert order.index(better) >= order.index(worse)
    assert goal_status(spec, [("2022", target)]).status == "nået"
