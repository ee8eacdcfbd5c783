"""`lokalkompas demo`: the synthetic demo data set, so the system runs offline on first start."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from django.core.management import CommandError
from django.db import transaction
from django.utils import timezone
from django_typer.management import TyperCommand, command

from lokalkompas.goals.service import clear_demo_goals, load_demo_goals
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.demo import DemoConfig
from lokalkompas.indicators.service import DemoRefused, clear_demo, load_demo
from lokalkompas.legal.service import clear_demo_decisions, load_demo_decisions


class Command(TyperCommand):
    help = "Demodata: et syntetisk datasæt for alle 98 kommuner, tydeligt mærket DEMO."

    @command(help="Indlæs demodata (samme frø giver samme data; kan køres igen uden skade).")
    def load(
        self, seed: Annotated[int, typer.Option("--seed", help="Frø til tilfældighedsgeneratoren.")] = 2026
    ) -> None:
        started = time.monotonic()
        try:
            # One transaction: the data and the decisions the legal rules read arrive together or not at all.
            with transaction.atomic():
                result = load_demo(shipped_definitions(), DemoConfig(seed=seed))
                decisions = load_demo_decisions(seed, timezone.localdate())
                goals = load_demo_goals(seed)
        except DemoRefused as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if result.already_loaded:
            self.stdout.write(f"Demodata med frø {seed} er allerede indlæst; intet ændret.")
            return
        self.stdout.write(
            f"DEMO-data er indlæst på {time.monotonic() - started:.0f} sekunder: {result.base_rows} basisværdier, "
            f"{result.indicator_rows} indikatorværdier, {result.revised} reviderede værdier, "
            f"{decisions} beslutninger til lovkravene og {goals} mål."
        )

    @command(help="Fjern alle demodata og det, der er beregnet ud fra dem.")
    def clear(self) -> None:
        try:
            with transaction.atomic():
                count = clear_demo()
                count += clear_demo_decisions()
                count += clear_demo_goals()
        except DemoRefused as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(f"Fjernede {count} demoværdier.")
