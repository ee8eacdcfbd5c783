"""Forms for goals, actions, decisions and comments: validation with Danish messages on each field.

The municipality is never a form field: views pass the one the user acts for, after checking the role.
Numbers are read and shown the Danish way (2,8) because every number field is localised.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils import timezone

from lokalkompas.accounts.models import Membership
from lokalkompas.catalog.models import Area, Question, Theme
from lokalkompas.goals.history import ACTION_LABELS, DECISION_LABELS, GOAL_LABELS
from lokalkompas.goals.models import Action, Comment, Goal
from lokalkompas.goals.targets import baseline_from_data
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.legal.models import Decision
from lokalkompas.lib.periods import parse_period
from lokalkompas.registry.models import Geography

TEXT_LIMIT = 2000
EXTRA_NAMES = {"struktur": "Struktur og befolkning", "oekonomi": "Økonomi"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def indicator_choices() -> list[tuple[str, Any]]:
    """The shipped indicators grouped by area, for a select with optgroups."""
    definitions = shipped_definitions()
    names = dict(Area.objects.values_list("id", "name"))
    groups: dict[str, list[tuple[str, str]]] = {}
    for indicator in definitions.indicators.values():
        groups.setdefault(definitions.area_of[indicator.id], []).append((indicator.id, indicator.name))
    choices: list[tuple[str, Any]] = [("", "Ingen indikator (målet følges ikke i tal)")]
    for area_id, items in groups.items():
        choices.append(
            (names.get(area_id) or EXTRA_NAMES.get(area_id, area_id), sorted(items, key=lambda item: item[1]))
        )
    return choices


def _period(form: forms.BaseForm, field: str) -> str:
    value = str(form.cleaned_data.get(field) or "").strip().upper()
    if not value:
        return ""
    try:
        return parse_period(value).code
    except ValueError as exc:
        form.add_error(field, f"Ugyldig periode: {exc}.")
        return ""


def _choose_from(form: forms.BaseForm, field: str, queryset: QuerySet[Any]) -> None:
    cast(forms.ModelChoiceField, form.fields[field]).queryset = queryset


def _limited(text: str, what: str) -> str:
    text = str(text).strip()
    if len(text) > TEXT_LIMIT:
        raise forms.ValidationError(f"{what} må højst være {TEXT_LIMIT} tegn (der er {len(text)}).")
    return text


class GoalForm(forms.ModelForm):
    indicator = forms.ChoiceField(label="Indikator", required=False, choices=indicator_choices)
    tolerance_percent = forms.FloatField(
        label="Tolerance (%)",
        min_value=1,
        max_value=100,
        initial=10,
        localize=True,
        help_text="Hvor langt efter den lige vej mod målet, målet må være og stadig være på sporet, "
        "i procent af hele den planlagte ændring.",
    )

    class Meta:
        model = Goal
        fields = [
            "area",
            "theme",
            "question",
            "text",
            "indicator",
            "baseline_value",
            "baseline_period",
            "target_value",
            "target_period",
            "owner",
            "published",
        ]
        localized_fields = ["baseline_value", "target_value"]
        # One set of Danish field names for the form and the history page (goals.history).
        labels = GOAL_LABELS | {"published": "Offentliggjort (alle kan se målet)"}
        help_texts = {
            "theme": "Valgfrit. Temaet skal høre til området.",
            "question": "Valgfrit. Spørgsmålet skal høre til temaet.",
            "baseline_value": "Tomt: kommunens seneste tal for indikatoren.",
            "baseline_period": "Fx 2024, 2024K2 eller 2024M06. Tomt: perioden for det seneste tal.",
            "target_period": "Fx 2029. Status beregnes mod en lige vej fra udgangspunktet hertil.",
        }

    def __init__(self, *args: Any, geo: Geography, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.geo = geo
        _choose_from(self, "theme", Theme.objects.select_related("area").order_by("area__order", "number"))
        for field, empty in (("area", "Vælg et område"), ("theme", "Intet tema"), ("question", "Intet spørgsmål")):
            cast(forms.ModelChoiceField, self.fields[field]).empty_label = empty
        _choose_from(self, "question", Question.objects.select_related("theme").order_by("theme__area__order", "id"))
        self.fields["text"].widget.attrs.update(rows=3, maxlength=TEXT_LIMIT)
        if self.instance.pk:
            self.initial["tolerance_percent"] = round(self.instance.tolerance * 100, 1)

    def clean_text(self) -> str:
        return _limited(self.cleaned_data["text"], "Målet")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area, theme, question = data.get("area"), data.get("theme"), data.get("question")
        if theme is not None and area is not None and theme.area_id != area.pk:
            self.add_error("theme", f"Temaet hører ikke til området {area.name}.")
        if question is not None and theme is not None and question.theme_id != theme.pk:
            self.add_error("question", "Spørgsmålet hører ikke til det valgte tema.")
        if question is not None and theme is None:
            data["theme"] = question.theme
        data["baseline_period"] = _period(self, "baseline_period")
        data["target_period"] = _period(self, "target_period")
        self._clean_measure(data)
        return data

    def _clean_measure(self, data: dict[str, Any]) -> None:
        numbers = ("baseline_value", "baseline_period", "target_value", "target_period")
        if not data.get("indicator"):
            if any(data.get(f) not in (None, "") for f in numbers):
                self.add_error("indicator", "Udgangspunkt og målværdi kræver en indikator at måle dem med.")
            return
        if data.get("baseline_value") is None and not data.get("baseline_period") and not self.errors:
            found = baseline_from_data(data["indicator"], self.geo.code)
            if found is None:
                self.add_error(
                    "baseline_value", f"{self.geo.name} har ingen tal for indikatoren; angiv udgangspunktet selv."
                )
            else:
                data["baseline_value"], data["baseline_period"] = found
        elif data.get("baseline_value") is None:
            self.add_error("baseline_value", "Angiv udgangspunktets værdi (eller lad begge felter stå tomme).")
        elif not data.get("baseline_period") and "baseline_period" not in self.errors:
            self.add_error("baseline_period", "Angiv udgangspunktets periode.")
        if data.get("target_value") is None:
            self.add_error("target_value", "Angiv målværdien.")
        if not data.get("target_period") and "target_period" not in self.errors:
            self.add_error("target_period", "Angiv målperioden.")
        base, target = data.get("baseline_period"), data.get("target_period")
        if base and target and parse_period(target).end <= parse_period(base).end:
            self.add_error("target_period", "Målperioden skal ligge efter udgangspunktets periode.")

    def save(self, commit: bool = True) -> Goal:
        goal = super().save(commit=False)
        goal.geo = self.geo
        goal.tolerance = self.cleaned_data["tolerance_percent"] / 100
        goal.baseline_value = self.cleaned_data.get("baseline_value")
        goal.baseline_period = self.cleaned_data.get("baseline_period") or ""
        if commit:
            goal.save()
        return goal


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "owner", "deadline", "status"]
        labels = ACTION_LABELS
        help_texts = {"owner": "Fx en forvaltning, et center eller en leder."}
        widgets = {"deadline": DateInput()}


class DecisionForm(forms.ModelForm):
    agenda_url = forms.URLField(
        label="Link til dagsordenspunktet",
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Fx punktet i kommunens dagsordener og referater (http eller https).",
    )

    class Meta:
        model = Decision
        fields = ["date", "body", "text", "reference", "agenda_url", "theme", "goal", "kind"]
        labels = DECISION_LABELS
        help_texts = {
            "body": "Kommunalbestyrelsen eller et udvalg.",
            "reference": "Fx Kommunalbestyrelsens møde 24. juni 2026, punkt 7.",
            "kind": "Vælg, hvis beslutningen opfylder et af de lovkrav, Lokalkompas følger.",
        }
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, geo: Geography, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.geo = geo
        self.today = today or timezone.localdate()
        self.fields["text"].required = True
        self.fields["text"].widget.attrs["rows"] = 4
        _choose_from(self, "theme", Theme.objects.select_related("area").order_by("area__order", "number"))
        _choose_from(self, "goal", Goal.objects.filter(geo=geo).order_by("area__order", "id"))
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", "Intet lovkrav"), *Decision.Kind.choices]

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if day > self.today:
            raise forms.ValidationError("Mødedatoen ligger i fremtiden; registrér beslutningen, når den er truffet.")
        if day.year < 2000:
            raise forms.ValidationError("Mødedatoen er før år 2000; tjek årstallet.")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, day = data.get("kind"), data.get("date")
        if kind and day:
            same = Decision.objects.filter(geo=self.geo, kind=kind, date=day).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("kind", "Dette lovkrav er allerede registreret som opfyldt på den dato.")
        return data

    def save(self, commit: bool = True) -> Decision:
        decision = super().save(commit=False)
        decision.geo = self.geo
        if commit:
            decision.save()
        return decision


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": "Din kommentar"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_LIMIT})}

    def clean_text(self) -> str:
        return _limited(self.cleaned_data["text"], "Kommentaren")


class MemberForm(forms.Form):
    """An administrator gives a person a role in their municipality (a new user gets a password)."""

    username = forms.CharField(label="Brugernavn", max_length=150, help_text="Fx personens e-mailadresse.")
    name = forms.CharField(label="Navn", max_length=150, required=False)
    role = forms.ChoiceField(label="Rolle", choices=Membership.Role.choices)
    password = forms.CharField(
        label="Adgangskode",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Kun for en ny bruger. En bruger, der findes i forvejen, beholder sin adgangskode.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Ny rolle", choices=Membership.Role.choices)


# The demographic scenario: (field, assumption key, label, unit, upper bound). Shares are entered in
# per cent and costs in kroner a year (the model works in shares and 1.000 kr.).
SCENARIO_FIELDS: tuple[tuple[str, str, str, str, float], ...] = (
    ("daekning_0_2", "coverage_0_2", "Dækningsgrad 0–2 år (%)", "pct", 100),
    ("daekning_3_5", "coverage_3_5", "Dækningsgrad 3–5 år (%)", "pct", 100),
    ("skoleandel", "school_share", "Andel af 6–16-årige i kommunens skoler (%)", "pct", 100),
    ("klassestoerrelse", "class_size", "Elever pr. klasse", "count", 40),
    ("hjemmehjaelp_67", "home_help_67", "Andel 67+ med hjemmehjælp (%)", "pct", 100),
    ("plejebolig_80", "nursing_80", "Plejeboliger pr. 100 borgere på 80+", "pct", 100),
    ("pris_plads_0_2", "cost_place_0_2", "Udgift pr. plads 0–2 år (kr. pr. år)", "kr", 2_000_000),
    ("pris_plads_3_5", "cost_place_3_5", "Udgift pr. plads 3–5 år (kr. pr. år)", "kr", 2_000_000),
    ("pris_elev", "cost_pupil", "Udgift pr. elev (kr. pr. år)", "kr", 2_000_000),
    ("pris_hjemmehjaelp", "cost_home_help", "Udgift pr. modtager af hjemmehjælp (kr. pr. år)", "kr", 5_000_000),
    ("pris_plejebolig", "cost_nursing_place", "Udgift pr. plejeboligplads (kr. pr. år)", "kr", 5_000_000),
)


class ScenarioForm(forms.Form):
    """The demography page's assumptions; initial values come from the municipality's own figures."""

    prognose = forms.ChoiceField(label="Befolkningsprognose", choices=())
    kompensation = forms.FloatField(
        label="Demografiregulering (%)",
        min_value=0,
        max_value=100,
        localize=True,
        initial=100,
        help_text="Hvor stor en del af udgiftsændringen budgettet følger: 100 er fuld regulering, 0 ingen.",
    )

    def __init__(self, *args: Any, sources: list[tuple[str, str]], hints: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prognose"].choices = sources  # type: ignore[attr-defined]
        for name, key, label, unit, high in SCENARIO_FIELDS:
            field: forms.Field
            if unit == "count":
                field = forms.IntegerField(label=label, min_value=1, max_value=int(high))
            else:
                field = forms.FloatField(label=label, min_value=0, max_value=high, localize=True)
            field.help_text = hints.get(key, "")
            self.fields[name] = field

    @staticmethod
    def to_form(key: str, value: float) -> float | int:
        """A model value as the form shows it (per cent, kroner)."""
        unit = next(u for _n, k, _l, u, _h in SCENARIO_FIELDS if k == key)
        if unit == "pct":
            return round(value * 100, 1)
        if unit == "kr":
            return round(value * 1000)
        return int(value)

    def model_values(self) -> dict[str, float]:
        """The cleaned fields as the model's shares and 1.000 kr."""
        out: dict[str, float] = {}
        for name, key, _label, unit, _high in SCENARIO_FIELDS:
            value = float(self.cleaned_data[name])
            out[key] = value / 100 if unit == "pct" else value / 1000 if unit == "kr" else value
        return out
