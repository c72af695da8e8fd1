"""The advice's one-page summary of the assumptions its budget rests on, in the report language.

The full table (every sourced default and every assumption, :func:`onderdak.reporting.assumptions.
assumptions_table`) goes to the workbook; this page names the dozen figures that move the money,
says of each whether it is a published figure or an assumption ('aanname') and why it matters.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from onderdak.finance.cashflow import normbedrag_per_month
from onderdak.io.reference import table as reference_table
from onderdak.reporting.assumptions import ASSUMPTION
from onderdak.reporting.i18n import text

CASE_ROWS: tuple[tuple[str, str], ...] = (
    ("ukraine.financing_after_tpd_eur_per_place_day", "financing_after_tpd"),
    ("discount_rate_real_share", "discount_rate"),
    ("optimise.capital_charge_years", "capital_charge_years"),
    ("organisation.cost_per_fte_eur_per_year", "cost_per_fte"),
    ("municipality.ses_correction_share", "ses_correction"),
    ("status_holders.regular_supply_dwellings_per_month", "regular_supply"),
    ("status_holders.outflow_incentives", "outflow_incentives"),
    ("optimise.reliability_share", "reliability"),
)
"""The case's settings that move the money most: dotted path → message key
(``assumption.<key>.name``, ``.value`` over the fact ``v``, ``.why``)."""


def _field(case: Any, path: str) -> tuple[Any, bool]:
    """The case's value at a dotted path, and whether its description marks it as an assumption."""
    obj = case
    *parents, name = path.split(".")
    for p in parents:
        obj = getattr(obj, p)
    info = type(obj).model_fields[name]
    return getattr(obj, name), ASSUMPTION in (info.description or "")


def key_assumptions(advice: Any, language: str = "nl") -> pd.DataFrame:
    """The figures the advice's budget rests on: one row each, with its value and its status.

    Columns (in the report language): the figure, its value, its status ('aanname' or 'bron') and
    why it matters. Rows: the normbedrag and its continuation, the cost of emergency places, the
    running costs of the register, and the case's settings that move the money most.
    """
    case = advice.case
    assumed, sourced = (text(f"assumption.status.{k}", language) for k in ("assumed", "sourced"))
    rows: list[tuple[str, str, str, str]] = []

    def row(key: str, status: str, **facts: Any) -> None:
        rows.append(
            (
                text(f"assumption.{key}.name", language, **facts),
                text(f"assumption.{key}.value", language, **facts),
                status,
                text(f"assumption.{key}.why", language, **facts),
            )
        )

    norm = normbedrag_per_month(advice.portfolio.need.periods)
    table = pd.DataFrame(norm_table()).dropna(subset=["goo_eur_per_place_day"])
    last = table.iloc[-1]
    later = [y for y in norm.assumed_years if y > int(last["year"])]
    row(
        "normbedrag",
        assumed if later else sourced,
        v=float(last["goo_eur_per_place_day"]),
        year=int(last["year"]),
        later=later,
    )
    if advice.plan is not None:
        row("recourse", assumed, v=advice.plan.summary["recourse_cost_eur_per_place_month"])
    register = advice.portfolio.register
    notes = [n for n in getattr(register, "notes", []) if n.code.endswith("band")]
    filled = [n for n in getattr(register, "notes", []) if n.code.endswith("reference")]
    if notes or filled:
        row("running_costs", assumed, outside=len(notes), filled=len(filled))
    for path, key in CASE_ROWS:
        try:
            value, is_assumption = _field(case, path)
        except (AttributeError, KeyError):
            continue
        row(key, assumed if is_assumption else sourced, v=value)
    columns = [text(f"assumption.column.{c}", language) for c in ("name", "value", "status", "why")]
    return pd.DataFrame(rows, columns=columns)


def norm_table() -> pd.DataFrame:
    """The published normbedrag per year (data/reference)."""
    return reference_table("normbedrag")


def summary_sentence(advice: Any, table: pd.DataFrame, language: str = "nl") -> str:
    """'Van de 11 uitgangspunten zijn er 10 aannames; …': how much of the budget rests on assumptions."""
    assumed = text("assumption.status.assumed", language)
    return text(
        "assumption.summary",
        language,
        n=len(table),
        k=int((table.iloc[:, 2] == assumed).sum()),
        peil=str(advice.case.peildatum),
    )


def register_points(advice: Any, language: str = "nl") -> str:
    """The location register's warnings and cost notes in one or two sentences, by location name
    (the full list is in the workbook)."""
    import re

    register = advice.portfolio.register
    table = register.table
    notes = list(getattr(register, "notes", []))

    def names(ids: list[str]) -> list[str]:
        return [str(table.at[i, "name"]) if i in table.index else str(i) for i in ids]

    other = []
    for w in getattr(register, "warnings", []):
        m = re.match(r"\s*(\w+)\b", str(w))
        if m and m.group(1) in table.index and m.group(1) not in other:
            other.append(m.group(1))
    facts = {
        "low": names([n.location_id for n in notes if n.code == "running_cost_below_band"]),
        "high": names([n.location_id for n in notes if n.code == "running_cost_above_band"]),
        "filled": names([n.location_id for n in notes if n.code.endswith("reference")]),
        "other": names(other),
    }
    if not any(facts.values()):
        return ""
    return text("assumption.register_points", language, **facts)
