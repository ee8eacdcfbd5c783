"""API v1: the endpoints. Each fetches through the existing services and shapes the answer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import Annotated, Any, Literal

import polars as pl
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from pydantic import StringConstraints

from lokalkompas.analysis.benchmark import benchmark as rank_values
from lokalkompas.analysis.peers import nearest
from lokalkompas.analysis.service import STRUCTURE, latest_municipal_values, peer_matrix
from lokalkompas.api import cursor
from lokalkompas.api.access import KEY_REQUIRED_MESSAGE, visible_goals
from lokalkompas.api.data import (
    DataFilter,
    data_page,
    geo_names,
    held_page,
    held_series,
    lookups,
    read_versions,
    require_geos,
    require_indicator,
    require_municipality_code,
    require_period,
    split,
    vintages,
)
from lokalkompas.api.encode import MISSING_VINTAGE, RowTuple, VintageInfo, data_json, page_json_bytes
from lokalkompas.api.errors import ApiError, error_response, server_error, validation_message
from lokalkompas.api.goals import goal_answer
from lokalkompas.api.schemas import (
    AreaOut,
    BenchmarkOut,
    ChangesOut,
    DataPage,
    ErrorOut,
    GoalOut,
    IndicatorOut,
    LegalOut,
    MunicipalityOut,
    PeersOut,
    StatusCode,
)
from lokalkompas.catalog.models import Area
from lokalkompas.goals.models import Goal
from lokalkompas.indicators.changes import Change, changes_since
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.models import Observation
from lokalkompas.indicators.queries import latest_period
from lokalkompas.legal.catalogue import RULES_BY_ID
from lokalkompas.legal.service import evaluate_municipality
from lokalkompas.registry.data import groups, municipalities, regions

DESCRIPTION = """Lokalkompas' åbne API: kataloget, kommunerne, indikatorerne og deres tal, sammenligninger,
lignende kommuner, lovkrav, mål og ændringer.

Udgivne data kan hentes uden nøgle. Kladder til mål kræver en API-nøgle fra kommunen
(`Authorization: Bearer lk_...`) med mindst rollen politiker. At indlæse data og oprette eller rette mål
(operationerne under `skrivning`) kræver en nøgle med rollen analytiker eller administrator og gælder
kun nøglens egen kommune. Hver række har kilde, udgave og status;
status `demo` betyder syntetiske demodata, der ikke må bruges som rigtige tal.

Fejl svarer med `{"kode": "...", "besked": "..."}`: en stabil kode og en forklaring på dansk."""

Code = Annotated[str, StringConstraints(max_length=80)]
# One value may be a comma-separated list of codes (98 municipalities: 391 characters).
Codes = list[Annotated[str, StringConstraints(max_length=1000)]]
# A DST geography code (101, 081, 000, KG1) and a DST period code (2024, 2024K1, 2024M01).
GeoCode = Annotated[str, StringConstraints(max_length=3, pattern=r"^[0-9A-Z]{1,3}$")]
PeriodCode = Annotated[str, StringConstraints(max_length=7, pattern=r"^[0-9]{4}(K[1-4]|M(0[1-9]|1[0-2]))?$")]
MAX_CODES = 120
MAX_LIMIT = 5000
ERRORS: dict[int, type[ErrorOut]] = {code: ErrorOut for code in (400, 401, 404, 414, 422, 429)}


class DanishJSONRenderer(JSONRenderer):
    """Æ, ø and å as themselves rather than \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Lokalkompas API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    renderer=DanishJSONRenderer(),
)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return error_response(exc.status, exc.code, exc.message, headers, exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(422, "ugyldig_parameter", validation_message(list(exc.errors)))


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    # The middleware has already refused an unknown or revoked token: what is left is no token at all.
    return error_response(401, "mangler_noegle", KEY_REQUIRED_MESSAGE, {"WWW-Authenticate": "Bearer"})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's only 400: a body that is no JSON ("Cannot parse request body")
        return error_response(400, "ugyldigt_indhold", UNREADABLE_BODY)
    return error_response(exc.status_code, "fejl", str(exc))


UNREADABLE_BODY = (
    "Forespørgslens indhold kan ikke læses. Send JSON med 'Content-Type: application/json' "
    "(en fil til /data/upload som multipart/form-data)."
)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    return server_error(request, exc)


def _clean(value: Any) -> Any:
    """NaN is no JSON; a value that cannot be computed is null."""
    return None if isinstance(value, float) and math.isnan(value) else value


@api.get(
    "/omraader",
    response={200: list[AreaOut], **ERRORS},
    summary="Katalogets områder med temaer og spørgsmål",
    tags=["katalog"],
)
def areas(request: HttpRequest) -> list[dict[str, Any]]:
    rows = Area.objects.select_related("source_document").prefetch_related("themes__questions")
    return [
        {
            "id": a.id,
            "name": a.name,
            "formal_task": a.formal_task,
            "source": a.source_document.title,
            "themes": [
                {
                    "id": t.id,
                    "number": t.number,
                    "title": t.title,
                    "summary": t.summary,
                    "questions": [{"id": q.id, "text": q.text} for q in t.questions.all()],
                }
                for t in a.themes.all()
            ],
        }
        for a in rows
    ]


@api.get("/kommuner", response={200: list[MunicipalityOut], **ERRORS}, summary="De 98 kommuner", tags=["registre"])
def municipality_list(request: HttpRequest) -> list[dict[str, Any]]:
    region_names = {r.code: r.name for r in regions()}
    group_names = {g.number: g.name for g in groups()}
    return [
        {
            "code": m.code,
            "name": m.name,
            "official_name": m.official_name,
            "region_code": m.region_code,
            "region_name": region_names.get(m.region_code, ""),
            "group": m.group,
            "group_name": group_names.get(m.group, ""),
            "latitude": m.latitude,
            "longitude": m.longitude,
        }
        for m in municipalities()
    ]


@api.get(
    "/indikatorer",
    response={200: list[IndicatorOut], **ERRORS},
    summary="Indikatorernes metadata",
    tags=["indikatorer"],
)
def indicator_list(
    request: HttpRequest,
    area: Annotated[Code | None, Query(description="Kun indikatorer fra dette område, fx `dagtilbud`.")] = None,
) -> list[dict[str, Any]]:
    definitions = shipped_definitions()
    return [
        {
            **i.model_dump(include={"id", "name", "short_name", "definition", "unit", "decimals", "polarity"}),
            "frequency": i.frequency,
            "caveats": list(i.caveats),
            "questions": list(i.questions),
            "area": definitions.area_of[i.id],
            "legal_rule": i.legal_threshold.rule if i.legal_threshold else None,
        }
        for i in definitions.indicators.values()
        if area is None or definitions.area_of[i.id] == area
    ]


CSV_RESPONSE = {
    "responses": {
        "200": {
            "description": "OK",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/DataPage"}},
                "text/csv": {
                    "schema": {"type": "string"},
                    "example": "indicator;geo;geo_name;period;breakdown;value;status;source;vintage_id;...",
                },
            },
        }
    }
}


@api.get(
    "/data",
    response={200: DataPage, **ERRORS},
    summary="Tal for en eller flere indikatorer",
    description=(
        "Rækker sorteret efter indikator, område, periode og opdeling, i sider på højst `limit` rækker. "
        "Næste side hentes med `cursor=<next_cursor>`; siderne er fuldstændige og stabile, også mens data "
        "indlæses. `format=csv` giver semikolonsepareret CSV (UTF-8 med BOM, decimalkomma) og næste side "
        "i headeren `X-Next-Cursor`."
    ),
    tags=["indikatorer"],
    openapi_extra=CSV_RESPONSE,
)
def data(
    request: HttpRequest,
    indicator: Annotated[
        Codes, Query(max_length=MAX_CODES, description="Indikatorens id (gentag eller kommasepareret for flere).")
    ],
    geo: Annotated[
        Codes | None, Query(max_length=MAX_CODES, description="Område-kode(r), fx `101` eller `101,751`; alle uden.")
    ] = None,
    period_from: Annotated[PeriodCode | None, Query(description="Første periode, fx `2020` eller `2020K1`.")] = None,
    period_to: Annotated[PeriodCode | None, Query(description="Sidste periode, fx `2024`.")] = None,
    status: Annotated[list[StatusCode] | None, Query(description="Kun rækker med denne status.")] = None,
    cursor_: Annotated[str | None, Query(alias="cursor", max_length=cursor.MAX_CURSOR)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rækker pr. side.")] = 1000,
    format: Annotated[Literal["json", "csv"], Query(description="`json` (standard) eller `csv`.")] = "json",
) -> Any:
    ids = split(indicator, "indicator", MAX_CODES)
    if not ids:
        raise ApiError(400, "mangler_indikator", "Angiv mindst én indikator, fx ?indicator=normering-0-2.")
    for indicator_id in ids:
        require_indicator(indicator_id)
    # The versions the middleware read for the ETag: the look-ups are kept per process under them.
    look = lookups(getattr(request, "api_versions", None) or read_versions())
    geos = require_geos(split(geo, "geo", MAX_CODES), look) if geo else None
    periods = (require_period(period_from, "period_from"), require_period(period_to, "period_to"))
    f = DataFilter(ids, geos, *periods, [str(s) for s in status] if status else None)
    after = cursor.decode(cursor_, 4) if cursor_ else None
    # One series is paged from its rows held in memory (read once per load; docs/decisions/0020).
    held = held_series(ids[0], look) if len(ids) == 1 else None
    page = held_page(f, after, limit, held, look) if held is not None else None
    if held is not None and page is not None:
        indices, next_key = page
        next_cursor = cursor.encode(list(next_key)) if next_key else None
        if format == "json":
            encoded = held.encoded
            joined = page_json_bytes([encoded[i] for i in indices], next_cursor)
            return HttpResponse(joined, content_type="application/json; charset=utf-8")
        found = [held.rows[i] for i in indices]
    else:
        found, next_key = data_page(f, after, limit, look)
        next_cursor = cursor.encode(list(next_key)) if next_key else None
    sources = vintages((r[6] for r in found), look)
    if format == "csv":
        return _csv(_data_rows(found, look.names, sources), next_cursor)
    # Written as JSON text rather than validated row by row against DataPage (for 2.000 rows ninja's
    # validation cost five times the query) or encoded from dicts by json.dumps (more than the query):
    # the same bytes json.dumps makes of _data_rows, checked against it and against the schema in
    # tests/api/test_data_encoding.py and by schemathesis in tests/api/test_schema.py.
    body = data_json(found, look.names, sources, next_cursor)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _data_rows(found: list[RowTuple], names: dict[str, str], sources: dict[int, VintageInfo]) -> list[dict[str, Any]]:
    """The rows as DataRow dicts: for CSV, and the reference data_json must equal."""
    out = []
    for series, geo, period, breakdown, value, status, vintage_id in found:
        source, label, loaded_at = sources.get(vintage_id, MISSING_VINTAGE)
        out.append(
            {
                "indicator": series,
                "geo": geo,
                "geo_name": names.get(geo, geo),
                "period": period,
                "breakdown": breakdown,
                "value": value,
                "status": status,
                "source": source,
                "vintage_id": vintage_id,
                "vintage_label": label,
                "vintage_loaded_at": loaded_at,
            }
        )
    return out


CSV_COLUMNS = (
    "indicator",
    "geo",
    "geo_name",
    "period",
    "breakdown",
    "value",
    "status",
    "source",
    "vintage_id",
    "vintage_label",
    "vintage_loaded_at",
)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def _csv(rows: list[dict[str, Any]], next_cursor: str | None) -> HttpResponse:
    buffer = io.StringIO()
    # A BOM makes Excel read æ, ø and å; semicolons and decimal commas as the web app's downloads.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([_csv_cell(r[c]) for c in CSV_COLUMNS] for r in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lokalkompas-data.csv"'
    if next_cursor:
        response["X-Next-Cursor"] = next_cursor
    return response


@api.get(
    "/benchmark",
    response={200: BenchmarkOut, **ERRORS},
    summary="Alle kommuner rangeret på én indikator i én periode",
    description="Rangering med percentil og kvartil. En rangering skal altid vises med forbeholdene.",
    tags=["analyse"],
)
def benchmark(
    request: HttpRequest,
    indicator: Annotated[Code, Query(description="Indikatorens id.")],
    period: Annotated[PeriodCode | None, Query(description="Perioden; seneste periode med tal uden.")] = None,
) -> dict[str, Any]:
    ind = require_indicator(indicator)
    parsed = require_period(period, "period")
    chosen = parsed.code if parsed else latest_period(ind)
    codes = [m.code for m in municipalities()]
    rows = Observation.objects.filter(series=ind.id, period=chosen, breakdown="", geo_id__in=codes)
    found = list(rows.values_list("geo_id", "value", "status"))
    if chosen is None or not found:
        raise ApiError(404, "ingen_data", f"Der er ingen tal for '{ind.id}' i perioden '{chosen or period}'.")
    statuses = {g: s for g, _v, s in found}
    values = pl.DataFrame([(g, v) for g, v, _s in found], schema={"geo": pl.String, "value": pl.Float64}, orient="row")
    names = geo_names()
    ranked = [
        {**{k: _clean(v) for k, v in r.items()}, "geo_name": names.get(r["geo"], ""), "status": statuses[r["geo"]]}
        for r in rank_values(values, ind.polarity).iter_rows(named=True)
    ]
    caveats = [
        *ind.caveats,
        "Kommunerne løser opgaverne under forskellige vilkår; sammenlign med lignende kommuner (/api/v1/ligner).",
    ]
    return {
        "indicator": ind.id,
        "period": chosen,
        "unit": ind.unit,
        "polarity": ind.polarity,
        "caveats": caveats,
        "rows": ranked,
    }


PEER_METHOD = (
    "De nærmeste kommuner på strukturelle variable (folketal og befolkningstæthed på logaritmisk skala, "
    "aldersfordeling, befolkningsudvikling og indkomst), hver standardiseret over de 98 kommuner og "
    "vægtet ens; afstanden er euklidisk. Hver variabels bidrag er dens andel af den kvadrerede afstand."
)


@api.get(
    "/ligner",
    response={200: PeersOut, **ERRORS},
    summary="Kommuner, der ligner en kommune, med forklaring",
    tags=["analyse"],
)
def peers(
    request: HttpRequest,
    geo: Annotated[GeoCode, Query(description="Kommunekoden, fx `101`.")],
    k: Annotated[int, Query(ge=1, le=97, description="Hvor mange lignende kommuner.")] = 10,
) -> dict[str, Any]:
    code = require_municipality_code(geo)
    latest = latest_municipal_values(list(STRUCTURE))
    neighbours = nearest(peer_matrix(latest), code, k=k)
    definitions = shipped_definitions().indicators
    label = {v: (definitions[v].short_name or definitions[v].name).lower() for v in STRUCTURE if v in definitions}
    names = geo_names()
    out = []
    for n in neighbours:
        ordered = sorted(n.contributions, key=lambda v: n.contributions[v])
        why = (
            f"mest ens på {label.get(ordered[0], ordered[0])} og {label.get(ordered[1], ordered[1])}; "
            f"størst forskel på {label.get(ordered[-1], ordered[-1])}"
        )
        out.append(
            {
                "geo": n.geo,
                "geo_name": names.get(n.geo, n.geo),
                "distance": n.distance,
                "contributions": [{"variable": v, "share": _clean(s) or 0.0} for v, s in n.contributions.items()],
                "explanation": why,
            }
        )
    demo = latest.filter(pl.col("status") == "demo").height > 0
    return {"geo": code, "method": PEER_METHOD, "variables": list(STRUCTURE), "demo": demo, "neighbours": out}


@api.get(
    "/lovkrav",
    response={200: LegalOut, **ERRORS},
    summary="Lovkrav beregnet for en kommune",
    description="Hvert lovkrav beregnet, som loven foreskriver, med margen, dataforsinkelse og forbehold.",
    tags=["lovkrav"],
)
def legal(
    request: HttpRequest, geo: Annotated[GeoCode, Query(description="Kommunekoden, fx `101`.")]
) -> dict[str, Any]:
    code = require_municipality_code(geo)
    today = timezone.localdate()
    results = []
    for r in evaluate_municipality(code, today):
        rule = RULES_BY_ID[r.rule]
        results.append(
            {
                "rule": r.rule,
                "title": rule.title,
                "legal_reference": rule.legal_reference,
                "outcome": r.outcome,
                "margin": _clean(r.margin),
                "margin_unit": rule.margin_unit,
                "period": r.period,
                "lag_months": r.lag_months,
                "explanation": r.explanation,
                "caveats": list(r.caveats),
                "due": r.due,
                "overdue": r.overdue,
                "demo": r.demo,
            }
        )
    return {"geo": code, "evaluated_on": today, "results": results}


@api.get(
    "/maal",
    response={200: list[GoalOut], **ERRORS},
    summary="Kommunernes mål med status og handlinger",
    description=(
        "Udgivne mål for alle. Med en API-nøgle fra kommunen (mindst politiker) også kommunens kladder; "
        "nøgler fra andre kommuner ser ingen kladder."
    ),
    tags=["mål"],
)
def goals(
    request: HttpRequest,
    geo: Annotated[GeoCode | None, Query(description="Kun denne kommune, fx `101`.")] = None,
) -> list[dict[str, Any]]:
    rows = Goal.objects.filter(visible_goals(request)).prefetch_related("actions")
    if geo is not None:
        rows = rows.filter(geo_id=require_municipality_code(geo))
    return [goal_answer(goal) for goal in rows]


MAX_CHANGES = 1000
OLDEST_SINCE = dt.date(2000, 1, 1)


@api.get(
    "/aendringer",
    response={200: ChangesOut, **ERRORS},
    summary="Hvad er ændret siden en dato",
    description="Nye perioder, reviderede tal, lovkrav og mål, nyeste først, for én kommune, i sider.",
    tags=["analyse"],
)
def changes(
    request: HttpRequest,
    siden: Annotated[dt.date, Query(description="Datoen, fx `2026-11-01`.")],
    geo: Annotated[GeoCode, Query(description="Kommunekoden, fx `101`.")],
    cursor_: Annotated[str | None, Query(alias="cursor", max_length=cursor.MAX_CURSOR)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_CHANGES)] = 500,
) -> dict[str, Any]:
    code = require_municipality_code(geo)
    if siden < OLDEST_SINCE:
        raise ApiError(400, "ugyldig_dato", "Parameteren 'siden' skal være 1. januar 2000 eller senere.")
    since = timezone.make_aware(dt.datetime.combine(siden, dt.time.min))
    goal_ids = Goal.objects.filter(visible_goals(request), geo_id=code).values_list("pk", flat=True)
    visible = {f"mål-{pk}" for pk in goal_ids}
    found = [c for c in changes_since(since, code) if c.kind != "mål" or c.series in visible]
    start = _offset(cursor_)
    page = found[start : start + limit]
    more = start + limit < len(found)
    return {
        "since": siden,
        "changes": [_change(c) for c in page],
        "next_cursor": cursor.encode([str(start + limit)]) if more else None,
    }


def _offset(text: str | None) -> int:
    if text is None:
        return 0
    value = cursor.decode(text, 1)[0]
    if not value.isdigit() or len(value) > 9:
        raise ApiError(400, "ugyldig_cursor", "Parameteren 'cursor' er ugyldig. Brug værdien fra next_cursor uændret.")
    return int(value)


def _change(c: Change) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "series": c.series,
        "geo": c.geo,
        "period": c.period,
        "old_value": c.old_value,
        "new_value": c.new_value,
        "when": c.when,
        "source": c.source,
        "description": c.description,
    }


def openapi_url() -> str:
    return reverse("api-v1:openapi-json")


# The writes (uploads, goals, actions) live in their own module and add their operations to `api` when
# imported: on the same paths as the reads (GET and POST /maal are one address) and with the same errors.
from lokalkompas.api import writes  # noqa: E402, F401
