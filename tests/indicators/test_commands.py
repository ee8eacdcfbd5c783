"""`indicators` and `demo` commands: check, compute idempotently, docs up to date, demo refuses real data."""

import io

import pytest
from django.core.management import call_command

from lokalkompas.indicators.models import Observation, Revision, Vintage


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_shipped_definitions_pass_the_check_with_at_least_six_indicators_per_area():
    assert "Indikatorerne er i orden" in run("indicators", "check")
    from lokalkompas.catalog.schema import AREA_IDS
    from lokalkompas.indicators.definitions import shipped_definitions

    d = shipped_definitions()
    for area in AREA_IDS:
        assert len(d.for_area(area)) >= 6, area


def test_the_indicator_reference_is_up_to_date():
    # Fails when a definition changed without `lokalkompas indicators docs`.
    assert "er opdateret" in run("indicators", "docs", "--check")  # indikatorer.md and datakilder.md


def test_coverage_reaches_70_percent_overall():
    text = run("catalog", "coverage")
    total = next(line for line in text.splitlines() if line.startswith("I alt"))
    share = float(total.split()[-2].replace(",", "."))
    assert share >= 70


@pytest.fixture
def demo(demo_db, db):
    return None


def test_demo_load_labels_everything_demo_and_keeps_a_revision(demo):
    statuses = set(Observation.objects.values_list("status", flat=True).distinct())
    assert statuses <= {"demo", "missing", "confidential", "estimated"} | {"demo"}
    assert Observation.objects.filter(status="demo").exists()
    assert Revision.objects.filter(series__startswith="boern8-normering").exists()
    assert Revision.objects.filter(series__startswith="normering-").exists()  # the indicator followed
    assert set(Vintage.objects.values_list("source", flat=True)) == {"demo", "derived"}


def test_demo_load_twice_changes_nothing(demo):
    counts = (Observation.objects.count(), Vintage.objects.count(), Revision.objects.count())
    assert "allerede indlæst" in run("demo", "load")
    assert counts == (Observation.objects.count(), Vintage.objects.count(), Revision.objects.count())


def test_compute_is_idempotent(demo):
    assert run("indicators", "compute").startswith("Intet nyt")
