"""Writes observation frames into the store: new rows inserted, changed rows revised, all in one transaction.

A frame has the columns of `FRAME_SCHEMA`. Rows the frame does not mention are left alone: a source
that stops delivering a period does not erase what we had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection, transaction

from lokalkompas.indicators.frames import FRAME_SCHEMA, KEY, frame_checksum
from lokalkompas.indicators.models import Observation, Revision, Status, Vintage
from lokalkompas.registry import revision
from lokalkompas.registry.models import Geography

# Values equal to this many significant digits are the same value; float noise is not a revision.
_RELATIVE_TOLERANCE = 1e-9
BATCH = 20_000


@dataclass(frozen=True)
class WriteResult:
    inserted: int
    revised: int
    unchanged: int
    vintage: Vintage | None


def _validate(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.select([pl.col(c).cast(t) for c, t in FRAME_SCHEMA.items()])
    unknown_geo = set(frame["geo"].unique().to_list()) - set(Geography.objects.values_list("code", flat=True))
    if unknown_geo:
        raise ValueError(f"ukendt områdekode: {', '.join(sorted(map(str, unknown_geo))[:5])}")
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
    """Store a frame as one vintage; a vintage is only created when something changed.

    The comparison with what is stored happens in polars, and the writes are set-based (COPY and
    UPDATE ... FROM on PostgreSQL, executemany on SQLite), so a million rows take seconds, not minutes.
    """
    # Sorted by the unique key, the inserts reach its index in order: a third less time for a big load.
    frame = _validate(frame).sort(KEY)
    with transaction.atomic():
        existing = _existing(frame["series"].unique().to_list())
        joined = frame.join(existing, on=KEY, how="left", maintain_order="left")
        is_new = pl.col("id").is_null()
        same_value = (pl.col("value").is_null() & pl.col("old_value").is_null()) | (
            (pl.col("value") - pl.col("old_value")).abs()
            <= pl.max_horizontal(pl.col("old_value").abs() * _RELATIVE_TOLERANCE, pl.lit(1e-12))
        )
        changed = ~is_new & ~(same_value.fill_null(False) & (pl.col("status") == pl.col("old_status")))
        inserts = joined.filter(is_new).select(list(FRAME_SCHEMA))
        changes = joined.filter(changed)
        unchanged = joined.height - inserts.height - changes.height
        if inserts.height == 0 and changes.height == 0:
            return WriteResult(0, 0, unchanged, None)
        vintage = Vintage.objects.create(
            source=source,
            label=label,
            source_updated=source_updated,
            checksum=frame_checksum(frame, sorted_by_key=True),
            note=note,
            **({"loaded_at": loaded_at} if loaded_at else {}),
        )
        _insert(inserts, vintage)
        _revise(changes, vintage)
        revision.bump()
    return WriteResult(inserts.height, changes.height, unchanged, vintage)


_EXISTING_SCHEMA = {
    "series": pl.String,
    "geo": pl.String,
    "period": pl.String,
    "breakdown": pl.String,
    "id": pl.Int64,
    "old_value": pl.Float64,
    "old_status": pl.String,
    "old_vintage": pl.Int64,
}


def _existing(series: list[str]) -> pl.DataFrame:
    table = Observation._meta.db_table
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(series), 500):
            chunk = series[start : start + 500]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT series, geo_code, period, breakdown, id, value, status, vintage_id FROM {table} "
                f"WHERE series IN ({placeholders})",
                chunk,
            )
            rows.extend(cursor.fetchall())
    return pl.DataFrame(rows, schema=_EXISTING_SCHEMA, orient="row")


def _insert(rows: pl.DataFrame, vintage: Vintage) -> None:
    # Raw SQL rather than bulk_create: a demo load inserts a quarter of a million rows, and building
    # model instances for them costs ten times the insert itself. PostgreSQL gets COPY.
    data = rows.with_columns(pl.lit(vintage.pk).alias("vintage_id"), pl.lit(vintage.pk).alias("first_vintage_id"))
    columns = ["series", "geo_code", "period", "breakdown", "value", "status", "vintage_id", "first_vintage_id"]
    _insert_many(Observation._meta.db_table, columns, data)


def _insert_many(table: str, columns: list[str], data: pl.DataFrame) -> None:
    if data.height == 0:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(columns)
            payload = data.write_csv(separator="\t", include_header=False, null_value="\\N", quote_style="never")
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                copy.write(payload.encode())
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
        for batch in data.iter_slices(BATCH):
            cursor.executemany(sql, batch.rows())


def _revise(changes: pl.DataFrame, vintage: Vintage) -> None:
    if changes.height == 0:
        return
    revisions = changes.select(
        "series",
        "geo",
        "period",
        "breakdown",
        "old_value",
        "old_status",
        "old_vintage",
        pl.col("value").alias("new_value"),
        pl.col("status").alias("new_status"),
        pl.lit(vintage.pk).alias("new_vintage_id"),
    )
    columns = ["series", "geo_code", "period", "breakdown", "old_value", "old_status", "old_vintage_id"]
    _insert_many(Revision._meta.db_table, [*columns, "new_value", "new_status", "new_vintage_id"], revisions)
    updates = changes.select("value", "status", pl.lit(vintage.pk).alias("vintage_id"), "id")
    table = Observation._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE observation_update (value double precision, status varchar(12), "
                "vintage_id bigint, id bigint) ON COMMIT DROP"
            )
            _insert_many("observation_update", ["value", "status", "vintage_id", "id"], updates)
            cursor.execute(
                f"UPDATE {table} AS o SET value = u.value, status = u.status, vintage_id = u.vintage_id "
                "FROM observation_update AS u WHERE o.id = u.id"
            )
            cursor.execute("DROP TABLE observation_update")
            return
        sql = f"UPDATE {table} SET value = %s, status = %s, vintage_id = %s WHERE id = %s"
        for batch in updates.iter_slices(BATCH):
            cursor.executemany(sql, batch.rows())


def read_observations(series: Iterable[str], geos: Iterable[str] | None = None) -> pl.DataFrame:
    """The current values of some series (for some geographies) as a frame (the compute step's input)."""
    found = Observation.objects.filter(series__in=list(series))
    if geos is not None:
        found = found.filter(geo_id__in=list(geos))
    rows = found.values_list("series", "geo_id", "period", "breakdown", "value", "status")
    data = list(rows.iterator(chunk_size=20_000))
    return pl.DataFrame(data, schema=FRAME_SCHEMA, orient="row")


def revisions_since(when: dt.datetime, geo: str | None = None, series: set[str] | None = None) -> list[Revision]:
    """Every value revised by a load at or after `when`, with old and new value: one query."""
    rows = Revision.objects.filter(new_vintage__loaded_at__gte=when)
    if geo:
        rows = rows.filter(geo_id=geo)
    if series is not None:
        rows = rows.filter(series__in=series)
    return list(rows.select_related("new_vintage", "old_vintage", "geo"))
