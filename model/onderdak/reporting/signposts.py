"""Signposts for the advice: which published figure to watch, when, and which step it triggers, with thresholds from the ensemble."""

from __future__ import annotations

import numpy as np
import pandas as pd

from onderdak.pipeline.results import Results
from onderdak.reporting.i18n import text
from onderdak.reporting.thuis import signpost_rows
from onderdak.thuis.result import Thuis

SIGNPOSTS = (
    "first_applications",
    "mpp",
    "goo_national",
    "goo_occupancy",
    "backlog",
    "protection",
    "normbedrag",
)
"""The signposts, in their order; their words in the message catalogs (``signpost.<key>.<field>``)."""

FIELDS = ("signal", "source", "when", "threshold", "step")


def signposts(
    results: Results, scenario: str, language: str = "nl", thuis: Thuis | None = None
) -> pd.DataFrame:
    """A monitoring table whose thresholds are the 90th percentiles of the chosen scenario.

    Columns: Signaal, Bron, Wanneer, Drempel, Stap (English: Signal, Source, When, Threshold, Step).
    A figure above its threshold means the world is moving outside the band the plan was built for,
    and names the step prepared for that case. With ``thuis`` (the advice's 'thuis'), its signposts
    follow: the school-age children among the newcomers and the waiting list for newcomers' education.
    """
    run = results.runs[scenario]
    ens, need = run.ensemble, run.need
    year = slice(0, min(12, len(need.periods)))
    first_p90 = np.quantile(ens["first_applications_persons"][:, year].sum(axis=1) / 12 * 3, 0.9)
    goo_p90 = np.quantile(ens["ukraine_goo_persons"][:, year].mean(axis=1), 0.9)
    goo_p10 = np.quantile(ens["ukraine_goo_persons"][:, year].mean(axis=1), 0.1)
    ua_p90 = np.quantile(need.streams["ukraine"][:, year].max(axis=1), 0.9)
    backlog_p90 = np.quantile(need.detail["backlog_persons"][:, 5], 0.9)
    facts = {
        "first_p90": first_p90,
        "goo_p90": goo_p90,
        "goo_p10": goo_p10,
        "ua_p90": ua_p90,
        "backlog_p90": backlog_p90,
    }
    columns = {f: text(f"signpost.column.{f}", language) for f in FIELDS}
    rows = [
        {columns[f]: text(f"signpost.{key}.{f}", language, **facts) for f in FIELDS}
        for key in SIGNPOSTS
    ]
    rows += [{columns[f]: r[f] for f in FIELDS} for r in signpost_rows(thuis, language)]
    return pd.DataFrame(rows)
