"""Council briefs in the browser: compose a draft for an area or the whole council, read it as a page, take
it as PDF or Word, issue it (analysts), and find the issued ones again exactly as they were."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lokalkompas.accounts import permissions
from lokalkompas.briefs.html import render_html
from lokalkompas.briefs.model import Brief
from lokalkompas.briefs.models import IssuedBrief
from lokalkompas.briefs.service import draft, files_ready, issue, issued_for, render_file, stored_file
from lokalkompas.catalog.models import Area
from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality
from lokalkompas.jobs.service import latest_for_brief, start_brief_files

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WHOLE_COUNCIL = "alle"


def _areas(request: HttpRequest) -> list[str] | None:
    """The `omraade` parameter: an area id, or `alle` (and nothing) for the whole council."""
    chosen = request.GET.get("omraade") or request.POST.get("omraade") or WHOLE_COUNCIL
    if chosen == WHOLE_COUNCIL:
        return None
    if not Area.objects.filter(pk=chosen).exists():
        raise Http404("Området findes ikke.")
    return [chosen]


def briefs(request: HttpRequest) -> HttpResponse:
    chosen = chosen_municipality(request)
    context = {
        "chosen": chosen,
        "areas": Area.objects.order_by("order"),
        "issued": issued_for(chosen.code) if chosen else [],
        "can_issue": bool(chosen and permissions.can_edit(request.user, chosen.code)),
        "is_member": bool(chosen and permissions.can_see_drafts(request.user, chosen.code)),
        "nav": "briefs",
    }
    return render(request, "front/briefs.html", context)


# Composing a draft takes a second and its PDF many: a visitor's draft (page, PDF or Word) is rendered once per
# municipality, area, day and data revision, like the data pages (signed-in members are served fresh).
@cached_page
def brief_draft(request: HttpRequest, extension: str = "") -> HttpResponse:
    chosen = chosen_municipality(request)
    if chosen is None:
        return redirect("front:briefs")
    areas = _areas(request)
    brief = draft(chosen.code, areas, timezone.localdate())
    slug = areas[0] if areas else WHOLE_COUNCIL
    return _respond(request, brief, extension, f"droeftelsesoplaeg-{chosen.code}-{slug}-udkast", None, slug)


def brief_issued(request: HttpRequest, brief_id: int, extension: str = "") -> HttpResponse:
    issued = get_object_or_404(IssuedBrief.objects.defer("pdf", "docx"), pk=brief_id)
    slug = issued.area_ids[0] if len(issued.area_ids) == 1 else WHOLE_COUNCIL
    name = f"droeftelsesoplaeg-{issued.geo_id}-{slug}-{issued.issued_at:%Y-%m-%d}"
    return _respond(request, issued.brief, extension, name, issued, slug)


def _respond(
    request: HttpRequest, brief: Brief, extension: str, name: str, issued: IssuedBrief | None, slug: str
) -> HttpResponse:
    if extension in FILES:
        data = stored_file(issued, extension) if issued is not None else render_file(brief, extension)
        return _download(data, FILES[extension], f"{name}.{extension}")
    if extension:
        raise Http404("Formatet findes ikke.")
    geo = brief.municipality_code
    context = {
        "brief": brief,
        "body": render_html(brief, standalone=False),
        "issued": issued,
        "slug": slug,
        "can_issue": issued is None and permissions.can_edit(request.user, geo),
        "is_member": permissions.can_see_drafts(request.user, geo),
        "has_demo": brief.demo,
        "files_ready": issued is not None and files_ready(issued.pk),
        "files_job": latest_for_brief(issued.pk) if issued is not None else None,
        "nav": "briefs",
    }
    return render(request, "front/brief.html", context)


FILES: dict[str, str] = {"pdf": "application/pdf", "docx": WORD}


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def brief_issue(request: HttpRequest) -> HttpResponse:
    chosen = chosen_municipality(request)
    if chosen is None or not permissions.can_edit(request.user, chosen.code):
        raise PermissionDenied("Kun analytikere og administratorer i kommunen kan udstede et oplæg.")
    user = request.user if isinstance(request.user, AbstractBaseUser) else None  # login_required: always a user
    issued = issue(chosen.code, _areas(request), timezone.localdate(), user)
    # The council's PDF of all eight areas takes WeasyPrint many seconds: written by the worker now, the
    # first download is the stored file instead of a wait (docs/decisions/0019).
    start_brief_files(issued, user)
    messages.success(
        request,
        f"{issued.title} er udstedt og gemt med de data, det bygger på. PDF og Word skrives i baggrunden.",
    )
    return redirect("front:brief_issued", brief_id=issued.pk)
