"""DST period codes (2024, 2024K1, 2024M01), parsed in one place."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from lokalkompas.lib.formatting import MONTHS

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:(?P<kind>[KM])(?P<number>\d{1,2}))?$")


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    code: str

    def label(self) -> str:
        """Danish name: '2026', '1. kvartal 2026', 'januar 2026'."""
        match = _PATTERN.match(self.code)
        assert match is not None  # codes are only built by parse_period
        if match["kind"] == "K":
            return f"{match['number']}. kvartal {match['year']}"
        if match["kind"] == "M":
            return f"{MONTHS[int(match['number']) - 1]} {match['year']}"
        return self.code


# Kept: a period is immutable, and the API parses a series' stored periods on every request.
@functools.lru_cache(maxsize=4096)
def parse_period(code: str) -> Period:
    """Parse a DST period code; raises ValueError with a Danish message on anything else."""
    match = _PATTERN.match(code.strip())
    if not match:
        raise ValueError(f"ukendt periode {code!r}: brug fx 2024, 2024K1 eller 2024M01")
    year = int(match["year"])
    if match["kind"] is None:
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}")
    number = int(match["number"])
    if match["kind"] == "K":
        if not 1 <= number <= 4:
            raise ValueError(f"ukendt periode {code!r}: kvartalet skal være 1–4")
        start = dt.date(year, 3 * number - 2, 1)
        return Period(start, _month_end(year, 3 * number), f"{year}K{number}")
    if not 1 <= number <= 12:
        raise ValueError(f"ukendt periode {code!r}: måneden skal være 01–12")
    return Period(dt.date(year, number, 1), _month_end(year, number), f"{year}M{number:02d}")


def _month_end(year: int, month: int) -> dt.date:
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def shift_year(code: str, year: int) -> str:
    """The same period in another year: shift_year('2026K3', 2028) -> '2028K3'."""
    parse_period(code)
    return f"{year}{code.strip()[4:]}"
