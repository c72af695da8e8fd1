"""Sensitivity of a business case: a tornado of the inputs that move the expected NPV most, and break-even values.

Every variant is evaluated on the same paths as the base, so differences are due to the input alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from model.alternatives import (
    Alternative,
    AlternativeResult,
    BusinessCaseInputs,
    Evaluator,
    expected_npv,
)

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


def _scaled_reuse(alt: Alternative, factor: float) -> Alternative:
    if alt.reuse is None:
        return alt
    r = alt.reuse
    reuse = replace(
        r,
        income_eur_per_year=r.income_eur_per_year * factor,
        one_off_value_eur=r.one_off_value_eur * factor,
        residual_value_eur=r.residual_value_eur * factor,
    )
    return replace(alt, reuse=reuse)


def tornado(
    inputs: BusinessCaseInputs,
    alt: Alternative,
    *,
    purchase_price_eur: float,
    conversion_capex_eur: float,
    ranges: TornadoRanges = TornadoRanges(),
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

    Returns
    -------
    DataFrame
        Columns parameter, input_unit, input_low, input_base, input_high, npv_low_eur,
        npv_base_eur, npv_high_eur, swing_eur (|high − low|), sorted by swing (largest first).
        ``npv_low_eur`` is the E[NPV] with the input at ``input_low``.
    """
    c, dr, dt = ranges.change_share, ranges.discount_rate_change_share, ranges.timing_months
    ev = Evaluator(inputs)
    base_result = ev.evaluate(alt)
    base = float(base_result.npv_eur.mean())
    rate = inputs.discount_rate_share

    def e(a: Alternative, evaluator: Evaluator = ev) -> float:
        return float(evaluator.evaluate(a).npv_eur.mean())

    def capex(delta: float) -> Alternative:
        return replace(alt, capex_eur=max(alt.capex_eur + delta, 0.0))

    rows = []

    def add(
        parameter: str, unit: str, lo: float, mid: float, hi: float, npv_lo: float, npv_hi: float
    ) -> None:
        rows.append((parameter, unit, lo, mid, hi, npv_lo, base, npv_hi, abs(npv_hi - npv_lo)))

    p, k = purchase_price_eur, conversion_capex_eur
    add("purchase_price", "eur", p * (1 - c), p, p * (1 + c), e(capex(-c * p)), e(capex(c * p)))
    add("conversion_cost", "eur", k * (1 - c), k, k * (1 + c), e(capex(-c * k)), e(capex(c * k)))
    add(
        "normbedrag",
        "factor",
        1 - c,
        1.0,
        1 + c,
        expected_npv(base_result, rate, 1 - c),
        expected_npv(base_result, rate, 1 + c),
    )
    occ = [e(alt, Evaluator(inputs.scaled(occupancy_factor=f))) for f in (1 - c, 1 + c)]
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
        add(
            "reuse_value",
            "factor",
            1 - c,
            1.0,
            1 + c,
            e(_scaled_reuse(alt, 1 - c)),
            e(_scaled_reuse(alt, 1 + c)),
        )
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
    """Factor on the normbedrag at which E[NPV] = 0 (the Rijk's income covers the net cost); NaN if no income."""
    income = float(result.component_npv_eur["reimbursement"].mean())
    rest = float(result.npv_eur.mean()) - income
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


def break_even_occupancy_factors(
    inputs: BusinessCaseInputs,
    a: Alternative,
    others: list[Alternative],
    grid: tuple[float, ...] = OCCUPANCY_GRID,
) -> dict[str, float]:
    """Factor on the need the location serves at which E[NPV] of ``a`` equals that of each other alternative.

    Evaluates all alternatives on ``grid``, takes the first sign change of E[NPV a] − E[NPV other]
    and refines it with Brent's method; NaN where there is none (one is better at every factor).
    """

    def means(f: float, alts: list[Alternative]) -> np.ndarray:
        ev = Evaluator(inputs.scaled(occupancy_factor=f))
        return np.array([ev.evaluate(x).npv_eur.mean() for x in alts])

    table = np.array([means(f, [a, *others]) for f in grid])  # (grid, 1 + others)
    diffs = table[:, :1] - table[:, 1:]
    out: dict[str, float] = {}
    for j, other in enumerate(others):
        d = diffs[:, j]
        out[other.name] = float("nan")
        for i in range(len(grid) - 1):
            if d[i] == 0.0:
                out[other.name] = float(grid[i])
                break
            if np.sign(d[i]) != np.sign(d[i + 1]):

                def diff(f: float, other: Alternative = other) -> float:
                    m = means(f, [a, other])
                    return float(m[0] - m[1])

                out[other.name] = float(brentq(diff, grid[i], grid[i + 1], xtol=1e-3))
                break
    return out
