"""The council brief in a real browser, with axe: from the Oplæg page to a drafted brief for one area."""

from __future__ import annotations

import polars as pl
import pytest
from playwright.sync_api import Page, expect

from lokalkompas.indicators.store import write_observations
from tests.e2e.test_council_journey import serious_violations

pytestmark = pytest.mark.e2e


def test_a_drafted_brief_reads_as_a_document_and_passes_axe(page: Page, site: str, axe_source: str):
    rows = [
        ("normering-0-2", code, str(y), "", 2.6 + 0.1 * (y - 2020) + 0.05 * i, "ok")
        for i, code in enumerate(("751", "101", "461", "561", "851", "147", "157", "159", "161", "163", "165"))
        for y in range(2020, 2025)
    ]
    frame = pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")
    write_observations(frame, source="statbank", label="e2e")
    page.context.add_cookies([{"name": "kommune", "value": "751", "url": site}])

    page.goto(site + "/")
    page.get_by_role("link", name="Oplæg", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drøftelsesoplæg for Aarhus")
    assert serious_violations(page, axe_source) == []

    page.get_by_label("Oplæg om").select_option("dagtilbud")
    page.get_by_role("button", name="Vis oplægget").click()
    expect(page.get_by_role("heading", name="Drøftelsesoplæg: Dagtilbud").first).to_be_visible()
    expect(
        page.get_by_text("Fra 2020 til 2024 er tallet for børn pr. voksen i daginstitutioner, 0–2 år steget").first
    ).to_be_visible()
    assert serious_violations(page, axe_source) == []
