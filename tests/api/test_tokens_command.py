"""`lokalkompas tokens create|list|revoke`: the token is printed once, stored hashed, and revocable."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from lokalkompas.accounts.models import Membership
from lokalkompas.api.models import ApiToken
from lokalkompas.api.tokens import digest
from lokalkompas.lib.formatting import format_date


@pytest.fixture
def councillor(catalogued) -> None:
    user = get_user_model().objects.create_user("politiker@aarhus.dk", password="Lang-nok-kode-2026")
    Membership.objects.create(user=user, geo_id="751", role="politiker")


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("tokens", *args, stdout=out)
    return out.getvalue()


def test_it_prints_a_new_token_once_and_stores_its_digest(councillor):
    output = _run("create", "--brugernavn", "politiker@aarhus.dk", "--kommune", "0751", "--rolle", "politiker")
    secret = next(line for line in output.splitlines() if line.startswith("lk_"))
    token = ApiToken.objects.get()
    assert token.digest == digest(secret)
    assert token.geo_id == "751"
    assert secret not in _run("list")


def test_it_refuses_a_role_the_user_does_not_have(councillor):
    with pytest.raises(CommandError, match="har ikke rollen analytiker"):
        _run("create", "--brugernavn", "politiker@aarhus.dk", "--kommune", "751", "--rolle", "analytiker")


def test_it_refuses_an_unknown_municipality(councillor):
    with pytest.raises(CommandError, match="Ukendt kommunekode"):
        _run("create", "--brugernavn", "politiker@aarhus.dk", "--kommune", "999", "--rolle", "politiker")


def test_it_revokes_a_token_so_the_api_refuses_it(councillor, client):
    output = _run("create", "--brugernavn", "politiker@aarhus.dk", "--kommune", "751", "--rolle", "politiker")
    secret = next(line for line in output.splitlines() if line.startswith("lk_"))
    assert client.get("/api/v1/maal", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert "tilbagekaldt" in _run("revoke", str(ApiToken.objects.get().pk))
    assert client.get("/api/v1/maal", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert "Tilbagekaldt" in _run("list")


def _create(*extra: str) -> tuple[str, str]:
    output = _run("create", "--brugernavn", "politiker@aarhus.dk", "--kommune", "751", "--rolle", "politiker", *extra)
    return next(line for line in output.splitlines() if line.startswith("lk_")), output


def test_a_new_token_expires_after_the_days_given(councillor):
    before = timezone.now()
    _secret, output = _create("--dage", "30")
    token = ApiToken.objects.get()
    assert token.expires_at is not None
    assert before + dt.timedelta(days=30) <= token.expires_at <= timezone.now() + dt.timedelta(days=30)
    assert f"Aktiv til {format_date(timezone.localdate(token.expires_at))}" in output


def test_a_token_lasts_the_configured_days_when_none_are_given(councillor, settings):
    settings.API_TOKEN_DAYS = 45
    _create()
    token = ApiToken.objects.get()
    assert token.expires_at is not None
    assert (token.expires_at - token.created_at).days == 45


@pytest.mark.parametrize("days", ["0", "731", "-5"])
def test_it_refuses_a_lifetime_outside_one_day_to_two_years(councillor, days):
    with pytest.raises(CommandError, match="fra 1 til 730 dage"):
        _create("--dage", days)
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_with_its_date(councillor, client):
    secret, _output = _create("--dage", "10")
    assert client.get("/api/v1/maal", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    ended = timezone.now() - dt.timedelta(minutes=1)
    ApiToken.objects.update(expires_at=ended)
    response = client.get("/api/v1/maal", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["kode"] == "udloebet_noegle"
    assert f"udløb {format_date(timezone.localdate(ended))}" in body["besked"]
    assert "Udløbet" in _run("list")
    # Writes are refused as well, and a revoked token that has also expired is just unknown.
    assert client.post("/api/v1/maal", {}, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    ApiToken.objects.update(revoked_at=timezone.now())
    refused = client.get("/api/v1/maal", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.json()["kode"] == "ugyldig_noegle"


def test_a_token_about_to_expire_says_so(councillor):
    _create("--dage", "13")
    assert "udløber snart" in _run("list")
    ApiToken.objects.update(expires_at=timezone.now() + dt.timedelta(days=20))
    assert "Aktiv til" in _run("list")


def test_a_token_from_before_expiry_keeps_working(councillor, client):
    secret, _output = _create()
    ApiToken.objects.update(expires_at=None)
    assert client.get("/api/v1/maal", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert "udløber ikke" in _run("list")
