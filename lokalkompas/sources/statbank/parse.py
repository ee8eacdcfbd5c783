"""Parsers for Statistics Denmark's Statbank API answers (tableinfo, CSV/BULK, JSON-stat 1.x).

Framework-free on purpose: the fetcher, the fake server in tests and the benchmark all use these
functions without Django. Every parsed data answer becomes the same long frame:

    <one String column per non-time variable> | period | value (Float64) | status | flag

`status` is "ok" or "missing"; `flag` keeps the raw missing marker (`..`, `.`, `-`, empty) so a
reader can tell "DST has no number" from "DST says zero". Messages in exceptions are Danish because
they end up in the admin's import log.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl

BOM = b"\xef\xbb\xbf"
VALUE_COLUMN = "INDHOLD"
TIME_COLUMN = "TID"
# Markers DST writes instead of a number: `..` since Dec 2017, empty before; `.` and `-` in some tables.
MISSING_MARKERS: tuple[str, ...] = ("..", ".", "-", "")
OMITTED_FLAG = "udeladt"
OUTPUT_COLUMNS = ("period", "value", "status", "flag")
_NON_SPACE = re.compile(rb"\S")

Format = Literal["tableinfo", "jsonstat", "csv"]


class StatbankParseError(ValueError):
    """An answer that cannot be read; the message says what is wrong and where (line, column, JSON path)."""

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None) -> None:
        self.line = line
        self.column = column
        self.detail = message
        where = []
        if line is not None:
            where.append(f"linje {line}")
        if column is not None:
            where.append(f"kolonne {column}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


# --------------------------------------------------------------------------------------------------
# tableinfo


@dataclass(frozen=True)
class Variable:
    id: str
    text: str
    elimination: bool
    time: bool
    map: str | None
    values: tuple[tuple[str, str], ...]  # (code, text) in DST's order

    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.values)


@dataclass(frozen=True)
class TableInfo:
    id: str
    text: str
    unit: str
    updated: dt.datetime  # naive, as DST gives it (Danish local time)
    suppressed_value: str | None
    variables: tuple[Variable, ...]

    def variable(self, id: str) -> Variable:
        """The variable with this id; DST's ids are matched case-insensitively (`Tid` = `TID`)."""
        wanted = id.casefold()
        for variable in self.variables:
            if variable.id.casefold() == wanted:
                return variable
        raise KeyError(f"tabel {self.id} har ingen variabel {id!r}")

    def area_variable(self) -> Variable | None:
        """The geography variable (OMRÅDE, KOMMUNEDK, BLSTKOM, ADMKOM, REGI07A, …), or None.

        DST names it differently per table, so we recognise it by its `map`, or by holding the code
        101 (København). Codes like 101/102 also occur in other variables (ANBAAR13's legal measures),
        so among several candidates the one with the most three-digit codes wins.
        """
        for variable in self.variables:
            if variable.map and not variable.time:
                return variable
        candidates = [v for v in self.variables if not v.time and "101" in v.codes()]
        if not candidates:
            return None
        return max(candidates, key=lambda v: sum(len(c) == 3 and c.isdigit() for c in v.codes()))

    def time_variable(self) -> Variable | None:
        """The variable DST marks as time (id `Tid`), or None for a table without one."""
        for variable in self.variables:
            if variable.time:
                return variable
        return None


def parse_tableinfo(data: bytes | str) -> TableInfo:
    """Read a `/v1/tableinfo` JSON answer."""
    root = _as_object(_load_json(data), "tableinfo")
    raw_variables = _field(root, "variables", list, "tableinfo")
    suppressed = root.get("suppressedDataValue")
    if suppressed is not None and not isinstance(suppressed, str):
        raise StatbankParseError(f"tableinfo.suppressedDataValue skal være tekst, fik {suppressed!r}")
    return TableInfo(
        id=_field(root, "id", str, "tableinfo"),
        text=_field(root, "text", str, "tableinfo"),
        unit=_field(root, "unit", str, "tableinfo"),
        updated=_parse_updated(_field(root, "updated", str, "tableinfo")),
        suppressed_value=suppressed,
        variables=tuple(_parse_variable(raw, f"tableinfo.variables[{i}]") for i, raw in enumerate(raw_variables)),
    )


def _parse_updated(text: str) -> dt.datetime:
    try:
        updated = dt.datetime.fromisoformat(text)
    except ValueError:
        raise StatbankParseError(f"tableinfo.updated: {text!r} er ikke et tidspunkt") from None
    if updated.tzinfo is not None:
        # DST gives local time without zone; a zone would mean the format changed under us.
        raise StatbankParseError(f"tableinfo.updated: {text!r} har en tidszone, det forventede vi ikke")
    return updated


def _parse_variable(raw: object, where: str) -> Variable:
    obj = _as_object(raw, where)
    map_name = obj.get("map")
    if map_name is not None and not isinstance(map_name, str):
        raise StatbankParseError(f"{where}.map skal være tekst, fik {map_name!r}")
    values = []
    for i, raw_value in enumerate(_field(obj, "values", list, where)):
        at = f"{where}.values[{i}]"
        value = _as_object(raw_value, at)
        values.append((_field(value, "id", str, at), _field(value, "text", str, at)))
    return Variable(
        id=_field(obj, "id", str, where),
        text=_field(obj, "text", str, where),
        elimination=_optional_bool(obj, "elimination", where),
        time=_optional_bool(obj, "time", where),
        map=map_name or None,
        values=tuple(values),
    )


def _optional_bool(obj: Mapping[str, object], key: str, where: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise StatbankParseError(f"{where}.{key} skal være true/false, fik {value!r}")
    return value


# --------------------------------------------------------------------------------------------------
# CSV / BULK


def parse_csv(data: bytes | str) -> pl.DataFrame:
    """Read a CSV or BULK answer (`;`-separated, header of variable ids, last column INDHOLD)."""
    raw = _as_bytes(data)
    header = _read_header(raw)
    frame = _drop_trailing_blank_rows(_read_strings(raw, header), raw)
    if _count_separators(raw) != (len(header) - 1) * (frame.height + 1):
        # polars pads short rows and blank lines with "" silently, so screen by counting separators and
        # let the exact (slow) scanner find the line. A quoted `;` also trips the screen; then the
        # scanner finds nothing wrong and we carry on.
        problem = _first_structural_problem(raw, header)
        if problem is not None:
            raise problem
    return _convert(frame, header, raw)


def _drop_trailing_blank_rows(frame: pl.DataFrame, raw: bytes) -> pl.DataFrame:
    """DST ends bodies with an extra blank line, which polars reads as an all-empty row.

    Dropping those rows (a zero-copy slice) is cheaper than copying a 40 MB body to strip them.
    """
    end = len(raw)
    while end and raw[end - 1] in b"\r\n":
        end -= 1
    blank = max(raw.count(b"\n", end) - 1, 0)
    if not blank or blank > frame.height:
        return frame
    tail = frame.tail(blank)
    if not tail.select(pl.all_horizontal(pl.all() == "").all()).item():
        return frame
    return frame.head(frame.height - blank)


def _count_separators(raw: bytes) -> int:
    # numpy's vectorised compare is about twice as fast as bytes.count on large bodies.
    return int(np.count_nonzero(np.frombuffer(raw, dtype=np.uint8) == ord(";")))


def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


def _read_header(raw: bytes) -> list[str]:
    # Offsets rather than removeprefix/strip: those would copy a body of tens of megabytes.
    start = len(BOM) if raw.startswith(BOM) else 0
    if _NON_SPACE.search(raw, start) is None:
        raise StatbankParseError("svaret er tomt", line=1)
    end = raw.find(b"\n", start)
    first = raw[start : end if end >= 0 else len(raw)].rstrip(b"\r")
    try:
        names = [_unquote(name) for name in first.decode("utf-8").split(";")]
    except UnicodeDecodeError:
        raise StatbankParseError("overskriften er ikke gyldig UTF-8", line=1) from None
    for required in (VALUE_COLUMN, TIME_COLUMN):
        if required not in names:
            raise StatbankParseError(
                f"overskriften mangler kolonnen {required} (fandt {';'.join(names)!r})", line=1, column=required
            )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise StatbankParseError(f"overskriften har kolonnen {duplicates[0]} flere gange", line=1, column=duplicates[0])
    clashes = [name for name in names if name in OUTPUT_COLUMNS]
    if clashes:
        raise StatbankParseError(f"kolonnenavnet {clashes[0]} er reserveret", line=1, column=clashes[0])
    return names


def _unquote(name: str) -> str:
    return name[1:-1] if len(name) >= 2 and name[0] == name[-1] == '"' else name


def _read_strings(raw: bytes, header: list[str]) -> pl.DataFrame:
    """Every column as String: numbers are converted afterwards so we can report the bad cell."""
    try:
        return pl.read_csv(
            raw,
            separator=";",
            has_header=True,
            infer_schema=False,
            empty_string_is_null=False,  # keep "" so an empty INDHOLD is recognisably a missing marker
            raise_if_empty=True,
        )
    except pl.exceptions.PolarsError as error:
        # Too many fields, bad UTF-8: polars does not say where, so find the line ourselves.
        problem = _first_structural_problem(raw, header)
        if problem is not None:
            raise problem from None
        raise StatbankParseError("CSV-svaret kan ikke læses") from error


def _convert(frame: pl.DataFrame, header: list[str], raw: bytes) -> pl.DataFrame:
    """Turn the String frame into the long output shape, vectorised."""
    raw_value = pl.col(VALUE_COLUMN)
    # Computed once into columns: in an eager select polars would re-evaluate a shared expression.
    staged = frame.with_columns(
        raw_value.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False).alias("_number"),
        raw_value.is_in(MISSING_MARKERS).alias("_missing"),
    )
    number, missing = pl.col("_number"), pl.col("_missing")
    bad = ~missing & (number.is_null() | number.is_nan() | number.is_infinite())
    dimensions = [name for name in header if name not in (TIME_COLUMN, VALUE_COLUMN)]
    out = staged.select(
        *dimensions,
        pl.col(TIME_COLUMN).alias("period"),
        pl.when(missing).then(None).otherwise(number).alias("value"),
        pl.when(missing).then(pl.lit("missing")).otherwise(pl.lit("ok")).alias("status"),
        pl.when(missing).then(raw_value).otherwise(None).alias("flag"),
        bad.alias("_bad"),
    )
    if out["_bad"].any():
        row = int(out["_bad"].arg_true()[0])
        token = frame[VALUE_COLUMN][row]
        raise StatbankParseError(f"{token!r} er ikke et tal", line=_line_of_record(raw, row), column=VALUE_COLUMN)
    return out.drop("_bad")


def _line_of_record(raw: bytes, row: int) -> int | None:
    """The line data row `row` started on; only called on the error path, so a Python scan is fine."""
    # Usually row + 2, but a quoted field may span lines, so count records the way the reader does.
    for record, (line, _) in enumerate(_records(raw)):
        if record == row + 1:
            return line
    return None


def _records(raw: bytes) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) per record, quote-aware like polars; raises on bad UTF-8 with its line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise StatbankParseError("teksten er ikke gyldig UTF-8", line=line) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    previous_end = 0
    for fields in reader:
        yield previous_end + 1, fields
        previous_end = reader.line_num


def _first_structural_problem(raw: bytes, header: Sequence[str]) -> StatbankParseError | None:
    """The first blank line or row with the wrong number of fields, or None if every row is well formed."""
    blank: StatbankParseError | None = None  # blank lines only count when data follows them
    try:
        for line, fields in _records(raw):
            if line == 1:
                continue
            if not fields:
                blank = blank or StatbankParseError("linjen er tom", line=line)
                continue
            if blank is not None:
                return blank
            if len(fields) != len(header):
                return _wrong_field_count(line, fields, header)
    except StatbankParseError as error:
        return error
    return None


def _wrong_field_count(line: int, fields: list[str], header: Sequence[str]) -> StatbankParseError:
    if len(fields) < len(header):
        return StatbankParseError(
            f"forventede {len(header)} felter, men fandt {len(fields)} (værdien mangler)",
            line=line,
            column=header[len(fields)],
        )
    expected = f"{len(header)} felter ({';'.join(header)})"
    return StatbankParseError(f"forventede {expected}, men fandt {len(fields)}", line=line)


# --------------------------------------------------------------------------------------------------
# JSON-stat 1.x


def parse_jsonstat(data: bytes | str) -> pl.DataFrame:
    """Read a JSON-stat 1.x answer (`{"dataset": {...}}`) into the same shape as parse_csv."""
    root = _as_object(_load_json(data), "JSON-stat")
    dataset = _as_object(root.get("dataset"), "dataset")
    dimension = _as_object(dataset.get("dimension"), "dataset.dimension")
    ids = _string_list(dimension.get("id"), "dataset.dimension.id")
    sizes = _size_list(dimension.get("size"), len(ids))
    time_id = _time_dimension(dimension, ids)
    metrics = set(_role(dimension, "metric")) | {"ContentsCode"}
    categories = [_category_codes(dimension, dim_id, size) for dim_id, size in zip(ids, sizes, strict=True)]
    total = math.prod(sizes)
    values, flags = _values(dataset.get("value"), total)

    index = pl.int_range(0, total, dtype=pl.Int64, eager=True)
    columns: dict[str, pl.Series] = {}
    for position, (dim_id, size, codes) in enumerate(zip(ids, sizes, categories, strict=True)):
        # A single-category ContentsCode is just the table id and carries no information.
        if dim_id in metrics and size == 1:
            continue
        # Row-major: the last dimension varies fastest, so (i // stride) % size picks the category.
        stride = math.prod(sizes[position + 1 :]) or 1
        name = "period" if dim_id == time_id else dim_id
        columns[name] = pl.Series(name, codes, dtype=pl.String).gather((index // stride) % max(size, 1))
    dimensions = [name for name in columns if name != "period"]
    value = pl.Series("value", values, dtype=pl.Float64)
    return pl.DataFrame([*(columns[name] for name in dimensions), columns["period"], value]).with_columns(
        pl.when(value.is_null()).then(pl.lit("missing")).otherwise(pl.lit("ok")).alias("status"),
        pl.Series("flag", flags, dtype=pl.String),
    )


def _time_dimension(dimension: Mapping[str, object], ids: list[str]) -> str:
    for candidate in _role(dimension, "time"):
        if candidate in ids:
            return candidate
    # Old answers may lack `role`; DST's time variable is always called Tid.
    for candidate in ids:
        if candidate.casefold() == "tid":
            return candidate
    raise StatbankParseError("dataset.dimension.role.time: JSON-stat-svaret har ingen tidsdimension")


def _role(dimension: Mapping[str, object], role: str) -> list[str]:
    roles = dimension.get("role")
    if roles is None:
        return []
    return _string_list(_as_object(roles, "dataset.dimension.role").get(role, []), f"dataset.dimension.role.{role}")


def _size_list(raw: object, expected: int) -> list[int]:
    where = "dataset.dimension.size"
    if not isinstance(raw, list) or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in raw):
        raise StatbankParseError(f"{where} skal være en liste af hele tal")
    if len(raw) != expected:
        raise StatbankParseError(f"{where} har {len(raw)} tal, men der er {expected} dimensioner")
    return list(raw)


def _category_codes(dimension: Mapping[str, object], dim_id: str, size: int) -> list[str]:
    """Category codes in index order; JSON-stat 1.x allows index as object, as array, or absent for one category."""
    where = f"dataset.dimension.{dim_id}.category"
    category = _as_object(_as_object(dimension.get(dim_id), f"dataset.dimension.{dim_id}").get("category"), where)
    index = category.get("index")
    if index is None:
        codes = list(_as_object(category.get("label"), f"{where}.label"))
    elif isinstance(index, list):
        codes = _string_list(index, f"{where}.index")
    else:
        positions = _as_object(index, f"{where}.index")
        order = {position: code for code, position in positions.items() if isinstance(position, int)}
        if sorted(order) != list(range(len(positions))):
            raise StatbankParseError(f"{where}.index: positionerne skal være 0..{len(positions) - 1}")
        codes = [order[position] for position in range(len(order))]
    if len(codes) != size:
        raise StatbankParseError(f"{where}: {len(codes)} kategorier, men size siger {size}")
    return codes


def _values(raw: object, total: int) -> tuple[list[float | None], list[str | None]]:
    """The flat value array (or sparse object) as floats with missing markers kept as flags."""
    where = "dataset.value"
    if isinstance(raw, dict):
        dense: list[object] = [None] * total
        for key, cell in raw.items():
            if not (isinstance(key, str) and key.isdigit() and int(key) < total):
                raise StatbankParseError(f"{where}: ugyldig position {key!r}")
            dense[int(key)] = cell
        raw = dense
    if not isinstance(raw, list):
        raise StatbankParseError(f"{where} mangler eller er ikke en liste")
    if len(raw) != total:
        raise StatbankParseError(f"{where} har {len(raw)} tal, men dimensionerne giver {total}")
    values: list[float | None] = []
    flags: list[str | None] = []
    for position, cell in enumerate(raw):
        if cell is None:
            values.append(None)
            flags.append(None)
        elif isinstance(cell, str) and cell in MISSING_MARKERS:
            values.append(None)
            flags.append(cell)
        elif isinstance(cell, int | float) and not isinstance(cell, bool) and math.isfinite(cell):
            values.append(float(cell))
            flags.append(None)
        else:
            raise StatbankParseError(f"{where}[{position}]: {cell!r} er ikke et tal")
    return values, flags


# --------------------------------------------------------------------------------------------------
# format detection


def detect_format(data: bytes | str) -> Format:
    """Which parser an answer needs, judged from its content (DST's content types are not reliable)."""
    head = _as_bytes(data[:4096]).removeprefix(BOM).lstrip()
    if not head:
        raise StatbankParseError("svaret er tomt", line=1)
    if head[:1] in (b"{", b"["):
        return _detect_json(_load_json(data))
    if head[:1] == b"<":
        raise StatbankParseError("svaret er en HTML- eller XML-side, ikke data fra Statistikbanken", line=1)
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", errors="replace")
    if VALUE_COLUMN in (_unquote(name) for name in first_line.split(";")):
        return "csv"
    raise StatbankParseError(
        f"svaret er hverken CSV med kolonnen {VALUE_COLUMN}, JSON-stat eller tableinfo "
        f"(begynder med {first_line[:60]!r})",
        line=1,
    )


def _detect_json(root: object) -> Format:
    if isinstance(root, dict):
        if "dataset" in root:
            return "jsonstat"
        if "variables" in root and "id" in root:
            return "tableinfo"
        if "errorTypeCode" in root or "message" in root:
            # DST's error body: {"errorTypeCode": "EXTRACT-NOTFOUND", "message": "Tabel findes ikke: …"}
            raise StatbankParseError(
                f"Statistikbanken svarede med fejlen {root.get('errorTypeCode', '?')}: {root.get('message', '')}"
            )
    raise StatbankParseError("JSON-svaret er hverken JSON-stat (dataset) eller tableinfo (id og variables)")


# --------------------------------------------------------------------------------------------------
# omitted combinations in streamed answers


def fill_suppressed(
    frame: pl.DataFrame, expected: dict[str, list[str]], periods: list[str], suppressed_value: str | None
) -> pl.DataFrame:
    """Add the combinations a BULK answer left out, with the table's suppressedDataValue.

    DST: in streamed formats an omitted combination means the value is `suppressedDataValue` (usually
    "0"); a present row with `..` is genuinely missing. The added rows carry flag "udeladt" so the
    difference stays visible. Without a suppressed value they are added as missing.
    """
    dimensions = [name for name in frame.columns if name not in OUTPUT_COLUMNS]
    # tableinfo says `Tid`/`Område` where the CSV header may say `TID`/`OMRÅDE`: match ids case-insensitively.
    by_id = {name.casefold(): codes for name, codes in expected.items()}
    if sorted(by_id) != sorted(name.casefold() for name in dimensions):
        raise ValueError(
            f"de forventede variabler ({', '.join(sorted(expected))}) passer ikke til svarets ({', '.join(dimensions)})"
        )
    value, status = _suppressed_number(suppressed_value)
    grid = pl.DataFrame({"period": list(dict.fromkeys(periods))}, schema={"period": pl.String})
    for name in reversed(dimensions):
        codes = list(dict.fromkeys(by_id[name.casefold()]))
        grid = pl.DataFrame({name: codes}, schema={name: pl.String}).join(grid, how="cross")
    keys = [*dimensions, "period"]
    present = frame.select(pl.col(name).cast(pl.String) for name in keys)
    added = (
        grid.select(keys)
        .join(present, on=keys, how="anti")
        .with_columns(
            pl.lit(value, dtype=pl.Float64).alias("value"),
            pl.lit(status, dtype=pl.String).alias("status"),
            pl.lit(OMITTED_FLAG, dtype=pl.String).alias("flag"),
        )
    )
    return pl.concat([frame, added.select(frame.columns).cast(frame.schema)], how="vertical")


def _suppressed_number(suppressed_value: str | None) -> tuple[float | None, str]:
    if suppressed_value is None or suppressed_value.strip() in MISSING_MARKERS:
        return None, "missing"
    try:
        number = float(suppressed_value.strip().replace(",", "."))
    except ValueError:
        raise StatbankParseError(f"suppressedDataValue {suppressed_value!r} er ikke et tal") from None
    return number, "ok"


# --------------------------------------------------------------------------------------------------
# small JSON helpers


def _load_json(data: bytes | str) -> Any:
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1 if isinstance(data, bytes) else None
        raise StatbankParseError("svaret er ikke gyldig UTF-8", line=line) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        # json's own wording is English; the position is what helps, the original stays in the chain.
        raise StatbankParseError("ugyldig JSON", line=error.lineno, column=str(error.colno)) from error


def _as_object(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise StatbankParseError(f"{where} mangler eller er ikke et JSON-objekt")
    return value


def _field(obj: Mapping[str, object], key: str, kind: type[Any], where: str) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind):
        raise StatbankParseError(f"{where}.{key} mangler eller er ikke {_KIND_NAMES.get(kind, kind.__name__)}")
    return value


_KIND_NAMES: dict[type, str] = {str: "tekst", list: "en liste", dict: "et JSON-objekt"}


def _string_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise StatbankParseError(f"{where} skal være en liste af tekster")
    return list(value)
