"""The population projection through the connector: the newest FRKM1yy edition, both sexes added, the
open top age group ("100-") kept as age 100."""

from __future__ import annotations

import dataclasses

import pytest

from lokalkompas.indicators.definitions import Definitions, shipped_definitions
from lokalkompas.indicators.models import Observation
from lokalkompas.indicators.schema import DefinitionFile
from lokalkompas.sources.statbank.refresh import refresh
from tests.sources.conftest import client_for
from tests.sources.fake_statbank import FakeVariable, default_tables

PERSONS = {"0": 6000, "1": 6100, "100-": 90}  # per sex, København, every year


def projection_tables():
    tables = default_tables()
    ages = FakeVariable(
        "ALDER", "alder", [("TOT", "Alder i alt"), ("0", "0 år"), ("1", "1 år"), ("100-", "100 år og derover")]
    )
    frkm = tables["FRKM125"]
    variables = [ages if v.id == "ALDER" else v for v in frkm.variables]
    tables["FRKM125"] = dataclasses.replace(frkm, variables=variables, value=lambda c: PERSONS.get(c["ALDER"], 1))
    return tables


@pytest.fixture
def client():
    with client_for(projection_tables()) as c:
        yield c


def test_the_projection_is_read_from_the_newest_edition_by_single_age_with_the_top_group(loaded, client):
    series = shipped_definitions().series["befolkningsprognose"]
    definitions = Definitions([DefinitionFile(area="struktur", series=[series])])
    summary = refresh(definitions, client)
    assert summary.errors == [] and summary.loaded == 1
    rows = Observation.objects.filter(series="befolkningsprognose", geo_id="101", period="2026")
    assert dict(rows.values_list("breakdown", "value")) == {"0": 12000.0, "1": 12200.0, "100": 180.0}
    assert not Observation.objects.filter(series="befolkningsprognose", breakdown="").exists()  # TOT not read
