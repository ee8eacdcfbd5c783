"""Expected versus actual: does a municipality do better or worse than its conditions predict?

An ordinary least-squares regression across the municipalities of the indicator on the structural
variables. The residual (actual minus expected) and its percentile say how far off the municipality
is. When the model explains too little (R² below MIN_R2), the comparison says nothing useful and the
result is "ikke meningsfuld" instead of a number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lokalkompas.lib.formatting import format_number

# Below this share of explained variance the "expected" value is mostly noise (documented in the UI).
MIN_R2 = 0.3
# At least this many municipalities per estimated coefficient, or the fit is not trusted.
MIN_ROWS_PER_COEFFICIENT = 5


@dataclass(frozen=True)
class Expectation:
    meaningful: bool
    r2: float | None
    expected: dict[str, float]
    residual: dict[str, float]
    # Percentile of the residual among all municipalities (100 = furthest above what is expected).
    residual_percentile: dict[str, float]
    reason: str = ""


def expected_vs_actual(geos: list[str], y: np.ndarray, x: np.ndarray) -> Expectation:
    """y: the indicator per municipality; x: municipalities x structural variables. NaN rows are left out."""
    usable = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
    n, k = int(usable.sum()), x.shape[1] + 1
    if n < k * MIN_ROWS_PER_COEFFICIENT:
        return Expectation(False, None, {}, {}, {}, reason=f"for få kommuner med data ({n})")
    design = np.column_stack([np.ones(n), x[usable]])
    coefficients, *_ = np.linalg.lstsq(design, y[usable], rcond=None)
    fitted = design @ coefficients
    residuals = y[usable] - fitted
    total = float(((y[usable] - y[usable].mean()) ** 2).sum())
    r2 = 1.0 - float((residuals**2).sum()) / total if total > 0 else 0.0
    if r2 < MIN_R2:
        explained = format_number(max(r2, 0.0) * 100, 0)
        return Expectation(False, r2, {}, {}, {}, reason=f"modellen forklarer kun {explained} % af forskellene")
    names = [g for g, ok in zip(geos, usable, strict=True) if ok]
    ranks = residuals.argsort().argsort()
    percentiles = ranks / max(n - 1, 1) * 100
    return Expectation(
        True,
        r2,
        dict(zip(names, fitted.tolist(), strict=True)),
        dict(zip(names, residuals.tolist(), strict=True)),
        dict(zip(names, percentiles.tolist(), strict=True)),
    )
