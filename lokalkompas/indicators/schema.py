"""Pydantic models for indicator definitions in ``indicators/definitions/<area>.yaml``.

A file declares the *base series* its indicators are computed from (what a source delivers) and the
*indicators* themselves (what the council reads). Demo parameters sit on each base series, so the
demo generator needs no knowledge of any particular series.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([.-][a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2)]
Frequency = Literal["year", "quarter", "month"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StatbankSource(Strict):
    kind: Literal["statbank"]
    table: Annotated[str, StringConstraints(pattern=r"^[A-ZÆØÅ0-9]+$")]
    # Values to select, by variable id, besides area and time (e.g. {"PASKAT": "2"}).
    selection: dict[str, str | list[str]] = Field(default_factory=dict)
    # Tables whose id changes with each edition (FRKMyy) give a pattern resolved through /tables.
    table_pattern: str | None = None
    note: str | None = None


class UploadSource(Strict):
    kind: Literal["upload"]
    template: Id
    column: Id
    note: str | None = None
    # Impossible outside (an error on upload); default from the unit: pct. 0–100, counts ≥ 0.
    valid: tuple[float | None, float | None] | None = None
    # Possible but surprising outside (a warning on upload).
    plausible: tuple[float, float] | None = None


class ManualSource(Strict):
    """Entered by hand in the web app (e.g. the date a plan was adopted)."""

    kind: Literal["manual"]
    note: str | None = None


DEMO_PRESENT_YEAR = 2026
PROJECTION_LAST_YEAR = 2040


class DemoSpec(Strict):
    """How the demo generator makes this series believable."""

    # population: the special population series; count: rate x population of `ages`;
    # level: a value around `value` (ratios, satisfaction, waiting days), weighted by `ages` in aggregates;
    # spending: monthly actuals that follow the yearly budget series `follows`, with a typical `overrun`;
    # accounts: a closed year's accounts that follow the budget series `follows` in the same way, with a
    # deviation per municipality around `overrun` and `noise` per year;
    # cases: monthly active cases behind the `share` of the spending series `follows`, at a unit price
    # around `value` (1.000 kr. a month) growing by `trend` a year;
    # unit_price: the monthly unit price of the cases series `follows`, so that cases × price is its share
    # of the spending;
    # projection: the demo population carried forward over `first_year`..`last_year` (a population
    # projection), by single age, or summed over `ages` with a `spread` from it (a municipality's own).
    kind: Literal["population", "count", "level", "spending", "accounts", "cases", "unit_price", "projection"]
    ages: tuple[int, int] | None = None
    value: float = 1.0
    spread: float = Field(default=0.1, ge=0, le=1)
    group_effect: tuple[float, float, float, float, float] = (1.0, 1.0, 1.0, 1.0, 1.0)
    trend: float = Field(default=0.0, ge=-0.2, le=0.2)
    noise: float = Field(default=0.02, ge=0, le=0.5)
    missing: float = Field(default=0.01, ge=0, le=0.5)
    confidential: float = Field(default=0.0, ge=0, le=0.5)
    minimum: float | None = None
    maximum: float | None = None
    decimals: int = Field(default=1, ge=0, le=4)
    first_year: int = Field(default=2015, ge=2000, le=PROJECTION_LAST_YEAR)
    last_year: int = Field(default=2025, ge=2000, le=PROJECTION_LAST_YEAR)
    follows: Id | None = None
    overrun: float = Field(default=0.0, ge=-0.2, le=0.2)
    share: float | None = Field(default=None, gt=0, le=1)
    # Surveys and health profiles are measured every `every` years only.
    every: int = Field(default=1, ge=1, le=5)

    @model_validator(mode="after")
    def _only_projections_reach_the_future(self) -> DemoSpec:
        # Observed series stop at the demo's present; only a projection has values for later years.
        if self.kind != "projection" and max(self.first_year, self.last_year) > DEMO_PRESENT_YEAR:
            raise ValueError(f"kun en fremskrivning (kind: projection) kan gå ud over {DEMO_PRESENT_YEAR}")
        return self


class BaseSeries(Strict):
    id: Id
    name: Text
    unit: Text
    frequency: Frequency
    breakdown: Literal["none", "age", "area"] = "none"
    source: StatbankSource | UploadSource | ManualSource = Field(discriminator="kind")
    # How a yearly value is made from quarters or months: a stock on 1 January (first), a flow (sum),
    # or an average level (mean).
    to_year: Literal["first", "last", "sum", "mean"] = "mean"
    # How region and country values arise when the source does not publish them.
    aggregate: Literal["sum", "weighted_mean", "published", "none"] = "sum"
    demo: DemoSpec


class Term(Strict):
    """One operand of a formula: a base series, optionally summed over an age range."""

    series: Id
    ages: tuple[int, int] | None = None


class Formula(Strict):
    numerator: Term
    denominator: Term | None = None
    scale: float = 1.0
    # growth: the yearly change in per cent of the ratio (e.g. population growth), not its level.
    transform: Literal["none", "growth"] = "none"
    # Used when region or country values are not published: sums (the default, for ratios), a mean
    # weighted by `weight`, a plain mean (only where the definition says so), or no aggregate at all.
    aggregate: Literal["ratio_of_sums", "weighted_mean", "mean", "none"] = "ratio_of_sums"
    weight: Term | None = None

    @model_validator(mode="after")
    def _weight_only_with_weighted_mean(self) -> Formula:
        if (self.aggregate == "weighted_mean") != (self.weight is not None):
            raise ValueError("weight skal angives, præcis når aggregate er weighted_mean")
        return self


class LegalThreshold(Strict):
    rule: Id
    value: float
    # max: the value must not exceed the threshold (children per adult); min: must reach it.
    kind: Literal["max", "min"]


class Indicator(Strict):
    id: Id
    name: Text
    short_name: Text | None = None
    definition: Text
    unit: Text
    decimals: int = Field(ge=0, le=4)
    polarity: Literal["higher_better", "lower_better", "neutral"]
    frequency: Frequency
    formula: Formula
    legal_threshold: LegalThreshold | None = None
    caveats: list[Text] = Field(default_factory=list)
    questions: list[Id] = Field(default_factory=list)

    def terms(self) -> list[Term]:
        """Every base-series operand the formula reads: numerator, denominator and weight."""
        f = self.formula
        return [t for t in (f.numerator, f.denominator, f.weight) if t is not None]


class DefinitionFile(Strict):
    area: Id
    series: list[BaseSeries] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
