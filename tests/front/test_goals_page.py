"""The goals page: the public sees published goals; members of the municipality also see drafts."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lokalkompas.accounts.models import Membership
from lokalkompas.goals.models import Goal
from tests.front.pages import body


@pytest.fixture
def goals(catalogued):
    common = {"area_id": "dagtilbud", "indicator": "normering-0-2", "baseline_value": 3.0, "baseline_period": "2022"}
    common |= {"target_value": 2.8, "target_period": "2027"}
    Goal.objects.create(geo_id="751", text="Offentligt mål om normering", published=True, **common)
    Goal.objects.create(geo_id="751", text="Udkast <script>alert(1)</script>", published=False, **common)
    Goal.objects.create(geo_id="851", text="Aalborgs udkast", published=False, **common)


def visitor(kommune: str = "751", member_of: str | None = None, role: str = "politiker") -> Client:
    client = Client()
    client.cookies["kommune"] = kommune
    if member_of:
        user = get_user_model().objects.create_user("p@x.dk", password="Lang-nok-kode-2026")
        Membership.objects.create(user=user, geo_id=member_of, role=role)
        client.force_login(user)
    return client


def test_the_public_sees_only_published_goals_with_their_status(goals):
    text = body(visitor().get("/maal/"))
    assert "Offentligt mål om normering" in text and "Udkast" not in text
    assert "Mangler data" in text  # no values loaded: missing, not a made-up status


def test_a_member_of_the_municipality_also_sees_drafts_marked_as_such(goals):
    text = body(visitor(member_of="751").get("/maal/"))
    assert "Udkast &lt;script&gt;alert(1)&lt;/script&gt;" in text  # user text is escaped
    assert "<script>alert(1)</script>" not in text
    assert "ser også udkast" in text


def test_a_member_of_another_municipality_sees_only_what_the_public_sees(goals):
    text = body(visitor(kommune="751", member_of="851").get("/maal/"))
    assert "Udkast" not in text and "Aalborgs udkast" not in text


def test_without_a_municipality_or_goals_the_page_says_so(goals):
    assert "Vælg en kommune" in body(Client().get("/maal/"))
    assert "har ingen offentliggjorte mål" in body(visitor(kommune="101").get("/maal/"))
