import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from lokalkompas.lib.formatting import format_date, format_number


def test_dates_are_written_the_danish_way():
    assert format_date(dt.date(2026, 11, 27)) == "27. november 2026"
    assert format_date(dt.date(2027, 1, 1)) == "1. januar 2027"


def test_numbers_use_point_for_thousands_and_comma_for_decimals():
    assert format_number(1234.5, 1) == "1.234,5"
    assert format_number(1234567) == "1.234.567"
    assert format_number(-0.25, 2) == "-0,25"


def test_missing_is_never_shown_as_zero():
    assert format_number(None) == "mangler"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_formatted_integers_read_back_to_the_same_value(n):
    assert int(format_number(n).replace(".", "")) == n


def test_the_danish_genitive_of_a_name_ending_in_s_takes_an_apostrophe():
    from lokalkompas.lib.formatting import genitive

    assert genitive("Aalborg") == "Aalborgs"
    assert genitive("Aarhus") == "Aarhus'"
    assert genitive("Fanø") == "Fanøs"
