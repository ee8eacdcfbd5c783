"""Rate limits per IP address and per token: 429 with Retry-After once the minute's quota is used."""

from __future__ import annotations

from tests.api.conftest import get


def test_it_answers_429_with_retry_after_when_an_address_exceeds_its_limit(catalogued, client, settings):
    settings.API_RATE_IP = 3
    answers = [get(client, "/api/v1/kommuner").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = get(client, "/api/v1/kommuner")
    assert limited.json()["kode"] == "for_mange_forespoergsler"
    assert 1 <= int(limited["Retry-After"]) <= 60


def test_it_counts_each_address_on_its_own(catalogued, client, settings):
    settings.API_RATE_IP = 1
    assert get(client, "/api/v1/kommuner", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert get(client, "/api/v1/kommuner", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert get(client, "/api/v1/kommuner", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_it_gives_a_token_its_own_larger_quota(world, client, settings):
    settings.API_RATE_IP = 1
    settings.API_RATE_TOKEN = 3
    token = world.tokens["aarhus-politiker"]
    assert get(client, "/api/v1/kommuner").status_code == 200
    assert get(client, "/api/v1/kommuner").status_code == 429
    answers = [get(client, "/api/v1/kommuner", token).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_it_counts_guessed_tokens_against_the_address(catalogued, client, settings):
    settings.API_RATE_IP = 2
    answers = [get(client, "/api/v1/kommuner", f"lk_gaet-{n}").status_code for n in range(3)]
    assert answers == [401, 401, 429]
