"""kill -9 during `lokalkompas import` and `lokalkompas refresh`: the database stays consistent and the
next run completes.

Each trial starts the command in a subprocess against the (committed) test database, sends SIGKILL after
a random delay (seeded: `LOKALKOMPAS_KILL_SEED`) between 0 and the length of an uninterrupted run, checks
the database, runs the same command again to the end, and checks again. Consistent means: no vintage
without its rows, no row without its vintage, no upload left half-way (pending), every upload vintage
with its imported upload, the derived indicators equal to what the base series give now, and each
source's values exactly as before the killed run or exactly as after a complete one, all sources the
same way (a refresh writes all its tables in one transaction). Trials: `LOKALKOMPAS_KILL_TRIALS` (3 in
CI; the full run of 20 each is reported in docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from django.db import transaction
from django.db.models import Count, Sum
from loadgen import ROOT, server_env

from lokalkompas.catalog.files import load_files
from lokalkompas.catalog.loader import sync_catalog
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.models import Observation, Revision, Vintage
from lokalkompas.indicators.service import compute_indicators
from lokalkompas.indicators.store import write_observations
from lokalkompas.registry.data import municipalities
from lokalkompas.registry.loader import load_registry
from lokalkompas.sources.models import Upload
from lokalkompas.sources.uploads.templates import shipped_templates
from tests.ops.conftest import needs_postgresql, subprocess_database_url
from tests.sources.fake_statbank import FakeStatbank, FakeTable, default_tables

TRIALS = int(os.environ.get("LOKALKOMPAS_KILL_TRIALS", "3"))
SEED = int(os.environ.get("LOKALKOMPAS_KILL_SEED", "12"))
TEMPLATE = "maanedsforbrug"
MONTHS = 48  # 98 municipalities x 48 months x 8 columns: 37,632 values, a few seconds to import
REFRESHED = "normering-0-2"  # its tables are in the fake: FOLK1A and BOERN8

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Trial:
    delay_s: float
    killed_in: str  # "before": nothing of the killed run is in the database; "after": all of it


@pytest.fixture
def catalogued_and_committed(transactional_db: None) -> None:
    """Registry and catalogue, committed (the commands run in other processes); flushed after the test."""
    load_registry()
    outcome = load_files()
    assert outcome.catalog is not None, outcome.errors
    sync_catalog(outcome.catalog)


@pytest.fixture
def env(catalogued_and_committed: None, tmp_path: Path) -> dict[str, str]:
    return server_env(tmp_path, subprocess_database_url())


# --- the checks ------------------------------------------------------------------------------------


def inconsistencies() -> list[str]:
    """Everything that a half-done write would leave behind; empty when the database is consistent."""
    problems = []
    vintages = set(Vintage.objects.values_list("id", flat=True))
    used = set(Observation.objects.values_list("vintage_id", flat=True).distinct())
    used |= set(Observation.objects.values_list("first_vintage_id", flat=True).distinct())
    used |= set(Revision.objects.values_list("new_vintage_id", flat=True).distinct())
    if used - vintages:
        problems.append(f"rows of missing vintages {sorted(used - vintages)}")
    if vintages - used:
        problems.append(f"vintages without rows {sorted(vintages - used)}")
    pending = Upload.objects.filter(status=Upload.Status.PENDING).count()
    if pending:
        problems.append(f"{pending} uploads left pending")
    upload_vintages = Vintage.objects.filter(source=Vintage.Source.UPLOAD).count()
    imported = Upload.objects.filter(status=Upload.Status.IMPORTED, vintage__isnull=False).count()
    if upload_vintages != imported:
        problems.append(f"{upload_vintages} upload vintages but {imported} imported uploads")
    with transaction.atomic():
        stale = compute_indicators(shipped_definitions())
        transaction.set_rollback(True)  # only looking
    if stale.inserted or stale.revised:
        problems.append(f"indicators behind their base series: {stale.inserted} missing, {stale.revised} differ")
    return problems


def fingerprint(series: list[str]) -> tuple[int, float, int]:
    """The values of these series (count and rounded sum) and their revisions: equal states, equal prints."""
    values = Observation.objects.filter(series__in=series).aggregate(n=Count("id"), total=Sum("value"))
    revisions = Revision.objects.filter(series__in=series).count()
    return values["n"], round(values["total"] or 0.0, 3), revisions


def where(mid: object, before: object, after: object) -> str:
    """Where a killed run left one source: "before" it, "after" it (as a complete run), or "part"."""
    if before == after:
        return "same"  # the complete run changed nothing here: nothing to tell apart
    return "after" if mid == after else "before" if mid == before else "part"


# --- running and killing ---------------------------------------------------------------------------


def command(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lokalkompas", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_to_end(env: dict[str, str], *args: str) -> float:
    start = time.monotonic()
    process = command(env, *args)
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return time.monotonic() - start


def kill_after(env: dict[str, str], delay_s: float, *args: str) -> None:
    process = command(env, *args)
    try:
        process.communicate(timeout=delay_s)  # it may finish first: then the kill finds nothing to do
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.communicate()


def trials(
    env: dict[str, str], args: list[str], prepare: Callable[[int], None], prints: Callable[[], dict[str, object]]
) -> Iterator[Trial]:
    """Trial 0 runs to the end (its length bounds the delays); then TRIALS killed runs, each followed by
    a complete one. `prepare(n)` makes run n have something new to write."""
    rng = random.Random(SEED)
    prepare(0)
    length = run_to_end(env, *args)
    assert inconsistencies() == []
    for n in range(1, TRIALS + 1):
        prepare(n)
        before = prints()
        delay = rng.uniform(0, length)
        kill_after(env, delay, *args)
        mid = prints()
        assert inconsistencies() == [], f"trial {n}, killed after {delay:.2f} s"
        run_to_end(env, *args)
        after = prints()
        assert inconsistencies() == [], f"trial {n}, the run after the kill"
        kinds = {name: where(mid[name], before[name], after[name]) for name in mid}
        # All or nothing, across every source the run writes (for a refresh: every table together).
        assert len(set(kinds.values()) - {"same"}) <= 1 and "part" not in kinds.values(), (
            f"trial {n}, killed after {delay:.2f} s: {kinds}; before {before}, then {mid}, after {after}"
        )
        yield Trial(delay, "+".join(sorted(set(kinds.values()))))


# --- import ----------------------------------------------------------------------------------------


def monthly_csv(path: Path, seed: int) -> None:
    """The monthly spending template filled in for every municipality, 48 months, values from `seed`."""
    columns = [c.id for c in shipped_templates()[TEMPLATE].columns]
    codes = [m.code for m in municipalities()]
    rng = np.random.default_rng(seed)
    lines = ["\ufeff" + ";".join(["kommune", "periode", *columns])]
    for month in range(MONTHS):
        period = f"{2021 + month // 12}M{month % 12 + 1:02d}"
        for code in codes:
            cells = [f"{v:.1f}".replace(".", ",") for v in rng.uniform(1_000, 50_000, len(columns))]
            lines.append(";".join([code, period, *cells]))
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def test_an_import_killed_at_random_points_leaves_it_all_or_nothing_and_the_next_run_completes(env, tmp_path):
    upload = tmp_path / "maanedsforbrug.csv"
    series = sorted({c.series.id for c in shipped_templates()[TEMPLATE].columns})

    def prints() -> dict[str, object]:
        return {"upload": (fingerprint(series), Upload.objects.filter(status=Upload.Status.IMPORTED).count())}

    done = list(trials(env, ["import", str(upload)], lambda n: monthly_csv(upload, SEED + n), prints))
    print(f"\nimport, {len(done)} kills: " + ", ".join(f"{t.delay_s:.2f} s {t.killed_in}" for t in done))
    assert len(done) == TRIALS


# --- refresh ---------------------------------------------------------------------------------------


def changed_tables(tables: dict[str, FakeTable], originals: dict[str, FakeTable], n: int) -> None:
    """Run n finds every table updated n days later, with values n % higher."""
    for table_id, original in originals.items():

        def scaled(
            coords: dict[str, str], value: Callable[[dict[str, str]], float | None] = original.value
        ) -> float | None:
            v = value(coords)
            return None if v is None else v * (1 + n / 100)

        tables[table_id].value = scaled
        tables[table_id].updated = original.updated + dt.timedelta(days=n)


@pytest.fixture
def statbank(env: dict[str, str]) -> Iterator[FakeStatbank]:
    fake = FakeStatbank(default_tables()).start()
    env |= {
        "LOKALKOMPAS_STATBANK_URL": fake.url,
        "LOKALKOMPAS_STATBANK_RETRIES": "1",
        "LOKALKOMPAS_STATBANK_TIMEOUT": "10",
        "LOKALKOMPAS_STATBANK_RATE": "1000",
    }
    try:
        yield fake
    finally:
        fake.stop()


def test_a_refresh_killed_at_random_points_leaves_each_table_all_or_nothing_and_the_next_run_completes(env, statbank):
    definitions = shipped_definitions()
    needed = {t.series for t in definitions.indicators[REFRESHED].terms()}
    by_table: dict[str, list[str]] = {}
    for s in sorted(needed):
        source = definitions.series[s].source
        by_table.setdefault(str(getattr(source, "table", s)), []).append(s)

    def prints() -> dict[str, object]:
        labels = Vintage.objects.filter(source=Vintage.Source.STATBANK).values("label").annotate(n=Count("id"))
        loads = {row["label"]: row["n"] for row in labels}
        return {table: (fingerprint(series), loads.get(table, 0)) for table, series in by_table.items()}

    args = ["refresh", "--source", "statbank", "--indicator", REFRESHED]
    originals = default_tables()
    done = list(trials(env, args, lambda n: changed_tables(statbank.tables, originals, n), prints))
    print(f"\nrefresh, {len(done)} kills: " + ", ".join(f"{t.delay_s:.2f} s {t.killed_in}" for t in done))
    assert len(done) == TRIALS
    loaded = set(Vintage.objects.filter(source=Vintage.Source.STATBANK).values_list("label", flat=True))
    assert loaded == set(by_table)


# --- the check itself ------------------------------------------------------------------------------


def test_the_check_finds_a_vintage_without_rows_a_pending_upload_and_stale_indicators(catalogued_and_committed):
    assert inconsistencies() == []
    frame = pl.DataFrame(
        [("boern8-normering-0-2", "751", "2024", "", 3.1, "ok")],
        schema=["series", "geo", "period", "breakdown", "value", "status"],
        orient="row",
    )
    write_observations(frame, source=Vintage.Source.STATBANK, label="BOERN8")  # no indicators derived
    empty = Vintage.objects.create(source=Vintage.Source.UPLOAD, label="halvt", checksum="x")
    Upload.objects.create(file_name="halv.csv", sha256="0" * 64, size=1, rows=1)
    found = inconsistencies()
    assert f"vintages without rows [{empty.pk}]" in found
    assert "1 uploads left pending" in found
    assert "1 upload vintages but 0 imported uploads" in found
    assert any(p.startswith("indicators behind their base series: ") for p in found), found
