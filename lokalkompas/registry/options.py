"""Command-line options shared by the management commands."""

from __future__ import annotations

from django.core.management import CommandError

from lokalkompas.registry.data import Municipality, UnknownMunicipality, require_municipality


def municipality_option(text: str) -> Municipality:
    """The --kommune option of a command: unknown codes end the command with the Danish message."""
    try:
        return require_municipality(text)
    except UnknownMunicipality as exc:
        raise CommandError(str(exc), returncode=2) from exc
