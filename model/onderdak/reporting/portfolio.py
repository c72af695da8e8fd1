"""Figures, tables and the Dutch narrative of the portfolio report: capacity against need, shortfall risk, timeline, cost and budget."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from onderdak.core.streams import STREAMS
from onderdak.need.shortfall import SHORT_PLACES
from onderdak.portfolio.analysis import PortfolioAnalysis
from onderdak.portfolio.ledger import INCOME_LINES, LINES
from onderdak.reporting import i18n
from onderdak.reporting.i18n import label
from onderdak.reporting.notes_text import note_text
from onderdak.reporting.register_text import notes_text, warnings_text
from onderdak.reporting.style import (
    ACCENT,
    BAND_ALPHA,
    NEUTRAL,
    STATUS_COLOURS,
    STREAM_COLOURS,
    euro,
    short_name,
    thousands,
)

WORD_KEYS = (
    "committed",
    "with_candidates",
    "with_plan",
    "without_plan",
    "risk",
    "places_per_day",
    "full",
    "realised",
    "eur_year",
    "net_cost",
    "no_warnings",
    "warning",
)
"""The words of the figures and tables (``portfolio.w_<key>`` in the message catalogs)."""

COST_COLOURS = {
    "capex": "#2f4b7c",
    "fixed_opex": "#7aa6c2",
    "variable_opex": "#a5c8e1",
    "closing_cost": "#bfbfbf",
    "staff": "#8c6d31",
    "income_normbedrag": "#3a8f5c",
    "income_coa_rent": "#d9822b",
    "income_spreidingswet": "#e8b04b",
    "income_outflow_incentive": "#7fbf7b",
    "income_flex_subsidy": "#c2a5cf",
}


def _w(language: str) -> dict[str, str]:
    return {k: i18n.text(f"portfolio.w_{k}", language) for k in WORD_KEYS}


def line_labels(language: str) -> dict[str, str]:
    """The budget lines' names (``portfolio.line_<line>``) in the report language, in the order
    of budget.csv (:data:`onderdak.portfolio.budget.LINES`)."""
    return {k: i18n.text(f"portfolio.line_{k}", language) for k in LINES}


def _x(periods: pd.PeriodIndex) -> np.ndarray:
    return periods.to_timestamp().to_numpy()


def plan_capacity(plan: Any, periods: pd.PeriodIndex) -> dict[str, np.ndarray]:
    """The plan's capacity per stream and month (its quarterly capacity held through the quarter)."""
    quarters = list(plan.need.quarters)
    where = {q: k for k, q in enumerate(quarters)}
    idx = np.array([where.get(p.asfreq("Q"), -1) for p in periods])
    out = {}
    for si, stream in enumerate(plan.need.streams):
        cap = np.asarray(plan.plan.capacity_places[si], dtype=float)
        out[stream] = np.where(idx >= 0, cap[np.clip(idx, 0, None)], np.nan)
    return out


def capacity_need_figure(
    analysis: PortfolioAnalysis, language: str = "nl", plan: Any = None
) -> Figure:
    """Need per stream (median, 80% and 90% bands) against usable capacity: the committed
    portfolio and, with ``plan`` (an OptimiseResult), the plan's capacity (else with candidates)."""
    need, periods = analysis.need, analysis.need.periods
    x = _x(periods)
    streams = [s for s in STREAMS if s in need.streams]
    fig, axes = plt.subplots(
        len(streams), 1, figsize=(9, 2.6 * len(streams)), sharex=True, squeeze=False
    )
    for ax, s in zip(axes[:, 0], streams, strict=True):
        colour = STREAM_COLOURS.get(s, NEUTRAL)
        q = np.quantile(need.streams[s], [0.05, 0.10, 0.50, 0.90, 0.95], axis=0)
        ax.fill_between(
            x, q[0], q[4], color=colour, alpha=BAND_ALPHA[0], lw=0, label=label("band_90", language)
        )
        ax.fill_between(
            x, q[1], q[3], color=colour, alpha=BAND_ALPHA[1], lw=0, label=label("band_80", language)
        )
        ax.plot(
            x,
            q[2],
            color=colour,
            lw=2,
            label=f"{label('need', language)} ({label('median', language)})",
        )
        shown = ("committed",) if plan is not None else ("committed", "with_candidates")
        for name, style in zip(shown, ("-", "--"), strict=False):
            cap = analysis.runs[name].capacity.by_stream(s)
            ax.step(
                x,
                cap,
                where="post",
                color=NEUTRAL,
                ls=style,
                lw=1.6,
                label=f"{label('capacity', language)}: {_w(language)[name]}",
            )
        if plan is not None and s in plan.need.streams:
            ax.step(
                x,
                plan_capacity(plan, periods)[s],
                where="post",
                color="black",
                lw=2.2,
                label=f"{label('capacity', language)}: {_w(language)['with_plan']}",
            )
        ax.set_title(label(s, language))
        ax.set_ylabel(label(need.units.get(s, "places"), language))
        ax.yaxis.set_major_formatter(FuncFormatter(thousands))
        ax.set_ylim(bottom=0)
    axes[0, 0].legend(loc="upper right", fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def shortfall_strip_figure(
    analysis: PortfolioAnalysis,
    portfolio: str = "committed",
    language: str = "nl",
    plan: Any = None,
) -> Figure:
    """P(shortfall) per stream and month as a strip of colour (white 0% to red 100%); with
    ``plan`` (an OptimiseResult) a row per stream of the plan beneath, the plan's capacity held
    against every path's need (a month is short at :data:`onderdak.need.shortfall.SHORT_PLACES`)."""
    gap = analysis.tables["gap"]
    gap = gap[gap["portfolio"] == portfolio]
    streams = [s for s in STREAMS if s in set(gap["stream"])]
    prob = np.vstack(
        [gap.loc[gap["stream"] == s, "shortfall_probability_share"].to_numpy() for s in streams]
    )
    periods = analysis.need.periods
    names = [label(s, language).split(" (")[0] for s in streams]
    if plan is not None:
        w = _w(language)
        names = [f"{n}, {w['without_plan']}" for n in names]
        caps = plan_capacity(plan, periods)
        rows = []
        for s in [s for s in streams if s in caps]:
            short = analysis.need.streams[s] - caps[s][None, :] >= SHORT_PLACES
            rows.append(short.mean(axis=0))
            names.append(f"{label(s, language).split(' (')[0]}, {w['with_plan']}")
        prob = np.vstack([prob, *rows])
        streams = [*streams, *[s for s in streams if s in caps]]
    fig, ax = plt.subplots(figsize=(9, 0.6 + 0.55 * len(streams)))
    cmap = LinearSegmentedColormap.from_list("risk", ["#ffffff", "#f2c6c6", ACCENT])
    image = ax.imshow(prob, aspect="auto", cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    ax.set_yticks(range(len(streams)), names)
    ticks = [i for i, p in enumerate(periods) if p.month == 1]
    ax.set_xticks(ticks, [str(periods[i].year) for i in ticks])
    ax.grid(False)
    for row in range(len(streams)):
        risky = np.flatnonzero(prob[row] > 0.10)
        if risky.size:
            ax.plot(risky[0], row, marker="v", color="black", ms=6)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
    bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(
        _w(language)["risk"].capitalize()
        + ("" if plan is not None else f" ({_w(language)[portfolio]})")
    )
    fig.tight_layout()
    return fig


def timeline_figure(analysis: PortfolioAnalysis, language: str = "nl") -> Figure:
    """Gantt chart: when each location (candidates included) is open, coloured by status, labelled with its places."""
    locs = analysis.tables["locations"]
    locs = locs[locs["portfolio"] == "with_candidates"].iloc[::-1]
    periods = analysis.need.periods
    first, end = periods[0].to_timestamp(), (periods[-1] + 1).to_timestamp()
    fig, ax = plt.subplots(figsize=(9, 0.9 + 0.36 * len(locs)))
    for row, (_, loc) in enumerate(locs.iterrows()):
        if not loc["opening_period"]:
            continue
        start = pd.Period(loc["opening_period"], freq="M").to_timestamp()
        stop = (
            (pd.Period(loc["closing_period"], freq="M") + 1).to_timestamp()
            if loc["closing_period"]
            else end
        )
        ax.barh(
            row,
            stop - start,
            left=start,
            height=0.65,
            color=STATUS_COLOURS.get(loc["status"], NEUTRAL),
        )
        ax.text(
            start,
            row,
            f" {loc['capacity_places']:.0f}",
            va="center",
            ha="left",
            fontsize=7,
            color="white" if loc["status"] == "existing" else "black",
        )
    ax.set_yticks(
        range(len(locs)),
        [short_name(n, 34) for n in locs["name"]],  # names, not register codes
        fontsize=7,
    )
    ax.set_xlim(first, end)
    ax.grid(axis="y", visible=False)
    handles = [
        Patch(color=STATUS_COLOURS[s], label=label(s, language))
        for s in ("existing", "planned", "candidate")
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def cost_figure(analysis: PortfolioAnalysis, language: str = "nl") -> Figure:
    """Cost per place-day per location (at full occupancy and as realised) beside reference costs.

    COA locations are left out: their running costs are COA's, not the municipality's.
    """
    w = _w(language)
    locs = analysis.tables["locations"]
    locs = locs[(locs["portfolio"] == "with_candidates") & (locs["kind"] != "coa_location")]
    locs = locs.sort_values("planned_cost_eur_per_place_day", ascending=False)
    refs = analysis.tables["cost_comparison"]
    refs = refs[refs["kind"] == "reference"]
    fig, ax = plt.subplots(figsize=(10.5, 1.0 + 0.34 * len(locs)))
    y = np.arange(len(locs))
    colours = [STREAM_COLOURS.get(s.split(";")[0], NEUTRAL) for s in locs["streams"]]
    ax.barh(y, locs["planned_cost_eur_per_place_day"], color=colours, alpha=0.55, label=w["full"])
    realised = locs["cost_eur_per_occupied_place_day"].to_numpy(dtype=float)
    ax.plot(realised, y, "o", color="black", ms=4, label=w["realised"])
    top = np.nanmax(
        [
            locs["planned_cost_eur_per_place_day"].max(),
            np.nanmax(realised) if np.isfinite(realised).any() else 0,
            refs["eur_per_place_day"].max(),
        ]
    )
    styles = [":", "--", "-.", (0, (1, 3)), (0, (5, 2, 1, 2))]
    for k, (_, ref) in enumerate(refs.iterrows()):
        ax.axvline(
            ref["eur_per_place_day"],
            color=ACCENT if "normbedrag" in ref["key"] else NEUTRAL,
            ls=styles[k % len(styles)],
            lw=1.2,
            label=f"{ref['label']}: {euro(ref['eur_per_place_day'])}",
        )
    ax.set_yticks(y, [short_name(n) for n in locs["name"]], fontsize=8)
    ax.set_xlim(0, min(top * 1.05, 400))
    ax.set_xlabel(w["places_per_day"])
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    fig.tight_layout()
    return fig


def budget_figure(
    analysis: PortfolioAnalysis, portfolio: str = "committed", language: str = "nl"
) -> Figure:
    """Yearly costs (stacked up) and income (stacked down) by line (means), with the net cost's median and 80% band."""
    b = analysis.tables["budget"]
    b = b[(b["portfolio"] == portfolio) & (b["scope"] == "portfolio")]
    mean = b.pivot(index="year", columns="line", values="mean_eur")
    mean["staff"] = mean["staff_locations"] + mean["staff_central"]
    years = mean.index.to_numpy()
    lab = line_labels(language)
    fig, ax = plt.subplots(figsize=(9, 4.4))
    bottom = np.zeros(len(years))
    for line in ("capex", "fixed_opex", "variable_opex", "staff", "closing_cost"):
        ax.bar(
            years,
            mean[line],
            bottom=bottom,
            color=COST_COLOURS[line],
            width=0.7,
            label=lab.get(line) or i18n.text("portfolio.line_staff", language),
        )
        bottom += mean[line].to_numpy()
    bottom = np.zeros(len(years))
    for line in [k for k in INCOME_LINES if k in mean]:
        ax.bar(
            years, -mean[line], bottom=-bottom, color=COST_COLOURS[line], width=0.7, label=lab[line]
        )
        bottom += mean[line].to_numpy()
    net = b[b["line"] == "net_cost"].set_index("year").loc[years]
    ax.errorbar(
        years,
        net["p50_eur"],
        yerr=[net["p50_eur"] - net["p10_eur"], net["p90_eur"] - net["p50_eur"]],
        color="black",
        marker="D",
        ms=4,
        lw=1.4,
        capsize=3,
        label=_w(language)["net_cost"],
    )
    ax.axhline(0, color=NEUTRAL, lw=0.8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: i18n.millions(v)))
    ax.set_xticks(years)
    ax.set_title(f"{_w(language)['eur_year'].capitalize()} ({_w(language)[portfolio]})")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    fig.tight_layout()
    return fig


def gap_overview(analysis: PortfolioAnalysis, language: str = "nl") -> pd.DataFrame:
    """The gap per portfolio and stream over the horizon, with Dutch (or English) headers."""
    s = analysis.tables["gap_summary"].copy()
    w = _w(language)

    def col(key: str) -> str:
        return i18n.text(f"portfolio.col_{key}", language)

    first = s["first_month_risk_over_10pct"]
    return pd.DataFrame(
        {
            col("portfolio"): [w[p] for p in s["portfolio"]],
            col("stream"): [label(x, language) for x in s["stream"]],
            col("first_month_risk"): [
                i18n.period(m, language) if m else i18n.DASH for m in first.fillna("")
            ],
            col("months_risk"): s["months_with_risk_over_10pct"],
            col("short_mean"): s["shortfall_unit_months_mean"].round(0),
            col("short_p90"): s["shortfall_unit_months_p90"].round(0),
            col("empty"): s["empty_unit_months_mean"].round(0),
        }
    )


def budget_overview(
    analysis: PortfolioAnalysis, portfolio: str = "committed", language: str = "nl"
) -> pd.DataFrame:
    """Yearly budget lines of a portfolio (means, EUR) as a wide table: one row per line, one column per year."""
    b = analysis.tables["budget"]
    b = b[(b["portfolio"] == portfolio) & (b["scope"] == "portfolio")]
    wide = b.pivot(index="line", columns="year", values="mean_eur").round(-3)
    lab = line_labels(language)
    order = [k for k in lab if k in wide.index]
    wide = wide.loc[order]
    wide.index = pd.Index([lab[k] for k in order], name=i18n.text("portfolio.line", language))
    wide.columns = [str(c) for c in wide.columns]
    return wide


def warnings_table(analysis: PortfolioAnalysis, language: str = "nl") -> pd.DataFrame:
    """Register warnings, then its cost notes, as a one-column table (one row saying there are none when empty)."""
    w = _w(language)
    items = warnings_text(analysis.register.warnings, language)
    items += notes_text(analysis.register, language)
    items = items or [w["no_warnings"]]
    return pd.DataFrame({w["warning"]: items})


def assumptions(analysis: PortfolioAnalysis, language: str | None = None) -> list[str]:
    """The assumptions behind the budgets of both portfolios, in words (distinct, in order)."""
    out: list[str] = []
    for run in analysis.runs.values():
        for notes in run.budget.assumptions.values():
            for note in notes:
                text = note_text(note, language)
                if text not in out:
                    out.append(text)
    return out


def assumptions_table(analysis: PortfolioAnalysis, language: str = "nl") -> pd.DataFrame:
    """The assumptions behind the budget as a one-column table."""
    return pd.DataFrame(
        {i18n.text("portfolio.col_assumption", language): assumptions(analysis, language)}
    )
