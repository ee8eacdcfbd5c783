import datetime as dt

import pytest

from lokalkompas.legal.rules.minimumsnormering import (
    RULE,
    TEST_VECTORS,
    TODAY,
    Inputs,
    Parameters,
    Staff,
    evaluate,
)


@pytest.mark.parametrize(("inputs", "today", "params", "outcome", "margin"), TEST_VECTORS)
def test_the_rules_own_test_vectors_hold(inputs, today, params, outcome, margin):
    result = evaluate(inputs, today, params)
    assert result.outcome == outcome
    if margin is None:
        assert result.margin is None
    else:
        assert result.margin == pytest.approx(margin, abs=1e-9)


def test_exactly_three_and_six_children_per_adult_is_compliant():
    result = evaluate(Inputs("2025", 300, 600, Staff(100), Staff(100)), TODAY)
    assert result.outcome == "opfyldt"
    assert result.details["lovens_normering_0_2"] == pytest.approx(3.0)
    assert result.details["lovens_normering_3_5"] == pytest.approx(6.0)


def test_the_published_figure_and_the_difference_are_shown():
    inputs = Inputs("2025", 300, 600, Staff(94, leaders=10), Staff(100), published_0_2=2.9, published_3_5=6.0)
    result = evaluate(inputs, TODAY, Parameters(leader_weight=0.5))
    assert result.details["offentliggjort_normering_0_2"] == 2.9
    assert result.details["forskel_0_2"] == pytest.approx(300 / 99 - 2.9)


def test_children_moved_up_early_count_at_one_to_three():
    with_rule = evaluate(Inputs("2025", 290, 610, Staff(100), Staff(100), moved_before_3=10), TODAY)
    naive = evaluate(Inputs("2025", 290, 610, Staff(100), Staff(100)), TODAY)
    assert with_rule.margin == pytest.approx(0.0)
    assert naive.margin == pytest.approx(200 - (290 / 3 + 610 / 6))


def test_missing_or_stale_data_cannot_decide_and_says_why():
    missing = evaluate(Inputs("2025", 300, None, Staff(100), Staff(100)), TODAY)
    assert missing.outcome == "kan ikke afgøres" and "barneår 3–5 år" in missing.explanation
    stale = evaluate(Inputs("2022", 300, 600, Staff(100), Staff(100)), dt.date(2026, 11, 27))
    assert stale.outcome == "kan ikke afgøres" and stale.lag_months == 47


def test_the_rule_names_its_legal_reference():
    assert RULE.legal_reference.startswith("Dagtilbudsloven § 19 a")
