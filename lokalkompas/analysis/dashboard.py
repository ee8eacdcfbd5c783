"""The dashboard's area tiles: legal status, the comparison with similar municipalities, the top alert.

Pure: the caller passes the municipality's legal results, alerts and per-indicator verdicts, and the
maps from rules and indicators to areas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lokalkompas.analysis.alerts import Alert
from lokalkompas.legal.base import RuleResult

VerdictMap = Mapping[str, str]  # indicator id -> "bedre" | "dårligere" | "som lignende"


@dataclass(frozen=True)
class AreaTile:
    area_id: str
    name: str
    legal: list[RuleResult] = field(default_factory=list)
    better: int = 0
    worse: int = 0
    same: int = 0
    top_alert: Alert | None = None

    @property
    def compared(self) -> int:
        return self.better + self.worse + self.same

    @property
    def breaches(self) -> int:
        return sum(1 for r in self.legal if r.is_breach)

    @property
    def demo(self) -> bool:
        return any(r.demo for r in self.legal) or bool(self.top_alert and self.top_alert.demo)


def area_tiles(
    areas: Sequence[tuple[str, str]],
    legal: Sequence[RuleResult],
    rule_area: Mapping[str, str],
    alerts: Sequence[Alert],
    indicator_area: Mapping[str, str],
    verdicts: VerdictMap,
) -> list[AreaTile]:
    """One tile per area, in the given order. `alerts` must be most urgent first (as `collect` returns)."""
    tiles = []
    for area_id, name in areas:
        mine = [v for ind, v in verdicts.items() if indicator_area.get(ind) == area_id]
        top = next((a for a in alerts if _area_of(a, rule_area, indicator_area) == area_id), None)
        tiles.append(
            AreaTile(
                area_id,
                name,
                [r for r in legal if rule_area.get(r.rule) == area_id],
                better=mine.count("bedre"),
                worse=mine.count("dårligere"),
                same=mine.count("som lignende"),
                top_alert=top,
            )
        )
    return tiles


def _area_of(alert: Alert, rule_area: Mapping[str, str], indicator_area: Mapping[str, str]) -> str | None:
    if alert.kind in ("lovkrav", "frist"):
        return rule_area.get(alert.subject)
    return indicator_area.get(alert.subject)
