"""Composing briefs from the demo set: every theme, sourced sentences, budget, issuing and what changed."""

import datetime as dt
import re

import polars as pl
import pytest

from lokalkompas.briefs.compose import compose
from lokalkompas.briefs.model import Brief
from lokalkompas.briefs.service import draft, issue, last_issued
from lokalkompas.catalog.models import Theme
from lokalkompas.indicators.models import Observation
from lokalkompas.indicators.store import write_observations

TODAY = dt.date(2026, 11, 27)


def sentences(brief: Brief):
    for area in brief.areas:
        for theme in area.themes:
            yield from theme.says
            for q in theme.questions:
                yield from q.figures
        yield from area.budget


def test_a_brief_for_one_area_has_every_theme_with_sourced_sentences(demo_db, db):
    brief = compose("751", ["dagtilbud"], TODAY)
    assert brief.title == "Drøftelsesoplæg: Dagtilbud" and brief.municipality_name == "Aarhus"
    (area,) = brief.areas
    assert [t.id for t in area.themes] == list(
        Theme.objects.filter(area="dagtilbud").order_by("number").values_list("id", flat=True)
    )
    assert all(len(t.says) <= 5 for t in area.themes)
    assert sum(len(t.says) >= 2 for t in area.themes) >= 3
    for sentence in sentences(brief):
        # Every figure has a source with its period; only sentences without numbers may go without.
        numbers = re.findall(r"\d+,\d|\d{3,}", sentence.text.replace("0–2", "").replace("3–5", ""))
        if numbers and "mangler" not in sentence.text:
            assert sentence.sources, sentence.text
    assert brief.demo and all(
        s.demo for t in area.themes for s in t.says if s.sources and "lovtjek" not in s.sources[0]
    )
    assert any(t.charts for t in area.themes) and all(c.table.rows for t in area.themes for c in t.charts)
    assert all(s.estimated for s in area.budget) and len(area.budget) == 2  # forecast and demography


def test_the_whole_council_brief_has_all_eight_areas_and_survives_a_json_round_trip(demo_db, db):
    brief = compose("101", None, TODAY)
    assert brief.title == "Drøftelsesoplæg for kommunalbestyrelsen" and len(brief.areas) == 8
    assert Brief.from_json(brief.to_json()) == brief
    assert brief.sources and brief.since is None


def test_unknown_municipality_or_area_is_refused_in_danish(demo_db, db):
    with pytest.raises(ValueError, match="ukendt kommunekode"):
        compose("999", None, TODAY)
    with pytest.raises(ValueError, match="ukendt område: findes-ikke"):
        compose("751", ["findes-ikke"], TODAY)


def test_an_issued_brief_stays_as_it_was_and_the_next_one_says_what_was_revised(demo_db, db):
    issued = issue("751", ["dagtilbud"], TODAY, None)
    assert last_issued("751", ["dagtilbud"]) == issued and last_issued("751", None) is None
    assert issued.vintages and issued.data_version and issued.demo
    before = issued.brief
    # A source revises Aarhus' staffing ratio for the latest year after the brief was issued.
    latest = (
        Observation.objects.filter(series="normering-0-2", geo_id="751", value__isnull=False)
        .order_by("-period")
        .first()
    )
    assert latest is not None
    revised = pl.DataFrame(
        [("normering-0-2", "751", latest.period, "", latest.value + 0.4, "demo")],
        schema=["series", "geo", "period", "breakdown", "value", "status"],
        orient="row",
    )
    write_observations(revised, source="demo", label="rettelse")
    after = draft("751", ["dagtilbud"], TODAY)
    assert after.since == issued.issued_at.date().isoformat()
    texts = [s.text for s in sentences(after)]
    assert any("rettet fra" in t and latest.period in t for t in texts), texts
    assert any("ingen nye eller rettede tal" in t for t in texts)  # the other themes
    # The issued brief is read back exactly as it was issued, not recomposed from today's data.
    issued.refresh_from_db()
    assert issued.brief == before
