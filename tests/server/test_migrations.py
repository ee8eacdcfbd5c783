"""The migrations build an empty database up to the models, on SQLite and on PostgreSQL, with nothing missing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.helpers import lokalkompas


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str | None]:
    """On the PostgreSQL run a new, empty database beside the test database (dropped afterwards); on the
    SQLite run None: the command then makes a new SQLite file in the test's own data folder."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"lokalkompas_fresh_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrations_run_from_an_empty_database_to_the_head_and_nothing_is_missing(tmp_path, fresh_database_url):
    env = {"DATABASE_URL": fresh_database_url} if fresh_database_url else {}
    migrate = lokalkompas(tmp_path, "migrate", "--no-input", **env)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    assert "Applying registry.0001_initial... OK" in migrate.stdout  # it started from nothing
    plan = lokalkompas(tmp_path, "migrate", "--plan", **env)
    assert plan.returncode == 0 and "No planned migration operations." in plan.stdout, plan.stdout
    if not fresh_database_url:
        assert (tmp_path / "lokalkompas.sqlite3").is_file()  # the run used the fresh file, not a shared one
    missing = lokalkompas(tmp_path, "makemigrations", "--check", "--dry-run", **env)
    assert missing.returncode == 0, missing.stdout + missing.stderr
    assert "No changes detected" in missing.stdout
