"""The API's pages: the public guide, and each user's own tokens (shown once, revocable, never another's)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lokalkompas.accounts.models import Membership
from lokalkompas.api.models import ApiToken
from lokalkompas.api.tokens import digest


@pytest.fixture
def councillor(catalogued) -> Client:
    user = get_user_model().objects.create_user("politiker@aarhus.dk", password="Lang-nok-kode-2026")
    Membership.objects.create(user=user, geo_id="751", role="politiker")
    client = Client()
    client.force_login(user)
    return client


def test_the_guide_shows_curl_and_python_examples_without_login(catalogued, client):
    page = client.get("/om/api/").content.decode()
    assert "curl" in page and "import httpx" in page
    assert "/api/v1/openapi.json" in page


def test_it_sends_anonymous_visitors_to_login_for_tokens(catalogued, client):
    response = client.get("/konto/api-noegler/")
    assert response.status_code == 302
    assert "/log-ind/" in response["Location"]


def test_it_creates_a_token_shown_once_and_stored_hashed(councillor):
    response = councillor.post("/konto/api-noegler/", {"name": "Analyse", "membership": "751:politiker"})
    assert response.status_code == 200
    secret = re.search(r'<code id="ny-noegle">(lk_[^<]+)</code>', response.content.decode())
    assert secret is not None
    assert ApiToken.objects.get().digest == digest(secret.group(1))
    assert secret.group(1) not in councillor.get("/konto/api-noegler/").content.decode()


def test_it_offers_no_role_above_the_users_own(councillor):
    response = councillor.post("/konto/api-noegler/", {"name": "For meget", "membership": "751:analytiker"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_it_lets_a_user_revoke_only_their_own_tokens(councillor, catalogued):
    from lokalkompas.api.tokens import create_token

    other = get_user_model().objects.create_user("analytiker@odense.dk", password="Lang-nok-kode-2026")
    Membership.objects.create(user=other, geo_id="461", role="analytiker")
    theirs = create_token("analytiker@odense.dk", "461", "analytiker", "Odenses").token
    councillor.post(f"/konto/api-noegler/{theirs.pk}/tilbagekald/")
    theirs.refresh_from_db()
    assert theirs.active
    mine = create_token("politiker@aarhus.dk", "751", "politiker", "Min").token
    councillor.post(f"/konto/api-noegler/{mine.pk}/tilbagekald/")
    mine.refresh_from_db()
    assert not mine.active
