"""Benchmark: the dashboard, an area page and an indicator page under 20 concurrent clients.

Builds a throw-away SQLite data dir with the full demo data (migrate, registry, catalogue, demo load:
about half a minute), serves the app with gunicorn on 127.0.0.1 and a free port, warms every page, then
sends N requests per page from 20 concurrent clients with the municipality cookie `kommune=751` (Aarhus).
Prints, per URL, p50 and p95 latency, requests/s and the ratio of the p95 to that of the trivial
`/sundhed/` endpoint under the same load in the same run (a baseline that carries the same client,
gunicorn and machine overhead). Target (issue 6): p95 < 150 ms for each page on a 2-core machine.
Every answer must be 200; anything else counts as an error. Nothing leaves 127.0.0.1.
After the warm-up the pages come from the whole-page cache (docs/decisions/0006): the warm-up lines show
the cost of a first, uncached visit; the table shows what visitors get until the next data load.

Run: .venv/bin/python bench/pages_load.py [--requests 400] [--clients 20] [--keep-alive]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HEALTH = "/sundhed/"
PAGES = ["/", "/omraade/dagtilbud/", "/indikator/normering-0-2/"]
COOKIES = {"kommune": "751"}  # Aarhus
MUNICIPALITY_NAME = "Aarhus"  # must appear on the warmed pages, or the cookie was ignored
TARGET_P95_MS = 150.0
SETUP_COMMANDS = [["migrate", "--no-input"], ["registry", "load"], ["catalog", "load"], ["demo", "load"]]
# 2 cores: one worker process per core, because page rendering is CPU-bound Python and one process
# cannot use two cores past the GIL. gthread with 4 threads each lets a worker overlap the few
# moments a request waits (SQLite reads, socket writes) and keeps idle keep-alive connections off
# its threads; more threads would only add GIL contention. The bench client shares the 2 cores.
GUNICORN_OPTIONS = ["--workers", "2", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"]
START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Result:
    url: str
    latencies_ms: list[float]
    errors: Counter[str]
    wall_s: float

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.errors.total()

    def percentile(self, p: int) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]


def server_env(data_dir: Path) -> dict[str, str]:
    """The environment for every subprocess: our own SQLite data dir, development mode, no debug."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "STATIC_ROOT", "SECRET_KEY", "SECRET_KEY_FILE"):
        env.pop(name, None)  # a developer's PostgreSQL or static folder must not be used or touched
    env["LOKALKOMPAS_DATA_DIR"] = str(data_dir)
    env["LOKALKOMPAS_ENV"] = "development"  # production refuses to start without a secret key
    # DEBUG=True records every SQL query and keeps template debug info: overhead production does not pay.
    env["DEBUG"] = "False"
    env["LOKALKOMPAS_LOG_LEVEL"] = "WARNING"
    return env


def load_data(env: dict[str, str]) -> None:
    for args in SETUP_COMMANDS:
        start = time.perf_counter()
        # `python -m lokalkompas` is the `lokalkompas` console script of whichever venv runs this bench.
        done = subprocess.run(
            [sys.executable, "-m", "lokalkompas", *args], env=env, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            tail = (done.stdout + done.stderr)[-4000:]  # the end of a traceback says what went wrong
            sys.exit(f"lokalkompas {' '.join(args)} failed ({done.returncode}):\n{tail}")
        print(f"setup: lokalkompas {' '.join(args)}: {time.perf_counter() - start:.1f} s", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(base_url + HEALTH, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {HEALTH} within {START_TIMEOUT_S:.0f} s:\n{log.read_text(errors='replace')}")


@contextmanager
def running_server(env: dict[str, str], data_dir: Path) -> Iterator[str]:
    """gunicorn on a free local port, yielding its base URL; always stopped afterwards."""
    port = free_port()
    log = data_dir / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "lokalkompas.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        server = subprocess.Popen([*command, *GUNICORN_OPTIONS], env=env, cwd=ROOT, stdout=out, stderr=out)
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


def warm(base_url: str, urls: list[str], clients: int) -> None:
    """First requests render and cache the charts and load the definitions in each worker process.

    One request per page fills the shared on-disk chart cache; a concurrent round then reaches every
    worker, so the measured requests see steady state rather than one worker's first-request cost.
    """
    with httpx.Client(base_url=base_url, cookies=COOKIES, timeout=REQUEST_TIMEOUT_S) as client:
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                sys.exit(f"warm-up: {url} answered {response.status_code}:\n{response.text[:2000]}")
            if url != HEALTH and MUNICIPALITY_NAME not in response.text:
                sys.exit(f"warm-up: {url} does not mention {MUNICIPALITY_NAME}; is the cookie honoured?")
            print(f"warm-up: {url}: first request {elapsed:.0f} ms, {len(response.content):,} bytes", flush=True)
    for url in urls:
        load(base_url, url, clients * 4, clients, keep_alive=False)


def client_loop(
    client: httpx.Client, url: str, tickets: Iterator[int], lock: threading.Lock
) -> tuple[list[float], Counter[str]]:
    """Take tickets until none are left; the latency of each 200, the kind of every other outcome."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    while True:
        with lock:
            if next(tickets, None) is None:
                return latencies, errors
        start = time.perf_counter()
        try:
            status = client.get(url).status_code
        except httpx.HTTPError as exc:
            errors[type(exc).__name__] += 1
            continue
        if status == 200:
            latencies.append((time.perf_counter() - start) * 1000)
        else:
            errors[f"HTTP {status}"] += 1


def load(base_url: str, url: str, requests: int, clients: int, keep_alive: bool) -> Result:
    """`requests` GETs of `url` shared by `clients` threads, each with its own connection pool.

    Without keep-alive every request opens a new connection, as behind a proxy without upstream
    keep-alive; gunicorn's workers then share the requests evenly instead of each keeping whichever
    long-lived connections it happened to accept.
    """
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1 if keep_alive else 0)
    tickets, lock = iter(range(requests)), threading.Lock()
    pools = [
        httpx.Client(base_url=base_url, cookies=COOKIES, timeout=REQUEST_TIMEOUT_S, limits=limits)
        for _ in range(clients)
    ]
    try:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as executor:
            parts = list(executor.map(lambda c: client_loop(c, url, tickets, lock), pools))
        wall = time.perf_counter() - start
    finally:
        for pool in pools:
            pool.close()
    return Result(url, [ms for part, _ in parts for ms in part], sum((e for _, e in parts), Counter()), wall)


def report(results: list[Result]) -> None:
    health_p95 = results[0].percentile(95)
    print(
        f"{'url':<28} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} "
        f"{'p95/health':>10}  p95 < {TARGET_P95_MS:.0f} ms"
    )
    for r in results:
        p95 = r.percentile(95)
        verdict = "-" if r.url == HEALTH else ("yes" if p95 < TARGET_P95_MS and not r.errors else "NO")
        print(
            f"{r.url:<28} {r.requests:>8} {r.errors.total():>6} {r.percentile(50):>7.1f} {p95:>7.1f} "
            f"{r.requests / r.wall_s:>7.1f} {p95 / health_p95:>10.1f}  {verdict}"
        )
    for r in results:
        if r.errors:
            print(f"errors on {r.url}: {', '.join(f'{kind} x{n}' for kind, n in r.errors.most_common())}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=400, help="requests per URL (default 400)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--keep-alive", action="store_true", help="reuse each client's connection")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    # Read before our own setup adds to it: well above 0 means other work (a test suite, say) competes
    # with the server and the client for the cores, and every latency comes out pessimistic.
    load_at_start = os.getloadavg()[0]
    data_dir = Path(tempfile.mkdtemp(prefix="lokalkompas-pages-load-"))
    try:
        env = server_env(data_dir)
        load_data(env)
        urls = [HEALTH, *PAGES]
        with running_server(env, data_dir) as base_url:
            warm(base_url, urls, args.clients)
            results = [load(base_url, url, args.requests, args.clients, args.keep_alive) for url in urls]
        connections = "keep-alive" if args.keep_alive else "a new connection per request"
        print(f"gunicorn {' '.join(GUNICORN_OPTIONS)}; {args.clients} clients, {connections}")
        print(f"cores: {os.cpu_count()}; load average (1 min) when the bench started: {load_at_start:.2f}")
        report(results)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
