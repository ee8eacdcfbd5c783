"""Operator actions on users, shared by the CLI and (later) the administrator pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from lokalkompas.accounts.models import Membership
from lokalkompas.registry import revision
from lokalkompas.registry.data import Municipality, UnknownMunicipality, require_municipality


class UserError(ValueError):
    """A user action that cannot be carried out; the message says why, in Danish."""


@dataclass(frozen=True)
class UserRow:
    username: str
    name: str
    municipality: str
    role: str
    active: bool


def _municipality(text: str) -> Municipality:
    try:
        return require_municipality(text)
    except UnknownMunicipality as exc:
        raise UserError(str(exc)) from exc


@transaction.atomic
def add_user(username: str, name: str, municipality: str, role: str, password: str) -> Membership:
    """Create the user (or reuse one with that name) and give them `role` in `municipality`."""
    username = username.strip().lower()
    if not username:
        raise UserError("Angiv et brugernavn (fx en e-mailadresse).")
    found = _municipality(municipality)
    roles = {r.value for r in Membership.Role}
    if role not in roles:
        raise UserError(f"Ukendt rolle: {role!r}. Brug en af: {', '.join(sorted(roles))}.")
    users = get_user_model()
    user = users.objects.filter(username=username).first()
    if user is None:
        user = users(username=username, email=username if "@" in username else "", first_name=name.strip())
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise UserError("Adgangskoden er for svag: " + " ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
    if Membership.objects.filter(user=user, geo_id=found.code).exists():
        raise UserError(f"{username} har allerede en rolle i {found.name}.")
    membership = Membership.objects.create(user=user, geo_id=found.code, role=role)
    revision.bump()
    return membership


def list_users(municipality: str | None = None) -> list[UserRow]:
    rows = Membership.objects.select_related("user", "geo").order_by("geo__name", "user__username")
    if municipality:
        found = _municipality(municipality)
        rows = rows.filter(geo_id=found.code)
    return [
        UserRow(m.user.username, m.user.first_name, m.geo.name, m.get_role_display(), m.user.is_active) for m in rows
    ]


@transaction.atomic
def remove_user(username: str, municipality: str | None = None) -> int:
    """Remove the user's role in one municipality, or the user altogether. Returns roles removed."""
    user = get_user_model().objects.filter(username=username.strip().lower()).first()
    if user is None:
        raise UserError(f"Der er ingen bruger med brugernavnet {username!r}.")
    if municipality:
        found = _municipality(municipality)
        # One by one, so django-simple-history records each removal in the audit trail.
        found_memberships = list(Membership.objects.filter(user=user, geo_id=found.code))
        for membership in found_memberships:
            membership.delete()
        count = len(found_memberships)
        if not count:
            raise UserError(f"{user.username} har ingen rolle i {found.name}.")
    else:
        memberships = list(Membership.objects.filter(user=user))
        for membership in memberships:
            membership.delete()
        count = len(memberships)
        user.delete()
    revision.bump()
    return count
