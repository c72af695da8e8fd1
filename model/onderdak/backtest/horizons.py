"""Multi-year rolling-origin backtests: forecast paths from each origin, scored per horizon.

A *forecaster* is any callable ``forecaster(observed, steps, rng, draws)`` that receives the
observed series up to and including the origin (nothing later: no look-ahead by construction) and
returns ``draws`` simulated paths of the next ``steps`` periods, an array of shape
``(draws, steps)`` in the unit of the series (persons). The total-inflow forecaster below wraps the
calibration of :mod:`onderdak.inflow.calibration` and the noise and surge laws of :mod:`onderdak.inflow.drivers`; the
national chain (COA occupancy, taakstelling) plugs in the same way once it can start from a
published state. Targets are a single step ahead (1, 2, 5 years) or the mean over steps 1–5.

Overlapping windows: two forecasts whose windows of shocks (steps 1..last after their origins)
overlap are not independent. The binomial uncertainty of a coverage therefore uses the *effective*
number of forecasts: the largest set of origins at least ``last`` steps apart (for consecutive
origins ⌈n / last⌉), while the coverage itself is the share over all origins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.signal import lfilter

from onderdak.backtest.one_year import LEVELS, crps_ensemble, interval_score
from onderdak.case.fields import current_month
from onderdak.core.memo import kept
from onderdak.inflow.calibration import Calibration, calibrate, yearly_total_inflow
from onderdak.inflow.noise import expected_surge_multiplier, surge_profile

Forecaster = Callable[[pd.Series, int, np.random.Generator, int], np.ndarray]

DRAWS = 5_000
INFLOW_LAWS = ("simulator", "random_walk")
SURGE_RAMP_MONTHS = 6  # as onderdak.inflow.noise's surges (the defaults of surge_multiplier)
SURGE_HALF_LIFE_MONTHS = 12.0


@dataclass(frozen=True)
class Target:
    """What is forecast: the mean of the observed values ``first``..``last`` steps after the origin."""

    first: int
    last: int

    @property
    def name(self) -> str:
        """``h5`` for one step, ``mean_1_5`` for a window."""
        return f"h{self.last}" if self.first == self.last else f"mean_{self.first}_{self.last}"


DEFAULT_TARGETS = (Target(1, 1), Target(2, 2), Target(5, 5), Target(1, 5))


def effective_count(origins: Iterable[int], span: int) -> int:
    """The largest number of origins whose windows of ``span`` steps do not overlap.

    Greedy from the earliest origin (optimal for intervals on a line): an origin counts when it lies
    at least ``span`` steps after the last one counted.

    >>> effective_count([2016, 2017, 2018, 2019, 2020], 5)
    1
    >>> effective_count([1, 2, 3, 4, 5, 6, 7], 2)
    4
    >>> effective_count([1, 3, 4, 9], 3)
    2
    """
    count, last = 0, None
    for origin in sorted(origins):
        if last is None or origin - last >= span:
            count, last = count + 1, origin
    return count


def effective_coverage_interval(
    share: float, n: float, confidence: float = 0.95
) -> tuple[float, float]:
    """Clopper–Pearson interval of a coverage ``share`` measured on an effective ``n`` forecasts.

    The beta-quantile form of Clopper–Pearson accepts a non-integer count ``share × n``; for an
    integer count it is the exact interval of :func:`onderdak.backtest.one_year.coverage_interval`.
    """
    if n <= 0:
        return float("nan"), float("nan")
    k, a = share * n, (1.0 - confidence) / 2.0
    low = 0.0 if k <= 0 else float(stats.beta.ppf(a, k, n - k + 1))
    high = 1.0 if k >= n else float(stats.beta.ppf(1.0 - a, k + 1, n - k))
    return low, high


def rolling_forecasts(
    observed: pd.Series,
    forecaster: Forecaster,
    targets: Sequence[Target] = DEFAULT_TARGETS,
    *,
    first_origin: int | None = None,
    seed: int = 20261123,
    draws: int = DRAWS,
) -> pd.DataFrame:
    """One row per origin and target: forecast quantiles, the outcome and the scores.

    Parameters
    ----------
    observed : pandas.Series
        The observed series (persons) on an integer step index (years, or ``year × 2 + half`` for
        half-years); gaps are allowed. An origin is an observed step; a target is scored only when
        every step of its window is observed.
    forecaster : callable
        ``forecaster(observed_up_to_origin, steps, rng, draws) -> (draws, steps)`` array of paths.
    targets : sequence of Target
        Horizons to score; the forecaster is asked for ``max(last)`` steps once per origin.
    first_origin : int, optional
        First origin step; default the first observed step.
    seed : int
        Seed; each origin draws from its own stream ``(seed, origin)``, so results do not depend on
        which other origins are run.
    draws : int
        Paths per origin.

    Returns
    -------
    pandas.DataFrame
        ``origin``, ``target``, ``first_step``, ``last_step``, ``observed_persons`` (the mean of the
        window), ``persistence_persons`` (the value at the origin), ``climatology_persons`` (the mean
        of all observed values up to the origin), quantiles ``p025``–``p975``, ``in_80``, ``in_95``,
        ``pit_share``, ``interval_score_80_persons``, ``interval_score_95_persons``,
        ``crps_persons``, ``persistence_abs_error_persons``, ``climatology_abs_error_persons``.
    """
    series = observed.dropna().sort_index()
    series.index = series.index.astype(int)
    steps = max(t.last for t in targets)
    known = set(series.index)
    rows = []
    for origin in series.index:
        if first_origin is not None and origin < first_origin:
            continue
        due = [t for t in targets if all(origin + k in known for k in range(t.first, t.last + 1))]
        if not due:
            continue
        past = series.loc[:origin]
        rng = np.random.default_rng([seed, int(origin) - int(series.index[0])])
        paths = np.asarray(forecaster(past, steps, rng, draws), dtype=float)
        for t in due:
            x = paths[:, t.first - 1 : t.last].mean(axis=1)
            y = float(series.loc[origin + t.first : origin + t.last].mean())
            rows.append(_row(int(origin), t, x, y, float(past.iloc[-1]), float(past.mean())))
    return pd.DataFrame(rows)


def _row(origin: int, t: Target, x: np.ndarray, y: float, last: float, clim: float) -> dict:
    q = np.quantile(x, [0.025, 0.10, 0.50, 0.90, 0.975])
    return {
        "origin": origin,
        "target": t.name,
        "first_step": t.first,
        "last_step": t.last,
        "observed_persons": y,
        "persistence_persons": last,
        "climatology_persons": clim,
        "p025": q[0],
        "p10": q[1],
        "p50": q[2],
        "p90": q[3],
        "p975": q[4],
        "in_80": bool(q[1] <= y <= q[3]),
        "in_95": bool(q[0] <= y <= q[4]),
        "pit_share": float(np.mean(x <= y)),
        "interval_score_80_persons": interval_score(q[1], q[3], y, 0.80),
        "interval_score_95_persons": interval_score(q[0], q[4], y, 0.95),
        "crps_persons": crps_ensemble(x, y),
        "persistence_abs_error_persons": abs(y - last),
        "climatology_abs_error_persons": abs(y - clim),
    }


def horizon_scores(table: pd.DataFrame) -> pd.DataFrame:
    """Per target: coverage with its binomial uncertainty, interval scores and CRPS skill.

    ``forecasts`` counts all origins; ``effective_forecasts`` the non-overlapping ones
    (:func:`effective_count`), on which the 95% Clopper–Pearson interval of each coverage
    (``coverage_80_ci_low_share`` …) is computed. ``coverage_80_verdict`` is ``too_wide`` when the
    whole interval lies above 80%, ``too_narrow`` when below, else ``consistent`` (likewise 95%).
    ``below_p10_share`` and ``above_p90_share`` split the misses of the 80% interval by side (each
    10% when calibrated). Skill is 1 − mean CRPS / mean absolute error of the point forecast: ``skill_persistence_share``
    against the value at the origin, ``skill_climatology_share`` against the mean of the history so
    far; positive is better than the naive forecast.
    """
    rows = []
    for name, part in table.groupby("target", sort=False):
        span = int(part["last_step"].iloc[0])
        n, n_eff = len(part), effective_count(part["origin"], span)
        row: dict = {
            "target": name,
            "first_step": int(part["first_step"].iloc[0]),
            "last_step": span,
            "forecasts": n,
            "effective_forecasts": n_eff,
            "first_origin": int(part["origin"].min()),
            "last_origin": int(part["origin"].max()),
        }
        for level_name, level in LEVELS.items():
            share = float(part[f"in_{level_name}"].mean())
            low, high = effective_coverage_interval(share, n_eff)
            row[f"coverage_{level_name}_share"] = share
            row[f"coverage_{level_name}_ci_low_share"] = low
            row[f"coverage_{level_name}_ci_high_share"] = high
            row[f"coverage_{level_name}_verdict"] = (
                "too_wide" if low > level else "too_narrow" if high < level else "consistent"
            )
            row[f"interval_score_{level_name}_persons"] = float(
                part[f"interval_score_{level_name}_persons"].mean()
            )
        row["below_p10_share"] = float((part["observed_persons"] < part["p10"]).mean())
        row["above_p90_share"] = float((part["observed_persons"] > part["p90"]).mean())
        crps = float(part["crps_persons"].mean())
        row["crps_mean_persons"] = crps
        row["pit_mean_share"] = float(part["pit_share"].mean())
        for naive in ("persistence", "climatology"):
            mae = float(part[f"{naive}_abs_error_persons"].mean())
            row[f"{naive}_mae_persons"] = mae
            row[f"skill_{naive}_share"] = 1.0 - crps / mae if mae > 0 else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


# --- forecasters ------------------------------------------------------------------------------------


def persistence_forecaster(sd_log_per_step: float) -> Forecaster:
    """A stand-in: the last value times a mean-preserving log-normal random walk.

    Step k has log sd ``sd_log_per_step × √k``; the paths are the cumulative product of independent
    log-normal step factors with mean 1.
    """

    def forecast(
        observed: pd.Series, steps: int, rng: np.random.Generator, draws: int
    ) -> np.ndarray:
        s = sd_log_per_step
        change = rng.normal(-0.5 * s**2, s, (draws, steps))
        return float(observed.iloc[-1]) * np.exp(np.cumsum(change, axis=1))

    return forecast


def inflow_forecaster(
    history: pd.Series | None = None,
    law: str = "simulator",
    adjust: Callable[[Calibration], Calibration] | None = None,
    normalise_surges: bool = True,
) -> Forecaster:
    """Yearly total inflow (persons) from the level of the origin year, recalibrated at the origin.

    Parameters
    ----------
    history : pandas.Series, optional
        The longer CBS series passed to :func:`onderdak.inflow.calibration.calibrate` (as in the simulation).
    law : {"simulator", "random_walk"}
        ``"simulator"``: the calm noise is the ensemble's monthly AR(1) log-normal noise
        (:func:`calm_noise`: stationary around the level, mean 1, innovation sd drawn per path from
        the posterior of the calibrated total-inflow volatility), the law the ensemble uses around a
        scenario's anchors; here the anchor is the origin year's total. ``"random_walk"``: calm
        annual log changes accumulate, log sd √k × the per-path draw after k years (the law whose
        one-year step the calibration estimates). In both, surges (:func:`surge_multiplier`) multiply
        the calm level from the first month after the origin (a surge before it is in the level),
        and the yearly total is the mean of the twelve months × 12 (the seasonal factors sum to 12
        over a calendar year, so they are left out).
    adjust : callable, optional
        Applied to the calibration at each origin before drawing, e.g.
        ``lambda c: dataclasses.replace(c, surge_log_size_mean=0.4)``: backtests a candidate
        recalibration without changing :mod:`onderdak.inflow.calibration`.
    normalise_surges : bool
        Divide the surge factors by their expectation
        (:func:`onderdak.inflow.noise.expected_surge_multiplier`), as the simulation does: the forecast's mean
        stays at the origin's level and surges only widen it. False: surges add to the level.

    Notes
    -----
    A vectorised draw from the simulation's laws, not a call of
    :func:`onderdak.inflow.drivers.simulate_inflow`: that needs a case and scenario anchors that did not exist
    at past origins. The draw reuses the calibration (:class:`onderdak.inflow.calibration.Calibration`'s
    posterior draws, its monthly φ and σ) and the surge profile :func:`onderdak.inflow.noise.surge_profile`,
    and writes out the two short laws itself so that it does not depend on the simulator's array
    layout; ``tests/test_backtest_horizons.py`` checks them against the calibration's definition.
    """
    if law not in INFLOW_LAWS:
        raise ValueError(f"law {law!r}: choose one of {INFLOW_LAWS}")

    def forecast(
        observed: pd.Series, steps: int, rng: np.random.Generator, draws: int
    ) -> np.ndarray:
        cal = calibrate(int(observed.index[-1]), history)
        if adjust is not None:
            cal = adjust(cal)
        months = 12 * steps
        sd = cal.draw_sd(rng, draws, total=True)  # calm annual log-change sd of the total, per path
        surge = surge_multiplier(rng, draws, months, cal)
        if normalise_surges:  # as the simulation: surges widen the level, they do not raise it
            surge = surge / expected_surge_multiplier(cal, months, 0)[None, :]
        if law == "simulator":
            sigma = cal.sigma_monthly * sd / cal.annual_log_change_sd
            monthly = calm_noise(rng, draws, months, cal.phi_monthly, sigma) * surge
        else:
            change = rng.normal(-0.5 * sd[:, None] ** 2, sd[:, None], (draws, steps))
            monthly = np.repeat(np.exp(np.cumsum(change, axis=1)), 12, axis=1) * surge
        return float(observed.iloc[-1]) * monthly.reshape(draws, steps, 12).mean(axis=2)

    return forecast


def calm_noise(
    rng: np.random.Generator, draws: int, months: int, phi: float, sigma: np.ndarray
) -> np.ndarray:
    """Monthly factors exp(x − ½ var x), x an AR(1) started in its stationary law: shape (draws, months).

    ``phi`` is the monthly AR coefficient and ``sigma`` the innovation sd per draw (log units), as
    :func:`onderdak.inflow.calibration.calibrate` estimates them: the annual log change of the yearly sums then
    has the calibrated calm volatility.
    """
    sigma = np.asarray(sigma, dtype=float).reshape(-1, 1)
    eps = rng.standard_normal((draws, months)) * sigma
    eps[:, 0] /= np.sqrt(1.0 - phi**2)
    x = lfilter([1.0], [1.0, -phi], eps, axis=1)  # x[t] = φ x[t−1] + ε[t]
    return np.exp(x - 0.5 * sigma**2 / (1.0 - phi**2))


def surge_multiplier(
    rng: np.random.Generator, draws: int, months: int, cal: Calibration
) -> np.ndarray:
    """Monthly surge factors ≥ 1, shape (draws, months), from the calibration's surge law.

    One yearly rate per draw from its Beta posterior; an onset in a month with probability rate / 12;
    size exp(N(mean, sd)) − 1; each onset ramps up over :data:`SURGE_RAMP_MONTHS` and then halves
    every :data:`SURGE_HALF_LIFE_MONTHS` (:func:`onderdak.inflow.noise.surge_profile`).
    """
    rate = cal.draw_surge_rate(rng, draws)[:, None]
    onset = rng.random((draws, months)) < rate / 12.0
    size = np.exp(rng.normal(cal.surge_log_size_mean, cal.surge_log_size_sd, (draws, months))) - 1
    return 1.0 + surge_profile(onset * size, SURGE_RAMP_MONTHS, SURGE_HALF_LIFE_MONTHS)


@kept(depends=current_month)  # the same for every case: once per process (a batch worker's kernel)
def inflow_backtest(
    history: pd.Series | None = None,
    law: str = "simulator",
    first_origin: int | None = None,
    seed: int = 20261123,
    draws: int = DRAWS,
    targets: Sequence[Target] = DEFAULT_TARGETS,
    adjust: Callable[[Calibration], Calibration] | None = None,
    normalise_surges: bool = True,
) -> pd.DataFrame:
    """Rolling-origin forecasts of yearly total inflow on the reference, or spliced with ``history``.

    ``first_origin`` defaults to 2016 on the reference alone (three years of calibration) and 1985
    with the CBS history (ten years); ``law``, ``adjust`` and ``normalise_surges`` as in
    :func:`inflow_forecaster`.
    """
    if first_origin is None:
        first_origin = 2016 if history is None else 1985
    return rolling_forecasts(
        yearly_total_inflow(history),
        inflow_forecaster(history, law, adjust, normalise_surges),
        targets,
        first_origin=first_origin,
        seed=seed,
        draws=draws,
    )


def one_year_table(table: pd.DataFrame) -> pd.DataFrame:
    """The one-year-ahead rows of a :func:`rolling_forecasts` table in :mod:`onderdak.backtest.one_year`'s layout.

    ``origin_year``, ``target_year``, ``naive_persons`` and ``naive_abs_error_persons`` (persistence),
    so that :func:`onderdak.backtest.one_year.scores`, :func:`onderdak.backtest.one_year.mpp_comparison` and the report's
    backtest figure read the multi-year backtest's first horizon.
    """
    h1 = table[(table["first_step"] == 1) & (table["last_step"] == 1)]
    out = h1.rename(
        columns={
            "origin": "origin_year",
            "persistence_persons": "naive_persons",
            "persistence_abs_error_persons": "naive_abs_error_persons",
        }
    )
    out.insert(1, "target_year", out["origin_year"] + 1)
    return out.reset_index(drop=True)
