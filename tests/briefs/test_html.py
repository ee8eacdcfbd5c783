"""The brief as HTML: a print document and a page fragment with ordered headings, sources and markings."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from itertools import pairwise

from lokalkompas.briefs.html import render_html
from lokalkompas.briefs.model import Brief, Sentence
from tests.briefs.factory import KEY_FIGURE, MISSING_SENTENCE, SOURCE, sample_brief


class _Outline(HTMLParser):
    """The heading levels in document order, and every table's caption and header scopes."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.scopes: list[str | None] = []
        self.captions = 0
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        elif tag == "th":
            self.scopes.append(dict(attrs).get("scope"))
        elif tag == "caption":
            self.captions += 1
        elif tag == "table":
            self.tables += 1


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def test_the_standalone_document_is_danish_with_its_own_title_and_print_css(one_area: Brief):
    html = render_html(one_area, standalone=True)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="da">' in html
    assert "<title>Drøftelsesoplæg: Dagtilbud – Aarhus Kommune</title>" in html
    assert "@page" in html and "Side " in html


def test_the_fragment_has_no_document_around_it(one_area: Brief):
    html = render_html(one_area, standalone=False)
    assert "<html" not in html and "<head>" not in html and "<style" not in html
    assert html.strip().startswith('<article class="brief">')


def test_headings_start_at_one_h1_and_never_skip_a_level():
    html = render_html(sample_brief(8), standalone=True)
    levels = outline(html).levels
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after - before <= 1 for before, after in pairwise(levels))
    assert levels.count(2) == 1 + 8 + 1  # contents, the eight areas, sources and notes


def test_the_title_page_shows_municipality_title_and_the_danish_date(one_area: Brief):
    html = render_html(one_area, standalone=False)
    assert "Aarhus Kommune" in html
    assert "<h1>Drøftelsesoplæg: Dagtilbud</h1>" in html
    assert '<time datetime="2026-11-27">27. november 2026</time>' in html
    assert "4. maj 2026" in html  # the previous brief


def test_the_contents_link_to_every_area_and_theme(one_area: Brief):
    html = render_html(one_area, standalone=True)
    for theme in one_area.areas[0].themes:
        assert f'href="#tema-{theme.id}"' in html
        assert f'id="tema-{theme.id}"' in html
    assert 'href="#omraade-dagtilbud"' in html and 'id="omraade-dagtilbud"' in html


def test_every_sentence_shows_its_source(one_area: Brief):
    html = render_html(one_area, standalone=False)
    assert f"Kilde: {SOURCE}" in html
    assert "1.234,5 børn pr. 1.000 indbyggere" in html
    assert f"{KEY_FIGURE}" not in html  # only the Danish form


def test_estimated_sentences_are_marked_and_demo_sentences_say_demo(demo_brief: Brief, one_area: Brief):
    html = render_html(demo_brief, standalone=False)
    assert "(skønnet)" in html
    assert html.count('<strong class="demo-tag">DEMO</strong>') >= len(demo_brief.areas[0].themes[0].says)
    assert "oplægget bygger på demodata" in html
    real = render_html(one_area, standalone=False)
    assert "(skønnet)" in real and "DEMO" not in real


def test_a_sentence_that_is_not_estimated_has_no_estimate_mark():
    brief = sample_brief(1)
    theme = brief.areas[0].themes[0]
    plain = [s for s in theme.says if not s.estimated]
    html = render_html(brief, standalone=False)
    for sentence in plain:
        assert f"{sentence.text} <em" not in html


def test_a_missing_figure_stays_mangler_and_never_becomes_zero(one_area: Brief):
    html = render_html(one_area, standalone=False)
    assert MISSING_SENTENCE in html
    # The 2018 gap in every chart's table, and the budget table's missing accounts.
    assert '<td class="numeric">mangler</td>' in html
    assert '<td class="numeric">0</td>' not in html


def test_text_from_the_model_is_escaped():
    brief = sample_brief(1)
    area = brief.areas[0]
    theme = area.themes[0]
    risky = Sentence("Udgiften er <b>stor</b> & stigende.", ("Kilde <x>",))
    changed = Brief(
        brief.municipality_code,
        brief.municipality_name,
        brief.title,
        brief.date,
        (type(area)(area.id, area.name, (type(theme)(theme.id, 1, theme.title, (risky,)),)),),
    )
    html = render_html(changed, standalone=False)
    assert "Udgiften er &lt;b&gt;stor&lt;/b&gt; &amp; stigende." in html
    assert "Kilde: Kilde &lt;x&gt;" in html


def test_questions_goals_dates_budget_and_caveats_are_all_shown(one_area: Brief):
    html = render_html(one_area, standalone=False)
    for text in (
        "Spørgsmål til drøftelse",
        "Personaleomsætningen var",
        "Mindst 65 % af personalet er uddannet i 2027.",
        "Status: bagud",
        "Handlinger over frist:",
        "Rekrutteringsplan (Børn og Unge), frist 1. marts 2026",
        "Økonomi",
        "Budget og forventet regnskab, dagtilbud (mio. kr.)",
        '<time datetime="2027-08-01">1. august 2027</time>: Minimumsnormeringerne gælder fuldt ud.',
        "Tallene for 2024 kan blive revideret.",
        "Regnskabstallene for 2026 er foreløbige.",
        "Kilder og noter",
        "Undervisningsministeriet, Dagtilbudsloven",
        "Sammenlignelige kommuner er de ti kommuner",
    ):
        assert text in html, text


def test_every_table_has_a_caption_and_scoped_header_cells(one_area: Brief):
    found = outline(render_html(one_area, standalone=True))
    assert found.tables == 4 * 2 + 1  # two charts per theme and the budget
    assert found.captions == found.tables
    assert found.scopes and all(scope in ("col", "row") for scope in found.scopes)


def test_charts_are_labelled_images_inline_on_the_page_and_embedded_in_print(one_area: Brief):
    chart = one_area.areas[0].themes[0].charts[0]
    page = render_html(one_area, standalone=False)
    assert f'role="img" aria-label="{chart.title}"><title>{chart.title}</title>' in page
    assert page.count("<svg") == 8
    print_html = render_html(one_area, standalone=True)
    assert "<svg" not in print_html
    assert print_html.count(f'<img class="chart-svg" alt="{chart.title}" src="data:image/svg+xml;base64,') == 4
    assert chart.summary in print_html


def test_a_chart_svg_cannot_make_the_reader_load_anything_from_outside():
    brief = sample_brief(1)
    area = brief.areas[0]
    theme = area.themes[0]
    chart = theme.charts[0]
    sneaky = chart.svg.replace("</svg>", '<image href="https://tracker.example/x.png" width="9" height="9"/></svg>', 1)
    changed = replace(brief, areas=(replace(area, themes=(replace(theme, charts=(replace(chart, svg=sneaky),)),)),))
    page = render_html(changed, standalone=False)
    assert "tracker.example" not in page
    assert '<image href="" width="9" height="9"/>' in page


def test_an_estimated_demo_sentence_keeps_a_space_between_its_marks(demo_brief: Brief):
    html = render_html(demo_brief, standalone=False)
    assert '<em class="mark">(skønnet)</em> <strong class="demo-tag">DEMO</strong>' in html
