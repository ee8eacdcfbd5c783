"""Writes each question's indicator ids into the catalogue files, keeping their formatting.

The indicator definitions say which questions an indicator answers; the catalogue repeats it on each
question so a reader of the catalogue sees it too. `indicators check` verifies that both agree.
"""

from __future__ import annotations

import re
from pathlib import Path

from lokalkompas.catalog.files import default_data_dir
from lokalkompas.indicators.definitions import Definitions

_QUESTION = re.compile(r"^(\s*)- id: (?P<id>[a-z0-9.-]+)\s*$")
_INDICATORS = re.compile(r"^(?P<indent>\s*)indicators: \[.*\]\s*$")


def indicators_by_question(definitions: Definitions) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for indicator in definitions.indicators.values():
        for q in indicator.questions:
            out.setdefault(q, []).append(indicator.id)
    return out


def link_catalogue(definitions: Definitions, data_dir: Path | None = None) -> int:
    wanted = indicators_by_question(definitions)
    changed = 0
    for path in sorted((data_dir or default_data_dir()).glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        current: str | None = None
        for n, line in enumerate(lines):
            if match := _QUESTION.match(line):
                current = match["id"]
            elif (match := _INDICATORS.match(line)) and current is not None:
                new = f"{match['indent']}indicators: [{', '.join(wanted.get(current, []))}]\n"
                if new != line:
                    lines[n] = new
                    changed += 1
                current = None
        path.write_text("".join(lines), encoding="utf-8")
    return changed
