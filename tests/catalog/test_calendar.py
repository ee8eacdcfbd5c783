import datetime as dt
from dataclasses import dataclass

from lokalkompas.catalog.calendar import occurrences


@dataclass
class Entry:
    date: dt.date | None = None
    period: str = ""
    recurring: str = ""


def test_a_yearly_deadline_falls_once_in_every_year_of_the_term():
    found = occurrences([Entry(date=dt.date(2026, 10, 15), recurring="årlig")], 2026, 2029)
    assert [o.date for o in found] == [dt.date(y, 10, 15) for y in (2026, 2027, 2028, 2029)]
    assert found[0].when == "15. oktober 2026"


def test_a_one_off_entry_appears_once_in_its_own_year():
    found = occurrences([Entry(date=dt.date(2027, 12, 31))], 2026, 2029)
    assert [(o.year, o.when) for o in found] == [(2027, "31. december 2027")]


def test_periods_are_described_in_danish_and_sort_after_deadlines_in_the_same_span():
    entries = [Entry(period="2026K3"), Entry(date=dt.date(2026, 9, 15)), Entry(period="2026")]
    found = occurrences(entries, 2026, 2029)
    assert [o.when for o in found] == ["15. september 2026", "i 3. kvartal 2026", "i løbet af 2026"]


def test_a_leap_day_deadline_moves_to_the_28th_in_other_years():
    found = occurrences([Entry(date=dt.date(2028, 2, 29), recurring="årlig")], 2027, 2028)
    assert [o.date for o in found] == [dt.date(2027, 2, 28), dt.date(2028, 2, 29)]
