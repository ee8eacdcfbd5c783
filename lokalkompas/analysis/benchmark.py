"""Where a municipality stands among the 98: rank, percentile, quartile and the distance to the best quartile.

Pure polars; the caller passes one indicator's municipal values for one period. Polarity decides what
"best" means: for `lower_better` the smallest value ranks first. A `neutral` indicator has no better
or worse, so it gets no rank at all, only its position in the distribution (percentile of the value).
"""

from __future__ import annotations

from typing import Literal

import polars as pl

Polarity = Literal["higher_better", "lower_better", "neutral"]


def benchmark(values: pl.DataFrame, polarity: Polarity) -> pl.DataFrame:
    """Columns geo, value -> geo, value, rank, percentile, quartile, distance_to_best_quartile.

    Ties share the best rank ("min" method). Missing values get no rank and count in no denominator.
    percentile: 100 for the best, 0 for the worst (for neutral: 100 for the largest value).
    quartile: 1 is the best quarter. distance_to_best_quartile: how far the value is from the edge of
    the best quarter in the indicator's unit, 0 inside it; positive means worse.
    """
    present = values.filter(pl.col("value").is_not_null())
    n = present.height
    descending = polarity != "lower_better"
    ranked = present.with_columns(
        pl.col("value").rank(method="min", descending=descending).cast(pl.Int32).alias("rank")
    )
    percentile = (pl.lit(100.0) if n == 1 else (pl.lit(n) - pl.col("rank")) / pl.lit(max(n - 1, 1)) * 100).alias(
        "percentile"
    )
    quartile = (((pl.col("rank") - 1) * 4) // pl.lit(max(n, 1)) + 1).clip(1, 4).cast(pl.Int8).alias("quartile")
    threshold = best_quartile_edge(present["value"], polarity)
    distance = (
        pl.when(pl.lit(polarity == "lower_better"))
        .then((pl.col("value") - threshold).clip(lower_bound=0))
        .otherwise((threshold - pl.col("value")).clip(lower_bound=0))
        .alias("distance_to_best_quartile")
    )
    out = ranked.with_columns(percentile, quartile, distance)
    if polarity == "neutral":
        out = out.with_columns(
            pl.lit(None, pl.Int32).alias("rank"),
            pl.lit(None, pl.Int8).alias("quartile"),
            pl.lit(None, pl.Float64).alias("distance_to_best_quartile"),
        )
    missing = values.filter(pl.col("value").is_null()).with_columns(
        pl.lit(None, pl.Int32).alias("rank"),
        pl.lit(None, pl.Float64).alias("percentile"),
        pl.lit(None, pl.Int8).alias("quartile"),
        pl.lit(None, pl.Float64).alias("distance_to_best_quartile"),
    )
    return pl.concat([out, missing], how="vertical_relaxed").sort("rank", nulls_last=True)


def best_quartile_edge(values: pl.Series, polarity: Polarity) -> float:
    if values.len() == 0:
        return float("nan")
    quantile = 0.25 if polarity == "lower_better" else 0.75
    edge = values.quantile(quantile, interpolation="linear")
    return float(edge) if edge is not None else float("nan")


def rank_latest(values: pl.DataFrame, polarity: dict[str, Polarity]) -> pl.DataFrame:
    """Every indicator at once: columns series, geo, period, value[, ...] -> the latest period's rows with
    rank and n (the number of municipalities with a value), ranked as `benchmark` ranks them.

    Neutral indicators are left out (they have no better or worse). The latest period is the newest
    with at least one value; period codes of one frequency sort as strings (2024 < 2025, 2024K4 < 2025K1).
    """
    ranked_ids = [s for s, p in polarity.items() if p != "neutral"]
    lower = [s for s, p in polarity.items() if p == "lower_better"]
    present = values.filter(pl.col("series").is_in(ranked_ids) & pl.col("value").is_not_null())
    latest = present.filter(pl.col("period") == pl.col("period").max().over("series"))
    # Negating lower-is-better values lets one descending rank serve both polarities.
    score = pl.when(pl.col("series").is_in(lower)).then(-pl.col("value")).otherwise(pl.col("value"))
    return latest.with_columns(
        score.rank(method="min", descending=True).over("series").cast(pl.Int32).alias("rank"),
        pl.len().over("series").cast(pl.Int32).alias("n"),
    )
