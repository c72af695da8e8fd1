"""The national half-year taakstelling: half-year keys and labels, the modelled taakstelling and its link to the published one."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from onderdak.inflow.record import NationalRecord


def half_year_index(periods: pd.PeriodIndex) -> np.ndarray:
    """An integer per month identifying its half-year (year × 2 + 0 for I, 1 for II)."""
    return periods.year.to_numpy() * 2 + (periods.month.to_numpy() > 6)


def half_year_label(key: int) -> str:
    """'2026-I' or '2026-II' from a half_year_index key."""
    return f"{key // 2}-{'II' if key % 2 else 'I'}"


def half_year_key(label: str) -> int:
    """The half_year_index key of '2026-I' or '2026-II' (the inverse of :func:`half_year_label`).

    >>> half_year_key(half_year_label(4053))
    4053
    """
    return int(label[:4]) * 2 + label.endswith("II")


def national_taakstelling(
    granted: np.ndarray, periods: pd.PeriodIndex, lead_months: int = 3
) -> np.ndarray:
    """The national half-year taakstelling from the model alone, spread evenly over its six months.

    The half-year's total is the permits plus nareizigers (``granted``, (paths, months), persons per
    month) in the six months starting ``lead_months`` before the half-year. Months whose window is not
    fully simulated use the window's available months scaled to six.
    """
    paths, months = granted.shape
    out = np.zeros_like(granted)
    keys = half_year_index(periods)
    for key in np.unique(keys):
        idx = np.flatnonzero(keys == key)
        lo = idx[0] - lead_months
        window = np.arange(max(lo, 0), min(lo + 6, months))
        total = granted[:, window].sum(axis=1) * (6.0 / len(window))
        out[:, idx] = (total / 6.0)[:, None]
    return out


def linked_taakstelling(
    permits: np.ndarray,
    nareizigers: np.ndarray,
    periods: pd.PeriodIndex,
    record: NationalRecord,
    lead_months: int = 3,
    revision: pd.DataFrame | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    """The national taakstelling per month: published half-years as published, later ones linked to them.

    A published half-year's number is used as it is (÷ 6 per month). After the last published half-year,
    the model's own number (:func:`national_taakstelling` of permits plus nareizigers, (paths, months))
    is multiplied, per path, by the published number over the model's number for that last half-year,
    when its whole reference window lies in the simulation (else by 1), and by ``revision`` (paths ×
    half-year keys, median 1): what the ministry's number does beyond the permits and nareizigers it is
    based on (revised expectations, rounding, policy), drawn per modelled half-year.

    Returns
    -------
    tuple
        The series (paths, months) and the link: the last published half-year and its number, the
        median ratio, and the bridge to the first modelled half-year — its mean number and the mean
        change from the last published one due to nareizigers and to permits (persons; the two add up
        to the change).
    """
    granted = permits + nareizigers
    modelled = national_taakstelling(granted, periods, lead_months)
    keys = half_year_index(periods)
    out = modelled.copy()
    link: dict[str, Any] = {"half_year": None, "persons": None, "ratio_median": 1.0}
    published = record.taakstelling
    for label, value in published.items():
        out[:, keys == half_year_key(label)] = value / 6.0
    if not len(published):
        return out, link
    last = str(published.index[-1])
    last_key = half_year_key(last)
    ratio = np.ones(granted.shape[0])
    idx = np.flatnonzero(keys == last_key)
    if len(idx) and idx[0] - lead_months >= 0:
        own = modelled[:, idx[0]] * 6.0
        ratio = np.divide(float(published.iloc[-1]), own, out=np.ones_like(own), where=own > 0)
        nxt = np.flatnonzero(keys == last_key + 1)
        link = {
            "half_year": last,
            "persons": float(published.iloc[-1]),
            "ratio_median": float(np.median(ratio)),
        }
        if len(nxt) == 6:

            def window(series: np.ndarray, first: int) -> np.ndarray:
                lo = first - lead_months
                return series[:, lo : lo + 6].sum(axis=1)

            d_nareis = ratio * (window(nareizigers, nxt[0]) - window(nareizigers, idx[0]))
            d_permits = ratio * (window(permits, nxt[0]) - window(permits, idx[0]))
            link["first_modelled"] = {
                "half_year": half_year_label(last_key + 1),
                "mean_persons": float(np.mean(float(published.iloc[-1]) + d_nareis + d_permits)),
                "change_from_nareizigers_persons": float(np.mean(d_nareis)),
                "change_from_permits_persons": float(np.mean(d_permits)),
            }
    after = keys > last_key
    out[:, after] = modelled[:, after] * ratio[:, None]
    if revision is not None and after.any():
        out[:, after] *= revision[keys[after]].to_numpy()
    return out, link
