"""The alert list read from the database: positions, trends and revisions of stored indicator values."""

import datetime as dt

import polars as pl
from django.utils import timezone

from lokalkompas.analysis.service import alerts_for, latest_municipal_values
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.store import write_observations
from lokalkompas.registry.data import municipalities

INDICATOR = "normering-0-2"  # lower is better


def values(rows):
    return pl.DataFrame(
        [(s, g, p, "", v, "ok") for s, g, p, v in rows],
        schema=["series", "geo", "period", "breakdown", "value", "status"],
        orient="row",
    )


def test_a_municipality_in_the_worst_tenth_a_worsening_trend_and_a_revision_are_all_alerts(registry):
    codes = [m.code for m in municipalities()]
    old = timezone.now() - dt.timedelta(days=200)
    # 2021–2025: everyone at 2.5 except Aarhus, which worsens steadily to the worst value.
    rows = [
        (INDICATOR, g, str(y), 2.5 + (0.1 * (y - 2020) if g == "751" else 0.0))
        for g in codes
        for y in range(2021, 2026)
    ]
    write_observations(values(rows), source="derived", label="first", loaded_at=old)
    write_observations(values([(INDICATOR, "751", "2025", 3.2)]), source="derived", label="revised")
    alerts = alerts_for("751", shipped_definitions(), dt.date(2026, 11, 27))
    mine = {(a.kind, a.subject) for a in alerts if a.subject == INDICATOR}
    assert mine == {("placering", INDICATOR), ("udvikling", INDICATOR), ("revision", INDICATOR)}
    revision = next(a for a in alerts if a.kind == "revision")
    assert "2025: 3,0 → 3,2 børn pr. voksen" in revision.text
    assert all(a.url == f"/indikator/{INDICATOR}/" for a in alerts if a.subject == INDICATOR)
    # Aalborg sits in the middle of the pack with a flat line: no alert about this indicator.
    assert not [a for a in alerts_for("851", shipped_definitions(), dt.date(2026, 11, 27)) if a.subject == INDICATOR]


def test_only_the_latest_period_of_each_indicator_is_read_for_the_ranking(registry):
    write_observations(
        values([(INDICATOR, "751", "2024", 2.9), (INDICATOR, "751", "2025", 3.0), (INDICATOR, "000", "2026", 2.8)]),
        source="derived",
        label="x",
    )
    frame = latest_municipal_values([INDICATOR])
    assert frame.select("geo", "period").rows() == [("751", "2025")]  # the country's 2026 is not a municipality
