"""The authorisation matrix: each role, in its own and in another municipality, against each page and action.

Aarhus (751) owns the goals. "egen" users have their role in Aarhus; "anden" users have the same role in
Aalborg (851) only, and browse with Aarhus chosen. Every case runs for all seven visitors, each inside a
savepoint that is rolled back, so one visitor's change never shapes the next one's answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from lokalkompas.accounts.models import Membership
from lokalkompas.goals.models import Action, Comment, Goal
from lokalkompas.legal.models import Decision

DRAFT_TEXT = "Hemmeligt udkast om dagtilbud"
DRAFT_COMMENT = "Intern kommentar om udkastet"
VISITORS: tuple[str, ...] = ("anonym", "politiker-egen", "analytiker-egen", "administrator-egen")
VISITORS += ("politiker-anden", "analytiker-anden", "administrator-anden")
MEMBERS = {"politiker-egen", "analytiker-egen", "administrator-egen"}
EDITORS = {"analytiker-egen", "administrator-egen"}
ADMINS = {"administrator-egen"}


@dataclass
class World:
    published: Goal
    draft: Goal
    action: Action
    decision: Decision
    membership: Membership  # the Aarhus politician's role, for the administrator's actions
    clients: dict[str, Client]


@pytest.fixture
def world(catalogued) -> World:
    common = {"geo_id": "751", "area_id": "dagtilbud", "owner": "Børne- og Ungeudvalget"}
    published = Goal.objects.create(text="Offentligt mål om dagtilbud", published=True, **common)
    draft = Goal.objects.create(text=DRAFT_TEXT, published=False, **common)
    action = Action.objects.create(goal=published, title="Offentlig handling")
    Action.objects.create(goal=draft, title="Handling til udkastet")
    Comment.objects.create(goal=published, author_name="Politiker", text=DRAFT_COMMENT)
    decision = Decision.objects.create(
        geo_id="751", date="2026-01-15", body="Kommunalbestyrelsen", text="Besluttet", goal=draft
    )
    clients: dict[str, Client] = {"anonym": _client(None)}
    membership = None
    for visitor in VISITORS[1:]:
        role, where = visitor.split("-")
        user = get_user_model().objects.create_user(f"{visitor}@x.dk", password="Lang-nok-kode-2026")
        found = Membership.objects.create(user=user, geo_id="751" if where == "egen" else "851", role=role)
        if visitor == "politiker-egen":
            membership = found
        clients[visitor] = _client(user)
    assert membership is not None
    return World(published, draft, action, decision, membership, clients)


def _client(user) -> Client:
    client = Client()
    client.cookies["kommune"] = "751"
    if user is not None:
        client.force_login(user)
    return client


def goal_post(**changes: str) -> dict[str, str]:
    return {"text": "Nyt mål", "area": "dagtilbud", "tolerance_percent": "10"} | changes


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: str  # formatted with the world's ids
    allowed: frozenset[str]
    # What everybody else gets: 403 (may know it exists) or 404 (a draft: not even that).
    denied: int = 403
    data: tuple[tuple[str, str], ...] = ()
    login_required: bool = True


ALL = frozenset(VISITORS)
CASES = [
    Case("goal list", "GET", "/maal/", ALL, login_required=False),
    Case("published goal", "GET", "/maal/{published}/", ALL, login_required=False),
    Case("draft goal", "GET", "/maal/{draft}/", frozenset(MEMBERS), 404, login_required=False),
    Case("history of a published goal", "GET", "/maal/{published}/historik/", frozenset(MEMBERS), login_required=False),
    Case("history of a draft", "GET", "/maal/{draft}/historik/", frozenset(MEMBERS), 404, login_required=False),
    Case("new goal form", "GET", "/maal/nyt/", frozenset(EDITORS)),
    Case("create goal", "POST", "/maal/nyt/", frozenset(EDITORS), data=tuple(goal_post().items())),
    Case("edit goal form", "GET", "/maal/{published}/rediger/", frozenset(EDITORS)),
    Case("edit goal", "POST", "/maal/{published}/rediger/", frozenset(EDITORS), data=tuple(goal_post().items())),
    Case("edit a draft", "POST", "/maal/{draft}/rediger/", frozenset(EDITORS), 404, tuple(goal_post().items())),
    Case("delete goal", "POST", "/maal/{published}/slet/", frozenset(EDITORS), data=(("bekraeft", "ja"),)),
    Case("comment", "POST", "/maal/{published}/kommentar/", frozenset(MEMBERS), data=(("text", "Godt"),)),
    Case("comment on a draft", "POST", "/maal/{draft}/kommentar/", frozenset(MEMBERS), 404, (("text", "Godt"),)),
    Case("new action form", "GET", "/maal/{published}/handling/ny/", frozenset(EDITORS)),
    Case(
        "create action",
        "POST",
        "/maal/{published}/handling/ny/",
        frozenset(EDITORS),
        data=(("title", "Ny"), ("status", "i-gang")),
    ),
    Case(
        "edit action",
        "POST",
        "/maal/{published}/handling/{action}/",
        frozenset(EDITORS),
        data=(("title", "Ændret"), ("status", "faerdig")),
    ),
    Case("delete action", "POST", "/maal/{published}/handling/{action}/slet/", frozenset(EDITORS)),
    Case("decision log", "GET", "/beslutninger/", ALL, login_required=False),
    Case("new decision form", "GET", "/beslutninger/ny/", frozenset(EDITORS)),
    Case(
        "create decision",
        "POST",
        "/beslutninger/ny/",
        frozenset(EDITORS),
        data=(("date", "2026-02-01"), ("body", "Økonomiudvalget"), ("text", "Vedtaget")),
    ),
    Case(
        "edit decision",
        "POST",
        "/beslutninger/{decision}/",
        frozenset(EDITORS),
        data=(("date", "2026-02-01"), ("body", "Økonomiudvalget"), ("text", "Ændret")),
    ),
    Case("delete decision", "POST", "/beslutninger/{decision}/slet/", frozenset(EDITORS)),
    Case("users page", "GET", "/brugere/", frozenset(ADMINS)),
    Case("data page and upload history", "GET", "/data/", frozenset(MEMBERS)),
    Case(
        "change a role",
        "POST",
        "/brugere/{membership}/rolle/",
        frozenset(ADMINS),
        data=(("m{membership}-role", "analytiker"),),
    ),
    Case("remove a role", "POST", "/brugere/{membership}/fjern/", frozenset(ADMINS)),
    Case(
        "give a role",
        "POST",
        "/brugere/",
        frozenset(ADMINS),
        data=(("username", "ny@aarhus.dk"), ("role", "politiker"), ("password", "Lang-nok-kode-2026")),
    ),
]


def _ids(world: World) -> dict[str, int]:
    return {
        "published": world.published.pk,
        "draft": world.draft.pk,
        "action": world.action.pk,
        "decision": world.decision.pk,
        "membership": world.membership.pk,
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_role_in_each_municipality_gets_exactly_its_rights(world, case):
    ids = _ids(world)
    url = case.url.format(**ids)
    data = {k.format(**ids): v for k, v in case.data}
    outcomes = {}
    for visitor in VISITORS:
        cache.clear()
        savepoint = transaction.savepoint()
        client = world.clients[visitor]
        response = client.post(url, data) if case.method == "POST" else client.get(url)
        outcomes[visitor] = (response.status_code, response.get("Location", ""))
        transaction.savepoint_rollback(savepoint)
    for visitor, (status, location) in outcomes.items():
        if visitor in case.allowed:
            expected = {200} if case.method == "GET" else {302}
            assert status in expected and "/log-ind/" not in location, (visitor, status, location)
        elif visitor == "anonym" and case.login_required:
            assert status == 302 and location.startswith("/log-ind/"), (visitor, status, location)
        elif case.denied == 404 and visitor in MEMBERS:
            # Members know the draft exists; they just may not do this to it.
            assert status == 403, (visitor, status, location)
        else:
            assert status == case.denied, (visitor, status, location)


PUBLIC_PAGES = ("/", "/maal/", "/maal/{published}/", "/beslutninger/", "/omraade/dagtilbud/", "/lovkrav/")


@pytest.mark.parametrize("visitor", [v for v in VISITORS if v not in MEMBERS])
def test_no_page_shows_a_draft_or_a_comment_to_anyone_outside_the_municipality(world, visitor):
    ids = _ids(world)
    for page in PUBLIC_PAGES:
        text = world.clients[visitor].get(page.format(**ids)).content.decode()
        assert DRAFT_TEXT not in text, (visitor, page)
        assert DRAFT_COMMENT not in text, (visitor, page)
        assert "Handling til udkastet" not in text, (visitor, page)


@pytest.mark.parametrize("visitor", sorted(MEMBERS))
def test_members_of_the_municipality_see_its_drafts_and_comments(world, visitor):
    ids = _ids(world)
    client = world.clients[visitor]
    assert DRAFT_TEXT in client.get("/maal/").content.decode()
    assert DRAFT_COMMENT in client.get("/maal/{published}/".format(**ids)).content.decode()
    assert DRAFT_TEXT in client.get("/beslutninger/").content.decode()  # the decision's link to the draft


def test_an_administrator_cannot_remove_or_demote_themselves(world):
    admin = get_user_model().objects.get(username="administrator-egen@x.dk")
    own = Membership.objects.get(user=admin, geo_id="751")
    client = world.clients["administrator-egen"]
    assert client.post(f"/brugere/{own.pk}/fjern/").status_code == 403
    assert client.post(f"/brugere/{own.pk}/rolle/", {f"m{own.pk}-role": "politiker"}).status_code == 403
    assert Membership.objects.get(pk=own.pk).role == "administrator"


def test_forms_refuse_a_post_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.cookies["kommune"] = "751"
    client.force_login(get_user_model().objects.get(username="analytiker-egen@x.dk"))
    response = client.post("/maal/nyt/", goal_post())
    assert response.status_code == 403 and not Goal.objects.filter(text="Nyt mål").exists()
