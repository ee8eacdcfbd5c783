"""Operations tests run the app as an operator does: gunicorn and `lokalkompas` in subprocesses.

The load generator and the load scenario live in bench/ (a folder of scripts, not a package); these
tests import them from there, as the bench scripts import each other (mypy finds them through
`mypy_path` in pyproject.toml).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

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
