"""`lokalkompas lovkrav --kommune CODE`: every legal rule's result for one municipality."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from django.core.management import CommandError
from django.utils import timezone
from django_typer.management import TyperCommand

from lokalkompas.legal.base import RuleResult
from lokalkompas.legal.catalogue import RULES_BY_ID
from lokalkompas.legal.service import evaluate_municipality, record_results
from lokalkompas.lib.formatting import format_date, format_number
from lokalkompas.registry.options import municipality_option

DETAIL_LABELS = {
    "lovens_normering_0_2": "Lovens normering 0–2 år",
    "lovens_normering_3_5": "Lovens normering 3–5 år",
    "offentliggjort_normering_0_2": "Offentliggjort normering 0–2 år (DST)",
    "offentliggjort_normering_3_5": "Offentliggjort normering 3–5 år (DST)",
    "forskel_0_2": "Forskel 0–2 år",
    "forskel_3_5": "Forskel 3–5 år",
}


def parse_day(text: str | None) -> dt.date:
    if text is None:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ugyldig dato {text!r}: skriv den som ÅÅÅÅ-MM-DD, fx 2026-11-27.", returncode=2) from None


def describe(result: RuleResult) -> list[str]:
    rule = RULES_BY_ID[result.rule]
    outcome = result.outcome.upper() + (" (fristen er overskredet)" if result.overdue else "")
    demo = " [DEMO: syntetiske data]" if result.demo else ""
    lines = [f"{rule.title}{demo}", f"  Resultat: {outcome}", f"  Lovgrundlag: {rule.legal_reference}"]
    if result.margin is not None:
        lines.append(
            f"  Margin: {format_number(result.margin, 1 if rule.margin_unit != 'dage' else 0)} {rule.margin_unit}"
        )
    if result.period:
        lag = f" (data er {result.lag_months} måneder gamle)" if result.lag_months is not None else ""
        lines.append(f"  Periode: {result.period}{lag}")
    if result.due:
        lines.append(f"  Frist: {format_date(result.due)}")
    lines.append(f"  {result.explanation}")
    for key, value in result.details.items():
        if value is not None:
            lines.append(f"  {DETAIL_LABELS.get(key, key)}: {format_number(value, 2)}")
    lines += [f"  Forbehold: {c}" for c in result.caveats]
    return lines


class Command(TyperCommand):
    help = "Vis resultatet af hvert lovkrav for en kommune, eller gem resultaterne for alle kommuner."

    def handle(
        self,
        kommune: Annotated[str | None, typer.Option("--kommune", help="Kommunekode, fx 101.")] = None,
        dato: Annotated[
            str | None, typer.Option("--dato", help="Vurdér pr. denne dag (ÅÅÅÅ-MM-DD); standard i dag.")
        ] = None,
        gem: Annotated[
            bool, typer.Option("--gem", help="Vurdér alle kommuner og gem de resultater, der har ændret sig.")
        ] = False,
    ) -> None:
        today = parse_day(dato)
        if gem:
            changed = record_results(today)
            self.stdout.write(
                f"Lovkravene er vurderet for alle kommuner pr. {format_date(today)}; {changed} resultater ændret."
            )
            if kommune is None:
                return
        if kommune is None:
            raise CommandError("Angiv --kommune (fx --kommune 101) eller --gem.", returncode=2)
        municipality = municipality_option(kommune)
        self.stdout.write(f"Lovkrav for {municipality.official_name} pr. {format_date(today)}\n")
        for result in evaluate_municipality(municipality.code, today):
            self.stdout.write("\n".join(describe(result)) + "\n")
