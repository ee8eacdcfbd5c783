"""HTTP client for Statistics Denmark's Statbank API v1, built to the behaviour real clients recorded.

POST with JSON bodies, `lang=da`, `valuePresentation=Code`. CSV while the estimated cell count is
under the limit, BULK (every variable listed) above it or when the service answers REQUEST-LIMIT.
5xx answers, timeouts, broken connections and truncated bodies are retried with exponential
back-off; at most `rate` requests per second leave this process.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import polars as pl

from lokalkompas.sources.statbank.parse import (
    StatbankParseError,
    TableInfo,
    fill_suppressed,
    parse_csv,
    parse_tableinfo,
)

# The non-streamed formats' limit as documented (p.t. 1,000,000 cells); a margin keeps us clear of it.
CELL_LIMIT = 1_000_000
CELL_MARGIN = 0.9


@dataclass(frozen=True)
class ClientSettings:
    base_url: str = "https://api.statbank.dk"
    timeout: float = 30.0
    retries: int = 4
    rate: float = 4.0
    backoff: float = 0.5
    cell_limit: int = CELL_LIMIT


class StatbankError(Exception):
    """Anything that kept a Statbank request from giving an answer; the message is Danish."""


class StatbankApiError(StatbankError):
    """The service answered with an error: DST's own code and text are kept."""

    def __init__(self, status: int, code: str, dst_message: str, table: str | None = None) -> None:
        self.status, self.code, self.dst_message, self.table = status, code, dst_message, table
        where = f" for tabel {table}" if table else ""
        super().__init__(f"Danmarks Statistik afviste forespørgslen{where} ({code}, HTTP {status}): {dst_message}")


class StatbankLimitError(StatbankApiError):
    """REQUEST-LIMIT: too many cells for a non-streamed format."""


class StatbankUnavailable(StatbankError):
    """No usable answer after every retry (5xx, timeout, broken connection, truncated body)."""


@dataclass(frozen=True)
class TableSummary:
    id: str
    text: str
    updated: dt.datetime
    first_period: str
    latest_period: str
    active: bool


class RateLimiter:
    """At most `rate` calls per second, across threads."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / rate
        self.clock = clock
        self.next_at = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = self.clock()
            delay = self.next_at - now
            self.next_at = max(now, self.next_at) + self.interval
        if delay > 0:
            time.sleep(delay)


class StatbankClient:
    def __init__(self, settings: ClientSettings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.limiter = RateLimiter(settings.rate)
        self.http = httpx.Client(
            base_url=settings.base_url,
            timeout=httpx.Timeout(settings.timeout),
            transport=transport,
            headers={"Accept-Encoding": "identity"},
        )
        self.requests_sent = 0

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> StatbankClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- endpoints -------------------------------------------------------------------------------

    def tables(self) -> list[TableSummary]:
        body = self._post("/v1/tables", {"lang": "da", "format": "JSON", "includeinactive": True})
        try:
            items = json.loads(body)
            return [
                TableSummary(
                    id=item["id"].upper(),
                    text=item.get("text", ""),
                    updated=dt.datetime.fromisoformat(item["updated"]),
                    first_period=item.get("firstPeriod", ""),
                    latest_period=item.get("latestPeriod", ""),
                    active=bool(item.get("active", True)),
                )
                for item in items
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise StatbankParseError(f"Tabellisten fra Danmarks Statistik kan ikke læses: {exc}") from exc

    def tableinfo(self, table: str) -> TableInfo:
        body = self._post("/v1/tableinfo", {"table": table, "lang": "da", "format": "JSON"}, table=table)
        return parse_tableinfo(body)

    def data(self, info: TableInfo, selection: dict[str, list[str]]) -> pl.DataFrame:
        """Observations for the selected codes: CSV when small enough, BULK otherwise."""
        cells = estimate_cells(info, selection)
        if cells <= self.settings.cell_limit * CELL_MARGIN:
            try:
                return self._fetch(info, selection, "CSV")
            except StatbankLimitError:
                pass  # the service counts differently than we estimated: stream instead
        return self._fetch(info, selection, "BULK")

    # -- internals -------------------------------------------------------------------------------

    def _fetch(self, info: TableInfo, selection: dict[str, list[str]], fmt: str) -> pl.DataFrame:
        variables = []
        for variable in info.variables:
            codes = selection.get(variable.id)
            if codes is None and fmt == "BULK":
                codes = ["*"]  # streamed formats allow no elimination: every variable must be listed
            if codes is not None:
                variables.append({"code": variable.id, "values": codes})
        body = {
            "table": info.id,
            "format": fmt,
            "lang": "da",
            "valuePresentation": "Code",
            "variables": variables,
        }
        frame = parse_csv(self._post("/v1/data", body, table=info.id))
        if fmt == "BULK":
            time_var = info.time_variable()
            expected = {v.id: _expand(selection.get(v.id, ["*"]), v.values) for v in info.variables if not v.time}
            periods = _expand(selection.get(time_var.id, ["*"]), time_var.values) if time_var else []
            frame = fill_suppressed(frame, expected, periods, info.suppressed_value)
        return frame

    def _post(self, path: str, body: dict[str, Any], table: str | None = None) -> bytes:
        last_problem = ""
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(self.settings.backoff * 2 ** (attempt - 1))
            self.limiter.wait()
            self.requests_sent += 1
            try:
                response = self.http.post(path, json=body)
                content = response.read()
            except httpx.TimeoutException:
                last_problem = f"intet svar inden for {self.settings.timeout:g} sekunder"
                continue
            except (httpx.TransportError, httpx.DecodingError) as exc:
                # Broken connections and bodies shorter than their Content-Length land here.
                last_problem = f"forbindelsen blev afbrudt ({type(exc).__name__})"
                continue
            if response.status_code >= 500:
                last_problem = f"serverfejl HTTP {response.status_code}"
                continue
            if response.status_code >= 400:
                raise _api_error(response.status_code, content, table)
            return content
        raise StatbankUnavailable(
            f"Danmarks Statistik svarede ikke brugbart på {path}"
            f"{f' for tabel {table}' if table else ''} efter {self.settings.retries + 1} forsøg: {last_problem}."
        )


def _api_error(status: int, content: bytes, table: str | None) -> StatbankApiError:
    try:
        payload = json.loads(content.decode("utf-8-sig"))
        code, message = str(payload["errorTypeCode"]), str(payload["message"])
    except (ValueError, KeyError, TypeError):
        # An HTML or other non-JSON error page: keep a short, readable piece of it.
        text = " ".join(content.decode("utf-8", "replace").split())[:200]
        return StatbankApiError(status, "UKENDT", f"svar uden fejlbeskrivelse: {text}", table)
    error_type = StatbankLimitError if code == "REQUEST-LIMIT" else StatbankApiError
    return error_type(status, code, message, table)


def _expand(selectors: list[str], values: tuple[tuple[str, str], ...]) -> list[str]:
    """The codes a selector list covers: exact codes, "*" for all, and "pre*"/"*suf" wildcards."""
    codes = [code for code, _text in values]
    out: list[str] = []
    for selector in selectors:
        if selector == "*":
            out.extend(codes)
        elif selector.endswith("*"):
            out.extend(c for c in codes if c.startswith(selector[:-1]))
        elif selector.startswith("*"):
            out.extend(c for c in codes if c.endswith(selector[1:]))
        else:
            out.append(selector)
    return list(dict.fromkeys(out))


def estimate_cells(info: TableInfo, selection: dict[str, list[str]]) -> int:
    """DST's count: maximum rows x (selected variables + time + value), as documented."""
    rows = 1
    counted = 0
    for variable in info.variables:
        codes = selection.get(variable.id)
        if codes is None:
            continue
        rows *= max(1, len(_expand(codes, variable.values)))
        counted += 1
    return int(rows * (counted + 1)) if counted else 0


def settings_from_django() -> ClientSettings:
    from django.conf import settings

    return ClientSettings(
        base_url=settings.STATBANK_BASE_URL,
        timeout=settings.STATBANK_TIMEOUT,
        retries=settings.STATBANK_RETRIES,
        rate=settings.STATBANK_RATE,
    )
