"""/health for load balancers, /sundhed/ kept, and the security headers every page carries."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_health_answers_json_when_the_database_answers_even_for_an_unknown_host_over_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_health_takes_no_posts_and_the_old_health_page_still_answers(client):
    assert client.post("/health").status_code == 404
    response = client.get("/sundhed/")
    assert response.status_code == 200 and response.content == b"ok\n"


@pytest.mark.django_db
def test_every_answer_carries_a_request_id_and_keeps_a_sane_one_from_the_proxy(client):
    first, second = client.get("/sundhed/"), client.get("/sundhed/")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get("/sundhed/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    forged = client.get("/sundhed/", HTTP_X_REQUEST_ID='x" injected="1')["X-Request-ID"]
    assert len(forged) == 32 and '"' not in forged


def test_pages_carry_a_content_security_policy_that_allows_only_our_own_files(client, loaded):
    policy = client.get("/om/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
