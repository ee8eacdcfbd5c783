"""Log records as one JSON object per line, with the request they belong to.

Free of Django on purpose: gunicorn's master process imports it (through `JsonGunicornLogger`) before, and
without, loading the application.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
from collections.abc import Mapping
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger  # type: ignore[import-untyped]

# Set by lokalkompas.server.middleware.RequestContextMiddleware for the length of one request.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
request_path: contextvars.ContextVar[str] = contextvars.ContextVar("request_path", default="")

# gunicorn's access-log atoms (https://docs.gunicorn.org/en/stable/settings.html#access-log-format) by the
# field name they get in the JSON line.
ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "user_agent": "a",
    "request_id": "{x-request-id}o",
}
_NUMERIC = frozenset({"status", "bytes", "duration_ms"})


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", ...}`; the request's id and path when the record has them."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry["message"] = "request"
            entry.update(_access_fields(record.args))
        else:
            entry["message"] = record.getMessage()
            if request_id.get():
                entry["request_id"] = request_id.get()
                entry["path"] = request_path.get()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, atom in ACCESS_FIELDS.items():
        value = atoms[atom]
        if value in ("", "-", None):
            continue
        if name in _NUMERIC:
            try:
                value = int(value)
            except (TypeError, ValueError):
                continue
        fields[name] = value
    return fields


class JsonGunicornLogger(GunicornLogger):
    """gunicorn's own logger, but its error and access lines as JSON (`lokalkompas serve` in json mode)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """Django's LOGGING: JSON lines or readable text on stderr, for our loggers and Django's own."""
    formatter = (
        {"()": "lokalkompas.server.logs.JsonFormatter"}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"lokalkompas": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "lokalkompas"}},
        "loggers": {
            "lokalkompas": {"handlers": ["console"], "level": level, "propagate": False},
            # Django's request errors (5xx with the traceback, 4xx as warnings) and security events.
            # (runserver's own access lines, `django.server`, keep Django's handler and format.)
            "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
