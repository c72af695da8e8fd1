"""The location portfolio of one scenario analysed: capacity, allocation, gap and money, as tidy tables.

Two portfolios are analysed side by side: ``committed`` (existing and planned locations: what the
municipality has and has decided) and ``with_candidates`` (also every candidate, opened after its
lead time). Allocation and money use the case's ``allocation_rule``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from onderdak.case.settings import Case
from onderdak.core.ensemble import Need
from onderdak.core.streams import STREAMS
from onderdak.io.reference import table
from onderdak.portfolio.allocation import (
    DAYS_PER_YEAR,
    Allocation,
    allocate,
    fill_order,
    gap_summary,
    gap_table,
    planned_cost_eur_per_place_day,
)
from onderdak.portfolio.budget import budget
from onderdak.portfolio.ledger import Budget, budget_table
from onderdak.register.locations import Capacity, Register, capacity, load_register

PORTFOLIOS = {
    "committed": ("existing", "planned"),
    "with_candidates": ("existing", "planned", "candidate"),
}
"""Portfolio name -> statuses it includes."""


@dataclass(frozen=True)
class PortfolioRun:
    """One portfolio of one scenario: its capacity, allocation and budget."""

    name: str
    capacity: Capacity
    allocation: Allocation
    budget: Budget
    planned_cost_eur_per_place_day: np.ndarray


@dataclass(frozen=True)
class PortfolioAnalysis:
    """Everything the portfolio report shows for one scenario."""

    case: Case
    need: Need
    register: Register
    runs: dict[str, PortfolioRun]
    tables: dict[str, pd.DataFrame]


def analyse_portfolio(
    case: Case, need: Need, register: Register | None = None
) -> PortfolioAnalysis:
    """Capacity, allocation, gap and budget of the committed portfolio and the one with candidates.

    Parameters
    ----------
    case : Case
    need : Need
        From :func:`onderdak.need.demand.municipal_need` (or synthetic), same periods as ``case.periods``.
    register : Register, optional
        Default: the case's register (:func:`onderdak.register.locations.load_register`).

    Returns
    -------
    PortfolioAnalysis
        ``tables`` holds capacity, gap, gap_summary, locations, budget, cost_comparison and
        register_warnings (see :func:`portfolio_tables`).
    """
    register = register if register is not None else load_register(case)
    runs = {}
    for name, statuses in PORTFOLIOS.items():
        cap = capacity(register, need.periods, start=case.start, statuses=statuses)
        order = fill_order(register, cap, case.allocation_rule)
        alloc = allocate(need, cap, order)
        runs[name] = PortfolioRun(
            name,
            cap,
            alloc,
            budget(case, register, alloc),
            planned_cost_eur_per_place_day(register, cap),
        )
    located = {n: location_table(register, r) for n, r in runs.items()}  # once per portfolio
    tables = {
        "capacity": capacity_table(runs["with_candidates"].capacity, need.units),
        "gap": pd.concat(
            [gap_table(r.allocation, need.units, portfolio=n) for n, r in runs.items()],
            ignore_index=True,
        ),
        "gap_summary": pd.concat(
            [gap_summary(r.allocation, need.units, portfolio=n) for n, r in runs.items()],
            ignore_index=True,
        ),
        "locations": pd.concat(
            [t.assign(portfolio=n)[["portfolio", *t.columns]] for n, t in located.items()],
            ignore_index=True,
        ),
        "budget": pd.concat(
            [budget_table(r.budget, portfolio=n) for n, r in runs.items()], ignore_index=True
        ),
        "cost_comparison": cost_comparison(located["with_candidates"]),
    }
    for frame in tables.values():  # so that scenarios can be stacked in one CSV
        frame.insert(0, "scenario", need.scenario)
    tables["register_warnings"] = pd.DataFrame(
        {
            "code": [w.code for w in register.warnings],
            "location_id": [w.location_id for w in register.warnings],
        },
        dtype=object,
    )
    return PortfolioAnalysis(case=case, need=need, register=register, runs=runs, tables=tables)


def portfolio_tables(
    case: Case, need: Need, register: Register | None = None
) -> dict[str, pd.DataFrame]:
    """The tidy result tables of the portfolio for ``onderdak run`` (units in column names).

    Returns
    -------
    dict
        Every table but the warnings starts with a ``scenario`` column (``need.scenario``).
        ``capacity`` (usable places per stream, status and month), ``gap`` (per portfolio, stream and
        month), ``gap_summary`` (per portfolio and stream), ``locations`` (results per location),
        ``budget`` (yearly money with bands), ``cost_comparison`` (EUR per occupied place-day per
        location against reference costs), ``register_warnings``.
    """
    return analyse_portfolio(case, need, register).tables


def capacity_table(cap: Capacity, units: dict[str, str] | None = None) -> pd.DataFrame:
    """capacity.csv: stream, status, period, unit, capacity (usable) and nominal_capacity per month.

    A location serving several streams counts in full for each of them.
    """
    frames = []
    for s in STREAMS:
        idx = cap.serving(s)
        for status in ("existing", "planned", "candidate"):
            keep = [i for i in idx if cap.status[i] == status]
            frames.append(
                pd.DataFrame(
                    {
                        "stream": s,
                        "status": status,
                        "period": cap.periods.strftime("%Y-%m"),
                        "unit": (units or {}).get(s, "places"),
                        "capacity": cap.places[keep].sum(axis=0) if keep else 0.0,
                        "nominal_capacity": cap.nominal[keep].sum(axis=0) if keep else 0.0,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def location_table(register: Register, run: PortfolioRun, **labels: str) -> pd.DataFrame:
    """locations.csv: one row per location of a portfolio with occupancy and money over the horizon (means over paths)."""
    cap, alloc, b = run.capacity, run.allocation, run.budget
    t = register.table.loc[list(cap.ids)]
    n = len(cap.ids)
    days = cap.periods.days_in_month.to_numpy(dtype=float)
    occupied_months = np.zeros(n)
    occupied_days = np.zeros(n)
    for s, idx in alloc.locations.items():
        mean_tn = alloc.occupied_by_month[s].mean(axis=2, dtype=np.float64)  # (months, n_s)
        occupied_months[idx] += mean_tn.sum(axis=0)
        occupied_days[idx] += days @ mean_tn
    usable_months = cap.places.sum(axis=1)
    rank = np.empty(n, dtype=int)
    rank[alloc.order] = np.arange(1, n + 1)

    def horizon_mean(line: str) -> np.ndarray:
        return b.location_total(line).sum(axis=2).mean(axis=0)

    net = b.location_total("net_cost").sum(axis=2)
    costs = horizon_mean("costs_total")
    with np.errstate(divide="ignore", invalid="ignore"):
        per_day = np.where(occupied_days > 0, costs / occupied_days, np.nan)
        net_per_day = np.where(occupied_days > 0, net.mean(axis=0) / occupied_days, np.nan)
        occupancy = np.where(usable_months > 0, occupied_months / usable_months, np.nan)
    out = pd.DataFrame(
        {
            **labels,
            "location_id": list(cap.ids),
            "name": t["name"].to_numpy(),
            "status": t["status"].to_numpy(),
            "kind": t["kind"].to_numpy(),
            "streams": t["streams"].to_numpy(),
            "wijk_code": t["wijk_code"].to_numpy(),
            "opening_period": [p.strftime("%Y-%m") if p is not None else "" for p in cap.opening],
            "closing_period": [p.strftime("%Y-%m") if p is not None else "" for p in cap.closing],
            "capacity_places": t["capacity_places"].to_numpy(),
            "usable_places": (t["capacity_places"] * t["occupancy_norm_share"]).to_numpy(),
            "fill_rank": rank,
            "planned_cost_eur_per_place_day": run.planned_cost_eur_per_place_day,
            "occupied_place_days_mean": occupied_days,
            "occupancy_mean_share": occupancy,
            "empty_place_months_mean": usable_months - occupied_months,
            "capex_eur": horizon_mean("capex"),
            "fixed_opex_eur": horizon_mean("fixed_opex"),
            "variable_opex_eur_mean": horizon_mean("variable_opex"),
            "staff_eur_mean": horizon_mean("staff_locations"),
            "closing_cost_eur": horizon_mean("closing_cost"),
            "income_eur_mean": horizon_mean("income_total"),
            "net_cost_eur_mean": net.mean(axis=0),
            "net_cost_eur_p10": np.quantile(net, 0.10, axis=0),
            "net_cost_eur_p90": np.quantile(net, 0.90, axis=0),
            "cost_eur_per_occupied_place_day": per_day,
            "net_cost_eur_per_occupied_place_day": net_per_day,
            "market_value_eur": t["market_value_eur"].to_numpy(),
        }
    )
    return out


REFERENCE_ITEMS = {
    "coa_regular_2023": "COA regulier (2023)",
    "coa_emergency_2023": "COA noodopvang (2023)",
    "hotel_khn": "Hotel (KHN-tarief)",
    "goo_normbedrag_2025": "Normbedrag GOO (2025)",
    "goo_g4_actual_high": "Werkelijke GOO-kosten G4 (hoog)",
}
"""Reference costs (data/reference/reference_costs.csv) shown beside the locations, with their Dutch labels."""


def cost_comparison(locations: pd.DataFrame) -> pd.DataFrame:
    """EUR per occupied place-day per location (with candidates), beside reference costs.

    Columns: kind (``location`` | ``reference``), key, label, eur_per_place_day, source.
    """
    used = locations[locations["occupied_place_days_mean"] > 0]
    rows = pd.DataFrame(
        {
            "kind": "location",
            "key": used["location_id"],
            "label": used["name"],
            "eur_per_place_day": used["cost_eur_per_occupied_place_day"],
            "source": "register",
        }
    )
    ref = table("reference_costs").set_index("item")
    keep = [k for k in REFERENCE_ITEMS if k in ref.index]
    refs = pd.DataFrame(
        {
            "kind": "reference",
            "key": keep,
            "label": [REFERENCE_ITEMS[k] for k in keep],
            "eur_per_place_day": ref.loc[keep, "eur_per_place_day"].to_numpy(dtype=float),
            "source": [f"{ref.at[k, 'source']}, {ref.at[k, 'date']}" for k in keep],
        }
    )
    return pd.concat([rows, refs], ignore_index=True)


__all__ = [
    "DAYS_PER_YEAR",
    "PORTFOLIOS",
    "PortfolioAnalysis",
    "PortfolioRun",
    "analyse_portfolio",
    "capacity_table",
    "cost_comparison",
    "location_table",
    "portfolio_tables",
]
