"""Template context shared by every page: the chosen municipality and the list to choose from."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from lokalkompas.accounts import permissions
from lokalkompas.accounts.models import Membership
from lokalkompas.registry.models import Geography

COOKIE = "kommune"


def chosen_municipality(request: HttpRequest) -> Geography | None:
    """The municipality chosen in the header (a cookie); for a signed-in member who has chosen none,
    the first municipality they have a role in."""
    code = request.COOKIES.get(COOKIE, "")
    if not (len(code) == 3 and code.isdigit()):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return Geography.objects.filter(code__in=Membership.objects.filter(user_id=user.pk).values("geo_id")).first()
    return Geography.objects.filter(code=code, kind=Geography.Kind.MUNICIPALITY).first()


def municipality(request: HttpRequest) -> dict[str, object]:
    chosen = chosen_municipality(request)
    user = getattr(request, "user", None)
    role = permissions.role_in(user, chosen.code) if user is not None and chosen is not None else None
    return {
        "accessibility_url": settings.ACCESSIBILITY_URL or reverse("front:accessibility"),
        "chosen_municipality": chosen,
        "my_role": role,
        "municipalities": Geography.objects.filter(kind=Geography.Kind.MUNICIPALITY).order_by("name"),
    }
