"""Alternatives for the same need (buy and convert, lease, hotel, flex units, Leegstandwet, the user's own), evaluated on one ensemble.

Every alternative serves the same need: the need the location is meant to hold, per path and month
(need minus the rest of the portfolio's capacity, at most the target places). What an alternative
cannot hold — before it opens, beyond its capacity, after its term or after a switch to reuse — goes
to recourse (hotel places) at the recourse rate, so alternatives differ only in cost and timing.
Cash flows are monthly, summed to 12-month years, and discounted at the case's real rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from model.finance import MONTHS_PER_YEAR, days_in_months, npv, yearly
from model.reuse import (
    ReuseSpec,
    active_months_per_year,
    fixed_switch_month,
    one_off_per_year,
    reuse_cash_flows,
    rule_switch_month,
)

COMPONENTS = (
    "capex",
    "fixed_opex",
    "variable_opex",
    "recourse",
    "reimbursement",
    "end",
    "residual",
    "reuse_capex",
    "reuse_income",
    "reuse_cost",
    "reuse_value",
    "reuse_residual",
)
"""Cash-flow components of an alternative (€, income positive, cost negative)."""

PHASES = {
    "reception": (
        "capex",
        "fixed_opex",
        "variable_opex",
        "recourse",
        "reimbursement",
        "end",
        "residual",
    ),
    "reuse": ("reuse_capex", "reuse_income", "reuse_cost", "reuse_value", "reuse_residual"),
}
"""Components grouped by phase of the building's life (for the cash-flow chart)."""


@dataclass(frozen=True)
class Alternative:
    """One way to provide the places, with its costs, term and what happens after reception.

    Attributes
    ----------
    name, label, kind
        Id in tables, name in the report, and kind (buy_convert, lease, hotel, flex_units,
        leegstandwet, custom).
    capacity_places
        Places it holds once open.
    capex_eur
        Purchase, conversion and furnishing, paid in the first month, € (positive).
    lead_time_months
        Months from the start until it opens.
    term_months
        Reception lasts at most this long after opening (lease or legal term); None: no limit.
    fixed_opex_eur_per_year, variable_opex_eur_per_place_day
        Running costs while open (positive), per year and per occupied place-day.
    end_cost_eur, end_value_eur
        Paid and received when reception ends before the horizon.
    residual_value_eur
        Value held at the horizon while still in reception.
    plan
        When reception ends early: ``rule`` (decision rule), ``fixed`` (fixed month), ``none``.
    rule_months
        N of the decision rule: months of need below the rest of the portfolio before switching.
    fixed_month
        Month (from the start) of the fixed plan's switch.
    reuse
        What the location becomes when reception ends (None: nothing further).
    """

    name: str
    label: str
    kind: str
    capacity_places: float
    capex_eur: float = 0.0
    lead_time_months: int = 0
    term_months: int | None = None
    fixed_opex_eur_per_year: float = 0.0
    variable_opex_eur_per_place_day: float = 0.0
    end_cost_eur: float = 0.0
    end_value_eur: float = 0.0
    residual_value_eur: float = 0.0
    plan: str = "none"
    rule_months: int = 6
    fixed_month: int | None = None
    reuse: ReuseSpec | None = None

    def __post_init__(self) -> None:
        if self.plan not in ("rule", "fixed", "none"):
            raise ValueError(f"plan must be rule, fixed or none, not {self.plan!r}")
        if self.plan == "fixed" and self.fixed_month is None:
            raise ValueError(f"alternative {self.name}: the fixed plan needs fixed_month")


@dataclass(frozen=True)
class BusinessCaseInputs:
    """What all alternatives are evaluated on: one ensemble of need, one income, one rate.

    Attributes
    ----------
    need_places
        Need the location is meant to hold, places, shape (paths, months), 0 ≤ need ≤ target.
    periods
        Months of the business-case horizon (a whole number of years).
    income_eur_per_place_day
        The Rijk's income per occupied place-day per month (normbedrag for GOO), shape (months,).
    discount_rate_share
        Real discount rate per year.
    recourse_eur_per_place_day
        Cost of a place-day held in recourse (hotel).
    target_places
        Places the alternatives must provide.
    recourse_reimbursed
        Whether the income also covers place-days held in recourse.
    rule_signal_places
        What the decision rule watches, (paths, months): need minus the rest of the portfolio's
        capacity as planned ahead; ≤ 0 is a low month. None: ``need_places``.
    notes
        Assumptions made building the inputs (for the report).
    """

    need_places: np.ndarray
    periods: pd.PeriodIndex
    income_eur_per_place_day: np.ndarray
    discount_rate_share: float
    recourse_eur_per_place_day: float
    target_places: float
    recourse_reimbursed: bool = True
    rule_signal_places: np.ndarray | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.need_places.ndim != 2 or self.need_places.shape[1] != len(self.periods):
            raise ValueError("need_places must have shape (paths, len(periods))")
        if (
            self.rule_signal_places is not None
            and self.rule_signal_places.shape != self.need_places.shape
        ):
            raise ValueError("rule_signal_places must have the shape of need_places")
        if len(self.periods) % MONTHS_PER_YEAR:
            raise ValueError("the business-case horizon must be a whole number of years")

    @property
    def paths(self) -> int:
        return self.need_places.shape[0]

    @property
    def months(self) -> int:
        return len(self.periods)

    @property
    def years(self) -> int:
        return self.months // MONTHS_PER_YEAR

    @property
    def year_labels(self) -> list[int]:
        """Calendar year in which each 12-month year starts."""
        return [int(p.year) for p in self.periods[::MONTHS_PER_YEAR]]

    def scaled(
        self,
        occupancy_factor: float = 1.0,
        income_factor: float = 1.0,
        rate_share: float | None = None,
    ) -> BusinessCaseInputs:
        """A copy with need × occupancy_factor (capped at the target), income × income_factor, another rate."""
        need = np.clip(self.need_places * occupancy_factor, 0.0, self.target_places)
        signal = self.rule_signal_places
        if signal is not None:
            signal = np.where(signal > 0, signal * occupancy_factor, signal)
        return replace(
            self,
            need_places=need,
            rule_signal_places=signal,
            income_eur_per_place_day=self.income_eur_per_place_day * income_factor,
            discount_rate_share=self.discount_rate_share if rate_share is None else rate_share,
        )


@dataclass(frozen=True)
class AlternativeResult:
    """An alternative evaluated on every path.

    Attributes
    ----------
    npv_eur
        NPV per path (paths,), € (income +, cost −): minus the net present cost.
    component_npv_eur
        NPV per path of each component of COMPONENTS.
    mean_flows_eur
        Mean over paths of each component per year (years,).
    net_eur
        Net cash flow per path and year (paths, years).
    served_place_days, recourse_place_days
        Occupied place-days in the alternative and in recourse over the horizon, per path.
    pv_need_place_days
        Discounted place-days of the need (for the levelised cost per place-day), per path.
    opening_month
        Month it opens (from the start).
    end_month
        Month reception ends per path (``months`` = at the horizon).
    """

    alternative: Alternative
    npv_eur: np.ndarray
    component_npv_eur: dict[str, np.ndarray]
    mean_flows_eur: dict[str, np.ndarray]
    net_eur: np.ndarray
    served_place_days: np.ndarray
    recourse_place_days: np.ndarray
    pv_need_place_days: np.ndarray
    opening_month: int
    end_month: np.ndarray

    @property
    def name(self) -> str:
        return self.alternative.name


@dataclass
class Evaluator:
    """Evaluates alternatives on one set of inputs, sharing prefix sums and switch months between them."""

    inputs: BusinessCaseInputs
    _prefix: dict[float, tuple[np.ndarray | None, np.ndarray | None]] = field(
        default_factory=dict, repr=False
    )
    _switch: dict[tuple[int, int], np.ndarray] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        x = self.inputs
        days = days_in_months(x.periods)
        self._days = days
        self._weight_inc = days * x.income_eur_per_place_day
        self._df = (1.0 + x.discount_rate_share) ** -np.arange(x.years, dtype=float)
        self.need_days = yearly(x.need_places * days)
        self.need_income = yearly(x.need_places * self._weight_inc)
        self.pv_need_days = self.need_days @ self._df
        self._path_weights = np.full(x.paths, 1.0 / x.paths)  # mean over paths as a matrix product

    def _cumulative(self, capacity: float, weight: np.ndarray) -> np.ndarray:
        """Running sum over months of min(need, capacity) × weight, with a leading 0: (paths, months + 1)."""
        x = self.inputs
        out = np.empty((x.paths, x.months + 1))
        out[:, 0] = 0.0
        body = out[:, 1:]
        np.minimum(x.need_places, capacity, out=body)
        body *= weight
        np.cumsum(body, axis=1, out=body)
        return out

    def _served_prefix(self, capacity: float, income: bool) -> tuple[np.ndarray, np.ndarray | None]:
        key = float(capacity)
        days, inc = self._prefix.get(key, (None, None))
        if days is None:
            days = self._cumulative(key, self._days)
        if income and inc is None:
            inc = self._cumulative(key, self._weight_inc)
        self._prefix[key] = (days, inc)
        return days, inc

    def switch_month(self, alt: Alternative, opening: int) -> np.ndarray:
        """Month each path switches from reception to reuse under the alternative's plan (months = never)."""
        x = self.inputs
        if alt.plan == "fixed":
            return fixed_switch_month(int(alt.fixed_month), x.paths, x.months)
        if alt.plan == "none":
            return np.full(x.paths, x.months, dtype=np.int64)
        key = (alt.rule_months, opening)
        if key not in self._switch:
            signal = x.need_places if x.rule_signal_places is None else x.rule_signal_places
            self._switch[key] = rule_switch_month(signal, alt.rule_months, first_month=opening)
        return self._switch[key]

    def evaluate(self, alt: Alternative) -> AlternativeResult:
        """Cash flows, NPV and occupancy of one alternative on every path."""
        x = self.inputs
        months, years = x.months, x.years
        opening = int(min(max(alt.lead_time_months, 0), months))
        term_end = months if alt.term_months is None else min(opening + alt.term_months, months)
        end = np.clip(np.minimum(self.switch_month(alt, opening), term_end), opening, months)
        s_days, s_inc = self._served_prefix(alt.capacity_places, income=not x.recourse_reimbursed)
        edges = np.clip(np.arange(years + 1) * MONTHS_PER_YEAR, opening, end[:, None])
        served_days = np.diff(np.take_along_axis(s_days, edges, axis=1), axis=1)
        recourse_days = self.need_days - served_days
        if x.recourse_reimbursed:
            reimbursement = self.need_income
        else:
            reimbursement = np.diff(np.take_along_axis(s_inc, edges, axis=1), axis=1)
        ended = end < months
        flows = {
            "capex": one_off_per_year(np.zeros(x.paths, dtype=np.int64), -alt.capex_eur, years),
            "fixed_opex": active_months_per_year(opening, end, years)
            * (-alt.fixed_opex_eur_per_year / 12),
            "variable_opex": served_days * -alt.variable_opex_eur_per_place_day,
            "recourse": recourse_days * -x.recourse_eur_per_place_day,
            "reimbursement": reimbursement,
            "end": one_off_per_year(
                np.where(ended, end, months), alt.end_value_eur - alt.end_cost_eur, years
            ),
            "residual": one_off_per_year(
                np.where(ended, months, months - 1), alt.residual_value_eur, years
            ),
        }
        if alt.reuse is not None:
            flows.update(reuse_cash_flows(alt.reuse, np.where(ended, end, months), years))
        component_npv = {k: v @ self._df for k, v in flows.items()}
        net = sum(flows.values())
        return AlternativeResult(
            alternative=alt,
            npv_eur=net @ self._df,
            component_npv_eur=component_npv,
            mean_flows_eur={k: self._path_weights @ v for k, v in flows.items()},
            net_eur=net,
            served_place_days=served_days.sum(axis=1),
            recourse_place_days=recourse_days.sum(axis=1),
            pv_need_place_days=self.pv_need_days,
            opening_month=opening,
            end_month=end,
        )


def evaluate_alternatives(
    inputs: BusinessCaseInputs, alternatives: list[Alternative]
) -> dict[str, AlternativeResult]:
    """Every alternative evaluated on the same inputs (same paths), by name."""
    names = [a.name for a in alternatives]
    if len(set(names)) != len(names):
        raise ValueError(f"alternative names must be unique: {names}")
    ev = Evaluator(inputs)
    return {a.name: ev.evaluate(a) for a in alternatives}


def probability_cheapest(results: dict[str, AlternativeResult]) -> dict[str, float]:
    """Share of paths on which each alternative has the highest NPV (lowest net present cost); ties to the first."""
    names = list(results)
    stacked = np.vstack([results[n].npv_eur for n in names])
    best = np.argmax(stacked, axis=0)
    return {n: float(np.mean(best == i)) for i, n in enumerate(names)}


def expected_npv(result: AlternativeResult, rate_share: float, income_factor: float = 1.0) -> float:
    """E[NPV] at another discount rate or normbedrag scale, from the mean yearly flows (NPV is linear)."""
    total = sum(v for k, v in result.mean_flows_eur.items() if k != "reimbursement")
    total = total + income_factor * result.mean_flows_eur["reimbursement"]
    return float(npv(total, rate_share))
