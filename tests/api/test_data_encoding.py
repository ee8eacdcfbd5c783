"""/api/v1/data's fast path: JSON written as text, look-ups kept per version, gzip at level 1.

The answer must stay what it was: the bytes json.dumps made of the row dicts, valid against DataPage,
every row with its source, vintage and status, and fresh after a load or a registry change.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import math

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import given
from hypothesis import strategies as st

from lokalkompas.api.api import _data_rows
from lokalkompas.api.encode import RowTuple, VintageInfo, data_json, json_number
from lokalkompas.api.schemas import DataPage
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.registry import revision
from lokalkompas.registry.models import Geography
from tests.api.conftest import get

INDICATOR = "normering-0-2"

# Any text a code, a name or a label might hold: quotes, backslashes, control characters, æøå, emoji.
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
rows = st.lists(
    st.tuples(
        st.sampled_from(["normering-0-2", "ledighed", 'a"b']),
        st.sampled_from(["101", "751", "000", "Ø\\1"]),
        texts,
        texts,
        st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**20), 10**20)),
        st.sampled_from(["ok", "missing", "demo", "æ\u2028"]),
        st.integers(1, 6),
    ),
    max_size=40,
)
vintage_infos = st.dictionaries(st.integers(1, 5), st.tuples(texts, texts, st.one_of(st.none(), texts)))


@given(rows, st.dictionaries(st.sampled_from(["101", "751", "Ø\\1"]), texts), vintage_infos, st.none() | texts)
def test_the_fast_json_is_byte_for_byte_what_json_dumps_makes_of_the_row_dicts(
    found: list[RowTuple], names: dict[str, str], vintages: dict[int, VintageInfo], next_cursor: str | None
) -> None:
    expected = json.dumps({"rows": _data_rows(found, names, vintages), "next_cursor": next_cursor}, ensure_ascii=False)
    assert data_json(found, names, vintages, next_cursor) == expected


def test_values_are_written_as_json_dumps_writes_them() -> None:
    for value in (None, 0.0, -0.0, 1.5, 1e-05, 1e22, 123456789.125, math.nan, math.inf, -math.inf, 7):
        assert json_number(value) == json.dumps(value)


def _reference_rows(indicator: str, geos: list[str]) -> list[dict[str, object]]:
    """The rows as the ORM gives them, independently of the API's code: key order, vintage and name."""
    names = dict(Geography.objects.values_list("code", "name"))
    found = Observation.objects.filter(series=indicator, geo_id__in=geos).select_related("vintage")
    return [
        {
            "indicator": o.series,
            "geo": o.geo_id,
            "geo_name": names[o.geo_id],
            "period": o.period,
            "breakdown": o.breakdown,
            "value": o.value,
            "status": o.status,
            "source": o.vintage.source,
            "vintage_id": o.vintage_id,
            "vintage_label": o.vintage.label,
            "vintage_loaded_at": DjangoJSONEncoder().default(o.vintage.loaded_at),
        }
        for o in found.order_by("series", "geo_id", "period", "breakdown")
    ]


@pytest.mark.django_db
def test_a_data_page_holds_the_stored_rows_with_source_vintage_and_status_within_its_schema(demo_db, client) -> None:
    response = get(client, f"/api/v1/data?indicator={INDICATOR}&geo=101,751,461")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    page = DataPage.model_validate_json(response.content)
    assert page.next_cursor is None
    body = json.loads(response.content)
    assert body["rows"] == _reference_rows(INDICATOR, ["101", "461", "751"])
    # normering-0-2 is computed from demo inputs: a derived vintage, values marked demo or missing.
    assert {r["source"] for r in body["rows"]} == {"derived"}
    assert {r["status"] for r in body["rows"]} == {"demo", "missing"}
    assert {r["geo_name"] for r in body["rows"]} == {"København", "Odense", "Aarhus"}


@pytest.mark.django_db
def test_a_new_request_for_several_series_read_before_costs_the_versions_and_the_rows_only(
    demo_db, client, django_assert_max_num_queries
) -> None:
    url = f"/api/v1/data?indicator={INDICATOR},ledighed&geo=101,751&period_from=2019&period_to=2023&limit="
    first = get(client, url + "100")
    # Another URL (not in the answer cache): names, periods and vintages come from the look-ups.
    with django_assert_max_num_queries(2):
        second = get(client, url + "101")
    assert json.loads(second.content) == json.loads(first.content)


@pytest.mark.django_db
def test_the_answer_follows_a_registry_change_and_a_load_at_once(demo_db, client) -> None:
    url = f"/api/v1/data?indicator={INDICATOR}&geo=101&period_from=2019"
    before = json.loads(get(client, url).content)["rows"]
    assert before[0]["geo_name"] == "København"
    Geography.objects.filter(code="101").update(name="Københavns Kommune")
    revision.bump()  # as the registry loader does
    renamed = json.loads(get(client, url).content)["rows"]
    assert {r["geo_name"] for r in renamed} == {"Københavns Kommune"}
    # A load adds a period the look-ups have not seen, in a vintage they have not seen.
    vintage = Vintage.objects.create(source="upload", label="Årsopgørelse ÆØÅ", checksum="z")
    template = Observation.objects.filter(series=INDICATOR, geo_id="101").first()
    assert template is not None
    Observation.objects.create(
        series=INDICATOR, geo_id="101", period="2031", value=3.25, status="ok", vintage=vintage, first_vintage=vintage
    )
    loaded = json.loads(get(client, url).content)["rows"]
    assert loaded[-1] == {
        **loaded[-1],
        "period": "2031",
        "value": 3.25,
        "status": "ok",
        "source": "upload",
        "vintage_id": vintage.pk,
        "vintage_label": "Årsopgørelse ÆØÅ",
    }
    assert dt.datetime.fromisoformat(loaded[-1]["vintage_loaded_at"]) == vintage.loaded_at.replace(
        microsecond=vintage.loaded_at.microsecond // 1000 * 1000
    )
    assert len(loaded) == len(before) + 1


@pytest.mark.django_db
def test_the_gzipped_answer_is_the_plain_answer_compressed(demo_db, client) -> None:
    url = f"/api/v1/data?indicator={INDICATOR}&limit=500"
    plain = get(client, url)
    packed = get(client, url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 10
    assert gzip.decompress(packed.content) == plain.content
    assert "Accept-Encoding" in packed["Vary"] and "Authorization" in packed["Vary"]
    assert packed["ETag"].startswith('W/"')


@pytest.mark.django_db
def test_a_short_answer_is_not_compressed(demo_db, client) -> None:
    response = get(client, "/api/v1/data?indicator=ukendt", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 404
    assert "Content-Encoding" not in response
    assert json.loads(response.content)["kode"] == "ukendt_indikator"
