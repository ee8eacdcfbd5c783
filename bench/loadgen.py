"""A small closed-loop load generator, shared by the bench scripts and the load and fault tests.

Closed loop: each simulated user (a thread with its own httpx client, cookie jar and connection) sends a
request, waits for the answer, and sends the next; no think time, so the offered load is as high as the
server lets it be. Per label (a page type or one URL) it keeps every answer's latency and counts every
other outcome (an unexpected status or a transport error) by kind. Also here: starting gunicorn on a
free local port and loading the data with `lokalkompas` commands. Nothing leaves 127.0.0.1.

Why not locust: one more heavy dependency (gevent, Flask) for what ~200 lines of threads and httpx do;
at the 10-50 users we simulate, threads are not the bottleneck on a 2-core machine (the server is).
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HEALTH = "/sundhed/"
START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0
SETUP_COMMANDS = [["migrate", "--no-input"], ["registry", "load"], ["catalog", "load"], ["demo", "load"]]


@dataclass(frozen=True)
class Request:
    """One request a user sends: `label` groups it in the report (a page type, or the URL itself)."""

    label: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    expect: int = 200


@dataclass
class Result:
    label: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    wall_s: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.errors.total()

    def percentile(self, p: int) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]

    def merge(self, other: Result) -> None:
        self.latencies_ms.extend(other.latencies_ms)
        self.errors.update(other.errors)


# A user's next request, given its number and its own random generator; None ends that user's loop.
NextRequest = Callable[[int, random.Random], Request | None]


def closed_loop(
    base_url: str,
    users: int,
    next_request: NextRequest,
    *,
    cookies: Callable[[int], Mapping[str, str]] | None = None,
    keep_alive: bool = False,
    seed: int = 0,
) -> dict[str, Result]:
    """Run `users` threads until each one's `next_request` says None; the results per label.

    Without keep-alive every request opens a new connection, as behind a proxy without upstream
    keep-alive: gunicorn's workers then share the requests evenly instead of each keeping whichever
    long-lived connections it happened to accept.
    """
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1 if keep_alive else 0)

    def user(number: int) -> dict[str, Result]:
        rng = random.Random(seed * 100_003 + number)  # seeded per user: the same run picks the same pages
        results: dict[str, Result] = {}
        jar = dict(cookies(number)) if cookies else {}
        with httpx.Client(base_url=base_url, cookies=jar, timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
            while (request := next_request(number, rng)) is not None:
                result = results.setdefault(request.label, Result(request.label))
                start = time.perf_counter()
                try:
                    status = client.get(request.url, headers=dict(request.headers)).status_code
                except httpx.HTTPError as exc:
                    result.errors[type(exc).__name__] += 1
                    continue
                if status == request.expect:
                    result.latencies_ms.append((time.perf_counter() - start) * 1000)
                else:
                    result.errors[f"HTTP {status}"] += 1
        return results

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as executor:
        parts = list(executor.map(user, range(users)))
    wall = time.perf_counter() - start
    merged: dict[str, Result] = {}
    for part in parts:
        for label, result in part.items():
            merged.setdefault(label, Result(label)).merge(result)
    for result in merged.values():
        result.wall_s = wall
    return merged


def tickets(requests: int, make: Callable[[int], Request]) -> NextRequest:
    """`requests` requests in all, shared by the users; `make` gets the ticket number."""
    counter, lock = iter(range(requests)), threading.Lock()

    def next_request(_user: int, _rng: random.Random) -> Request | None:
        with lock:
            ticket = next(counter, None)
        return None if ticket is None else make(ticket)

    return next_request


def for_duration(seconds: float, pick: Callable[[int, random.Random], Request]) -> NextRequest:
    """Requests chosen by `pick` until `seconds` have passed (a user finishes its request under way)."""
    deadline = time.monotonic() + seconds

    def next_request(user: int, rng: random.Random) -> Request | None:
        return pick(user, rng) if time.monotonic() < deadline else None

    return next_request


def hammer(
    base_url: str,
    url: str,
    requests: int,
    clients: int,
    *,
    keep_alive: bool = False,
    headers: Mapping[str, str] | None = None,
    cookies: Mapping[str, str] | None = None,
    expect: int = 200,
    first: int = 0,
) -> Result:
    """`requests` GETs of one URL from `clients` users. A `{n}` in the URL becomes `first` + the ticket number."""
    made = tickets(requests, lambda n: Request(url, url.replace("{n}", str(first + n)), headers or {}, expect))
    jar = dict(cookies or {})
    results = closed_loop(base_url, clients, made, cookies=lambda _n: jar, keep_alive=keep_alive)
    return results.get(url, Result(url))


def error_lines(results: Mapping[str, Result]) -> list[str]:
    return [
        f"errors on {label}: {', '.join(f'{kind} x{n}' for kind, n in r.errors.most_common())}"
        for label, r in results.items()
        if r.errors
    ]


# --- the server ------------------------------------------------------------------------------------


def server_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment for every subprocess: our own data dir (and SQLite database unless `database_url`),
    development mode, no debug."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "STATIC_ROOT", "SECRET_KEY", "SECRET_KEY_FILE"):
        env.pop(name, None)  # a developer's PostgreSQL or static folder must not be used or touched
    if database_url:
        env["DATABASE_URL"] = database_url
    env["LOKALKOMPAS_DATA_DIR"] = str(data_dir)
    env["LOKALKOMPAS_ENV"] = "development"  # production refuses to start without a secret key
    # DEBUG=True records every SQL query and keeps template debug info: overhead production does not pay.
    env["DEBUG"] = "False"
    env["LOKALKOMPAS_LOG_LEVEL"] = "WARNING"
    return env


class CommandFailed(RuntimeError):
    """A `lokalkompas` command exited non-zero; the message holds the end of its output."""


def lokalkompas(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`lokalkompas ARGS` in a subprocess; raises with the command's output when it fails."""
    # `python -m lokalkompas` is the `lokalkompas` console script of whichever venv runs this.
    done = subprocess.run(
        [sys.executable, "-m", "lokalkompas", *args], env=dict(env), cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-4000:]  # the end of a traceback says what went wrong
        raise CommandFailed(f"lokalkompas {' '.join(args)} failed ({done.returncode}):\n{tail}")
    return done


def load_data(env: Mapping[str, str], commands: list[list[str]] = SETUP_COMMANDS) -> None:
    for args in commands:
        start = time.perf_counter()
        lokalkompas(env, *args)
        print(f"setup: lokalkompas {' '.join(args)}: {time.perf_counter() - start:.1f} s", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerFailed(RuntimeError):
    """gunicorn exited or did not answer in time; the message holds its log."""


def wait_until_up(base_url: str, server: subprocess.Popen[bytes], log: Path, path: str = HEALTH) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerFailed(f"gunicorn exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(base_url + path, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.2)
    log_text = log.read_text(errors="replace")
    raise ServerFailed(f"gunicorn did not answer {path} within {START_TIMEOUT_S:.0f} s:\n{log_text}")


@contextmanager
def running_server(env: Mapping[str, str], log: Path, options: list[str]) -> Iterator[str]:
    """gunicorn with `options` on a free local port, yielding its base URL; always stopped afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "lokalkompas.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        server = subprocess.Popen([*command, *options], env=dict(env), cwd=ROOT, stdout=out, stderr=out)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(base_url, server, log)
        yield base_url
    finally:
        server.terminate()  # SIGTERM: gunicorn stops its workers gracefully
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def log_in(base_url: str, username: str, password: str) -> dict[str, str]:
    """Sign in through the login form (CSRF token and all); the cookies of the signed-in session."""
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_S) as client:
        form = client.get("/log-ind/")
        marker = 'name="csrfmiddlewaretoken" value="'
        start = form.text.index(marker) + len(marker)
        token = form.text[start : form.text.index('"', start)]
        answer = client.post(
            "/log-ind/", data={"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            raise ServerFailed(f"log-in as {username} failed: HTTP {answer.status_code}")
        return dict(client.cookies.items())
