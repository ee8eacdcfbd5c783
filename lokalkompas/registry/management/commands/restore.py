"""`lokalkompas restore FIL [--overskriv]`: load a backup into an empty database (lokalkompas.ops).

The command lives in the registry app only because management commands must belong to an installed
app; the work is in `lokalkompas.ops.restore`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from django.core.management import CommandError
from django_typer.management import TyperCommand

from lokalkompas.ops.archive import ArchiveError
from lokalkompas.ops.restore import restore, summary

logger = logging.getLogger(__name__)


class Command(TyperCommand):
    help = (
        "Gendan en backup i en tom database: kontrollerer hele filen først og indlæser den i én transaktion. "
        "Registret og kataloget indlæses også; Statbank-data hentes bagefter med refresh."
    )

    def handle(
        self,
        file: Annotated[Path, typer.Argument(metavar="FIL", help="Backupfilen (zip), lavet med 'lokalkompas backup'.")],
        replace: Annotated[
            bool,
            typer.Option(
                "--overskriv",
                help="Erstat brugere, mål, beslutninger, uploads, oplæg m.m., som databasen allerede har.",
            ),
        ] = False,
    ) -> None:
        try:
            result = restore(file, replace=replace)
        except ArchiveError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        for line in summary(result):
            self.stdout.write(line)
