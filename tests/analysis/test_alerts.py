"""Alerts from each kind of evidence, hand-made inputs, and their order."""

import datetime as dt

import polars as pl

from lokalkompas.analysis.alerts import (
    RevisedValue,
    collect,
    legal_alerts,
    position_alerts,
    revision_alerts,
    trend_alerts,
    worst_decile,
)
from lokalkompas.analysis.trend import Trend
from lokalkompas.legal.base import RuleResult

TODAY = dt.date(2026, 11, 27)
TITLES = {"a": "Krav A", "b": "Krav B", "c": "Krav C", "d": "Krav D"}
NAMES = {"x": ("Ventetid", "dage", 0), "y": ("Normering", "børn pr. voksen", 1)}


def url(subject: str) -> str:
    return f"/side/{subject}"


def result(rule, outcome, due=None, overdue=False, demo=False):
    return RuleResult(rule, outcome, None, None, None, f"forklaring {rule}", due=due, overdue=overdue, demo=demo)


def test_breaches_and_near_deadlines_become_alerts_but_distant_deadlines_and_unknowns_do_not():
    alerts = legal_alerts(
        [
            result("a", "ikke opfyldt", due=dt.date(2025, 12, 31), overdue=True),
            result("b", "ikke opfyldt", due=dt.date(2027, 1, 31)),
            result("c", "ikke opfyldt", due=dt.date(2029, 12, 31)),
            result("d", "kan ikke afgøres"),
        ],
        TITLES,
        TODAY,
        url,
    )
    assert [(a.kind, a.subject, a.url) for a in alerts] == [("lovkrav", "a", "/side/a"), ("frist", "b", "/side/b")]
    assert "31. januar 2027" in alerts[1].text


def test_a_rule_without_deadline_that_is_not_met_is_a_breach():
    alerts = legal_alerts([result("a", "ikke opfyldt", demo=True)], TITLES, TODAY, url)
    assert [(a.kind, a.demo) for a in alerts] == [("lovkrav", True)]


def ranked(n: int, geo_rank: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "series": ["x"] * n,
            "geo": [f"{i:03d}" for i in range(n)],
            "period": ["2025"] * n,
            "value": [float(i) for i in range(n)],
            "rank": [geo_rank if i == 0 else (i + 1 if i + 1 != geo_rank else 1) for i in range(n)],
            "n": [n] * n,
            "demo": [False] * n,
        }
    )


def test_the_worst_tenth_of_98_is_the_last_nine_ranks():
    assert worst_decile(ranked(98, 89), "000").is_empty()
    hit = worst_decile(ranked(98, 90), "000")
    alerts = position_alerts(hit, NAMES, url)
    assert [a.kind for a in alerts] == ["placering"]
    assert "nr. 90 af 98" in alerts[0].text and "0 dage i 2025" in alerts[0].text


def test_with_few_values_the_very_last_still_counts_as_worst():
    assert not worst_decile(ranked(5, 5), "000").is_empty()
    assert worst_decile(ranked(5, 4), "000").is_empty()


def test_only_clearly_worse_trends_become_alerts():
    trends = {
        "x": Trend(2.0, 3.5, True, "dårligere"),
        "y": Trend(0.1, 0.1, True, "bedre"),
    }
    alerts = trend_alerts(trends, NAMES, {"x"}, url)
    assert [(a.subject, a.demo) for a in alerts] == [("x", True)]
    assert "3,5 dage om året" in alerts[0].text


def test_revisions_are_one_alert_per_indicator_with_every_revised_period():
    when = dt.datetime(2026, 11, 17, 12, tzinfo=dt.UTC)
    alerts = revision_alerts(
        [
            RevisedValue("y", "2024", 2.9, 3.1, when, False),
            RevisedValue("y", "2023", 2.8, 2.7, when - dt.timedelta(days=3), False),
        ],
        NAMES,
        url,
    )
    assert len(alerts) == 1
    assert alerts[0].text == (
        "Kilden har revideret tal, senest 17. november 2026: "
        "2023: 2,8 → 2,7 børn pr. voksen; 2024: 2,9 → 3,1 børn pr. voksen."
    )


def test_the_most_urgent_come_first():
    legal = legal_alerts([result("a", "ikke opfyldt", overdue=True, due=dt.date(2025, 1, 1))], TITLES, TODAY, url)
    trend = trend_alerts({"x": Trend(1.0, 1.0, True, "dårligere")}, NAMES, set(), url)
    position = position_alerts(worst_decile(ranked(10, 10), "000"), NAMES, url)
    assert [a.kind for a in collect(trend, position, legal)] == ["lovkrav", "placering", "udvikling"]
