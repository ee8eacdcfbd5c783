"""/api/v1/data and the read endpoints against the demo set: filters, pagination, CSV, ETag, gzip."""

from __future__ import annotations

import gzip
import json

import pytest

from lokalkompas.indicators.models import Observation
from tests.api.conftest import get

pytestmark = pytest.mark.django_db
INDICATOR = "normering-0-2"


def _all_pages(client, url: str, cursor: str | None = None) -> tuple[list[dict], int]:
    rows, pages = [], 0
    while True:
        response = get(client, url + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["rows"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return rows, pages


def test_it_pages_through_every_row_once(demo_db, client):
    rows, pages = _all_pages(client, f"/api/v1/data?indicator={INDICATOR}&limit=97")
    keys = [(r["indicator"], r["geo"], r["period"], r["breakdown"]) for r in rows]
    assert pages > 2
    assert len(keys) == len(set(keys)) == Observation.objects.filter(series=INDICATOR).count()


def test_it_keeps_pages_stable_when_rows_are_added_between_requests(demo_db, client):
    url = f"/api/v1/data?indicator={INDICATOR}&geo=101,751&limit=5"
    before = [(r["geo"], r["period"]) for r in _all_pages(client, url)[0]]
    first = get(client, url).json()
    # A period that sorts before the cursor arrives between two requests: later pages neither shift nor repeat.
    template = Observation.objects.filter(series=INDICATOR, geo_id="101").first()
    assert template is not None
    template.pk, template.period = None, "2000"
    template.save()
    rest, _ = _all_pages(client, url, first["next_cursor"])
    assert [(r["geo"], r["period"]) for r in first["rows"] + rest] == before


def test_it_filters_by_municipalities_period_range_and_status(demo_db, client):
    body = get(client, f"/api/v1/data?indicator={INDICATOR}&geo=101&geo=751&period_from=2020&period_to=2022").json()
    assert {r["geo"] for r in body["rows"]} == {"101", "751"}
    assert {r["period"] for r in body["rows"]} == {"2020", "2021", "2022"}
    none = get(client, f"/api/v1/data?indicator={INDICATOR}&status=ok").json()
    assert none["rows"] == []


def test_it_marks_every_demo_row_with_status_source_and_vintage(demo_db, client):
    rows = get(client, f"/api/v1/data?indicator={INDICATOR}&geo=101").json()["rows"]
    assert rows
    for row in rows:
        assert row["status"] in ("demo", "missing", "confidential")
        assert row["source"] and row["vintage_id"] and row["vintage_label"] and row["vintage_loaded_at"]


def test_it_answers_csv_with_the_same_rows_and_the_next_cursor_in_a_header(demo_db, client):
    response = get(client, f"/api/v1/data?indicator={INDICATOR}&geo=101&limit=3&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:7] == ["indicator", "geo", "geo_name", "period", "breakdown", "value", "status"]
    assert len(lines) == 4
    assert lines[1].split(";")[6] == "demo"
    assert "," in lines[1].split(";")[5] or lines[1].split(";")[5] == ""
    assert response["X-Next-Cursor"]


def test_it_answers_304_to_a_repeated_request_with_the_etag(demo_db, client):
    url = f"/api/v1/data?indicator={INDICATOR}&geo=101"
    first = get(client, url)
    assert first["ETag"] and first["Last-Modified"]
    assert get(client, url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert get(client, url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    other = get(client, url + "&limit=2", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200


def test_it_answers_304_with_the_weak_etag_of_a_gzipped_answer(demo_db, client):
    url = f"/api/v1/data?indicator={INDICATOR}"
    first = get(client, url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["ETag"].startswith('W/"')
    again = get(client, url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_it_changes_the_etag_when_data_are_loaded(demo_db, client):
    from lokalkompas.indicators.models import Vintage

    url = f"/api/v1/data?indicator={INDICATOR}&geo=101"
    before = get(client, url)["ETag"]
    Vintage.objects.create(source="manual", label="Ny indlæsning", checksum="x")
    after = get(client, url, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_it_gzips_large_answers_for_clients_that_accept_it(demo_db, client):
    response = get(client, f"/api/v1/data?indicator={INDICATOR}", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["rows"]


def test_it_ranks_the_98_municipalities_with_caveats(demo_db, client):
    body = get(client, f"/api/v1/benchmark?indicator={INDICATOR}").json()
    assert len(body["rows"]) == 98
    assert body["caveats"]
    ranked = [r for r in body["rows"] if r["rank"] is not None]
    assert ranked[0]["rank"] == 1


def test_it_explains_why_municipalities_are_similar(demo_db, client):
    body = get(client, "/api/v1/ligner?geo=751&k=5").json()
    assert len(body["neighbours"]) == 5
    assert "751" not in {n["geo"] for n in body["neighbours"]}
    assert body["demo"] is True
    assert all(n["explanation"].startswith("mest ens på") for n in body["neighbours"])
    assert abs(sum(c["share"] for c in body["neighbours"][0]["contributions"]) - 1) < 1e-6


def test_it_evaluates_the_legal_rules_marked_as_demo(demo_db, client):
    body = get(client, "/api/v1/lovkrav?geo=101").json()
    assert body["results"]
    assert body["results"][0]["rule"] == "minimumsnormering"
    assert body["results"][0]["demo"] is True


def test_it_lists_the_catalogue_municipalities_and_indicators(demo_db, client):
    assert len(get(client, "/api/v1/kommuner").json()) == 98
    assert {a["id"] for a in get(client, "/api/v1/omraader").json()} >= {"dagtilbud", "skole"}
    indicators = get(client, "/api/v1/indikatorer?area=dagtilbud").json()
    assert INDICATOR in {i["id"] for i in indicators}
    assert {i["area"] for i in indicators} == {"dagtilbud"}


def test_it_pages_changes_since_a_date(demo_db, client):
    first = get(client, "/api/v1/aendringer?siden=2000-01-01&geo=101&limit=10").json()
    assert len(first["changes"]) == 10
    second = get(client, f"/api/v1/aendringer?siden=2000-01-01&geo=101&limit=10&cursor={first['next_cursor']}").json()
    assert not {json.dumps(c) for c in first["changes"]} & {json.dumps(c) for c in second["changes"]}


def test_it_answers_a_repeated_request_from_the_answer_cache(demo_db, client, django_assert_max_num_queries):
    url = f"/api/v1/data?indicator={INDICATOR}&geo=101"
    first = get(client, url)
    # Only the two version reads behind the ETag: no query of the store, vintages or names.
    with django_assert_max_num_queries(2):
        second = get(client, url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_it_does_not_serve_a_cached_answer_after_a_load(demo_db, client):
    url = f"/api/v1/data?indicator={INDICATOR}&geo=101&period_from=2025&period_to=2025"
    before = get(client, url).json()["rows"]
    Observation.objects.filter(series=INDICATOR, geo_id="101", period="2025").update(value=99.5)
    from lokalkompas.indicators.models import Vintage

    Vintage.objects.create(source="manual", label="Rettelse", checksum="y")
    after = get(client, url).json()["rows"]
    assert before[0]["value"] != 99.5
    assert after[0]["value"] == 99.5
