"""A councillor goes forside → område → kalender in a real browser; every page passes axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def serious_violations(page: Page, axe_source: str) -> list[str]:
    # Evaluated through the browser's debugging protocol, not as an inline <script>: the pages' CSP would
    # (rightly) refuse that.
    page.evaluate(axe_source)
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
    result: dict[str, Any] = page.evaluate("async (tags) => await axe.run(document, {runOnly: tags})", tags)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_councillor_finds_an_area_and_its_deadlines(page: Page, site: str, axe_source: str):
    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lokalkompas")
    assert serious_violations(page, axe_source) == []

    page.get_by_label("Kommune", exact=True).first.select_option(label="Aarhus")
    page.get_by_role("button", name="Vælg", exact=True).click()
    expect(page.get_by_text("Du ser Lokalkompas for")).to_contain_text("Aarhus Kommune")

    # The overview tile and the list of areas both link to the area.
    page.get_by_role("link", name="Dagtilbud", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dagtilbud")
    expect(page.get_by_role("heading", name="Temaer til drøftelse")).to_be_visible()
    assert page.locator("article.theme").count() == 5
    assert serious_violations(page, axe_source) == []

    page.get_by_role("link", name="Dagtilbud i valgperiodens kalender").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Valgperiodens kalender 2026–2029")
    expect(page.get_by_label("Vis område")).to_have_value("dagtilbud")
    assert serious_violations(page, axe_source) == []

    page.get_by_label("Vis område").select_option(label="Alle områder")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_text("Planstrategien offentliggøres")).to_be_visible()


def test_the_skip_link_moves_focus_to_the_content(page: Page, site: str):
    page.goto(site + "/kalender/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Gå til sidens indhold"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_the_about_accessibility_and_login_pages_pass_axe(page: Page, site: str, axe_source: str):
    page.goto(site + "/om/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Om Lokalkompas")
    assert serious_violations(page, axe_source) == []
    page.get_by_role("link", name="Tilgængelighedserklæring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilgængelighed i Lokalkompas")
    assert serious_violations(page, axe_source) == []
    page.get_by_role("link", name="Log ind").click()
    page.get_by_role("button", name="Log ind").click()  # empty fields: the browser or the form says what is missing
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    assert serious_violations(page, axe_source) == []


def test_pages_work_without_javascript(browser: Any, site: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/kalender/")
    page.get_by_label("Vis område").select_option(label="Skole")
    page.get_by_role("button", name="Vis").click()
    assert "omraade=skole" in page.url
    expect(page.get_by_text("Kommunal 10. klasse lukkes ned")).to_be_visible()
    context.close()


def test_the_accessibility_check_catches_a_known_violation(page: Page, axe_source: str):
    # Guards the guard: a page with an unlabelled form field must be reported, or axe is not running.
    page.set_content('<html lang="da"><body><main><h1>Test</h1><input type="text"></main></body></html>')
    assert any(v.startswith("label ") for v in serious_violations(page, axe_source))


def test_an_analyst_reads_an_indicator_with_demo_data(page: Page, site: str, axe_source: str):
    from lokalkompas.indicators.definitions import Definitions, shipped_definitions
    from lokalkompas.indicators.demo import DemoConfig
    from lokalkompas.indicators.service import load_demo

    small = Definitions([f for f in shipped_definitions().files if f.area in ("struktur", "dagtilbud")])
    load_demo(small, DemoConfig())
    page.context.add_cookies([{"name": "kommune", "value": "751", "url": site}])
    page.goto(site + "/omraade/dagtilbud/indikatorer/")
    expect(page.get_by_text("DEMO", exact=True).first).to_be_visible()
    assert serious_violations(page, axe_source) == []
    page.get_by_role("link", name="Børn pr. voksen i daginstitutioner, 3–5 år").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Børn pr. voksen i daginstitutioner, 3–5 år")
    expect(page.get_by_role("columnheader", name="Region Midtjylland")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    page.get_by_role("link", name="Kommune", exact=True).click()
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "ascending")


@pytest.mark.parametrize("width", [768, 1280])
def test_the_menu_and_the_municipality_choice_are_there_on_a_tablet_and_a_laptop(page: Page, site: str, width: int):
    # Det Fælles Designsystem hides both behind a JavaScript menu on narrow screens; we keep them visible.
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/")
    expect(
        page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Valgperiodens kalender")
    ).to_be_visible()
    expect(page.locator("#header-kommune")).to_be_visible()


def test_a_councillor_sees_the_alerts_and_reads_the_legal_rule_they_point_to(page: Page, site: str, axe_source: str):
    import datetime as dt

    from django.utils import timezone

    from lokalkompas.indicators.definitions import Definitions, shipped_definitions
    from lokalkompas.indicators.demo import DemoConfig
    from lokalkompas.indicators.service import load_demo
    from lokalkompas.legal.models import Decision
    from lokalkompas.legal.service import load_demo_decisions, register_decision

    small = Definitions([f for f in shipped_definitions().files if f.area in ("struktur", "dagtilbud")])
    load_demo(small, DemoConfig())
    load_demo_decisions(2026, timezone.localdate())
    today = timezone.localdate()
    # A Danmarkskort last treated three years ago: last year was missed, a breach now.
    Decision.objects.filter(geo_id="751", kind="danmarkskort").delete()
    register_decision("751", "danmarkskort", dt.date(today.year - 3, 5, 1), "KB-møde, punkt 4", today)
    page.context.add_cookies([{"name": "kommune", "value": "751", "url": site}])
    page.goto(site + "/")
    expect(page.get_by_role("heading", name="Opmærksomhedspunkter for Aarhus")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    page.get_by_role("link", name="Danmarkskortet er behandlet i kommunalbestyrelsen i årets løb").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lovkrav for Aarhus Kommune")
    rule = page.locator("#danmarkskort-behandlet")
    expect(rule).to_contain_text("Ikke opfyldt – fristen er overskredet")
    expect(page.get_by_text("DEMO", exact=True).first).to_be_visible()
    assert serious_violations(page, axe_source) == []


SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def test_an_analyst_goes_from_area_to_question_indicator_compare_and_map(page: Page, site: str, axe_source: str):
    from django.utils import timezone

    from lokalkompas.indicators.definitions import Definitions, shipped_definitions
    from lokalkompas.indicators.demo import DemoConfig
    from lokalkompas.indicators.service import load_demo
    from lokalkompas.legal.service import load_demo_decisions

    small = Definitions([f for f in shipped_definitions().files if f.area in ("struktur", "dagtilbud")])
    load_demo(small, DemoConfig())
    load_demo_decisions(2026, timezone.localdate())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check(name: str) -> None:
        # Each page on a tablet and a laptop: axe at both widths, a screenshot of each for review.
        for width in (768, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            assert serious_violations(page, axe_source) == [], f"{name} at {width}px"
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)

    page.goto(site + "/")
    page.get_by_label("Kommune", exact=True).first.select_option(label="Aarhus")
    page.get_by_role("button", name="Vælg", exact=True).click()
    expect(page.get_by_role("heading", name="Overblik for Aarhus")).to_be_visible()
    check("forside")

    page.get_by_role("link", name="Dagtilbud", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dagtilbud")
    check("omraade")
    question_indicator = page.locator("ul.indicator-lines a").first
    name = question_indicator.inner_text()
    question_indicator.click()
    expect(page.get_by_role("heading", level=2, name="Udvikling")).to_be_visible()
    expect(page.locator("figure")).to_contain_text(name)
    check("indikator")

    page.goto(site + "/sammenlign/")
    expect(page.get_by_text("Lignende kommuner som Aarhus")).to_be_visible()
    page.get_by_label("Indikatorer (hold Ctrl eller Cmd nede for at vælge flere)").select_option(
        ["normering-0-2", "normering-3-5"]
    )
    page.get_by_role("button", name="Sammenlign").click()
    expect(page.locator("figure")).to_have_count(2)
    page.get_by_text("Vis data som tabel").first.click()
    expect(page.get_by_role("rowheader", name="Aarhus").first).to_be_visible()
    check("sammenlign")

    page.goto(site + "/kort/?indikator=normering-0-2")
    expect(page.get_by_text("Kortet viser de 98 kommuner")).to_be_visible()
    check("kort")
    page.goto(site + "/lovkrav/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lovkrav for Aarhus Kommune")
    check("lovkrav")
    page.goto(site + "/maal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mål for Aarhus Kommune")
    check("maal")
