"""Danish formatting of numbers and dates, the one place the UI, briefs and exports take it from."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def format_date(day: dt.date) -> str:
    """27. november 2026."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def format_number(value: float | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5'; None -> 'mangler' (missing is never shown as 0)."""
    if value is None:
        return "mangler"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def genitive(name: str) -> str:
    """Danish possessive: 'Aalborgs', but 'Aarhus'' and 'Frederiks'' (names ending in s, x or z)."""
    return f"{name}'" if name[-1:].lower() in ("s", "x", "z") else f"{name}s"
