"""Figures of the multi-criteria comparison: weighted scores per option and rank probabilities under varied weights."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from onderdak.portfolio.mca import CRITERIA
from onderdak.reporting import i18n
from onderdak.reporting.style import ACCENT, NEUTRAL, short_name

CRITERION_COLOURS = {
    "cost": "#1f5fa8",
    "quality": "#3a8f5c",
    "scale": "#8fb9a8",
    "speed": "#d9822b",
    "reuse": "#7b5ea7",
    "load": "#c9a227",
    "risk": "#b22d2d",
}
TEXT_KEYS = ("scores", "score", "first", "ranks", "rank")
"""The words of the figures (``mca.<key>`` in the message catalogs)."""


def _text(language: str) -> dict[str, str]:
    return {k: i18n.text(f"mca.{k}", language) for k in TEXT_KEYS}


def _option_labels(mca: pd.DataFrame, width: int = 34) -> list[str]:
    """The options by name (two lines where long), not by register code."""
    return [short_name(str(row.get("name", "") or row["id"]), width) for _, row in mca.iterrows()]


def criterion_label(key: str, language: str | None = None) -> str:
    """The label of an MCA criterion in the report language."""
    return i18n.text(f"mca.criterion_{key}", language)


def mca_score_figure(mca: pd.DataFrame, language: str = "nl", top: int | None = None) -> Figure:
    """Stacked bars: each option's weighted score split by criterion, best option on top.

    ``mca`` is :func:`onderdak.portfolio.mca.mca_table` (sorted by rank); ``top`` limits the options shown.
    The chance of rank 1 under varied weights is written beside each bar.
    """
    text = _text(language)
    table = mca.head(top) if top else mca
    keys = [k for k in CRITERIA if f"score_{k}" in table.columns]
    fig, ax = plt.subplots(figsize=(9.0, 0.45 * len(table) + 1.8))
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    for key in keys:
        part = (table[f"score_{key}"] * table[f"weight_{key}_share"]).to_numpy(dtype=float)
        ax.barh(y, part, left=left, color=CRITERION_COLOURS[key], edgecolor="white", linewidth=0.5,
                label=criterion_label(key, language), height=0.7)  # fmt: skip
        left += part
    for yi, total, p in zip(y, left, table["rank_first_share"], strict=True):
        note = f"{total:.2f}" + ("" if pd.isna(p) else f"   ({text['first']}: {p:.0%})")
        ax.text(total + 0.01, yi, note, va="center", fontsize=8, color=NEUTRAL)
    ax.set_yticks(y, _option_labels(table), fontsize=8)
    ax.set_xlim(0, 1.25)
    ax.set_xlabel(text["score"])
    ax.grid(axis="y", visible=False)
    ax.set_title(text["scores"])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.3 / max(len(table), 1)),
              ncol=min(len(keys), 4), fontsize=8)  # fmt: skip
    fig.tight_layout()
    return fig


def mca_rank_figure(mca: pd.DataFrame, language: str = "nl") -> Figure:
    """Heat map of rank probabilities under Dirichlet-varied weights (rows: options by base rank).

    Reads the :class:`onderdak.portfolio.mca.Sensitivity` in ``mca.attrs['sensitivity']``.
    """
    text = _text(language)
    sens = mca.attrs["sensitivity"]
    probs = sens.rank_probabilities.loc[mca["id"].to_numpy()].to_numpy(dtype=float)
    n = probs.shape[0]
    fig, ax = plt.subplots(figsize=(max(5.5, 0.55 * n + 4.0), 0.42 * n + 1.8))
    image = ax.imshow(probs, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(n):
        for j in range(n):
            if probs[i, j] >= 0.05:
                colour = "white" if probs[i, j] > 0.6 else "black"
                ax.text(
                    j, i, f"{probs[i, j]:.0%}", ha="center", va="center", fontsize=7, color=colour
                )
        base = int(mca["rank"].iloc[i]) - 1
        ax.add_patch(
            plt.Rectangle((base - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=ACCENT, lw=1.5)
        )
    ax.set_xticks(range(n), [str(r) for r in range(1, n + 1)])
    ax.set_yticks(range(n), _option_labels(mca), fontsize=8)
    ax.set_xlabel(text["rank"])
    ax.grid(False)
    ax.set_title(text["ranks"])
    if sens.draws:
        note = i18n.text(
            "mca.changed",
            language,
            changed=sens.ranking_changed_share,
            draws=sens.draws,
            top=sens.top_changed_share,
        )
        ax.text(0.0, -0.16 - 0.6 / n, note, transform=ax.transAxes, fontsize=8, color=NEUTRAL)
    fig.colorbar(image, ax=ax, shrink=0.7, format=lambda x, _: f"{x:.0%}")
    fig.tight_layout()
    return fig
