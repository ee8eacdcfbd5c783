"""What a backup archive holds, and how a row becomes a line of JSON and back (docs/decisions/0016).

An archive is a zip: `manifest.json` (format version, app version, migration state, creation time,
row counts, SHA-256 and size of every member), one JSON-lines file per kind of row under `data/`, and
the stored files (brief PDFs and Word files, uploads waiting for confirmation) under `files/`.

Only what cannot be fetched again is archived. The registry and the catalogue come from files shipped
with the code, Statbank values from the next refresh, derived indicator values from `indicators
compute`, and demo data from `demo load`; none of them is in the archive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from lokalkompas.accounts.demo import DEMO_DOMAIN
from lokalkompas.accounts.models import Membership, OIDCGrant
from lokalkompas.api.models import ApiToken
from lokalkompas.briefs.models import IssuedBrief
from lokalkompas.goals.models import Action, Comment, Goal, GoalStatusRecord
from lokalkompas.indicators.models import Observation, Revision, Vintage
from lokalkompas.legal.models import Decision, RuleEvaluation
from lokalkompas.lib.formatting import format_number
from lokalkompas.sources.models import Upload

FORMAT = "lokalkompas-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Values that came from the municipality itself; Statbank, demo and derived values come back without us.
ARCHIVED_SOURCES = (Vintage.Source.UPLOAD, Vintage.Source.MANUAL)


class ArchiveError(Exception):
    """The archive cannot be written or read; the message is Danish and says what to do."""


@dataclass(frozen=True)
class Kind:
    """One kind of row in the archive: a model, which of its rows, and its name in messages."""

    label: str  # "goals.goal": also the member name data/<label>.jsonl
    model: type[models.Model]
    select: Callable[[], models.QuerySet[Any]]
    danish: str
    # False: the rows get new ids on restore (nothing refers to them, and the target may use the ids: the
    # history of demo rows stays after `demo clear`, so a history id may be taken).
    keep_pk: bool = True

    @property
    def member(self) -> str:
        return f"data/{self.label}.jsonl"

    @property
    def is_history(self) -> bool:
        """A django-simple-history table: its rows are written by signals when the tracked rows change."""
        return self.model.__name__.startswith("Historical") and hasattr(self.model, "history_id")

    def fields(self) -> list[models.Field[Any, Any]]:
        return [f for f in self.model._meta.concrete_fields if self.keep_pk or not f.primary_key]


def _not_demo_user(prefix: str = "") -> models.Q:
    return ~models.Q(**{f"{prefix}username__endswith": f"@{DEMO_DOMAIN}"})


def demo_user_ids() -> set[int]:
    return set(get_user_model().objects.exclude(_not_demo_user()).values_list("pk", flat=True))


def demo_goal_ids() -> set[int]:
    return set(Goal.objects.filter(demo=True).values_list("pk", flat=True))


def kinds() -> tuple[Kind, ...]:
    """Every archived kind, in an order where each row's references come before it."""
    user = get_user_model()
    history = {m: m.history.model for m in (Membership, Goal, Action, Decision)}
    return (
        Kind("auth.user", user, lambda: user.objects.filter(_not_demo_user()), "brugere"),
        Kind("accounts.membership", Membership, lambda: Membership.objects.filter(_not_demo_user("user__")), "roller"),
        Kind(
            "accounts.historicalmembership",
            history[Membership],
            lambda: history[Membership].objects.exclude(user_id__in=demo_user_ids()),
            "ændringer af roller",
            keep_pk=False,
        ),
        Kind(
            "accounts.oidcgrant",
            OIDCGrant,
            lambda: OIDCGrant.objects.filter(_not_demo_user("membership__user__")),
            "roller fra kommunens login",
        ),
        Kind("api.apitoken", ApiToken, lambda: ApiToken.objects.filter(_not_demo_user("user__")), "API-nøgler"),
        Kind("indicators.vintage", Vintage, lambda: Vintage.objects.filter(source__in=ARCHIVED_SOURCES), "udgaver"),
        Kind(
            "indicators.observation",
            Observation,
            lambda: Observation.objects.filter(vintage__source__in=ARCHIVED_SOURCES),
            "uploadede værdier",
            keep_pk=False,
        ),
        Kind(
            "indicators.revision",
            Revision,
            lambda: Revision.objects.filter(new_vintage__source__in=ARCHIVED_SOURCES),
            "revisioner af uploadede værdier",
            keep_pk=False,
        ),
        Kind("sources.upload", Upload, lambda: Upload.objects.all(), "uploads"),
        Kind("goals.goal", Goal, lambda: Goal.objects.filter(demo=False), "mål"),
        Kind(
            "goals.historicalgoal",
            history[Goal],
            lambda: history[Goal].objects.filter(demo=False),
            "ændringer af mål",
            keep_pk=False,
        ),
        Kind(
            "goals.goalstatusrecord",
            GoalStatusRecord,
            lambda: GoalStatusRecord.objects.filter(goal__demo=False),
            "målstatusser",
        ),
        Kind("goals.action", Action, lambda: Action.objects.filter(demo=False, goal__demo=False), "handlinger"),
        Kind(
            "goals.historicalaction",
            history[Action],
            lambda: history[Action].objects.filter(demo=False).exclude(goal_id__in=demo_goal_ids()),
            "ændringer af handlinger",
            keep_pk=False,
        ),
        Kind("goals.comment", Comment, lambda: Comment.objects.filter(demo=False, goal__demo=False), "kommentarer"),
        Kind("legal.decision", Decision, lambda: Decision.objects.filter(demo=False), "beslutninger"),
        Kind(
            "legal.historicaldecision",
            history[Decision],
            lambda: history[Decision].objects.filter(demo=False),
            "ændringer af beslutninger",
            keep_pk=False,
        ),
        Kind(
            "legal.ruleevaluation",
            RuleEvaluation,
            lambda: RuleEvaluation.objects.filter(demo=False),
            "lovkravsresultater",
        ),
        Kind("briefs.issuedbrief", IssuedBrief, lambda: IssuedBrief.objects.filter(demo=False), "udstedte oplæg"),
    )


def file_member(label: str, pk: object, field: str) -> str:
    """Where a stored file lives in the archive: files/briefs.issuedbrief/12.pdf."""
    return f"files/{label}/{pk}.{field}"


def encode(value: object) -> object:
    """A column value as JSON (binary columns are handled by the caller: they become members)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def describe_counts(counts: dict[str, int], names: dict[str, str]) -> str:
    """'brugere 3, mål 2' for the kinds that have rows, in archive order."""
    parts = [f"{names[label]} {format_number(n)}" for label, n in counts.items() if n]
    return ", ".join(parts) if parts else "ingen rækker"
