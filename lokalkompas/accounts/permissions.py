"""Who may do what, in one place: every view, form and API endpoint asks these functions.

A user's rights come from their role in one municipality (`Membership`); nothing carries over to
another municipality. The roles are ordered: an administrator may do what an analyst may, and an
analyst what a politician may (one person has one role per municipality, so an administrator who
also writes goals needs no second role):

- politiker: reads everything of the municipality, drafts included, and comments on goals;
- analytiker: also writes goals, actions, decisions (and later data and briefs);
- administrator: also manages the municipality's users and settings, and starts a refresh from Statistics
  Denmark in the browser.

An API token (`api.models.ApiToken`) acts for its user in its one municipality with its own role, which
is never more than the user's current role there: `token_can_edit` asks both.

Anonymous visitors and members of other municipalities see published data and published goals only.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from lokalkompas.accounts.models import Membership

Role = Membership.Role
RANK: dict[str, int] = {Role.POLITIKER: 1, Role.ANALYTIKER: 2, Role.ADMINISTRATOR: 3}
AnyUser = AbstractBaseUser | AnonymousUser


def role_in(user: AnyUser, geo: str) -> str | None:
    """The user's role in the municipality with code `geo`, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return Membership.objects.filter(user_id=user.pk, geo_id=geo).values_list("role", flat=True).first()


def has_at_least(user: AnyUser, geo: str, role: str) -> bool:
    found = role_in(user, geo)
    return found is not None and RANK[found] >= RANK[role]


def can_see_drafts(user: AnyUser, geo: str) -> bool:
    return has_at_least(user, geo, Role.POLITIKER)


def can_comment(user: AnyUser, geo: str) -> bool:
    return has_at_least(user, geo, Role.POLITIKER)


def can_edit(user: AnyUser, geo: str) -> bool:
    """Write goals, actions and decisions for the municipality."""
    return has_at_least(user, geo, Role.ANALYTIKER)


def token_can_edit(user: AnyUser, geo: str, token_role: str) -> bool:
    """An API token writes (uploads, goals, actions) when its own role and its user's role today allow it."""
    return RANK.get(token_role, 0) >= RANK[Role.ANALYTIKER] and can_edit(user, geo)


def can_manage_users(user: AnyUser, geo: str) -> bool:
    return has_at_least(user, geo, Role.ADMINISTRATOR)


def can_refresh_sources(user: AnyUser, geo: str) -> bool:
    """Start a refresh from Statistics Denmark in the browser. It loads every municipality's figures (the
    comparisons need all 98), so it is an operator's task: administrators only."""
    return has_at_least(user, geo, Role.ADMINISTRATOR)


def municipalities_where(user: AnyUser, role: str) -> list[str]:
    """Codes of the municipalities where the user has at least `role`, in code order."""
    if not user.is_authenticated or not user.is_active:
        return []
    rows = Membership.objects.filter(user_id=user.pk).order_by("geo_id").values_list("geo_id", "role")
    return [geo for geo, found in rows if RANK[found] >= RANK[role]]
