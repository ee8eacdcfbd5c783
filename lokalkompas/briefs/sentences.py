"""Danish sentences from facts, deterministically: legal status, position among similar municipalities,
trend, and what changed since the last brief.

Pure functions (no database). Each sentence names its numbers with their period and carries its sources;
a missing value is said to be missing, never written as 0. The wording avoids inflecting indicator names
("tallet for normering 0–2 år"), so any indicator reads correctly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from lokalkompas.briefs.model import Sentence
from lokalkompas.legal.base import Rule, RuleResult
from lokalkompas.lib.formatting import format_date, format_number
from lokalkompas.lib.periods import parse_period

# Within 1 % of the peers' median is "på niveau med" (the dashboard's verdict uses the same band).
SAME_BAND = 0.01


@dataclass(frozen=True)
class Measure:
    """An indicator as the sentences need it."""

    name: str
    unit: str
    decimals: int
    polarity: str  # higher_better, lower_better, neutral
    source: str  # e.g. "Danmarks Statistik, tabel BOERN8"

    def amount(self, value: float) -> str:
        return f"{format_number(value, self.decimals)} {self.unit}".strip()

    @property
    def lower(self) -> str:
        return lower_first(self.name)


def lower_first(name: str) -> str:
    """'Normering 0–2 år' -> 'normering 0–2 år', but 'NGLK …' and 'KL's …' keep their capitals."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def period_text(period: str) -> str:
    return parse_period(period).label()


def plural(count: int, one: str, many: str) -> str:
    """'1 kommune', '10 kommuner' (the number written the Danish way)."""
    return f"{format_number(count)} {one if count == 1 else many}"


def join(parts: Sequence[str]) -> str:
    """'a', 'a og b', 'a, b og c'."""
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def cite(measure: Measure, period: str) -> str:
    return f"{measure.source}, {period_text(period)}"


# --- legal status ----------------------------------------------------------------------------------------


def legal_sentence(rule: Rule, result: RuleResult, municipality: str) -> Sentence:
    """The status of one legal duty, with the rule's own explanation of the numbers."""
    head = f"{rule.title} ({rule.legal_reference}): "
    if result.outcome == "opfyldt":
        text = f"{head}{municipality} opfylder kravet. {result.explanation}"
    elif result.outcome == "ikke opfyldt" and not result.is_breach and result.due is not None:
        text = f"{head}kravet er endnu ikke opfyldt; fristen er {format_date(result.due)}. {result.explanation}"
    elif result.outcome == "ikke opfyldt":
        text = f"{head}{municipality} opfylder ikke kravet. {result.explanation}"
    else:
        text = f"{head}det kan ikke afgøres, om kravet er opfyldt. {result.explanation}"
    period = f", {result.period}" if result.period else ""
    return Sentence(
        _end(text), (f"Lokalkompas' lovtjek af {rule.title.split(' (')[0].lower()}{period}",), demo=result.demo
    )


def _end(text: str) -> str:
    """Close a sentence once: a unit like 'kr.' or 'pct.' at the end already carries the full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


# --- position among similar municipalities ---------------------------------------------------------------


def position_sentence(
    measure: Measure,
    municipality: str,
    value: float | None,
    period: str | None,
    peers: Sequence[float],
    *,
    demo: bool = False,
) -> Sentence:
    """Where the municipality stands against its most similar municipalities in the same period."""
    if value is None or period is None:
        return Sentence(f"Der er ingen tal for {measure.lower} for {municipality}; tallet mangler.", demo=demo)
    when = period_text(period)
    if not peers:
        return Sentence(
            f"Tallet for {measure.lower} var {measure.amount(value)} i {when}; der er ikke tal for lignende "
            "kommuner at sammenligne med.",
            (cite(measure, period),),
            demo=demo,
        )
    middle = median(peers)
    others = "den ene lignende kommune" if len(peers) == 1 else f"de {format_number(len(peers))} lignende kommuner"
    if measure.polarity == "neutral":
        text = (
            f"Tallet for {measure.lower} var {measure.amount(value)} i {when}; medianen for {others} "
            f"var {format_number(middle, measure.decimals)}."
        )
        return Sentence(text, (cite(measure, period),), demo=demo)
    higher_better = measure.polarity == "higher_better"
    better = sum(1 for p in peers if (p > value if higher_better else p < value))
    rank, count = better + 1, len(peers) + 1
    shown_median = format_number(middle, measure.decimals)
    if abs(value - middle) <= SAME_BAND * abs(middle):
        verdict = f"på niveau med medianen ({shown_median}) for {others}"
    elif rank in (1, count):
        best = "bedste" if rank == 1 else "dårligste"
        verdict = f"det {best} blandt {municipality} og {others} (medianen er {shown_median})"
    else:
        side = "bedre" if (value > middle) == higher_better else "dårligere"
        verdict = f"{side} end medianen ({shown_median}) for {others}; nr. {rank} af {count}, hvor 1 er bedst"
    text = f"Med {measure.amount(value)} i {when} er tallet for {measure.lower} {verdict}."
    return Sentence(text, (cite(measure, period),), demo=demo)


# --- trend -----------------------------------------------------------------------------------------------

DIRECTION_WORDS = {
    "bedre": "det er en forbedring",
    "dårligere": "det er en forværring",
}


def trend_sentence(
    measure: Measure, points: Sequence[tuple[str, float | None]], direction: str, *, demo: bool = False
) -> Sentence | None:
    """The development over the periods with values; None with fewer than three (too few to say)."""
    known = [(p, v) for p, v in points if v is not None]
    if len(known) < 3:
        return None
    (first, start), (last, end) = known[0], known[-1]
    span = f"Fra {period_text(first)} til {period_text(last)}"
    sources = (f"{measure.source}, {period_text(first)}–{period_text(last)}",)
    if direction in ("uændret", "ukendt") or start == end:
        text = (
            f"{span} har tallet for {measure.lower} ikke ændret sig tydeligt "
            f"({format_number(start, measure.decimals)} og {measure.amount(end)})."
        )
        return Sentence(text, sources, demo=demo)
    moved = "steget" if end > start else "faldet"
    shown_start = format_number(start, measure.decimals)
    text = f"{span} er tallet for {measure.lower} {moved} fra {shown_start} til {measure.amount(end)}"
    if direction in DIRECTION_WORDS:
        text += f"; {DIRECTION_WORDS[direction]}"
    return Sentence(_end(text), sources, demo=demo)


# --- what changed since the last brief --------------------------------------------------------------------


@dataclass(frozen=True)
class NewPeriod:
    measure: Measure
    period: str


@dataclass(frozen=True)
class Revised:
    measure: Measure
    period: str
    old: float | None
    new: float | None


def changes_sentences(
    since: dt.date, new: Sequence[NewPeriod], revised: Sequence[Revised], *, demo: bool = False
) -> list[Sentence]:
    """What is new or corrected since the previous brief (one sentence for nothing new)."""
    when = f"oplægget den {format_date(since)}"
    if not new and not revised:
        return [Sentence(f"Der er ingen nye eller rettede tal for temaet siden {when}.", demo=demo)]
    out: list[Sentence] = []
    if new:
        by_period: dict[str, list[NewPeriod]] = {}
        for n in new:
            by_period.setdefault(n.period, []).append(n)
        parts = [
            f"{period_text(p)} for {join(sorted({lower_first(n.measure.name) for n in ns}))}"
            for p, ns in sorted(by_period.items())
        ]
        sources = tuple(dict.fromkeys(cite(n.measure, n.period) for n in new))
        out.append(Sentence(f"Siden {when} er der kommet tal for {join(parts)}.", sources, demo=demo))
    for r in revised:
        old = "et manglende tal" if r.old is None else format_number(r.old, r.measure.decimals)
        new_value = "mangler" if r.new is None else r.measure.amount(r.new)
        what = f"tallet for {r.measure.lower} for {period_text(r.period)}"
        text = _end(f"Siden {when} er {what} rettet fra {old} til {new_value}")
        out.append(Sentence(text, (cite(r.measure, r.period),), demo=demo))
    return out


def figure_line(measure: Measure, value: float | None, period: str | None, *, demo: bool = False) -> Sentence:
    """A question's figure: 'Normering 0–2 år: 2,9 børn pr. voksen (2024)'; missing says so."""
    if value is None or period is None:
        return Sentence(f"{measure.name}: mangler.", demo=demo)
    return Sentence(
        f"{measure.name}: {measure.amount(value)} ({period_text(period)}).", (cite(measure, period),), demo=demo
    )
