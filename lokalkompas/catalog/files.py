"""Reads and checks the catalogue files; framework-free so commands, tests and the loader share it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from lokalkompas.catalog.schema import (
    AREA_IDS,
    Area,
    Calendar,
    LegalDuty,
    MovingPoint,
    Reform,
    SourceRef,
    Sources,
    Theme,
)

M = TypeVar("M", bound=BaseModel)

# Danish wording for the pydantic error types a catalogue author will meet.
_MESSAGES = {
    "missing": "feltet mangler",
    "extra_forbidden": "ukendt felt (stavefejl?)",
    "string_type": "skal være tekst",
    "string_too_short": "teksten er for kort eller tom",
    "string_pattern_mismatch": "ugyldigt format (id'er skal være små bogstaver a-z, tal, '.' eller '-')",
    "int_type": "skal være et heltal",
    "int_parsing": "skal være et heltal",
    "greater_than_equal": "er for lille",
    "less_than_equal": "er for stor",
    "list_type": "skal være en liste",
    "too_short": "listen må ikke være tom",
    "date_from_datetime_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_type": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "literal_error": "ugyldig værdi",
    "model_type": "skal være en struktur med felter",
    "dict_type": "skal være en struktur med felter",
}


@dataclass(frozen=True)
class CatalogError:
    file: str
    path: str
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.problem}"


@dataclass
class Catalog:
    sources: Sources
    areas: list[Area]
    calendar: Calendar

    def ids(self) -> Iterator[tuple[str, str]]:
        """Every item id in the catalogue with the file it is defined in."""
        for a in self.areas:
            file = f"{a.id}.yaml"
            yield file, a.id
            items: list[MovingPoint | Theme | LegalDuty | Reform] = [
                *a.moving,
                *a.themes,
                *a.legal_duties,
                *a.reforms,
            ]
            for item in items:
                yield file, item.id
            for t in a.themes:
                for q in t.questions:
                    yield file, q.id
        for e in self.calendar.entries:
            yield "calendar.yaml", e.id


@dataclass
class LoadOutcome:
    catalog: Catalog | None
    errors: list[CatalogError] = field(default_factory=list)


def default_data_dir() -> Path:
    return Path(str(resources.files("lokalkompas.catalog").joinpath("data")))


def format_location(loc: Iterable[int | str]) -> str:
    """('themes', 2, 'questions', 0, 'text') -> 'themes[2].questions[0].text'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _danish(error: Any) -> str:
    problem = _MESSAGES.get(error["type"], f"ugyldig værdi ({error['msg']})")
    if (
        error["type"] not in ("missing", "extra_forbidden")
        and "input" in error
        and not isinstance(error["input"], dict | list)
    ):
        problem += f": {error['input']!r}"
    return problem


def read_model(path: Path, model: type[M]) -> tuple[M | None, list[CatalogError]]:
    """Parse one YAML file into `model`, turning every failure into CatalogErrors."""
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [CatalogError(name, "", "filen findes ikke")]
    except UnicodeDecodeError:
        return None, [CatalogError(name, "", "filen er ikke gemt som UTF-8")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"linje {mark.line + 1}, kolonne {mark.column + 1}" if mark else ""
        return None, [CatalogError(name, where, f"ugyldig YAML: {getattr(exc, 'problem', exc)}")]
    if not isinstance(raw, dict):
        return None, [CatalogError(name, "", "filen skal indeholde en struktur med felter øverst")]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        return None, [CatalogError(name, format_location(e["loc"]), _danish(e)) for e in exc.errors()]


def load_files(data_dir: Path | None = None) -> LoadOutcome:
    """Read every catalogue file and run all cross-checks; a catalogue is returned only when error-free."""
    data_dir = data_dir or default_data_dir()
    errors: list[CatalogError] = []
    sources, errs = read_model(data_dir / "sources.yaml", Sources)
    errors += errs
    calendar, errs = read_model(data_dir / "calendar.yaml", Calendar)
    errors += errs
    areas: list[Area] = []
    for area_id in AREA_IDS:
        area, errs = read_model(data_dir / f"{area_id}.yaml", Area)
        errors += errs
        if area is not None:
            if area.id != area_id:
                errors.append(CatalogError(f"{area_id}.yaml", "id", f"skal være {area_id!r} som filnavnet"))
            areas.append(area)
    for extra in sorted(set(p.stem for p in data_dir.glob("*.yaml")) - {*AREA_IDS, "sources", "calendar"}):
        errors.append(CatalogError(f"{extra}.yaml", "", "ukendt katalogfil: navnet er ikke et af de otte områder"))
    if errors or sources is None or calendar is None:
        return LoadOutcome(None, errors)
    catalog = Catalog(sources=sources, areas=sorted(areas, key=lambda a: a.order), calendar=calendar)
    errors = cross_check(catalog, _indicator_ids())
    return LoadOutcome(None if errors else catalog, errors)


def _indicator_ids() -> frozenset[str]:
    """Ids of the shipped indicator definitions, which questions may point to."""
    from lokalkompas.indicators.definitions import load_definitions  # it imports this module

    definitions = load_definitions().definitions
    return frozenset(definitions.indicators) if definitions else frozenset()


def cross_check(catalog: Catalog, indicator_ids: frozenset[str] = frozenset()) -> list[CatalogError]:
    """Unique ids and resolvable references across all files."""
    refs = _References(catalog, indicator_ids)
    errors = _duplicate_ids(catalog)
    for area in catalog.areas:
        errors += _theme_numbering(f"{area.id}.yaml", area) + refs.in_area(area)
    return errors + refs.in_calendar(catalog.calendar)


class _References:
    """The ids that exist, and the checks that every reference points at one of them."""

    def __init__(self, catalog: Catalog, indicator_ids: frozenset[str]) -> None:
        self.documents = {d.id for d in catalog.sources.documents}
        self.rules = {r.id for r in catalog.sources.rules}
        self.themes = {(a.id, t.number) for a in catalog.areas for t in a.themes}
        self.areas = {a.id for a in catalog.areas}
        self.duties = {d.id for a in catalog.areas for d in a.legal_duties}
        self.indicators = indicator_ids

    def source(self, file: str, path: str, ref: SourceRef) -> list[CatalogError]:
        errors = []
        if ref.document not in self.documents:
            errors.append(CatalogError(file, f"{path}.document", f"ukendt kilde {ref.document!r}"))
        if ref.area is not None and ref.area not in self.areas:
            errors.append(CatalogError(file, f"{path}.area", f"ukendt område {ref.area!r}"))
        if ref.theme is not None and (ref.area, ref.theme) not in self.themes:
            errors.append(CatalogError(file, f"{path}.theme", f"området har intet tema nr. {ref.theme}"))
        return errors

    def in_area(self, area: Area) -> list[CatalogError]:
        file = f"{area.id}.yaml"
        errors = [e for path, ref in _sources_of(area) for e in self.source(file, path, ref)]
        for ti, t in enumerate(area.themes):
            for qi, q in enumerate(t.questions):
                where = f"themes[{ti}].questions[{qi}]"
                errors += [
                    CatalogError(file, f"{where}.legal_duties", f"ukendt lovkrav {d!r}")
                    for d in q.legal_duties
                    if d not in self.duties
                ]
                errors += [
                    CatalogError(file, f"{where}.indicators", f"ukendt indikator {i!r}")
                    for i in q.indicators
                    if i not in self.indicators
                ]
        errors += [
            CatalogError(file, f"legal_duties[{di}].rule", f"ukendt regel {d.rule!r}")
            for di, d in enumerate(area.legal_duties)
            if d.rule is not None and d.rule not in self.rules
        ]
        return errors

    def in_calendar(self, calendar: Calendar) -> list[CatalogError]:
        errors = []
        for ei, e in enumerate(calendar.entries):
            where = f"entries[{ei}]"
            errors += self.source("calendar.yaml", f"{where}.source", e.source)
            if e.area is not None and e.area not in self.areas:
                errors.append(CatalogError("calendar.yaml", f"{where}.area", f"ukendt område {e.area!r}"))
            if (e.date is None) == (e.period is None):
                problem = "angiv enten date eller period (præcis én af dem)"
                errors.append(CatalogError("calendar.yaml", where, problem))
        return errors


def _duplicate_ids(catalog: Catalog) -> list[CatalogError]:
    seen: dict[str, str] = {}
    errors = []
    for file, item_id in catalog.ids():
        if item_id in seen:
            errors.append(CatalogError(file, item_id, f"id'et er brugt to gange (også i {seen[item_id]})"))
        seen.setdefault(item_id, file)
    return errors


def _theme_numbering(file: str, area: Area) -> list[CatalogError]:
    numbers = [t.number for t in area.themes]
    if numbers != list(range(1, len(numbers) + 1)):
        return [CatalogError(file, "themes", f"temaerne skal være nummereret 1, 2, 3 … i rækkefølge, ikke {numbers}")]
    return []


def _sources_of(area: Area) -> Iterator[tuple[str, SourceRef]]:
    yield "source", area.source
    for i, m in enumerate(area.moving):
        yield f"moving[{i}].source", m.source
    for ti, t in enumerate(area.themes):
        yield f"themes[{ti}].source", t.source
        for qi, q in enumerate(t.questions):
            yield f"themes[{ti}].questions[{qi}].source", q.source
    for i, d in enumerate(area.legal_duties):
        yield f"legal_duties[{i}].source", d.source
    for i, r in enumerate(area.reforms):
        yield f"reforms[{i}].source", r.source
