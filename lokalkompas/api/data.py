"""The API's reads of the observation store: filtered, keyset-paginated rows with their vintage.

What an answer needs beside its rows (geography names, the stored periods of a series, each vintage's
source, label and load time) is kept per process until the content revision or the data version
changes: the same two versions the ETag is made from (docs/decisions/0018-api-data-fast-path.md). So
are the rows of each single series asked for (SeriesRows), which a request for one indicator pages from
without a query (docs/decisions/0020-api-series-held-in-memory.md).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lokalkompas.api.encode import RowEncoder, RowTuple, VintageInfo
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


# The tables of registry.ContentRevision and indicators.Vintage (tests/api/test_data_held.py checks the
# names against the models).
VERSIONS_SQL = (
    "SELECT r.number, r.changed_at, v.n, v.last, v.at "
    "FROM (SELECT COUNT(id) AS n, MAX(id) AS last, MAX(loaded_at) AS at FROM indicators_vintage) v "
    "LEFT JOIN registry_contentrevision r ON r.id = %s"
)


def read_versions(db: BaseDatabaseWrapper = connection) -> Versions:
    """revision.current() and analysis.service.data_version() in one statement: every API request reads
    them (on PostgreSQL through api.watch), and two ORM queries were a fifth of an uncached /data answer's
    time (docs/decisions/0020)."""
    with db.cursor() as cursor:
        cursor.execute(VERSIONS_SQL, [revision.SINGLETON])
        number, changed_at, count, last, loaded_at = cursor.fetchone()
    content = (0, None) if number is None else (number, _datetime(changed_at))
    return Versions(content, (count, last, _datetime(loaded_at)))


def _datetime(value: object) -> dt.datetime | None:
    """A timestamp column as the ORM gives it. Raw SQL on SQLite gives text for an aggregate and a naive
    datetime for a column (both UTC, as Django stores them); PostgreSQL gives an aware datetime."""
    if value is None:
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(parsed, dt.datetime):
        raise TypeError(f"not a timestamp: {value!r}")
    return parsed.replace(tzinfo=dt.UTC) if timezone.is_naive(parsed) else parsed


@dataclass(frozen=True)
class Lookups:
    """The look-ups of one (content revision, data version): read once, then shared by every request.

    The dicts only grow (a series' periods and a vintage's fields are filled the first time a page asks for
    them) and are never iterated, so the threads of one process can share them without a lock."""

    names: dict[str, str]  # geography code -> name
    periods: dict[str, list[str]]  # series -> its stored period codes
    vintages: dict[int, VintageInfo]
    held: HeldSeries


Layout = tuple[str, ...]


@dataclass(frozen=True)
class SeriesRows:
    """Every stored row of one series in the store's key order, each also written as its JSON object
    (UTF-8 bytes, so a page is joined without encoding half a megabyte of text again).

    The order is the database's own (ORDER BY the unique key, in its collation), so a page cut from this
    list is the page the query would give; Python's string order is never used for keys."""

    rows: list[RowTuple]
    encoded: list[bytes]
    geo_spans: dict[str, tuple[int, int]]  # geo -> (first, past last) index: a geo's rows are adjacent
    # geo -> the periods of its rows in order. Geos with the same layout (usually nearly all) share one
    # tuple, so a request filters the periods of each layout once, not of each geo.
    layouts: dict[str, Layout]
    statuses: list[str]  # each row's status, for the status filter

    def position_after(self, key: list[str]) -> int | None:
        """The index after the row with this key, or None when it is gone (a load deleted it)."""
        span = self.geo_spans.get(key[1])
        if span is None:
            return None
        wanted = (key[0], key[1], key[2], key[3])
        for i in range(*span):
            if self.rows[i][:4] == wanted:
                return i + 1
        return None


class HeldSeries:
    """The series held in memory under one set of look-ups, within a bound on the rows held in all.

    Filled by the first request for a series after a load; shared by the threads of a process, with a
    lock only around the bookkeeping (two threads may read the same series at once; one copy is kept)."""

    def __init__(self) -> None:
        self.series: dict[str, SeriesRows] = {}
        self.too_big: set[str] = set()
        self.held_rows = 0
        self.lock = threading.Lock()

    def keep(self, series: str, found: SeriesRows) -> None:
        with self.lock:
            if series in self.series:
                return
            if self.held_rows + len(found.rows) > MAX_HELD_ROWS:
                self.series.clear()  # as the other look-ups: past the bound, start over
                self.held_rows = 0
            self.series[series] = found
            self.held_rows += len(found.rows)


# Rows one process holds in memory for fast pages (about 0,5 KB each: the row and its JSON), and the
# largest series held; a bigger one is paged by the database on every request.
MAX_HELD_ROWS = 100_000
MAX_SERIES_ROWS = 25_000


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
        found = Lookups(dict(Geography.objects.values_list("code", "name")), {}, {}, HeldSeries())
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


def held_series(series: str, look: Lookups) -> SeriesRows | None:
    """The series' rows held in memory, read from the store the first time; None for a series too big."""
    held = look.held
    found = held.series.get(series)
    if found is not None or series in held.too_big:
        return found
    rows: list[RowTuple] = list(
        Observation.objects.filter(series=series)
        .order_by(*KEY)
        .values_list(*KEY, "value", "status", "vintage_id")[: MAX_SERIES_ROWS + 1]
    )
    if len(rows) > MAX_SERIES_ROWS:
        with held.lock:
            held.too_big.add(series)
        return None
    encoder = RowEncoder(look.names, vintages((r[6] for r in rows), look))
    spans: dict[str, tuple[int, int]] = {}
    for i, row in enumerate(rows):
        first = spans.get(row[1], (i, i))[0]
        spans[row[1]] = (first, i + 1)
    shared: dict[Layout, Layout] = {}
    layouts: dict[str, Layout] = {}
    for geo, (first, past) in spans.items():
        layout = tuple(r[2] for r in rows[first:past])
        layouts[geo] = shared.setdefault(layout, layout)
    found = SeriesRows(rows, [encoder.row(r).encode() for r in rows], spans, layouts, [r[5] for r in rows])
    if series not in look.periods:
        look.periods[series] = sorted({r[2] for r in rows})
    held.keep(series, found)
    return found


def held_page(
    f: DataFilter, after: list[str] | None, limit: int, held: SeriesRows, look: Lookups
) -> tuple[list[int], list[str] | None] | None:
    """data_page for one series held in memory: the indices of the page's rows and the key to continue
    after; None when the cursor's row is gone, so that the database decides where the next page starts."""
    start = 0
    if after is not None:
        position = held.position_after(after)
        if position is None:
            return None
        start = position
    wanted_geos = held.geo_spans.keys() if f.geos is None else f.geos
    spans = sorted((*span, geo) for geo in wanted_geos if (span := held.geo_spans.get(geo)) is not None)
    periods = _periods_in_range(f, look)
    period_set = None if periods is None else set(periods)
    statuses = None if not f.statuses else set(f.statuses)
    offsets: dict[int, list[int]] = {}  # id of a layout -> the positions in it of the periods asked for
    out: list[int] = []
    row_statuses = held.statuses
    for first, past, geo in spans:
        if past <= start:
            continue
        layout = held.layouts[geo]
        passing = offsets.get(id(layout))
        if passing is None:
            passing = offsets[id(layout)] = [k for k, p in enumerate(layout) if period_set is None or p in period_set]
        indices = [first + k for k in passing]
        if first < start:  # the cursor's row is in this geo
            indices = [i for i in indices if i >= start]
        if statuses is not None:
            indices = [i for i in indices if row_statuses[i] in statuses]
        out.extend(indices)
        if len(out) > limit:  # checked per geo: a geo holds a few dozen rows
            last = held.rows[out[limit - 1]]
            return out[:limit], [last[0], last[1], last[2], last[3]]
    return out, None


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
