"""The rules computed from registered decisions: their own test vectors, terms and boundaries."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lokalkompas.legal.rules import beredskabsplan, danmarkskort, nis2, planstrategi
from lokalkompas.legal.terms import term_containing

MODULES = [beredskabsplan, planstrategi, danmarkskort, nis2]
VECTORS = [(m, *vector) for m in MODULES for vector in m.TEST_VECTORS]


@pytest.mark.parametrize(("module", "dates", "today", "outcome", "margin"), VECTORS)
def test_each_rules_own_test_vectors_hold(module, dates, today, outcome, margin):
    result = module.evaluate(dates, today)
    assert (result.rule, result.outcome, result.margin) == (module.RULE.id, outcome, margin)


def test_the_current_term_is_2026_to_2029_with_the_planstrategi_deadline_at_the_end_of_2027():
    term = term_containing(dt.date(2026, 11, 27))
    assert (term.start, term.end, term.first_half_end) == (
        dt.date(2026, 1, 1),
        dt.date(2029, 12, 31),
        dt.date(2027, 12, 31),
    )
    assert term.label == "valgperioden 2026–2029"


@given(st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_day_lies_in_exactly_one_four_year_term(day):
    term = term_containing(day)
    assert term.contains(day)
    assert term.start.month == 1 and term.start.day == 1 and (term.start.year - 2010) % 4 == 0
    assert not term_containing(term.start - dt.timedelta(days=1)).contains(day)


def test_a_day_before_the_first_supported_term_is_refused():
    with pytest.raises(ValueError, match="2010"):
        term_containing(dt.date(2009, 12, 31))


def test_a_plan_from_the_last_term_is_not_yet_a_breach_but_becomes_one_when_the_term_ends():
    last_term = [dt.date(2022, 6, 1)]
    during = beredskabsplan.evaluate(last_term, dt.date(2029, 12, 31))
    assert during.outcome == "ikke opfyldt" and not during.overdue and not during.is_breach
    # On the first day of the next term the old plan counts for nothing and the count starts over;
    # the breach of the term that ended is shown by evaluating on its last day.
    assert beredskabsplan.evaluate(last_term, dt.date(2030, 1, 1)).margin == 1460.0


def test_a_late_planstrategi_is_a_breach_even_though_it_was_published():
    result = planstrategi.evaluate([dt.date(2028, 2, 1)], dt.date(2028, 3, 1))
    assert result.is_breach and "efter fristen" in result.explanation


def test_a_missed_danmarkskort_year_is_a_breach_while_the_current_year_is_still_open():
    result = danmarkskort.evaluate([dt.date(2024, 5, 1)], dt.date(2026, 2, 1))
    assert result.is_breach and result.period == "2025"
    treated_this_year = danmarkskort.evaluate([dt.date(2024, 5, 1), dt.date(2026, 1, 20)], dt.date(2026, 2, 1))
    assert treated_this_year.outcome == "opfyldt" and treated_this_year.period == "2026"


def test_an_old_nis2_policy_still_counts_but_carries_a_caveat():
    result = nis2.evaluate([dt.date(2025, 1, 15)], dt.date(2026, 11, 27))
    assert result.outcome == "opfyldt"
    assert any("22 måneder" in c for c in result.caveats)
    assert not any("måneder siden" in c for c in nis2.evaluate([dt.date(2026, 6, 1)], dt.date(2026, 11, 27)).caveats)


@given(
    st.lists(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31)), max_size=6),
    st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31)),
)
def test_decisions_after_today_never_change_a_result(dates, today):
    past = [d for d in dates if d <= today]
    for module in MODULES:
        assert module.evaluate(dates, today) == module.evaluate(past, today)


@given(
    st.lists(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31)), min_size=1, max_size=6),
    st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31)),
)
def test_only_an_unmet_duty_has_negative_margin_and_only_an_unknown_one_has_none(dates, today):
    for module in (beredskabsplan, planstrategi, danmarkskort):
        result = module.evaluate(dates, today)
        if result.outcome == "opfyldt":
            assert result.margin is not None and result.margin >= 0
        elif result.outcome == "kan ikke afgøres":
            assert result.margin is None and not [d for d in dates if d <= today]
        else:
            assert result.due is not None
            assert result.overdue == (result.margin is not None and result.margin < 0)
