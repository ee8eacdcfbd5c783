"""Starting jobs and running them: every state change and every Danish message happens here."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from lokalkompas.accounts.names import display_name
from lokalkompas.briefs.models import IssuedBrief
from lokalkompas.briefs.service import FORMATS, stored_file
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.jobs.models import ACTIVE, Job
from lokalkompas.sources.statbank.client import StatbankClient, settings_from_django
from lokalkompas.sources.statbank.refresh import RefreshRefused, needed_series
from lokalkompas.sources.statbank.service import errors_text, recorded_text, refresh_and_record, summary_text

logger = logging.getLogger(__name__)
# A job still "i gang" after this long lost its worker (killed, machine restarted): the worker's loop has no
# heartbeat, and a full refresh takes at most half an hour, so a new refresh may then start.
ABANDONED_AFTER = dt.timedelta(hours=2)
ABANDONED = "Baggrundsprocessen stoppede, før opgaven var færdig (den blev afbrudt). Start opgaven igen."


class JobRefused(Exception):
    """The job cannot be started; the message is Danish."""


class JobFailed(Exception):
    """The job ran and failed for a reason the user can act on; the message is Danish."""


def unexpected_failure(job: Job) -> str:
    return (
        f"Opgaven stoppede med en uventet fejl. Detaljerne står i serverens log under opgave nr. {job.pk}; "
        "prøv igen, eller kontakt driften."
    )


def start_refresh(geo: str, area: str | None, user: AbstractBaseUser | None) -> Job:
    """Queue a Statbank refresh (all areas, or one). One at a time: a second would only find the tables the
    first is loading, and the two would compute the indicators twice."""
    if area and not needed_series(shipped_definitions(), area, None):
        raise JobRefused(f"Området {area!r} har ingen serier fra Statistikbanken.")
    from lokalkompas.jobs.tasks import refresh_statbank

    with transaction.atomic():
        _give_up_abandoned(Job.Kind.REFRESH)
        running = Job.objects.filter(kind=Job.Kind.REFRESH, state__in=ACTIVE).first()
        if running is not None:
            raise JobRefused(
                f"Der er allerede en opdatering fra Danmarks Statistik {running.get_state_display().lower()} "
                f"(opgave nr. {running.pk}). Vent, til den er færdig."
            )
        job = _create(Job.Kind.REFRESH, geo, user, area=area or "")
        # In the same transaction as our row: the queue never holds a task without its job, nor the reverse.
        job.task_id = str(refresh_statbank.enqueue(job.pk).id)
        job.save(update_fields=["task_id"])
    return job


def start_brief_files(issued: IssuedBrief, user: AbstractBaseUser | None) -> Job:
    """Queue the rendering of an issued brief's PDF and Word file, or return the job already doing it."""
    from lokalkompas.jobs.tasks import render_brief_files

    with transaction.atomic():
        _give_up_abandoned(Job.Kind.BRIEF_FILES)
        pending = Job.objects.filter(kind=Job.Kind.BRIEF_FILES, brief=issued, state__in=ACTIVE).first()
        if pending is not None:
            return pending
        job = _create(Job.Kind.BRIEF_FILES, issued.geo_id, user, brief=issued)
        job.task_id = str(render_brief_files.enqueue(job.pk).id)
        job.save(update_fields=["task_id"])
    return job


def _give_up_abandoned(kind: str) -> None:
    """Mark jobs whose worker died while running them as failed, so they block nothing."""
    Job.objects.filter(kind=kind, state=Job.State.RUNNING, started_at__lt=timezone.now() - ABANDONED_AFTER).update(
        state=Job.State.FAILED, message=ABANDONED, finished_at=timezone.now()
    )


def _create(kind: str, geo: str, user: AbstractBaseUser | None, **fields: object) -> Job:
    return Job.objects.create(
        kind=kind,
        geo_id=geo,
        started_by_id=user.pk if user is not None else None,
        started_by_name=display_name(user),
        **fields,
    )


def latest_for_brief(issued_id: int) -> Job | None:
    return Job.objects.filter(kind=Job.Kind.BRIEF_FILES, brief_id=issued_id).first()


def refresh_jobs(limit: int = 10) -> list[Job]:
    return list(Job.objects.filter(kind=Job.Kind.REFRESH)[:limit])


# --- running (in the worker) ------------------------------------------------------------------------------------


def run(job_id: int) -> str:
    """Run one job, recording each state on its row. A failure leaves a Danish message on the row, the
    traceback in the log, and is raised again so django-tasks records the task as failed too."""
    job = Job.objects.get(pk=job_id)
    job.state, job.started_at = Job.State.RUNNING, timezone.now()
    job.save(update_fields=["state", "started_at"])
    try:
        message = BODIES[job.kind](job)
    except JobFailed as exc:
        logger.warning("Job %s (%s) failed: %s", job.pk, job.kind, exc)
        _finish(job, Job.State.FAILED, str(exc))
        raise
    except Exception:
        logger.exception("Job %s (%s) failed unexpectedly", job.pk, job.kind)
        _finish(job, Job.State.FAILED, unexpected_failure(job))
        raise
    _finish(job, Job.State.DONE, message)
    return message


def _finish(job: Job, state: str, message: str) -> None:
    job.state, job.message, job.finished_at = state, message, timezone.now()
    job.save(update_fields=["state", "message", "finished_at"])


def _refresh(job: Job) -> str:
    """The same service as `lokalkompas refresh`: each table loads in its own transaction, a failed table
    leaves the database as it was for that table."""
    with StatbankClient(settings_from_django()) as client:
        try:
            outcome = refresh_and_record(
                shipped_definitions(), client, today=timezone.localdate(), area=job.area or None
            )
        except RefreshRefused as exc:
            raise JobFailed(str(exc)) from exc
    summary = outcome.summary
    text = " ".join(part for part in (summary_text(summary), recorded_text(outcome)) if part)
    if summary.errors:
        raise JobFailed(f"{errors_text(summary)} {text} Fejl: {'; '.join(summary.errors)}")
    return text


def _brief_files(job: Job) -> str:
    if job.brief_id is None:
        raise JobFailed("Opgaven nævner intet oplæg.")
    issued = IssuedBrief.objects.get(pk=job.brief_id)
    for extension in FORMATS:
        stored_file(issued, extension)
    return f"{issued.title}: PDF og Word er gemt med oplægget og hentes nu med det samme."


BODIES: dict[str, Callable[[Job], str]] = {Job.Kind.REFRESH: _refresh, Job.Kind.BRIEF_FILES: _brief_files}
