"""`refresh --source statbank`: fetch every needed table that changed, then load them in one transaction."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.db import transaction

from lokalkompas.indicators.definitions import Definitions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.indicators.schema import BaseSeries, StatbankSource
from lokalkompas.indicators.service import compute_indicators
from lokalkompas.indicators.store import write_observations
from lokalkompas.registry.models import Geography
from lokalkompas.sources.statbank.client import StatbankClient, StatbankError, TableSummary
from lokalkompas.sources.statbank.parse import StatbankParseError
from lokalkompas.sources.statbank.plan import PlanError, plan_request, resolve_table, to_store

# DST's update stamps are Danish local time without a zone.
DST_ZONE = zoneinfo.ZoneInfo("Europe/Copenhagen")


class RefreshRefused(Exception):
    """Refresh would mix real data into a demo database."""


@dataclass
class RefreshSummary:
    checked: int = 0
    loaded: int = 0
    skipped: int = 0
    rows: int = 0
    revisions: int = 0
    errors: list[str] = field(default_factory=list)
    indicators_recomputed: bool = False


def needed_series(definitions: Definitions, area: str | None, indicator: str | None) -> list[BaseSeries]:
    """The Statbank base series behind the chosen indicators (all, one area, or one indicator). A whole
    refresh, or one of an area, also takes the series no indicator reads (budgets, accounts, the population
    projection: the economy pages read them directly)."""
    chosen = [
        ind
        for ind in definitions.indicators.values()
        if (area is None or definitions.area_of[ind.id] == area) and (indicator is None or ind.id == indicator)
    ]
    ids = {t.series for ind in chosen for t in ind.terms()}
    if indicator is None:
        # Series that pages read directly, with no indicator on top (the economy area's budgets and
        # accounts), come along when everything, or their own area, is refreshed.
        ids |= {s.id for f in definitions.files if area is None or f.area == area for s in f.series}
    return [definitions.series[s] for s in sorted(ids) if isinstance(definitions.series[s].source, StatbankSource)]


def group_by_table(series: list[BaseSeries], tables: list[TableSummary]) -> dict[str, list[BaseSeries]]:
    out: dict[str, list[BaseSeries]] = {}
    for s in series:
        assert isinstance(s.source, StatbankSource)
        out.setdefault(resolve_table(s.source, tables), []).append(s)
    return out


def _unchanged(table: str, updated: dt.datetime, series: list[BaseSeries]) -> bool:
    last = Vintage.objects.filter(source=Vintage.Source.STATBANK, label=table).order_by("-loaded_at").first()
    if last is None or last.source_updated != updated:
        return False
    # A series added to the definitions since the last load still needs this table.
    return all(Observation.objects.filter(series=s.id).exists() for s in series)


def refresh(
    definitions: Definitions,
    client: StatbankClient,
    *,
    area: str | None = None,
    indicator: str | None = None,
    since: int | None = None,
    on_table: Callable[[str, str], None] | None = None,
    after_load: Callable[[], None] | None = None,
) -> RefreshSummary:
    """Load every needed table that changed and derive the indicators again. `after_load` runs in the same
    transaction once something was loaded (the command records legal results and goal statuses there)."""
    if Vintage.objects.filter(source=Vintage.Source.DEMO).exists():
        raise RefreshRefused("Databasen indeholder demodata. Kør 'lokalkompas demo clear' før rigtige data hentes.")
    summary = RefreshSummary()
    series = needed_series(definitions, area, indicator)
    try:
        tables = client.tables()
    except (StatbankError, StatbankParseError) as exc:
        summary.errors.append(f"tabellisten: {exc}")
        return summary
    stamps = {t.id: t for t in tables}
    try:
        by_table = group_by_table(series, tables)
    except PlanError as exc:
        summary.errors.append(str(exc))
        return summary
    geos = set(Geography.objects.values_list("code", flat=True))
    note = on_table or (lambda _t, _s: None)
    fetched: list[tuple[str, list[BaseSeries], pl.DataFrame, dt.datetime | None]] = []
    for table, table_series in sorted(by_table.items()):
        summary.checked += 1
        known = stamps.get(table)
        updated = known.updated.replace(tzinfo=DST_ZONE) if known else None
        if updated is not None and _unchanged(table, updated, table_series):
            summary.skipped += 1
            note(table, "uændret")
            continue
        try:
            fetched.append((table, table_series, _fetch_table(client, table, table_series, geos, since), updated))
        except (StatbankError, StatbankParseError, PlanError) as exc:
            summary.errors.append(f"{table}: {exc}")
            note(table, "fejl")
    # Fetch everything first, then write every table and the indicators derived from them in one
    # transaction: a refresh killed half-way (kill -9, a crash) leaves the database as it was, never base
    # series newer than the indicators derived from them (the next run, seeing the tables unchanged,
    # would not derive them again). A table that fails to write rolls back alone (its savepoint).
    # Nothing waits on the network inside the transaction. docs/decisions/0017.
    with transaction.atomic():
        for table, table_series, frame, updated in fetched:
            try:
                with transaction.atomic():
                    result = write_observations(
                        frame,
                        source=Vintage.Source.STATBANK,
                        label=table,
                        source_updated=updated,
                        note=", ".join(s.id for s in table_series),
                    )
            except (StatbankError, StatbankParseError, PlanError) as exc:
                summary.errors.append(f"{table}: {exc}")
                note(table, "fejl")
                continue
            summary.loaded += 1
            summary.rows += result.inserted + result.revised
            summary.revisions += result.revised
            note(table, "indlæst")
        if summary.loaded:
            compute_indicators(definitions)
            summary.indicators_recomputed = True
            if after_load is not None:
                after_load()
    return summary


def _fetch_table(
    client: StatbankClient, table: str, series: list[BaseSeries], geos: set[str], since: int | None
) -> pl.DataFrame:
    """Every series of one table, fetched completely before anything is written."""
    info = client.tableinfo(table)
    frames = []
    for s in series:
        request = plan_request(s, table, info, geos, since)
        frames.append(to_store(request, client.data(info, request.selection)))
    return pl.concat(frames)
