"""The Statbank client against a local server that answers like the real service."""

from __future__ import annotations

import pytest

from lokalkompas.sources.statbank import client as client_module
from lokalkompas.sources.statbank.client import (
    ClientSettings,
    RateLimiter,
    StatbankApiError,
    StatbankClient,
    StatbankLimitError,
    StatbankUnavailable,
    estimate_cells,
)
from lokalkompas.sources.statbank.parse import StatbankParseError


def make(fake, **kw) -> StatbankClient:
    options = {"base_url": fake.url, "timeout": 1.0, "retries": 2, "rate": 1000, "backoff": 0.01} | kw
    return StatbankClient(ClientSettings(**options))


def data_formats(fake) -> list[str]:
    return [r["body"]["format"] for r in fake.requests if r["path"].endswith("/data")]


def test_it_lists_tables_and_reads_tableinfo_with_the_area_variable(fake_statbank):
    with make(fake_statbank) as c:
        ids = {t.id for t in c.tables()}
        info = c.tableinfo("boern8")
    assert {"FOLK1A", "BOERN8", "REGK31", "FRKM125"} <= ids
    assert info.id == "BOERN8"
    area = info.area_variable()
    assert area is not None and area.id == "KOMMUNEDK"


def test_it_asks_for_codes_in_danish_and_reads_decimal_commas(fake_statbank):
    with make(fake_statbank) as c:
        info = c.tableinfo("BOERN8")
        frame = c.data(info, {"KOMMUNEDK": ["101", "751"], "PASKAT": ["2"], "Tid": ["*"]})
    body = fake_statbank.requests[-1]["body"]
    assert (body["lang"], body["valuePresentation"], body["format"]) == ("da", "Code", "CSV")
    assert set(frame["KOMMUNEDK"]) == {"101", "751"}
    values = [v for v in frame["value"].to_list() if v is not None]
    assert values and any(v != int(v) for v in values)


def test_it_streams_bulk_with_every_variable_when_the_estimate_is_over_the_limit(fake_statbank):
    with make(fake_statbank, cell_limit=10) as c:
        info = c.tableinfo("BOERN8")
        frame = c.data(info, {"KOMMUNEDK": ["101", "751"], "PASKAT": ["2", "3"], "Tid": ["*"]})
    assert data_formats(fake_statbank) == ["BULK"]
    listed = {v["code"] for v in fake_statbank.requests[-1]["body"]["variables"]}
    assert listed == {v.id for v in info.variables}
    assert frame.height == 2 * 2 * len(info.time_variable().values)


def test_it_switches_to_bulk_by_itself_when_the_service_says_request_limit(fake_statbank):
    fake_statbank.cell_limit = 5
    with make(fake_statbank) as c:
        info = c.tableinfo("BOERN8")
        c.data(info, {"KOMMUNEDK": ["101"], "PASKAT": ["2"], "Tid": ["*"]})
    assert data_formats(fake_statbank) == ["CSV", "BULK"]


@pytest.mark.parametrize("kind", ["500", "503-json", "timeout", "reset", "truncate"])
def test_it_retries_passing_faults(fake_statbank, kind):
    fake_statbank.fail_next(2, kind, delay=1.5)
    with make(fake_statbank) as c:
        info = c.tableinfo("BOERN8")
        frame = c.data(info, {"KOMMUNEDK": ["101"], "PASKAT": ["2"], "Tid": ["*"]})
        assert c.requests_sent == 1 + 3
    assert frame.height > 0


def test_it_gives_up_after_its_retries_with_a_danish_message(fake_statbank):
    fake_statbank.fail_next(10, "500")
    with make(fake_statbank) as c:
        info = c.tableinfo("BOERN8")
        with pytest.raises(StatbankUnavailable, match="efter 3 forsøg: serverfejl HTTP 500"):
            c.data(info, {"KOMMUNEDK": ["101"], "PASKAT": ["2"], "Tid": ["*"]})


def test_an_unknown_table_is_a_typed_error_with_dsts_own_text(fake_statbank):
    with make(fake_statbank) as c, pytest.raises(StatbankApiError) as caught:
        c.tableinfo("FINDESIKKE")
    assert caught.value.code == "EXTRACT-NOTFOUND"
    assert "Tabel findes ikke" in str(caught.value)
    assert "Danmarks Statistik afviste forespørgslen" in str(caught.value)


def test_an_unknown_value_names_the_variable(fake_statbank):
    with make(fake_statbank) as c:
        info = c.tableinfo("BOERN8")
        with pytest.raises(StatbankApiError, match=r"Kan ikke finde værdien: 999999 \(KOMMUNEDK\)"):
            c.data(info, {"KOMMUNEDK": ["999999"], "PASKAT": ["2"], "Tid": ["*"]})


def test_a_non_json_error_page_is_an_error_not_a_crash(fake_statbank):
    fake_statbank.fail_next(1, "html-400")
    with make(fake_statbank) as c:
        info = c.tableinfo("BOERN8")
        with pytest.raises(StatbankApiError, match="svar uden fejlbeskrivelse"):
            c.data(info, {"KOMMUNEDK": ["101"], "PASKAT": ["2"], "Tid": ["*"]})


def test_a_malformed_csv_is_a_parse_error(fake_statbank):
    fake_statbank.fail_next(1, "malformed-csv")
    with make(fake_statbank) as c:
        info = c.tableinfo("BOERN8")
        with pytest.raises(StatbankParseError):
            c.data(info, {"KOMMUNEDK": ["101"], "PASKAT": ["2"], "Tid": ["*"]})


def test_a_limit_error_is_its_own_type():
    error = client_module._api_error(400, b'{"errorTypeCode": "REQUEST-LIMIT", "message": "for mange"}', "X")
    assert isinstance(error, StatbankLimitError)


def test_the_rate_limiter_spaces_requests(monkeypatch):
    now = {"t": 100.0}
    slept: list[float] = []
    monkeypatch.setattr(client_module.time, "sleep", lambda s: slept.append(s))
    limiter = RateLimiter(4, clock=lambda: now["t"])
    for _ in range(5):
        limiter.wait()
    assert slept == pytest.approx([0.25, 0.5, 0.75, 1.0])


def test_the_cell_estimate_counts_time_and_value_as_dst_does(fake_statbank):
    with make(fake_statbank) as c:
        info = c.tableinfo("BOERN8")
    # 2 areas x 1 PASKAT x 2 periods rows; 3 selected variables + the value column.
    assert estimate_cells(info, {"KOMMUNEDK": ["101", "751"], "PASKAT": ["2"], "Tid": ["2023", "2024"]}) == 4 * 4
