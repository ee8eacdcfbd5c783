import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lokalkompas.analysis.benchmark import benchmark


def frame(values):
    return pl.DataFrame(
        {"geo": [f"{i:03d}" for i in range(len(values))], "value": values},
        schema={"geo": pl.String, "value": pl.Float64},
    )


def by_geo(out, column):
    return dict(zip(out["geo"], out[column], strict=True))


def test_lower_is_better_ranks_the_smallest_first_and_ties_share_a_rank():
    out = benchmark(frame([3.2, 2.8, 2.8, 3.5]), "lower_better")
    assert by_geo(out, "rank") == {"000": 3, "001": 1, "002": 1, "003": 4}
    assert by_geo(out, "percentile")["003"] == 0.0
    assert by_geo(out, "percentile")["001"] == 100.0


def test_quartiles_and_the_distance_to_the_best_quartile():
    values = [float(v) for v in range(1, 9)]  # 1..8, higher is better
    out = benchmark(frame(values), "higher_better")
    quartiles = by_geo(out, "quartile")
    assert [quartiles[f"{i:03d}"] for i in range(8)] == [4, 4, 3, 3, 2, 2, 1, 1]
    distance = by_geo(out, "distance_to_best_quartile")
    assert distance["007"] == 0.0  # 8 is inside the best quarter
    assert distance["000"] == pytest.approx(6.25 - 1.0)  # the 75th percentile of 1..8 is 6.25


def test_missing_values_get_no_rank_and_do_not_count():
    out = benchmark(frame([1.0, None, 3.0]), "higher_better")
    assert by_geo(out, "rank") == {"002": 1, "000": 2, "001": None}
    assert by_geo(out, "percentile")["001"] is None


def test_a_neutral_indicator_has_no_rank_only_a_position():
    out = benchmark(frame([1.0, 2.0, 3.0]), "neutral")
    assert out["rank"].null_count() == 3
    assert by_geo(out, "percentile")["002"] == 100.0


values_lists = st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=98)


@given(values_lists)
def test_ranks_lie_between_one_and_n_and_the_best_value_ranks_first(values):
    out = benchmark(frame(values), "higher_better")
    ranks = out["rank"].to_list()
    assert min(ranks) == 1 and max(ranks) <= len(values)
    best = max(values)
    assert all(r == 1 for r, v in zip(out["rank"], out["value"], strict=True) if v == best)
    assert all(0 <= p <= 100 for p in out["percentile"])


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=2, max_size=98, unique=True))
def test_flipping_the_polarity_reverses_the_rank(values):
    data = frame([float(v) for v in values])
    up = by_geo(benchmark(data, "higher_better"), "rank")
    down = by_geo(benchmark(data, "lower_better"), "rank")
    assert all(up[g] + down[g] == len(values) + 1 for g in up)


@given(
    st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)), min_size=1, max_size=30),
    st.sampled_from(["higher_better", "lower_better"]),
)
def test_ranking_every_indicator_at_once_agrees_with_the_single_benchmark(values, polarity):
    from lokalkompas.analysis.benchmark import rank_latest

    single = benchmark(frame(values), polarity)
    many = frame(values).with_columns(pl.lit("x").alias("series"), pl.lit("2025").alias("period"))
    older = many.with_columns(pl.lit("2024").alias("period"), pl.lit(0.0).alias("value"))
    ranked = rank_latest(pl.concat([older, many]), {"x": polarity})
    expected = {g: r for g, r in by_geo(single, "rank").items() if r is not None}
    if not expected:
        # Nothing in 2025 has a value, so the latest period with values is 2024 (all tied at 0).
        assert set(ranked["period"]) == {"2024"}
        return
    assert by_geo(ranked, "rank") == expected
    assert set(ranked["n"]) == {len(expected)}


def test_ranking_every_indicator_at_once_leaves_neutral_indicators_out():
    from lokalkompas.analysis.benchmark import rank_latest

    rows = frame([1.0, 2.0]).with_columns(pl.lit("n").alias("series"), pl.lit("2025").alias("period"))
    assert rank_latest(rows, {"n": "neutral"}).is_empty()
