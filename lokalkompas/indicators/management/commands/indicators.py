"""`lokalkompas indicators`: check definitions, compute values, generate the indicator reference."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from django.conf import settings
from django.core.management import CommandError
from django_typer.management import TyperCommand, command

from lokalkompas.catalog.files import load_files
from lokalkompas.indicators.definitions import Definitions, load_definitions
from lokalkompas.indicators.linking import link_catalogue
from lokalkompas.indicators.reference import render_reference, render_sources
from lokalkompas.indicators.service import compute_indicators

DOCS_DIR = Path(settings.BASE_DIR) / "docs"


class Command(TyperCommand):
    help = "Indikatorerne: definitioner, beregning og dokumentation."

    def _checked(self) -> Definitions:
        catalog = load_files().catalog
        if catalog is None:
            raise CommandError("Kataloget har fejl; kør 'lokalkompas catalog check'.", returncode=1)
        outcome = load_definitions(catalog=catalog)
        if outcome.definitions is None:
            for error in outcome.errors:
                self.stderr.write(f"Fejl: {error}")
            raise CommandError(f"Indikatordefinitionerne har {len(outcome.errors)} fejl.", returncode=1)
        return outcome.definitions

    @command(name="check", help="Kontrollér indikatordefinitionerne og deres kobling til katalogets spørgsmål.")
    def check_definitions(self) -> None:
        d = self._checked()
        self.stdout.write(
            f"Indikatorerne er i orden: {len(d.indicators)} indikatorer bygget på {len(d.series)} basisserier."
        )

    @command(help="Beregn alle indikatorer ud fra basisserierne (kan køres igen uden skade).")
    def compute(self) -> None:
        result = compute_indicators(self._checked())
        if result.vintage is None:
            self.stdout.write(f"Intet nyt: {result.unchanged} indikatorværdier er uændrede.")
            return
        self.stdout.write(
            f"Indikatorerne er beregnet: {result.inserted} nye værdier, {result.revised} ændrede, "
            f"{result.unchanged} uændrede."
        )

    @command(help="Skriv docs/indikatorer.md og docs/datakilder.md ud fra definitionerne.")
    def docs(
        self,
        check: Annotated[bool, typer.Option("--check", help="Skriv ikke; fejl, hvis filerne er forældede.")] = False,
    ) -> None:
        definitions = self._checked()
        documents = {
            DOCS_DIR / "indikatorer.md": render_reference(definitions, load_files().catalog),
            DOCS_DIR / "datakilder.md": render_sources(definitions),
        }
        for path, text in documents.items():
            if check:
                current = path.read_text(encoding="utf-8") if path.exists() else ""
                if current != text:
                    raise CommandError(
                        f"docs/{path.name} er forældet: kør 'lokalkompas indicators docs'.", returncode=1
                    )
            else:
                path.write_text(text, encoding="utf-8")
        self.stdout.write(
            "Dokumentationen er opdateret." if check else f"Skrev {', '.join(p.name for p in documents)}."
        )

    @command(help="Skriv indikatorernes spørgsmål ind i katalogets indicators-lister (til udviklere).")
    def link(self) -> None:
        outcome = load_definitions()
        if outcome.definitions is None:
            raise CommandError("Indikatordefinitionerne har fejl; kør 'lokalkompas indicators check'.", returncode=1)
        changed = link_catalogue(outcome.definitions)
        self.stdout.write(f"Opdaterede {changed} spørgsmål i katalogfilerne.")
