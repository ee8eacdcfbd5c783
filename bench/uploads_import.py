"""Benchmark: importing a 100,000-row upload (the `maanedsforbrug` CSV template) on SQLite and on PostgreSQL.

Builds one CSV as Danish Excel saves it (UTF-8 with a byte-order mark, `;`, CRLF, numbers like
`12.345,6`, municipality codes, periods `1990M01`): 98 municipalities x 1,021 months, cut at 100,000
rows, each with the template's 8 value columns (800,000 values). The monthly template is the only one
that can reach 100,000 distinct (municipality, period) rows, and only with months from 1990M01 on into
the future (the reader accepts years 1990–2100): an unrealistic file, used for its size alone.

Each database gets a fresh, throw-away database in its own subprocess (Django settings are per
process): SQLite in a temporary LOKALKOMPAS_DATA_DIR; PostgreSQL on a server this script starts the way
scripts/with-postgres.sh does (initdb in a temporary folder, 127.0.0.1 on a free port, as `nobody` when
run as root; default durability settings, unlike the test script) and removes afterwards. Without
`initdb`/`postgres` the PostgreSQL run is skipped with a message. Then: migrate, `registry load`,
`catalog load`, and the steps of `lokalkompas import FILE`, timed once each: read + check
(`check_file`), `preview`, `receive` (keeps the file), `import_checked` (values, indicator
recomputation, legal results and goal statuses, in one transaction), and their total.

Baselines in the same run: a plain polars `read_csv` of the same bytes with the Danish numbers turned
into floats and unpivoted to the long frame (for read + check), and `write_observations` of the same
800,000 values under other series names (for the import; it runs after the import, into the filled
table). Target (issue 8): total under 10 s.

Run: .venv/bin/python bench/uploads_import.py [--rows 100000] [--database sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import glob
import io
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from lokalkompas.registry.data import municipalities
from lokalkompas.sources.uploads.templates import shipped_templates

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "maanedsforbrug"
FIRST_YEAR = 1990  # the earliest year the reader accepts
TARGET_S = 10.0
SEED = 8
# Monthly spending of an average municipality, 1.000 kr., per template column (scaled per municipality).
LEVELS = {
    "dagtilbud": 25_000,
    "skole": 40_000,
    "social": 35_000,
    "beskaeftigelse": 30_000,
    "aeldre": 45_000,
    "sundhed": 12_000,
    "plan-klima-miljoe": 6_000,
    "beredskab": 1_800,
}
RESULT = "RESULT "
DANISH = str.maketrans(",.", ".,")


# --- the file ------------------------------------------------------------------------------------


def build_csv(rows: int, value_columns: int = 8) -> tuple[bytes, str]:
    """The upload file and a description of its periods; the first `value_columns` of the template's
    columns (a file may hold a subset, as a municipality with only some accounts would send)."""
    template = shipped_templates()[TEMPLATE]
    columns = [c.id for c in template.columns]
    assert set(columns) == set(LEVELS), f"the {TEMPLATE} template's columns changed: {columns}"
    columns = columns[:value_columns]
    codes = [m.code for m in municipalities()]
    months = -(-rows // len(codes))
    if FIRST_YEAR + (months - 1) // 12 > 2100:
        sys.exit(f"{rows:,} rows need more months than 1990–2100 holds for {len(codes)} municipalities")
    periods = [f"{FIRST_YEAR + i // 12}M{i % 12 + 1:02d}" for i in range(months)]
    rng = np.random.default_rng(SEED)
    size = rng.lognormal(0.0, 0.6, len(codes))  # municipalities differ in size
    geo_index = np.tile(np.arange(len(codes)), months)[:rows]
    values = {}
    for column in columns:
        level = LEVELS[column] * size[geo_index] * (1 + 0.08 * rng.standard_normal(rows))
        level[rng.random(rows) < 0.002] *= -0.05  # the odd correction: refunds make a month negative
        values[column] = np.round(level, 1)
    out = io.StringIO()
    out.write("\ufeff" + ";".join(["kommune", "periode", *columns]) + "\r\n")
    for i in range(rows):
        cells = [f"{values[c][i]:,.1f}".translate(DANISH) for c in columns]
        out.write(f"{codes[geo_index[i]]};{periods[i // len(codes)]};{';'.join(cells)}\r\n")
    last = periods[(rows - 1) // len(codes)]
    return out.getvalue().encode("utf-8"), f"{periods[0]}–{last} ({months:,} months)"


def polars_baseline(data: bytes) -> pl.DataFrame:
    """The same file to the long frame in plain polars: strings, Danish numbers to floats, unpivot."""
    raw = pl.read_csv(data, separator=";", infer_schema=False)
    raw = raw.rename({raw.columns[0]: raw.columns[0].lstrip("\ufeff")})
    columns = [c for c in raw.columns if c in LEVELS]
    numbers = raw.with_columns(
        pl.col(c).str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True).cast(pl.Float64)
        for c in columns
    )
    return numbers.unpivot(on=columns, index=["kommune", "periode"]).drop_nulls("value")


# --- the worker: one database, one process ---------------------------------------------------------


class Stopwatch:
    """Seconds and database queries spent inside named functions of a module, and the queries in total."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.queries: dict[str, int] = {}
        self.calls: dict[str, int] = {}
        self.total_queries = 0
        self._inside: list[str] = []

    def count_query(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.total_queries += 1
        for name in self._inside:
            self.queries[name] = self.queries.get(name, 0) + 1
        return execute(sql, params, many, context)

    def wrap(self, module: Any, name: str) -> None:
        original = getattr(module, name)

        def timed_call(*args: Any, **kwargs: Any) -> Any:
            self._inside.append(name)
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
                self.calls[name] = self.calls.get(name, 0) + 1
                self._inside.pop()

        setattr(module, name, timed_call)

    def reset(self) -> None:
        self.seconds.clear()
        self.queries.clear()
        self.calls.clear()
        self.total_queries = 0


def worker(path: Path) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalkompas.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lokalkompas.indicators.models import Observation, Vintage
    from lokalkompas.indicators.store import write_observations
    from lokalkompas.sources.uploads import service

    for args in (["migrate", "--no-input"], ["registry", "load"], ["catalog", "load"]):
        start = time.perf_counter()
        call_command(*args, stdout=io.StringIO())
        print(f"setup: lokalkompas {' '.join(args)}: {time.perf_counter() - start:.1f} s", flush=True)

    from lokalkompas.indicators.definitions import shipped_definitions
    from lokalkompas.sources.uploads.templates import shipped_templates

    start = time.perf_counter()
    shipped_definitions(), shipped_templates()  # cached per process; `lokalkompas import` pays it each run
    print(f"setup: definitions and templates loaded: {time.perf_counter() - start:.1f} s (once per process)")
    data = path.read_bytes()
    watch = Stopwatch()
    for name in ("read_upload", "check", "write_observations", "compute_indicators", "record_results"):
        watch.wrap(service, name)
    watch.wrap(service, "record_statuses")
    result: dict[str, Any] = {"vendor": connection.vendor}
    with connection.execute_wrapper(watch.count_query):
        phases: dict[str, float] = {}
        queries: dict[str, int] = {}

        def phase(label: str, fn: Callable[[], Any]) -> Any:
            watch.total_queries = 0
            start = time.perf_counter()
            value = fn()
            phases[label] = time.perf_counter() - start
            queries[label] = watch.total_queries
            return value

        checked = phase("check", lambda: service.check_file(path.name, data, allowed=None))
        if not checked.ok or checked.data_rows != len(data.splitlines()) - 1:
            sys.exit(f"the bench file did not check clean: {[p.describe(path.name) for p in checked.errors[:5]]}")
        inner = dict(watch.seconds)
        watch.reset()
        shown = phase("preview", lambda: service.preview(checked))
        upload = phase("receive", lambda: service.receive(path.name, data, None, checked))
        watch.wrap(service, "preview")  # from here on, only the preview that import_checked repeats
        watch.reset()
        upload = phase("import", lambda: service.import_checked(checked, upload))
        inner |= watch.seconds
        result["inner_queries"] = dict(watch.queries)
        result["calls"] = dict(watch.calls)
        if upload.new_values != checked.frame.height or shown.new_count != checked.frame.height:
            sys.exit(f"expected {checked.frame.height:,} new values, the import counted {upload.new_values:,}")

        other = checked.frame.with_columns(("bench-" + pl.col("series")).alias("series"))
        phase("baseline_write", lambda: write_observations(other, source=Vintage.Source.UPLOAD, label="bench"))
    result["baseline_read"] = min(_seconds(lambda: polars_baseline(data)) for _ in range(3))
    result |= {"phases": phases, "queries": queries, "inner": inner, "values": checked.frame.height}
    result["stored"] = Observation.objects.count()
    result["derived"] = Observation.objects.filter(vintage__source=Vintage.Source.DERIVED).count()
    print(RESULT + json.dumps(result), flush=True)


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# --- the parent: the file, the databases, the table ------------------------------------------------


def base_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "STATIC_ROOT", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)  # a developer's database or static folder must not be used or touched
    env["LOKALKOMPAS_DATA_DIR"] = str(data_dir)
    env["LOKALKOMPAS_ENV"] = "development"
    env["DEBUG"] = "False"  # DEBUG=True keeps every SQL query in memory: overhead production does not pay
    env["LOKALKOMPAS_LOG_LEVEL"] = "WARNING"
    return env


def run_worker(label: str, env: dict[str, str], csv_path: Path) -> dict[str, Any]:
    print(f"== {label}", flush=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(csv_path)]
    start = time.perf_counter()
    with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        found: dict[str, Any] | None = None
        for line in process.stdout:
            if line.startswith(RESULT):
                found = json.loads(line.removeprefix(RESULT))
            else:
                print(f"   {line.rstrip()}", flush=True)
    if process.returncode != 0 or found is None:
        sys.exit(f"the {label} run failed ({process.returncode}); see above")
    print(f"   whole run: {time.perf_counter() - start:.1f} s", flush=True)
    return found


def postgres_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for directory in [*reversed(candidates), *(str(Path(w).parent) for w in [shutil.which("initdb")] if w)]:
        if all((Path(directory) / tool).is_file() for tool in ("initdb", "postgres", "pg_ctl", "createdb")):
            return Path(directory)
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_server(bindir: Path) -> Iterator[str]:
    """A throw-away PostgreSQL on 127.0.0.1 (as `nobody` when we are root); yields its DATABASE_URL."""
    as_root = os.geteuid() == 0
    workdir = Path(tempfile.mkdtemp(prefix="lokalkompas-bench-pg-"))

    def run(*args: str) -> None:
        command = ["runuser", "-u", "nobody", "--", *args] if as_root else list(args)
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            log = workdir / "server.log"
            server_log = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            sys.exit(f"{Path(args[0]).name} failed ({done.returncode}):\n{done.stdout}{done.stderr}{server_log}")

    port = free_port()
    data = workdir / "data"
    try:
        if as_root:
            nobody = pwd.getpwnam("nobody")
            os.chown(workdir, nobody.pw_uid, nobody.pw_gid)
        run(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "lokalkompas",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )
        options = f"-h 127.0.0.1 -p {port} -k {workdir}"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(workdir / "server.log"), "-w", "-o", options, "start")
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "lokalkompas", "lokalkompas")
        version = subprocess.run([str(bindir / "postgres"), "--version"], capture_output=True, text=True).stdout
        print(f"PostgreSQL {version.split()[2]} on 127.0.0.1:{port}", flush=True)
        yield f"postgres://lokalkompas@127.0.0.1:{port}/lokalkompas"
    finally:
        stop = [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(["runuser", "-u", "nobody", "--", *stop] if as_root else stop, capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


ROWS = [
    ("read + check (check_file)", "phase", "check"),
    ("  reading the CSV", "inner", "read_upload"),
    ("  checking the rows", "inner", "check"),
    ("preview", "phase", "preview"),
    ("receive (keep the file)", "phase", "receive"),
    ("import (import_checked)", "phase", "import"),
    ("  preview, again", "inner", "preview"),
    ("  write the values", "inner", "write_observations"),
    ("  recompute indicators", "inner", "compute_indicators"),
    ("  legal results", "inner", "record_results"),
    ("  goal statuses", "inner", "record_statuses"),
]
STEPS = ("check", "preview", "receive", "import")


def report(results: dict[str, dict[str, Any]]) -> None:
    names = list(results)
    width = 30
    print(f"\n{'':<{width}}" + "".join(f"{n:>22}" for n in names))

    def line(label: str, cells: list[str]) -> None:
        print(f"{label:<{width}}" + "".join(f"{c:>22}" for c in cells))

    def cell(r: dict[str, Any], kind: str, key: str) -> str:
        seconds = (r["phases"] if kind == "phase" else r["inner"]).get(key)
        count = (r["queries"] if kind == "phase" else r["inner_queries"]).get(key, 0)
        return "-" if seconds is None else f"{seconds:6.2f} s {count:>5} q"

    for label, kind, key in ROWS:
        line(label, [cell(results[n], kind, key) for n in names])
    totals = {n: sum(results[n]["phases"][s] for s in STEPS) for n in names}
    line("total", [f"{totals[n]:6.2f} s        " for n in names])
    line(f"total < {TARGET_S:.0f} s", [("yes" if totals[n] < TARGET_S else "NO") + " " * 8 for n in names])
    print("baselines in the same run:")
    line("  polars read_csv + parse", [f"{results[n]['baseline_read']:6.2f} s        " for n in names])
    line("  ratio read + check", [f"{results[n]['phases']['check'] / results[n]['baseline_read']:6.1f}" for n in names])
    line("  write_observations alone", [cell(results[n], "phase", "baseline_write") for n in names])
    line(
        "  ratio import",
        [f"{results[n]['phases']['import'] / results[n]['phases']['baseline_write']:6.1f}" for n in names],
    )
    stored = ", ".join(f"{n} {results[n]['stored']:,} ({results[n]['derived']:,} derived)" for n in names)
    print("(s: seconds, one run each, the polars baseline best of 3; q: database queries)")
    print(f"observation rows at the end (the import, the write baseline, derived values): {stored}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="data rows in the file (default 100000)")
    parser.add_argument("--columns", type=int, default=8, help="value columns per row, 1–8 (default 8)")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.worker:
        worker(args.worker)
        return
    load_at_start = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="lokalkompas-bench-uploads-"))
    results: dict[str, dict[str, Any]] = {}
    try:
        start = time.perf_counter()
        data, periods = build_csv(args.rows, args.columns)
        csv_path = workdir / f"{TEMPLATE}.csv"
        csv_path.write_bytes(data)
        print(
            f"file: {csv_path.name}, {args.rows:,} rows x {args.columns} values, {len(data) / 1e6:.1f} MB, "
            f"98 municipalities x periods {periods}; built in {time.perf_counter() - start:.1f} s"
        )
        print(
            "note: one template cannot reach 100,000 distinct (municipality, period) rows with past periods; "
            f"the monthly one does from {FIRST_YEAR}M01 on (the reader accepts 1990–2100)"
        )
        if args.database in ("sqlite", "both"):
            results["SQLite"] = run_worker("SQLite", base_env(workdir / "sqlite"), csv_path)
        if args.database in ("postgresql", "both"):
            bindir = postgres_bindir()
            if bindir is None:
                print("== PostgreSQL: skipped, initdb/postgres are not installed (scripts/system-packages.sh)")
            elif os.geteuid() == 0 and shutil.which("runuser") is None:
                print("== PostgreSQL: skipped, running as root and runuser is missing (postgres refuses root)")
            else:
                with postgres_server(bindir) as url:
                    env = base_env(workdir / "postgresql") | {"DATABASE_URL": url}
                    results["PostgreSQL"] = run_worker("PostgreSQL", env, csv_path)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"cores: {os.cpu_count()}; load average (1 min) at the start: {load_at_start:.2f}, "
        f"at the end: {os.getloadavg()[0]:.2f} (well above 0 means other work competed for the cores)"
    )
    if results:
        report(results)


if __name__ == "__main__":
    main()
