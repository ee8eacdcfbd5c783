"""Derivations against values computed by hand."""

import polars as pl
import pytest

from lokalkompas.indicators.derive import (
    aggregate_members,
    compute_indicators,
    growth,
    ratio,
    sum_ages,
    to_year,
    with_rank,
)
from lokalkompas.indicators.schema import BaseSeries, Indicator


def spec(how="ratio_of_sums", scale=1.0, has_den=True):
    return pl.DataFrame({"ind": ["i"], "scale": [scale], "has_den": [has_den], "how": [how]})


def tagged(data):
    return pl.DataFrame(data).with_columns(pl.lit("i").alias("ind"), pl.col("rank").cast(pl.Int8))


MEMBERS = pl.DataFrame({"geo": ["a", "b", "c", "a", "b", "c"], "parent": ["R", "R", "R", "000", "000", "000"]})


def frame(rows, status="ok"):
    data = [(s, g, p, b, v, status if v is not None else "missing") for s, g, p, b, v in rows]
    schema = ["series", "geo", "period", "breakdown", "value", "status"]
    return with_rank(pl.DataFrame(data, schema=schema, orient="row"))


def series(sid, **kw):
    base = {
        "id": sid,
        "name": f"Serie {sid}",
        "unit": "antal",
        "frequency": "year",
        "source": {"kind": "upload", "template": "t", "column": "c"},
    }
    base["demo"] = {"kind": "level"}
    return BaseSeries.model_validate(base | kw)


def indicator(**formula):
    return Indicator.model_validate(
        {
            "id": "ind",
            "name": "Ind",
            "definition": "En definition.",
            "unit": "pct.",
            "decimals": 1,
            "polarity": "neutral",
            "frequency": "year",
            "formula": formula,
        }
    )


def test_age_groups_are_sums_of_single_years_and_missing_if_an_age_is_missing():
    rows = frame(
        [("pop", "a", "2024", str(age), 10.0 + age) for age in range(6)]
        + [("pop", "b", "2024", str(age), None if age == 3 else 1.0) for age in range(6)]
    )
    out = sum_ages(rows, 0, 2).sort("geo")
    assert out.filter(pl.col("geo") == "a")["value"].item() == 10 + 11 + 12
    assert out.filter(pl.col("geo") == "b")["value"].item() == 3
    missing = sum_ages(rows, 2, 4).filter(pl.col("geo") == "b")
    assert missing["value"].item() is None


def test_yearly_from_quarters_by_rule():
    quarters = frame([("s", "a", f"2024K{q}", "", float(q)) for q in range(1, 5)])
    rows = quarters.select("geo", "period", "value", "rank")
    assert to_year(rows, "quarter", "first")["value"].item() == 1
    assert to_year(rows, "quarter", "last")["value"].item() == 4
    assert to_year(rows, "quarter", "sum")["value"].item() == 10
    assert to_year(rows, "quarter", "mean")["value"].item() == 2.5
    incomplete = rows.filter(pl.col("period") != "2024K3")
    assert to_year(incomplete, "quarter", "sum")["value"].item() is None


def test_ratio_per_1000_and_zero_denominator_is_missing():
    num = tagged({"geo": ["a", "b"], "period": ["2024", "2024"], "value": [12.0, 5.0], "rank": [0, 0]})
    den = tagged({"geo": ["a", "b"], "period": ["2024", "2024"], "value": [4000.0, 0.0], "rank": [0, 0]})
    out = ratio(num, den, spec(scale=1000)).sort("geo")
    assert out["value"].to_list() == [3.0, None]


def test_regional_value_is_a_ratio_of_sums_not_a_mean_of_ratios():
    # a: 1/10 = 10 %, b: 9/90 = 10 %... make them differ: a 1/10 (10 %), b 30/100 (30 %), c 0/10 (0 %).
    values = tagged(
        {
            "geo": ["a", "b", "c"],
            "period": ["2024"] * 3,
            "value": [10.0, 30.0, 0.0],
            "rank": [0, 0, 0],
            "num": [1.0, 30.0, 0.0],
            "den": [10.0, 100.0, 10.0],
        }
    )
    out = aggregate_members(values, MEMBERS, spec(scale=100)).sort("geo")
    region = out.filter(pl.col("geo") == "R")["value"].item()
    assert region == pytest.approx(31 / 120 * 100)  # 25.83 %, where the plain mean would say 13.3 %


def test_weighted_mean_uses_the_weights():
    values = tagged({"geo": ["a", "b", "c"], "period": ["2024"] * 3, "value": [2.0, 4.0, 6.0], "rank": [0] * 3})
    values = values.with_columns(pl.lit(None, pl.Float64).alias("num"), pl.lit(None, pl.Float64).alias("den"))
    weights = tagged({"geo": ["a", "b", "c"], "period": ["2024"] * 3, "value": [1.0, 1.0, 2.0], "rank": [0] * 3})
    out = aggregate_members(values, MEMBERS, spec("weighted_mean"), weights)
    assert out.filter(pl.col("geo") == "000")["value"].item() == pytest.approx((2 + 4 + 12) / 4)


def test_an_incomplete_aggregate_is_estimated_and_a_sum_needs_every_member():
    values = tagged({"geo": ["a", "b", "c"], "period": ["2024"] * 3, "value": [2.0, None, 6.0], "rank": [0, 4, 0]})
    values = values.with_columns(pl.lit(None, pl.Float64).alias("num"), pl.lit(None, pl.Float64).alias("den"))
    mean = aggregate_members(values, MEMBERS, spec("mean")).filter(pl.col("geo") == "R")
    assert mean["value"].item() == 4.0 and mean["rank"].item() == 2  # estimated
    total = aggregate_members(values, MEMBERS, spec("sum")).filter(pl.col("geo") == "R")
    assert total["value"].item() is None


def test_growth_in_per_cent():
    values = tagged({"geo": ["a", "a"], "period": ["2023", "2024"], "value": [200.0, 210.0], "rank": [0, 0]})
    out = growth(values)
    assert out["period"].to_list() == ["2024"] and out["value"].item() == pytest.approx(5.0)


def test_compute_indicator_takes_published_region_values_and_derives_missing_ones():
    base = frame(
        [("n", g, "2024", "", v) for g, v in [("a", 1.0), ("b", 30.0), ("c", 0.0), ("R", 50.0)]]
        + [("d", g, "2024", "", v) for g, v in [("a", 10.0), ("b", 100.0), ("c", 10.0), ("R", 100.0)]]
    )
    rows = {sid: part for (sid,), part in base.partition_by("series", as_dict=True).items()}
    ind = indicator(numerator={"series": "n"}, denominator={"series": "d"}, scale=100)
    out = compute_indicators([ind], rows, {"n": series("n"), "d": series("d")}, MEMBERS)
    values = dict(zip(out["geo"], out["value"], strict=True))
    assert values["R"] == 50.0  # published 50 / 100
    assert values["000"] == pytest.approx(31 / 120 * 100)  # not published: from the members' sums
    assert values["a"] == pytest.approx(10.0)
    assert set(out["status"]) == {"ok"}


def test_worst_input_status_wins_and_missing_is_never_zero():
    base = pl.concat(
        [
            frame([("n", "a", "2024", "", 5.0)], status="demo"),
            frame([("d", "a", "2024", "", 10.0)], status="provisional"),
            frame([("n", "b", "2024", "", None)]),
            frame([("d", "b", "2024", "", 10.0)]),
        ]
    )
    rows = {sid: part for (sid,), part in base.partition_by("series", as_dict=True).items()}
    ind = indicator(numerator={"series": "n"}, denominator={"series": "d"})
    out = compute_indicators([ind], rows, {"n": series("n"), "d": series("d")}, MEMBERS)
    by_geo = {r["geo"]: r for r in out.iter_rows(named=True)}
    assert by_geo["a"]["status"] == "demo" and by_geo["a"]["value"] == 0.5
    assert by_geo["b"]["status"] == "missing" and by_geo["b"]["value"] is None


def test_regions_and_country_each_sum_their_own_members():
    members = pl.DataFrame({"geo": ["a", "b", "c", "a", "b", "c"], "parent": ["R1", "R1", "R2", "000", "000", "000"]})
    values = tagged(
        {
            "geo": ["a", "b", "c"],
            "period": ["2024"] * 3,
            "value": [1.0, 2.0, 4.0],
            "rank": [0, 0, 0],
            "num": [1.0, 2.0, 4.0],
            "den": [10.0, 10.0, 10.0],
        }
    )
    out = {r["geo"]: r["value"] for r in aggregate_members(values, members, spec(scale=100)).iter_rows(named=True)}
    assert out == {"R1": pytest.approx(15.0), "R2": pytest.approx(40.0), "000": pytest.approx(700 / 30)}
