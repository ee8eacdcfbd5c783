"""Goals in the database: statuses recorded when they change, the change hook, public counts, and the demo
set's goals with their actions, decisions, comments and demo users (one demo load for the module)."""

import polars as pl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from lokalkompas.accounts.demo import DEMO_DOMAIN, clear_demo_users, create_demo_users
from lokalkompas.accounts.models import Membership
from lokalkompas.goals.models import Action, Comment, Goal, GoalStatusRecord
from lokalkompas.goals.service import current_status, record_statuses, status_counts
from lokalkompas.indicators.changes import changes_since
from lokalkompas.indicators.store import write_observations
from lokalkompas.legal.models import Decision


def values(rows):
    return pl.DataFrame(
        [("andel-paedagoguddannede", "751", p, "", v, "ok") for p, v in rows],
        schema=["series", "geo", "period", "breakdown", "value", "status"],
        orient="row",
    )


def goal(published=True, **kwargs):
    fields = {
        "geo_id": "751",
        "area_id": "dagtilbud",
        "text": "Flere uddannede pædagoger",
        "indicator": "andel-paedagoguddannede",
        "baseline_value": 50.0,
        "baseline_period": "2020",
        "target_value": 60.0,
        "target_period": "2022",
        "published": published,
    } | kwargs
    return Goal.objects.create(**fields)


def test_a_goal_is_measured_by_its_indicator_and_a_changed_status_is_recorded_once(loaded):
    g = goal()
    write_observations(values([("2020", 50.0), ("2021", 55.0)]), source="statbank", label="a")
    assert current_status(g).status == "på sporet"
    assert record_statuses() == 1
    assert record_statuses() == 0  # unchanged: nothing new
    since = timezone.now()
    write_observations(values([("2021", 53.5)]), source="statbank", label="revideret")  # 1,5 bands behind
    assert record_statuses() == 1
    assert [r.status for r in GoalStatusRecord.objects.filter(goal=g).order_by("id")] == ["på sporet", "i risiko"]
    found = [c for c in changes_since(since, geo="751") if c.kind == "mål"]
    assert [c.description for c in found] == ["Flere uddannede pædagoger: på sporet → i risiko"]


def test_a_goal_without_an_indicator_has_no_data_and_says_why(loaded):
    g = goal(indicator="", baseline_value=None)
    status = current_status(g)
    assert status.status == "mangler data" and "indikator" in status.explanation


def test_the_public_counts_leave_drafts_out(loaded):
    goal(published=True)
    goal(published=False, text="Et udkast")
    write_observations(values([("2021", 55.0)]), source="statbank", label="a")
    record_statuses()
    assert status_counts("751") == {"dagtilbud": {"på sporet": 1}}
    assert status_counts("751", published_only=False) == {"dagtilbud": {"på sporet": 2}}
    assert status_counts("101") == {}


def test_the_demo_set_has_goals_with_statuses_for_five_municipalities(demo_db, db):
    goals = Goal.objects.filter(demo=True)
    assert goals.values("geo_id").distinct().count() == 5
    assert all(g.text.startswith("DEMO: ") for g in goals)
    assert GoalStatusRecord.objects.filter(goal__in=goals).count() == goals.count()


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
