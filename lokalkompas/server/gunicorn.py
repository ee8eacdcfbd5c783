"""The gunicorn command line that `lokalkompas serve` runs: our defaults, the operator's choices."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    """One worker process per CPU this process may use, at least 2 (a slow PDF must not hold up every page)
    and at most 8 (each worker holds its own page and chart caches in memory)."""
    return max(2, min(len(os.sched_getaffinity(0)), MAX_DEFAULT_WORKERS))


@dataclass(frozen=True)
class ServeOptions:
    bind: str
    workers: int
    threads: int
    timeout: int
    log_format: str


def gunicorn_argv(options: ServeOptions) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "lokalkompas.wsgi:application",
        f"--bind={options.bind}",
        f"--workers={options.workers}",
        # Threads let one process serve other pages while a request waits on the database or a PDF.
        "--worker-class=gthread",
        f"--threads={options.threads}",
        # The whole council's brief as PDF is the slowest request; the proxy's own timeout should be longer.
        f"--timeout={options.timeout}",
        "--graceful-timeout=30",
        "--keep-alive=5",
        # A fresh process now and then bounds what a slow leak (or an ever-growing cache) can take.
        "--max-requests=2000",
        "--max-requests-jitter=200",
        # The heartbeat file in memory, not on a disk that may stall (or be read-only in a container).
        "--worker-tmp-dir=/dev/shm",
        # gunicorn's control socket defaults to ~/.gunicorn/: not writable for a service user, and shared
        # between two instances on one machine.
        "--no-control-socket",
        "--access-logfile=-",
        "--error-logfile=-",
    ]
    if options.log_format == "json":
        argv.append("--logger-class=lokalkompas.server.logs.JsonGunicornLogger")
    return argv
