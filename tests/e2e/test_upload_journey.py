"""An analyst downloads a template, fills it in, uploads it, reads the preview and confirms, in a real
browser with axe on every page; a file with errors is explained row by row."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from lokalkompas.accounts.models import Membership
from lokalkompas.indicators.models import Observation
from tests.e2e.test_council_journey import serious_violations
from tests.e2e.test_goal_journey import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def test_a_template_goes_from_download_to_preview_to_the_store(page: Page, site: str, axe_source: str, tmp_path: Path):
    user = get_user_model().objects.create_user("ana@aarhus.dk", password=PASSWORD, first_name="Ana Lytiker")
    Membership.objects.create(user=user, geo_id="751", role="analytiker")
    page.context.add_cookies([{"name": "kommune", "value": "751", "url": site}])
    log_in(page, site, "ana@aarhus.dk")
    page.get_by_role("link", name="Data", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommunens egne data: Aarhus")
    assert serious_violations(page, axe_source) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel – Forældretilfredshed").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    workbook["Data"].append(["Aarhus", "2025", "88,4"])
    filled = tmp_path / "tilfredshed-aarhus.xlsx"
    workbook.save(filled)

    bad = tmp_path / "fejl.csv"
    bad.write_text("kommune;periode;andel-tilfredse\nAarhus;2025;140\n", encoding="utf-8")
    page.get_by_label("Fil (xlsx eller csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_text("fejl.csv har 1 fejl. Intet er indlæst.")).to_be_visible()
    expect(page.get_by_role("cell", name="Umulig værdi: kan ikke være over 100 %")).to_be_visible()
    assert serious_violations(page, axe_source) == []

    page.get_by_label("Fil (xlsx eller csv)").set_input_files(str(filled))
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forhåndsvisning af tilfredshed-aarhus.xlsx")
    expect(page.get_by_role("cell", name="88,40")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    assert not Observation.objects.filter(series="upload-foraeldretilfredshed").exists()

    page.get_by_role("button", name="Bekræft og indlæs").click()
    expect(page.get_by_text("tilfredshed-aarhus.xlsx er indlæst: 1 nye og 0 ændrede værdier.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="tilfredshed-aarhus.xlsx")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    assert Observation.objects.get(series="upload-foraeldretilfredshed", geo_id="751", period="2025").value == 88.4

    page.get_by_role("link", name="Indlæst (udgave").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Upload: tilfredshed-aarhus.xlsx")
    assert serious_violations(page, axe_source) == []
