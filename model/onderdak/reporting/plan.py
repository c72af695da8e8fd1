"""Figures of the investment plan: timeline, trade-off, regret, capacity; and the plan's words
(actions, money rows) its tables and narrative share (:mod:`plan_tables`, :mod:`plan_text`)."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from onderdak.plan.build import OptimiseResult
from onderdak.reporting import i18n
from onderdak.reporting.i18n import label
from onderdak.reporting.style import (
    ACCENT,
    BAND_ALPHA,
    NEUTRAL,
    STREAM_COLOURS,
    short_name,
    thousands,
)

MILLION = 1e6
ACTION_COLOURS = {"keep": "#2f4b7c", "open": "#3a8f5c", "close": ACCENT, "convert": "#d9822b"}
WORD_KEYS = (
    "keep",
    "open",
    "close",
    "convert",
    "reject",
    "decide_by",
    "quarter",
    "places",
    "cost_m",
    "capex_m",
    "short",
    "chosen",
    "regret_m",
    "scenario",
    "capacity",
    "median",
    "band",
    "mln",
)
"""The words of the figures and tables (``plan.w_<key>`` in the message catalogs)."""
ACTION_WORDS = ("keep", "open", "close", "convert", "reject")


def plan_word(key: str, language: str | None, **facts: object) -> str:
    return i18n.text(f"plan.{key}", language, **facts)


def plan_words(language: str) -> dict[str, str]:
    return {k: plan_word(f"w_{k}", language) for k in WORD_KEYS}


def plan_timeline(result: OptimiseResult, language: str = "nl") -> Figure:
    """Gantt chart: each location used by the plan, in service per quarter, coloured by action.

    A diamond marks the month a decision to open must be taken (opening quarter minus lead time).
    """
    w = plan_words(language)
    table = result.tables["plan"]
    used = table[table["action"] != "reject"].iloc[::-1]
    p = result.portfolio
    index = {loc: i for i, loc in enumerate(p.ids)}
    starts = p.quarters.start_time
    width = np.diff(np.r_[starts.to_numpy(), p.quarters[-1].end_time.to_datetime64()])
    fig, ax = plt.subplots(figsize=(9.0, 0.45 * len(used) + 1.6))
    for row_no, (_, row) in enumerate(used.iterrows()):
        i = index[row["location_id"]]
        on = np.flatnonzero(result.plan.in_service[i])
        if len(on):
            ax.barh(
                row_no,
                width[on].sum(),
                left=starts[on[0]],
                height=0.6,
                color=ACTION_COLOURS[row["action"]],
            )
        if row["decide_by"]:
            when = pd.Period(row["decide_by"], freq="M").start_time
            ax.plot([when], [row_no], marker="D", color=NEUTRAL, markersize=5)
    ax.set_yticks(range(len(used)), [short_name(r.name, 34) for r in used.itertuples()], fontsize=8)
    ax.set_xlim(starts[0], p.quarters[-1].end_time)
    ax.grid(axis="y", visible=False)
    handles = [
        Patch(color=c, label=w[a]) for a, c in ACTION_COLOURS.items() if a in set(used["action"])
    ]
    handles.append(
        plt.Line2D([], [], marker="D", color=NEUTRAL, linestyle="", label=w["decide_by"])
    )
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(handles))
    fig.tight_layout()
    return fig


def capacity_vs_need(result: OptimiseResult, language: str = "nl") -> Figure:
    """Per stream: the plan's capacity per quarter against the quarterly need of all paths (bands)."""
    w = plan_words(language)
    need = result.need
    x = need.quarters.start_time
    fig, axes = plt.subplots(1, len(need.streams), figsize=(9.0, 3.6), sharey=False, squeeze=False)
    for si, (ax, stream) in enumerate(zip(axes[0], need.streams, strict=True)):
        values = need.places[:, :, si]
        q = np.quantile(values, [0.05, 0.10, 0.5, 0.90, 0.95], axis=0)
        colour = STREAM_COLOURS.get(stream, NEUTRAL)
        ax.fill_between(x, q[0], q[4], step="post", color=colour, alpha=BAND_ALPHA[0], lw=0)
        ax.fill_between(
            x, q[1], q[3], step="post", color=colour, alpha=BAND_ALPHA[1], lw=0, label=w["band"]
        )
        ax.step(x, q[2], where="post", color=colour, lw=1.2, label=w["median"])
        ax.step(
            x,
            result.plan.capacity_places[si],
            where="post",
            color="black",
            lw=2,
            label=w["capacity"],
        )
        ax.set_title(label(stream, language), fontsize=10)
        ax.xaxis.set_major_locator(mdates.YearLocator(2))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.yaxis.set_major_formatter(FuncFormatter(thousands))
        ax.set_ylabel(w["places"])
    axes[0][0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def tradeoff_figure(result: OptimiseResult, language: str = "nl") -> Figure:
    """Expected cost and investment against the reliability asked of every stream, one point per level."""
    w = plan_words(language)
    t = result.tables["tradeoff"]
    t = t[t["feasible"]].sort_values("reliability_share")
    chosen = uniform_level(result)
    fig, ax = plt.subplots()
    ax.plot(
        t["reliability_share"],
        t["expected_cost_eur"] / MILLION,
        "-o",
        color=NEUTRAL,
        label=w["cost_m"],
    )
    ax.plot(
        t["reliability_share"],
        t["capex_eur"] / MILLION,
        "--s",
        color="#7aa6c2",
        label=w["capex_m"],
    )
    pick = t[np.isclose(t["reliability_share"], chosen if chosen is not None else -1.0)]
    if len(pick):
        ax.plot(
            pick["reliability_share"],
            pick["expected_cost_eur"] / MILLION,
            "o",
            ms=12,
            mfc="none",
            mec=ACCENT,
            mew=2,
            label=w["chosen"],
        )
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(w["short"])
    ax.set_ylabel(w["mln"])
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def regret_figure(result: OptimiseResult, language: str = "nl") -> Figure:
    """Regret per reduced scenario (plan cost minus hindsight-best cost), bars as wide as their weight."""
    w = plan_words(language)
    r = result.tables["regret"].sort_values("need_place_months")
    widths = r["weight_share"].to_numpy()
    left = np.r_[0.0, np.cumsum(widths)[:-1]]
    fig, ax = plt.subplots()
    ax.bar(
        left,
        r["regret_eur"] / MILLION,
        width=widths,
        align="edge",
        color="#7aa6c2",
        edgecolor="white",
    )
    mean = float(r["weight_share"] @ r["regret_eur"]) / MILLION
    ax.axhline(
        mean, color=ACCENT, lw=1.5, label=plan_word("w_expected", language, amount=mean * MILLION)
    )
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(w["scenario"])
    ax.set_ylabel(w["regret_m"])
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


MONEY_ROWS = (
    "capex",
    "capital_charges",
    "running",
    "emergency_recourse",
    "closing_cost",
    "income_normbedrag",
    "income_coa_rent",
    "income_spreidingswet",
    "income_status_holders",
    "net_cost",
    "net_cost_capital_basis",
)
"""The rows of the money table (``plan.money_<row>`` in the message catalogs)."""


def money_row(row: str, language: str | None = None) -> str:
    """The name of a row of the money table in the report language."""
    return plan_word(f"money_{row}", language)


def action_word(action: str, language: str | None = None) -> str:
    """A plan action (keep, open, close, convert, reject) in the report language; other codes as
    given."""
    return plan_word(f"w_{action}", language) if action in ACTION_WORDS else action


def uniform_level(result: OptimiseResult) -> float | None:
    """The reliability asked, when every stream is asked the same (else None): the trade-off's
    level of the plan (a stream that cannot reach it is held at what it reaches)."""
    levels = {v["reliability_asked_share"] for v in result.summary["streams"].values()}
    return levels.pop() if len(levels) == 1 else None
