import pytest
from hypothesis import given
from hypothesis import strategies as st

from lokalkompas.analysis.trend import theil_sen, trend


def test_theil_sen_ignores_one_outlier():
    xs = [0.0, 1.0, 2.0, 3.0, 4.0]
    assert theil_sen(xs, [1.0, 2.0, 3.0, 40.0, 5.0]) == pytest.approx(1.0)


def test_a_steady_fall_is_better_when_lower_is_better():
    points = [(2020.0, 3.4), (2021.0, 3.3), (2022.0, 3.2), (2023.0, 3.1), (2024.0, 3.0)]
    result = trend(points, "lower_better")
    assert result.slope == pytest.approx(-0.1)
    assert result.change == pytest.approx(-0.1)
    assert result.clear and result.direction == "bedre"
    assert trend(points, "higher_better").direction == "dårligere"
    assert trend(points, "neutral").direction == "faldende"


def test_noise_around_a_flat_line_is_not_a_trend():
    points = [(2020.0, 5.0), (2021.0, 5.3), (2022.0, 4.8), (2023.0, 5.2), (2024.0, 4.9)]
    result = trend(points, "higher_better")
    assert not result.clear and result.direction == "uændret"


def test_too_few_values_say_unknown_and_missing_ones_are_skipped():
    assert trend([(2024.0, 1.0)], "higher_better").direction == "ukendt"
    result = trend([(2022.0, 1.0), (2023.0, None), (2024.0, 3.0)], "higher_better")
    assert result.change == pytest.approx(2.0)


@given(
    st.floats(min_value=-100, max_value=100, allow_nan=False), st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)
)
def test_a_perfect_line_gives_its_own_slope(slope, intercept):
    xs = [float(x) for x in range(5)]
    assert theil_sen(xs, [intercept + slope * x for x in xs]) == pytest.approx(slope, abs=1e-6)
