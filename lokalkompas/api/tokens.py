"""Create, find and revoke API tokens. The secret leaves this module once, at creation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from lokalkompas.accounts.permissions import RANK, role_in
from lokalkompas.api.models import ApiToken
from lokalkompas.registry.data import UnknownMunicipality, require_municipality

PREFIX = "lk_"
PREFIX_SHOWN = 10
MAX_TOKEN_LENGTH = 100


class TokenError(ValueError):
    """A token cannot be created or revoked; the message says why in Danish."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(username: str, municipality: str, role: str, name: str) -> NewToken:
    """A new token for a user in a municipality where they have at least `role`."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise TokenError(f"Ukendt bruger: {username!r}.")
    try:
        geo = require_municipality(municipality).code
    except UnknownMunicipality as exc:
        raise TokenError(str(exc)) from exc
    if role not in RANK:
        raise TokenError(f"Ukendt rolle: {role!r}. Brug {', '.join(RANK)}.")
    held = role_in(user, geo)
    if held is None or RANK[held] < RANK[role]:
        raise TokenError(f"{username} har ikke rollen {role} i kommune {geo}; en nøgle kan ikke give mere end rollen.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        geo_id=geo,
        role=role,
        name=name.strip() or "API-nøgle",
        prefix=secret[:PREFIX_SHOWN],
        digest=digest(secret),
    )
    return NewToken(token, secret)


def find_token(secret: str) -> ApiToken | None:
    """The active token with this secret, or None (revoked, unknown or malformed)."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    return token


def effective_role(token: ApiToken) -> str | None:
    """The token's role, but never more than the user holds in the municipality today."""
    held = role_in(token.user, token.geo_id)
    if held is None:
        return None
    return token.role if RANK[token.role] <= RANK[held] else held


def revoke_token(token_id: int, username: str | None = None) -> ApiToken:
    """Revoke a token (only the user's own, when a username is given)."""
    tokens = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True)
    if username is not None:
        tokens = tokens.filter(user__username=username)
    token = tokens.first()
    if token is None:
        raise TokenError(f"Der er ingen aktiv nøgle med nummer {token_id}.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def tokens_of(username: str | None = None) -> list[ApiToken]:
    rows = ApiToken.objects.select_related("user", "geo")
    if username is not None:
        rows = rows.filter(user__username=username)
    return list(rows)
