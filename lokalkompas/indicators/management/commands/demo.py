"""`lokalkompas demo`: the synthetic demo data set, so the system runs offline on first start."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from django.conf import settings
from django.core.management import CommandError
from django.db import transaction
from django.utils import timezone
from django_typer.management import TyperCommand, command

from lokalkompas.accounts.demo import clear_demo_users, create_demo_users
from lokalkompas.goals.service import clear_demo_goals, load_demo_goals
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.demo import DemoConfig
from lokalkompas.indicators.service import DemoRefused, clear_demo, has_real_data, load_demo
from lokalkompas.legal.service import clear_demo_decisions, load_demo_decisions


def refuse_in_production() -> None:
    """Demo data, and above all demo users with printed passwords, never belong in production."""
    if settings.PRODUCTION:
        raise CommandError(
            "Demodata og demobrugere kan ikke bruges, når LOKALKOMPAS_ENV=production. "
            "Brug en installation i udviklingstilstand til afprøvning.",
            returncode=1,
        )


class Command(TyperCommand):
    help = "Demodata: et syntetisk datasæt for alle 98 kommuner, tydeligt mærket DEMO."

    @command(help="Indlæs demodata (samme frø giver samme data; kan køres igen uden skade).")
    def load(
        self,
        seed: Annotated[int, typer.Option("--seed", help="Frø til tilfældighedsgeneratoren.")] = 2026,
        skip_real: Annotated[
            bool,
            typer.Option(
                "--hvis-ingen-rigtige-data",
                help="Spring stille over, hvis databasen har rigtige data (til `make run`).",
            ),
        ] = False,
    ) -> None:
        refuse_in_production()
        if skip_real and has_real_data():
            self.stdout.write("Databasen indeholder rigtige data; demodata indlæses ikke.")
            return
        started = time.monotonic()
        try:
            # One transaction: the data and the decisions the legal rules read arrive together or not at all.
            with transaction.atomic():
                result = load_demo(shipped_definitions(), DemoConfig(seed=seed))
                decisions = load_demo_decisions(seed, timezone.localdate())
                goals = load_demo_goals(seed)
                logins = create_demo_users()
        except DemoRefused as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if result.already_loaded:
            self.stdout.write(f"Demodata med frø {seed} er allerede indlæst; tallene er uændrede.")
        else:
            self.stdout.write(
                f"DEMO-data er indlæst på {time.monotonic() - started:.0f} sekunder: {result.base_rows} basisværdier, "
                f"{result.indicator_rows} indikatorværdier, {result.revised} reviderede værdier, "
                f"{decisions} beslutninger til lovkravene og {goals} mål med handlinger og beslutninger."
            )
        self.stdout.write("\nDemobrugere (kun til afprøvning; nye adgangskoder ved hver indlæsning):")
        for login in logins:
            self.stdout.write(
                f"  {login.role:<14} i {login.municipality}: {login.username}  adgangskode: {login.password}"
            )

    @command(help="Fjern alle demodata og det, der er beregnet ud fra dem.")
    def clear(self) -> None:
        try:
            with transaction.atomic():
                count = clear_demo()
                count += clear_demo_decisions()
                count += clear_demo_goals()
                count += clear_demo_users()
        except DemoRefused as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(f"Fjernede {count} demoværdier.")
