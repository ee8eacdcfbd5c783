"""Reads and checks the indicator definition files; framework-free like the catalogue reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from lokalkompas.catalog.files import Catalog, CatalogError, read_model
from lokalkompas.catalog.schema import AREA_IDS
from lokalkompas.indicators.schema import BaseSeries, DefinitionFile, Indicator

# Besides the eight catalogue areas: structural variables and the cross-area economy series.
EXTRA_AREAS = ("struktur", "oekonomi")
MAX_AGE = 100


@dataclass
class Definitions:
    files: list[DefinitionFile]
    series: dict[str, BaseSeries] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    area_of: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in self.files:
            for s in f.series:
                self.series[s.id] = s
            for i in f.indicators:
                self.indicators[i.id] = i
                self.area_of[i.id] = f.area

    def for_area(self, area: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if self.area_of[i.id] == area]


@dataclass
class DefinitionsOutcome:
    definitions: Definitions | None
    errors: list[CatalogError] = field(default_factory=list)


def default_definitions_dir() -> Path:
    return Path(str(resources.files("lokalkompas.indicators").joinpath("definitions")))


def load_definitions(directory: Path | None = None, catalog: Catalog | None = None) -> DefinitionsOutcome:
    """Read every definition file and cross-check it (and, given a catalogue, the question links)."""
    directory = directory or default_definitions_dir()
    errors: list[CatalogError] = []
    files: list[DefinitionFile] = []
    for path in sorted(directory.glob("*.yaml")):
        parsed, errs = read_model(path, DefinitionFile)
        errors += errs
        if parsed is None:
            continue
        if parsed.area != path.stem:
            errors.append(CatalogError(path.name, "area", f"skal være {path.stem!r} som filnavnet"))
        if parsed.area not in (*AREA_IDS, *EXTRA_AREAS):
            errors.append(CatalogError(path.name, "area", f"ukendt område {parsed.area!r}"))
        files.append(parsed)
    if errors:
        return DefinitionsOutcome(None, errors)
    definitions = Definitions(files)
    errors = _cross_check(definitions)
    if catalog is not None:
        from lokalkompas.indicators.coverage import check_reasons  # coverage imports this module

        errors += _question_links(definitions, catalog) + check_reasons(definitions, catalog)
    return DefinitionsOutcome(None if errors else definitions, errors)


def _cross_check(defs: Definitions) -> list[CatalogError]:
    errors: list[CatalogError] = []
    seen: dict[str, str] = {}
    for f in defs.files:
        ids = [("series", n, s.id) for n, s in enumerate(f.series)]
        ids += [("indicators", n, i.id) for n, i in enumerate(f.indicators)]
        for kind, n, item_id in ids:
            if item_id in seen:
                problem = f"id'et er brugt to gange (også i {seen[item_id]})"
                errors.append(CatalogError(f"{f.area}.yaml", f"{kind}[{n}].id", problem))
            seen.setdefault(item_id, f"{f.area}.yaml")
    for f in defs.files:
        file = f"{f.area}.yaml"
        for n, s in enumerate(f.series):
            errors += _series_problems(file, f"series[{n}]", s)
        for n, ind in enumerate(f.indicators):
            errors += _indicator_problems(defs, file, f"indicators[{n}]", ind)
    return errors


def _series_problems(file: str, where: str, s: BaseSeries) -> list[CatalogError]:
    errors = []
    if s.demo.kind == "count" and s.demo.ages is None:
        errors.append(CatalogError(file, f"{where}.demo.ages", "en tælling skal have den aldersgruppe, den følger"))
    if s.aggregate == "weighted_mean" and s.demo.ages is None:
        errors.append(CatalogError(file, f"{where}.demo.ages", "et vægtet gennemsnit skal have en aldersgruppe"))
    if s.demo.kind in ("spending", "cases", "unit_price") and s.demo.follows is None:
        errors.append(CatalogError(file, f"{where}.demo.follows", "skal pege på den serie, tallene følger"))
    if s.demo.kind == "cases" and s.demo.share is None:
        errors.append(CatalogError(file, f"{where}.demo.share", "sager skal have deres andel af forbruget"))
    return errors


def _indicator_problems(defs: Definitions, file: str, where: str, ind: Indicator) -> list[CatalogError]:
    errors = []
    f = ind.formula
    named = {"numerator": f.numerator, "denominator": f.denominator, "weight": f.weight}
    for name, term in named.items():
        if term is None:
            continue
        series = defs.series.get(term.series)
        path = f"{where}.formula.{name}"
        if series is None:
            errors.append(CatalogError(file, f"{path}.series", f"ukendt basisserie {term.series!r}"))
            continue
        if (term.ages is not None) != (series.breakdown == "age"):
            problem = "ages skal angives for en serie opdelt på alder og kun for den"
            errors.append(CatalogError(file, f"{path}.ages", problem))
        if term.ages is not None and not 0 <= term.ages[0] <= term.ages[1] <= MAX_AGE:
            errors.append(CatalogError(file, f"{path}.ages", f"aldersgruppen skal ligge i 0–{MAX_AGE}"))
        if _frequency_rank(series.frequency) < _frequency_rank(ind.frequency):
            problem = f"serien er {series.frequency}, men indikatoren er {ind.frequency}"
            errors.append(CatalogError(file, f"{path}.series", problem))
    return errors


def _frequency_rank(frequency: str) -> int:
    return {"year": 0, "quarter": 1, "month": 2}[frequency]


def _question_links(defs: Definitions, catalog: Catalog) -> list[CatalogError]:
    """Questions named by an indicator exist, and the catalogue's own lists say the same."""
    errors = []
    from_catalog: dict[str, set[str]] = {}
    questions: dict[str, str] = {}
    for area in catalog.areas:
        for theme in area.themes:
            for q in theme.questions:
                questions[q.id] = area.id
                for indicator_id in q.indicators:
                    from_catalog.setdefault(indicator_id, set()).add(q.id)
    rules = {r.id for r in catalog.sources.rules}
    for f in defs.files:
        for n, ind in enumerate(f.indicators):
            where = f"indicators[{n}]"
            for question_id in ind.questions:
                if question_id not in questions:
                    problem = f"ukendt spørgsmål {question_id!r}"
                    errors.append(CatalogError(f"{f.area}.yaml", f"{where}.questions", problem))
            if set(ind.questions) != from_catalog.get(ind.id, set()):
                problem = "spørgsmålene stemmer ikke med katalogets indicators-lister (kør 'indicators link')"
                errors.append(CatalogError(f"{f.area}.yaml", f"{where}.questions", problem))
            if ind.legal_threshold and ind.legal_threshold.rule not in rules:
                problem = f"ukendt regel {ind.legal_threshold.rule!r}"
                errors.append(CatalogError(f"{f.area}.yaml", f"{where}.legal_threshold.rule", problem))
    unknown = set(from_catalog) - set(defs.indicators)
    errors += [CatalogError("katalog", i, "spørgsmål peger på en ukendt indikator") for i in sorted(unknown)]
    return errors


@cache
def shipped_definitions() -> Definitions:
    """The definitions that ship with the program; raises if they are broken (a test guards that)."""
    outcome = load_definitions()
    if outcome.definitions is None:
        raise ValueError("; ".join(str(e) for e in outcome.errors))
    return outcome.definitions
