"""Database-facing steps: compute indicators from the store, load and clear the demo data set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import polars as pl
from django.db import transaction
from django.utils import timezone

from lokalkompas.indicators.definitions import Definitions
from lokalkompas.indicators.demo import DemoConfig, Generator, revised
from lokalkompas.indicators.derive import compute_all
from lokalkompas.indicators.frames import frame_checksum
from lokalkompas.indicators.models import Observation, Revision, Vintage
from lokalkompas.indicators.store import WriteResult, read_observations, write_observations
from lokalkompas.registry import revision
from lokalkompas.registry.membership import group_membership_frame, membership_frame


class DemoRefused(Exception):
    """The database holds real data; demo data are never mixed into it."""


@dataclass(frozen=True)
class DemoResult:
    already_loaded: bool
    base_rows: int
    revised: int
    indicator_rows: int


def compute_indicators(
    definitions: Definitions, loaded_at: dt.datetime | None = None, changed: Collection[str] | None = None
) -> WriteResult:
    """Derive the indicators from the current base series; a run with nothing new writes nothing.

    `changed`: only these base series have new values, so only the indicators that read one of them are
    derived, from just the series those indicators read (an upload of one template recomputes a few
    indicators, not all of them from every stored value). None derives every indicator.
    """
    indicators = dict(definitions.indicators)
    if changed is not None:
        touched = set(changed)
        indicators = {i: ind for i, ind in indicators.items() if any(t.series in touched for t in ind.terms())}
        if not indicators:
            return WriteResult(0, 0, 0, None)
    needed = {t.series for ind in indicators.values() for t in ind.terms()} if changed is not None else None
    base = read_observations(needed if needed is not None else definitions.series.keys())
    values = compute_all(indicators, definitions.series, base, membership_frame())
    # Municipality groups in a second pass (they cross regions); keep only the group rows from it.
    groups = group_membership_frame()
    by_group = compute_all(indicators, definitions.series, base, groups)
    values = pl.concat([values, by_group.filter(pl.col("geo").is_in(groups["parent"].unique()))])
    return write_observations(
        values,
        source=Vintage.Source.DERIVED,
        label="Indikatorer beregnet fra basisserier",
        note=f"{len(indicators)} indikatorer",
        loaded_at=loaded_at,
    )


def has_real_data() -> bool:
    return Vintage.objects.exclude(source__in=[Vintage.Source.DEMO, Vintage.Source.DERIVED]).exists()


@transaction.atomic
def clear_demo() -> int:
    """Remove every demo value and everything derived from it."""
    if has_real_data():
        raise DemoRefused("Databasen indeholder rigtige data; fjern dem ikke sammen med demodata.")
    demo = Vintage.objects.filter(source__in=[Vintage.Source.DEMO, Vintage.Source.DERIVED])
    Revision.objects.filter(new_vintage__in=demo).delete()
    count, _ = Observation.objects.filter(vintage__in=demo).delete()
    demo.delete()
    revision.bump()
    return count


@transaction.atomic
def load_demo(definitions: Definitions, config: DemoConfig) -> DemoResult:
    """Load the seeded demo set in two vintages (a first release and a revision), then compute indicators."""
    if has_real_data():
        raise DemoRefused("Databasen indeholder rigtige data. Demodata indlæses aldrig oven i dem.")
    frame = Generator(list(definitions.series.values()), config).generate()
    checksum = frame_checksum(frame)
    if Vintage.objects.filter(source=Vintage.Source.DEMO, checksum=checksum).exists():
        return DemoResult(True, frame.height, 0, 0)
    clear_demo()
    now = timezone.now()
    # The first release is dated 45 days back and the revision 10 days back, so "what changed in the
    # last 30 days" has something honest to show in a fresh demo installation.
    first, later = now - dt.timedelta(days=45), now - dt.timedelta(days=10)
    label = f"DEMO: syntetiske data, frø {config.seed}"
    write_observations(frame, source=Vintage.Source.DEMO, label=label, loaded_at=first)
    derived = compute_indicators(definitions, loaded_at=first)
    changes = revised(frame, config)
    result = write_observations(changes, source=Vintage.Source.DEMO, label=f"{label}, revideret", loaded_at=later)
    compute_indicators(definitions, loaded_at=later)
    return DemoResult(False, frame.height, result.revised, derived.inserted)
