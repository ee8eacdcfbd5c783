"""The Lovkrav page and the alert list on the front page, on the demo data set."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from lokalkompas.analysis.service import alerts_for
from lokalkompas.indicators.definitions import shipped_definitions
from lokalkompas.legal.catalogue import RULES
from tests.front.pages import body


def test_the_legal_page_shows_every_rule_with_outcome_reference_and_demo(aarhus):
    response = aarhus.get("/lovkrav/")
    assert response.status_code == 200
    text = body(response)
    assert "Lovkrav for Aarhus Kommune" in text
    for rule in RULES:
        assert f'id="{rule.id}"' in text and rule.legal_reference in text
    assert "Offentliggjort af Danmarks Statistik, 0–2 år" in text  # the published figure beside the legal one
    assert "Tallene på denne side er syntetiske demodata" in text
    assert "Registrerede beslutninger" in text and "DEMO: kommunalbestyrelsens møde" in text


def test_the_legal_page_asks_for_a_municipality_first(demo_db, db):
    text = body(Client().get("/lovkrav/"))
    assert "Vis lovkrav" in text and "Resultat" not in text


def test_every_alert_points_to_a_page_that_exists(aarhus):
    alerts = alerts_for("751", shipped_definitions(), timezone.localdate())
    assert alerts, "the demo set is built to give Aarhus something to look at"
    for alert in alerts:
        path = alert.url.split("#")[0]
        assert aarhus.get(path).status_code == 200, alert.url


def test_alerts_come_in_order_of_urgency_and_demo_alerts_say_so(aarhus):
    alerts = alerts_for("751", shipped_definitions(), timezone.localdate())
    assert [a.severity for a in alerts] == sorted(a.severity for a in alerts)
    assert all(a.demo for a in alerts if a.kind in ("placering", "udvikling"))


def test_the_front_page_lists_the_alerts_for_the_chosen_municipality(aarhus):
    text = body(aarhus.get("/"))
    assert "Opmærksomhedspunkter for Aarhus" in text
    assert "Blandt de 10 % dårligste" in text or "Dårligere udvikling" in text
    assert "Tallene på denne side er syntetiske demodata" in text


def test_the_front_page_without_a_municipality_has_no_alerts(demo_db, db):
    assert "Opmærksomhedspunkter" not in body(Client().get("/"))


def test_a_legal_breach_is_the_first_alert(aarhus):
    from lokalkompas.legal.models import Decision
    from lokalkompas.legal.service import register_decision

    # The Danmarkskort was last treated long ago, so last year was missed: a breach.
    Decision.objects.filter(geo_id="751", kind="danmarkskort").delete()
    today = timezone.localdate()
    register_decision("751", "danmarkskort", dt.date(today.year - 3, 5, 1), "KB", today)
    first = alerts_for("751", shipped_definitions(), today)[0]
    assert (first.kind, first.subject, first.url) == (
        "lovkrav",
        "danmarkskort-behandlet",
        "/lovkrav/#danmarkskort-behandlet",
    )


def test_the_dashboard_has_a_tile_per_area_the_neighbours_and_what_changed(aarhus):
    text = body(aarhus.get("/"))
    assert "Overblik for Aarhus" in text
    assert text.count('class="tile"') == 8
    assert "ligner Aarhus mest" in text and "Mod lignende kommuner:" in text
    assert "Siden sidst" in text and 'type="date"' in text
    assert "Mål: " in text  # Aarhus has published DEMO goals


def test_a_bad_since_date_is_a_danish_error_and_the_last_30_days(aarhus):
    response = aarhus.get("/?siden=27-11-2026")
    assert response.status_code == 400
    assert "Skriv den som ÅÅÅÅ-MM-DD" in body(response)
    assert "Datoen 1. januar 2099 ligger i fremtiden" in body(aarhus.get("/?siden=2099-01-01"))


def test_since_a_date_before_the_demo_revision_lists_the_revised_values(aarhus):
    text = body(aarhus.get("/?siden=2000-01-01"))
    assert "ændringer siden 1. januar 2000" in text


def test_the_area_page_shows_each_linked_indicator_with_value_sparkline_trend_and_peers(aarhus):
    text = body(aarhus.get("/omraade/dagtilbud/"))
    assert 'class="indicator-lines"' in text and "<polyline" in text
    assert "lignende kommuner" in text
    assert "Aarhus: " in text and 'href="/lovkrav/#minimumsnormering"' in text  # the rule's result for Aarhus
    assert "Kommende frister" in text
    assert "Tallene på denne side er syntetiske demodata" in text


def test_the_area_page_without_a_municipality_lists_indicator_names_only(demo_db, db):
    text = body(Client().get("/omraade/dagtilbud/"))
    assert "Data: " in text and 'class="indicator-lines"' not in text
    assert "vælg en kommune for at se resultatet" in text
