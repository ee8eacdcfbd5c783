import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lokalkompas.lib.periods import parse_period, shift_year


def test_it_parses_years_quarters_and_months():
    assert parse_period("2024").start == dt.date(2024, 1, 1)
    assert parse_period("2024K1").end == dt.date(2024, 3, 31)
    assert parse_period("2024M02").end == dt.date(2024, 2, 29)
    assert parse_period("2023M12").end == dt.date(2023, 12, 31)


def test_labels_are_danish():
    assert parse_period("2026K3").label() == "3. kvartal 2026"
    assert parse_period("2026M01").label() == "januar 2026"
    assert parse_period("2026").label() == "2026"


@pytest.mark.parametrize("bad", ["", "24", "2024K5", "2024M13", "2024M00", "2024Q1", "2024-01"])
def test_it_rejects_unknown_period_codes_with_a_danish_message(bad):
    with pytest.raises(ValueError, match="ukendt periode"):
        parse_period(bad)


def test_shift_year_keeps_the_kind_of_period():
    assert shift_year("2026K3", 2028) == "2028K3"
    assert shift_year("2026", 2029) == "2029"


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=1, max_value=12))
def test_every_month_round_trips_and_spans_its_days(year, month):
    period = parse_period(f"{year}M{month:02d}")
    assert period.code == f"{year}M{month:02d}"
    assert period.start.month == period.end.month == month
    assert (period.end + dt.timedelta(days=1)).day == 1
