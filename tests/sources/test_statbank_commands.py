"""`lokalkompas refresh` and `lokalkompas statbank inspect` as an operator runs them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from lokalkompas.indicators.models import Observation, Vintage

BULK = "SÆSON;TID;INDHOLD\r\nSæsonkorrigeret;2020U01;37,7\r\nSæsonkorrigeret;2020U08;..\r\n".encode()
JSONSTAT = (
    b'{"dataset":{"dimension":{"ContentsCode":{"label":"Indhold","category":{"index":{"FOLK1A":0},'
    b'"label":{"FOLK1A":"Folketal"}}},"Tid":{"label":"tid","category":{"index":{"2020K1":0},'
    b'"label":{"2020K1":"2020K1"}}},"id":["ContentsCode","Tid"],"size":[1,1],'
    b'"role":{"metric":["ContentsCode"],"time":["Tid"]}},"label":"Folketal","source":"Danmarks Statistik",'
    b'"updated":"2020-02-11T07:00:00Z","value":[5822763]}}'
)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_inspect_prints_a_bulk_answer_as_json_lines(tmp_path):
    path = tmp_path / "METROX1.csv"
    path.write_bytes(BULK)
    out, _ = run("statbank", "inspect", str(path))
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0] == {
        "table": "METROX1",
        "variables": {"SÆSON": "Sæsonkorrigeret"},
        "period": "2020U01",
        "value": 37.7,
        "status": "ok",
    }
    assert lines[1]["value"] is None and lines[1]["status"] == "missing"


def test_inspect_reads_json_stat(tmp_path):
    path = tmp_path / "folk1a.json"
    path.write_bytes(JSONSTAT)
    out, _ = run("statbank", "inspect", str(path), "--table", "FOLK1A")
    assert json.loads(out) == {
        "table": "FOLK1A",
        "variables": {},
        "period": "2020K1",
        "value": 5822763.0,
        "status": "ok",
    }


def test_inspect_gives_a_danish_error_for_an_html_page_and_a_missing_file(tmp_path):
    page = tmp_path / "fejl.html"
    page.write_text("<html><body>Server Error</body></html>", encoding="utf-8")
    with pytest.raises(CommandError, match=r"fejl\.html"):
        run("statbank", "inspect", str(page))
    with pytest.raises(CommandError, match="kan ikke læses"):
        run("statbank", "inspect", str(tmp_path / "findes-ikke.csv"))


@pytest.fixture
def pointed(settings, fake_statbank):
    settings.STATBANK_BASE_URL = fake_statbank.url
    settings.STATBANK_RETRIES = 1
    settings.STATBANK_TIMEOUT = 1.0
    settings.STATBANK_RATE = 1000
    return fake_statbank


def test_refresh_loads_an_indicator_and_prints_a_summary(loaded, pointed):
    out, _ = run("refresh", "--source", "statbank", "--indicator", "normering-0-2")
    assert "Statistikbanken: 2 tabeller tjekket, 2 indlæst, 0 uændrede" in out
    assert "0 fejl" in out and "Indikatorerne er beregnet igen; " in out
    assert Observation.objects.filter(series="normering-0-2", geo_id="751", value__isnull=False).exists()
    again, _ = run("refresh", "--source", "statbank", "--indicator", "normering-0-2")
    assert "0 indlæst, 2 uændrede" in again


def test_refresh_exits_non_zero_and_names_the_failed_table(loaded, pointed):
    pointed.fail_next(100, "500")
    with pytest.raises(CommandError) as caught:
        run("refresh", "--source", "statbank", "--indicator", "normering-0-2")
    assert caught.value.returncode == 1
    assert not Vintage.objects.filter(source="statbank").exists()


def test_refresh_rejects_an_unknown_indicator(loaded, pointed):
    with pytest.raises(CommandError, match="findes ikke"):
        run("refresh", "--source", "statbank", "--indicator", "findes-ikke")


def test_refresh_refuses_an_area_without_statbank_series(loaded, pointed):
    with pytest.raises(CommandError, match="'findes-ikke' har ingen serier fra Statistikbanken"):
        run("refresh", "--source", "statbank", "--area", "findes-ikke")
