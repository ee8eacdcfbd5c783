"""The brief's sentences: Danish, with numbers, periods and sources, for every case a council meets."""

import datetime as dt

from lokalkompas.briefs import sentences as say
from lokalkompas.legal.base import Rule, RuleResult

NORMERING = say.Measure(
    "Børn pr. voksen i daginstitutioner, 0–2 år",
    "børn pr. voksen",
    1,
    "lower_better",
    "Danmarks Statistik, tabel BOERN8",
)
TILFREDSHED = say.Measure("Forældrenes tilfredshed", "pct.", 1, "higher_better", "kommunens egne data")
UDGIFT = say.Measure("Udgifter pr. elev", "kr.", 0, "neutral", "Danmarks Statistik, tabel NGLK")
RULE = Rule("minimumsnormering", "Minimumsnormering i daginstitutioner", "Dagtilbudsloven § 19 a", ())


def result(outcome, **kw):
    base = {
        "margin": -3.0,
        "period": "2025",
        "lag_months": 3,
        "explanation": "Kravet er 100,0 fuldtidsvoksne; kommunen har 97,0.",
    }
    return RuleResult("minimumsnormering", outcome, **(base | kw))


def test_missing_data_is_said_to_be_missing_never_zero():
    sentence = say.position_sentence(NORMERING, "Aarhus", None, None, [2.9, 3.0])
    assert (
        sentence.text == "Der er ingen tal for børn pr. voksen i daginstitutioner, 0–2 år for Aarhus; tallet mangler."
    )
    assert "0" not in sentence.text.replace("0–2", "") and sentence.sources == ()
    assert say.figure_line(NORMERING, None, None).text == "Børn pr. voksen i daginstitutioner, 0–2 år: mangler."


def test_a_legal_breach_is_stated_with_the_rule_and_the_numbers():
    sentence = say.legal_sentence(RULE, result("ikke opfyldt"), "Aarhus")
    assert sentence.text == (
        "Minimumsnormering i daginstitutioner (Dagtilbudsloven § 19 a): Aarhus opfylder ikke kravet. "
        "Kravet er 100,0 fuldtidsvoksne; kommunen har 97,0."
    )
    assert sentence.sources == ("Lokalkompas' lovtjek af minimumsnormering i daginstitutioner, 2025",)
    kept = say.legal_sentence(RULE, result("opfyldt", margin=2.0), "Aarhus")
    assert "Aarhus opfylder kravet." in kept.text
    due = say.legal_sentence(RULE, result("ikke opfyldt", due=dt.date(2027, 3, 31)), "Aarhus")
    assert "kravet er endnu ikke opfyldt; fristen er 31. marts 2027." in due.text
    unknown = say.legal_sentence(RULE, result("kan ikke afgøres", explanation="Data er for gamle"), "Aarhus")
    assert unknown.text.endswith("det kan ikke afgøres, om kravet er opfyldt. Data er for gamle.")


def test_the_best_and_the_worst_municipality_are_named_as_such():
    best = say.position_sentence(NORMERING, "Aarhus", 2.5, "2024", [2.9, 3.0, 3.1])
    assert best.text == (
        "Med 2,5 børn pr. voksen i 2024 er tallet for børn pr. voksen i daginstitutioner, 0–2 år det bedste blandt "
        "Aarhus og de 3 lignende kommuner (medianen er 3,0)."
    )
    assert best.sources == ("Danmarks Statistik, tabel BOERN8, 2024",)
    worst = say.position_sentence(TILFREDSHED, "Aarhus", 70.0, "2024", [80.0, 81.0])
    assert "det dårligste blandt Aarhus og de 2 lignende kommuner (medianen er 80,5)" in worst.text
    middle = say.position_sentence(TILFREDSHED, "Aarhus", 82.0, "2024", [80.0, 81.0, 83.0, 84.0])
    assert "bedre end medianen (82,0) for de 4 lignende kommuner" not in middle.text  # 82 = median: on level
    assert "på niveau med medianen (82,0) for de 4 lignende kommuner" in middle.text
    ranked = say.position_sentence(TILFREDSHED, "Aarhus", 82.0, "2024", [70.0, 75.0, 90.0])
    assert ranked.text.endswith("bedre end medianen (75,0) for de 3 lignende kommuner; nr. 2 af 4, hvor 1 er bedst.")
    one = say.position_sentence(UDGIFT, "Aarhus", 61000.0, "2024", [60000.0])
    assert "medianen for den ene lignende kommune var 60.000" in one.text


def test_a_trend_says_the_direction_with_first_and_last_value_and_a_short_series_says_nothing():
    points = [("2020", 3.2), ("2021", None), ("2022", 3.0), ("2023", 2.9)]
    sentence = say.trend_sentence(NORMERING, points, "bedre")
    assert sentence is not None
    assert sentence.text == (
        "Fra 2020 til 2023 er tallet for børn pr. voksen i daginstitutioner, 0–2 år faldet fra 3,2 til "
        "2,9 børn pr. voksen; det er en forbedring."
    )
    assert sentence.sources == ("Danmarks Statistik, tabel BOERN8, 2020–2023",)
    flat = say.trend_sentence(UDGIFT, [("2021", 100.0), ("2022", 101.0), ("2023", 100.0)], "uændret")
    assert flat is not None and flat.text.endswith("ikke ændret sig tydeligt (100 og 100 kr.).")
    assert not flat.text.endswith("kr..")  # a unit's full stop ends the sentence
    assert say.trend_sentence(NORMERING, [("2022", 3.0), ("2023", 2.9)], "bedre") is None


def test_no_change_since_the_last_brief_is_one_plain_sentence():
    (sentence,) = say.changes_sentences(dt.date(2026, 9, 1), [], [])
    assert sentence.text == "Der er ingen nye eller rettede tal for temaet siden oplægget den 1. september 2026."


def test_new_periods_and_a_revised_value_are_reported_with_old_and_new_value():
    new = [say.NewPeriod(NORMERING, "2025"), say.NewPeriod(TILFREDSHED, "2025")]
    revised = [say.Revised(NORMERING, "2024", 3.0, 3.1), say.Revised(UDGIFT, "2023", None, 60500.0)]
    first, second, third = say.changes_sentences(dt.date(2026, 9, 1), new, revised)
    assert first.text == (
        "Siden oplægget den 1. september 2026 er der kommet tal for 2025 for børn pr. voksen i daginstitutioner, "
        "0–2 år og forældrenes tilfredshed."
    )
    assert second.text == (
        "Siden oplægget den 1. september 2026 er tallet for børn pr. voksen i daginstitutioner, 0–2 år for 2024 "
        "rettet fra 3,0 til 3,1 børn pr. voksen."
    )
    assert third.text.endswith("rettet fra et manglende tal til 60.500 kr.")


def test_demo_data_is_carried_on_every_sentence_that_uses_it():
    assert say.position_sentence(NORMERING, "Aarhus", 2.5, "2024", [3.0], demo=True).demo
    assert say.trend_sentence(NORMERING, [("2021", 3.0), ("2022", 2.9), ("2023", 2.8)], "bedre", demo=True).demo
    assert say.legal_sentence(RULE, result("opfyldt", demo=True), "Aarhus").demo
    assert not say.position_sentence(NORMERING, "Aarhus", 2.5, "2024", [3.0]).demo


def test_indicator_names_lose_only_an_ordinary_capital():
    assert say.lower_first("Normering 0–2 år") == "normering 0–2 år"
    assert say.lower_first("NGLK-udgifter") == "NGLK-udgifter"
    assert say.join(["a", "b", "c"]) == "a, b og c" and say.plural(1, "kommune", "kommuner") == "1 kommune"
