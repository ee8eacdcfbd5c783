"""The council's register of decisions that legal duties ask for, and the history of rule results."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from lokalkompas.registry.models import Geography


class Decision(models.Model):
    """A decision the municipality took on a date (a plan adopted, a report treated, a policy approved).

    Registered by the municipality itself (`lokalkompas beslutning tilfoej`, later the web form and
    the upload templates); the rules in `legal.rules` read the dates of one kind for one municipality.
    """

    class Kind(models.TextChoices):
        BEREDSKABSPLAN = "beredskabsplan", "Beredskabsplan vedtaget i kommunalbestyrelsen"
        DIMENSIONERING = "risikobaseret-dimensionering", "Plan for risikobaseret dimensionering vedtaget"
        PLANSTRATEGI = "planstrategi", "Planstrategi offentliggjort"
        DANMARKSKORT = "danmarkskort", "Danmarkskortet behandlet i kommunalbestyrelsen"
        NIS2_POLITIK = "nis2-politik", "Informationssikkerhedspolitik godkendt af ledelsen"

    geo = models.ForeignKey(Geography, on_delete=models.PROTECT, db_column="geo_code", related_name="+")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    date = models.DateField()
    # Where to read the decision: the meeting and item, a link to the minutes.
    reference = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["geo", "kind", "-date"]
        constraints = [models.UniqueConstraint(fields=["geo", "kind", "date"], name="one_decision_per_kind_and_day")]

    def __str__(self) -> str:
        return f"{self.geo_id} {self.kind} {self.date:%Y-%m-%d}"


class RuleEvaluation(models.Model):
    """A rule's result for a municipality, stored when it differs from the one stored before.

    The history answers "which legal results changed since X" (see `legal.service.rule_changes_since`).
    """

    rule = models.CharField(max_length=80)
    geo = models.ForeignKey(Geography, on_delete=models.PROTECT, db_column="geo_code", related_name="+")
    outcome = models.CharField(max_length=20)
    overdue = models.BooleanField(default=False)
    margin = models.FloatField(null=True)
    period = models.CharField(max_length=40, blank=True)
    explanation = models.TextField()
    evaluated_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["rule", "geo", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.geo_id}: {self.outcome} ({self.recorded_at:%Y-%m-%d})"
