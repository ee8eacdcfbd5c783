"""A Statbank refresh with everything that follows from it: the one code path of `lokalkompas refresh` and of
the refresh job started in the browser (lokalkompas.jobs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from lokalkompas.goals.service import record_statuses
from lokalkompas.indicators.definitions import Definitions
from lokalkompas.legal.service import record_results
from lokalkompas.lib.formatting import format_number
from lokalkompas.sources.statbank.client import StatbankClient
from lokalkompas.sources.statbank.refresh import RefreshSummary, refresh


@dataclass(frozen=True)
class RefreshOutcome:
    summary: RefreshSummary
    legal_changed: int = 0
    goals_changed: int = 0


def refresh_and_record(
    definitions: Definitions,
    client: StatbankClient,
    *,
    today: dt.date,
    area: str | None = None,
    indicator: str | None = None,
    since: int | None = None,
    on_table: Callable[[str, str], None] | None = None,
) -> RefreshOutcome:
    """Fetch every changed table, then load them, derive the indicators and store the legal results and goal
    statuses that changed, all in one transaction (docs/decisions/0017). Raises RefreshRefused while demo data
    are loaded."""
    recorded: list[int] = []

    def record() -> None:  # inside the refresh's transaction: killed, nothing is half-recorded
        recorded.extend([record_results(today), record_statuses()])

    summary = refresh(
        definitions, client, area=area, indicator=indicator, since=since, on_table=on_table, after_load=record
    )
    if not summary.indicators_recomputed:
        return RefreshOutcome(summary)
    legal_changed, goals_changed = recorded
    return RefreshOutcome(summary, legal_changed, goals_changed)


def summary_text(summary: RefreshSummary) -> str:
    return (
        f"Statistikbanken: {summary.checked} tabeller tjekket, {summary.loaded} indlæst, "
        f"{summary.skipped} uændrede; {format_number(summary.rows)} rækker, {format_number(summary.revisions)} "
        f"revisioner, {len(summary.errors)} fejl."
    )


def recorded_text(outcome: RefreshOutcome) -> str:
    """What followed a load, or '' when nothing was loaded."""
    if not outcome.summary.indicators_recomputed:
        return ""
    return (
        f"Indikatorerne er beregnet igen; {outcome.legal_changed} lovkravsresultater og "
        f"{outcome.goals_changed} målstatusser ændret."
    )


def errors_text(summary: RefreshSummary) -> str:
    """The failed tables in one Danish sentence, or '' when none failed."""
    if not summary.errors:
        return ""
    return f"{len(summary.errors)} tabeller kunne ikke hentes; databasen er uændret for dem."
