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
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring

from lokalkompas.api.data import RowTuple, VintageInfo

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


def data_json(
    rows: Sequence[RowTuple], names: Mapping[str, str], vintages: Mapping[int, VintageInfo], next_cursor: str | None
) -> str:
    """`json.dumps({"rows": [<DataRow dicts>], "next_cursor": next_cursor}, ensure_ascii=False)`, faster."""
    # Period, breakdown and status codes as JSON strings: a page has few distinct ones.
    strings: dict[str, str] = {}
    heads: dict[tuple[str, str], str] = {}  # (series, geo) -> the row up to its period
    tails: dict[int, str] = {}  # vintage -> the row from its source to the end
    out = []
    for series, geo, period, breakdown, value, status, vintage_id in rows:
        head = heads.get((series, geo))
        if head is None:
            name = names.get(geo, geo)
            head = heads[series, geo] = (
                f'{{"indicator": {json_string(series)}, "geo": {json_string(geo)}, '
                f'"geo_name": {json_string(name)}, "period": '
            )
        tail = tails.get(vintage_id)
        if tail is None:
            source, label, loaded_at = vintages.get(vintage_id, MISSING_VINTAGE)
            tail = tails[vintage_id] = (
                f', "source": {json_string(source)}, "vintage_id": {vintage_id}, '
                f'"vintage_label": {json_string(label)}, '
                f'"vintage_loaded_at": {"null" if loaded_at is None else json_string(loaded_at)}}}'
            )
        out.append(
            f"{head}{strings.get(period) or strings.setdefault(period, json_string(period))}, "
            f'"breakdown": {strings.get(breakdown) or strings.setdefault(breakdown, json_string(breakdown))}, '
            f'"value": {json_number(value)}, '
            f'"status": {strings.get(status) or strings.setdefault(status, json_string(status))}{tail}'
        )
    after = "null" if next_cursor is None else json_string(next_cursor)
    return f'{{"rows": [{", ".join(out)}], "next_cursor": {after}}}'
