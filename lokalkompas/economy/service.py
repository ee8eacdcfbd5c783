"""Forecasts from the store: monthly actuals and budgets per area, the chosen method, its backtest.

Areas are the eight catalogue areas with a `forbrug-<area>` series (monthly actuals, uploaded) and a
budget: the corrected budget (`korrigeret-budget-<area>`, uploaded) where there is one for the year, else
the municipality's own original budget (`budget-upload-<area>`), else Statbank's (`budget-<area>`).

The social area can also be forecast from activity (method d): monthly cases and unit prices for 5.28 and
5.38 (template Aktivitet specialiseret). Where they are missing for a month of the current year, the area
falls back to its other method, and the forecast carries a Danish note saying so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import polars as pl
from django.conf import settings

from lokalkompas.catalog.schema import AREA_IDS
from lokalkompas.economy.forecast import (
    ACTIVITY_AREAS,
    METHOD_NAMES,
    METHODS,
    PROFILE_METHODS,
    Activity,
    Method,
    Warning,
    activity_complete,
    backtest_errors,
    early_warning,
    forecast,
    interval,
    mape,
    overrun_probability,
    share_by,
    year_to_date,
)
from lokalkompas.indicators.store import read_observations
from lokalkompas.lib.formatting import MONTHS

AREAS = AREA_IDS
BUDGET_KINDS = (
    ("korrigeret-budget", "korrigeret budget"),
    ("budget-upload", "oprindeligt budget (kommunens tal)"),
    ("budget", "oprindeligt budget (Danmarks Statistik)"),
)
# Method d's inputs: (cases series, unit price series) per function of the social area.
ACTIVITY_SERIES = (
    ("sager-boern-unge", "enhedspris-boern-unge"),  # 5.28
    ("sager-voksne", "enhedspris-voksne"),  # 5.38
)
# year -> one Activity per function
ActivityYears = dict[int, list[Activity]]


@dataclass(frozen=True)
class AreaForecast:
    geo: str
    area: str
    year: int
    month: int  # the last month with actuals
    method: Method
    ytd: float
    budget: float | None
    budget_kind: str
    point: float | None
    low: float | None
    high: float | None
    deviation: float | None  # forecast − budget, 1.000 kr.
    deviation_share: float | None
    probability: float | None
    warning: Warning
    mape_now: float | None  # the method's backtest error at this month
    backtest_points: int
    mape_by_method: dict[Method, float | None]
    demo: bool
    note: str = ""  # why the chosen method could not be used, in Danish; "" when it was

    @property
    def method_name(self) -> str:
        return METHOD_NAMES[self.method]


def method_for(area: str) -> Method:
    """The forecast method for an area: LOKALKOMPAS_PROGNOSE_METODER (e.g. `social=d,aeldre=b`), else c."""
    chosen = settings.FORECAST_METHODS.get(area, settings.FORECAST_DEFAULT_METHOD)
    return next((m for m in METHODS if m == chosen), "c")


def fallback_for(area: str) -> Method:
    """The method used where d cannot be: the area's own setting, unless that is d, else the default."""
    chosen = settings.FORECAST_METHODS.get(area, settings.FORECAST_DEFAULT_METHOD)
    if chosen == "d":
        chosen = settings.FORECAST_DEFAULT_METHOD
    return next((m for m in PROFILE_METHODS if m == chosen), "c")


def _series_names() -> list[str]:
    names = [f"forbrug-{a}" for a in AREAS]
    names += [f"{prefix}-{a}" for prefix, _ in BUDGET_KINDS for a in AREAS]
    names += [name for pair in ACTIVITY_SERIES for name in pair]
    return names


def read_inputs(geos: list[str] | None) -> pl.DataFrame:
    return read_observations(_series_names(), geos).filter(pl.col("breakdown") == "")


def _months(frame: pl.DataFrame) -> dict[tuple[str, str], dict[int, list[float | None]]]:
    """(geo, area) -> year -> twelve monthly actuals (None where missing)."""
    actuals = frame.filter(pl.col("series").str.starts_with("forbrug-") & pl.col("period").str.contains("M"))
    out: dict[tuple[str, str], dict[int, list[float | None]]] = defaultdict(dict)
    for series, geo, period, value in actuals.select("series", "geo", "period", "value").iter_rows():
        year, month = int(period[:4]), int(period[5:7])
        months = out[(geo, series.removeprefix("forbrug-"))].setdefault(year, [None] * 12)
        months[month - 1] = value
    return out


def _budgets(frame: pl.DataFrame) -> dict[tuple[str, str, int], tuple[float, str]]:
    """(geo, area, year) -> (budget, which budget), the corrected one first."""
    found: dict[tuple[str, str, int], tuple[float, str]] = {}
    for prefix, label in reversed(BUDGET_KINDS):  # later kinds overwrite: corrected wins
        rows = frame.filter(pl.col("series").is_in([f"{prefix}-{a}" for a in AREAS]) & pl.col("value").is_not_null())
        for series, geo, period, value in rows.select("series", "geo", "period", "value").iter_rows():
            if len(period) == 4:
                found[(geo, series.removeprefix(f"{prefix}-"), int(period))] = (value, label)
    return found


def _activity(frame: pl.DataFrame) -> dict[str, ActivityYears]:
    """geo -> year -> the social area's functions' monthly cases and unit prices (None where missing)."""
    wanted = [name for pair in ACTIVITY_SERIES for name in pair]
    rows = frame.filter(pl.col("series").is_in(wanted) & pl.col("period").str.contains("M"))
    values: dict[tuple[str, str, int], list[float | None]] = {}
    for series, geo, period, value in rows.select("series", "geo", "period", "value").iter_rows():
        year, month = int(period[:4]), int(period[5:7])
        values.setdefault((geo, series, year), [None] * 12)[month - 1] = value
    out: dict[str, ActivityYears] = defaultdict(dict)
    for geo, _series, year in values:
        if year not in out[geo]:
            empty: list[float | None] = [None] * 12
            out[geo][year] = [
                Activity(values.get((geo, cases, year), empty), values.get((geo, prices, year), empty))
                for cases, prices in ACTIVITY_SERIES
            ]
    return out


def forecasts(geos: list[str] | None = None, method: Method | None = None) -> list[AreaForecast]:
    """Every area's forecast for the newest year with actuals, per municipality."""
    frame = read_inputs(geos)
    demo_geos = set(frame.filter(pl.col("status") == "demo")["geo"].unique().to_list())
    months = _months(frame)
    budgets = _budgets(frame)
    activity = _activity(frame)
    out = []
    for (geo, area), years in sorted(months.items()):
        found = _one(
            geo,
            area,
            years,
            budgets,
            method or method_for(area),
            geo in demo_geos,
            activity.get(geo, {}) if area in ACTIVITY_AREAS else {},
        )
        if found is not None:
            out.append(found)
    return out


def _latest_month(year: list[float | None]) -> int:
    month = 0
    while month < 12 and year[month] is not None:
        month += 1
    return month


def _usable_method(area: str, method: Method, activity: ActivityYears, year: int, month: int) -> tuple[Method, str]:
    """The requested method, or the area's fallback with a Danish note when d lacks its figures."""
    if method != "d":
        return method, ""
    other = fallback_for(area)
    if month == 12 and area in ACTIVITY_AREAS:
        return method, ""  # the year is complete: its forecast is its actual total, whatever the method
    instead = f"I stedet bruges {METHOD_NAMES[other]}."
    if area not in ACTIVITY_AREAS:
        return (
            other,
            f"Aktivitetsprognosen (sager × enhedspris) findes kun for det specialiserede socialområde. {instead}",
        )
    if not activity_complete(activity.get(year, []), month):
        through = f"januar–{MONTHS[month - 1]}" if month > 1 else "januar"
        return other, (
            "Aktivitetsprognosen (sager × enhedspris) kræver antal sager og enhedspriser for både 5.28 og 5.38 "
            f"for {through} {year}, og de er ikke alle indlæst (skabelonen Aktivitet specialiseret). {instead}"
        )
    return method, ""


def _methods_with_data(area: str, activity: ActivityYears) -> tuple[Method, ...]:
    """The methods to backtest: d only for an area with activity figures in some year."""
    return (*PROFILE_METHODS, "d") if area in ACTIVITY_AREAS and activity else PROFILE_METHODS


def _one(
    geo: str,
    area: str,
    years: dict[int, list[float | None]],
    budgets: dict[tuple[str, str, int], tuple[float, str]],
    method: Method,
    demo: bool,
    activity: ActivityYears | None = None,
) -> AreaForecast | None:
    activity = activity or {}
    year = max(years)
    month = _latest_month(years[year])
    if month == 0:
        return None
    method, note = _usable_method(area, method, activity, year, month)
    ytd = year_to_date(years[year], month) or 0.0
    previous = [years[y] for y in sorted((y for y in years if y < year), reverse=True)]
    point = forecast(method, ytd, month, previous, activity.get(year, ())) if month < 12 else ytd
    budget, kind = budgets.get((geo, area, year), (None, ""))
    by_method = {m: backtest_errors(m, years, year, activity) for m in _methods_with_data(area, activity)}
    errors = by_method[method][month] if month < 12 else []
    band = interval(point, errors) if point is not None else None
    deviation = point - budget if point is not None and budget is not None else None
    share = deviation / budget if deviation is not None and budget else None
    probability = overrun_probability(point, budget, errors) if point is not None and budget is not None else None
    warning = early_warning(deviation, budget, probability, settings.BUDGET_ALERT_SHARE, settings.BUDGET_ALERT_AMOUNT)
    return AreaForecast(
        geo,
        area,
        year,
        month,
        method,
        ytd,
        budget,
        kind,
        point,
        band[0] if band else None,
        band[1] if band else None,
        deviation,
        share,
        probability,
        warning,
        mape(errors),
        len(errors),
        {m: mape(by_method[m][month]) if month < 12 else None for m in by_method},
        demo,
        note,
    )


@dataclass(frozen=True)
class AreaPath:
    """One area's year month by month: actual spend to date, the budget spread by the profile, the forecast."""

    forecast: AreaForecast
    months: list[str]  # 2025M01 … 2025M12
    actual: list[float | None]  # cumulative
    budget_path: list[float | None]  # the budget spread by the average profile of earlier years
    forecast_path: list[float | None]  # from the last actual month to the year-end forecast
    backtest: dict[Method, list[float | None]]  # the methods' MAPE for each month (d only with activity figures)


def area_path(geo: str, area: str) -> AreaPath | None:
    frame = read_inputs([geo])
    years = _months(frame).get((geo, area))
    if not years:
        return None
    activity = _activity(frame).get(geo, {}) if area in ACTIVITY_AREAS else {}
    is_demo = frame.filter(pl.col("status") == "demo").height > 0
    found = _one(geo, area, years, _budgets(frame), method_for(area), is_demo, activity)
    if found is None:
        return None
    current = years[found.year]
    previous = [years[y] for y in sorted((y for y in years if y < found.year), reverse=True)][:3]
    profile = [_average_share(previous, m) or m / 12 for m in range(1, 13)]
    actual = [year_to_date(current, m) for m in range(1, 13)]
    budget_path = [found.budget * s if found.budget is not None else None for s in profile]
    forecast_path: list[float | None] = [None] * 12
    if found.point is not None:
        done = profile[found.month - 1]
        forecast_path[found.month - 1] = found.ytd
        for m in range(found.month + 1, 13):
            # The rest of the year follows the profile from where the municipality stands now.
            forecast_path[m - 1] = found.ytd + (found.point - found.ytd) * (profile[m - 1] - done) / (1 - done or 1)
    methods = _methods_with_data(area, activity)
    errors = {m: backtest_errors(m, years, found.year, activity) for m in methods}
    backtest = {m: [mape(errors[m][month]) for month in range(1, 12)] + [None] for m in methods}
    months = [f"{found.year}M{m:02d}" for m in range(1, 13)]
    return AreaPath(found, months, actual, budget_path, forecast_path, backtest)


def _average_share(previous: list[list[float | None]], month: int) -> float | None:
    shares = [s for s in (share_by(y, month) for y in previous) if s is not None]
    return sum(shares) / len(shares) if shares else None
