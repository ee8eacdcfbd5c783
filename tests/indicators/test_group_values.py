"""Municipality-group values: computed from the members as the definition says, stored under KG1–KG5."""

import polars as pl
import pytest

from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.indicators.models import Observation
from lokalkompas.indicators.service import compute_indicators
from lokalkompas.indicators.store import write_observations
from lokalkompas.registry.data import municipalities
from lokalkompas.registry.models import Geography


def base(rows):
    return pl.DataFrame(
        [(s, g, "2025", "", v, "ok") for s, g, v in rows],
        schema=["series", "geo", "period", "breakdown", "value", "status"],
        orient="row",
    )


def test_the_registry_has_the_five_groups_as_geographies(registry):
    groups = Geography.objects.filter(kind=Geography.Kind.GROUP).order_by("code")
    assert [(g.code, g.group_id) for g in groups] == [(f"KG{n}", n) for n in range(1, 6)]
    assert groups[1].name == "Storbykommuner"


def test_a_group_value_is_the_ratio_of_the_members_sums(registry):
    big_cities = [m.code for m in municipalities() if m.group == 2]
    # Each big city: educated staff 10·k of 20·k; the group's share is the ratio of the sums.
    rows = []
    for k, code in enumerate(big_cities, start=1):
        rows += [("boern1-paedagoger", code, 10.0 * k), ("boern1-personale", code, 20.0 * k)]
    rows[0] = ("boern1-paedagoger", big_cities[0], 20.0)  # first city: 20 of 20
    write_observations(base(rows), source="statbank", label="test")
    compute_indicators(shipped_definitions())
    value = Observation.objects.get(series="andel-paedagoguddannede", geo_id="KG2", period="2025").value
    n = len(big_cities)
    educated = 20.0 + sum(10.0 * k for k in range(2, n + 1))
    staff = sum(20.0 * k for k in range(1, n + 1))
    assert value == pytest.approx(100 * educated / staff)
    # Groups without data get nothing, not zeros.
    assert not Observation.objects.filter(series="andel-paedagoguddannede", geo_id="KG5", value__isnull=False).exists()


def test_recomputing_only_the_changed_series_gives_what_a_full_recompute_gives(registry):
    codes = [m.code for m in municipalities()][:6]
    rows = [("boern1-paedagoger", c, 10.0 + k, "ok") for k, c in enumerate(codes)]
    rows += [("boern1-personale", c, 20.0 + k, "ok") for k, c in enumerate(codes)]
    write_observations(base([r[:3] for r in rows]), source="statbank", label="test")
    partial = compute_indicators(shipped_definitions(), changed=["boern1-paedagoger"])
    derived = dict(
        Observation.objects.filter(series="andel-paedagoguddannede").values_list("geo_id", "value").order_by("geo_id")
    )
    assert partial.inserted > 0 and set(codes) <= set(derived)
    # A full recompute afterwards finds nothing to change for that indicator.
    full = compute_indicators(shipped_definitions())
    assert not Observation.objects.filter(series="andel-paedagoguddannede", vintage=full.vintage).exists()
    assert dict(
        Observation.objects.filter(series="andel-paedagoguddannede").values_list("geo_id", "value").order_by("geo_id")
    ) == pytest.approx(derived)


def test_a_change_no_indicator_reads_recomputes_nothing(registry):
    write_observations(base([("boern1-paedagoger", "101", 10.0)]), source="statbank", label="test")
    result = compute_indicators(shipped_definitions(), changed=["no-indicator-reads-this"])
    assert (result.inserted, result.revised, result.vintage) == (0, 0, None)
    assert not Observation.objects.filter(series="andel-paedagoguddannede").exists()
