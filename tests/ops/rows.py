"""The rows a backup must carry, read straight from the database (not through lokalkompas.ops), so a test
can compare two databases row by row. Used in the test process and in the throw-away source site."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from lokalkompas.accounts.models import Membership, OIDCGrant
from lokalkompas.api.models import ApiToken
from lokalkompas.briefs.models import IssuedBrief
from lokalkompas.goals.models import Action, Comment, Goal, GoalStatusRecord
from lokalkompas.indicators.models import Observation, Revision, Vintage
from lokalkompas.legal.models import Decision, RuleEvaluation
from lokalkompas.sources.models import Upload

OWN = ("upload", "manual")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    return value


def _vintage_keys() -> dict[int, str]:
    """A vintage by what it is, not by its number (a restore may renumber one whose number is taken)."""
    return {
        v.pk: f"{v.source}|{v.label}|{_plain(v.loaded_at)}|{v.checksum}" for v in Vintage.objects.filter(source__in=OWN)
    }


def _table(query: models.QuerySet[Any], vintages: dict[int, str], drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    model = query.model
    rows = []
    for row in query.values():
        out = {}
        for field in model._meta.concrete_fields:
            if field.attname in drop:
                continue
            value = row[field.attname]
            if field.is_relation and field.related_model is Vintage and value is not None:
                value = vintages.get(value, f"other vintage {value}")
            out[field.attname] = _plain(value)
        rows.append(out)
    return sorted(rows, key=repr)


def dump() -> dict[str, list[dict[str, Any]]]:
    """Every archived kind, as plain values, in a stable order."""
    vintages = _vintage_keys()
    no_id = ("id",)
    tables: dict[str, models.QuerySet[Any]] = {
        "users": get_user_model().objects.all(),
        "memberships": Membership.objects.all(),
        "membership history": Membership.history.all(),
        "oidc grants": OIDCGrant.objects.all(),
        "api tokens": ApiToken.objects.all(),
        "uploads": Upload.objects.all(),
        "goals": Goal.objects.all(),
        "goal history": Goal.history.all(),
        "goal statuses": GoalStatusRecord.objects.all(),
        "actions": Action.objects.all(),
        "action history": Action.history.all(),
        "comments": Comment.objects.all(),
        "decisions": Decision.objects.all(),
        "decision history": Decision.history.all(),
        "rule evaluations": RuleEvaluation.objects.all(),
        "issued briefs": IssuedBrief.objects.all(),
    }
    # History rows get new ids on restore (lokalkompas.ops.archive): compared by what they say.
    out = {name: _table(query, vintages, ("history_id",)) for name, query in tables.items()}
    out["vintages"] = _table(Vintage.objects.filter(source__in=OWN), vintages, no_id)
    out["observations"] = _table(Observation.objects.filter(vintage__source__in=OWN), vintages, no_id)
    out["revisions"] = _table(Revision.objects.filter(new_vintage__source__in=OWN), vintages, no_id)
    return out
