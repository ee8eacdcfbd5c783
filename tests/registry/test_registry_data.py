import re
from collections import Counter

from lokalkompas.registry import data


def test_there_are_98_municipalities_with_unique_three_digit_codes():
    codes = [m.code for m in data.municipalities()]
    assert len(codes) == 98
    assert len(set(codes)) == 98
    assert all(re.fullmatch(r"\d{3}", c) for c in codes)


def test_christiansoe_is_not_a_municipality():
    assert data.municipality_by_code("411") is None


def test_the_five_regions_have_dst_codes_081_to_085_and_all_have_municipalities():
    assert [r.code for r in data.regions()] == ["081", "082", "083", "084", "085"]
    per_region = Counter(m.region_code for m in data.municipalities())
    assert set(per_region) == {"081", "082", "083", "084", "085"}
    # Public facts: Nordjylland 11, Midtjylland 19, Syddanmark 22, Hovedstaden 29, Sjælland 17.
    assert per_region == {"081": 11, "082": 19, "083": 22, "084": 29, "085": 17}


def test_every_municipality_group_is_used():
    per_group = Counter(m.group for m in data.municipalities())
    assert set(per_group) == {g.number for g in data.groups()} == {1, 2, 3, 4, 5}
    storby = {m.name for m in data.municipalities() if m.group == 2}
    assert storby == {"Aarhus", "Odense", "Aalborg"}  # København and Frederiksberg are Hovedstadskommuner


def test_known_municipalities_have_the_right_region_and_group():
    copenhagen = data.municipality_by_code("101")
    aarhus = data.municipality_by_code("751")
    aeroe = data.municipality_by_code("492")
    assert copenhagen is not None and (copenhagen.name, copenhagen.region_code, copenhagen.group) == (
        "København",
        "084",
        1,
    )
    assert aarhus is not None and (aarhus.name, aarhus.region_code, aarhus.group) == ("Aarhus", "082", 2)
    assert aeroe is not None and (aeroe.name, aeroe.region_code, aeroe.group) == ("Ærø", "083", 5)


def test_names_keep_their_danish_letters():
    names = {m.name for m in data.municipalities()}
    for name in ("Ærø", "Tårnby", "Høje-Taastrup", "Brønderslev", "Læsø", "Sønderborg", "Allerød", "Furesø"):
        assert name in names
    assert not any("Ã" in n or "?" in n for n in names)


def test_representative_points_lie_in_denmark():
    for m in data.municipalities():
        assert 54.5 < m.latitude < 57.8, m
        assert 8.0 < m.longitude < 15.2, m  # Bornholm is the easternmost


def test_region_names_are_official():
    assert {r.name for r in data.regions()} == {
        "Region Nordjylland",
        "Region Midtjylland",
        "Region Syddanmark",
        "Region Hovedstaden",
        "Region Sjælland",
    }


def test_official_names_are_used_in_running_text():
    names = {m.code: m.official_name for m in data.municipalities()}
    assert names["101"] == "Københavns Kommune"
    assert names["400"] == "Bornholms Regionskommune"
    assert names["751"] == "Aarhus Kommune"
    assert names["482"] == "Langeland Kommune"
