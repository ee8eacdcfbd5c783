"""Seeded DEMO decisions, so a fresh installation shows every legal rule with a varied result.

The shares below are invented to look like a spread of municipalities, not estimates of reality.
Every row is marked demo and is removed with the rest of the demo data.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from lokalkompas.legal.models import Decision
from lokalkompas.registry.data import municipalities

# (kind, year, share of municipalities with a decision that year, months it falls in)
PLAN: tuple[tuple[Decision.Kind, int, float, tuple[int, int]], ...] = (
    (Decision.Kind.BEREDSKABSPLAN, 2022, 0.55, (3, 12)),
    (Decision.Kind.BEREDSKABSPLAN, 2023, 0.4, (1, 12)),
    (Decision.Kind.BEREDSKABSPLAN, 2026, 0.35, (3, 11)),
    (Decision.Kind.DIMENSIONERING, 2022, 0.6, (4, 12)),
    (Decision.Kind.DIMENSIONERING, 2023, 0.3, (1, 12)),
    (Decision.Kind.DIMENSIONERING, 2026, 0.2, (4, 11)),
    (Decision.Kind.PLANSTRATEGI, 2023, 0.85, (2, 12)),
    (Decision.Kind.PLANSTRATEGI, 2026, 0.15, (6, 11)),
    (Decision.Kind.DANMARKSKORT, 2024, 0.9, (3, 11)),
    (Decision.Kind.DANMARKSKORT, 2025, 0.85, (3, 11)),
    (Decision.Kind.DANMARKSKORT, 2026, 0.65, (3, 10)),
    (Decision.Kind.NIS2_POLITIK, 2025, 0.7, (3, 12)),
    (Decision.Kind.NIS2_POLITIK, 2026, 0.2, (1, 10)),
)


def _rng(seed: int, key: str) -> np.random.Generator:
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def demo_decisions(seed: int, today: dt.date) -> list[Decision]:
    """The same seed gives the same decisions; none lies after `today`."""
    rows: list[Decision] = []
    for m in municipalities():
        for kind, year, share, (first_month, last_month) in PLAN:
            rng = _rng(seed, f"{m.code}:{kind.value}:{year}")
            if rng.random() >= share:
                continue
            day = dt.date(year, int(rng.integers(first_month, last_month + 1)), int(rng.integers(1, 29)))
            if day > today:
                continue
            reference = f"DEMO: kommunalbestyrelsens møde {day.day}/{day.month} {day.year}, punkt {rng.integers(3, 25)}"
            rows.append(Decision(geo_id=m.code, kind=kind, date=day, reference=reference, demo=True))
    return rows
