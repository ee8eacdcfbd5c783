"""Duties the council meets by a decision on a date: once per term, by a deadline, once a year.

The inputs are the dates the municipality has registered for one kind of decision (see
`legal.models.Decision`). No registration at all means Lokalkompas knows nothing, so the result is
"kan ikke afgøres", never "ikke opfyldt": a missing entry in our register is not a missing decision.
Dates after `today` are ignored (a decision cannot count before it is taken).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lokalkompas.legal.base import Rule, RuleResult
from lokalkompas.legal.terms import term_containing
from lokalkompas.lib.formatting import format_date, format_number


def _past(dates: Sequence[dt.date], today: dt.date) -> list[dt.date]:
    return sorted(d for d in dates if d <= today)


def _unknown(rule: Rule, period: str, what: str) -> RuleResult:
    return RuleResult(
        rule.id,
        "kan ikke afgøres",
        None,
        period,
        None,
        f"Lokalkompas har ingen registrering af {what}. Registrér beslutningen, så kan kravet afgøres.",
        rule.caveats,
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _days(n: int) -> str:
    return f"{format_number(abs(n))} {'dag' if abs(n) == 1 else 'dage'}"


def by_deadline(
    rule: Rule, dates: Sequence[dt.date], today: dt.date, start: dt.date, deadline: dt.date, period: str, what: str
) -> RuleResult:
    """Met when a decision falls between `start` and `deadline`; a later one in the span is late.

    margin: days between the decision and the deadline when met (room to spare); otherwise the days
    left before the deadline (negative when it has passed).
    """
    past = _past(dates, today)
    if not past:
        return _unknown(rule, period, what)
    on_time = [d for d in past if start <= d <= deadline]
    if on_time:
        latest = on_time[-1]
        return RuleResult(
            rule.id,
            "opfyldt",
            float((deadline - latest).days),
            period,
            None,
            f"{_sentence(what)} er registreret {format_date(latest)}, inden for fristen {format_date(deadline)}.",
            rule.caveats,
            due=deadline,
        )
    late = [d for d in past if d > deadline]
    overdue = today > deadline
    left = (deadline - today).days
    if late:
        explanation = (
            f"{_sentence(what)} er registreret {format_date(late[-1])}, {_days((late[-1] - deadline).days)} "
            f"efter fristen {format_date(deadline)}."
        )
        margin = float((deadline - late[-1]).days)
    elif overdue:
        explanation = (
            f"Der er ingen registrering af {what} i {period}; fristen {format_date(deadline)} "
            f"er overskredet med {_days(left)}. Senest registreret: {format_date(past[-1])}."
        )
        margin = float(left)
    else:
        explanation = (
            f"Endnu ikke registreret i {period}. Fristen er {format_date(deadline)}, om {_days(left)}. "
            f"Senest registreret: {format_date(past[-1])}."
        )
        margin = float(left)
    return RuleResult(
        rule.id,
        "ikke opfyldt",
        margin,
        period,
        None,
        explanation,
        rule.caveats,
        due=deadline,
        overdue=overdue or bool(late),
    )


def once_per_term(rule: Rule, dates: Sequence[dt.date], today: dt.date, what: str) -> RuleResult:
    """At least once in the current election term, by its last day."""
    term = term_containing(today)
    return by_deadline(rule, dates, today, term.start, term.end, term.label, what)


def in_first_half_of_term(rule: Rule, dates: Sequence[dt.date], today: dt.date, what: str) -> RuleResult:
    """Once in the current term, by the end of its second year."""
    term = term_containing(today)
    return by_deadline(rule, dates, today, term.start, term.first_half_end, term.label, what)


def once_a_year(rule: Rule, dates: Sequence[dt.date], today: dt.date, what: str) -> RuleResult:
    """Once in every calendar year. A missed previous year is a breach even while this year is open."""
    past = _past(dates, today)
    this_year = str(today.year)
    if not past:
        return _unknown(rule, this_year, what)
    years = {d.year for d in past}
    if today.year in years or today.year - 1 in years:
        return by_deadline(rule, dates, today, dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), this_year, what)
    last_year = today.year - 1
    return by_deadline(rule, dates, today, dt.date(last_year, 1, 1), dt.date(last_year, 12, 31), str(last_year), what)
