"""The optimisation's inputs from a case: register rows to a Portfolio, need paths to reduced Scenarios."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from onderdak.case.locations import OrganisationSettings
from onderdak.case.optimise import OptimiseSettings
from onderdak.core.errors import InputError
from onderdak.core.notes import Note
from onderdak.finance.cashflow import normbedrag_per_month
from onderdak.io.reference import municipal_recourse, recourse_eur_per_place_day
from onderdak.plan.problem import Portfolio, Scenarios
from onderdak.plan.reduction import QuarterlyNeed, Reduction, reduce_scenarios
from onderdak.portfolio.budget import RECEPTION_STREAMS, staff_fte
from onderdak.register.locations import closing_month, opening_month

DAYS_PER_MONTH = 30.4
"""Days in an average month (365 / 12, rounded as in the reference-cost conversions)."""

CONVERSION_REUSES = ("social_housing", "starter_homes", "student_housing", "community", "sale")
"""Reuse options that make leaving reception a conversion (else it is a closure)."""


def recourse_cost_eur_per_place_month(settings: OptimiseSettings) -> float:
    """Cost of one recourse place for a month: the user's figure, else the reference.

    Hotel: sources.csv ``coa_hotel_place_cost_eur_per_place_year_2024`` (what a COA hotel place cost
    the Rijk, ~EUR 91,000 a year, L) / 12. Emergency: ``coa_cost_emergency_eur_per_place_year_2023`` / 12.
    """
    if settings.recourse_cost_eur_per_place_month is not None:
        return float(settings.recourse_cost_eur_per_place_month)

    per_day, _ = recourse_eur_per_place_day(settings.recourse)
    return per_day * 365.0 / 12.0


def ukraine_income_eur_per_place_month(
    periods: pd.PeriodIndex, need_q: QuarterlyNeed
) -> tuple[np.ndarray, list[Note]]:
    """(Q,) the GOO normbedrag per occupied place-month, averaged over each quarter's months, and
    the notes on assumed years."""
    norm = normbedrag_per_month(periods)
    per_day = (
        np.add.reduceat(norm.eur_per_place_day, need_q.first_month) / need_q.months_per_quarter
    )
    return per_day * DAYS_PER_MONTH, list(norm.notes)


def _number(table: pd.DataFrame, column: str, default: float = 0.0) -> np.ndarray:
    if column not in table:
        return np.full(len(table), default)
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isfinite(values), values, default)


def _streams_of(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(value)
    return tuple(s.strip() for s in str(value or "").split(";") if s.strip())


def _quarter_bounds(table: pd.DataFrame, need_q: QuarterlyNeed, start: pd.Period, months: int):
    """Earliest quarter in service (new locations) and first quarter not available, per location."""
    q_last = need_q.first_month + need_q.months_per_quarter - 1
    earliest, end = [], []
    for _, row in table.iterrows():
        first = max((opening_month(row, start) - start).n, 0)
        closing = closing_month(row)
        last = months - 1 if closing is None else min((closing - start).n, months - 1)
        q0 = 0 if row["status"] == "existing" else int(np.searchsorted(need_q.first_month, first))
        earliest.append(q0)
        end.append(int(np.searchsorted(q_last, last, side="right")) if last >= 0 else 0)
    return np.array(earliest, dtype=int), np.array(end, dtype=int)


def natural_breaks(values: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Class (0 = lowest) of each value in ≤ n groups of minimum weighted within-group variance.

    The exact dynamic programme of Fisher (1958) / Jenks over the sorted distinct values.
    """
    levels, inverse = np.unique(values, return_inverse=True)
    w = np.bincount(inverse, weights=weights, minlength=len(levels))
    m, k = len(levels), min(n, len(levels))
    cw = np.r_[0.0, np.cumsum(w)]
    cwx = np.r_[0.0, np.cumsum(w * levels)]
    cwxx = np.r_[0.0, np.cumsum(w * levels**2)]

    def sse(i: int, j: int) -> float:  # spread of levels[i:j]
        tw = cw[j] - cw[i]
        return 0.0 if tw <= 0 else (cwxx[j] - cwxx[i]) - (cwx[j] - cwx[i]) ** 2 / tw

    best = np.full((k + 1, m + 1), np.inf)
    start = np.zeros((k + 1, m + 1), dtype=int)
    best[0, 0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, m + 1):
            options = [best[c - 1, i] + sse(i, j) for i in range(c - 1, j)]
            i = int(np.argmin(options))
            best[c, j], start[c, j] = options[i], i + c - 1
    starts, j = [], m
    for c in range(k, 0, -1):
        starts.append(start[c, j])
        j = start[c, j]
    level_class = np.searchsorted(np.array(sorted(starts)), np.arange(m), side="right") - 1
    return level_class[inverse]


def _cost_classes(rate: np.ndarray, serves: np.ndarray, places: np.ndarray, n: int):
    """Group the locations of each stream into ≤ n classes of similar net cost per occupied place.

    Returns the class per location and stream (−1: does not serve) and the capacity-weighted mean
    rate per class (n, S) (0 for unused classes). Classes come from :func:`natural_breaks`, so an
    outlier (a hotel at € 82 per place-day) keeps a class of its own.
    """
    L, S = serves.shape
    cls = np.full((L, S), -1)
    mean = np.zeros((n, S))
    for s in range(S):
        members = np.flatnonzero(serves[:, s])
        if len(members) == 0:
            continue
        weight = np.maximum(places[members], 1e-9)
        groups = natural_breaks(rate[members, s], weight, n)
        cls[members, s] = groups
        for k in np.unique(groups):
            inside = groups == k
            mean[k, s] = np.average(rate[members[inside], s], weights=weight[inside])
    return cls, mean


def portfolio_from_register(
    table: pd.DataFrame,
    need_q: QuarterlyNeed,
    start: str,
    horizon_months: int,
    discount_rate_real_share: float,
    settings: OptimiseSettings,
    income_eur_per_place_month: Mapping[str, np.ndarray | float] | None = None,
    organisation: OrganisationSettings | None = None,
) -> Portfolio:
    """The locations of a register that serve the optimised streams, as a Portfolio.

    Parameters
    ----------
    table : pandas.DataFrame
        ``Register.table``: indexed by id, the register columns (dates as datetime64).
    need_q : QuarterlyNeed
        Gives the quarters and the streams (in this order).
    start : str
        First month of the horizon (YYYY-MM).
    horizon_months : int
    discount_rate_real_share : float
        Real discount rate per year.
    settings : OptimiseSettings
        Recourse, shortfall penalty and number of cost classes.
    income_eur_per_place_month : mapping, optional
        Income from the Rijk per occupied place-month per stream, a number or (Q,) array. Default:
        0; asylum locations add their own COA rent (``coa_rent_eur_per_place_year`` / 12).
    organisation : OrganisationSettings, optional
        Staff of the reception locations, as in :func:`onderdak.portfolio.budget.budget` (one account): the
        register's ``staff_fte`` or a location manager per open location (fixed), plus staff per
        resident (per occupied place of Ukrainians or asylum seekers). None: no staff cost.

    Notes
    -----
    New locations are ``planned`` and ``candidate`` rows: the plan decides whether and when they
    open (lead time and ``available_from`` give the earliest quarter, ``available_until`` the
    end). Capex = purchase + conversion + furnishing; the market value is credited when a location
    leaves reception or at the horizon. Existing locations are in service from the start.
    """
    streams = list(need_q.streams)
    served = table["streams"].map(_streams_of)
    keep = served.map(lambda ss: any(s in streams for s in ss)) & (
        _number(table, "capacity_places") > 0
    )
    t = table.loc[keep.to_numpy()]
    if t.empty:
        raise InputError(f"optimise: no location in the register serves {', '.join(streams)}")
    L, Q = len(t), len(need_q.quarters)
    serves = np.array([[s in _streams_of(v) for s in streams] for v in t["streams"]], dtype=bool)
    existing = (t["status"] == "existing").to_numpy()
    nominal = _number(t, "capacity_places")
    usable = nominal * _number(t, "occupancy_norm_share", 1.0)
    earliest, end = _quarter_bounds(t, need_q, pd.Period(start, freq="M"), horizon_months)
    capex = sum(
        _number(t, c)
        for c in ("purchase_price_eur", "conversion_capex_eur", "furnishing_capex_eur")
    )
    income = income_eur_per_place_month or {}
    base_rate = _number(t, "variable_opex_eur_per_place_day") * DAYS_PER_MONTH
    rate = np.repeat(base_rate[:, None], len(streams), axis=1)
    fixed = _number(t, "fixed_opex_eur_per_year") / 12.0
    if organisation is not None:
        staff_fixed, staff_rate = _staff(t, organisation)
        fixed = fixed + staff_fixed
        for si, s in enumerate(streams):
            if s in RECEPTION_STREAMS:
                rate[:, si] += staff_rate
    if "asylum" in streams:
        rate[:, streams.index("asylum")] -= _number(t, "coa_rent_eur_per_place_year") / 12.0
    cls, class_rate = _cost_classes(rate, serves, usable, settings.cost_classes)
    class_cost = np.repeat(class_rate[:, :, None], Q, axis=2)
    for si, s in enumerate(streams):
        class_cost[:, si, :] -= np.broadcast_to(np.asarray(income.get(s, 0.0), dtype=float), (Q,))
    reuse = []
    for value in t.get("reuse_options", pd.Series([""] * L)):
        options = [o for o in _streams_of(value) if o in CONVERSION_REUSES]
        reuse.append(options[0] if options else "")
    months_at = np.r_[need_q.first_month, horizon_months]
    return Portfolio(
        ids=tuple(str(i) for i in t.index),
        names=tuple(str(n) for n in t.get("name", pd.Series(list(t.index)))),
        existing=existing,
        streams=tuple(streams),
        serves=serves,
        capacity_places=usable,
        nominal_places=nominal,
        wijk=tuple(str(w) if pd.notna(w) else "" for w in t.get("wijk_code", pd.Series([""] * L))),
        earliest_quarter=earliest,
        end_quarter=end,
        lead_time_months=_number(t, "lead_time_months").astype(int),
        capex_eur=np.where(existing, 0.0, capex),
        fixed_opex_eur_per_month=fixed,
        closing_cost_eur=_number(t, "closing_cost_eur"),
        residual_value_eur=_number(t, "market_value_eur"),
        quality_score=_number(t, "quality_score", np.nan),
        reuse=tuple(reuse),
        quarters=need_q.quarters,
        months_per_quarter=need_q.months_per_quarter,
        discount=(1.0 + discount_rate_real_share) ** -(months_at / 12.0),
        cost_class=cls,
        class_cost_eur_per_place_month=class_cost,
        recourse_cost_eur_per_place_month=recourse_cost_eur_per_place_month(settings),
        shortfall_penalty_eur_per_place_month=settings.shortfall_penalty_eur_per_place_month,
        recourse_limit_places=(
            np.inf if settings.recourse_limit_places is None else settings.recourse_limit_places
        ),
        municipal_recourse=tuple(municipal_recourse(s) for s in streams),
    )


def _staff(t: pd.DataFrame, org: OrganisationSettings) -> tuple[np.ndarray, np.ndarray]:
    """(L,) staff cost per open month and (L,) per occupied place-month of a reception stream,
    by the budget's rule (:func:`onderdak.portfolio.budget.staff_fte`)."""
    kind = t["kind"].astype(str).to_numpy() if "kind" in t else np.full(len(t), "")
    override = (
        pd.to_numeric(t["staff_fte"], errors="coerce").to_numpy(dtype=float)
        if "staff_fte" in t
        else np.full(len(t), np.nan)
    )
    fte_open, per_resident = staff_fte(kind, list(t["streams"].map(_streams_of)), override, org)
    per_fte_month = org.cost_per_fte_eur_per_year / 12.0
    return fte_open * per_fte_month, per_resident * per_fte_month


def reduced_scenarios(need_q: QuarterlyNeed, n: int, seed: int) -> tuple[Scenarios, Reduction]:
    """The ensemble reduced by k-medoids to ``n`` weighted paths, for regret per scenario.

    The expected cost and the reliability band are taken over every path of the ensemble (the
    cost depends only on each quarter's distribution of need); regret uses the medoids.
    """
    reduction = reduce_scenarios(need_q, n, seed=seed)
    scenarios = Scenarios(
        need_places=need_q.places[reduction.path_ids],
        weights=reduction.weights,
        labels=reduction.path_ids,
        cost_places=need_q.places,
    )
    return scenarios, reduction
