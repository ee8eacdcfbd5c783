"""The fake Statbank answers like the real API v1 as recorded: formats, metadata, errors and faults.

Plain urllib (no HTTP client dependency); no database.
"""

from __future__ import annotations

import datetime as dt
import http.client
import itertools
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.sources.fake_statbank import (
    FakeStatbank,
    FakeTable,
    FakeVariable,
    boern8_value,
    default_tables,
    folk1a_value,
    regk31_value,
)

BOM = b"\xef\xbb\xbf"


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return str(self.headers["Content-Type"])

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def lines(self) -> list[str]:
        return self.body.decode("utf-8-sig").split("\r\n")


def call(
    fake: FakeStatbank,
    path: str,
    body: Any = None,
    *,
    raw: bytes | None = None,
    method: str | None = None,
    timeout: float = 5.0,
) -> Reply:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode("utf-8"))
    request = urllib.request.Request(
        fake.url + path,
        data=data,
        method=method or ("GET" if data is None else "POST"),
        headers={"Content-Type": "application/json"} if data is not None else {},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())


def data(fake: FakeStatbank, table: str, fmt: str, variables: dict[str, list[str]], **params: Any) -> Reply:
    body = {"table": table, "format": fmt, **params}
    body["variables"] = [{"code": code, "values": values} for code, values in variables.items()]
    return call(fake, "/v1/data", body)


def assert_error(reply: Reply, status: int, code: str, message: str) -> None:
    assert reply.status == status
    assert reply.content_type == "application/json; charset=utf-8"
    assert reply.json() == {"errorTypeCode": code, "message": message}


FOLK1A_TOTALS = {"KØN": "TOT", "ALDER": "IALT", "CIVILSTAND": "TOT"}
REGK31_ALL = {"DRANST": ["1"], "ART": ["TOT"], "PRISENHED": ["LOBM"]}


# --- CSV ----------------------------------------------------------------------------------------------------------


def test_csv_answer_is_exactly_dst_dialect(fake_statbank: FakeStatbank) -> None:
    reply = data(
        fake_statbank,
        "boern8",
        "CSV",
        {"KOMMUNEDK": ["101", "751"], "PASKAT": ["1"], "Tid": ["*"]},
        lang="da",
        valuePresentation="Code",
    )
    assert reply.status == 200
    assert reply.content_type == "text/csv; charset=utf-8"
    assert reply.body == (
        BOM + b"KOMMUNEDK;PASKAT;TID;INDHOLD\r\n101;1;2023;3,4\r\n101;1;2024;..\r\n751;1;2023;3,3\r\n751;1;2024;3,2\r\n"
    )
    assert reply.headers["Content-Length"] == str(len(reply.body))


def test_csv_shows_texts_by_default_and_a_decimal_dot_in_english(fake_statbank: FakeStatbank) -> None:
    da = data(fake_statbank, "BOERN8", "CSV", {"KOMMUNEDK": ["101"], "PASKAT": ["2"], "Tid": ["2023"]})
    assert da.body == BOM + "KOMMUNEDK;PASKAT;TID;INDHOLD\r\nKøbenhavn;Daginstitution 0-2 år;2023;2,8\r\n".encode()
    en = data(fake_statbank, "BOERN8", "CSV", {"KOMMUNEDK": ["101"], "PASKAT": ["2"], "Tid": ["2023"]}, lang="en")
    assert en.lines()[1] == "Copenhagen;Day care institution 0-2 years;2023;2.8"


def test_csv_folk1a_like_the_recorded_answer(fake_statbank: FakeStatbank) -> None:
    reply = data(
        fake_statbank,
        "FOLK1A",
        "CSV",
        {"OMRÅDE": ["101"], "KØN": ["*"], "ALDER": ["IALT"], "CIVILSTAND": ["TOT"], "Tid": ["2024K1"]},
    )
    total = folk1a_value({"OMRÅDE": "101", **FOLK1A_TOTALS, "Tid": "2024K1"})
    men = folk1a_value({"OMRÅDE": "101", **FOLK1A_TOTALS, "KØN": "1", "Tid": "2024K1"})
    women = folk1a_value({"OMRÅDE": "101", **FOLK1A_TOTALS, "KØN": "2", "Tid": "2024K1"})
    assert men is not None and women is not None and men + women == total
    assert reply.lines() == [
        "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD",
        f"København;I alt;Alder i alt;I alt;2024K1;{total}",
        f"København;Mænd;Alder i alt;I alt;2024K1;{men}",
        f"København;Kvinder;Alder i alt;I alt;2024K1;{women}",
        "",
    ]


def test_csv_eliminates_unnamed_variables_and_gives_the_newest_period(fake_statbank: FakeStatbank) -> None:
    reply = data(fake_statbank, "FOLK1A", "CSV", {"OMRÅDE": ["101"]}, valuePresentation="Code")
    total = folk1a_value({"OMRÅDE": "101", **FOLK1A_TOTALS, "Tid": "2024K4"})
    assert reply.lines() == ["OMRÅDE;TID;INDHOLD", f"101;2024K4;{total}", ""]


def test_csv_code_and_value_presentation(fake_statbank: FakeStatbank) -> None:
    reply = data(fake_statbank, "FOLK1A", "CSV", {"OMRÅDE": ["101"]}, valuePresentation="CodeAndValue")
    assert reply.lines()[1].startswith("101 København;2024K4;")


@pytest.mark.parametrize(
    ("selectors", "periods"),
    [
        (["*"], ["2023K1", "2023K2", "2023K3", "2023K4", "2024K1", "2024K2", "2024K3", "2024K4"]),
        (["2023*"], ["2023K1", "2023K2", "2023K3", "2023K4"]),
        (["*K1"], ["2023K1", "2024K1"]),
        (["(1)"], ["2024K4"]),
        (["(2)"], ["2024K3"]),
        (["(-n+3)"], ["2024K2", "2024K3", "2024K4"]),
        (["-(-n+2)"], ["2023K1", "2023K2"]),
        (["2023k2"], ["2023K2"]),
        ([">=2024K3"], ["2024K3", "2024K4"]),
        ([">=2023K2<=2023K3"], ["2023K2", "2023K3"]),
        (["2024K1", "2023K1", "2024K1"], ["2023K1", "2024K1"]),
    ],
)
def test_value_selectors(fake_statbank: FakeStatbank, selectors: list[str], periods: list[str]) -> None:
    reply = data(fake_statbank, "FOLK1A", "CSV", {"Tid": selectors}, valuePresentation="Code")
    assert reply.status == 200, reply.body
    assert [line.split(";")[0] for line in reply.lines()[1:-1]] == periods


def test_csv_time_order_descending(fake_statbank: FakeStatbank) -> None:
    reply = data(fake_statbank, "FOLK1A", "CSV", {"Tid": ["2024*"]}, timeOrder="Descending")
    assert [line.split(";")[0] for line in reply.lines()[1:-1]] == ["2024K4", "2024K3", "2024K2", "2024K1"]


def test_csv_cannot_eliminate_a_variable_without_elimination(fake_statbank: FakeStatbank) -> None:
    reply = data(fake_statbank, "BOERN8", "CSV", {"KOMMUNEDK": ["101"]})
    assert_error(reply, 400, "EXTRACT-NOTALLOWED", "Der skal vælges værdier for variabel: PASKAT")


def test_get_data_rest_form(fake_statbank: FakeStatbank) -> None:
    query = urlencode(
        {"OMRÅDE": "101", "KØN": "TOT", "ALDER": "IALT", "Tid": "2024K1,2024K2", "valuePresentation": "Code"}
    )
    reply = call(fake_statbank, f"/v1/data/FOLK1A/CSV?{query}")
    assert reply.status == 200
    assert reply.lines()[0] == "OMRÅDE;KØN;ALDER;TID;INDHOLD"
    assert [line.rsplit(";", 1)[0] for line in reply.lines()[1:-1]] == ["101;TOT;IALT;2024K1", "101;TOT;IALT;2024K2"]


# --- BULK ---------------------------------------------------------------------------------------------------------


def test_bulk_is_streamed_without_bom_and_omits_suppressed_rows(fake_statbank: FakeStatbank) -> None:
    selection = {"OMRÅDE": ["101", "147"], "FUNKTION": ["02201", "52511"], **REGK31_ALL, "Tid": ["2024"]}
    bulk = data(fake_statbank, "REGK31", "BULK", selection, valuePresentation="Code")
    assert bulk.status == 200
    assert bulk.content_type == "text/csv; charset=utf-8"
    assert bulk.headers["Transfer-Encoding"] == "chunked"

    def row(area: str, function: str) -> str:
        coords = {"OMRÅDE": area, "FUNKTION": function, "DRANST": "1", "ART": "TOT", "PRISENHED": "LOBM", "Tid": "2024"}
        return f"{area};{function};1;TOT;LOBM;2024;{regk31_value(coords)}\r\n"

    header = "OMRÅDE;FUNKTION;DRANST;ART;PRISENHED;TID;INDHOLD\r\n"
    # Frederiksberg's 0 on 0.22.01 is suppressed: BULK leaves the row out ...
    assert bulk.body == (header + row("101", "02201") + row("101", "52511") + row("147", "52511")).encode()
    # ... while CSV shows it with the table's suppressedDataValue.
    csv = data(fake_statbank, "REGK31", "CSV", selection, valuePresentation="Code")
    assert "147;02201;1;TOT;LOBM;2024;0" in csv.lines()
    assert fake_statbank.tables["REGK31"].suppressed_value == "0"


def test_bulk_shows_texts_by_default(fake_statbank: FakeStatbank) -> None:
    selection = {"OMRÅDE": ["000"], "KØN": ["*"], "ALDER": ["IALT"], "CIVILSTAND": ["TOT"], "Tid": ["2023K1"]}
    reply = data(fake_statbank, "FOLK1A", "BULK", selection)
    assert reply.body.startswith(b"OMR\xc3\x85DE;K\xc3\x98N;ALDER;CIVILSTAND;TID;INDHOLD\r\nHele landet;I alt;")
    assert len(reply.lines()) == 1 + 3 + 1


@pytest.mark.parametrize(
    ("selection", "missing"),
    [
        ({"KØN": ["*"], "ALDER": ["IALT"], "CIVILSTAND": ["TOT"], "Tid": ["*"]}, "OMRÅDE"),
        ({"OMRÅDE": ["*"], "KØN": ["*"], "ALDER": ["IALT"], "CIVILSTAND": ["TOT"]}, "Tid"),
    ],
)
def test_bulk_requires_every_variable(
    fake_statbank: FakeStatbank, selection: dict[str, list[str]], missing: str
) -> None:
    reply = data(fake_statbank, "FOLK1A", "BULK", selection)
    assert_error(reply, 400, "EXTRACT-NOTALLOWED", f"Der skal vælges værdier for variabel: {missing}")


def test_bulk_rejects_time_order(fake_statbank: FakeStatbank) -> None:
    selection = {"KOMMUNEDK": ["*"], "PASKAT": ["*"], "Tid": ["*"]}
    reply = data(fake_statbank, "BOERN8", "BULK", selection, timeOrder="Ascending")
    assert reply.status == 400
    assert reply.json()["message"] == "Der kan ikke vælges sortering af tid for streamede formater"


def test_bulk_has_no_cell_limit(fake_statbank: FakeStatbank) -> None:
    fake_statbank.cell_limit = 10
    selection = {"OMRÅDE": ["*"], "KØN": ["*"], "ALDER": ["*"], "CIVILSTAND": ["*"], "Tid": ["*"]}
    reply = data(fake_statbank, "FOLK1A", "BULK", selection, valuePresentation="Code")
    assert reply.status == 200
    assert len(reply.lines()) == 1 + 6 * 3 * 7 * 1 * 8 + 1


# --- JSON-stat ----------------------------------------------------------------------------------------------------


def test_jsonstat_like_the_recorded_example(fake_statbank: FakeStatbank) -> None:
    reply = data(fake_statbank, "FOLK1A", "JSONSTAT", {}, lang="en")
    assert reply.status == 200
    assert reply.content_type == "text/json; charset=utf-8"
    total = folk1a_value({"OMRÅDE": "000", **FOLK1A_TOTALS, "Tid": "2024K4"})
    label = "Population at the first day of the quarter"
    assert reply.json() == {
        "dataset": {
            "dimension": {
                "ContentsCode": {
                    "label": "Indhold",
                    "category": {
                        "index": {"FOLK1A": 0},
                        "label": {"FOLK1A": label},
                        "unit": {"FOLK1A": {"base": "number", "decimals": 0}},
                    },
                },
                "Tid": {"label": "time", "category": {"index": {"2024K4": 0}, "label": {"2024K4": "2024Q4"}}},
                "id": ["ContentsCode", "Tid"],
                "size": [1, 1],
                "role": {"metric": ["ContentsCode"], "time": ["Tid"]},
            },
            "label": f"{label} by Indhold and time",
            "source": "Statistics Denmark",
            "updated": "2024-11-11T07:00:00Z",
            "value": [total],
        }
    }


def test_jsonstat_dimensions_roles_and_row_major_values(fake_statbank: FakeStatbank) -> None:
    selection = {"OMRÅDE": ["000", "101"], "KØN": ["1", "2"], "Tid": ["2024K3", "2024K4"]}
    dataset = data(fake_statbank, "FOLK1A", "JSONSTAT", selection).json()["dataset"]
    dimension = dataset["dimension"]
    assert list(dimension) == ["OMRÅDE", "KØN", "ContentsCode", "Tid", "id", "size", "role"]
    assert dimension["id"] == ["OMRÅDE", "KØN", "ContentsCode", "Tid"]
    assert dimension["size"] == [2, 2, 1, 2]
    assert dimension["role"] == {"geo": ["OMRÅDE"], "metric": ["ContentsCode"], "time": ["Tid"]}
    assert dimension["OMRÅDE"] == {
        "label": "område",
        "category": {"index": {"000": 0, "101": 1}, "label": {"000": "Hele landet", "101": "København"}},
    }
    assert dataset["label"] == "Befolkningen den 1. i kvartalet efter område, køn, Indhold og tid"
    assert dataset["source"] == "Danmarks Statistik"
    expected = [
        folk1a_value({**FOLK1A_TOTALS, "OMRÅDE": area, "KØN": sex, "Tid": period})
        for area, sex, period in itertools.product(["000", "101"], ["1", "2"], ["2024K3", "2024K4"])
    ]
    assert dataset["value"] == expected


def test_jsonstat_missing_value_is_null(fake_statbank: FakeStatbank) -> None:
    selection = {"KOMMUNEDK": ["101"], "PASKAT": ["1"], "Tid": ["*"]}
    dataset = data(fake_statbank, "BOERN8", "JSONSTAT", selection).json()["dataset"]
    assert dataset["value"] == [3.4, None]
    assert dataset["dimension"]["ContentsCode"]["category"]["unit"]["BOERN8"]["decimals"] == 1
    assert "geo" not in dataset["dimension"]["role"]  # KOMMUNEDK has no map in BOERN8


# --- cell limit ---------------------------------------------------------------------------------------------------


def test_request_limit_message(fake_statbank: FakeStatbank) -> None:
    fake_statbank.cell_limit = 1000
    selection = {"OMRÅDE": ["*"], "KØN": ["*"], "ALDER": ["*"], "CIVILSTAND": ["*"], "Tid": ["*"]}
    message = (
        "Forespørgslen på op mod 6.048 celler er over begrænsningen på 1.000 celler for denne filtype. "
        "Anvend BULK eller andet streaming format i stedet."
    )
    for fmt in ("CSV", "JSONSTAT"):
        assert_error(data(fake_statbank, "FOLK1A", fmt, selection), 400, "REQUEST-LIMIT", message)
    fake_statbank.cell_limit = 6048  # 1,008 rows x (5 variables + value): exactly at the limit is fine
    assert data(fake_statbank, "FOLK1A", "CSV", selection).status == 200


def test_request_limit_at_the_real_limit(fake_statbank: FakeStatbank) -> None:
    codes = [(f"{i:04d}", f"Værdi {i}") for i in range(1000)]
    fake_statbank.tables["BIG"] = FakeTable(
        id="BIG",
        text="Stor tabel",
        unit="Antal",
        updated=dt.datetime(2025, 1, 1, 8, 0),
        variables=[
            FakeVariable("X", "x", codes),
            FakeVariable("Tid", "tid", [(str(y), str(y)) for y in range(1000, 2000)], time=True, elimination=False),
        ],
        value=lambda coords: 1,
    )
    reply = data(fake_statbank, "BIG", "CSV", {"X": ["*"], "Tid": ["*"]})
    assert_error(
        reply,
        400,
        "REQUEST-LIMIT",
        "Forespørgslen på op mod 3.000.000 celler er over begrænsningen på 1.000.000 celler for denne filtype. "
        "Anvend BULK eller andet streaming format i stedet.",
    )


# --- tableinfo and tables -----------------------------------------------------------------------------------------


def test_tableinfo_shape(fake_statbank: FakeStatbank) -> None:
    reply = call(fake_statbank, "/v1/tableinfo", {"table": "folk1a", "lang": "da", "format": "JSON"})
    assert reply.status == 200
    info = reply.json()
    assert list(info) == [
        "id",
        "text",
        "description",
        "unit",
        "suppressedDataValue",
        "updated",
        "active",
        "contacts",
        "documentation",
        "footnote",
        "variables",
    ]
    assert info["id"] == "FOLK1A"
    assert info["description"] == "Befolkningen den 1. i kvartalet efter område, køn, alder, civilstand og tid"
    assert info["suppressedDataValue"] == "0"
    assert info["updated"] == "2024-11-11T08:00:00"
    assert info["active"] is True
    assert set(info["contacts"][0]) == {"name", "phone", "mail"}
    assert set(info["documentation"]) == {"id", "url"}
    assert info["footnote"] is None
    area, sex = info["variables"][0], info["variables"][1]
    assert list(area) == ["id", "text", "elimination", "time", "map", "values"]
    assert area["map"] == "Denmark_municipality_07"
    assert area["values"][:3] == [
        {"id": "000", "text": "Hele landet"},
        {"id": "084", "text": "Region Hovedstaden"},
        {"id": "101", "text": "København"},
    ]
    assert "map" not in sex
    assert [v["id"] for v in info["variables"]] == ["OMRÅDE", "KØN", "ALDER", "CIVILSTAND", "Tid"]
    assert info["variables"][-1]["time"] is True
    assert info["variables"][-1]["elimination"] is False


def test_tableinfo_get_forms_and_english_quarter_labels(fake_statbank: FakeStatbank) -> None:
    rest = call(fake_statbank, "/v1/tableinfo/FOLK1A?format=JSON&lang=en").json()
    assert rest["text"] == "Population at the first day of the quarter"
    assert rest["variables"][-1]["values"][0] == {"id": "2023K1", "text": "2023Q1"}
    assert rest["variables"][0]["text"] == "region"
    query = call(fake_statbank, "/v1/tableinfo?id=boern8&format=JSON").json()
    assert query["id"] == "BOERN8"
    assert query["footnote"] == {
        "text": "Normeringen er opgjort som antal børn pr. pædagogisk medarbejder.",
        "mandatory": False,
    }


def test_tableinfo_rejects_id_in_a_post_body(fake_statbank: FakeStatbank) -> None:
    reply = call(fake_statbank, "/v1/tableinfo", {"id": "FOLK1A", "format": "JSON"})
    assert_error(reply, 400, "REQUEST-MISSING", "Der er ikke angivet nogen tabel-id.")


def test_tables_lists_active_tables(fake_statbank: FakeStatbank) -> None:
    tables = call(fake_statbank, "/v1/tables", {"lang": "da"}).json()
    assert [t["id"] for t in tables] == ["FOLK1A", "BOERN8", "REGK31", "FRKM125"]
    assert tables[0] == {
        "id": "FOLK1A",
        "text": "Befolkningen den 1. i kvartalet",
        "unit": "Antal",
        "updated": "2024-11-11T08:00:00",
        "firstPeriod": "2023K1",
        "latestPeriod": "2024K4",
        "active": True,
        "variables": ["område", "køn", "alder", "civilstand", "tid"],
    }


def test_tables_include_inactive_and_english_periods(fake_statbank: FakeStatbank) -> None:
    tables = call(fake_statbank, "/v1/tables?lang=en&includeInactive=true").json()
    by_id = {t["id"]: t for t in tables}
    assert by_id["FRKM124"]["active"] is False
    assert by_id["FRKM125"]["active"] is True
    assert (by_id["FOLK1A"]["firstPeriod"], by_id["FOLK1A"]["latestPeriod"]) == ("2023Q1", "2024Q4")
    assert by_id["FOLK1A"]["variables"] == ["region", "sex", "age", "marital status", "time"]


def test_tables_follow_changes_between_refreshes(fake_statbank: FakeStatbank) -> None:
    table = fake_statbank.tables["FOLK1A"]
    table.updated = dt.datetime.now().replace(microsecond=0)
    table.value = lambda coords: 42
    recent = call(fake_statbank, "/v1/tables", {"pastdays": 1}).json()
    assert [t["id"] for t in recent] == ["FOLK1A"]
    assert recent[0]["updated"] == table.updated.isoformat()
    reply = data(fake_statbank, "FOLK1A", "CSV", {"OMRÅDE": ["101"]}, valuePresentation="Code")
    assert reply.lines()[1] == "101;2024K4;42"


# --- errors -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "status", "code", "message"),
    [
        (
            "/v1/data",
            {"table": "INVALIDTABLE999", "format": "CSV"},
            400,
            "EXTRACT-NOTFOUND",
            "Tabel findes ikke: INVALIDTABLE999",
        ),
        (
            "/v1/data",
            {"table": "FOLK1A", "format": "CSV", "variables": [{"code": "INVALIDVAR", "values": ["*"]}]},
            400,
            "EXTRACT-NOTFOUND",
            "Kan ikke finde variablen: INVALIDVAR",
        ),
        (
            "/v1/data",
            {"table": "FOLK1A", "format": "CSV", "variables": [{"code": "OMRÅDE", "values": ["999999"]}]},
            400,
            "EXTRACT-NOTFOUND",
            "Kan ikke finde værdien: 999999 (OMRÅDE)",
        ),
        (
            "/v1/data",
            {"table": "FOLK1A", "format": "CSV", "lang": "en", "variables": [{"code": "OMRÅDE", "values": ["999"]}]},
            400,
            "EXTRACT-NOTFOUND",
            "Can't find value: 999 (OMRÅDE)",
        ),
        ("/v1/data", {"table": "FOLK1A"}, 400, "REQUEST-MISSING", "Format ikke angivet, eller ikke gyldigt."),
        ("/v1/data", {"table": "FOLK1A", "lang": "en"}, 400, "REQUEST-MISSING", "Format not found or not valid."),
        (
            "/v1/data",
            {"table": "FOLK1A", "format": "JSON"},
            400,
            "REQUEST-MISSING",
            "Format ikke angivet, eller ikke gyldigt.",
        ),
        ("/v1/data", {"format": "CSV"}, 400, "REQUEST-MISSING", "Der er ikke angivet nogen tabel-id."),
        ("/v1/tableinfo", {"format": "JSON"}, 400, "REQUEST-MISSING", "Der er ikke angivet nogen tabel-id."),
        ("/v1/nosuch", {"table": "FOLK1A"}, 404, "REQUEST-NOTFOUND", "Siden kan ikke findes. / Page not found."),
        ("/v2/data", {"table": "FOLK1A"}, 404, "REQUEST-NOTFOUND", "Siden kan ikke findes. / Page not found."),
    ],
    ids=[
        "unknown-table",
        "unknown-variable",
        "unknown-value",
        "unknown-value-en",
        "missing-format",
        "missing-format-en",
        "json-is-no-data-format",
        "missing-table",
        "tableinfo-missing-table",
        "unknown-endpoint",
        "unknown-version",
    ],
)
def test_error_table(
    fake_statbank: FakeStatbank, path: str, body: dict[str, Any], status: int, code: str, message: str
) -> None:
    assert_error(call(fake_statbank, path, body), status, code, message)


def test_empty_body_and_get_without_format_miss_the_format(fake_statbank: FakeStatbank) -> None:
    message = "Format ikke angivet, eller ikke gyldigt."
    assert_error(call(fake_statbank, "/v1/data", raw=b""), 400, "REQUEST-MISSING", message)
    assert_error(call(fake_statbank, "/v1/data/FOLK1A"), 400, "REQUEST-MISSING", message)


def test_malformed_json_is_answered_in_both_languages(fake_statbank: FakeStatbank) -> None:
    reply = call(fake_statbank, "/v1/data", raw=b'{"table": "FOLK1A", "format": ')
    message = "Medsend gyldigt JSON-objekt når der postes. / Supply valid JSON-object when posting."
    assert_error(reply, 400, "REQUEST-EMPTY", message)


def test_unimplemented_formats_are_refused_loudly(fake_statbank: FakeStatbank) -> None:
    reply = data(fake_statbank, "FOLK1A", "PX", {})
    assert reply.status == 501
    assert reply.json()["errorTypeCode"] == "FAKE-UNSUPPORTED"


# --- faults -------------------------------------------------------------------------------------------------------

SMALL = {"KOMMUNEDK": ["101"], "PASKAT": ["1"], "Tid": ["2023"]}


def test_fault_500_is_an_html_page(fake_statbank: FakeStatbank) -> None:
    fake_statbank.fail_next(1, "500")
    reply = data(fake_statbank, "BOERN8", "CSV", SMALL)
    assert reply.status == 500
    assert reply.content_type == "text/html; charset=utf-8"
    assert reply.body.startswith(b"<!DOCTYPE html>")
    assert data(fake_statbank, "BOERN8", "CSV", SMALL).status == 200


def test_fault_503_json(fake_statbank: FakeStatbank) -> None:
    fake_statbank.fail_next(1, "503-json")
    reply = data(fake_statbank, "BOERN8", "CSV", SMALL)
    assert reply.status == 503
    assert reply.content_type == "application/json; charset=utf-8"
    assert set(reply.json()) == {"errorTypeCode", "message"}


def test_fault_html_400(fake_statbank: FakeStatbank) -> None:
    fake_statbank.fail_next(1, "html-400")
    reply = data(fake_statbank, "BOERN8", "CSV", SMALL)
    assert reply.status == 400
    assert reply.content_type == "text/html; charset=utf-8"
    with pytest.raises(ValueError):
        reply.json()


def test_fault_timeout_outlasts_the_client(fake_statbank: FakeStatbank) -> None:
    fake_statbank.fail_next(1, "timeout", delay=0.3)
    body = {"table": "BOERN8", "format": "CSV", "variables": [{"code": "PASKAT", "values": ["1"]}]}
    with pytest.raises(TimeoutError):
        call(fake_statbank, "/v1/data", body, timeout=0.1)
    assert call(fake_statbank, "/v1/data", body, timeout=0.2).status == 200


def test_fault_timeout_answers_after_the_delay(fake_statbank: FakeStatbank) -> None:
    fake_statbank.fail_next(1, "timeout", delay=0.3)
    started = time.monotonic()
    reply = data(fake_statbank, "BOERN8", "CSV", SMALL)
    assert time.monotonic() - started >= 0.3
    assert reply.status == 200


def test_fault_reset_closes_without_an_answer(fake_statbank: FakeStatbank) -> None:
    fake_statbank.fail_next(1, "reset")
    with pytest.raises(ConnectionResetError):
        data(fake_statbank, "BOERN8", "CSV", SMALL)
    assert data(fake_statbank, "BOERN8", "CSV", SMALL).status == 200


def test_fault_truncate_sends_half_the_announced_body(fake_statbank: FakeStatbank) -> None:
    full = data(fake_statbank, "BOERN8", "CSV", SMALL).body
    fake_statbank.fail_next(1, "truncate")
    body = json.dumps(
        {"table": "BOERN8", "format": "CSV", "variables": [{"code": k, "values": v} for k, v in SMALL.items()]}
    )
    request = urllib.request.Request(fake_statbank.url + "/v1/data", data=body.encode(), method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Length"] == str(len(full))
        with pytest.raises(http.client.IncompleteRead) as caught:
            response.read()
    assert caught.value.partial == full[: len(full) // 2]


def test_fault_malformed_csv_has_rows_with_the_wrong_number_of_fields(fake_statbank: FakeStatbank) -> None:
    fake_statbank.fail_next(1, "malformed-csv")
    reply = data(fake_statbank, "BOERN8", "CSV", {"KOMMUNEDK": ["*"], "PASKAT": ["*"], "Tid": ["*"]})
    assert reply.status == 200
    assert reply.content_type == "text/csv; charset=utf-8"
    header, *rows = reply.lines()[:-1]
    assert rows
    assert all(len(row.split(";")) != len(header.split(";")) for row in rows)


def test_faults_count_and_endpoint(fake_statbank: FakeStatbank) -> None:
    fake_statbank.fail_next(2, "500")
    assert call(fake_statbank, "/v1/tableinfo", {"table": "FOLK1A"}).status == 200  # only /v1/data fails
    assert [data(fake_statbank, "BOERN8", "CSV", SMALL).status for _ in range(3)] == [500, 500, 200]
    fake_statbank.fail_next(1, "503-json", endpoint=None)
    assert call(fake_statbank, "/v1/tableinfo", {"table": "FOLK1A"}).status == 503
    assert [r["fault"] for r in fake_statbank.requests] == [None, "500", "500", None, "503-json"]


def test_fail_next_rejects_unknown_kinds(fake_statbank: FakeStatbank) -> None:
    with pytest.raises(ValueError):
        fake_statbank.fail_next(1, "teapot")


# --- plumbing -----------------------------------------------------------------------------------------------------


def test_requests_are_recorded(fake_statbank: FakeStatbank) -> None:
    data(fake_statbank, "BOERN8", "CSV", SMALL)
    call(fake_statbank, "/v1/tableinfo/FOLK1A?format=JSON&lang=en")
    first, second = fake_statbank.requests
    assert (first["method"], first["path"], first["body"]["table"]) == ("POST", "/v1/data", "BOERN8")
    assert (second["method"], second["path"], second["query"]) == (
        "GET",
        "/v1/tableinfo/FOLK1A",
        {"format": "JSON", "lang": "en"},
    )


def test_listens_on_loopback_with_a_free_port() -> None:
    with FakeStatbank(default_tables()) as one, FakeStatbank(default_tables()) as two:
        assert one.url.startswith("http://127.0.0.1:")
        assert one.url != two.url
        port = int(one.url.rsplit(":", 1)[1])
        assert data(one, "BOERN8", "CSV", SMALL).status == 200
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_default_tables_are_consistent() -> None:
    tables = default_tables()
    assert list(tables) == ["FOLK1A", "BOERN8", "REGK31", "FRKM124", "FRKM125"]
    assert [t.active for t in tables.values()] == [True, True, True, False, True]
    assert boern8_value({"KOMMUNEDK": "101", "PASKAT": "1", "Tid": "2024"}) is None
    for table in tables.values():  # every combination has a value, every time variable is last
        assert table.variables[-1].time
        for combo in itertools.product(*(v.values for v in table.variables)):
            table.value({v.id: code for v, (code, _) in zip(table.variables, combo, strict=True)})
