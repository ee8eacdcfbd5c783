"""Goals: the list, a goal's page with actions, decisions and comments, its history, and the forms.

Who sees and does what is decided in `accounts.permissions`, asked here on every request:
- anyone sees published goals; members of the goal's municipality also see drafts, and comments;
- analysts and administrators of the municipality create, edit and delete goals and actions.
A draft is answered with 404 to everybody else, so its existence does not leak either.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lokalkompas.accounts import permissions
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality
from lokalkompas.front.forms import ActionForm, CommentForm, GoalForm
from lokalkompas.goals.history import goal_history
from lokalkompas.goals.models import Action, Comment, Goal, GoalStatusRecord
from lokalkompas.goals.service import current_status, save_action, save_goal
from lokalkompas.goals.status import GoalStatus
from lokalkompas.goals.targets import legal_warning, suggestions
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.schema import Indicator
from lokalkompas.registry import revision
from lokalkompas.registry.models import Geography


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    indicator: Indicator | None
    status: GoalStatus


@cached_page
def goals(request: HttpRequest) -> HttpResponse:
    chosen = chosen_municipality(request)
    rows: list[GoalRow] = []
    drafts = editor = False
    if chosen:
        drafts = permissions.can_see_drafts(request.user, chosen.code)
        editor = permissions.can_edit(request.user, chosen.code)
        found = Goal.objects.filter(geo=chosen).select_related("area").order_by("area__order", "id")
        if not drafts:
            found = found.filter(published=True)
        indicators = shipped_definitions().indicators
        rows = [GoalRow(g, indicators.get(g.indicator), current_status(g)) for g in found]
    context = {
        "chosen": chosen,
        "rows": rows,
        "drafts": drafts,
        "editor": editor,
        "has_demo": any(r.goal.demo for r in rows),
        "nav": "goals",
    }
    return render(request, "front/goals.html", context)


def visible_goal(request: HttpRequest, goal_id: int) -> Goal:
    """The goal, if this visitor may see it; a draft of another municipality is 'not found'."""
    goal = get_object_or_404(Goal.objects.select_related("geo", "area", "theme", "question"), pk=goal_id)
    if not goal.published and not permissions.can_see_drafts(request.user, goal.geo_id):
        raise Http404("Målet findes ikke.")
    return goal


def editable_goal(request: HttpRequest, goal_id: int) -> Goal:
    goal = visible_goal(request, goal_id)
    require_editor(request, goal.geo)
    return goal


def require_editor(request: HttpRequest, geo: Geography) -> None:
    if not permissions.can_edit(request.user, geo.code):
        raise PermissionDenied(f"Kun analytikere og administratorer i {geo.name} kan ændre kommunens mål.")


@cached_page
def goal_detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = visible_goal(request, goal_id)
    member = permissions.can_see_drafts(request.user, goal.geo_id)
    today = timezone.localdate()
    actions = list(goal.actions.all())
    decisions = goal.decisions.order_by("-date", "-id")
    context = {
        "goal": goal,
        "indicator": shipped_definitions().indicators.get(goal.indicator),
        "status": current_status(goal),
        "statuses": GoalStatusRecord.objects.filter(goal=goal).order_by("-recorded_at", "-id")[:20],
        "actions": [(a, a.overdue(today)) for a in actions],
        "decisions": decisions,
        "comments": goal.comments.all() if member else [],
        "member": member,
        "editor": permissions.can_edit(request.user, goal.geo_id),
        "comment_form": CommentForm() if permissions.can_comment(request.user, goal.geo_id) else None,
        "warning": _warning(goal),
        "has_demo": goal.demo,
        "nav": "goals",
    }
    return render(request, "front/goal_detail.html", context)


def _warning(goal: Goal) -> str | None:
    indicator = shipped_definitions().indicators.get(goal.indicator)
    return legal_warning(indicator, goal.target_value) if indicator else None


def goal_history_page(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = visible_goal(request, goal_id)
    if not permissions.can_see_drafts(request.user, goal.geo_id):
        raise PermissionDenied(f"Historikken kan ses af medlemmer af {goal.geo.name}.")
    context = {"goal": goal, "entries": goal_history(goal.pk), "nav": "goals"}
    return render(request, "front/goal_history.html", context)


@login_required
def goal_new(request: HttpRequest) -> HttpResponse:
    geo = acting_municipality(request)
    return _goal_form(request, geo, Goal(geo=geo))


@login_required
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = editable_goal(request, goal_id)
    return _goal_form(request, goal.geo, goal)


def acting_municipality(request: HttpRequest) -> Geography:
    """The chosen municipality, or else the first where the user may write; the role is checked."""
    chosen = chosen_municipality(request)
    if chosen is None:
        codes = permissions.municipalities_where(request.user, permissions.Role.ANALYTIKER)
        chosen = Geography.objects.filter(code__in=codes[:1]).first()
    if chosen is None:
        raise PermissionDenied("Du skal være analytiker eller administrator i en kommune for at oprette mål.")
    require_editor(request, chosen)
    return chosen


def _goal_form(request: HttpRequest, geo: Geography, goal: Goal) -> HttpResponse:
    """One form for new and existing goals. The helper buttons re-show the form without saving."""
    helper = request.method == "POST" and ("forslag" in request.POST or "brug" in request.POST)
    if request.method == "POST" and not helper:
        form = GoalForm(request.POST, instance=goal, geo=geo)
        if form.is_valid():
            new = goal.pk is None
            saved = save_goal(form.save(commit=False), request.user)  # type: ignore[arg-type]
            messages.success(request, "Målet er oprettet." if new else "Målet er gemt.")
            warning = _warning(saved)
            if warning:
                messages.warning(request, warning)
            return redirect("front:goal", goal_id=saved.pk)
    elif helper:
        form = GoalForm(initial=_helper_initial(request), instance=goal, geo=geo)
    else:
        form = GoalForm(instance=goal, geo=geo)
    context = {"form": form, "goal": goal, "geo": geo, "nav": "goals", **_helper(form, geo)}
    return render(request, "front/goal_form.html", context, status=400 if form.is_bound else 200)


def _helper_initial(request: HttpRequest) -> dict[str, Any]:
    """The posted values as the form's starting values, with a chosen suggestion as the target."""
    initial: dict[str, Any] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    initial["published"] = "published" in request.POST
    if "brug" in request.POST:
        with contextlib.suppress(ValueError):  # a tampered button value: keep what was typed
            initial["target_value"] = float(request.POST["brug"])
    return initial


def _helper(form: GoalForm, geo: Geography) -> dict[str, Any]:
    """Suggested targets for the indicator and target period in the form, and the legal warning."""
    value = form["indicator"].value()
    indicator = shipped_definitions().indicators.get(str(value or ""))
    if indicator is None:
        return {"suggestions": [], "indicator": None, "target_warning": None}
    target_period = str(form["target_period"].value() or "").strip().upper()
    target = form["target_value"].value()
    try:
        target_number = float(str(target).replace(",", ".")) if target not in (None, "") else None
    except ValueError:
        target_number = None
    try:
        found = suggestions(indicator, geo, target_period)
    except ValueError:  # an unreadable target period: the trend needs it, the others do not
        found = suggestions(indicator, geo, "")
    # "Brug" sets the target at the indicator's own precision: 2,8 children per adult, not 2,7813.
    rounded = [(s, round(s.value, indicator.decimals) if s.value is not None else None) for s in found]
    return {"suggestions": rounded, "indicator": indicator, "target_warning": legal_warning(indicator, target_number)}


@login_required
@require_POST
def goal_delete(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = editable_goal(request, goal_id)
    if request.POST.get("bekraeft") != "ja":
        messages.error(request, "Sæt flueben i „Ja, slet målet“ for at slette det.")
        return redirect("front:goal", goal_id=goal.pk)
    with transaction.atomic():
        goal.delete()
        revision.bump()
    messages.success(request, "Målet er slettet. Dets historik er bevaret.")
    return redirect("front:goals")


@login_required
@require_POST
def comment_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = visible_goal(request, goal_id)
    if not permissions.can_comment(request.user, goal.geo_id):
        raise PermissionDenied(f"Kun medlemmer af {goal.geo.name} kan kommentere kommunens mål.")
    form = CommentForm(request.POST)
    if form.is_valid():
        user = request.user
        name = user.get_full_name() or user.get_username()  # type: ignore[union-attr]
        Comment.objects.create(goal=goal, author_id=user.pk, author_name=name, text=form.cleaned_data["text"])
        revision.bump()
        messages.success(request, "Din kommentar er gemt.")
    else:
        messages.error(request, "Kommentaren blev ikke gemt: " + " ".join(str(e) for e in form.errors.get("text", [])))
    return redirect("front:goal", goal_id=goal.pk)


@login_required
def action_form(request: HttpRequest, goal_id: int, action_id: int | None = None) -> HttpResponse:
    goal = editable_goal(request, goal_id)
    action = get_object_or_404(Action, pk=action_id, goal=goal) if action_id else Action(goal=goal)
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        save_action(form.save(commit=False), request.user)  # type: ignore[arg-type]
        messages.success(request, "Handlingen er gemt.")
        return redirect("front:goal", goal_id=goal.pk)
    context = {"form": form, "goal": goal, "action": action, "nav": "goals"}
    return render(request, "front/action_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def action_delete(request: HttpRequest, goal_id: int, action_id: int) -> HttpResponse:
    goal = editable_goal(request, goal_id)
    action = get_object_or_404(Action, pk=action_id, goal=goal)
    with transaction.atomic():
        action.delete()
        revision.bump()
    messages.success(request, f"Handlingen „{action.title}“ er slettet.")
    return redirect("front:goal", goal_id=goal.pk)
