"""`lokalkompas tokens create|list|revoke`: the token is printed once, stored hashed, and revocable."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from lokalkompas.accounts.models import Membership
from lokalkompas.api.models import ApiToken
from lokalkompas.api.tokens import digest


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
    assert "tilbagekaldt" in _run("list")
