"""Backup and restore: a site on SQLite, backed up with `lokalkompas backup`, restored here (in the suite's
PostgreSQL pass: the test is marked `once`) shows the same rows and the same pages.

The source site runs in subprocesses with their own LOKALKOMPAS_DATA_DIR and no DATABASE_URL, so it is
always SQLite whichever database this test process uses (tests/ops/source_site.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from lokalkompas.accounts.models import Membership
from lokalkompas.goals.models import Goal
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.ops.archive import kinds
from lokalkompas.registry.models import Geography
from tests.ops.rows import dump
from tests.ops.source_site import PAGES_AS

# Engine-independent and slow: once, in the PostgreSQL pass of scripts/test.sh.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@dataclass(frozen=True)
class Source:
    archive: Path
    ids: dict[str, int]
    pages: dict[str, str]
    rows: dict[str, Any]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    """A filled-in site on a throw-away SQLite, its pages and rows, and its archive from `lokalkompas backup`."""
    out = tmp_path_factory.mktemp("source")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "STATIC_ROOT")}
    env.update(LOKALKOMPAS_DATA_DIR=str(out / "data"), DJANGO_SETTINGS_MODULE="lokalkompas.settings")
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    built = subprocess.run([sys.executable, "-m", "tests.ops.source_site", str(out)], **run)  # type: ignore[call-overload]
    assert built.returncode == 0, built.stderr[-3000:]
    archive = out / "backup.zip"
    backup = subprocess.run([sys.executable, "-m", "lokalkompas", "backup", str(archive)], **run)  # type: ignore[call-overload]
    assert backup.returncode == 0, backup.stderr[-3000:]
    assert "Backup skrevet til" in backup.stdout and "mål 1" in backup.stdout
    return Source(
        archive,
        json.loads((out / "ids.json").read_text()),
        json.loads((out / "pages.json").read_text()),
        json.loads((out / "rows.json").read_text()),
    )


@pytest.fixture(autouse=True)
def _no_rows_left_by_other_modules(db: None) -> None:
    """Other modules on the same test worker commit rows of the archived kinds: a server in a subprocess logs
    users in, module-scoped demo data leave their history behind when cleared. Each test here starts without
    any (rolled back with the test); the history last, as deleting tracked rows writes history."""
    ordered = [k for k in reversed(kinds()) if not k.is_history] + [k for k in kinds() if k.is_history]
    for kind in ordered:
        kind.model._default_manager.all().delete()


def restore(archive: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("restore", str(archive), *options, stdout=out)
    return out.getvalue()


def pages(ids: dict[str, int]) -> dict[str, str]:
    """The same pages as the source site renders, as the same users (whose ids the restore kept)."""
    rendered = {}
    for username, urls in PAGES_AS.items():
        client = Client()
        client.cookies["kommune"] = "751"
        client.force_login(get_user_model().objects.get(username=username))
        for url in urls:
            response = client.get(url.format(**ids))
            assert response.status_code == 200, url
            rendered[f"{username} {url}"] = response.content.decode()
    return rendered


def without_csrf(html: str) -> str:
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', html)


def state() -> tuple[int, ...]:
    """What a refused or failed restore must leave exactly as it was."""
    return (
        get_user_model().objects.count(),
        Membership.objects.count(),
        Goal.objects.count(),
        Vintage.objects.count(),
        Observation.objects.count(),
        Geography.objects.count(),
    )


def test_a_backup_from_sqlite_restores_the_same_rows_and_the_same_pages(db, source):
    output = restore(source.archive)
    assert "Gendannet: brugere 3" in output and "lokalkompas refresh --source statbank" in output
    assert "har fået nummeret" not in output  # every vintage kept its number: the pages say "udgave 1"
    restored = dump()
    for table, rows in source.rows.items():
        assert restored[table] == rows, table
    assert source.rows["goal history"] and source.rows["observations"] and source.rows["revisions"]
    assert any(r["pdf"] for r in source.rows["issued briefs"]) and any(r["content"] for r in source.rows["uploads"])
    here = pages(source.ids)
    assert here.keys() == source.pages.keys()
    for name, html in source.pages.items():
        assert without_csrf(here[name]) == without_csrf(html), name
    # The ids went in as they were; new rows must still get fresh ones (PostgreSQL's sequences were reset).
    goal = Goal.objects.get(pk=source.ids["goal"])
    assert Goal.objects.create(geo_id="751", area_id="dagtilbud", text="Nyt mål").pk > goal.pk
    assert Vintage.objects.create(source="upload", label="ny", checksum="x").pk > source.ids["vintage"]


def test_it_refuses_to_restore_over_existing_data(db, source):
    get_user_model().objects.create_user("allerede@aarhus.dk", password="Lang-nok-kode-2026")
    before = state()
    with pytest.raises(CommandError, match=r"Databasen indeholder allerede data: brugere 1\. .*--overskriv"):
        restore(source.archive)
    assert state() == before


def test_overskriv_replaces_the_existing_data_and_renumbers_a_vintage_whose_number_is_taken(db, source):
    old = get_user_model().objects.create_user("gammel@aarhus.dk", password="Lang-nok-kode-2026")
    Goal.objects.create(geo_id="101", area_id="skole", text="Et mål fra før gendannelsen", created_by=old)
    # Statbank values are not archived kinds: they stay, and the archived vintage with this number moves.
    statbank = Vintage.objects.create(pk=source.ids["vintage"], source="statbank", label="FOLK1A", checksum="y")
    output = restore(source.archive, "--overskriv")
    assert "Erstattet: brugere 1, ændringer af roller" not in output  # history of the removed user stays out
    assert output.startswith("Erstattet: brugere 1, mål 1, ændringer af mål 1.")
    assert not get_user_model().objects.filter(username=old.username).exists()
    assert Vintage.objects.get(pk=statbank.pk).source == "statbank"
    moved = Vintage.objects.get(source="upload", label="Upload: tilfredshed-2025.csv")
    assert f"Udgave {statbank.pk} har fået nummeret {moved.pk}" in output
    restored = dump()
    for table, rows in source.rows.items():
        assert restored[table] == rows, table


def test_it_refuses_a_database_with_demo_data(db, source):
    Vintage.objects.create(source="demo", label="DEMO", checksum="x")
    before = state()
    with pytest.raises(CommandError, match=r"demodata.*lokalkompas demo clear"):
        restore(source.archive)
    assert state() == before


def _rewrite(
    archive: Path, target: Path, change: Callable[[dict[str, bytes]], None], fix_checksums: bool = False
) -> Path:
    """A copy of the archive with its members changed (and, if asked, the manifest's checksums to match)."""
    with zipfile.ZipFile(archive) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    change(members)
    if fix_checksums:
        manifest = json.loads(members["manifest.json"])
        for name, facts in manifest["members"].items():
            if name in members:
                facts["sha256"] = hashlib.sha256(members[name]).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def _manifest(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, bytes]], None]:
    def apply(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        change(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()

    return apply


def _goal_text(members: dict[str, bytes]) -> None:
    members["data/goals.goal.jsonl"] = members["data/goals.goal.jsonl"].replace(b"dagtilbud", b"dagtilbuD")


def _bad_row(members: dict[str, bytes]) -> None:
    # The last kind restored: everything before it is already in the transaction when this row fails.
    rows = members["data/briefs.issuedbrief.jsonl"].replace(b'"issued_at":"', b'"issued_at":"ikke en dato ')
    members["data/briefs.issuedbrief.jsonl"] = rows


BROKEN = {
    "not-a-zip": ("ikke en gyldig zip-fil", None),
    "truncated": ("ikke en gyldig zip-fil|beskadiget", None),
    "foreign-zip": (r"ikke en Lokalkompas-backup \(manifest.json mangler\)", lambda m: m.clear() or m.update(x=b"")),
    "wrong-format-version": ("backupformat 99", _manifest(lambda m: m.update(format_version=99))),
    "newer-migrations": (
        r"nyere version af Lokalkompas \(migreringen goals.9999_fremtid",
        _manifest(lambda m: m["migrations"]["goals"].append("9999_fremtid")),
    ),
    "missing-member": (
        r"data/goals.action.jsonl mangler i arkivet",
        lambda m: m.pop("data/goals.action.jsonl"),
    ),
    "bad-checksum": (r"data/goals.goal.jsonl har en forkert kontrolsum", _goal_text),
    "row-that-does-not-load": (r"kan ikke indlæses \(.*\); intet er ændret", _bad_row),
}


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_broken_archive_gives_a_danish_message_and_changes_nothing(db, source, tmp_path, broken):
    message, change = BROKEN[broken]
    target = tmp_path / f"{broken}.zip"
    if broken == "not-a-zip":
        target.write_bytes(b"Dette er ikke en zip-fil.\n")
    elif broken == "truncated":
        data = source.archive.read_bytes()
        target.write_bytes(data[: len(data) // 2])
    else:
        assert change is not None
        _rewrite(source.archive, target, change, fix_checksums=broken == "row-that-does-not-load")
    before = state()
    with pytest.raises(CommandError, match=message) as raised:
        restore(target)
    assert "Traceback" not in str(raised.value)
    assert state() == before


def _archived(archive: Path, label: str) -> list[dict[str, Any]]:
    with zipfile.ZipFile(archive) as zf:
        return [json.loads(line) for line in zf.read(f"data/{label}.jsonl").splitlines()]


def test_demo_rows_are_left_out_as_demo_clear_would_leave_the_rest(loaded, tmp_path):
    from lokalkompas.goals.models import Action
    from lokalkompas.legal.models import Decision
    from lokalkompas.ops.backup import write_backup

    users = get_user_model().objects
    demo_user = users.create_user("analytiker-751@demo.lokalkompas.invalid", password="Lang-nok-kode-2026")
    real_user = users.create_user("ana@aarhus.dk", password="Lang-nok-kode-2026")
    Membership.objects.create(user=demo_user, geo_id="751", role="analytiker")
    demo_goal = Goal.objects.create(geo_id="751", area_id="skole", text="DEMO-mål", demo=True, created_by=demo_user)
    real_goal = Goal.objects.create(geo_id="751", area_id="skole", text="Rigtigt mål", created_by=demo_user)
    Action.objects.create(goal=demo_goal, title="Rigtig handling på et demomål")  # CASCADE: goes with the goal
    Decision.objects.create(geo_id="751", date="2026-10-01", text="Rigtig beslutning", goal=demo_goal)  # SET_NULL
    result = write_backup(tmp_path / "b.zip")
    assert [u["username"] for u in _archived(result.path, "auth.user")] == [real_user.username]
    assert _archived(result.path, "accounts.membership") == []
    assert _archived(result.path, "accounts.historicalmembership") == []
    [goal] = _archived(result.path, "goals.goal")
    assert goal["id"] == real_goal.pk and goal["created_by_id"] is None
    assert {g["id"] for g in _archived(result.path, "goals.historicalgoal")} == {real_goal.pk}
    assert _archived(result.path, "goals.action") == [] and _archived(result.path, "goals.historicalaction") == []
    [decision] = _archived(result.path, "legal.decision")
    assert decision["text"] == "Rigtig beslutning" and decision["goal_id"] is None
    assert result.counts["goals.goal"] == 1 and result.counts["auth.user"] == 1
