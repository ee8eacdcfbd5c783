import numpy as np
import pytest

from lokalkompas.analysis.expected import expected_vs_actual


def test_a_municipality_above_a_clear_pattern_gets_a_positive_residual_and_top_percentile():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(98, 2))
    y = 10 + 3 * x[:, 0] - 2 * x[:, 1] + rng.normal(0, 0.1, 98)
    y[5] += 2.0
    geos = [f"{i:03d}" for i in range(98)]
    result = expected_vs_actual(geos, y, x)
    assert result.meaningful and result.r2 is not None and result.r2 > 0.9
    assert result.residual["005"] == pytest.approx(2.0, abs=0.2)
    assert result.residual_percentile["005"] == 100.0


def test_when_the_model_explains_too_little_there_is_no_number():
    rng = np.random.default_rng(2)
    result = expected_vs_actual([f"{i:03d}" for i in range(98)], rng.normal(size=98), rng.normal(size=(98, 3)))
    assert not result.meaningful and result.expected == {}
    assert "forklarer kun" in result.reason


def test_missing_values_are_left_out_and_too_few_rows_refuse():
    x = np.arange(20, dtype=float).reshape(10, 2)
    y = np.arange(10, dtype=float)
    y[3] = np.nan
    result = expected_vs_actual([f"{i:03d}" for i in range(10)], y, x)
    assert not result.meaningful and "for få kommuner" in result.reason
