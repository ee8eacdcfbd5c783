"""`lokalkompas brief --kommune CODE [--omraade AREA] --format html|pdf|docx --out FILE [--udsted]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from django.core.management import CommandError
from django.db import transaction
from django.utils import timezone
from django_typer.management import TyperCommand

from lokalkompas.briefs.model import Brief
from lokalkompas.briefs.service import draft, issue
from lokalkompas.catalog.models import Area
from lokalkompas.lib.files import reason, write_atomically
from lokalkompas.registry.options import municipality_option

FORMATS = ("html", "pdf", "docx")


def render(brief: Brief, kind: str) -> bytes:
    """The brief as a file of the chosen format (the renderers load their libraries on first use)."""
    if kind == "html":
        from lokalkompas.briefs.html import render_html

        return render_html(brief, standalone=True).encode("utf-8")
    if kind == "pdf":
        from lokalkompas.briefs.pdf import render_pdf

        return render_pdf(brief)
    from lokalkompas.briefs.docx import render_docx

    return render_docx(brief)


class Command(TyperCommand):
    help = "Skriv et drøftelsesoplæg for én kommune og ét område (eller hele kommunalbestyrelsen) til en fil."

    def handle(
        self,
        kommune: Annotated[str, typer.Option("--kommune", help="Kommunekode eller navn, fx 101.")],
        out: Annotated[Path, typer.Option("--out", help="Filen, oplægget skrives til.")],
        fmt: Annotated[str, typer.Option("--format", help="html, pdf eller docx.")] = "pdf",
        omraade: Annotated[
            str | None, typer.Option("--omraade", help="Områdets id, fx dagtilbud; uden: alle otte områder.")
        ] = None,
        udsted: Annotated[
            bool, typer.Option("--udsted", help="Gem oplægget som udstedt, så det næste kan sige, hvad der er nyt.")
        ] = False,
    ) -> None:
        found = municipality_option(kommune)
        if fmt not in FORMATS:
            raise CommandError(f"Ukendt format {fmt!r}: brug html, pdf eller docx.", returncode=2)
        areas = [omraade] if omraade else None
        if omraade and not Area.objects.filter(pk=omraade).exists():
            known = ", ".join(Area.objects.order_by("order").values_list("id", flat=True))
            raise CommandError(f"Ukendt område {omraade!r}. Brug et af: {known}.", returncode=2)
        if not out.parent.is_dir():
            raise CommandError(f"Mappen {out.parent} findes ikke.", returncode=2)
        today = timezone.localdate()
        with transaction.atomic():  # a file that cannot be written issues nothing either
            brief = issue(found.code, areas, today, None).brief if udsted else draft(found.code, areas, today)
            data = render(brief, fmt)
            try:
                write_atomically(out, data)  # a full disk leaves no half-written file (docs/decisions/0017)
            except OSError as exc:
                message = f"Kan ikke skrive {out}: {reason(exc)}. Intet er skrevet."
                raise CommandError(message, returncode=1) from exc
        issued = " og udstedt" if udsted else ""
        demo = " (DEMO: bygget på syntetiske demodata)" if brief.demo else ""
        self.stdout.write(f"{brief.title} for {found.name} skrevet{issued} til {out}{demo}.")
