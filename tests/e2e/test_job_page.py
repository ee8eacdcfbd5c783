"""A background job in a real browser, with axe: a politician asks for an issued brief's PDF and Word file,
the job page says it is queued, the worker runs it, and a reload shows it done with the downloads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from lokalkompas.accounts.models import Membership
from lokalkompas.briefs.models import IssuedBrief
from tests.briefs.factory import sample_brief
from tests.e2e.test_council_journey import serious_violations
from tests.e2e.test_goal_journey import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def test_the_job_page_shows_queued_then_done_with_the_downloads_and_passes_axe(page: Page, site: str, axe_source: str):
    user = get_user_model().objects.create_user("pol@aarhus.dk", password=PASSWORD, first_name="Poul Itiker")
    Membership.objects.create(user=user, geo_id="751", role="politiker")
    brief = sample_brief(1)
    issued = IssuedBrief.objects.create(geo_id="751", title=brief.title, issued_by_name="Ana", content=brief.to_json())
    page.context.add_cookies([{"name": "kommune", "value": "751", "url": site}])
    log_in(page, site, "pol@aarhus.dk")

    page.goto(f"{site}/oplaeg/{issued.pk}/")
    page.get_by_role("button", name="Skriv PDF og Word i baggrunden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PDF og Word af et udstedt oplæg")
    expect(page.get_by_role("status")).to_contain_text("Status: I kø")
    expect(page.get_by_role("link", name="Hent som PDF")).to_have_count(0)
    assert serious_violations(page, axe_source) == []

    # The live server's database is committed (a transactional test), so the worker runs unchanged.
    call_command("worker", "--en-gang", stdout=io.StringIO())
    page.get_by_role("link", name="Opdater status").click()
    expect(page.get_by_role("status")).to_contain_text("Status: Færdig")
    expect(page.get_by_role("link", name="Opdater status")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som PDF").click()
    issued.refresh_from_db()
    assert issued.pdf is not None
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes() == bytes(issued.pdf)
    assert serious_violations(page, axe_source) == []
