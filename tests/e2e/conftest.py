"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

# Playwright's sync API runs an event loop in the test thread; the test itself only touches the
# database through fixtures, so Django's async-safety guard would be a false alarm here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run scripts/system-packages.sh (apt-get install chromium)")
    flags = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": flags}


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run npm ci")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def site(live_server: Any, transactional_db: None) -> str:
    from lokalkompas.catalog.files import load_files
    from lokalkompas.catalog.loader import sync_catalog
    from lokalkompas.registry.loader import load_registry

    load_registry()
    outcome = load_files()
    assert outcome.catalog is not None
    sync_catalog(outcome.catalog)
    return str(live_server.url)


def watch_csp(page: Page) -> list[str]:
    """Chromium reports each Content-Security-Policy violation on the console; collect them."""
    found: list[str] = []

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", on_console)
    return found


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """pytest-playwright's page, failing the test when anything it showed broke the CSP (docs/decisions/0015)."""
    violations = watch_csp(page)
    yield page
    assert violations == [], f"Content-Security-Policy violations: {violations}"
