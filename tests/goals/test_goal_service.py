"""Goals in the database: statuses recorded when they change, the change hook, public counts, demo goals."""

import polars as pl
from django.utils import timezone

from lokalkompas.goals.models import Goal, GoalStatusRecord
from lokalkompas.goals.service import current_status, record_statuses, status_counts
from lokalkompas.indicators.changes import changes_since
from lokalkompas.indicators.store import write_observations


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
