"""The API's reads of the observation store: filtered, keyset-paginated rows with their vintage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from lokalkompas.api.errors import ApiError
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.indicators.schema import Indicator
from lokalkompas.lib.periods import Period, parse_period
from lokalkompas.registry.models import Geography

KEY = ("series", "geo_id", "period", "breakdown")
MAX_CODE = 80  # an indicator id's longest


@dataclass(frozen=True)
class DataFilter:
    indicators: list[str]
    geos: list[str] | None
    period_from: Period | None
    period_to: Period | None
    statuses: list[str] | None


def require_indicator(indicator_id: str) -> Indicator:
    found = shipped_definitions().indicators.get(indicator_id)
    if found is None:
        message = f"Der er ingen indikator med id'et '{indicator_id}'. Se /api/v1/indikatorer."
        raise ApiError(404, "ukendt_indikator", message)
    return found


def require_geos(codes: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(codes))
    known = set(Geography.objects.filter(code__in=wanted).values_list("code", flat=True))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        message = f"Ukendt områdekode: '{unknown[0]}'. Brug fx 101 (kommune), 081 (region) eller 000."
        raise ApiError(404, "ukendt_omraade", message)
    return wanted


def require_municipality_code(code: str) -> str:
    found = Geography.objects.filter(code=code, kind=Geography.Kind.MUNICIPALITY).exists()
    if not found:
        raise ApiError(404, "ukendt_kommune", f"Ukendt kommunekode: '{code}'. Brug Danmarks Statistiks kode, fx 101.")
    return code


def require_period(code: str | None, name: str) -> Period | None:
    if code is None:
        return None
    try:
        return parse_period(code)
    except ValueError as exc:
        raise ApiError(400, "ugyldig_periode", f"Parameteren '{name}': {exc}.") from exc


def split(values: list[str] | None, name: str, most: int) -> list[str]:
    """Repeated parameters and comma-separated lists mean the same: ?geo=101&geo=751 or ?geo=101,751."""
    parts = [part.strip() for value in values or [] for part in value.split(",") if part.strip()]
    if len(parts) > most:
        raise ApiError(400, "for_mange_vaerdier", f"Parameteren '{name}' har for mange værdier (højst {most}).")
    if any(len(part) > MAX_CODE for part in parts):
        raise ApiError(400, "for_lang_vaerdi", f"En værdi i parameteren '{name}' er for lang (højst {MAX_CODE} tegn).")
    return parts


def _periods_in_range(f: DataFilter) -> list[str] | None:
    if f.period_from is None and f.period_to is None:
        return None
    stored = Observation.objects.filter(series__in=f.indicators).values_list("period", flat=True).distinct()
    out = []
    for code in stored:
        period = parse_period(code)
        if f.period_from is not None and period.start < f.period_from.start:
            continue
        if f.period_to is not None and period.end > f.period_to.end:
            continue
        out.append(code)
    return out


def _after(key: list[str]) -> Q:
    """Rows strictly after `key` in (series, geo, period, breakdown) order: the unique index's order."""
    clauses = []
    for n, name in enumerate(KEY):
        equal = {KEY[i]: key[i] for i in range(n)}
        clauses.append(Q(**equal, **{f"{name}__gt": key[n]}))
    return reduce(or_, clauses)


RowTuple = tuple[str, str, str, str, float | None, str, int]


def data_page(f: DataFilter, after: list[str] | None, limit: int) -> tuple[list[RowTuple], list[str] | None]:
    """One page of rows in key order, and the key to continue after (None on the last page).

    Keyset pagination on the unique key is complete and stable: a row is never skipped or repeated
    between pages, even while a load adds rows, and revised values keep their place.
    """
    rows = Observation.objects.filter(series__in=f.indicators)
    if f.geos is not None:
        rows = rows.filter(geo_id__in=f.geos)
    periods = _periods_in_range(f)
    if periods is not None:
        rows = rows.filter(period__in=periods)
    if f.statuses:
        rows = rows.filter(status__in=f.statuses)
    if after is not None:
        rows = rows.filter(_after(after))
    found: list[RowTuple] = list(rows.order_by(*KEY).values_list(*KEY, "value", "status", "vintage_id")[: limit + 1])
    if len(found) <= limit:
        return found, None
    last = found[limit - 1]
    return found[:limit], [last[0], last[1], last[2], last[3]]


def vintages(ids: Iterable[int]) -> dict[int, tuple[str, str, dt.datetime]]:
    """Vintage id -> (source, label, loaded_at) for the rows of a page."""
    rows = Vintage.objects.filter(pk__in=set(ids)).values_list("pk", "source", "label", "loaded_at")
    return {pk: (source, label, loaded_at) for pk, source, label, loaded_at in rows}


def geo_names() -> dict[str, str]:
    return dict(Geography.objects.values_list("code", "name"))
