"""The chart SVG as printed: lighter for WeasyPrint, drawn exactly as the chart on the page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from lokalkompas.briefs.charts import print_svg, svg_image, svg_to_png
from lokalkompas.charts.figures import series_figure

PERIODS = ("2021", "2022", "2023", "2024")


@pytest.fixture(scope="module")
def chart_svg() -> str:
    lines: dict[str, dict[str, float | None]] = {
        "Aarhus": {"2021": 10.5, "2022": None, "2023": 12.25, "2024": 11.0},
        "Hele landet": {"2021": 9.0, "2022": 9.5, "2023": 9.75, "2024": 10.0},
    }
    return series_figure("figur", "Andel uddannet personale", "pct.", 1, lines, PERIODS).svg


def elements(svg: str) -> int:
    return len(list(ET.fromstring(svg).iter()))


def test_the_printed_chart_draws_the_same_pixels_as_the_chart_on_the_page(chart_svg: str):
    assert svg_to_png(print_svg(chart_svg)) == svg_to_png(chart_svg)


def test_the_printed_chart_leaves_out_screen_reader_attributes_and_empty_frames(chart_svg: str):
    printed = print_svg(chart_svg)
    assert "aria-roledescription" in chart_svg and "aria-roledescription" not in printed
    assert 'class="background"' in chart_svg and 'class="background"' not in printed
    assert elements(printed) < 0.75 * elements(chart_svg)


def test_the_printed_chart_keeps_its_labels_and_numbers(chart_svg: str):
    texts = [text.text for text in ET.fromstring(print_svg(chart_svg)).iter("{http://www.w3.org/2000/svg}text")]
    assert "2021" in texts and "pct." in texts


def test_the_embedded_print_image_still_carries_the_title_for_the_pdf_tags(chart_svg: str):
    assert 'alt="Andel uddannet personale"' in svg_image(chart_svg, "Andel uddannet personale")


def test_an_svg_that_is_not_well_formed_is_printed_as_it_came():
    broken = "<svg xmlns='http://www.w3.org/2000/svg'><g></svg>"
    assert print_svg(broken) == broken
