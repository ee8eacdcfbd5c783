"""The audit trail in words: who changed what and when on a goal, its actions and its decisions.

django-simple-history stores a full copy of the row for every save and delete, with the user from the
request (or none for commands and demo data). This module turns those copies into entries a council
member can read: the field's Danish name with the old and the new value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from lokalkompas.catalog.models import Area, Question, Theme
from lokalkompas.lib.formatting import format_date, format_number

GOAL_LABELS = {
    "area": "Område",
    "theme": "Tema",
    "question": "Spørgsmål",
    "text": "Målet",
    "indicator": "Indikator",
    "baseline_value": "Udgangspunkt",
    "baseline_period": "Udgangspunktets periode",
    "target_value": "Målværdi",
    "target_period": "Målperiode",
    "tolerance": "Tolerance",
    "owner": "Ansvarligt udvalg",
    "published": "Offentliggjort",
    "demo": "DEMO",
}
ACTION_LABELS = {
    "title": "Handling",
    "owner": "Ansvarlig",
    "deadline": "Frist",
    "status": "Status",
    "demo": "DEMO",
}
DECISION_LABELS = {
    "kind": "Opfylder lovkrav",
    "date": "Mødedato",
    "body": "Besluttet af",
    "text": "Beslutningen",
    "reference": "Møde og punkt",
    "agenda_url": "Link til dagsordenspunktet",
    "theme": "Tema",
    "goal": "Mål",
    "demo": "DEMO",
}
MEMBERSHIP_LABELS = {"user": "Bruger", "geo": "Kommune", "role": "Rolle"}
VERBS = {"+": "oprettet", "~": "ændret", "-": "slettet"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: str
    what: str  # "Mål ændret", "Handling oprettet: Ny visitation"
    changes: tuple[FieldChange, ...]
    reason: str


def _theme(value: Any) -> str | None:
    theme = Theme.objects.filter(pk=value).first()
    return f"{theme.number}. {theme.title}" if theme else None


def _username(value: Any) -> str | None:
    from django.contrib.auth import get_user_model

    name = get_user_model().objects.filter(pk=value).values_list("username", flat=True).first()
    return str(name) if name else f"bruger nr. {value} (slettet)"


def _geo_name(value: Any) -> str | None:
    from lokalkompas.registry.models import Geography

    return Geography.objects.filter(pk=value).values_list("name", flat=True).first()


def _goal_text(value: Any) -> str | None:
    from lokalkompas.goals.models import Goal

    return Goal.objects.filter(pk=value).values_list("text", flat=True).first() or f"mål nr. {value} (slettet)"


# Related rows are stored by key; a reader wants their names.
NAMES: dict[str, Callable[[Any], str | None]] = {
    "area": lambda v: Area.objects.filter(pk=v).values_list("name", flat=True).first(),
    "theme": _theme,
    "question": lambda v: Question.objects.filter(pk=v).values_list("text", flat=True).first(),
    "user": _username,
    "geo": _geo_name,
    "goal": _goal_text,
}


def shown(field: str, value: Any, choices: Mapping[str, str] | None = None) -> str:
    """A stored value as a reader sees it: names for catalogue ids, Danish numbers, dates and yes/no."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if choices and str(value) in choices:
        return choices[str(value)]
    if field in NAMES:
        return NAMES[field](value) or str(value)
    if field == "tolerance" and isinstance(value, float):
        return f"{format_number(value * 100, 1)} %"
    if isinstance(value, float):
        return format_number(value, 2)
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def _who(record: Any) -> str:
    user = record.history_user
    if user is not None:
        return str(user.get_full_name() or user.get_username())
    return "Kommandolinje eller demodata" if record.history_user_id is None else "Slettet bruger"


def _choices(model: type[Model]) -> dict[str, dict[str, str]]:
    return {f.name: {str(k): str(v) for k, v in f.flatchoices} for f in model._meta.fields if f.choices}


def entries(records: Iterable[Any], noun: str, labels: Mapping[str, str], model: type[Model]) -> list[HistoryEntry]:
    """Readable entries from simple-history records of one model (any order; each is diffed with its
    predecessor). Fields outside `labels` (internal ones) are not shown."""
    choices = _choices(model)
    out: list[HistoryEntry] = []
    for record in records:
        verb = VERBS.get(record.history_type, "ændret")
        title = _title(record)
        changes: list[FieldChange] = []
        previous = record.prev_record if record.history_type == "~" else None
        if previous is not None:
            delta = record.diff_against(previous, included_fields=list(labels))
            for change in delta.changes:
                field = change.field
                changes.append(
                    FieldChange(
                        labels[field],
                        shown(field, change.old, choices.get(field)),
                        shown(field, change.new, choices.get(field)),
                    )
                )
            if not changes:
                continue  # a save that changed nothing the reader sees
        elif record.history_type == "+":
            for field, label in labels.items():
                value = getattr(record, f"{field}_id", None) if _is_relation(model, field) else getattr(record, field)
                if value not in (None, "", False):
                    changes.append(FieldChange(label, "–", shown(field, value, choices.get(field))))
        out.append(
            HistoryEntry(
                record.history_date,
                _who(record),
                f"{noun} {verb}{': ' + title if title else ''}",
                tuple(changes),
                record.history_change_reason or "",
            )
        )
    return out


def _is_relation(model: type[Model], field: str) -> bool:
    return bool(model._meta.get_field(field).is_relation)


def _title(record: Any) -> str:
    for name in ("title", "text"):
        value = getattr(record, name, "")
        if value:
            text = str(value)
            return text if len(text) <= 80 else text[:79] + "…"
    return ""


def goal_history(goal_id: int) -> list[HistoryEntry]:
    """Everything that happened to a goal, its actions and the decisions linked to it, newest first."""
    from lokalkompas.goals.models import Action, Goal
    from lokalkompas.legal.models import Decision

    found = [
        *entries(Goal.history.filter(id=goal_id).select_related("history_user"), "Mål", GOAL_LABELS, Goal),
        *entries(
            Action.history.filter(goal_id=goal_id).select_related("history_user"), "Handling", ACTION_LABELS, Action
        ),
        *entries(
            Decision.history.filter(goal_id=goal_id).select_related("history_user"),
            "Beslutning",
            DECISION_LABELS,
            Decision,
        ),
    ]
    return sorted(found, key=lambda e: e.when, reverse=True)
