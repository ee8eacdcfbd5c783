"""Who sees what through the API: drafts only with a token of the goal's own municipality."""

from __future__ import annotations

import pytest

from lokalkompas.api.models import ApiToken
from lokalkompas.api.tokens import digest
from tests.api.conftest import DRAFT_TEXT, PUBLISHED_TEXT, get


def _texts(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {g["text"] for g in response.json()}


def test_it_shows_only_published_goals_without_a_token(world, client):
    texts = _texts(get(client, "/api/v1/maal?geo=751"))
    assert PUBLISHED_TEXT in texts
    assert DRAFT_TEXT not in texts


def test_it_shows_drafts_to_a_token_of_the_goals_municipality(world, client):
    texts = _texts(get(client, "/api/v1/maal?geo=751", world.tokens["aarhus-politiker"]))
    assert {PUBLISHED_TEXT, DRAFT_TEXT} <= texts


def test_it_hides_drafts_from_a_token_of_another_municipality(world, client):
    texts = _texts(get(client, "/api/v1/maal?geo=751", world.tokens["odense-analytiker"]))
    assert PUBLISHED_TEXT in texts
    assert DRAFT_TEXT not in texts


def test_it_hides_drafts_from_all_municipalities_listing_with_another_municipalitys_token(world, client):
    texts = _texts(get(client, "/api/v1/maal", world.tokens["odense-analytiker"]))
    assert DRAFT_TEXT not in texts


def test_it_hides_drafts_once_the_tokens_user_has_lost_the_role(world, client):
    texts = _texts(get(client, "/api/v1/maal?geo=751", world.tokens["tidligere-aarhus"]))
    assert DRAFT_TEXT not in texts


def test_it_rejects_an_unknown_token_with_a_danish_401(world, client):
    response = get(client, "/api/v1/maal", "lk_ikke-en-rigtig-noegle")
    assert response.status_code == 401
    assert response.json()["kode"] == "ugyldig_noegle"
    assert response["WWW-Authenticate"] == "Bearer"


def test_it_rejects_a_revoked_token(world, client):
    token = ApiToken.objects.get(digest=digest(world.tokens["aarhus-politiker"]))
    token.revoked_at = token.created_at
    token.save()
    assert get(client, "/api/v1/maal", world.tokens["aarhus-politiker"]).status_code == 401


def test_it_stores_only_the_digest_of_a_token(world):
    secret = world.tokens["aarhus-politiker"]
    stored = ApiToken.objects.get(digest=digest(secret))
    assert secret not in {stored.digest, stored.prefix, stored.name}
    assert len(stored.digest) == 64


def test_it_does_not_give_a_token_more_than_the_users_role(world):
    from lokalkompas.api.tokens import TokenError, create_token

    with pytest.raises(TokenError, match="ikke rollen"):
        create_token("politiker@aarhus.dk", "751", "analytiker", "For meget")


def test_it_leaves_draft_goal_changes_out_of_the_change_list_for_other_municipalities(world, client):
    from django.utils import timezone

    from lokalkompas.goals.models import GoalStatusRecord

    for status in ("mangler data", "i risiko"):
        GoalStatusRecord.objects.create(goal=world.draft, status=status, explanation="x", recorded_at=timezone.now())
    url = "/api/v1/aendringer?siden=2000-01-01&geo=751"
    own = get(client, url, world.tokens["aarhus-politiker"]).json()["changes"]
    other = get(client, url, world.tokens["odense-analytiker"]).json()["changes"]
    assert any(c["kind"] == "mål" for c in own)
    assert not any(c["kind"] == "mål" for c in other)
