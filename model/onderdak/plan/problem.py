"""A portfolio plan over quarters: locations and money as arrays, the plan, and its cost on paths of need."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from onderdak.need.shortfall import SHORT_PLACES


@dataclass(frozen=True)
class Portfolio:
    """Locations, time and money of an optimisation, as arrays over L locations, S streams, Q quarters.

    Money in euros at constant prices; flows per month. ``discount`` holds the discount factor at
    the start of each quarter and, last, at the end of the horizon (Q + 1 values).
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    existing: np.ndarray  # bool (L,)
    streams: tuple[str, ...]
    serves: np.ndarray  # bool (L, S)
    capacity_places: np.ndarray  # (L,) usable places: capacity × occupancy norm
    nominal_places: np.ndarray  # (L,) places as in the register (spread per wijk)
    wijk: tuple[str, ...]
    earliest_quarter: np.ndarray  # int (L,) first quarter a new location can be in service
    end_quarter: np.ndarray  # int (L,) first quarter it is no longer available (≤ Q)
    lead_time_months: np.ndarray  # int (L,)
    capex_eur: np.ndarray  # (L,) purchase + conversion + furnishing (new locations)
    fixed_opex_eur_per_month: np.ndarray  # (L,)
    closing_cost_eur: np.ndarray  # (L,)
    residual_value_eur: np.ndarray  # (L,) market value at exit or at the horizon
    quality_score: np.ndarray  # (L,) NaN = unknown
    reuse: tuple[str, ...]  # first reuse option ('' = none): an exit is then a conversion
    quarters: pd.PeriodIndex
    months_per_quarter: np.ndarray  # int (Q,)
    discount: np.ndarray  # (Q + 1,)
    cost_class: np.ndarray  # int (L, S): cost class of the location for each stream (−1: none)
    class_cost_eur_per_place_month: (
        np.ndarray
    )  # (C, S, Q) variable opex − income per occupied place
    recourse_cost_eur_per_place_month: float
    shortfall_penalty_eur_per_place_month: float
    recourse_limit_places: float = np.inf
    municipal_recourse: tuple[bool, ...] | None = (
        None  # (S,) who pays need beyond capacity; None: all
    )

    def recourse_rates(self, stream: int) -> tuple[float, float]:
        """(recourse, shortfall) cost per place-month of a stream, for the municipality.

        A stream whose need beyond the portfolio is not the municipality's bill (asylum: COA; status
        holders: the backlog stays in COA; data/reference/stream_accounts.csv) costs 0 there: its
        capacity is then set by its reliability target and by what its places earn, not by a hotel bill.
        """
        if self.municipal_pays(stream):
            return (
                self.recourse_cost_eur_per_place_month,
                self.shortfall_penalty_eur_per_place_month,
            )
        return 0.0, 0.0

    def municipal_pays(self, stream: int) -> bool:
        """Whether the municipality bears the cost of need beyond its places for this stream."""
        return self.municipal_recourse is None or bool(self.municipal_recourse[stream])

    @property
    def size(self) -> tuple[int, int, int]:
        return len(self.ids), len(self.streams), len(self.quarters)

    def reliability_from_quarter(self) -> int:
        """First quarter a new location can be in service: reliability counts from there on.

        Before it only existing locations can serve, so a shortfall there cannot be planned away.
        """
        new = ~self.existing & (self.earliest_quarter < self.end_quarter)
        return int(self.earliest_quarter[new].min()) if new.any() else 0

    def class_capacity(self, allocation_places: np.ndarray) -> np.ndarray:
        """(C, S, Q) places per cost class from an allocation (L, S, Q)."""
        C = self.class_cost_eur_per_place_month.shape[0]
        out = np.zeros((C,) + allocation_places.shape[1:])
        for k in range(C):
            out[k] = np.where((self.cost_class == k)[:, :, None], allocation_places, 0.0).sum(
                axis=0
            )
        return out

    def open_cost_eur(self) -> np.ndarray:
        """(L, Q) present cost of a new location in service from quarter q to its end (inf: not possible)."""
        L, _, Q = self.size
        m_d = self.months_per_quarter * self.discount[:Q]
        tail = np.r_[np.cumsum(m_d[::-1])[::-1], 0.0]  # Σ_{q' ≥ q} m d
        out = np.full((L, Q), np.inf)
        for i in range(L):
            e = int(self.end_quarter[i])
            for q in range(int(self.earliest_quarter[i]), e):
                out[i, q] = (
                    self.capex_eur[i] * self.discount[q]
                    + self.fixed_opex_eur_per_month[i] * (tail[q] - tail[e])
                    + self._exit_eur(i, e)
                )
        return out

    def close_cost_eur(self) -> tuple[np.ndarray, np.ndarray]:
        """(L, Q) present cost of an existing location closing in quarter q, and (L,) of keeping it."""
        L, _, Q = self.size
        m_d = self.months_per_quarter * self.discount[:Q]
        head = np.r_[0.0, np.cumsum(m_d)]  # Σ_{q' < q} m d
        close = np.full((L, Q), np.inf)
        keep = np.zeros(L)
        for i in range(L):
            e = int(self.end_quarter[i])
            keep[i] = self.fixed_opex_eur_per_month[i] * head[e] + self._exit_eur(i, e)
            for q in range(e):
                close[i, q] = (
                    self.fixed_opex_eur_per_month[i] * head[q]
                    + self.closing_cost_eur[i] * self.discount[q]
                    - self.residual_value_eur[i] * self.discount[q]
                )
        return close, keep

    def _exit_eur(self, i: int, end: int) -> float:
        Q = len(self.quarters)
        closing = self.closing_cost_eur[i] if end < Q else 0.0
        return (closing - self.residual_value_eur[i]) * self.discount[end]


@dataclass(frozen=True)
class Scenarios:
    """Need paths for the plan: a few weighted representative scenarios and, optionally, the ensemble.

    ``need_places`` (N, Q, S) and ``weights`` (N,) are the reduced scenarios (regret works on them).
    ``cost_places`` (P, Q, S) are equally likely paths of the full ensemble: the expected cost and
    the reliability band (:func:`onderdak.need.shortfall.band`) are taken over them. Without them, over the
    weighted scenarios.
    """

    need_places: np.ndarray
    weights: np.ndarray
    labels: np.ndarray  # path index in the full ensemble
    cost_places: np.ndarray | None = None  # (P, Q, S) equally likely paths

    @property
    def cost_sample(self) -> tuple[np.ndarray, np.ndarray]:
        """Need paths and weights the expected cost and the reliability are taken over."""
        if self.cost_places is None:
            return self.need_places, self.weights
        n = self.cost_places.shape[0]
        return self.cost_places, np.full(n, 1.0 / n)


@dataclass(frozen=True)
class Plan:
    """A solved plan: which location is in service in which quarter, and for which stream."""

    portfolio: Portfolio
    in_service: np.ndarray  # bool (L, Q)
    allocation_places: np.ndarray  # (L, S, Q)
    capacity_places: np.ndarray  # (S, Q)
    location_cost_eur: np.ndarray  # (L,) present cost of each location's first-stage decisions
    capex_eur: float
    objective_eur: float  # expected cost on the reduced scenarios (present value)
    reliability: tuple[float, ...]  # (S,) the reliability planned for, per stream
    mip_gap_share: float
    solve_seconds: float
    status: str

    @property
    def first_stage_cost_eur(self) -> float:
        return float(self.location_cost_eur.sum())

    def opened_quarter(self) -> np.ndarray:
        """(L,) quarter a new location opens (−1: not opened; existing: −1)."""
        first = np.where(self.in_service.any(axis=1), self.in_service.argmax(axis=1), -1)
        return np.where(self.portfolio.existing, -1, first)

    def closed_quarter(self) -> np.ndarray:
        """(L,) quarter an existing location closes before its end (−1: kept; new: −1)."""
        p = self.portfolio
        out = np.full(len(p.ids), -1)
        for i in np.flatnonzero(p.existing):
            e = int(p.end_quarter[i])
            open_q = np.flatnonzero(self.in_service[i, :e])
            n_open = len(open_q)
            if n_open < e:
                out[i] = n_open
        return out


@dataclass(frozen=True)
class Evaluation:
    """A plan on a set of paths: cost and shortfall per path, and their weighted summaries."""

    cost_eur: np.ndarray  # (P,) present cost per path
    short: np.ndarray  # bool (P, Q, S): the stream short in the quarter (within the window)
    short_place_months: np.ndarray  # (P,) place-months beyond capacity (recourse + shortfall)
    weights: np.ndarray  # (P,)

    @property
    def expected_cost_eur(self) -> float:
        return float(self.weights @ self.cost_eur)

    @property
    def shortfall_chance(self) -> np.ndarray:
        """(S,) the chance of a shortfall per stream (:mod:`onderdak.need.shortfall`): weighted share of
        paths short in any quarter of the window."""
        return self.weights @ self.short.any(axis=1)


def evaluate(plan: Plan, need_places: np.ndarray, weights: np.ndarray | None = None) -> Evaluation:
    """Cost and shortfall of a plan on paths of need (P, Q, S).

    Need is met in merit order (cheapest first) from the plan's cost classes, recourse (up to its
    limit) and shortfall; a path-quarter is short when need exceeds the plan's capacity (counted
    from :meth:`Portfolio.reliability_from_quarter`; ``short_place_months`` counts all quarters).

    Parameters
    ----------
    plan : Plan
    need_places : numpy.ndarray
        Quarterly need, shape (paths, quarters, streams), in places.
    weights : numpy.ndarray, optional
        Probability of each path (default: equal).
    """
    p = plan.portfolio
    P, Q, S = need_places.shape
    w = np.full(P, 1.0 / P) if weights is None else np.asarray(weights, dtype=float)
    gap = np.maximum(need_places - plan.capacity_places.T[None], 0.0)
    short = gap >= SHORT_PLACES
    short[:, : p.reliability_from_quarter()] = False
    classes = p.class_capacity(plan.allocation_places)
    m_d = p.months_per_quarter * p.discount[:Q]
    second = np.zeros(P)
    for s in range(S):
        for q in range(Q):
            caps = np.r_[classes[:, s, q], p.recourse_limit_places, np.inf]
            rates = np.r_[p.class_cost_eur_per_place_month[:, s, q], p.recourse_rates(s)]
            order = np.argsort(rates, kind="stable")
            if not p.municipal_pays(s):  # the COA fills the places there are: own places first
                order = np.r_[np.argsort(rates[:-2], kind="stable"), len(rates) - 2, len(rates) - 1]
            before = np.r_[0.0, np.cumsum(caps[order])[:-1]]
            filled = np.clip(
                need_places[:, q, s][:, None] - before[None, :], 0.0, caps[order][None, :]
            )
            second += m_d[q] * (filled @ rates[order])
    months = p.months_per_quarter[None, :, None]
    return Evaluation(
        cost_eur=plan.first_stage_cost_eur + second,
        short=short,
        short_place_months=(np.where(short, gap, 0.0) * months).sum(axis=(1, 2)),
        weights=w,
    )


def plan_from_decisions(
    p: Portfolio,
    in_service: np.ndarray,
    allocation_places: np.ndarray | None = None,
    reliability: tuple[float, ...] | None = None,
) -> Plan:
    """A Plan from in-service flags (L, Q); costs follow from the portfolio.

    Without an allocation, a location serving several streams gives all its places to each of them
    (only sensible for single-stream locations or for tests).
    """
    if allocation_places is None:
        allocation_places = np.where(
            p.serves[:, :, None] & in_service[:, None, :], p.capacity_places[:, None, None], 0.0
        )
    open_cost = p.open_cost_eur()
    close_cost, keep_cost = p.close_cost_eur()
    L, _, Q = p.size
    location_cost = np.zeros(L)
    capex = 0.0
    for i in range(L):
        row = in_service[i]
        if p.existing[i]:
            e = int(p.end_quarter[i])
            n_open = int(row[:e].sum())
            location_cost[i] = keep_cost[i] if n_open == e else close_cost[i, n_open]
        elif row.any():
            q0 = int(row.argmax())
            location_cost[i] = open_cost[i, q0]
            capex += float(p.capex_eur[i])
    return Plan(
        portfolio=p,
        in_service=in_service,
        allocation_places=allocation_places,
        capacity_places=allocation_places.sum(axis=0),
        location_cost_eur=location_cost,
        capex_eur=capex,
        objective_eur=float("nan"),
        reliability=tuple(reliability) if reliability is not None else (0.0,) * len(p.streams),
        mip_gap_share=0.0,
        solve_seconds=0.0,
        status="given",
    )
