"""Method d from the store: cases × unit price for 5.28 and 5.38, its backtest, the fallback, page and command."""

import io
import re

import polars as pl
import pytest
from django.core.management import call_command
from django.test import Client

from lokalkompas.economy.service import area_path, forecasts
from lokalkompas.indicators.store import write_observations

CHILDREN_PRICE, ADULTS, ADULTS_PRICE = 4.0, 20.0, 3.0  # adults: 20 cases at 3 = 60 a month, all along


def frame(rows: list[tuple[str, str, str, str, float, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")


def children_cases(year: int, month: int) -> float:
    """10 children in a measure; two more from July 2024; three more than the 10 from October 2025."""
    if year == 2024:
        return 12.0 if month >= 7 else 10.0
    return 13.0 if month == 10 else 10.0


def social_spend(year: int, month: int) -> float:
    """What the ledger shows: cases × price, and in December 2024 40 of year-end postings on top."""
    spend = children_cases(year, month) * CHILDREN_PRICE + ADULTS * ADULTS_PRICE
    return spend + (40.0 if (year, month) == (2024, 12) else 0.0)


def activity_rows(year: int, months: range, skip: str = "") -> list[tuple[str, str, str, str, float, str]]:
    rows = []
    for m in months:
        period = f"{year}M{m:02d}"
        for series, value in (
            ("sager-boern-unge", children_cases(year, m)),
            ("enhedspris-boern-unge", CHILDREN_PRICE),
            ("sager-voksne", ADULTS),
            ("enhedspris-voksne", ADULTS_PRICE),
        ):
            if f"{series}/{period}" != skip:
                rows.append((series, "751", period, "", value, "ok"))
    return rows


def store(skip: str = "") -> None:
    """Aarhus: social spending 2023 (flat 100, no activity figures), 2024 and January–October 2025 with them."""
    rows = [("forbrug-social", "751", f"2023M{m:02d}", "", 100.0, "ok") for m in range(1, 13)]
    rows += [("forbrug-social", "751", f"2024M{m:02d}", "", social_spend(2024, m), "ok") for m in range(1, 13)]
    rows += [("forbrug-social", "751", f"2025M{m:02d}", "", social_spend(2025, m), "ok") for m in range(1, 11)]
    rows += activity_rows(2024, range(1, 13)) + activity_rows(2025, range(1, 11), skip)
    rows += [("korrigeret-budget-social", "751", "2025", "", 1200.0, "ok")]
    rows += [("forbrug-dagtilbud", "751", f"{y}M{m:02d}", "", 100.0, "ok") for y in (2024, 2025) for m in range(1, 11)]
    rows += [("forbrug-dagtilbud", "751", f"2024M{m:02d}", "", 100.0, "ok") for m in (11, 12)]
    write_observations(frame(rows), source="upload", label="test")


@pytest.fixture
def social_by_activity(loaded, settings):
    settings.FORECAST_METHODS = {"social": "d"}
    settings.FORECAST_DEFAULT_METHOD = "c"
    store()


# 2024 in October: 1.032 spent (6 × 100 + 4 × 108); 12 children × 4 + 60 = 108 for two months -> 1.248,
# against the year's 1.288 (5 × 108 + 148 in December).
D_ERROR_2024_OCTOBER = 1248 / 1288 - 1


def test_the_social_area_is_forecast_from_cases_and_unit_prices(social_by_activity):
    social = next(f for f in forecasts(["751"]) if f.area == "social")
    # 2025: 9 × 100 + 112 (13 × 4 + 60) by October; November and December at 112 each.
    assert (social.method, social.month, social.ytd) == ("d", 10, 1012.0)
    assert social.point == pytest.approx(1012 + 2 * 112) and social.note == ""
    assert social.backtest_points == 1 and social.mape_now == pytest.approx(abs(D_ERROR_2024_OCTOBER))
    # c and a from 2023's flat profile, 10/12 by October: 1.032 × 1,2 = 1.238,4 against 1.288.
    assert social.mape_by_method["c"] == pytest.approx(1 - 1238.4 / 1288)
    assert social.probability == 1.0 and social.warning.raised  # 1.236 / (1 − 3,1 %) is over 1.200


def test_the_other_areas_have_no_activity_method_in_their_backtest(social_by_activity):
    daycare = next(f for f in forecasts(["751"]) if f.area == "dagtilbud")
    assert daycare.method == "c" and set(daycare.mape_by_method) == {"a", "b", "c"}
    path = area_path("751", "social")
    assert path is not None and set(path.backtest) == {"a", "b", "c", "d"}
    assert path.backtest["d"][9] == pytest.approx(abs(D_ERROR_2024_OCTOBER))
    assert path.backtest["d"][2] == pytest.approx(1 - 1200 / 1288)  # March 2024: 300 + 9 × 100


def test_a_missing_activity_month_falls_back_to_the_default_method_and_says_so(loaded, settings):
    settings.FORECAST_METHODS = {"social": "d"}
    settings.FORECAST_DEFAULT_METHOD = "c"
    store(skip="sager-voksne/2025M07")
    social = next(f for f in forecasts(["751"]) if f.area == "social")
    # c: the mean of 2024's share by October (1.032 of 1.288) and 2023's (10/12).
    assert social.method == "c" and social.point == pytest.approx(1012 / ((1032 / 1288 + 10 / 12) / 2))
    assert "kræver antal sager og enhedspriser for både 5.28 og 5.38 for januar–oktober 2025" in social.note
    assert social.note.endswith("I stedet bruges gennemsnitlig profil for op til tre år.")


def row_cells(page: str, method_name: str) -> list[str]:
    start = page.index(f'<th scope="row">{method_name}')
    return re.findall(r'<td class="numeric">(.*?)</td>', page[start : page.index("</tr>", start)])


def test_the_area_page_shows_method_d_its_backtest_row_and_the_overview_names_it(social_by_activity):
    client = Client()
    client.cookies["kommune"] = "751"
    page = client.get("/oekonomi/social/").content.decode()
    assert "Prognose for hele året (aktivitet: sager × enhedspris (5.28 og 5.38)): 1,2 mio. kr." in page
    assert "skabelonen Aktivitet specialiseret" in page
    cells = row_cells(page, "aktivitet: sager × enhedspris (5.28 og 5.38) (bruges)")
    assert len(cells) == 12 and cells[9] == "3,1 %" and cells[11] == "–"
    assert row_cells(page, "gennemsnitlig profil for op til tre år")[9] == "3,9 %"
    overview = client.get("/oekonomi/").content.decode()
    assert "metode: aktivitet: sager × enhedspris (5.28 og 5.38)</span>" in overview
    daycare = client.get("/oekonomi/dagtilbud/").content.decode()
    assert "aktivitet: sager × enhedspris" not in daycare


def test_without_the_figures_the_pages_say_why_another_method_is_used(loaded, settings):
    settings.FORECAST_METHODS = {"social": "d"}
    store(skip="enhedspris-boern-unge/2025M10")
    client = Client()
    client.cookies["kommune"] = "751"
    page = client.get("/oekonomi/social/").content.decode()
    assert "Prognose for hele året (gennemsnitlig profil for op til tre år)" in page
    assert "og de er ikke alle indlæst (skabelonen Aktivitet specialiseret)" in page
    assert row_cells(page, "gennemsnitlig profil for op til tre år (bruges)")
    assert "aktivitetsprognosen mangler tal, se området" in client.get("/oekonomi/").content.decode()


def test_the_command_uses_method_d_for_social_and_explains_the_fallback_elsewhere(social_by_activity):
    out = io.StringIO()
    call_command("prognose", "--kommune", "751", "--metode", "d", stdout=out)
    social, daycare = (
        next(line for line in out.getvalue().splitlines() if line.startswith(name)) for name in ("Social", "Dagtilbud")
    )
    assert "prognose (d: aktivitet: sager × enhedspris (5.28 og 5.38)) 1,2 mio. kr." in social
    assert "findes kun" not in social
    assert "prognose (c: gennemsnitlig profil for op til tre år)" in daycare
    assert "Aktivitetsprognosen (sager × enhedspris) findes kun for det specialiserede socialområde." in daycare
