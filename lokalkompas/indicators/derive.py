"""Indicator values from base series: pure polars functions, no Django.

Every frame here has the columns geo, period, value and `rank`, the status as a number so that the
worst input status wins (`combine`). Region and country values come from published rows where the
source has them, and otherwise from the member municipalities as each definition says: a ratio of
sums, a weighted mean, or (only where a definition asks for it) a plain mean.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from lokalkompas.indicators.schema import BaseSeries, Indicator, Term

STATUS_RANK = {"ok": 0, "provisional": 1, "estimated": 2, "demo": 3, "missing": 4, "confidential": 5}
RANK_STATUS = {rank: status for status, rank in STATUS_RANK.items()}
MISSING = STATUS_RANK["missing"]
ESTIMATED = STATUS_RANK["estimated"]
# An aggregate over fewer than this share of the members is not shown at all.
MIN_COVERAGE = 0.5

# Operands shared by several indicators (an age group's population) are computed once per run.
OperandCache = dict[tuple[str, tuple[int, int] | None, str], pl.DataFrame]

_SUBPERIODS = {"quarter": ("K", 4), "month": ("M", 12)}
_FIRST_LAST = {"quarter": ("K1", "K4"), "month": ("M01", "M12")}


class DerivationError(ValueError):
    """A definition asks for something the data cannot give (e.g. yearly series to quarters)."""


def with_rank(base: pl.DataFrame) -> pl.DataFrame:
    """Store frame (with `status`) -> working frame (with `rank`)."""
    return base.with_columns(pl.col("status").replace_strict(STATUS_RANK, return_dtype=pl.Int8).alias("rank")).drop(
        "status"
    )


def sum_ages(rows: pl.DataFrame, lo: int, hi: int) -> pl.DataFrame:
    """Age-group totals from single-year ages; a group with any age missing is missing."""
    expected = hi - lo + 1
    ages = rows.filter(pl.col("breakdown").cast(pl.Int32, strict=False).is_between(lo, hi))
    grouped = ages.group_by(["geo", "period"]).agg(
        pl.col("value").sum().alias("value"),
        pl.col("value").null_count().alias("nulls"),
        pl.len().alias("n"),
        pl.col("rank").max().alias("rank"),
    )
    complete = (pl.col("nulls") == 0) & (pl.col("n") == expected)
    return grouped.select(
        "geo",
        "period",
        pl.when(complete).then(pl.col("value")).otherwise(None).alias("value"),
        pl.when(complete).then(pl.col("rank")).otherwise(pl.max_horizontal("rank", pl.lit(MISSING))).alias("rank"),
    )


def to_year(rows: pl.DataFrame, frequency: str, rule: str) -> pl.DataFrame:
    """Yearly values from quarters or months: the first or last sub-period, or a complete sum or mean."""
    if frequency == "year":
        return rows
    year = pl.col("period").str.slice(0, 4)
    if rule in ("first", "last"):
        wanted = _FIRST_LAST[frequency][0 if rule == "first" else 1]
        return rows.filter(pl.col("period").str.slice(4) == wanted).with_columns(year.alias("period"))
    _letter, count = _SUBPERIODS[frequency]
    agg = pl.col("value").sum() if rule == "sum" else pl.col("value").mean()
    grouped = (
        rows.with_columns(year.alias("year"))
        .group_by(["geo", "year"])
        .agg(
            agg.alias("value"),
            pl.col("value").null_count().alias("nulls"),
            pl.len().alias("n"),
            pl.col("rank").max().alias("rank"),
        )
    )
    complete = (pl.col("nulls") == 0) & (pl.col("n") == count)
    return grouped.select(
        "geo",
        pl.col("year").alias("period"),
        pl.when(complete).then(pl.col("value")).otherwise(None).alias("value"),
        pl.when(complete).then(pl.col("rank")).otherwise(pl.max_horizontal("rank", pl.lit(MISSING))).alias("rank"),
    )


def term_frame(rows: pl.DataFrame, term: Term, series: BaseSeries, frequency: str) -> pl.DataFrame:
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


def ratio(numerator: pl.DataFrame, denominator: pl.DataFrame | None, scale: float) -> pl.DataFrame:
    """numerator / denominator x scale per geo and period; a zero or absent denominator gives missing."""
    if denominator is None:
        return numerator.with_columns((pl.col("value") * scale).alias("value"))
    # The indicator exists where its numerator does: a denominator alone (population) makes no period.
    joined = numerator.join(denominator, on=["geo", "period"], how="left", suffix="_den")
    valid = pl.col("value").is_not_null() & pl.col("value_den").is_not_null() & (pl.col("value_den") != 0)
    return joined.select(
        "geo",
        "period",
        pl.when(valid).then(pl.col("value") / pl.col("value_den") * scale).otherwise(None).alias("value"),
        pl.max_horizontal(pl.col("rank").fill_null(MISSING), pl.col("rank_den").fill_null(MISSING)).alias("rank"),
        pl.col("value").alias("num"),
        pl.col("value_den").alias("den"),
    )


def aggregate_members(
    values: pl.DataFrame,
    membership: pl.DataFrame,
    how: str,
    weights: pl.DataFrame | None = None,
    scale: float = 1.0,
) -> pl.DataFrame:
    """Region and country rows from municipal rows (`num`/`den` for ratio_of_sums, `value` otherwise).

    A sum needs every member (a partial sum would undercount); the others need half the members, and
    an incomplete aggregate is marked estimated.
    """
    members = membership.join(values, on="geo", how="inner")
    sizes = membership.group_by("parent").agg(pl.len().alias("size"))
    if how == "ratio_of_sums":
        usable = members.filter(pl.col("num").is_not_null() & pl.col("den").is_not_null())
        agg = [(pl.col("num").sum() / pl.col("den").sum() * scale).alias("raw")]
    elif how == "sum":
        usable = members.filter(pl.col("value").is_not_null())
        agg = [pl.col("value").sum().alias("raw")]
    elif how == "weighted_mean":
        if weights is None:
            raise DerivationError("weighted_mean kræver vægte")
        members = members.join(weights.select("geo", "period", pl.col("value").alias("w")), on=["geo", "period"])
        usable = members.filter(pl.col("value").is_not_null() & pl.col("w").is_not_null() & (pl.col("w") > 0))
        agg = [((pl.col("value") * pl.col("w")).sum() / pl.col("w").sum()).alias("raw")]
    elif how == "mean":
        usable = members.filter(pl.col("value").is_not_null())
        agg = [pl.col("value").mean().alias("raw")]
    else:
        return values.clear().select("geo", "period", "value", "rank")
    grouped = (
        usable.group_by(["parent", "period"])
        .agg(*agg, pl.len().alias("present"), pl.col("rank").max().alias("rank"))
        .join(sizes, on="parent")
    )
    coverage = pl.col("present") / pl.col("size")
    needed = 1.0 if how == "sum" else MIN_COVERAGE
    return grouped.select(
        pl.col("parent").alias("geo"),
        "period",
        pl.when(coverage >= needed).then(pl.col("raw")).otherwise(None).alias("value"),
        pl.when(coverage >= needed)
        .then(pl.when(coverage < 1).then(pl.max_horizontal("rank", pl.lit(ESTIMATED))).otherwise(pl.col("rank")))
        .otherwise(pl.lit(MISSING))
        .cast(pl.Int8)
        .alias("rank"),
    )


def growth(values: pl.DataFrame) -> pl.DataFrame:
    """Yearly change in per cent: (this year / last year - 1) x 100."""
    previous = values.select(
        "geo",
        (pl.col("period").cast(pl.Int32) + 1).cast(pl.String).alias("period"),
        pl.col("value").alias("prev"),
        pl.col("rank").alias("prev_rank"),
    )
    joined = values.join(previous, on=["geo", "period"], how="inner")
    valid = pl.col("value").is_not_null() & pl.col("prev").is_not_null() & (pl.col("prev") != 0)
    return joined.select(
        "geo",
        "period",
        pl.when(valid).then((pl.col("value") / pl.col("prev") - 1) * 100).otherwise(None).alias("value"),
        pl.max_horizontal("rank", "prev_rank").alias("rank"),
    )


def compute_indicator(
    indicator: Indicator,
    rows_by_series: Mapping[str, pl.DataFrame],
    series: Mapping[str, BaseSeries],
    membership: pl.DataFrame,
    cache: OperandCache | None = None,
) -> pl.DataFrame:
    """All geographies and periods of one indicator, as a store frame."""
    f = indicator.formula
    cache = {} if cache is None else cache

    def operand(term: Term) -> pl.DataFrame:
        # Many indicators share an operand (the population of an age group); compute it once.
        key = (term.series, term.ages, indicator.frequency)
        if key not in cache:
            cache[key] = term_frame(rows_by_series[term.series], term, series[term.series], indicator.frequency)
        return cache[key]

    values = ratio(operand(f.numerator), operand(f.denominator) if f.denominator else None, f.scale)
    if "num" not in values.columns:
        values = values.with_columns(pl.col("value").alias("num"), pl.lit(None, pl.Float64).alias("den"))
    parents = membership["parent"].unique()
    direct = values.filter(~pl.col("geo").is_in(parents.implode()) | pl.col("value").is_not_null())
    municipal = values.filter(pl.col("geo").is_in(membership["geo"].unique().implode()))
    weights = operand(f.weight) if f.weight else None
    # Without a denominator a "ratio of sums" is simply the sum of the members.
    how = "sum" if f.denominator is None and f.aggregate == "ratio_of_sums" else f.aggregate
    derived = aggregate_members(municipal, membership, how, weights, f.scale)
    # A published (non-null) region or country value wins over one derived from the members.
    derived = derived.join(direct.select("geo", "period"), on=["geo", "period"], how="anti")
    combined = pl.concat([direct.select("geo", "period", "value", "rank"), derived], how="vertical_relaxed")
    if f.transform == "growth":
        combined = growth(combined)
    return to_store(combined, indicator.id)


def to_store(values: pl.DataFrame, series_id: str) -> pl.DataFrame:
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
        pl.lit(series_id).alias("series"),
        pl.col("geo"),
        pl.col("period"),
        pl.lit("").alias("breakdown"),
        pl.col("value").cast(pl.Float64),
        status.alias("status"),
    ).sort(["geo", "period"])


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
    cache: OperandCache = {}
    frames = [compute_indicator(ind, complete, series, membership, cache) for ind in indicators.values()]
    return pl.concat(frames) if frames else base.clear()
