"""An issued brief: the composed content as it was, and the data vintages it was composed from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lokalkompas.briefs.model import Brief
from lokalkompas.registry.models import Geography


class IssuedBrief(models.Model):
    geo = models.ForeignKey(Geography, on_delete=models.PROTECT, db_column="geo_code", related_name="+")
    # Comma-separated area ids; empty for the whole council (all eight areas).
    areas = models.CharField(max_length=400, blank=True)
    title = models.CharField(max_length=300)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by_name = models.CharField(max_length=200)
    # The composed brief as JSON (briefs.model.Brief): an old brief renders exactly as it was issued.
    content = models.TextField()
    # Every vintage whose values the brief read, and the newest vintage at the time: what the numbers were.
    vintages = models.JSONField(default=list)
    data_version = models.BigIntegerField(null=True, blank=True)
    demo = models.BooleanField(default=False)
    # The rendered files, kept on first download: an issued brief never changes, and a council's PDF takes
    # WeasyPrint tens of seconds (bench/briefs_pdf.py), so each is rendered once.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    docx = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["geo", "issued_at"], name="issuedbrief_geo_time")]

    def __str__(self) -> str:
        return f"{self.title} ({self.geo_id}, {self.issued_at:%Y-%m-%d})"

    @property
    def brief(self) -> Brief:
        return Brief.from_json(self.content)

    @property
    def area_ids(self) -> list[str]:
        return [a for a in self.areas.split(",") if a]
