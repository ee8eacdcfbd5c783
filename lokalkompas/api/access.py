"""Who is asking: the API token of a request (set by the middleware) and what it may read."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest

from lokalkompas.accounts.permissions import RANK, Role
from lokalkompas.api.models import ApiToken
from lokalkompas.api.tokens import effective_role


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
