"""The facts of the collegevoorstel, computed once from an advice: per stream the one shortfall
measure without and with the plan, the plan's decisions per location, its money per year, the GOO
cost per place-day against the normbedrag, the wijken above the spread threshold, the contracts
that end. Numbers, codes and periods only: :mod:`onderdak.reporting.voorstel` puts them into words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from onderdak.io import reference

BUY_ACTIONS = {
    "purchase": "buy",
    "office_conversion": "buy",
    "municipal_building": "own",
    "flex_units": "build",
    "lease": "lease",
    "holiday_park": "lease",
    "hotel": "lease",
    "leegstandwet": "lease",
    "private_hosts": "lease",
    "coa_location": "coa",
}
"""Register kind → what the decision is: buy, build (flex units), lease, own building, COA site."""


def peildatum(advice: Any) -> pd.Period:
    return pd.Period(str(advice.case.peildatum), freq="M")


def due(month: str | pd.Period | None, peil: pd.Period) -> tuple[pd.Period, bool]:
    """The month a decision is due: ``month``, or the month after the peildatum when that is later
    (then the second value is True: the decision is overdue by the plan's lead times)."""
    first = peil + 1
    if month is None or str(month) in ("", "nan", "NaT"):
        return first, False
    when = pd.Period(str(month), freq="M")
    return (when, False) if when >= first else (first, True)


REGISTER_THEN_BUDGET = 6
"""Without candidates: months from the peildatum to the budget amendment with the plan (the
register completed in three months, the plan and its budget three months later)."""


def report_date() -> dt.date:
    return dt.date.today()


def _streams_of(value: Any) -> list[str]:
    """'ukraine:66.5;asylum:10' or 'ukraine;asylum' → ['ukraine', 'asylum']."""
    out = []
    for part in str(value or "").replace(",", ";").split(";"):
        code = part.split(":")[0].strip()
        if code and code != "nan":
            out.append(code)
    return out


def register(advice: Any) -> pd.DataFrame:
    """The location register (indexed by id)."""
    return advice.portfolio.register.table


def extensions(table: pd.DataFrame) -> set[str]:
    """Ids of candidates that extend a current location: the same address or the same coordinates
    as an existing or planned location (e.g. an AZC's contract after its end date)."""
    current = table[table["status"].isin(["existing", "planned"])]
    out = set()
    for i, r in table[table["status"] == "candidate"].iterrows():
        for col in ("address",):
            v = str(r.get(col, "") or "").strip()
            if v and v != "nan" and (current[col].astype(str).str.strip() == v).any():
                out.add(str(i))
        if {"x", "y"} <= set(table.columns) and pd.notna(r.get("x")) and pd.notna(r.get("y")):
            same = (current["x"] == r["x"]) & (current["y"] == r["y"])
            if same.any():
                out.add(str(i))
    return out


def nothing_to_plan(advice: Any) -> bool:
    """True when the register holds no candidate and the plan opens nothing: the advice then asks
    to complete the register instead of adopting a plan."""
    if advice.plan is None:
        return False
    opened = advice.plan.tables["plan"]["action"].eq("open").any()
    return not opened and not int((~advice.plan.portfolio.existing).sum())


def window_now(advice: Any) -> bool:
    """True when the plan's shortfall window starts at the peildatum or before it: the shortfall
    is counted from now on, so the report says "now" rather than naming that quarter."""
    window = pd.Period(str(advice.plan.summary["shortfall_window_from"]), freq="Q")
    return window.start_time <= peildatum(advice).end_time


def stream_chances(advice: Any) -> list[dict[str, Any]]:
    """Per stream of the plan: the chance of a shortfall without and with the plan (the one
    measure, :mod:`onderdak.need.shortfall`), the reliability asked and reached, the first month in
    which the chance of a shortfall in that month passes 10% without new locations, and whether
    that month is the first of the horizon (``now``: the shortfall is there already)."""
    gap = advice.portfolio.tables["gap_summary"]
    first = gap[gap["portfolio"] == "committed"].set_index("stream")["first_month_risk_over_10pct"]
    # the first month of the horizon (or the peildatum's) is no date to name: the shortfall is there
    now = max(peildatum(advice), pd.Period(advice.portfolio.need.periods[0], freq="M"))
    out = []
    for stream, v in advice.plan.summary["streams"].items():
        when = str(first.get(stream, "") or "")
        when = when if when and when != "nan" else ""
        out.append(
            {
                "stream": stream,
                "without": float(v["shortfall_chance_without_plan_share"]),
                "with_plan": float(v["shortfall_chance_share"]),
                "asked": float(v["reliability_asked_share"]),
                "reached": float(v["reliability_share"]),
                "from": when,
                "now": bool(when) and pd.Period(when, freq="M") <= now,
            }
        )
    return out


def decisions(advice: Any) -> list[dict[str, Any]]:
    """The plan's decisions per location: open, close or convert, each with its name, target
    groups, places, what it is (buy, build, lease, COA site), opening quarter and the month it must
    be decided (never before the month after the peildatum: then ``overdue`` is True)."""
    peil = peildatum(advice)
    reg = register(advice)
    extend = extensions(reg)
    t = advice.plan.tables["plan"]
    t = t[t["action"].isin(["open", "close", "convert"])].copy()
    out = []
    for r in t.itertuples():
        kind = str(reg.at[r.location_id, "kind"]) if r.location_id in reg.index else str(r.kind)
        when, overdue = due(r.decide_by if r.action == "open" else r.quarter, peil)
        out.append(
            {
                "id": r.location_id,
                "name": str(r.name),
                "action": r.action,
                "kind": kind,
                "form": "extend" if r.location_id in extend else BUY_ACTIONS.get(kind, "lease"),
                "status": str(r.status),
                "streams": _streams_of(r.streams) or _streams_of(reg.at[r.location_id, "streams"]),
                "places": float(r.places),
                "quarter": str(r.quarter),
                "decide": when,
                "overdue": overdue,
                "capex_eur": float(r.capex_eur or 0.0),
                "wijk_code": str(r.wijk_code or ""),
            }
        )
    return sorted(out, key=lambda d: (d["decide"], d["quarter"]))


def rejected_planned(advice: Any) -> list[str]:
    """Names of planned locations (a contract or commitment in preparation) the plan does not use."""
    t = advice.plan.tables["plan"]
    t = t[(t["action"] == "reject") & (t["status"] == "planned")]
    return [str(n) for n in t["name"]]


def ending(advice: Any) -> list[dict[str, Any]]:
    """Existing and planned locations whose term ends within the horizon: name, places, streams,
    last month in service."""
    reg = register(advice)
    periods = advice.portfolio.need.periods
    out = []
    for i, r in reg[reg["status"].isin(["existing", "planned"])].iterrows():
        until = r.get("available_until")
        if until is None or str(until) in ("", "nan", "NaT"):
            continue
        month = pd.Period(pd.Timestamp(until), freq="M")
        if periods[0] <= month < periods[-1]:
            out.append(
                {
                    "id": i,
                    "name": str(r["name"]),
                    "places": float(r["capacity_places"]),
                    "streams": _streams_of(r["streams"]),
                    "until": month,
                }
            )
    return sorted(out, key=lambda d: d["until"])


def _median(table: pd.DataFrame, portfolio: str, line: str) -> pd.Series:
    t = table[(table["portfolio"] == portfolio) & (table["line"] == line)]
    return t.set_index("year")["p50_eur"].astype(float)


def money(advice: Any) -> dict[str, Any]:
    """The financial paragraph's figures from the plan's money (:mod:`onderdak.plan.money`).

    Totals over the horizon are medians over the paths (as the plan's money table shows them);
    the yearly view of the begroting is the median per year of each line, with and without the plan.
    """
    m = advice.plan.money
    per_path = lambda portfolio, line: m.total(portfolio, line)  # noqa: E731
    med = lambda portfolio, line: float(np.median(per_path(portfolio, line)))  # noqa: E731
    years = [int(y) for y in m.with_plan.years]
    yearly = {}
    for portfolio in ("without_plan", "with_plan"):
        yearly[portfolio] = {
            line: _median(m.table, portfolio, line).reindex(years).fillna(0.0)
            for line in (
                "capex",
                "capital_charges",
                "costs_total",
                "income_total",
                "net_cost",
                "net_cost_capital_basis",
                "closing_cost",
                "emergency_recourse",
            )
        }
    capex = med("with_plan", "capex") - med("without_plan", "capex")
    first_year = years[0]
    charges = yearly["with_plan"]["capital_charges"] - yearly["without_plan"]["capital_charges"]
    full = charges[charges > 0]
    return {
        "years": years,
        "net_p50": med("with_plan", "net_cost"),
        "net_p10": float(np.quantile(per_path("with_plan", "net_cost"), 0.1)),
        "net_p90": float(np.quantile(per_path("with_plan", "net_cost"), 0.9)),
        "without_net_p50": med("without_plan", "net_cost"),
        "without_net_p90": float(np.quantile(per_path("without_plan", "net_cost"), 0.9)),
        "capex_eur": med("with_plan", "capex"),
        "capex_extra_eur": capex,
        "capital_charges_eur_per_year": round(float(full.max()), -3) if len(full) else 0.0,
        "capital_charge_years": int(advice.case.optimise.capital_charge_years),
        "discount_rate_share": float(advice.case.discount_rate_real_share),
        "income_normbedrag": med("with_plan", "income_normbedrag"),
        "income_coa_rent": med("with_plan", "income_coa_rent"),
        "income_spreidingswet": med("with_plan", "income_spreidingswet"),
        "income_total": med("with_plan", "income_total"),
        "costs_total": med("with_plan", "costs_total"),
        "closing_cost": med("with_plan", "closing_cost"),
        "emergency": med("with_plan", "emergency_recourse"),
        "net_capital_basis_year": {
            y: float(yearly["with_plan"]["net_cost_capital_basis"][y]) for y in years
        },
        "net_capital_basis_without_year": {
            y: float(yearly["without_plan"]["net_cost_capital_basis"][y]) for y in years
        },
        "structural_eur_per_year": round(
            float(np.mean([yearly["with_plan"]["net_cost_capital_basis"][y] for y in years[1:]])),
            -3,
        ),
        "first_year": first_year,
    }


def normbedrag_per_year(years: list[int]) -> tuple[dict[int, float], int]:
    """The GOO normbedrag (EUR per realised place-day) per year, the last published year's value
    carried forward; and that last published year."""
    t = reference.table("normbedrag").dropna(subset=["goo_eur_per_place_day"])
    t = t.sort_values("from")
    last = t.groupby("year")["goo_eur_per_place_day"].last()
    last_year = int(last.index.max())
    return {y: float(last.loc[min(y, last_year)]) for y in years}, last_year


def goo_cost(advice: Any, portfolio: str = "with_plan") -> dict[str, float]:
    """GOO cost per realised place-day of the plan's municipal Ukrainian sites, against the
    normbedrag: the sites' costs on the budget basis (capital charges in place of investments)
    over their realised place-days (the normbedrag income divided by the normbedrag of the year).
    Means over the paths; private hosts (paid per person) are left out."""
    b = advice.plan.money.budget(portfolio)
    norm, last_year = normbedrag_per_year([int(y) for y in b.years])
    rate = np.array([norm[int(y)] for y in b.years])
    income = b.lines["income_normbedrag"].mean(axis=0)  # (locations, years)
    reg = register(advice)
    kinds = np.array([str(reg.at[i, "kind"]) if i in reg.index else "" for i in b.ids])
    sites = (income.sum(axis=1) > 0) & (kinds != "private_hosts")
    if not sites.any():
        return {}
    costs = (
        b.location_total("costs_total").mean(axis=0)
        - b.lines["capex"].mean(axis=0)
        + b.lines["capital_charges"].mean(axis=0)
    )
    days = (income[sites] / rate[None]).sum()
    return {
        "cost_eur_per_place_day": float(costs[sites].sum() / max(days, 1e-9)),
        "normbedrag_eur_per_place_day": float(norm[int(b.years[0])]),
        "normbedrag_year": last_year,
    }


def wijk_loads(advice: Any) -> dict[str, Any]:
    """Places per 1,000 inhabitants per wijk now (existing and planned) and with the plan, and the
    wijken above the threshold (:func:`onderdak.geo.spread.spread_table`)."""
    place = advice.results.place
    if place is None:
        return {}
    now = place.spread
    rows = now[["wijk_code", "wijk_name", "places_per_1000_persons"]].copy()
    threshold = float(place.threshold_places_per_1000_persons)
    if advice.plan is not None:
        rows["with_plan"] = rows["wijk_code"].map(_plan_peak_places(advice)).fillna(0.0).to_numpy()
        rows["with_plan"] = (
            1000.0 * rows["with_plan"] / now["population_persons"].replace(0, np.nan)
        )
    else:
        rows["with_plan"] = rows["places_per_1000_persons"]
    rows = rows.rename(columns={"places_per_1000_persons": "now"})
    rows["now_times"] = rows["now"] / threshold
    rows["plan_times"] = rows["with_plan"] / threshold
    above = rows[(rows["now"] > threshold) | (rows["with_plan"] > threshold)]
    return {
        "threshold": threshold,
        "table": rows,
        "above": above.sort_values("with_plan", ascending=False),
    }


def _plan_peak_places(advice: Any) -> dict[str, float]:
    """Per wijk the most places the plan has in service in one quarter (a location that replaces
    another in the same wijk is not counted twice)."""
    result = advice.plan
    t = result.tables["plan"].set_index("location_id")
    ids = list(result.portfolio.ids)
    on = np.asarray(result.plan.in_service, dtype=float)  # (locations, quarters)
    per_wijk: dict[str, np.ndarray] = {}
    for k, loc in enumerate(ids):
        if loc not in t.index or t.at[loc, "action"] == "reject":
            continue
        wijk = str(t.at[loc, "wijk_code"] or "")
        if not wijk or wijk == "nan":
            continue
        per_wijk.setdefault(wijk, np.zeros(on.shape[1]))
        per_wijk[wijk] += on[k] * float(t.at[loc, "places"])
    reg = register(advice)
    fixed = reg[reg["status"].isin(["existing", "planned"]) & ~reg.index.isin(t.index)]
    for wijk, places in fixed.groupby("wijk_code")["capacity_places"].sum().items():
        per_wijk.setdefault(str(wijk), np.zeros(on.shape[1]))
        per_wijk[str(wijk)] += float(
            places
        )  # locations outside the plan's streams stay as they are
    return {w: float(v.max()) for w, v in per_wijk.items()}
