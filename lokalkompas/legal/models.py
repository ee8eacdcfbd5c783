"""The council's decision log (which the legal duties read), and the history of rule results."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lokalkompas.registry.models import Geography


class Decision(models.Model):
    """The decision log: what a council body decided at a meeting, with a link to the agenda item.

    A decision may fulfil a legal duty (`kind`: a plan adopted, a report treated, a policy approved);
    the rules in `legal.rules` read the dates of one kind for one municipality. It may also concern a
    theme or a goal. Entries come from the web form, `lokalkompas beslutning tilfoej` and demo data.
    """

    class Kind(models.TextChoices):
        BEREDSKABSPLAN = "beredskabsplan", "Beredskabsplan vedtaget i kommunalbestyrelsen"
        DIMENSIONERING = "risikobaseret-dimensionering", "Plan for risikobaseret dimensionering vedtaget"
        PLANSTRATEGI = "planstrategi", "Planstrategi offentliggjort"
        DANMARKSKORT = "danmarkskort", "Danmarkskortet behandlet i kommunalbestyrelsen"
        NIS2_POLITIK = "nis2-politik", "Informationssikkerhedspolitik godkendt af ledelsen"

    geo = models.ForeignKey(Geography, on_delete=models.PROTECT, db_column="geo_code", related_name="+")
    # Empty: the decision fulfils no legal duty that Lokalkompas checks.
    kind = models.CharField(max_length=40, choices=Kind.choices, blank=True)
    date = models.DateField()  # the meeting date
    body = models.CharField(max_length=200, default="Kommunalbestyrelsen")
    text = models.TextField(blank=True)
    # Where to read the decision: the meeting and item, and a link to the agenda or minutes.
    reference = models.CharField(max_length=300, blank=True)
    agenda_url = models.URLField(max_length=500, blank=True)
    theme = models.ForeignKey("catalog.Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    goal = models.ForeignKey("goals.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    registered_at = models.DateTimeField(default=timezone.now)
    demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["registered_at"])

    class Meta:
        ordering = ["geo", "-date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["geo", "kind", "date"],
                condition=~models.Q(kind=""),
                name="one_decision_per_kind_and_day",
            )
        ]

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
