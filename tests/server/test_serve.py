"""`lokalkompas serve` starts gunicorn that answers /health, with JSON access and error lines in production."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from lokalkompas.server.gunicorn import MAX_DEFAULT_WORKERS, default_workers
from tests.server.helpers import ROOT, environment, free_port, production_env

# Engine-independent and slow: once, in the PostgreSQL pass of scripts/test.sh.
pytestmark = pytest.mark.once

STARTUP_SECONDS = 120  # a busy CI machine imports Django and the app slowly; the loop ends at the first answer


@contextmanager
def serving(tmp_path: Path, keep_database: bool, **env: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "lokalkompas", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=environment(tmp_path, keep_database, **env),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, process.communicate()
            try:
                httpx.get(f"{url}/sundhed/", timeout=5, headers={"Host": "localhost"})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "lokalkompas serve did not answer in time"
                time.sleep(0.5)
        yield url, process
    finally:
        process.terminate()  # gunicorn's master took over the process: SIGTERM is its graceful stop
        process.wait(timeout=60)


def test_serve_starts_gunicorn_on_a_free_port_and_health_says_the_database_answers(tmp_path):
    with serving(tmp_path, keep_database=True) as (url, process):
        response = httpx.get(f"{url}/health", timeout=30)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        assert response.headers["Cache-Control"] == "no-store"
    out, err = process.communicate()
    assert process.returncode == 0, err
    assert "Lokalkompas starter på 127.0.0.1:" in err and "1 processer × 4 tråde" in err
    assert '"GET /health HTTP/1.1" 200' in out  # the readable access log in development


def test_serve_in_production_logs_json_lines_and_health_says_503_when_the_database_is_down(tmp_path):
    with serving(tmp_path, keep_database=False, **production_env(tmp_path)) as (url, process):
        # By the machine's own address, as a load balancer asks: neither ALLOWED_HOSTS nor https stops it.
        response = httpx.get(f"{url}/health", timeout=30, headers={"X-Request-ID": "proxy-42"})
        assert response.status_code == 503
        assert response.json() == {"status": "error", "database": "unavailable"}
        assert response.headers["X-Request-ID"] == "proxy-42"
    out, err = process.communicate()
    access = [json.loads(line) for line in out.splitlines() if line.strip()]
    health = [line for line in access if line.get("path") == "/health"]
    assert len(health) == 1, out
    assert health[0] | {"time": "", "duration_ms": 0, "remote_addr": "", "bytes": 0, "user_agent": ""} == {
        "time": "",
        "level": "INFO",
        "logger": "gunicorn.access",
        "message": "request",
        "remote_addr": "",
        "method": "GET",
        "path": "/health",
        "status": 503,
        "bytes": 0,
        "duration_ms": 0,
        "user_agent": "",
        "request_id": "proxy-42",
    }
    errors = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    failed = [e for e in errors if e["logger"] == "lokalkompas.server.middleware"]
    assert len(failed) == 1, err
    assert failed[0]["level"] == "ERROR" and failed[0]["request_id"] == "proxy-42"
    assert failed[0]["path"] == "/health" and "OperationalError" in failed[0]["exception"]
    assert {e["logger"] for e in errors} >= {"gunicorn.error"}  # gunicorn's own lines are JSON too


def test_the_default_number_of_workers_follows_the_cpus_within_bounds():
    assert 2 <= default_workers() <= MAX_DEFAULT_WORKERS
