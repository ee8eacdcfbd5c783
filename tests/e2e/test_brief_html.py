"""The brief's HTML in a real browser, with axe: the print document and the page fragment."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from lokalkompas.briefs.html import render_html
from tests.briefs.factory import sample_brief
from tests.e2e.test_council_journey import serious_violations

pytestmark = pytest.mark.e2e


def test_the_standalone_brief_passes_axe_and_its_contents_lead_to_the_themes(page: Page, axe_source: str):
    brief = sample_brief(1, demo=True)
    page.set_content(render_html(brief, standalone=True))
    expect(page).to_have_title("Drøftelsesoplæg: Dagtilbud – Aarhus Kommune")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drøftelsesoplæg: Dagtilbud")
    expect(page.get_by_role("img", name="Børn pr. 1.000 indbyggere")).to_have_count(4)
    expect(page.get_by_role("table", name="Budget og forventet regnskab, dagtilbud (mio. kr.)")).to_be_visible()
    page.get_by_role("link", name="2. Personale og rekruttering").click()
    expect(page.get_by_role("heading", name="2. Personale og rekruttering")).to_be_in_viewport()
    assert serious_violations(page, axe_source) == []


def test_the_fragment_with_inline_charts_passes_axe_inside_a_page(page: Page, axe_source: str):
    fragment = render_html(sample_brief(1), standalone=False)
    page.set_content(
        f'<!DOCTYPE html><html lang="da"><head><title>Oplæg</title></head><body><main>{fragment}</main></body></html>'
    )
    expect(page.get_by_role("img", name="Andel uddannet personale")).to_have_count(4)
    expect(page.get_by_role("rowheader", name="2018").first).to_be_visible()
    assert serious_violations(page, axe_source) == []
