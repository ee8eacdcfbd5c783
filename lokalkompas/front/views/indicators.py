"""The indicator page and its downloads (CSV, XLSX)."""

from __future__ import annotations

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from lokalkompas.analysis.peers import nearest
from lokalkompas.analysis.service import (
    STRUCTURE,
    expected_for,
    latest_municipal_values,
    peer_matrix,
    position,
)
from lokalkompas.catalog.models import Area, Question
from lokalkompas.charts.figures import Figure, series_figure
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality
from lokalkompas.front.exports import write_indicator_workbook
from lokalkompas.front.views.site import unique_values
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.queries import (
    RankRow,
    SeriesTable,
    csv_rows,
    export_rows,
    latest_period,
    municipal_values,
    series_table,
)
from lokalkompas.indicators.reference import source_label
from lokalkompas.indicators.schema import Indicator
from lokalkompas.registry.data import COUNTRY_CODE, group_code
from lokalkompas.registry.models import Geography

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
    requested = unique_values(request.GET.getlist("med"))[:MAX_PEER_LINES]
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
