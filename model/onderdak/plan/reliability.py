"""Reliability in the portfolio MILP: the target per stream, the band rows that hold it, and how
the levels asked read in an error."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence

import numpy as np

from onderdak.case.optimise import OptimiseSettings
from onderdak.need.shortfall import depth
from onderdak.plan.problem import Portfolio
from onderdak.plan.sparse_model import OBJECTIVE_SCALE


def reliability_targets(
    p: Portfolio, settings: OptimiseSettings, reliability: float | Sequence[float] | None
) -> np.ndarray:
    """(S,) reliability per stream: ``reliability`` (one number for all, or one per stream), else
    the settings' (``reliability_by_stream`` over ``reliability_share``)."""
    S = len(p.streams)
    if reliability is None:
        return np.array([settings.reliability_of(st) for st in p.streams])
    return np.broadcast_to(np.asarray(reliability, dtype=float), (S,)).copy()


def band_rows(
    mdl, p: Portfolio, x, y, bands: np.ndarray, slack_cost: np.ndarray | None
) -> np.ndarray | None:
    """Capacity ≥ band per stream and quarter, on the allocation and on the locations' places.

    Rows: Σ_l y[l, s, q] ≥ band[q, s]; the same on Σ_l places_l · x[l, q] for the locations that
    can serve s (valid as y ≤ places · x, and the knapsack form the solver's cuts work on); and
    Σ_l places_l · x[l, q] ≥ Σ_s band[q, s] over all locations. ``slack_cost`` (S, Q): a slack per
    stream and quarter (places below the band) in every row at this cost, returned (the objective
    of :func:`onderdak.plan.diagnosis.reachable_reliability`); None: the rows are hard.
    """
    L, S, Q = p.size
    live = np.arange(Q)[None, :] < p.end_quarter[:, None]  # (L, Q)
    soft = slack_cost is not None
    slack = mdl.var((S, Q), 0.0, np.inf, slack_cost * OBJECTIVE_SCALE) if soft else None
    si, qi = np.nonzero(bands.T > 0)
    if len(si) == 0:
        return slack
    serving = p.serves[:, si] & live[:, qi]  # (L, R)
    extra_cols = slack[si, qi][:, None] if soft else np.zeros((len(si), 0), dtype=int)
    extra = np.ones((len(si), extra_cols.shape[1]))
    need = bands[qi, si]
    mdl.rows_(
        np.concatenate([y[:, si, qi].T, extra_cols], 1),
        np.concatenate([serving.T.astype(float), extra], 1),
        need,
        np.inf,
    )
    mdl.rows_(
        np.concatenate([x[:, qi].T, extra_cols], 1),
        np.concatenate([(serving * p.capacity_places[:, None]).T, extra], 1),
        need,
        np.inf,
    )
    if S > 1:
        total = bands.sum(axis=1)
        qs = np.flatnonzero(total > 0)
        any_live = p.serves.any(axis=1)[:, None] & live[:, qs]
        cols = [x[:, qs].T]
        coefs = [(any_live * p.capacity_places[:, None]).T]
        if soft:
            cols.append(slack[:, qs].T)
            coefs.append(np.ones((len(qs), S)))
        mdl.rows_(np.concatenate(cols, 1), np.concatenate(coefs, 1), total[qs], np.inf)
    return slack


_DEPTH_LOCK = threading.Lock()
_DEPTH_CACHE: dict[tuple[int, int, int], tuple[weakref.ref, np.ndarray, np.ndarray]] = {}


def depth_cached(sample: np.ndarray, weights: np.ndarray, stream: int, start: int) -> np.ndarray:
    """:func:`onderdak.need.shortfall.depth` of ``sample[:, start:, stream]``, kept while ``sample`` lives
    (the builds of one plan: its target, the reachable one and the trade-off levels share it)."""
    key = (id(sample), stream, start)
    with _DEPTH_LOCK:
        hit = _DEPTH_CACHE.get(key)
    if hit is not None and hit[0]() is sample and np.array_equal(hit[1], weights):
        return hit[2]
    d = depth(sample[:, start:, stream], weights)
    with _DEPTH_LOCK:
        while len(_DEPTH_CACHE) >= 16:
            _DEPTH_CACHE.pop(next(iter(_DEPTH_CACHE)))
        _DEPTH_CACHE[key] = (weakref.ref(sample), weights.copy(), d)
    return d


def level_facts(p: Portfolio, targets: np.ndarray) -> dict[str, float]:
    """Per stream the reliability asked (share): the facts of an :class:`InfeasibleError`."""
    return {s: float(t) for s, t in zip(p.streams, np.asarray(targets), strict=True)}


def levels_text(p: Portfolio, targets: np.ndarray) -> str:
    """'90%' when every stream asks the same, else 'ukraine 90%, asylum 80%'."""
    if np.allclose(targets, targets[0]):
        return f"{targets[0]:.0%}"
    return ", ".join(f"{s} {t:.0%}" for s, t in zip(p.streams, targets, strict=True))
