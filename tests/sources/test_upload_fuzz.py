"""Fuzzing the upload reader, the checks and the number parser: whatever a file holds, problems come out as
`UploadError` or `Problem`, never as another exception."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lokalkompas.indicators.frames import FRAME_SCHEMA
from lokalkompas.registry.data import municipalities
from lokalkompas.sources.uploads.reading import Cell, Problem, RawTable, UploadError, parse_number, read_upload
from lokalkompas.sources.uploads.templates import shipped_templates, template_csv, template_xlsx
from lokalkompas.sources.uploads.validation import Checked, check

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX_BYTES = 50_000
TEMPLATES = shipped_templates()
CODES = {m.code for m in municipalities()}
SAMPLE_XLSX = template_xlsx(TEMPLATES["foraeldretilfredshed"])
SAMPLE_CSV = template_csv(TEMPLATES["maanedsforbrug"])

# --- strategies -------------------------------------------------------------------------------------------

names = st.one_of(
    st.sampled_from(["tal.csv", "tal.CSV", "tal.txt", "tal.xlsx", "TAL.XLSX", "tal.xls", "tal.ods", "tal", ".csv"]),
    st.text(max_size=20),
    st.text(max_size=10).map(lambda stem: stem + ".csv"),
    st.text(max_size=10).map(lambda stem: stem + ".xlsx"),
)


def _mutated(base: bytes) -> st.SearchStrategy[bytes]:
    """A real file with a few bytes overwritten, or cut short: reaches past the first sanity checks."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        data = bytearray(base[: draw(st.integers(1, len(base)))])
        for _ in range(draw(st.integers(0, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)

    return build()


contents = st.one_of(
    st.binary(max_size=3000),
    st.binary(max_size=500).map(lambda tail: b"PK\x03\x04" + tail),
    st.binary(max_size=500).map(lambda tail: b"\xff\xfe" + tail),
    st.binary(max_size=500).map(lambda tail: b"\xef\xbb\xbf" + tail),
    st.text(max_size=500).map(lambda body: body.encode("utf-8")),
    _mutated(SAMPLE_XLSX),
    _mutated(SAMPLE_CSV),
)

ALL_COLUMNS = sorted({c.id for t in TEMPLATES.values() for c in t.columns})
header_cells = st.one_of(
    st.sampled_from(["kommune", "periode", "KOMMUNE", " Periode ", "", "andel-tilfredse", "dagtilbud", "skole"]),
    st.sampled_from(ALL_COLUMNS),
    st.text(max_size=12),
)
number_like = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(
        lambda x: f"{x:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    ),
    st.text(alphabet="0123456789.,-+ %\u2212\xa0e", max_size=14),
    st.integers(-(10**30), 10**30).map(str),
)
place_cells = st.one_of(
    st.sampled_from(["101", "0101", "751", "København", "aarhus", "Eksempel", "Atlantis", "999", "101.0"]),
    st.sampled_from(sorted(m.name for m in municipalities())),
)
period_cells = st.one_of(
    st.sampled_from(["2025", "2025K1", "2025Q5", "2025-01", "2025M13", "2025M1", "1850", "٢٠٢٥", "2025-00"]),
    st.from_regex(r"\A[0-9]{4}([KQMkqm-][0-9]{1,2})?\Z"),
)
data_cells = st.one_of(st.just(""), place_cells, period_cells, number_like, st.text(max_size=20))


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV built from random cells, written properly (quoting) or naively (joined), in a random encoding."""
    width = draw(st.integers(1, 6))
    header = [draw(header_cells) for _ in range(width)]
    rows = [[draw(data_cells) for _ in range(draw(st.integers(0, width + 2)))] for _ in range(draw(st.integers(0, 8)))]
    separator = draw(st.sampled_from([";", ",", "\t"]))
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out, delimiter=separator, lineterminator=draw(st.sampled_from(["\r\n", "\n"]))).writerows(
            [header, *rows]
        )
        body = out.getvalue()
    else:
        body = "\n".join(separator.join(row) for row in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return body.encode(encoding, errors="replace")


any_cell: st.SearchStrategy[Cell] = st.one_of(
    st.none(),
    st.floats(),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    data_cells,
)

# What a worksheet can hold (Excel has no NaN, and no control characters in text).
workbook_cell = st.one_of(
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    data_cells,
)


@st.composite
def raw_tables(draw: st.DrawFn) -> RawTable:
    """A table as the XLSX reader hands it over: typed cells (floats, dates, None) as well as text."""
    width = draw(st.integers(0, 6))
    headers = [draw(header_cells) for _ in range(width)]
    rows = [(n, draw(st.lists(any_cell, max_size=width + 2))) for n in range(2, 2 + draw(st.integers(0, 8)))]
    return RawTable("tal.xlsx", "xlsx", headers, rows)


templates_chosen = st.sampled_from(
    [None, None, "foraeldretilfredshed", "maanedsforbrug", "uvm-karakterer", "findes-ikke"]
)
allowed_sets = st.sampled_from([None, {"101"}, {"751", "101"}, set()])

# --- properties ----------------------------------------------------------------------------------------------


def assert_well_formed(result: Checked, allowed: set[str] | None) -> None:
    """What every outcome holds: problems as Problems in their place, and a frame fit for the store."""
    for problem in result.errors:
        assert isinstance(problem, Problem) and problem.severity == "fejl"
        assert problem.column and (problem.row is None or problem.row >= 1)
        assert problem.describe("tal.csv").startswith("tal.csv, ")
    for problem in result.warnings:
        assert isinstance(problem, Problem) and problem.severity == "advarsel"
    assert dict(result.frame.schema) == FRAME_SCHEMA
    for row in result.frame.iter_rows(named=True):
        assert math.isfinite(row["value"])
        assert row["geo"] in CODES and (allowed is None or row["geo"] in allowed)
        assert row["period"].isascii()
    keys = result.frame.select("series", "geo", "period")
    assert keys.height == keys.unique().height


@FUZZ
@given(name=names, data=contents)
def test_reading_any_bytes_under_any_name_raises_nothing_but_upload_error(name, data):
    try:
        table = read_upload(name, data, MAX_BYTES)
    except UploadError as exc:
        assert str(exc).startswith(f"{name}: ")
    else:
        assert table.kind in ("csv", "xlsx")
        assert all(isinstance(h, str) for h in table.headers)


@SLOW_FUZZ
@given(
    cells=st.lists(
        st.lists(st.one_of(workbook_cell, st.booleans(), st.integers(-(10**6), 10**6)), max_size=5), max_size=6
    ),
    merge=st.booleans(),
    formula=st.booleans(),
    title=st.sampled_from(["Data", "Ark1", "Vejledning"]),
    template=templates_chosen,
)
def test_any_workbook_is_read_and_checked_without_an_exception(cells, merge, formula, title, template):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in cells:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    if formula:
        sheet["C2"] = "=1/0"
    if merge:
        sheet.merge_cells("B2:C3")
    out = io.BytesIO()
    workbook.save(out)
    try:
        table = read_upload("tal.xlsx", out.getvalue(), 10 * MAX_BYTES)
    except UploadError as exc:
        assert "er tomt" in str(exc)
        return
    assert_well_formed(check(table, TEMPLATES, None, template), None)


@FUZZ
@given(data=csv_files(), allowed=allowed_sets, template=templates_chosen)
def test_checking_any_csv_raises_nothing_and_reports_problems_as_problems(data, allowed, template):
    try:
        table = read_upload("tal.csv", data, MAX_BYTES)
    except UploadError:
        return  # unreadable as a whole (a stray quote, a byte no encoding knows): said so
    result = check(table, TEMPLATES, allowed, template)
    assert_well_formed(result, allowed)


@FUZZ
@given(table=raw_tables(), allowed=allowed_sets, template=templates_chosen)
def test_checking_any_table_of_typed_cells_raises_nothing(table, allowed, template):
    assert_well_formed(check(table, TEMPLATES, allowed, template), allowed)


@FUZZ
@given(text=st.one_of(st.text(), st.text(alphabet="0123456789.,-+ %\u2212\xa0", max_size=30), number_like))
def test_parsing_any_text_as_a_number_gives_a_finite_float_or_a_value_error(text):
    try:
        value = parse_number(text)
    except ValueError as exc:
        assert str(exc)  # a Danish reason for the problem list
    else:
        assert isinstance(value, float) and math.isfinite(value)


def danish(value: float) -> str:
    """The float's shortest exact decimal, with thousands dots and a decimal comma: 1234.5 -> '1.234,5'."""
    plain = format(Decimal(repr(value)), ",f")
    return plain.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def test_the_danish_formatting_used_below_is_the_danish_one():
    assert [danish(1234.5), danish(-1234567.25), danish(0.5), danish(1000.0), danish(1e20)] == [
        "1.234,5",
        "-1.234.567,25",
        "0,5",
        "1.000,0",
        "100.000.000.000.000.000.000",
    ]


@FUZZ
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_written_the_danish_way_parses_back_to_the_same_value(value):
    assert parse_number(danish(value)) == value


@FUZZ
@given(value=st.floats(allow_nan=False, allow_infinity=False), percent=st.sampled_from(["", "%", " %", "\xa0%"]))
def test_a_danish_number_with_a_percent_sign_or_a_unicode_minus_parses_back(value, percent):
    written = danish(value).replace("-", "\u2212") + percent
    assert parse_number(written) == value
