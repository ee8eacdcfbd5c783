"""The shared test world: a database with the registry and the shipped catalogue loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lokalkompas.catalog.files import default_data_dir, load_files
from lokalkompas.catalog.loader import sync_catalog
from lokalkompas.registry.loader import load_registry


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def loaded(db: None) -> None:
    """Registry and catalogue loaded, as after `make run`."""
    load_registry()
    outcome = load_files()
    assert outcome.catalog is not None, outcome.errors
    sync_catalog(outcome.catalog)


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalogue files, for breaking on purpose."""
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target
