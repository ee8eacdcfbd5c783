"""/api/v1/data for one series pages from the series' rows held in memory (docs/decisions/0020).

What a held page gives must be exactly what the database query gives: the same rows in the same order,
the same cursors, the same bytes in JSON and CSV, also when a load deleted the row a cursor points at.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.cache import caches

from lokalkompas.analysis.service import data_version
from lokalkompas.api import data
from lokalkompas.api.data import Versions, forget_lookups, read_versions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.registry import revision
from lokalkompas.registry.models import ContentRevision
from tests.api.conftest import get

FILTERS = [
    "indicator=ledighed",
    "indicator=ledighed&geo=101,751,461,081,000&period_from=2021K1&period_to=2025K4",
    "indicator=ledighed&geo=751,101&period_from=2024K2",
    "indicator=ledighed&period_to=2016K3&status=ok",
    "indicator=normering-0-2&status=missing",
    "indicator=normering-0-2&status=demo&status=missing&geo=147",
    "indicator=normering-0-2&geo=101&period_from=2040",  # no rows
]


def walk(client, query: str, limit: int, fmt: str = "json") -> list[bytes]:
    """Every page of the query, following next_cursor (JSON) or X-Next-Cursor (CSV) to the end."""
    pages, cursor = [], None
    while True:
        url = f"/api/v1/data?{query}&limit={limit}&format={fmt}" + (f"&cursor={cursor}" if cursor else "")
        response = get(client, url)
        assert response.status_code == 200, response.content[:300]
        pages.append(response.content)
        cursor = json.loads(response.content)["next_cursor"] if fmt == "json" else response.get("X-Next-Cursor")
        if not cursor:
            return pages


def from_database(monkeypatch) -> None:
    """Every series counts as too big to hold: each page comes from the database query (and not from the
    answer cache, which would give the held answers back)."""
    monkeypatch.setattr(data, "MAX_SERIES_ROWS", 0)
    forget_lookups()
    caches[settings.API_CACHE].clear()


@pytest.mark.django_db
@pytest.mark.parametrize("query", FILTERS)
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_held_page_is_byte_for_byte_the_page_the_database_gives(demo_db, client, monkeypatch, query, fmt) -> None:
    held = walk(client, query, 137, fmt)
    assert data.lookups(read_versions()).held.series  # the pages came from memory
    from_database(monkeypatch)
    assert walk(client, query, 137, fmt) == held
    assert not data.lookups(read_versions()).held.series  # and these from the database


@pytest.mark.django_db
def test_a_cursor_whose_row_a_load_deleted_continues_where_the_database_says(demo_db, client, monkeypatch) -> None:
    query = "indicator=ledighed&geo=101,751"
    first = json.loads(walk(client, query, 1000)[0])
    gone = first["rows"][9]
    url = f"/api/v1/data?{query}&limit=10&cursor="
    cursor = json.loads(get(client, url.removesuffix("&cursor=")).content)["next_cursor"]
    # A load deletes the row the cursor points at (and, as every load does, makes or deletes a vintage).
    Observation.objects.filter(series="ledighed", geo_id=gone["geo"], period=gone["period"]).delete()
    Vintage.objects.create(source="upload", label="Sletning", checksum="slet")
    after_delete = json.loads(get(client, url + cursor).content)
    assert after_delete["rows"] == first["rows"][10:20]
    from_database(monkeypatch)
    assert json.loads(get(client, url + cursor).content) == after_delete


@pytest.mark.django_db
@pytest.mark.parametrize("query", FILTERS[:4])
def test_geos_whose_periods_differ_are_filtered_each_by_its_own_periods(demo_db, client, monkeypatch, query) -> None:
    """Geos that share their periods share one layout (filtered once per request); a geo with a period
    missing, or an extra breakdown, has its own, and its page is still the database's."""
    Observation.objects.filter(series="ledighed", geo_id="751", period__in=["2022K1", "2024K3"]).delete()
    extra = Observation.objects.filter(series="ledighed", geo_id="101", period="2025K2").get()
    extra.pk, extra.breakdown = None, "mænd"
    extra.save()
    Vintage.objects.create(source="upload", label="Ændring", checksum="lag")
    held = walk(client, query, 29)
    layouts = data.lookups(read_versions()).held.series["ledighed"].layouts
    assert len(set(map(id, layouts.values()))) >= 3 and layouts["461"] is layouts["147"]
    assert "2022K1" not in layouts["751"] and layouts["101"].count("2025K2") == 2
    from_database(monkeypatch)
    assert walk(client, query, 29) == held


@pytest.mark.django_db
def test_a_series_over_the_bound_is_paged_by_the_database_every_time(
    demo_db, client, monkeypatch, django_assert_num_queries
) -> None:
    held = walk(client, "indicator=ledighed&geo=101", 1000)
    monkeypatch.setattr(data, "MAX_SERIES_ROWS", 10)
    forget_lookups()
    caches[settings.API_CACHE].clear()
    assert walk(client, "indicator=ledighed&geo=101", 1000) == held  # reads the series, finds it too big
    with django_assert_num_queries(3):  # the versions, the stored periods, the page's rows
        response = get(client, "/api/v1/data?indicator=ledighed&geo=101&period_from=2020&limit=999")
    assert response.status_code == 200
    assert not data.lookups(read_versions()).held.series


@pytest.mark.django_db
def test_the_rows_held_stay_within_their_bound(demo_db, client, monkeypatch) -> None:
    size = Observation.objects.filter(series="ledighed").count()
    monkeypatch.setattr(data, "MAX_HELD_ROWS", size + 10)
    for indicator, geo in (("ledighed", "101"), ("andel-offentligt-forsoergede-kvartal", "101"), ("ledighed", "751")):
        assert get(client, f"/api/v1/data?indicator={indicator}&geo={geo}").status_code == 200
        held = data.lookups(read_versions()).held
        assert held.held_rows == sum(len(s.rows) for s in held.series.values()) <= size + 10
    assert list(held.series) == ["ledighed"]


@pytest.mark.django_db
def test_a_new_request_for_a_held_series_reads_only_the_versions(demo_db, client, django_assert_num_queries) -> None:
    url = "/api/v1/data?indicator=ledighed&geo=101,751&period_from=2019K1&period_to=2023K4&limit="
    first = get(client, url + "100")
    with django_assert_num_queries(1):  # another URL, so not in the answer cache
        second = get(client, url + "101")
    assert second.content == first.content


@pytest.mark.django_db
def test_the_versions_in_one_statement_are_what_the_two_orm_reads_give(django_assert_num_queries) -> None:
    assert ContentRevision._meta.db_table == "registry_contentrevision"
    assert Vintage._meta.db_table == "indicators_vintage"
    ContentRevision.objects.all().delete()
    before = read_versions()
    assert before == Versions(revision.current(), data_version())
    assert before.content == (0, None)
    revision.bump()
    Vintage.objects.create(source="upload", label="Første", checksum="a")
    newest = Vintage.objects.create(source="derived", label="Anden", checksum="b")
    with django_assert_num_queries(1):
        versions = read_versions()
    assert versions == Versions(revision.current(), data_version())
    assert versions.content[0] == 1
    assert versions.data[:2] == (before.data[0] + 2, newest.pk)
