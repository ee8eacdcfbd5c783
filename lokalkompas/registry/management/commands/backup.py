"""`lokalkompas backup FIL`: everything that cannot be fetched again, in one zip archive (lokalkompas.ops).

The command lives in the registry app only because management commands must belong to an installed
app; the work is in `lokalkompas.ops.backup`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from django.core.management import CommandError
from django_typer.management import TyperCommand

from lokalkompas.lib.formatting import format_number
from lokalkompas.ops.archive import ArchiveError, describe_counts, kinds
from lokalkompas.ops.backup import write_backup


class Command(TyperCommand):
    help = (
        "Tag en backup af alt, der ikke kan hentes igen: brugere og roller, mål, handlinger, beslutninger, "
        "kommentarer, uploads med deres udgaver og udstedte oplæg."
    )

    def handle(
        self, file: Annotated[Path, typer.Argument(metavar="FIL", help="Backupfilen, der skal skrives (zip).")]
    ) -> None:
        try:
            result = write_backup(file)
        except ArchiveError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        names = {k.label: k.danish for k in kinds()}
        size = format_number(result.size / 1_000_000, 1)
        self.stdout.write(f"Backup skrevet til {file} ({size} MB): {describe_counts(result.counts, names)}.")
        self.stdout.write(
            "Ikke med (hentes igen): registret, kataloget, Statbank-data, beregnede indikatorer og demodata."
        )
