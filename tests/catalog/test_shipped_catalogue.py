"""The catalogue that ships with Lokalkompas is complete and consistent."""

import re

import pytest

from lokalkompas.catalog.files import Catalog, load_files
from lokalkompas.catalog.schema import AREA_IDS
from lokalkompas.indicators.definitions import shipped_definitions

# The KL guide (2026) gives these numbers of themes per area: 38 in all.
THEMES_PER_AREA = {
    "dagtilbud": 5,
    "skole": 5,
    "social": 5,
    "beskaeftigelse": 6,
    "aeldre": 4,
    "sundhed": 5,
    "plan-klima-miljoe": 4,
    "beredskab": 4,
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    outcome = load_files()
    assert outcome.errors == []
    assert outcome.catalog is not None
    return outcome.catalog


def test_it_has_the_eight_areas_in_order(catalog):
    assert [a.id for a in catalog.areas] == list(AREA_IDS)
    assert [a.order for a in catalog.areas] == list(range(1, 9))


def test_every_theme_of_the_guide_is_there(catalog):
    assert {a.id: len(a.themes) for a in catalog.areas} == THEMES_PER_AREA
    assert sum(THEMES_PER_AREA.values()) == 38


def test_every_theme_has_questions_that_are_questions(catalog):
    known_indicators = set(shipped_definitions().indicators)
    for area in catalog.areas:
        for theme in area.themes:
            assert theme.questions, theme.id
            for q in theme.questions:
                assert q.text.endswith("?"), q.id
                assert set(q.indicators) <= known_indicators, q.id


def test_the_formal_task_has_three_to_six_sentences(catalog):
    for area in catalog.areas:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])", area.formal_task) if s]
        assert 3 <= len(sentences) <= 6, (area.id, len(sentences))


def test_every_item_cites_the_guide_with_area_and_theme_where_it_comes_from_it(catalog):
    for area in catalog.areas:
        assert area.source.document == "kl-2026" and area.source.area == area.id
        for theme in area.themes:
            assert (theme.source.document, theme.source.area, theme.source.theme) == (
                "kl-2026",
                area.id,
                theme.number,
            )
            for q in theme.questions:
                assert (q.source.area, q.source.theme) == (area.id, theme.number), q.id


def test_every_area_has_legal_duties_and_what_is_moving(catalog):
    for area in catalog.areas:
        assert area.legal_duties, area.id
        assert area.moving, area.id


def test_ids_follow_the_area_prefix(catalog):
    for area in catalog.areas:
        for _file, item_id in [(None, t.id) for t in area.themes] + [(None, d.id) for d in area.legal_duties]:
            assert item_id.startswith(area.id + "."), item_id


def test_the_minimum_staffing_duty_points_at_its_computable_rule(catalog):
    dagtilbud = next(a for a in catalog.areas if a.id == "dagtilbud")
    rules = {d.rule for d in dagtilbud.legal_duties}
    assert "minimumsnormering" in rules


def test_the_calendar_covers_the_whole_term_and_every_area(catalog):
    cal = catalog.calendar
    assert (cal.term_start.isoformat(), cal.term_end.isoformat()) == ("2026-01-01", "2029-12-31")
    assert {e.area for e in cal.entries if e.area} == set(AREA_IDS)
    planstrategi = next(e for e in cal.entries if e.id == "kalender.planstrategi")
    assert planstrategi.date is not None and planstrategi.date.isoformat() == "2027-12-31"


def test_danish_letters_survive_loading(catalog):
    names = {a.id: a.name for a in catalog.areas}
    assert names["aeldre"] == "Ældre"
    assert names["beskaeftigelse"] == "Beskæftigelse"
    assert names["plan-klima-miljoe"] == "Plan, klima og miljø"
