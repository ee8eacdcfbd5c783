"""JSON log lines: one object per line with time, level, logger, message and the request it belongs to."""

from __future__ import annotations

import json
import logging
import sys

from lokalkompas.server.logs import JsonFormatter, request_id, request_path


def record(name: str, message: str, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = sys.exc_info() if exc else None
    return logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, exc_info)


def test_a_line_outside_a_request_has_time_level_logger_and_message():
    line = JsonFormatter().format(record("lokalkompas.sources", "Tabel %s: %d rækker", "FOLK1A", 3))
    entry = json.loads(line)
    assert entry.keys() == {"time", "level", "logger", "message"}
    assert entry["level"] == "WARNING" and entry["logger"] == "lokalkompas.sources"
    assert entry["message"] == "Tabel FOLK1A: 3 rækker" and entry["time"].endswith("+00:00")
    assert "\n" not in line


def test_a_line_inside_a_request_names_the_request_and_an_exception_stays_on_one_line():
    tokens = request_id.set("r-1"), request_path.set("/omraade/skole/")
    try:
        try:
            raise ValueError("kan ikke læses\nanden linje")
        except ValueError:
            line = JsonFormatter().format(record("django.request", "Fejl", exc=True))
    finally:
        request_id.reset(tokens[0])
        request_path.reset(tokens[1])
    entry = json.loads(line)
    assert entry["request_id"] == "r-1" and entry["path"] == "/omraade/skole/"
    assert "ValueError: kan ikke læses" in entry["exception"]
    assert "\n" not in line
