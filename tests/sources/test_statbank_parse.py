"""Parsing Statbank answers. Fixtures are inline copies of real recorded answers (METROX1 BULK, BEF5 and
FOLK1A JSON-stat, METROX1 tableinfo) or small hand-made answers in exactly that dialect."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lokalkompas.sources.statbank.parse import (
    StatbankParseError,
    TableInfo,
    detect_format,
    fill_suppressed,
    parse_csv,
    parse_jsonstat,
    parse_tableinfo,
)

# Real BULK answer (metrox1, da), including the blank line DST ends the body with.
METROX1_BULK = (
    "SÆSON;TID;INDHOLD\n"
    "Sæsonkorrigeret;2020U01;37,7\n"
    "Sæsonkorrigeret;2020U08;105,0\n"
    "Sæsonkorrigeret;2020U09;95,2\n"
    "Sæsonkorrigeret;2020U10;93,0\n"
    "Sæsonkorrigeret;2020U11;63,0\n"
    "Sæsonkorrigeret;2020U12;17,9\n"
    "\n"
).encode()

# Real FOLK1A BULK opening (da): CRLF line endings, integers without thousands separators.
FOLK1A_BULK = (
    "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD\r\n"
    "Hele landet;Mænd;Alder i alt;I alt;2020K1;2896918\r\n"
    "Hele landet;Kvinder;Alder i alt;I alt;2020K1;2925845\r\n"
    "Hele landet;I alt;Alder i alt;I alt;2020K1;5822763\r\n"
).encode()

# Real JSON-stat answer (bef5, en, Feb 2020).
BEF5_JSONSTAT = {
    "dataset": {
        "dimension": {
            "KØN": {"label": "sex", "category": {"index": {"M": 0, "K": 1}, "label": {"M": "Men", "K": "Women"}}},
            "FODLAND": {
                "label": "country of birth",
                "category": {"index": {"5101": 0, "5104": 1}, "label": {"5101": "Greenland", "5104": "Finland"}},
            },
            "ContentsCode": {
                "label": "Indhold",
                "category": {
                    "index": {"BEF5": 0},
                    "label": {"BEF5": "Population 1. January"},
                    "unit": {"BEF5": {"base": "number", "decimals": 0}},
                },
            },
            "Tid": {
                "label": "time",
                "category": {"index": {"2018": 0, "2019": 1}, "label": {"2018": "2018", "2019": "2019"}},
            },
            "id": ["KØN", "FODLAND", "ContentsCode", "Tid"],
            "size": [2, 2, 1, 2],
            "role": {"geo": ["FODLAND"], "metric": ["ContentsCode"], "time": ["Tid"]},
        },
        "label": "Population 1. January by sex, country of birth, Indhold and time",
        "source": "Statistics Denmark",
        "updated": "2020-02-11T07:00:00Z",
        "value": [7016, 7095, 1266, 1263, 9454, 9471, 2766, 2787],
    }
}

# Real JSON-stat answer (folk1a, en, Feb 2020): only ContentsCode and time.
FOLK1A_JSONSTAT = (
    '{"dataset":{"dimension":{"ContentsCode":{"label":"Indhold","category":{"index":{"FOLK1A":0},'
    '"label":{"FOLK1A":"Population at the first day of the quarter"},'
    '"unit":{"FOLK1A":{"base":"number","decimals":0}}}},'
    '"Tid":{"label":"time","category":{"index":{"2020K1":0},"label":{"2020K1":"2020Q1"}}},'
    '"id":["ContentsCode","Tid"],"size":[1,1],"role":{"metric":["ContentsCode"],"time":["Tid"]}},'
    '"label":"Population at the first day of the quarter by Indhold and time","source":"Statistics Denmark",'
    '"updated":"2020-02-11T07:00:00Z","value":[5822763]}}'
)

# Real tableinfo (metrox1, en), with the week list shortened.
METROX1_TABLEINFO = {
    "id": "METROX1",
    "text": "Workday passenger index in the Copenhagen Metro (experimental statistics)",
    "description": (
        "Workday passenger index in the Copenhagen Metro (experimental statistics) by seasonal adjustment and time"
    ),
    "unit": "Index",
    "suppressedDataValue": "0",
    "updated": "2021-12-23T08:00:00",
    "active": True,
    "contacts": [{"name": "Peter Ottosen", "phone": "+4539173025", "mail": "pot@dst.dk"}],
    "documentation": None,
    "footnote": {"text": "Data are indexed against an average of week 8 og 9 , 2020.", "mandatory": False},
    "variables": [
        {
            "id": "SÆSON",
            "text": "seasonal adjustment",
            "elimination": False,
            "time": False,
            "values": [{"id": "10", "text": "Seasonally adjusted"}, {"id": "11", "text": "Non-seasonally adjusted"}],
        },
        {
            "id": "Tid",
            "text": "time",
            "elimination": False,
            "time": True,
            "values": [{"id": "2020U01", "text": "2020U01"}, {"id": "2020U08", "text": "2020U08"}],
        },
    ],
}


def _variable(id: str, codes: list[str], *, map: str | None = None, time: bool = False) -> dict[str, object]:
    variable: dict[str, object] = {
        "id": id,
        "text": id.lower(),
        "elimination": not time,
        "time": time,
        "values": [{"id": code, "text": f"tekst {code}"} for code in codes],
    }
    if map is not None:
        variable["map"] = map
    return variable


def _tableinfo(*variables: dict[str, object], table: str = "TEST1") -> str:
    return json.dumps(
        {
            "id": table,
            "text": "Testtabel",
            "unit": "Antal",
            "suppressedDataValue": "0",
            "updated": "2025-08-11T08:00:00",
            "variables": [*variables, _variable("Tid", ["2024", "2025"], time=True)],
        }
    )


def _error(data: bytes | str, parser=parse_csv) -> StatbankParseError:
    with pytest.raises(StatbankParseError) as caught:
        parser(data)
    return caught.value


# --------------------------------------------------------------------------------------------------
# CSV / BULK


def test_it_reads_decimal_commas():
    frame = parse_csv(METROX1_BULK)
    assert frame["value"].to_list() == [37.7, 105.0, 95.2, 93.0, 63.0, 17.9]
    assert frame["period"].to_list()[:2] == ["2020U01", "2020U08"]
    assert frame["SÆSON"].unique().to_list() == ["Sæsonkorrigeret"]


def test_it_reads_decimal_dots_as_in_english_answers():
    frame = parse_csv(b"SEASON;TID;INDHOLD\nSeasonally adjusted;2020U01;37.7\nSeasonally adjusted;2020U08;0.25\n")
    assert frame["value"].to_list() == [37.7, 0.25]


def test_it_reads_integers_without_thousands_separators():
    assert parse_csv(FOLK1A_BULK)["value"].to_list() == [2896918.0, 2925845.0, 5822763.0]


def test_output_is_one_column_per_variable_then_period_value_status_flag():
    frame = parse_csv(FOLK1A_BULK)
    assert frame.schema == pl.Schema(
        {
            "OMRÅDE": pl.String,
            "KØN": pl.String,
            "ALDER": pl.String,
            "CIVILSTAND": pl.String,
            "period": pl.String,
            "value": pl.Float64,
            "status": pl.String,
            "flag": pl.String,
        }
    )
    assert frame.row(1) == ("Hele landet", "Kvinder", "Alder i alt", "I alt", "2020K1", 2925845.0, "ok", None)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_it_reads_the_same_with_or_without_bom_and_with_either_line_ending(bom, newline):
    body = bom + METROX1_BULK.replace(b"\n", newline)
    frame = parse_csv(body)
    assert frame.columns[0] == "SÆSON"
    assert frame.equals(parse_csv(METROX1_BULK))


def test_it_accepts_text_as_well_as_bytes():
    assert parse_csv(METROX1_BULK.decode()).equals(parse_csv(METROX1_BULK))


def test_the_blank_lines_at_the_end_are_not_rows():
    assert parse_csv(METROX1_BULK + b"\n\n").height == 6
    assert parse_csv(FOLK1A_BULK + b"\r\n").height == 3


def test_a_body_without_a_final_newline_is_read_completely():
    assert parse_csv(b"A;TID;INDHOLD\nx;2024;1\ny;2024;2")["value"].to_list() == [1.0, 2.0]


@pytest.mark.parametrize("marker", ["..", ".", "-", ""])
def test_each_missing_marker_becomes_a_missing_value_that_keeps_its_flag(marker):
    frame = parse_csv(f"OMRÅDE;TID;INDHOLD\r\nKøbenhavn;2024;12,5\r\nDragør;2024;{marker}\r\n")
    assert frame.select("value", "status", "flag").rows() == [(12.5, "ok", None), (None, "missing", marker)]


def test_a_header_without_rows_gives_an_empty_frame_with_the_full_schema():
    frame = parse_csv(b"OMR\xc3\x85DE;TID;INDHOLD\r\n\r\n")
    assert frame.height == 0
    assert frame.columns == ["OMRÅDE", "period", "value", "status", "flag"]
    assert frame.schema["value"] == pl.Float64


def test_quoted_fields_may_contain_the_separator():
    frame = parse_csv(b'OMR\xc3\x85DE;TID;INDHOLD\n"Ballerup; Nord";2024;3\nDrag\xc3\xb8r;2024;4\n')
    assert frame["OMRÅDE"].to_list() == ["Ballerup; Nord", "Dragør"]


@pytest.mark.parametrize(
    "body", [b"", b"\xef\xbb\xbf", b"\r\n", "  \n"], ids=["empty", "bom-only", "newline", "spaces"]
)
def test_an_empty_body_is_an_error_on_line_1(body):
    error = _error(body)
    assert error.line == 1
    assert "tomt" in str(error)


@pytest.mark.parametrize(
    ("header", "column"),
    [("OMRÅDE;TID;VÆRDI", "INDHOLD"), ("OMRÅDE;PERIODE;INDHOLD", "TID")],
)
def test_a_header_without_indhold_or_tid_names_the_missing_column(header, column):
    error = _error(f"{header}\nKøbenhavn;2024;1\n")
    assert (error.line, error.column) == (1, column)
    assert str(error).startswith(f"linje 1, kolonne {column}: overskriften mangler kolonnen {column}")


def test_a_header_with_a_repeated_column_is_an_error():
    assert _error(b"A;A;TID;INDHOLD\nx;y;2024;1\n").column == "A"


@pytest.mark.parametrize("bad", ["12x", "1.234,5", "12 ", "nan", "inf", "abc"])
def test_a_value_that_is_not_a_number_names_line_and_column(bad):
    body = f"OMRÅDE;TID;INDHOLD\r\nKøbenhavn;2023;1\r\nKøbenhavn;2024;2\r\nDragør;2023;3\r\nDragør;2024;{bad}\r\n"
    error = _error(body)
    assert str(error) == f"linje 5, kolonne INDHOLD: {bad!r} er ikke et tal"
    assert isinstance(error, ValueError)


def test_a_bad_number_after_a_bom_is_still_on_the_right_line():
    assert _error(b"\xef\xbb\xbfA;TID;INDHOLD\r\nx;2024;12x\r\n").line == 2


def test_a_short_row_names_its_line_and_the_first_missing_column():
    error = _error(b"A;B;TID;INDHOLD\nx;y;2024;1\nx;y;2024\nx;y;2025;3\n")
    assert (error.line, error.column) == (3, "INDHOLD")
    assert "forventede 4 felter, men fandt 3" in str(error)


def test_a_row_missing_several_fields_names_the_first_of_them():
    assert _error(b"A;B;TID;INDHOLD\nx;y;2024;1\nx\n").column == "B"


def test_a_row_with_too_many_fields_names_its_line():
    error = _error(b"A;TID;INDHOLD\r\nx;2024;1\r\nx;2025;2;9\r\n")
    assert error.line == 3
    assert "forventede 3 felter (A;TID;INDHOLD), men fandt 4" in str(error)


def test_a_blank_line_between_rows_is_an_error():
    error = _error(b"A;TID;INDHOLD\nx;2024;1\n\nx;2025;2\n")
    assert str(error) == "linje 3: linjen er tom"


def test_bytes_that_are_not_utf8_name_their_line():
    error = _error("A;TID;INDHOLD\nKøbenhavn;2024;1\n".encode() + "Dragør;2024;2\n".encode("latin-1"))
    assert error.line == 3
    assert "UTF-8" in str(error)


def test_an_error_page_given_to_the_csv_parser_is_an_error():
    assert _error(b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>").column == "INDHOLD"


@st.composite
def _danish_cells(draw: st.DrawFn) -> tuple[str, float | None, str | None]:
    """A value cell as DST writes it (text) with the value and flag a parser should give back."""
    if draw(st.booleans()) and draw(st.booleans()):
        marker = draw(st.sampled_from(["..", ".", "-", ""]))
        return marker, None, marker
    mantissa = draw(st.integers(min_value=-(10**12), max_value=10**12))
    decimals = draw(st.integers(min_value=0, max_value=4))
    digits = str(abs(mantissa)).rjust(decimals + 1, "0")
    number = digits if decimals == 0 else f"{digits[:-decimals]}.{digits[-decimals:]}"
    number = ("-" if mantissa < 0 else "") + number
    mark = draw(st.sampled_from([",", "."]))  # Danish comma or English dot
    return number.replace(".", mark), float(number), None


_LABELS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters=';"'),
    max_size=12,
)
_PERIODS = st.sampled_from(["2024", "2024K1", "2024M01", "2020U01", "1997H2", "2020:2024"])


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(_LABELS, _LABELS, _PERIODS, _danish_cells()), max_size=30),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
)
def test_random_rows_written_as_danish_csv_read_back_to_the_same_values(rows, newline, bom):
    lines = ["OMRÅDE;KØN;TID;INDHOLD"] + [f"{area};{sex};{period};{cell[0]}" for area, sex, period, cell in rows]
    body = ("\ufeff" if bom else "") + newline.join(lines) + newline
    frame = parse_csv(body.encode())
    expected = [
        (area, sex, period, value, "ok" if flag is None else "missing", flag)
        for area, sex, period, (_, value, flag) in rows
    ]
    assert frame.rows() == expected


# --------------------------------------------------------------------------------------------------
# JSON-stat


def test_jsonstat_values_are_read_in_row_major_order():
    frame = parse_jsonstat(json.dumps(BEF5_JSONSTAT, ensure_ascii=False).encode())
    assert frame.columns == ["KØN", "FODLAND", "period", "value", "status", "flag"]
    assert frame.rows()[:3] == [
        ("M", "5101", "2018", 7016.0, "ok", None),
        ("M", "5101", "2019", 7095.0, "ok", None),
        ("M", "5104", "2018", 1266.0, "ok", None),
    ]
    assert frame.row(7) == ("K", "5104", "2019", 2787.0, "ok", None)


def test_jsonstat_drops_the_contents_code_that_only_names_the_table():
    frame = parse_jsonstat(FOLK1A_JSONSTAT)
    assert frame.rows() == [("2020K1", 5822763.0, "ok", None)]


def test_jsonstat_nulls_become_missing_values():
    answer = json.loads(json.dumps(BEF5_JSONSTAT))
    answer["dataset"]["value"][1] = None
    answer["dataset"]["value"][6] = ".."
    frame = parse_jsonstat(json.dumps(answer))
    assert frame.row(1)[3:] == (None, "missing", None)
    assert frame.row(6)[3:] == (None, "missing", "..")
    assert frame.filter(pl.col("status") == "ok").height == 6


def test_jsonstat_accepts_an_index_list_and_sparse_values():
    answer = {
        "dataset": {
            "dimension": {
                "OMRÅDE": {"category": {"index": ["101", "147"]}},
                "Tid": {"category": {"label": {"2024": "2024"}}},  # JSON-stat 1.x may omit a single index
                "id": ["OMRÅDE", "Tid"],
                "size": [2, 1],
            },
            "value": {"1": 4.5},
        }
    }
    frame = parse_jsonstat(json.dumps(answer))
    assert frame.select("OMRÅDE", "period", "value", "status").rows() == [
        ("101", "2024", None, "missing"),
        ("147", "2024", 4.5, "ok"),
    ]


def test_jsonstat_without_roles_finds_the_time_dimension_by_its_name():
    answer = json.loads(json.dumps(BEF5_JSONSTAT))
    del answer["dataset"]["dimension"]["role"]
    assert parse_jsonstat(json.dumps(answer))["period"].unique(maintain_order=True).to_list() == ["2018", "2019"]


def _broken_bef5(change) -> str:
    answer = json.loads(json.dumps(BEF5_JSONSTAT))
    change(answer["dataset"])
    return json.dumps(answer)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (_broken_bef5(lambda d: d["value"].pop()), "dataset.value"),
        (_broken_bef5(lambda d: d["value"].__setitem__(2, "mange")), "dataset.value[2]"),
        (_broken_bef5(lambda d: d["dimension"]["size"].__setitem__(0, 3)), "dataset.dimension.KØN.category"),
        (_broken_bef5(lambda d: d["dimension"].pop("FODLAND")), "dataset.dimension.FODLAND"),
        (_broken_bef5(lambda d: d["dimension"].pop("id")), "dataset.dimension.id"),
        (_broken_bef5(lambda d: d.pop("value")), "dataset.value"),
        ('{"dataset": []}', "dataset"),
        ('{"tabel": {}}', "dataset"),
    ],
)
def test_malformed_jsonstat_names_where_it_is_broken(body, where):
    assert str(_error(body, parse_jsonstat)).startswith(where)


def test_invalid_json_names_line_and_position():
    error = _error('{"dataset":\n  {"value": [1, 2,]}}', parse_jsonstat)
    assert error.line == 2
    assert str(error).startswith("linje 2, kolonne")


# --------------------------------------------------------------------------------------------------
# tableinfo


def test_tableinfo_is_read_with_its_variables_and_naive_update_time():
    info = parse_tableinfo(json.dumps(METROX1_TABLEINFO, ensure_ascii=False).encode())
    assert (info.id, info.unit, info.suppressed_value) == ("METROX1", "Index", "0")
    assert info.updated == dt.datetime(2021, 12, 23, 8, 0)
    assert info.updated.tzinfo is None
    season = info.variables[0]
    assert (season.id, season.elimination, season.time, season.map) == ("SÆSON", False, False, None)
    assert season.values == (("10", "Seasonally adjusted"), ("11", "Non-seasonally adjusted"))


def test_variables_are_looked_up_without_regard_to_case():
    info = parse_tableinfo(json.dumps(METROX1_TABLEINFO))
    assert info.variable("TID").id == "Tid"
    assert info.variable("sæson").id == "SÆSON"
    assert info.time_variable() == info.variable("Tid")
    with pytest.raises(KeyError, match="ingen variabel"):
        info.variable("OMRÅDE")


def test_a_table_without_geography_has_no_area_variable():
    assert parse_tableinfo(json.dumps(METROX1_TABLEINFO)).area_variable() is None


def test_the_area_variable_is_the_one_with_a_map():
    info = parse_tableinfo(
        _tableinfo(
            _variable("OMRÅDE", ["000", "084", "101", "147"], map="Denmark_municipality_07"),
            _variable("KØN", ["TOT", "1", "2"]),
        )
    )
    area = info.area_variable()
    assert area is not None
    assert (area.id, area.map) == ("OMRÅDE", "Denmark_municipality_07")


def test_without_a_map_the_area_variable_is_the_one_with_code_101():
    info = parse_tableinfo(
        _tableinfo(_variable("KOMMUNEDK", ["000", "101", "147", "751"]), _variable("PASKAT", ["1", "2", "3"]))
    )
    area = info.area_variable()
    assert area is not None
    assert area.id == "KOMMUNEDK"


def test_a_measure_variable_that_also_has_code_101_is_not_taken_for_the_area():
    # ANBAAR13: legal measures 101/102/200/99 next to the municipality variable ADMKOM.
    info = parse_tableinfo(
        _tableinfo(
            _variable("FORANSTALT", ["101", "102", "200", "99"]),
            _variable("ADMKOM", ["000", "101", "147", "461", "751"]),
        )
    )
    area = info.area_variable()
    assert area is not None
    assert area.id == "ADMKOM"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda t: t.pop("variables"), "tableinfo.variables"),
        (lambda t: t.__setitem__("updated", "i går"), "tableinfo.updated"),
        (lambda t: t.__setitem__("updated", "2021-12-23T08:00:00+01:00"), "tableinfo.updated"),
        (lambda t: t["variables"][1].pop("values"), "tableinfo.variables[1].values"),
        (lambda t: t["variables"][0]["values"][1].pop("id"), "tableinfo.variables[0].values[1].id"),
        (lambda t: t["variables"][0].__setitem__("time", "nej"), "tableinfo.variables[0].time"),
        (lambda t: t.__setitem__("suppressedDataValue", 0), "tableinfo.suppressedDataValue"),
    ],
)
def test_malformed_tableinfo_names_the_field(change, where):
    broken = json.loads(json.dumps(METROX1_TABLEINFO))
    change(broken)
    assert str(_error(json.dumps(broken), parse_tableinfo)).startswith(where)


def test_a_tableinfo_without_suppressed_value_or_map_is_fine():
    plain = json.loads(json.dumps(METROX1_TABLEINFO))
    del plain["suppressedDataValue"]
    info = parse_tableinfo(json.dumps(plain))
    assert isinstance(info, TableInfo)
    assert info.suppressed_value is None


# --------------------------------------------------------------------------------------------------
# format detection


def test_formats_are_told_apart_by_their_content():
    assert detect_format(METROX1_BULK) == "csv"
    assert detect_format(b"\xef\xbb\xbf" + FOLK1A_BULK) == "csv"
    assert detect_format(FOLK1A_JSONSTAT) == "jsonstat"
    assert detect_format(json.dumps(METROX1_TABLEINFO).encode()) == "tableinfo"
    assert detect_format("\ufeff" + json.dumps(METROX1_TABLEINFO)) == "tableinfo"


def test_an_html_error_page_is_not_taken_for_data():
    page = b"<!DOCTYPE html>\r\n<html><head><title>503 Service Unavailable</title></head></html>"
    assert "HTML" in str(_error(page, detect_format))


def test_a_statbank_error_answer_is_reported_with_its_message():
    body = '{"errorTypeCode":"EXTRACT-NOTFOUND","message":"Tabel findes ikke: INVALIDTABLE999"}'
    error = _error(body, detect_format)
    assert str(error) == "Statistikbanken svarede med fejlen EXTRACT-NOTFOUND: Tabel findes ikke: INVALIDTABLE999"


@pytest.mark.parametrize("body", [b"", b"   \r\n", b"Siden kan ikke findes.", b'["101", "147"]'])
def test_anything_else_is_not_a_known_format(body):
    _error(body, detect_format)


# --------------------------------------------------------------------------------------------------
# omitted combinations in BULK answers

BULK_WITH_GAPS = "OMRÅDE;KØN;TID;INDHOLD\r\n101;1;2024;10\r\n101;2;2024;..\r\n147;1;2024;7\r\n"


def test_omitted_combinations_get_the_suppressed_value_and_are_flagged():
    frame = fill_suppressed(parse_csv(BULK_WITH_GAPS), {"OMRÅDE": ["101", "147"], "KØN": ["1", "2"]}, ["2024"], "0")
    assert frame.height == 4
    assert frame.row(3) == ("147", "2", "2024", 0.0, "ok", "udeladt")
    # A row DST sent with `..` stays missing: only omitted rows take the suppressed value.
    assert frame.row(1) == ("101", "2", "2024", None, "missing", "..")


def test_without_a_suppressed_value_omitted_combinations_are_missing():
    frame = fill_suppressed(
        parse_csv(BULK_WITH_GAPS), {"OMRÅDE": ["101", "147"], "KØN": ["1", "2"]}, ["2024", "2025"], None
    )
    added = frame.filter(pl.col("flag") == "udeladt")
    assert added.height == 5
    assert added["status"].unique().to_list() == ["missing"]
    assert added["value"].null_count() == 5


def test_a_complete_answer_is_left_as_it_is():
    frame = parse_csv(BULK_WITH_GAPS)
    expected = {"OMRÅDE": ["101", "147"], "KØN": ["1"]}
    filled = fill_suppressed(frame, expected, ["2024"], "0")
    assert filled.equals(frame)


def test_expected_variables_match_the_columns_whatever_their_case():
    filled = fill_suppressed(parse_csv(BULK_WITH_GAPS), {"område": ["101", "147"], "køn": ["1", "2"]}, ["2024"], "0")
    assert filled.height == 4


def test_expected_variables_that_do_not_fit_the_answer_are_refused():
    with pytest.raises(ValueError, match="passer ikke"):
        fill_suppressed(parse_csv(BULK_WITH_GAPS), {"OMRÅDE": ["101"]}, ["2024"], "0")
