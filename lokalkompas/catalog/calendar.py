"""Turns calendar entries into dated occurrences over the election term; pure, no database."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from lokalkompas.lib.formatting import format_date
from lokalkompas.lib.periods import parse_period, shift_year


class EntryLike(Protocol):
    date: dt.date | None
    period: str
    recurring: str


E = TypeVar("E", bound=EntryLike)


@dataclass(frozen=True)
class Occurrence(Generic[E]):
    entry: E
    year: int
    date: dt.date | None
    period: str
    sort_key: dt.date

    @property
    def when(self) -> str:
        """'15. oktober 2026' for a deadline, 'i 3. kvartal 2026' or 'i løbet af 2026' otherwise."""
        if self.date is not None:
            return format_date(self.date)
        label = parse_period(self.period).label()
        return f"i løbet af {label}" if label.isdigit() else f"i {label}"


def occurrences(entries: Iterable[E], first_year: int, last_year: int) -> list[Occurrence[E]]:
    """Each entry once, or once a year for yearly entries, sorted by when it falls."""
    out: list[Occurrence[E]] = []
    for entry in entries:
        years = range(first_year, last_year + 1) if entry.recurring == "årlig" else [_year_of(entry)]
        for year in years:
            if entry.date is not None:
                day = _same_day_in(entry.date, year)
                out.append(Occurrence(entry, year, day, "", day))
            else:
                period = shift_year(entry.period, year)
                # Periods sort after exact deadlines in the same span: they end, not start, there.
                out.append(Occurrence(entry, year, None, period, parse_period(period).end))
    return sorted(out, key=lambda o: o.sort_key)


def _year_of(entry: EntryLike) -> int:
    return entry.date.year if entry.date is not None else parse_period(entry.period).start.year


def _same_day_in(day: dt.date, year: int) -> dt.date:
    # 29 February does not exist every year; the deadline then falls on the 28th.
    if (day.month, day.day) == (2, 29) and not calendar.isleap(year):
        return day.replace(year=year, day=28)
    return day.replace(year=year)
