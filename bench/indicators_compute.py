"""Benchmark: computing every indicator for 98 municipalities x 11 years from the base series.

Prints the time of `compute_all` and its ratio to a plain polars join + group-by over the same base
frame in the same process (a baseline that does comparable work: join every series to the population
and aggregate to regions). Targets (issue 3): <= 2 s and ratio <= 3.

Run: .venv/bin/python bench/indicators_compute.py [repeats]
"""

from __future__ import annotations

import sys

import polars as pl
from timing import timed

from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.demo import Generator
from lokalkompas.indicators.derive import compute_all
from lokalkompas.registry.membership import membership_frame


def baseline(base: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """A plain polars pipeline: each series divided by the population, then summed to regions."""
    population = base.filter((pl.col("series") == "befolkning") & pl.col("period").str.ends_with("K1")).select(
        "geo", pl.col("period").str.slice(0, 4).alias("period"), pl.col("value").alias("pop")
    )
    joined = base.filter(pl.col("breakdown") == "").join(population, on=["geo", "period"])
    ratios = joined.with_columns((pl.col("value") / pl.col("pop") * 1000).alias("ratio"))
    return (
        ratios.join(membership, on="geo")
        .group_by(["series", "parent", "period"])
        .agg(pl.col("value").sum(), pl.col("pop").sum(), pl.col("ratio").mean())
    )


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    d = shipped_definitions()
    base = Generator(list(d.series.values())).generate()
    membership = membership_frame()
    compute = timed(lambda: compute_all(d.indicators, d.series, base, membership), repeats)
    plain = timed(lambda: baseline(base, membership), repeats)
    rows = compute_all(d.indicators, d.series, base, membership).height
    print(f"base rows: {base.height:,}; indicators: {len(d.indicators)}; indicator values: {rows:,}")
    print(f"compute_all: {compute:.3f} s (median of {repeats})   target <= 2 s")
    print(f"plain polars join/group-by: {plain:.3f} s")
    print(f"ratio: {compute / plain:.2f}   target <= 3")


if __name__ == "__main__":
    main()
