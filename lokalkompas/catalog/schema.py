"""Pydantic models for the policy catalogue files in ``catalog/data/``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

# Ids are lower-case ASCII with dots and hyphens, so they are safe in URLs and stable in the API.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([.-][a-z0-9]+)*$", max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2)]
# Authors write `period: 2026` unquoted; YAML makes that an int, which is still a valid period code.
PeriodCode = Annotated[
    str,
    BeforeValidator(lambda v: str(v) if isinstance(v, int) else v),
    StringConstraints(pattern=r"^20\d\d(K[1-4])?$"),
]

AREA_IDS = (
    "dagtilbud",
    "skole",
    "social",
    "beskaeftigelse",
    "aeldre",
    "sundhed",
    "plan-klima-miljoe",
    "beredskab",
)


class Strict(BaseModel):
    """Base for catalogue models: unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    """Where an item comes from: a document in ``sources.yaml``, optionally an area and theme of it."""

    document: Id
    area: Id | None = None
    theme: int | None = Field(default=None, ge=1, le=10)
    section: str | None = None


class Question(Strict):
    id: Id
    text: Text
    source: SourceRef
    indicators: list[Id] = Field(default_factory=list)
    legal_duties: list[Id] = Field(default_factory=list)


class Theme(Strict):
    id: Id
    number: int = Field(ge=1, le=10)
    title: Text
    summary: Text
    source: SourceRef
    questions: list[Question] = Field(min_length=1)


class MovingPoint(Strict):
    id: Id
    title: Text
    text: Text
    source: SourceRef


class LegalDuty(Strict):
    id: Id
    text: Text
    legal_reference: Text
    rule: Id | None = None
    source: SourceRef


class ReformDate(Strict):
    date: dt.date
    what: Text


class Reform(Strict):
    id: Id
    name: Text
    summary: Text
    dates: list[ReformDate] = Field(min_length=1)
    council_decisions: list[Text] = Field(min_length=1)
    source: SourceRef


class Area(Strict):
    id: Id
    name: Text
    order: int = Field(ge=1, le=20)
    formal_task: Text
    source: SourceRef
    moving: list[MovingPoint] = Field(min_length=1)
    themes: list[Theme] = Field(min_length=1)
    legal_duties: list[LegalDuty] = Field(default_factory=list)
    reforms: list[Reform] = Field(default_factory=list)


class SourceDocument(Strict):
    id: Id
    title: Text
    publisher: Text
    year: int = Field(ge=1900, le=2100)
    url: str | None = None
    kind: Literal["vejledning", "lov", "bekendtgørelse", "statistik", "aftale", "andet"]


class PlannedRule(Strict):
    """A legal rule that the ``legal`` package computes (or will compute) from data."""

    id: Id
    name: Text
    legal_reference: Text


class Sources(Strict):
    documents: list[SourceDocument] = Field(min_length=1)
    rules: list[PlannedRule] = Field(default_factory=list)


class CalendarEntry(Strict):
    id: Id
    # An exact deadline where the law gives one; otherwise the period (year or quarter) it falls in.
    date: dt.date | None = None
    period: PeriodCode | None = None
    recurring: Literal["årlig", "hvert andet år", "en gang pr. valgperiode"] | None = None
    area: Id | None = None
    title: Text
    what: Text
    source: SourceRef


class Calendar(Strict):
    term_start: dt.date
    term_end: dt.date
    entries: list[CalendarEntry] = Field(min_length=1)
