"""Template context shared by every page: the chosen municipality and the list to choose from."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from lokalkompas.registry.models import Geography

COOKIE = "kommune"


def chosen_municipality(request: HttpRequest) -> Geography | None:
    code = request.COOKIES.get(COOKIE, "")
    if not (len(code) == 3 and code.isdigit()):
        return None
    return Geography.objects.filter(code=code, kind=Geography.Kind.MUNICIPALITY).first()


def municipality(request: HttpRequest) -> dict[str, object]:
    return {
        "accessibility_url": settings.ACCESSIBILITY_URL or reverse("front:accessibility"),
        "chosen_municipality": chosen_municipality(request),
        "municipalities": Geography.objects.filter(kind=Geography.Kind.MUNICIPALITY).order_by("name"),
    }
