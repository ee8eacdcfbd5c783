"""`lokalkompas assets`: copy front-end packages from node_modules into the static files."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer
from django.conf import settings
from django.core.management import CommandError
from django_typer.management import TyperCommand

# Only what the pages use is copied: the design system's CSS, fonts and icons.
PACKAGES = {"dkfds": ("dist/css", "dist/fonts", "dist/img")}


class Command(TyperCommand):
    help = "Kopiér front-end-pakkerne (Det Fælles Designsystem) fra node_modules til de statiske filer."

    def handle(
        self,
        node_modules: Annotated[
            Path,
            typer.Option("--node-modules", help="Mappen med npm-pakkerne (standard: node_modules i projektet)."),
        ] = settings.BASE_DIR / "node_modules",
    ) -> None:
        target_root = Path(settings.FRONTEND_VENDOR_DIR)
        for package, folders in PACKAGES.items():
            source = node_modules / package
            if not source.is_dir():
                raise CommandError(f"Pakken {package} findes ikke i {node_modules}. Kør først 'npm ci'.")
            for folder in folders:
                destination = target_root / package / Path(folder).name
                shutil.rmtree(destination, ignore_errors=True)
                shutil.copytree(source / folder, destination)
        self.stdout.write(f"Front-end-filerne er kopieret til {target_root}.")
