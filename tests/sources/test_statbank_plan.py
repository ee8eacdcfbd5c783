"""Planning requests: table editions, area variables, kontoplan prefixes, totals for named variables."""

from __future__ import annotations

import datetime as dt

import pytest

from lokalkompas.indicators.schema import BaseSeries, StatbankSource
from lokalkompas.sources.statbank.client import TableSummary
from lokalkompas.sources.statbank.parse import TableInfo, Variable
from lokalkompas.sources.statbank.plan import PlanError, plan_request, resolve_table


def summary(table_id: str, updated: str, active: bool = True) -> TableSummary:
    return TableSummary(table_id, table_id, dt.datetime.fromisoformat(updated), "2025", "2050", active)


def series(selection: dict, **kw) -> BaseSeries:
    data = {
        "id": "s",
        "name": "Serie",
        "unit": "antal",
        "frequency": "year",
        "source": {"kind": "statbank", "table": "REGK31", "selection": selection},
        "demo": {"kind": "level"},
    } | kw
    return BaseSeries.model_validate(data)


REGK31 = TableInfo(
    id="REGK31",
    text="Regnskaber",
    unit="1.000 kr.",
    updated=dt.datetime(2025, 6, 1, 8),
    suppressed_value="0",
    variables=(
        Variable(
            "OMRÅDE",
            "område",
            False,
            False,
            "Denmark_municipality_07",
            (("000", "Hele landet"), ("101", "København"), ("411", "Christiansø")),
        ),
        Variable(
            "FUNKTION",
            "funktion",
            False,
            False,
            None,
            (("52510", "5.25.10 Fælles formål"), ("52511", "5.25.11 Dagpleje"), ("52801", "5.28.01 Fælles formål")),
        ),
        Variable("DRANST", "dranst", False, False, None, (("1", "Drift"), ("3", "Anlæg"))),
        Variable("ART", "art", True, False, None, (("TOT", "I alt"), ("UE", "Udgifter"))),
        Variable("Tid", "tid", False, True, None, (("2022", "2022"), ("2023", "2023"), ("2024", "2024"))),
    ),
)


def test_the_newest_active_edition_of_a_yearly_table_is_found_through_the_table_list():
    tables = [summary("FRKM124", "2024-05-01T08:00:00", active=False), summary("FRKM125", "2025-05-01T08:00:00")]
    source = StatbankSource(kind="statbank", table="FRKM125", table_pattern="FRKM1??")
    assert resolve_table(source, tables) == "FRKM125"
    with pytest.raises(PlanError, match="FRKM2"):
        resolve_table(StatbankSource(kind="statbank", table="X", table_pattern="FRKM2??"), tables)


def test_kontoplan_functions_are_chosen_by_their_label_prefix_and_added_up():
    request = plan_request(series({"FUNKTION": "5.25.*", "DRANST": "1"}), "REGK31", REGK31, {"000", "101"})
    assert request.selection["FUNKTION"] == ["52510", "52511"]
    assert request.summed == ("FUNKTION",)
    assert request.selection["OMRÅDE"] == ["000", "101"]  # Christiansø is not one of ours
    assert request.selection["ART"] == ["TOT"]  # a variable the definition leaves open gets its total
    assert request.area == "OMRÅDE" and request.time == "Tid"


def test_since_limits_the_periods():
    request = plan_request(series({"FUNKTION": "5.25.*", "DRANST": "1"}), "REGK31", REGK31, {"101"}, since=2023)
    assert request.selection["Tid"] == ["2023", "2024"]


def test_an_unknown_value_or_variable_is_a_danish_plan_error():
    with pytest.raises(PlanError, match="værdien 9 findes ikke"):
        plan_request(series({"FUNKTION": "5.25.*", "DRANST": "9"}), "REGK31", REGK31, {"101"})
    with pytest.raises(PlanError, match="ingen variabel PASKAT"):
        plan_request(series({"FUNKTION": "5.25.*", "DRANST": "1", "PASKAT": "2"}), "REGK31", REGK31, {"101"})
    with pytest.raises(PlanError, match="vælg en værdi for variablen DRANST"):
        plan_request(series({"FUNKTION": "5.25.*"}), "REGK31", REGK31, {"101"})


def test_a_kontoplan_number_without_a_star_is_matched_on_the_labels_not_taken_as_a_code():
    whole = plan_request(series({"FUNKTION": "5.25", "DRANST": "1"}), "REGK31", REGK31, {"101"})
    assert whole.selection["FUNKTION"] == ["52510", "52511"]
    one = plan_request(series({"FUNKTION": "5.25.11", "DRANST": "1"}), "REGK31", REGK31, {"101"})
    assert one.selection["FUNKTION"] == ["52511"]
    # A function the table does not have is a Danish plan error, not a silent empty selection.
    with pytest.raises(PlanError, match=r"ingen værdi har en tekst, der begynder med 5\.28\.02"):
        plan_request(series({"FUNKTION": "5.28.02", "DRANST": "1"}), "REGK31", REGK31, {"101"})
