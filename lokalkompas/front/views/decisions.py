"""The decision log: what the council and its committees decided, with links to the agenda items.

Decisions are public council business, so everybody sees the log; a link to a goal is shown only to
those who may see that goal. Analysts and administrators of the municipality register, edit and delete.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lokalkompas.accounts import permissions
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality
from lokalkompas.front.forms import DecisionForm
from lokalkompas.front.views.goals import acting_municipality, require_editor
from lokalkompas.legal.models import Decision
from lokalkompas.legal.service import record_results
from lokalkompas.registry import revision


@cached_page
def decisions(request: HttpRequest) -> HttpResponse:
    chosen = chosen_municipality(request)
    rows = []
    editor = drafts = False
    if chosen:
        drafts = permissions.can_see_drafts(request.user, chosen.code)
        editor = permissions.can_edit(request.user, chosen.code)
        found = Decision.objects.filter(geo=chosen).select_related("theme", "goal").order_by("-date", "-id")
        rows = [(d, d.goal if d.goal and (d.goal.published or drafts) else None) for d in found]
    context = {
        "chosen": chosen,
        "rows": rows,
        "editor": editor,
        "has_demo": any(d.demo for d, _ in rows),
        "nav": "decisions",
    }
    return render(request, "front/decisions.html", context)


@login_required
def decision_form(request: HttpRequest, decision_id: int | None = None) -> HttpResponse:
    if decision_id:
        decision = get_object_or_404(Decision.objects.select_related("geo"), pk=decision_id)
        geo = decision.geo
        require_editor(request, geo)
    else:
        geo = acting_municipality(request)
        decision = Decision(geo=geo)
    today = timezone.localdate()
    initial = {"goal": request.GET.get("maal")} if request.method == "GET" and not decision_id else None
    form = DecisionForm(request.POST or None, instance=decision, geo=geo, today=today, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            _after_change(today, saved.geo_id)
        messages.success(request, "Beslutningen er gemt i beslutningsloggen.")
        return redirect("front:decisions")
    context = {"form": form, "decision": decision, "geo": geo, "nav": "decisions"}
    return render(request, "front/decision_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def decision_delete(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("geo"), pk=decision_id)
    require_editor(request, decision.geo)
    with transaction.atomic():
        decision.delete()
        _after_change(timezone.localdate(), decision.geo_id)
    messages.success(request, "Beslutningen er slettet fra loggen. Dens historik er bevaret.")
    return redirect("front:decisions")


def _after_change(today: dt.date, geo: str) -> None:
    """A decision may fulfil a legal duty: record the municipality's rule results again; fresh pages."""
    revision.bump()
    record_results(today, geos=[geo])
