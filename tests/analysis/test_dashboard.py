"""Dashboard tiles and the comparison with similar municipalities, on hand-made inputs."""

import datetime as dt

import pytest

from lokalkompas.analysis.alerts import Alert
from lokalkompas.analysis.dashboard import area_tiles
from lokalkompas.analysis.service import verdict
from lokalkompas.legal.base import RuleResult


@pytest.mark.parametrize(
    ("mine", "median", "polarity", "expected"),
    [
        (3.0, 2.8, "lower_better", "dårligere"),
        (2.6, 2.8, "lower_better", "bedre"),
        (90.0, 80.0, "higher_better", "bedre"),
        (80.5, 80.0, "higher_better", "som lignende"),  # within 1 % of the median
        (80.8, 80.0, "higher_better", "som lignende"),  # exactly 1 %
        (80.9, 80.0, "higher_better", "bedre"),
    ],
)
def test_a_municipality_is_better_worse_or_like_its_neighbours_by_polarity(mine, median, polarity, expected):
    assert verdict(mine, median, polarity) == expected


def test_each_area_tile_counts_its_own_indicators_rules_and_takes_its_most_urgent_alert():
    legal = [
        RuleResult("minimumsnormering", "ikke opfyldt", -2.0, "2025", 11, "x", demo=True),
        RuleResult("danmarkskort-behandlet", "ikke opfyldt", 30.0, "2026", None, "y", due=dt.date(2026, 12, 31)),
    ]
    alerts = [
        Alert("lovkrav", "minimumsnormering", "Minimumsnormering", "brudt", "/lovkrav/#minimumsnormering"),
        Alert("placering", "normering-0-2", "Normering", "dårligst", "/indikator/normering-0-2/"),
        Alert("udvikling", "ledighed", "Ledighed", "stiger", "/indikator/ledighed/"),
    ]
    tiles = area_tiles(
        [("dagtilbud", "Dagtilbud"), ("social", "Social"), ("skole", "Skole")],
        legal,
        {"minimumsnormering": "dagtilbud", "danmarkskort-behandlet": "social"},
        alerts,
        {"normering-0-2": "dagtilbud", "andel-paedagoger": "dagtilbud", "karakterer": "skole"},
        {"normering-0-2": "dårligere", "andel-paedagoger": "bedre", "karakterer": "som lignende"},
    )
    dagtilbud, social, skole = tiles
    assert (dagtilbud.breaches, dagtilbud.better, dagtilbud.worse, dagtilbud.same) == (1, 1, 1, 0)
    assert dagtilbud.top_alert is alerts[0] and dagtilbud.demo
    assert (social.breaches, len(social.legal), social.top_alert, social.compared) == (0, 1, None, 0)
    assert (skole.same, skole.top_alert, skole.legal) == (1, None, [])
