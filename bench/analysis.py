"""Benchmark: benchmarks, nearest neighbours and trends for every indicator x 98 municipalities, latest period.

Prints the time and its ratio to a plain polars computation of the ranks alone over the same values in
the same run. Target (issue 5): under 1 s.

Run: .venv/bin/python bench/analysis.py
"""

from __future__ import annotations

import polars as pl
from timing import timed

from lokalkompas.analysis.benchmark import benchmark
from lokalkompas.analysis.peers import PeerMatrix, nearest
from lokalkompas.analysis.trend import trend
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.demo import Generator
from lokalkompas.indicators.derive import compute_all
from lokalkompas.registry.data import municipalities
from lokalkompas.registry.membership import membership_frame

STRUCTURE = ["folketal", "befolkningstaethed", "andel-0-5", "andel-6-16", "andel-67-plus", "andel-80-plus", "indkomst"]


def prepare() -> tuple[pl.DataFrame, dict[str, str]]:
    d = shipped_definitions()
    values = compute_all(d.indicators, d.series, Generator(list(d.series.values())).generate(), membership_frame())
    codes = [m.code for m in municipalities()]
    municipal = values.filter(pl.col("geo").is_in(codes))
    return municipal, {i.id: i.polarity for i in d.indicators.values()}


def analyse(municipal: pl.DataFrame, polarity: dict[str, str]) -> int:
    done = 0
    for (series,), part in municipal.partition_by("series", as_dict=True).items():
        latest = part.filter(pl.col("period") == part["period"].max())
        benchmark(latest.select("geo", "value"), polarity[str(series)])  # type: ignore[arg-type]
        history = part.sort("period").group_by("geo", maintain_order=True).agg("period", "value")
        for row in history.iter_rows():
            points = [(float(p[:4]), v) for p, v in zip(row[1], row[2], strict=True)]
            trend(points, polarity[str(series)])
        done += 1
    latest_year = municipal.filter(pl.col("series").is_in(STRUCTURE) & (pl.col("period") == "2025"))
    wide = latest_year.pivot(on="series", index="geo", values="value").sort("geo")
    matrix = PeerMatrix(wide["geo"].to_list(), STRUCTURE, wide.select(STRUCTURE).to_numpy().astype(float))
    for geo in matrix.geos:
        nearest(matrix, geo)
    return done


def plain_ranks(municipal: pl.DataFrame) -> pl.DataFrame:
    latest = municipal.filter(pl.col("period") == pl.col("period").max().over("series"))
    return latest.with_columns(pl.col("value").rank(method="min", descending=True).over("series").alias("rank"))


def main() -> None:
    municipal, polarity = prepare()
    n = analyse(municipal, polarity)
    full = timed(lambda: analyse(municipal, polarity))
    plain = timed(lambda: plain_ranks(municipal))
    print(f"indicators: {n}; municipalities: 98; nearest-neighbour searches: 98")
    print(f"benchmarks + trends + neighbours: {full:.3f} s   target < 1 s")
    print(f"plain polars ranks: {plain:.4f} s; ratio {full / plain:.0f}")


if __name__ == "__main__":
    main()
