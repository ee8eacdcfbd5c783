"""The upload template for activity on 5.28 and 5.38 (forecast method d): its columns and a round trip."""

import pytest

from lokalkompas.sources.uploads.service import check_file
from lokalkompas.sources.uploads.templates import shipped_templates, template_csv

COLUMNS = ["sager-boern-unge", "enhedspris-boern-unge", "sager-voksne", "enhedspris-voksne"]


def test_it_has_a_monthly_template_with_cases_and_unit_prices_for_both_functions():
    template = shipped_templates()["aktivitet-specialiseret"]
    assert template.name == "Aktivitet specialiseret" and template.frequency == "month"
    assert template.headers == ["kommune", "periode", *COLUMNS]
    assert [(c.id, c.valid) for c in template.columns] == [(c, (0.0, None)) for c in COLUMNS]


def test_it_reads_a_small_csv_into_the_four_series():
    body = "kommune;periode;" + ";".join(COLUMNS) + "\r\n"
    body += "Aarhus;2025M10;4288;39,8;6147;47,2\r\n"
    body += "751;2025-11;4310;40,2;6178;47,7\r\n"
    checked = check_file("aktivitet.csv", body.encode("utf-8"), None)
    assert checked.ok and not checked.warnings, [p.describe("aktivitet.csv") for p in checked.errors]
    assert checked.template is not None and checked.template.id == "aktivitet-specialiseret"
    rows = sorted(checked.frame.select("series", "geo", "period", "value").iter_rows())
    assert rows[:2] == [
        ("enhedspris-boern-unge", "751", "2025M10", 39.8),
        ("enhedspris-boern-unge", "751", "2025M11", 40.2),
    ]
    assert ("sager-voksne", "751", "2025M11", 6178.0) in rows and len(rows) == 8


def test_the_downloaded_templates_example_row_is_a_valid_and_plausible_month():
    template = shipped_templates()["aktivitet-specialiseret"]
    filled = template_csv(template).replace(b"Eksempel", b"101")  # the example row, made a real one
    checked = check_file("skabelon.csv", filled, None)
    assert checked.ok and not checked.warnings and checked.frame.height == 4
    assert set(checked.frame["period"]) == {"2025M01"}


@pytest.mark.parametrize(
    ("value", "severity", "message"),
    [("-3", "fejl", "kan ikke være negativ"), ("250000", "advarsel", "forventet mellem 1 og 15000 sager")],
)
def test_it_refuses_negative_cases_and_warns_of_implausible_ones(value, severity, message):
    body = "kommune;periode;" + ";".join(COLUMNS) + f"\r\n101;2025M10;{value};39,8;6147;47,2\r\n"
    checked = check_file("aktivitet.csv", body.encode("utf-8"), None)
    problems = checked.errors if severity == "fejl" else checked.warnings
    assert [(p.row, p.column, p.severity) for p in problems] == [(2, "sager-boern-unge", severity)]
    assert message in problems[0].message
