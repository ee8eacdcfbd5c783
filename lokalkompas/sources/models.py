"""Uploads of local data: the file while it waits for confirmation, and its record afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lokalkompas.indicators.models import Vintage


class Upload(models.Model):
    class Status(models.TextChoices):
        PENDING = "afventer", "Afventer bekræftelse"
        IMPORTED = "indlaest", "Indlæst"
        NOTHING_NEW = "intet-nyt", "Intet nyt at indlæse"
        DISCARDED = "kasseret", "Kasseret"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Who, for the history, also after the user is removed (or "kommandolinje").
    user_name = models.CharField(max_length=200)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    template = models.CharField(max_length=80, blank=True)
    # The municipalities the file has values for, as ",101,751," so one query finds a municipality's uploads.
    municipalities = models.CharField(max_length=500, blank=True)
    # The file itself while it waits for confirmation; emptied once it is imported or discarded.
    content = models.BinaryField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(default=0)
    new_values = models.PositiveIntegerField(default=0)
    changed_values = models.PositiveIntegerField(default=0)
    unchanged_values = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    vintage = models.ForeignKey(Vintage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def municipality_codes(self) -> list[str]:
        return [code for code in self.municipalities.split(",") if code]
