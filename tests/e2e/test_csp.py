"""The Content-Security-Policy header breaks nothing, and a violation would be noticed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import watch_csp

pytestmark = pytest.mark.e2e


def test_the_csp_check_catches_an_inline_style(browser: Any, site: str):
    # Guards the guard: an inline style on a served page must show up as a violation on the console.
    context = browser.new_context()
    page = context.new_page()
    violations = watch_csp(page)
    page.goto(site + "/om/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<p style="color: red">rød</p>')""")
    assert violations and "style-src" in violations[0]
    context.close()


def test_the_design_system_styles_and_fonts_load_under_the_policy(page: Page, site: str):
    page.goto(site + "/om/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # DKFDS's stylesheet was applied (its font, not the browser's default serif) and its font files loaded.
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "IBM Plex Sans" in family
    assert page.evaluate("document.fonts.ready.then(() => [...document.fonts].some(f => f.status === 'loaded'))")
