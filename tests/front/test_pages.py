"""Every page renders with its Danish headings, and bad input gets a Danish answer, never a traceback."""

import pytest
from django.test import Client

from lokalkompas.catalog.models import Area


@pytest.fixture
def client_with(loaded) -> Client:
    return Client()


def text(response) -> str:
    return response.content.decode()


def test_the_front_page_shows_the_eight_areas_and_the_municipality_choice(client_with):
    response = client_with.get("/")
    assert response.status_code == 200
    body = text(response)
    assert '<html lang="da">' in body
    assert "Gå til sidens indhold" in body
    for heading in ("Vælg kommune", "De otte områder"):
        assert heading in body
    for area in Area.objects.all():
        assert f'href="/omraade/{area.id}/"' in body
    assert "Ærø" in body and "Tårnby" in body


def test_the_area_page_shows_themes_questions_duties_and_reforms(client_with):
    response = client_with.get("/omraade/dagtilbud/")
    assert response.status_code == 200
    body = text(response)
    for heading in (
        "Kommunalbestyrelsens opgave",
        "Det fylder nu",
        "Temaer til drøftelse",
        "Lovkrav",
        "Reformer",
    ):
        assert heading in body
    assert body.count("Tema ") >= 5
    assert "Dagtilbudsloven § 19 a" in body
    assert "Kilde: KL (2026)" in body
    assert "tema 1" in body


@pytest.mark.parametrize(
    "area_id", ["skole", "social", "beskaeftigelse", "aeldre", "sundhed", "plan-klima-miljoe", "beredskab"]
)
def test_every_area_page_renders(client_with, area_id):
    response = client_with.get(f"/omraade/{area_id}/")
    assert response.status_code == 200
    assert Area.objects.get(pk=area_id).name in text(response)


def test_an_unknown_area_is_a_danish_404(client_with):
    response = client_with.get("/omraade/kultur/")
    assert response.status_code == 404
    assert "Siden findes ikke" in text(response)


def test_the_calendar_lists_every_year_of_the_term(client_with):
    response = client_with.get("/kalender/")
    assert response.status_code == 200
    body = text(response)
    assert "Valgperiodens kalender 2026–2029" in body
    for year in (2026, 2027, 2028, 2029):
        assert f'id="aar-{year}"' in body
    assert "15. oktober 2027" in body  # the yearly budget deadline, repeated
    assert "31. december 2027" in body  # planstrategi


def test_the_calendar_filters_by_area(client_with):
    body = text(client_with.get("/kalender/?omraade=beredskab"))
    assert "Beredskabsplan og risikobaseret dimensionering revideres" in body
    assert "Planstrategien offentliggøres" not in body
    assert "Budgettet vedtages" not in body


def test_the_calendar_explains_an_unknown_area_filter(client_with):
    response = client_with.get("/kalender/?omraade=kultur")
    assert response.status_code == 400
    assert "Området „kultur“ findes ikke" in text(response)


def test_the_about_page_names_sources_licence_and_how_to_cite(client_with):
    body = text(client_with.get("/om/"))
    for heading in ("Datakilder", "Licens", "Sådan henviser du til Lokalkompas"):
        assert heading in body
    assert "Mozilla Public License 2.0" in body
    assert "<td>2026</td>" in body  # years are never written with a thousands separator
    assert "Dataforsyningen" in body and "KOMGRP" in body
    assert "Statistikbank" in body and "mærket DEMO" in body


def test_choosing_a_municipality_remembers_it_and_returns_to_the_page(client_with):
    response = client_with.get("/kommune/", {"kommune": "751", "next": "/kalender/"})
    assert response.status_code == 302 and response["Location"] == "/kalender/"
    body = text(client_with.get("/"))
    assert "Du ser Lokalkompas for <strong>Aarhus Kommune</strong>" in body
    assert '<option value="751" selected>' in body


def test_an_unknown_municipality_code_gets_a_danish_error(client_with):
    response = client_with.get("/kommune/", {"kommune": "411"})
    assert response.status_code == 400
    assert "Kommunekoden „411“ findes ikke" in text(response)


def test_the_municipality_choice_never_redirects_to_another_site(client_with):
    response = client_with.get("/kommune/", {"kommune": "101", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_forged_cookie_is_ignored(client_with):
    client_with.cookies["kommune"] = "'; drop table"
    assert "Vælg din kommune" in text(client_with.get("/"))


@pytest.mark.django_db
def test_the_front_page_explains_an_empty_catalogue():
    body = text(Client().get("/"))
    assert "Kataloget er ikke indlæst endnu" in body


@pytest.mark.django_db
def test_an_indicator_page_without_any_data_says_so_instead_of_failing():
    response = Client().get("/indikator/normering-0-2/")
    assert response.status_code == 200
    assert "Der er ingen tal for indikatoren endnu." in response.content.decode()


def test_the_map_without_any_data_says_there_are_no_numbers(client_with):
    text = client_with.get("/kort/").content.decode()
    assert "Der er ingen tal for indikatoren endnu." in text


def test_the_footer_links_to_the_accessibility_statement_set_by_the_operator(client_with, settings):
    assert 'href="/tilgaengelighed/">Tilgængelighedserklæring' in client_with.get("/").content.decode()
    assert "WCAG 2.1 niveau AA" in client_with.get("/tilgaengelighed/").content.decode()
    settings.ACCESSIBILITY_URL = "https://www.was.digst.dk/kommune-dk"
    assert 'href="https://www.was.digst.dk/kommune-dk"' in client_with.get("/").content.decode()


def test_the_health_endpoint_answers_ok(client_with):
    response = client_with.get("/sundhed/")
    assert response.status_code == 200 and response.content == b"ok\n"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/omraade/dagtilbud/",
        "/omraade/dagtilbud/indikatorer/",
        "/indikator/normering-0-2/",
        "/sammenlign/",
        "/kort/",
        "/lovkrav/",
    ],
)
def test_every_data_page_works_for_a_chosen_municipality_before_any_data_is_loaded(client_with, path):
    client_with.cookies["kommune"] = "751"
    response = client_with.get(path)
    assert response.status_code == 200, path
    page = text(response)
    assert "DEMO" not in page  # nothing is shown as demo when nothing is loaded
    assert "Traceback" not in page


def test_the_empty_dashboard_says_there_is_nothing_yet_rather_than_zeros(client_with):
    client_with.cookies["kommune"] = "751"
    page = text(client_with.get("/"))
    assert "Ingen indikatorer at sammenligne endnu." in page
    assert "Ingen nye perioder, reviderede tal eller ændrede lovkravsresultater" in page
    assert "0 bedre" not in page
