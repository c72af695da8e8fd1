"""The second stage of the portfolio MILP: the expected cost of a merit-order dispatch of need over
cost classes, recourse and shortfall, as a concave piecewise-linear function of capacity."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import numpy as np

from onderdak.plan.problem import Portfolio
from onderdak.plan.sparse_model import OBJECTIVE_SCALE

BREAKPOINTS = 60
"""Most breakpoints of the expected-dispatch curve per stream and quarter (quantiles of need)."""


def _expected_min_lines(need: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lines a + b·c whose minimum is E[min(need, c)] for c ≥ 0 (its last, flat, piece left out).

    Exact (one line between consecutive needs) for up to BREAKPOINTS distinct needs; beyond that,
    chords between BREAKPOINTS quantiles of need: exact at the quantiles, slightly below in
    between (the cost errs on the high side).
    """
    srt = np.argsort(need, kind="stable")
    return _lines_of_sorted(need[srt], weights[srt])


@dataclass
class _Lines:
    """:func:`_expected_min_lines` of one stream and quarter, and their :func:`_envelope` by top."""

    a: np.ndarray
    b: np.ndarray
    envelopes: dict[float, tuple] = field(default_factory=dict)

    def envelope(self, top: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        if top not in self.envelopes:
            self.envelopes[top] = _envelope(self.a, self.b, top)
        return self.envelopes[top]


def _stream_lines(need: np.ndarray, weights: np.ndarray) -> list[_Lines]:
    """:func:`_expected_min_lines` of each quarter of one stream's need (paths, quarters)."""
    srt = np.argsort(need, axis=0, kind="stable")  # per column as in _expected_min_lines
    u_all = np.take_along_axis(need, srt, axis=0).T.copy()  # (quarters, paths), sorted
    w_all = weights[srt].T.copy()
    return [_Lines(*_lines_of_sorted(u, w)) for u, w in zip(u_all, w_all, strict=True)]


_LINES_CACHE: dict[tuple[int, int], tuple[weakref.ref, np.ndarray, list[_Lines]]] = {}


_LINES_LOCK = threading.Lock()


def stream_lines_cached(sample: np.ndarray, weights: np.ndarray, stream: int) -> list[_Lines]:
    """:func:`_stream_lines` of ``sample[:, :, stream]``, kept while ``sample`` lives: a scenario
    that falls back to a lower reliability builds its model again on the same paths."""
    key = (id(sample), stream)
    with _LINES_LOCK:
        hit = _LINES_CACHE.get(key)
    if hit is not None and hit[0]() is sample and np.array_equal(hit[1], weights):
        return hit[2]
    lines = _stream_lines(sample[:, :, stream], weights)
    with _LINES_LOCK:
        while len(_LINES_CACHE) >= 16:  # a few scenarios' worth
            _LINES_CACHE.pop(next(iter(_LINES_CACHE)))
        _LINES_CACHE[key] = (weakref.ref(sample), weights.copy(), lines)
    return lines


def _lines_of_sorted(u: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_expected_min_lines` of needs ``u`` sorted ascending with their weights ``w``."""
    if np.count_nonzero(u[1:] != u[:-1]) + 1 <= BREAKPOINTS:  # distinct needs
        a_line = np.r_[0.0, np.cumsum(w * u)]
        b_line = np.r_[1.0, 1.0 - np.cumsum(w)]
    else:
        cuts = np.unique(np.r_[0.0, np.quantile(u, np.linspace(0.0, 1.0, BREAKPOINTS))])
        f = (np.minimum(u[None, :], cuts[:, None]) * w[None, :]).sum(axis=1)
        b_line = np.diff(f) / np.diff(cuts)
        a_line = f[:-1] - b_line * cuts[:-1]
    keep = b_line > 1e-12
    return a_line[keep], b_line[keep]


def _concave_segments(
    a_line: np.ndarray, b_line: np.ndarray, top: float, start: float
) -> tuple[float, np.ndarray, np.ndarray]:
    """g(c) = min(top, min_l a_l + b_l·c) from c = ``start`` on, as g(start) and linear pieces.

    Returns g(start), and the slope (> 0, decreasing) and width of each piece after ``start``
    until g reaches ``top``: g(start + t) = g(start) + Σ_k slope_k·clip(t − T_k, 0, width_k), T_k
    the widths before piece k. The pieces are the lower envelope of the lines (exact).
    """
    return _pieces_from(_envelope(a_line, b_line, top), top, start)


def _envelope(
    a_line: np.ndarray, b_line: np.ndarray, top: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The lines with ``top`` added (a, b), the indices of those on the lower envelope in order of
    falling slope, and the kinks between consecutive envelope lines (what :func:`_concave_segments`
    needs for any start)."""
    a = np.r_[a_line, top]
    b = np.r_[b_line, 0.0]
    order = np.lexsort((a, -b))  # slope descending, then the lower line first
    af, bf = a.tolist(), b.tolist()  # Python floats: the same arithmetic, much faster per line
    hull: list[int] = []
    for i in order.tolist():
        if hull and bf[hull[-1]] == bf[i]:
            continue  # parallel and not lower
        while len(hull) >= 2:
            j, k = hull[-2], hull[-1]
            # k is not on the envelope if i undercuts j no later than k does
            if (af[i] - af[j]) * (bf[j] - bf[k]) <= (af[k] - af[j]) * (bf[j] - bf[i]):
                hull.pop()
            else:
                break
        hull.append(i)
    h = np.array(hull)
    kinks = (a[h[1:]] - a[h[:-1]]) / (b[h[:-1]] - b[h[1:]])
    return a, b, h, kinks


def _pieces_from(
    envelope: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], top: float, start: float
) -> tuple[float, np.ndarray, np.ndarray]:
    """g(start) and the pieces after ``start`` of an :func:`_envelope` (see :func:`_concave_segments`)."""
    a, b, h, kinks = envelope
    g0 = float(np.min(a + b * start))
    after = kinks > start
    ends = kinks[after]
    slope = b[h[:-1]][after]  # line h_j holds up to kink j
    width = np.diff(np.r_[start, ends])
    keep = (width > 1e-9 * max(1.0, abs(top))) & (slope > 1e-12)
    return g0, slope[keep], width[keep]


def dispatch_rows(
    mdl,
    caps,
    p: Portfolio,
    si: int,
    q: int,
    need,
    weights,
    m_d: float,
    least: float = 0.0,
    *,
    lines: _Lines | None = None,
) -> float:
    """Add the expected dispatch cost of one stream and quarter; return its constant part (€).

    Each step of the merit order rewards E[min(need, cumulative capacity)]; that concave curve
    of the step's class capacity enters as increments (one bounded variable per linear piece,
    their sum at most the capacity), which the objective fills in order. ``least``: places of
    the stream that every feasible plan has (the reliability floor); a step over all cost classes
    starts there, as the pieces below it are always filled (exact, and far fewer increments).
    ``lines``: :func:`_expected_min_lines` of ``need`` when already known.
    """
    C = len(caps)
    classes = p.class_cost_eur_per_place_month[:, si, q]
    if not p.municipal_pays(si):
        # need beyond the places costs the municipality nothing, yet the COA fills the places
        # there are: a positive net cost per occupied place would make the dispatch non-convex.
        # Its places are set by the band; their running cost beyond the income enters the plan's
        # evaluation (onderdak.plan.problem.evaluate) but not the choice here (fixed costs do).
        classes = np.minimum(classes, 0.0)
    rates = np.r_[classes, p.recourse_rates(si)]
    fixed = np.r_[np.zeros(C), p.recourse_limit_places, np.inf]
    order = np.argsort(rates, kind="stable")
    rates, fixed = rates[order], fixed[order]
    is_class = order < C
    mean_need = float(weights @ need)
    lines = _Lines(*_expected_min_lines(need, weights)) if lines is None else lines
    constant = rates[-1] * mean_need
    members: list[int] = []
    offset = 0.0
    for j in range(len(rates) - 1):
        if is_class[j]:
            members.append(int(caps[order[j]]))
        offset += fixed[j]
        delta = rates[j + 1] - rates[j]
        if delta <= 0:
            continue
        if np.isinf(offset):
            constant -= delta * mean_need
            break
        if not members:
            constant -= delta * float(weights @ np.minimum(need, offset))
            continue
        start = least if len(members) == C else 0.0
        # the same lines and top at every step (and in every build on these paths): one envelope
        g0, slope, width = _pieces_from(lines.envelope(mean_need), mean_need, offset + start)
        constant -= delta * g0
        if len(slope) == 0:  # (with a start: its places are implied by the chance rows)
            continue
        inc = mdl.var((len(slope),), 0.0, width, -delta * slope * m_d * OBJECTIVE_SCALE)
        mdl.rows_(
            np.r_[inc, members][None, :],
            np.r_[np.ones(len(inc)), -np.ones(len(members))][None, :],
            -np.inf,
            -start,
        )
    return constant * m_d
