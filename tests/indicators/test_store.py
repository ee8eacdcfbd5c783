"""The store keeps every revision and answers "what changed since" in one query."""

import datetime as dt

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lokalkompas.indicators.models import Observation, Revision, Vintage
from lokalkompas.indicators.store import read_observations, revisions_since, write_observations


def rows(*items):
    return pl.DataFrame(
        [(s, g, p, "", v, st) for s, g, p, v, st in items],
        schema=["series", "geo", "period", "breakdown", "value", "status"],
        orient="row",
    )


@pytest.fixture
def registry(loaded):
    return None


def test_a_changed_value_is_revised_and_the_old_one_kept(registry):
    first = write_observations(rows(("s", "751", "2024", 2.9, "provisional")), source="statbank", label="v1")
    second = write_observations(rows(("s", "751", "2024", 3.1, "ok")), source="statbank", label="v2")
    assert (first.inserted, second.revised) == (1, 1)
    current = Observation.objects.get(series="s", geo_id="751", period="2024")
    assert (current.value, current.status, current.vintage_id) == (3.1, "ok", second.vintage.pk)
    assert current.first_vintage_id == first.vintage.pk
    revision = Revision.objects.get()
    assert (revision.old_value, revision.old_status, revision.old_vintage_id) == (
        2.9,
        "provisional",
        first.vintage.pk,
    )
    assert (revision.new_value, revision.new_vintage_id) == (3.1, second.vintage.pk)


def test_an_identical_load_creates_no_vintage(registry):
    frame = rows(("s", "751", "2024", 2.9, "ok"), ("s", "101", "2024", None, "missing"))
    write_observations(frame, source="statbank", label="v1")
    again = write_observations(frame, source="statbank", label="v1 igen")
    assert again.vintage is None and again.unchanged == 2
    assert Vintage.objects.count() == 1


def test_missing_is_stored_as_null_never_zero(registry):
    write_observations(rows(("s", "751", "2024", None, "missing")), source="upload", label="u")
    assert Observation.objects.get().value is None


def test_a_value_without_a_number_must_say_why(registry):
    with pytest.raises(ValueError, match="værdi mangler"):
        write_observations(rows(("s", "751", "2024", None, "ok")), source="upload", label="u")
    assert not Vintage.objects.exists()


def test_what_changed_since_a_date_is_one_query(registry):
    old = timezone.now() - dt.timedelta(days=60)
    write_observations(
        rows(("s", "751", "2023", 1.0, "ok"), ("s", "751", "2024", 1.0, "ok")),
        source="statbank",
        label="a",
        loaded_at=old,
    )
    write_observations(
        rows(("s", "751", "2023", 1.5, "ok")),
        source="statbank",
        label="b",
        loaded_at=old + dt.timedelta(days=1),
    )
    write_observations(rows(("s", "751", "2024", 2.0, "ok")), source="statbank", label="c")
    with CaptureQueriesContext(connection) as queries:
        changed = revisions_since(timezone.now() - dt.timedelta(days=30))
        summary = [(r.period, r.old_value, r.new_value, r.new_vintage.label) for r in changed]
    assert summary == [("2024", 1.0, 2.0, "c")]
    assert len(queries) == 1


def test_reading_back_gives_the_same_frame(registry):
    frame = rows(("s", "751", "2024", 2.5, "demo"), ("s", "101", "2024", None, "confidential"))
    write_observations(frame, source="demo", label="d")
    back = read_observations(["s"]).sort("geo")
    assert back["value"].to_list() == [None, 2.5]
    assert back["status"].to_list() == ["confidential", "demo"]


def test_an_unknown_geography_code_is_rejected_before_anything_is_written(registry):
    with pytest.raises(ValueError, match="ukendt områdekode: 411"):
        write_observations(rows(("s", "411", "2024", 1.0, "ok")), source="upload", label="u")
    assert not Observation.objects.exists() and not Vintage.objects.exists()
