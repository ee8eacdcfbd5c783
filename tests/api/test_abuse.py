"""Malformed, oversized and unknown query parameters: a 4xx with a stable code and a Danish sentence."""

from __future__ import annotations

import pytest

from tests.api.conftest import get

pytestmark = pytest.mark.django_db

CASES = [
    ("/api/v1/data?indicator=normering-0-2&limit=abc", 422, "ugyldig_parameter", "'limit' skal være et helt tal"),
    ("/api/v1/data?indicator=normering-0-2&limit=0", 422, "ugyldig_parameter", "'limit' er for lille"),
    ("/api/v1/data?indicator=normering-0-2&limit=1000000", 422, "ugyldig_parameter", "'limit' er for stor"),
    ("/api/v1/data", 422, "ugyldig_parameter", "'indicator' mangler"),
    ("/api/v1/data?indicator=" + "x" * 500, 400, "for_lang_vaerdi", "'indicator' er for lang"),
    ("/api/v1/data?indicator=" + "x" * 1001, 422, "ugyldig_parameter", "'indicator' er for lang"),
    ("/api/v1/data?indicator=normering-0-2&geo=" + ",".join(["101"] * 121), 400, "for_mange_vaerdier", "'geo'"),
    ("/api/v1/data?indicator=findes-ikke", 404, "ukendt_indikator", "ingen indikator"),
    ("/api/v1/data?indicator=normering-0-2&geo=999", 404, "ukendt_omraade", "Ukendt områdekode"),
    ("/api/v1/data?indicator=normering-0-2&period_from=2024X9", 422, "ugyldig_parameter", "'period_from' har ikke"),
    ("/api/v1/maal?geo=abc", 422, "ugyldig_parameter", "'geo' har ikke den rette form"),
    ("/api/v1/data?indicator=normering-0-2&status=rigtig", 422, "ugyldig_parameter", "'status' har en værdi"),
    ("/api/v1/data?indicator=normering-0-2&cursor=%%%", 400, "ugyldig_cursor", "'cursor' er ugyldig"),
    ("/api/v1/data?indicator=normering-0-2&cursor=WzFd", 400, "ugyldig_cursor", "'cursor' er ugyldig"),
    ("/api/v1/data?indicator=normering-0-2&format=xml", 422, "ugyldig_parameter", "'format'"),
    ("/api/v1/data?" + "&".join(["geo=101"] * 200) + "&indicator=normering-0-2", 422, "ugyldig_parameter", "'geo'"),
    ("/api/v1/data?indicator=normering-0-2&geo=" + "1" * 5000, 414, "for_lang_forespoergsel", "for lang"),
    ("/api/v1/ligner?geo=101&k=500", 422, "ugyldig_parameter", "'k' er for stor"),
    ("/api/v1/ligner?geo=081", 404, "ukendt_kommune", "Ukendt kommunekode"),
    ("/api/v1/lovkrav", 422, "ugyldig_parameter", "'geo' mangler"),
    ("/api/v1/benchmark?indicator=normering-0-2&period=1800", 404, "ingen_data", "ingen tal"),
    ("/api/v1/aendringer?siden=i-går&geo=101", 422, "ugyldig_parameter", "'siden' skal være en dato"),
    ("/api/v1/aendringer?siden=1900-01-01&geo=101", 400, "ugyldig_dato", "'siden'"),
    ("/api/v1/maal?geo=999", 404, "ukendt_kommune", "Ukendt kommunekode"),
    ("/api/v1/findes-ikke", 404, "ukendt_adresse", "findes ikke"),
]


@pytest.mark.parametrize(("url", "status", "code", "words"), CASES)
def test_it_answers_bad_requests_with_a_danish_error_body(catalogued, client, url, status, code, words):
    response = get(client, url)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["kode"] == code
    assert words in body["besked"]
    assert "Traceback" not in response.content.decode()


def test_it_refuses_other_methods_in_json(catalogued, client):
    response = client.post("/api/v1/kommuner")
    assert response.status_code == 405
    assert response.json()["kode"] == "metode_ikke_tilladt"


def test_it_writes_the_limits_in_its_messages_as_danish_numbers(catalogued, client):
    body = get(client, "/api/v1/data?indicator=normering-0-2&limit=1000000").json()
    assert "(højst 5.000)" in body["besked"]
    long = get(client, "/api/v1/kommuner?x=" + "1" * 5000).json()
    assert "4.096 tegn" in long["besked"]
