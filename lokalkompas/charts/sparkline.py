"""Sparklines drawn directly as SVG: a few dozen per area page, each a handful of points.

Vega-Lite would cost 50–100 ms per uncached sparkline (and a cache entry per municipality and
indicator); a polyline costs microseconds. The sparkline never stands alone: the value, period and
trend word beside it say what it shows, so it is decorative (aria-hidden) and has no axes.
"""

from __future__ import annotations

from collections.abc import Sequence

from lokalkompas.charts.spec import PALETTE

WIDTH, HEIGHT, PAD = 120, 28, 3


def sparkline_svg(values: Sequence[float | None]) -> str:
    """A line through the values in order; a missing value breaks it; the last value gets a dot."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return PAD + i * step, PAD + (HEIGHT - 2 * PAD) * (1 - (v - low) / span)

    segments: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            segments.append([])
        else:
            segments[-1].append(xy(i, v))
    lines = "".join(
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in seg)}"/>' for seg in segments if len(seg) > 1
    )
    last_i = max(i for i, v in enumerate(values) if v is not None)
    cx, cy = xy(last_i, values[last_i])  # type: ignore[arg-type]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'focusable="false"><g fill="none" stroke="{PALETTE[0]}" stroke-width="1.5">{lines}</g>'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2.5" fill="{PALETTE[0]}"/></svg>'
    )
