"""Indicator pages: definition, source, DEMO label, series beside region and country, all 98, CSV."""

import csv
import io

from tests.front.pages import body


def test_the_area_lists_its_indicators_with_the_latest_value(aarhus):
    response = aarhus.get("/omraade/dagtilbud/indikatorer/")
    assert response.status_code == 200
    text = body(response)
    assert "Børn pr. voksen i daginstitutioner, 0–2 år" in text
    assert "DEMO" in text and "Aarhus" in text
    assert "Danmarks Statistik, tabel BOERN8" in text  # every figure names its source


def test_the_indicator_page_shows_definition_source_caveats_and_demo(aarhus):
    text = body(aarhus.get("/indikator/normering-0-2/"))
    for heading in ("Definition", "Kilde", "Forbehold", "Udvikling", "Alle kommuner"):
        assert heading in text
    assert "tabel BOERN8" in text
    assert "Tallene på denne side er syntetiske demodata" in text
    assert "Højst 3,0" in text


def test_the_series_table_puts_the_municipality_beside_region_and_country(aarhus):
    text = body(aarhus.get("/indikator/andel-67-plus/"))
    for name in ("Aarhus", "Region Midtjylland", "Hele landet"):
        assert f'<th scope="col" class="numeric">{name}</th>' in text


def test_all_98_municipalities_are_listed_and_sortable(aarhus):
    text = body(aarhus.get("/indikator/andel-67-plus/?sorter=navn"))
    assert text.count('<th scope="row">') >= 98 + 11  # 98 in the ranking, 11 years in the series table
    assert 'aria-sort="ascending"' in text
    first = text.index("Aabenraa")
    assert first < text.index("Ærø")


def test_a_missing_value_is_shown_as_missing_never_zero(aarhus):
    text = body(aarhus.get("/indikator/foraeldretilfredshed/"))
    assert "mangler" in text


def test_an_unknown_indicator_is_a_danish_404(aarhus):
    response = aarhus.get("/indikator/findes-ikke/")
    assert response.status_code == 404


def test_the_csv_has_every_municipality_and_period_in_danish_format(aarhus):
    response = aarhus.get("/indikator/normering-3-5.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "kode",
        "navn",
        "periode",
        "Børn pr. voksen i daginstitutioner, 3–5 år",
        "status",
        "enhed",
    ]
    codes = {r[0] for r in rows[1:]}
    assert len(codes) == 98 + 6 + 5  # municipalities, regions, the country and the five groups
    assert {r[4] for r in rows[1:]} <= {"DEMO", "Mangler", "Fortroligt", "Skønnet"}
    assert any("," in r[3] for r in rows[1:])  # decimal comma


def test_the_indicator_page_places_the_municipality_beside_region_group_and_country(aarhus):
    text = body(aarhus.get("/indikator/normering-0-2/"))
    assert "Placering i 2025: Aarhus" in text
    assert "Storbykommuner (kommunegruppe)" in text and "Region Midtjylland" in text and "Hele landet" in text
    assert "kommuner med tal" in text and "Afstand til bedste fjerdedel" in text


def test_a_neutral_indicator_is_not_ranked(aarhus):
    assert "den rangeres ikke" in body(aarhus.get("/indikator/folketal/"))


def test_the_xlsx_download_has_numbers_a_title_block_and_missing_as_empty(aarhus):
    import openpyxl

    response = aarhus.get("/indikator/normering-3-5.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Data"]
    assert sheet["A1"].value == "Børn pr. voksen i daginstitutioner, 3–5 år"
    assert sheet["A3"].value.startswith("Kilde: Danmarks Statistik")
    rows = list(sheet.iter_rows(min_row=7, values_only=True))
    assert len({r[0] for r in rows}) == 98 + 6 + 5
    assert all(isinstance(r[3], int | float) for r in rows if r[4] != "Mangler")
    assert all(r[3] is None for r in rows if r[4] == "Mangler")


def test_the_expected_value_is_shown_or_said_to_be_not_meaningful(aarhus):
    text = body(aarhus.get("/indikator/normering-0-2/"))
    assert "Forventet ud fra kommunens forhold" in text
    assert ("Modellen forklarer" in text) != ("Ikke meningsfuld:" in text)
    assert "indikatoren er selv en af de strukturelle variable" in body(aarhus.get("/indikator/folketal/"))


def test_chosen_peers_are_drawn_beside_the_municipality_and_unknown_codes_ignored(aarhus):
    text = body(aarhus.get("/indikator/normering-0-2/?med=851&med=999"))
    figure = text[text.index("<figure") : text.index("</figure>")]
    assert "Aalborg" in figure and "Storbykommuner" in figure
    assert "Vis de 4 mest lignende kommuner" in text


def test_a_municipality_without_values_for_an_indicator_sees_missing_not_zero(aarhus):
    from lokalkompas.indicators.models import Observation

    Observation.objects.filter(series="normering-0-2", geo_id="751").update(value=None, status="missing")
    text = body(aarhus.get("/indikator/normering-0-2/"))
    assert "Aarhus har ikke et tal for" in text
    assert "mangler" in text
