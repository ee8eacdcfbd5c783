"""The front page: the dashboard for the chosen municipality (tiles, alerts, what changed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from lokalkompas.analysis.dashboard import area_tiles
from lokalkompas.analysis.peers import nearest
from lokalkompas.analysis.service import (
    alerts_from,
    compare_with_peers,
    peer_matrix,
    snapshot,
)
from lokalkompas.catalog.models import Area, LegalDuty
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality
from lokalkompas.goals.service import status_counts
from lokalkompas.goals.status import STATUSES
from lokalkompas.indicators.changes import Change, changes_since
from lokalkompas.indicators.definitions import Definitions, shipped_definitions
from lokalkompas.legal.catalogue import RULES_BY_ID
from lokalkompas.lib.formatting import format_date, format_number
from lokalkompas.registry.models import Geography


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    areas = list(Area.objects.annotate(theme_count=Count("themes", distinct=True)).order_by("order"))
    chosen = chosen_municipality(request)
    context: dict[str, object] = {"areas": areas, "nav": "home"}
    status = 200
    if chosen:
        dashboard = _dashboard(request, chosen, areas)
        status = 400 if dashboard["since_error"] else 200
        context.update(dashboard)
    return render(request, "front/home.html", context, status=status)


SINCE_DEFAULT_DAYS = 30


MAX_CHANGES_SHOWN = 25


def _dashboard(request: HttpRequest, chosen: Geography, areas: Sequence[Area]) -> dict[str, object]:
    definitions = shipped_definitions()
    snap = snapshot(chosen.code, definitions)
    alerts = alerts_from(snap)
    neighbours = nearest(peer_matrix(snap.latest), chosen.code)
    verdicts = compare_with_peers(snap, neighbours)
    rule_area = dict(LegalDuty.objects.filter(rule__isnull=False).values_list("rule_id", "area_id"))
    tiles = area_tiles([(a.id, a.name) for a in areas], snap.legal, rule_area, alerts, definitions.area_of, verdicts)
    goals = status_counts(chosen.code, published_only=True)
    since, since_error = _since(request.GET.get("siden", ""), snap.today)
    changes = changes_since(dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC), chosen.code)
    return {
        "tiles": [(t, sorted(goals.get(t.area_id, {}).items(), key=lambda kv: STATUSES.index(kv[0]))) for t in tiles],
        "alerts": alerts,
        "neighbours": Geography.objects.filter(code__in=[n.geo for n in neighbours]).order_by("name"),
        "since": since,
        "since_error": since_error,
        "changes": [_change_row(c, definitions) for c in changes[:MAX_CHANGES_SHOWN]],
        "change_count": len(changes),
        "has_demo": any(t.demo for t in tiles) or any(a.demo for a in alerts) or snap.own["status"].eq("demo").any(),
    }


def _since(text: str, today: dt.date) -> tuple[dt.date, str]:
    default = today - dt.timedelta(days=SINCE_DEFAULT_DAYS)
    if not text:
        return default, ""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return (
            default,
            f"Datoen „{text}“ kan ikke læses. Skriv den som ÅÅÅÅ-MM-DD. Viser de seneste {SINCE_DEFAULT_DAYS} dage.",
        )
    if day > today:
        return default, f"Datoen {format_date(day)} ligger i fremtiden. Viser de seneste {SINCE_DEFAULT_DAYS} dage."
    return day, ""


@dataclass(frozen=True)
class ChangeRow:
    kind: str
    name: str
    url: str
    period: str
    text: str
    when: dt.datetime


def _change_row(change: Change, definitions: Definitions) -> ChangeRow:
    ind = definitions.indicators.get(change.series)
    if change.kind == "mål":
        return ChangeRow("Mål", "Mål", "", change.period, change.description, change.when)
    if change.kind == "lovkrav":
        rule = RULES_BY_ID.get(change.series)
        name, url = (rule.title if rule else change.series), reverse("front:legal") + f"#{change.series}"
        text = change.description
    else:
        base = definitions.series.get(change.series)
        name = ind.name if ind else (base.name if base else change.series)
        url = reverse("front:indicator", args=[ind.id]) if ind else ""
        decimals = ind.decimals if ind else 1
        new = format_number(change.new_value, decimals)
        text = new if change.kind == "ny periode" else f"{format_number(change.old_value, decimals)} → {new}"
    return ChangeRow(change.kind.capitalize(), name, url, change.period, text, change.when)
