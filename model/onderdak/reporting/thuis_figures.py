"""The figure of the advice's 'thuis' section: school places for newcomers per month, by kind of
education, with bands and the capacity the municipality gave (house style of
:mod:`onderdak.reporting.style`)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from onderdak.case.thuis import MUNICIPALITY
from onderdak.reporting.i18n import label, text
from onderdak.reporting.style import ACCENT, BAND_ALPHA, STATUS_COLOURS, thousands
from onderdak.thuis.landing import CAPACITY_SERVICES
from onderdak.thuis.result import Thuis
from onderdak.thuis.services import ALL

PANELS = (
    "regular_primary_pupils",
    "regular_secondary_pupils",
    "newcomer_primary_pupils",
    "isk_pupils",
)
"""The four kinds of school place, each held against its own capacity field."""

COLOUR = STATUS_COLOURS["existing"]


def school_figure(thuis: Thuis, capacities: dict | None = None, language: str = "nl") -> Figure:
    """Pupils per month for each kind of school place (all target groups): median with the 80% and
    90% bands, and the municipality-wide capacity given (dotted) where there is one.

    ``capacities``: the case's ``thuis.capacities`` (area → capacity per field); None: none drawn.
    """
    fig, axes = plt.subplots(2, 2, figsize=(10, 6.0), sharex=True)
    x = thuis.residents.periods.to_timestamp().to_numpy()
    field_of = {service: field for field, service in CAPACITY_SERVICES.items()}
    whole = (capacities or {}).get(MUNICIPALITY)
    for ax, service in zip(axes.flat, PANELS, strict=True):
        values = thuis.series.get(ALL, service)
        q = np.quantile(values, [0.05, 0.10, 0.50, 0.90, 0.95], axis=0)
        ax.fill_between(
            x, q[0], q[4], color=COLOUR, alpha=BAND_ALPHA[0], lw=0, label=label("band_90", language)
        )
        ax.fill_between(
            x, q[1], q[3], color=COLOUR, alpha=BAND_ALPHA[1], lw=0, label=label("band_80", language)
        )
        ax.plot(x, q[2], color=COLOUR, lw=2, label=label("median", language))
        cap = getattr(whole, field_of[service], None) if whole is not None else None
        if cap is not None:
            ax.axhline(
                cap, color=ACCENT, lw=1.5, ls=":", label=text("thuis.figure.capacity", language)
            )
        ax.set_title(text(f"thuis.figure.panel.{service}", language), fontsize=10)
        ax.set_ylabel(text("thuis.figure.ylabel", language))
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(FuncFormatter(thousands))
        ax.tick_params(axis="x", labelrotation=45)
    seen: dict[str, object] = {}
    for ax in axes.flat:
        for handle, name in zip(*ax.get_legend_handles_labels(), strict=True):
            seen.setdefault(name, handle)
    fig.legend(list(seen.values()), list(seen), loc="lower center", ncol=len(seen), fontsize=8)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig
