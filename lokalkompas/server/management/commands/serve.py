"""`lokalkompas serve`: the web server for production (gunicorn) with our defaults."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from django.conf import settings
from django.db import connections
from django_typer.management import TyperCommand

from lokalkompas.server.gunicorn import ServeOptions, default_workers, gunicorn_argv


class Command(TyperCommand):
    help = "Start webserveren (gunicorn) til drift; adgangsloggen skrives på stdout."
    # The checks run again in every worker when Django starts there.
    requires_system_checks: list[str] = []

    def handle(
        self,
        bind: Annotated[
            str,
            typer.Option("--bind", help="Adresse og port (fx 127.0.0.1:8000) eller unix:/sti/til/socket."),
        ] = "127.0.0.1:8000",
        workers: Annotated[
            int | None,
            typer.Option("--workers", min=1, help="Antal processer (standard: antal CPU'er, mindst 2, højst 8)."),
        ] = None,
        threads: Annotated[int, typer.Option("--threads", min=1, help="Tråde pr. proces.")] = 4,
        timeout: Annotated[
            int, typer.Option("--timeout", min=1, help="Sekunder, før en hængende forespørgsel afbrydes.")
        ] = 120,
    ) -> None:
        options = ServeOptions(
            bind=bind,
            workers=workers or default_workers(),
            threads=threads,
            timeout=timeout,
            log_format=settings.LOG_FORMAT,
        )
        argv = gunicorn_argv(options)
        self.stderr.write(
            f"Lokalkompas starter på {bind} med {options.workers} processer × {threads} tråde (gunicorn)."
        )
        sys.stderr.flush()
        connections.close_all()
        # gunicorn replaces this process: the service manager's stop signal reaches its master directly, and
        # the master starts without this process's Django state (no connections or threads across fork).
        os.execv(sys.executable, argv)
