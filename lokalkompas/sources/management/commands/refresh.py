"""`lokalkompas refresh --source statbank`: fetch what changed at the source, table by table."""

from __future__ import annotations

import enum
from typing import Annotated

import typer
from django.core.management import CommandError
from django.utils import timezone
from django_typer.management import TyperCommand
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from lokalkompas.goals.service import record_statuses
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.legal.service import record_results
from lokalkompas.sources.statbank.client import StatbankClient, settings_from_django
from lokalkompas.sources.statbank.refresh import RefreshRefused, needed_series, refresh


class Source(enum.StrEnum):
    statbank = "statbank"


class Command(TyperCommand):
    help = "Hent nye og ændrede data fra kilderne; uændrede tabeller springes over."

    def handle(
        self,
        source: Annotated[Source, typer.Option("--source", help="Kilden, der skal hentes fra.")] = Source.statbank,
        area: Annotated[str | None, typer.Option("--area", help="Kun dette områdes indikatorer og serier.")] = None,
        indicator: Annotated[str | None, typer.Option("--indicator", help="Kun denne indikator.")] = None,
        since: Annotated[int | None, typer.Option("--since", help="Kun perioder fra dette år.")] = None,
    ) -> None:
        definitions = shipped_definitions()
        if indicator and indicator not in definitions.indicators:
            raise CommandError(f"Indikatoren {indicator!r} findes ikke.", returncode=2)
        if area and not needed_series(definitions, area, None):
            raise CommandError(f"Området {area!r} har ingen serier fra Statistikbanken.", returncode=2)
        # The progress bar goes to stderr, so the summary on stdout stays clean for scripts and cron mail.
        console = Console(stderr=True)
        with (
            StatbankClient(settings_from_django()) as client,
            Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
            ) as progress,
        ):
            task = progress.add_task("Statistikbanken", total=None)

            def on_table(table: str, outcome: str) -> None:
                progress.update(task, advance=1, description=f"{table}: {outcome}")

            tables = {
                getattr(s.source, "table_pattern", None) or getattr(s.source, "table", "")
                for s in needed_series(definitions, area, indicator)
            }
            progress.update(task, total=len(tables))
            recorded: list[int] = []

            def record() -> None:  # inside the refresh's transaction: killed, nothing is half-recorded
                recorded.extend([record_results(timezone.localdate()), record_statuses()])

            try:
                summary = refresh(
                    definitions,
                    client,
                    area=area,
                    indicator=indicator,
                    since=since,
                    on_table=on_table,
                    after_load=record,
                )
            except RefreshRefused as exc:
                raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(
            f"Statistikbanken: {summary.checked} tabeller tjekket, {summary.loaded} indlæst, "
            f"{summary.skipped} uændrede; {summary.rows} rækker, {summary.revisions} revisioner, "
            f"{len(summary.errors)} fejl."
        )
        if summary.indicators_recomputed:
            changed, goals = recorded
            self.stdout.write(
                f"Indikatorerne er beregnet igen; {changed} lovkravsresultater og {goals} målstatusser ændret."
            )
        for error in summary.errors:
            self.stderr.write(f"Fejl: {error}")
        if summary.errors:
            raise CommandError(
                f"{len(summary.errors)} tabeller kunne ikke hentes; databasen er uændret for dem.", returncode=1
            )
