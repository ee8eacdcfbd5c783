"""How many catalogue questions the indicators inform, and why the others cannot be measured."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml

from lokalkompas.catalog.files import Catalog, CatalogError
from lokalkompas.indicators.definitions import Definitions


@dataclass(frozen=True)
class AreaCoverage:
    area: str
    name: str
    questions: int
    covered: int

    @property
    def share(self) -> float:
        return self.covered / self.questions if self.questions else 0.0


def coverage(defs: Definitions, catalog: Catalog) -> list[AreaCoverage]:
    linked = {q for i in defs.indicators.values() for q in i.questions}
    out = []
    for area in catalog.areas:
        ids = [q.id for t in area.themes for q in t.questions]
        out.append(AreaCoverage(area.id, area.name, len(ids), sum(q in linked for q in ids)))
    return out


def unmeasured_reasons() -> dict[str, str]:
    """Question id -> why no indicator informs it (lokalkompas/indicators/unmeasured.yaml)."""
    text = resources.files("lokalkompas.indicators").joinpath("unmeasured.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {str(k): str(v) for k, v in data.items()}


def check_reasons(defs: Definitions, catalog: Catalog) -> list[CatalogError]:
    """Every question without an indicator has a reason, and no reason is left for a measured one."""
    linked = {q for i in defs.indicators.values() for q in i.questions}
    all_questions = {q.id for a in catalog.areas for t in a.themes for q in t.questions}
    reasons = unmeasured_reasons()
    errors = [
        CatalogError("unmeasured.yaml", q, "spørgsmålet mangler en begrundelse for, at ingen indikator belyser det")
        for q in sorted(all_questions - linked - set(reasons))
    ]
    errors += [
        CatalogError("unmeasured.yaml", q, "spørgsmålet belyses af en indikator; fjern begrundelsen")
        for q in sorted(set(reasons) & linked)
    ]
    errors += [CatalogError("unmeasured.yaml", q, "ukendt spørgsmål") for q in sorted(set(reasons) - all_questions)]
    return errors
