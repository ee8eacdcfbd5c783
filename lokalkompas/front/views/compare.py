"""Comparing municipalities side by side, and the map by quartile."""

from __future__ import annotations

import polars as pl
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lokalkompas.analysis.benchmark import benchmark
from lokalkompas.analysis.peers import nearest
from lokalkompas.analysis.service import (
    STRUCTURE,
    latest_municipal_values,
    peer_matrix,
)
from lokalkompas.catalog.models import Area
from lokalkompas.charts.figures import Figure, bar_figure, map_figure, period_label
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality
from lokalkompas.front.views.site import unique_values
from lokalkompas.indicators.definitions import Definitions, shipped_definitions
from lokalkompas.indicators.models import Observation
from lokalkompas.indicators.queries import (
    RankRow,
    latest_period,
    municipal_values,
)
from lokalkompas.indicators.schema import Indicator
from lokalkompas.registry.models import Geography

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
    codes = unique_values(request.GET.getlist("kommune"))
    known = {g.code: g for g in Geography.objects.filter(kind=Geography.Kind.MUNICIPALITY, code__in=codes)}
    errors += [f"Kommunekoden „{c}“ findes ikke og er sprunget over." for c in codes if c not in known]
    if len(known) > MAX_COMPARED:
        errors.append(f"Der kan højst sammenlignes {MAX_COMPARED} kommuner; de første {MAX_COMPARED} vises.")
    ids = unique_values(request.GET.getlist("indikator"))
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
