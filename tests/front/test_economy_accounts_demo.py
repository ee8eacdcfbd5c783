"""The demo data set fills the section "Regnskab og oprindeligt budget" for every closed year."""

import re

import pytest

from lokalkompas.catalog.schema import AREA_IDS
from tests.front.pages import body


@pytest.mark.parametrize("area", AREA_IDS)
def test_it_shows_seven_demo_years_next_to_the_forecast(aarhus, area):
    html = body(aarhus.get(f"/oekonomi/{area}/"))
    assert "Prognose for hele året" in html
    section = html[html.index('<section class="accounts-history"') :]
    assert "regnskab og oprindeligt budget 2019–2025 (1.000 kr.), DEMO" in section
    years = re.findall(r'<tr><th scope="row">(\d{4})</th>((?:<td class="numeric">[^<]*</td>){4})</tr>', section)
    assert [y for y, _ in years] == [str(y) for y in range(2019, 2026)]
    assert all("mangler" not in cells for _, cells in years)
