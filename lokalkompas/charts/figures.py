"""Figures for the pages: a rendered chart with its title, a one-sentence Danish summary and its data as a table.

Every chart on a page is a `Figure`; the template `front/_figure.html` shows the SVG to sighted users
(hidden from screen readers) and the summary and "Vis data som tabel" to everyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lokalkompas.charts.render import render_svg
from lokalkompas.charts.spec import Point, bar_chart, line_chart, quartile_map, quartile_text
from lokalkompas.lib.formatting import format_number
from lokalkompas.lib.periods import parse_period


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    summary: str
    svg: str
    headers: list[str]
    rows: list[list[str]]


def period_label(code: str) -> str:
    return parse_period(code).label()


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def series_figure(
    fig_id: str,
    title: str,
    unit: str,
    decimals: int,
    lines: Mapping[str, Mapping[str, float | None]],
    periods: Sequence[str],
) -> Figure:
    """`lines`: label -> period -> value, the first label being the municipality in focus."""
    points = [Point(label, p, values.get(p)) for label, values in lines.items() for p in periods]
    svg = render_svg(line_chart(points, title, unit, decimals, periods))
    headers = ["Periode", *lines]
    rows = [[period_label(p), *(format_number(v.get(p), decimals) for v in lines.values())] for p in reversed(periods)]
    return Figure(fig_id, title, _series_summary(unit, decimals, lines, periods), svg, headers, rows)


def _series_summary(
    unit: str, decimals: int, lines: Mapping[str, Mapping[str, float | None]], periods: Sequence[str]
) -> str:
    known = [p for p in periods if any(v.get(p) is not None for v in lines.values())]
    if not known:
        return "Der er ingen tal at vise."
    latest = known[-1]
    parts = [f"{label} {format_number(values.get(latest), decimals)}" for label, values in lines.items()]
    first = next(iter(lines.values()))
    own = [p for p in periods if first.get(p) is not None]
    change = ""
    if len(own) >= 2:
        diff = (first[own[-1]] or 0.0) - (first[own[0]] or 0.0)
        word = "steget" if diff > 0 else "faldet" if diff < 0 else "uændret"
        amount = f" med {format_number(abs(diff), decimals)}" if diff else ""
        change = f" Siden {period_label(own[0])} er {next(iter(lines))} {word}{amount}."
    return f"{period_label(latest)}: {_join(parts)} ({unit}).{change}"


def map_figure(
    fig_id: str,
    title: str,
    rows: Sequence[tuple[str, float, float, float | None, int | None]],
    unit: str,
    decimals: int,
    neutral: bool,
) -> Figure:
    """rows: (name, lat, lon, value, quartile). Quartile 1 is the best (or, for neutral, the largest)."""
    data = [{"name": n, "lat": lat, "lon": lon, "quartile": q} for n, lat, lon, _v, q in rows]
    svg = render_svg(quartile_map(data, title, neutral))
    counts = {q: sum(1 for r in rows if r[4] == q) for q in (1, 2, 3, 4, None)}
    missing = ""
    if counts[None]:
        missing = f" {counts[None]} {'kommune' if counts[None] == 1 else 'kommuner'} mangler tal."
    summary = (
        f"Kortet viser de {len(rows)} kommuner som cirkler farvet efter fjerdedel; "
        f"den mørkeste farve er {quartile_text(1, neutral).lower()}.{missing}"
    )
    table_rows = [
        [n, format_number(v, decimals), quartile_text(q, neutral)]
        for n, _lat, _lon, v, q in sorted(rows, key=lambda r: (r[4] or 5, r[0]))
    ]
    return Figure(fig_id, title, summary, svg, ["Kommune", f"Værdi ({unit})", "Placering"], table_rows)


def bar_figure(
    fig_id: str, title: str, unit: str, decimals: int, period: str, rows: Sequence[tuple[str, float | None]], focus: str
) -> Figure:
    """rows: (municipality, value) in display order; `focus` is drawn in colour, the rest grey."""
    svg = render_svg(bar_chart(rows, title, unit, decimals, focus))
    known = [(n, v) for n, v in rows if v is not None]
    if known:
        best, worst = max(known, key=lambda r: r[1]), min(known, key=lambda r: r[1])
        summary = (
            f"{period_label(period)}: højest {best[0]} med {format_number(best[1], decimals)}, lavest {worst[0]} "
            f"med {format_number(worst[1], decimals)} {unit}."
        )
    else:
        summary = "Der er ingen tal at vise."
    table = [[n, format_number(v, decimals)] for n, v in rows]
    return Figure(fig_id, title, summary, svg, ["Kommune", f"Værdi ({unit})"], table)
