"""Geography that observations, goals and users refer to: the country, regions and municipalities."""

from __future__ import annotations

from django.db import models


class MunicipalityGroup(models.Model):
    """One of DST's five municipality groups (KOMGRP)."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class Geography(models.Model):
    """A DST geography: `000` the country, `081`–`085` regions, three-digit municipality codes, and
    `KG1`–`KG5` for DST's municipality groups (values computed by Lokalkompas from the members)."""

    class Kind(models.TextChoices):
        COUNTRY = "country", "Hele landet"
        REGION = "region", "Region"
        MUNICIPALITY = "municipality", "Kommune"
        GROUP = "group", "Kommunegruppe"

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    # "Københavns Kommune", "Bornholms Regionskommune": the name used in running text.
    official_name = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    region = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    group = models.ForeignKey(MunicipalityGroup, null=True, blank=True, on_delete=models.PROTECT)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="municipality") | models.Q(region__isnull=False, group__isnull=False),
                name="municipality_has_region_and_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ContentRevision(models.Model):
    """One row counting every change to what pages show (data, catalogue, registry, decisions).

    Page caches key on it (`front.cache`), so a load in another process (a CLI command, a scheduled
    refresh) makes every cached page stale at once. See `registry.revision`.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"revision {self.number}"
