"""The business case of buying a building for reception: alternatives, reuse, flexibility and sensitivity for one location.

``run_business_case(case, location_id)`` takes the need from the pipeline (inflow → municipal need),
the rest of the portfolio's capacity from the location register, builds the alternatives for the
same need (buying under the decision rule and under the fixed plan, a long lease, a hotel, flex
units, Leegstandwet temporary use, the user's own) and evaluates them on the same paths.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from onderdak.business_case.alternatives import (
    Alternative,
    AlternativeResult,
    BusinessCaseInputs,
    Evaluator,
    probability_cheapest,
)
from onderdak.business_case.inputs import business_case_inputs
from onderdak.business_case.options import build_alternatives
from onderdak.business_case.sensitivity import (
    OccupancyCurve,
    TornadoRanges,
    break_even_income_factor,
    break_even_occupancy_factors,
    cost_covering_income_factor,
    tornado,
)
from onderdak.core.errors import InputError
from onderdak.core.notes import Note
from onderdak.finance.cashflow import equivalent_annual_eur, irr
from onderdak.finance.reuse import FlexibilityValue, flexibility_value
from onderdak.need.simulate import simulate
from onderdak.register.locations import load_register

FLEXIBILITY_CANDIDATE_MONTHS = (3, 6, 12, 24)
"""Other decision-rule lengths N tried for the option value (the configured N is always tried)."""

TABLE_COLUMNS = ["alternative", "metric", "unit", "mean", "p10", "p50", "p90"]


@dataclass(frozen=True)
class BusinessCase:
    """A business case for one location, evaluated on one ensemble.

    Attributes
    ----------
    location_id, location_name
        The register row the case is about.
    inputs
        Need, income and rate the alternatives were evaluated on.
    alternatives
        The alternatives, in the order of the tables.
    results
        Each alternative's result, by name.
    location_alternative
        Name of the location's own alternative under the decision rule (``buy_rule``).
    fixed_alternative
        Name of the location's own alternative under the fixed plan (``buy_fixed``).
    flexibility
        Value of the decision rule against the fixed plan.
    tornado
        The tornado table (see onderdak.business_case.sensitivity.tornado).
    table
        The tidy result table (business_case.csv).
    assumptions
        Every assumption made, as notes (a code and its figures; the report words them).
    last_normbedrag_eur_per_place_day
        The normbedrag in the last month of the horizon (break-even factors are expressed in it).
    case, location
        The resolved case and the register row (for the report).
    """

    location_id: str
    location_name: str
    inputs: BusinessCaseInputs
    alternatives: list[Alternative]
    results: dict[str, AlternativeResult]
    location_alternative: str
    fixed_alternative: str
    flexibility: FlexibilityValue
    tornado: pd.DataFrame
    table: pd.DataFrame
    assumptions: list[Note]
    last_normbedrag_eur_per_place_day: float
    case: Any = None
    location: pd.Series | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The CSV tables: ``business_case`` and ``tornado``."""
        return {"business_case": self.table, "tornado": self.tornado}


def _stats(values: np.ndarray) -> tuple[float, float, float, float]:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return (math.nan,) * 4
    q = np.quantile(v, (0.1, 0.5, 0.9))
    return float(v.mean()), float(q[0]), float(q[1]), float(q[2])


def building_cost_eur(evaluator: Evaluator, alt: Alternative) -> np.ndarray:
    """What the building costs over the horizon on each path, € ≥ 0: its capex (none when already owned)
    and running costs, kept in reception from its opening to the horizon (or the end of its term)."""
    kept = evaluator.evaluate(replace(alt, plan="none", reuse=None))
    c = kept.component_npv_eur
    return -(c["capex"] + c["fixed_opex"] + c["variable_opex"])


def last_income_eur_per_place_day(inputs: BusinessCaseInputs) -> float:
    """The income per place-day in the last month (mean over paths when it differs per path): the unit
    the break-even and cost-covering normbedrag are expressed in."""
    if not inputs.months:
        return math.nan
    income = np.asarray(inputs.income_eur_per_place_day, dtype=float)
    return float(income[..., -1].mean()) if income.ndim else float(income)


def summary_table(
    inputs: BusinessCaseInputs,
    results: dict[str, AlternativeResult],
    flexibility: FlexibilityValue | None = None,
    flexibility_alternative: str | None = None,
    break_even: list[tuple[str, str, str, float]] | None = None,
) -> pd.DataFrame:
    """The tidy table of business_case.csv: per alternative and metric the mean and p10/p50/p90 over paths.

    Metrics: ``npv_eur``; ``net_present_cost_eur``; ``equivalent_annual_cost_eur_per_year``;
    ``cost_per_place_day_eur`` (levelised net cost before reimbursement per place-day of need, incl.
    recourse); ``net_cost_per_place_day_eur`` (after reimbursement); ``municipal_net_cost_eur``
    (undiscounted sum of net cost after reimbursement); ``irr_share`` (over paths where it exists) and
    ``irr_exists_share``; ``probability_cheapest_share``; ``served_place_days``;
    ``recourse_place_days``; ``reception_years``; ``normbedrag_cost_covering_eur_per_place_day``; the
    flexibility rows and the break-even rows. Scalars fill ``mean`` only.
    """
    rate, years = inputs.discount_rate_share, inputs.years
    cheapest = probability_cheapest(results)
    last_norm = last_income_eur_per_place_day(inputs)
    rows: list[tuple] = []

    def add(alt: str, metric: str, unit: str, values: np.ndarray | float) -> None:
        if np.ndim(values) == 0:
            rows.append((alt, metric, unit, float(values), math.nan, math.nan, math.nan))
        else:
            rows.append((alt, metric, unit, *_stats(values)))

    for name, r in results.items():
        income = r.component_npv_eur["reimbursement"]
        with np.errstate(divide="ignore", invalid="ignore"):
            per_day = np.where(r.pv_need_place_days > 0, 1.0 / r.pv_need_place_days, np.nan)
        add(name, "npv_eur", "eur", r.npv_eur)
        add(name, "net_present_cost_eur", "eur", -r.npv_eur)
        add(
            name,
            "equivalent_annual_cost_eur_per_year",
            "eur_per_year",
            -equivalent_annual_eur(r.npv_eur, rate, years),
        )
        add(name, "cost_per_place_day_eur", "eur_per_place_day", -(r.npv_eur - income) * per_day)
        add(name, "net_cost_per_place_day_eur", "eur_per_place_day", -r.npv_eur * per_day)
        add(name, "municipal_net_cost_eur", "eur", -r.net_eur.sum(axis=1))
        rates = irr(r.net_eur) if r.alternative.capex_eur > 0 else np.full(inputs.paths, np.nan)
        add(name, "irr_share", "share_per_year", rates)
        add(name, "irr_exists_share", "share", float(np.mean(np.isfinite(rates))))
        add(name, "probability_cheapest_share", "share", cheapest[name])
        add(name, "served_place_days", "place_days", r.served_place_days)
        add(name, "recourse_place_days", "place_days", r.recourse_place_days)
        add(name, "reception_years", "years", (r.end_month - r.opening_month) / 12.0)
        add(
            name,
            "normbedrag_cost_covering_eur_per_place_day",
            "eur_per_place_day",
            cost_covering_income_factor(r) * last_norm,
        )
    if flexibility is not None and flexibility_alternative is not None:
        f, n = flexibility, flexibility_alternative
        add(n, "flexibility_value_eur", "eur", f.per_path_eur)
        add(n, "flexibility_value_best_eur", "eur", f.best_eur)
        add(n, "flexibility_value_perfect_foresight_eur", "eur", f.perfect_foresight_eur)
        add(n, "flexibility_value_bound_eur", "eur", f.bound_eur)
        add(n, "flexibility_value_unbounded_eur", "eur", f.unbounded_mean_eur)
        add(n, "flexibility_bounded_share", "share", f.bounded_share)
        add(n, "probability_rule_beats_fixed_share", "share", f.probability_positive_share)
    for alt, metric, unit, value in break_even or []:
        add(alt, metric, unit, value)
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def run_business_case(
    case: object,
    location_id: str,
    *,
    paths: int | None = None,
    seed: int | None = None,
    register: object | None = None,
    need: object | None = None,
    ensemble: object | None = None,
) -> BusinessCase:
    """The business case of one location of a case's register, on the case's ensemble.

    Parameters
    ----------
    case
        A resolved :class:`onderdak.case.settings.Case` (one scenario).
    location_id
        Register id of the building (kind purchase, office_conversion, municipal_building or flex_units).
    paths, seed
        Override the case's Monte-Carlo paths and seed.
    register
        A :class:`onderdak.register.locations.Register` already read (default: the case's register).
    need
        A :class:`onderdak.core.ensemble.Need` already simulated (default: simulate the case).
    ensemble
        The :class:`onderdak.core.ensemble.Ensemble` behind ``need`` (for the need after the simulation;
        default: the simulated one, or none when ``need`` is given without it).

    Raises
    ------
    InputError
        Unknown location, a kind that cannot be bought, or invalid business-case settings.
    """
    register = register if register is not None else load_register(case)
    table = register.table
    if location_id in register.closed:
        raise InputError(
            f"{register.source.name}: location `{location_id}` closed before the start "
            f"({case.start}, its available_until); a business case needs a location that is open"
        )
    if location_id not in table.index:
        raise InputError(
            f"{register.source.name}: no location with id `{location_id}`; the register has: {', '.join(table.index)}"
        )
    row = table.loc[location_id]
    if need is None:
        run = simulate(case, paths=paths, seed=seed)
        need, ensemble = run.need, run.ensemble
    inputs = business_case_inputs(case, register, location_id, need, ensemble)
    alternatives, notes = build_alternatives(case, row, inputs)
    names = [a.name for a in alternatives]
    if len(set(names)) != len(names):
        raise ValueError(f"alternative names must be unique: {names}")
    ev = Evaluator(
        inputs
    )  # one evaluator: prefix sums and switch months shared by every evaluation
    results = {a.name: ev.evaluate(a) for a in alternatives}
    rule_alt = next(a for a in alternatives if a.name == "buy_rule")
    candidates = {
        f"rule_{n}m": ev.evaluate(replace(rule_alt, rule_months=n)).npv_eur
        for n in FLEXIBILITY_CANDIDATE_MONTHS
        if n != rule_alt.rule_months
    }
    flex = flexibility_value(
        results["buy_rule"].npv_eur,
        results["buy_fixed"].npv_eur,
        candidates,
        bound_eur=building_cost_eur(ev, rule_alt),
    )
    settings = case.business_case
    purchase = float(row["purchase_price_eur"])
    conversion = float(row["conversion_capex_eur"]) + float(row["furnishing_capex_eur"])
    curve = OccupancyCurve(ev, results)
    torn = tornado(
        inputs,
        rule_alt,
        purchase_price_eur=purchase,
        conversion_capex_eur=conversion,
        ranges=TornadoRanges(
            settings.tornado_change_share,
            settings.tornado_discount_rate_change_share,
            settings.tornado_timing_months,
        ),
        evaluator=ev,
        curve=curve,
    )
    last_norm = last_income_eur_per_place_day(inputs)
    others = [a for a in alternatives if a.name not in ("buy_rule", "buy_fixed")]
    occupancy = break_even_occupancy_factors(inputs, rule_alt, others, curve=curve)
    break_even = []
    for other in others:
        s_ = break_even_income_factor(results["buy_rule"], results[other.name])
        break_even.append(
            (
                other.name,
                "break_even_normbedrag_eur_per_place_day",
                "eur_per_place_day",
                s_ * last_norm,
            )
        )
        break_even.append(
            (other.name, "break_even_occupancy_factor", "factor", occupancy[other.name])
        )
    out = summary_table(inputs, results, flex, "buy_rule", break_even)
    return BusinessCase(
        location_id=location_id,
        location_name=str(row["name"]),
        inputs=inputs,
        alternatives=alternatives,
        results=results,
        location_alternative="buy_rule",
        fixed_alternative="buy_fixed",
        flexibility=flex,
        tornado=torn,
        table=out,
        assumptions=[*inputs.notes, *notes],
        last_normbedrag_eur_per_place_day=last_norm,
        case=case,
        location=row,
    )


def write_business_case(bc: BusinessCase, out: str | Path) -> None:
    """Write business_case.csv and tornado.csv into ``out``, atomically (both or neither)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".business_case.", dir=out))
    try:
        for name, table in bc.tables().items():
            table.to_csv(tmp / f"{name}.csv", index=False, float_format="%.6g", lineterminator="\n")
        for f in tmp.iterdir():
            os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def business_case_tables(runs: dict[str, Any], register: Any) -> dict[str, pd.DataFrame]:
    """``business_case`` and ``tornado`` tables for ``onderdak run``: one block per scenario.

    Parameters
    ----------
    runs
        Scenario name → :class:`onderdak.need.simulate.ScenarioRun` (its ``case`` and simulated ``need``).
    register
        The case's location register.

    Returns
    -------
    dict
        Empty when the case names no ``business_case.location_id``; else the two tables with a leading
        ``scenario`` column, each scenario evaluated on its own ensemble.
    """
    blocks: dict[str, list[pd.DataFrame]] = {"business_case": [], "tornado": []}
    for name, run in runs.items():
        location = run.case.business_case.location_id
        if not location:
            continue
        bc = run_business_case(
            run.case, location, register=register, need=run.need, ensemble=run.ensemble
        )
        for key, table in bc.tables().items():
            blocks[key].append(table.assign(scenario=name)[["scenario", *table.columns]])
    return {k: pd.concat(v, ignore_index=True) for k, v in blocks.items() if v}
