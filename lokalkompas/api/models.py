"""API tokens: bound to a user, a municipality and a role; only a SHA-256 digest is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lokalkompas.accounts.models import Membership
from lokalkompas.registry.models import Geography


class ApiToken(models.Model):
    """A key for the API. The token itself is shown once when created; the database keeps its digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    geo = models.ForeignKey(Geography, on_delete=models.PROTECT, db_column="geo_code", related_name="+")
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    name = models.CharField(max_length=100)
    # The first characters of the token, so a user can tell their tokens apart without the secret.
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Every token made since expiry came in has one (docs/decisions/0021); None only on older tokens.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.geo_id}, {self.role})"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def active(self) -> bool:
        """Usable: neither revoked nor expired."""
        return self.revoked_at is None and not self.expired
