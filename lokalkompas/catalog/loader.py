"""Writes a checked catalogue into the database in one transaction; reloading it changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from lokalkompas.catalog import models as m
from lokalkompas.catalog.files import Catalog
from lokalkompas.catalog.schema import SourceRef
from lokalkompas.registry import revision


@dataclass(frozen=True)
class SyncResult:
    areas: int
    themes: int
    questions: int
    legal_duties: int
    reforms: int
    calendar_entries: int


def _cited(ref: SourceRef, position: int) -> dict[str, Any]:
    return {
        "source_document_id": ref.document,
        "source_area": ref.area or "",
        "source_theme": ref.theme,
        "source_section": ref.section or "",
        "position": position,
    }


def _upsert(model: type[models.Model], rows: dict[str, dict[str, Any]]) -> None:
    """Create or update rows by id and delete the ones the files no longer have."""
    for pk, values in rows.items():
        model._default_manager.update_or_create(pk=pk, defaults=values)
    model._default_manager.exclude(pk__in=rows.keys()).delete()


@transaction.atomic
def sync_catalog(catalog: Catalog) -> SyncResult:
    _upsert(
        m.SourceDocument,
        {d.id: d.model_dump(exclude={"id"}) | {"url": d.url or ""} for d in catalog.sources.documents},
    )
    _upsert(m.Rule, {r.id: r.model_dump(exclude={"id"}) for r in catalog.sources.rules})
    Rows = dict[str, dict[str, Any]]
    areas: Rows = {}
    moving: Rows = {}
    themes: Rows = {}
    duties: Rows = {}
    questions: Rows = {}
    reforms: Rows = {}
    question_duties: dict[str, list[str]] = {}
    reform_dates: dict[str, list[tuple[Any, str]]] = {}
    for a in catalog.areas:
        areas[a.id] = {
            "name": a.name,
            "order": a.order,
            "formal_task": a.formal_task,
            **_cited(a.source, a.order),
        }
        for i, p in enumerate(a.moving):
            moving[p.id] = {"area_id": a.id, "title": p.title, "text": p.text, **_cited(p.source, i)}
        for d_i, d in enumerate(a.legal_duties):
            duties[d.id] = {
                "area_id": a.id,
                "text": d.text,
                "legal_reference": d.legal_reference,
                "rule_id": d.rule,
                **_cited(d.source, d_i),
            }
        for t in a.themes:
            themes[t.id] = {"area_id": a.id, "number": t.number, "title": t.title, "summary": t.summary}
            themes[t.id] |= _cited(t.source, t.number)
            for q_i, q in enumerate(t.questions):
                questions[q.id] = {"theme_id": t.id, "text": q.text, "indicators": q.indicators}
                questions[q.id] |= _cited(q.source, q_i)
                question_duties[q.id] = q.legal_duties
        for r_i, r in enumerate(a.reforms):
            reforms[r.id] = {"area_id": a.id, "name": r.name, "summary": r.summary}
            reforms[r.id] |= {"council_decisions": r.council_decisions, **_cited(r.source, r_i)}
            reform_dates[r.id] = [(d.date, d.what) for d in r.dates]
    _upsert(m.Area, areas)
    _upsert(m.MovingPoint, moving)
    # Theme numbers are unique per area; lift the old numbers out of the way (all are <= 10) so a
    # renumbering in the files never collides with a row that has not been updated yet.
    m.Theme.objects.update(number=models.F("number") + 100)
    _upsert(m.Theme, themes)
    _upsert(m.LegalDuty, duties)
    _upsert(m.Question, questions)
    for q_id, duty_ids in question_duties.items():
        m.Question.objects.get(pk=q_id).legal_duties.set(m.LegalDuty.objects.filter(pk__in=duty_ids))
    _upsert(m.Reform, reforms)
    for r_id, dates in reform_dates.items():
        m.ReformDate.objects.filter(reform_id=r_id).delete()
        m.ReformDate.objects.bulk_create([m.ReformDate(reform_id=r_id, date=d, what=w) for d, w in dates])
    entries = {
        e.id: {
            "date": e.date,
            "period": e.period or "",
            "recurring": e.recurring or "",
            "area_id": e.area,
            "title": e.title,
            "what": e.what,
            **_cited(e.source, i),
        }
        for i, e in enumerate(catalog.calendar.entries)
    }
    _upsert(m.CalendarEntry, entries)
    revision.bump()
    return SyncResult(len(areas), len(themes), len(questions), len(duties), len(reforms), len(entries))
