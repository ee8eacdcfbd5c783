"""Fixtures for the Statbank source tests: a local fake of the Statbank API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sources.fake_statbank import FakeStatbank, default_tables


@pytest.fixture
def fake_statbank() -> Iterator[FakeStatbank]:
    """A running fake Statbank on 127.0.0.1 (a free port) with `default_tables()`; the API is at `f"{url}/v1"`."""
    fake = FakeStatbank(default_tables()).start()
    try:
        yield fake
    finally:
        fake.stop()
