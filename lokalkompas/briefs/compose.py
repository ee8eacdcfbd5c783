"""Compose a brief from the database: for a municipality, some areas and a date, every theme's sentences,
questions with their figures, goals and overdue actions, a chart, the budget and the coming dates.

Everything is read once per brief (one snapshot of the indicators, one peer search, one read of the
country's values, one forecast run), then each theme is assembled from those in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl
from django.db.models import Prefetch

from lokalkompas.analysis.peers import nearest
from lokalkompas.analysis.service import Snapshot, municipality_trends, peer_matrix, snapshot
from lokalkompas.analysis.trend import Trend
from lokalkompas.briefs import sentences as say
from lokalkompas.briefs.model import Area, Brief, Chart, DateItem, GoalLine, Question, Sentence, Table, Theme
from lokalkompas.catalog import models as catalog
from lokalkompas.charts.figures import series_figure
from lokalkompas.economy.demography import MODEL_AREAS
from lokalkompas.economy.forecast import budget_sentence
from lokalkompas.economy.population import pressure
from lokalkompas.economy.service import AreaForecast, forecasts
from lokalkompas.goals.models import Action, Goal
from lokalkompas.goals.service import current_status
from lokalkompas.indicators.changes import Change, changes_since
from lokalkompas.indicators.definitions import Definitions, shipped_definitions
from lokalkompas.indicators.reference import source_label
from lokalkompas.indicators.schema import Indicator
from lokalkompas.indicators.store import read_observations
from lokalkompas.legal.base import RuleResult
from lokalkompas.legal.catalogue import RULES_BY_ID
from lokalkompas.lib.formatting import format_date, format_number
from lokalkompas.registry.data import COUNTRY_CODE, municipality_by_code

MAX_SAYS = 5
CHART_PERIODS = 10
PEERS = 10
NOTES = (
    "Lignende kommuner er de 10 kommuner, der ligner mest på befolkning, alder, tæthed, indkomst og "
    "skatteprocent (de samme som på kommunens side i Lokalkompas). En placering siger ikke i sig selv, om "
    "niveauet er rigtigt: kommunerne prioriterer forskelligt.",
    "Tal markeret (skønnet) er beregnet af Lokalkompas (prognoser og demografiske fremskrivninger), ikke "
    "opgjort af en kilde.",
)


@dataclass(frozen=True)
class Since:
    """The previous issued brief, for "what changed since"."""

    when: dt.datetime


@dataclass
class Facts:
    """What a brief reads, once."""

    geo: str
    name: str
    today: dt.date
    definitions: Definitions
    snap: Snapshot
    peers: list[str]
    trends: dict[str, Trend]
    country: pl.DataFrame
    legal: dict[str, RuleResult]
    changes: list[Change] | None
    forecasts: dict[str, AreaForecast]
    pressure: dict[str, str]  # the demographic pressure sentence per model area
    projection_demo: bool
    # The municipality's own values per indicator, oldest first: split once, not filtered per question.
    histories: dict[str, list[tuple[str, float | None, str]]]


def compose(geo: str, areas: Iterable[str] | None, today: dt.date, since: Since | None = None) -> Brief:
    """The brief for one municipality: the named areas (None: all eight, for the whole council)."""
    municipality = municipality_by_code(geo)
    if municipality is None:
        raise ValueError(f"ukendt kommunekode {geo!r}")
    chosen = list(areas) if areas is not None else None
    rows = catalog.Area.objects.order_by("order").prefetch_related(
        Prefetch(
            "themes",
            catalog.Theme.objects.order_by("number").prefetch_related(
                Prefetch(
                    "questions", catalog.Question.objects.order_by("position", "id").prefetch_related("legal_duties")
                )
            ),
        ),
        "reforms__dates",
    )
    if chosen is not None:
        unknown = set(chosen) - set(rows.values_list("id", flat=True))
        if unknown:
            raise ValueError(f"ukendt område: {', '.join(sorted(unknown))}")
        rows = rows.filter(pk__in=chosen)
    facts = _facts(geo, municipality.name, today, since)
    composed = tuple(_area(facts, a, since) for a in rows)
    title = f"Drøftelsesoplæg: {composed[0].name}" if len(composed) == 1 else "Drøftelsesoplæg for kommunalbestyrelsen"
    demo = any(_has_demo(a) for a in composed)
    sources = sorted({s for a in composed for s in _sources(a)})
    return Brief(
        geo,
        municipality.name,
        title,
        today.isoformat(),
        composed,
        demo,
        since.when.date().isoformat() if since else None,
        tuple(sources),
        NOTES,
    )


def _facts(geo: str, name: str, today: dt.date, since: Since | None) -> Facts:
    definitions = shipped_definitions()
    snap = snapshot(geo, definitions, today)
    peers = [n.geo for n in nearest(peer_matrix(snap.latest), geo, k=PEERS)]
    ids = list(definitions.indicators)
    return Facts(
        geo,
        name,
        today,
        definitions,
        snap,
        peers,
        municipality_trends(snap.own, geo, snap.polarity),
        read_observations(ids, [COUNTRY_CODE]),
        {r.rule: r for r in snap.legal},
        changes_since(since.when, geo, set(ids)) if since else None,
        {f.area: f for f in forecasts([geo])},
        pressure(geo, today.year),
        _projection_is_demo(geo),
        _histories(snap.own),
    )


def _histories(own: pl.DataFrame) -> dict[str, list[tuple[str, float | None, str]]]:
    split: dict[str, list[tuple[str, float | None, str]]] = {}
    for series, period, value, status in (
        own.sort("series", "period").select("series", "period", "value", "status").iter_rows()
    ):
        split.setdefault(series, []).append((period, value, status))
    return split


def _measure(facts: Facts, ind: Indicator) -> say.Measure:
    labels = dict.fromkeys(source_label(facts.definitions.series[t.series]) for t in ind.terms())
    return say.Measure(ind.name, ind.unit, ind.decimals, ind.polarity, "; ".join(labels))


def _history(facts: Facts, indicator_id: str) -> list[tuple[str, float | None, str]]:
    return facts.histories.get(indicator_id, [])


def _latest(facts: Facts, indicator_id: str) -> tuple[str | None, float | None, bool]:
    rows = [r for r in _history(facts, indicator_id) if r[1] is not None]
    if not rows:
        return None, None, False
    period, value, status = rows[-1]
    return period, value, status == "demo"


def _peer_values(facts: Facts, indicator_id: str, period: str) -> list[float]:
    # The peers' values in the same period as the municipality's (their latest may be another one).
    latest = facts.snap.latest.filter(
        (pl.col("series") == indicator_id)
        & pl.col("geo").is_in(facts.peers)
        & (pl.col("period") == period)
        & pl.col("value").is_not_null()
    )
    return [float(v) for v in latest["value"].to_list()]


def _theme_indicators(facts: Facts, theme: catalog.Theme) -> list[Indicator]:
    ids = dict.fromkeys(i for q in theme.questions.all() for i in q.indicators)
    return [facts.definitions.indicators[i] for i in ids if i in facts.definitions.indicators]


def _theme(facts: Facts, theme: catalog.Theme, since: Since | None, goals: tuple[GoalLine, ...]) -> Theme:
    indicators = _theme_indicators(facts, theme)
    with_data = [i for i in indicators if _latest(facts, i.id)[1] is not None]
    says: list[Sentence] = []
    for rule_id in dict.fromkeys(d.rule_id for q in theme.questions.all() for d in q.legal_duties.all() if d.rule_id):
        result, rule = facts.legal.get(rule_id), RULES_BY_ID.get(rule_id)
        if result is not None and rule is not None:
            says.append(say.legal_sentence(rule, result, facts.name))
    for ind in with_data[:2]:
        period, value, demo = _latest(facts, ind.id)
        assert period is not None
        says.append(
            say.position_sentence(
                _measure(facts, ind), facts.name, value, period, _peer_values(facts, ind.id, period), demo=demo
            )
        )
    if with_data:
        lead = with_data[0]
        history = _history(facts, lead.id)
        trend = facts.trends.get(lead.id)
        sentence = say.trend_sentence(
            _measure(facts, lead),
            [(p, v) for p, v, _s in history],
            trend.direction if trend else "ukendt",
            demo=any(s == "demo" for _p, _v, s in history),
        )
        if sentence is not None:
            says.append(sentence)
    if not with_data and indicators:
        names = say.join([say.lower_first(i.name) for i in indicators[:3]])
        says.append(Sentence(f"Der er endnu ingen tal for {facts.name} for {names}; tallene mangler."))
    if since is not None and facts.changes is not None:
        says += _changes(facts, indicators, since)
    return Theme(
        theme.id,
        theme.number,
        theme.title,
        tuple(says[:MAX_SAYS]),
        tuple(_question(facts, q) for q in theme.questions.all()),
        goals,
        tuple(_chart(facts, ind) for ind in with_data[:1]),
        tuple(dict.fromkeys(c for ind in with_data[:2] for c in ind.caveats)),
    )


def _changes(facts: Facts, indicators: list[Indicator], since: Since) -> list[Sentence]:
    by_id = {i.id: i for i in indicators}
    found = [c for c in facts.changes or [] if c.series in by_id]
    new = [say.NewPeriod(_measure(facts, by_id[c.series]), c.period) for c in found if c.kind == "ny periode"]
    revised = [
        say.Revised(_measure(facts, by_id[c.series]), c.period, c.old_value, c.new_value)
        for c in found
        if c.kind == "revideret"
    ]
    demo = any(_latest(facts, c.series)[2] for c in found)
    return say.changes_sentences(since.when.date(), new, revised, demo=demo)


def _question(facts: Facts, question: catalog.Question) -> Question:
    figures = []
    for indicator_id in question.indicators:
        ind = facts.definitions.indicators.get(indicator_id)
        if ind is None:
            continue
        period, value, demo = _latest(facts, ind.id)
        figures.append(say.figure_line(_measure(facts, ind), value, period, demo=demo))
    return Question(question.text, tuple(figures))


def _chart(facts: Facts, ind: Indicator) -> Chart:
    history = _history(facts, ind.id)[-CHART_PERIODS:]
    periods = [p for p, _v, _s in history]
    country = dict(facts.country.filter(pl.col("series") == ind.id).select("period", "value").iter_rows())
    lines = {facts.name: {p: v for p, v, _s in history}, "Hele landet": {p: country.get(p) for p in periods}}
    figure = series_figure(f"graf-{ind.id}", ind.name, ind.unit, ind.decimals, lines, periods)
    demo = any(s == "demo" for _p, _v, s in history)
    first, last = say.period_text(periods[0]), say.period_text(periods[-1])
    return Chart(
        figure.id,
        figure.title,
        figure.summary,
        figure.svg,
        Table(f"{ind.name} ({ind.unit})", tuple(figure.headers), tuple(tuple(r) for r in figure.rows)),
        f"{_measure(facts, ind).source}, {first}–{last}",
        demo,
    )


def _goals(facts: Facts, area_id: str) -> dict[str | None, list[GoalLine]]:
    """Published goals of the area by theme id (None: the area as a whole)."""
    goals = Goal.objects.filter(geo_id=facts.geo, area_id=area_id, published=True).prefetch_related(
        Prefetch("actions", Action.objects.order_by("deadline", "id"))
    )
    out: dict[str | None, list[GoalLine]] = {}
    for goal in goals.order_by("id"):
        status = current_status(goal)
        late = [a for a in goal.actions.all() if a.overdue(facts.today)]
        detail = None
        ind = facts.definitions.indicators.get(goal.indicator)
        if ind is not None and goal.measurable:
            measure = _measure(facts, ind)
            latest = (
                f"seneste {measure.amount(status.actual)} ({say.period_text(status.period)})"
                if status.actual is not None and status.period
                else "seneste tal mangler"
            )
            detail = Sentence(
                f"Udgangspunkt {measure.amount(goal.baseline_value or 0)} ({say.period_text(goal.baseline_period)}), "
                f"{latest}, mål {measure.amount(goal.target_value or 0)} ({say.period_text(goal.target_period)}).",
                (measure.source,),
                demo=goal.demo,
            )
        out.setdefault(goal.theme_id, []).append(
            GoalLine(
                goal.text,
                status.status,
                detail,
                tuple(
                    f"{a.title}{f' ({a.owner})' if a.owner else ''}, frist {format_date(a.deadline)}"
                    for a in late
                    if a.deadline
                ),
            )
        )
    return out


def _area(facts: Facts, area: catalog.Area, since: Since | None) -> Area:
    goals = _goals(facts, area.id)
    themes = [
        # Goals set for the area as a whole go with its first theme.
        _theme(facts, theme, since, (*goals.get(theme.id, []), *(goals.get(None, []) if i == 0 else [])))
        for i, theme in enumerate(area.themes.all())
    ]
    horizon = facts.today + dt.timedelta(days=365)
    dates = sorted(
        (d.date, f"{r.name}: {d.what}")
        for r in area.reforms.all()
        for d in r.dates.all()
        if facts.today <= d.date <= horizon
    )
    return Area(
        area.id,
        area.name,
        tuple(themes),
        tuple(_budget(facts, area)),
        None,
        tuple(DateItem(day.isoformat(), text) for day, text in dates),
    )


def _budget(facts: Facts, area: catalog.Area) -> list[Sentence]:
    out: list[Sentence] = []
    found = facts.forecasts.get(area.id)
    if found is not None:
        text = budget_sentence(area.name, found.year, found.month, found.point, found.budget)
        if found.probability is not None:
            text = (
                text.removesuffix(".")
                + f"; sandsynligheden for en overskridelse er {format_number(found.probability * 100)} %."
            )
        budget = found.budget_kind or "budget"
        source = f"kommunens månedlige forbrug til og med {found.month}. måned {found.year} og {budget}"
        out.append(Sentence(text, (source,), estimated=True, demo=found.demo))
    if area.id in MODEL_AREAS:
        sentence = facts.pressure.get(area.id)
        if sentence:
            out.append(
                Sentence(
                    sentence,
                    ("befolkningsprognose og kommunens dækningsgrader (Lokalkompas' demografimodel)",),
                    estimated=True,
                    demo=facts.projection_demo,
                )
            )
    return out


def _projection_is_demo(geo: str) -> bool:
    frame = read_observations(["befolkningsprognose"], [geo])
    return bool(frame.height) and bool((frame["status"] == "demo").any())


def _has_demo(area: Area) -> bool:
    sentences = [s for t in area.themes for s in (*t.says, *(f for q in t.questions for f in q.figures))]
    return any(s.demo for s in (*sentences, *area.budget)) or any(c.demo for t in area.themes for c in t.charts)


def _sources(area: Area) -> set[str]:
    found = {src for t in area.themes for s in t.says for src in s.sources}
    found |= {c.source for t in area.themes for c in t.charts}
    found |= {src for s in area.budget for src in s.sources}
    return found


__all__ = ["Since", "compose"]
