"""A deterministic synthetic data set for every base series, believable to a Danish analyst.

Everything made here has status `demo`. The population starts from the real figures of 2015 and 2020
(package data, see demo_data/README.md); every other series follows its definition's `demo` block:
a rate times the population of an age group, or a level, with a fixed factor per municipality, an
effect per DST municipality group, a trend, yearly noise, and some missing and confidential cells.
"""

from __future__ import annotations

import csv
import zlib
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

import numpy as np
import polars as pl

from lokalkompas.indicators.frames import FRAME_SCHEMA
from lokalkompas.indicators.schema import DEMO_PRESENT_YEAR, PROJECTION_LAST_YEAR, BaseSeries, DemoSpec
from lokalkompas.registry.data import COUNTRY_CODE, Municipality, municipalities, regions

MAX_AGE = 100
# Approximate Danish population by age (thousands) at anchor ages; interpolated to single years.
_ANCHOR_AGES = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100]
_ANCHOR_COUNTS = [58, 62, 66, 68, 72, 80, 72, 68, 68, 72, 78, 80, 76, 70, 66, 62, 48, 28, 12, 3.2, 1.0]
# Age-structure tilts per DST municipality group: (first age, last age, factor).
_GROUP_TILTS: dict[int, list[tuple[int, int, float]]] = {
    1: [(0, 5, 1.1), (6, 16, 0.85), (20, 39, 1.45), (50, 66, 0.85), (67, MAX_AGE, 0.7)],
    2: [(6, 16, 0.92), (18, 32, 1.55), (67, MAX_AGE, 0.82)],
    3: [(18, 29, 1.05)],
    4: [(0, 16, 1.12), (18, 30, 0.75), (35, 55, 1.08)],
    5: [(0, 16, 0.95), (18, 35, 0.7), (55, 85, 1.25)],
}
# Spending by month relative to an even twelfth: low in January and July, high at year end.
_SEASON = np.array([0.92, 0.96, 1.0, 1.0, 1.0, 1.02, 0.9, 0.98, 1.02, 1.02, 1.03, 1.15])
_SEASON = _SEASON / _SEASON.mean()
# Kinds whose published region and country figures are sums of the municipalities (not weighted means).
_AMOUNT_KINDS = ("count", "spending", "accounts")


@dataclass(frozen=True)
class DemoConfig:
    seed: int = 2026
    first_year: int = 2015
    last_year: int = 2025
    # Monthly spending runs to October 2026, the last closed month when this data set was designed.
    last_month: str = "2026M10"


def _rng(seed: int, key: str) -> np.random.Generator:
    # Each series draws from its own stream, so adding a series never changes another one.
    return np.random.default_rng([seed, zlib.crc32(key.encode())])


def _profile() -> np.ndarray:
    return np.interp(np.arange(MAX_AGE + 1), _ANCHOR_AGES, _ANCHOR_COUNTS)


def _real_population() -> dict[str, tuple[int, int]]:
    text = resources.files("lokalkompas.indicators").joinpath("demo_data", "folketal.csv").read_text("utf-8")
    return {r["code"]: (int(r["2015K1"]), int(r["2020K1"])) for r in csv.DictReader(text.splitlines(), delimiter=";")}


class Population:
    """Synthetic population: yearly by single-year age and quarterly totals, for all municipalities."""

    def __init__(self, config: DemoConfig, munis: tuple[Municipality, ...]) -> None:
        self.config = config
        self.munis = munis
        self.years = list(range(config.first_year, config.last_year + 2))  # one extra year for interpolation

    @cached_property
    def totals(self) -> np.ndarray:
        """1 January population, shape (municipalities, years)."""
        real = _real_population()
        out = np.zeros((len(self.munis), len(self.years)))
        for i, m in enumerate(self.munis):
            p2015, p2020 = real[m.code]
            growth = (p2020 / p2015) ** (1 / 5) - 1
            for j, year in enumerate(self.years):
                # Growth after 2020 is damped: the municipality's own trend, a little slower.
                rate = growth if year <= 2020 else growth * 0.8
                out[i, j] = p2020 * (1 + rate) ** (year - 2020)
        return np.round(out)

    @cached_property
    def by_age(self) -> np.ndarray:
        """Shape (municipalities, years, ages); each age vector sums to the year's total."""
        rng = _rng(self.config.seed, "befolkning-alder")
        base = _profile()
        ages = np.arange(MAX_AGE + 1)
        out = np.zeros((len(self.munis), len(self.years), MAX_AGE + 1))
        for i, m in enumerate(self.munis):
            shape = base.copy()
            for lo, hi, factor in _GROUP_TILTS[m.group]:
                shape[lo : hi + 1] *= factor
            young, student, old = np.exp(rng.normal(0, 0.06, 3))
            shape[:17] *= young
            shape[18:31] *= student
            shape[67:] *= old
            for j, year in enumerate(self.years):
                ageing = np.where(ages >= 67, 1 + 0.012 * (year - 2020), 1.0)
                ageing = np.where(ages <= 5, ageing * (1 - 0.004 * (year - 2020)), ageing)
                weights = shape * ageing
                counts = np.floor(weights / weights.sum() * self.totals[i, j])
                counts[40] += self.totals[i, j] - counts.sum()  # rounding rest, so ages add up exactly
                out[i, j] = counts
        return out

    def group(self, lo: int, hi: int) -> np.ndarray:
        """Population of an age group, shape (municipalities, years)."""
        return self.by_age[:, :, lo : hi + 1].sum(axis=2)

    def quarterly(self) -> tuple[list[str], np.ndarray]:
        """Totals on the first day of each quarter, linearly between 1 January values."""
        periods, columns = [], []
        for j, year in enumerate(self.years[:-1]):
            for q in range(4):
                periods.append(f"{year}K{q + 1}")
                columns.append(self.totals[:, j] + (self.totals[:, j + 1] - self.totals[:, j]) * q / 4)
        return periods, np.round(np.stack(columns, axis=1))


class Generator:
    """Makes the store frame of every base series; `generate` is the only entry point."""

    def __init__(self, series: list[BaseSeries], config: DemoConfig | None = None) -> None:
        self.series = {s.id: s for s in series}
        self.config = config or DemoConfig()
        self.munis = municipalities()
        self.population = Population(self.config, self.munis)
        self.groups = np.array([m.group for m in self.munis])
        self.parents = self._parents()
        self._values: dict[str, tuple[list[str], np.ndarray]] = {}

    def _parents(self) -> dict[str, np.ndarray]:
        masks = {r.code: np.array([m.region_code == r.code for m in self.munis]) for r in regions()}
        masks[COUNTRY_CODE] = np.ones(len(self.munis), dtype=bool)
        return masks

    def _years(self, spec: DemoSpec) -> list[int]:
        first = max(spec.first_year, self.config.first_year)
        last = min(spec.last_year, self.config.last_year + 1)
        return [y for y in range(first, last + 1) if (y - first) % spec.every == 0]

    def _year_index(self, year: int) -> int:
        return self.population.years.index(min(year, self.population.years[-1]))

    def _weights(self, spec: DemoSpec, years: list[int]) -> np.ndarray:
        lo, hi = spec.ages or (0, MAX_AGE)
        pop = self.population.group(lo, hi)
        return np.stack([pop[:, self._year_index(y)] for y in years], axis=1)

    def _true_values(self, s: BaseSeries) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Periods, values (municipalities x periods) and aggregation weights, before cells go missing."""
        spec = s.demo
        rng = _rng(self.config.seed, s.id)
        factor = np.exp(rng.normal(0, spec.spread, len(self.munis)))
        factor *= np.array(spec.group_effect)[self.groups - 1]
        if spec.kind == "spending":
            return self._spending(s, rng, factor)
        if spec.kind == "accounts":
            return self._accounts(s, rng)
        if spec.kind == "cases":
            return self._cases(s, factor)
        if spec.kind == "unit_price":
            return self._unit_prices(s)
        years = self._years(spec)
        weights = self._weights(spec, years)
        trend = np.array([(1 + spec.trend) ** (y - 2020) for y in years])
        if s.frequency == "quarter":
            periods = [f"{y}K{q}" for y in years for q in range(1, 5)]
            weights, trend = np.repeat(weights, 4, axis=1), np.repeat(trend, 4)
        else:
            periods = [str(y) for y in years]
        noise = 1 + rng.normal(0, spec.noise, (len(self.munis), len(periods)))
        base = weights if spec.kind == "count" else 1.0
        values = spec.value * base * factor[:, None] * trend[None, :] * noise
        if spec.kind == "count" and spec.maximum is not None:
            values = np.minimum(values, spec.maximum * weights)  # a share of a population cannot pass 100 %
        elif spec.minimum is not None or spec.maximum is not None:
            values = np.clip(values, spec.minimum, spec.maximum)
        return periods, np.round(values, spec.decimals), weights

    def _followed(self, s: BaseSeries) -> tuple[list[int], np.ndarray]:
        """The years of the followed budget that fall within this series' own years, and their values."""
        spec = s.demo
        if spec.follows is None or spec.follows not in self.series:
            raise ValueError(f"{s.id}: demo.follows skal pege på en budgetserie")
        budget_periods, budget = self.values(spec.follows)
        own = set(self._years(spec))
        chosen = [j for j, p in enumerate(budget_periods) if int(p) in own]
        return [int(budget_periods[j]) for j in chosen], budget[:, chosen]

    def _spending(self, s: BaseSeries, rng: np.random.Generator, factor: np.ndarray) -> tuple:
        spec = s.demo
        years, budget = self._followed(s)
        last_year, last_month = int(self.config.last_month[:4]), int(self.config.last_month[5:])
        overrun = rng.normal(spec.overrun, 0.03, len(self.munis))
        periods, columns = [], []
        for j, year in enumerate(years):
            for month in range(1, 13):
                if (year, month) > (last_year, last_month):
                    break
                noise = 1 + rng.normal(0, spec.noise, len(self.munis))
                periods.append(f"{year}M{month:02d}")
                columns.append(budget[:, j] / 12 * _SEASON[month - 1] * (1 + overrun) * noise)
        values = np.round(np.stack(columns, axis=1), spec.decimals)
        return periods, values, np.ones_like(values)

    def _accounts(self, s: BaseSeries, rng: np.random.Generator) -> tuple:
        """Closed years' accounts: the budget times (1 + the municipality's usual deviation + this year's)."""
        # Municipalities mostly land within a few per cent of the original budget; some keep landing on
        # the same side year after year (social mostly above), hence a deviation per municipality.
        spec = s.demo
        years, budget = self._followed(s)
        usual = rng.normal(spec.overrun, 0.015, len(self.munis))
        yearly = rng.normal(0, spec.noise, budget.shape)
        values = np.round(budget * (1 + usual[:, None] + yearly), spec.decimals)
        return [str(y) for y in years], values, np.ones_like(values)

    def _source(self, s: BaseSeries, kind: str) -> BaseSeries:
        followed = self.series.get(s.demo.follows or "")
        if followed is None or followed.demo.kind != kind:
            raise ValueError(f"{s.id}: demo.follows skal pege på en serie af slagsen {kind}")
        return followed

    def _cases(self, s: BaseSeries, factor: np.ndarray) -> tuple:
        """Active cases behind a share of the monthly spending, at a unit price that rises each January.

        The ledger's seasonal rhythm (a low July, year-end postings) is taken out: cases are a stock and do
        not pile up in December; that rhythm lands in the unit price instead (see `_unit_prices`).
        """
        spec = s.demo
        spending = self._source(s, "spending")
        periods, spent = self.values(spending.id)
        years = np.array([int(p[:4]) for p in periods])
        season = _SEASON[np.array([int(p[5:7]) for p in periods]) - 1]
        price = spec.value * factor[:, None] * (1 + spec.trend) ** (years - 2020)[None, :]
        cases = np.maximum(1.0, np.round(spent * (spec.share or 1.0) / season[None, :] / price, spec.decimals))
        return periods, cases, np.ones_like(cases)

    def _unit_prices(self, s: BaseSeries) -> tuple:
        """The month's spend on the function divided by its cases, as a municipality computes the unit price."""
        cases_series = self._source(s, "cases")
        periods, cases = self.values(cases_series.id)
        _periods, spent = self.values(self._source(cases_series, "spending").id)
        prices = np.round(spent * (cases_series.demo.share or 1.0) / cases, s.demo.decimals)
        return periods, prices, np.ones_like(prices)

    def values(self, series_id: str) -> tuple[list[str], np.ndarray]:
        if series_id not in self._values:
            periods, values, _weights = self._true_values(self.series[series_id])
            self._values[series_id] = (periods, values)
        return self._values[series_id]

    def generate(self) -> pl.DataFrame:
        frames = [self._frame(s) for s in self.series.values()]
        return pl.concat(frames)

    @cached_property
    def projection(self) -> Population:
        """The demo population carried on to the last projection year: each municipality keeps its own
        age profile and growth, so a projection continues the observed series without a jump."""
        config = DemoConfig(seed=self.config.seed, first_year=DEMO_PRESENT_YEAR, last_year=PROJECTION_LAST_YEAR)
        return Population(config, self.munis)

    def _frame(self, s: BaseSeries) -> pl.DataFrame:
        if s.demo.kind == "population":
            return self._population_frame(s)
        if s.demo.kind == "projection":
            return self._projection_frame(s)
        periods, values, weights = self._true_values(s)
        self._values[s.id] = (periods, values)
        rng = _rng(self.config.seed, s.id + "/cells")
        draw = rng.random(values.shape)
        status = np.where(draw < s.demo.missing, "missing", "demo")
        status = np.where(draw > 1 - s.demo.confidential, "confidential", status)
        rows = _rows(s.id, [m.code for m in self.munis], periods, values, status)
        if s.aggregate == "none" or s.source.kind == "upload":
            return rows
        return pl.concat([rows, self._aggregates(s, periods, values, weights)])

    def _aggregates(self, s: BaseSeries, periods: list[str], values: np.ndarray, weights: np.ndarray) -> pl.DataFrame:
        """What the source itself publishes for regions and the country: sums, or weighted means."""
        codes, out = [], []
        for code, mask in self.parents.items():
            codes.append(code)
            if s.aggregate == "sum" or (s.aggregate == "published" and s.demo.kind in _AMOUNT_KINDS):
                out.append(values[mask].sum(axis=0))
            else:
                w = weights[mask]
                out.append((values[mask] * w).sum(axis=0) / w.sum(axis=0))
        aggregated = np.round(np.stack(out), s.demo.decimals)
        return _rows(s.id, codes, periods, aggregated, np.full(aggregated.shape, "demo"))

    def _population_frame(self, s: BaseSeries) -> pl.DataFrame:
        codes = [m.code for m in self.munis]
        parents = list(self.parents)
        if s.breakdown == "age":
            years = list(range(self.config.first_year, self.config.last_year + 1))
            return self._age_rows(s.id, self.population, years)
        periods, totals = self.population.quarterly()
        sums = np.stack([totals[self.parents[p]].sum(axis=0) for p in parents])
        return _rows(s.id, codes + parents, periods, np.concatenate([totals, sums]), "demo")

    def _age_rows(self, series_id: str, population: Population, years: list[int]) -> pl.DataFrame:
        """One row per municipality, region and the country, year and single age (the top age open)."""
        codes, parents = [m.code for m in self.munis], list(self.parents)
        start = population.years.index(years[0])
        frames = []
        for age in range(MAX_AGE + 1):
            data = population.by_age[:, start : start + len(years), age]
            sums = np.stack([data[self.parents[p]].sum(axis=0) for p in parents])
            frames.append(
                _rows(
                    series_id, codes + parents, [str(y) for y in years], np.concatenate([data, sums]), "demo"
                ).with_columns(pl.lit(str(age)).alias("breakdown"))
            )
        return pl.concat(frames)

    def _projection_frame(self, s: BaseSeries) -> pl.DataFrame:
        spec = s.demo
        years = list(range(spec.first_year, spec.last_year + 1))
        if s.breakdown == "age":
            return self._age_rows(s.id, self.projection, years)
        # A municipality's own prognosis of an age group: the demo projection with its own deviation
        # (local plans for housing make it differ), growing a little apart year by year.
        lo, hi = spec.ages or (0, MAX_AGE)
        band = self.projection.group(lo, hi)
        start = self.projection.years.index(years[0])
        rng = _rng(self.config.seed, s.id)
        drift = rng.normal(0, spec.spread, len(self.munis))
        steps = np.arange(len(years))[None, :] / max(len(years) - 1, 1)
        noise = 1 + rng.normal(0, spec.noise, (len(self.munis), len(years)))
        values = band[:, start : start + len(years)] * (1 + drift[:, None] * steps) * noise
        return _rows(
            s.id, [m.code for m in self.munis], [str(y) for y in years], np.round(values, spec.decimals), "demo"
        )


def _rows(series: str, codes: list[str], periods: list[str], values: np.ndarray, status: object) -> pl.DataFrame:
    status_array = np.broadcast_to(np.asarray(status), values.shape)
    n_codes, n_periods = values.shape
    frame = pl.DataFrame(
        {
            "series": pl.Series([series] * (n_codes * n_periods), dtype=pl.String),
            "geo": np.repeat(codes, n_periods),
            "period": np.tile(periods, n_codes),
            "breakdown": pl.Series([""] * (n_codes * n_periods), dtype=pl.String),
            "value": values.reshape(-1).astype(float),
            "status": status_array.reshape(-1).astype(str),
        },
        schema=FRAME_SCHEMA,
    )
    return frame.with_columns(
        pl.when(pl.col("status").is_in(["missing", "confidential"]))
        .then(None)
        .otherwise(pl.col("value"))
        .alias("value")
    )


def revised(frame: pl.DataFrame, config: DemoConfig | None = None) -> pl.DataFrame:
    """A later vintage of a few cells, like DST's final normering figures replacing the preliminary ones."""
    config = config or DemoConfig()
    rng = _rng(config.seed, "revisions")
    candidates = frame.filter(
        pl.col("series").str.starts_with("boern8-normering")
        & (pl.col("period") == str(config.last_year))
        & (pl.col("status") == "demo")
        & (pl.col("geo").str.len_chars() == 3)
        & ~pl.col("geo").str.starts_with("08")
        & (pl.col("geo") != COUNTRY_CODE)
    ).sort(["series", "geo"])
    if candidates.height == 0:
        return frame.clear()
    chosen = candidates[np.sort(rng.choice(candidates.height, size=min(12, candidates.height), replace=False))]
    shift = pl.Series(np.where(rng.random(chosen.height) < 0.5, -0.1, 0.1))
    return chosen.with_columns((pl.col("value") + shift).round(1).alias("value"))
