"""Briefs built once per test session: rendering charts and PDFs is the slow part, reading them is not."""

from __future__ import annotations

import pytest

from lokalkompas.briefs.model import Brief
from lokalkompas.briefs.pdf import render_pdf
from tests.briefs.factory import sample_brief


@pytest.fixture(scope="session")
def one_area() -> Brief:
    return sample_brief(1)


@pytest.fixture(scope="session")
def demo_brief() -> Brief:
    return sample_brief(1, demo=True)


@pytest.fixture(scope="session")
def pdf_bytes(one_area: Brief) -> bytes:
    return render_pdf(one_area)
