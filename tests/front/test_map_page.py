"""The map: every municipality by quartile of the chosen indicator, with the data as a table."""

from tests.front.pages import body


def test_the_map_shows_every_municipality_with_a_table_alternative(aarhus):
    response = aarhus.get("/kort/?indikator=normering-0-2")
    assert response.status_code == 200
    text = body(response)
    assert "<svg" in text and 'aria-hidden="true"' in text
    assert "Vis data som tabel" in text
    assert text.count('<th scope="row">') >= 98  # one table row per municipality
    assert "Kortet viser de 98 kommuner" in text and "Bedste fjerdedel" in text
    assert "Tallene på denne side er syntetiske demodata" in text


def test_a_neutral_indicator_is_coloured_from_highest_to_lowest_not_best_to_worst(aarhus):
    text = body(aarhus.get("/kort/?indikator=folketal"))
    assert "Højeste fjerdedel" in text and "Bedste fjerdedel" not in text


def test_an_unknown_indicator_is_a_danish_error_and_the_default_map(aarhus):
    response = aarhus.get("/kort/?indikator=findes-ikke")
    assert response.status_code == 400
    assert "Indikatoren „findes-ikke“ findes ikke" in body(response)
