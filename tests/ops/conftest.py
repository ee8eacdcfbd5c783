"""Operations tests: background jobs run by the worker in-process (with the fake Statbank from
tests/sources), and the app run as an operator does, gunicorn and `lokalkompas` in subprocesses.

The load generator and the load scenario live in bench/ (a folder of scripts, not a package); these
tests import them from there, as the bench scripts import each other (mypy finds them through
`mypy_path` in pyproject.toml).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.briefs.factory import sample_brief
from tests.sources.conftest import fake_statbank

__all__ = ["fake_statbank"]

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


def subprocess_database_url() -> str:
    """The test database as a DATABASE_URL, for a server or command in another process (PostgreSQL only:
    on SQLite the test database lives in this process's memory)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


# Read from the settings, not the connection: touching `connection` while pytest collects opens it to
# the real database name, before pytest-django has switched it to the test database.
needs_postgresql = pytest.mark.skipif(
    "postgresql" not in str(settings.DATABASES["default"]["ENGINE"]),
    reason="runs the app in other processes, which cannot see SQLite's in-memory test database; "
    "runs in the PostgreSQL pass",
)


@pytest.fixture
def run_worker(monkeypatch: pytest.MonkeyPatch) -> Callable[[], str]:
    """`lokalkompas worker --en-gang` in this process: the real loop, claim and state changes.

    Only its connection recycling is switched off: the loop calls `close_old_connections()`, which inside the
    test's transaction (not in autocommit) would close the connection and lose the test's rows. The
    transactional test in test_jobs.py runs the loop with it.
    """
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run() -> str:
        out = io.StringIO()
        call_command("worker", "--en-gang", stdout=out)
        return out.getvalue()

    return run


@pytest.fixture(scope="session")
def brief_json() -> str:
    """A one-area brief as an issued brief stores it; drawing its charts is slow, so once per session."""
    return sample_brief(1).to_json()
