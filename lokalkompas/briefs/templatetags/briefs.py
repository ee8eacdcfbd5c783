"""Template filters for the brief templates: Danish dates from the model's ISO strings, accessible chart SVG."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.safestring import SafeString, mark_safe

from lokalkompas.briefs.charts import labelled_svg, svg_image
from lokalkompas.briefs.model import Chart
from lokalkompas.lib.formatting import format_date

register = template.Library()


@register.filter
def iso_dato(value: str | None) -> str:
    """'2026-11-27' -> '27. november 2026'."""
    return format_date(dt.date.fromisoformat(value)) if value else ""


@register.filter
def chart_svg(chart: Chart) -> SafeString:
    # The SVG comes from our own chart code (vl-convert), never from user input.
    return mark_safe(labelled_svg(chart.svg, chart.title))


@register.filter
def chart_img(chart: Chart) -> SafeString:
    return mark_safe(svg_image(chart.svg, chart.title))
