"""Fixtures for the Statbank source tests: a local fake of the Statbank API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from lokalkompas.sources.statbank.client import ClientSettings, StatbankClient
from tests.sources.fake_statbank import FakeStatbank, FakeTable, default_tables


@pytest.fixture
def fake_statbank() -> Iterator[FakeStatbank]:
    """A running fake Statbank on 127.0.0.1 (a free port) with `default_tables()`; the API is at `f"{url}/v1"`."""
    fake = FakeStatbank(default_tables()).start()
    try:
        yield fake
    finally:
        fake.stop()


@contextmanager
def client_for(tables: dict[str, FakeTable]) -> Iterator[StatbankClient]:
    """A Statbank client talking to a fake that serves just these tables (fast settings for tests)."""
    fake = FakeStatbank(tables).start()
    settings = ClientSettings(base_url=fake.url, timeout=1.0, retries=1, rate=1000, backoff=0.01)
    try:
        with StatbankClient(settings) as client:
            yield client
    finally:
        fake.stop()
