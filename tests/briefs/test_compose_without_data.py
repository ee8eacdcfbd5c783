"""A brief with no data behind it (its own module: the demo set of test_compose is loaded per module)."""

import datetime as dt

from lokalkompas.briefs.compose import compose

TODAY = dt.date(2026, 11, 27)


def test_a_municipality_without_data_gets_a_brief_that_says_the_numbers_are_missing(loaded):
    brief = compose("751", ["dagtilbud"], TODAY)
    (area,) = brief.areas
    texts = [s.text for t in area.themes for s in t.says]
    assert texts and all("mangler" in t or "kan ikke afgøres" in t for t in texts), texts
    assert not brief.demo and not any(t.charts for t in area.themes) and area.budget == ()
    figures = [f.text for t in area.themes for q in t.questions for f in q.figures]
    assert figures and all(f.endswith(": mangler.") for f in figures)
