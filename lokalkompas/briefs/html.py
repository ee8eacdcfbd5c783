"""The brief as HTML: a complete print document (for the PDF and for download) or the fragment the web
page includes inside the site layout. Both come from the same template, so they never say different things."""

from __future__ import annotations

from django.template.loader import render_to_string

from lokalkompas.briefs.model import Brief


def render_html(brief: Brief, *, standalone: bool) -> str:
    """`standalone`: a whole `<html lang="da">` document with its own print CSS; otherwise the `<article>`
    fragment, which brings its own `<h1>`, so the page around it must not add another."""
    template = "briefs/standalone.html" if standalone else "briefs/_brief.html"
    return render_to_string(template, {"brief": brief, "title": document_title(brief), "standalone": standalone})


def document_title(brief: Brief) -> str:
    """The title of the HTML, PDF and Word documents: 'Drøftelsesoplæg: Dagtilbud – Aarhus Kommune'."""
    return f"{brief.title} – {brief.municipality_name}"
