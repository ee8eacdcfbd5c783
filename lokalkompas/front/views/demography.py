"""The demography page: the population projection × coverage × unit cost, with a scenario form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lokalkompas.catalog.models import Area
from lokalkompas.charts.figures import Figure, series_figure
from lokalkompas.economy.demography import MODEL_AREAS, YearDemand, demand, pressure_sentence
from lokalkompas.economy.population import (
    SOURCES,
    Default,
    Projection,
    assumptions,
    available_sources,
    budgets,
    defaults,
    projection,
)
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality
from lokalkompas.front.forms import SCENARIO_FIELDS, ScenarioForm
from lokalkompas.lib.formatting import format_number

# The pressure sentences compare the base year with this many years later (a council term and a bit).
PRESSURE_YEARS = 4


@cached_page
def demography(request: HttpRequest) -> HttpResponse:
    chosen = chosen_municipality(request)
    context: dict[str, Any] = {"chosen": chosen, "nav": "economy"}
    if chosen is None:
        return render(request, "front/demography.html", context)
    sources = available_sources(chosen.code)
    start = defaults(chosen.code)
    form = _form(request, sources, start)
    context |= {"form": form, "sources": sources}
    if not sources or (form.is_bound and not form.is_valid()):
        return render(request, "front/demography.html", context)
    values = form.model_values() if form.is_bound else {key: d.value for key, d in start.items()}
    source = form.cleaned_data["prognose"] if form.is_bound else sources[0]
    share = form.cleaned_data["kompensation"] / 100 if form.is_bound else 1.0
    found = projection(chosen.code, source)
    if found is None:
        return render(request, "front/demography.html", context)
    context |= _results(chosen.code, found, values, share)
    context["has_demo"] = found.demo or any(d.demo for d in start.values()) or context["budget_demo"]
    return render(request, "front/demography.html", context)


def _form(request: HttpRequest, sources: list[str], start: dict[str, Default]) -> ScenarioForm:
    hints = {key: _hint(key, d) for key, d in start.items()}
    initial: dict[str, Any] = {name: ScenarioForm.to_form(key, start[key].value) for name, key, *_ in SCENARIO_FIELDS}
    initial |= {"prognose": sources[0] if sources else "", "kompensation": 100}
    choices = [(s, SOURCES[s][0].upper() + SOURCES[s][1:]) for s in sources]
    bound = any(name in request.GET for name in ("prognose", "kompensation", *(f[0] for f in SCENARIO_FIELDS)))
    return ScenarioForm(request.GET if bound else None, initial=initial, sources=choices, hints=hints)


def _hint(key: str, d: Default) -> str:
    shown = ScenarioForm.to_form(key, d.value)
    number = format_number(shown, 1 if isinstance(shown, float) else 0)
    return f"Udgangspunkt {number} ({d.note}{', DEMO' if d.demo else ''})."


def _results(geo: str, found: Projection, values: dict[str, float], share: float) -> dict[str, Any]:
    this_year = timezone.localdate().year
    base_year = this_year if this_year in found.years else found.first_year
    years = demand(found.years, assumptions(values, share), base_year)
    base = next(d for d in years if d.year == base_year)
    later = next((d for d in years if d.year == base_year + PRESSURE_YEARS), years[-1])
    names = dict(Area.objects.filter(pk__in=MODEL_AREAS).values_list("id", "name"))
    today = budgets(geo, base_year)
    areas = [
        {
            "id": area,
            "name": names.get(area, area),
            "sentence": pressure_sentence(area, base, later),
            "budget": today.get(area),
            "costs": [d.costs[area] for d in years],
        }
        for area in MODEL_AREAS
    ]
    return {
        "projection": found,
        "years": years,
        "base_year": base_year,
        "later": later,
        "last": years[-1],
        "areas": areas,
        "budget_demo": any(b.demo for b in today.values()),
        "figure": _figure(years),
        "compensation": share,
    }


def _figure(years: list[YearDemand]) -> Figure:
    periods = [str(d.year) for d in years]
    lines = {
        "Udgift efter demografien": {str(d.year): d.cost / 1000 for d in years},
        "Budget efter demografiregulering": {str(d.year): d.budget / 1000 for d in years},
    }
    return series_figure(
        "demografi", "Udgift til dagtilbud, skole og ældre efter demografien", "mio. kr.", 1, lines, periods
    )
