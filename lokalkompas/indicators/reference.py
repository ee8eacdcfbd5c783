"""Generates docs/indikatorer.md from the definitions, so the reference can never drift from the code."""

from __future__ import annotations

from lokalkompas.catalog.files import Catalog
from lokalkompas.indicators.coverage import coverage, unmeasured_reasons
from lokalkompas.indicators.definitions import Definitions
from lokalkompas.indicators.schema import BaseSeries, Indicator, Term
from lokalkompas.lib.formatting import format_number

POLARITY = {
    "higher_better": "højere er bedre",
    "lower_better": "lavere er bedre",
    "neutral": "neutral (baggrundstal)",
}
FREQUENCY = {"year": "år", "quarter": "kvartal", "month": "måned"}
AGGREGATE = {
    "ratio_of_sums": "tæller og nævner summeres over kommunerne, derefter divideres",
    "weighted_mean": "gennemsnit af kommunerne vægtet med",
    "mean": "simpelt gennemsnit af kommunerne",
    "none": "beregnes ikke",
}
AREA_TITLES = {"struktur": "Strukturvariable", "oekonomi": "Økonomi (på tværs af områder)"}


def render_reference(definitions: Definitions, catalog: Catalog | None) -> str:
    names = {a.id: a.name for a in catalog.areas} if catalog else {}
    questions = {q.id: q.text for a in catalog.areas for t in a.themes for q in t.questions} if catalog else {}
    lines = [
        "# Indikatorreference",
        "",
        "<!-- Genereret af `lokalkompas indicators docs` ud fra lokalkompas/indicators/definitions/. -->",
        "<!-- Ret ikke i hånden. -->",
        "",
        f"Lokalkompas har {len(definitions.indicators)} indikatorer bygget på {len(definitions.series)} basisserier.",
        "Tal for regioner og hele landet tages fra kilden, hvor den offentliggør dem, og beregnes ellers",
        "ud fra kommunerne som angivet ved hver indikator.",
        "",
    ]
    for f in definitions.files:
        if not f.indicators:
            continue
        lines += [f"## {names.get(f.area) or AREA_TITLES.get(f.area, f.area)}", ""]
        for indicator in f.indicators:
            lines += _indicator(indicator, definitions, questions)
    if catalog is not None:
        lines += _coverage_section(definitions, catalog)
    return "\n".join(lines).rstrip() + "\n"


def _indicator(ind: Indicator, defs: Definitions, questions: dict[str, str]) -> list[str]:
    f = ind.formula
    out = [
        f"### {ind.name}",
        "",
        f"- **Id:** `{ind.id}`",
        f"- **Definition:** {ind.definition}",
        f"- **Enhed:** {ind.unit}, vises med {ind.decimals} decimaler; {POLARITY[ind.polarity]}",
        f"- **Hyppighed:** {FREQUENCY[ind.frequency]}",
        f"- **Beregning:** {_formula(ind, defs)}",
    ]
    aggregate = AGGREGATE[f.aggregate]
    if f.weight is not None:
        aggregate += " " + _term(f.weight, defs)
    out.append(f"- **Regioner og hele landet, når kilden ikke offentliggør dem:** {aggregate}")
    out.append("- **Kilder:**")
    out += [f"  - {_source(defs.series[t.series])}" for t in ind.terms()]
    if ind.legal_threshold:
        lt = ind.legal_threshold
        word = "højst" if lt.kind == "max" else "mindst"
        out.append(f"- **Lovkrav:** {word} {format_number(lt.value, 1)} (regel `{lt.rule}`)")
    if ind.caveats:
        out.append("- **Forbehold:**")
        out += [f"  - {c}" for c in ind.caveats]
    if ind.questions:
        out.append("- **Besvarer spørgsmålene:**")
        out += [f"  - {questions.get(q, q)} (`{q}`)" for q in ind.questions]
    return [*out, ""]


def _term(term: Term, defs: Definitions) -> str:
    name = defs.series[term.series].name
    if term.ages is not None:
        lo, hi = term.ages
        return f"{name}, {lo}–{hi} år" if hi < 100 else f"{name}, {lo} år og derover"
    return name


def _formula(ind: Indicator, defs: Definitions) -> str:
    f = ind.formula
    text = _term(f.numerator, defs)
    if f.denominator is not None:
        text = f"({text}) / ({_term(f.denominator, defs)})"
    if f.scale != 1:
        text += f" × {format_number(f.scale)}"
    if f.transform == "growth":
        text = f"årlig ændring i procent af {text}"
    return text


def source_label(series: BaseSeries) -> str:
    """Where a base series comes from, in the words pages and docs use."""
    src = series.source
    if src.kind == "statbank":
        return f"Danmarks Statistik, tabel {_table(series)}"
    if src.kind == "upload":
        return f"kommunens egne data (upload, skabelon {src.template})"
    return "manuel indtastning"


def _source(series: BaseSeries) -> str:
    where = source_label(series)
    if series.source.kind == "statbank":
        where += f" ({_selection(series)})"
    note = f" {series.source.note}" if series.source.note else ""
    return f"{series.name}: {where}.{note}"


def _coverage_section(defs: Definitions, catalog: Catalog) -> list[str]:
    rows = coverage(defs, catalog)
    total_q = sum(r.questions for r in rows)
    total_c = sum(r.covered for r in rows)
    lines = [
        "## Spørgsmål, som data kan belyse",
        "",
        "| Område | Spørgsmål | Belyst af mindst én indikator | Andel |",
        "|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r.name} | {r.questions} | {r.covered} | {format_number(r.share * 100, 0)} % |")
    share = total_c / total_q * 100 if total_q else 0
    lines += [f"| I alt | {total_q} | {total_c} | {format_number(share, 0)} % |", ""]
    reasons = unmeasured_reasons()
    texts = {q.id: q.text for a in catalog.areas for t in a.themes for q in t.questions}
    if reasons:
        lines += ["### Spørgsmål, som ingen indikator belyser, og hvorfor", ""]
        lines += [f"- {texts.get(q, q)} (`{q}`): {why}" for q, why in reasons.items()]
        lines.append("")
    return lines


def render_sources(definitions: Definitions) -> str:
    """docs/datakilder.md: every Statbank-based indicator with its tables, selections and derivation."""
    lines = [
        "# Datakilder: Danmarks Statistiks Statistikbank",
        "",
        "<!-- Genereret af `lokalkompas indicators docs` ud fra lokalkompas/indicators/definitions/. -->",
        "<!-- Ret ikke i hånden. -->",
        "",
        "`lokalkompas refresh --source statbank` henter tabellerne herunder. Hver tabel hentes kun, når",
        "Statistikbankens opdateringsstempel er ændret siden sidst, og indlæses i én transaktion.",
        "Områdevariablen findes ud fra tabellens metadata (OMRÅDE, KOMMUNEDK, BLSTKOM, ADMKOM …), og",
        "kontoplanfunktioner vælges på deres tekstpræfiks (fx `5.25.`).",
        "",
        "| Indikator | Tabel | Udvalg | Beregning |",
        "|---|---|---|---|",
    ]
    for f in definitions.files:
        for ind in f.indicators:
            statbank = [
                definitions.series[t.series]
                for t in ind.terms()
                if definitions.series[t.series].source.kind == "statbank"
            ]
            if not statbank:
                continue
            tables = ", ".join(dict.fromkeys(_table(s) for s in statbank))
            selections = "; ".join(dict.fromkeys(f"{_table(s)}: {_selection(s)}" for s in statbank))
            lines.append(f"| {ind.name} (`{ind.id}`) | {tables} | {selections} | {_formula(ind, definitions)} |")
    return "\n".join(lines) + "\n"


def _table(series: BaseSeries) -> str:
    src = series.source
    assert src.kind == "statbank"
    return f"{src.table_pattern} (nyeste udgave)" if src.table_pattern else src.table


def _selection(series: BaseSeries) -> str:
    src = series.source
    assert src.kind == "statbank"
    parts = [f"{k}={'+'.join(v) if isinstance(v, list) else v}" for k, v in sorted(src.selection.items())]
    if series.breakdown == "age":
        parts.append("ALDER=etårige aldre")
    return ", ".join(parts) or "alle områder og perioder"
