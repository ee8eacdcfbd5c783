"""Forecasts from the store: the budget chosen, the newest month, the command's Danish output."""

import io

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from lokalkompas.economy.service import forecasts
from lokalkompas.indicators.store import write_observations


def frame(rows):
    return pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")


@pytest.fixture
def aarhus_spending(registry):
    """Aarhus' daycare: 2023 and 2024 flat at 100 a month, 2025 at 110 through October."""
    rows = [("forbrug-dagtilbud", "751", f"{y}M{m:02d}", "", 100.0, "ok") for y in (2023, 2024) for m in range(1, 13)]
    rows += [("forbrug-dagtilbud", "751", f"2025M{m:02d}", "", 110.0, "ok") for m in range(1, 11)]
    rows += [("budget-dagtilbud", "751", "2025", "", 1250.0, "ok")]  # Statbank's original budget
    rows += [("korrigeret-budget-dagtilbud", "751", "2025", "", 1300.0, "ok")]  # the corrected one
    write_observations(frame(rows), source="upload", label="test")


def test_the_forecast_uses_the_newest_month_and_the_corrected_budget(aarhus_spending, settings):
    settings.FORECAST_METHODS = {}
    settings.FORECAST_DEFAULT_METHOD = "c"
    (found,) = forecasts(["751"])
    assert (found.area, found.year, found.month, found.ytd) == ("dagtilbud", 2025, 10, 1100.0)
    assert found.point == pytest.approx(1100 / (1000 / 1200))  # the average profile: 10/12 by October
    assert (found.budget, found.budget_kind) == (1300.0, "korrigeret budget")
    assert found.deviation == pytest.approx(1320 - 1300) and found.deviation_share == pytest.approx(20 / 1300)
    # Two past years: method c backtests 2024 (from 2023's profile); both flat, so no error at all.
    assert found.backtest_points == 1 and found.mape_now == pytest.approx(0.0)
    assert found.warning.raised  # over the budget, and more likely than not


def test_the_method_can_be_chosen_per_area(aarhus_spending, settings):
    settings.FORECAST_METHODS = {"dagtilbud": "a"}
    (found,) = forecasts(["751"])
    assert found.method == "a" and found.point == pytest.approx(1100 * 12 / 10)


def test_the_command_prints_each_area_in_danish(aarhus_spending):
    out = io.StringIO()
    call_command("prognose", "--kommune", "751", stdout=out)
    text = out.getvalue()
    assert "forbrug til og med okt. 2025 1,1 mio. kr." in text
    assert "korrigeret budget 1,3 mio. kr." in text and "VARSEL" in text


def test_the_command_refuses_an_unknown_municipality_or_method(registry):
    with pytest.raises(CommandError, match="Ukendt kommunekode"):
        call_command("prognose", "--kommune", "999")
    with pytest.raises(CommandError, match="Ukendt metode"):
        call_command("prognose", "--kommune", "751", "--metode", "x")
    out = io.StringIO()
    call_command("prognose", "--kommune", "101", stdout=out)
    assert "ingen månedlige forbrugstal" in out.getvalue()


def test_the_economy_pages_show_the_forecast_with_its_band_budget_and_backtest(aarhus_spending):
    from django.test import Client

    client = Client()
    client.cookies["kommune"] = "751"
    overview = client.get("/oekonomi/").content.decode()
    assert "Budgetopfølgning for" in overview and "1,3 mio. kr." in overview and "Varsel" in overview
    area = client.get("/oekonomi/dagtilbud/").content.decode()
    assert "Prognose for hele året" in area and "Vis data som tabel" in area
    # A year is no number with a thousands dot, and an amount's "kr." closes the sentence on its own.
    assert "måned 2025:" in area and "2.025" not in area and "kr.." not in area and "kr.." not in overview
    assert "Gennemsnitlig afvigelse (MAPE)" in area and "<svg" in area
    assert client.get("/oekonomi/findes-ikke/").status_code == 404
    other = Client().get("/oekonomi/", headers={"cookie": "kommune=101"})
    assert "ingen månedlige forbrugstal" in other.content.decode()


def test_the_dashboard_lists_the_budget_warning_among_the_alerts(aarhus_spending):
    from lokalkompas.analysis.service import alerts_for
    from lokalkompas.indicators.definitions import shipped_definitions

    alerts = [a for a in alerts_for("751", shipped_definitions()) if a.kind == "budget"]
    assert [a.url for a in alerts] == ["/oekonomi/dagtilbud/"]
    from django.test import Client

    client = Client()
    client.cookies["kommune"] = "751"
    page = client.get("/").content.decode()
    item = page[page.index('alert-kind-budget"') :]
    assert "Forventet overskridelse" in item[: item.index("</li>")]
