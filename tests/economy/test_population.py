"""The demographic model with the store: projections (DST's and the own), defaults, budgets, the page."""

import polars as pl
import pytest
from django.test import Client

from lokalkompas.economy.demography import demand, pressure_sentence
from lokalkompas.economy.population import (
    DST,
    OWN,
    STANDARD,
    assumptions,
    available_sources,
    budgets,
    combine,
    defaults,
    pressure,
    projection,
)
from lokalkompas.indicators.store import write_observations


def frame(rows):
    return pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")


def dst_rows(geo: str = "751", status: str = "ok"):
    """DST's projection: 100 persons at every age in 2026, 2027 with 10 more at 80 and every age above."""
    rows = [("befolkningsprognose", geo, "2026", str(a), 100.0, status) for a in range(101)]
    rows += [("befolkningsprognose", geo, "2027", str(a), 100.0 + 10 * (a >= 80), status) for a in range(101)]
    return rows


def test_the_own_prognosis_sets_each_group_and_dst_splits_it_into_ages():
    dst = {2026: {a: (2.0 if a == 0 else 1.0) for a in range(101)}}
    own = {2026: {"0-2": 80.0, "67-plus": 50.0, "80-plus": 21.0}}
    ages = combine(own, dst)[2026]
    assert [ages[a] for a in (0, 1, 2)] == pytest.approx([40.0, 20.0, 20.0])  # DST's 2:1:1 within 0–2
    assert sum(ages[a] for a in range(80, 101)) == pytest.approx(21.0)
    assert sum(ages[a] for a in range(67, 80)) == pytest.approx(50.0 - 21.0)  # 67+ minus 80+
    assert ages[40] == 1.0  # outside the groups: DST's


def test_without_dst_an_own_group_is_split_evenly():
    ages = combine({2030: {"6-16": 110.0}}, {})[2030]
    assert [ages[a] for a in range(6, 17)] == pytest.approx([10.0] * 11)


def test_the_store_gives_dst_or_the_own_prognosis_as_chosen(registry):
    own = [("egen-prognose-80-plus", "751", "2026", "", 2520.0, "ok")]
    write_observations(frame(dst_rows() + own), source="upload", label="test")
    assert available_sources("751") == [OWN, DST]
    assert available_sources("101") == []
    dst = projection("751", DST)
    assert dst is not None and dst.source == DST and dst.years[2026][80] == 100.0 and not dst.demo
    chosen = projection("751")
    assert chosen is not None and chosen.source == OWN and list(chosen.years) == [2026]
    assert sum(chosen.years[2026][a] for a in range(80, 101)) == pytest.approx(2520.0)
    assert projection("101") is None


def test_defaults_come_from_the_municipalitys_own_latest_values_and_say_so(registry):
    rows = [
        ("daekningsgrad-0-2", "751", "2024", "", 60.0, "ok"),
        ("daekningsgrad-0-2", "751", "2025", "", 65.5, "ok"),
        ("klassekvotient", "751", "2025", "", 21.6, "ok"),
        ("aed07-plejebolig-67", "751", "2025", "", 300.0, "ok"),
    ]
    rows += [("befolkning-alder", "751", "2025", str(a), 100.0, "ok") for a in range(80, 101)]  # 2.100 aged 80+
    write_observations(frame(rows), source="upload", label="test")
    found = defaults("751")
    assert found["coverage_0_2"].value == pytest.approx(0.655) and "2025" in found["coverage_0_2"].note
    assert found["class_size"].value == 22
    assert found["nursing_80"].value == pytest.approx(300 / 2100)
    assert found["coverage_3_5"].value == STANDARD["coverage_3_5"] and "standardantagelse" in found["coverage_3_5"].note


def test_todays_budget_is_the_corrected_one_where_there_is_one(registry):
    rows = [
        ("budget-aeldre", "751", "2026", "", 3_000_000.0, "ok"),
        ("korrigeret-budget-aeldre", "751", "2026", "", 3_100_000.0, "ok"),
        ("budget-skole", "751", "2026", "", 2_000_000.0, "ok"),
    ]
    write_observations(frame(rows), source="upload", label="test")
    found = budgets("751", 2026)
    assert (found["aeldre"].amount, found["aeldre"].kind) == (3_100_000.0, "korrigeret budget")
    assert found["skole"].amount == 2_000_000.0 and "dagtilbud" not in found


def test_the_pressure_sentence_names_the_change_and_its_cost():
    values = {k: float(v) for k, v in STANDARD.items()}
    dst = {2026: {a: 100.0 for a in range(101)}, 2030: {a: 100.0 + 10 * (a >= 80) for a in range(101)}}
    first, last = demand(dst, assumptions(values, 1.0), 2026)
    text = pressure_sentence("aeldre", first, last)
    # 210 more aged 80+ (10 %), at 12 % in nursing places of 480.000 kr. and 10 % home help of 95.000 kr.
    extra = 210 * (0.12 * 480 + 0.10 * 95)
    assert text.startswith("Antallet af 80-årige og ældre vokser med 10,0 % fra 2026 til 2030")
    assert f"{extra / 1000:.1f}".replace(".", ",") + " mio. kr. mere om året i 2030" in text
    assert "er stort set uændret" in pressure_sentence("skole", first, last)
    with pytest.raises(ValueError):
        pressure_sentence("social", first, last)


def test_the_demography_page_shows_demand_per_year_and_takes_a_scenario(registry):
    write_observations(frame(dst_rows()), source="upload", label="test")
    client = Client()
    client.cookies["kommune"] = "751"
    page = client.get("/oekonomi/demografi/").content.decode()
    assert "Demografi og fremtidens efterspørgsel i Aarhus" in page
    assert "Danmarks Statistiks befolkningsfremskrivning" in page and "Vis data som tabel" in page
    # 300 children aged 0–2 at the standard 70 % coverage: 210 places, 70 staff at 1:3 with 3–5 at 1:6.
    assert ">210<" in page and "standardantagelse" in page
    assert '<th scope="row">2026</th>' in page and "2.026" not in page  # a year is not a number with a dot
    scenario = client.get("/oekonomi/demografi/", {"prognose": "dst", "kompensation": "0"} | _fields("50")).content
    text = scenario.decode()
    assert ">150<" in text  # 0–2 at 50 %
    refused = client.get("/oekonomi/demografi/", {"prognose": "dst", "kompensation": "150"} | _fields("50"))
    assert (
        "Demografiregulering (%)" in refused.content.decode()
        and "Scenariet kan ikke beregnes" in refused.content.decode()
    )
    nothing = Client().get("/oekonomi/demografi/", headers={"cookie": "kommune=101"}).content.decode()
    assert "ingen befolkningsprognose" in nothing


def _fields(share: str) -> dict[str, str]:
    costs = {f: "100000" for f in ("pris_plads_0_2", "pris_plads_3_5", "pris_elev", "pris_hjemmehjaelp")}
    return {
        "daekning_0_2": share,
        "daekning_3_5": "90",
        "skoleandel": "80",
        "klassestoerrelse": "22",
        "hjemmehjaelp_67": "10",
        "plejebolig_80": "12",
        "pris_plejebolig": "450000",
    } | costs


def test_the_brief_block_has_a_sentence_per_area_or_nothing_without_a_projection(registry):
    write_observations(frame(dst_rows()), source="upload", label="test")
    found = pressure("751", 2026, years_ahead=1)
    assert set(found) == {"dagtilbud", "skole", "aeldre"}
    assert found["aeldre"].startswith("Antallet af 80-årige og ældre vokser med 10,0 % fra 2026 til 2027")
    assert pressure("751", 2025) == {} and pressure("101", 2026) == {}
