"""Goal, action, decision and comment forms: validation, the target helper, and the history they leave."""

import html

import polars as pl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lokalkompas.accounts.models import Membership
from lokalkompas.goals.models import Action, Comment, Goal, GoalStatusRecord
from lokalkompas.indicators.models import Observation
from lokalkompas.indicators.store import write_observations
from lokalkompas.legal.models import Decision, RuleEvaluation
from tests.front.pages import body

INDICATOR = "normering-0-2"


def member(
    code: str = "751", role: str = "analytiker", username: str = "ana@aarhus.dk", name: str = "Ana Lytiker"
) -> Client:
    user = get_user_model().objects.create_user(username, password="Lang-nok-kode-2026", first_name=name)
    Membership.objects.create(user=user, geo_id=code, role=role)
    client = Client()
    client.cookies["kommune"] = code
    client.force_login(user)
    return client


@pytest.fixture
def data(catalogued):
    """Normering for Aarhus 2019–2024 and for every municipality in 2024, so the helper has something."""
    rows = [(INDICATOR, "751", str(year), "", 3.3 - 0.05 * (year - 2019), "ok") for year in range(2019, 2024)]
    from lokalkompas.registry.models import Geography

    codes = list(Geography.objects.filter(kind="municipality").values_list("code", flat=True))
    rows += [(INDICATOR, code, "2024", "", 2.6 + (i % 10) * 0.1, "ok") for i, code in enumerate(codes)]
    frame = pl.DataFrame(rows, schema=["series", "geo", "period", "breakdown", "value", "status"], orient="row")
    write_observations(frame, source="statbank", label="test")


def goal_post(**changes: str) -> dict[str, str]:
    return {
        "text": "Flere voksne pr. barn i vuggestuerne",
        "area": "dagtilbud",
        "theme": "",
        "question": "",
        "owner": "Børne- og Ungeudvalget",
        "indicator": INDICATOR,
        "baseline_value": "",
        "baseline_period": "",
        "target_period": "2029",
        "target_value": "2,7",
        "tolerance_percent": "10",
    } | changes


def test_an_analyst_creates_a_goal_whose_baseline_comes_from_the_data(data):
    client = member()
    response = client.post("/maal/nyt/", goal_post())
    goal = Goal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/maal/{goal.pk}/"
    latest = Observation.objects.get(series=INDICATOR, geo_id="751", period="2024").value
    assert (goal.geo_id, goal.baseline_value, goal.baseline_period) == ("751", latest, "2024")
    assert goal.target_value == 2.7 and goal.tolerance == pytest.approx(0.10) and not goal.published
    assert goal.created_by is not None and goal.created_by.username == "ana@aarhus.dk"
    assert GoalStatusRecord.objects.filter(goal=goal).exists()  # the status is computed at once


def test_the_goal_form_names_each_field_with_a_problem_in_danish(data):
    response = member().post(
        "/maal/nyt/",
        goal_post(text="", target_period="2029K7", theme="foo", baseline_value="abc", tolerance_percent="0"),
    )
    text = body(response)
    assert response.status_code == 400 and not Goal.objects.exists()
    assert "Målet er ikke gemt" in text
    assert "Ugyldig periode" in text and "kvartalet skal være 1–4" in text
    assert "Angiv et tal" in text or "Indtast et tal" in text
    assert 'aria-invalid="true"' in text


def test_a_target_period_before_the_baseline_is_refused(data):
    response = member().post(
        "/maal/nyt/", goal_post(baseline_value="3,0", baseline_period="2024", target_period="2023")
    )
    assert response.status_code == 400 and "Målperioden skal ligge efter" in body(response)


def test_numbers_without_an_indicator_are_refused(data):
    response = member().post("/maal/nyt/", goal_post(indicator=""))
    assert response.status_code == 400 and "kræver en indikator" in body(response)


def test_a_theme_of_another_area_is_refused(data):
    from lokalkompas.catalog.models import Theme

    other = Theme.objects.exclude(area_id="dagtilbud").first()
    response = member().post("/maal/nyt/", goal_post(theme=other.pk))
    assert response.status_code == 400 and "hører ikke til området" in body(response)


def test_the_helper_suggests_targets_with_the_values_they_imply_and_fills_the_chosen_one(data):
    client = member()
    response = client.post("/maal/nyt/", goal_post(target_value="", forslag="1"))
    text = body(response)
    assert response.status_code == 200 and not Goal.objects.exists()  # suggestions never save
    for label in ("Kommunegruppens median", "Den bedste fjerdedel", "Udviklingen fortsætter", "Lovkravet"):
        assert label in text
    # The trend through 3,30 … 3,10 (2019–2023) and 3,40 (2024) is computed, not invented.
    text = html.unescape(text)
    assert "Den rette linje gennem Aarhus' tal 2019–2024, forlænget til 2029." in text
    assert "Medianen af de" in text and "i Aarhus' kommunegruppe i 2024." in text
    assert "<bound method" not in text
    assert "Loven kræver højst 3,0" in text
    chosen = client.post("/maal/nyt/", goal_post(target_value="", brug="2.65"))
    assert 'value="2,65"' in body(chosen)


def test_a_target_beyond_the_legal_limit_gets_a_warning_but_is_saved(data):
    client = member()
    response = client.post("/maal/nyt/", goal_post(target_value="3,2"), follow=True)
    assert Goal.objects.get().target_value == 3.2
    assert "over lovkravets grænse på højst 3,0" in body(response)


def test_an_action_past_its_deadline_and_not_finished_shows_as_overdue(data):
    client = member()
    client.post("/maal/nyt/", goal_post())
    goal = Goal.objects.get()
    client.post(
        f"/maal/{goal.pk}/handling/ny/",
        {"title": "Ny visitation", "owner": "Dagtilbud", "deadline": "2020-01-01", "status": "i-gang"},
    )
    client.post(
        f"/maal/{goal.pk}/handling/ny/",
        {"title": "Færdig sag", "owner": "", "deadline": "2020-01-01", "status": "faerdig"},
    )
    assert Action.objects.count() == 2
    text = body(client.get(f"/maal/{goal.pk}/"))
    assert text.count("Overskredet") == 1


def test_the_history_page_says_who_changed_what_and_when(data):
    client = member()
    client.post("/maal/nyt/", goal_post())
    goal = Goal.objects.get()
    client.post(
        f"/maal/{goal.pk}/rediger/", goal_post(target_value="2,8", baseline_value="3,4", baseline_period="2024")
    )
    client.post(
        f"/maal/{goal.pk}/handling/ny/",
        {"title": "Flere pædagoger", "owner": "", "deadline": "", "status": "ikke-startet"},
    )
    text = body(client.get(f"/maal/{goal.pk}/historik/"))
    assert "Mål oprettet" in text and "Mål ændret" in text and "Handling oprettet: Flere pædagoger" in text
    assert "Ana Lytiker" in text
    assert "Målværdi" in text and "2,70" in text and "2,80" in text


def test_a_politician_comments_and_only_members_see_comments(data):
    analyst = member()
    analyst.post("/maal/nyt/", goal_post(published="on"))
    goal = Goal.objects.get()
    politician = member(role="politiker", username="pol@aarhus.dk", name="Poul Litiker")
    response = politician.post(f"/maal/{goal.pk}/kommentar/", {"text": "Hvad koster det?"})
    assert response.status_code == 302 and Comment.objects.get().author_name == "Poul Litiker"
    assert "Hvad koster det?" in body(analyst.get(f"/maal/{goal.pk}/"))
    public = Client()
    assert "Hvad koster det?" not in body(public.get(f"/maal/{goal.pk}/"))


def test_an_empty_comment_is_not_saved_and_the_user_is_told(data):
    analyst = member()
    analyst.post("/maal/nyt/", goal_post(published="on"))
    goal = Goal.objects.get()
    response = analyst.post(f"/maal/{goal.pk}/kommentar/", {"text": "   "}, follow=True)
    assert not Comment.objects.exists() and "Kommentaren blev ikke gemt" in body(response)


def test_a_decision_that_fulfils_a_legal_duty_is_logged_and_read_by_the_rules(data):
    client = member()
    response = client.post(
        "/beslutninger/ny/",
        {
            "date": "2026-06-24",
            "body": "Kommunalbestyrelsen",
            "text": "Planstrategien er vedtaget og offentliggjort.",
            "reference": "KB 24. juni 2025, punkt 7",
            "agenda_url": "https://aarhus.dk/dagsorden/7",
            "kind": "planstrategi",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.kind == "planstrategi" and decision.geo_id == "751"
    # The rules read it at once, for Aarhus only (no other municipality's result is recorded).
    recorded = RuleEvaluation.objects.filter(rule="planstrategi-rettidig")
    assert list(recorded.values_list("geo_id", "outcome")) == [("751", "opfyldt")]
    assert "Planstrategien er vedtaget" in body(Client().get("/beslutninger/", headers={"cookie": "kommune=751"}))


def test_a_decision_link_must_be_http_or_https(data):
    response = member().post(
        "/beslutninger/ny/", {"date": "2025-06-24", "body": "KB", "text": "x", "agenda_url": "javascript:alert(1)"}
    )
    assert response.status_code == 400 and not Decision.objects.exists()


def test_a_decision_in_the_future_is_refused(data):
    response = member().post("/beslutninger/ny/", {"date": "2999-01-01", "body": "KB", "text": "x"})
    assert response.status_code == 400 and "ligger i fremtiden" in body(response)
