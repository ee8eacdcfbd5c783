"""Jobs started in the browser: an administrator's refresh from Statistics Denmark (on the Data page), an
issued brief's PDF and Word file (on the brief's page), and each job's own page with its state in Danish.

The job page does not reload itself: axe (WCAG 2.2.1) counts a timed `<meta http-equiv="refresh">` as a
failure, and the site runs no script. It says how long the job usually takes and links to itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lokalkompas.accounts import permissions
from lokalkompas.briefs.models import IssuedBrief
from lokalkompas.briefs.service import files_ready
from lokalkompas.front.context import chosen_municipality
from lokalkompas.jobs.models import Job
from lokalkompas.jobs.service import JobRefused, start_brief_files, start_refresh


def _user(request: HttpRequest) -> AbstractBaseUser | None:
    return request.user if isinstance(request.user, AbstractBaseUser) else None


def may_see(request: HttpRequest, job: Job) -> bool:
    """Members of the municipality whose page started it; a refresh loads every municipality's figures, so
    its job is also shown to any administrator who may start one."""
    if permissions.can_see_drafts(request.user, job.geo_id):
        return True
    chosen = chosen_municipality(request)
    if job.kind != Job.Kind.REFRESH or chosen is None:
        return False
    return permissions.can_refresh_sources(request.user, chosen.code)


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.select_related("geo"), pk=job_id)
    if not may_see(request, job):
        raise PermissionDenied(f"Opgaven kan ses af medlemmer af {job.geo.name}.")
    brief = IssuedBrief.objects.defer("content", "pdf", "docx").get(pk=job.brief_id) if job.brief_id else None
    context = {
        "job": job,
        "brief": brief,
        "ready": brief is not None and files_ready(brief.pk),
        "nav": "briefs" if brief else "data",
    }
    return render(request, "front/job.html", context)


@login_required
@require_POST
def refresh_start(request: HttpRequest) -> HttpResponse:
    chosen = chosen_municipality(request)
    if chosen is None or not permissions.can_refresh_sources(request.user, chosen.code):
        raise PermissionDenied("Kun kommunens administratorer kan hente nye tal fra Danmarks Statistik.")
    try:
        job = start_refresh(chosen.code, request.POST.get("omraade") or None, _user(request))
    except JobRefused as exc:
        messages.error(request, str(exc))
        return redirect("front:data")
    messages.success(request, f"Opdateringen er sat i kø som opgave nr. {job.pk}.")
    return redirect("front:job", job_id=job.pk)


@login_required
@require_POST
def brief_files_start(request: HttpRequest, brief_id: int) -> HttpResponse:
    issued = get_object_or_404(IssuedBrief.objects.defer("content", "pdf", "docx"), pk=brief_id)
    if not permissions.can_see_drafts(request.user, issued.geo_id):
        raise PermissionDenied("Kun medlemmer af kommunen kan sætte PDF og Word af et oplæg i kø.")
    job = start_brief_files(issued, _user(request))
    return redirect("front:job", job_id=job.pk)
