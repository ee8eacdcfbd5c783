"""Similar municipalities: the nearest neighbours on standardised structural variables, with the why.

Each variable is standardised (z-score over the 98), weighted by the user (equal by default), and the
distance is Euclidean. Every neighbour comes with each variable's share of its squared distance, so a
page can say "similar mostly because of age structure and density".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Neighbour:
    geo: str
    distance: float
    # Variable name -> its share (0–1) of the squared distance.
    contributions: dict[str, float]


@dataclass(frozen=True)
class PeerMatrix:
    geos: list[str]
    variables: list[str]
    values: np.ndarray  # municipalities x variables; NaN where missing

    def standardised(self) -> np.ndarray:
        # A variable with no values at all (not loaded yet) gets mean 0 and spread 1, so it is all zeros
        # below and separates no one, instead of numpy warning about an empty slice.
        known = ~np.isnan(self.values)
        count = known.sum(axis=0)
        filled = np.where(known, self.values, 0.0)
        mean = np.divide(filled.sum(axis=0), count, out=np.zeros(count.shape), where=count > 0)
        squares = np.where(known, (self.values - mean) ** 2, 0.0).sum(axis=0)
        std = np.sqrt(np.divide(squares, count, out=np.zeros(count.shape), where=count > 0))
        std[std == 0] = 1.0  # a variable that never varies cannot separate anyone
        z = (self.values - mean) / std
        return np.nan_to_num(z, nan=0.0)  # a missing value sits at the mean: it neither attracts nor repels


def nearest(matrix: PeerMatrix, geo: str, k: int = 10, weights: dict[str, float] | None = None) -> list[Neighbour]:
    """The k municipalities nearest to `geo`, nearest first; ties broken by code for stable pages."""
    if geo not in matrix.geos:
        raise KeyError(f"ukendt kommunekode {geo!r}")
    w = np.array([max((weights or {}).get(v, 1.0), 0.0) for v in matrix.variables])
    if not w.any():
        raise ValueError("mindst én variabel skal have en vægt over 0")
    z = matrix.standardised()
    me = z[matrix.geos.index(geo)]
    squared = (z - me) ** 2 * w
    distances = np.sqrt(squared.sum(axis=1))
    order = sorted((i for i, g in enumerate(matrix.geos) if g != geo), key=lambda i: (distances[i], matrix.geos[i]))
    out = []
    for i in order[:k]:
        total = squared[i].sum()
        shares = squared[i] / total if total > 0 else np.zeros(len(matrix.variables))
        out.append(
            Neighbour(matrix.geos[i], float(distances[i]), dict(zip(matrix.variables, shares.tolist(), strict=True)))
        )
    return out
