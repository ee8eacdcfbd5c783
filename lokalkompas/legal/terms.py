"""Municipal election terms (valgperioder): four years from 1 January after the November election."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The first four-year term after the 2007 structural reform's transition began on 1 January 2010.
FIRST_TERM_START = 2010
TERM_YEARS = 4


@dataclass(frozen=True)
class Term:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"valgperioden {self.start.year}–{self.end.year}"

    @property
    def first_half_end(self) -> dt.date:
        """The last day of the term's second year (planloven § 23 a's deadline for the planstrategi)."""
        return dt.date(self.start.year + TERM_YEARS // 2 - 1, 12, 31)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def term_containing(day: dt.date) -> Term:
    if day.year < FIRST_TERM_START:
        raise ValueError(f"Valgperioder før {FIRST_TERM_START} understøttes ikke ({day.isoformat()}).")
    first_year = FIRST_TERM_START + (day.year - FIRST_TERM_START) // TERM_YEARS * TERM_YEARS
    return Term(dt.date(first_year, 1, 1), dt.date(first_year + TERM_YEARS - 1, 12, 31))
