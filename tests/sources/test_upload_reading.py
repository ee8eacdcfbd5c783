"""Reading uploaded files and parsing their cells: the Danish and plain formats an analyst's file may use."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from lokalkompas.sources.uploads.reading import Cell, Problem, RawTable, parse_number, parse_period, read_upload
from lokalkompas.sources.uploads.templates import shipped_templates, template_csv, template_xlsx
from lokalkompas.sources.uploads.validation import Checked, check

MAX_BYTES = 1_000_000
HEADER = "kommune;periode;andel-tilfredse"


def read(data: bytes, name: str = "data.csv") -> RawTable:
    return read_upload(name, data, MAX_BYTES)


def checked(data: bytes, name: str = "data.csv", template_id: str | None = None) -> Checked:
    return check(read(data, name), shipped_templates(), None, template_id)


def values(result: Checked) -> dict[tuple[str, str, str], float]:
    """(column, geo, period) -> value of the checked frame, the column as the template names it."""
    column = {c.series.id: c.id for t in shipped_templates().values() for c in t.columns}
    return {(column[r["series"]], r["geo"], r["period"]): r["value"] for r in result.frame.iter_rows(named=True)}


def xlsx(rows: list[list[Cell | int]], formats: dict[str, str] | None = None) -> bytes:
    workbook = Workbook()
    sheet: Worksheet = workbook.active  # type: ignore[assignment]
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    for coordinate, number_format in (formats or {}).items():
        sheet[coordinate].number_format = number_format
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", 1234.5),
        ("12,3 %", 12.3),
        ("12,3%", 12.3),
        ("1234.5", 1234.5),
        ("1234,5", 1234.5),
        ("-7", -7.0),
        ("+7", 7.0),
        ("\u22127", -7.0),  # the unicode minus sign Word and some exports write
        ("\u22121.234,5", -1234.5),
        ("1\xa0234,5", 1234.5),  # non-breaking space as thousands separator, as Excel copies it
        ("1 234 567", 1234567.0),
        ("1.234.567", 1234567.0),
        ("1.234.567,89", 1234567.89),
        ("1,234,567", 1234567.0),
        ("1,234.5", 1234.5),
        ("0.123", 0.123),
        ("1,234", 1.234),  # a comma is always the Danish decimal comma when it stands alone
        ("  80  ", 80.0),
        (",5", 0.5),
    ],
)
def test_a_number_as_danes_and_spreadsheets_write_it_is_read(text, expected):
    assert parse_number(text) == expected


def test_a_number_cell_from_a_spreadsheet_is_taken_as_it_is():
    assert parse_number(12.5) == 12.5
    assert parse_number(-0.25) == -0.25


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("1.234", "kan læses både som tusinder og som decimaler"),
        ("-1.234", "kan læses både som tusinder og som decimaler"),
        ("mange", "er tekst, hvor der skal stå et tal"),
        ("12 kr.", "er tekst, hvor der skal stå et tal"),
        ("#DIV/0!", "er tekst, hvor der skal stå et tal"),
        ("1e5", "er tekst, hvor der skal stå et tal"),
        ("NaN", "er tekst, hvor der skal stå et tal"),
        ("%", "er tekst, hvor der skal stå et tal"),
        ("--7", "er tekst, hvor der skal stå et tal"),
        ("1.234,5,6", "har flere decimaltegn"),
        ("1.23.4", "har tusindtalsskilletegn de forkerte steder"),
        ("9" * 400, "er for stort et tal"),  # overflowed to inf before
        (None, "er ikke et tal"),
        (float("nan"), "er ikke et tal"),
        (float("inf"), "er ikke et tal"),
        (dt.datetime(2025, 1, 1), "er ikke et tal"),
    ],
)
def test_a_cell_that_is_not_a_clear_number_is_refused_with_a_danish_reason(cell, reason):
    with pytest.raises(ValueError, match=reason):
        parse_number(cell)


# --- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "frequency", "expected"),
    [
        ("2025", "year", "2025"),
        (" 2025 ", "year", "2025"),
        (2025.0, "year", "2025"),
        ("2025K1", "quarter", "2025K1"),
        ("2025Q1", "quarter", "2025K1"),
        ("2025q4", "quarter", "2025K4"),
        ("2025 K 2", "quarter", "2025K2"),
        ("2025-01", "month", "2025M01"),
        ("2025M1", "month", "2025M01"),
        ("2025m12", "month", "2025M12"),
        ("2025-7", "month", "2025M07"),
        (dt.datetime(2025, 3, 15), "month", "2025M03"),
        (dt.datetime(2024, 12, 31, 23, 59), "month", "2024M12"),
    ],
)
def test_a_period_is_read_as_dst_writes_it(cell, frequency, expected):
    assert parse_period(cell, frequency) == expected


@pytest.mark.parametrize(
    ("cell", "frequency", "reason"),
    [
        ("2025K1", "year", "er et kvartal, men skabelonen har årstal"),
        ("2025-01", "year", "er en måned, men skabelonen har årstal"),
        ("2025", "month", "er et årstal, men skabelonen har måneder"),
        ("2025M03", "quarter", "er en måned, men skabelonen har kvartaler"),
        (dt.datetime(2025, 1, 1), "year", "er en dato, men skabelonen har årstal"),
        (dt.datetime(2025, 1, 1), "quarter", "er en dato, men skabelonen har kvartaler"),
        ("2025K5", "quarter", "har et kvartal uden for 1–4"),
        ("2025K0", "quarter", "har et kvartal uden for 1–4"),
        ("2025-13", "month", "har en måned uden for 1–12"),
        ("2025M00", "month", "har en måned uden for 1–12"),
        ("25", "year", "er ikke en periode; skabelonen har årstal"),
        ("1850", "year", "er ikke en periode"),
        ("sidste år", "year", "er ikke en periode"),
        ("01-01-2025", "year", "er ikke en periode"),
        ("\u0662\u0660\u0662\u0665", "year", "er ikke en periode"),  # Arabic-Indic digits were kept as the code before
        ("2025K\u0661", "quarter", "er ikke en periode"),
        (2025.5, "year", "er ikke en periode"),
        (None, "year", "mangler"),
    ],
)
def test_a_period_of_the_wrong_kind_is_refused_with_a_danish_reason(cell, frequency, reason):
    with pytest.raises(ValueError, match=reason):
        parse_period(cell, frequency)


# --- problems -------------------------------------------------------------------------------------


def test_a_problem_names_the_file_row_column_and_value():
    problem = Problem(3, "andel-tilfredse", "mange", "værdien er tekst, hvor der skal stå et tal")
    assert problem.describe("tal.csv") == (
        "tal.csv, række 3, kolonne andel-tilfredse: værdien er tekst, hvor der skal stå et tal (værdi: 'mange')"
    )
    assert Problem(None, "skabelon", "", "ukendt skabelon").describe("tal.csv") == (
        "tal.csv, kolonne skabelon: ukendt skabelon"
    )


# --- CSV ----------------------------------------------------------------------------------------------


def test_a_semicolon_csv_is_read():
    result = checked(f"{HEADER}\r\n101;2025;80,5\r\n751;2024;77\r\n".encode())
    assert result.ok, result.errors
    assert values(result) == {
        ("andel-tilfredse", "101", "2025"): 80.5,
        ("andel-tilfredse", "751", "2024"): 77.0,
    }


def test_a_comma_csv_with_quoted_danish_decimals_is_read():
    result = checked(b'kommune,periode,andel-tilfredse\n101,2025,"80,5"\nAarhus,2024,77.25\n')
    assert result.ok, result.errors
    assert values(result) == {
        ("andel-tilfredse", "101", "2025"): 80.5,
        ("andel-tilfredse", "751", "2024"): 77.25,
    }


def test_a_tab_separated_file_is_read():
    result = checked(b"kommune\tperiode\tandel-tilfredse\n101\t2025\t80,5\n")
    assert values(result) == {("andel-tilfredse", "101", "2025"): 80.5}


def test_a_utf8_csv_with_a_byte_order_mark_has_a_clean_first_header():
    table = read(("\ufeff" + HEADER + "\r\nKøbenhavn;2025;80\r\n").encode("utf-8"))
    assert table.headers == ["kommune", "periode", "andel-tilfredse"]
    assert table.rows == [(2, ["København", "2025", "80"])]


def test_a_utf8_csv_without_a_byte_order_mark_is_read():
    table = read(f"{HEADER}\nÆrø;2025;80\n".encode())
    assert table.headers == ["kommune", "periode", "andel-tilfredse"]
    assert table.rows == [(2, ["Ærø", "2025", "80"])]


def test_a_semicolon_csv_in_windows_1252_is_read():
    """Danish Excel's "CSV (semikolonsepareret)": Windows-1252, CRLF, decimal comma."""
    data = f"{HEADER}\r\nKøbenhavn;2025;80,5\r\nÆrø;2025;70\r\nLyngby-Taarbæk;2025;90\r\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the case this test is about
    result = checked(data)
    assert result.ok, result.errors
    assert {geo: value for (_, geo, _), value in values(result).items()} == {"101": 80.5, "492": 70.0, "173": 90.0}


@pytest.mark.parametrize(("encoding", "name"), [("utf-16", "data.csv"), ("utf-16-be", "data.txt")])
def test_a_utf16_file_with_a_byte_order_mark_is_read(encoding, name):
    """Excel's "Unicode-tekst": UTF-16 with a byte-order mark, tab-separated."""
    text = "kommune\tperiode\tandel-tilfredse\r\nKøbenhavn\t2025\t80,5\r\n"
    data = text.encode(encoding) if encoding == "utf-16" else b"\xfe\xff" + text.encode(encoding)
    result = checked(data, name)
    assert result.ok, result.errors
    assert values(result) == {("andel-tilfredse", "101", "2025"): 80.5}


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    table = read(f"\n{HEADER}\n\n101;2025;80\n;;\n751;2025;70\n".encode())
    assert table.headers == ["kommune", "periode", "andel-tilfredse"]
    assert [number for number, _ in table.rows] == [4, 6]


def test_an_empty_value_cell_means_missing_and_stores_nothing():
    result = checked(f"{HEADER}\n101;2025;\n751;2025;70\n".encode())
    assert result.ok, result.errors
    assert values(result) == {("andel-tilfredse", "751", "2025"): 70.0}
    assert result.data_rows == 2


@pytest.mark.parametrize("place", ["københavn", "KØBENHAVN", "København", "Københavns Kommune", "0101", "101", " 101 "])
def test_a_municipality_is_found_by_code_or_name_in_any_case(place):
    result = checked(f"{HEADER}\n{place};2025;80\n".encode())
    assert result.ok, result.errors
    assert result.municipalities == ["101"]


def test_the_example_row_of_the_template_is_never_imported():
    data = template_csv(shipped_templates()["foraeldretilfredshed"]) + b"Aarhus;2025;75\r\n"
    result = checked(data)
    assert result.ok, result.errors
    assert result.data_rows == 1
    assert values(result) == {("andel-tilfredse", "751", "2025"): 75.0}


def test_a_plausible_but_unusual_value_is_a_warning_not_an_error():
    result = checked(f"{HEADER}\n101;2025;12,5\n".encode())
    assert result.ok
    assert [(w.row, w.column, w.severity) for w in result.warnings] == [(2, "andel-tilfredse", "advarsel")]
    assert "forventet mellem 40 og 100 pct." in result.warnings[0].message
    assert values(result) == {("andel-tilfredse", "101", "2025"): 12.5}


def test_a_monthly_template_takes_negative_amounts_and_several_period_spellings():
    text = "kommune;periode;dagtilbud;skole\n101;2025-01;-1.234,5;10\n101;2025M2;2.000,25;\n101;2025M03;0;-5\n"
    result = checked(text.encode())
    assert result.ok, result.errors
    assert values(result) == {
        ("dagtilbud", "101", "2025M01"): -1234.5,
        ("skole", "101", "2025M01"): 10.0,
        ("dagtilbud", "101", "2025M02"): 2000.25,
        ("dagtilbud", "101", "2025M03"): 0.0,
        ("skole", "101", "2025M03"): -5.0,
    }


# --- XLSX ------------------------------------------------------------------------------------------------


def test_an_xlsx_cell_formatted_as_a_percentage_is_read_as_percent():
    data = xlsx(
        [["kommune", "periode", "andel-tilfredse"], [101, 2025, 0.123], [751, 2025, 80.5]],
        formats={"C2": "0.0%"},
    )
    table = read(data, "tal.xlsx")
    assert table.rows[0][1][2] == pytest.approx(12.3)
    assert table.rows[1][1][2] == 80.5  # a plain number cell is taken as it is
    result = check(table, shipped_templates())
    assert result.ok, result.errors
    assert values(result)[("andel-tilfredse", "101", "2025")] == pytest.approx(12.3)


def test_xlsx_numbers_dates_and_codes_come_through_as_typed_cells():
    data = xlsx(
        [["kommune", "periode", "dagtilbud"], [101, dt.datetime(2025, 1, 31), -1234.5], ["Aarhus", "2025-02", "7,5"]]
    )
    table = read(data, "tal.xlsx")
    assert table.kind == "xlsx" and table.sheet == "Data"
    assert table.rows == [(2, [101.0, dt.datetime(2025, 1, 31), -1234.5]), (3, ["Aarhus", "2025-02", "7,5"])]


def test_a_filled_in_xlsx_template_reads_back_to_the_right_values():
    template = shipped_templates()["foraeldretilfredshed"]
    workbook = load_workbook(io.BytesIO(template_xlsx(template)))
    assert workbook.sheetnames == ["Vejledning", "Data"]
    sheet = workbook["Data"]
    sheet.append([101, 2025, 81.5])
    sheet.append(["Aarhus", "2024", "75,5"])
    sheet.append(["frederiksberg kommune", 2025, 0.9])
    sheet["C5"].number_format = "0%"
    out = io.BytesIO()
    workbook.save(out)
    result = checked(out.getvalue(), "udfyldt.xlsx")
    assert result.ok, result.errors
    assert result.table.sheet == "Data"
    assert result.data_rows == 3  # the example row is skipped
    assert values(result) == pytest.approx(
        {
            ("andel-tilfredse", "101", "2025"): 81.5,
            ("andel-tilfredse", "751", "2024"): 75.5,
            ("andel-tilfredse", "147", "2025"): 90.0,
        }
    )


def test_a_filled_in_monthly_xlsx_template_takes_excel_dates_as_months():
    template = shipped_templates()["maanedsforbrug"]
    workbook = load_workbook(io.BytesIO(template_xlsx(template)))
    sheet = workbook["Data"]
    assert [c.value for c in sheet[1]] == template.headers
    sheet.append(["København", dt.datetime(2025, 1, 1), -250.0, 1234.5])
    sheet.append(["København", dt.date(2025, 2, 28), None, 1000])
    out = io.BytesIO()
    workbook.save(out)
    result = checked(out.getvalue(), "forbrug.xlsx")
    assert result.ok, result.errors
    assert values(result) == {
        ("dagtilbud", "101", "2025M01"): -250.0,
        ("skole", "101", "2025M01"): 1234.5,
        ("skole", "101", "2025M02"): 1000.0,
    }


def test_the_data_sheet_is_read_even_when_another_sheet_comes_first():
    workbook = Workbook()
    first = workbook.active
    first.title = "Noter"
    first.append(["noget helt andet"])
    data = workbook.create_sheet("Data")
    data.append(["kommune", "periode", "andel-tilfredse"])
    data.append([101, 2025, 80])
    out = io.BytesIO()
    workbook.save(out)
    result = checked(out.getvalue(), "tal.xlsx")
    assert result.ok, result.errors
    assert values(result) == {("andel-tilfredse", "101", "2025"): 80.0}


def test_a_workbook_without_a_data_sheet_is_read_from_its_first_sheet_but_not_the_guide():
    workbook = Workbook()
    guide = workbook.active
    guide.title = "Vejledning"
    guide.append(["vejledning"])
    mine = workbook.create_sheet("Ark1")
    mine.append(["Kommune", "Periode", "Andel-Tilfredse"])  # headers in any case
    mine.append(["Aarhus", 2025, 80])
    out = io.BytesIO()
    workbook.save(out)
    result = checked(out.getvalue(), "tal.xlsx")
    assert result.table.sheet == "Ark1"
    assert result.ok, result.errors
    assert values(result) == {("andel-tilfredse", "751", "2025"): 80.0}


def test_a_stray_cell_far_out_in_a_sheet_is_refused_instead_of_read_forever():
    from openpyxl import Workbook

    from lokalkompas.sources.uploads.reading import UploadError, read_upload

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kommune", "periode", "andel-tilfredse"])
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(UploadError, match="XFD1048576"):
        read_upload("stor.xlsx", out.getvalue(), max_bytes=10_000_000)
