"""Figures of the regional overview (notebooks/region.ipynb): places against each municipality's
share, and the taakstelling realised per municipality."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from onderdak.region.overview import RISK_SHARE, RegionOverview
from onderdak.reporting import i18n
from onderdak.reporting.i18n import label
from onderdak.reporting.region import short_name, words
from onderdak.reporting.style import (
    ACCENT,
    NEUTRAL,
    STATUS_COLOURS,
    STREAM_COLOURS,
    percent,
    thousands,
)


def _text(key: str, language: str | None, **facts: object) -> str:
    return i18n.text(f"region.{key}", language, **facts)


# -- figures ------------------------------------------------------------------------------------
def places_figure(ov: RegionOverview, language: str = "nl") -> Figure:
    """Per municipality: reception need (80% band, median) against places available and its share; shortfall risk."""
    import matplotlib.pyplot as plt

    w = words(language)
    m = ov.municipalities.sort_values("population_persons").reset_index(drop=True)
    y = np.arange(len(m))
    fig, (ax, axr) = plt.subplots(
        1, 2, figsize=(10, 1.8 + 0.7 * len(m)), sharey=True, gridspec_kw={"width_ratios": [3, 1]}
    )
    lo, hi = m["reception_need_places_p10"], m["reception_need_places_p90"]
    ax.barh(
        y,
        hi - lo,
        left=lo,
        height=0.45,
        color=STREAM_COLOURS["ukraine"],
        alpha=0.3,
        label=w["need_band"],
    )
    ax.scatter(
        m["reception_need_places_p50"],
        y,
        marker="|",
        s=500,
        color=STREAM_COLOURS["ukraine"],
        linewidths=2.5,
        label=w["need_median"],
        zorder=3,
    )
    ax.scatter(
        m["reception_capacity_places"],
        y,
        marker="D",
        s=55,
        color=STATUS_COLOURS["existing"],
        label=w["capacity"],
        zorder=4,
    )
    ax.scatter(
        m["region_share_places"],
        y,
        marker="o",
        s=60,
        facecolors="none",
        edgecolors=NEUTRAL,
        linewidths=1.5,
        label=w["share_marker"],
        zorder=4,
    )
    ax.set_yticks(y, [short_name(n) for n in m["municipality"]])
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(FuncFormatter(thousands))
    ax.set_xlabel(_text("w_places_axis", language, year=ov.year))
    ax.grid(axis="y", visible=False)
    risk = m["shortfall_probability_share"].fillna(0)
    axr.barh(y, risk, height=0.45, color=[ACCENT if r > RISK_SHARE else NEUTRAL for r in risk])
    axr.axvline(RISK_SHARE, color=ACCENT, ls="--", lw=1)
    axr.set_xlim(0, 1)
    axr.set_xticks([0, RISK_SHARE, 1])
    axr.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axr.set_xlabel(_text("w_risk_axis", language, year=ov.year))
    axr.grid(axis="y", visible=False)
    for yi, r in zip(y, risk, strict=True):
        inside = r > 0.75
        axr.text(
            r - 0.03 if inside else r + 0.03,
            yi,
            percent(r),
            va="center",
            fontsize=9,
            ha="right" if inside else "left",
            color="white" if inside else "black",
        )
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8)
    fig.tight_layout(rect=(0, 0.16 if len(m) < 4 else 0.12, 1, 1))
    return fig


def taakstelling_figure(ov: RegionOverview, language: str = "nl") -> Figure:
    """Per municipality: taakstelling of the half-year, persons housed (model) and the backlog at its end."""
    import matplotlib.pyplot as plt

    m = ov.municipalities.sort_values("population_persons").reset_index(drop=True)
    x = np.arange(len(m))
    fig, ax = plt.subplots(figsize=(10, 4.0))
    colour = STREAM_COLOURS["status_holders"]
    ax.bar(
        x - 0.2,
        m["taakstelling_persons"],
        width=0.38,
        color=colour,
        label=_text("w_task_bar", language, half=ov.half_year),
    )
    ax.bar(
        x + 0.2,
        m["housed_persons"],
        width=0.38,
        color=colour,
        alpha=0.45,
        label=_text("w_housed_bar", language, half=ov.half_year),
    )
    ax.scatter(
        x,
        m["backlog_end_persons"],
        color=ACCENT,
        marker="o",
        s=45,
        zorder=3,
        label=_text("w_backlog_marker", language, half=ov.half_year),
    )
    for xi, housed, share in zip(x, m["housed_persons"], m["realisation_share"], strict=True):
        ax.text(xi + 0.2, housed, percent(share), ha="center", va="bottom", fontsize=9)
    ax.axhline(0, color=NEUTRAL, lw=0.8)
    ax.set_xticks(x, [short_name(n) for n in m["municipality"]])
    ax.set_ylabel(label("persons", language))
    ax.yaxis.set_major_formatter(FuncFormatter(thousands))
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig
