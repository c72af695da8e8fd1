"""Backtest hooks for the national chain: COA occupancy at year ends and the half-year taakstelling.

The scoring is :func:`model.backtest_horizons.rolling_forecasts`; what is forecast comes from a
callable with the same signature as the inflow forecaster. Until the chain can start from a
published state at a past origin, :func:`naive_forecaster` stands in: persistence with a log-normal
random walk whose step volatility is estimated from the series up to the origin only.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from model import reference
from model.backtest_horizons import DRAWS, Forecaster, Target, horizon_scores, rolling_forecasts
from model.calibration import CALM_SD_PRIOR, CALM_SD_PRIOR_DOF

# horizons of 1, 2 and 5 years; for the half-yearly taakstelling also the next half-year
CHAIN_TARGETS = {
    "coa_occupancy": (Target(1, 1), Target(2, 2), Target(5, 5)),
    "taakstelling": (Target(1, 1), Target(2, 2), Target(4, 4), Target(10, 10)),
}
STEP_YEARS = {"coa_occupancy": 1.0, "taakstelling": 0.5}


def coa_occupancy_yearly(tolerance_days: int = 61) -> pd.Series:
    """COA occupancy (persons) at the end of each year, from data/reference/coa_occupancy.csv.

    The observation closest to 31 December within ``tolerance_days`` (either side) stands for the
    year's end; years without one are missing. Indexed by year.
    """
    coa = reference.table("coa_occupancy").dropna(subset=["persons"])
    day = pd.to_datetime(coa["reference_date"])
    year_end = pd.to_datetime((day + pd.Timedelta(days=183)).dt.year.astype(str) + "-01-01")
    distance = (day - year_end + pd.Timedelta(days=1)).abs().dt.days
    frame = pd.DataFrame(
        {
            "year": year_end.dt.year - 1,
            "distance": distance,
            "persons": coa["persons"].astype(float),
        }
    )
    frame = frame[frame["distance"] <= tolerance_days].sort_values(["year", "distance"])
    out = frame.drop_duplicates("year").set_index("year")["persons"].sort_index()
    return out.rename("coa_occupancy_persons")


def taakstelling_half_yearly() -> pd.Series:
    """The published national taakstelling (persons) per half-year, indexed by ``year × 2 + half``.

    Half 0 is I (January–June), 1 is II; half-years without a published figure are missing.
    See :func:`model.inflow.half_year_label` for the inverse.
    """
    t = reference.table("taakstelling").dropna(subset=["taakstelling_persons"])
    year = t["half_year"].str[:4].astype(int)
    half = (t["half_year"].str[5:] == "II").astype(int)
    out = pd.Series(
        t["taakstelling_persons"].astype(float).to_numpy(), index=(year * 2 + half).to_numpy()
    )
    return out.sort_index().rename("taakstelling_persons")


def naive_forecaster(
    prior_sd: float = CALM_SD_PRIOR, prior_dof: float = CALM_SD_PRIOR_DOF
) -> Forecaster:
    """Persistence with a log-normal random walk, its step sd estimated from the past only.

    The step sd is the posterior of the observed one-step log changes up to the origin (zero drift,
    the scaled-inverse-χ² prior of :mod:`model.calibration`: ``prior_sd`` worth ``prior_dof``
    changes), drawn once per path; step k has log sd √k × that draw and the paths have mean equal to
    the last value. Changes across a gap in the series are not one-step changes and are left out.
    """

    def forecast(
        observed: pd.Series, steps: int, rng: np.random.Generator, draws: int
    ) -> np.ndarray:
        idx = observed.index.to_numpy()
        logs = np.log(observed.to_numpy(dtype=float))
        changes = np.diff(logs)[np.diff(idx) == 1]
        dof = prior_dof + len(changes)
        scale = np.sqrt((prior_dof * prior_sd**2 + np.sum(changes**2)) / dof)
        sd = (scale * np.sqrt(dof / rng.chisquare(dof, draws)))[:, None]
        change = rng.normal(-0.5 * sd**2, sd, (draws, steps))
        return float(observed.iloc[-1]) * np.exp(np.cumsum(change, axis=1))

    return forecast


def chain_backtest(
    forecasters: Mapping[str, Forecaster] | None = None,
    seed: int = 20261123,
    draws: int = DRAWS,
) -> pd.DataFrame:
    """Scores per series and horizon for COA occupancy and the national taakstelling.

    Parameters
    ----------
    forecasters : mapping, optional
        ``{"coa_occupancy": f, "taakstelling": g}``: forecasters of the chain (paths of year-end
        occupancy, persons; paths of half-year taakstelling, persons); a missing one is
        :func:`naive_forecaster`.
    seed, draws
        As in :func:`model.backtest_horizons.rolling_forecasts`.

    Returns
    -------
    pandas.DataFrame
        :func:`model.backtest_horizons.horizon_scores` per series, with ``series``,
        ``forecaster`` (``"naive"`` or ``"given"``) and ``horizon_years`` (steps × step length).
    """
    given = dict(forecasters or {})
    observed = {"coa_occupancy": coa_occupancy_yearly(), "taakstelling": taakstelling_half_yearly()}
    parts = []
    for name, series in observed.items():
        f = given.get(name) or naive_forecaster()
        table = rolling_forecasts(series, f, CHAIN_TARGETS[name], seed=seed, draws=draws)
        scores = horizon_scores(table)
        scores.insert(0, "series", name)
        scores.insert(1, "forecaster", "given" if name in given else "naive")
        scores.insert(2, "horizon_years", scores["last_step"] * STEP_YEARS[name])
        parts.append(scores)
    return pd.concat(parts, ignore_index=True)
