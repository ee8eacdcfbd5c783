"""The area economy page's section "Regnskab og oprindeligt budget": numbers, source, demo label, missing."""

import re

import polars as pl
from django.test import Client

from lokalkompas.indicators.store import write_observations
from tests.front.pages import body


def frame(rows):
    return pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")


def page(code: str, area: str = "social") -> str:
    client = Client()
    client.cookies["kommune"] = code
    response = client.get(f"/oekonomi/{area}/")
    assert response.status_code == 200
    return body(response)


def section(html: str) -> str:
    start = html.index('<section class="accounts-history"')
    return html[start : html.index("</section>", start)]


def cells(html: str, year: str) -> list[str]:
    row = re.search(rf'<tr><th scope="row">{year}</th>(.*?)</tr>', html)
    assert row is not None, year
    return re.findall(r'<td class="numeric">(.*?)</td>', row.group(1))


def test_it_shows_budget_accounts_and_deviation_per_closed_year_with_the_source(loaded):
    rows = [
        ("budget-social", "751", "2023", "", 1_200_000.0, "ok"),
        ("budget-social", "751", "2024", "", 1_250_000.0, "ok"),
        ("budget-social", "751", "2025", "", 1_300_000.0, "ok"),
        ("budget-social", "751", "2026", "", 1_350_000.0, "ok"),  # not closed: not shown
        ("regnskab-social", "751", "2023", "", 1_236_000.0, "ok"),
        ("regnskab-social", "751", "2024", "", None, "missing"),
        ("regnskab-social", "751", "2025", "", 1_287_000.5, "ok"),
    ]
    write_observations(frame(rows), source="statbank", label="REGK31")
    html = section(page("751"))
    assert "Regnskab og oprindeligt budget" in html and "DEMO" not in html
    assert "<caption>" in html and "regnskab og oprindeligt budget 2023–2025 (1.000 kr.)" in html
    assert cells(html, "2023") == ["1.200.000", "1.236.000", "36.000", "3,0 %"]
    assert cells(html, "2024") == ["1.250.000", "mangler", "mangler", "mangler"]
    assert cells(html, "2025") == ["1.300.000", "1.287.000", "-13.000", "-1,0 %"]
    assert 'scope="row">2026' not in html
    assert "tabel BUDK32 (oprindeligt budget) og REGK31 (regnskab), 2023–2025" in html


def test_it_labels_demo_values_as_demo_and_says_so_when_there_are_no_accounts(loaded):
    rows = [("budget-skole", "101", "2024", "", 5000.0, "demo"), ("regnskab-skole", "101", "2024", "", 5100.0, "demo")]
    write_observations(frame(rows), source="demo", label="demo")
    html = page("101", "skole")
    assert "Tallene på denne side er syntetiske demodata" in html  # the page's banner
    accounts = section(html)
    assert '<span class="status-tag">DEMO</span>' in accounts and "Kilde: DEMO" in accounts
    assert cells(accounts, "2024") == ["5.000", "5.100", "100", "2,0 %"]
    assert "ingen regnskabstal for området for Aarhus" in section(page("751", "skole"))


def test_it_shows_no_section_before_a_municipality_is_chosen(loaded):
    assert "accounts-history" not in body(Client().get("/oekonomi/social/"))
