"""What changed since a date: new periods, revisions and registered sources."""

import datetime as dt

import polars as pl
import pytest
from django.utils import timezone

from lokalkompas.indicators import changes
from lokalkompas.indicators.changes import Change, changes_since
from lokalkompas.indicators.store import write_observations


def rows(*items):
    return pl.DataFrame(
        [(s, g, p, "", v, "ok") for s, g, p, v in items],
        schema=["series", "geo", "period", "breakdown", "value", "status"],
        orient="row",
    )


@pytest.fixture
def history(loaded):
    old = timezone.now() - dt.timedelta(days=60)
    write_observations(
        rows(("s", "751", "2023", 1.0), ("s", "101", "2023", 2.0)), source="statbank", label="A", loaded_at=old
    )
    # A new period and a revision, both recent.
    write_observations(rows(("s", "751", "2024", 1.5), ("s", "101", "2024", 2.5)), source="statbank", label="B")
    write_observations(rows(("s", "751", "2023", 1.2)), source="statbank", label="C")


def test_it_lists_new_periods_and_revisions_newest_first(history):
    found = changes_since(timezone.now() - dt.timedelta(days=30), geo="751")
    assert [(c.kind, c.period, c.old_value, c.new_value, c.source) for c in found] == [
        ("revideret", "2023", 1.0, 1.2, "C"),
        ("ny periode", "2024", None, 1.5, "B"),
    ]


def test_an_old_date_sees_the_first_load_as_new_and_a_future_date_sees_nothing(history):
    assert {c.period for c in changes_since(timezone.now() - dt.timedelta(days=90), geo="101")} == {"2023", "2024"}
    assert changes_since(timezone.now() + dt.timedelta(days=1)) == []


def test_registered_sources_are_included(history, monkeypatch):
    now = timezone.now()
    extra = Change("andet", "mål", "751", "2026", None, None, now, "Mål skiftede status")
    monkeypatch.setattr(changes, "CHANGE_SOURCES", [lambda since, geo: [extra]])
    assert changes_since(now - dt.timedelta(days=1), geo="751")[0] == extra
