"""Schemathesis against /api/v1/openapi.json: no 5xx, and every answer matches the schema it documents.

Bounded (a few examples per operation) so the file runs in well under a minute; the demo set gives the
generated requests real indicators and municipalities to hit.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from lokalkompas.accounts.models import Membership
from lokalkompas.api.api import api
from lokalkompas.api.tokens import create_token

# Engine-independent and slow: once, in the PostgreSQL pass of scripts/test.sh.
pytestmark = pytest.mark.once

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture(autouse=True)
def _demo(demo_db, db):
    """The demo set, read-only; `db` lets each generated request reach it."""


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI app starts and ends each request by closing old database connections; inside a test
    # transaction that closes PostgreSQL's connection under the test (SQLite's in-memory one is kept).
    # Django's own test client unhooks the same two signals.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_answers_within_its_schema(case):
    # The WSGI test client asks for gzip but does not unpack it; gzip has its own test in test_data.py.
    # Without a token every write answers 401 before it reads its body; the next test sends one.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})


@pytest.fixture
def analyst_token() -> str:
    """An Aarhus analyst's token (rolled back with the test): generated writes reach the forms and the checks."""
    user = get_user_model().objects.create_user("schema@aarhus.dk", password="Lang-nok-kode-2026")
    Membership.objects.create(user=user, geo_id="751", role="analytiker")
    return create_token("schema@aarhus.dk", "751", "analytiker", "Schemathesis").secret


@schema.include(tag="skrivning").parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_write_with_a_token_answers_within_its_schema(case, analyst_token):
    # Generated bodies are mostly junk (422) or name goals that do not exist (404); uploads meet the demo
    # data (409). None may give a 5xx or an answer its schema does not document.
    headers = {"Accept-Encoding": "identity", "Authorization": f"Bearer {analyst_token}"}
    case.call_and_validate(checks=CHECKS, headers=headers)


def test_the_schema_is_served_with_danish_descriptions_and_english_field_names(client):
    body = client.get("/api/v1/openapi.json").json()
    assert "Udgivne data kan hentes uden nøgle" in body["info"]["description"]
    row = body["components"]["schemas"]["DataRow"]
    assert {"indicator", "geo", "period", "value", "status", "source", "vintage_id"} <= set(row["properties"])
    assert "demodata" in row["properties"]["status"]["description"]


def test_the_data_operation_documents_both_json_and_csv(client):
    body = client.get("/api/v1/openapi.json").json()
    content = body["paths"]["/api/v1/data"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/DataPage"}
    assert "text/csv" in content
