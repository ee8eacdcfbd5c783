"""The API's pages: how to use it (public) and the signed-in user's own API tokens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lokalkompas.accounts.models import Membership
from lokalkompas.accounts.permissions import RANK
from lokalkompas.api.tokens import MAX_DAYS, TokenError, create_token, revoke_token, state, tokens_of


def api_docs(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/api/v1/").rstrip("/")
    return render(request, "front/api_docs.html", {"base": base, "nav": "about"})


# What the form offers; the operator's default (settings.API_TOKEN_DAYS) is added when it is not one of them.
LIFETIMES = {30: "30 dage", 90: "90 dage", 365: "1 år", MAX_DAYS: "2 år"}


def lifetime_choices() -> list[tuple[str, str]]:
    days = {
        **LIFETIMES,
        settings.API_TOKEN_DAYS: LIFETIMES.get(settings.API_TOKEN_DAYS, f"{settings.API_TOKEN_DAYS} dage"),
    }
    return [
        (str(d), label + (" (standard)" if d == settings.API_TOKEN_DAYS else "")) for d, label in sorted(days.items())
    ]


class TokenForm(forms.Form):
    name = forms.CharField(label="Navn", max_length=100, help_text="Hvad nøglen bruges til, fx „Analyse i R“.")
    membership = forms.ChoiceField(label="Kommune og rolle", help_text="En nøgle kan ikke give mere end din rolle.")
    days = forms.TypedChoiceField(
        label="Gyldighed",
        coerce=int,
        help_text="Nøglen holder op med at virke efter så mange dage. Opret en ny, før den udløber.",
    )

    def __init__(self, memberships: list[Membership], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["membership"].choices = [  # type: ignore[attr-defined]
            (f"{m.geo_id}:{role}", f"{m.geo.name}: {Membership.Role(role).label.lower()}")
            for m in memberships
            for role in RANK
            if RANK[role] <= RANK[m.role]
        ]
        self.fields["days"].choices = lifetime_choices()  # type: ignore[attr-defined]
        self.fields["days"].initial = str(settings.API_TOKEN_DAYS)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    memberships = list(Membership.objects.filter(user__username=request.user.get_username()).select_related("geo"))
    form = TokenForm(memberships, request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        geo, role = form.cleaned_data["membership"].split(":")
        try:
            name, days = form.cleaned_data["name"], form.cleaned_data["days"]
            secret = create_token(request.user.get_username(), geo, role, name, days).secret
        except TokenError as exc:
            form.add_error(None, str(exc))
    context = {
        "form": form,
        "secret": secret,  # shown on this answer only; never stored
        "tokens": [(t, state(t)) for t in tokens_of(request.user.get_username())],
        "has_memberships": bool(memberships),
    }
    return render(request, "front/api_tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = revoke_token(token_id, request.user.get_username())
    except TokenError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Nøglen „{token.name}“ er tilbagekaldt.")
    return redirect("front:api_tokens")
