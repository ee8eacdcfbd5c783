"""Year-end forecast methods, backtest arithmetic, bands and the early warning, on hand-made series."""

import pytest

from lokalkompas.economy.forecast import (
    Activity,
    activity_forecast,
    backtest_errors,
    early_warning,
    forecast,
    interval,
    mape,
    monthly_run_rate,
    overrun_probability,
    share_by,
    year_to_date,
)

FLAT = [100.0] * 12  # 1.200 a year, spent evenly
DECEMBER_HEAVY = [100.0] * 11 + [300.0]  # 1.400: the year-end rush


def test_straight_twelfths_extrapolate_the_year_to_date_evenly():
    assert forecast("a", ytd=330.0, month=3, previous=[]) == pytest.approx(1320.0)


def test_last_years_share_divides_by_the_share_spent_by_the_same_month():
    # Last year 600 of 1.400 was spent by June; this year 700 by June -> 700 / (600/1400) = 1.633,3.
    assert forecast("b", ytd=700.0, month=6, previous=[DECEMBER_HEAVY, FLAT]) == pytest.approx(700 / (600 / 1400))


def test_the_average_share_uses_up_to_three_previous_years():
    shares = [600 / 1400, 600 / 1200, 600 / 1400]
    expected = 650.0 / (sum(shares) / 3)
    assert forecast("c", 650.0, 6, [DECEMBER_HEAVY, FLAT, DECEMBER_HEAVY, FLAT]) == pytest.approx(expected)


def test_without_history_the_profile_methods_give_no_forecast_and_twelfths_still_do():
    assert forecast("b", 500.0, 5, []) is None and forecast("c", 500.0, 5, []) is None
    assert forecast("a", 500.0, 5, []) == pytest.approx(1200.0)


def test_a_late_posted_correction_distorts_last_years_profile_and_the_average_dampens_it():
    # Two years earlier look normal; last year a correction of -900 was posted in December.
    corrected = [100.0] * 11 + [-800.0]  # total 300: by June "200 %" of the year was spent
    truth = 1200.0
    ytd = 600.0  # this year is a normal one
    by_b = forecast("b", ytd, 6, [corrected, FLAT, FLAT])
    by_c = forecast("c", ytd, 6, [corrected, FLAT, FLAT])
    assert by_b == pytest.approx(ytd / (600 / 300))  # 300: badly wrong
    assert by_c is not None and by_b is not None and abs(by_c - truth) < abs(by_b - truth)


def test_a_year_whose_total_is_not_positive_gives_no_share():
    assert share_by([100.0] * 6 + [-100.0] * 6, 6) is None
    assert share_by([100.0] * 11 + [None], 6) is None  # the year is not complete


def test_year_to_date_needs_every_month_so_far():
    assert year_to_date([1.0, 2.0, None, 4.0], 2) == 3.0
    assert year_to_date([1.0, 2.0, None, 4.0], 3) is None


def test_a_month_outside_1_to_12_is_a_programming_error():
    with pytest.raises(ValueError):
        forecast("a", 1.0, 0, [])


def test_the_backtest_compares_each_earlier_years_forecast_with_its_actual_total():
    years = {2023: FLAT, 2024: DECEMBER_HEAVY, 2025: [110.0] * 5 + [None] * 7}
    errors = backtest_errors("a", years, before=2025)
    # Twelfths in June: 2023 exactly right; 2024 forecast 1.200 against 1.400 -> -1/7.
    assert errors[6] == pytest.approx([0.0, 1200 / 1400 - 1])
    by_b = backtest_errors("b", years, before=2025)
    # Last year's share in June for 2024 is 2023's (0,5): 600 / 0,5 = 1.200 against 1.400.
    assert by_b[6] == pytest.approx([1200 / 1400 - 1])
    assert len(errors[6]) == 2  # 2025 is the year being forecast, not history
    assert mape([0.1, -0.3]) == pytest.approx(0.2) and mape([]) is None


def test_with_few_errors_the_band_is_the_largest_error_either_way():
    low, high = interval(1000.0, [0.1, -0.05])
    assert low == pytest.approx(1000 / 1.1) and high == pytest.approx(1000 / 0.9)


def test_with_five_or_more_errors_the_band_is_their_5_and_95_percent_points():
    errors = [-0.04, -0.02, 0.0, 0.02, 0.04]
    low, high = interval(1000.0, errors)
    assert low == pytest.approx(1000 / (1 + 0.036)) and high == pytest.approx(1000 / (1 - 0.036))
    assert interval(1000.0, []) is None


def test_the_overrun_probability_is_the_share_of_corrected_forecasts_above_the_budget():
    # Forecast 1.000: corrected by the errors to 1000/1.1, 1000/1.0 and 1000/0.9.
    assert overrun_probability(1000.0, 950.0, [0.1, 0.0, -0.1]) == pytest.approx(2 / 3)
    assert overrun_probability(1000.0, 950.0, []) is None


@pytest.mark.parametrize(
    "deviation, probability, raised",
    [
        (10.0, None, False),  # exactly the threshold: not above it
        (10.001, None, True),
        (-50.0, 0.5, False),  # even odds: not more likely than not
        (-50.0, 0.51, True),
    ],
)
def test_the_early_warning_fires_above_the_threshold_or_when_an_overrun_is_likely(deviation, probability, raised):
    # Budget 1.000 (1.000 kr.): 1 % is 10; the amount threshold 5 is smaller, so 10 applies.
    assert early_warning(deviation, 1000.0, probability, 0.01, 5.0).raised is raised


def test_for_a_small_budget_the_amount_threshold_is_the_larger_and_applies():
    # Budget 20.000 (20 mio. kr.): 1 % is 200, the amount 1.000 (1 mio. kr.) is larger.
    assert not early_warning(999.0, 20_000.0, None, 0.01, 1000.0).raised
    assert early_warning(1001.0, 20_000.0, None, 0.01, 1000.0).raised
    assert not early_warning(None, None, None, 0.01, 1000.0).raised


def test_a_budget_warning_becomes_an_alert_that_links_to_the_area_page():
    from lokalkompas.analysis.alerts import BudgetSignal, budget_alerts

    (alert,) = budget_alerts(
        [BudgetSignal("aeldre", "Ældre", 86_900.0, 0.0268, "over tærsklen", True)], lambda a: f"/oekonomi/{a}/"
    )
    assert alert.title == "Budgetvarsel: Ældre" and alert.url == "/oekonomi/aeldre/" and alert.demo
    assert alert.text == "Prognosen for årets forbrug er 86,9 mio. kr. over budgettet (2,7 %); over tærsklen."
    assert alert.severity == 2  # after broken legal duties, before deadlines and rankings


def test_the_brief_sentence_names_overrun_saving_or_on_budget_in_plain_danish():
    from lokalkompas.economy.forecast import budget_sentence

    assert budget_sentence("Ældre", 2026, 10, 3_327_700.0, 3_240_800.0) == (
        "Ældre: efter 10 måneder peger prognosen på en overskridelse på 86,9 mio. kr. (2,7 %) i 2026."
    )
    assert "mindreforbrug på 10,0 mio. kr. (1,0 %)" in budget_sentence("Skole", 2026, 6, 990_000.0, 1_000_000.0)
    assert "på budgettet" in budget_sentence("Skole", 2026, 6, 1_004_000.0, 1_000_000.0)
    assert "ikke tal nok" in budget_sentence("Skole", 2026, 6, None, 1_000_000.0)


def steady(cases: float, price: float, months: int = 12) -> Activity:
    """A function with the same cases and unit price in the first `months` months."""
    return Activity([cases] * months + [None] * (12 - months), [price] * months + [None] * (12 - months))


def test_the_activity_method_adds_each_remaining_month_at_cases_times_price_over_both_functions():
    # Children: 10 cases at 4 (1.000 kr. a month); adults: 20 at 3 -> 100 a month; 600 spent by June.
    children, adults = steady(10, 4.0, 6), steady(20, 3.0, 6)
    assert forecast("d", 600.0, 6, [], [children, adults]) == pytest.approx(600 + 6 * (40 + 60))


def test_a_jump_in_cases_counts_in_full_for_every_remaining_month():
    # Three more children placed in October: 13 cases from then on, not the year's average of 10,3.
    children = Activity([10.0] * 9 + [13.0, None, None], [4.0] * 10 + [None, None])
    assert monthly_run_rate(children, 10) == pytest.approx(52.0)
    # 1.012 spent by October (the jump is in October's 112); November and December at 52 + 60.
    assert activity_forecast(1012.0, 10, [children, steady(20, 3.0, 10)]) == pytest.approx(1012 + 2 * 112)


def test_the_unit_price_is_the_mean_of_the_last_three_months_so_one_late_bill_is_not_repeated():
    prices = [4.0, 4.0, 4.0, 4.0, 4.0, 7.0]  # June carries a late invoice
    children = Activity([10.0] * 6 + [None] * 6, prices + [None] * 6)
    assert monthly_run_rate(children, 6) == pytest.approx(10 * (4 + 4 + 7) / 3)
    assert monthly_run_rate(Activity([10.0] + [None] * 11, [5.0] + [None] * 11), 1) == pytest.approx(50.0)


def test_without_activity_for_every_month_so_far_method_d_gives_no_forecast():
    gap = Activity([10.0, 10.0, None, 10.0] + [None] * 8, [4.0] * 4 + [None] * 8)
    assert forecast("d", 400.0, 4, [], [gap, steady(20, 3.0, 4)]) is None
    assert forecast("d", 400.0, 4, [], [steady(10, 4.0, 3), steady(20, 3.0, 4)]) is None  # April missing
    no_price = Activity([10.0] * 4 + [None] * 8, [4.0, 4.0, 4.0, None] + [None] * 8)
    assert forecast("d", 400.0, 4, [], [no_price, steady(20, 3.0, 4)]) is None
    assert forecast("d", 400.0, 4, [FLAT], []) is None  # no figures at all: profiles do not stand in for them


def test_the_backtest_of_method_d_uses_each_years_own_activity_and_skips_years_without():
    # 2023 has no activity figures; 2024 ran at 100 a month but ended with 300 in December.
    years = {2023: FLAT, 2024: DECEMBER_HEAVY, 2025: [100.0] * 5 + [None] * 7}
    activity = {2024: [steady(10, 4.0), steady(20, 3.0)], 2025: [steady(10, 4.0, 5), steady(20, 3.0, 5)]}
    errors = backtest_errors("d", years, before=2025, activity=activity)
    # In June 2024: 600 + 6 × 100 = 1.200 against 1.400; in November 1.100 + 100, the same.
    assert errors[6] == pytest.approx([1200 / 1400 - 1]) and errors[11] == pytest.approx([1200 / 1400 - 1])
    assert all(len(e) == 1 for m, e in errors.items() if m < 12) and errors[12] == []
    assert mape(errors[6]) == pytest.approx(200 / 1400)
    assert backtest_errors("d", years, before=2025) == {m: [] for m in range(1, 13)}
