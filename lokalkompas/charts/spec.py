"""Vega-Lite specifications for the pages, as plain dicts built from plain values.

We write Vega-Lite directly instead of through Altair: the specs are small, and skipping Altair's
schema validation keeps a page's chart work to the rendering alone (see docs/decisions/0005).
Colours come from a colour-blind-safe palette and every line also differs by dash and point shape,
so no chart relies on colour alone (WCAG 1.4.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Spec = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2], [4, 4], [1, 3], [10, 4], [3, 1]]
# Quartile 1 (best) to 4 (worst): one blue hue from dark to light, readable without colour names.
QUARTILE_COLOURS = ["#08306b", "#2171b5", "#6baed6", "#c6dbef"]
MISSING_COLOUR = "#ffffff"
FONT = "Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class Point:
    label: str  # the line: a municipality, region, group or the country
    period: str
    value: float | None


def _base(title: str, width: int, height: int) -> Spec:
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start", "fontSize": 14, "font": FONT},
        "width": width,
        "height": height,
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1a1a1a", "titleColor": "#1a1a1a"},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "columns": 2,
                # A stroke symbol shows each line's dash pattern, so the legend does not rely on colour.
                "symbolType": "stroke",
                "symbolSize": 400,
            },
            "view": {"stroke": None},
        },
    }


def number_format(decimals: int) -> str:
    """A d3 format with thousands separators; the Danish locale turns them into 1.234,5."""
    return f",.{decimals}f"


def line_chart(
    points: Sequence[Point], title: str, unit: str, decimals: int, periods: Sequence[str], highlight: str | None = None
) -> Spec:
    """Time series, one line per label, in the order the labels first appear (the first is highlighted)."""
    labels = list(dict.fromkeys(p.label for p in points))
    focus = highlight or (labels[0] if labels else "")
    spec = _base(title, 560, 240)
    spec["data"] = {"values": [{"serie": p.label, "periode": p.period, "værdi": p.value} for p in points]}
    # A missing value breaks the line: never drawn as 0, never bridged (Vega-Lite 6 "invalid" modes).
    spec["mark"] = {"type": "line", "point": {"filled": True, "size": 40}, "invalid": "break-paths-filter-domains"}
    spec["encoding"] = {
        "x": {"field": "periode", "type": "ordinal", "sort": list(periods), "title": None, "axis": {"labelAngle": 0}},
        "y": {
            "field": "værdi",
            "type": "quantitative",
            "title": unit,
            "axis": {"format": number_format(decimals), "tickMinStep": 10**-decimals},
            "scale": {"zero": False},
        },
        "color": {
            "field": "serie",
            "type": "nominal",
            "title": None,
            "sort": labels,
            "scale": {"domain": labels, "range": PALETTE[: len(labels)]},
        },
        "strokeDash": {
            "field": "serie",
            "type": "nominal",
            "sort": labels,
            "title": None,
            "scale": {"domain": labels, "range": DASHES[: len(labels)]},
        },
        "strokeWidth": {
            "field": "serie",
            "type": "nominal",
            # An ordinal scale maps each label to its width; the default would interpolate between them.
            "scale": {
                "type": "ordinal",
                "domain": labels,
                "range": [3.0 if label == focus else 1.5 for label in labels],
            },
        },
    }
    return spec


def quartile_map(rows: Sequence[dict[str, Any]], title: str, neutral: bool = False) -> Spec:
    """Municipalities as circles at their coordinates, filled by quartile (1 = best), empty when missing.

    rows: name, lat, lon, quartile (1-4 or None). For a neutral indicator quartile 1 holds the largest
    values and the legend says so instead of "best". No map tiles or shapes: the coordinates come from
    the registry, so the map works offline.
    """
    spec = _base(title, 520, 440)
    spec["data"] = {"values": [dict(r, kvartil=quartile_text(r.get("quartile"), neutral)) for r in rows]}
    spec["projection"] = {"type": "mercator"}
    domain = [quartile_text(q, neutral) for q in (1, 2, 3, 4, None)]
    spec["mark"] = {"type": "circle", "stroke": "#1a1a1a", "strokeWidth": 0.8, "opacity": 1}
    spec["encoding"] = {
        "longitude": {"field": "lon", "type": "quantitative"},
        "latitude": {"field": "lat", "type": "quantitative"},
        "size": {"value": 140},
        "color": {
            "field": "kvartil",
            "type": "ordinal",
            "title": "Placering",
            "scale": {"domain": domain, "range": [*QUARTILE_COLOURS, MISSING_COLOUR]},
        },
    }
    return spec


def quartile_text(quartile: int | None, neutral: bool = False) -> str:
    if quartile is None:
        return "Mangler"
    if neutral:
        return {1: "Højeste fjerdedel", 2: "2. fjerdedel", 3: "3. fjerdedel", 4: "Laveste fjerdedel"}[quartile]
    return {1: "Bedste fjerdedel", 2: "2. fjerdedel", 3: "3. fjerdedel", 4: "Dårligste fjerdedel"}[quartile]


def bar_chart(rows: Sequence[tuple[str, float | None]], title: str, unit: str, decimals: int, focus: str) -> Spec:
    """Horizontal bars, one per municipality in the given order; the focus municipality in the first
    colour and outlined, the others grey. A missing value gets no bar, and its label says so."""
    spec = _base(title, 420, max(60, 22 * len(rows)))
    spec["data"] = {
        "values": [
            {"kommune": name if value is not None else f"{name} (mangler)", "værdi": value, "fokus": name == focus}
            for name, value in rows
        ]
    }
    order = [name if value is not None else f"{name} (mangler)" for name, value in rows]
    spec["mark"] = {"type": "bar", "stroke": "#1a1a1a", "strokeWidth": 0.5}
    spec["encoding"] = {
        "y": {"field": "kommune", "type": "nominal", "sort": order, "title": None},
        "x": {"field": "værdi", "type": "quantitative", "title": unit, "axis": {"format": number_format(decimals)}},
        "color": {
            "field": "fokus",
            "type": "nominal",
            "scale": {"domain": [True, False], "range": [PALETTE[0], "#bdbdbd"]},
            "legend": None,
        },
        "strokeWidth": {
            "field": "fokus",
            "type": "nominal",
            "scale": {"domain": [True, False], "range": [2, 0.5]},
            "legend": None,
        },
    }
    return spec
