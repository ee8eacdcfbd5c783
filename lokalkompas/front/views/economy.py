"""Economy pages: every area's year-end forecast for the chosen municipality, and one area month by month."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from lokalkompas.catalog.models import Area
from lokalkompas.charts.figures import series_figure
from lokalkompas.economy.accounts import accounts_history
from lokalkompas.economy.forecast import METHOD_NAMES, PROFILE_METHODS
from lokalkompas.economy.service import AREAS, area_path, forecasts
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality


@cached_page
def economy(request: HttpRequest) -> HttpResponse:
    chosen = chosen_municipality(request)
    rows = forecasts([chosen.code]) if chosen else []
    names = dict(Area.objects.values_list("id", "name"))
    context = {
        "chosen": chosen,
        "rows": [(names.get(r.area, r.area), r) for r in rows],
        "has_demo": any(r.demo for r in rows),
        "nav": "economy",
    }
    return render(request, "front/economy.html", context)


@cached_page
def economy_area(request: HttpRequest, area_id: str) -> HttpResponse:
    if area_id not in AREAS:
        raise Http404("Området har ingen budgetopfølgning.")
    chosen = chosen_municipality(request)
    area = Area.objects.filter(pk=area_id).first()
    path = area_path(chosen.code, area_id) if chosen else None
    figure = None
    if path is not None:
        thousand = 1000.0  # the store holds 1.000 kr.; the page shows mio. kr.
        lines = {
            "Faktisk forbrug": dict(zip(path.months, _mio(path.actual, thousand), strict=True)),
            "Budget fordelt efter profil": dict(zip(path.months, _mio(path.budget_path, thousand), strict=True)),
            "Prognose": dict(zip(path.months, _mio(path.forecast_path, thousand), strict=True)),
        }
        name = area.name if area else area_id
        figure = series_figure(
            "forbrug", f"{name}: forbrug {path.forecast.year}, akkumuleret", "mio. kr.", 1, lines, path.months
        )
    # Method d has a row only where the area has activity figures (the social area), so it is listed from
    # the backtest itself.
    methods = list(path.backtest) if path else PROFILE_METHODS
    backtest = [
        (METHOD_NAMES[m], m == (path.forecast.method if path else None), path.backtest[m] if path else [])
        for m in methods
    ]
    context = {
        "chosen": chosen,
        "area": area,
        "area_id": area_id,
        "path": path,
        "figure": figure,
        "backtest": backtest,
        "has_demo": bool(path and path.forecast.demo),
        "nav": "economy",
    }
    # Regnskab og oprindeligt budget: the closed years (REGK31 against BUDK32), shown after the forecast.
    accounts = accounts_history(chosen.code, area_id) if chosen else None
    has_demo = bool(context["has_demo"]) or bool(accounts and accounts.demo)
    return render(request, "front/economy_area.html", {**context, "accounts": accounts, "has_demo": has_demo})


def _mio(values: list[float | None], per: float) -> list[float | None]:
    return [v / per if v is not None else None for v in values]
