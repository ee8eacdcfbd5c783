"""An analyst sets a goal with a suggested target and an action; a politician comments; the public sees
the goal only once it is published. A real browser, axe on every page on the way."""

from __future__ import annotations

import polars as pl
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from lokalkompas.accounts.models import Membership
from lokalkompas.goals.models import Goal
from lokalkompas.indicators.store import write_observations
from lokalkompas.registry.models import Geography
from tests.e2e.test_council_journey import serious_violations

pytestmark = pytest.mark.e2e
PASSWORD = "Lang-nok-kode-2026"
GOAL_TEXT = "Færre børn pr. voksen i vuggestuerne"


@pytest.fixture
def aarhus_people(site: str) -> str:
    """An analyst and a politician in Aarhus, and normering values for the target helper."""
    users = get_user_model()
    for username, name, role in (
        ("ana@aarhus.dk", "Ana Lytiker", "analytiker"),
        ("pol@aarhus.dk", "Poul Itiker", "politiker"),
    ):
        user = users.objects.create_user(username, password=PASSWORD, first_name=name)
        Membership.objects.create(user=user, geo_id="751", role=role)
    codes = list(Geography.objects.filter(kind="municipality").values_list("code", flat=True))
    rows = [
        ("normering-0-2", code, str(year), "", 2.7 + (i % 9) * 0.08 - 0.02 * (year - 2020), "ok")
        for i, code in enumerate(codes)
        for year in range(2020, 2025)
    ]
    write_observations(
        pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row"),
        source="statbank",
        label="e2e",
    )
    return site


def log_in(page: Page, site: str, username: str) -> None:
    page.goto(site + "/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()
    expect(page.get_by_text("Logget ind som")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()


def test_a_goal_goes_from_draft_with_a_suggested_target_to_published(page: Page, aarhus_people: str, axe_source: str):
    site = aarhus_people
    page.context.add_cookies([{"name": "kommune", "value": "751", "url": site}])  # Aarhus chosen throughout
    log_in(page, site, "ana@aarhus.dk")
    page.goto(site + "/maal/")
    page.get_by_role("link", name="Opret nyt mål").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyt mål for Aarhus")
    assert serious_violations(page, axe_source) == []

    page.get_by_label("Målet", exact=True).fill(GOAL_TEXT)
    page.get_by_label("Område", exact=True).select_option(label="Dagtilbud")
    page.get_by_label("Indikator").select_option(label="Børn pr. voksen i daginstitutioner, 0–2 år")
    page.get_by_label("Målperiode").fill("2029")
    page.get_by_role("button", name="Beregn forslag til målværdi").click()
    expect(page.get_by_text("Kommunegruppens median:")).to_be_visible()
    expect(page.get_by_text("Udviklingen fortsætter:")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    suggested = page.get_by_role("button", name="(Den bedste fjerdedel)")
    value = suggested.inner_text().removeprefix("Brug ").split("(")[0].strip()
    suggested.click()
    expect(page.get_by_label("Målværdi")).to_have_value(value)
    expect(page.get_by_label("Målet", exact=True)).to_have_value(GOAL_TEXT)  # what was typed survives the helper
    page.get_by_role("button", name="Opret målet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(GOAL_TEXT)
    expect(page.get_by_text("Udkast – kun synligt for medlemmer")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    goal = Goal.objects.get(text=GOAL_TEXT)
    assert f"{goal.target_value:.1f}".replace(".", ",") == value and not goal.published

    page.get_by_role("link", name="Tilføj handling").click()
    page.get_by_label("Handling", exact=True).fill("Ansæt flere pædagoger i vuggestuerne")
    page.get_by_label("Ansvarlig").fill("Børn og Unge")
    page.get_by_label("Frist").fill("2027-06-30")
    page.get_by_label("Status").select_option(label="I gang")
    assert serious_violations(page, axe_source) == []
    page.get_by_role("button", name="Gem handling").click()
    expect(page.get_by_role("cell", name="Børn og Unge")).to_be_visible()
    log_out(page)

    log_in(page, site, "pol@aarhus.dk")
    page.goto(site + "/maal/")
    page.get_by_role("link", name=GOAL_TEXT).click()
    page.get_by_label("Din kommentar").fill("Hvordan rekrutterer vi dem?")
    page.get_by_role("button", name="Gem kommentar").click()
    expect(page.get_by_text("Hvordan rekrutterer vi dem?")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    log_out(page)

    # The public: the draft is nowhere, not even at its address.
    page.goto(site + "/maal/")
    expect(page.get_by_text(GOAL_TEXT)).to_have_count(0)
    response = page.goto(site + f"/maal/{goal.pk}/")
    assert response is not None and response.status == 404

    log_in(page, site, "ana@aarhus.dk")
    page.goto(site + f"/maal/{goal.pk}/rediger/")
    page.locator("label[for=id_published]").click()
    page.get_by_role("button", name="Gem ændringer").click()
    expect(page.get_by_text("Målet er gemt.")).to_be_visible()
    page.get_by_role("link", name="Se historik").click()
    expect(page.get_by_role("heading", name="Mål ændret").first).to_be_visible()
    assert serious_violations(page, axe_source) == []
    log_out(page)

    page.goto(site + "/maal/")
    page.get_by_role("link", name=GOAL_TEXT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(GOAL_TEXT)
    expect(page.get_by_role("cell", name="Børn og Unge")).to_be_visible()
    expect(page.get_by_text("Hvordan rekrutterer vi dem?")).to_have_count(0)  # comments stay internal
    assert serious_violations(page, axe_source) == []


def test_the_decision_log_its_form_and_the_users_page_pass_axe(page: Page, site: str, axe_source: str):
    admin = get_user_model().objects.create_user("admin@aarhus.dk", password=PASSWORD, first_name="Ada Min")
    Membership.objects.create(user=admin, geo_id="751", role="administrator")
    page.context.add_cookies([{"name": "kommune", "value": "751", "url": site}])
    log_in(page, site, "admin@aarhus.dk")

    page.get_by_role("link", name="Beslutninger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beslutninger i Aarhus Kommune")
    page.get_by_role("link", name="Registrér en beslutning").click()
    page.get_by_label("Mødedato").fill("2026-03-10")
    page.get_by_label("Link til dagsordenspunktet").fill("javascript:alert(1)")
    page.get_by_role("button", name="Gem beslutning").click()
    expect(page.get_by_text("Beslutningen er ikke gemt")).to_be_visible()  # no text, a bad link
    assert serious_violations(page, axe_source) == []
    page.get_by_label("Beslutningen", exact=True).fill("Budgetforliget for 2027 er vedtaget.")
    page.get_by_label("Link til dagsordenspunktet").fill("https://aarhus.dk/dagsorden/12")
    page.get_by_role("button", name="Gem beslutning").click()
    expect(page.get_by_role("rowheader", name="Budgetforliget for 2027 er vedtaget.")).to_be_visible()
    assert serious_violations(page, axe_source) == []

    page.get_by_role("link", name="Brugere").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brugere og roller i Aarhus Kommune")
    page.get_by_label("Brugernavn").fill("ny@aarhus.dk")
    page.get_by_label("Rolle", exact=True).select_option(label="Politiker")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Giv rollen").click()
    expect(page.get_by_role("rowheader", name="ny@aarhus.dk")).to_be_visible()
    assert serious_violations(page, axe_source) == []

    page.goto(site + "/maal/")
    assert serious_violations(page, axe_source) == []
    page.goto(site + "/maal/999999/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    assert serious_violations(page, axe_source) == []
