"""Demo commands that change the database: each test starts from an empty store."""

import io

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.indicators.store import write_observations


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_demo_refuses_a_database_with_real_data(loaded):
    frame = pl.DataFrame(
        [("befolkning", "751", "2024K1", "", 367095.0, "ok")],
        schema=["series", "geo", "period", "breakdown", "value", "status"],
        orient="row",
    )
    write_observations(frame, source="statbank", label="FOLK1A")
    with pytest.raises(CommandError, match="rigtige data"):
        run("demo", "load")
    assert Observation.objects.count() == 1


def test_demo_clear_removes_it(loaded):
    from lokalkompas.indicators.definitions import Definitions, shipped_definitions
    from lokalkompas.indicators.demo import DemoConfig
    from lokalkompas.indicators.service import load_demo

    # A small set (structure and daycare only) keeps this test fast.
    small = Definitions([f for f in shipped_definitions().files if f.area in ("struktur", "dagtilbud")])
    load_demo(small, DemoConfig())
    assert Observation.objects.exists()
    run("demo", "clear")
    assert not Observation.objects.exists() and not Vintage.objects.exists()


def test_demo_load_refuses_in_production_and_creates_nothing(loaded, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="LOKALKOMPAS_ENV=production"):
        run("demo", "load")
    from django.contrib.auth import get_user_model

    assert not Observation.objects.exists() and not get_user_model().objects.exists()


def test_make_runs_demo_load_steps_aside_quietly_for_real_data(loaded):
    frame = pl.DataFrame(
        [("befolkning", "751", "2024K1", "", 367095.0, "ok")],
        schema=["series", "geo", "period", "breakdown", "value", "status"],
        orient="row",
    )
    write_observations(frame, source="statbank", label="FOLK1A")
    assert "indlæses ikke" in run("demo", "load", "--hvis-ingen-rigtige-data")
    assert Observation.objects.count() == 1
