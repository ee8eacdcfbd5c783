"""Every page's tables as an XLSX workbook: what the visitor sees, numbers as numbers, nothing more."""

import io

import polars as pl
from django.test import Client
from openpyxl import load_workbook

from lokalkompas.front.table_export import cell_value, read_tables
from lokalkompas.indicators.store import write_observations

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_danish_numbers_become_numbers_and_everything_else_stays_text():
    assert cell_value("1.234,5") == 1234.5 and cell_value("−2") == -2.0 and cell_value("17") == 17.0
    assert cell_value("12,5 %") == 0.125
    assert cell_value("mangler") == "mangler" and cell_value("3,1 mio. kr.") == "3,1 mio. kr."
    assert cell_value("2.3.4") == "2.3.4" and cell_value("") == ""


def test_tables_are_read_with_their_captions_and_without_screen_reader_only_text():
    html = (
        '<div class="demo-banner"></div><table><caption>Normering <span class="sr-only">(skjult)</span></caption>'
        "<tr><th>Kommune</th><th>Værdi</th></tr><tr><td>Aarhus<br>Kommune</td><td>2,9</td></tr></table>"
        "<table><tr><td>x</td></tr></table>"
    )
    tables, demo = read_tables(html)
    assert demo and [t.caption for t in tables] == ["Normering", ""]
    assert tables[0].rows == [["Kommune", "Værdi"], ["Aarhus Kommune", "2,9"]]


def test_the_economy_page_exports_its_table_with_numbers_and_the_source(registry):
    rows = [("forbrug-dagtilbud", "751", f"{y}M{m:02d}", "", 100.0, "ok") for y in (2023, 2024) for m in range(1, 13)]
    rows += [("forbrug-dagtilbud", "751", f"2025M{m:02d}", "", 110.0, "ok") for m in range(1, 11)]
    rows += [("korrigeret-budget-dagtilbud", "751", "2025", "", 1300.0, "ok")]
    frame = pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")
    write_observations(frame, source="upload", label="test")
    client = Client()
    client.cookies["kommune"] = "751"
    page = client.get("/oekonomi/").content.decode()
    assert "/eksport/tabeller.xlsx?side=/oekonomi/" in page
    response = client.get("/eksport/tabeller.xlsx", {"side": "/oekonomi/"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][0].startswith("Forventet regnskab 2025 i mio. kr.")
    assert cells[1][0] == "Område" and any(r[0] and r[0].lower().startswith("dagtilbud") for r in cells), cells
    assert any(isinstance(v, (int, float)) and v == 1 for r in cells for v in r), cells  # "100 %" as a number
    assert cells[-1][0].startswith("Kilde: Lokalkompas, http://testserver/oekonomi/, hentet ")


def test_pages_the_visitor_may_not_see_or_outside_pages_give_no_workbook(registry):
    client = Client()
    for side, status in (
        ("/brugere/", 403),  # administrators only
        ("https://example.com/oekonomi/", 400),
        ("//example.com/", 400),
        ("", 400),
        ("/findes-ikke/", 404),
        ("/eksport/tabeller.xlsx", 400),
        ("/log-ind/", 404),  # a page without tables says so
    ):
        response = client.get("/eksport/tabeller.xlsx", {"side": side})
        assert response.status_code == status, side
        assert response["Content-Type"].startswith("text/html")
    assert client.get("/eksport/tabeller.xlsx", {"side": "/" + "a" * 3000}).status_code == 400
