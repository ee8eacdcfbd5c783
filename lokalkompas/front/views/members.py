"""The administrator's page: who has which role in the municipality, and the history of those roles.

Only administrators of the municipality see it. An administrator cannot remove or demote themselves,
so a municipality is never left without anyone who can manage its users by accident.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lokalkompas.accounts import permissions
from lokalkompas.accounts.models import Membership
from lokalkompas.accounts.service import UserError, add_user
from lokalkompas.front.context import chosen_municipality
from lokalkompas.front.forms import MemberForm, RoleForm
from lokalkompas.goals.history import MEMBERSHIP_LABELS, entries
from lokalkompas.registry import revision
from lokalkompas.registry.models import Geography


def administered(request: HttpRequest) -> Geography:
    geo = chosen_municipality(request)
    if geo is None or not permissions.can_manage_users(request.user, geo.code):
        name = geo.name if geo else "kommunen"
        raise PermissionDenied(f"Kun administratorer i {name} kan se og ændre kommunens brugere.")
    return geo


@login_required
def members(request: HttpRequest) -> HttpResponse:
    geo = administered(request)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_user(data["username"], data["name"], geo.code, data["role"], data["password"])
        except UserError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{data['username']} har nu rollen {data['role']} i {geo.name}.")
            return redirect("front:members")
    found = Membership.objects.filter(geo=geo).select_related("user").order_by("user__username")
    history = Membership.history.filter(geo_id=geo.code).select_related("history_user").order_by("-history_date")
    context = {
        "geo": geo,
        "memberships": [(m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in found],
        "form": form,
        "history": entries(history[:200], "Rolle", MEMBERSHIP_LABELS, Membership),
        "nav": "members",
    }
    return render(request, "front/members.html", context, status=400 if form.errors else 200)


def _own_membership(request: HttpRequest, membership_id: int) -> Membership:
    geo = administered(request)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id, geo=geo)
    if membership.user_id == request.user.pk:
        raise PermissionDenied("Du kan ikke ændre eller fjerne din egen rolle; bed en anden administrator om det.")
    return membership


@login_required
@require_POST
def member_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = _own_membership(request, membership_id)
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, "Ukendt rolle; rollen er ikke ændret.")
        return redirect("front:members")
    with transaction.atomic():
        membership.role = form.cleaned_data["role"]
        membership.save()
        revision.bump()
    messages.success(request, f"{membership.user.get_username()} har nu rollen {membership.get_role_display()}.")
    return redirect("front:members")


@login_required
@require_POST
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = _own_membership(request, membership_id)
    with transaction.atomic():
        membership.delete()
        revision.bump()
    messages.success(request, f"{membership.user.get_username()} har ikke længere en rolle i {membership.geo.name}.")
    return redirect("front:members")
