"""Run Lokalkompas in a fresh process with a chosen environment, as an operator would."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

from lokalkompas.conf import SETTINGS

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def closed_postgres_url() -> str:
    """A PostgreSQL address where nothing listens: the database is down, fast and for real."""
    return f"postgres://lokalkompas@127.0.0.1:{free_port()}/lokalkompas"


def production_env(tmp_path: Path, database_url: str | None = None) -> dict[str, str]:
    return {
        "LOKALKOMPAS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "kompas.example.dk",
        "DATABASE_URL": database_url or closed_postgres_url(),
        "STATIC_ROOT": str(tmp_path / "static"),
    }


def environment(tmp_path: Path, keep_database: bool = False, **env: str) -> dict[str, str]:
    """This process's environment without our settings (the test run's DATABASE_URL kept on request)."""
    ours = {s.name for s in SETTINGS}
    clean = {k: v for k, v in os.environ.items() if k not in ours or (keep_database and k == "DATABASE_URL")}
    clean["LOKALKOMPAS_DATA_DIR"] = str(tmp_path)
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    # Set for the browser tests (tests/e2e/conftest.py) when the run collects them; never in a deployment,
    # and `check --deploy` rightly refuses it (async.E001).
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return clean | env


def lokalkompas(
    tmp_path: Path, *args: str, keep_database: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    """`lokalkompas ARGS` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "lokalkompas", *args],
        env=environment(tmp_path, keep_database, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def python(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -c CODE` in a fresh interpreter, e.g. to import the settings under `env`."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment(tmp_path, False, **env),
        capture_output=True,
        text=True,
        check=False,
    )
