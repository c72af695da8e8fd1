"""Tables of the investment plan: its decisions with their dates and reasons, the reliability
trade-off, the shortfall per stream and the money with and without the plan."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from onderdak.plan.build import OptimiseResult
from onderdak.reporting import i18n
from onderdak.reporting.plan import MONEY_ROWS, money_row, plan_word, plan_words, uniform_level
from onderdak.reporting.style import euro, period_name
from onderdak.reporting.voorstel_facts import due


def decide_by_after(months: pd.Series, peildatum: str) -> pd.Series:
    """Each decide-by month ('YYYY-MM'), or the month after the peildatum when that is later:
    the rule of the besluitpunten and the deck (:func:`onderdak.reporting.voorstel_facts.due`). An
    empty month stays empty."""
    peil = pd.Period(str(peildatum), freq="M")
    return months.map(
        lambda m: str(due(m, peil)[0]) if isinstance(m, str) and m and m != "nan" else m
    )


def decisions_display(
    result: OptimiseResult,
    language: str = "nl",
    brief: bool = False,
    peildatum: str | None = None,
) -> pd.DataFrame:
    """The decision table for the report: used locations first, columns in the report language.

    ``brief``: only the locations the plan uses, without cost and reasons (the advice; the plan
    report has the whole table). ``peildatum`` ('YYYY-MM'): a decision due before the month
    after it is shown in that month, as in the besluitpunten (:func:`decide_by_after`).
    """
    w = plan_words(language)
    t = result.tables["plan"].copy()
    if peildatum:
        t["decide_by"] = decide_by_after(t["decide_by"], peildatum)
    if brief:
        t = t[t["action"] != "reject"]
    t["action"] = t["action"].map(lambda a: w.get(a, a))
    columns = {
        "location_id": "id",
        "name": plan_word("dcol_name", language),
        "action": plan_word("dcol_action", language),
        "quarter": plan_word("dcol_quarter", language),
        "decide_by": w["decide_by"],
        "places": plan_word("dcol_places", language),
        "capex_eur": plan_word("dcol_capex", language),
        "cost_pv_eur": plan_word("dcol_cost_pv", language),
        "why": plan_word("dcol_why", language),
    }
    if brief:  # the advice: locations by name
        columns.pop("location_id")
        columns.pop("cost_pv_eur")
        columns.pop("why")
    else:
        t["why"] = [why_text(c, f, language) for c, f in zip(t["why"], t["why_facts"], strict=True)]
    for col in ("quarter", "decide_by"):  # months and quarters in words
        t[col] = t[col].map(lambda v: period_name(str(v), language) if v and v == v else "")
    return t[list(columns)].rename(columns=columns)


def why_text(codes: str, facts: str | dict, language: str | None = None) -> str:
    """The decision table's reason in words: each code of ``why`` (``;``-separated) through
    ``why.<code>`` of the catalog, with the figures of ``why_facts`` (JSON)."""

    values = json.loads(facts) if isinstance(facts, str) else dict(facts)
    return "; ".join(
        i18n.text(f"why.{code}", language, **values) for code in str(codes).split(";") if code
    )


def step_up(result: OptimiseResult) -> tuple[pd.Series, pd.Series] | None:
    """The chosen level and the next cheaper feasible level below it (or the next above)."""
    t = result.tables["tradeoff"]
    chosen = uniform_level(result)
    if t.empty or chosen is None:
        return None
    t = t[t["feasible"]].sort_values("reliability_share")
    here = t[np.isclose(t["reliability_share"], chosen)]
    below = t[t["reliability_share"] < chosen - 1e-9]
    above = t[t["reliability_share"] > chosen + 1e-9]
    if here.empty or (below.empty and above.empty):
        return None
    return (below.iloc[-1], here.iloc[0]) if len(below) else (here.iloc[0], above.iloc[0])


def tradeoff_display(result: OptimiseResult, language: str | None = None) -> pd.DataFrame:
    """The cost–reliability table for the reader: per reliability asked, whether a plan meets it,
    its expected cost, investment, places opened and chance of a shortfall per target group."""

    t = result.tables["tradeoff"]

    def col(key: str, **facts: object) -> str:
        return i18n.text(f"plan.col_{key}", language, **facts)

    def status(row: pd.Series) -> str:
        if not bool(row["feasible"]):
            return col("infeasible")
        return col("optimal" if str(row.get("note", "")).startswith("optimal") else "time_limit")

    out = pd.DataFrame(
        {
            col("reliability"): [i18n.percent(v, 0, language) for v in t["reliability_share"]],
            col("solution"): [status(r) for _, r in t.iterrows()],
            col("expected_cost"): t["expected_cost_eur"],
            col("capex"): t["capex_eur"],
            col("places_opened"): t["places_opened"],
        }
    )
    for c in t.columns:
        if c.startswith("shortfall_chance_") and c.endswith("_share"):
            stream = c.removeprefix("shortfall_chance_").removesuffix("_share")
            out[col("shortfall_chance", stream=stream)] = [
                i18n.percent(v, 1, language) for v in t[c]
            ]
    return out


def shortfall_table(result: OptimiseResult) -> pd.DataFrame:
    """Per stream, the one shortfall measure without and with the plan (for the workbook)."""
    s = result.summary
    return pd.DataFrame(
        [
            {
                "stream": stream,
                "window_from": s["shortfall_window_from"],
                "shortfall_chance_without_plan_share": v["shortfall_chance_without_plan_share"],
                "shortfall_chance_with_plan_share": v["shortfall_chance_share"],
                "reliability_share": v["reliability_share"],
                "reliability_asked_share": v["reliability_asked_share"],
                "capacity_max_places": v["capacity_max_places"],
                "need_p90_max_places": v["need_p90_max_places"],
            }
            for stream, v in s["streams"].items()
        ]
    )


_MONEY_PARTS = {
    "running": ("fixed_opex", "variable_opex", "staff_locations", "staff_central"),
    "income_status_holders": ("income_outflow_incentive", "income_flex_subsidy"),
}


def money_total(result: OptimiseResult, portfolio: str, row: str) -> np.ndarray:
    """Per path, the total over the horizon of one row of the money table."""
    lines = _MONEY_PARTS.get(row, (row,))
    return sum(result.money.total(portfolio, line) for line in lines)


def money_display(result: OptimiseResult, language: str = "nl") -> pd.DataFrame:
    """The plan's money over the horizon: without and with the plan (median), with the plan's 80% band."""
    out = []
    for key in MONEY_ROWS:
        without = money_total(result, "without_plan", key)
        with_ = money_total(result, "with_plan", key)
        if not (np.abs(without).max() > 0 or np.abs(with_).max() > 0):
            continue
        p10, p50, p90 = np.quantile(with_, [0.1, 0.5, 0.9])
        out.append(
            {
                plan_word("mcol_line", language): money_row(key, language),
                plan_word("mcol_without", language): euro(float(np.median(without))),
                plan_word("mcol_with", language): euro(float(p50)),
                plan_word("mcol_band", language): (
                    plan_word("money_band", language, low=float(p10), high=float(p90))
                    if p90 - p10 > 1.0
                    else ""
                ),
            }
        )
    return pd.DataFrame(out)
