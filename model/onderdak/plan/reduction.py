"""Scenario reduction: monthly need paths to quarters, then to a few weighted representative paths."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from onderdak.core.errors import InputError

EXACT_MEDOID_MAX_MEMBERS = 1500
"""Clusters larger than this take the member nearest the cluster mean as medoid (memory bound)."""


@dataclass(frozen=True)
class QuarterlyNeed:
    """Need per path, quarter and stream: the maximum of the months of each quarter.

    Attributes
    ----------
    quarters : pandas.PeriodIndex
        Calendar quarters of the horizon (the first and last may hold fewer months).
    streams : tuple of str
        Stream names, in the order of the last axis of ``places``.
    places : numpy.ndarray
        Shape (paths, quarters, streams): the largest monthly need within the quarter (places, or
        dwellings for ``status_holders``). The maximum, not the mean, so that capacity that covers
        the quarter covers each of its months.
    months_per_quarter : numpy.ndarray
        Months of the horizon in each quarter (int, 1–3).
    first_month : numpy.ndarray
        Index (0-based, from the case's start) of the first horizon month of each quarter.
    """

    quarters: pd.PeriodIndex
    streams: tuple[str, ...]
    places: np.ndarray
    months_per_quarter: np.ndarray
    first_month: np.ndarray

    @property
    def paths(self) -> int:
        return self.places.shape[0]


def quarterly_need(
    streams: Mapping[str, np.ndarray], periods: pd.PeriodIndex, names: Sequence[str]
) -> QuarterlyNeed:
    """Monthly need arrays (paths, months) per stream to the quarterly maximum.

    Parameters
    ----------
    streams : mapping of str to numpy.ndarray
        Need per stream, shape (paths, months), e.g. ``Need.streams``.
    periods : pandas.PeriodIndex
        The monthly periods of the second axis.
    names : sequence of str
        Streams to keep, in this order.

    Returns
    -------
    QuarterlyNeed
    """
    missing = [s for s in names if s not in streams]
    if missing:
        raise InputError(f"optimise: the need has no stream {', '.join(missing)}")
    quarter_of_month = periods.asfreq("Q")
    codes = np.asarray(quarter_of_month.asi8)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    months = np.diff(np.r_[starts, len(periods)])
    stacked = np.stack([np.asarray(streams[s], dtype=float) for s in names], axis=-1)
    places = np.maximum.reduceat(stacked, starts, axis=1)
    quarters = pd.PeriodIndex(quarter_of_month[starts], name="quarter")
    return QuarterlyNeed(quarters, tuple(names), places, months.astype(int), starts.astype(int))


@dataclass(frozen=True)
class Reduction:
    """A weighted set of representative paths.

    Attributes
    ----------
    path_ids : numpy.ndarray
        Index of each representative path in the full ensemble.
    weights : numpy.ndarray
        Probability of each representative (share of the paths it stands for; sums to 1).
    assignment : numpy.ndarray
        For every path of the full ensemble, the position (in ``path_ids``) of its representative.
    method : str
        'kmedoids', 'quantile' or 'all'.
    """

    path_ids: np.ndarray
    weights: np.ndarray
    assignment: np.ndarray
    method: str

    @property
    def size(self) -> int:
        return len(self.path_ids)


def _features(places: np.ndarray) -> np.ndarray:
    """Paths × (quarters·streams), each stream divided by its mean so the streams weigh alike."""
    scale = places.mean(axis=(0, 1), keepdims=True)
    scale = np.where(scale > 0, scale, 1.0)
    return (places / scale).reshape(places.shape[0], -1)


def _squared_distances(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    d = (x * x).sum(1)[:, None] - 2.0 * x @ centres.T + (centres * centres).sum(1)[None, :]
    return np.maximum(d, 0.0)


def _kmedoids(x: np.ndarray, k: int, rng: np.random.Generator, iterations: int) -> np.ndarray:
    """Medoid indices by k-means++ seeding and alternating assignment / medoid update."""
    n = x.shape[0]
    medoids = [int(rng.integers(n))]
    nearest = _squared_distances(x, x[medoids])[:, 0]
    for _ in range(1, k):
        total = nearest.sum()
        if total <= 0:
            break
        pick = int(rng.choice(n, p=nearest / total))
        medoids.append(pick)
        nearest = np.minimum(nearest, _squared_distances(x, x[[pick]])[:, 0])
    medoids_arr = np.array(medoids)
    settled: dict[int, tuple[np.ndarray, int]] = {}  # cluster -> (members, their medoid)
    for _ in range(iterations):
        assign = _squared_distances(x, x[medoids_arr]).argmin(axis=1)
        new = medoids_arr.copy()
        for j in range(len(medoids_arr)):
            members = np.flatnonzero(assign == j)
            if len(members) == 0:
                continue
            if j in settled and np.array_equal(settled[j][0], members):
                new[j] = settled[j][1]  # same members, same medoid: not computed again
                continue
            pts = x[members]
            if len(members) <= EXACT_MEDOID_MAX_MEMBERS:
                cost = np.sqrt(_squared_distances(pts, pts)).sum(axis=1)
            else:
                cost = _squared_distances(pts, pts.mean(axis=0, keepdims=True))[:, 0]
            new[j] = members[int(cost.argmin())]
            settled[j] = (members, int(new[j]))
        if np.array_equal(new, medoids_arr):
            break
        medoids_arr = new
    return medoids_arr


def reduce_scenarios(
    need: QuarterlyNeed, n: int, seed: int = 0, method: str = "kmedoids", iterations: int = 30
) -> Reduction:
    """Reduce the ensemble to at most ``n`` weighted representative paths.

    Parameters
    ----------
    need : QuarterlyNeed
        The full ensemble, quarterly.
    n : int
        Number of representatives (≥ 1). With ``n`` ≥ paths every path is kept at equal weight.
    seed : int
        Seed of the k-medoids initialisation (k-means++ seeding).
    method : {'kmedoids', 'quantile'}
        'kmedoids': clusters of whole trajectories (all quarters and streams, each stream scaled by
        its mean), the medoid of each cluster represents it with the cluster's share of paths as
        weight. 'quantile': paths sorted by total need, cut into ``n`` equal bands, the band's
        median path represents it.
    iterations : int
        Maximum assignment/update rounds of k-medoids.

    Returns
    -------
    Reduction
        Representatives ordered by total need (smallest first), with weights summing to 1.
    """
    if n < 1:
        raise InputError(f"optimise: the number of reduced scenarios must be ≥ 1, not {n}")
    paths = need.paths
    total = need.places.sum(axis=(1, 2))
    if n >= paths:
        ids = np.argsort(total, kind="stable")
        assignment = np.empty(paths, dtype=int)
        assignment[ids] = np.arange(paths)
        return Reduction(ids, np.full(paths, 1.0 / paths), assignment, "all")
    if method == "quantile":
        order = np.argsort(total, kind="stable")
        bands = np.array_split(order, n)
        ids = np.array([band[len(band) // 2] for band in bands])
        assignment = np.empty(paths, dtype=int)
        for j, band in enumerate(bands):
            assignment[band] = j
        weights = np.array([len(b) for b in bands], dtype=float) / paths
        return Reduction(ids, weights, assignment, "quantile")
    if method != "kmedoids":
        raise InputError(f"optimise: unknown reduction method {method!r} (kmedoids or quantile)")
    x = _features(need.places)
    medoids = _kmedoids(x, n, np.random.default_rng(seed), iterations)
    medoids = np.unique(medoids)
    medoids = medoids[np.argsort(total[medoids], kind="stable")]
    assign = _squared_distances(x, x[medoids]).argmin(axis=1)
    counts = np.bincount(assign, minlength=len(medoids))
    keep = counts > 0
    remap = np.cumsum(keep) - 1
    return Reduction(medoids[keep], counts[keep] / paths, remap[assign], "kmedoids")
