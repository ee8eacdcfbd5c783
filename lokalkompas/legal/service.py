"""Database-facing legal steps: gather each rule's inputs, evaluate, keep the history of results."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

import polars as pl
from django.db import transaction
from django.utils import timezone

from lokalkompas.indicators.changes import Change
from lokalkompas.indicators.store import read_observations
from lokalkompas.legal.base import RuleResult
from lokalkompas.legal.catalogue import DECISION_RULES
from lokalkompas.legal.demo import demo_decisions
from lokalkompas.legal.models import Decision, RuleEvaluation
from lokalkompas.legal.rules import minimumsnormering as mn
from lokalkompas.lib.formatting import format_date
from lokalkompas.lib.periods import parse_period
from lokalkompas.registry import revision
from lokalkompas.registry.data import UnknownMunicipality, municipalities, require_municipality

# Base series the minimumsnormering rule reads: the municipality's own child-years and staff by
# category (upload template `normeringsgrundlag`) and DST's published figures for comparison.
NORMERING_SERIES = {
    "children_0_2": "upload-barneaar-0-2",
    "children_3_5": "upload-barneaar-3-5",
    "moved_before_3": "upload-barneaar-under-3-i-boernehave",
    "staff_0_2": "upload-personale-0-2",
    "leaders_0_2": "upload-ledere-0-2",
    "trainees_0_2": "upload-studerende-0-2",
    "staff_3_5": "upload-personale-3-5",
    "leaders_3_5": "upload-ledere-3-5",
    "trainees_3_5": "upload-studerende-3-5",
    "published_0_2": "boern8-normering-0-2",
    "published_3_5": "boern8-normering-3-5",
}
REQUIRED = ("children_0_2", "children_3_5", "staff_0_2", "staff_3_5")


@dataclass(frozen=True)
class Inputs:
    """Everything the rules read, for many municipalities at once (one query per source)."""

    normering: pl.DataFrame  # geo, period, field, value, status
    decisions: dict[tuple[str, str], list[dt.date]]  # (geo, kind) -> dates
    demo_decisions: set[tuple[str, str]]  # (geo, kind) with at least one demo decision


def gather(geos: list[str] | None = None) -> Inputs:
    by_series = {s: f for f, s in NORMERING_SERIES.items()}
    frame = read_observations(NORMERING_SERIES.values(), geos).filter(pl.col("breakdown") == "")
    field = pl.col("series").replace_strict(by_series).alias("field")
    normering = frame.select("geo", "period", field, "value", "status")
    decisions: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    demo: set[tuple[str, str]] = set()
    rows = Decision.objects.exclude(kind="")
    if geos is not None:
        rows = rows.filter(geo_id__in=geos)
    for geo, kind, date, is_demo in rows.values_list("geo_id", "kind", "date", "demo"):
        decisions[(geo, kind)].append(date)
        if is_demo:
            demo.add((geo, kind))
    return Inputs(normering, dict(decisions), demo)


def normering_inputs(frame: pl.DataFrame, geo: str) -> mn.Inputs | None:
    """The newest year with every required input, else the newest year with anything; None if nothing."""
    mine = frame.filter(pl.col("geo") == geo)
    if mine.is_empty():
        return None
    years: dict[str, dict[str, float | None]] = defaultdict(dict)
    for period, field, value in mine.select("period", "field", "value").iter_rows():
        years[period][field] = value
    ordered = sorted(years, key=lambda p: parse_period(p).end, reverse=True)
    complete = [p for p in ordered if all(years[p].get(f) is not None for f in REQUIRED)]
    period = complete[0] if complete else ordered[0]
    v = years[period]

    def staff(group: str) -> mn.Staff | None:
        main = v.get(f"staff_{group}")
        if main is None:
            return None
        return mn.Staff(main, v.get(f"leaders_{group}") or 0.0, v.get(f"trainees_{group}") or 0.0)

    return mn.Inputs(
        period=period,
        children_0_2=v.get("children_0_2"),
        children_3_5=v.get("children_3_5"),
        staff_0_2=staff("0_2"),
        staff_3_5=staff("3_5"),
        moved_before_3=v.get("moved_before_3") or 0.0,
        published_0_2=v.get("published_0_2"),
        published_3_5=v.get("published_3_5"),
    )


def evaluate_municipality(
    geo: str, today: dt.date, inputs: Inputs | None = None, params: mn.Parameters | None = None
) -> list[RuleResult]:
    """Every rule's result for one municipality, in the catalogue's order."""
    inputs = inputs or gather([geo])
    params = params or mn.Parameters.from_settings()
    normering = normering_inputs(inputs.normering, geo)
    normering_demo = inputs.normering.filter((pl.col("geo") == geo) & (pl.col("status") == "demo")).height > 0
    results = [replace(mn.evaluate(normering, today, params) if normering else mn.no_data(), demo=normering_demo)]
    for rule in DECISION_RULES:
        key = (geo, rule.kind.value)
        results.append(replace(rule.evaluate(inputs.decisions.get(key, []), today), demo=key in inputs.demo_decisions))
    return results


def evaluate_all(today: dt.date, geos: list[str] | None = None) -> dict[str, list[RuleResult]]:
    """Every rule for every municipality (or the given ones), from one read of the inputs."""
    codes = [m.code for m in municipalities()] if geos is None else geos
    inputs = gather(None if geos is None else codes)
    params = mn.Parameters.from_settings()
    return {code: evaluate_municipality(code, today, inputs, params) for code in codes}


def _latest_stored(geos: list[str] | None = None) -> dict[tuple[str, str], RuleEvaluation]:
    latest: dict[tuple[str, str], RuleEvaluation] = {}
    rows = RuleEvaluation.objects.order_by("recorded_at", "id")
    for row in rows if geos is None else rows.filter(geo_id__in=geos):
        latest[(row.rule, row.geo_id)] = row
    return latest


def _same(stored: RuleEvaluation, result: RuleResult) -> bool:
    return (stored.outcome, stored.overdue, stored.period) == (result.outcome, result.overdue, result.period or "")


@transaction.atomic
def record_results(today: dt.date, demo: bool = False, geos: list[str] | None = None) -> int:
    """Evaluate every rule for every municipality (or just `geos`, after a change that concerns them);
    store the results that changed. Returns the count."""
    latest = _latest_stored(geos)
    evaluated = evaluate_all(today, geos)
    now = timezone.now()
    new = [
        RuleEvaluation(
            rule=r.rule,
            geo_id=code,
            outcome=r.outcome,
            overdue=r.overdue,
            margin=r.margin,
            period=r.period or "",
            explanation=r.explanation,
            evaluated_on=today,
            recorded_at=now,
            demo=demo,
        )
        for code, results in evaluated.items()
        for r in results
        if (r.rule, code) not in latest or not _same(latest[(r.rule, code)], r)
    ]
    RuleEvaluation.objects.bulk_create(new, batch_size=500)
    if new:
        revision.bump()
    return len(new)


def rule_changes_since(since: dt.datetime, geo: str | None) -> list[Change]:
    """Legal results that changed at or after `since` (a first result is not a change)."""
    rows = RuleEvaluation.objects.order_by("recorded_at", "id")
    if geo:
        rows = rows.filter(geo_id=geo)
    previous: dict[tuple[str, str], RuleEvaluation] = {}
    changes: list[Change] = []
    for row in rows:
        before = previous.get((row.rule, row.geo_id))
        previous[(row.rule, row.geo_id)] = row
        if before is None or row.recorded_at < since:
            continue
        changes.append(
            Change(
                "lovkrav",
                row.rule,
                row.geo_id,
                row.period,
                before.margin,
                row.margin,
                row.recorded_at,
                "Lovkrav",
                description=f"{_describe(before)} → {_describe(row)}",
            )
        )
    return changes


def _describe(row: RuleEvaluation) -> str:
    return f"{row.outcome} (fristen overskredet)" if row.overdue else row.outcome


class DecisionError(ValueError):
    """A decision that cannot be registered; the message says why, in Danish."""


# Registrations older than this are surely typing errors (the rules look back at most two terms).
EARLIEST_DECISION = dt.date(2007, 1, 1)


@transaction.atomic
def register_decision(
    municipality: str, kind: str, date: dt.date, reference: str, today: dt.date, note: str = ""
) -> Decision:
    """Validate and store one decision, then re-evaluate the rules so the history shows the change."""
    try:
        found = require_municipality(municipality)
    except UnknownMunicipality as exc:
        raise DecisionError(str(exc)) from exc
    kinds = {k.value: k for k in Decision.Kind}
    if kind not in kinds:
        raise DecisionError(f"Ukendt beslutningstype: {kind!r}. Brug en af: {', '.join(kinds)}.")
    if date > today:
        raise DecisionError(
            f"Datoen {format_date(date)} ligger i fremtiden; registrér beslutningen, når den er truffet."
        )
    if date < EARLIEST_DECISION:
        raise DecisionError(f"Datoen {format_date(date)} er før {format_date(EARLIEST_DECISION)}; tjek årstallet.")
    if not reference.strip():
        raise DecisionError("Angiv en henvisning til beslutningen, fx mødet og punktet i dagsordenen.")
    if Decision.objects.filter(geo_id=found.code, kind=kind, date=date).exists():
        raise DecisionError(f"{kinds[kind].label} {format_date(date)} er allerede registreret for {found.name}.")
    decision = Decision.objects.create(geo_id=found.code, kind=kind, date=date, reference=reference.strip(), text=note)
    revision.bump()
    record_results(today)
    return decision


@transaction.atomic
def delete_decision(decision_id: int, today: dt.date) -> Decision:
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None:
        raise DecisionError(f"Der er ingen registreret beslutning med nummer {decision_id}.")
    decision.delete()
    revision.bump()
    record_results(today)
    return decision


@transaction.atomic
def load_demo_decisions(seed: int, today: dt.date) -> int:
    """Replace the demo decisions with the seeded set and record the rule results; returns the count."""
    Decision.objects.filter(demo=True).delete()
    rows = Decision.objects.bulk_create(demo_decisions(seed, today), batch_size=500)
    revision.bump()
    record_results(today, demo=True)
    return len(rows)


@transaction.atomic
def clear_demo_decisions() -> int:
    count, _ = Decision.objects.filter(demo=True).delete()
    RuleEvaluation.objects.filter(demo=True).delete()
    revision.bump()
    return count
