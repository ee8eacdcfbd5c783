"""Refresh from a local fake Statbank: incremental, atomic per table, revisions, recomputation."""

from __future__ import annotations

import datetime as dt

import pytest

from lokalkompas.indicators.definitions import Definitions
from lokalkompas.indicators.models import Observation, Revision, Vintage
from lokalkompas.indicators.schema import DefinitionFile
from lokalkompas.sources.statbank.client import ClientSettings, StatbankClient
from lokalkompas.sources.statbank.refresh import RefreshRefused, refresh

LEVEL = {"kind": "level", "ages": [0, 2]}
DEFINITIONS = Definitions(
    [
        DefinitionFile.model_validate(
            {
                "area": "dagtilbud",
                "series": [
                    {
                        "id": "befolkning-alder",
                        "name": "Folketal efter alder",
                        "unit": "personer",
                        "frequency": "year",
                        "breakdown": "age",
                        "source": {
                            "kind": "statbank",
                            "table": "FOLK1A",
                            "selection": {"KØN": "TOT", "CIVILSTAND": "TOT"},
                        },
                        "to_year": "first",
                        "demo": {"kind": "population"},
                    },
                    {
                        "id": "boern8-normering-0-2",
                        "name": "Normering 0-2",
                        "unit": "børn",
                        "frequency": "year",
                        "source": {"kind": "statbank", "table": "BOERN8", "selection": {"PASKAT": "2"}},
                        "aggregate": "published",
                        "demo": LEVEL,
                    },
                    {
                        "id": "boern8-normering-3-5",
                        "name": "Normering 3-5",
                        "unit": "børn",
                        "frequency": "year",
                        "source": {"kind": "statbank", "table": "BOERN8", "selection": {"PASKAT": "3"}},
                        "aggregate": "published",
                        "demo": LEVEL,
                    },
                    {
                        "id": "regk31-dagtilbud",
                        "name": "Regnskab dagtilbud",
                        "unit": "1.000 kr.",
                        "frequency": "year",
                        "source": {
                            "kind": "statbank",
                            "table": "REGK31",
                            "selection": {"FUNKTION": "5.25.*", "DRANST": "1", "ART": "TOT", "PRISENHED": "LOBM"},
                        },
                        "demo": {"kind": "count", "ages": [0, 5]},
                    },
                ],
                "indicators": [
                    {
                        "id": "normering-0-2",
                        "name": "Normering 0–2 år",
                        "definition": "Børn pr. voksen.",
                        "unit": "børn pr. voksen",
                        "decimals": 1,
                        "polarity": "lower_better",
                        "frequency": "year",
                        "formula": {"numerator": {"series": "boern8-normering-0-2"}},
                    },
                    {
                        "id": "normering-3-5",
                        "name": "Normering 3–5 år",
                        "definition": "Børn pr. voksen.",
                        "unit": "børn pr. voksen",
                        "decimals": 1,
                        "polarity": "lower_better",
                        "frequency": "year",
                        "formula": {"numerator": {"series": "boern8-normering-3-5"}},
                    },
                    {
                        "id": "udgift-pr-0-5",
                        "name": "Udgift pr. 0–5-årig",
                        "definition": "Regnskab pr. barn.",
                        "unit": "kr.",
                        "decimals": 0,
                        "polarity": "neutral",
                        "frequency": "year",
                        "formula": {
                            "numerator": {"series": "regk31-dagtilbud"},
                            "denominator": {"series": "befolkning-alder", "ages": [0, 5]},
                            "scale": 1000,
                        },
                    },
                ],
            }
        )
    ]
)


@pytest.fixture
def client(fake_statbank):
    settings = ClientSettings(base_url=fake_statbank.url, timeout=1.0, retries=2, rate=1000, backoff=0.01)
    with StatbankClient(settings) as c:
        yield c


def run(client, **kw):
    return refresh(DEFINITIONS, client, **kw)


def test_a_first_refresh_loads_every_table_and_computes_the_indicators(loaded, client):
    summary = run(client)
    assert summary.errors == []
    assert (summary.checked, summary.loaded, summary.skipped) == (3, 3, 0)
    assert set(Vintage.objects.filter(source="statbank").values_list("label", flat=True)) == {
        "FOLK1A",
        "BOERN8",
        "REGK31",
    }
    ages = Observation.objects.filter(series="befolkning-alder", geo_id="101", period="2024")
    assert sorted(ages.values_list("breakdown", flat=True)) == ["0", "1", "2", "3", "4", "5"]
    assert Observation.objects.filter(series="normering-0-2", geo_id="751").exists()
    assert Observation.objects.filter(series="udgift-pr-0-5", geo_id="101", value__isnull=False).exists()
    assert summary.indicators_recomputed


def test_a_second_run_with_nothing_new_changes_nothing(loaded, client, fake_statbank):
    run(client)
    before = (Vintage.objects.count(), Observation.objects.count(), Revision.objects.count())
    data_requests = len([r for r in fake_statbank.requests if r["path"].endswith("/data")])
    summary = run(client)
    assert (summary.loaded, summary.skipped) == (0, 3)
    assert before == (Vintage.objects.count(), Observation.objects.count(), Revision.objects.count())
    assert len([r for r in fake_statbank.requests if r["path"].endswith("/data")]) == data_requests


def test_a_changed_table_is_reloaded_and_its_changes_kept_as_revisions(loaded, client, fake_statbank):
    run(client)
    table = fake_statbank.tables["BOERN8"]
    old_value = table.value
    table.value = lambda c: (old_value(c) or 0) + 0.1 if c.get("PASKAT") == "2" else old_value(c)
    table.updated = table.updated + dt.timedelta(days=1)
    summary = run(client)
    assert (summary.loaded, summary.skipped) == (1, 2)
    assert summary.revisions > 0
    assert Revision.objects.filter(series="boern8-normering-0-2").exists()
    assert Revision.objects.filter(series="normering-0-2").exists()  # the indicator followed


def test_a_failure_mid_table_leaves_no_partial_rows(loaded, client, fake_statbank, monkeypatch):
    # BOERN8 carries two series. Its first data request succeeds; from the second on the service
    # fails on every retry, so the table as a whole must leave nothing behind.
    real_data = client.data
    calls = {"boern8": 0}

    def data(info, selection):
        if info.id == "BOERN8":
            calls["boern8"] += 1
            if calls["boern8"] == 2:
                fake_statbank.fail_next(3, "500")  # every attempt of this request (1 + 2 retries)
        return real_data(info, selection)

    monkeypatch.setattr(client, "data", data)
    summary = run(client, area="dagtilbud")
    assert calls["boern8"] == 2
    assert len(summary.errors) == 1 and summary.errors[0].startswith("BOERN8")
    assert "efter 3 forsøg" in summary.errors[0]
    assert not Observation.objects.filter(series__startswith="boern8").exists()
    assert not Vintage.objects.filter(label="BOERN8").exists()
    assert Vintage.objects.filter(label="REGK31").exists()  # the other tables were loaded


def test_refresh_refuses_a_demo_database(loaded, client):
    Vintage.objects.create(source="demo", label="DEMO", checksum="x")
    with pytest.raises(RefreshRefused, match="demodata"):
        run(client)


def test_since_limits_the_periods(loaded, client):
    run(client, since=2024)
    periods = set(Observation.objects.filter(series="boern8-normering-0-2").values_list("period", flat=True))
    assert periods == {"2024"}
