"""Figures, tables and the Dutch narrative of the business-case report (buying a building, reuse, flexibility)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from onderdak.business_case.evaluate import BusinessCase
from onderdak.reporting import i18n
from onderdak.reporting.notes_text import notes_text
from onderdak.reporting.style import ACCENT, NEUTRAL, number

MILLION = 1e6
GROUP_COLOURS = {
    "capex": "#2f4b7c",
    "opex": "#7aa6c2",
    "recourse": ACCENT,
    "reimbursement": "#3a8f5c",
    "end": "#bfbfbf",
    "reuse": "#d9822b",
}
"""The cost groups of the cash-flow chart (named by ``business_case.group_<group>``)."""
GROUPS = tuple(GROUP_COLOURS)
COMPONENT_GROUP = {
    "capex": "capex",
    "fixed_opex": "opex",
    "variable_opex": "opex",
    "recourse": "recourse",
    "reimbursement": "reimbursement",
    "end": "end",
    "residual": "end",
    "reuse_capex": "reuse",
    "reuse_income": "reuse",
    "reuse_cost": "reuse",
    "reuse_value": "reuse",
    "reuse_residual": "reuse",
}


def group_name(group: str, language: str | None = None) -> str:
    """A cost group's name in the report language."""
    return i18n.text(f"business_case.group_{group}", language)


def input_name(parameter: str, language: str | None = None) -> str:
    """A sensitivity input's name in the report language (the code itself if the catalog has none)."""
    key = f"business_case.input_{parameter}"
    return i18n.text(key, language) if key in i18n.catalog(i18n._lang(language)) else parameter


def words(key: str, language: str | None = None) -> str:
    """A word of the business-case figures and tables (``business_case.w_<key>``)."""
    return i18n.text(f"business_case.w_{key}", language)


def _m(x: float, _pos: object = None) -> str:
    return number(x / MILLION, 1)


def eur_millions(x: float) -> str:
    """€ 1,2 mln (Dutch) or €1.2 million (English), in the report language; "–" if not finite."""
    return i18n.millions(x) if np.isfinite(x) else i18n.DASH


def rate_text(x: float) -> str:
    """A rate as a percentage with one decimal (2,5% in Dutch)."""
    return i18n.percent(x, 1)


def percent(x: float) -> str:
    """A share as a whole percentage; "–" if not finite."""
    return i18n.percent(x) if np.isfinite(x) else i18n.DASH


def metric_value(bc: BusinessCase, alternative: str, metric: str, column: str = "mean") -> float:
    t = bc.table
    row = t[(t["alternative"] == alternative) & (t["metric"] == metric)]
    return float(row[column].iloc[0]) if len(row) else math.nan


def alternative_labels(bc: BusinessCase, language: str | None = None) -> dict[str, str]:
    """Alternative id → its name in the report language: the user's own name for an alternative of
    the case file, else the catalog's ``alternative.<id>`` with the alternative's label facts."""
    return {
        a.name: a.label or i18n.text(f"alternative.{a.name}", language, **a.label_facts)
        for a in bc.alternatives
    }


def ranking(bc: BusinessCase) -> list[str]:
    """Alternatives from the lowest to the highest expected net present cost."""
    return sorted(bc.results, key=lambda n: -float(bc.results[n].npv_eur.mean()))


def alternatives_table(bc: BusinessCase, language: str = "nl") -> pd.DataFrame:
    """One row per alternative (cheapest first): net present cost (€ mln) with its 80% band, chance of being
    cheapest, median cost per place-day and the equivalent annual net cost."""
    cols = [
        words(k, language)
        for k in (
            "alternative",
            "npv_mean",
            "p10",
            "p90",
            "chance_cheapest",
            "cost_per_place_day",
            "annuity",
        )
    ]
    rows = [
        (
            alternative_labels(bc, language)[n],
            -metric_value(bc, n, "npv_eur") / MILLION,
            metric_value(bc, n, "net_present_cost_eur", "p10") / MILLION,
            metric_value(bc, n, "net_present_cost_eur", "p90") / MILLION,
            metric_value(bc, n, "probability_cheapest_share"),
            metric_value(bc, n, "cost_per_place_day_eur", "p50"),
            metric_value(bc, n, "equivalent_annual_cost_eur_per_year") / MILLION,
        )
        for n in ranking(bc)
    ]
    return pd.DataFrame(rows, columns=cols).round(2)


def npv_distributions(bc: BusinessCase, language: str = "nl") -> Figure:
    """Net present cost per alternative on every path: box (p10–p90 whiskers) with the mean marked."""
    names = ranking(bc)[::-1]
    data = [-bc.results[n].npv_eur for n in names]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(names) + 1.6))
    ax.boxplot(
        data,
        orientation="horizontal",
        whis=(10, 90),
        showfliers=False,
        widths=0.55,
        patch_artist=True,
        boxprops={"facecolor": "#dbe6f1", "edgecolor": "#2f4b7c"},
        medianprops={"color": "#2f4b7c", "lw": 2},
    )
    ax.scatter(
        [d.mean() for d in data],
        np.arange(1, len(names) + 1),
        color=ACCENT,
        zorder=3,
        label=words("mean", language),
    )
    ax.set_yticks(
        np.arange(1, len(names) + 1),
        [alternative_labels(bc, language)[n] for n in names],
        fontsize=8,
    )
    ax.xaxis.set_major_formatter(FuncFormatter(_m))
    ax.axvline(0, color=NEUTRAL, lw=0.8)
    ax.set_xlabel(words("npv_axis", language))
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


def cash_flow_chart(
    bc: BusinessCase, alternative: str | None = None, language: str = "nl"
) -> Figure:
    """Expected cash flows per year over the building's life by phase (reception, conversion, reuse), with the cumulative net."""
    name = alternative or bc.location_alternative
    r = bc.results[name]
    years = np.array(bc.inputs.year_labels)
    grouped = {g: np.zeros(len(years)) for g in GROUPS}
    for comp, values in r.mean_flows_eur.items():
        grouped[COMPONENT_GROUP[comp]] += values
    fig, ax = plt.subplots(figsize=(10, 4.2))
    pos, neg = np.zeros(len(years)), np.zeros(len(years))
    for g, values in grouped.items():
        if not np.any(np.abs(values) > 0):
            continue
        up, down = np.clip(values, 0, None), np.clip(values, None, 0)
        ax.bar(
            years, up, bottom=pos, color=GROUP_COLOURS[g], width=0.8, label=group_name(g, language)
        )
        ax.bar(years, down, bottom=neg, color=GROUP_COLOURS[g], width=0.8)
        pos, neg = pos + up, neg + down
    ax2 = ax.twinx()
    ax2.plot(
        years,
        np.cumsum(sum(grouped.values())),
        color="black",
        lw=1.8,
        label=words("cumulative_net", language),
    )
    ax2.yaxis.set_major_formatter(FuncFormatter(_m))
    ax2.set_ylabel(words("cumulative_axis", language))
    ax2.grid(False)
    ax.axhline(0, color=NEUTRAL, lw=0.8)
    ax.yaxis.set_major_formatter(FuncFormatter(_m))
    ax.set_ylabel(words("per_year_axis", language))
    ax.set_title(alternative_labels(bc, language)[name], fontsize=10)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    fig.legend(h1 + h2, l1 + l2, loc="lower center", ncol=4, fontsize=8)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig


def typical_paths(bc: BusinessCase) -> dict[str, int]:
    """Paths whose switch month under the decision rule is at the 10th, 50th and 90th percentile."""
    end = bc.results[bc.location_alternative].end_month
    order = np.argsort(end, kind="stable")
    n = len(order)
    return {
        q: int(order[min(int(round(p * (n - 1))), n - 1)])
        for q, p in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9))
    }


def reuse_timeline(bc: BusinessCase, language: str = "nl") -> Figure:
    """The building's life on typical paths: hotel places before opening, reception, conversion, reuse."""
    rule, fixed = bc.results[bc.location_alternative], bc.results[bc.fixed_alternative]
    reuse = rule.alternative.reuse
    lead = reuse.lead_time_months if reuse is not None else 0
    months = bc.inputs.months
    start_year = bc.inputs.year_labels[0]
    rows = [
        (i18n.text("business_case.w_rule_path", language, path=q), rule, p)
        for q, p in typical_paths(bc).items()
    ]
    rows.append((words("fixed_plan", language), fixed, 0))
    colours = {"wait": ACCENT, "reception": "#2f4b7c", "conversion": "#bfbfbf", "reuse": "#d9822b"}
    names = {k: words(f"phase_{k}", language) for k in colours}
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(rows) + 1.6))
    for i, (_, result, path) in enumerate(rows):
        open_m, end = result.opening_month, int(result.end_month[path])
        spans = [("wait", 0, open_m), ("reception", open_m, end)]
        if end < months and reuse is not None:
            spans += [
                ("conversion", end, min(end + lead, months)),
                ("reuse", min(end + lead, months), months),
            ]
        for kind, a, b in spans:
            if b > a:
                ax.barh(i, (b - a) / 12, left=start_year + a / 12, color=colours[kind], height=0.6)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(start_year, start_year + months / 12)
    ax.legend(
        handles=[Patch(color=colours[k], label=names[k]) for k in colours],
        loc="lower center",
        bbox_to_anchor=(0.5, -0.45 - 0.02 * len(rows)),
        ncol=4,
        fontsize=8,
    )
    fig.tight_layout()
    return fig


def flexibility_figure(bc: BusinessCase, language: str = "nl") -> Figure:
    """Distribution over paths of NPV(decision rule) − NPV(fixed plan), with its mean."""
    f = bc.flexibility
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.hist(f.per_path_eur, bins=40, color="#7aa6c2", edgecolor="white")
    ax.axvline(
        f.mean_eur,
        color=ACCENT,
        lw=2,
        label=words("expected_value", language) + " " + eur_millions(f.mean_eur),
    )
    ax.axvline(0, color=NEUTRAL, lw=0.8)
    ax.xaxis.set_major_formatter(FuncFormatter(_m))
    ax.set_xlabel(words("flexibility_axis", language))
    ax.set_ylabel(words("paths", language))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def tornado_figure(bc: BusinessCase, language: str = "nl") -> Figure:
    """E[NPV] of buying (decision rule) with each input at its low and high value; widest bar on top."""
    t = bc.tornado.iloc[::-1]
    base = float(t["npv_base_eur"].iloc[0])
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(t) + 1.4))
    y = np.arange(len(t))
    ax.barh(
        y,
        t["npv_low_eur"] - base,
        left=base,
        color="#7aa6c2",
        label=words("low", language),
    )
    ax.barh(
        y,
        t["npv_high_eur"] - base,
        left=base,
        color="#2f4b7c",
        label=words("high", language),
    )
    ax.axvline(base, color="black", lw=1)
    ticks = [
        f"{input_name(p, language)} ({_fmt_input(lo, u)} – {_fmt_input(hi, u)})"
        for p, lo, hi, u in zip(
            t["parameter"], t["input_low"], t["input_high"], t["input_unit"], strict=True
        )
    ]
    ax.set_yticks(y, ticks, fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(_m))
    ax.set_xlabel(words("tornado_axis", language))
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def _fmt_input(value: float, unit: str) -> str:
    if unit == "eur":
        return eur_millions(value)
    if unit == "share":
        return i18n.percent(value, 1)
    if unit == "months":
        return i18n.text("business_case.months", None, n=value)
    return "×" + i18n.number(value, 2)


def break_even_table(bc: BusinessCase, language: str = "nl") -> pd.DataFrame:
    """Break-even values of buying (decision rule) against each other alternative, and the cost-covering normbedrag."""
    rows = []
    rule = bc.location_alternative
    for name in bc.results:
        if name in (rule, bc.fixed_alternative):
            continue
        f = metric_value(bc, name, "break_even_occupancy_factor")
        rows.append(
            {
                words("against", language): alternative_labels(bc, language)[name],
                words("break_even_occupancy", language): f,
                words("break_even_normbedrag", language): metric_value(
                    bc, name, "break_even_normbedrag_eur_per_place_day"
                ),
                words("buying_cheaper", language): bool(
                    metric_value(bc, rule, "npv_eur") > metric_value(bc, name, "npv_eur")
                ),
            }
        )
    return pd.DataFrame(rows)


def assumptions_table(bc: BusinessCase, language: str | None = None) -> pd.DataFrame:
    """Every assumption and sourced figure the business case used, one per row, in words."""
    header = i18n.text("business_case.col_assumption", language)
    return pd.DataFrame({header: notes_text(bc.assumptions, language)})
