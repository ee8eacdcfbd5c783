"""`lokalkompas prognose --kommune CODE [--metode a|b|c|d]`: each area's year-end forecast and how far to trust it."""

from __future__ import annotations

from typing import Annotated

import typer
from django.core.management import CommandError
from django_typer.management import TyperCommand

from lokalkompas.catalog.models import Area
from lokalkompas.economy.forecast import METHOD_NAMES, METHODS
from lokalkompas.economy.service import forecasts
from lokalkompas.lib.formatting import format_number
from lokalkompas.registry.options import municipality_option

MONTHS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")


def _kr(value: float | None) -> str:
    """1.000 kr. -> mio. kr. with one decimal (the unit councils read budgets in)."""
    return "mangler" if value is None else f"{format_number(value / 1000, 1)} mio. kr."


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{format_number(share * 100, 1)} %"


class Command(TyperCommand):
    help = "Forventet regnskab pr. område for én kommune: prognose, interval, afvigelse og varsel."

    def handle(
        self,
        kommune: Annotated[str, typer.Option("--kommune", help="Kommunekode, fx 101.")],
        metode: Annotated[
            str | None,
            typer.Option("--metode", help="a, b, c eller d (kun Social); ellers indstillingen for hvert område."),
        ] = None,
    ) -> None:
        found = municipality_option(kommune)
        if metode is not None and metode not in METHODS:
            raise CommandError(f"Ukendt metode {metode!r}: brug a, b, c eller d (d kun for Social).", returncode=2)
        rows = forecasts([found.code], metode)  # type: ignore[arg-type]
        if not rows:
            self.stdout.write(f"{found.name} har ingen månedlige forbrugstal; indlæs skabelonen Månedsforbrug.")
            return
        names = dict(Area.objects.values_list("id", "name"))
        for f in rows:
            demo = " DEMO" if f.demo else ""
            band = f"{_kr(f.low)} – {_kr(f.high)}" if f.low is not None else "kan ikke beregnes (ingen historik)"
            alert = f"  VARSEL: {f.warning.reason}" if f.warning.raised else ""
            note = f" {f.note}" if f.note else ""
            self.stdout.write(
                f"{names.get(f.area, f.area)}{demo}: forbrug til og med {MONTHS[f.month - 1]} {f.year} {_kr(f.ytd)}; "
                f"prognose ({f.method}: {METHOD_NAMES[f.method]}) {_kr(f.point)}, 90 %-interval {band}; "
                f"{f.budget_kind or 'budget'} {_kr(f.budget)}; "
                f"afvigelse {_kr(f.deviation)} ({_pct(f.deviation_share)}); "
                f"sandsynlighed for overskridelse {_pct(f.probability)}; "
                f"træfsikkerhed i {MONTHS[f.month - 1]} (MAPE) {_pct(f.mape_now)} på {f.backtest_points} år."
                f"{note}{alert}"
            )
