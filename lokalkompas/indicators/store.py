"""Writes observation frames into the store: new rows inserted, changed rows revised, all in one transaction.

A frame has the columns of `FRAME_SCHEMA`. Rows the frame does not mention are left alone: a source
that stops delivering a period does not erase what we had.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection, transaction

from lokalkompas.indicators.frames import FRAME_SCHEMA, frame_checksum
from lokalkompas.indicators.models import Observation, Revision, Status, Vintage

# Values equal to this many significant digits are the same value; float noise is not a revision.
_RELATIVE_TOLERANCE = 1e-9
BATCH = 20_000


@dataclass(frozen=True)
class WriteResult:
    inserted: int
    revised: int
    unchanged: int
    vintage: Vintage | None


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=_RELATIVE_TOLERANCE, abs_tol=1e-12)


def _validate(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.select([pl.col(c).cast(t) for c, t in FRAME_SCHEMA.items()])
    bad_status = set(frame["status"].unique().to_list()) - set(Status.values)
    if bad_status:
        raise ValueError(f"ukendt status: {', '.join(sorted(map(str, bad_status)))}")
    no_value = frame.filter(pl.col("value").is_null() & ~pl.col("status").is_in(["missing", "confidential"]))
    if no_value.height:
        row = no_value.row(0, named=True)
        raise ValueError(f"værdi mangler uden status missing: {row['series']} {row['geo']} {row['period']}")
    return frame.with_columns(
        pl.when(pl.col("status").is_in(["missing", "confidential"]))
        .then(None)
        .otherwise(pl.col("value"))
        .alias("value")
    )


def write_observations(
    frame: pl.DataFrame,
    *,
    source: str,
    label: str,
    source_updated: dt.datetime | None = None,
    note: str = "",
    loaded_at: dt.datetime | None = None,
) -> WriteResult:
    """Store a frame as one vintage; a vintage is only created when something changed."""
    frame = _validate(frame)
    with transaction.atomic():
        existing = _existing(frame["series"].unique().to_list())
        inserts: list[tuple[str, str, str, str, float | None, str]] = []
        changes: list[tuple[int, tuple[str, str, str, str, float | None, str], tuple[float | None, str, int]]] = []
        unchanged = 0
        for row in frame.iter_rows():
            key = (row[0], row[1], row[2], row[3])
            old = existing.get(key)
            if old is None:
                inserts.append(row)
            elif _same(old[1], row[4]) and old[2] == row[5]:
                unchanged += 1
            else:
                changes.append((old[0], row, (old[1], old[2], old[3])))
        if not inserts and not changes:
            return WriteResult(0, 0, unchanged, None)
        vintage = Vintage.objects.create(
            source=source,
            label=label,
            source_updated=source_updated,
            checksum=frame_checksum(frame),
            note=note,
            **({"loaded_at": loaded_at} if loaded_at else {}),
        )
        _insert(inserts, vintage)
        _revise(changes, vintage)
    return WriteResult(len(inserts), len(changes), unchanged, vintage)


def _existing(series: Iterable[str]) -> dict[tuple[str, str, str, str], tuple[int, float | None, str, int]]:
    rows = Observation.objects.filter(series__in=list(series)).values_list(
        "series", "geo_id", "period", "breakdown", "id", "value", "status", "vintage_id"
    )
    return {(s, g, p, b): (pk, v, st, vid) for s, g, p, b, pk, v, st, vid in rows.iterator(chunk_size=BATCH)}


def _insert(rows: list[tuple[str, str, str, str, float | None, str]], vintage: Vintage) -> None:
    # Raw SQL rather than bulk_create: a demo load inserts a quarter of a million rows, and building
    # model instances for them costs ten times the insert itself. PostgreSQL gets COPY.
    table = Observation._meta.db_table
    columns = [
        "series",
        "geo_code",
        "period",
        "breakdown",
        "value",
        "status",
        "vintage_id",
        "first_vintage_id",
    ]
    data = [(s, g, p, b, v, st, vintage.pk, vintage.pk) for s, g, p, b, v, st in rows]
    _insert_many(table, columns, data)


def _insert_many(table: str, columns: list[str], data: Sequence[Sequence[Any]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(columns)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
        for start in range(0, len(data), 20_000):
            cursor.executemany(sql, data[start : start + 20_000])


def _revise(
    changes: list[tuple[int, tuple[str, str, str, str, float | None, str], tuple[float | None, str, int]]],
    vintage: Vintage,
) -> None:
    revisions = [
        (s, g, p, b, old_value, old_status, old_vintage, v, st, vintage.pk)
        for _pk, (s, g, p, b, v, st), (old_value, old_status, old_vintage) in changes
    ]
    columns = ["series", "geo_code", "period", "breakdown", "old_value", "old_status", "old_vintage_id"]
    _insert_many(Revision._meta.db_table, [*columns, "new_value", "new_status", "new_vintage_id"], revisions)
    table = Observation._meta.db_table
    updates = [(v, st, vintage.pk, pk) for pk, (_s, _g, _p, _b, v, st), _old in changes]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET value = %s, status = %s, vintage_id = %s WHERE id = %s", updates)


def read_observations(series: Iterable[str]) -> pl.DataFrame:
    """The current values of some series as a frame (the compute step's input)."""
    rows = Observation.objects.filter(series__in=list(series)).values_list(
        "series", "geo_id", "period", "breakdown", "value", "status"
    )
    data = list(rows.iterator(chunk_size=20_000))
    return pl.DataFrame(data, schema=FRAME_SCHEMA, orient="row")


def changes_since(when: dt.datetime) -> list[Revision]:
    """Every value revised by a load at or after `when`, with old and new value: one query."""
    return list(
        Revision.objects.filter(new_vintage__loaded_at__gte=when).select_related("new_vintage", "old_vintage", "geo")
    )
