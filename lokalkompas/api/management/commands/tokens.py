"""`lokalkompas tokens create|list|revoke`: API tokens bound to a user, a municipality and a role."""

from __future__ import annotations

from typing import Annotated

import typer
from django.core.management import CommandError
from django_typer.management import TyperCommand, command

from lokalkompas.accounts.models import Membership
from lokalkompas.api.tokens import MAX_DAYS, TokenError, create_token, revoke_token, state, tokens_of

ROLES = ", ".join(r.value for r in Membership.Role)


class Command(TyperCommand):
    help = "API-nøgler: bundet til en bruger, en kommune og en rolle; gemt som SHA-256."

    @command(help="Opret en nøgle. Nøglen vises én gang og kan ikke findes frem igen.")
    def create(
        self,
        brugernavn: Annotated[str, typer.Option("--brugernavn", help="Brugerens brugernavn.")],
        kommune: Annotated[str, typer.Option("--kommune", help="Kommunekode, fx 101.")],
        rolle: Annotated[str, typer.Option("--rolle", help=f"Nøglens rolle (højst brugerens egen): {ROLES}.")],
        navn: Annotated[str, typer.Option("--navn", help="Et navn, der siger, hvad nøglen bruges til.")] = "",
        dage: Annotated[
            int | None,
            typer.Option("--dage", help=f"Dage nøglen gælder (1-{MAX_DAYS}); standard LOKALKOMPAS_API_TOKEN_DAYS."),
        ] = None,
    ) -> None:
        try:
            new = create_token(brugernavn, kommune, rolle, navn, dage)
        except TokenError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"Nøgle {new.token.pk} ({new.token.name}) til {brugernavn} i {new.token.geo_id}:")
        self.stdout.write(new.secret)
        self.stdout.write(f"Gem nøglen nu: den vises ikke igen. {state(new.token)}.")

    @command(name="list", help="Vis nøglerne (uden selve nøglen).")
    def list_(
        self, brugernavn: Annotated[str | None, typer.Option("--brugernavn", help="Kun denne brugers.")] = None
    ) -> None:
        rows = tokens_of(brugernavn)
        if not rows:
            self.stdout.write("Der er ingen nøgler.")
        for t in rows:
            self.stdout.write(f"{t.pk}\t{t.prefix}…\t{t.user.username}\t{t.geo_id}\t{t.role}\t{t.name}\t{state(t)}")

    @command(help="Tilbagekald en nøgle; den virker ikke længere.")
    def revoke(self, nummer: Annotated[int, typer.Argument(help="Nøglens nummer fra 'tokens list'.")]) -> None:
        try:
            token = revoke_token(nummer)
        except TokenError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"Nøgle {token.pk} ({token.name}) er tilbagekaldt.")
