"""A local fake of Statistics Denmark's Statbank API v1, for testing the HTTP client offline.

It answers like the real service as recorded in the project's domain notes on the Statbank API
(sections 1.3-1.11): the `tables`, `tableinfo` and `data` endpoints with their JSON bodies, the CSV/BULK
dialect (`;`, CRLF, `INDHOLD`, `TID`, `..`, decimal comma in Danish, BOM for CSV only), JSON-stat 1.x, the
cell limit for non-streamed formats and DST's error bodies `{"errorTypeCode": ..., "message": ...}`.

What the fake does not do: the formats PX/DSTML/XLSX/HTML/SDMX/PNG and XML metadata (501 `FAKE-UNSUPPORTED`);
`/v1/subjects` (404 like an unknown endpoint); computed values such as `sum(...)` (answered as an unknown value);
`placement`, percent transformations and the `subjects` filter of `tables` (ignored). English error texts that
DST has not been recorded sending are marked [I] below; clients should branch on `errorTypeCode`, not the text.

Usage::

    fake = FakeStatbank(default_tables()).start()
    fake.url  # "http://127.0.0.1:53111"; the API lives under f"{fake.url}/v1/..."
    fake.fail_next(2, "503-json")
    fake.stop()
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import re
import socket
import struct
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo

__all__ = ["FAULT_KINDS", "FakeStatbank", "FakeTable", "FakeVariable", "default_tables"]

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

FAULT_KINDS = ("500", "503-json", "timeout", "reset", "truncate", "html-400", "malformed-csv")

CSV_TYPE = "text/csv; charset=utf-8"
JSONSTAT_TYPE = "text/json; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"

DATA_FORMATS = ("CSV", "BULK", "JSONSTAT")
# Real DST formats the fake does not render: it answers 501 rather than pretending.
UNIMPLEMENTED_FORMATS = frozenset(
    {"PX", "DSTML", "XLSX", "HTML", "HTML5", "HTML5INCLNOTES", "SDMXCOMPACT", "SDMXGENERIC", "PNG"}
)
ENDPOINTS = ("tables", "tableinfo", "data")
# GET /v1/data query keys that are parameters; every other key names a variable.
DATA_QUERY_PARAMS = frozenset({"table", "format", "lang", "valuepresentation", "timeorder", "delimiter"})

HTML_500 = (
    b"<!DOCTYPE html>\r\n<html><head><title>Runtime Error</title></head>\r\n"
    b"<body><h1>Server Error in '/' Application.</h1><p>An unexpected error occurred.</p></body></html>\r\n"
)
HTML_400 = (
    b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n'
    b"<HTML><HEAD><TITLE>Bad Request</TITLE></HEAD>\r\n"
    b"<BODY><h2>Bad Request - Invalid URL</h2><hr><p>HTTP Error 400. The request URL is invalid.</p></BODY></HTML>\r\n"
)
MALFORMED_CSV_FALLBACK = "\ufeffOMRÅDE;TID;INDHOLD\r\n101;2024K1\r\n101;2024K2;5;7\r\n"


def _never_suppressed(coords: dict[str, str]) -> bool:
    return False


@dataclass
class FakeVariable:
    """One variable of a table, as `tableinfo` lists it. The first value is the total used on elimination."""

    id: str
    text: str
    values: list[tuple[str, str]]  # (code, Danish text)
    time: bool = False
    map: str | None = None
    elimination: bool = True


@dataclass
class FakeTable:
    """A Statbank table. `value` gets {variable id: code} for every variable (eliminated ones at their first code)."""

    id: str
    text: str
    unit: str
    updated: dt.datetime  # naive = Copenhagen local time, as `tables`/`tableinfo` show it
    variables: list[FakeVariable]
    value: Callable[[dict[str, str]], float | None]  # None = stored value missing -> ".." / null
    suppressed: Callable[[dict[str, str]], bool] = _never_suppressed  # combinations a BULK answer omits
    suppressed_value: str = "0"
    active: bool = True
    decimals: int = 0  # digits after the decimal mark in CSV/BULK, `decimals` in JSON-stat
    english: dict[str, str] = field(default_factory=dict)  # Danish text -> English text for lang=en
    footnote: str | None = None
    documentation_url: str | None = None

    def tr(self, text: str, lang: str) -> str:
        return self.english.get(text, text) if lang == "en" else text

    def label(self, variable: FakeVariable, code: str, text: str, lang: str) -> str:
        """A value's label; English quarter labels read `2024Q1` while the code stays `2024K1`."""
        if variable.time:
            return re.sub(r"^(\d{4})K([1-4])$", r"\1Q\2", text) if lang == "en" else text
        return self.tr(text, lang)

    @property
    def time_variable(self) -> FakeVariable | None:
        return next((v for v in self.variables if v.time), None)


# --- errors -------------------------------------------------------------------------------------------------------


class ApiError(Exception):
    """An answer with DST's JSON error body; `en` is the English text (None: the Danish text is used)."""

    def __init__(self, status: int, code: str, da: str, en: str | None = None) -> None:
        super().__init__(da)
        self.status = status
        self.code = code
        self.da = da
        self.en = en if en is not None else da

    def message(self, lang: str) -> str:
        return self.en if lang == "en" else self.da


def _format_error() -> ApiError:
    return ApiError(
        400, "REQUEST-MISSING", "Format ikke angivet, eller ikke gyldigt.", "Format not found or not valid."
    )


def _bilingual_json_error() -> ApiError:
    text = "Medsend gyldigt JSON-objekt når der postes. / Supply valid JSON-object when posting."
    return ApiError(400, "REQUEST-EMPTY", text, text)


def _not_found_error() -> ApiError:
    text = "Siden kan ikke findes. / Page not found."
    return ApiError(404, "REQUEST-NOTFOUND", text, text)


def _missing_table_error() -> ApiError:
    return ApiError(400, "REQUEST-MISSING", "Der er ikke angivet nogen tabel-id.", "No table id specified.")  # en [I]


def _not_allowed_error(variable_id: str) -> ApiError:
    return ApiError(
        400,
        "EXTRACT-NOTALLOWED",
        f"Der skal vælges værdier for variabel: {variable_id}",
        f"Values must be selected for variable: {variable_id}",  # en [I]
    )


def _unsupported(what: str) -> ApiError:
    text = f"fake_statbank does not implement {what}"
    return ApiError(501, "FAKE-UNSUPPORTED", text, text)


def danish_thousands(number: int) -> str:
    """5932654 -> '5.932.654', as DST writes numbers in its messages."""
    return f"{number:,}".replace(",", ".")


def _limit_error(cells: int, limit: int) -> ApiError:
    return ApiError(
        400,
        "REQUEST-LIMIT",
        f"Forespørgslen på op mod {danish_thousands(cells)} celler er over begrænsningen på "
        f"{danish_thousands(limit)} celler for denne filtype. Anvend BULK eller andet streaming format i stedet.",
        f"The request for up to {cells:,} cells exceeds the limit of {limit:,} cells for this file type. "
        "Use BULK or another streaming format instead.",  # en [I]
    )


# --- value selection ----------------------------------------------------------------------------------------------

_NTH = re.compile(r"^(-?)\((-n\+)?(\d+)\)$")
_RANGE = re.compile(r"^(?:(?:>=|<=|>|<)[^<>=]+)+$")
_RANGE_PART = re.compile(r"(>=|<=|>|<)([^<>=]+)")


def _nth(selector: str, count: int) -> set[int] | None:
    """Nth rules: `(1)` newest, `(2)` second newest, `(-n+3)` newest three, `-(-n+3)` oldest three."""
    match = _NTH.match(selector)
    if match is None:
        return None
    oldest, block, number = match.group(1) == "-", match.group(2) is not None, int(match.group(3))
    if block:
        return set(range(min(number, count))) if oldest else set(range(max(0, count - number), count))
    if not 1 <= number <= count:
        return set()
    return {number - 1} if oldest else {count - number}


def _compare(code: str, op: str, operand: str) -> bool:
    left, right = code.casefold(), operand.strip().casefold()
    return {">=": left >= right, "<=": left <= right, ">": left > right, "<": left < right}[op]


def _match_selector(variable: FakeVariable, selector: str) -> set[int]:
    codes = [code for code, _ in variable.values]
    if selector == "*":
        return set(range(len(codes)))
    nth = _nth(selector, len(codes))
    if nth is not None:
        return nth
    if _RANGE.match(selector):
        parts = _RANGE_PART.findall(selector)
        return {i for i, code in enumerate(codes) if all(_compare(code, op, operand) for op, operand in parts)}
    if "*" in selector:
        pattern = re.compile(".*".join(re.escape(part) for part in selector.split("*")), re.IGNORECASE)
        return {i for i, code in enumerate(codes) if pattern.fullmatch(code)}
    return {i for i, code in enumerate(codes) if code.casefold() == selector.casefold()}


def _select_values(variable: FakeVariable, selectors: list[str]) -> list[tuple[str, str]]:
    chosen: set[int] = set()
    for selector in selectors:
        found = _match_selector(variable, selector)
        if not found:
            raise ApiError(
                400,
                "EXTRACT-NOTFOUND",
                f"Kan ikke finde værdien: {selector} ({variable.id})",
                f"Can't find value: {selector} ({variable.id})",
            )
        chosen |= found
    return [variable.values[i] for i in sorted(chosen)]


@dataclass
class _Selection:
    table: FakeTable
    chosen: list[tuple[FakeVariable, list[tuple[str, str]]]]  # selected variables in table order
    eliminated: dict[str, str]  # variable id -> total code

    @property
    def rows(self) -> int:
        return math.prod(len(values) for _, values in self.chosen)

    @property
    def cells(self) -> int:
        return self.rows * (len(self.chosen) + 1)

    def combinations(self) -> Iterable[tuple[dict[str, str], list[tuple[FakeVariable, str, str]]]]:
        for combo in itertools.product(*(values for _, values in self.chosen)):
            picked = [(variable, code, text) for (variable, _), (code, text) in zip(self.chosen, combo, strict=True)]
            coords = dict(self.eliminated)
            coords.update({variable.id: code for variable, code, _ in picked})
            yield coords, picked


def _requested_selectors(table: FakeTable, variables: Any) -> dict[str, list[str]]:
    """{variable id: selectors} from the body's `variables`; unknown variable codes are an error."""
    wanted: dict[str, list[str]] = {}
    for entry in variables if isinstance(variables, list) else []:
        if not isinstance(entry, dict):
            continue
        keys = {str(key).lower(): value for key, value in entry.items()}
        code = str(keys.get("code", ""))
        variable = next((v for v in table.variables if v.id.casefold() == code.casefold()), None)
        if variable is None:
            raise ApiError(
                400,
                "EXTRACT-NOTFOUND",
                f"Kan ikke finde variablen: {code}",
                f"Can't find variable: {code}",  # en [I]
            )
        values = keys.get("values") or []
        values = values if isinstance(values, list) else [values]
        wanted.setdefault(variable.id, []).extend(str(value).strip() for value in values)
    return wanted


def _select(table: FakeTable, variables: Any, *, streamed: bool, descending: bool) -> _Selection:
    wanted = _requested_selectors(table, variables)
    chosen: list[tuple[FakeVariable, list[tuple[str, str]]]] = []
    eliminated: dict[str, str] = {}
    for variable in table.variables:
        selectors = [s for s in wanted.get(variable.id, []) if s]
        if selectors:
            values = _select_values(variable, selectors)
        elif streamed:
            raise _not_allowed_error(variable.id)
        elif variable.time:
            values = variable.values[-1:]  # no time given = the newest period, "(1)"
        elif variable.elimination:
            eliminated[variable.id] = variable.values[0][0]
            continue
        else:
            raise _not_allowed_error(variable.id)
        if variable.time and descending:
            values = list(reversed(values))
        chosen.append((variable, values))
    return _Selection(table, chosen, eliminated)


# --- rendering ----------------------------------------------------------------------------------------------------


def _number(value: float | None, decimals: int, lang: str) -> str:
    if value is None:
        return ".."
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "da" else text


def _cell(table: FakeTable, variable: FakeVariable, code: str, text: str, presentation: str, lang: str) -> str:
    label = table.label(variable, code, text, lang)
    if presentation == "code" or (presentation in ("codeandvalue", "valueandcode") and label == code):
        return code  # [I]: a time label equal to its code is not repeated
    if presentation == "codeandvalue":
        return f"{code} {label}"
    if presentation == "valueandcode":
        return f"{label} {code}"  # [I]: not recorded
    return label


def _render_csv(selection: _Selection, *, streamed: bool, presentation: str, lang: str) -> bytes:
    table = selection.table
    header = ["TID" if variable.time else variable.id for variable, _ in selection.chosen] + ["INDHOLD"]
    lines = [";".join(header)]
    for coords, picked in selection.combinations():
        if streamed and table.suppressed(coords):
            continue
        cells = [_cell(table, variable, code, text, presentation, lang) for variable, code, text in picked]
        cells.append(_number(table.value(coords), table.decimals, lang))
        lines.append(";".join(cells))
    text = "".join(line + "\r\n" for line in lines)
    return (text if streamed else "\ufeff" + text).encode("utf-8")


def _utc_z(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=COPENHAGEN)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local_iso(moment: dt.datetime) -> str:
    local = moment.astimezone(COPENHAGEN).replace(tzinfo=None) if moment.tzinfo is not None else moment
    return local.strftime("%Y-%m-%dT%H:%M:%S")


def _join_texts(texts: list[str], lang: str) -> str:
    conjunction = " and " if lang == "en" else " og "
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + conjunction + texts[-1]


def _json_value(value: float | None, decimals: int) -> float | int | None:
    if value is None:
        return None
    return round(value) if decimals == 0 else round(value, decimals)


def _render_jsonstat(selection: _Selection, lang: str) -> bytes:
    table = selection.table
    dimension: dict[str, Any] = {}
    ids: list[str] = []
    labels: list[str] = []
    role: dict[str, list[str]] = {}
    contents = {
        "label": "Indhold",
        "category": {
            "index": {table.id.upper(): 0},
            "label": {table.id.upper(): table.tr(table.text, lang)},
            "unit": {table.id.upper(): {"base": table.tr(table.unit, lang).lower(), "decimals": table.decimals}},
        },
    }
    for variable, values in selection.chosen:
        if variable.time:  # the metric dimension sits just before time, as DST orders it
            dimension["ContentsCode"], ids, labels = contents, [*ids, "ContentsCode"], [*labels, "Indhold"]
        dimension[variable.id] = {
            "label": table.tr(variable.text, lang),
            "category": {
                "index": {code: i for i, (code, _) in enumerate(values)},
                "label": {code: table.label(variable, code, text, lang) for code, text in values},
            },
        }
        ids.append(variable.id)
        labels.append(table.tr(variable.text, lang))
        if variable.map:
            role.setdefault("geo", []).append(variable.id)
    if "ContentsCode" not in dimension:
        dimension["ContentsCode"], ids, labels = contents, [*ids, "ContentsCode"], [*labels, "Indhold"]
    sizes = {variable.id: len(values) for variable, values in selection.chosen} | {"ContentsCode": 1}
    role["metric"] = ["ContentsCode"]
    time_ids = [variable.id for variable, _ in selection.chosen if variable.time]
    if time_ids:
        role["time"] = time_ids
    dimension.update({"id": ids, "size": [sizes[i] for i in ids], "role": role})
    by = " by " if lang == "en" else " efter "
    dataset = {
        "dimension": dimension,
        "label": table.tr(table.text, lang) + by + _join_texts(labels, lang),
        "source": "Statistics Denmark" if lang == "en" else "Danmarks Statistik",
        "updated": _utc_z(table.updated),
        "value": [_json_value(table.value(coords), table.decimals) for coords, _ in selection.combinations()],
    }
    return _json_bytes({"dataset": dataset})


def _json_bytes(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- the service --------------------------------------------------------------------------------------------------


@dataclass
class _Answer:
    status: int
    content_type: str
    body: bytes
    streamed: bool = False


@dataclass
class _Fault:
    kind: str
    endpoint: str | None
    remaining: int
    delay: float


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _endpoint_of(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    return parts[1].lower() if len(parts) >= 2 and parts[0].lower() == "v1" else None


class FakeStatbank:
    """The fake service. `tables` may be changed while it runs (values, `updated`, new tables)."""

    def __init__(self, tables: dict[str, FakeTable] | None = None, *, cell_limit: int = 1_000_000) -> None:
        self.tables: dict[str, FakeTable] = default_tables() if tables is None else tables
        self.cell_limit = cell_limit
        self.requests: list[dict[str, Any]] = []
        self.errors: list[BaseException] = []  # bugs inside the fake (answered with a 500), for debugging
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> FakeStatbank:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-statbank", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in a "timeout" fault
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeStatbank:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeStatbank is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # faults

    def fail_next(self, count: int, kind: str, endpoint: str | None = "data", delay: float = 0.3) -> None:
        """Make the next `count` requests to /v1/<endpoint> (any path if None) fail as `kind`; see FAULT_KINDS."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; choose from {FAULT_KINDS}")
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._faults.append(_Fault(kind, endpoint.lower() if endpoint else None, count, delay))

    def _take_fault(self, path: str) -> _Fault | None:
        endpoint = _endpoint_of(path)
        with self._lock:
            for fault in self._faults:
                if fault.endpoint is None or fault.endpoint == endpoint:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(entry)

    # routing

    def answer(self, method: str, path: str, query: list[tuple[str, str]], raw_body: bytes) -> _Answer:
        lang = "da"
        try:
            parts = [unquote(p) for p in path.split("/") if p]
            endpoint = _endpoint_of(path)
            if endpoint not in ENDPOINTS:
                raise _not_found_error()
            params = self._params(method, endpoint, parts[2:], query, raw_body)
            lang = "en" if _text(params.get("lang")).lower() == "en" else "da"
            if endpoint == "tables":
                return self._tables(params, lang)
            if endpoint == "tableinfo":
                return self._tableinfo(params, lang)
            return self._data(params, lang)
        except ApiError as error:
            body = {"errorTypeCode": error.code, "message": error.message(lang)}
            return _Answer(error.status, JSON_TYPE, _json_bytes(body))
        except Exception as error:  # a bug in the fake: make it loud but keep serving
            self.errors.append(error)
            return _Answer(500, "text/plain; charset=utf-8", f"fake_statbank bug: {error!r}".encode())

    def _params(
        self, method: str, endpoint: str, rest: list[str], query: list[tuple[str, str]], raw_body: bytes
    ) -> dict[str, Any]:
        if method == "POST" and raw_body.strip():
            try:
                body = json.loads(raw_body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise _bilingual_json_error() from None
            if not isinstance(body, dict):
                raise _bilingual_json_error()
            params = {str(key).lower(): value for key, value in body.items()}
        else:
            params = _query_params(endpoint, query)
        # REST-style paths: /v1/tableinfo/FOLK1A and /v1/data/FOLK1A/CSV
        for name, value in zip(("table", "format"), rest, strict=False):
            params.setdefault(name, value)
        return params

    def _table(self, wanted: Any) -> FakeTable:
        table_id = _text(wanted)
        if not table_id:
            raise _missing_table_error()
        for key, table in self.tables.items():
            if table_id.upper() in (key.upper(), table.id.upper()):
                return table
        raise ApiError(
            400, "EXTRACT-NOTFOUND", f"Tabel findes ikke: {table_id}", f"Table does not exist: {table_id}"
        )  # en [I]

    def _tables(self, params: dict[str, Any], lang: str) -> _Answer:
        _metadata_format(params)
        include_inactive = _text(params.get("includeinactive")).lower() in ("true", "1")
        pastdays = _text(params.get("pastdays"))
        since = dt.datetime.now() - dt.timedelta(days=int(pastdays)) if pastdays.isdigit() else None
        items = []
        for table in self.tables.values():
            if not (table.active or include_inactive):
                continue
            if since is not None and dt.datetime.fromisoformat(_local_iso(table.updated)) < since:
                continue
            time = table.time_variable
            first = table.label(time, *time.values[0], lang) if time and time.values else None
            latest = table.label(time, *time.values[-1], lang) if time and time.values else None
            items.append(
                {
                    "id": table.id.upper(),
                    "text": table.tr(table.text, lang),
                    "unit": table.tr(table.unit, lang),
                    "updated": _local_iso(table.updated),
                    "firstPeriod": first,
                    "latestPeriod": latest,
                    "active": table.active,
                    "variables": [table.tr(v.text, lang).lower() for v in table.variables],
                }
            )
        return _Answer(200, JSON_TYPE, _json_bytes(items))

    def _tableinfo(self, params: dict[str, Any], lang: str) -> _Answer:
        _metadata_format(params)
        table = self._table(params.get("table"))
        texts = [table.tr(v.text, lang) for v in table.variables]
        by = " by " if lang == "en" else " efter "
        variables = []
        for variable in table.variables:
            entry: dict[str, Any] = {
                "id": variable.id,
                "text": table.tr(variable.text, lang),
                "elimination": variable.elimination,
                "time": variable.time,
            }
            if variable.map:
                entry["map"] = variable.map
            entry["values"] = [
                {"id": code, "text": table.label(variable, code, text, lang)} for code, text in variable.values
            ]
            variables.append(entry)
        info = {
            "id": table.id.upper(),
            "text": table.tr(table.text, lang),
            "description": table.tr(table.text, lang) + by + _join_texts(texts, lang),
            "unit": table.tr(table.unit, lang),
            "suppressedDataValue": table.suppressed_value,
            "updated": _local_iso(table.updated),
            "active": table.active,
            "contacts": [{"name": "Statistikbanken", "phone": "+4539173917", "mail": "statistikbanken@dst.dk"}],
            "documentation": (
                {"id": table.id.lower(), "url": table.documentation_url} if table.documentation_url else None
            ),
            "footnote": {"text": table.tr(table.footnote, lang), "mandatory": False} if table.footnote else None,
            "variables": variables,
        }
        return _Answer(200, JSON_TYPE, _json_bytes(info))

    def _data(self, params: dict[str, Any], lang: str) -> _Answer:
        fmt = _text(params.get("format")).upper()
        if fmt in UNIMPLEMENTED_FORMATS:
            raise _unsupported(f"format {fmt}")
        if fmt not in DATA_FORMATS:
            raise _format_error()
        table = self._table(params.get("table"))
        streamed = fmt == "BULK"
        time_order = _text(params.get("timeorder"))
        if streamed and time_order:
            raise ApiError(
                400,
                "EXTRACT-NOTALLOWED",
                "Der kan ikke vælges sortering af tid for streamede formater",
                "Sorting of time cannot be chosen for streamed formats",  # en [I]
            )
        descending = time_order.lower() == "descending"
        selection = _select(table, params.get("variables"), streamed=streamed, descending=descending)
        if not streamed and selection.cells > self.cell_limit:
            raise _limit_error(selection.cells, self.cell_limit)
        if fmt == "JSONSTAT":
            return _Answer(200, JSONSTAT_TYPE, _render_jsonstat(selection, lang))
        presentation = _text(params.get("valuepresentation")).lower() or "default"
        body = _render_csv(selection, streamed=streamed, presentation=presentation, lang=lang)
        return _Answer(200, CSV_TYPE, body, streamed=streamed)


def _metadata_format(params: dict[str, Any]) -> None:
    fmt = _text(params.get("format")).upper()
    if fmt == "XML":
        raise _unsupported("XML metadata")
    if fmt not in ("", "JSON"):
        raise _format_error()


def _query_params(endpoint: str, query: list[tuple[str, str]]) -> dict[str, Any]:
    """GET parameters; for `data` every non-parameter key is a variable with comma-separated values."""
    params: dict[str, Any] = {}
    variables: list[dict[str, Any]] = []
    for key, value in query:
        name = key.lower()
        if endpoint == "data" and name not in DATA_QUERY_PARAMS:
            variables.append({"code": key, "values": value.split(",")})
        elif endpoint == "tableinfo" and name == "id":
            params["table"] = value  # GET /v1/tableinfo?id=metrox1 works; a POSTed "id" does not
        else:
            params[name] = value
    if variables:
        params["variables"] = variables
    return params


def _mangle_csv(answer: _Answer) -> bytes:
    """The answer's CSV with the INDHOLD field cut from every data row (wrong number of fields)."""
    if answer.status != 200 or not answer.content_type.startswith("text/csv"):
        return MALFORMED_CSV_FALLBACK.encode("utf-8")
    lines = answer.body.decode("utf-8").split("\r\n")
    rows = [line.rsplit(";", 1)[0] for line in lines[1:] if line]
    if not rows:
        return MALFORMED_CSV_FALLBACK.encode("utf-8")
    return "".join(line + "\r\n" for line in [lines[0], *rows]).encode("utf-8")


# --- HTTP plumbing ------------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeStatbank) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeouts, resets) is expected; anything else is a bug worth seeing.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeStatbank/1.0"
    timeout = 30.0
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        path = unquote(parts.path)
        query = parse_qsl(parts.query, keep_blank_values=True)
        fault = fake._take_fault(path)
        fake._record(
            {
                "method": self.command,
                "path": path,
                "query": dict(query),
                "body": _parsed_body(raw_body),
                "fault": fault.kind if fault else None,
            }
        )
        if fault is None:
            self._write(fake.answer(self.command, path, query, raw_body))
        else:
            self._fail(fault, lambda: fake.answer(self.command, path, query, raw_body))

    def _fail(self, fault: _Fault, answer: Callable[[], _Answer]) -> None:
        kind = fault.kind
        if kind == "500":
            self._write(_Answer(500, HTML_TYPE, HTML_500))
        elif kind == "503-json":
            body = {"errorTypeCode": "SERVICE-UNAVAILABLE", "message": "Service temporarily unavailable."}
            self._write(_Answer(503, JSON_TYPE, _json_bytes(body)))
        elif kind == "html-400":
            self._write(_Answer(400, HTML_TYPE, HTML_400))
        elif kind == "timeout":
            if not self.server.fake._stopping.wait(fault.delay):
                self._write(answer())
        elif kind == "reset":
            self._reset()
        elif kind == "truncate":
            self._truncate(answer())
        elif kind == "malformed-csv":
            self._write(_Answer(200, CSV_TYPE, _mangle_csv(answer())))

    def _write(self, answer: _Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        if answer.streamed:  # BULK is streamed: chunked, no Content-Length
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(answer.body), 4096):
                chunk = answer.body[start : start + 4096]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

    def _reset(self) -> None:
        """Close abortively (TCP RST) without a status line; the client sees a reset connection."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _truncate(self, answer: _Answer) -> None:
        """Announce the full Content-Length, send the first half of the body, then close."""
        self.close_connection = True
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(answer.body[: len(answer.body) // 2])
        self.wfile.flush()


def _parsed_body(raw_body: bytes) -> Any:
    if not raw_body.strip():
        return None
    try:
        return json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return raw_body.decode("utf-8", errors="replace")


# --- ready-made tables --------------------------------------------------------------------------------------------


def _time(values: Iterable[str], text: str = "tid") -> FakeVariable:
    return FakeVariable("Tid", text, [(code, code) for code in values], time=True, elimination=False)


QUARTERS = [f"{year}K{quarter}" for year in (2023, 2024) for quarter in (1, 2, 3, 4)]

COMMON_ENGLISH = {
    "område": "region",
    "køn": "sex",
    "alder": "age",
    "tid": "time",
    "Antal": "Number",
    "Hele landet": "All Denmark",
    "Region Hovedstaden": "Capital Region of Denmark",
    "Region Midtjylland": "Central Denmark Region",
    "København": "Copenhagen",
    "I alt": "Total",
    "Alder i alt": "Age, total",
    "Mænd": "Men",
    "Kvinder": "Women",
    **{f"{age} år": f"{age} years" for age in range(6)},
}

AREAS = [
    ("000", "Hele landet"),
    ("084", "Region Hovedstaden"),
    ("101", "København"),
    ("147", "Frederiksberg"),
    ("082", "Region Midtjylland"),
    ("751", "Aarhus"),
]
POPULATION = {"000": 5_930_000, "084": 1_875_000, "101": 655_000, "147": 104_500, "082": 1_355_000, "751": 362_000}
AGE_SHARE = {"0": 0.0104, "1": 0.0106, "2": 0.0107, "3": 0.0109, "4": 0.0110, "5": 0.0112}
MEN_SHARE = 0.497


def _split_by_sex(total: int, sex: str) -> int:
    men = round(total * MEN_SHARE)
    return {"1": men, "M": men, "2": total - men, "K": total - men}.get(sex, total)


def folk1a_value(coords: dict[str, str]) -> float | None:
    """FOLK1A: population by area, growing slowly per quarter; sexes add up to the total."""
    total = round(POPULATION[coords["OMRÅDE"]] * (1 + 0.0012 * QUARTERS.index(coords["Tid"])))
    if coords["ALDER"] != "IALT":
        total = round(total * AGE_SHARE[coords["ALDER"]])
    return _split_by_sex(total, coords["KØN"])


BOERN8_DATA: dict[tuple[str, str, str], float | None] = {
    ("000", "1", "2023"): 3.2,
    ("000", "1", "2024"): 3.1,
    ("000", "2", "2023"): 2.9,
    ("000", "2", "2024"): 2.9,
    ("000", "3", "2023"): 5.8,
    ("000", "3", "2024"): 5.7,
    ("101", "1", "2023"): 3.4,
    ("101", "1", "2024"): None,  # missing in the statistics -> ".."
    ("101", "2", "2023"): 2.8,
    ("101", "2", "2024"): 2.7,
    ("101", "3", "2023"): 5.6,
    ("101", "3", "2024"): 5.5,
    ("751", "1", "2023"): 3.3,
    ("751", "1", "2024"): 3.2,
    ("751", "2", "2023"): 3.0,
    ("751", "2", "2024"): 2.9,
    ("751", "3", "2023"): 6.0,
    ("751", "3", "2024"): 5.9,
}


def boern8_value(coords: dict[str, str]) -> float | None:
    return BOERN8_DATA[(coords["KOMMUNEDK"], coords["PASKAT"], coords["Tid"])]


REGK31_FUNCTIONS = [
    ("02201", "0.22.01 Fælles formål (jordforsyning)"),
    ("05880", "0.58.80 Redningsberedskab"),
    ("32201", "3.22.01 Folkeskoler"),
    ("32205", "3.22.05 Skolefritidsordninger"),
    ("52510", "5.25.10 Fælles formål (dagtilbud)"),
    ("52511", "5.25.11 Dagpleje"),
    ("52514", "5.25.14 Integrerede daginstitutioner"),
]
# National net operating spending 2023, 1,000 DKK.
REGK31_NATIONAL = {
    "02201": 950_000,
    "05880": 1_650_000,
    "32201": 33_500_000,
    "32205": 4_300_000,
    "52510": 2_100_000,
    "52511": 3_600_000,
    "52514": 16_800_000,
}
REGK31_AREA_SHARE = {"000": 1.0, "084": 0.33, "101": 0.12, "147": 0.018, "082": 0.23, "751": 0.063}


def regk31_value(coords: dict[str, str]) -> float | None:
    """REGK31: 1,000 DKK; Frederiksberg books nothing on jordforsyning (0, omitted from BULK)."""
    if coords["OMRÅDE"] == "147" and coords["FUNKTION"] == "02201":
        return 0
    growth = 1.045 if coords["Tid"] == "2024" else 1.0
    return round(REGK31_NATIONAL[coords["FUNKTION"]] * REGK31_AREA_SHARE[coords["OMRÅDE"]] * growth)


def regk31_suppressed(coords: dict[str, str]) -> bool:
    return regk31_value(coords) == 0


FRKM_AREAS = [("000", "Hele landet"), ("101", "København"), ("147", "Frederiksberg"), ("751", "Aarhus")]
FRKM_YEARS = ["2025", "2026", "2027"]


def _frkm_value(edition_factor: float) -> Callable[[dict[str, str]], float | None]:
    def value(coords: dict[str, str]) -> float | None:
        total = POPULATION[coords["KOMMUNEDK"]] * edition_factor * (1 + 0.005 * FRKM_YEARS.index(coords["Tid"]))
        if coords["ALDER"] != "TOT":
            total *= AGE_SHARE[coords["ALDER"]]
        return _split_by_sex(round(total), coords["KON"])

    return value


def _frkm(table_id: str, year: int, active: bool, updated: dt.datetime, factor: float) -> FakeTable:
    text = f"Befolkningsfremskrivning {year} for kommuner"
    return FakeTable(
        id=table_id,
        text=text,
        unit="Antal",
        updated=updated,
        active=active,
        variables=[
            FakeVariable("KOMMUNEDK", "kommune", list(FRKM_AREAS)),
            FakeVariable("ALDER", "alder", [("TOT", "Alder i alt")] + [(str(a), f"{a} år") for a in range(4)]),
            FakeVariable("KON", "køn", [("M", "Mænd"), ("K", "Kvinder")], elimination=False),
            _time(FRKM_YEARS),
        ],
        value=_frkm_value(factor),
        english={
            **COMMON_ENGLISH,
            text: f"Population projections {year} for municipalities",
            "kommune": "municipality",
        },
    )


def default_tables() -> dict[str, FakeTable]:
    """Small but realistic FOLK1A, BOERN8, REGK31, FRKM124 (inactive) and FRKM125; fresh objects per call."""
    folk1a = FakeTable(
        id="FOLK1A",
        text="Befolkningen den 1. i kvartalet",
        unit="Antal",
        updated=dt.datetime(2024, 11, 11, 8, 0),
        variables=[
            FakeVariable("OMRÅDE", "område", list(AREAS), map="Denmark_municipality_07"),
            FakeVariable("KØN", "køn", [("TOT", "I alt"), ("1", "Mænd"), ("2", "Kvinder")]),
            FakeVariable("ALDER", "alder", [("IALT", "Alder i alt")] + [(str(a), f"{a} år") for a in range(6)]),
            FakeVariable("CIVILSTAND", "civilstand", [("TOT", "I alt")]),
            _time(QUARTERS),
        ],
        value=folk1a_value,
        english={
            **COMMON_ENGLISH,
            "Befolkningen den 1. i kvartalet": "Population at the first day of the quarter",
            "civilstand": "marital status",
        },
        documentation_url="https://www.dst.dk/statistikdokumentation/befolkningen",
    )
    boern8 = FakeTable(
        id="BOERN8",
        text="Normering i kommunale og selvejende dagtilbud",
        unit="Børn pr. voksen",
        updated=dt.datetime(2025, 3, 20, 8, 0),
        variables=[
            FakeVariable("KOMMUNEDK", "kommune", [("000", "Hele landet"), ("101", "København"), ("751", "Aarhus")]),
            FakeVariable(
                "PASKAT",
                "pasningskategori",
                [("1", "Dagpleje"), ("2", "Daginstitution 0-2 år"), ("3", "Daginstitution 3-5 år")],
                elimination=False,
            ),
            _time(["2023", "2024"]),
        ],
        value=boern8_value,
        decimals=1,
        english={
            **COMMON_ENGLISH,
            "Normering i kommunale og selvejende dagtilbud": "Staffing ratio in municipal and independent day care",
            "Børn pr. voksen": "Children per adult",
            "kommune": "municipality",
            "pasningskategori": "type of care",
            "Dagpleje": "Child minding",
            "Daginstitution 0-2 år": "Day care institution 0-2 years",
            "Daginstitution 3-5 år": "Day care institution 3-5 years",
        },
        footnote="Normeringen er opgjort som antal børn pr. pædagogisk medarbejder.",
    )
    regk31 = FakeTable(
        id="REGK31",
        text="Kommunernes regnskaber på funktioner",
        unit="1.000 kr.",
        updated=dt.datetime(2025, 4, 30, 8, 0),
        variables=[
            FakeVariable("OMRÅDE", "område", list(AREAS), map="Denmark_municipality_07"),
            FakeVariable("FUNKTION", "funktion", list(REGK31_FUNCTIONS), elimination=False),
            FakeVariable("DRANST", "dranst", [("1", "1 Drift")], elimination=False),
            FakeVariable("ART", "art", [("TOT", "Art i alt")]),
            FakeVariable("PRISENHED", "prisenhed", [("LOBM", "1.000 kr. (løbende priser)")], elimination=False),
            _time(["2023", "2024"]),
        ],
        value=regk31_value,
        suppressed=regk31_suppressed,
        english={
            **COMMON_ENGLISH,
            "Kommunernes regnskaber på funktioner": "Municipal accounts by function",
            "1.000 kr.": "DKK 1,000",
            "funktion": "function",
            "dranst": "type of account",
            "art": "type",
            "prisenhed": "price unit",
        },
    )
    return {
        "FOLK1A": folk1a,
        "BOERN8": boern8,
        "REGK31": regk31,
        "FRKM124": _frkm("FRKM124", 2024, False, dt.datetime(2024, 5, 28, 8, 0), 0.998),
        "FRKM125": _frkm("FRKM125", 2025, True, dt.datetime(2025, 5, 27, 8, 0), 1.0),
    }
