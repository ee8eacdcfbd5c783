"""Area pages: themes, questions and their indicators, legal duties, deadlines; the area's indicator list."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lokalkompas.analysis.peers import nearest
from lokalkompas.analysis.service import (
    Snapshot,
    compare_with_peers,
    municipality_trends,
    peer_matrix,
    snapshot,
)
from lokalkompas.catalog.calendar import occurrences
from lokalkompas.catalog.models import Area, CalendarEntry, LegalDuty, Question, Reform, Theme
from lokalkompas.charts.sparkline import sparkline_svg
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality
from lokalkompas.front.views.site import TERM_YEARS, area_names
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.queries import (
    MISSING_CELL,
    latest_cells,
)
from lokalkompas.indicators.reference import source_label
from lokalkompas.indicators.schema import Indicator
from lokalkompas.lib.formatting import format_number
from lokalkompas.registry.data import COUNTRY_CODE


@cached_page
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
    definitions = shipped_definitions()
    chosen = chosen_municipality(request)
    today = timezone.localdate()
    # One snapshot serves both the indicator lines and the rules' results (it already holds them).
    snap = snapshot(chosen.code, definitions, today) if chosen else None
    summaries = _indicator_summaries(snap, definitions.for_area(area.id)) if snap else {}
    legal = {r.rule: r for r in snap.legal} if snap else {}
    upcoming = [
        o
        for o in occurrences(list(CalendarEntry.objects.filter(area=area).select_related("area")), *TERM_YEARS)
        if o.year >= today.year and (o.date is None or o.date >= today)
    ][:UPCOMING_SHOWN]
    context = {
        "area": area,
        "areas": Area.objects.order_by("order"),
        "nav": "area",
        "area_names": area_names(),
        "indicator_names": {i.id: i.name for i in definitions.indicators.values()},
        "chosen": chosen,
        "summaries": summaries,
        "legal": legal,
        "upcoming": upcoming,
        "has_demo": any(s.demo for s in summaries.values()) or any(r.demo for r in legal.values()),
    }
    return render(request, "front/area.html", context)


UPCOMING_SHOWN = 6


SPARK_PERIODS = 8


@dataclass(frozen=True)
class IndicatorSummary:
    """One indicator in one line: the latest value, a sparkline, the trend and the comparison with peers."""

    indicator: Indicator
    period: str
    value: str
    sparkline: str
    trend: str
    verdict: str
    demo: bool


TREND_TEXT = {
    "bedre": "bedre udvikling",
    "dårligere": "dårligere udvikling",
    "stigende": "stigende",
    "faldende": "faldende",
    "uændret": "ingen klar udvikling",
    "ukendt": "for få tal til en udvikling",
}


VERDICT_TEXT = {"bedre": "bedre end lignende kommuner", "dårligere": "dårligere end lignende kommuner"}


def _indicator_summaries(snap: Snapshot, indicators: list[Indicator]) -> dict[str, IndicatorSummary]:
    verdicts = compare_with_peers(snap, nearest(peer_matrix(snap.latest), snap.geo))
    ids = [i.id for i in indicators]
    trends = municipality_trends(snap.own.filter(pl.col("series").is_in(ids)), snap.geo, snap.polarity)
    history: dict[str, list[tuple[str, float | None, str]]] = {}
    for series, period, value, status in (
        snap.own.sort("period").select("series", "period", "value", "status").iter_rows()
    ):
        history.setdefault(series, []).append((period, value, status))
    out = {}
    for ind in indicators:
        rows = history.get(ind.id, [])[-SPARK_PERIODS:]
        latest = next(((p, v, st) for p, v, st in reversed(rows) if v is not None), None)
        out[ind.id] = IndicatorSummary(
            ind,
            latest[0] if latest else "",
            f"{format_number(latest[1], ind.decimals)} {ind.unit}" if latest else "mangler",
            sparkline_svg([v for _p, v, _s in rows]),
            TREND_TEXT[trends[ind.id].direction] if ind.id in trends else TREND_TEXT["ukendt"],
            VERDICT_TEXT.get(verdicts.get(ind.id, ""), "som lignende kommuner" if ind.id in verdicts else ""),
            any(st == "demo" for _p, _v, st in rows),
        )
    return out


@cached_page
def area_indicators(request: HttpRequest, area_id: str) -> HttpResponse:
    area = get_object_or_404(Area, pk=area_id)
    indicators = shipped_definitions().for_area(area.id)
    chosen = chosen_municipality(request)
    geo = chosen.code if chosen else COUNTRY_CODE
    latest = latest_cells(indicators, geo)
    definitions = shipped_definitions()
    sources = {
        i.id: ", ".join(dict.fromkeys(source_label(definitions.series[t.series]) for t in i.terms()))
        for i in indicators
    }
    rows = [(i, *latest.get(i.id, ("", MISSING_CELL)), sources[i.id]) for i in indicators]
    context = {
        "area": area,
        "rows": rows,
        "geo_name": chosen.name if chosen else "Hele landet",
        "has_demo": any(cell.is_demo for _i, _p, cell, _s in rows),
        "nav": "area",
    }
    return render(request, "front/area_indicators.html", context)
