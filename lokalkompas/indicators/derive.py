"""Indicator values from base series: pure polars functions, no Django.

Every frame here has the columns geo, period, value and `rank`, the status as a number so that the
worst input status wins (`combine`). Region and country values come from published rows where the
source has them, and otherwise from the member municipalities as each definition says: a ratio of
sums, a weighted mean, or (only where a definition asks for it) a plain mean.

The rules are stated first as functions on long frames (sum_ages, to_year, ratio, aggregate_members,
growth), each tested on values computed by hand. compute_indicators and compute_all run the same rules
for every indicator at once on a dense grid (below), which is several times faster; a test checks that
the two agree on the demo data and on random data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import polars as pl

from lokalkompas.indicators.schema import BaseSeries, Indicator, Term

# The rules work on eager frames (tests, small inputs) and lazy ones alike.
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


def with_rank(base: Frame) -> Frame:
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


def to_store(values: pl.DataFrame) -> pl.DataFrame:
    """Working frame -> store frame: rank back to status, null values always missing or confidential."""
    confidential = STATUS_RANK["confidential"]
    shown = pl.when(pl.col("value").is_null() & (pl.col("rank") != confidential)).then(MISSING).otherwise("rank")
    # The statuses in rank order, so that a rank picks its status by position.
    status = pl.lit(pl.Series([RANK_STATUS[rank] for rank in range(len(RANK_STATUS))], dtype=pl.String)).gather(shown)
    return values.select(
        pl.col("ind").alias("series"),
        pl.col("geo"),
        pl.col("period"),
        pl.lit("").alias("breakdown"),
        pl.col("value").cast(pl.Float64),
        status.alias("status"),
    )


# The grid engine: the rules above, for every indicator at once.
#
# Long frames keyed by (indicator, geo, period) need a join for every ratio, weight and aggregate, and
# one plan per operand or indicator. Here the operands of one frequency live in one pair of dense columns
# (value, rank): operand slot k's value in cell c (a geo and a period of that frequency) sits at position
# k x grid size + c. Filling them is a scatter (a pivot without its cost), age groups and years from
# quarters are sums over a few such columns, and an indicator row (indicator x cell) gathers its operands
# by position. No join on strings, and the number of polars expressions does not grow with the number of
# indicators. The tests check the engine against the rules above.

# An operand: a base series, optionally summed over an age range, at an indicator's frequency.
Operand = tuple[str, tuple[int, int] | None, str]
FREQUENCY = pl.Enum(["year", "quarter", "month"])
HOW = pl.Enum(["ratio_of_sums", "sum", "weighted_mean", "mean", "none"])
ROW_COLUMNS = ["geo", "period", "breakdown", "value", "rank"]
VALUE_SCHEMA = {"ind": pl.String, "geo": pl.String, "period": pl.String, "value": pl.Float64, "rank": pl.Int8}


@dataclass(frozen=True)
class Grid:
    """Every cell (geo x period) of one frequency: cell = geo x len(periods) + the period's index here.

    Rows come with integer codes: `geo` indexes `geos` (the same for every grid) and `period` indexes
    the list of every period read, which `local` maps to this grid's periods.
    """

    geos: list[str]
    periods: list[str]
    local: pl.Series

    @classmethod
    def of(cls, geos: list[str], periods: Iterable[str], every_period: list[str]) -> Grid:
        ordered = sorted(periods)
        index = {period: k for k, period in enumerate(ordered)}
        return cls(geos, ordered, pl.Series([index.get(period) for period in every_period], dtype=pl.Int64))

    @property
    def size(self) -> int:
        return len(self.geos) * len(self.periods)

    def position(self) -> pl.Expr:
        """The cell of a row with integer codes `geo` and `period`."""
        return pl.col("geo") * len(self.periods) + pl.lit(self.local).gather(pl.col("period"))

    def decode(self, cell: pl.Expr) -> list[pl.Expr]:
        """geo and period of a cell, as strings."""
        geos, periods = pl.Series(self.geos, dtype=pl.String), pl.Series(self.periods, dtype=pl.String)
        n = len(self.periods)
        return [pl.lit(geos).gather(cell // n).alias("geo"), pl.lit(periods).gather(cell % n).alias("period")]

    def previous_year(self) -> pl.Series:
        """Per cell the cell of the same geo's previous year (null where there is none), for growth."""
        index = {period: k for k, period in enumerate(self.periods)}
        previous = [index.get(str(int(period) - 1)) for period in self.periods]
        n = len(self.periods)
        cells = [None if p is None else g * n + p for g in range(len(self.geos)) for p in previous]
        return pl.Series(cells, dtype=pl.Int64)


def dense(rows: pl.DataFrame, grid: Grid, slots: int) -> tuple[pl.Series, pl.Series]:
    """Values and ranks of long rows, written to position slot x grid size + cell (integer `slot`).

    A pivot without its cost: one preallocated column per field, and slot k's column is the slice from
    k x grid size. A position without a row stays null: a null rank means no row.
    """
    position = rows.select(pl.col("slot") * grid.size + grid.position()).to_series()
    value = pl.repeat(None, slots * grid.size, dtype=pl.Float64, eager=True).scatter(position, rows["value"])
    rank = pl.repeat(None, slots * grid.size, dtype=pl.Int8, eager=True).scatter(position, rows["rank"])
    return value.alias("value"), rank.alias("rank")


@dataclass(frozen=True)
class Operands:
    """Every operand of one frequency as dense columns on its grid (see `dense`)."""

    grid: Grid
    slots: dict[Operand, int]
    value: pl.Series
    rank: pl.Series

    def put(self, slots: list[int], columns: pl.DataFrame) -> None:
        """Write computed operands (columns value<slot> and rank<slot>) into their slots, one scatter each."""
        n = self.grid.size
        cells = pl.concat([pl.int_range(slot * n, (slot + 1) * n, eager=True) for slot in slots])
        self.value.scatter(cells, pl.concat([columns[f"value{slot}"] for slot in slots]))
        self.rank.scatter(cells, pl.concat([columns[f"rank{slot}"] for slot in slots]))


def _operands(indicators: list[Indicator], series: Mapping[str, BaseSeries]) -> dict[str, dict[Operand, int]]:
    """Every distinct operand by frequency, with its slot; a converted one also needs its series' own."""
    keys: dict[Operand, None] = {}
    for sid, ages, frequency in dict.fromkeys((t.series, t.ages, i.frequency) for i in indicators for t in i.terms()):
        native = series[sid].frequency
        if frequency not in (native, "year"):
            raise DerivationError(f"{sid}: kan ikke lave {native} om til {frequency}")
        keys.update({(sid, ages, native): None, (sid, ages, frequency): None})
    slots: dict[str, dict[Operand, int]] = {}
    for key in keys:
        of_frequency = slots.setdefault(key[2], {})
        of_frequency[key] = len(of_frequency)
    return slots


def _series_table(slots: Mapping[str, Mapping[Operand, int]], series: Mapping[str, BaseSeries]) -> pl.DataFrame:
    """Per base series read: its frequency, the slot of its rows without breakdown, whether ages are read."""
    plain: dict[str, int | None] = {}
    aged: set[str] = set()
    for frequency, of_frequency in slots.items():
        for (sid, ages, _f), slot in of_frequency.items():
            if frequency == series[sid].frequency:
                plain.setdefault(sid, None)
                if ages is None:
                    plain[sid] = slot
                else:
                    aged.add(sid)
    rows = [(sid, series[sid].frequency, slot, sid in aged) for sid, slot in plain.items()]
    schema = {"series": pl.String(), "frequency": FREQUENCY, "slot": pl.Int64(), "aged": pl.Boolean()}
    return pl.DataFrame(rows, schema=schema, orient="row")


@dataclass(frozen=True)
class Read:
    """The base rows read, with integer codes: `geo` indexes `geos` and `period` indexes `periods`.

    plain: frequency, slot, geo, period, value, rank of the rows without breakdown of a plain operand.
    aged: frequency, code (the series' row in the series table), age, geo, period, value, rank.
    """

    plain: pl.DataFrame
    aged: pl.DataFrame
    geos: list[str]
    periods: list[str]
    periods_by_frequency: dict[str, set[str]]


def _read(rows: pl.LazyFrame, table: pl.DataFrame, parents: Iterable[str]) -> Read:
    """Encode every string once, so that every later step filters and scatters numbers only.

    Enum codes and small lookups rather than joins, which would shuffle every string column; one collect
    for all outputs, so that they share the encoding.
    """
    found = rows.select(pl.col("geo").unique().implode(), pl.col("period").unique().implode()).collect().row(0)
    geos, periods = sorted({*found[0], *parents}), sorted(found[1])
    code = pl.col("series").cast(pl.Enum(table["series"]), strict=False).to_physical().cast(pl.Int64)
    encoded = rows.select(
        code.alias("code"),
        pl.col("geo").cast(pl.Enum(geos)).to_physical().cast(pl.Int64),
        pl.col("period").cast(pl.Enum(periods)).to_physical().cast(pl.Int64),
        pl.col("breakdown"),
        pl.col("value").cast(pl.Float64),
        pl.col("rank").cast(pl.Int8),
    ).with_columns(*(pl.lit(table[name]).gather(pl.col("code")).alias(name) for name in ("frequency", "slot", "aged")))
    cell = ["geo", "period", "value", "rank"]
    age = pl.col("breakdown").cast(pl.Int32, strict=False).alias("age")
    # Which periods each frequency has: a unique over one integer, frequency x len(periods) + period.
    pair = pl.col("frequency").to_physical().cast(pl.Int64) * len(periods) + pl.col("period")
    plain, aged, pairs = pl.collect_all(
        [
            encoded.filter(pl.col("slot").is_not_null() & (pl.col("breakdown") == "")).select(
                "frequency", "slot", *cell
            ),
            encoded.filter(pl.col("aged")).select("frequency", "code", age, *cell).filter(pl.col("age").is_not_null()),
            encoded.select(pair.unique().drop_nulls()),
        ],
        # Row by row work: the streaming engine spreads it over all cores.
        engine="streaming",
    )
    by_frequency: dict[str, set[str]] = {}
    for code_pair in pairs.to_series().to_list():
        frequency = FREQUENCY.categories[code_pair // len(periods)]
        by_frequency.setdefault(frequency, set()).add(periods[code_pair % len(periods)])
    return Read(plain, aged, geos, periods, by_frequency)


def _grids(read: Read, slots: Mapping[str, Mapping[Operand, int]], series: Mapping[str, BaseSeries]) -> dict[str, Grid]:
    """One grid per frequency: every geo (and parent) x every period read at that frequency."""
    periods = {frequency: read.periods_by_frequency.get(frequency, set()) for frequency in slots}
    # Years made from quarters or months are cells of the yearly grid too.
    for sid, _ages, _f in slots.get("year", {}):
        if (native := series[sid].frequency) != "year":
            periods["year"] = periods["year"] | {period[:4] for period in periods[native]}
    return {frequency: Grid.of(read.geos, found, read.periods) for frequency, found in periods.items()}


def _operand_grids(
    rows: pl.LazyFrame, slots: dict[str, dict[Operand, int]], series: Mapping[str, BaseSeries], parents: Iterable[str]
) -> dict[str, Operands]:
    """Every operand on the grid of its frequency."""
    table = _series_table(slots, series)
    read = _read(rows, table, parents)
    grids = _grids(read, slots, series)
    codes = dict(zip(table["series"], range(table.height), strict=True))
    operands: dict[str, Operands] = {}
    for frequency, grid in grids.items():
        own = pl.col("frequency") == frequency
        operands[frequency] = Operands(
            grid, slots[frequency], *dense(read.plain.filter(own), grid, len(slots[frequency]))
        )
        _put_age_groups(operands[frequency], read.aged.filter(own), codes)
    _put_years(operands, series)
    return operands


def _put_age_groups(operands: Operands, rows: pl.DataFrame, codes: Mapping[str, int]) -> None:
    """Every age-group operand of one frequency; all groups of a series in one pass (the rule of sum_ages)."""
    by_series: dict[str, dict[int, tuple[int, int]]] = {}
    for (sid, ages, _f), slot in operands.slots.items():
        if ages is not None:
            by_series.setdefault(sid, {})[slot] = ages
    n = operands.grid.size
    for sid, groups in by_series.items():
        first, last = min(lo for lo, _ in groups.values()), max(hi for _, hi in groups.values())
        single = rows.filter((pl.col("code") == codes[sid]) & pl.col("age").is_between(first, last))
        value, rank = dense(single.with_columns((pl.col("age") - first).alias("slot")), operands.grid, last - first + 1)
        # One column per single age: the slices of the dense columns.
        single_ages = pl.DataFrame(
            [c.slice(a * n, n).alias(f"{c.name}{a}") for c in (value, rank) for a in range(last - first + 1)]
        )
        parts = {
            slot: (
                pl.sum_horizontal(pl.col([f"value{a - first}" for a in range(lo, hi + 1)]), ignore_nulls=False),
                pl.max_horizontal(pl.col([f"rank{a - first}" for a in range(lo, hi + 1)])),
            )
            for slot, (lo, hi) in groups.items()
        }
        _put_computed(operands, single_ages, parts)


def _put_years(operands: Mapping[str, Operands], series: Mapping[str, BaseSeries]) -> None:
    """Yearly operands from quarters or months (the rule of to_year): each year gathers its sub-periods."""
    target = operands.get("year")
    if target is None:
        return
    parts: dict[int, tuple[pl.Expr, pl.Expr]] = {}
    positions: dict[str, pl.DataFrame] = {}
    for (sid, ages, _f), slot in target.slots.items():
        frequency, rule = series[sid].frequency, series[sid].to_year
        if frequency == "year":
            continue
        source = operands[frequency]
        if frequency not in positions:
            positions[frequency] = _sub_periods(target.grid, source.grid, frequency)
        names = positions[frequency].columns
        if rule in ("first", "last"):
            names = [_FIRST_LAST[frequency][0 if rule == "first" else 1]]
        offset = source.slots[(sid, ages, frequency)] * source.grid.size
        total = pl.sum_horizontal([pl.lit(source.value).gather(pl.col(c) + offset) for c in names], ignore_nulls=False)
        rank = pl.max_horizontal([pl.lit(source.rank).gather(pl.col(c) + offset) for c in names])
        parts[slot] = (total / len(names) if rule == "mean" else total, rank)
    if parts:
        _put_computed(target, pl.concat(positions.values(), how="horizontal"), parts)


def _sub_periods(grid: Grid, source: Grid, frequency: str) -> pl.DataFrame:
    """Per yearly cell, the cell of each of its sub-periods (K1..K4, M01..M12) in `source`, or null."""
    letter, count = _SUBPERIODS[frequency]
    cells = pl.int_range(grid.size)
    year = pl.lit(pl.Series(grid.periods, dtype=pl.String)).gather(cells % len(grid.periods))
    geo = cells // len(grid.periods) * len(source.periods)
    periods = pl.Enum(source.periods)
    suffixes = [f"{letter}{k}" if letter == "K" else f"{letter}{k:02d}" for k in range(1, count + 1)]
    return pl.select(*((geo + (year + k).cast(periods, strict=False).to_physical()).alias(k) for k in suffixes))


def _put_computed(operands: Operands, frame: pl.DataFrame, parts: Mapping[int, tuple[pl.Expr, pl.Expr]]) -> None:
    """Computed operands into their slots: a sum of parts (null if any part is absent or missing) and the
    worst rank of the parts, at least missing if the sum is null; no row where no part has one."""
    sums = (e.alias(f"{k}{slot}") for slot, pair in parts.items() for k, e in zip(("value", "rank"), pair, strict=True))
    ranks = (_missing_if_null(pl.col(f"value{slot}"), pl.col(f"rank{slot}")).alias(f"rank{slot}") for slot in parts)
    # Two steps, as each sum is read twice: the second step reads it as a column.
    operands.put(list(parts), frame.lazy().select(*sums).with_columns(*ranks).collect())


def _missing_if_null(value: pl.Expr, rank: pl.Expr) -> pl.Expr:
    missing = pl.when(value.is_null()).then(pl.max_horizontal(rank, pl.lit(MISSING))).otherwise(rank)
    return pl.when(rank.is_not_null()).then(missing).cast(pl.Int8)


def _how(ind: Indicator) -> str:
    f = ind.formula
    # Without a denominator a "ratio of sums" is simply the sum of the members.
    return "sum" if f.denominator is None and f.aggregate == "ratio_of_sums" else f.aggregate


def _spec(indicators: list[Indicator], slots: Mapping[Operand, int]) -> pl.DataFrame:
    """One row per indicator: its operands' slots, scale, aggregation rule and transform."""

    def slot(ind: Indicator, term: Term | None) -> int | None:
        return None if term is None else slots[(term.series, term.ages, ind.frequency)]

    rows = [
        (i.id, slot(i, f.numerator), slot(i, f.denominator), slot(i, f.weight), f.scale, _how(i), f.transform)
        for i, f in ((i, i.formula) for i in indicators)
    ]
    schema = {"id": pl.String, "num": pl.Int64, "den": pl.Int64, "weight": pl.Int64, "scale": pl.Float64}
    frame = pl.DataFrame(rows, schema=schema | {"how": HOW, "transform": pl.String}, orient="row")
    return frame.with_columns((pl.col("transform") == "growth").alias("growth"))


def _per_indicator(spec: pl.DataFrame, name: str) -> pl.Expr:
    """A column of the indicator spec, for each row by its indicator `i`."""
    return pl.lit(spec[name]).gather(pl.col("i"))


def _ratios(spec: pl.DataFrame, operands: Operands, parents: pl.Series) -> pl.DataFrame:
    """One row per indicator and cell (row number = i x grid size + cell): the rule of `ratio`, and what
    the members' aggregate reads. A null rank means the numerator has no row there."""
    n, periods = operands.grid.size, len(operands.grid.periods)
    rows = pl.LazyFrame({"pos": pl.int_range(spec.height * n, dtype=pl.Int64, eager=True)}).select(
        (pl.col("pos") // n).alias("i"), (pl.col("pos") % n).alias("cell")
    )
    # An operand's position: the block of its slot in the dense columns, then the cell.
    at = {term: _per_indicator(spec, term) * n + pl.col("cell") for term in ("num", "den", "weight")}
    rows = rows.with_columns(
        *(expr.alias(f"{term}_at") for term, expr in at.items()),
        _per_indicator(spec, "scale").alias("scale"),
        _per_indicator(spec, "how").alias("how"),
        pl.lit(parents).gather(pl.col("cell") // periods).alias("is_parent"),
    )
    value, rank = pl.lit(operands.value), pl.lit(operands.rank)
    rows = rows.with_columns(
        value.gather(pl.col("num_at")).alias("num"),
        rank.gather(pl.col("num_at")).alias("num_rank"),
        value.gather(pl.col("den_at")).alias("den"),
        rank.gather(pl.col("den_at")).alias("den_rank"),
        value.gather(pl.col("weight_at")).alias("w"),
    )
    num, den, has_den = pl.col("num"), pl.col("den"), pl.col("den_at").is_not_null()
    valid = num.is_not_null() & (~has_den | (den.is_not_null() & (den != 0)))
    quotient = pl.when(has_den).then(num / den).otherwise(num)
    worst = pl.when(has_den).then(pl.max_horizontal("num_rank", pl.col("den_rank").fill_null(MISSING)))
    return rows.select(
        "i",
        "cell",
        "how",
        "is_parent",
        "num",
        "den",
        "w",
        pl.when(valid).then(quotient * pl.col("scale")).alias("value"),
        pl.when(pl.col("num_rank").is_not_null()).then(worst.otherwise("num_rank")).cast(pl.Int8).alias("rank"),
    ).collect()


@dataclass(frozen=True)
class Members:
    """Membership on a grid's geo indices. As in `aggregate_members`, a member adds to its own region
    (its smallest parent) and every larger parent (the country) adds up the partial sums of its regions."""

    region: pl.Series  # per geo: its region, null for a geo that is nobody's member
    tops: pl.DataFrame  # (region, top): the larger parents of each region
    size: pl.Series  # per geo: the number of members, null for a geo that is no parent

    @classmethod
    def of(cls, membership: pl.DataFrame, grid: Grid) -> Members:
        index = {geo: k for k, geo in enumerate(grid.geos)}
        pairs = list(membership.select("geo", "parent").iter_rows())
        size = dict(membership.group_by("parent").len().iter_rows())
        region: dict[str, str] = {}
        for geo, parent in sorted(pairs, key=lambda pair: size[pair[1]], reverse=True):
            region[geo] = parent
        tops = {(index[region[geo]], index[parent]) for geo, parent in pairs if parent != region[geo]}
        return cls(
            pl.Series([index[region[geo]] if geo in region else None for geo in grid.geos], dtype=pl.Int64),
            pl.DataFrame(sorted(tops), schema={"region": pl.Int64, "top": pl.Int64}, orient="row"),
            pl.Series([size.get(geo) for geo in grid.geos], dtype=pl.Int64),
        )


def _member_sums(values: pl.DataFrame, members: Members, grid: Grid) -> pl.DataFrame:
    """The rule of `aggregate_members`, first half: per parent and period the sums over the usable members,
    keyed by `pos`, the parent's own row in `values`."""
    how, value, w = pl.col("how"), pl.col("value"), pl.col("w")
    usable = (
        pl.when(how == "ratio_of_sums")
        .then(pl.col("num").is_not_null() & pl.col("den").is_not_null())
        .when(how == "weighted_mean")
        .then(value.is_not_null() & w.is_not_null() & (w > 0))
        .when(how == "none")
        .then(pl.lit(False))
        .otherwise(value.is_not_null())
    )
    # Only the sums each rule reads: numerator and denominator, value x weight and weight, or the value.
    first = pl.when(how == "ratio_of_sums").then("num").when(how == "weighted_mean").then(value * w).otherwise(value)
    second = pl.when(how == "ratio_of_sums").then("den").when(how == "weighted_mean").then(w)
    periods = len(grid.periods)
    region = pl.lit(members.region).gather(pl.col("cell") // periods)
    by_region = (
        values.lazy()
        .filter(usable)
        .select(
            (pl.col("i") * grid.size + region * periods + pl.col("cell") % periods).alias("pos"),
            first.alias("first"),
            second.alias("second"),
            "rank",
        )
        .filter(pl.col("pos").is_not_null())
        .group_by("pos")
        .agg(pl.col("first").sum(), pl.col("second").sum(), pl.len().alias("present"), pl.col("rank").max())
    )
    # A region's row plus (top - region) x periods: the same indicator and period, the larger parent.
    shift = (pl.col("top") - pl.col("region")) * periods
    by_top = (
        by_region.with_columns((pl.col("pos") % grid.size // periods).alias("region"))
        .join(members.tops.lazy(), on="region")
        .group_by((pl.col("pos") + shift).alias("pos"))
        .agg(pl.col("first", "second", "present").sum(), pl.col("rank").max())
    )
    return pl.concat([by_region, by_top], how="vertical_relaxed").collect()


def _derived(sums: pl.DataFrame, spec: pl.DataFrame, grid: Grid, members: Members) -> pl.DataFrame:
    """Second half: the aggregate from the sums, estimated if partial and missing if too partial."""
    n, periods = grid.size, len(grid.periods)
    how, first, present = _per_indicator(spec, "how"), pl.col("first"), pl.col("present")
    raw = (
        pl.when(how == "ratio_of_sums")
        .then(first / pl.col("second") * _per_indicator(spec, "scale"))
        .when(how == "sum")
        .then(first)
        .when(how == "weighted_mean")
        .then(first / pl.col("second"))
        .otherwise(first / present)
    )
    coverage = present / pl.lit(members.size).gather(pl.col("pos") % n // periods)
    enough = coverage >= pl.when(how == "sum").then(pl.lit(1.0)).otherwise(pl.lit(MIN_COVERAGE))
    rank = pl.when(coverage < 1).then(pl.max_horizontal("rank", pl.lit(ESTIMATED))).otherwise(pl.col("rank"))
    return sums.with_columns((pl.col("pos") // n).alias("i")).select(
        "pos",
        pl.when(enough).then(raw).alias("value"),
        pl.when(enough).then(rank).otherwise(pl.lit(MISSING)).cast(pl.Int8).alias("rank"),
    )


def _finish(values: pl.DataFrame, derived: pl.DataFrame, spec: pl.DataFrame, grid: Grid) -> pl.DataFrame:
    """A published value wins, else a parent takes its members' aggregate; then growth; then store rows."""
    derived_value = pl.repeat(None, values.height, dtype=pl.Float64, eager=True).scatter(
        derived["pos"], derived["value"]
    )
    derived_rank = pl.repeat(None, values.height, dtype=pl.Int8, eager=True).scatter(derived["pos"], derived["rank"])
    direct = pl.col("rank").is_not_null() & (~pl.col("is_parent") | pl.col("value").is_not_null())
    final = values.select(
        "i",
        "cell",
        pl.when(direct).then(pl.col("value")).otherwise(pl.lit(derived_value)).alias("value"),
        pl.when(direct).then(pl.col("rank")).otherwise(pl.lit(derived_rank)).alias("rank"),
    )
    grown = set(spec.with_row_index().filter(pl.col("growth"))["index"])
    if grown:
        # Each indicator is one block of rows; growth replaces its indicators' blocks.
        n, previous = grid.size, grid.previous_year()
        blocks = [final.slice(i * n, n) for i in range(spec.height)]
        final = pl.concat([_growth(block, previous) if i in grown else block for i, block in enumerate(blocks)])
    return to_store(
        final.filter(pl.col("rank").is_not_null()).select(
            pl.lit(spec["id"]).gather(pl.col("i")).alias("ind"), *grid.decode(pl.col("cell")), "value", "rank"
        )
    )


def _growth(block: pl.DataFrame, previous: pl.Series) -> pl.DataFrame:
    """The rule of `growth` on one indicator's block: the previous year is a gather by cell."""
    block = block.with_columns(
        pl.col("value").gather(previous).alias("prev"), pl.col("rank").gather(previous).alias("prev_rank")
    )
    value, prev = pl.col("value"), pl.col("prev")
    valid = value.is_not_null() & prev.is_not_null() & (prev != 0)
    both = pl.col("rank").is_not_null() & pl.col("prev_rank").is_not_null()
    return block.select(
        "i",
        "cell",
        pl.when(valid).then((value / prev - 1) * 100).alias("value"),
        pl.when(both).then(pl.max_horizontal("rank", "prev_rank")).cast(pl.Int8).alias("rank"),
    )


def _frequency_values(indicators: list[Indicator], operands: Operands, membership: pl.DataFrame) -> pl.DataFrame:
    """Store rows of the indicators of one frequency."""
    grid = operands.grid
    spec = _spec(indicators, operands.slots)
    members = Members.of(membership, grid)
    values = _ratios(spec, operands, members.size.is_not_null())
    derived = _derived(_member_sums(values, members, grid), spec, grid, members)
    return _finish(values, derived, spec, grid)


def _compute(
    indicators: list[Indicator], rows: pl.LazyFrame, series: Mapping[str, BaseSeries], membership: pl.DataFrame
) -> pl.DataFrame:
    operands = _operand_grids(rows, _operands(indicators, series), series, membership["parent"].unique())
    by_frequency: dict[str, list[Indicator]] = {}
    for ind in indicators:
        by_frequency.setdefault(ind.frequency, []).append(ind)
    values = [_frequency_values(group, operands[frequency], membership) for frequency, group in by_frequency.items()]
    return pl.concat([to_store(pl.DataFrame(schema=VALUE_SCHEMA)), *values])


def compute_indicators(
    indicators: list[Indicator],
    rows_by_series: Mapping[str, pl.DataFrame] | Mapping[str, pl.LazyFrame],
    series: Mapping[str, BaseSeries],
    membership: pl.DataFrame,
) -> pl.DataFrame:
    """Every geography and period of the given indicators, in one vectorised pass, as a store frame."""
    frames = [
        f.lazy().select(pl.lit(sid, pl.String).alias("series"), *ROW_COLUMNS) for sid, f in rows_by_series.items()
    ]
    schema = {"series": pl.String, "geo": pl.String, "period": pl.String, "breakdown": pl.String}
    empty = pl.LazyFrame(schema=schema | {"value": pl.Float64, "rank": pl.Int8})
    return _compute(indicators, pl.concat([empty, *frames], how="vertical_relaxed"), series, membership)


def compute_all(
    indicators: Mapping[str, Indicator],
    series: Mapping[str, BaseSeries],
    base: pl.DataFrame,
    membership: pl.DataFrame,
) -> pl.DataFrame:
    """Every indicator from the base frame (store columns, with status)."""
    return _compute(list(indicators.values()), with_rank(base.lazy()), series, membership)
