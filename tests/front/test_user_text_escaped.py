"""User text is escaped everywhere: script payloads typed into every text field never reach a page raw."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lokalkompas.accounts.models import Membership
from lokalkompas.goals.models import Action, Goal
from lokalkompas.legal.models import Decision

PAYLOADS = ('<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "</textarea><svg onload=alert(1)>")


def raw_in(text: str) -> list[str]:
    """Payload fragments that would execute if they appeared unescaped."""
    return [p for p in ("<script>alert", "<img src=x", "<svg onload") if p in text]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_every_text_field_is_shown_as_text_on_every_page(catalogued, payload):
    admin = get_user_model().objects.create_user("admin@x.dk", password="Lang-nok-kode-2026", first_name=payload)
    Membership.objects.create(user=admin, geo_id="751", role="administrator")
    client = Client()
    client.cookies["kommune"] = "751"
    client.force_login(admin)
    goal_fields = {"text": payload, "area": "dagtilbud", "owner": payload, "tolerance_percent": "10", "published": "on"}
    assert client.post("/maal/nyt/", goal_fields).status_code == 302
    goal = Goal.objects.get()
    action = {"title": payload, "owner": payload, "status": "i-gang"}
    assert client.post(f"/maal/{goal.pk}/handling/ny/", action).status_code == 302
    decision = {"date": "2026-01-15", "body": payload, "text": payload, "reference": payload, "goal": str(goal.pk)}
    assert client.post("/beslutninger/ny/", decision).status_code == 302
    assert client.post(f"/maal/{goal.pk}/kommentar/", {"text": payload}).status_code == 302
    member = {"username": "ny@x.dk", "name": payload, "role": "politiker", "password": "Lang-nok-kode-2026"}
    assert client.post("/brugere/", member).status_code == 302
    # An edit, so the history shows the payload as a before-and-after value too.
    assert client.post(f"/maal/{goal.pk}/rediger/", goal_fields | {"owner": payload + "!"}).status_code == 302

    action_id = Action.objects.get().pk
    decision_id = Decision.objects.get().pk
    pages = [
        "/",
        "/maal/",
        f"/maal/{goal.pk}/",
        f"/maal/{goal.pk}/historik/",
        f"/maal/{goal.pk}/rediger/",
        f"/maal/{goal.pk}/handling/{action_id}/",
        "/beslutninger/",
        f"/beslutninger/{decision_id}/",
        "/brugere/",
    ]
    for page in pages:
        for visitor in (client, _anonymous()):
            response = visitor.get(page)
            text = response.content.decode()
            assert not raw_in(text), (page, raw_in(text))
    # And the text is there, escaped: the page shows what was typed rather than dropping it.
    assert "&lt;" in client.get(f"/maal/{goal.pk}/").content.decode()


def _anonymous() -> Client:
    client = Client()
    client.cookies["kommune"] = "751"
    return client


def test_a_decision_link_with_a_script_scheme_is_refused(catalogued):
    user = get_user_model().objects.create_user("a@x.dk", password="Lang-nok-kode-2026")
    Membership.objects.create(user=user, geo_id="751", role="analytiker")
    client = Client()
    client.cookies["kommune"] = "751"
    client.force_login(user)
    for link in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x"):
        fields = {"date": "2026-01-15", "body": "KB", "text": "x", "agenda_url": link}
        response = client.post("/beslutninger/ny/", fields)
        assert response.status_code == 400, link
    assert not Decision.objects.exists()
