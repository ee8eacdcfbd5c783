"""On PostgreSQL each web process keeps the API's versions from notifications (docs/decisions/0022).

These tests commit (transaction=True), because PostgreSQL sends a notification only when a transaction
commits. The heartbeat is set to a minute, so a re-read within the test's wait can only come from a
notification.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from django.db import connection, transaction

from lokalkompas.api import watch
from lokalkompas.api.data import read_versions
from lokalkompas.api.watch import VersionWatcher, request_versions
from lokalkompas.indicators.models import Observation, Vintage
from lokalkompas.registry import revision
from lokalkompas.registry.loader import load_registry
from tests.api.conftest import get

WAIT_S = 15.0  # generous: a notification arrives in milliseconds, but CI machines are busy

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="notifications are PostgreSQL's; SQLite reads the versions each time"
)


def eventually(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture
def watching(settings, monkeypatch) -> Iterator[VersionWatcher]:
    """The process's watcher, running, with a heartbeat too slow to matter; stopped afterwards."""
    settings.API_VERSION_WATCH = True
    monkeypatch.setattr(watch, "HEARTBEAT_S", 60.0)
    monkeypatch.setattr(watch, "STALE_AFTER_S", 600.0)
    watcher = watch.watcher()
    watcher.start()
    assert eventually(lambda: watcher.current() is not None)
    yield watcher
    watcher.stop()


def a_load(label: str) -> Vintage:
    """What every load does to the versions: a new vintage, committed."""
    return Vintage.objects.create(source="upload", label=label, checksum=label)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_committed_load_reaches_the_watcher_by_notification(watching) -> None:
    before = watching.current()
    a_load("Ny indlæsning")
    assert eventually(lambda: watching.current() != before)
    assert watching.current() == read_versions()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_committed_edit_of_goals_or_catalogue_reaches_the_watcher(watching) -> None:
    before = watching.current()
    with transaction.atomic():
        revision.bump()
    assert eventually(lambda: watching.current() != before)
    assert watching.current() is not None and watching.current().content[0] == before.content[0] + 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_load_notifies_nothing(watching) -> None:
    reads = watching.reads
    with pytest.raises(RuntimeError), transaction.atomic():
        a_load("Fortrudt")
        raise RuntimeError("fortryd")
    time.sleep(0.5)  # time for a notification that should not come
    assert watching.reads == reads
    a_load("Den næste")  # committed after the rolled-back one: its notification is the first to arrive
    assert eventually(lambda: watching.reads > reads)
    assert watching.reads == reads + 1
    assert watching.current() == read_versions()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_api_request_answers_from_the_watchers_copy_without_any_query(
    watching, client, django_assert_num_queries
) -> None:
    load_registry()
    vintage = a_load("Ledighed")
    for period in ("2024K1", "2024K2", "2024K3"):
        Observation.objects.create(
            series="ledighed",
            geo_id="101",
            period=period,
            value=4.5,
            status="ok",
            vintage=vintage,
            first_vintage=vintage,
        )
    a_load("Efter rækkerne")  # the rows above are written after the first vintage's notification
    assert eventually(lambda: watching.current() == read_versions())
    url = "/api/v1/data?indicator=ledighed&geo=101&limit="
    first = get(client, url + "10")  # reads the names, the series and its vintages
    with django_assert_num_queries(0):  # another URL, not in the answer cache: no versions read, no health check
        second = get(client, url + "11")
    assert second.status_code == 200 and second.content == first.content
    assert [row["period"] for row in second.json()["rows"]] == ["2024K1", "2024K2", "2024K3"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_after_an_api_write_this_process_reads_the_database_until_the_watcher_has_read_again(watching) -> None:
    watch.after_write()
    assert watching.current() is None
    vintage = a_load("Skrevet her")
    assert request_versions().data[1] == vintage.pk  # read from the database, not from the old copy
    assert eventually(lambda: watching.current() is not None)
    assert watching.current() == read_versions()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_a_request_reads_its_own_uncommitted_writes(watching) -> None:
    known = watching.current()
    with transaction.atomic():
        vintage = a_load("Ikke gemt endnu")
        assert request_versions().data[1] == vintage.pk
        assert watching.current() == known


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_lost_connection_is_made_again_and_requests_read_the_database_meanwhile(watching) -> None:
    pid = watching.backend_pid
    assert pid is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert eventually(lambda: watching.backend_pid not in (None, pid) and watching.current() is not None)
    vintage = a_load("Efter genopkobling")
    assert eventually(lambda: watching.current() is not None and watching.current().data[1] == vintage.pk)


def test_an_old_copy_is_not_trusted(monkeypatch) -> None:
    """A thread that stopped reading (stuck, or starved of time) must not hold requests to old versions."""
    watcher = VersionWatcher()
    versions = watch.Versions((3, None), (5, 7, None))
    watcher._known = (versions, time.monotonic())
    assert watcher.current() == versions
    watcher._known = (versions, time.monotonic() - watch.STALE_AFTER_S - 1)
    assert watcher.current() is None


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_without_the_setting_every_request_reads_the_database(settings, django_assert_num_queries) -> None:
    settings.API_VERSION_WATCH = False
    vintage = a_load("Uden lytter")
    with django_assert_num_queries(1):
        assert request_versions().data[1] == vintage.pk
    assert watch.watcher().backend_pid is None  # no thread was started
