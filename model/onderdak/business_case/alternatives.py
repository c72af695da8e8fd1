"""Alternatives for the same need (buy and convert, lease, hotel, flex units, Leegstandwet, the user's own), evaluated on one ensemble.

Every alternative serves the same need: the need the location is meant to hold, per path and month
(need minus the rest of the portfolio's capacity, at most the target places). What an alternative
cannot hold — before it opens, beyond its capacity, after its term or after a switch to reuse — is
short: the municipality pays the recourse rate only for the part of it whose shortfall it bears (one
account per stream, data/reference/stream_accounts.csv: Ukrainians in GOO); the rest (asylum seekers,
status holders) stays with the COA and is counted in place-days short, never as a municipal cost.
Cash flows are monthly, summed to 12-month years, and discounted at the case's real rate.

Longer than 400 lines: an alternative, its inputs, its result and the evaluator that turns one into
the other are one cash-flow model, read together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from onderdak.core.notes import Note
from onderdak.finance.cashflow import MONTHS_PER_YEAR, days_in_months, npv, yearly
from onderdak.finance.reuse import (
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
        Id in tables; the user's own name of an alternative of the case file ('' for the built-in
        ones, which the report names from the catalog by ``name`` and ``label_facts``); and kind
        (buy_convert, lease, hotel, flex_units, leegstandwet, custom).
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
    earns_income
        Whether the Rijk's income per place-day is paid for the places it serves (False for a hotel
        since 2025: hotels fell out of the normbedrag); without effect when ``recourse_reimbursed``.
    label_facts
        What the report's name of a built-in alternative needs: ``owned`` (buy_rule, buy_fixed),
        ``units`` (flex_units), ``years`` (leegstandwet), ``coa_only`` (no_places).
    proceeds_eur, proceeds_month
        A one-off received at ``proceeds_month`` (from the start), € — selling a building the
        municipality already owns when this alternative holds the need instead.
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
    earns_income: bool = True
    proceeds_eur: float = 0.0
    proceeds_month: int = 0
    label_facts: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

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
        The Rijk's income per served place-day per month (normbedrag for GOO, COA rent for asylum
        places), shape (months,) or (paths, months) when the location serves several streams.
    discount_rate_share
        Real discount rate per year.
    recourse_eur_per_place_day
        What the municipality pays per place-day of its emergency option (hotel).
    target_places
        Places the alternatives must provide.
    recourse_reimbursed
        Whether the income also covers place-days held in recourse (not since 2025: hotels fell out
        of the normbedrag, facts.md §1.3).
    municipal_recourse_share
        Share of a place-day short that the municipality pays the recourse rate for: the share of the
        need of streams whose shortfall it bears (1 for GOO, 0 for asylum and status holders), a
        number or (paths, months).
    rule_signal_places
        What the decision rule watches, (paths, months): need minus the rest of the portfolio's
        capacity as planned ahead; ≤ 0 is a low month. None: ``need_places``.
    notes
        Assumptions made building the inputs, as notes (the report words them).
    """

    need_places: np.ndarray
    periods: pd.PeriodIndex
    income_eur_per_place_day: np.ndarray
    discount_rate_share: float
    recourse_eur_per_place_day: float
    target_places: float
    recourse_reimbursed: bool = False
    rule_signal_places: np.ndarray | None = None
    municipal_recourse_share: float | np.ndarray = 1.0
    notes: tuple[Note, ...] = ()

    def __post_init__(self) -> None:
        if self.need_places.ndim != 2 or self.need_places.shape[1] != len(self.periods):
            raise ValueError("need_places must have shape (paths, len(periods))")
        for name in ("income_eur_per_place_day", "municipal_recourse_share"):
            shape = np.shape(getattr(self, name))
            if shape not in ((), (len(self.periods),), self.need_places.shape):
                raise ValueError(f"{name} must be a number, (months,) or (paths, months)")
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
    municipal_recourse_place_days: np.ndarray
    opening_month: int
    end_month: np.ndarray

    @property
    def name(self) -> str:
        return self.alternative.name


@dataclass
class Evaluator:
    """Evaluates alternatives on one set of inputs, sharing prefix sums and switch months between them.

    Per capacity it keeps running sums over months of the served place-days, weighted three ways:
    by days, by days × income and by days × the municipal share of a shortfall, so that every
    alternative's yearly flows are differences of these sums at its year edges.
    """

    inputs: BusinessCaseInputs
    _prefix: dict[tuple[float, str], np.ndarray] = field(default_factory=dict, repr=False)
    _switch: dict[tuple[int, int], np.ndarray] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        x = self.inputs
        days = days_in_months(x.periods)
        self._weights = {
            "days": days,
            "income": days * np.asarray(x.income_eur_per_place_day, dtype=float),
            "recourse": days * np.asarray(x.municipal_recourse_share, dtype=float),
        }
        self._df = (1.0 + x.discount_rate_share) ** -np.arange(x.years, dtype=float)
        self.need_days = yearly(x.need_places * days)
        self.need_income = yearly(x.need_places * self._weights["income"])
        self.need_recourse_days = (
            self.need_days * float(x.municipal_recourse_share)
            if np.ndim(x.municipal_recourse_share) == 0
            else yearly(x.need_places * self._weights["recourse"])
        )
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

    def _served(self, capacity: float, kind: str, edges: np.ndarray) -> np.ndarray:
        """Served place-days weighted by ``kind`` per path and year between the year ``edges``."""
        key = (float(capacity), kind)
        if key not in self._prefix:
            self._prefix[key] = self._cumulative(key[0], self._weights[kind])
        return np.diff(np.take_along_axis(self._prefix[key], edges, axis=1), axis=1)

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

    def reception(self, alt: Alternative) -> tuple[int, np.ndarray]:
        """Month the alternative opens and the month its reception ends on each path (``months``: never)."""
        x = self.inputs
        months = x.months
        opening = int(min(max(alt.lead_time_months, 0), months))
        term_end = months if alt.term_months is None else min(opening + alt.term_months, months)
        end = np.clip(np.minimum(self.switch_month(alt, opening), term_end), opening, months)
        return opening, end

    def evaluate(self, alt: Alternative) -> AlternativeResult:
        """Cash flows, NPV and occupancy of one alternative on every path."""
        x = self.inputs
        months, years = x.months, x.years
        opening, end = self.reception(alt)
        edges = np.clip(np.arange(years + 1) * MONTHS_PER_YEAR, opening, end[:, None])
        served_days = self._served(alt.capacity_places, "days", edges)
        recourse_days = self.need_days - served_days
        if np.ndim(x.municipal_recourse_share) == 0:
            municipal_days = recourse_days * float(x.municipal_recourse_share)
        else:
            municipal_days = self.need_recourse_days - self._served(
                alt.capacity_places, "recourse", edges
            )
        if x.recourse_reimbursed:
            reimbursement = self.need_income
        elif alt.earns_income:
            reimbursement = self._served(alt.capacity_places, "income", edges)
        else:
            reimbursement = np.zeros((x.paths, years))
        ended = end < months
        flows = {
            "capex": one_off_per_year(np.zeros(x.paths, dtype=np.int64), -alt.capex_eur, years),
            "fixed_opex": active_months_per_year(opening, end, years)
            * (-alt.fixed_opex_eur_per_year / 12),
            "variable_opex": served_days * -alt.variable_opex_eur_per_place_day,
            "recourse": municipal_days * -x.recourse_eur_per_place_day,
            "reimbursement": reimbursement,
            "end": one_off_per_year(
                np.where(ended, end, months), alt.end_value_eur - alt.end_cost_eur, years
            )
            + one_off_per_year(np.full(x.paths, alt.proceeds_month), alt.proceeds_eur, years),
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
            municipal_recourse_place_days=municipal_days.sum(axis=1),
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
