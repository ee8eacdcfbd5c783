"""Every legal rule Lokalkompas computes, with the decision kind or series each one reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lokalkompas.legal.base import Rule, RuleResult
from lokalkompas.legal.models import Decision
from lokalkompas.legal.rules import beredskabsplan, danmarkskort, minimumsnormering, nis2, planstrategi

DateRule = Callable[[Sequence[dt.date], dt.date], RuleResult]


@dataclass(frozen=True)
class DecisionRule:
    """A rule computed from the dates of one kind of registered decision."""

    rule: Rule
    kind: Decision.Kind
    evaluate: DateRule


DECISION_RULES: tuple[DecisionRule, ...] = (
    DecisionRule(beredskabsplan.RULE, Decision.Kind.BEREDSKABSPLAN, beredskabsplan.evaluate),
    DecisionRule(beredskabsplan.SIZING_RULE, Decision.Kind.DIMENSIONERING, beredskabsplan.evaluate_sizing),
    DecisionRule(planstrategi.RULE, Decision.Kind.PLANSTRATEGI, planstrategi.evaluate),
    DecisionRule(danmarkskort.RULE, Decision.Kind.DANMARKSKORT, danmarkskort.evaluate),
    DecisionRule(nis2.RULE, Decision.Kind.NIS2_POLITIK, nis2.evaluate),
)

# Every rule in the order pages and the CLI list them.
RULES: tuple[Rule, ...] = (minimumsnormering.RULE, *(r.rule for r in DECISION_RULES))
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
