"""Year-end forecasts of an area's spending from its monthly actuals, and how far to trust them.

Pure functions (no Django). The methods are the ones the state's guidance describes and municipalities
use (see docs/decisions/0010-economy-forecasts.md):

- `a` straight twelfths: the year-to-date spend, extrapolated evenly (ytd × 12 / m);
- `b` last year's share: ytd divided by the share of last year's total spent by the same month;
- `c` average share: as b, with the average share of up to three previous years;
- `d` activity (only the specialised social area, functions 5.28 and 5.38): ytd plus, for each remaining
  month, the number of active cases times the unit price, summed over the two functions.

A method's trust comes from a backtest on the same municipality's own history: for every earlier year
and month it could have been used, the relative error of its forecast against the year's actual total.
The prediction interval is the forecast widened by those errors (the 5 % and 95 % points of the
empirical errors when there are at least five, else ± the largest error seen); the probability of an
overrun is the share of error-corrected forecasts above the budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

from lokalkompas.lib.formatting import format_number

Method = Literal["a", "b", "c", "d"]
METHODS: tuple[Method, ...] = ("a", "b", "c", "d")
# The methods that need nothing but the area's own spending; `d` also needs activity figures.
PROFILE_METHODS: tuple[Method, ...] = ("a", "b", "c")
METHOD_NAMES: dict[Method, str] = {
    "a": "lige tolvtedele",
    "b": "sidste års forbrugsprofil",
    "c": "gennemsnitlig profil for op til tre år",
    "d": "aktivitet: sager × enhedspris (5.28 og 5.38)",
}
# The areas whose spending is driven by cases (facts.md §2.3 and §2.5): the specialised social area.
ACTIVITY_AREAS = ("social",)
# Method d prices the remaining months at the mean unit price of up to this many recent months.
PRICE_MONTHS = 3
# A year of monthly actuals, January first; None where a month has no figure (yet).
Year = Sequence[float | None]
MIN_ERRORS_FOR_QUANTILES = 5


def year_to_date(months: Year, month: int) -> float | None:
    """Spend in the first `month` months, or None if any of them is missing."""
    values = months[:month]
    # `None in` and a plain sum run in C: this is called for every month of every backtest year.
    if len(values) < month or None in values:
        return None
    return float(sum(cast(Sequence[float], values)))


def total(months: Year) -> float | None:
    return year_to_date(months, 12)


def share_by(months: Year, month: int) -> float | None:
    """The share of the year's total spent by the end of `month` (None if unknown or meaningless)."""
    spent, whole = year_to_date(months, month), total(months)
    if spent is None or whole is None or whole <= 0 or spent <= 0:
        return None
    return spent / whole


@dataclass(frozen=True)
class Activity:
    """One function's year of activity, January first: active cases and the average monthly unit price
    (1.000 kr. per case per month); None where a month has no figure."""

    cases: Year
    prices: Year


def activity_complete(activity: Sequence[Activity], month: int) -> bool:
    """Whether every function has both cases and a unit price for each month through `month`."""
    return bool(activity) and all(
        year_to_date(a.cases, month) is not None and year_to_date(a.prices, month) is not None for a in activity
    )


def monthly_run_rate(activity: Activity, month: int) -> float:
    """The expected spend of one later month: the cases in `month` × the mean price of the last months.

    Cases are a stock — the children and adults in a measure now are, almost all, still in it next month —
    so the newest count is the best guess, and a jump in placements counts in full at once (a trend from a
    few lumpy months would overshoot). The unit price, by contrast, moves with when bills are posted, so
    the mean of up to three months keeps one late invoice from being repeated in every remaining month.
    """
    cases = activity.cases[month - 1]
    prices = [p for p in activity.prices[max(0, month - PRICE_MONTHS) : month] if p is not None]
    if cases is None or not prices:
        raise ValueError(f"activity for month {month} is missing")
    return cases * sum(prices) / len(prices)


def activity_forecast(ytd: float, month: int, activity: Sequence[Activity]) -> float | None:
    """Method d: the spend so far plus each remaining month at the functions' run rate (None without figures).

    It knows nothing of year-end postings the ledger makes on top of cases × price; the backtest shows
    how much that costs in each municipality.
    """
    if not activity_complete(activity, month):
        return None
    return ytd + (12 - month) * sum(monthly_run_rate(a, month) for a in activity)


def forecast(
    method: Method, ytd: float, month: int, previous: Sequence[Year], activity: Sequence[Activity] = ()
) -> float | None:
    """The year-end total by `method`, given the spend through `month` and earlier years (newest first);
    method d also needs this year's activity figures."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1–12, not {month}")
    if method == "d":
        return activity_forecast(ytd, month, activity)
    if method == "a":
        return ytd * 12 / month
    pool = previous[:1] if method == "b" else previous[:3]
    shares = [s for s in (share_by(year, month) for year in pool) if s is not None]
    if not shares:
        return None
    return ytd / (sum(shares) / len(shares))


def backtest_errors(
    method: Method, years: Mapping[int, Year], before: int, activity: Mapping[int, Sequence[Activity]] | None = None
) -> dict[int, list[float]]:
    """Month -> relative errors (forecast / actual − 1) of `method` in every complete year before `before`.

    Method d is tried in the years and months that have their activity figures (`activity`, by year).
    """
    errors: dict[int, list[float]] = {m: [] for m in range(1, 13)}
    for year in sorted(y for y in years if y < before):
        actual = total(years[year])
        if actual is None or actual <= 0:
            continue
        previous = [years[y] for y in sorted((y for y in years if y < year), reverse=True)]
        for month in range(1, 12):
            ytd = year_to_date(years[year], month)
            if ytd is None:
                continue
            predicted = forecast(method, ytd, month, previous, (activity or {}).get(year, ()))
            if predicted is not None:
                errors[month].append(predicted / actual - 1)
    return errors


def mape(errors: Sequence[float]) -> float | None:
    """Mean absolute percentage error, as a share (0,031 = 3,1 %)."""
    return sum(abs(e) for e in errors) / len(errors) if errors else None


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def interval(point: float, errors: Sequence[float]) -> tuple[float, float] | None:
    """A 90 % band around the point forecast from the backtest's relative errors (None without any).

    An error e means forecast = actual × (1 + e), so the actual is forecast / (1 + e).
    """
    usable = [e for e in errors if e > -1]
    if not usable:
        return None
    if len(usable) >= MIN_ERRORS_FOR_QUANTILES:
        low_e, high_e = _quantile(usable, 0.05), _quantile(usable, 0.95)
    else:
        widest = max(abs(e) for e in usable)
        low_e, high_e = -min(widest, 0.99), widest
    bounds = sorted((point / (1 + high_e), point / (1 + low_e)))
    return bounds[0], bounds[1]


def overrun_probability(point: float, budget: float, errors: Sequence[float]) -> float | None:
    """The share of error-corrected forecasts above the budget (None without backtest errors)."""
    usable = [e for e in errors if e > -1]
    if not usable:
        return None
    return sum(1 for e in usable if point / (1 + e) > budget) / len(usable)


@dataclass(frozen=True)
class Warning:
    raised: bool
    reason: str


def early_warning(
    deviation: float | None,
    budget: float | None,
    probability: float | None,
    threshold_share: float,
    threshold_amount: float,
) -> Warning:
    """An alert when the expected overrun is material — above both a share of the budget and an amount,
    i.e. the larger of the two (1 % of a 5 bn. kr. budget, but 1 mio. kr. of a 20 mio. kr. one) — or when
    an overrun is more likely than not."""
    if deviation is None or budget is None or budget <= 0:
        return Warning(False, "")
    limit = max(threshold_share * budget, threshold_amount)
    if deviation > limit:
        return Warning(True, "over tærsklen")
    if probability is not None and probability > 0.5:
        return Warning(True, "overskridelse mere sandsynlig end ikke")
    return Warning(False, "")


def budget_sentence(area_name: str, year: int, month: int, point: float | None, budget: float | None) -> str:
    """One plain Danish sentence on an area's expected year-end result, for the briefs (amounts in 1.000 kr.).

    Deviations within half a per cent of the budget are called 'på budgettet' rather than dressed up
    as an overrun or a saving the forecast cannot tell apart from noise.
    """
    if point is None or budget is None or budget <= 0:
        return f"{area_name}: der er ikke tal nok til en prognose for {year}."
    share = (point - budget) / budget
    amount = format_number(abs(point - budget) / 1000, 1)
    when = f"efter {month} måneder" if month < 12 else "for hele året"
    if abs(share) < 0.005:
        return f"{area_name}: {when} peger prognosen på et forbrug på budgettet i {year}."
    word = "en overskridelse" if share > 0 else "et mindreforbrug"
    pct = format_number(abs(share) * 100, 1)
    return f"{area_name}: {when} peger prognosen på {word} på {amount} mio. kr. ({pct} %) i {year}."
