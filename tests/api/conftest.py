"""The API's test world: Aarhus (751) owns a published and a draft goal; tokens for its councillor,
for an Odense (461) analyst, and for an Aarhus councillor who has since lost the role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lokalkompas.accounts.models import Membership
from lokalkompas.api.data import forget_lookups
from lokalkompas.api.tokens import create_token
from lokalkompas.goals.models import Goal

DRAFT_TEXT = "Hemmeligt udkast om dagtilbud"
PUBLISHED_TEXT = "Offentligt mål om dagtilbud"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Most tests send many requests; the rate limit has its own tests."""
    settings.API_RATE_IP = 0
    settings.API_RATE_TOKEN = 0


@pytest.fixture(autouse=True)
def _fresh_lookups():
    """/data keeps names, periods and vintages per process and version; a test may change rows directly."""
    forget_lookups()


@dataclass
class World:
    published: Goal
    draft: Goal
    tokens: dict[str, str]  # visitor -> secret


def _member(username: str, geo: str, role: str) -> None:
    user = get_user_model().objects.create_user(username, password="Lang-nok-kode-2026")
    Membership.objects.create(user=user, geo_id=geo, role=role)


def make_world() -> World:
    common = {"geo_id": "751", "area_id": "dagtilbud", "owner": "Børne- og Ungeudvalget"}
    published = Goal.objects.create(text=PUBLISHED_TEXT, published=True, **common)
    draft = Goal.objects.create(text=DRAFT_TEXT, published=False, **common)
    _member("politiker@aarhus.dk", "751", "politiker")
    _member("analytiker@odense.dk", "461", "analytiker")
    _member("tidligere@aarhus.dk", "751", "politiker")
    tokens = {
        "aarhus-politiker": create_token("politiker@aarhus.dk", "751", "politiker", "Test").secret,
        "odense-analytiker": create_token("analytiker@odense.dk", "461", "analytiker", "Test").secret,
        "tidligere-aarhus": create_token("tidligere@aarhus.dk", "751", "politiker", "Test").secret,
    }
    Membership.objects.filter(user__username="tidligere@aarhus.dk").delete()
    return World(published, draft, tokens)


@pytest.fixture
def world(catalogued) -> World:
    return make_world()


def get(client: Client, url: str, token: str | None = None, **headers: str):
    """GET with the token (if any) as a bearer header, and any other WSGI headers (HTTP_IF_NONE_MATCH=...)."""
    extra: dict[str, Any] = dict(headers)
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(url, **extra)
