"""Composing, issuing and finding briefs with the database."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from lokalkompas.accounts.names import display_name
from lokalkompas.briefs.compose import Since, compose
from lokalkompas.briefs.model import Brief
from lokalkompas.briefs.models import IssuedBrief
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.registry.data import COUNTRY_CODE


def last_issued(geo: str, areas: list[str] | None) -> IssuedBrief | None:
    """The newest issued brief for the same municipality and the same areas."""
    return IssuedBrief.objects.filter(geo_id=geo, areas=_areas_key(areas)).defer("pdf", "docx").first()


def _areas_key(areas: list[str] | None) -> str:
    return ",".join(sorted(areas)) if areas else ""


def draft(geo: str, areas: list[str] | None, today: dt.date) -> Brief:
    """A brief as it would be issued now, compared with the last issued one of the same kind."""
    previous = last_issued(geo, areas)
    return compose(geo, areas, today, Since(previous.issued_at) if previous else None)


@transaction.atomic
def issue(geo: str, areas: list[str] | None, today: dt.date, user: AbstractBaseUser | None) -> IssuedBrief:
    """Compose and store a brief with the vintages it read, so the next one can say what changed since."""
    brief = draft(geo, areas, today)
    used = (
        Observation.objects.filter(geo_id__in=[geo, COUNTRY_CODE], series__in=list(shipped_definitions().indicators))
        .values_list("vintage_id", flat=True)
        .distinct()
    )
    return IssuedBrief.objects.create(
        geo_id=geo,
        areas=_areas_key(areas),
        title=brief.title,
        issued_by_id=user.pk if user is not None else None,
        issued_by_name=display_name(user),
        content=brief.to_json(),
        vintages=sorted(set(used)),
        data_version=Vintage.objects.aggregate(newest=Max("id"))["newest"],
        demo=brief.demo,
    )


def issued_for(geo: str) -> list[IssuedBrief]:
    return list(IssuedBrief.objects.filter(geo_id=geo).defer("content", "pdf", "docx"))


FORMATS = ("pdf", "docx")


def render_file(brief: Brief, extension: str) -> bytes:
    """The brief as a PDF or Word file."""
    if extension == "pdf":
        from lokalkompas.briefs.pdf import render_pdf  # WeasyPrint loads Pango: only PDF requests pay for it

        return render_pdf(brief)
    if extension == "docx":
        from lokalkompas.briefs.docx import render_docx

        return render_docx(brief)
    raise ValueError(f"unknown brief format {extension!r}")


def stored_file(issued: IssuedBrief, extension: str) -> bytes:
    """An issued brief's file, rendered on the first download (or by a background job, lokalkompas.jobs) and
    kept with it: an issued brief never changes."""
    kept = getattr(issued, extension)
    if kept is not None:
        return bytes(kept)
    data = render_file(issued.brief, extension)
    setattr(issued, extension, data)
    issued.save(update_fields=[extension])
    return data


def files_ready(issued_id: int) -> bool:
    """Both files are stored, so a download is instant (without loading them here)."""
    return IssuedBrief.objects.filter(pk=issued_id, pdf__isnull=False, docx__isnull=False).exists()
