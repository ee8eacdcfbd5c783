"""Server-rendered pages: forside, områdeside, valgperiodens kalender and om. Views fetch and render."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from lokalkompas.analysis.benchmark import benchmark
from lokalkompas.analysis.dashboard import area_tiles
from lokalkompas.analysis.peers import nearest
from lokalkompas.analysis.service import (
    STRUCTURE,
    alerts_from,
    compare_with_peers,
    expected_for,
    latest_municipal_values,
    municipality_trends,
    peer_matrix,
    position,
    snapshot,
)
from lokalkompas.catalog.calendar import occurrences
from lokalkompas.catalog.models import Area, CalendarEntry, LegalDuty, Question, Reform, SourceDocument, Theme
from lokalkompas.charts.figures import Figure, bar_figure, map_figure, period_label, series_figure
from lokalkompas.charts.sparkline import sparkline_svg
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import COOKIE, chosen_municipality
from lokalkompas.front.exports import write_indicator_workbook
from lokalkompas.goals.service import status_counts
from lokalkompas.goals.status import STATUSES
from lokalkompas.indicators.changes import Change, changes_since
from lokalkompas.indicators.definitions import Definitions, shipped_definitions
from lokalkompas.indicators.models import Observation
from lokalkompas.indicators.queries import (
    MISSING_CELL,
    RankRow,
    SeriesTable,
    csv_rows,
    export_rows,
    latest_cells,
    latest_period,
    municipal_values,
    series_table,
)
from lokalkompas.indicators.reference import source_label
from lokalkompas.indicators.schema import Indicator
from lokalkompas.legal.base import RuleResult
from lokalkompas.legal.catalogue import RULES_BY_ID
from lokalkompas.legal.models import Decision
from lokalkompas.legal.service import evaluate_municipality
from lokalkompas.lib.formatting import format_date, format_number
from lokalkompas.registry.data import COUNTRY_CODE, group_code
from lokalkompas.registry.models import Geography, MunicipalityGroup

TERM_YEARS = (2026, 2029)
ONE_YEAR = 365 * 24 * 3600


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


@cached_page
def legal(request: HttpRequest) -> HttpResponse:
    """Every legal rule's result for the chosen municipality, with the decisions it rests on."""
    chosen = chosen_municipality(request)
    today = timezone.localdate()
    results = evaluate_municipality(chosen.code, today) if chosen else []
    context = {
        "chosen": chosen,
        "today": today,
        "rows": [(RULES_BY_ID[r.rule], r, _details(r)) for r in results],
        "decisions": Decision.objects.filter(geo=chosen).order_by("-date") if chosen else [],
        "has_demo": any(r.demo for r in results),
        "nav": "legal",
    }
    return render(request, "front/legal.html", context)


DETAIL_LABELS = {
    "lovens_normering_0_2": "Efter lovens opgørelse, 0–2 år",
    "offentliggjort_normering_0_2": "Offentliggjort af Danmarks Statistik, 0–2 år",
    "forskel_0_2": "Forskel, 0–2 år",
    "lovens_normering_3_5": "Efter lovens opgørelse, 3–5 år",
    "offentliggjort_normering_3_5": "Offentliggjort af Danmarks Statistik, 3–5 år",
    "forskel_3_5": "Forskel, 3–5 år",
}


def _details(result: RuleResult) -> list[tuple[str, float]]:
    """The rule's figures worth showing (published beside legal), labelled, missing ones left out."""
    return [(DETAIL_LABELS.get(k, k), v) for k, v in result.details.items() if v is not None]


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
    summaries = _indicator_summaries(chosen, definitions, definitions.for_area(area.id)) if chosen else {}
    today = timezone.localdate()
    legal = {r.rule: r for r in evaluate_municipality(chosen.code, today)} if chosen else {}
    upcoming = [
        o
        for o in occurrences(list(CalendarEntry.objects.filter(area=area).select_related("area")), *TERM_YEARS)
        if o.year >= today.year and (o.date is None or o.date >= today)
    ][:UPCOMING_SHOWN]
    context = {
        "area": area,
        "areas": Area.objects.order_by("order"),
        "nav": "area",
        "area_names": _area_names(),
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


def _indicator_summaries(
    chosen: Geography, definitions: Definitions, indicators: list[Indicator]
) -> dict[str, IndicatorSummary]:
    snap = snapshot(chosen.code, definitions)
    verdicts = compare_with_peers(snap, nearest(peer_matrix(snap.latest), chosen.code))
    ids = [i.id for i in indicators]
    trends = municipality_trends(snap.own.filter(pl.col("series").is_in(ids)), chosen.code, snap.polarity)
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


SORTS = {"navn": "name", "vaerdi": "value", "region": "region"}
# The chosen municipality, these peers, region, group and country: at most eight lines, one per colour.
MAX_PEER_LINES = 4


def _similar_query(chosen: Geography) -> str:
    neighbours = nearest(peer_matrix(latest_municipal_values(list(STRUCTURE))), chosen.code, k=MAX_PEER_LINES)
    return "&".join(f"med={n.geo}" for n in neighbours)


@cached_page
def indicator(request: HttpRequest, indicator_id: str) -> HttpResponse:
    definitions = shipped_definitions()
    ind = definitions.indicators.get(indicator_id)
    if ind is None:
        raise Http404("Indikatoren findes ikke")
    area_id = definitions.area_of[ind.id]
    chosen = chosen_municipality(request)
    country = Geography.objects.filter(code=COUNTRY_CODE).first()
    group = Geography.objects.filter(code=group_code(chosen.group_id)).first() if chosen and chosen.group_id else None
    requested = _unique(request.GET.getlist("med"))[:MAX_PEER_LINES]
    peers = list(Geography.objects.filter(kind=Geography.Kind.MUNICIPALITY, code__in=requested).exclude(pk=chosen))
    peers.sort(key=lambda g: requested.index(g.code))
    geos = [g for g in (chosen, *peers, chosen.region if chosen else None, group, country) if g is not None]
    table = series_table(ind, geos)
    period = latest_period(ind)
    ranking = municipal_values(ind, period) if period else []
    sort, direction = request.GET.get("sorter", "vaerdi"), request.GET.get("retning", "")
    ranking = _sorted_ranking(ranking, SORTS.get(sort, "value"), direction == "faldende", ind.polarity)
    context = {
        "indicator": ind,
        "series_figure": _series_figure(ind, table) if table.periods else None,
        "position": position(ind, chosen, period) if chosen and period else None,
        "expected": expected_for(ind, chosen.code) if chosen and period else None,
        "max_peers": MAX_PEER_LINES,
        "peer_codes": {g.code for g in peers},
        "similar_query": _similar_query(chosen) if chosen else "",
        "area": Area.objects.filter(pk=area_id).first(),
        "series": [(definitions.series[t.series], source_label(definitions.series[t.series])) for t in ind.terms()],
        "table": table,
        "period": period,
        "ranking": ranking,
        "sort": sort if sort in SORTS else "vaerdi",
        "sort_columns": [("navn", "Kommune"), ("region", "Region"), ("vaerdi", f"Værdi ({ind.unit})")],
        "descending": direction == "faldende",
        "has_demo": table.has_demo or any(r.cell.is_demo for r in ranking),
        "chosen": chosen,
        "questions": Question.objects.filter(pk__in=ind.questions).select_related("theme"),
        "nav": "area",
    }
    return render(request, "front/indicator.html", context)


DEFAULT_MAP_INDICATOR = "normering-0-2"


@cached_page
def map_view(request: HttpRequest) -> HttpResponse:
    """All municipalities coloured by quartile of one indicator's latest period."""
    definitions = shipped_definitions()
    wanted = request.GET.get("indikator", DEFAULT_MAP_INDICATOR)
    ind = definitions.indicators.get(wanted)
    error = "" if ind else f"Indikatoren „{wanted}“ findes ikke. Kortet viser {DEFAULT_MAP_INDICATOR}."
    ind = ind or definitions.indicators[DEFAULT_MAP_INDICATOR]
    period = latest_period(ind)
    ranking = municipal_values(ind, period) if period else []
    figure = _map_figure(ind, period, ranking) if period else None
    options = [(a.name, definitions.for_area(a.id)) for a in Area.objects.order_by("order")]
    context = {
        "indicator": ind,
        "period": period,
        "figure": figure,
        "options": [(name, inds) for name, inds in options if inds],
        "structure": definitions.for_area("struktur"),
        "error": error,
        "has_demo": any(r.cell.is_demo for r in ranking),
        "nav": "map",
    }
    return render(request, "front/map.html", context, status=400 if error else 200)


MAX_COMPARED = 10
DEFAULT_NEIGHBOURS_SHOWN = 5
DEFAULT_COMPARE_INDICATORS = 4


@cached_page
def compare(request: HttpRequest) -> HttpResponse:
    """Up to ten municipalities side by side on chosen indicators, suggested from the nearest neighbours."""
    definitions = shipped_definitions()
    chosen = chosen_municipality(request)
    errors: list[str] = []
    codes = _unique(request.GET.getlist("kommune"))
    known = {g.code: g for g in Geography.objects.filter(kind=Geography.Kind.MUNICIPALITY, code__in=codes)}
    errors += [f"Kommunekoden „{c}“ findes ikke og er sprunget over." for c in codes if c not in known]
    if len(known) > MAX_COMPARED:
        errors.append(f"Der kan højst sammenlignes {MAX_COMPARED} kommuner; de første {MAX_COMPARED} vises.")
    ids = _unique(request.GET.getlist("indikator"))
    errors += [f"Indikatoren „{i}“ findes ikke og er sprunget over." for i in ids if i not in definitions.indicators]
    indicators = [definitions.indicators[i] for i in ids if i in definitions.indicators]
    suggestions = _suggestions(chosen, definitions) if chosen else []
    selected = [known[c] for c in codes if c in known][:MAX_COMPARED]
    if not selected and chosen:
        selected = [chosen, *[g for g, _why in suggestions[:DEFAULT_NEIGHBOURS_SHOWN]]]
    if not indicators:
        indicators = [i for i in definitions.for_area("dagtilbud") if i.polarity != "neutral"][
            :DEFAULT_COMPARE_INDICATORS
        ]
    focus = chosen.name if chosen else (selected[0].name if selected else "")
    figures, has_demo = _compare_figures(indicators, selected, focus)
    options = [(a.name, definitions.for_area(a.id)) for a in Area.objects.order_by("order")]
    context = {
        "chosen": chosen,
        "selected": selected,
        "selected_codes": {g.code for g in selected},
        "indicators": indicators,
        "indicator_ids": {i.id for i in indicators},
        "suggestions": suggestions,
        "figures": figures,
        "options": [(name, inds) for name, inds in options if inds] + [("Struktur", definitions.for_area("struktur"))],
        "errors": errors,
        "has_demo": has_demo,
        "nav": "compare",
    }
    return render(request, "front/compare.html", context, status=400 if errors else 200)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


def _suggestions(chosen: Geography, definitions: Definitions) -> list[tuple[Geography, str]]:
    """The ten nearest municipalities, each with why: the variables they are most and least alike on."""
    latest = latest_municipal_values(list(STRUCTURE))
    neighbours = nearest(peer_matrix(latest), chosen.code)
    names = {i.id: (i.short_name or i.name).lower() for i in definitions.indicators.values()}
    geos = {g.code: g for g in Geography.objects.filter(code__in=[n.geo for n in neighbours])}
    out = []
    for n in neighbours:
        ordered = sorted(n.contributions, key=lambda v: n.contributions[v])
        why = f"mest ens på {names[ordered[0]]} og {names[ordered[1]]}; størst forskel på {names[ordered[-1]]}"
        out.append((geos[n.geo], why))
    return out


def _compare_figures(indicators: list[Indicator], selected: list[Geography], focus: str) -> tuple[list[Figure], bool]:
    codes = [g.code for g in selected]
    figures, demo = [], False
    for ind in indicators:
        period = latest_period(ind)
        if period is None:
            continue
        rows = Observation.objects.filter(series=ind.id, period=period, geo_id__in=codes).values_list(
            "geo_id", "value", "status"
        )
        values = {g: v for g, v, _s in rows}
        demo = demo or any(st == "demo" for _g, _v, st in rows)
        title = f"{ind.short_name or ind.name} ({ind.unit}), {period_label(period)}"
        data = [(g.name, values.get(g.code)) for g in selected]
        figures.append(bar_figure(f"sammenlign-{ind.id}", title, ind.unit, ind.decimals, period, data, focus))
    return figures, demo


def _map_figure(ind: Indicator, period: str, ranking: list[RankRow]) -> Figure:
    neutral = ind.polarity == "neutral"
    # A neutral indicator has no best quarter; its quarters run from the largest values down.
    values = pl.DataFrame(
        {"geo": [r.geo.code for r in ranking], "value": [r.cell.value for r in ranking]},
        schema={"geo": pl.String, "value": pl.Float64},
    )
    quartiles = dict(
        benchmark(values, "higher_better" if neutral else ind.polarity).select("geo", "quartile").iter_rows()
    )
    rows = [
        (r.geo.name, r.geo.latitude or 0.0, r.geo.longitude or 0.0, r.cell.value, quartiles.get(r.geo.code))
        for r in ranking
        if r.geo.latitude is not None and r.geo.longitude is not None
    ]
    title = f"{ind.short_name or ind.name}, {period_label(period)}"
    return map_figure("kort-figur", title, rows, ind.unit, ind.decimals, neutral)


def _series_figure(ind: Indicator, table: SeriesTable) -> Figure:
    lines = {
        g.name: {p: table.cells[(g.code, p)].value for p in table.periods if (g.code, p) in table.cells}
        for g in table.geos
    }
    title = f"{ind.short_name or ind.name} ({ind.unit})"
    return series_figure("udvikling-figur", title, ind.unit, ind.decimals, lines, table.periods)


def _sorted_ranking(rows: list[RankRow], key: str, descending: bool, polarity: str) -> list[RankRow]:
    if key == "name":
        return sorted(rows, key=lambda r: r.geo.name, reverse=descending)
    if key == "region":
        return sorted(rows, key=lambda r: (r.geo.region.name if r.geo.region else "", r.geo.name), reverse=descending)
    # By value: best first unless the user turns it around; missing values always last.
    best_first_descending = polarity != "lower_better"
    reverse = best_first_descending != descending
    present = sorted((r for r in rows if r.cell.value is not None), key=lambda r: r.cell.value or 0.0, reverse=reverse)
    return present + [r for r in rows if r.cell.value is None]


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def indicator_xlsx(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """The CSV's rows as a spreadsheet with real numbers (formatted with the indicator's decimals)."""
    definitions = shipped_definitions()
    ind = definitions.indicators.get(indicator_id)
    if ind is None:
        raise Http404("Indikatoren findes ikke")
    sources = ", ".join(dict.fromkeys(source_label(definitions.series[t.series]) for t in ind.terms()))
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="lokalkompas-{ind.id}.xlsx"'
    write_indicator_workbook(response, ind, sources, export_rows(ind))
    return response


def indicator_csv(request: HttpRequest, indicator_id: str) -> HttpResponse:
    ind = shipped_definitions().indicators.get(indicator_id)
    if ind is None:
        raise Http404("Indikatoren findes ikke")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lokalkompas-{ind.id}.csv"'
    # A BOM makes Excel read æ, ø and å correctly; semicolons and decimal commas are the Danish convention.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(["kode", "navn", "periode", ind.name, "status", "enhed"])
    writer.writerows(csv_rows(ind))
    return response
