"""`lokalkompas registry`: the municipality registry."""

from __future__ import annotations

import csv
import enum
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from lokalkompas.registry import data
from lokalkompas.registry.loader import load_registry


class ListFormat(enum.StrEnum):
    csv = "csv"
    table = "table"


class Command(TyperCommand):
    help = "Kommuneregistret: de 98 kommuner, 5 regioner og DST's kommunegrupper."

    @command(help="Indlæs registret i databasen (kan køres igen uden skade).")
    def load(self) -> None:
        result = load_registry()
        self.stdout.write(
            f"Registret er indlæst: {result.municipalities} kommuner, {result.regions} regioner, "
            f"{result.groups} kommunegrupper."
        )

    @command(name="list", help="Vis alle kommuner med kode, navn, region og kommunegruppe.")
    def list_municipalities(
        self,
        format: Annotated[
            ListFormat, typer.Option("--format", help="Uddataformat: csv (semikolonsepareret) eller table.")
        ] = ListFormat.table,
    ) -> None:
        rows = [(m.code, m.name, m.region_code, str(m.group)) for m in data.municipalities()]
        if format is ListFormat.csv:
            writer = csv.writer(self.stdout, delimiter=";", lineterminator="\n")
            writer.writerow(["code", "name", "region_code", "group"])
            writer.writerows(rows)
            return
        for code, name, region, group in rows:
            self.stdout.write(f"{code}  {name:<22} region {region}  gruppe {group}")
