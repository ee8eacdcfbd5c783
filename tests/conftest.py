"""The shared test world: a database with the registry and the shipped catalogue loaded."""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from lokalkompas.catalog.files import default_data_dir, load_files
from lokalkompas.catalog.loader import sync_catalog
from lokalkompas.registry.loader import load_registry

# Property tests check behaviour, never speed (performance lives in bench/); on a busy CI machine with
# parallel workers a fixed deadline fails at random.
hypothesis_settings.register_profile("lokalkompas", deadline=None)
hypothesis_settings.load_profile("lokalkompas")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _no_version_watch(settings: pytest.FixtureRequest) -> None:
    """API requests read the versions themselves: a test's transaction never commits, so the notifications
    api.watch listens for never come (tests/api/test_watch.py turns it on with committed writes)."""
    settings.API_VERSION_WATCH = False  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _empty_page_cache() -> None:
    """Each test starts without cached pages (a test may change rows directly, without a revision bump)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def loaded(db: None) -> None:
    """Registry and catalogue loaded, as after `make run`."""
    load_registry()
    outcome = load_files()
    assert outcome.catalog is not None, outcome.errors
    sync_catalog(outcome.catalog)


@pytest.fixture
def registry(db: None) -> None:
    """Only the 98 municipalities, 5 regions and the country: for tests that need no catalogue."""
    load_registry()


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalogue files, for breaking on purpose."""
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


def _empty_the_reference_tables() -> None:
    """Leave the database as empty as the other tests expect it."""
    from lokalkompas.catalog.models import Area, CalendarEntry, Rule, SourceDocument
    from lokalkompas.registry.models import Geography, MunicipalityGroup

    CalendarEntry.objects.all().delete()
    Area.objects.all().delete()
    Rule.objects.all().delete()
    SourceDocument.objects.all().delete()
    Geography.objects.filter(kind="municipality").delete()
    Geography.objects.all().delete()
    MunicipalityGroup.objects.all().delete()


@pytest.fixture(scope="module")
def _catalogue_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_registry()
        outcome = load_files()
        assert outcome.catalog is not None, outcome.errors
        sync_catalog(outcome.catalog)
        yield
        _empty_the_reference_tables()


@pytest.fixture
def catalogued(_catalogue_once: None, db: None) -> None:
    """As `loaded`, but the registry and catalogue are loaded once per module and each test's own rows
    are rolled back: for modules with many tests that only add goals, users and values."""


# The demo set as the first demo load in this worker process left it; later modules restore it (well under
# a second on SQLite, 10–15 s on PostgreSQL) instead of loading it again (20–25 s).
_DEMO_SNAPSHOT: list[sqlite3.Connection | dict[str, bytes]] = []


def _load_demo(quiet: dict[str, io.StringIO]) -> None:
    from django.core.management import call_command
    from django.db import connection

    if _DEMO_SNAPSHOT:
        _restore(_DEMO_SNAPSHOT[0])
        _as_if_loaded_now()
        return
    empty = _tables_with_rows() if connection.vendor == "postgresql" else {}
    call_command("registry", "load", **quiet)
    call_command("catalog", "load", **quiet)
    call_command("demo", "load", **quiet)
    if connection.vendor == "sqlite":
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _DEMO_SNAPSHOT.append(snapshot)
    elif connection.vendor == "postgresql":
        loaded = _tables_with_rows()
        if all(loaded.get(table) == count for table, count in empty.items()):  # the load only added tables
            _DEMO_SNAPSHOT.append({table: _copy_out(table) for table in loaded if table not in empty})


def _tables_with_rows() -> dict[str, int]:
    from django.apps import apps
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                table = model._meta.db_table
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                if (count := cursor.fetchone()[0]) > 0:
                    counts[table] = count
    return counts


def _copy_out(table: str) -> bytes:
    from django.db import connection

    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
        return b"".join(bytes(chunk) for chunk in copy)


IDENTITY_COLUMNS = (
    "SELECT column_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND table_name = %s AND is_identity = 'YES'"
)


def _restore(snapshot: sqlite3.Connection | dict[str, bytes]) -> None:
    from django.db import connection, transaction

    connection.ensure_connection()
    if isinstance(snapshot, sqlite3.Connection):
        snapshot.backup(connection.connection)
        return
    # Foreign keys are checked at commit (Django makes them DEFERRABLE INITIALLY DEFERRED), so the order of
    # the tables does not matter; the id sequences move past the restored rows.
    with transaction.atomic(), connection.cursor() as cursor:
        for table, rows in snapshot.items():
            cursor.execute(f'DELETE FROM "{table}"')  # what a teardown leaves, e.g. the content revision row
            with cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(rows)
            cursor.execute(IDENTITY_COLUMNS, [table])
            for (column,) in cursor.fetchall():
                cursor.execute(
                    f'SELECT setval(pg_get_serial_sequence(%s, %s), (SELECT MAX("{column}") FROM "{table}"))',
                    [f'"{table}"', column],
                )


def _as_if_loaded_now() -> None:
    """A restored set has the versions of the first load; per-process caches keyed by them may hold what an
    earlier module's changes made. A new load time and revision give it versions of its own, as a real load
    would."""
    from django.utils import timezone

    from lokalkompas.indicators.models import Vintage
    from lokalkompas.registry import revision

    newest = Vintage.objects.order_by("-loaded_at", "-pk").first()
    if newest is not None:
        Vintage.objects.filter(pk=newest.pk).update(loaded_at=timezone.now())
    revision.bump()  # and the content revision, with a new time (a number alone can come back)


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """Registry, catalogue and the full demo set, loaded once per module for read-only tests."""
    from django.core.management import call_command

    quiet = {"stdout": io.StringIO()}
    with django_db_blocker.unblock():
        _load_demo(quiet)
        yield
        # Leave the database as empty as the other tests expect it.
        call_command("demo", "clear", **quiet)
        _empty_the_reference_tables()
