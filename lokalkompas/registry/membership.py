"""Which municipalities make up each region and the country, as a polars frame for aggregation."""

from __future__ import annotations

import polars as pl

from lokalkompas.registry.data import COUNTRY_CODE, group_code, municipalities


def membership_frame() -> pl.DataFrame:
    """Columns geo (municipality) and parent (its region, and the country)."""
    rows = [(m.code, m.region_code) for m in municipalities()] + [(m.code, COUNTRY_CODE) for m in municipalities()]
    return pl.DataFrame(rows, schema={"geo": pl.String, "parent": pl.String}, orient="row")


def group_membership_frame() -> pl.DataFrame:
    """Columns geo (municipality) and parent (its DST municipality group, KG1–KG5).

    Kept apart from `membership_frame`: groups cut across regions, and the aggregation there relies on
    regions nesting inside the country."""
    rows = [(m.code, group_code(m.group)) for m in municipalities()]
    return pl.DataFrame(rows, schema={"geo": pl.String, "parent": pl.String}, orient="row")
