"""`lokalkompas beslutning`: the register of council decisions that legal duties ask for."""

from __future__ import annotations

from typing import Annotated

import typer
from django.core.management import CommandError
from django.utils import timezone
from django_typer.management import TyperCommand, command

from lokalkompas.legal.management.commands.lovkrav import parse_day
from lokalkompas.legal.models import Decision
from lokalkompas.legal.service import DecisionError, delete_decision, register_decision
from lokalkompas.lib.formatting import format_date
from lokalkompas.registry.options import municipality_option

KINDS = ", ".join(k.value for k in Decision.Kind)


class Command(TyperCommand):
    help = "Registrér kommunalbestyrelsens beslutninger, som lovkravene bygger på (fx vedtaget beredskabsplan)."

    @command(help="Registrér en beslutning.")
    def tilfoej(
        self,
        kommune: Annotated[str, typer.Option("--kommune", help="Kommunekode, fx 101.")],
        type_: Annotated[str, typer.Option("--type", help=f"Beslutningens type: {KINDS}.")],
        dato: Annotated[str, typer.Option("--dato", help="Dagen for beslutningen (ÅÅÅÅ-MM-DD).")],
        henvisning: Annotated[str, typer.Option("--henvisning", help="Møde og punkt, eller et link til referatet.")],
        note: Annotated[str, typer.Option("--note", help="Valgfri bemærkning.")] = "",
    ) -> None:
        today = timezone.localdate()
        try:
            decision = register_decision(kommune, type_, parse_day(dato), henvisning, today, note)
        except DecisionError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(
            f"Registreret som nr. {decision.pk}: {decision.get_kind_display()} {format_date(decision.date)}. "
            "Lovkravene er vurderet igen."
        )

    @command(name="list", help="Vis de registrerede beslutninger for en kommune.")
    def list_(self, kommune: Annotated[str, typer.Option("--kommune", help="Kommunekode, fx 101.")]) -> None:
        municipality = municipality_option(kommune)
        rows = Decision.objects.filter(geo_id=municipality.code).order_by("kind", "-date")
        if not rows:
            self.stdout.write(f"Der er ingen registrerede beslutninger for {municipality.name}.")
        for d in rows:
            demo = " [DEMO]" if d.demo else ""
            self.stdout.write(f"{d.pk}\t{format_date(d.date)}\t{d.get_kind_display()}\t{d.reference}{demo}")

    @command(help="Slet en registreret beslutning (nummeret står i `list`).")
    def slet(self, nummer: Annotated[int, typer.Argument(help="Beslutningens nummer.")]) -> None:
        try:
            decision = delete_decision(nummer, timezone.localdate())
        except DecisionError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"Slettet: {decision.get_kind_display()} {format_date(decision.date)}.")
