"""The money of the recommended plan: the municipal budget with the plan against without it.

The plan's decisions are written into the register (a candidate the plan opens becomes planned
from its opening quarter, with its lead time spent; one it leaves out drops out; an existing
location the plan closes ends the day before its closing quarter), and the budget of
:mod:`onderdak.portfolio.budget` runs on it: the same account per stream (who pays what) as everything else.
"Without plan" is the committed portfolio (existing and planned locations) as it stands.

Capital charges (kapitaallasten) spread each investment as an annuity at the case's real
discount rate over its depreciation period: flex units over the sourced ``flex_depreciation_years``
(sources.csv), other buildings over ``optimise.capital_charge_years`` (an assumption of the case).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from onderdak.case.settings import Case
from onderdak.core.ensemble import Need
from onderdak.core.notes import Note
from onderdak.finance.cashflow import annuity_factor
from onderdak.io import reference
from onderdak.io.reference import municipal_recourse
from onderdak.plan.inputs import recourse_cost_eur_per_place_month
from onderdak.portfolio.allocation import allocate, fill_order
from onderdak.portfolio.budget import budget
from onderdak.portfolio.ledger import Budget, assumption_codes, band_values, budget_table
from onderdak.register.locations import Register, capacity

PORTFOLIO_STATUSES = ("existing", "planned")
LINES = (
    "capex",
    "capital_charges",
    "fixed_opex",
    "variable_opex",
    "staff_locations",
    "staff_central",
    "closing_cost",
    "emergency_recourse",
    "income_normbedrag",
    "income_coa_rent",
    "income_spreidingswet",
    "income_outflow_incentive",
    "income_flex_subsidy",
    "costs_total",
    "income_total",
    "net_cost",
    "net_cost_capital_basis",
)
"""Lines of plan_money.csv: cash lines of the budget, and the net cost with capital charges in
place of the investments (the view of the municipal begroting)."""


@dataclass(frozen=True)
class PlanMoney:
    """Yearly money without and with the plan (``table``), and both budgets per path."""

    table: pd.DataFrame
    without: Budget
    with_plan: Budget

    def budget(self, portfolio: str) -> Budget:
        return self.without if portfolio == "without_plan" else self.with_plan

    def total(self, portfolio: str, line: str) -> np.ndarray:
        """(paths or 1,) a line of :data:`LINES` summed over the horizon, per path."""
        return _yearly(self.budget(portfolio), line).sum(axis=-1)


def _yearly(b: Budget, line: str) -> np.ndarray:
    """(paths or 1, years) a line of :data:`LINES` for the whole portfolio."""
    if line == "capital_charges":
        return b.lines["capital_charges"].sum(axis=1)
    if line == "net_cost_capital_basis":
        return b.portfolio_total("net_cost") - _yearly(b, "capex") + _yearly(b, "capital_charges")
    return b.portfolio_total(line)


def plan_register(register: Register, decisions: pd.DataFrame) -> Register:
    """The register as the plan leaves it (see the module note)."""
    t = register.table.copy()
    drop = set(t.index[t["status"].isin(["planned", "candidate"])])
    for r in decisions.itertuples():
        if r.location_id not in t.index:
            continue
        quarter = pd.Period(str(r.quarter), freq="Q") if r.quarter else None
        if r.action == "open" and quarter is not None:
            t.loc[r.location_id, "status"] = "planned"
            t.loc[r.location_id, "available_from"] = quarter.start_time.normalize()
            t.loc[r.location_id, "lead_time_months"] = 0
            drop.discard(r.location_id)
        elif r.action in ("close", "convert") and quarter is not None:
            t.loc[r.location_id, "available_until"] = (
                quarter.start_time - pd.Timedelta(days=1)
            ).normalize()
        elif r.action == "keep":
            drop.discard(r.location_id)
    return replace(register, table=t.drop(index=sorted(drop)))


def _budget(
    case: Case, need: Need, register: Register, committed: tuple[Any, Budget] | None = None
) -> Budget:
    """The budget of the register's committed locations, with the emergency option the
    municipality pays for need its places cannot hold (``emergency_recourse``, a central line).
    ``committed``: the (allocation, budget) the portfolio analysis made of the same register."""
    if committed is None:
        cap = capacity(register, need.periods, start=case.start, statuses=PORTFOLIO_STATUSES)
        alloc = allocate(need, cap, fill_order(register, cap, case.allocation_rule))
        b = budget(case, register, alloc)
    else:
        alloc, b = committed
    per_day = recourse_cost_eur_per_place_month(case.optimise) * 12.0 / 365.0
    days = np.asarray(need.periods.days_in_month, dtype=float)  # (months,)
    year_of = np.searchsorted(b.years, need.periods.year)
    short = np.zeros((alloc.paths, len(b.years)))
    for stream, gap in alloc.shortfall.items():  # (paths, months)
        if municipal_recourse(stream):
            np.add.at(short.T, year_of, gap.T * days[:, None] * per_day)
    return replace(
        b,
        central={**b.central, "emergency_recourse": short},
        assumptions={
            **b.assumptions,
            "emergency_recourse": (
                Note.of(
                    "budget_emergency_recourse",
                    eur_per_place_day=float(per_day),
                    recourse=case.optimise.recourse,
                ),
            ),
        },
    )


def capital_charges(case: Case, register: Register, b: Budget) -> np.ndarray:
    """(locations, years) annuity of each year's investment, from the year after it on."""
    t = register.table.loc[list(b.ids)]
    flex_years = int(reference.scalar("flex_depreciation_years"))
    years = np.where(
        t["kind"].to_numpy() == "flex_units", flex_years, case.optimise.capital_charge_years
    )
    rate = case.discount_rate_real_share
    capex = b.lines["capex"][0]  # (L, Y), the same on every path
    out = np.zeros_like(capex)
    n_years = capex.shape[1]
    for i, y in zip(*np.nonzero(capex), strict=True):
        charge = capex[i, y] / float(annuity_factor(rate, int(years[i])))
        end = min(n_years, y + 1 + int(years[i]))
        out[i, y + 1 : end] += charge
    return out


def plan_money(
    case: Case,
    need: Need,
    register: Register,
    decisions: pd.DataFrame,
    committed: tuple[Any, Budget] | None = None,
) -> PlanMoney:
    """Yearly money of the committed portfolio and of the plan, with bands over the paths.

    ``committed``: the portfolio analysis's (allocation, budget) of the committed locations, which
    is the budget without the plan (:func:`onderdak.portfolio.analysis.analyse_portfolio`), if at hand.

    Columns of ``table``: portfolio (``without_plan`` | ``with_plan``), year, line, mean_eur,
    p10_eur, p50_eur, p90_eur, assumption. Bands are taken over the per-path values.
    """
    registers = {"without_plan": register, "with_plan": plan_register(register, decisions)}
    budgets = {
        "without_plan": _budget(case, need, register, committed),
        "with_plan": _budget(case, need, registers["with_plan"]),
    }
    frames = []
    for name, b in budgets.items():
        cc = capital_charges(case, registers[name], b)
        b = replace(
            b,
            lines={**b.lines, "capital_charges": cc[None]},
            assumptions={
                **b.assumptions,
                "capital_charges": (
                    Note.of(
                        "budget_capital_charges",
                        rate=case.discount_rate_real_share,
                        years=case.optimise.capital_charge_years,
                        flex_years=int(reference.scalar("flex_depreciation_years")),
                    ),
                ),
            },
        )
        table = budget_table(b, per_location=False, portfolio=name)
        extra = _bands_of(b, name)
        frames.append(pd.concat([table, extra], ignore_index=True))
        budgets[name] = b
    table = pd.concat(frames, ignore_index=True)
    table = table[table["line"].isin(LINES)].drop(columns=["scope", "location_id"])
    order = {line: k for k, line in enumerate(LINES)}
    table = table.sort_values(
        ["portfolio", "line", "year"], key=lambda c: c.map(order) if c.name == "line" else c
    ).reset_index(drop=True)
    table.insert(0, "scenario", need.scenario)
    return PlanMoney(table, budgets["without_plan"], budgets["with_plan"])


def _bands_of(b: Budget, name: str) -> pd.DataFrame:
    """The lines budget_table does not hold (capital charges, emergency places, net cost on the
    budget basis), in its layout."""
    rows = []
    for line in ("capital_charges", "emergency_recourse", "net_cost_capital_basis"):
        frame = pd.DataFrame(
            {
                "scope": "portfolio",
                "location_id": "",
                "year": b.years,
                "line": line,
                **band_values(_yearly(b, line)),
            }
        )
        frame["assumption"] = assumption_codes(
            b, "emergency_recourse" if line == "emergency_recourse" else "capital_charges"
        )
        frame.insert(0, "portfolio", name)
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def horizon_totals(money: PlanMoney) -> pd.DataFrame:
    """Per portfolio and line of :data:`LINES`, the total over the horizon (mean and band over
    the paths)."""
    rows = []
    for name in ("without_plan", "with_plan"):
        for line in LINES:
            bands = band_values(money.total(name, line)[:, None])
            rows.append(
                {"portfolio": name, "line": line, **{k: float(v[0]) for k, v in bands.items()}}
            )
    return pd.DataFrame(rows)
