"""`lokalkompas catalog`: check, load and export the policy catalogue."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer
from django.core.management import CommandError
from django_typer.management import TyperCommand, command

from lokalkompas.catalog.files import Catalog, load_files
from lokalkompas.catalog.loader import sync_catalog

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Mappe med katalogfilerne (standard: den mappe, der følger med programmet)."),
]


class ExportFormat(enum.StrEnum):
    json = "json"


class Command(TyperCommand):
    help = "Politikkataloget: de otte områder med temaer, spørgsmål, lovkrav, reformer og kalender."

    def _checked(self, data_dir: Path | None) -> Catalog:
        outcome = load_files(data_dir)
        if outcome.catalog is None:
            for error in outcome.errors:
                self.stderr.write(f"Fejl: {error}")
            raise CommandError(f"Kataloget har {len(outcome.errors)} fejl og er ikke brugt.", returncode=1)
        return outcome.catalog

    @command(
        name="check",
        help="Kontrollér alle katalogfiler: skema, entydige id'er og at alle henvisninger findes.",
    )
    def check_files(self, data_dir: DataDir = None) -> None:
        catalog = self._checked(data_dir)
        themes = sum(len(a.themes) for a in catalog.areas)
        questions = sum(len(t.questions) for a in catalog.areas for t in a.themes)
        self.stdout.write(
            f"Kataloget er i orden: {len(catalog.areas)} områder, {themes} temaer, {questions} spørgsmål, "
            f"{len(catalog.calendar.entries)} kalenderpunkter."
        )

    @command(help="Kontrollér og indlæs kataloget i databasen (kan køres igen uden skade).")
    def load(self, data_dir: DataDir = None) -> None:
        result = sync_catalog(self._checked(data_dir))
        self.stdout.write(
            f"Kataloget er indlæst: {result.areas} områder, {result.themes} temaer, "
            f"{result.questions} spørgsmål, {result.legal_duties} lovkrav, {result.reforms} reformer, "
            f"{result.calendar_entries} kalenderpunkter."
        )

    @command(help="Udskriv hele kataloget.")
    def export(
        self,
        format: Annotated[ExportFormat, typer.Option("--format", help="Uddataformat.")] = ExportFormat.json,
        data_dir: DataDir = None,
    ) -> None:
        catalog = self._checked(data_dir)
        document = {
            "sources": catalog.sources.model_dump(mode="json"),
            "areas": [a.model_dump(mode="json") for a in catalog.areas],
            "calendar": catalog.calendar.model_dump(mode="json"),
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    @command(help="Vis for hvert område, hvor stor en del af spørgsmålene mindst én indikator belyser.")
    def coverage(self) -> None:
        from lokalkompas.indicators.coverage import coverage
        from lokalkompas.indicators.definitions import load_definitions

        catalog = self._checked(None)
        definitions = load_definitions().definitions
        if definitions is None:
            raise CommandError("Indikatordefinitionerne har fejl; kør 'lokalkompas indicators check'.", returncode=1)
        rows = coverage(definitions, catalog)
        for r in rows:
            self.stdout.write(f"{r.name:<22} {r.covered:>3} af {r.questions:>3} spørgsmål  {r.share * 100:5.1f} %")
        covered, total = sum(r.covered for r in rows), sum(r.questions for r in rows)
        self.stdout.write(f"{'I alt':<22} {covered:>3} af {total:>3} spørgsmål  {covered / total * 100:5.1f} %")
