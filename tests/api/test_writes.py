"""Writes through the API: uploads and goals for the token's municipality, exactly as the web app does them,
and only with a token whose role allows it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lokalkompas.accounts.models import Membership
from lokalkompas.api.models import ApiToken
from lokalkompas.api.tokens import create_token, digest
from lokalkompas.goals.history import goal_history
from lokalkompas.goals.models import Action, Goal, GoalStatusRecord
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.sources.models import Upload
from tests.api.conftest import DRAFT_TEXT, World, get, make_world

GOOD_CSV = "kommune;periode;andel-tilfredse\nAarhus;2024;91,5\n751;2025;92,3\n"
ANALYST = "analytiker@aarhus.dk"


@pytest.fixture
def writer(catalogued) -> tuple[World, str]:
    """The API test world, plus a token for an Aarhus analyst."""
    world = make_world()
    user = get_user_model().objects.create_user(ANALYST, password="Lang-nok-kode-2026", first_name="Ana Lytiker")
    Membership.objects.create(user=user, geo_id="751", role="analytiker")
    return world, create_token(ANALYST, "751", "analytiker", "Indlæsning").secret


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def upload(client: Client, token: str | None, text: str, name: str = "tilfredshed.csv", **fields: str):
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post("/api/v1/data/upload", {"file": file, **fields}, headers=bearer(token))


def send(client: Client, method: str, url: str, token: str | None, body: Any):
    call = client.post if method == "POST" else client.patch
    return call(url, json.dumps(body), content_type="application/json", headers=bearer(token))


def store_state() -> tuple[int, int, int]:
    return Observation.objects.count(), Vintage.objects.count(), Upload.objects.count()


# Uploads ------------------------------------------------------------------------------------------------


def test_an_analysts_token_uploads_a_file_and_the_values_appear_in_the_data_endpoint(writer, client):
    _world, token = writer
    response = upload(client, token, GOOD_CSV)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["imported"] is True and answer["new_values"] == 2 and answer["template"] == "foraeldretilfredshed"
    stored = Upload.objects.get(pk=answer["upload_id"])
    assert stored.status == "indlaest" and stored.user is not None and stored.user.username == ANALYST
    assert stored.vintage_id == answer["vintage_id"] and "Ana Lytiker" in stored.vintage.note
    # The derived indicator was recomputed in the same step, and the API serves it with its vintage.
    rows = get(client, "/api/v1/data?indicator=foraeldretilfredshed&geo=751").json()["rows"]
    assert {r["period"]: r["value"] for r in rows} == {"2024": 91.5, "2025": 92.3}
    assert {r["source"] for r in rows} == {"derived"}
    # The uploaded values themselves are the vintage the answer names.
    raw = Observation.objects.filter(vintage_id=answer["vintage_id"]).values_list("series", "geo_id", "period")
    assert sorted(raw) == [
        ("upload-foraeldretilfredshed", "751", "2024"),
        ("upload-foraeldretilfredshed", "751", "2025"),
    ]


def test_a_dry_run_shows_new_and_changed_values_and_stores_nothing(writer, client):
    _world, token = writer
    assert upload(client, token, "kommune;periode;andel-tilfredse\nAarhus;2025;80\n").status_code == 201
    before = store_state()
    response = upload(client, token, GOOD_CSV.replace("92,3", "82,5"), dry_run="true")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["dry_run"] is True and answer["imported"] is False and answer["upload_id"] is None
    assert (answer["new_values"], answer["changed_values"]) == (1, 1)
    assert answer["changed"] == [
        {
            "series": "upload-foraeldretilfredshed",
            "series_name": answer["changed"][0]["series_name"],
            "geo": "751",
            "geo_name": "Aarhus",
            "period": "2025",
            "old": 80.0,
            "new": 82.5,
        }
    ]
    assert store_state() == before


def test_a_file_with_errors_gets_each_row_and_column_in_danish_and_changes_nothing(writer, client):
    _world, token = writer
    before = store_state()
    text = "kommune;periode;andel-tilfredse\nAarhus;2025;101\nAalborg;2025;80\nAarhus;2025K1;abc\n"
    response = upload(client, token, text)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["kode"] == "fejl_i_filen" and body["besked"] == "tilfredshed.csv har 4 fejl. Intet er indlæst."
    assert body["antal_fejl"] == 4
    by_row = {(p["row"], p["column"]): p for p in body["fejl"]}
    assert "kan ikke være over 100 %" in by_row[(2, "andel-tilfredse")]["message"]
    assert "kan kun indlæse tal for Aarhus, ikke Aalborg" in by_row[(3, "kommune")]["message"]
    assert by_row[(4, "andel-tilfredse")]["value"] == "abc"
    assert by_row[(2, "andel-tilfredse")]["text"].startswith("tilfredshed.csv, række 2, kolonne andel-tilfredse: ")
    assert store_state() == before


def test_an_unreadable_file_gets_a_danish_422_not_a_traceback(writer, client):
    _world, token = writer
    file = SimpleUploadedFile("data.xlsx", b"kommune;periode\n")
    response = client.post("/api/v1/data/upload", {"file": file}, headers=bearer(token))
    assert response.status_code == 422
    assert response.json()["kode"] == "ulaeselig_fil" and "er ikke en Excel-fil" in response.json()["besked"]


def test_a_file_over_the_limit_is_refused_before_it_is_read(writer, client, settings):
    _world, token = writer
    settings.UPLOAD_MAX_MB = 0.001
    response = upload(client, token, "kommune;periode;andel-tilfredse\n" + "Aarhus;2025;80\n" * 200)
    assert response.status_code == 413
    assert response.json()["kode"] == "for_stor_fil" and "grænsen er 0,001 MB" in response.json()["besked"]


def test_an_upload_without_a_file_names_the_missing_parameter(writer, client):
    _world, token = writer
    response = client.post("/api/v1/data/upload", {"dry_run": "true"}, headers=bearer(token))
    assert response.status_code == 422
    assert response.json() == {"kode": "ugyldig_parameter", "besked": "Parameteren 'file' mangler."}


def test_uploads_are_refused_while_demo_data_are_loaded(writer, client):
    _world, token = writer
    Vintage.objects.create(source=Vintage.Source.DEMO, label="DEMO", checksum="x")
    before = store_state()
    response = upload(client, token, GOOD_CSV)
    assert response.status_code == 409
    assert response.json()["kode"] == "demodata_indlaest" and "lokalkompas demo clear" in response.json()["besked"]
    assert store_state() == before


def test_a_politicians_token_cannot_upload(writer, client):
    world, _token = writer
    before = store_state()
    response = upload(client, world.tokens["aarhus-politiker"], GOOD_CSV)
    assert response.status_code == 403
    body = response.json()
    assert body["kode"] == "mangler_rettighed" and "rollen politiker i Aarhus" in body["besked"]
    assert store_state() == before


def test_another_municipalitys_token_cannot_load_values_for_this_one(writer, client):
    world, _token = writer
    before = store_state()
    response = upload(client, world.tokens["odense-analytiker"], GOOD_CSV)
    assert response.status_code == 422
    messages = {p["message"] for p in response.json()["fejl"]}
    assert any("kan kun indlæse tal for Odense, ikke Aarhus" in m for m in messages)
    assert store_state() == before


# Who may write at all -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("POST", "/api/v1/data/upload"), ("POST", "/api/v1/maal"), ("PATCH", "/api/v1/maal/1")],
)
def test_a_write_without_a_token_gets_a_danish_401(writer, client, method, url):
    response = send(client, method, url, None, {"text": "x"})
    assert response.status_code == 401
    assert response.json()["kode"] == "mangler_noegle" and "Authorization: Bearer" in response.json()["besked"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_signed_in_session_is_no_token_for_writes(writer, client):
    client.force_login(get_user_model().objects.get(username=ANALYST))
    response = send(client, "POST", "/api/v1/maal", None, {"area": "dagtilbud", "text": "Fra en cookie"})
    assert response.status_code == 401
    assert not Goal.objects.filter(text="Fra en cookie").exists()


def test_a_revoked_token_cannot_write(writer, client):
    _world, token = writer
    ApiToken.objects.filter(digest=digest(token)).update(revoked_at="2026-01-01T00:00:00Z")
    response = send(client, "POST", "/api/v1/maal", token, {"area": "dagtilbud", "text": "Tilbagekaldt"})
    assert response.status_code == 401 and response.json()["kode"] == "ugyldig_noegle"
    assert not Goal.objects.filter(text="Tilbagekaldt").exists()


def test_a_token_whose_user_lost_the_role_cannot_write(writer, client):
    _world, token = writer
    Membership.objects.filter(user__username=ANALYST).update(role="politiker")
    response = send(client, "POST", "/api/v1/maal", token, {"area": "dagtilbud", "text": "Efter degradering"})
    assert response.status_code == 403 and response.json()["kode"] == "mangler_rettighed"
    assert not Goal.objects.filter(text="Efter degradering").exists()


# Goals --------------------------------------------------------------------------------------------------


def test_creating_a_goal_records_the_tokens_user_as_author_in_the_history(writer, client):
    _world, token = writer
    body = {
        "area": "dagtilbud",
        "text": "Flere voksne pr. barn",
        "indicator": "normering-0-2",
        "baseline_value": 3.1,
        "baseline_period": "2023",
        "target_value": 2.8,
        "target_period": "2028",
        "owner": "Børne- og Ungeudvalget",
    }
    response = send(client, "POST", "/api/v1/maal", token, body)
    assert response.status_code == 201, response.content
    answer = response.json()
    goal = Goal.objects.get(pk=answer["id"])
    assert goal.geo_id == "751" and goal.created_by is not None and goal.created_by.username == ANALYST
    assert answer["published"] is False and answer["tolerance_percent"] == 10.0
    assert Goal.history.get(id=goal.pk).history_user.username == ANALYST
    assert goal_history(goal.pk)[0].who == "Ana Lytiker"
    # The status is computed and recorded at once, as when the web form saves.
    assert answer["status"] == "mangler data" and GoalStatusRecord.objects.filter(goal=goal).exists()


def test_updating_a_goal_changes_only_the_given_fields_and_records_who(writer, client):
    world, token = writer
    before = Goal.objects.get(pk=world.published.pk)
    response = send(client, "PATCH", f"/api/v1/maal/{before.pk}", token, {"owner": "Økonomiudvalget"})
    assert response.status_code == 200, response.content
    after = Goal.objects.get(pk=before.pk)
    assert after.owner == "Økonomiudvalget"
    assert (after.text, after.area_id, after.published, after.tolerance) == (
        before.text,
        before.area_id,
        before.published,
        before.tolerance,
    )
    latest = goal_history(after.pk)[0]
    assert latest.who == "Ana Lytiker" and latest.what.startswith("Mål ændret")
    assert [(c.label, c.after) for c in latest.changes] == [("Ansvarligt udvalg", "Økonomiudvalget")]


def test_a_draft_goal_stays_hidden_from_anonymous_readers_until_it_is_published(writer, client):
    _world, token = writer
    created = send(client, "POST", "/api/v1/maal", token, {"area": "dagtilbud", "text": "Ny kladde fra API'et"})
    assert created.status_code == 201, created.content
    goal_id = created.json()["id"]

    def anonymous_texts() -> set[str]:
        return {g["text"] for g in get(Client(), "/api/v1/maal?geo=751").json()}

    assert "Ny kladde fra API'et" not in anonymous_texts()
    assert "Ny kladde fra API'et" in {g["text"] for g in get(client, "/api/v1/maal?geo=751", token).json()}
    assert send(client, "PATCH", f"/api/v1/maal/{goal_id}", token, {"published": True}).status_code == 200
    assert "Ny kladde fra API'et" in anonymous_texts()


def test_a_goal_with_invalid_fields_gets_danish_field_errors_and_is_not_saved(writer, client):
    _world, token = writer
    body = {"area": "dagtilbud", "theme": "aeldre-1", "text": "Ugyldigt", "indicator": "normering-0-2"}
    body |= {"baseline_value": 3.0, "baseline_period": "2024", "target_period": "2023"}
    response = send(client, "POST", "/api/v1/maal", token, body)
    assert response.status_code == 422, response.content
    answer = response.json()
    fields = {p["field"] for p in answer["fejl"]}
    assert answer["kode"] == "ugyldige_felter" and {"theme", "target_value"} <= fields
    assert "Angiv målværdien." in answer["besked"]
    assert not Goal.objects.filter(text="Ugyldigt").exists()


def test_another_municipalitys_token_can_neither_change_nor_find_this_municipalitys_goals(writer, client):
    world, _token = writer
    odense = world.tokens["odense-analytiker"]
    published = send(client, "PATCH", f"/api/v1/maal/{world.published.pk}", odense, {"text": "Kapret"})
    assert published.status_code == 403 and published.json()["kode"] == "anden_kommune"
    draft = send(client, "PATCH", f"/api/v1/maal/{world.draft.pk}", odense, {"text": "Kapret"})
    assert draft.status_code == 404 and DRAFT_TEXT not in draft.content.decode()
    created = send(client, "POST", "/api/v1/maal", odense, {"geo": "751", "area": "dagtilbud", "text": "Kapret"})
    assert created.status_code == 403 and "Odense" in created.json()["besked"]
    assert not Goal.objects.filter(text="Kapret").exists()


def test_a_politicians_token_cannot_change_a_goal(writer, client):
    world, _token = writer
    response = send(client, "PATCH", f"/api/v1/maal/{world.draft.pk}", world.tokens["aarhus-politiker"], {"text": "x"})
    assert response.status_code == 403 and response.json()["kode"] == "mangler_rettighed"
    assert Goal.objects.get(pk=world.draft.pk).text == DRAFT_TEXT


def test_actions_are_added_and_changed_with_the_tokens_user_in_the_history(writer, client):
    world, token = writer
    url = f"/api/v1/maal/{world.published.pk}/handlinger"
    created = send(client, "POST", url, token, {"title": "Ansæt flere pædagoger", "deadline": "2027-06-30"})
    assert created.status_code == 201, created.content
    action_id = created.json()["id"]
    assert created.json()["status"] == "ikke-startet"
    changed = send(client, "PATCH", f"{url}/{action_id}", token, {"status": "i-gang"})
    assert changed.status_code == 200 and changed.json()["deadline"] == "2027-06-30"
    assert Action.objects.get(pk=action_id).status == "i-gang"
    assert {r.history_user.username for r in Action.history.filter(id=action_id)} == {ANALYST}
    listed = get(client, "/api/v1/maal?geo=751").json()
    assert [a["id"] for g in listed if g["id"] == world.published.pk for a in g["actions"]] == [action_id]
    missing = send(client, "PATCH", f"{url}/{action_id + 1000}", token, {"status": "faerdig"})
    assert missing.status_code == 404 and missing.json()["kode"] == "ukendt_handling"


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/v1/maal", "{not json"),
        ("POST", "/api/v1/maal", json.dumps({"area": ["dagtilbud"], "text": 7})),
        ("POST", "/api/v1/maal", json.dumps({"area": "findes-ikke", "text": "x"})),
        ("POST", "/api/v1/maal", json.dumps({"area": "dagtilbud", "text": "x", "tolerance_percent": 1e308})),
        ("PATCH", "/api/v1/maal/99999999999", json.dumps({"text": "x"})),
        ("PATCH", "/api/v1/maal/0", json.dumps({"text": "x"})),
        ("POST", "/api/v1/maal/1/handlinger", json.dumps({"title": "x", "status": "slut"})),
        ("POST", "/api/v1/data/upload", "not multipart"),
    ],
)
def test_junk_gets_a_danish_4xx_answer_with_a_code(writer, client, method, url, body):
    _world, token = writer
    call = client.post if method == "POST" else client.patch
    response = call(url, body, content_type="application/json", headers=bearer(token))
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["kode"] and "Traceback" not in response.content.decode()


def test_a_body_that_is_no_json_gets_a_danish_400(writer, client):
    _world, token = writer
    response = client.post("/api/v1/maal", b"\x00{", content_type="application/json", headers=bearer(token))
    assert response.status_code == 400
    assert response.json()["kode"] == "ugyldigt_indhold" and "Send JSON" in response.json()["besked"]


def test_the_write_operations_are_documented_with_security_bodies_and_errors(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}
    operations = {
        ("post", "/api/v1/data/upload"): {"201", "401", "403", "409", "413", "422"},
        ("post", "/api/v1/maal"): {"201", "401", "403", "422"},
        ("patch", "/api/v1/maal/{goal_id}"): {"200", "401", "403", "404", "422"},
        ("post", "/api/v1/maal/{goal_id}/handlinger"): {"201", "401", "403", "404", "422"},
        ("patch", "/api/v1/maal/{goal_id}/handlinger/{action_id}"): {"200", "401", "403", "404", "422"},
    }
    for (method, path), statuses in operations.items():
        operation = schema["paths"][path][method]
        assert operation["security"] == [{"BearerToken": []}], path
        assert "requestBody" in operation, path
        assert statuses <= set(operation["responses"]), path
    upload_body = schema["paths"]["/api/v1/data/upload"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload_body
    # Reads stay open: no security on the GET operations.
    assert "security" not in schema["paths"]["/api/v1/maal"]["get"]


def test_the_guide_page_shows_the_writes_with_curl_and_python_in_danish(catalogued, client):
    page = client.get("/om/api/").content.decode()
    assert "Indlæs data og skriv mål" in page
    assert "-F file=@tilfredshed.xlsx -F dry_run=true" in page and "/data/upload" in page
    assert "api.patch(f\"/maal/{maal['id']}\"" in page
    assert "mangler_rettighed" in page and "fejl_i_filen" in page
