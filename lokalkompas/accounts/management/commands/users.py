"""`lokalkompas users add|list|remove`: accounts and their role in a municipality."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer
from django.core.management import CommandError
from django_typer.management import TyperCommand, command

from lokalkompas.accounts.models import Membership
from lokalkompas.accounts.service import UserError, add_user, list_users, remove_user

ROLES = ", ".join(r.value for r in Membership.Role)


class Command(TyperCommand):
    help = "Brugere og deres rolle i en kommune (administrator, analytiker, politiker)."

    @command(help="Opret en bruger med en rolle i en kommune (eller giv en eksisterende bruger en rolle mere).")
    def add(
        self,
        brugernavn: Annotated[str, typer.Option("--brugernavn", help="Brugernavn, fx en e-mailadresse.")],
        kommune: Annotated[str, typer.Option("--kommune", help="Kommunekode, fx 101.")],
        rolle: Annotated[str, typer.Option("--rolle", help=f"Rollen: {ROLES}.")],
        navn: Annotated[str, typer.Option("--navn", help="Brugerens navn.")] = "",
        adgangskode_fil: Annotated[
            Path | None, typer.Option("--adgangskode-fil", help="Læs adgangskoden fra en fil (ellers spørges der).")
        ] = None,
    ) -> None:
        password = self._password(adgangskode_fil)
        try:
            membership = add_user(brugernavn, navn, kommune, rolle, password)
        except UserError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(
            f"{membership.user.username} er nu {membership.get_role_display().lower()} i {membership.geo.name}."
        )

    @command(name="list", help="Vis brugerne og deres roller.")
    def list_(
        self, kommune: Annotated[str | None, typer.Option("--kommune", help="Kun denne kommune.")] = None
    ) -> None:
        try:
            rows = list_users(kommune)
        except UserError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if not rows:
            self.stdout.write("Der er ingen brugere.")
        for r in rows:
            blocked = "" if r.active else "\t(spærret)"
            self.stdout.write(f"{r.username}\t{r.name}\t{r.municipality}\t{r.role}{blocked}")

    @command(help="Fjern en brugers rolle i én kommune, eller brugeren helt.")
    def remove(
        self,
        brugernavn: Annotated[str, typer.Option("--brugernavn", help="Brugernavnet.")],
        kommune: Annotated[str | None, typer.Option("--kommune", help="Kun rollen i denne kommune.")] = None,
    ) -> None:
        try:
            count = remove_user(brugernavn, kommune)
        except UserError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        what = "rollen er fjernet" if kommune else f"brugeren og {count} roller er fjernet"
        self.stdout.write(f"{brugernavn}: {what}.")

    def _password(self, path: Path | None) -> str:
        if path is not None:
            try:
                return path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise CommandError(f"Adgangskodefilen {path} kan ikke læses: {exc.strerror}.", returncode=2) from exc
        if not sys.stdin.isatty():
            raise CommandError("Angiv --adgangskode-fil, når kommandoen ikke køres i en terminal.", returncode=2)
        first = getpass.getpass("Adgangskode: ")
        if first != getpass.getpass("Gentag adgangskoden: "):
            raise CommandError("De to adgangskoder er ikke ens.", returncode=2)
        return first
