"""What to ask Statbank for each base series, and how its answer becomes store rows.

Framework-free: takes the definitions, DST's table list and tableinfo, and polars frames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from lokalkompas.indicators.derive import STATUS_RANK
from lokalkompas.indicators.frames import FRAME_SCHEMA
from lokalkompas.indicators.schema import BaseSeries, StatbankSource
from lokalkompas.sources.statbank.client import TableSummary
from lokalkompas.sources.statbank.parse import TableInfo, Variable

# Codes DST uses for "all" in a variable that must be named (streamed formats allow no elimination).
TOTAL_CODES = ("TOT", "IALT", "I ALT", "MOK", "100", "0")
MAX_AGE = 100
# Single ages ("0".."125"), and the open top group some tables use instead ("100-" in FRKM1yy).
KONTOPLAN = re.compile(r"^\d\.\d{2}(\.\d{2})*$")  # 0.58, 5.28.21
AGE_CODE = re.compile(r"^\d+[-+]?$")


class PlanError(ValueError):
    """A definition asks for something the table does not have; the message is Danish."""


@dataclass(frozen=True)
class Request:
    series: BaseSeries
    table: str
    selection: dict[str, list[str]]
    area: str
    time: str
    age: str | None = None
    # Variables where several codes were selected: their values are added up (e.g. PASKAT 1 + 2).
    summed: tuple[str, ...] = field(default_factory=tuple)


def resolve_table(source: StatbankSource, tables: list[TableSummary]) -> str:
    """The table id; a pattern such as FRKM1?? picks the newest active edition from /tables."""
    if not source.table_pattern:
        return source.table.upper()
    regex = re.compile("^" + re.escape(source.table_pattern.upper()).replace(r"\?", ".").replace(r"\*", ".*") + "$")
    candidates = [t for t in tables if regex.match(t.id) and t.active]
    if not candidates:
        raise PlanError(f"ingen aktiv tabel i Statistikbanken passer til mønsteret {source.table_pattern}")
    return max(candidates, key=lambda t: (t.updated, t.id)).id


def _codes(variable: Variable) -> list[str]:
    return [code for code, _text in variable.values]


def _match(variable: Variable, selector: str, table: str) -> list[str]:
    """A selector is an exact code, or a kontoplan number matched on the labels: "5.28.*" or "5.28" (every
    function under 5.28), "5.28.21" (that function). Statbank's codes drop the dots and leading zeros, so
    a number is never looked up as a code."""
    if selector.endswith(".*") or (selector.endswith("*") and "." in selector) or KONTOPLAN.match(selector):
        prefix = selector.rstrip("*")
        found = [
            code
            for code, text in variable.values
            if text.startswith(prefix)
            and (prefix.endswith(".") or text[len(prefix) : len(prefix) + 1] in ("", " ", "."))
        ]
        if not found:
            raise PlanError(
                f"tabel {table}, variabel {variable.id}: ingen værdi har en tekst, der begynder med {prefix}"
            )
        return found
    if selector == "*":
        return _codes(variable)
    if selector not in _codes(variable):
        raise PlanError(f"tabel {table}, variabel {variable.id}: værdien {selector} findes ikke")
    return [selector]


def plan_request(series: BaseSeries, table: str, info: TableInfo, geos: set[str], since: int | None = None) -> Request:
    source = series.source
    assert isinstance(source, StatbankSource)
    area = info.area_variable()
    time_var = info.time_variable()
    if area is None or time_var is None:
        raise PlanError(f"tabel {table} har ingen områdevariabel eller tidsvariabel")
    wanted = {k.upper(): v for k, v in source.selection.items()}
    selection: dict[str, list[str]] = {area.id: [c for c in _codes(area) if c in geos]}
    selection[time_var.id] = _periods(series, time_var, since)
    summed: list[str] = []
    age: str | None = None
    for variable in info.variables:
        if variable.id in selection:
            continue
        chosen = wanted.get(variable.id.upper())
        if chosen is not None:
            selectors = chosen if isinstance(chosen, list) else [chosen]
            codes = [code for s in selectors for code in _match(variable, s, table)]
            selection[variable.id] = codes
            if len(codes) > 1:
                summed.append(variable.id)
        elif series.breakdown == "age" and variable.id.upper().startswith("ALDER"):
            selection[variable.id] = [c for c in _codes(variable) if AGE_CODE.match(c)]
            age = variable.id
        else:
            total = next((c for c in TOTAL_CODES if c in _codes(variable)), None)
            if total is None:
                raise PlanError(f"tabel {table}: vælg en værdi for variablen {variable.id} i definitionen")
            selection[variable.id] = [total]
    unknown = set(wanted) - {v.id.upper() for v in info.variables}
    if unknown:
        raise PlanError(f"tabel {table} har ingen variabel {', '.join(sorted(unknown))}")
    return Request(series, table, selection, area.id, time_var.id, age, tuple(summed))


def _periods(series: BaseSeries, time_var: Variable, since: int | None) -> list[str]:
    codes = [c for c in _codes(time_var) if since is None or int(c[:4]) >= since]
    quarterly = any("K" in c for c in codes)
    if series.frequency == "year" and quarterly:
        # A yearly series from a quarterly table: the first or last quarter, or all of them to add up.
        wanted = {"first": "K1", "last": "K4"}.get(series.to_year)
        return [c for c in codes if wanted is None or c.endswith(wanted)]
    return codes


def to_store(request: Request, frame: pl.DataFrame) -> pl.DataFrame:
    """Parsed answer -> store frame for the request's series."""
    series = request.series
    if frame.height == 0:
        return pl.DataFrame(schema=FRAME_SCHEMA)
    rows = frame.rename({request.area: "geo"}).with_columns(
        pl.col("status").replace_strict(STATUS_RANK, default=STATUS_RANK["missing"]).cast(pl.Int8).alias("rank")
    )
    if request.age:
        age = pl.col(request.age).str.extract(r"^(\d+)").cast(pl.Int32, strict=False)
        rows = rows.with_columns(pl.min_horizontal(age, pl.lit(MAX_AGE)).cast(pl.String).alias("breakdown"))
    else:
        rows = rows.with_columns(pl.lit("").alias("breakdown"))
    if series.frequency == "year" and rows["period"].str.contains("K").any():
        rows = _yearly(rows, series.to_year)
    grouped = rows.group_by(["geo", "period", "breakdown"]).agg(
        pl.col("value").sum().alias("value"),
        pl.col("value").null_count().alias("nulls"),
        pl.col("rank").max().alias("rank"),
    )
    missing = pl.col("nulls") > 0
    return grouped.select(
        pl.lit(series.id).alias("series"),
        "geo",
        "period",
        "breakdown",
        pl.when(missing).then(None).otherwise(pl.col("value")).alias("value"),
        pl.when(missing).then(pl.lit("missing")).otherwise(pl.lit("ok")).alias("status"),
    )


def _yearly(rows: pl.DataFrame, rule: str) -> pl.DataFrame:
    year = pl.col("period").str.slice(0, 4)
    if rule in ("first", "last"):
        return rows.with_columns(year.alias("period"))
    keys = [c for c in rows.columns if c not in ("period", "value", "rank", "status", "flag")]
    agg = pl.col("value").sum() if rule == "sum" else pl.col("value").mean()
    grouped = rows.with_columns(year.alias("period")).group_by([*keys, "period"])
    out = grouped.agg(
        agg.alias("value"), pl.col("value").null_count().alias("n0"), pl.len().alias("n"), pl.col("rank").max()
    )
    complete = (pl.col("n0") == 0) & (pl.col("n") == 4)
    return out.with_columns(pl.when(complete).then(pl.col("value")).otherwise(None).alias("value")).drop("n0", "n")
