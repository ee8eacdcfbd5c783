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


def test_the_demography_page_takes_a_scenario_and_passes_axe(page: Page, site: str, axe_source: str):
    rows = [
        ("befolkningsprognose", "751", str(y), str(a), 3000.0 + 30 * (y - 2026) * (a >= 80), "ok")
        for y in range(2026, 2031)
        for a in range(101)
    ]
    frame = pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")
    write_observations(frame, source="upload", label="e2e")
    page.context.add_cookies([{"name": "kommune", "value": "751", "url": site}])

    page.goto(site + "/oekonomi/")
    page.get_by_role("link", name="Demografi og fremtidens efterspørgsel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demografi og fremtidens efterspørgsel i Aarhus")
    expect(page.get_by_text("Antallet af 80-årige og ældre vokser")).to_be_visible()
    assert serious_violations(page, axe_source) == []

    page.get_by_label("Dækningsgrad 0–2 år (%)").fill("50")
    page.get_by_role("button", name="Beregn").click()
    # 9.000 children aged 0–2 at 50 %: 4.500 places in the first year.
    first_year = page.locator("tr", has=page.get_by_role("rowheader", name="2026", exact=True))
    expect(first_year).to_contain_text("4.500")
    page.get_by_label("Elever pr. klasse").fill("0")
    page.get_by_role("button", name="Beregn").click()
    expect(page.get_by_text("Scenariet kan ikke beregnes")).to_be_visible()
    assert serious_violations(page, axe_source) == []
