"""Sensitivity of a business case: a tornado of the inputs that move the expected NPV most, and break-even values.

Every variant is evaluated on the same paths as the base, so differences are due to the input alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from onderdak.business_case.alternatives import (
    Alternative,
    AlternativeResult,
    BusinessCaseInputs,
    Evaluator,
    expected_npv,
)
from onderdak.finance.cashflow import MONTHS_PER_YEAR, days_in_months

OCCUPANCY_GRID = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
"""Factors on the need a location serves, searched for an occupancy break-even."""


@dataclass(frozen=True)
class TornadoRanges:
    """How far each input moves in the tornado.

    Attributes
    ----------
    change_share
        Relative change (±) of purchase price, conversion cost, normbedrag, occupancy and reuse value.
    discount_rate_change_share
        Absolute change (±) of the real discount rate (0.01 = one percentage point).
    timing_months
        Months (±) by which the opening moves.
    """

    change_share: float = 0.2
    discount_rate_change_share: float = 0.01
    timing_months: int = 6


def tornado(
    inputs: BusinessCaseInputs,
    alt: Alternative,
    *,
    purchase_price_eur: float,
    conversion_capex_eur: float,
    ranges: TornadoRanges = TornadoRanges(),
    evaluator: Evaluator | None = None,
    curve: OccupancyCurve | None = None,
) -> pd.DataFrame:
    """E[NPV] of ``alt`` with each input at a low and a high value, the others at base.

    Parameters
    ----------
    inputs
        The business case's inputs.
    alt
        The alternative (usually buying under the decision rule).
    purchase_price_eur, conversion_capex_eur
        The parts of ``alt.capex_eur`` that are the purchase price and the conversion (+ furnishing).
    ranges
        How far each input moves.
    evaluator, curve
        An :class:`Evaluator` on ``inputs`` and an :class:`OccupancyCurve` holding ``alt``, to share
        work with the rest of the business case (default: made here).

    Returns
    -------
    DataFrame
        Columns parameter, input_unit, input_low, input_base, input_high, npv_low_eur,
        npv_base_eur, npv_high_eur, swing_eur (|high − low|), sorted by swing (largest first).
        ``npv_low_eur`` is the E[NPV] with the input at ``input_low``.

    Notes
    -----
    Inputs on which the NPV is linear are moved without a new evaluation: the capex is paid in year 0
    (undiscounted), the normbedrag scales the reimbursement, the reuse factor scales the reuse's
    income, proceeds and residual value; the occupancy comes from the exact :class:`OccupancyCurve`.
    """
    c, dr, dt = ranges.change_share, ranges.discount_rate_change_share, ranges.timing_months
    ev = evaluator if evaluator is not None else Evaluator(inputs)
    base_result = ev.evaluate(alt)
    base = float(base_result.npv_eur.mean())
    rate = inputs.discount_rate_share
    if curve is None or alt.name not in curve.names:
        curve = OccupancyCurve(ev, {alt.name: base_result})

    def e(a: Alternative) -> float:
        return float(ev.evaluate(a).npv_eur.mean())

    def capex(delta: float) -> float:
        return base - (max(alt.capex_eur + delta, 0.0) - alt.capex_eur)

    def reuse(factor: float) -> float:
        comps = ("reuse_income", "reuse_value", "reuse_residual")
        moved = sum(float(base_result.component_npv_eur[k].mean()) for k in comps)
        return base + (factor - 1.0) * moved

    rows = []

    def add(
        parameter: str, unit: str, lo: float, mid: float, hi: float, npv_lo: float, npv_hi: float
    ) -> None:
        rows.append((parameter, unit, lo, mid, hi, npv_lo, base, npv_hi, abs(npv_hi - npv_lo)))

    p, k = purchase_price_eur, conversion_capex_eur
    add("purchase_price", "eur", p * (1 - c), p, p * (1 + c), capex(-c * p), capex(c * p))
    add("conversion_cost", "eur", k * (1 - c), k, k * (1 + c), capex(-c * k), capex(c * k))
    add(
        "normbedrag",
        "factor",
        1 - c,
        1.0,
        1 + c,
        expected_npv(base_result, rate, 1 - c),
        expected_npv(base_result, rate, 1 + c),
    )
    occ = [curve.expected_npv(alt.name, f) for f in (1 - c, 1 + c)]
    add("occupancy", "factor", 1 - c, 1.0, 1 + c, *occ)
    add(
        "discount_rate",
        "share",
        rate - dr,
        rate,
        rate + dr,
        expected_npv(base_result, rate - dr),
        expected_npv(base_result, rate + dr),
    )
    if alt.reuse is not None:
        add("reuse_value", "factor", 1 - c, 1.0, 1 + c, reuse(1 - c), reuse(1 + c))
    lead = alt.lead_time_months
    early, late = max(lead - dt, 0), lead + dt
    add(
        "timing",
        "months",
        early,
        lead,
        late,
        e(replace(alt, lead_time_months=early)),
        e(replace(alt, lead_time_months=late)),
    )
    if alt.plan == "rule":
        n = alt.rule_months
        short, long_ = max(n // 2, 1), n * 2
        add(
            "decision_rule_months",
            "months",
            short,
            n,
            long_,
            e(replace(alt, rule_months=short)),
            e(replace(alt, rule_months=long_)),
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "parameter",
            "input_unit",
            "input_low",
            "input_base",
            "input_high",
            "npv_low_eur",
            "npv_base_eur",
            "npv_high_eur",
            "swing_eur",
        ],
    )
    return out.sort_values(
        ["swing_eur", "parameter"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def cost_covering_income_factor(result: AlternativeResult) -> float:
    """Factor on the normbedrag at which the income on the place-days the alternative serves covers its own
    net cost (E[NPV] without the shortfall it leaves elsewhere = 0); NaN if it earns no income.

    The cost of a shortfall (the emergency option) is left out: it is not the building's cost, and no
    normbedrag on the building's places would pay for need it does not hold.
    """
    income = float(result.component_npv_eur["reimbursement"].mean())
    shortfall = float(result.component_npv_eur["recourse"].mean())
    rest = float(result.npv_eur.mean()) - income - shortfall
    return -rest / income if income > 0 else float("nan")


def break_even_income_factor(a: AlternativeResult, b: AlternativeResult) -> float:
    """Factor on the normbedrag at which E[NPV] of ``a`` and ``b`` are equal (NPV is linear in it).

    NaN when the normbedrag moves both alike (the same reimbursed place-days) or the factor is negative.
    """
    ia, ib = (float(r.component_npv_eur["reimbursement"].mean()) for r in (a, b))
    ca, cb = float(a.npv_eur.mean()) - ia, float(b.npv_eur.mean()) - ib
    if abs(ia - ib) <= 1e-9 * max(abs(ia), abs(ib), 1.0):
        return float("nan")
    s = (cb - ca) / (ia - ib)
    return s if s >= 0 else float("nan")


class OccupancyCurve:
    """E[NPV] of alternatives as an exact function of a factor f on the need the location serves.

    Scaling the need by f (capped at the target, :meth:`BusinessCaseInputs.scaled`) moves no
    switch month — the decision rule watches the sign of its signal, which a factor > 0 keeps — so
    an alternative's E[NPV] is ``K + S(G1, T, f) + S(G2, c, f)`` with ``S(G, c, f) = mean over paths
    of Σ_months G · min(f · n, c)``: n the base need, T the target, c the alternative's places (at
    most T), G1 the discounted days × (income on all need − the municipal recourse rate) shared by
    every alternative, G2 the discounted days × (recourse avoided − variable cost + income on served
    days) while the alternative is open, and K the rest (capex, fixed costs, end and reuse flows).
    Each S is piecewise linear in f with breakpoints c/n; with the need sorted once, S at any f is
    a binary search, so a break-even is solved on the exact function without re-evaluating.

    Parameters
    ----------
    evaluator
        The :class:`Evaluator` of the business case's inputs.
    results
        The base results (factor 1) of the alternatives the curve holds, by name.
    """

    def __init__(self, evaluator: Evaluator, results: dict[str, AlternativeResult]) -> None:
        x = evaluator.inputs
        self._paths, months = x.paths, x.months
        self.target = float(x.target_places)
        flat = x.need_places.ravel()
        where = np.flatnonzero(flat > 0)
        order = np.argsort(flat[where], kind="stable")
        where = where[order]
        self._n = flat[where]
        self._p, self._m = np.divmod(where, months)
        days = days_in_months(x.periods)
        df = (1.0 + x.discount_rate_share) ** -(np.arange(months) // MONTHS_PER_YEAR)
        dd = (days * df)[self._m]
        income = self._at(x.income_eur_per_place_day)
        recourse = x.recourse_eur_per_place_day * self._at(x.municipal_recourse_share)
        reimbursed = 1.0 if x.recourse_reimbursed else 0.0
        self._terms: dict[str, list[tuple]] = {}
        common = self._term(self.target, dd * (reimbursed * income - recourse))
        self.names: list[str] = []
        for name, r in results.items():
            a = r.alternative
            earns = 0.0 if (reimbursed or not a.earns_income) else 1.0
            g = dd * (recourse - a.variable_opex_eur_per_place_day + earns * income)
            g = np.where((self._m >= r.opening_month) & (self._m < r.end_month[self._p]), g, 0.0)
            own = self._term(min(float(a.capacity_places), self.target), g)
            terms = [common, own]
            k = float(r.npv_eur.mean()) - sum(self._value(t, 1.0) for t in terms)
            self._terms[name] = [*terms, (k, None, None, None)]
            self.names.append(name)

    def _at(self, values: float | np.ndarray) -> np.ndarray:
        """A number, (months,) or (paths, months) array at the sorted need's cells."""
        v = np.asarray(values, dtype=float)
        if v.ndim == 0:
            return np.full(self._n.shape, float(v))
        return v[self._m] if v.ndim == 1 else v[self._p, self._m]

    def _term(
        self, capacity: float, g: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """(capacity, need, running Σ g·n, running Σ g) over the cells where g ≠ 0, in the need's sorted
        order, the sums with a leading 0."""
        keep = g != 0
        n, g = self._n[keep], g[keep]
        cum_gn = np.concatenate([[0.0], np.cumsum(g * n)])
        cum_g = np.concatenate([[0.0], np.cumsum(g)])
        return capacity, n, cum_gn, cum_g

    def _value(self, term: tuple[float, np.ndarray, np.ndarray, np.ndarray], f: float) -> float:
        capacity, n, cum_gn, cum_g = term
        if n is None:  # the constant K
            return capacity
        if f <= 0:
            return 0.0
        k = int(np.searchsorted(n, capacity / f, side="right"))
        return (f * cum_gn[k] + capacity * (cum_g[-1] - cum_g[k])) / self._paths

    def expected_npv(self, name: str, factor: float) -> float:
        """E[NPV] of alternative ``name`` with the need × ``factor`` (capped at the target), €."""
        return float(sum(self._value(t, factor) for t in self._terms[name]))

    def break_even(self, a: str, b: str, grid: tuple[float, ...] = OCCUPANCY_GRID) -> float:
        """Factor on the need at which E[NPV] of ``a`` and ``b`` are equal: the first sign change of the
        difference on ``grid``, solved with Brent's method on the exact curve; NaN if there is none."""

        def diff(f: float) -> float:
            return self.expected_npv(a, f) - self.expected_npv(b, f)

        d = [diff(f) for f in grid]
        for i in range(len(grid) - 1):
            if d[i] == 0.0:
                return float(grid[i])
            if np.sign(d[i]) != np.sign(d[i + 1]):
                return float(brentq(diff, grid[i], grid[i + 1], xtol=1e-9, rtol=1e-12))
        return float("nan")


def break_even_occupancy_factors(
    inputs: BusinessCaseInputs,
    a: Alternative,
    others: list[Alternative],
    grid: tuple[float, ...] = OCCUPANCY_GRID,
    curve: OccupancyCurve | None = None,
) -> dict[str, float]:
    """Factor on the need the location serves at which E[NPV] of ``a`` equals that of each other alternative.

    Takes the first sign change of E[NPV a] − E[NPV other] over ``grid`` and solves it exactly on the
    :class:`OccupancyCurve`; NaN where there is none (one is better at every factor). ``curve`` may
    hold the alternatives already (it is built here otherwise).
    """
    names = [a.name, *(o.name for o in others)]
    if curve is None or not set(names) <= set(curve.names):
        ev = Evaluator(inputs)
        curve = OccupancyCurve(ev, {x.name: ev.evaluate(x) for x in [a, *others]})
    return {o.name: curve.break_even(a.name, o.name, grid) for o in others}
