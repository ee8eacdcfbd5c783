"""Fixtures for the job tests: the fake Statbank (from tests/sources) and the worker run in-process."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command

from tests.briefs.factory import sample_brief
from tests.sources.conftest import fake_statbank

__all__ = ["fake_statbank"]


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
