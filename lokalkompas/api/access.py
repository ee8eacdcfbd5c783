"""Who is asking: the API token of a request (set by the middleware), what it may read and write."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest

from lokalkompas.accounts import permissions
from lokalkompas.accounts.permissions import RANK, Role
from lokalkompas.api.errors import ApiError
from lokalkompas.api.models import ApiToken
from lokalkompas.api.tokens import effective_role
from lokalkompas.registry.data import municipality_by_code


def request_token(request: HttpRequest) -> ApiToken | None:
    token = getattr(request, "api_token", None)
    return token if isinstance(token, ApiToken) else None


def draft_municipality(request: HttpRequest) -> str | None:
    """The municipality whose drafts the request may read: the token's own, with at least politiker."""
    token = request_token(request)
    if token is None:
        return None
    role = effective_role(token)
    if role is None or RANK[role] < RANK[Role.POLITIKER]:
        return None
    return token.geo_id


def visible_goals(request: HttpRequest) -> Q:
    """Published goals for everyone; drafts only of the token's own municipality."""
    own = draft_municipality(request)
    return Q(published=True) if own is None else Q(published=True) | Q(geo_id=own)


def writing_token(request: HttpRequest, geo: str | None = None) -> ApiToken:
    """The request's token, if it may write for `geo` (default: the token's own municipality).

    Writes take a token only, never the session cookie: a bearer header cannot be sent by another site,
    so the API needs no CSRF token. The token's municipality is the only one it writes to.
    """
    token = request_token(request)
    if token is None:  # ninja's bearer auth has already answered 401; this is the last line of defence
        raise ApiError(401, "mangler_noegle", KEY_REQUIRED_MESSAGE)
    own = municipality_name(token.geo_id)
    if geo is not None and geo != token.geo_id:
        raise ApiError(
            403, "anden_kommune", f"API-nøglen hører til {own}; den kan ikke ændre noget i {municipality_name(geo)}."
        )
    if not permissions.token_can_edit(token.user, token.geo_id, token.role):
        held = effective_role(token)
        has = f"rollen {held}" if held else "ingen rolle"
        raise ApiError(
            403,
            "mangler_rettighed",
            f"API-nøglen giver {has} i {own}. Kun analytikere og administratorer kan indlæse data og ændre mål.",
        )
    return token


KEY_REQUIRED_MESSAGE = (
    "Her kræves en API-nøgle: send 'Authorization: Bearer lk_...'. "
    "Nøgler oprettes under Mine API-nøgler (/konto/api-noegler/) eller med 'lokalkompas tokens create'."
)


def municipality_name(code: str) -> str:
    found = municipality_by_code(code)
    return found.name if found else code
