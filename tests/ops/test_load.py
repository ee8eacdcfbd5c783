"""A short load test: 10 users for 20 s against gunicorn on the test database, every answer a 200.

The full-size run (50 users for 2 minutes, and a PostgreSQL restart under load) is bench/load_scenario.py;
its figures are in docs/performance.md. This one checks that the pages stay correct under concurrency
(no 500, no lock errors, no timeouts); it never asserts a time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from load_scenario import ANALYST, discover, gunicorn_options, run
from loadgen import Request, Result, closed_loop, error_lines, log_in, running_server, server_env, tickets

from lokalkompas.accounts.models import Membership
from tests.ops.conftest import needs_postgresql, subprocess_database_url

USERS, SECONDS = 10, 20.0
PASSWORD = "Belastning-test-4711"


@pytest.fixture(scope="module")
def analyst(demo_db: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """The signed-in share's user, committed (gunicorn reads it from another process)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        user = get_user_model().objects.create_user(ANALYST, password=PASSWORD)
        Membership.objects.create(user=user, geo_id="751", role=Membership.Role.ANALYTIKER)
        yield
        user.delete()


@pytest.fixture
def server(analyst: None, tmp_path: Path) -> Iterator[str]:
    env = server_env(tmp_path, subprocess_database_url())
    env["LOKALKOMPAS_API_RATE_IP"] = "0"  # every simulated user comes from 127.0.0.1
    with running_server(env, tmp_path / "gunicorn.log", gunicorn_options(2, 4)) as base_url:
        yield base_url


@needs_postgresql
@pytest.mark.django_db  # pytest-django creates the test database only for tests that ask for one
def test_ten_users_for_twenty_seconds_get_only_successful_answers(server):
    site = discover(server)
    assert len(site.indicators) >= 8, site
    signed_in = log_in(server, ANALYST, PASSWORD)
    # One pass over the pages first, so the run is not only ten users queueing behind cold page caches.
    urls = site.every_url()
    warm = closed_loop(
        server, 2, tickets(len(urls), lambda n: Request("warm-up", urls[n])), cookies=lambda _u: {"kommune": "751"}
    )

    results = run(server, site, USERS, SECONDS, signed_in, seed=int(os.environ.get("LOAD_SEED", "12")))

    assert not error_lines(warm) and not error_lines(results), error_lines(warm) + error_lines(results)
    answered = {label: r.requests for label, r in results.items()}
    assert {"dashboard", "area", "indicator", "brief", "api"} <= set(answered), answered
    assert sum(answered.values()) >= USERS, answered  # every user got at least one answer


def test_result_percentiles_come_from_the_recorded_latencies():
    result = Result("x", latencies_ms=[float(ms) for ms in range(1, 101)])
    assert result.percentile(50) == pytest.approx(50.5)
    assert result.percentile(95) == pytest.approx(95.05)
    assert result.requests == 100
