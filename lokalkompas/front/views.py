"""Server-rendered pages: forside, områdeside, valgperiodens kalender and om. Views fetch and render."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme

from lokalkompas.catalog.calendar import occurrences
from lokalkompas.catalog.models import Area, CalendarEntry, LegalDuty, Question, Reform, SourceDocument, Theme
from lokalkompas.front.context import COOKIE
from lokalkompas.registry.models import Geography, MunicipalityGroup

TERM_YEARS = (2026, 2029)
ONE_YEAR = 365 * 24 * 3600


def home(request: HttpRequest) -> HttpResponse:
    areas = Area.objects.annotate(theme_count=Count("themes", distinct=True)).order_by("order")
    return render(request, "front/home.html", {"areas": areas, "nav": "home"})


def choose_municipality(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("kommune", "").strip()
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if code and not Geography.objects.filter(code=code, kind=Geography.Kind.MUNICIPALITY).exists():
        message = f"Kommunekoden „{code}“ findes ikke. Vælg en kommune fra listen."
        return render(
            request, "front/error.html", {"title": "Ukendt kommune", "message": message}, status=400
        )
    response = HttpResponseRedirect(target)
    if code:
        response.set_cookie(COOKIE, code, max_age=ONE_YEAR, samesite="Lax")
    else:
        response.delete_cookie(COOKIE)
    return response


def area(request: HttpRequest, area_id: str) -> HttpResponse:
    cited = ("source_document",)
    questions = Question.objects.select_related(*cited).prefetch_related("legal_duties")
    area = get_object_or_404(
        Area.objects.select_related(*cited).prefetch_related(
            "moving__source_document",
            Prefetch(
                "themes",
                Theme.objects.select_related(*cited).prefetch_related(Prefetch("questions", questions)),
            ),
            Prefetch("legal_duties", LegalDuty.objects.select_related("rule", *cited)),
            Prefetch("reforms", Reform.objects.select_related(*cited).prefetch_related("dates")),
        ),
        pk=area_id,
    )
    context = {
        "area": area,
        "areas": Area.objects.order_by("order"),
        "nav": "area",
        "area_names": _area_names(),
    }
    return render(request, "front/area.html", context)


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
        "area_names": _area_names(),
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


def _area_names() -> dict[str, str]:
    return dict(Area.objects.values_list("id", "name"))
