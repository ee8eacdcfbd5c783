"""Template helpers: citations and Danish formatting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms, template
from django.forms import BoundField

from lokalkompas.lib.formatting import format_date, format_number

register = template.Library()


@register.simple_tag(takes_context=True)
def cite(context: dict[str, Any], item: Any) -> str:
    """'KL (2026): Lokal velfærd i forandring …, Dagtilbud, tema 1' for any catalogue item."""
    doc = item.source_document
    parts = [f"{doc.publisher} ({doc.year}): {doc.title}"]
    if item.source_area:
        parts.append(context.get("area_names", {}).get(item.source_area, item.source_area))
    if item.source_theme:
        parts.append(f"tema {item.source_theme}")
    if item.source_section:
        parts.append(item.source_section)
    return ", ".join(parts)


@register.filter
def dansk_dato(value: dt.date | None) -> str:
    return format_date(value) if value else ""


@register.filter
def dansk_iso_dato(value: str | None) -> str:
    """'2026-11-27' -> '27. november 2026' (dates kept as ISO text, as in a composed brief)."""
    return format_date(dt.date.fromisoformat(value)) if value else ""


@register.filter
def dansk_tal(value: float | None, decimals: int = 0) -> str:
    return format_number(value, decimals)


@register.filter
def get_item(mapping: dict[str, str] | str, key: str) -> str:
    """The name for an id; the id itself when the mapping lacks it (never a template error)."""
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.filter
def lookup(mapping: Mapping[str, Any], key: str) -> Any:
    """The value for a key, or None when the mapping lacks it (so `{% if %}` can test it)."""
    return mapping.get(key) if isinstance(mapping, Mapping) else None


@register.filter
def absolute(value: float | None) -> float | None:
    return None if value is None else abs(value)


@register.filter
def percent(share: float | None) -> str:
    """0.354 -> '35 %' (Danish: a space before the sign)."""
    return "mangler" if share is None else f"{format_number(share * 100, 0)} %"


WIDGET_CLASS = {"select": "form-select", "checkbox": "form-checkbox checkbox-large", "textarea": "form-input"}


@register.filter
def widget_kind(field: BoundField) -> str:
    """select, checkbox, textarea or input: which design-system markup a form field needs."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.simple_tag
def widget(field: BoundField) -> str:
    """The field's input with the design system's class and the hint and error linked for screen readers."""
    described = [f"{field.auto_id}-fejl"] if field.errors else []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    attrs: dict[str, str | bool] = {"class": WIDGET_CLASS.get(widget_kind(field), "form-input")}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def mio_kr(thousands: float | None) -> str:
    """An amount stored in 1.000 kr. shown in mio. kr.: 3240798 -> '3.240,8 mio. kr.'; None -> 'mangler'."""
    return "mangler" if thousands is None else f"{format_number(thousands / 1000, 1)} mio. kr."


@register.filter
def percent_1(share: float | None) -> str:
    """0.0268 -> '2,7 %' (one decimal, for deviations and forecast errors)."""
    return "mangler" if share is None else f"{format_number(share * 100, 1)} %"
