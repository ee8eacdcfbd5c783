"""The demo set's goal work: believable actions, decisions and comments, and demo users who can log in."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lokalkompas.accounts.demo import DEMO_DOMAIN, clear_demo_users, create_demo_users
from lokalkompas.accounts.models import Membership
from lokalkompas.goals.models import Action, Comment, Goal
from lokalkompas.legal.models import Decision


def logs_in(username: str, password: str) -> bool:
    """Through the login page, as a person would (django-axes needs the request)."""
    response = Client().post("/log-ind/", {"username": username, "password": password})
    return response.status_code == 302


def test_demo_goals_come_with_actions_committee_decisions_and_comments_all_marked_demo(demo_db, db):
    goals = Goal.objects.filter(demo=True)
    assert goals.count() >= 10
    assert Action.objects.filter(goal__in=goals).count() >= 2 * goals.count()
    assert all(a.demo and a.title.startswith("DEMO") for a in Action.objects.all())
    decisions = Decision.objects.filter(goal__in=goals)
    assert decisions.count() == goals.count() and all(d.demo and d.kind == "" for d in decisions)
    assert Comment.objects.filter(goal__in=goals, demo=True).exists()
    assert {g.geo_id for g in goals} == {"101", "147", "461", "751", "851"}


def test_the_demo_users_log_in_with_the_printed_passwords_and_have_their_roles(demo_db, db):
    logins = create_demo_users()
    roles = {(login.role, login.municipality) for login in logins}
    assert {("analytiker", "751"), ("politiker", "751"), ("administrator", "751")} <= roles
    for login in logins:
        assert login.username.endswith("@" + DEMO_DOMAIN) and len(login.password) >= 12
        assert logs_in(login.username, login.password)
        assert Membership.objects.get(user__username=login.username).role == login.role
    again = create_demo_users()  # a new load gives new passwords, and the old ones stop working
    assert not logs_in(logins[0].username, logins[0].password)
    assert logs_in(again[0].username, again[0].password)


@pytest.mark.django_db
def test_clearing_demo_users_leaves_real_users_alone(registry):
    real = get_user_model().objects.create_user("rigtig@kommune.dk", password="Lang-nok-kode-2026")
    Membership.objects.create(user=real, geo_id="751", role="analytiker")
    create_demo_users()
    clear_demo_users()
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["rigtig@kommune.dk"]
    assert Membership.objects.count() == 1
