"""The JSON of a /data page written as text, byte for byte what `json.dumps` makes of the row dicts.

A page of 2.000 rows as 2.000 dicts of 11 keys, encoded by `json.dumps`, cost more than the query
itself (bench/api_data.py). Most of a row repeats: the indicator, area and name are the same for every
period of one area, and the source, label and load time the same for every row of one vintage. Those
parts are encoded once per page and each row only adds its period, breakdown, value and status. The
layout is json.dumps's default (", " and ": ", keys in schema order, æ, ø and å as themselves), so the
answer is the same bytes as before; tests/api/test_data_encoding.py checks it against json.dumps and
the DataPage schema (docs/decisions/0018-api-data-fast-path.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from json.encoder import encode_basestring

# A row as the store gives it: series, geo, period, breakdown, value, status, vintage id.
RowTuple = tuple[str, str, str, str, float | None, str, int]
# source, label, and load time as the API writes it (ISO 8601 with milliseconds and Z, or None)
VintageInfo = tuple[str, str, str | None]
MISSING_VINTAGE: VintageInfo = ("", "", None)


def json_string(text: str) -> str:
    # json.dumps(text, ensure_ascii=False) without building an encoder each time: the same C function.
    return encode_basestring(text)


def json_number(value: float | None) -> str:
    """As json.dumps writes a value: float's repr, null for None (NaN and infinities as json.dumps has them)."""
    if value is None:
        return "null"
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value)


class RowEncoder:
    """Writes rows as the JSON objects of a DataRow, keeping the parts that repeat between rows.

    The names and vintages are read when a part is first needed, so one encoder serves one page (or one
    series held in memory, api.data.SeriesRows) under one set of look-ups."""

    def __init__(self, names: Mapping[str, str], vintages: Mapping[int, VintageInfo]) -> None:
        self.names = names
        self.vintages = vintages
        # Period, breakdown and status codes as JSON strings: a page has few distinct ones.
        self.strings: dict[str, str] = {}
        self.heads: dict[tuple[str, str], str] = {}  # (series, geo) -> the row up to its period
        self.tails: dict[int, str] = {}  # vintage -> the row from its source to the end

    def _string(self, text: str) -> str:
        return self.strings.get(text) or self.strings.setdefault(text, json_string(text))

    def _head(self, series: str, geo: str) -> str:
        head = self.heads.get((series, geo))
        if head is None:
            name = self.names.get(geo, geo)
            head = self.heads[series, geo] = (
                f'{{"indicator": {json_string(series)}, "geo": {json_string(geo)}, '
                f'"geo_name": {json_string(name)}, "period": '
            )
        return head

    def _tail(self, vintage_id: int) -> str:
        tail = self.tails.get(vintage_id)
        if tail is None:
            source, label, loaded_at = self.vintages.get(vintage_id, MISSING_VINTAGE)
            tail = self.tails[vintage_id] = (
                f', "source": {json_string(source)}, "vintage_id": {vintage_id}, '
                f'"vintage_label": {json_string(label)}, '
                f'"vintage_loaded_at": {"null" if loaded_at is None else json_string(loaded_at)}}}'
            )
        return tail

    def row(self, row: RowTuple) -> str:
        series, geo, period, breakdown, value, status, vintage_id = row
        return (
            f"{self._head(series, geo)}{self._string(period)}, "
            f'"breakdown": {self._string(breakdown)}, '
            f'"value": {json_number(value)}, '
            f'"status": {self._string(status)}{self._tail(vintage_id)}'
        )


def page_json(encoded_rows: Iterable[str], next_cursor: str | None) -> str:
    """The page around rows already written by RowEncoder.row."""
    after = "null" if next_cursor is None else json_string(next_cursor)
    return f'{{"rows": [{", ".join(encoded_rows)}], "next_cursor": {after}}}'


def page_json_bytes(encoded_rows: Iterable[bytes], next_cursor: str | None) -> bytes:
    """page_json's bytes in UTF-8, around rows already encoded."""
    after = "null" if next_cursor is None else json_string(next_cursor)
    return b'{"rows": [' + b", ".join(encoded_rows) + f'], "next_cursor": {after}}}'.encode()


def data_json(
    rows: Sequence[RowTuple], names: Mapping[str, str], vintages: Mapping[int, VintageInfo], next_cursor: str | None
) -> str:
    """`json.dumps({"rows": [<DataRow dicts>], "next_cursor": next_cursor}, ensure_ascii=False)`, faster."""
    encoder = RowEncoder(names, vintages)
    return page_json(map(encoder.row, rows), next_cursor)
