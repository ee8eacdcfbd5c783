"""The shared test world: a database with the registry and the shipped catalogue loaded."""

from __future__ import annotations

import io
import shutil
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


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """Registry, catalogue and the full demo set, loaded once per module for read-only tests."""
    from django.core.management import call_command

    quiet = {"stdout": io.StringIO()}
    with django_db_blocker.unblock():
        call_command("registry", "load", **quiet)
        call_command("catalog", "load", **quiet)
        call_command("demo", "load", **quiet)
        yield
        # Leave the database as empty as the other tests expect it.
        call_command("demo", "clear", **quiet)
        _empty_the_reference_tables()
