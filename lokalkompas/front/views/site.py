"""The small site pages: municipality choice, calendar, about, accessibility, health, login."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from lokalkompas.catalog.calendar import occurrences
from lokalkompas.catalog.models import Area, CalendarEntry, SourceDocument
from lokalkompas.front.context import COOKIE
from lokalkompas.registry.models import Geography, MunicipalityGroup

TERM_YEARS = (2026, 2029)


ONE_YEAR = 365 * 24 * 3600


class LoginView(auth_views.LoginView):
    """Django's login, plus the button for the municipality's own login when that is configured."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "front/accessibility.html", {"nav": "about"})


def health(request: HttpRequest) -> HttpResponse:
    """A trivial answer for load balancers and as the baseline of the page load bench."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def choose_municipality(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("kommune", "").strip()
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if code and not Geography.objects.filter(code=code, kind=Geography.Kind.MUNICIPALITY).exists():
        message = f"Kommunekoden „{code}“ findes ikke. Vælg en kommune fra listen."
        return render(request, "front/error.html", {"title": "Ukendt kommune", "message": message}, status=400)
    response = HttpResponseRedirect(target)
    if code:
        response.set_cookie(COOKIE, code, max_age=ONE_YEAR, samesite="Lax")
    else:
        response.delete_cookie(COOKIE)
    return response


def calendar(request: HttpRequest) -> HttpResponse:
    areas = list(Area.objects.order_by("order"))
    chosen = request.GET.get("omraade", "")
    entries = CalendarEntry.objects.select_related("area", "source_document")
    error = ""
    if chosen and chosen not in {a.id for a in areas}:
        error = f"Området „{chosen}“ findes ikke. Kalenderen viser alle områder."
        chosen = ""
    if chosen:
        entries = entries.filter(area_id=chosen)
    # Years are keys as text: Danish number formatting would otherwise print 2026 as "2.026".
    years: dict[str, list[object]] = {}
    for occurrence in occurrences(list(entries), *TERM_YEARS):
        years.setdefault(str(occurrence.year), []).append(occurrence)
    context = {
        "years": years,
        "areas": areas,
        "chosen": chosen,
        "error": error,
        "today": dt.date.today(),
        "nav": "calendar",
        "area_names": area_names(),
    }
    return render(request, "front/calendar.html", context, status=400 if error else 200)


def about(request: HttpRequest) -> HttpResponse:
    context = {
        "documents": SourceDocument.objects.order_by("-kind", "title"),
        "groups": MunicipalityGroup.objects.order_by("number"),
        "municipality_count": Geography.objects.filter(kind=Geography.Kind.MUNICIPALITY).count(),
        "nav": "about",
    }
    return render(request, "front/about.html", context)


def area_names() -> dict[str, str]:
    return dict(Area.objects.values_list("id", "name"))


def unique_values(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))
