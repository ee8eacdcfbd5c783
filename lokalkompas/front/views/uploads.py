"""Local data in the browser: templates to download, upload → check → preview → confirm, and the history.

Analysts and administrators load data for their own (chosen) municipality only; every member of the
municipality sees its upload history. Templates are public: they hold no data.
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lokalkompas.accounts import permissions
from lokalkompas.catalog.models import Area
from lokalkompas.front.context import chosen_municipality
from lokalkompas.front.views.goals import acting_municipality
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.jobs.service import refresh_jobs
from lokalkompas.registry.models import Geography
from lokalkompas.sources.models import Upload
from lokalkompas.sources.statbank.refresh import needed_series
from lokalkompas.sources.uploads.reading import UploadError, megabytes
from lokalkompas.sources.uploads.service import (
    ImportRefused,
    check_file,
    confirm,
    discard,
    preview,
    receive,
    refuse_while_demo,
    uploads_for,
)
from lokalkompas.sources.uploads.templates import shipped_templates, template_csv, template_xlsx
from lokalkompas.sources.uploads.validation import Checked

SHOWN_PROBLEMS = 200
logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label="Fil (xlsx eller csv)", help_text="Brug en af skabelonerne nedenfor.")
    template = forms.ChoiceField(label="Skabelon", required=False, help_text="Tomt: findes ud fra kolonnerne.")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", "Find den ud fra kolonnerne"), *((t.id, t.name) for t in shipped_templates().values())]
        self.fields["template"].choices = choices  # type: ignore[attr-defined]


def template_download(request: HttpRequest, template_id: str, extension: str) -> HttpResponse:
    template = shipped_templates().get(template_id)
    if template is None or extension not in ("xlsx", "csv"):
        raise Http404("Skabelonen findes ikke.")
    if extension == "xlsx":
        response = HttpResponse(template_xlsx(template), content_type=XLSX)
    else:
        response = HttpResponse(template_csv(template), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lokalkompas-{template.id}.{extension}"'
    return response


@login_required
def data_page(request: HttpRequest) -> HttpResponse:
    geo = chosen_municipality(request)
    if geo is None or not permissions.can_see_drafts(request.user, geo.code):
        name = geo.name if geo else "en kommune"
        raise PermissionDenied(f"Siden med kommunens data kan ses af medlemmer af {name}.")
    editor = permissions.can_edit(request.user, geo.code)
    form = UploadForm()
    checked: Checked | None = None
    failure = ""
    if request.method == "POST":
        geo = acting_municipality(request)  # 403 for anyone but the municipality's analysts
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload, checked, failure = _receive(request, form, geo)
            if upload is not None:
                return redirect("front:upload_preview", upload_id=upload.pk)
    context = {
        "geo": geo,
        "editor": editor,
        "form": form,
        "checked": checked,
        "errors": checked.errors[:SHOWN_PROBLEMS] if checked else [],
        "failure": failure,
        "templates": shipped_templates().values(),
        "uploads": uploads_for(geo.code)[:100],
        **_refresh_context(request, geo),
        "nav": "data",
    }
    return render(request, "front/data.html", context, status=400 if failure or (checked and not checked.ok) else 200)


def _refresh_context(request: HttpRequest, geo: Geography) -> dict[str, object]:
    """For administrators: the form that starts a refresh from Statistics Denmark, and the latest ones."""
    if not permissions.can_refresh_sources(request.user, geo.code):
        return {"refresher": False}
    definitions = shipped_definitions()
    areas = [a for a in Area.objects.order_by("order") if needed_series(definitions, a.id, None)]
    return {"refresher": True, "refresh_areas": areas, "refresh_jobs": refresh_jobs()}


def _receive(request: HttpRequest, form: UploadForm, geo: Geography) -> tuple[Upload | None, Checked | None, str]:
    uploaded = form.cleaned_data["file"]
    limit = int(settings.UPLOAD_MAX_MB * 1_000_000)
    if uploaded.size > limit:
        return (
            None,
            None,
            f"{uploaded.name}: filen fylder {megabytes(uploaded.size)} MB; grænsen er {megabytes(limit)} MB.",
        )
    try:
        refuse_while_demo(uploaded.name)
    except UploadError as exc:
        return None, None, str(exc)
    data = uploaded.read()
    try:
        checked = check_file(uploaded.name, data, {geo.code}, form.cleaned_data["template"] or None)
    except UploadError as exc:
        return None, None, str(exc)
    if not checked.ok:
        return None, checked, ""
    return receive(uploaded.name, data, request.user, checked), checked, ""  # type: ignore[arg-type]


def _own_upload(request: HttpRequest, upload_id: int) -> Upload:
    upload = get_object_or_404(Upload, pk=upload_id)
    codes = upload.municipality_codes
    if not codes or not all(permissions.can_edit(request.user, code) for code in codes):
        raise PermissionDenied("Kun analytikere i kommunen kan se og bekræfte denne upload.")
    return upload


@login_required
def upload_preview(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _own_upload(request, upload_id)
    if upload.status != Upload.Status.PENDING or upload.content is None:
        messages.info(request, f"{upload.file_name} er {upload.get_status_display().lower()}.")
        return redirect("front:data")
    checked = check_file(upload.file_name, bytes(upload.content), set(upload.municipality_codes), upload.template)
    context = {"upload": upload, "checked": checked, "preview": preview(checked), "nav": "data"}
    return render(request, "front/upload_preview.html", context)


@login_required
@require_POST
def upload_confirm(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _own_upload(request, upload_id)
    try:
        done = confirm(upload, set(upload.municipality_codes))
    except (ImportRefused, UploadError) as exc:
        messages.error(request, f"Intet er indlæst: {exc}")
        return redirect("front:data")
    except Exception:  # a fault of ours, not of the file: the transaction rolled back; say so, log the details
        logger.exception("Import of upload %s failed", upload.pk)
        messages.error(
            request, f"Indlæsningen af {upload.file_name} fejlede, og intet er gemt. Prøv igen, eller kontakt driften."
        )
        return redirect("front:data")
    if done.vintage is None:
        messages.info(request, f"{done.file_name}: intet nyt; alle værdier fandtes allerede.")
    else:
        messages.success(
            request,
            f"{done.file_name} er indlæst: {done.new_values} nye og {done.changed_values} ændrede værdier. "
            "Indikatorerne er beregnet igen.",
        )
    return redirect("front:data")


@login_required
@require_POST
def upload_discard(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _own_upload(request, upload_id)
    if upload.status == Upload.Status.PENDING:
        discard(upload)
        messages.info(request, f"{upload.file_name} er kasseret; intet er indlæst.")
    return redirect("front:data")


def vintage_page(request: HttpRequest, vintage_id: int) -> HttpResponse:
    """One load of data: where it came from, when, its checksum, and a sample of its values."""
    vintage = get_object_or_404(Vintage, pk=vintage_id)
    upload = Upload.objects.filter(vintage=vintage).defer("content").first()
    member = upload is not None and any(permissions.can_see_drafts(request.user, c) for c in upload.municipality_codes)
    values = Observation.objects.filter(vintage=vintage).order_by("series", "geo_id", "period")
    context = {
        "vintage": vintage,
        "upload": upload,
        "member": member,
        "count": values.count(),
        "sample": values.select_related("geo")[:50],
        "nav": "data",
    }
    return render(request, "front/vintage.html", context)
