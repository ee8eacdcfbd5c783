"""The composed brief: plain, frozen data that every renderer (HTML, PDF, DOCX) reads and that an issued
brief stores as JSON, so an old brief renders again exactly as it was issued.

Every number a reader sees sits in a `Sentence` (with its sources and periods), a `Table` or a `Chart`
(with its data table and source). Nothing here touches the database.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Sentence:
    """One Danish sentence; `sources` name each figure's source and period, e.g. "Danmarks Statistik
    (BOERN8), 2024". Estimated figures and demo data are flagged so every output can mark them."""

    text: str
    sources: tuple[str, ...] = ()
    estimated: bool = False
    demo: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # already formatted the Danish way; the first cell heads the row


@dataclass(frozen=True)
class Chart:
    """A line chart as a vector SVG with the same numbers as a data table (for PDF, screen readers, DOCX)."""

    id: str
    title: str
    summary: str  # one sentence saying what the chart shows
    svg: str
    table: Table
    source: str  # source and periods, e.g. "Danmarks Statistik (BOERN8), 2018–2024"
    demo: bool = False


@dataclass(frozen=True)
class Question:
    """One of the theme's discussion questions with the figures that bear on it."""

    text: str
    figures: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class GoalLine:
    text: str  # the goal as the council wrote it
    status: str  # Danish status, e.g. "på sporet", "bagud", "nået", "ingen data"
    detail: Sentence | None = None  # baseline, latest and target with periods
    overdue_actions: tuple[str, ...] = ()  # "Handling (ansvarlig), frist 1. marts 2026"


@dataclass(frozen=True)
class Theme:
    id: str
    number: int
    title: str
    says: tuple[Sentence, ...]  # "What the data says": 2–5 sentences
    questions: tuple[Question, ...] = ()
    goals: tuple[GoalLine, ...] = ()
    charts: tuple[Chart, ...] = ()
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class DateItem:
    date: str  # ISO date (sorting); renderers show it the Danish way ("1. august 2027")
    text: str


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    themes: tuple[Theme, ...]
    budget: tuple[Sentence, ...] = ()  # the budget forecast and the demographic pressure
    budget_table: Table | None = None
    dates: tuple[DateItem, ...] = ()  # reform dates in the next 12 months
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class Brief:
    municipality_code: str
    municipality_name: str
    title: str  # "Drøftelsesoplæg: Dagtilbud" or "Drøftelsesoplæg for kommunalbestyrelsen"
    date: str  # ISO date of composing
    areas: tuple[Area, ...]
    demo: bool = False
    since: str | None = None  # ISO date of the previous issued brief, when "what changed" compares with it
    sources: tuple[str, ...] = ()  # every source used, for the closing list
    notes: tuple[str, ...] = field(default_factory=tuple)  # how to read the brief (peer method, estimates)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> Brief:
        return _brief(json.loads(text))


def _sentence(d: dict[str, Any]) -> Sentence:
    return Sentence(d["text"], tuple(d["sources"]), d["estimated"], d["demo"])


def _table(d: dict[str, Any]) -> Table:
    return Table(d["caption"], tuple(d["headers"]), tuple(tuple(r) for r in d["rows"]))


def _theme(d: dict[str, Any]) -> Theme:
    return Theme(
        d["id"],
        d["number"],
        d["title"],
        tuple(_sentence(s) for s in d["says"]),
        tuple(Question(q["text"], tuple(_sentence(f) for f in q["figures"])) for q in d["questions"]),
        tuple(
            GoalLine(
                g["text"], g["status"], _sentence(g["detail"]) if g["detail"] else None, tuple(g["overdue_actions"])
            )
            for g in d["goals"]
        ),
        tuple(
            Chart(c["id"], c["title"], c["summary"], c["svg"], _table(c["table"]), c["source"], c["demo"])
            for c in d["charts"]
        ),
        tuple(d["caveats"]),
    )


def _brief(d: dict[str, Any]) -> Brief:
    areas = tuple(
        Area(
            a["id"],
            a["name"],
            tuple(_theme(t) for t in a["themes"]),
            tuple(_sentence(s) for s in a["budget"]),
            _table(a["budget_table"]) if a["budget_table"] else None,
            tuple(DateItem(x["date"], x["text"]) for x in a["dates"]),
            tuple(a["caveats"]),
        )
        for a in d["areas"]
    )
    return Brief(
        d["municipality_code"],
        d["municipality_name"],
        d["title"],
        d["date"],
        areas,
        d["demo"],
        d["since"],
        tuple(d["sources"]),
        tuple(d["notes"]),
    )
