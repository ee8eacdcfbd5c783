"""The page cache: a second visit is served from the cache, and any write makes the page fresh again."""

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lokalkompas.legal.service import register_decision
from lokalkompas.registry import revision
from tests.front.pages import body


def test_a_second_visit_is_served_from_the_cache_with_one_query(aarhus):
    first = aarhus.get("/lovkrav/")
    with CaptureQueriesContext(connection) as queries:
        second = aarhus.get("/lovkrav/")
    assert second.content == first.content and second.status_code == 200
    assert len(queries) <= 2  # the revision (and the session/auth layer at most)


def test_registering_a_decision_shows_at_once_on_the_cached_page(aarhus):
    assert "KB 1/9 2026 pkt. 99" not in body(aarhus.get("/lovkrav/"))
    register_decision("751", "planstrategi", dt.date(2026, 9, 1), "KB 1/9 2026 pkt. 99", timezone.localdate())
    assert "KB 1/9 2026 pkt. 99" in body(aarhus.get("/lovkrav/"))


def test_the_municipality_cookie_and_the_query_are_part_of_the_key(aarhus):
    aalborg = Client()
    aalborg.cookies["kommune"] = "851"
    assert "Lovkrav for Aarhus Kommune" in body(aarhus.get("/lovkrav/"))
    assert "Lovkrav for Aalborg Kommune" in body(aalborg.get("/lovkrav/"))
    assert "Børn pr. voksen i daginstitutioner, 3–5 år" in body(aarhus.get("/kort/?indikator=normering-3-5"))


def test_the_revision_counts_up_and_records_when(registry):
    before, _ = revision.current()
    revision.bump()
    after, changed_at = revision.current()
    assert after == before + 1 and changed_at is not None
