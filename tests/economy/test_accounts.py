"""Closed years' accounts against the original budget: hand-made numbers, and read from the store."""

import polars as pl
import pytest

from lokalkompas.economy.accounts import accounts_history, deviation_of, history_rows
from lokalkompas.indicators.store import write_observations


def frame(rows):
    return pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")


def test_it_computes_the_deviation_in_kroner_and_percent_of_the_budget():
    (row,) = history_rows({2024: 1000.0}, {2024: 1050.0})
    assert (row.year, row.budget, row.accounts, row.deviation) == (2024, 1000.0, 1050.0, 50.0)
    assert row.deviation_share == pytest.approx(0.05)


def test_it_keeps_a_missing_year_missing_and_never_zero():
    rows = history_rows({2022: 900.0, 2023: 950.0, 2024: 1000.0}, {2022: 880.0, 2023: None, 2024: 1010.0})
    assert [r.year for r in rows] == [2022, 2023, 2024]
    missing = rows[1]
    assert (missing.budget, missing.accounts, missing.deviation, missing.deviation_share) == (950.0, None, None, None)
    assert rows[0].deviation == -20.0 and rows[0].deviation_share == pytest.approx(-20 / 900)


def test_it_shows_a_closed_year_without_a_budget_and_leaves_out_years_not_yet_closed():
    rows = history_rows({2023: 500.0, 2025: 700.0, 2026: 720.0}, {2023: 510.0, 2024: 600.0, 2025: 690.0})
    assert [(r.year, r.budget, r.accounts, r.deviation) for r in rows] == [
        (2023, 500.0, 510.0, 10.0),
        (2024, None, 600.0, None),
        (2025, 700.0, 690.0, -10.0),
    ]


def test_it_has_no_history_without_accounts():
    assert history_rows({2025: 700.0}, {}) == []


def test_a_zero_budget_has_a_deviation_but_no_percentage_and_a_negative_budget_keeps_the_sign():
    assert deviation_of(0.0, 25.0) == (25.0, None)
    deviation, share = deviation_of(-200.0, -250.0)  # a net income, 50 more of it than budgeted
    assert deviation == -50.0 and share == pytest.approx(-0.25)


def test_it_reads_aarhus_history_from_the_store_with_its_tables_and_no_demo_label(registry):
    rows = [
        ("budget-social", "751", "2023", "", 2000.0, "ok"),
        ("budget-social", "751", "2024", "", 2100.0, "ok"),
        ("budget-social", "751", "2025", "", 2200.0, "ok"),  # accounts not closed yet: left out
        ("regnskab-social", "751", "2023", "", 2080.0, "ok"),
        ("regnskab-social", "751", "2024", "", None, "missing"),
        ("regnskab-social", "101", "2024", "", 9999.0, "ok"),  # another municipality
        ("budget-skole", "751", "2024", "", 5000.0, "ok"),  # another area
    ]
    write_observations(frame(rows), source="statbank", label="BUDK32")
    history = accounts_history("751", "social")
    assert [(r.year, r.budget, r.accounts, r.deviation) for r in history.years] == [
        (2023, 2000.0, 2080.0, 80.0),
        (2024, 2100.0, None, None),
    ]
    assert history.years[0].deviation_share == pytest.approx(0.04)
    assert (history.budget_table, history.accounts_table, history.period) == ("BUDK32", "REGK31", "2023–2024")
    assert history.demo is False


def test_it_marks_demo_values_as_demo(registry):
    rows = [("budget-skole", "101", "2024", "", 5000.0, "demo"), ("regnskab-skole", "101", "2024", "", 5100.0, "demo")]
    write_observations(frame(rows), source="demo", label="demo")
    history = accounts_history("101", "skole")
    assert history.demo is True and history.period == "2024"
    assert accounts_history("751", "skole").years == []
