"""Indicator values from base series: pure polars functions, no Django.

Every frame here has the columns geo, period, value and `rank`, the status as a number so that the
worst input status wins (`combine`). Region and country values come from published rows where the
source has them, and otherwise from the member municipalities as each definition says: a ratio of
sums, a weighted mean, or (only where a definition asks for it) a plain mean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

import polars as pl

from lokalkompas.indicators.schema import BaseSeries, Indicator, Term

# The steps work on eager frames (tests, small inputs) and lazy ones alike: compute_indicators builds
# one lazy plan for every indicator, so polars can share and parallelise the work in one collect.
Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

STATUS_RANK = {"ok": 0, "provisional": 1, "estimated": 2, "demo": 3, "missing": 4, "confidential": 5}
RANK_STATUS = {rank: status for status, rank in STATUS_RANK.items()}
MISSING = STATUS_RANK["missing"]
ESTIMATED = STATUS_RANK["estimated"]
# An aggregate over fewer than this share of the members is not shown at all.
MIN_COVERAGE = 0.5

_SUBPERIODS = {"quarter": ("K", 4), "month": ("M", 12)}
_FIRST_LAST = {"quarter": ("K1", "K4"), "month": ("M01", "M12")}


class DerivationError(ValueError):
    """A definition asks for something the data cannot give (e.g. yearly series to quarters)."""


def with_rank(base: pl.DataFrame) -> pl.DataFrame:
    """Store frame (with `status`) -> working frame (with `rank`)."""
    # An enum whose categories are in rank order turns the status into its rank without a lookup.
    ranked = pl.Enum(list(STATUS_RANK))
    return base.with_columns(pl.col("status").cast(ranked).to_physical().cast(pl.Int8).alias("rank")).drop("status")


def _combine_complete(rows: Frame, keys: list[str], value: pl.Expr, expected: int) -> Frame:
    """Group `rows` by `keys` into `value`; a group with a missing member or too few members is missing."""
    grouped = rows.group_by(keys).agg(
        value.alias("value"),
        pl.col("value").null_count().alias("nulls"),
        pl.len().alias("n"),
        pl.col("rank").max().alias("rank"),
    )
    complete = (pl.col("nulls") == 0) & (pl.col("n") == expected)
    return grouped.select(
        *keys,
        pl.when(complete).then(pl.col("value")).otherwise(None).alias("value"),
        pl.when(complete).then(pl.col("rank")).otherwise(pl.max_horizontal("rank", pl.lit(MISSING))).alias("rank"),
    )


def sum_ages(rows: Frame, lo: int, hi: int) -> Frame:
    """Age-group totals from single-year ages; a group with any age missing is missing."""
    ages = rows.filter(pl.col("breakdown").cast(pl.Int32, strict=False).is_between(lo, hi))
    return _combine_complete(ages, ["geo", "period"], pl.col("value").sum(), hi - lo + 1)


def to_year(rows: Frame, frequency: str, rule: str) -> Frame:
    """Yearly values from quarters or months: the first or last sub-period, or a complete sum or mean."""
    if frequency == "year":
        return rows
    year = pl.col("period").str.slice(0, 4)
    if rule in ("first", "last"):
        wanted = _FIRST_LAST[frequency][0 if rule == "first" else 1]
        return rows.filter(pl.col("period").str.slice(4) == wanted).with_columns(year.alias("period"))
    _letter, count = _SUBPERIODS[frequency]
    value = pl.col("value").sum() if rule == "sum" else pl.col("value").mean()
    return _combine_complete(rows.with_columns(year.alias("period")), ["geo", "period"], value, count)


def term_frame(rows: Frame, term: Term, series: BaseSeries, frequency: str) -> Frame:
    """One formula operand at the indicator's frequency: geo, period, value, rank."""
    if term.ages is not None:
        rows = sum_ages(rows, *term.ages)
    else:
        rows = rows.filter(pl.col("breakdown") == "").select("geo", "period", "value", "rank")
    if series.frequency == frequency:
        return rows
    if frequency != "year":
        raise DerivationError(f"{series.id}: kan ikke lave {series.frequency} om til {frequency}")
    return to_year(rows, series.frequency, series.to_year)


KEYS = ["ind", "geo", "period"]


def _like(result: pl.LazyFrame, template: Frame) -> Frame:
    """Hand back an eager frame to eager callers and a lazy plan to lazy ones."""
    return result if isinstance(template, pl.LazyFrame) else result.collect()


def ratio(numerator: Frame, denominator: Frame, spec: pl.DataFrame) -> Frame:
    """numerator / denominator x scale per indicator, geo and period.

    Frames carry an `ind` column so that every indicator is computed in one pass; `spec` gives each
    indicator's `scale` and whether it has a denominator. A zero or absent denominator gives missing.
    The indicator exists where its numerator does: a denominator alone (population) makes no period.
    """
    joined = numerator.lazy().join(denominator.lazy(), on=KEYS, how="left", suffix="_den").join(spec.lazy(), on="ind")
    has_den = pl.col("has_den")
    valid = pl.col("value").is_not_null() & (
        ~has_den | (pl.col("value_den").is_not_null() & (pl.col("value_den") != 0))
    )
    quotient = pl.when(has_den).then(pl.col("value") / pl.col("value_den")).otherwise(pl.col("value"))
    result = joined.select(
        *KEYS,
        pl.when(valid).then(quotient * pl.col("scale")).otherwise(None).alias("value"),
        pl.when(has_den)
        .then(pl.max_horizontal("rank", pl.col("rank_den").fill_null(MISSING)))
        .otherwise(pl.col("rank"))
        .cast(pl.Int8)
        .alias("rank"),
        pl.col("value").alias("num"),
        pl.col("value_den").alias("den"),
    )
    return _like(result, numerator)


def aggregate_members(
    values: Frame,
    membership: pl.DataFrame,
    spec: pl.DataFrame,
    weights: Frame | None = None,
) -> Frame:
    """Region and country rows from municipal rows, each indicator by its own rule in `spec.how`.

    ratio_of_sums divides the sums of numerator and denominator; sum adds the values; weighted_mean
    weighs by `weights`; mean is the plain mean. A sum needs every member (a partial sum would
    undercount); the others need half the members, and an incomplete aggregate is marked estimated.
    """
    partial_sums = [
        pl.col("num").sum().alias("sum_num"),
        pl.col("den").sum().alias("sum_den"),
        pl.col("value").sum().alias("sum_value"),
        (pl.col("value") * pl.col("w")).sum().alias("sum_vw"),
        pl.col("w").sum().alias("sum_w"),
        pl.len().alias("present"),
        pl.col("rank").max().alias("rank"),
    ]
    members = values.lazy().join(spec.lazy().select("ind", "how", "scale"), on="ind").filter(pl.col("how") != "none")
    if weights is not None:
        members = members.join(weights.lazy().select(*KEYS, pl.col("value").alias("w")), on=KEYS, how="left")
    else:
        members = members.with_columns(pl.lit(None, pl.Float64).alias("w"))
    how = pl.col("how")
    usable = (
        pl.when(how == "ratio_of_sums")
        .then(pl.col("num").is_not_null() & pl.col("den").is_not_null())
        .when(how == "weighted_mean")
        .then(pl.col("value").is_not_null() & pl.col("w").is_not_null() & (pl.col("w") > 0))
        .otherwise(pl.col("value").is_not_null())
    )
    # The sums are additive, so each municipality is joined to its one region only and every larger
    # parent (the country) is summed from the regions' partial sums.
    sizes = membership.lazy().group_by("parent").agg(pl.len().alias("size"))
    # A municipality's own region is its smallest parent; the country contains every region.
    direct_parent = (
        membership.lazy().join(sizes, on="parent").sort("size").group_by("geo").agg(pl.col("parent").first())
    )
    by_region = (
        members.filter(usable)
        .join(direct_parent, on="geo")
        .group_by(["ind", "parent", "period"])
        .agg(*partial_sums, pl.col("how").first(), pl.col("scale").first())
    )
    tops = membership.lazy().join(direct_parent.rename({"parent": "region"}), on="geo")
    tops = tops.filter(pl.col("parent") != pl.col("region")).select("region", "parent").unique()
    by_top = (
        by_region.join(tops.rename({"parent": "top"}), left_on="parent", right_on="region")
        .group_by(["ind", "top", "period"])
        .agg(
            *(pl.col(c).sum() for c in ("sum_num", "sum_den", "sum_value", "sum_vw", "sum_w", "present")),
            pl.col("rank").max(),
            pl.col("how").first(),
            pl.col("scale").first(),
        )
        .rename({"top": "parent"})
    )
    grouped = pl.concat([by_region, by_top], how="vertical_relaxed").join(sizes, on="parent")
    raw = (
        pl.when(how == "ratio_of_sums")
        .then(pl.col("sum_num") / pl.col("sum_den") * pl.col("scale"))
        .when(how == "sum")
        .then(pl.col("sum_value"))
        .when(how == "weighted_mean")
        .then(pl.col("sum_vw") / pl.col("sum_w"))
        .otherwise(pl.col("sum_value") / pl.col("present"))
    )
    coverage = pl.col("present") / pl.col("size")
    enough = coverage >= pl.when(how == "sum").then(pl.lit(1.0)).otherwise(pl.lit(MIN_COVERAGE))
    result = grouped.select(
        "ind",
        pl.col("parent").alias("geo"),
        "period",
        pl.when(enough).then(raw).otherwise(None).alias("value"),
        pl.when(enough)
        .then(pl.when(coverage < 1).then(pl.max_horizontal("rank", pl.lit(ESTIMATED))).otherwise(pl.col("rank")))
        .otherwise(pl.lit(MISSING))
        .cast(pl.Int8)
        .alias("rank"),
    )
    return _like(result, values)


def growth(values: Frame) -> Frame:
    """Yearly change in per cent: (this year / last year - 1) x 100."""
    previous = values.select(
        "ind",
        "geo",
        (pl.col("period").cast(pl.Int32) + 1).cast(pl.String).alias("period"),
        pl.col("value").alias("prev"),
        pl.col("rank").alias("prev_rank"),
    )
    joined = values.join(previous, on=KEYS, how="inner")
    valid = pl.col("value").is_not_null() & pl.col("prev").is_not_null() & (pl.col("prev") != 0)
    return joined.select(
        *KEYS,
        pl.when(valid).then((pl.col("value") / pl.col("prev") - 1) * 100).otherwise(None).alias("value"),
        pl.max_horizontal("rank", "prev_rank").cast(pl.Int8).alias("rank"),
    )


def _spec(indicators: list[Indicator]) -> pl.DataFrame:
    rows = []
    for ind in indicators:
        f = ind.formula
        # Without a denominator a "ratio of sums" is simply the sum of the members.
        how = "sum" if f.denominator is None and f.aggregate == "ratio_of_sums" else f.aggregate
        rows.append((ind.id, f.scale, f.denominator is not None, how, f.transform == "growth"))
    schema = {"ind": pl.String, "scale": pl.Float64, "has_den": pl.Boolean, "how": pl.String, "growth": pl.Boolean}
    return pl.DataFrame(rows, schema=schema, orient="row")


def compute_indicators(
    indicators: list[Indicator],
    rows_by_series: Mapping[str, pl.DataFrame] | Mapping[str, pl.LazyFrame],
    series: Mapping[str, BaseSeries],
    membership: pl.DataFrame,
) -> pl.DataFrame:
    """Every geography and period of the given indicators, in one vectorised pass, as a store frame."""
    # Every distinct operand (series, age group, frequency) is planned once and all are collected
    # together, so polars runs them in parallel; many indicators share one (an age group's population).
    keys = {(t.series, t.ages, i.frequency): t for i in indicators for t in i.terms()}
    plans = [
        term_frame(rows_by_series[t.series].lazy(), t, series[t.series], key[2]).select(
            "geo", "period", pl.col("value").cast(pl.Float64), pl.col("rank").cast(pl.Int8)
        )
        for key, t in keys.items()
    ]
    operands = dict(zip(keys, pl.collect_all(plans), strict=True))

    def stacked(pick: Callable[[Indicator], Term | None]) -> pl.DataFrame:
        frames = []
        for i in indicators:
            if (t := pick(i)) is not None:
                frame = operands[(t.series, t.ages, i.frequency)]
                # hstack of a ready-made column: with_columns would plan and collect a query each time.
                frames.append(frame.hstack([pl.repeat(i.id, frame.height, dtype=pl.String, eager=True).alias("ind")]))
        empty = pl.DataFrame(
            schema={"geo": pl.String, "period": pl.String, "value": pl.Float64, "rank": pl.Int8, "ind": pl.String}
        )
        # Every operand has the same schema, so a plain vertical concat (no per-frame casts) will do.
        return pl.concat([empty, *frames], how="vertical")

    spec = _spec(indicators)
    values = ratio(
        stacked(lambda i: i.formula.numerator), stacked(lambda i: i.formula.denominator), spec.drop("how", "growth")
    )
    parents = membership["parent"].unique().implode()
    direct = values.filter(~pl.col("geo").is_in(parents) | pl.col("value").is_not_null())
    municipal = values.filter(pl.col("geo").is_in(membership["geo"].unique().implode()))
    # Only indicator-periods that miss a published region or country value need the members' aggregate.
    published = (
        direct.filter(pl.col("geo").is_in(parents))
        .group_by(["ind", "period"])
        .agg(pl.len().alias("n"))
        .filter(pl.col("n") == membership["parent"].n_unique())
    )
    municipal = municipal.join(published, on=["ind", "period"], how="anti")
    derived = aggregate_members(municipal, membership, spec, stacked(lambda i: i.formula.weight))
    # A published (non-null) region or country value wins over one derived from the members.
    derived = derived.join(direct.select(KEYS), on=KEYS, how="anti")
    combined = pl.concat([direct.select(*KEYS, "value", "rank"), derived], how="vertical_relaxed")
    with_growth = spec.filter(pl.col("growth"))["ind"].implode()
    if spec["growth"].any():
        grown = growth(combined.filter(pl.col("ind").is_in(with_growth)))
        combined = pl.concat([combined.filter(~pl.col("ind").is_in(with_growth)), grown], how="vertical_relaxed")
    return to_store(combined)


def to_store(values: pl.DataFrame) -> pl.DataFrame:
    """Working frame -> store frame: rank back to status, null values always missing or confidential."""
    status = (
        pl.when(pl.col("value").is_null())
        .then(
            pl.when(pl.col("rank") == STATUS_RANK["confidential"])
            .then(pl.lit("confidential"))
            .otherwise(pl.lit("missing"))
        )
        .otherwise(pl.col("rank").replace_strict(RANK_STATUS, return_dtype=pl.String))
    )
    return values.select(
        pl.col("ind").alias("series"),
        pl.col("geo"),
        pl.col("period"),
        pl.lit("").alias("breakdown"),
        pl.col("value").cast(pl.Float64),
        status.alias("status"),
    )


def compute_all(
    indicators: Mapping[str, Indicator],
    series: Mapping[str, BaseSeries],
    base: pl.DataFrame,
    membership: pl.DataFrame,
) -> pl.DataFrame:
    """Every indicator from the base frame (store columns, with status)."""
    working = with_rank(base)
    rows_by_series = {key[0]: frame for key, frame in working.partition_by("series", as_dict=True).items()}
    # Series without any rows behave as empty frames, so their indicators come out missing.
    empty = working.clear()
    complete = {sid: rows_by_series.get(sid, empty) for sid in series}
    return compute_indicators(list(indicators.values()), complete, series, membership)
