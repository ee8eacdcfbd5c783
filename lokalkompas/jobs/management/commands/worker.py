"""`lokalkompas worker [--en-gang] [--interval S] [--max-opgaver N]`: run the jobs started in the browser.

A thin wrapper over django-tasks-db's worker (the loop behind its `db_worker` command): it claims one queued
task at a time with a row lock, so several workers may run side by side. Ours adds Danish help and a worker
id an operator can find in the log (host and process id instead of a random string).
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Annotated

import typer
from django.core.management import CommandError
from django_tasks_db.management.commands.db_worker import Worker
from django_typer.management import TyperCommand

from lokalkompas.jobs.models import Job

QUEUE = "default"
LIBRARY_LOGGERS = ("django_tasks", "django_tasks_db")


class Command(TyperCommand):
    help = (
        "Kør de opgaver, der er startet i browseren (nye tal fra Danmarks Statistik, PDF og Word af oplæg), "
        "efterhånden som de kommer i kø. Stop med Ctrl+C eller SIGTERM: en opgave i gang gøres færdig først."
    )

    def handle(
        self,
        en_gang: Annotated[
            bool, typer.Option("--en-gang", help="Kør de opgaver, der venter nu, og stop så (til cron og test).")
        ] = False,
        interval: Annotated[float, typer.Option("--interval", help="Sekunder mellem to kig i en tom kø.")] = 1.0,
        max_opgaver: Annotated[
            int | None, typer.Option("--max-opgaver", help="Stop efter så mange opgaver (frigør hukommelse).")
        ] = None,
    ) -> None:
        if not 0 <= interval <= 3600:
            raise CommandError("--interval skal være mellem 0 og 3600 sekunder.", returncode=2)
        if max_opgaver is not None and max_opgaver < 1:
            raise CommandError("--max-opgaver skal være mindst 1.", returncode=2)
        handlers = self._log_to_stdout()
        worker = Worker(
            queue_names=[QUEUE],
            interval=interval,
            batch=en_gang,
            backend_name="default",
            startup_delay=not en_gang,  # spreads several workers' first look; a one-off run should not wait
            max_tasks=max_opgaver,
            worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
            excluded_queue_names=[],
        )
        queued = Job.objects.filter(state=Job.State.QUEUED).count()
        self.stdout.write(f"Lokalkompas' baggrundsproces kører ({worker.worker_id}); {queued} opgaver i kø.")
        worker.configure_signals()
        try:
            worker.run()
        finally:
            worker.reset_signals()  # run in-process (tests, `--en-gang`), the caller gets its signals back
            for name, handler in handlers:
                logging.getLogger(name).removeHandler(handler)

    def _log_to_stdout(self) -> list[tuple[str, logging.Handler]]:
        """The library logs each task's start and end (with a failure's traceback) to loggers nobody listens
        to by default; while the worker runs, they write to its output."""
        added: list[tuple[str, logging.Handler]] = []
        for name in LIBRARY_LOGGERS:
            library = logging.getLogger(name)
            library.setLevel(logging.INFO)
            if not library.handlers:
                handler = logging.StreamHandler(self.stdout)
                library.addHandler(handler)
                added.append((name, handler))
        return added
