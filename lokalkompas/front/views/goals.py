"""The goals page: the chosen municipality's goals with their status computed from the data.

Anonymous visitors see published goals only; a signed-in member of the municipality (any role) also sees
drafts, marked as such. Members of other municipalities see only what the public sees.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lokalkompas.accounts.models import Membership
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality
from lokalkompas.goals.models import Goal
from lokalkompas.goals.service import current_status
from lokalkompas.goals.status import GoalStatus
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.schema import Indicator
from lokalkompas.registry.models import Geography


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    indicator: Indicator | None
    status: GoalStatus


def may_see_drafts(request: HttpRequest, geo: Geography) -> bool:
    user = request.user
    return bool(user.is_authenticated and Membership.objects.filter(user=user, geo=geo).exists())


@cached_page
def goals(request: HttpRequest) -> HttpResponse:
    chosen = chosen_municipality(request)
    rows: list[GoalRow] = []
    drafts = False
    if chosen:
        drafts = may_see_drafts(request, chosen)
        found = Goal.objects.filter(geo=chosen).select_related("area").order_by("area__order", "id")
        if not drafts:
            found = found.filter(published=True)
        indicators = shipped_definitions().indicators
        rows = [GoalRow(g, indicators.get(g.indicator), current_status(g)) for g in found]
    context = {
        "chosen": chosen,
        "rows": rows,
        "drafts": drafts,
        "has_demo": any(r.goal.demo for r in rows),
        "nav": "goals",
    }
    return render(request, "front/goals.html", context)
