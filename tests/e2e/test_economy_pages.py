"""The budget follow-up pages in a real browser, with axe: the overview and one area with its chart."""

from __future__ import annotations

import polars as pl
import pytest
from playwright.sync_api import Page, expect

from lokalkompas.indicators.store import write_observations
from tests.e2e.test_council_journey import serious_violations

pytestmark = pytest.mark.e2e


def test_the_economy_overview_and_an_area_page_pass_axe(page: Page, site: str, axe_source: str):
    rows = [
        ("forbrug-aeldre", "751", f"{y}M{m:02d}", "", 250_000.0 + 40_000 * (m == 12), "ok")
        for y in (2023, 2024)
        for m in range(1, 13)
    ]
    rows += [("forbrug-aeldre", "751", f"2025M{m:02d}", "", 262_000.0, "ok") for m in range(1, 10)]
    rows += [("korrigeret-budget-aeldre", "751", "2025", "", 3_050_000.0, "ok")]
    frame = pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")
    write_observations(frame, source="upload", label="e2e")
    page.context.add_cookies([{"name": "kommune", "value": "751", "url": site}])

    page.goto(site + "/")
    page.get_by_role("link", name="Økonomi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budgetopfølgning for Aarhus Kommune")
    expect(page.get_by_text("2.358,0 mio. kr.")).to_be_visible()  # nine months at 262 mio. kr.
    assert serious_violations(page, axe_source) == []

    page.get_by_role("link", name="Ældre").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("budgetopfølgning for Aarhus")
    page.get_by_text("Vis data som tabel").click()
    expect(page.get_by_role("rowheader", name="September 2025")).to_be_visible()
    assert serious_violations(page, axe_source) == []
