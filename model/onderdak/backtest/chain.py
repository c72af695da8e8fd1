"""Backtest hooks for the national chain: COA occupancy at year ends and the half-year taakstelling.

The scoring is :func:`onderdak.backtest.horizons.rolling_forecasts`; what is forecast comes from a
callable with the same signature as the inflow forecaster. :func:`chain_forecaster` is the chain itself:
for an origin it starts :func:`onderdak.inflow.drivers.simulate_inflow` at a peildatum just after the origin from
what was published by then (:mod:`onderdak.inflow.record`), with a what-we-knew trajectory (:func:`what_we_knew`)
and the calibration up to the origin year. :func:`naive_forecaster` is the reference: persistence with a
log-normal random walk whose step volatility is estimated from the series up to the origin only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from onderdak.backtest.horizons import DRAWS, Forecaster, Target, horizon_scores, rolling_forecasts
from onderdak.case.fields import current_month
from onderdak.case.settings import Case
from onderdak.core.memo import kept
from onderdak.inflow.calibration import (
    CALM_SD_PRIOR,
    CALM_SD_PRIOR_DOF,
    _cbs_83102_history,
    calibrate,
)
from onderdak.inflow.drivers import simulate_inflow
from onderdak.inflow.record import NationalRecord, national_record
from onderdak.inflow.scenarios import scenario_definition
from onderdak.io import reference

GRANT_RATE_BEFORE_2024 = 0.75  # "70–85% in earlier years" (Rijksoverheid 2025-09-26, H): midpoint
GRANT_RATE_FROM_2024 = 0.40  # "~40% in Q1 2025" (Rijksoverheid 2025-09-26, H)

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
    See :func:`onderdak.inflow.taakstelling.half_year_label` for the inverse.
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
    the scaled-inverse-χ² prior of :mod:`onderdak.inflow.calibration`: ``prior_sd`` worth ``prior_dof``
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


def what_we_knew(record: NationalRecord) -> dict[str, Any]:
    """A scenario definition that knows only the record at its peildatum: the last year held flat.

    Inflow: the last twelve published months of first applications, nareizigers and repeat applications
    (midden's repeat level where none is published), as yearly rates. The IND: unconstrained with
    midden's decision time before 2025 (the capacity limit is what 2025 showed), from then midden's
    capacity. Grant rate: 0.75 before 2024, 0.40 after (the published ranges of the time). Ukrainians:
    no arrivals or exits (their stock is not backtested). Housing supply and the rest: midden.
    """
    base = scenario_definition("midden")
    year = record.peildatum.year

    def flat(series: str, default: float) -> dict[int, float]:
        flow = record.flows.get(series)
        level = float(flow.iloc[-12:].sum()) if flow is not None and len(flow) >= 12 else default
        return {year: level}

    spec = dict(base)
    spec.update(
        first_applications_persons_per_year=flat("first_applications_persons", 20_000.0),
        nareizigers_persons_per_year=flat("nareizigers_persons", 8_000.0),
        repeat_applications_persons_per_year=flat(
            "repeat_applications_persons",
            float(next(iter(base["repeat_applications_persons_per_year"].values()))),
        ),
        grant_rate_share={year: GRANT_RATE_BEFORE_2024 if year < 2024 else GRANT_RATE_FROM_2024},
        ukraine_arrivals_persons_per_month={year: 0.0},
        ukraine_exit_rate_share_per_month={year: 0.0},
    )
    if year < 2025:
        spec["ind_decisions_persons_per_year"] = {year: 1e9}
    return spec


def _case(peildatum: pd.Period, months: int) -> Case:
    return Case.model_validate(
        {
            "name": "backtest",
            "municipality": {"name": "Nederland", "code": "GM0000", "population_persons": 1},
            "price_year": peildatum.year,
            "peildatum": str(peildatum),
            "start": str(peildatum),
            "horizon_months": months,
        }
    )


def _simulate_from(peildatum: pd.Period, months: int, draws: int, seed: int):
    """The chain from what was published at ``peildatum``, calibrated up to the year before it."""
    case = _case(peildatum, months)
    record = national_record(peildatum)
    return simulate_inflow(
        case,
        paths=draws,
        seed=seed,
        spec=what_we_knew(record),
        calibration=calibrate(peildatum.year - 1, _cbs_83102_history()),
    )


def chain_forecaster(series: str) -> Forecaster:
    """The chain as a forecaster of ``coa_occupancy`` (year ends) or ``taakstelling`` (half-years).

    COA: origin year Y (its last year end observed) → the chain from a peildatum of January Y+1; step k
    is the stock at the start of January Y+1+k. Taakstelling: origin half-year K (published before it
    starts) → the chain from K's first month, whose record holds K; step k is half-year K + k.
    """

    def forecast(
        observed: pd.Series, steps: int, rng: np.random.Generator, draws: int
    ) -> np.ndarray:
        origin = int(observed.index[-1])
        seed = int(rng.integers(0, 2**31))
        if series == "coa_occupancy":
            peildatum = pd.Period(f"{origin + 1}-01", freq="M")
            e = _simulate_from(peildatum, 12 * steps + 1, draws, seed)
            return e["coa_occupancy_persons"][:, [12 * k for k in range(1, steps + 1)]]
        year, half = divmod(origin, 2)
        peildatum = pd.Period(f"{year}-{7 if half else 1:02d}", freq="M")
        e = _simulate_from(peildatum, 6 * steps + 6, draws, seed)
        return e["taakstelling_persons"][:, [6 * k for k in range(1, steps + 1)]] * 6.0

    return forecast


@kept(depends=current_month)  # the same for every case: once per process (a batch worker's kernel)
def chain_backtest(
    forecasters: Mapping[str, Forecaster] | None = None,
    seed: int = 20261123,
    draws: int = DRAWS,
) -> pd.DataFrame:
    """Scores per series and horizon for COA occupancy and the national taakstelling.

    Parameters
    ----------
    forecasters : mapping, optional
        ``{"coa_occupancy": f, "taakstelling": g}``: forecasters (paths of year-end occupancy,
        persons; paths of half-year taakstelling, persons); a missing one is :func:`naive_forecaster`.
        None (the default): the chain itself, :func:`chain_forecaster`, for both.
    seed, draws
        As in :func:`onderdak.backtest.horizons.rolling_forecasts`.

    Returns
    -------
    pandas.DataFrame
        :func:`onderdak.backtest.horizons.horizon_scores` per series, with ``series``,
        ``forecaster`` (``"naive"`` or ``"given"``) and ``horizon_years`` (steps × step length).
    """
    given = (
        {name: chain_forecaster(name) for name in CHAIN_TARGETS}
        if forecasters is None
        else dict(forecasters)
    )
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
