"""The API's pages: the public guide, and each user's own tokens (shown once, revocable, never another's)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from lokalkompas.accounts.models import Membership
from lokalkompas.api.models import ApiToken
from lokalkompas.api.tokens import digest
from lokalkompas.lib.formatting import format_date


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
    response = councillor.post("/konto/api-noegler/", {"name": "Analyse", "membership": "751:politiker", "days": "90"})
    assert response.status_code == 200
    secret = re.search(r'<code id="ny-noegle">(lk_[^<]+)</code>', response.content.decode())
    assert secret is not None
    assert ApiToken.objects.get().digest == digest(secret.group(1))
    assert secret.group(1) not in councillor.get("/konto/api-noegler/").content.decode()


def test_it_offers_no_role_above_the_users_own(councillor):
    response = councillor.post(
        "/konto/api-noegler/", {"name": "For meget", "membership": "751:analytiker", "days": "90"}
    )
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


def test_it_makes_a_token_for_the_chosen_time_and_shows_when_it_expires(councillor):
    response = councillor.post("/konto/api-noegler/", {"name": "Et år", "membership": "751:politiker", "days": "365"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.expires_at is not None
    assert (token.expires_at - token.created_at).days == 365
    page = councillor.get("/konto/api-noegler/").content.decode()
    assert f"Aktiv til {format_date(timezone.localdate(token.expires_at))}" in page


def test_it_offers_the_configured_default_lifetime_first_chosen(councillor, settings):
    settings.API_TOKEN_DAYS = 60
    page = councillor.get("/konto/api-noegler/").content.decode()
    assert re.search(r'<option value="60" selected>60 dage \(standard\)</option>', page)
    assert '<option value="730">2 år</option>' in page


@pytest.mark.parametrize("days", ["1000", "7", "", "tre"])
def test_it_refuses_a_lifetime_it_does_not_offer(councillor, days):
    response = councillor.post("/konto/api-noegler/", {"name": "X", "membership": "751:politiker", "days": days})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_listed_as_expired_without_a_revoke_button(councillor):
    councillor.post("/konto/api-noegler/", {"name": "Gammel", "membership": "751:politiker", "days": "30"})
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(days=2))
    page = councillor.get("/konto/api-noegler/").content.decode()
    assert "Udløbet" in page
    assert "Tilbagekald<span" not in page
