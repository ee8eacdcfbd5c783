"""The policy catalogue in the database, loaded from catalog/data/*.yaml by `lokalkompas catalog load`.

Rows keep the YAML ids as primary keys, so later parts (goals, indicators, briefs) can refer to a
theme or question by a stable id that survives every reload.
"""

from __future__ import annotations

from django.db import models


class SourceDocument(models.Model):
    id = models.CharField(max_length=120, primary_key=True)
    title = models.TextField()
    publisher = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=30)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Rule(models.Model):
    """A legal rule that can be computed from data (implemented in the `legal` package)."""

    id = models.CharField(max_length=120, primary_key=True)
    name = models.TextField()
    legal_reference = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.name


class Cited(models.Model):
    """Every catalogue item says where it comes from: a document, optionally an area and theme."""

    source_document = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="+")
    source_area = models.CharField(max_length=120, blank=True)
    source_theme = models.PositiveSmallIntegerField(null=True, blank=True)
    source_section = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position"]


class Area(Cited):
    id = models.CharField(max_length=120, primary_key=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField()
    formal_task = models.TextField()

    class Meta(Cited.Meta):
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class MovingPoint(Cited):
    id = models.CharField(max_length=120, primary_key=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="moving")
    title = models.CharField(max_length=300)
    text = models.TextField()

    def __str__(self) -> str:
        return self.title


class Theme(Cited):
    id = models.CharField(max_length=120, primary_key=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    summary = models.TextField()

    class Meta(Cited.Meta):
        ordering = ["area__order", "number"]
        constraints = [models.UniqueConstraint(fields=["area", "number"], name="theme_number_unique_in_area")]

    def __str__(self) -> str:
        return self.title


class LegalDuty(Cited):
    id = models.CharField(max_length=120, primary_key=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="legal_duties")
    text = models.TextField()
    legal_reference = models.CharField(max_length=300)
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.SET_NULL, related_name="duties")

    def __str__(self) -> str:
        return self.legal_reference


class Question(Cited):
    id = models.CharField(max_length=120, primary_key=True)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    # Indicator ids; the indicators issue turns this into a relation once indicators exist.
    indicators = models.JSONField(default=list, blank=True)
    legal_duties = models.ManyToManyField(LegalDuty, blank=True, related_name="questions")

    def __str__(self) -> str:
        return self.text


class Reform(Cited):
    id = models.CharField(max_length=120, primary_key=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="reforms")
    name = models.CharField(max_length=300)
    summary = models.TextField()
    council_decisions = models.JSONField(default=list)

    def __str__(self) -> str:
        return self.name


class ReformDate(models.Model):
    reform = models.ForeignKey(Reform, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField()
    what = models.TextField()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.what}"


class CalendarEntry(Cited):
    class Recurrence(models.TextChoices):
        YEARLY = "årlig", "Hvert år"
        BIENNIAL = "hvert andet år", "Hvert andet år"
        TERM = "en gang pr. valgperiode", "Én gang i valgperioden"

    id = models.CharField(max_length=120, primary_key=True)
    date = models.DateField(null=True, blank=True)
    period = models.CharField(max_length=6, blank=True)
    recurring = models.CharField(max_length=30, blank=True, choices=Recurrence.choices)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar")
    title = models.CharField(max_length=300)
    what = models.TextField()

    def __str__(self) -> str:
        return self.title
