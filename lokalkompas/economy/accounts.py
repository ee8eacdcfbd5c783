"""Closed years per area: the accounts (REGK31) against the original budget (BUDK32).

The arithmetic (`history_rows`) takes plain year -> value mappings; `accounts_history` reads them from
the store for one municipality and one area. Missing stays missing: a year without a budget or
without accounts has no deviation (None), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.indicators.schema import StatbankSource
from lokalkompas.indicators.store import read_observations


@dataclass(frozen=True)
class AccountsYear:
    year: int
    budget: float | None  # original budget, 1.000 kr.
    accounts: float | None  # 1.000 kr.
    deviation: float | None  # accounts − budget, 1.000 kr.
    deviation_share: float | None  # deviation / budget


@dataclass(frozen=True)
class AccountsHistory:
    geo: str
    area: str
    years: list[AccountsYear]
    budget_table: str
    accounts_table: str
    demo: bool

    @property
    def period(self) -> str:
        """'2019–2025', or '' without years."""
        if not self.years:
            return ""
        first, last = self.years[0].year, self.years[-1].year
        return str(first) if first == last else f"{first}–{last}"


def budget_series(area: str) -> str:
    return f"budget-{area}"


def accounts_series(area: str) -> str:
    return f"regnskab-{area}"


def deviation_of(budget: float | None, accounts: float | None) -> tuple[float | None, float | None]:
    """(accounts − budget, that as a share of the budget); None where either is missing."""
    if budget is None or accounts is None:
        return None, None
    deviation = accounts - budget
    # Over the budget's size, so a net income (a negative budget) overrun by more income is still negative.
    return deviation, (deviation / abs(budget) if budget else None)


def history_rows(budgets: dict[int, float | None], accounts: dict[int, float | None]) -> list[AccountsYear]:
    """One row per closed year, oldest first: a year is closed up to the newest year with an accounts row."""
    if not accounts:
        return []
    last_closed = max(accounts)
    years = sorted(y for y in set(budgets) | set(accounts) if y <= last_closed)
    rows = []
    for year in years:
        budget, spent = budgets.get(year), accounts.get(year)
        deviation, share = deviation_of(budget, spent)
        rows.append(AccountsYear(year, budget, spent, deviation, share))
    return rows


def _by_year(frame: pl.DataFrame, series: str) -> dict[int, float | None]:
    rows = frame.filter((pl.col("series") == series) & (pl.col("period").str.len_chars() == 4))
    return {int(period): value for period, value in rows.select("period", "value").iter_rows()}


def _table(series: str) -> str:
    source = shipped_definitions().series[series].source
    return source.table if isinstance(source, StatbankSource) else ""


def _is_demo(series: list[str], geo: str) -> bool:
    loads = Observation.objects.filter(series__in=series, geo_id=geo).values_list("vintage__source", flat=True)
    return Vintage.Source.DEMO in set(loads.distinct())


def accounts_history(geo: str, area: str) -> AccountsHistory:
    """The closed years of one municipality's area, as the store holds them."""
    names = [budget_series(area), accounts_series(area)]
    frame = read_observations(names, [geo]).filter(pl.col("breakdown") == "")
    years = history_rows(_by_year(frame, names[0]), _by_year(frame, names[1]))
    return AccountsHistory(geo, area, years, _table(names[0]), _table(names[1]), _is_demo(names, geo))
