"""Reuse after reception: reuse options, when a location switches to them on each path, and what that flexibility is worth.

A location in reception *switches* in a month: reception stops, the reuse's conversion starts (capex at
the switch), and after the reuse's lead time its income, costs or sale proceeds begin. Two plans:

- the **decision rule** switches on each path once the need the location serves has been zero
  (need at or below the rest of the portfolio's capacity) for N consecutive months;
- the **fixed plan** switches at a set month, whatever happens.

The value of flexibility is E[NPV with the rule] − E[NPV of the fixed plan] on the same paths (Geltner &
de Neufville), never more than what the building costs over the horizon (see :func:`flexibility_value`).
All functions are vectorised over paths; switch months are ints, ``months`` meaning "never".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import numpy as np

from onderdak.case.money import ReuseOption, ReuseOptionSettings
from onderdak.core.ensemble import QUANTILES
from onderdak.finance.cashflow import MONTHS_PER_YEAR
from onderdak.io.reference import scalar

REUSE_OPTIONS: tuple[str, ...] = get_args(ReuseOption)
"""Reuse options a location can switch to (the register's ``reuse_options`` vocabulary)."""


@dataclass(frozen=True)
class ReuseSpec:
    """What a reuse costs and yields, at prices of the case's price year.

    Attributes
    ----------
    option
        One of REUSE_OPTIONS.
    capex_eur
        Conversion (or demolition, relocation) cost paid in the switch month, € (positive).
    lead_time_months
        Months from the switch until the reuse yields (conversion, permits).
    income_eur_per_year
        Yearly income once ready (rent of the dwellings, community lease), €/year.
    cost_eur_per_year
        Yearly cost once ready (maintenance, management), €/year (positive).
    one_off_value_eur
        Received once when ready (sale proceeds, residual value of relocated flex units), €.
    residual_value_eur
        Value still held at the horizon when the reuse is running then (e.g. the housing's value), €.
    dwellings
        Dwellings the reuse delivers (0 for sale, community, demolish).
    """

    option: str
    capex_eur: float = 0.0
    lead_time_months: int = 0
    income_eur_per_year: float = 0.0
    cost_eur_per_year: float = 0.0
    one_off_value_eur: float = 0.0
    residual_value_eur: float = 0.0
    dwellings: float = 0.0

    def __post_init__(self) -> None:
        if self.option not in REUSE_OPTIONS:
            raise ValueError(
                f"unknown reuse option {self.option!r}; choose from {', '.join(REUSE_OPTIONS)}"
            )
        if self.lead_time_months < 0:
            raise ValueError("lead_time_months must be ≥ 0")


def reuse_spec(
    option: str,
    params: ReuseOptionSettings | None = None,
    *,
    market_value_eur: float = 0.0,
    units_investment_eur: float = 0.0,
) -> ReuseSpec:
    """A reuse option's cash-flow parameters from the case's settings and the register.

    Parameters
    ----------
    option
        One of REUSE_OPTIONS.
    params
        The case's ``business_case.reuse[option]`` (None: the defaults, all ASSUMPTION).
    market_value_eur
        The building's market value (register): the default sale proceeds for ``sale`` and the
        default value held at the horizon for the housing and community options.
    units_investment_eur
        Purchase cost of flex units, for ``relocate_units``: relocation costs
        ``flex_relocation_cost_share`` of it and the units keep ``flex_residual_value_share`` of it
        (data/reference, ivvd.nl and Fakton for BZK), received when the relocation is done.
    """
    p = params or ReuseOptionSettings()
    income = p.dwellings * p.rent_eur_per_dwelling_per_year + p.income_eur_per_year
    cost = p.dwellings * p.cost_eur_per_dwelling_per_year + p.cost_eur_per_year
    capex, one_off, residual = p.capex_eur, 0.0, p.residual_value_eur
    if option == "sale":
        one_off = market_value_eur if p.sale_value_eur is None else p.sale_value_eur
        residual = 0.0 if residual is None else residual
    elif option == "relocate_units":
        capex += scalar("flex_relocation_cost_share") * units_investment_eur
        one_off = scalar("flex_residual_value_share") * units_investment_eur
        residual = 0.0 if residual is None else residual
    elif option == "demolish":
        residual = 0.0 if residual is None else residual
        one_off = p.sale_value_eur or 0.0
    else:
        residual = market_value_eur if residual is None else residual
        one_off = p.sale_value_eur or 0.0
    return ReuseSpec(
        option=option,
        capex_eur=capex,
        lead_time_months=p.lead_time_months,
        income_eur_per_year=income,
        cost_eur_per_year=cost,
        one_off_value_eur=one_off,
        residual_value_eur=residual,
        dwellings=p.dwellings,
    )


# -- when to switch ------------------------------------------------------------------------------


def rule_switch_month(
    excess_need_places: np.ndarray, months_below: int, first_month: int = 0
) -> np.ndarray:
    """Month in which the decision rule switches each path to reuse (``months`` = never).

    Parameters
    ----------
    excess_need_places
        Need the location would serve, (paths, months): need minus the rest of the portfolio's
        capacity, places. "Low" means ≤ 0 (the rest of the portfolio holds all need).
    months_below
        N: consecutive low months before switching (≥ 1).
    first_month
        Months before this are not counted (the location is not yet open).

    Returns
    -------
    ndarray of int, shape (paths,)
        The month after the N-th consecutive low month, counted from ``first_month``.

    Examples
    --------
    >>> rule_switch_month(np.array([[5, 0, 0, 0, 4, 0]]), 2).tolist()
    [3]
    """
    need = np.asarray(excess_need_places, dtype=float)
    paths, months = need.shape
    if months_below < 1:
        raise ValueError("months_below must be ≥ 1")
    low = need <= 1e-9
    low[:, : max(0, min(first_month, months))] = False
    c = np.concatenate(
        [np.zeros((paths, 1), dtype=np.int32), np.cumsum(low, axis=1, dtype=np.int32)], axis=1
    )
    if months_below > months:
        return np.full(paths, months, dtype=np.int64)
    window = c[:, months_below:] - c[:, :-months_below]  # low months in [m, m + N)
    hit = window >= months_below
    any_hit = hit.any(axis=1)
    first = np.argmax(hit, axis=1) + months_below  # month after the run
    return np.where(any_hit, first, months).astype(np.int64)


def fixed_switch_month(month: int, paths: int, months: int) -> np.ndarray:
    """The fixed plan: every path switches in ``month`` (clipped to [0, months]; ``months`` = never)."""
    return np.full(paths, int(np.clip(month, 0, months)), dtype=np.int64)


# -- cash flows on intervals, vectorised -----------------------------------------------------------


def active_months_per_year(
    start_month: np.ndarray | int, end_month: np.ndarray | int, years: int
) -> np.ndarray:
    """Months of [start, end) falling in each 12-month year, shape (paths, years).

    Examples
    --------
    >>> active_months_per_year(np.array([6]), np.array([30]), 3).tolist()
    [[6.0, 12.0, 6.0]]
    """
    a = np.atleast_1d(np.asarray(start_month, dtype=np.int64))[:, None]
    b = np.atleast_1d(np.asarray(end_month, dtype=np.int64))[:, None]
    b = np.maximum(a, b)
    edges = np.arange(years, dtype=np.int64) * MONTHS_PER_YEAR
    lo = np.clip(a, edges, edges + MONTHS_PER_YEAR)
    hi = np.clip(b, edges, edges + MONTHS_PER_YEAR)
    return (hi - lo).astype(float)


def one_off_per_year(
    month: np.ndarray | int, amount_eur: np.ndarray | float, years: int
) -> np.ndarray:
    """A one-off amount placed in the year of ``month`` (paths,), dropped if month ≥ horizon; (paths, years)."""
    m = np.atleast_1d(np.asarray(month, dtype=np.int64))
    amount = np.broadcast_to(np.asarray(amount_eur, dtype=float), m.shape)
    out = np.zeros((len(m), years))
    inside = (m >= 0) & (m < years * MONTHS_PER_YEAR)
    rows = np.flatnonzero(inside)
    out[rows, m[inside] // MONTHS_PER_YEAR] = amount[inside]
    return out


def reuse_cash_flows(
    spec: ReuseSpec, switch_month: np.ndarray, years: int
) -> dict[str, np.ndarray]:
    """Yearly cash flows of a reuse started at ``switch_month`` per path; € (paths, years), income +.

    Components: ``reuse_capex`` (switch month), ``reuse_income`` and ``reuse_cost`` (from ready to the
    horizon), ``reuse_value`` (one-off when ready, e.g. sale) and ``reuse_residual`` (value held at the
    horizon, in the last year, when the reuse is ready by then). Paths that never switch get zeros.
    """
    months = years * MONTHS_PER_YEAR
    s = np.asarray(switch_month, dtype=np.int64)
    ready = s + spec.lead_time_months
    switched = s < months
    running = (
        active_months_per_year(np.minimum(ready, months), np.full_like(s, months), years)
        / MONTHS_PER_YEAR
    )
    residual = np.where(ready < months, spec.residual_value_eur, 0.0)
    return {
        "reuse_capex": one_off_per_year(s, -spec.capex_eur, years),
        "reuse_income": running * spec.income_eur_per_year,
        "reuse_cost": running * -spec.cost_eur_per_year,
        "reuse_value": one_off_per_year(
            np.where(switched, ready, months), spec.one_off_value_eur, years
        ),
        "reuse_residual": one_off_per_year(np.full_like(s, months - 1), residual, years),
    }


# -- the value of flexibility ------------------------------------------------------------------------


@dataclass(frozen=True)
class FlexibilityValue:
    """Value of the decision rule against the fixed plan, € at prices of the price year.

    Attributes
    ----------
    per_path_eur
        NPV(rule) − NPV(fixed plan) on each path, within ± the building's cost on that path, (paths,).
    mean_eur
        Its mean: the value of flexibility of the rule as configured.
    best_eur
        Value of the best plan in expectation among the candidate rules *and* the fixed plan
        (the option to keep to the fixed plan makes this ≥ 0), bounded alike.
    best_label
        Which candidate that is ("fixed" when no rule beats the fixed plan).
    perfect_foresight_eur
        E[max over candidates and fixed plan per path] − E[NPV fixed], bounded alike: an upper bound
        (hindsight).
    probability_positive_share
        Share of paths on which the rule beats the fixed plan.
    quantiles_eur
        Quantiles of ``per_path_eur`` (QUANTILES from onderdak.core.ensemble).
    bound_eur
        What the building costs over the horizon (mean over paths; the bound), € (NaN: no bound).
    unbounded_mean_eur
        E[NPV rule] − E[NPV fixed] without the bound.
    bounded_share
        Share of paths on which the bound holds the difference back.
    """

    per_path_eur: np.ndarray
    mean_eur: float
    best_eur: float
    best_label: str
    perfect_foresight_eur: float
    probability_positive_share: float
    quantiles_eur: dict[str, float]
    bound_eur: float = float("nan")
    unbounded_mean_eur: float = float("nan")
    bounded_share: float = 0.0


def flexibility_value(
    npv_rule_eur: np.ndarray,
    npv_fixed_eur: np.ndarray,
    candidates_eur: dict[str, np.ndarray] | None = None,
    bound_eur: np.ndarray | float | None = None,
) -> FlexibilityValue:
    """Value of flexibility: the rule against the fixed plan on the same paths, with the option value of not acting.

    Parameters
    ----------
    npv_rule_eur, npv_fixed_eur
        NPV per path (paths,) of the plan with the decision rule and of the fixed plan, on the same paths.
    candidates_eur
        Further rules (label → NPV per path), e.g. other N; the configured rule is always a candidate.
    bound_eur
        What the building costs over the horizon per path (or one number), € ≥ 0. On each path a plan
        differs from the fixed plan by at most this much: a plan that fell further behind could buy and
        run a second building like this one for the whole horizon instead (and one that got further
        ahead would be compared with that). None: no bound.

    Examples
    --------
    >>> v = flexibility_value(np.array([5.0, -1.0]), np.array([0.0, 0.0]), bound_eur=3.0)
    >>> v.per_path_eur.tolist(), v.mean_eur, v.unbounded_mean_eur, v.bounded_share
    ([3.0, -1.0], 1.0, 2.0, 0.5)
    """
    rule = np.asarray(npv_rule_eur, dtype=float)
    fixed = np.asarray(npv_fixed_eur, dtype=float)
    if bound_eur is None:
        bound = np.full(fixed.shape, np.inf)
    else:
        bound = np.broadcast_to(np.maximum(np.asarray(bound_eur, dtype=float), 0.0), fixed.shape)

    def against_fixed(npv: np.ndarray) -> np.ndarray:
        return np.clip(np.asarray(npv, dtype=float) - fixed, -bound, bound)

    raw = rule - fixed
    diff = against_fixed(rule)
    options = {"rule": diff, **{k: against_fixed(v) for k, v in (candidates_eur or {}).items()}}
    means = {k: float(np.mean(v)) for k, v in options.items()}
    best_label = max(means, key=lambda k: means[k])
    best = max(means[best_label], 0.0)
    if best == 0.0:
        best_label = "fixed"
    stacked = np.vstack([np.zeros_like(fixed), *options.values()])
    hindsight = float(np.mean(stacked.max(axis=0)))
    q = np.quantile(diff, QUANTILES)
    return FlexibilityValue(
        per_path_eur=diff,
        mean_eur=float(np.mean(diff)),
        best_eur=best,
        best_label=best_label,
        perfect_foresight_eur=max(hindsight, 0.0),
        probability_positive_share=float(np.mean(diff > 0)),
        quantiles_eur={
            f"p{round(qi * 100):02d}": float(v) for qi, v in zip(QUANTILES, q, strict=True)
        },
        bound_eur=float(np.mean(bound)) if bound_eur is not None else float("nan"),
        unbounded_mean_eur=float(np.mean(raw)),
        bounded_share=float(np.mean(np.abs(raw) > bound)),
    )
