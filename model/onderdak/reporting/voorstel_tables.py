"""The collegevoorstel's tables: kanttekeningen en risico's with their measures, and the budget
per year (words from ``messages/<language>/voorstel.yaml``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from onderdak.reporting import voorstel_facts as vf
from onderdak.reporting.i18n import percent, stream_name, text
from onderdak.reporting.voorstel import join_items, streams_text


def risks_table(advice: Any, language: str = "nl") -> pd.DataFrame:
    """Kanttekeningen en risico's: each risk with its size and the measure that answers it."""
    rows: list[tuple[str, dict[str, Any]]] = []
    m = vf.money(advice) if advice.plan is not None and advice.plan.money is not None else None
    if m is not None:
        rows.append(
            (
                "inflow",
                {
                    "without": m["without_net_p50"],
                    "without_p90": m["without_net_p90"],
                    "nothing": vf.nothing_to_plan(advice),
                },
            )
        )
    if advice.plan is not None:
        nothing = vf.nothing_to_plan(advice)
        short = [c for c in vf.stream_chances(advice) if c["reached"] < c["asked"] - 1e-9]
        if nothing:
            rows.append(("no_candidates", {}))
        elif short:
            rows.append(
                (
                    "reliability",
                    {
                        "streams": streams_text([c["stream"] for c in short], language),
                        "reached": "; ".join(
                            f"{stream_name(c['stream'], language)} {percent(c['reached'], 0, language)}"
                            for c in short
                        ),
                    },
                )
            )
        decisions = vf.decisions(advice)
        overdue = [d["name"] for d in decisions if d["overdue"] and d["action"] == "open"]
        if overdue:
            rows.append(("overdue", {"names": join_items(overdue, language)}))
        goo = vf.goo_cost(advice) if advice.plan.money is not None else {}
        if goo:
            rows.append(
                (
                    "normbedrag",
                    {
                        "year": goo["normbedrag_year"],
                        "goo": goo["cost_eur_per_place_day"],
                        "norm": goo["normbedrag_eur_per_place_day"],
                    },
                )
            )
        bought = [d for d in decisions if d["form"] == "buy" and d["action"] == "open"]
        if bought:
            rows.append(
                (
                    "purchase",
                    {
                        "names": join_items([d["name"] for d in bought], language),
                        "capex": sum(d["capex_eur"] for d in bought),
                    },
                )
            )
    warnings = advice.portfolio.register.warnings if advice.portfolio.register else []
    if warnings:
        rows.append(("register", {"count": len(warnings)}))
    loads = vf.wijk_loads(advice)
    if loads and len(loads["above"]):
        rows.append(("wijk", {"names": join_items(list(loads["above"]["wijk_name"]), language)}))
    cols = [text(f"voorstel.risk.column.{c}", language) for c in ("risk", "size", "measure")]
    return pd.DataFrame(
        [
            [text(f"voorstel.risk.{k}.{c}", language, **f) for c in ("risk", "size", "measure")]
            for k, f in rows
        ],
        columns=cols,
    )


def budget_table(advice: Any, language: str = "nl", years: int = 4) -> pd.DataFrame:
    """The multi-year view for the budget amendment: net charges on the municipal budget per year
    (capital charges in place of investments), without and with the plan (medians)."""
    m = vf.money(advice)
    if vf.nothing_to_plan(advice):  # no plan: the current locations' charges only
        cols = [text(f"voorstel.money.column.{c}", language) for c in ("year", "current")]
        rows = [
            [str(y), round(m["net_capital_basis_without_year"][y], -3)] for y in m["years"][:years]
        ]
        return pd.DataFrame(rows, columns=cols)
    cols = [
        text(f"voorstel.money.column.{c}", language)
        for c in ("year", "without", "with", "difference")
    ]
    rows = []
    for y in m["years"][:years]:
        w, p = m["net_capital_basis_without_year"][y], m["net_capital_basis_year"][y]
        rows.append([str(y), round(w, -3), round(p, -3), round(p - w, -3)])
    return pd.DataFrame(rows, columns=cols)
