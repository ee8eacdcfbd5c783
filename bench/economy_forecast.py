"""Benchmark: year-end forecasts for all eight areas x 98 municipalities (read from the store, backtest of
methods a–c, and d for the social area from its activity figures, bands, warnings). Target (issue 9): under 1 s.

Uses its own throw-away SQLite file (or DATABASE_URL) with three years of synthetic monthly actuals and
budgets, so it never touches the app's database. Prints the time and its ratio to reading the same rows
from the store alone, in the same run:

    .venv/bin/python bench/economy_forecast.py
    scripts/with-postgres.sh .venv/bin/python bench/economy_forecast.py
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
if not os.environ.get("DATABASE_URL"):
    os.environ["LOKALKOMPAS_DATA_DIR"] = tempfile.mkdtemp(prefix="lokalkompas-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalkompas.settings")

import django

django.setup()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from timing import timed  # noqa: E402

from lokalkompas.economy.service import ACTIVITY_SERIES, AREAS, forecasts, read_inputs  # noqa: E402
from lokalkompas.indicators.store import write_observations  # noqa: E402
from lokalkompas.registry.data import municipalities  # noqa: E402


def synthetic() -> pl.DataFrame:
    """2023M01–2025M10 actuals with a December peak and noise, each year's original and corrected budget, and
    the social area's cases and unit prices for 5.28 and 5.38 (method d)."""
    rng = np.random.default_rng(9)
    rows = []
    for m in municipalities():
        for area in AREAS:
            level = float(rng.lognormal(10, 0.8))
            for year in (2023, 2024, 2025):
                months = 10 if year == 2025 else 12
                for month in range(1, months + 1):
                    peak = 1.6 if month == 12 else 1.0
                    value = level * peak * (1 + 0.05 * rng.standard_normal())
                    rows.append((f"forbrug-{area}", m.code, f"{year}M{month:02d}", "", value, "ok"))
                    if area == "social":
                        rows += activity(m.code, f"{year}M{month:02d}", value)
                budget = level * 12.6
                rows.append((f"budget-{area}", m.code, str(year), "", budget, "ok"))
                rows.append((f"korrigeret-budget-{area}", m.code, str(year), "", budget * 1.01, "ok"))
    return pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")


def activity(geo: str, period: str, spend: float) -> list[tuple[str, str, str, str, float, str]]:
    """Cases and unit prices that multiply to the month's spend: 37 % children (5.28), 63 % adults (5.38)."""
    rows = []
    for (cases, prices), share, price in ((ACTIVITY_SERIES[0], 0.37, 38.0), (ACTIVITY_SERIES[1], 0.63, 46.0)):
        count = max(1.0, round(spend * share / price))
        rows += [(cases, geo, period, "", count, "ok"), (prices, geo, period, "", spend * share / count, "ok")]
    return rows


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("registry", "load", stdout=io.StringIO())
    data = synthetic()
    write_observations(data, source="upload", label="bench")
    found = forecasts()
    by_activity = sum(1 for f in forecasts(method="d") if f.method == "d")
    full = timed(forecasts)
    read = timed(lambda: read_inputs(None))
    print(f"rows read: {data.height:,}; forecasts: {len(found)} (8 areas x 98 municipalities)")
    print(f"social areas that method d can forecast: {by_activity}")
    verdict = "met" if full < 1 else "NOT met"
    print(f"forecasts with backtests, bands and warnings: {full:.3f} s   target < 1 s: {verdict}")
    print(f"reading the same rows alone: {read:.3f} s; ratio {full / read:.1f}")


if __name__ == "__main__":
    main()
