"""The django-tasks tasks: thin, so that what a job does, and how it fails, lives in jobs.service."""

from __future__ import annotations

from django_tasks import task

from lokalkompas.jobs import service


@task()
def refresh_statbank(job_id: int) -> str:
    return service.run(job_id)


@task()
def render_brief_files(job_id: int) -> str:
    return service.run(job_id)
