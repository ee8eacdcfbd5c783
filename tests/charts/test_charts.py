"""Charts: specs that never hide a gap or rely on colour alone, Danish numbers, summaries, the cache."""

import re

import pytest

from lokalkompas.charts import render
from lokalkompas.charts.figures import map_figure, series_figure
from lokalkompas.charts.spec import PALETTE, Point, line_chart, quartile_map


def lines_spec():
    points = [Point("Aarhus", "2023", 2.9), Point("Aarhus", "2024", None), Point("Hele landet", "2023", 2.8)]
    return line_chart(points, "Normering", "børn pr. voksen", 1, ["2023", "2024"])


def test_a_missing_value_stays_missing_in_the_data_and_breaks_the_line():
    spec = lines_spec()
    assert {"serie": "Aarhus", "periode": "2024", "værdi": None} in spec["data"]["values"]
    assert spec["mark"]["invalid"] == "break-paths-filter-domains"
    assert "transform" not in spec  # nothing filters the gap away


def test_every_line_differs_by_dash_as_well_as_colour_and_the_first_is_drawn_thicker():
    encoding = lines_spec()["encoding"]
    dashes = encoding["strokeDash"]["scale"]["range"]
    assert len({tuple(d) for d in dashes}) == len(dashes) == 2
    assert encoding["color"]["scale"]["range"] == PALETTE[:2]
    assert encoding["strokeWidth"]["scale"]["range"] == [3.0, 1.5]


def test_the_rendered_chart_uses_danish_number_formats(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    points = [Point("Aarhus", str(y), 1000.0 + 250.5 * i) for i, y in enumerate(range(2020, 2025))]
    svg = render.render_svg(line_chart(points, "Udgift", "kr.", 1, [str(y) for y in range(2020, 2025)]))
    labels = re.findall(r">([^<]+)</text>", svg)
    assert any(re.fullmatch(r"\d\.\d{3},\d", label) for label in labels), labels  # e.g. 1.200,0
    assert not any(re.fullmatch(r"\d,\d{3}\.\d", label) for label in labels)


def test_a_chart_is_rendered_once_and_then_read_from_the_cache(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    calls = []
    real = render.vl_convert.vegalite_to_svg

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(render.vl_convert, "vegalite_to_svg", counting)
    spec = lines_spec()
    spec["title"]["text"] = f"cache test {tmp_path.name}"  # a spec no other test has rendered
    first = render.render_svg(spec)
    render._memory.clear()  # the disk copy must serve it too
    assert render.render_svg(spec) == first
    assert len(calls) == 1
    assert list((tmp_path / "cache" / "charts").glob("*.svg"))


def test_the_summary_names_the_latest_period_every_line_and_the_change(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    figure = series_figure(
        "f",
        "Normering",
        "børn pr. voksen",
        1,
        {"Aarhus": {"2021": 3.0, "2023": 2.7}, "Hele landet": {"2021": 2.9, "2022": 2.8, "2023": 2.8}},
        ["2021", "2022", "2023"],
    )
    assert figure.summary == (
        "2023: Aarhus 2,7 og Hele landet 2,8 (børn pr. voksen). Siden 2021 er Aarhus faldet med 0,3."
    )
    assert figure.headers == ["Periode", "Aarhus", "Hele landet"]
    assert figure.rows[1] == ["2022", "mangler", "2,8"]  # missing is shown as missing, never 0


def test_a_figure_without_any_numbers_says_so(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    figure = series_figure("f", "Tom", "pct.", 1, {"Aarhus": {"2023": None}}, ["2023"])
    assert figure.summary == "Der er ingen tal at vise."


@pytest.mark.parametrize(("neutral", "legend"), [(False, "Bedste fjerdedel"), (True, "Højeste fjerdedel")])
def test_the_map_colours_by_quartile_and_shows_missing_as_empty(settings, tmp_path, neutral, legend):
    settings.DATA_DIR = tmp_path
    spec = quartile_map([{"name": "A", "lat": 56.1, "lon": 10.2, "quartile": None}], "Kort", neutral)
    assert spec["encoding"]["color"]["scale"]["domain"][0] == legend
    assert spec["data"]["values"][0]["kvartil"] == "Mangler"
    figure = map_figure(
        "k", "Kort", [("Aarhus", 56.1, 10.2, 2.5, 1), ("Aalborg", 57.0, 9.9, None, None)], "pct.", 1, neutral
    )
    assert figure.rows == [["Aarhus", "2,5", legend], ["Aalborg", "mangler", "Mangler"]]
    assert "1 kommune mangler tal" in figure.summary


def test_a_sparkline_breaks_at_a_missing_value_and_marks_the_last_one():
    from lokalkompas.charts.sparkline import sparkline_svg

    svg = sparkline_svg([1.0, 2.0, None, 3.0, 2.5])
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 1
    assert 'cx="117.0"' in svg  # the last value sits at the right edge


def test_a_sparkline_needs_two_values():
    from lokalkompas.charts.sparkline import sparkline_svg

    assert sparkline_svg([None, 4.0]) == "" and sparkline_svg([]) == ""
