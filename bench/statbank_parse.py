"""Benchmark: parsing a 1,000,000-row Statbank BULK answer.

Builds a realistic FOLK1A-like BULK body in memory (OMRÅDE;KØN;ALDER;TID;INDHOLD, CRLF, Danish decimal
commas, a few `..`), then times `parse_csv` against a bare `polars.read_csv` of the same bytes in the
same process (median of 3 each) and measures the peak memory of one parse. Targets: ratio <= 2, peak
memory < 500 MB.

Run: .venv/bin/python bench/statbank_parse.py [rows]
"""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from lokalkompas.sources.statbank.parse import parse_csv

REPEATS = 3
MUNICIPALITIES = [
    "København",
    "Frederiksberg",
    "Ballerup",
    "Brøndby",
    "Dragør",
    "Gentofte",
    "Gladsaxe",
    "Glostrup",
    "Herlev",
    "Albertslund",
    "Hvidovre",
    "Høje-Taastrup",
    "Lyngby-Taarbæk",
    "Rødovre",
    "Ishøj",
    "Tårnby",
    "Vallensbæk",
    "Furesø",
    "Allerød",
    "Fredensborg",
    "Helsingør",
    "Hillerød",
    "Hørsholm",
    "Rudersdal",
    "Egedal",
    "Frederikssund",
    "Gribskov",
    "Halsnæs",
    "Bornholm",
    "Christiansø",
    "Greve",
    "Køge",
    "Lejre",
    "Roskilde",
    "Solrød",
    "Faxe",
    "Guldborgsund",
    "Holbæk",
    "Kalundborg",
    "Lolland",
    "Næstved",
    "Odsherred",
    "Ringsted",
    "Slagelse",
    "Sorø",
    "Stevns",
    "Vordingborg",
    "Middelfart",
    "Assens",
    "Faaborg-Midtfyn",
    "Kerteminde",
    "Nyborg",
    "Odense",
    "Svendborg",
    "Nordfyns",
    "Langeland",
    "Ærø",
    "Haderslev",
    "Billund",
    "Sønderborg",
    "Tønder",
    "Esbjerg",
    "Fanø",
    "Varde",
    "Vejen",
    "Aabenraa",
    "Fredericia",
    "Horsens",
    "Kolding",
    "Vejle",
    "Herning",
    "Holstebro",
    "Lemvig",
    "Struer",
    "Syddjurs",
    "Norddjurs",
    "Favrskov",
    "Odder",
    "Randers",
    "Silkeborg",
    "Samsø",
    "Skanderborg",
    "Aarhus",
    "Ikast-Brande",
    "Ringkøbing-Skjern",
    "Hedensted",
    "Morsø",
    "Skive",
    "Thisted",
    "Viborg",
    "Brønderslev",
    "Frederikshavn",
    "Vesthimmerlands",
    "Læsø",
    "Rebild",
    "Mariagerfjord",
    "Jammerbugt",
    "Aalborg",
    "Hjørring",
]
AREAS = [
    "Hele landet",
    *(f"Region {name}" for name in ("Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland")),
    *MUNICIPALITIES,
]
SEXES = ["I alt", "Mænd", "Kvinder"]
AGES = ["Alder i alt", *(f"{age} år" for age in range(126))]


def build_bulk(rows: int) -> bytes:
    """A BULK body of `rows` data rows, built with polars so setup stays quick."""
    per_period = len(AREAS) * len(SEXES) * len(AGES)
    periods = [f"{2020 + q // 4}K{q % 4 + 1}" for q in range(-(-rows // per_period))]
    grid = (
        pl.DataFrame({"OMRÅDE": AREAS})
        .join(pl.DataFrame({"KØN": SEXES}), how="cross")
        .join(pl.DataFrame({"ALDER": AGES}), how="cross")
    )
    frame = pl.DataFrame({"TID": periods}).join(grid, how="cross").head(rows)
    rng = np.random.default_rng(20260127)
    tenths = pl.Series(rng.integers(0, 5_000_000, rows))
    value = (tenths // 10).cast(pl.String) + "," + (tenths % 10).cast(pl.String)
    missing = pl.Series(rng.random(rows) < 0.005)  # a few cells DST cannot publish
    frame = frame.with_columns(pl.when(missing).then(pl.lit("..")).otherwise(value).alias("INDHOLD"))
    body = frame.select("OMRÅDE", "KØN", "ALDER", "TID", "INDHOLD").write_csv(
        separator=";", line_terminator="\r\n", quote_style="never"
    )
    return body.encode("utf-8")


def median_seconds(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _status_kib(field: str) -> int | None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def peak_memory_mb(fn: Callable[[], object]) -> tuple[float, float, str]:
    """(peak RSS during fn, RSS before fn, method) in MB.

    polars allocates outside Python's allocator, so tracemalloc would miss it: we read the kernel's
    high-water mark. On Linux we reset it first (clear_refs "5") so building the input does not count;
    elsewhere maxrss is the process's lifetime peak, an upper bound.
    """
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
        before = _status_kib("VmRSS")
        fn()
        peak = _status_kib("VmHWM")
        if before is not None and peak is not None:
            return peak / 1024, before / 1024, "VmHWM reset before the parse"
    except OSError:
        pass
    before_max = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    fn()
    after_max = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return after_max / 1024, before_max / 1024, "ru_maxrss, lifetime peak"


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    body = build_bulk(rows)
    print(f"BULK body: {rows:,} rows, {len(body) / 1e6:.1f} MB")

    peak, before, method = peak_memory_mb(lambda: parse_csv(body))
    parsed = median_seconds(lambda: parse_csv(body))
    plain = median_seconds(lambda: pl.read_csv(body, separator=";"))
    frame = parse_csv(body)
    assert frame.height == rows, frame.height
    missing = frame.filter(pl.col("status") == "missing").height

    print(f"parse_csv:       {parsed:.3f} s (median of {REPEATS}); {missing:,} missing cells")
    print(f"polars.read_csv: {plain:.3f} s (median of {REPEATS})")
    print(f"ratio:           {parsed / plain:.2f}   target <= 2")
    print(f"peak memory:     {peak:.0f} MB during parse_csv ({peak - before:+.0f} MB over {before:.0f} MB before)")
    print(f"                 measured as {method}")
    print("                 target < 500 MB")


if __name__ == "__main__":
    main()
