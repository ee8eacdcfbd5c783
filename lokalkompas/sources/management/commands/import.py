"""`lokalkompas import FILE [--dry-run]`: check a filled-in template and load it, or say precisely why not."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from django.core.management import CommandError
from django.db import transaction
from django_typer.management import TyperCommand

from lokalkompas.lib.formatting import format_number
from lokalkompas.sources.uploads.reading import UploadError
from lokalkompas.sources.uploads.service import (
    ImportRefused,
    check_file,
    import_checked,
    preview,
    receive,
    refuse_while_demo,
)

SHOWN_PROBLEMS = 50
logger = logging.getLogger(__name__)


class Command(TyperCommand):
    help = "Indlæs en udfyldt skabelon (xlsx eller csv): kontrol, forhåndsvisning og indlæsning i én transaktion."

    def handle(
        self,
        file: Annotated[Path, typer.Argument(help="Filen, der skal indlæses.")],
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Kontrollér og vis, men indlæs intet.")] = False,
        template: Annotated[
            str | None, typer.Option("--skabelon", help="Skabelonens id; ellers findes den ud fra kolonnerne.")
        ] = None,
    ) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: filen kan ikke læses ({exc.strerror}).", returncode=2) from exc
        try:
            refuse_while_demo(file.name)
            checked = check_file(file.name, data, allowed=None, template_id=template)
        except UploadError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        for problem in [*checked.errors, *checked.warnings][:SHOWN_PROBLEMS]:
            label = "Fejl" if problem.severity == "fejl" else "Advarsel"
            self.stderr.write(f"{label}: {problem.describe(file.name)}")
        hidden = len(checked.errors) + len(checked.warnings) - SHOWN_PROBLEMS
        if hidden > 0:
            self.stderr.write(f"… og {hidden} problemer mere.")
        if not checked.ok:
            raise CommandError(f"{file.name}: {len(checked.errors)} fejl; intet er indlæst.", returncode=1)
        shown = preview(checked)
        name = checked.template.name if checked.template else ""
        self.stdout.write(
            f"{file.name} (skabelon {name}): {checked.data_rows} rækker, {shown.new_count} nye værdier, "
            f"{shown.changed_count} ændrede, {shown.unchanged_count} uændrede, {len(checked.warnings)} advarsler."
        )
        for line in shown.changed[:20]:
            self.stdout.write(
                f"  ændret: {line.geo_name} {line.period} {line.series_name}: "
                f"{format_number(line.old, 2)} → {format_number(line.new, 2)}"
            )
        if dry_run:
            self.stdout.write("Prøvekørsel: intet er indlæst.")
            return
        try:
            # One transaction for the kept file and its import: a run killed half-way leaves no pending
            # upload behind (the web's preview keeps one on purpose; a command has no preview to return to).
            with transaction.atomic():
                upload = import_checked(checked, receive(file.name, data, None, checked))
        except ImportRefused as exc:
            raise CommandError(str(exc), returncode=1) from exc
        except Exception as exc:  # our fault, not the file's: the transaction rolled back; log the details
            logger.exception("Import of %s failed", file)
            raise CommandError(f"{file.name}: indlæsningen fejlede, og intet er gemt ({exc}).", returncode=1) from exc
        if upload.vintage is None:
            self.stdout.write("Intet nyt: alle værdier findes allerede.")
        else:
            self.stdout.write(f"Indlæst som udgave {upload.vintage.pk}; indikatorerne er beregnet igen.")
