"""The API guide and a user's API tokens in a real browser, with axe: a token is shown once, then revoked."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from lokalkompas.accounts.models import Membership
from tests.e2e.test_council_journey import serious_violations
from tests.e2e.test_goal_journey import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def test_the_api_guide_and_the_token_page_pass_axe(page: Page, site: str, axe_source: str):
    user = get_user_model().objects.create_user("ana@aarhus.dk", password=PASSWORD, first_name="Ana Lytiker")
    Membership.objects.create(user=user, geo_id="751", role="analytiker")

    page.goto(site + "/")
    page.get_by_role("link", name="Åbent API").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("curl").first).to_be_visible()
    assert serious_violations(page, axe_source) == []

    log_in(page, site, "ana@aarhus.dk")
    page.goto(site + "/konto/api-noegler/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine API-nøgler")
    assert serious_violations(page, axe_source) == []
    page.get_by_label("Navn", exact=True).fill("Analyse i R")
    page.get_by_role("button", name="Opret nøgle").click()
    expect(page.get_by_text("Din nye nøgle")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Analyse i R")).to_be_visible()
    assert serious_violations(page, axe_source) == []
