"""The demo set is deterministic, believable and covers every indicator."""

import csv
from importlib import resources

import numpy as np
import polars as pl
import pytest

from lokalkompas.catalog.schema import AREA_IDS
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.demo import DemoConfig, Generator, Population, revised
from lokalkompas.indicators.derive import compute_all
from lokalkompas.indicators.frames import frame_checksum
from lokalkompas.registry.data import municipalities
from lokalkompas.registry.membership import membership_frame


@pytest.fixture(scope="module")
def generated() -> pl.DataFrame:
    return Generator(list(shipped_definitions().series.values())).generate()


@pytest.fixture(scope="module")
def indicator_values(generated) -> pl.DataFrame:
    d = shipped_definitions()
    return compute_all(d.indicators, d.series, generated, membership_frame())


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(generated):
    series = list(shipped_definitions().series.values())
    assert frame_checksum(Generator(series).generate()) == frame_checksum(generated)
    assert frame_checksum(Generator(series, DemoConfig(seed=7)).generate()) != frame_checksum(generated)


def test_every_value_is_demo_or_honestly_missing(generated):
    assert set(generated["status"].unique()) <= {"demo", "missing", "confidential"}
    assert (
        generated.filter(pl.col("status") != "demo")["value"].null_count()
        == generated.filter(pl.col("status") != "demo").height
    )
    assert generated.filter(pl.col("status") == "missing").height > 0
    assert generated.filter(pl.col("status") == "confidential").height > 0


def test_population_matches_the_real_anchor_years():
    real = {
        r["code"]: int(r["2020K1"])
        for r in csv.DictReader(
            resources.files("lokalkompas.indicators")
            .joinpath("demo_data", "folketal.csv")
            .read_text("utf-8")
            .splitlines(),
            delimiter=";",
        )
    }
    pop = Population(DemoConfig(), municipalities())
    j = pop.years.index(2020)
    for i, m in enumerate(pop.munis):
        assert pop.totals[i, j] == real[m.code]
        assert pop.by_age[i, j].sum() == real[m.code]  # the ages add up to the total


def test_population_2024_is_within_15_percent_of_the_real_figure():
    # Real 1 January 2024 figures (Danmarks Statistik, FOLK1A) for a spread of municipalities.
    real_2024 = {
        "101": 660_842,
        "751": 367_095,
        "461": 210_803,
        "851": 222_809,
        "825": 1_743,
        "492": 5_932,
        "400": 38_926,
    }
    pop = Population(DemoConfig(), municipalities())
    j = pop.years.index(2024)
    index = {m.code: i for i, m in enumerate(pop.munis)}
    for code, value in real_2024.items():
        assert abs(pop.totals[index[code], j] / value - 1) < 0.15, code


def test_age_structure_differs_by_municipality_group():
    pop = Population(DemoConfig(), municipalities())
    j = pop.years.index(2024)
    groups = np.array([m.group for m in pop.munis])
    old_share = pop.group(67, 100)[:, j] / pop.totals[:, j]
    assert old_share[groups == 5].mean() > old_share[groups == 1].mean() + 0.05


def test_levels_sit_around_the_national_figures_with_some_on_the_wrong_side_of_the_law(indicator_values):
    latest = indicator_values.filter(pl.col("period") == "2025")
    nursery = latest.filter((pl.col("series") == "normering-0-2") & (pl.col("geo").str.len_chars() == 3))
    national = nursery.filter(pl.col("geo") == "000")["value"].item()
    assert 2.6 < national < 3.2
    municipal = nursery.filter(~pl.col("geo").is_in(["000", "081", "082", "083", "084", "085"]))["value"].drop_nulls()
    assert (municipal > 3.0).sum() >= 3
    kindergarten = latest.filter((pl.col("series") == "normering-3-5") & (pl.col("geo") == "000"))["value"].item()
    assert 5.5 < kindergarten < 6.5


def test_every_indicator_covers_at_least_90_percent_of_municipality_period_cells(indicator_values):
    munis = {m.code for m in municipalities()}
    municipal = indicator_values.filter(pl.col("geo").is_in(list(munis)))
    for (series,), part in municipal.partition_by("series", as_dict=True).items():
        periods = part["period"].n_unique()
        with_value = part.filter(pl.col("value").is_not_null()).height
        assert with_value / (periods * len(munis)) >= 0.9, series
    assert set(municipal["series"].unique()) == set(shipped_definitions().indicators)


def test_the_revision_vintage_changes_a_few_normering_values(generated):
    changes = revised(generated)
    assert 0 < changes.height <= 12
    assert set(changes["series"].str.slice(0, 16).unique()) == {"boern8-normering"}


def test_the_projection_continues_the_observed_population_without_a_jump(generated):
    frame = generated.filter(pl.col("geo") == "751")
    observed = frame.filter((pl.col("series") == "befolkning-alder") & (pl.col("period") == "2025"))["value"].sum()
    projected = frame.filter(pl.col("series") == "befolkningsprognose")
    assert sorted(projected["period"].unique().to_list()) == [str(y) for y in range(2026, 2036)]
    first = projected.filter(pl.col("period") == "2026")["value"].sum()
    assert 0.97 < first / observed < 1.03  # one year of growth, not a new level
    assert projected["breakdown"].unique().len() == 101  # single ages 0..100


def test_the_own_prognosis_of_an_age_group_sits_close_to_the_projection(generated):
    frame = generated.filter((pl.col("geo") == "751") & (pl.col("period") == "2030"))
    by_age = frame.filter(pl.col("series") == "befolkningsprognose")
    projected = by_age.filter(pl.col("breakdown").cast(pl.Int32) >= 80)["value"].sum()
    own = frame.filter(pl.col("series") == "egen-prognose-80-plus")["value"].item()
    assert own != projected and 0.85 < own / projected < 1.15


def _wide(generated: pl.DataFrame, series: str) -> pl.DataFrame:
    munis = [m.code for m in municipalities()]
    return generated.filter((pl.col("series") == series) & pl.col("geo").is_in(munis)).select("geo", "period", "value")


def test_the_accounts_follow_the_budget_within_a_few_percent_for_every_closed_year(generated):
    for area in AREA_IDS:
        budget = _wide(generated, f"budget-{area}").rename({"value": "budget"})
        accounts = _wide(generated, f"regnskab-{area}").rename({"value": "accounts"})
        assert sorted(accounts["period"].unique()) == [str(y) for y in range(2019, 2026)], area
        joined = accounts.join(budget, on=["geo", "period"], how="left")
        assert joined["budget"].null_count() == 0, area  # every closed year has a budget to compare with
        deviation = joined["accounts"] / joined["budget"] - 1
        assert deviation.abs().max() < 0.15, area
        assert deviation.std() > 0.005, area  # not a copy of the budget


def test_social_accounts_mostly_overrun_and_the_overrun_differs_by_municipality(generated):
    budget = _wide(generated, "budget-social").rename({"value": "budget"})
    accounts = _wide(generated, "regnskab-social").join(budget, on=["geo", "period"])
    by_muni = accounts.group_by("geo").agg((pl.col("value") / pl.col("budget") - 1).mean().alias("dev"))
    assert 0.02 < by_muni["dev"].mean() < 0.06
    assert by_muni["dev"].std() > 0.005


def test_the_country_accounts_are_the_sum_of_the_municipalities(generated):
    munis = _wide(generated, "regnskab-skole").filter(pl.col("period") == "2023")["value"].sum()
    country = generated.filter(
        (pl.col("series") == "regnskab-skole") & (pl.col("geo") == "000") & (pl.col("period") == "2023")
    )["value"]
    assert country.to_list() == [pytest.approx(munis)]


def test_monthly_spending_keeps_its_own_years_when_the_budget_goes_further_back(generated):
    periods = _wide(generated, "forbrug-dagtilbud")["period"]
    assert periods.min() == "2024M01" and periods.max() == DemoConfig().last_month
    assert _wide(generated, "budget-dagtilbud")["period"].min() == "2019"


def test_an_accounts_series_must_follow_a_budget_series():
    every = shipped_definitions().series
    orphan = every["regnskab-skole"].model_copy(
        update={"demo": every["regnskab-skole"].demo.model_copy(update={"follows": "findes-ikke"})}
    )
    with pytest.raises(ValueError, match=r"demo\.follows skal pege på en budgetserie"):
        Generator([every["befolkning-alder"], orphan]).generate()


def test_cases_times_unit_prices_add_up_to_the_monthly_social_spending(generated):
    wanted = ["forbrug-social", "sager-boern-unge", "enhedspris-boern-unge", "sager-voksne", "enhedspris-voksne"]
    wide = generated.filter(pl.col("series").is_in(wanted)).pivot(on="series", index=["geo", "period"], values="value")
    children = pl.col("sager-boern-unge") * pl.col("enhedspris-boern-unge")
    adults = pl.col("sager-voksne") * pl.col("enhedspris-voksne")
    checked = wide.with_columns((children + adults).alias("activity"), (children / (children + adults)).alias("share"))
    assert checked.height == generated.filter(pl.col("series") == "forbrug-social").height  # every month has both
    gap = ((checked["activity"] - checked["forbrug-social"]).abs() / checked["forbrug-social"]).max()
    assert isinstance(gap, float) and gap < 0.01  # within the rounding of the price to 100 kr.
    # Children take 37 % and adults 63 % of the spending (KORA 2016: 16,9 and 28,8 mia. kr.).
    assert checked["share"].min() == pytest.approx(0.37, abs=0.01) and checked["share"].max() == pytest.approx(
        0.37, abs=0.01
    )


def test_the_case_counts_do_not_follow_the_ledgers_december_peak(generated):
    aarhus = generated.filter((pl.col("geo") == "751") & pl.col("period").is_in(["2025M11", "2025M12"]))
    by = {(r["series"], r["period"]): r["value"] for r in aarhus.iter_rows(named=True)}
    spending_rise = by[("forbrug-social", "2025M12")] / by[("forbrug-social", "2025M11")]
    cases_rise = by[("sager-voksne", "2025M12")] / by[("sager-voksne", "2025M11")]
    assert spending_rise > 1.05 and abs(cases_rise - 1) < abs(spending_rise - 1) / 2
    assert 1 <= by[("sager-voksne", "2025M11")] <= 15_000 and 5 <= by[("enhedspris-voksne", "2025M11")] <= 150


def test_a_cases_series_without_its_share_of_the_spending_is_a_catalogue_error(tmp_path):
    import shutil

    from lokalkompas.indicators.definitions import default_definitions_dir, load_definitions

    shutil.copytree(default_definitions_dir(), tmp_path / "definitions")
    path = tmp_path / "definitions" / "oekonomi.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("share: 0.37, ", ""), encoding="utf-8")
    outcome = load_definitions(tmp_path / "definitions")
    assert outcome.definitions is None
    assert [(e.file, e.problem) for e in outcome.errors if e.path.endswith("demo.share")] == [
        ("oekonomi.yaml", "sager skal have deres andel af forbruget")
    ]
