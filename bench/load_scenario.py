"""Load test (issue 12): many users at once across the dashboard, area, indicator, brief and API pages.

Run under a throw-away PostgreSQL (without DATABASE_URL it uses a temporary SQLite database instead):

    scripts/with-postgres.sh .venv/bin/python bench/load_scenario.py [--users 50] [--duration 120]
        [--restart-postgres]

Loads the registry, the catalogue and the demo data (`lokalkompas migrate/registry load/catalog load/demo
load`) and an analyst in Aarhus, starts gunicorn (`lokalkompas.wsgi`, 4 workers x 4 threads) on
127.0.0.1, and warms each page once per worker. Then each of `--users` simulated users (a closed loop:
the next request when the answer has come, no think time) picks pages at random (seeded) for
`--duration` seconds: the dashboard, an area page, an indicator page, a council brief as HTML
(`/oplaeg/vis/?omraade=...`) and the API (`/api/v1/data`, `/api/v1/indikatorer`, `/api/v1/kommuner`).
Each user keeps one of five municipalities (the `kommune` cookie); every fifth user is signed in as the
analyst (members get pages that no anonymous cache holds). The API's per-IP rate limit is off for the
run (every user comes from 127.0.0.1). Prints p50, p95 and the error count per page type, with
`/sundhed/` under the same load as the baseline (the ratio column). Every answer must be 200; anything
else is an error, and the script exits 1 if there was one.

`--restart-postgres` stops PostgreSQL (pg_ctl, fast mode) a third into the run, keeps it down for
`--outage` seconds and starts it again, then measures another `--duration` seconds: errors during the
outage are expected, none after it (gunicorn is not restarted; CONN_HEALTH_CHECKS drops dead connections).
"""

from __future__ import annotations

import argparse
import glob
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
from loadgen import (
    HEALTH,
    SETUP_COMMANDS,
    Request,
    Result,
    closed_loop,
    error_lines,
    for_duration,
    load_data,
    log_in,
    lokalkompas,
    running_server,
    server_env,
    tickets,
)

MUNICIPALITIES = ("751", "101", "461", "851", "147")  # Aarhus, København, Odense, Aalborg, Frederiksberg
AREAS = ("dagtilbud", "skole", "social", "beskaeftigelse", "aeldre", "sundhed", "plan-klima-miljoe", "beredskab")
INDICATOR_PAGES = 12  # indicators per run, the first in the API's list (every area has some)
ANALYST = "belastning@lokalkompas.invalid"
SIGNED_IN_EVERY = 5  # every fifth user is the signed-in analyst
# Page type -> weight: what a council's users open, roughly; the API is a share of its own.
WEIGHTS = {"dashboard": 20, "area": 25, "indicator": 25, "brief": 10, "api": 20}
WORKERS, THREADS = 4, 4


def gunicorn_options(workers: int, threads: int) -> list[str]:
    # More workers than the 2 cores: with PostgreSQL over a socket a request spends part of its time
    # waiting for the database, and 4 processes x 4 threads keep the cores busy through those waits.
    return ["--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads), "--log-level", "warning"]


@dataclass(frozen=True)
class Site:
    """What the users can open, fixed before the run."""

    indicators: list[str]
    api_data: list[str]

    def pick(self, user: int, rng: random.Random) -> Request:
        kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        code = MUNICIPALITIES[user % len(MUNICIPALITIES)]
        if kind == "dashboard":
            return Request("dashboard", "/")
        if kind == "area":
            return Request("area", f"/omraade/{rng.choice(AREAS)}/")
        if kind == "indicator":
            return Request("indicator", f"/indikator/{rng.choice(self.indicators)}/")
        if kind == "brief":
            return Request("brief", f"/oplaeg/vis/?omraade={rng.choice((*AREAS, 'alle'))}")
        api = rng.choice([*(url.format(code=code) for url in self.api_data), "/api/v1/indikatorer", "/api/v1/kommuner"])
        return Request("api", api)

    def every_url(self) -> list[str]:
        return [
            "/",
            *(f"/omraade/{a}/" for a in AREAS),
            *(f"/indikator/{i}/" for i in self.indicators),
            *(f"/oplaeg/vis/?omraade={a}" for a in (*AREAS, "alle")),
        ]


def discover(base_url: str) -> Site:
    """The indicators to visit, from the API itself (so the scenario follows the definitions)."""
    answer = httpx.get(f"{base_url}/api/v1/indikatorer", timeout=30).json()
    items = answer["items"] if isinstance(answer, dict) else answer
    ids = [item["id"] for item in items][:INDICATOR_PAGES]
    api_data = [f"/api/v1/data?indicator={i}&geo={{code}}" for i in ids[:4]]
    return Site(ids, api_data)


def cookies_for(signed_in: Mapping[str, str]) -> Callable[[int], dict[str, str]]:
    def cookies(user: int) -> dict[str, str]:
        jar = {"kommune": MUNICIPALITIES[user % len(MUNICIPALITIES)]}
        if user % SIGNED_IN_EVERY == 0:
            jar |= signed_in  # the analyst belongs to Aarhus (user 0, 5, ... with MUNICIPALITIES[0])
        return jar

    return cookies


def add_analyst(env: Mapping[str, str], work: Path) -> str:
    password = f"Belastning-{random.SystemRandom().randrange(10**12)}"
    secret = work / "analyst-password"
    secret.write_text(password + "\n", encoding="utf-8")
    lokalkompas(env, "users", "add", "--brugernavn", ANALYST, "--kommune", "751", "--rolle", "analytiker",
                "--adgangskode-fil", str(secret))  # fmt: skip
    return password


def warm(base_url: str, site: Site, signed_in: Mapping[str, str], workers: int) -> Result:
    """Every page once per municipality and worker (a cold page cache costs seconds), the analyst's too."""
    urls = site.every_url()
    total = Result("warm-up")
    start = time.perf_counter()
    for code in MUNICIPALITIES:
        made = tickets(len(urls) * workers, lambda n: Request("warm-up", urls[n % len(urls)]))
        member = signed_in if code == MUNICIPALITIES[0] else {}

        def cookies(user: int, code: str = code, member: Mapping[str, str] = member) -> dict[str, str]:
            return {"kommune": code, **(member if user % 2 == 0 else {})}

        total.merge(closed_loop(base_url, workers * 2, made, cookies=cookies)["warm-up"])
    print(f"warm-up: {total.requests} requests in {time.perf_counter() - start:.0f} s", flush=True)
    for line in error_lines({"warm-up": total}):
        print(line)
    return total


def run(
    base_url: str, site: Site, users: int, seconds: float, signed_in: Mapping[str, str], seed: int
) -> dict[str, Result]:
    """The measured run: `users` users for `seconds`, plus one more user asking for the health baseline."""
    health = Request("/sundhed/ (baseline)", HEALTH)

    def pick(user: int, rng: random.Random) -> Request:
        return health if user == users else site.pick(user, rng)

    return closed_loop(base_url, users + 1, for_duration(seconds, pick), cookies=cookies_for(signed_in), seed=seed)


def report(results: Mapping[str, Result], title: str) -> int:
    print(title)
    order = ["/sundhed/ (baseline)", *WEIGHTS]
    baseline = results["/sundhed/ (baseline)"].percentile(95) if "/sundhed/ (baseline)" in results else float("nan")
    print(f"{'page type':<22} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} {'p95/base':>9}")
    for label in order:
        r = results.get(label)
        if r is None:
            continue
        p95 = r.percentile(95)
        print(
            f"{label:<22} {r.requests:>8} {r.errors.total():>6} {r.percentile(50):>7.0f} {p95:>7.0f} "
            f"{r.requests / r.wall_s:>7.1f} {p95 / baseline:>9.1f}"
        )
    for line in error_lines(results):
        print(line)
    return sum(r.errors.total() for r in results.values())


# --- PostgreSQL restart ----------------------------------------------------------------------------


def pg_ctl(data_dir: str, *args: str) -> None:
    """pg_ctl as the server's owner (`nobody` when we are root, as scripts/with-postgres.sh runs it)."""
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[-2].split(".")])
    command = [f"{bindir[-1]}/pg_ctl", "-D", data_dir, *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "nobody", "--", *command]
    subprocess.run(command, check=True, capture_output=True)


def data_directory(database_url: str) -> str:
    import psycopg

    with psycopg.connect(database_url) as connection:
        row = connection.execute("SHOW data_directory").fetchone()
    assert row is not None
    return str(row[0])


def restart_later(database_url: str, after_s: float, outage_s: float) -> threading.Thread:
    """Stop PostgreSQL after `after_s`, start it again `outage_s` later (same options: pg_ctl restart reads
    postmaster.opts), in a thread; prints when it is down and up."""
    folder = data_directory(database_url)
    log = Path(folder).parent / "restart.log"  # beside the data: the server's user (maybe `nobody`) writes it

    def cycle() -> None:
        time.sleep(after_s)
        pg_ctl(folder, "-m", "fast", "-w", "stop")
        print(f"PostgreSQL stopped at {time.strftime('%H:%M:%S')}", flush=True)
        time.sleep(outage_s)
        pg_ctl(folder, "-w", "-l", str(log), "restart")
        print(f"PostgreSQL started at {time.strftime('%H:%M:%S')}", flush=True)

    thread = threading.Thread(target=cycle, name="pg-restart")
    thread.start()
    return thread


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--duration", type=float, default=120, help="seconds of load (default 120)")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"gunicorn workers (default {WORKERS})")
    parser.add_argument("--threads", type=int, default=THREADS, help=f"threads per worker (default {THREADS})")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--no-warm-up", action="store_true", help="measure from cold page caches")
    parser.add_argument("--restart-postgres", action="store_true", help="stop and start PostgreSQL during the run")
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL stays down (default 5)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    load_at_start = os.getloadavg()[0]  # well above 0: other work competes for the cores
    database_url = os.environ.get("DATABASE_URL", "")
    if args.restart_postgres and not database_url.startswith("postgres"):
        sys.exit("--restart-postgres needs DATABASE_URL: run under scripts/with-postgres.sh")
    work = Path(tempfile.mkdtemp(prefix="lokalkompas-load-"))
    try:
        env = server_env(work, database_url or None)
        env["LOKALKOMPAS_API_RATE_IP"] = "0"  # every simulated user comes from 127.0.0.1
        load_data(env, SETUP_COMMANDS)
        password = add_analyst(env, work)
        options = gunicorn_options(args.workers, args.threads)
        with running_server(env, work / "gunicorn.log", options) as base_url:
            site = discover(base_url)
            signed_in = log_in(base_url, ANALYST, password)
            if not args.no_warm_up:
                warm(base_url, site, signed_in, args.workers)
            restart = None
            if args.restart_postgres:
                restart = restart_later(database_url, args.duration / 3, args.outage)
            first = run(base_url, site, args.users, args.duration, signed_in, args.seed)
            after = None
            if restart is not None:
                restart.join()
                after = run(base_url, site, args.users, args.duration, signed_in, args.seed + 1)
        engine = "PostgreSQL" if database_url else "SQLite"
        print(f"gunicorn {' '.join(options)}; {engine}; {args.users} users for {args.duration:.0f} s, closed loop")
        print(f"cores: {os.cpu_count()}; load average (1 min) when the bench started: {load_at_start:.2f}")
        errors = report(first, "with a PostgreSQL restart in it:" if after is not None else "the run:")
        if after is not None:
            errors = report(after, "after the restart (gunicorn not restarted):")
        if errors:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
