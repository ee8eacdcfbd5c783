"""Compare: up to ten municipalities on chosen indicators, suggested from the nearest neighbours."""

from django.test import Client

from tests.front.pages import body


def test_by_default_the_chosen_municipality_and_its_nearest_neighbours_are_compared(aarhus):
    response = aarhus.get("/sammenlign/")
    assert response.status_code == 200
    text = body(response)
    assert "Lignende kommuner som Aarhus" in text
    assert text.count("mest ens på") == 10  # ten suggestions, each with why
    assert text.count("<figure") == 4 and "Vis data som tabel" in text
    assert "Tallene på denne side er syntetiske demodata" in text


def test_chosen_municipalities_and_indicators_are_compared_and_bad_ones_named(aarhus):
    response = aarhus.get("/sammenlign/?kommune=101&kommune=851&kommune=999&indikator=normering-0-2&indikator=nope")
    assert response.status_code == 400
    text = body(response)
    assert "Kommunekoden „999“ findes ikke" in text and "Indikatoren „nope“ findes ikke" in text
    assert text.count("<figure") == 1
    assert '<th scope="row">København</th>' in text and '<th scope="row">Aalborg</th>' in text


def test_more_than_ten_municipalities_are_cut_to_ten_with_a_message(aarhus):
    from lokalkompas.registry.data import municipalities

    query = "&".join(f"kommune={m.code}" for m in municipalities()[:12])
    text = body(aarhus.get(f"/sammenlign/?{query}&indikator=folketal"))
    assert "højst sammenlignes 10 kommuner" in text
    figure_table = text[text.index("<figure") :]
    assert figure_table.count('<th scope="row">') == 10


def test_without_a_chosen_municipality_the_page_asks_for_one(demo_db, db):
    text = body(Client().get("/sammenlign/"))
    assert "Vælg en kommune øverst på siden" in text and "Vælg mindst én kommune." in text
