"""Benchmark: /api/v1/data for one indicator x 98 municipalities x 20 periods under 10 concurrent clients.

Builds a throw-away SQLite data dir with the full demo data (as bench/pages_load.py does, with the server
and client helpers of bench/loadgen.py), serves the app with gunicorn on 127.0.0.1 and a free port, and
asks for the quarterly unemployment indicator (`ledighed`) for the 98 municipalities over the 20 quarters
2021K1–2025K4: 1,960 rows in one page, JSON, gzip-compressed as a client asking for it gets them.
Rate limits are switched off for the run (LOKALKOMPAS_API_RATE_IP=0).

Prints p50 and p95 latency and requests/s for: the trivial `/sundhed/` endpoint (baseline: the same
client, gunicorn and machine overhead), `/api/v1/kommuner` (a small API answer: the API's own
middleware without the store), the data request, and the data request revalidated with its ETag
(If-None-Match, answered 304 without reading the store). "cached" repeats one URL, so after the first
answer it comes from the answer cache (keyed by ETag; docs/decisions/0013); "uncached" makes every
request a new URL (limit=2000, 2001, ...: the same 1,960 rows), so none is in the answer cache and each
pays the filter over the series' rows (held in memory by each worker after its first request for the
series: docs/decisions/0020), the JSON and the gzip. The ratio column divides each p95 by the baseline's.
Target (issue 11): p95 < 100 ms for the data request. Every answer must be 200 (304 for the
revalidation); anything else counts as an error.
Nothing leaves 127.0.0.1.

Run: .venv/bin/python bench/api_data.py [--requests 400] [--clients 10] [--keep-alive]
Under a throw-away PostgreSQL (the production database) instead of a temporary SQLite database:
     scripts/with-postgres.sh .venv/bin/python bench/api_data.py [--no-watch]
On PostgreSQL each worker keeps the versions from notifications (docs/decisions/0022); --no-watch makes
every request read them, as on SQLite (LOKALKOMPAS_API_VERSION_WATCH=False).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx
from loadgen import HEALTH, REQUEST_TIMEOUT_S, Result, hammer, load_data, running_server, server_env
from pages_load import GUNICORN_OPTIONS

from lokalkompas.registry.data import municipalities

INDICATOR = "ledighed"
PERIODS = ("2021K1", "2025K4")  # 20 quarters
COLD_INDICATOR = "andel-offentligt-forsoergede-kvartal"  # quarterly too, 98 municipalities, not asked before
TARGET_P95_MS = 100.0
EXPECTED_ROWS = 98 * 20
FIRST_LIMIT = 2000  # a page holds every row


def data_url() -> str:
    codes = ",".join(m.code for m in municipalities())
    return f"/api/v1/data?indicator={INDICATOR}&geo={codes}&period_from={PERIODS[0]}&period_to={PERIODS[1]}&limit=2000"


def check_answer(base_url: str, url: str) -> str:
    """The data request answers every row in one page, with source, vintage and status; returns its ETag."""
    response = httpx.get(base_url + url, timeout=REQUEST_TIMEOUT_S)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}:\n{response.text[:2000]}")
    body = response.json()
    rows = body["rows"]
    if len(rows) != EXPECTED_ROWS or body["next_cursor"] is not None:
        sys.exit(f"expected {EXPECTED_ROWS} rows in one page, got {len(rows)} (next_cursor {body['next_cursor']!r})")
    if not all(r["source"] and r["vintage_id"] and r["status"] for r in rows):
        sys.exit("a row lacks its source, vintage or status")
    print(f"answer: {len(rows):,} rows, {len(response.content):,} bytes of JSON", flush=True)
    return response.headers["ETag"]


def cold_ms(base_url: str, url: str) -> float:
    """One request for a series no worker has read yet (after the runs, so the workers are warm): what the
    first request for a series costs after a start or a load, when the worker reads the whole series."""
    start = time.perf_counter()
    response = httpx.get(base_url + url, timeout=REQUEST_TIMEOUT_S)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}:\n{response.text[:2000]}")
    return (time.perf_counter() - start) * 1000


def run(base_url: str, url: str, requests: int, clients: int, keep_alive: bool, headers: dict[str, str]) -> Result:
    """`requests` GETs of `url` from `clients` users, each with its own connection; 304 counts as the answer
    to a revalidation. A `{n}` in the URL is replaced by FIRST_LIMIT + the ticket number, so every request
    is a new URL."""
    expected = 304 if "If-None-Match" in headers else 200
    return hammer(
        base_url, url, requests, clients, keep_alive=keep_alive, headers=headers, expect=expected, first=FIRST_LIMIT
    )


def report(rows: list[tuple[str, Result]]) -> None:
    baseline = rows[0][1].percentile(95)
    print(f"{'request':<24} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} {'p95/base':>9}")
    for label, r in rows:
        p95 = r.percentile(95)
        print(
            f"{label:<24} {r.requests:>8} {r.errors.total():>6} {r.percentile(50):>7.1f} {p95:>7.1f} "
            f"{r.requests / r.wall_s:>7.1f} {p95 / baseline:>9.1f}"
        )
    for label, data in rows[2:]:
        verdict = "yes" if data.percentile(95) < TARGET_P95_MS and not data.errors else "NO"
        print(f"{label}: p95 < {TARGET_P95_MS:.0f} ms: {verdict}")
    for label, r in rows:
        if r.errors:
            print(f"errors on {label}: {', '.join(f'{kind} x{n}' for kind, n in r.errors.most_common())}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=400, help="requests per URL (default 400)")
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients (default 10)")
    parser.add_argument("--keep-alive", action="store_true", help="reuse each client's connection")
    parser.add_argument("--no-watch", action="store_true", help="PostgreSQL: read the versions on every request")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    load_at_start = os.getloadavg()[0]  # well above 0: other work competes for the cores
    data_dir = Path(tempfile.mkdtemp(prefix="lokalkompas-api-data-"))
    try:
        database_url = os.environ.get("DATABASE_URL", "")
        env = server_env(data_dir, database_url or None)
        env["LOKALKOMPAS_API_RATE_IP"] = "0"
        env["LOKALKOMPAS_API_VERSION_WATCH"] = str(not args.no_watch)
        load_data(env)
        url = data_url()
        with running_server(env, data_dir / "gunicorn.log", GUNICORN_OPTIONS) as base_url:
            etag = check_answer(base_url, url)
            gzip = {"Accept-Encoding": "gzip"}
            plan = [
                ("/sundhed/ (baseline)", HEALTH, gzip),
                ("/api/v1/kommuner", "/api/v1/kommuner", gzip),
                ("/api/v1/data, cached", url, gzip),
                ("/api/v1/data, 304", url, {**gzip, "If-None-Match": etag}),
                # A new URL each time (limit 2000, 2001, ...: the same rows): the query, JSON and gzip every time.
                ("/api/v1/data, uncached", url.replace("limit=2000", "limit={n}"), gzip),
            ]
            for _label, path, headers in plan:  # warm every worker
                run(base_url, path, args.clients * 4, args.clients, False, headers)
            results = [
                (label, run(base_url, p, args.requests, args.clients, args.keep_alive, h)) for label, p, h in plan
            ]
            cold = cold_ms(base_url, url.replace(INDICATOR, COLD_INDICATOR))
        connections = "keep-alive" if args.keep_alive else "a new connection per request"
        engine = "PostgreSQL" if database_url else "SQLite"
        print(f"{args.clients} clients, {connections}; {INDICATOR} x 98 municipalities x {PERIODS[0]}–{PERIODS[1]}")
        versions = "from notifications" if database_url and not args.no_watch else "read on every request"
        print(f"database: {engine}; versions {versions}; gunicorn {' '.join(GUNICORN_OPTIONS)}")
        print(f"cores: {os.cpu_count()}; load average (1 min) when the bench started: {load_at_start:.2f}")
        report(results)
        print(f"first request for a series in a worker ({COLD_INDICATOR}, the same shape): {cold:.1f} ms")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
