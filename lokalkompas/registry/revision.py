"""The content revision: bumped by every writer of what pages show, read by the page cache."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from lokalkompas.registry.models import ContentRevision

SINGLETON = 1


def bump() -> None:
    """Call inside the writer's transaction: the bump commits (or rolls back) with the change itself."""
    updated = ContentRevision.objects.filter(pk=SINGLETON).update(number=F("number") + 1, changed_at=timezone.now())
    if not updated:
        ContentRevision.objects.create(pk=SINGLETON, number=1, changed_at=timezone.now())


def current() -> tuple[int, dt.datetime | None]:
    """(number, changed_at): the time as well, because a rolled-back transaction can reuse a number."""
    row = ContentRevision.objects.filter(pk=SINGLETON).values_list("number", "changed_at").first()
    return row if row is not None else (0, None)
