"""Benchmark: storing 1,000,000 observation rows (SQLite by default; PostgreSQL via DATABASE_URL, using COPY).

Prints rows per second for a first load (all inserts) and for a second load where every value changed
(all revisions). Uses its own throw-away SQLite file unless DATABASE_URL is set, so it never touches
the app's database:

    .venv/bin/python bench/store_rows.py                                  # SQLite
    scripts/with-postgres.sh .venv/bin/python bench/store_rows.py         # PostgreSQL
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
if not os.environ.get("DATABASE_URL"):
    os.environ["LOKALKOMPAS_DATA_DIR"] = tempfile.mkdtemp(prefix="lokalkompas-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalkompas.settings")

import django

django.setup()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from lokalkompas.indicators.models import Observation, Revision, Vintage  # noqa: E402
from lokalkompas.indicators.store import write_observations  # noqa: E402
from lokalkompas.registry.models import Geography  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def frame(rows: int, shift: float) -> pl.DataFrame:
    geos = list(Geography.objects.values_list("code", flat=True))
    periods = [f"{y}K{q}" for y in range(2000, 2026) for q in range(1, 5)]
    per_series = len(geos) * len(periods)
    n_series = -(-rows // per_series)
    series = np.repeat([f"bench-{i:03d}" for i in range(n_series)], per_series)[:rows]
    geo = np.tile(np.repeat(geos, len(periods)), n_series)[:rows]
    period = np.tile(np.tile(periods, len(geos)), n_series)[:rows]
    return pl.DataFrame(
        {
            "series": series,
            "geo": geo,
            "period": period,
            "breakdown": [""] * rows,
            "value": np.arange(rows, dtype=float) + shift,
            "status": ["ok"] * rows,
        }
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("registry", "load", stdout=io.StringIO())
    Revision.objects.filter(series__startswith="bench-").delete()
    Observation.objects.filter(series__startswith="bench-").delete()
    first, second = frame(ROWS, 0.0), frame(ROWS, 0.5)
    start = time.perf_counter()
    result = write_observations(first, source="upload", label="bench")
    insert = time.perf_counter() - start
    start = time.perf_counter()
    revised = write_observations(second, source="upload", label="bench 2")
    revise = time.perf_counter() - start
    print(f"database: {connection.vendor}; rows: {ROWS:,}")
    print(f"insert:  {result.inserted:,} rows in {insert:.1f} s = {result.inserted / insert:,.0f} rows/s")
    print(f"revise:  {revised.revised:,} rows in {revise:.1f} s = {revised.revised / revise:,.0f} rows/s")
    Revision.objects.filter(series__startswith="bench-").delete()
    Observation.objects.filter(series__startswith="bench-").delete()
    Vintage.objects.filter(label__startswith="bench").delete()


if __name__ == "__main__":
    main()
