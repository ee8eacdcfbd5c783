"""Page tests on the demo data set with Aarhus chosen."""

import pytest
from django.test import Client


@pytest.fixture
def aarhus(demo_db, db) -> Client:
    c = Client()
    c.cookies["kommune"] = "751"
    return c
