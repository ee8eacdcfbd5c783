import csv
import io

import pytest
from django.core.management import CommandError, call_command

from lokalkompas.registry.models import Geography, MunicipalityGroup


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_list_as_csv_prints_a_header_and_all_98_municipalities():
    rows = list(csv.reader(io.StringIO(run("registry", "list", "--format", "csv")), delimiter=";"))
    assert rows[0] == ["code", "name", "region_code", "group"]
    assert len(rows) == 99
    assert ["751", "Aarhus", "082", "2"] in rows
    assert ["492", "Ærø", "083", "5"] in rows


def test_list_rejects_an_unknown_format():
    with pytest.raises(CommandError, match="xml"):
        run("registry", "list", "--format", "xml")


@pytest.mark.django_db
def test_load_creates_the_country_regions_and_municipalities_and_is_idempotent():
    first = run("registry", "load")
    run("registry", "load")
    assert "98 kommuner" in first
    assert Geography.objects.filter(kind="municipality").count() == 98
    assert Geography.objects.filter(kind="region").count() == 5
    assert Geography.objects.get(code="000").name == "Hele landet"
    assert MunicipalityGroup.objects.count() == 5
    aarhus = Geography.objects.get(code="751")
    assert aarhus.region is not None and aarhus.region.name == "Region Midtjylland"
    assert aarhus.group is not None and aarhus.group.name == "Storbykommuner"
