"""The one shortfall measure of Onderdak, and the capacity band a plan must hold to meet a target.

**Kans op een tekort** (chance of a shortfall), per stream: the share of paths on which, in at
least one month of the window, need exceeds capacity by :data:`SHORT_PLACES` or more (one place
or dwelling after rounding). The window runs from the first month in which new capacity can be in
service (before it nothing can be done about a shortfall any more) to the end of the horizon. The
plan, the portfolio analysis, the key figures and every report use this measure; a different one
carries its own name (the monthly profile in :mod:`onderdak.portfolio.allocation` is "kans op een tekort in die maand").

A plan with reliability r for a stream keeps at least a share r of the paths free of any shortfall
in the window. Which paths? Those whose most extreme month is least extreme: each path's *depth* is
the highest rank its need reaches in any month of the window (the weighted share of paths below it
in that month); the paths of depth ≤ α are exactly the paths that stay at or under the pointwise
α-quantile of need in every month. The band is the pointwise maximum of need over the paths kept,
so covering the band keeps those paths free of shortfall, and a capacity below the band in some
month leaves a kept path short there. This is the extreme-rank envelope of Myllymäki, Mrkvička,
Grabarnik, Seijo and Hahn (2017), "Global envelope tests for spatial processes", JRSS B 79(2):
a simultaneous band over the whole horizon, not a month-by-month percentile.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHORT_PLACES = 0.5
"""A month is short when need exceeds capacity by at least half a place: one place after rounding."""


def short_paths(gap: np.ndarray, start: int = 0) -> np.ndarray:
    """bool (paths,): paths short (gap ≥ :data:`SHORT_PLACES`) in any month from ``start`` on.

    ``gap`` is need minus capacity (or the unmet need), shape (paths, months).
    """
    gap = np.asarray(gap, dtype=float)
    return (gap[:, start:] >= SHORT_PLACES).any(axis=1)


def shortfall_chance(gap: np.ndarray, start: int = 0, weights: np.ndarray | None = None) -> float:
    """The chance of a shortfall: weighted share of paths short in any month from ``start`` on."""
    short = short_paths(gap, start)
    if weights is None:
        return float(short.mean()) if short.size else 0.0
    return float(np.asarray(weights, dtype=float) @ short)


@dataclass(frozen=True)
class Band:
    """The capacity a stream must hold per period to keep a share of the paths free of shortfall.

    ``places`` (periods,): 0 before ``start``; ``kept`` (paths,) the paths it covers;
    ``reliability`` their weighted share (≥ the target asked; more when paths tie).
    """

    places: np.ndarray
    kept: np.ndarray
    reliability: float


def depth(need: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(paths,) highest weighted rank of each path's need over the periods of ``need`` (paths, periods).

    The rank of a value is the weighted share of paths strictly below it in that period, so equal
    needs share the lowest rank (a month in which every path needs the same, a published task,
    ranks no path above another), and a path of depth d stays at or under the need of rank d in
    every period: the paths of depth ≤ d are exactly those a band through those needs covers.
    """
    P, T = need.shape
    if T == 0:
        return np.zeros(P)
    order = np.argsort(need, axis=0, kind="stable")
    sorted_need = np.take_along_axis(need, order, axis=0)
    below = np.cumsum(weights[order], axis=0) - weights[order]  # weight strictly before, in order
    # ties: every member of a run of equal values takes the weight before the run's first member
    first = np.ones_like(sorted_need, dtype=bool)
    first[1:] = sorted_need[1:] != sorted_need[:-1]
    idx = np.where(first, np.arange(P)[:, None], 0)
    run_start = np.maximum.accumulate(idx, axis=0)
    rank_sorted = np.take_along_axis(below, run_start, axis=0)
    rank = np.empty_like(rank_sorted)
    np.put_along_axis(rank, order, rank_sorted, axis=0)
    return rank.max(axis=1)


def band(
    need: np.ndarray,
    reliability: float,
    start: int = 0,
    weights: np.ndarray | None = None,
    depths: np.ndarray | None = None,
) -> Band:
    """The least band that keeps a share ``reliability`` of the paths free of shortfall from ``start``.

    Parameters
    ----------
    need : numpy.ndarray
        Need per path and period, shape (paths, periods).
    reliability : float
        Target share of paths (0–1); 0 asks nothing (a band of zeros).
    start : int
        First period that counts (earlier periods get 0).
    weights : numpy.ndarray, optional
        Probability of each path (default: equal).
    depths : numpy.ndarray, optional
        ``depth(need[:, start:], weights)`` when already known (it does not depend on the target).
    """
    need = np.asarray(need, dtype=float)
    P, T = need.shape
    w = np.full(P, 1.0 / max(P, 1)) if weights is None else np.asarray(weights, dtype=float)
    places = np.zeros(T)
    if reliability <= 0.0 or P == 0 or start >= T:
        kept = (need[:, start:] <= 0.0).all(axis=1)  # what a band of zeros covers
        return Band(places, kept, float(w @ kept))
    d = depth(need[:, start:], w) if depths is None else depths
    order = np.argsort(d, kind="stable")
    reached = np.cumsum(w[order])
    alpha = d[order][min(int(np.searchsorted(reached, reliability - 1e-9)), P - 1)]
    kept = d <= alpha
    places[start:] = need[kept, start:].max(axis=0)
    return Band(places, kept, float(w @ kept))


__all__ = ["SHORT_PLACES", "Band", "band", "depth", "short_paths", "shortfall_chance"]
