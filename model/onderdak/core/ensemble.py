"""Labelled containers for Monte-Carlo results: arrays of shape (paths, months) with their axes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

QUANTILES = (0.05, 0.10, 0.50, 0.90, 0.95)
"""Quantiles every summary table reports (columns p05, p10, p50, p90, p95)."""


@dataclass(frozen=True)
class Ensemble:
    """National drivers of one scenario: each series an array of shape (paths, months).

    Series (names carry units): ``first_applications_persons``, ``nareizigers_persons``,
    ``decision_time_months``, ``grant_rate_share``, ``decisions_persons``, ``permits_persons``,
    ``asylum_pending_persons``, ``rejected_in_coa_persons``, ``status_holders_in_coa_persons``,
    ``housed_from_coa_persons``, ``coa_occupancy_persons``, ``coa_required_places``,
    ``ukraine_arrivals_persons``, ``ukraine_exit_rate_share``, ``ukraine_goo_persons``,
    ``ukraine_goo_places``, ``housing_supply_persons``, ``taakstelling_persons`` (national, per month
    of the half-year it belongs to, i.e. half-year total / 6), and the chain's flows
    (``ind_capacity_persons``, ``ukraine_leave_persons``, ``ukraine_to_housing_persons``,
    ``record_correction_coa_persons`` …). ``peildatum`` is the month up to which the record was used;
    ``published_until`` names each recorded series' last published month (None: none);
    ``taakstelling_link`` describes how the modelled taakstelling continues the published one.
    """

    scenario: str
    national_scenario: str
    periods: pd.PeriodIndex
    series: dict[str, np.ndarray]
    seed: int
    peildatum: str | None = None
    published_until: dict[str, str | None] = field(default_factory=dict)
    taakstelling_link: dict[str, object] = field(default_factory=dict)

    def is_published(self, name: str) -> np.ndarray:
        """Per month of the horizon: True where ``name`` is the published record, not the model."""
        last = self.published_until.get(name)
        if last is None:
            return np.zeros(len(self.periods), dtype=bool)
        return np.asarray(self.periods <= pd.Period(last, freq="M"))

    @property
    def paths(self) -> int:
        return next(iter(self.series.values())).shape[0]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.series[name]


@dataclass(frozen=True)
class Need:
    """Municipal need of one scenario, per stream: arrays of shape (paths, months).

    ``streams`` maps ``ukraine`` and ``asylum`` to places and ``status_holders`` to dwellings (the
    dwellings the municipality must provide beyond regular social-rent allocation, cumulative).
    ``units`` names the unit of each stream. ``detail`` holds further municipal series such as
    ``taakstelling_persons`` (per month), ``housed_persons``, ``backlog_persons``,
    ``waiting_list_persons``.
    """

    scenario: str
    periods: pd.PeriodIndex
    streams: dict[str, np.ndarray]
    units: dict[str, str]
    detail: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def paths(self) -> int:
        return next(iter(self.streams.values())).shape[0]


def quantile_table(
    values: np.ndarray,
    periods: pd.PeriodIndex,
    quantiles: tuple[float, ...] = QUANTILES,
    **labels: str,
) -> pd.DataFrame:
    """Tidy summary over paths: one row per period with the labels, mean and the ``quantiles``
    (columns ``p05``, ``p10``, …) of ``values`` (paths, months)."""
    q = np.quantile(values, quantiles, axis=0)
    out = pd.DataFrame(dict(labels), index=range(len(periods)))
    out["period"] = periods.strftime("%Y-%m")
    out["mean"] = values.mean(axis=0)
    for qi, row in zip(quantiles, q, strict=True):
        out[f"p{round(qi * 100):02d}"] = row
    return out
