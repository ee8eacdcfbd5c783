"""The grid engine (compute_indicators, compute_all) against the rules stated on long frames.

`reference` composes the long-form rules of derive.py (sum_ages, to_year, ratio, aggregate_members,
growth) one operand at a time, the way the engine worked before it was made fast; the engine must give
the same rows, values and statuses on the demo data and on small random worlds full of edge cases.
"""

import random

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.demo import Generator
from lokalkompas.indicators.derive import (
    DerivationError,
    aggregate_members,
    compute_all,
    compute_indicators,
    growth,
    ratio,
    sum_ages,
    to_store,
    to_year,
    with_rank,
)
from lokalkompas.indicators.schema import BaseSeries, Indicator
from lokalkompas.registry.membership import membership_frame

KEYS = ["ind", "geo", "period"]
ORDER = ["series", "geo", "period", "breakdown"]


def reference(indicators, rows_by_series, series, membership):
    """The long-form pipeline: every operand, stacked per indicator, then ratio, aggregate and growth."""

    def operand(term, frequency):
        rows = rows_by_series[term.series]
        if term.ages is not None:
            rows = sum_ages(rows, *term.ages)
        else:
            rows = rows.filter(pl.col("breakdown") == "").select("geo", "period", "value", "rank")
        if (native := series[term.series].frequency) != frequency:
            rows = to_year(rows, native, series[term.series].to_year)
        return rows.select("geo", "period", pl.col("value").cast(pl.Float64), pl.col("rank").cast(pl.Int8))

    def stacked(pick):
        schema = {"geo": pl.String, "period": pl.String, "value": pl.Float64, "rank": pl.Int8, "ind": pl.String}
        frames = [pl.DataFrame(schema=schema)]
        for ind in indicators:
            if (term := pick(ind.formula)) is not None:
                frames.append(operand(term, ind.frequency).with_columns(pl.lit(ind.id).alias("ind")))
        return pl.concat(frames, how="vertical")

    def how(f):
        return "sum" if f.denominator is None and f.aggregate == "ratio_of_sums" else f.aggregate

    spec = pl.DataFrame(
        [(i.id, i.formula.scale, i.formula.denominator is not None, how(i.formula)) for i in indicators],
        schema={"ind": pl.String, "scale": pl.Float64, "has_den": pl.Boolean, "how": pl.String},
        orient="row",
    )
    values = ratio(stacked(lambda f: f.numerator), stacked(lambda f: f.denominator), spec.drop("how"))
    parents = membership["parent"].unique().implode()
    direct = values.filter(~pl.col("geo").is_in(parents) | pl.col("value").is_not_null())
    municipal = values.filter(pl.col("geo").is_in(membership["geo"].unique().implode()))
    derived = aggregate_members(municipal, membership, spec, stacked(lambda f: f.weight))
    derived = derived.join(direct.select(KEYS), on=KEYS, how="anti")
    combined = pl.concat([direct.select(*KEYS, "value", "rank"), derived], how="vertical_relaxed")
    grown = [i.id for i in indicators if i.formula.transform == "growth"]
    if grown:
        rest = combined.filter(~pl.col("ind").is_in(grown))
        combined = pl.concat([rest, growth(combined.filter(pl.col("ind").is_in(grown)))], how="vertical_relaxed")
    return to_store(combined)


def assert_same(engine, expected):
    assert_frame_equal(engine.sort(ORDER), expected.sort(ORDER), check_exact=False, rel_tol=1e-9, abs_tol=0)


def test_the_engine_agrees_with_the_rules_on_the_demo_data():
    d = shipped_definitions()
    base = Generator(list(d.series.values())).generate()
    membership = membership_frame()
    working = with_rank(base)
    rows = {sid: working.filter(pl.col("series") == sid) for sid in d.series}
    expected = reference(list(d.indicators.values()), rows, d.series, membership)
    assert_same(compute_all(d.indicators, d.series, base, membership), expected)


# A small world: two regions and the country; "x" is nobody's member and no parent.
MEMBERS = pl.DataFrame(
    {
        "geo": ["a", "b", "c", "d", "e", "f"] * 2,
        "parent": ["R1", "R1", "R1", "R2", "R2", "R2"] + ["000"] * 6,
    }
)
GEOS = ["a", "b", "c", "d", "e", "f", "x", "R1", "R2", "000"]
YEARS = [str(year) for year in range(2019, 2024)]


def base_series(sid, frequency="year", to_year="mean"):
    return BaseSeries.model_validate(
        {
            "id": sid,
            "name": f"Serie {sid}",
            "unit": "antal",
            "frequency": frequency,
            "to_year": to_year,
            "source": {"kind": "upload", "template": "t", "column": "c"},
            "demo": {"kind": "level"},
        }
    )


SERIES = {
    "n": base_series("n"),
    "d": base_series("d"),
    "w": base_series("w"),
    "pop": base_series("pop"),
    "qmean": base_series("qmean", "quarter", "mean"),
    "qfirst": base_series("qfirst", "quarter", "first"),
    "qlast": base_series("qlast", "quarter", "last"),
    "qsum": base_series("qsum", "quarter", "sum"),
    "nodata": base_series("nodata"),
}


def indicator(iid, frequency="year", **formula):
    return Indicator.model_validate(
        {
            "id": iid,
            "name": f"Indikator {iid}",
            "definition": "En definition.",
            "unit": "pct.",
            "decimals": 1,
            "polarity": "neutral",
            "frequency": frequency,
            "formula": formula,
        }
    )


def term(sid, ages=None):
    return {"series": sid} if ages is None else {"series": sid, "ages": list(ages)}


INDICATORS = [
    indicator("ratio", numerator=term("n"), denominator=term("d"), scale=100),
    indicator("sum", numerator=term("n")),
    indicator("weighted", numerator=term("n"), denominator=term("d"), aggregate="weighted_mean", weight=term("w")),
    indicator("mean", numerator=term("n"), aggregate="mean"),
    indicator("none", numerator=term("n"), denominator=term("d"), aggregate="none"),
    indicator("growth", numerator=term("n"), denominator=term("d"), transform="growth"),
    indicator("ages", numerator=term("pop", (2, 5)), denominator=term("pop", (0, 9)), scale=1000),
    indicator("ages-alone", numerator=term("pop", (7, 7))),
    indicator("plain-pop", numerator=term("pop"), denominator=term("d")),
    indicator("quarters", numerator=term("qmean"), denominator=term("qsum"), scale=10),
    indicator("first-last", numerator=term("qfirst"), denominator=term("qlast")),
    indicator("quarterly", "quarter", numerator=term("qmean"), denominator=term("qsum")),
    indicator("nodata", numerator=term("nodata"), denominator=term("d")),
    indicator("growth-of-quarters", numerator=term("qsum"), transform="growth"),
]


def random_rows(seed):
    """Rows of every series with gaps, missing and confidential values and some published parents."""
    rng = random.Random(seed)
    rows = []

    def add(sid, geo, period, breakdown=""):
        if rng.random() < 0.1:
            return
        if geo in ("R1", "R2", "000") and rng.random() < 0.5:
            return
        status = rng.choice(["ok", "ok", "provisional", "demo", "missing", "confidential"])
        value = None if status in ("missing", "confidential") else rng.choice([0.0, -1.0, rng.uniform(0, 100)])
        rows.append((sid, geo, period, breakdown, value, status))

    for geo in GEOS:
        for year in YEARS:
            for sid in ("n", "d", "w", "pop"):
                add(sid, geo, year)
            for age in range(10):
                add("pop", geo, year, str(age))
            add("pop", geo, year, "area-1")
            for quarter in range(1, 5):
                for sid in ("qmean", "qfirst", "qlast", "qsum"):
                    add(sid, geo, f"{year}K{quarter}")
    rows.append(("unread", "a", "2020", "", 1.0, "ok"))
    schema = ["series", "geo", "period", "breakdown", "value", "status"]
    return with_rank(pl.DataFrame(rows, schema=schema, orient="row"))


@pytest.mark.parametrize("seed", range(8))
def test_the_engine_agrees_with_the_rules_on_random_worlds(seed):
    base = random_rows(seed)
    rows = {sid: base.filter(pl.col("series") == sid) for sid in SERIES}
    expected = reference(INDICATORS, rows, SERIES, MEMBERS)
    assert expected.height > 0
    assert_same(compute_indicators(INDICATORS, rows, SERIES, MEMBERS), expected)


def test_no_rows_give_an_empty_store_frame():
    empty = random_rows(0).clear()
    out = compute_indicators(INDICATORS, {sid: empty for sid in SERIES}, SERIES, MEMBERS)
    assert out.height == 0
    assert out.schema == pl.Schema(
        {
            "series": pl.String,
            "geo": pl.String,
            "period": pl.String,
            "breakdown": pl.String,
            "value": pl.Float64,
            "status": pl.String,
        }
    )


def test_a_yearly_series_cannot_become_quarterly():
    wrong = indicator("wrong", "quarter", numerator=term("n"))
    with pytest.raises(DerivationError):
        compute_indicators([wrong], {"n": random_rows(0)}, SERIES, MEMBERS)
