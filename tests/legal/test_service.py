"""Legal rules against the database: the decision register, stored inputs, the history of results."""

import datetime as dt
import io

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lokalkompas.catalog.files import load_files
from lokalkompas.indicators.changes import changes_since
from lokalkompas.indicators.store import write_observations
from lokalkompas.legal.catalogue import RULES
from lokalkompas.legal.models import Decision, RuleEvaluation
from lokalkompas.legal.service import (
    DecisionError,
    evaluate_municipality,
    record_results,
    register_decision,
)

TODAY = dt.date(2026, 11, 27)


def by_rule(geo: str, today: dt.date = TODAY):
    return {r.rule: r for r in evaluate_municipality(geo, today)}


def test_every_computed_rule_is_in_the_catalogue_and_only_the_economy_rule_is_still_planned():
    catalogue = load_files().catalog
    assert catalogue is not None
    planned = {r.id for r in catalogue.sources.rules}
    computed = {r.id for r in RULES}
    assert computed <= planned
    assert planned - computed == {"serviceramme-overholdt"}


def test_a_registered_plan_meets_the_duty_and_the_change_is_recorded(registry):
    record_results(TODAY)
    assert by_rule("751")["beredskabsplan-pr-valgperiode"].outcome == "kan ikke afgøres"
    register_decision("751", "beredskabsplan", dt.date(2022, 9, 1), "KB 1/9 2022 pkt. 5", TODAY)
    assert by_rule("751")["beredskabsplan-pr-valgperiode"].outcome == "ikke opfyldt"
    register_decision("0751", "beredskabsplan", dt.date(2026, 9, 1), "KB 1/9 2026 pkt. 7", TODAY)
    assert by_rule("751")["beredskabsplan-pr-valgperiode"].outcome == "opfyldt"
    history = RuleEvaluation.objects.filter(rule="beredskabsplan-pr-valgperiode", geo_id="751").order_by("id")
    assert [e.outcome for e in history] == ["kan ikke afgøres", "ikke opfyldt", "opfyldt"]


def test_unchanged_results_are_not_stored_twice(registry):
    first = record_results(TODAY)
    assert first == 98 * len(RULES)
    assert record_results(TODAY) == 0


def test_a_changed_legal_result_appears_in_what_changed_since(registry):
    record_results(TODAY)
    since = timezone.now()
    register_decision("101", "danmarkskort", dt.date(2026, 10, 1), "KB 1/10 2026 pkt. 3", TODAY)
    found = [c for c in changes_since(since, geo="101") if c.kind == "lovkrav"]
    assert [(c.series, c.description) for c in found] == [
        ("danmarkskort-behandlet", "kan ikke afgøres → opfyldt"),
    ]
    assert changes_since(since, geo="751") == []


@pytest.mark.parametrize(
    ("municipality", "kind", "date", "reference", "message"),
    [
        ("999", "beredskabsplan", dt.date(2026, 1, 5), "x", "Ukendt kommunekode"),
        ("101", "beredskab", dt.date(2026, 1, 5), "x", "Ukendt beslutningstype"),
        ("101", "planstrategi", dt.date(2026, 12, 5), "x", "i fremtiden"),
        ("101", "planstrategi", dt.date(1996, 12, 5), "x", "tjek årstallet"),
        ("101", "planstrategi", dt.date(2026, 1, 5), "  ", "Angiv en henvisning"),
    ],
)
def test_bad_registrations_are_refused_with_a_danish_reason(registry, municipality, kind, date, reference, message):
    with pytest.raises(DecisionError, match=message):
        register_decision(municipality, kind, date, reference, TODAY)
    assert not Decision.objects.exists()


def test_the_same_decision_cannot_be_registered_twice(registry):
    register_decision("101", "planstrategi", dt.date(2026, 5, 5), "KB", TODAY)
    with pytest.raises(DecisionError, match="allerede registreret"):
        register_decision("101", "planstrategi", dt.date(2026, 5, 5), "KB igen", TODAY)


def normering_rows(geo: str, period: str, values: dict[str, float | None], status: str = "ok") -> pl.DataFrame:
    return pl.DataFrame(
        [(s, geo, period, "", v, status if v is not None else "missing") for s, v in values.items()],
        schema=["series", "geo", "period", "breakdown", "value", "status"],
        orient="row",
    )


FULL = {
    "upload-barneaar-0-2": 300.0,
    "upload-barneaar-3-5": 600.0,
    "upload-personale-0-2": 90.0,
    "upload-ledere-0-2": 6.0,
    "upload-studerende-0-2": 4.0,
    "upload-personale-3-5": 100.0,
    "boern8-normering-0-2": 2.9,
}


def test_minimumsnormering_reads_the_stored_child_years_and_staff(registry):
    write_observations(normering_rows("751", "2025", FULL), source="upload", label="normeringsgrundlag 2025")
    result = by_rule("751")["minimumsnormering"]
    assert result.outcome == "opfyldt" and result.period == "2025"
    assert result.margin == pytest.approx(0.0)
    assert result.details["offentliggjort_normering_0_2"] == 2.9
    assert not result.demo


def test_minimumsnormering_uses_the_newest_complete_year_and_says_when_nothing_is_stored(registry):
    write_observations(normering_rows("751", "2024", FULL), source="upload", label="2024")
    write_observations(
        normering_rows("751", "2025", {"upload-barneaar-0-2": 310.0, "boern8-normering-0-2": 3.1}),
        source="upload",
        label="2025, ufuldstændig",
    )
    assert by_rule("751")["minimumsnormering"].period == "2024"
    assert by_rule("101")["minimumsnormering"].outcome == "kan ikke afgøres"


def test_results_from_demo_data_are_marked_demo(registry):
    write_observations(normering_rows("751", "2025", FULL, status="demo"), source="demo", label="DEMO")
    assert by_rule("751")["minimumsnormering"].demo


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_lovkrav_prints_every_rule_for_a_municipality(registry):
    run(
        "beslutning",
        "tilfoej",
        "--kommune",
        "751",
        "--type",
        "nis2-politik",
        "--dato",
        "2026-03-01",
        "--henvisning",
        "Direktionen 1/3",
    )
    out = run("lovkrav", "--kommune", "751", "--dato", "2026-11-27")
    assert out.startswith("Lovkrav for Aarhus Kommune pr. 27. november 2026")
    for rule in RULES:
        assert rule.title in out
    assert "Resultat: OPFYLDT" in out and "Ledelsen godkendte informationssikkerhedspolitikken 1. marts 2026." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lovkrav",), "Angiv --kommune"),
        (("lovkrav", "--kommune", "12"), "Ukendt kommunekode"),
        (("lovkrav", "--kommune", "101", "--dato", "27-11-2026"), "ÅÅÅÅ-MM-DD"),
        (("beslutning", "slet", "4711"), "ingen registreret beslutning med nummer 4711"),
        (("beslutning", "list", "--kommune", "x"), "Ukendt kommunekode"),
    ],
)
def test_the_commands_refuse_bad_input_with_a_danish_message(registry, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_beslutning_lists_and_deletes_a_registration(registry):
    out = run(
        "beslutning",
        "tilfoej",
        "--kommune",
        "101",
        "--type",
        "planstrategi",
        "--dato",
        "2026-06-01",
        "--henvisning",
        "KB 1/6",
    )
    number = out.split("nr. ")[1].split(":")[0]
    assert "Planstrategi offentliggjort" in run("beslutning", "list", "--kommune", "101")
    run("beslutning", "slet", number)
    assert "ingen registrerede beslutninger" in run("beslutning", "list", "--kommune", "101")


def test_lovkrav_gem_stores_the_results_for_all_municipalities(registry):
    assert f"{98 * len(RULES)} resultater ændret" in run("lovkrav", "--gem", "--dato", "2026-11-27")
    assert RuleEvaluation.objects.count() == 98 * len(RULES)
