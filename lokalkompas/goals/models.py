"""Political goals (mål) per municipality, and the history of their computed status."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lokalkompas.catalog.models import Area, Question, Theme
from lokalkompas.registry.models import Geography


class Goal(models.Model):
    """A goal the council set, optionally measured by an indicator from baseline to target."""

    geo = models.ForeignKey(Geography, on_delete=models.PROTECT, db_column="geo_code", related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    indicator = models.CharField(max_length=80, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_period = models.CharField(max_length=10, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    target_period = models.CharField(max_length=10, blank=True)
    tolerance = models.FloatField(default=0.10)
    owner = models.CharField(max_length=200, blank=True)  # the committee that owns the goal
    published = models.BooleanField(default=False)
    demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who changed what and when (django-simple-history; the goal's history page reads it).
    history = HistoricalRecords(excluded_fields=["created_at", "created_by"])

    class Meta:
        ordering = ["geo", "area", "id"]

    def __str__(self) -> str:
        return f"{self.geo_id}: {self.text[:60]}"

    @property
    def measurable(self) -> bool:
        return bool(
            self.indicator
            and self.baseline_value is not None
            and self.baseline_period
            and self.target_value is not None
            and self.target_period
        )


class GoalStatusRecord(models.Model):
    """A goal's computed status, stored when it differs from the one stored before."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=20)
    period = models.CharField(max_length=10, blank=True)
    actual = models.FloatField(null=True)
    expected = models.FloatField(null=True)
    explanation = models.TextField()
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.status} ({self.recorded_at:%Y-%m-%d})"


class Action(models.Model):
    """Something the administration does to reach a goal, with an owner and a deadline."""

    class Status(models.TextChoices):
        NOT_STARTED = "ikke-startet", "Ikke startet"
        IN_PROGRESS = "i-gang", "I gang"
        DONE = "faerdig", "Færdig"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, blank=True)
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["goal", "deadline", "id"]

    def __str__(self) -> str:
        return self.title

    def overdue(self, today: dt.date) -> bool:
        """Past its deadline and not finished."""
        return self.deadline is not None and self.deadline < today and self.status != self.Status.DONE


class Comment(models.Model):
    """A council member's comment on a goal; visible to the members of the goal's municipality only."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Kept as written at the time, so the comment still says who wrote it if the user is removed.
    author_name = models.CharField(max_length=200)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"
