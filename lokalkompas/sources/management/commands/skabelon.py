"""`lokalkompas skabelon [ID] [--csv] [--ud FILE]`: list the upload templates or write one to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from django.core.management import CommandError
from django_typer.management import TyperCommand

from lokalkompas.lib.files import reason, write_atomically
from lokalkompas.sources.uploads.templates import shipped_templates, template_csv, template_xlsx


class Command(TyperCommand):
    help = "Skabeloner til upload af kommunens egne tal: vis listen, eller skriv én som xlsx eller csv."

    def handle(
        self,
        template: Annotated[str | None, typer.Argument(help="Skabelonens id; uden id vises listen.")] = None,
        csv: Annotated[bool, typer.Option("--csv", help="CSV i stedet for xlsx.")] = False,
        out: Annotated[Path | None, typer.Option("--ud", help="Filen, der skal skrives.")] = None,
    ) -> None:
        templates = shipped_templates()
        if template is None:
            for t in templates.values():
                self.stdout.write(f"{t.id}\t{t.name}\t{', '.join(c.id for c in t.columns)}")
            return
        found = templates.get(template)
        if found is None:
            raise CommandError(f"Ukendt skabelon {template!r}. Se listen med `lokalkompas skabelon`.", returncode=2)
        target = out or Path(f"{found.id}.{'csv' if csv else 'xlsx'}")
        try:
            write_atomically(target, template_csv(found) if csv else template_xlsx(found))
        except OSError as exc:
            raise CommandError(f"Kan ikke skrive {target}: {reason(exc)}. Intet er skrevet.", returncode=1) from exc
        self.stdout.write(f"Skrev {target}.")
