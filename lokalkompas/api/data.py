"""The API's reads of the observation store: filtered, keyset-paginated rows with their vintage.

What an answer needs beside its rows (geography names, the stored periods of a series, each vintage's
source, label and load time) is kept per process until the content revision or the data version
changes: the same two versions the ETag is made from (docs/decisions/0018-api-data-fast-path.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q

from lokalkompas.analysis.service import data_version
from lokalkompas.api.errors import ApiError
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.indicators.schema import Indicator
from lokalkompas.lib.periods import Period, parse_period
from lokalkompas.registry import revision
from lokalkompas.registry.models import Geography

KEY = ("series", "geo_id", "period", "breakdown")
MAX_CODE = 80  # an indicator id's longest


@dataclass(frozen=True)
class Versions:
    """What every API answer depends on: the content revision (bumped by a registry or catalogue load and
    by edits to goals and decisions) and the data version (every load into the store creates or deletes a
    vintage). The middleware reads both once per request for the ETag and leaves them on the request."""

    content: tuple[int, dt.datetime | None]
    data: tuple[int, int | None, dt.datetime | None]


def read_versions() -> Versions:
    return Versions(revision.current(), data_version())


# source, label, and load time as the API writes it (ISO 8601 with milliseconds and Z, or None)
VintageInfo = tuple[str, str, str | None]


@dataclass(frozen=True)
class Lookups:
    """The look-ups of one (content revision, data version): read once, then shared by every request.

    The dicts only grow (a series' periods and a vintage's fields are filled the first time a page asks for
    them) and are never iterated, so the threads of one process can share them without a lock."""

    names: dict[str, str]  # geography code -> name
    periods: dict[str, list[str]]  # series -> its stored period codes
    vintages: dict[int, VintageInfo]


_LOOKUPS: dict[Versions, Lookups] = {}
# Bounds on what one version may collect, so that requests for many series cannot grow a process
# without limit; past a bound the dict starts over.
MAX_SERIES = 1000
MAX_VINTAGES = 20_000
ENCODER = DjangoJSONEncoder()


def lookups(versions: Versions) -> Lookups:
    """The look-ups of these versions; a load, a registry update or an edit makes new ones."""
    found = _LOOKUPS.get(versions)
    if found is None:
        found = Lookups(dict(Geography.objects.values_list("code", "name")), {}, {})
        # One entry: requests with older versions (a load committed between two requests) rebuild theirs.
        _LOOKUPS.clear()
        _LOOKUPS[versions] = found
    return found


def forget_lookups() -> None:
    """For tests that change geographies or vintages without the bump a loader makes."""
    _LOOKUPS.clear()


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


def require_geos(codes: Iterable[str], look: Lookups) -> list[str]:
    wanted = list(dict.fromkeys(codes))
    unknown = [c for c in wanted if c not in look.names]
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


def stored_periods(indicators: list[str], look: Lookups) -> set[str]:
    """Every period code stored for these series (from the (series, period) index, once per data version)."""
    known = {series: look.periods.get(series) for series in indicators}
    missing = [series for series, periods in known.items() if periods is None]
    if missing:
        found: dict[str, list[str]] = {series: [] for series in missing}
        rows = Observation.objects.filter(series__in=missing).values_list("series", "period").distinct()
        for series, period in rows:
            found[series].append(period)
        known.update(found)
        if len(look.periods) + len(found) > MAX_SERIES:
            look.periods.clear()
        look.periods.update(found)
    return {period for periods in known.values() for period in periods or ()}


def _periods_in_range(f: DataFilter, look: Lookups) -> list[str] | None:
    if f.period_from is None and f.period_to is None:
        return None
    out = []
    for code in sorted(stored_periods(f.indicators, look)):
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


def data_page(
    f: DataFilter, after: list[str] | None, limit: int, look: Lookups
) -> tuple[list[RowTuple], list[str] | None]:
    """One page of rows in key order, and the key to continue after (None on the last page).

    Keyset pagination on the unique key is complete and stable: a row is never skipped or repeated
    between pages, even while a load adds rows, and revised values keep their place.
    """
    rows = Observation.objects.filter(series__in=f.indicators)
    if f.geos is not None:
        rows = rows.filter(geo_id__in=f.geos)
    periods = _periods_in_range(f, look)
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


def vintages(ids: Iterable[int], look: Lookups) -> dict[int, VintageInfo]:
    """Vintage id -> (source, label, load time) for the rows of a page; only vintages not seen before are read.

    A vintage is never changed after its load, and its id is never given again (AUTOINCREMENT on SQLite,
    a sequence on PostgreSQL); the data version still keys it, since a deleted vintage changes it."""
    wanted = set(ids)
    missing = [pk for pk in wanted if pk not in look.vintages]
    if missing:
        if len(look.vintages) + len(missing) > MAX_VINTAGES:
            look.vintages.clear()
        rows = Vintage.objects.filter(pk__in=missing).values_list("pk", "source", "label", "loaded_at")
        for pk, source, label, loaded_at in rows:
            # As ninja's encoder writes a datetime: ISO 8601, milliseconds, Z for UTC.
            look.vintages[pk] = (source, label, ENCODER.default(loaded_at))
    return {pk: info for pk in wanted if (info := look.vintages.get(pk)) is not None}


def geo_names() -> dict[str, str]:
    return dict(Geography.objects.values_list("code", "name"))
