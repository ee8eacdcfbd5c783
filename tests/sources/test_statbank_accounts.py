"""Budgets (BUDK32) and accounts (REGK31) per economy area, planned by kontoplan prefix and loaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from lokalkompas.catalog.schema import AREA_IDS
from lokalkompas.indicators.definitions import Definitions, shipped_definitions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.indicators.schema import BaseSeries, DefinitionFile
from lokalkompas.sources.statbank.client import StatbankClient
from lokalkompas.sources.statbank.parse import TableInfo, Variable
from lokalkompas.sources.statbank.plan import PlanError, plan_request
from lokalkompas.sources.statbank.refresh import refresh
from tests.sources.conftest import client_for
from tests.sources.fake_statbank import FakeTable, FakeVariable

# Ids drop the dots and leading zeros; only the texts carry the kontoplan number.
FUNCTIONS = [
    ("52820", "5.28.20 Opholdssteder mv. for børn og unge"),
    ("52821", "5.28.21 Forebyggende foranstaltninger for børn og unge"),
    ("53850", "5.38.50 Botilbud til længerevarende ophold (§ 108)"),
    ("52514", "5.25.14 Integrerede daginstitutioner"),
    ("5880", "0.58.80 Redningsberedskab"),
]
BASE = {"52820": 1000, "52821": 200, "53850": 3000, "52514": 5000, "5880": 100}
AREA_SHARE = {"000": 50, "101": 6, "751": 3}
# Statsrefusion is booked as income (negative); anlæg must never be counted in operating figures.
DRANST_SHARE = {"1": 1.0, "2": -0.1, "3": 0.5}
ACCOUNT_YEARS = {"2023": 1.0, "2024": 1.1}
BUDGET_YEARS = {"2024": 1.2, "2025": 1.3}
AREAS = [("000", "Hele landet"), ("101", "København"), ("751", "Aarhus")]


def _value(years: dict[str, float]):
    def value(coords: dict[str, str]) -> float | None:
        area = coords.get("OMRÅDE") or coords["REGI07A"]
        base = BASE[coords["FUNKTION"]] * AREA_SHARE[area] * DRANST_SHARE[coords["DRANST"]]
        return round(base * years[coords["Tid"]])

    return value


def _table(table_id: str, area_variable: str, years: dict[str, float], updated: dt.datetime) -> FakeTable:
    return FakeTable(
        id=table_id,
        text="Kommunernes regnskaber på funktioner" if table_id == "REGK31" else "Kommunernes budgetter",
        unit="1.000 kr.",
        updated=updated,
        variables=[
            FakeVariable(area_variable, "område", list(AREAS), map="Denmark_municipality_07"),
            FakeVariable("FUNKTION", "funktion", list(FUNCTIONS), elimination=False),
            FakeVariable(
                "DRANST", "dranst", [("1", "1 Drift"), ("2", "2 Statsrefusion"), ("3", "3 Anlæg")], elimination=False
            ),
            FakeVariable("ART", "art", [("TOT", "Art i alt"), ("UE", "Udgifter")]),
            FakeVariable("PRISENHED", "prisenhed", [("LOBM", "1.000 kr. (løbende priser)")], elimination=False),
            FakeVariable("Tid", "tid", [(y, y) for y in years], time=True, elimination=False),
        ],
        value=_value(years),
    )


@pytest.fixture
def client() -> Iterator[StatbankClient]:
    tables = {
        "REGK31": _table("REGK31", "OMRÅDE", ACCOUNT_YEARS, dt.datetime(2025, 5, 28, 8, 0)),
        "BUDK32": _table("BUDK32", "REGI07A", BUDGET_YEARS, dt.datetime(2025, 2, 12, 8, 0)),
    }
    with client_for(tables) as c:
        yield c


def shipped(*ids: str) -> Definitions:
    """The shipped economy series of the given ids, alone (no indicators)."""
    every = shipped_definitions().series
    return Definitions([DefinitionFile(area="oekonomi", series=[every[i] for i in ids])])


def stored(series: str, geo: str) -> dict[str, float | None]:
    rows = Observation.objects.filter(series=series, geo_id=geo)
    return dict(rows.values_list("period", "value"))


def test_it_loads_the_social_budget_and_accounts_summing_the_functions_under_both_prefixes(loaded, client):
    summary = refresh(shipped("budget-social", "regnskab-social"), client, area="oekonomi")
    assert summary.errors == []
    assert (summary.checked, summary.loaded) == (2, 2)
    # Aarhus, accounts 2024: (1000 + 200 + 3000) x 3 x (drift 1 − refusion 0,1) x 1,1; not 5.25 or 0.58, no anlæg.
    assert stored("regnskab-social", "751") == {"2023": 11340.0, "2024": 12474.0}
    # Aarhus, budget 2025: 4200 x 3 x 0,9 x 1,3.
    assert stored("budget-social", "751") == {"2024": 13608.0, "2025": 14742.0}
    assert stored("budget-social", "000")["2025"] == 245700.0  # the country as DST publishes it: 4200 x 50 x 0,9 x 1,3
    assert set(Vintage.objects.filter(source="statbank").values_list("label", flat=True)) == {"BUDK32", "REGK31"}


def test_a_full_refresh_takes_the_economy_series_that_no_indicator_reads(loaded, client):
    summary = refresh(shipped("budget-dagtilbud", "regnskab-beredskab"), client)
    assert summary.errors == []
    assert stored("budget-dagtilbud", "101") == {"2024": 32400.0, "2025": 35100.0}  # 5000 x 6 x 0,9 x 1,2 | 1,3
    assert stored("regnskab-beredskab", "101") == {"2023": 540.0, "2024": 594.0}


def test_a_prefix_that_matches_no_function_gives_a_danish_error_and_loads_nothing(loaded, client):
    summary = refresh(shipped("regnskab-skole"), client)  # 3.22 is not in this table
    assert summary.loaded == 0
    assert summary.errors == [
        "REGK31: tabel REGK31, variabel FUNKTION: ingen værdi har en tekst, der begynder med 3.22."
    ]
    assert not Observation.objects.filter(series="regnskab-skole").exists()


# --- planning every shipped economy series against a table with functions for all eight areas -----------------

ALL_FUNCTIONS = (
    ("2201", "0.22.01 Fælles formål (jordforsyning)"),
    ("3880", "0.38.80 Naturforvaltningsprojekter"),
    ("4882", "0.48.82 Vedligeholdelse af vandløb"),
    ("5280", "0.52.80 Fælles formål (miljøbeskyttelse)"),
    ("5880", "0.58.80 Redningsberedskab"),
    ("13860", "1.38.60 Affaldshåndtering, fælles formål"),
    ("32201", "3.22.01 Folkeskoler"),
    ("32205", "3.22.05 Skolefritidsordninger"),
    ("46281", "4.62.81 Aktivitetsbestemt medfinansiering"),
    ("46288", "4.62.88 Sundhedspleje"),
    ("52514", "5.25.14 Integrerede daginstitutioner"),
    ("52821", "5.28.21 Forebyggende foranstaltninger for børn og unge"),
    ("53026", "5.30.26 Personlig og praktisk hjælp (frit valg)"),
    ("53850", "5.38.50 Botilbud til længerevarende ophold (§ 108)"),
    ("54661", "5.46.61 Introduktionsprogram m.v."),
    ("54865", "5.48.65 Seniorpension"),
    ("55773", "5.57.73 Kontant- og uddannelseshjælp"),
    ("55880", "5.58.80 Revalidering"),
    ("56890", "5.68.90 Driftsudgifter til den kommunale beskæftigelsesindsats"),
    ("57299", "5.72.99 Øvrige sociale formål"),
)


def _info(table: str, area_variable: str) -> TableInfo:
    return TableInfo(
        id=table,
        text=table,
        unit="1.000 kr.",
        updated=dt.datetime(2025, 6, 1, 8),
        suppressed_value="0",
        variables=(
            Variable(area_variable, "område", False, False, "Denmark_municipality_07", (("101", "København"),)),
            Variable("FUNKTION", "funktion", False, False, None, ALL_FUNCTIONS),
            Variable("DRANST", "dranst", False, False, None, (("1", "1 Drift"), ("2", "2 Statsrefusion"))),
            Variable("ART", "art", True, False, None, (("TOT", "Art i alt"),)),
            Variable("PRISENHED", "prisenhed", False, False, None, (("LOBM", "1.000 kr."),)),
            Variable("Tid", "tid", False, True, None, (("2024", "2024"),)),
        ),
    )


def _functions(series: BaseSeries) -> set[str]:
    info = _info("BUDK32", "REGI07A") if series.id.startswith("budget-") else _info("REGK31", "OMRÅDE")
    return set(plan_request(series, info.id, info, {"101"}).selection["FUNKTION"])


def test_every_economy_area_plans_its_budget_and_accounts_on_the_same_functions():
    every = shipped_definitions().series
    for area in AREA_IDS:
        budget, accounts = every[f"budget-{area}"], every[f"regnskab-{area}"]
        assert _functions(budget) == _functions(accounts) != set(), area
        assert budget.source.selection["DRANST"] == accounts.source.selection["DRANST"], area


def test_no_function_is_counted_in_two_economy_areas():
    every = shipped_definitions().series
    chosen = {area: _functions(every[f"regnskab-{area}"]) for area in AREA_IDS}
    for area, functions in chosen.items():
        others = set().union(*(f for a, f in chosen.items() if a != area))
        assert not functions & others, area
    assert chosen["beredskab"] == {"5880"} and "5880" not in chosen["plan-klima-miljoe"]
    assert chosen["social"] == {"52821", "53850"}


def test_a_budget_series_without_funktion_is_refused_in_danish():
    budget = shipped_definitions().series["budget-social"]
    source = budget.source.model_copy(update={"selection": {"DRANST": "1", "ART": "TOT", "PRISENHED": "LOBM"}})
    without = budget.model_copy(update={"source": source})
    with pytest.raises(PlanError, match="vælg en værdi for variablen FUNKTION"):
        _functions(without)
