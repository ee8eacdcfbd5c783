"""The API's versions kept current in each web process by PostgreSQL notifications (docs/decisions/0022).

Every API answer depends on the content revision and the data version (api.data.Versions): the ETag is
made from them, and the per-process look-ups and held series are keyed on them. Reading them is a round
trip to the database on every request, cached answers and 304s included. On PostgreSQL a thread per
process instead listens on CHANNEL, which a trigger on each of the two tables notifies at every commit
that changes them (migration api/0003), re-reads the versions when told (and every HEARTBEAT_S anyway),
and requests take its copy.

A request reads the database itself whenever the copy cannot be trusted: before the thread's first read,
while its connection is down, when the copy is older than STALE_AFTER_S (the thread is stuck), inside a
transaction (which may see its own uncommitted writes), and after an API write in this process until the
thread has read again. A commit in another process reaches this one when its notification does: within
milliseconds, not at once.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from lokalkompas.api.data import Versions, read_versions

logger = logging.getLogger(__name__)

CHANNEL = "lokalkompas_versions"  # the trigger function of migration api/0003 notifies this channel
HEARTBEAT_S = 2.0  # the thread re-reads at least this often, notified or not
STALE_AFTER_S = 3 * HEARTBEAT_S  # an older copy means the thread is stuck: requests read the database
RETRY_S = 1.0  # after a lost connection, wait this long before connecting again


class VersionWatcher:
    """One thread listening for changes to the versions, and the copy it keeps."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self.reads = 0  # reads by the thread: tests and the bench watch it
        self.backend_pid: int | None = None  # the listening connection's server process
        self._known: tuple[Versions, float] | None = None  # the versions and when they were read
        self._generation = 0  # forget() counts up, so a read started before it is not kept
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def current(self) -> Versions | None:
        """The versions as of the thread's last read, or None when they cannot be trusted."""
        known = self._known
        if known is None or time.monotonic() - known[1] > STALE_AFTER_S:
            return None
        return known[0]

    def forget(self) -> None:
        """After a write in this process: read the database until the thread has read again."""
        with self._lock:
            self._generation += 1
            self._known = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():  # every request asks: no lock for that
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="lokalkompas-versions", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stops the thread and closes its connection (within HEARTBEAT_S)."""
        self._stopping.set()
        self._wake()
        thread = self._thread
        if thread is not None:
            thread.join(HEARTBEAT_S + 5)
        self._thread = None
        self._known = None

    def _wake(self) -> None:
        """A notification of our own, so that a thread waiting for one sees the stop at once."""
        if self._thread is None or connections[self.alias].vendor != "postgresql":
            return
        try:
            with connections[self.alias].cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, 'stop')", [CHANNEL])
        except DatabaseError:
            pass  # then it sees the stop within HEARTBEAT_S

    def _run(self) -> None:
        while not self._stopping.is_set():
            db = connections.create_connection(self.alias)
            try:
                self._listen(db)
            except DatabaseError as exc:  # the database restarted or went away: requests read it themselves
                logger.warning("Lokalkompas' API lost its notification connection: %s", exc)
            except Exception:  # a bug must not end the thread: one thread retrying, not one per request
                logger.exception("Lokalkompas' API notification thread failed")
            finally:
                self._known = None
                self.backend_pid = None
                db.close()
            self._stopping.wait(RETRY_S)

    def _listen(self, db: BaseDatabaseWrapper) -> None:
        with db.cursor() as cursor:
            cursor.execute("LISTEN " + CHANNEL)
        self.backend_pid = db.connection.info.backend_pid
        # Listening before reading: a change committed after the read is notified, and psycopg keeps a
        # notification that arrives during a read for the next notifies().
        while not self._stopping.is_set():
            generation = self._generation
            versions = read_versions(db)
            with self._lock:
                if generation == self._generation:
                    self._known = (versions, time.monotonic())
            self.reads += 1
            with db.wrap_database_errors:
                for _notification in db.connection.notifies(timeout=HEARTBEAT_S, stop_after=1):
                    pass


_WATCHER = VersionWatcher()


def watcher() -> VersionWatcher:
    return _WATCHER


def request_versions() -> Versions:
    """The versions an API request answers from: the thread's copy when it can be trusted, else read now."""
    if settings.API_VERSION_WATCH and connection.vendor == "postgresql" and not connection.in_atomic_block:
        _WATCHER.start()  # the first API request of a process starts it (after gunicorn's fork)
        known = _WATCHER.current()
        if known is not None:
            return known
    return read_versions()


def after_write() -> None:
    """An API write in this process: its next requests must see it, before the notification arrives."""
    _WATCHER.forget()
