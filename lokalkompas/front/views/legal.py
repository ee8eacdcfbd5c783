"""The Lovkrav page: every legal rule's result for the chosen municipality."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lokalkompas.front.cache import cached_page
from lokalkompas.front.context import chosen_municipality
from lokalkompas.legal.base import RuleResult
from lokalkompas.legal.catalogue import RULES_BY_ID
from lokalkompas.legal.models import Decision
from lokalkompas.legal.service import evaluate_municipality


@cached_page
def legal(request: HttpRequest) -> HttpResponse:
    """Every legal rule's result for the chosen municipality, with the decisions it rests on."""
    chosen = chosen_municipality(request)
    today = timezone.localdate()
    results = evaluate_municipality(chosen.code, today) if chosen else []
    context = {
        "chosen": chosen,
        "today": today,
        "rows": [(RULES_BY_ID[r.rule], r, _details(r)) for r in results],
        "decisions": Decision.objects.filter(geo=chosen).exclude(kind="").order_by("-date") if chosen else [],
        "has_demo": any(r.demo for r in results),
        "nav": "legal",
    }
    return render(request, "front/legal.html", context)


DETAIL_LABELS = {
    "lovens_normering_0_2": "Efter lovens opgørelse, 0–2 år",
    "offentliggjort_normering_0_2": "Offentliggjort af Danmarks Statistik, 0–2 år",
    "forskel_0_2": "Forskel, 0–2 år",
    "lovens_normering_3_5": "Efter lovens opgørelse, 3–5 år",
    "offentliggjort_normering_3_5": "Offentliggjort af Danmarks Statistik, 3–5 år",
    "forskel_3_5": "Forskel, 3–5 år",
}


def _details(result: RuleResult) -> list[tuple[str, float]]:
    """The rule's figures worth showing (published beside legal), labelled, missing ones left out."""
    return [(DETAIL_LABELS.get(k, k), v) for k, v in result.details.items() if v is not None]
