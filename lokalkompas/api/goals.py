"""A goal as the API answers it: the listing (`/maal`) and the writes (`POST`/`PATCH /maal`) share it."""

from __future__ import annotations

from typing import Any

from lokalkompas.goals.models import Action, Goal
from lokalkompas.goals.service import current_status


def action_answer(action: Action) -> dict[str, Any]:
    return {
        "id": action.pk,
        "title": action.title,
        "owner": action.owner,
        "deadline": action.deadline,
        "status": action.status,
    }


def goal_answer(goal: Goal) -> dict[str, Any]:
    """The goal with its current status (computed, as on the goal's page) and its actions."""
    status = current_status(goal)
    return {
        "id": goal.pk,
        "geo": goal.geo_id,
        "area": goal.area_id,
        "theme": goal.theme_id,
        "question": goal.question_id,
        "text": goal.text,
        "indicator": goal.indicator,
        "baseline_value": goal.baseline_value,
        "baseline_period": goal.baseline_period,
        "target_value": goal.target_value,
        "target_period": goal.target_period,
        "tolerance_percent": round(goal.tolerance * 100, 1),
        "owner": goal.owner,
        "published": goal.published,
        "demo": goal.demo,
        "status": status.status,
        "status_explanation": status.explanation,
        "actions": [action_answer(a) for a in goal.actions.all()],
    }
