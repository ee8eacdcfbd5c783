"""Create, find and revoke API tokens. The secret leaves this module once, at creation."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from lokalkompas.accounts.permissions import RANK, role_in
from lokalkompas.api.models import ApiToken
from lokalkompas.lib.formatting import format_date
from lokalkompas.registry.data import UnknownMunicipality, require_municipality

PREFIX = "lk_"
PREFIX_SHOWN = 10
MAX_TOKEN_LENGTH = 100
MAX_DAYS = 730  # a token lives at most two years; a longer-lived integration makes a new one
SOON_DAYS = 14  # the token page warns this many days before a token expires


class TokenError(ValueError):
    """A token cannot be created or revoked; the message says why in Danish."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(username: str, municipality: str, role: str, name: str, days: int | None = None) -> NewToken:
    """A new token for a user in a municipality where they have at least `role`, valid for `days` days
    (settings.API_TOKEN_DAYS when not given)."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"En nøgle kan gælde fra 1 til {MAX_DAYS} dage, ikke {days}.")
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
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        geo_id=geo,
        role=role,
        name=name.strip() or "API-nøgle",
        prefix=secret[:PREFIX_SHOWN],
        digest=digest(secret),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return NewToken(token, secret)


def _well_formed(secret: str) -> bool:
    return secret.startswith(PREFIX) and len(secret) <= MAX_TOKEN_LENGTH


def find_token(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, malformed, revoked, expired, or its user
    blocked)."""
    if not _well_formed(secret):
        return None
    unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    token = (
        ApiToken.objects.select_related("user")
        .filter(unexpired, digest=digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token


def expired_token(secret: str) -> ApiToken | None:
    """The token with this secret if it is refused only because it has expired: the API then says so
    and when, rather than "unknown" (a caller holding the secret may know its token's dates)."""
    if not _well_formed(secret):
        return None
    token = ApiToken.objects.filter(digest=digest(secret), revoked_at__isnull=True).first()
    return token if token is not None and token.expired else None


def state(token: ApiToken) -> str:
    """The token's state in Danish, for the token page and `tokens list`."""
    if token.revoked_at is not None:
        return f"Tilbagekaldt {format_date(timezone.localdate(token.revoked_at))}"
    if token.expires_at is None:
        return "Aktiv, udløber ikke (oprettet før nøgler fik en udløbsdato)"
    ends = format_date(timezone.localdate(token.expires_at))
    if token.expired:
        return f"Udløbet {ends}"
    left = (token.expires_at - timezone.now()).days
    if left < SOON_DAYS:
        return f"Aktiv, udløber snart: {ends}"
    return f"Aktiv til {ends}"


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
