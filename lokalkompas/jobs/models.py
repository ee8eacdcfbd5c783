"""A job started in the browser, as its page shows it: what, for whom, its state and its Danish message.

django-tasks keeps its own row per task (the queue, the traceback of a failure); this one is ours because
the page needs what that row does not hold: the municipality whose members may see it, who started it, the
brief it renders and a message a user can read. It outlives the queue's row (`prune_db_task_results`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lokalkompas.briefs.models import IssuedBrief
from lokalkompas.registry.models import Geography


class Job(models.Model):
    class Kind(models.TextChoices):
        REFRESH = "opdatering", "Nye tal fra Danmarks Statistik"
        BRIEF_FILES = "oplaeg-filer", "PDF og Word af et udstedt oplæg"

    class State(models.TextChoices):
        QUEUED = "i-koe", "I kø"
        RUNNING = "i-gang", "I gang"
        DONE = "faerdig", "Færdig"
        FAILED = "fejlet", "Fejlet"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # The municipality whose page started the job: its members see the job.
    geo = models.ForeignKey(Geography, on_delete=models.PROTECT, db_column="geo_code", related_name="+")
    brief = models.ForeignKey(IssuedBrief, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs")
    # A refresh of one area only; empty for all areas.
    area = models.CharField(max_length=40, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Danish, for the page: the summary when done, what went wrong when failed (never a traceback).
    message = models.TextField(blank=True)
    # The id of django-tasks' result row, for the operator who reads the worker's log.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "state"], name="job_kind_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} nr. {self.pk} ({self.get_state_display()})"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def area_name(self) -> str:
        """The refreshed area's name ("Alle områder" for all), for the pages."""
        if not self.area:
            return "Alle områder"
        from lokalkompas.catalog.models import Area

        return Area.objects.filter(pk=self.area).values_list("name", flat=True).first() or self.area


ACTIVE = (Job.State.QUEUED, Job.State.RUNNING)
