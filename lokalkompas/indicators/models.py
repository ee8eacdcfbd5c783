"""The observation store: base series and indicator values, every load as a vintage, revisions kept.

One table holds both base series (what a source delivered) and indicator values (what `indicators
compute` derived), keyed by series, DST geography code, DST period code and an optional breakdown
(a single-year age, an area). A missing value is NULL with status `missing`, never 0.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from lokalkompas.registry.models import Geography


class Status(models.TextChoices):
    OK = "ok", "Endeligt"
    MISSING = "missing", "Mangler"
    CONFIDENTIAL = "confidential", "Fortroligt"
    PROVISIONAL = "provisional", "Foreløbigt"
    ESTIMATED = "estimated", "Skønnet"
    DEMO = "demo", "DEMO"


# Statuses that carry no number; every other status must have one.
WITHOUT_VALUE = (Status.MISSING, Status.CONFIDENTIAL)


class Vintage(models.Model):
    """One load from one source: when, what the source said about its own update, a checksum."""

    class Source(models.TextChoices):
        STATBANK = "statbank", "Danmarks Statistik"
        UPLOAD = "upload", "Upload"
        MANUAL = "manual", "Manuel indtastning"
        DEMO = "demo", "Demodata"
        DERIVED = "derived", "Beregnet i Lokalkompas"

    source = models.CharField(max_length=12, choices=Source.choices)
    label = models.CharField(max_length=200)
    loaded_at = models.DateTimeField(default=timezone.now, db_index=True)
    source_updated = models.DateTimeField(null=True, blank=True)
    checksum = models.CharField(max_length=64)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.label} ({self.loaded_at:%Y-%m-%d %H:%M})"


# The store's foreign keys are not enforced by the database (db_constraint=False): row-by-row
# referential checks made a million-row COPY on PostgreSQL ten times slower than the COPY itself.
# The write path checks geography codes against the registry before it writes, and creates the
# vintage in the same transaction, so the references hold all the same (see docs/decisions/0002).
class Observation(models.Model):
    series = models.CharField(max_length=80)
    # No index of its own on geo or vintage: every read names the series first, so the unique key
    # (series, geo, period, breakdown) serves it, and each extra index roughly doubles the cost of a big
    # load (bench/uploads_import.py). first_vintage keeps its index: "what changed since" reads by it.
    geo = models.ForeignKey(
        Geography,
        on_delete=models.PROTECT,
        db_column="geo_code",
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    period = models.CharField(max_length=10)
    breakdown = models.CharField(max_length=40, blank=True, default="")
    value = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    vintage = models.ForeignKey(
        Vintage, on_delete=models.PROTECT, related_name="observations", db_constraint=False, db_index=False
    )
    first_vintage = models.ForeignKey(
        Vintage, on_delete=models.PROTECT, related_name="first_observations", db_constraint=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "geo", "period", "breakdown"], name="observation_key"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True, status__in=WITHOUT_VALUE)
                | (models.Q(value__isnull=False) & ~models.Q(status__in=WITHOUT_VALUE)),
                name="observation_value_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["series", "period"], name="observation_series_period")]

    def __str__(self) -> str:
        return f"{self.series} {self.geo_id} {self.period}{'/' + self.breakdown if self.breakdown else ''}"


class Revision(models.Model):
    """A value that a later load changed: the old one is kept here with its vintage."""

    series = models.CharField(max_length=80)
    geo = models.ForeignKey(
        Geography, on_delete=models.PROTECT, db_column="geo_code", related_name="+", db_constraint=False
    )
    period = models.CharField(max_length=10)
    breakdown = models.CharField(max_length=40, blank=True, default="")
    old_value = models.FloatField(null=True, blank=True)
    old_status = models.CharField(max_length=12, choices=Status.choices)
    old_vintage = models.ForeignKey(Vintage, on_delete=models.PROTECT, related_name="revised_away", db_constraint=False)
    new_value = models.FloatField(null=True, blank=True)
    new_status = models.CharField(max_length=12, choices=Status.choices)
    new_vintage = models.ForeignKey(Vintage, on_delete=models.PROTECT, related_name="revisions", db_constraint=False)

    class Meta:
        indexes = [models.Index(fields=["series", "geo", "period"], name="revision_key")]
        ordering = ["-new_vintage__loaded_at", "series", "geo", "period"]

    def __str__(self) -> str:
        return f"{self.series} {self.geo_id} {self.period}: {self.old_value} → {self.new_value}"
