"""The Data page: templates, upload → check → preview → confirm, history and vintages, and who may do what."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from lokalkompas.accounts.models import Membership
from lokalkompas.indicators.models import Observation, Revision, Vintage
from lokalkompas.sources.models import Upload
from tests.front.pages import body


def member(role: str = "analytiker", code: str = "751", username: str = "ana@aarhus.dk") -> Client:
    user = get_user_model().objects.create_user(username, password="Lang-nok-kode-2026", first_name="Ana Lytiker")
    Membership.objects.create(user=user, geo_id=code, role=role)
    client = Client()
    client.cookies["kommune"] = "751"
    client.force_login(user)
    return client


def csv_file(text: str, name: str = "tilfredshed.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def store_state() -> tuple[int, int, int]:
    return Observation.objects.count(), Vintage.objects.count(), Upload.objects.exclude(status="afventer").count()


def test_the_template_download_is_a_workbook_with_a_guide_and_a_data_sheet(catalogued):
    response = Client().get("/data/skabelon/foraeldretilfredshed.xlsx")
    assert response.status_code == 200 and "lokalkompas-foraeldretilfredshed.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Vejledning", "Data"]
    assert [c.value for c in workbook["Data"][1]] == ["kommune", "periode", "andel-tilfredse"]
    assert workbook["Data"]["A2"].value == "Eksempel"
    csv = Client().get("/data/skabelon/foraeldretilfredshed.csv")
    assert csv.content.startswith(b"\xef\xbb\xbfkommune;periode;andel-tilfredse")
    assert Client().get("/data/skabelon/findes-ikke.xlsx").status_code == 404


def test_a_filled_in_template_goes_through_preview_and_confirm_to_the_indicator_page(catalogued):
    workbook = load_workbook(io.BytesIO(Client().get("/data/skabelon/foraeldretilfredshed.xlsx").content))
    sheet = workbook["Data"]
    sheet.append(["Aarhus", 2024, 91.5])
    sheet.append(["751", "2025", "92,3"])
    out = io.BytesIO()
    workbook.save(out)
    client = member()
    response = client.post("/data/", {"file": SimpleUploadedFile("aarhus.xlsx", out.getvalue())})
    upload = Upload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/upload/{upload.pk}/"
    assert not Observation.objects.filter(series="upload-foraeldretilfredshed").exists()  # nothing yet
    preview = body(client.get(response["Location"]))
    assert "2 nye værdier" in preview and "91,50" in preview and "Bekræft og indlæs" in preview

    done = client.post(f"/data/upload/{upload.pk}/bekraeft/", follow=True)
    assert "2 nye og 0 ændrede værdier" in body(done)
    upload.refresh_from_db()
    assert upload.status == "indlaest" and upload.content is None and upload.vintage is not None
    assert upload.vintage.source == "upload" and upload.sha256 in upload.vintage.note
    assert "Ana Lytiker" in upload.vintage.note
    # The derived indicator is recomputed in the same step and shown on its page.
    assert Observation.objects.get(series="foraeldretilfredshed", geo_id="751", period="2025").value == 92.3
    assert "92,3" in body(Client().get("/indikator/foraeldretilfredshed/", headers={"cookie": "kommune=751"}))
    history = body(client.get("/data/"))
    assert "aarhus.xlsx" in history and f"udgave {upload.vintage_id}" in history
    vintage = body(client.get(f"/data/udgave/{upload.vintage_id}/"))
    assert upload.sha256 in vintage and "Ana Lytiker" in vintage
    assert "Ana Lytiker" not in body(Client().get(f"/data/udgave/{upload.vintage_id}/"))  # who: members only


def test_a_second_upload_shows_old_and_new_values_and_keeps_the_revision(catalogued):
    client = member()
    client.post("/data/", {"file": csv_file("kommune;periode;andel-tilfredse\nAarhus;2025;80\n")})
    client.post(f"/data/upload/{Upload.objects.get().pk}/bekraeft/")
    client.post("/data/", {"file": csv_file("kommune;periode;andel-tilfredse\nAarhus;2025;82,5\n")})
    second = Upload.objects.filter(status="afventer").get()
    preview = body(client.get(f"/data/upload/{second.pk}/"))
    assert "1 ændrede" in preview and "80,00" in preview and "82,50" in preview
    client.post(f"/data/upload/{second.pk}/bekraeft/")
    stored = Observation.objects.get(series="upload-foraeldretilfredshed", geo_id="751", period="2025")
    kept = Revision.objects.filter(series=stored.series, geo_id="751", period="2025")
    # The old value is kept as a revision.
    assert stored.value == 82.5 and list(kept.values_list("old_value", "new_value")) == [(80.0, 82.5)]


def test_a_file_with_errors_lists_every_problem_and_stores_nothing(catalogued):
    before = store_state()
    text = "kommune;periode;andel-tilfredse\nAarhus;2025;101\nAalborg;2025;80\nAarhus;2025K1;abc\n"
    response = member().post("/data/", {"file": csv_file(text)})
    page = body(response)
    assert response.status_code == 400 and "har 4 fejl. Intet er indlæst." in page
    for expected in (
        "kan ikke være over 100 %",
        "kan kun indlæse tal for Aarhus, ikke Aalborg",
        "er et kvartal",
        "er tekst",
    ):
        assert expected in page
    assert store_state() == before and not Upload.objects.exists()


def test_an_unreadable_file_gets_a_clear_message_not_an_error_page(catalogued):
    response = member().post("/data/", {"file": SimpleUploadedFile("data.xlsx", b"kommune;periode\n")})
    assert response.status_code == 400 and "er ikke en Excel-fil" in body(response)


def test_a_file_over_the_limit_is_refused_before_it_is_read(catalogued, settings):
    settings.UPLOAD_MAX_MB = 0.001
    response = member().post(
        "/data/", {"file": csv_file("kommune;periode;andel-tilfredse\n" + "Aarhus;2025;80\n" * 200)}
    )
    assert response.status_code == 400 and "grænsen er 0,001 MB" in body(response)


def test_a_discarded_upload_is_never_imported(catalogued):
    client = member()
    client.post("/data/", {"file": csv_file("kommune;periode;andel-tilfredse\nAarhus;2025;80\n")})
    upload = Upload.objects.get()
    client.post(f"/data/upload/{upload.pk}/kasser/")
    upload.refresh_from_db()
    assert upload.status == "kasseret" and upload.content is None
    client.post(f"/data/upload/{upload.pk}/bekraeft/")
    assert not Observation.objects.filter(series="upload-foraeldretilfredshed").exists()


@pytest.mark.parametrize("role, status", [("politiker", 403), ("analytiker", 302), ("administrator", 302)])
def test_only_analysts_and_administrators_of_the_municipality_upload(catalogued, role, status):
    response = member(role).post("/data/", {"file": csv_file("kommune;periode;andel-tilfredse\nAarhus;2025;80\n")})
    assert response.status_code == status


def test_another_municipalitys_analyst_can_neither_upload_nor_see_the_preview(catalogued):
    client = member()
    client.post("/data/", {"file": csv_file("kommune;periode;andel-tilfredse\nAarhus;2025;80\n")})
    upload = Upload.objects.get()
    other = member(code="851", username="ana@aalborg.dk")
    assert other.get("/data/").status_code == 403  # Aarhus chosen, member of Aalborg only
    assert other.get(f"/data/upload/{upload.pk}/").status_code == 403
    assert other.post(f"/data/upload/{upload.pk}/bekraeft/").status_code == 403
    assert Client().get("/data/").status_code == 302  # anonymous: to the login page


def test_a_failure_during_the_import_leaves_the_database_as_it_was(catalogued, monkeypatch):
    client = member()
    client.post("/data/", {"file": csv_file("kommune;periode;andel-tilfredse\nAarhus;2025;80\n")})
    upload = Upload.objects.get()
    before = store_state()

    def broken(*args, **kwargs):
        raise RuntimeError("the indicator computation failed")

    monkeypatch.setattr("lokalkompas.sources.uploads.service.compute_indicators", broken)
    response = client.post(f"/data/upload/{upload.pk}/bekraeft/", follow=True)
    assert "fejlede, og intet er gemt" in body(response)
    assert store_state() == before
    assert not Observation.objects.filter(series="upload-foraeldretilfredshed").exists()
    upload.refresh_from_db()
    assert upload.status == "afventer" and upload.content is not None  # it can be confirmed again


def test_uploads_are_refused_while_demo_data_are_loaded(catalogued):
    Vintage.objects.create(source="demo", label="DEMO", checksum="x")
    response = member().post("/data/", {"file": csv_file("kommune;periode;andel-tilfredse\nAarhus;2025;80\n")})
    assert response.status_code == 400 and "databasen indeholder demodata" in body(response)
    assert not Upload.objects.exists()
