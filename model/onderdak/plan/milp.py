"""The portfolio MILP: variables, rows and objective for :mod:`onderdak.plan.solve` (scipy/HiGHS arrays).

The formulation, aggregated per stream (each stream has its own capacity and need):

- first stage, shared by all scenarios: per location a binary *in service* per quarter and its
  *move* — a new location (planned or candidate) opens in that quarter and stays open until its
  end (``available_until`` or the horizon); an existing location closes (or converts to its
  reuse) in that quarter. A location serving several streams gives each stream a share of its
  places per quarter (``allocation``, first stage). Capacity per stream and quarter is the sum of
  the shares.
- second stage, expected over the paths of the ensemble, per quarter and stream: need is met by occupied places in a few
  *cost classes* (locations grouped by variable opex minus income per occupied place), by
  recourse (hotel or emergency places, up to a limit) and by shortfall (penalised), each at most
  its capacity: a merit-order dispatch, which :func:`onderdak.plan.problem.evaluate` reproduces in closed form; its
  expected cost is a concave piecewise-linear function of capacity, entered as increments. Every
  plan holds at least the reliability band per stream and quarter, so the steps over all cost
  classes start there (exact, and far fewer columns).
- reliability, per stream: capacity ≥ the stream's *band* in every quarter from the first one new
  places can be ready: the pointwise maximum of need over the paths kept free of shortfall, those
  whose most extreme quarter is least extreme (:func:`onderdak.need.shortfall.band`, on every path of the
  ensemble). A deterministic row per stream and quarter, so no binaries per scenario; each stream
  has its own target (``reliability_by_stream``).
- objective: expected present value over the scenarios of capex, fixed opex while open, closing
  cost, minus residual (market) value at exit or horizon, plus the net cost of occupied places
  and the recourse and shortfall costs.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from onderdak.case.settings import OptimiseSettings
from onderdak.need.shortfall import band, depth
from onderdak.plan.problem import Portfolio, Scenarios

BREAKPOINTS = 60
"""Most breakpoints of the expected-dispatch curve per stream and quarter (quantiles of need)."""

OBJECTIVE_SCALE = 1e-3
"""Objective in thousands of euros inside the solver (better conditioned)."""

CONSTRAINT_GROUPS = ("reliability", "budget", "wijk", "must_keep", "min_quality", "forbidden")


class MilpModel:
    """Collects variables (bounds, costs, integrality) and sparse rows for scipy.optimize.milp."""

    def __init__(self) -> None:
        self.n = 0
        self.lb: list[np.ndarray] = []
        self.ub: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []
        self.integer: list[np.ndarray] = []
        self.rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.m = 0

    def var(self, shape: tuple[int, ...], lb=0.0, ub=np.inf, cost=0.0, integer=False) -> np.ndarray:
        size = int(np.prod(shape))
        idx = np.arange(self.n, self.n + size).reshape(shape)
        self.n += size
        for store, value in ((self.lb, lb), (self.ub, ub), (self.cost, cost)):
            store.append(np.broadcast_to(np.asarray(value, dtype=float), shape).ravel().copy())
        self.integer.append(np.full(size, int(integer)))
        return idx

    def rows_(self, cols: np.ndarray, coefs: np.ndarray, lo, hi) -> None:
        """Rows given as (R, T) column and coefficient arrays; unused terms have coefficient 0."""
        cols, coefs = np.atleast_2d(cols), np.atleast_2d(np.asarray(coefs, dtype=float))
        coefs = np.broadcast_to(coefs, cols.shape)
        r = np.broadcast_to(np.arange(self.m, self.m + cols.shape[0])[:, None], cols.shape)
        keep = coefs != 0
        self.rows.append((r[keep], cols[keep], coefs[keep]))
        self.lo.append(np.broadcast_to(np.asarray(lo, dtype=float), cols.shape[:1]).copy())
        self.hi.append(np.broadcast_to(np.asarray(hi, dtype=float), cols.shape[:1]).copy())
        self.m += cols.shape[0]

    def arrays(self):
        r, c, v = (np.concatenate(a) for a in zip(*self.rows, strict=True))
        a = sparse.csr_array((v, (r, c)), shape=(self.m, self.n))
        cat = np.concatenate
        return (
            cat(self.cost),
            cat(self.integer),
            cat(self.lb),
            cat(self.ub),
            a,
            cat(self.lo),
            cat(self.hi),
        )


@dataclass(frozen=True)
class Built:
    model: MilpModel
    x: np.ndarray
    move: np.ndarray
    y: np.ndarray
    slack: np.ndarray | None  # (S, Q) places below the band (objective "reach" only)
    bands: np.ndarray  # (Q, S) capacity each stream must hold (onderdak.need.shortfall.band)
    offset_eur: float  # added to the solver's objective (not a cost)


def build(
    p: Portfolio,
    s: Scenarios,
    settings: OptimiseSettings,
    reliability: float | Sequence[float] | None,
    budget: float | None,
    relax: frozenset[str] = frozenset(),
    objective: str = "cost",
) -> Built:
    L, S, Q = p.size
    q_idx = np.arange(Q)
    live = q_idx[None, :] < p.end_quarter[:, None]  # (L, Q) location available in quarter
    ids = np.array(p.ids, dtype=object)
    must = np.isin(ids, settings.must_keep) & ("must_keep" not in relax)
    forbidden = np.isin(ids, settings.forbidden) & ("forbidden" not in relax)
    low_quality = np.zeros(L, dtype=bool)
    if settings.min_quality_score is not None and "min_quality" not in relax:
        low_quality = ~p.existing & (p.quality_score < settings.min_quality_score)
    new = ~p.existing
    may_open = new & ~forbidden & ~low_quality
    open_cost = p.open_cost_eur()
    close_cost, keep_cost = p.close_cost_eur()
    cost_on = objective == "cost"

    mdl = MilpModel()
    x_ub = live.astype(float)
    x_lb = np.zeros((L, Q))
    for i in np.flatnonzero(must & new & (p.end_quarter > 0)):
        x_lb[i, p.end_quarter[i] - 1] = 1.0  # opened at some point
    # in service (binary; the solver branches on it: 'open by quarter q' splits a location's
    # opening quarters in two, which branching on a single quarter's move would not)
    x = mdl.var((L, Q), x_lb, x_ub, integer=True)
    can_move = np.where(
        new[:, None], may_open[:, None] & live & (q_idx >= p.earliest_quarter[:, None]), live
    )
    can_move &= ~(must & p.existing)[:, None]
    move_lb = np.zeros((L, Q))
    for i in np.flatnonzero(forbidden & p.existing & (p.end_quarter > 0)):
        move_lb[i, 0] = 1.0
    move_cost = np.where(new[:, None], open_cost, close_cost - keep_cost[:, None])
    move_cost = np.where(can_move, move_cost, 0.0) if cost_on else 0.0
    # open or close in quarter q: x_q − x_{q−1} (new) or x_{q−1} − x_q (existing), so 0 or 1
    move = mdl.var((L, Q), move_lb, can_move.astype(float), move_cost * OBJECTIVE_SCALE)
    for group in _identical_new(p, must | forbidden | low_quality):  # symmetry: first opens first
        for i, j in itertools.pairwise(group):
            qs = np.flatnonzero(live[i])
            mdl.rows_(np.stack([x[i, qs], x[j, qs]], 1), np.array([1.0, -1.0]), 0.0, np.inf)
    y_ub = np.where(p.serves[:, :, None] & live[:, None, :], p.capacity_places[:, None, None], 0.0)
    y = mdl.var((L, S, Q), 0.0, y_ub)
    C = p.class_cost_eur_per_place_month.shape[0]
    cls = mdl.var((C, S, Q))

    # state: new x_q = x_{q-1} + open_q ; existing x_q = x_{q-1} − close_q (x_{-1} = 1)
    li, qi = np.nonzero(live)
    prev = np.where(qi > 0, x[li, np.maximum(qi - 1, 0)], 0)
    sign = np.where(new[li], -1.0, 1.0)
    first_existing = np.where(new[li] | (qi > 0), 0.0, 1.0)
    mdl.rows_(
        np.stack([x[li, qi], prev, move[li, qi]], 1),
        np.stack([np.ones(len(li)), np.where(qi > 0, -1.0, 0.0), sign], 1),
        first_existing,
        first_existing,
    )
    # allocation: Σ_s y ≤ capacity · x ; places of a cost class ≤ Σ of its locations' y
    mdl.rows_(
        np.concatenate([y[li, :, qi], x[li, qi][:, None]], 1),
        np.concatenate([np.ones((len(li), S)), -p.capacity_places[li][:, None]], 1),
        -np.inf,
        0.0,
    )
    member = (p.cost_class[None, :, :] == np.arange(C)[:, None, None]).astype(float)  # (C, L, S)
    cols = np.concatenate([cls[:, :, :, None], np.moveaxis(y, 0, -1)[None].repeat(C, 0)], 3)
    coefs = np.concatenate(
        [
            np.ones((C, S, Q, 1)),
            -np.broadcast_to(np.moveaxis(member, 1, -1)[:, :, None, :], (C, S, Q, L)),
        ],
        3,
    )
    mdl.rows_(cols.reshape(C * S * Q, L + 1), coefs.reshape(C * S * Q, L + 1), -np.inf, 0.0)
    if settings.max_places_per_wijk is not None and "wijk" not in relax:
        for wijk in sorted(set(p.wijk)):
            members = np.flatnonzero(np.array(p.wijk, dtype=object) == wijk)
            mdl.rows_(
                x[members].T,
                p.nominal_places[members][None, :],
                -np.inf,
                settings.max_places_per_wijk,
            )
    if budget is not None and "budget" not in relax:
        capex = np.where(new[:, None] & can_move, p.capex_eur[:, None], 0.0)
        mdl.rows_(move.reshape(1, -1), capex.reshape(1, -1), -np.inf, budget)
    if objective == "capex":  # least capex (diagnosis): cost on the moves, variable block 1
        mdl.cost[1] = (
            np.where(new[:, None] & can_move, p.capex_eur[:, None], 0.0).ravel() * OBJECTIVE_SCALE
        )

    # reliability: per stream, capacity ≥ the band that keeps the stream's target share of the
    # paths free of shortfall from the first quarter new places can be ready (model/onderdak/need/shortfall.py)
    sample, sample_w = s.cost_sample
    q_from = p.reliability_from_quarter()
    targets = reliability_targets(p, settings, reliability)
    bands = np.zeros((Q, S))
    if "reliability" not in relax:
        for si in range(S):
            d = _depth_cached(sample, sample_w, si, q_from)
            bands[:, si] = band(sample[:, :, si], targets[si], q_from, sample_w, d).places
    scale = np.maximum(bands.max(axis=0), 1.0)  # (S,) each stream's slack relative to its band
    reach_cost = p.months_per_quarter[None, :] / scale[:, None] if objective == "reach" else None
    slack = _band_rows(mdl, p, x, y, bands, reach_cost)
    # second stage, expected over the paths: merit-order dispatch of need over the cost classes,
    # recourse and shortfall. With items sorted by rate, E[cost] = r_J·E[need] − Σ_j Δr_j·M_j where
    # M_j = E[min(need, cumulative capacity of items ≤ j)], concave piecewise linear in capacity.
    # Every feasible plan holds the band, so the steps over all cost classes start there.
    m_d = p.months_per_quarter * p.discount[:Q]
    constant = 0.0
    if cost_on:
        for si in range(S):
            lines = _stream_lines_cached(sample, sample_w, si)
            for q in range(Q):
                constant += _dispatch_rows(
                    mdl,
                    cls[:, si, q],
                    p,
                    si,
                    q,
                    sample[:, q, si],
                    sample_w,
                    m_d[q],
                    bands[q, si],
                    lines=lines[q],
                )
    constant += float(keep_cost[p.existing].sum()) if cost_on else 0.0
    # The constant as a fixed variable, so that the solver's relative gap is one of the whole cost.
    # Income from the Rijk can make the net cost near zero, which no relative gap survives: the
    # solver's objective adds the income on all expected need (a constant), i.e. it is a gross cost.
    offset = 0.0
    if cost_on:
        income = np.maximum(-p.class_cost_eur_per_place_month.min(axis=0), 0.0)  # (S, Q)
        mean_need = np.einsum("p,pqs->sq", sample_w, sample)
        offset = float((income * mean_need * m_d[None, :]).sum())
    mdl.var((1,), 1.0, 1.0, (constant + offset) * OBJECTIVE_SCALE)
    return Built(mdl, x, move, y, slack, bands, offset)


def _identical_new(p: Portfolio, special: np.ndarray) -> list[list[int]]:
    """Groups (≥ 2) of new locations that differ only in id and name: any one can replace another."""
    groups: dict[tuple, list[int]] = {}
    for i in np.flatnonzero(~p.existing & ~special):
        key = (
            p.wijk[i],
            tuple(p.serves[i]),
            tuple(p.cost_class[i]),
            *(
                float(v[i])
                for v in (
                    p.capacity_places,
                    p.nominal_places,
                    p.earliest_quarter,
                    p.end_quarter,
                    p.capex_eur,
                    p.fixed_opex_eur_per_month,
                    p.closing_cost_eur,
                    p.residual_value_eur,
                )
            ),
        )
        groups.setdefault(key, []).append(int(i))
    return [g for g in groups.values() if len(g) > 1]


def reliability_targets(
    p: Portfolio, settings: OptimiseSettings, reliability: float | Sequence[float] | None
) -> np.ndarray:
    """(S,) reliability per stream: ``reliability`` (one number for all, or one per stream), else
    the settings' (``reliability_by_stream`` over ``reliability_share``)."""
    S = len(p.streams)
    if reliability is None:
        return np.array([settings.reliability_of(st) for st in p.streams])
    return np.broadcast_to(np.asarray(reliability, dtype=float), (S,)).copy()


def _band_rows(
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


def _stream_lines_cached(sample: np.ndarray, weights: np.ndarray, stream: int) -> list[_Lines]:
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


_DEPTH_CACHE: dict[tuple[int, int, int], tuple[weakref.ref, np.ndarray, np.ndarray]] = {}


def _depth_cached(sample: np.ndarray, weights: np.ndarray, stream: int, start: int) -> np.ndarray:
    """:func:`onderdak.need.shortfall.depth` of ``sample[:, start:, stream]``, kept while ``sample`` lives
    (the builds of one plan: its target, the reachable one and the trade-off levels share it)."""
    key = (id(sample), stream, start)
    with _LINES_LOCK:
        hit = _DEPTH_CACHE.get(key)
    if hit is not None and hit[0]() is sample and np.array_equal(hit[1], weights):
        return hit[2]
    d = depth(sample[:, start:, stream], weights)
    with _LINES_LOCK:
        while len(_DEPTH_CACHE) >= 16:
            _DEPTH_CACHE.pop(next(iter(_DEPTH_CACHE)))
        _DEPTH_CACHE[key] = (weakref.ref(sample), weights.copy(), d)
    return d


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


def _dispatch_rows(
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
