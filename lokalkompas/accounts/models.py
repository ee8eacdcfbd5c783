"""A user's role in one municipality. A user may have roles in several municipalities."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lokalkompas.registry.models import Geography


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", "Administrator"
        ANALYTIKER = "analytiker", "Analytiker"
        POLITIKER = "politiker", "Politiker"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    geo = models.ForeignKey(Geography, on_delete=models.PROTECT, db_column="geo_code", related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["geo", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "geo"], name="one_role_per_user_and_municipality")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} i {self.geo_id}"


class OIDCGrant(models.Model):
    """Marks a membership that the municipality's identity provider gave (docs/decisions/0008).

    Each login through the provider makes these exactly what its claims say, so it needs to know which
    memberships are its own: the ones an operator gave with `lokalkompas users` stay untouched."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="oidc_grant")
    confirmed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.membership} (fra kommunens login)"
