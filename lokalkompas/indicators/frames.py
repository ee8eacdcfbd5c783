"""The observation frame: the one shape in which sources, demo data and derivations hand over values."""

from __future__ import annotations

import hashlib

import polars as pl

FRAME_SCHEMA: dict[str, pl.DataType] = {
    "series": pl.String(),
    "geo": pl.String(),
    "period": pl.String(),
    "breakdown": pl.String(),
    "value": pl.Float64(),
    "status": pl.String(),
}
KEY = ["series", "geo", "period", "breakdown"]


def empty_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=FRAME_SCHEMA)


def frame_checksum(frame: pl.DataFrame, *, sorted_by_key: bool = False) -> str:
    """A stable SHA-256 of a frame's content, independent of row order (`sorted_by_key`: the caller has
    already sorted it by KEY, so the sort is skipped)."""
    ordered = frame.select(list(FRAME_SCHEMA))
    if not sorted_by_key:
        ordered = ordered.sort(KEY)
    digest = hashlib.sha256()
    for batch in ordered.iter_slices(50_000):
        digest.update(batch.write_csv(include_header=False).encode())
    return digest.hexdigest()
