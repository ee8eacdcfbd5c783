"""Database-facing goal steps: compute and record statuses, the change hook, counts and demo goals."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict

import numpy as np
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from lokalkompas.goals.models import Action, Comment, Goal, GoalStatusRecord
from lokalkompas.goals.status import GoalSpec, GoalStatus, goal_status
from lokalkompas.indicators.changes import Change
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.models import Observation
from lokalkompas.registry import revision


def spec_of(goal: Goal) -> GoalSpec:
    assert goal.measurable
    indicator = shipped_definitions().indicators.get(goal.indicator)
    polarity = indicator.polarity if indicator else "neutral"
    higher = polarity != "lower_better"
    return GoalSpec(
        goal.baseline_value or 0.0,
        goal.baseline_period,
        goal.target_value or 0.0,
        goal.target_period,
        higher_is_better=higher,
        tolerance=goal.tolerance,
    )


def current_status(goal: Goal) -> GoalStatus:
    if not goal.measurable:
        return GoalStatus(
            "mangler data", None, None, None, "Målet er ikke knyttet til en indikator med udgangspunkt og mål."
        )
    rows = Observation.objects.filter(series=goal.indicator, geo_id=goal.geo_id, breakdown="").values_list(
        "period", "value"
    )
    return goal_status(spec_of(goal), list(rows))


@transaction.atomic
def record_statuses(geo: str | None = None, goal_ids: list[int] | None = None) -> int:
    """Compute every goal's status (or those of one municipality, or the given goals); store those that
    changed. Returns how many changed."""
    goals = Goal.objects.all() if geo is None else Goal.objects.filter(geo_id=geo)
    if goal_ids is not None:
        goals = goals.filter(pk__in=goal_ids)
    latest: dict[int, GoalStatusRecord] = {}
    for record in GoalStatusRecord.objects.filter(goal__in=goals).order_by("recorded_at", "id"):
        latest[record.goal_id] = record
    new = []
    for goal in goals:
        status = current_status(goal)
        before = latest.get(goal.pk)
        if before is not None and (before.status, before.period) == (status.status, status.period or ""):
            continue
        new.append(
            GoalStatusRecord(
                goal=goal,
                status=status.status,
                period=status.period or "",
                actual=status.actual,
                expected=status.expected,
                explanation=status.explanation,
            )
        )
    GoalStatusRecord.objects.bulk_create(new)
    if new:
        revision.bump()
    return len(new)


def goal_changes_since(since: dt.datetime, geo: str | None) -> list[Change]:
    """Goals whose status changed at or after `since` (a first status is not a change)."""
    records = GoalStatusRecord.objects.select_related("goal").order_by("recorded_at", "id")
    if geo:
        records = records.filter(goal__geo_id=geo)
    previous: dict[int, GoalStatusRecord] = {}
    out = []
    for r in records:
        before = previous.get(r.goal_id)
        previous[r.goal_id] = r
        if before is None or r.recorded_at < since:
            continue
        out.append(
            Change(
                "mål",
                f"mål-{r.goal_id}",
                r.goal.geo_id,
                r.period,
                before.actual,
                r.actual,
                r.recorded_at,
                "Mål",
                description=f"{r.goal.text[:80]}: {before.status} → {r.status}",
            )
        )
    return out


def status_counts(geo: str, published_only: bool = True) -> dict[str, Counter[str]]:
    """Area id -> how many goals have each current status (only published goals for the public)."""
    goals = Goal.objects.filter(geo_id=geo)
    if published_only:
        goals = goals.filter(published=True)
    latest: dict[int, str] = {}
    for goal_id, status in (
        GoalStatusRecord.objects.filter(goal__in=goals).order_by("recorded_at", "id").values_list("goal_id", "status")
    ):
        latest[goal_id] = status
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for goal in goals:
        counts[goal.area_id][latest.get(goal.pk, "mangler data")] += 1
    return dict(counts)


# (indicator, area, text, relative improvement by the target year, tolerance)
DEMO_GOALS = (
    ("normering-0-2", "dagtilbud", "Flere voksne pr. barn i vuggestuerne", 0.05, 0.10),
    ("andel-paedagoguddannede", "dagtilbud", "Flere uddannede pædagoger i dagtilbud", 0.08, 0.15),
    ("ledighed", "beskaeftigelse", "Lavere ledighed end i dag", 0.10, 0.10),
    ("forebyggende-besoeg-75", "aeldre", "Flere forebyggende hjemmebesøg til ældre", 0.10, 0.10),
)
DEMO_COMMITTEES = {
    "dagtilbud": "Børne- og Ungeudvalget",
    "beskaeftigelse": "Beskæftigelsesudvalget",
    "aeldre": "Social- og Sundhedsudvalget",
}
DEMO_MUNICIPALITIES = ("101", "147", "461", "751", "851")
DEMO_BASELINE, DEMO_TARGET = "2022", "2027"


@transaction.atomic
def load_demo_goals(seed: int, today: dt.date | None = None) -> int:
    """A few believable DEMO goals for five municipalities, from their own 2022 values; returns the count."""
    from lokalkompas.legal.models import Decision

    Decision.objects.filter(demo=True, goal__demo=True).delete()
    Goal.objects.filter(demo=True).delete()
    definitions = shipped_definitions()
    created = 0
    for geo in DEMO_MUNICIPALITIES:
        for indicator_id, area, text, improvement, tolerance in DEMO_GOALS:
            indicator = definitions.indicators.get(indicator_id)
            base = Observation.objects.filter(series=indicator_id, geo_id=geo, period=DEMO_BASELINE).first()
            if indicator is None or base is None or base.value is None:
                continue
            digest = hashlib.sha256(f"{seed}:{geo}:{indicator_id}".encode()).digest()
            rng = np.random.default_rng(int.from_bytes(digest[:8], "big"))
            sign = -1.0 if indicator.polarity == "lower_better" else 1.0
            target = base.value * (1 + sign * improvement * float(rng.uniform(0.6, 1.4)))
            goal = Goal.objects.create(
                geo_id=geo,
                area_id=area,
                text=f"DEMO: {text}",
                indicator=indicator_id,
                baseline_value=base.value,
                baseline_period=DEMO_BASELINE,
                target_value=round(target, indicator.decimals),
                target_period=DEMO_TARGET,
                tolerance=tolerance,
                owner=DEMO_COMMITTEES[area],
                published=rng.random() > 0.2,
                demo=True,
            )
            _demo_work(goal, rng, today or timezone.localdate())
            created += 1
    revision.bump()
    record_statuses()
    return created


# (title, owner, days from today to the deadline, status): some done, some under way, one overdue.
DEMO_ACTIONS = (
    ("DEMO: Kortlæg behovet i de enkelte distrikter", "Forvaltningen", -200, Action.Status.DONE),
    ("DEMO: Læg en plan for rekruttering og fastholdelse", "HR og forvaltningen", -30, Action.Status.IN_PROGRESS),
    ("DEMO: Følg op i udvalget hvert halve år", "Udvalgets sekretariat", 150, Action.Status.NOT_STARTED),
)
DEMO_COMMENTS = (
    "DEMO: Hvad betyder målet for budgettet i de kommende år?",
    "DEMO: Godt at se udviklingen. Kan vi få tallene fordelt på distrikter til næste møde?",
)


def _demo_work(goal: Goal, rng: np.random.Generator, today: dt.date) -> None:
    """Actions, a committee decision and perhaps a comment for one demo goal, dated around today."""
    from lokalkompas.legal.models import Decision

    for title, owner, days, status in DEMO_ACTIONS[: int(rng.integers(2, 4))]:
        deadline = today + dt.timedelta(days=days + int(rng.integers(-20, 20)))
        Action.objects.create(goal=goal, title=title, owner=owner, deadline=deadline, status=status, demo=True)
    meeting = today - dt.timedelta(days=int(rng.integers(60, 300)))
    Decision.objects.create(
        geo_id=goal.geo_id,
        date=meeting,
        body=goal.owner,
        text=f"{goal.owner} godkendte målet og handlingerne og bad om status hvert halve år.",
        reference=f"DEMO: {goal.owner}s møde {meeting.day}/{meeting.month} {meeting.year}, punkt {rng.integers(3, 15)}",
        theme=goal.theme,
        goal=goal,
        demo=True,
    )
    if rng.random() < 0.6:
        text = DEMO_COMMENTS[int(rng.integers(0, len(DEMO_COMMENTS)))]
        Comment.objects.create(goal=goal, author_name="DEMO-politiker", text=text, demo=True)


@transaction.atomic
def clear_demo_goals() -> int:
    count, _ = Goal.objects.filter(demo=True).delete()
    revision.bump()
    return count


@transaction.atomic
def save_goal(goal: Goal, user: AbstractBaseUser) -> Goal:
    """Save a validated goal (`GoalForm.save(commit=False)`) as `user`, the web form and the API alike.

    The user is named to django-simple-history on the instance: an API request has no signed-in user for
    its middleware to find, and the history must still say who changed the goal.
    """
    if goal.pk is None:
        goal.created_by = user
    goal._history_user = user  # type: ignore[attr-defined]
    goal.save()
    goal_saved(goal)
    return goal


@transaction.atomic
def save_action(action: Action, user: AbstractBaseUser) -> Action:
    """Save a validated action as `user` (see `save_goal`); the goal's pages show it at once."""
    action._history_user = user  # type: ignore[attr-defined]
    action.save()
    revision.bump()
    return action


def goal_saved(goal: Goal) -> None:
    """After a goal is created or edited: its status from the (maybe new) target, and fresh pages."""
    record_statuses(goal.geo_id, goal_ids=[goal.pk])
    revision.bump()
