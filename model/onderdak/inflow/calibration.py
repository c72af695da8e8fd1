"""Calibration of the inflow noise and surges on the historical asylum series, with its estimation uncertainty.

Calm annual volatility (first applications and total inflow), the monthly AR(1) coefficient, and the
rate and size of surges (2015- and 2022-like shocks) are estimated from data/reference, optionally
preceded by a longer CBS history; :mod:`onderdak.inflow.drivers` simulates with them and :mod:`onderdak.backtest.one_year`
checks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from onderdak.case.settings import Case
from onderdak.io import reference


@dataclass(frozen=True)
class Calibration:
    """Noise and surge parameters estimated from the historical series, with their estimation uncertainty.

    Volatilities are posterior scales of a normal law for calm annual log changes (zero drift) with a
    weak scaled-inverse-χ² prior; ``*_dof`` are the posterior degrees of freedom, so that
    :meth:`draw_sd` gives draws that reflect how few years the estimate rests on. The surge rate is the
    posterior mean under Jeffreys' Beta(½, ½) prior for ``surge_onsets`` onsets in ``surge_chances``
    year-on-year changes, drawn per path by :meth:`draw_surge_rate`.
    """

    phi_monthly: float
    sigma_monthly: float
    surge_rate_per_year: float
    surge_log_size_mean: float
    surge_log_size_sd: float
    annual_log_change_sd: float
    surge_years: tuple[int, ...]
    annual_log_change_dof: float = 1e9
    total_log_change_sd: float = 0.0
    total_log_change_dof: float = 1e9
    surge_onsets: int = 0
    surge_chances: int = 0
    exogenous_years: tuple[int, ...] = ()
    first_year: int = 0
    history_scale: float = 1.0

    def describe(self) -> dict[str, float | list[int]]:
        return {
            "phi_monthly": round(self.phi_monthly, 4),
            "sigma_monthly": round(self.sigma_monthly, 4),
            "surge_rate_per_year": round(self.surge_rate_per_year, 4),
            "surge_multiplier_median": round(float(np.exp(self.surge_log_size_mean)), 3),
            "annual_log_change_sd": round(self.annual_log_change_sd, 4),
            "total_log_change_sd": round(self.total_log_change_sd, 4),
            "surge_years": list(self.surge_years),
            "surge_onsets_in_changes": [self.surge_onsets, self.surge_chances],
            "exogenous_years": list(self.exogenous_years),
            "history_from_year": self.first_year,
            "history_scale": round(self.history_scale, 4),
        }

    def draw_sd(self, rng: np.random.Generator, n: int, total: bool = False) -> np.ndarray:
        """Draws of the annual log-change sd from its posterior (scaled inverse χ²)."""
        sd, dof = (
            (self.total_log_change_sd, self.total_log_change_dof)
            if total
            else (self.annual_log_change_sd, self.annual_log_change_dof)
        )
        return sd * np.sqrt(dof / rng.chisquare(dof, n))

    def draw_surge_rate(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draws of the yearly surge rate from its Beta posterior (Jeffreys prior)."""
        k, m = self.surge_onsets, self.surge_chances
        return rng.beta(k + 0.5, m - k + 0.5, n)


SURGE_GROWTH_THRESHOLD = 1.5  # a year whose total inflow is ≥ 1.5 × the year before starts a surge
CALM_SD_PRIOR = (
    0.25  # ASSUMPTION: prior annual log-change sd, worth CALM_SD_PRIOR_DOF years of data
)
CALM_SD_PRIOR_DOF = 2.0
SURGE_SIZE_PRIOR = (float(np.log(2.0)), 0.3)  # ASSUMPTION: log size mean, sd when no surge was seen
# COVID-19: border and travel restrictions cut first applications in Q2 2020 to 1,255 (Q2 2019: 5,190;
# CBS nieuws 2022/17) and the national taakstelling 2020-II was lowered for it (nd.nl 2020). The
# changes into these years are an exogenous shock and its rebound: neither calm noise nor a surge.
EXOGENOUS_SHOCK_YEARS = (2020, 2021)


def calibrate(until_year: int | None = None, history: pd.Series | None = None) -> Calibration:
    """Estimate noise and surges from yearly (and quarterly) asylum inflow up to ``until_year``.

    Parameters
    ----------
    until_year : int, optional
        Last year the calibration may see (the backtest's origin); default all years.
    history : pandas.Series, optional
        A longer yearly series of total inflow (persons, indexed by year), e.g. CBS 83102NED
        1975–2018 from :func:`onderdak.io.opendata.fetch_cbs_asylum_history`. It is scaled to the reference
        definition by the geometric mean ratio over the overlapping years and used before the
        reference's first year, for the surge rate and size and the total-inflow volatility.

    Notes
    -----
    Surges: years whose total inflow is at least 1.5 × the previous year mark an onset (consecutive
    onsets merge); the size is the log ratio of the peak within three years to the year before the
    onset. A surge episode runs from the onset to the peak and, when inflow then falls, the year after
    the peak (the decay the surge profile produces). Calm changes are the annual log changes outside
    surge episodes and outside :data:`EXOGENOUS_SHOCK_YEARS`; their sd (zero drift) is estimated for
    first applications (driving the monthly noise) and for total inflow (the backtest's variable).
    The monthly AR(1) coefficient comes from the quarterly series' lag-1 autocorrelation, and the
    monthly innovation is scaled so that the annual log change of the simulated process has the
    calm first-application volatility.
    """
    return _calibrate(until_year, _history_key(history))


def _history_key(history: pd.Series | None) -> tuple[tuple[int, float], ...] | None:
    """A hashable copy of a yearly series (the calibration is cached by its arguments)."""
    if history is None:
        return None
    return tuple((int(y), float(v)) for y, v in history.dropna().items())


@lru_cache(maxsize=64)
def _calibrate(
    until_year: int | None, history: tuple[tuple[int, float], ...] | None
) -> Calibration:
    yearly = reference.table("asylum_inflow_yearly").sort_values("year").set_index("year")
    if until_year is not None:
        yearly = yearly[yearly.index <= until_year]
    total, scale = _spliced(_reference_total(yearly), history, until_year)
    exogenous = tuple(y for y in EXOGENOUS_SHOCK_YEARS if y in total.index)
    onsets, sizes, episode = surge_episodes(total, exogenous)
    chances = int(sum(1 for y in total.index[1:] if y not in exogenous))
    rate = (len(onsets) + 0.5) / (chances + 1.0)  # Beta(½, ½) posterior mean: never 0
    if sizes:
        size_mean = float(np.mean(sizes))
        size_sd = float(np.std(sizes, ddof=1)) if len(sizes) > 1 else SURGE_SIZE_PRIOR[1]
    else:
        size_mean, size_sd = SURGE_SIZE_PRIOR

    skip = set(episode) | set(exogenous)
    first = yearly["first_applications_persons"].astype(float).dropna()
    first_sd, first_dof = _calm_sd(first, skip)
    total_sd, total_dof = _calm_sd(total, skip)

    phi_q = _quarterly_autocorrelation(until_year)
    phi = float(np.clip(phi_q, 0.3, 0.98) ** (1.0 / 3.0))
    sigma = first_sd / _annual_change_sd_per_unit_sigma(phi)
    return Calibration(
        phi_monthly=phi,
        sigma_monthly=sigma,
        surge_rate_per_year=rate,
        surge_log_size_mean=size_mean,
        surge_log_size_sd=size_sd,
        annual_log_change_sd=first_sd,
        surge_years=tuple(onsets),
        annual_log_change_dof=first_dof,
        total_log_change_sd=total_sd,
        total_log_change_dof=total_dof,
        surge_onsets=len(onsets),
        surge_chances=chances,
        exogenous_years=exogenous,
        first_year=int(total.index.min()),
        history_scale=scale,
    )


def calibration_for(case: Case) -> Calibration:
    """The calibration a case asks for through ``case.inflow.calibration_history``.

    ``"cbs_83102"`` (the default): data/reference 2013–2025 preceded by CBS 83102NED 1975–2018 (stored
    in data/reference): fifty years, seven surges. ``"reference"``: 2013–2025 only (one surge in ten
    year-on-year changes: a surge rate and size resting on a single event).
    """
    source = case.inflow.calibration_history
    if source == "cbs_83102":
        return calibrate(history=_cbs_83102_history())
    if source != "reference":
        raise ValueError(f"inflow.calibration_history: unknown source {source!r}")
    return calibrate()


@lru_cache(maxsize=1)
def _cbs_83102_history() -> pd.Series:
    """CBS 83102NED yearly totals 1975–2018 as stored in data/reference (asylum_inflow_yearly_cbs83102.csv).

    The file holds the table's all-nationalities total per year; :func:`onderdak.io.opendata.fetch_cbs_asylum_history`
    reads the same series from StatLine (to refresh the file).
    """
    table = reference.table("asylum_inflow_yearly_cbs83102")
    return (
        table.set_index("year")["total_inflow_persons"].astype(float).rename("total_inflow_persons")
    )


def yearly_total_inflow(history: pd.Series | None = None) -> pd.Series:
    """Yearly total asylum inflow (persons) by year: the reference series, preceded by ``history``.

    Where the reference has no total, first applications + nareizigers stand in. ``history`` (e.g.
    CBS 83102NED) is scaled to the reference definition as in :func:`calibrate`.
    """
    yearly = reference.table("asylum_inflow_yearly").sort_values("year").set_index("year")
    return _spliced(_reference_total(yearly), _history_key(history), None)[0].rename(
        "total_inflow_persons"
    )


def _reference_total(yearly: pd.DataFrame) -> pd.Series:
    total = yearly["total_inflow_persons"].astype(float)
    fallback = yearly["first_applications_persons"].astype(float) + yearly[
        "nareizigers_persons"
    ].astype(float).fillna(0)
    return total.fillna(fallback).dropna()


def _spliced(
    total: pd.Series, history: tuple[tuple[int, float], ...] | None, until_year: int | None
) -> tuple[pd.Series, float]:
    """The reference totals preceded by the scaled longer history (reference years take precedence)."""
    if not history:
        return total, 1.0
    long = pd.Series(dict(history), dtype=float)
    if until_year is not None:
        long = long[long.index <= until_year]
    overlap = long.index.intersection(total.index)
    # log changes do not depend on the scale; it matters only at the splice (no look-ahead needed)
    scale = float(np.exp(np.mean(np.log(total[overlap] / long[overlap])))) if len(overlap) else 1.0
    before = long[long.index < (total.index.min() if len(total) else np.inf)] * scale
    return pd.concat([before, total]).sort_index(), scale


def surge_episodes(
    total: pd.Series, exogenous: tuple[int, ...] = ()
) -> tuple[list[int], list[float], list[int]]:
    """Surge onsets, their log sizes and the years of their episodes in a yearly series.

    An onset is a year (not exogenous) at least 1.5 × the year before; consecutive onsets merge. The
    size is log(peak within onset..onset+2 / year before onset); the episode runs from the onset to
    the peak, plus the year after the peak when inflow falls then.
    """
    ratio = (total / total.shift(1)).dropna()
    onset = [int(y) for y, r in ratio.items() if r >= SURGE_GROWTH_THRESHOLD and y not in exogenous]
    merged = [y for y in onset if y - 1 not in onset]
    sizes, episode = [], []
    for y in merged:
        window = total.loc[y : y + 2]
        peak_year = int(window.idxmax())
        sizes.append(float(np.log(window.max() / total[y - 1])))
        episode.extend(range(y, peak_year + 1))
        after = total.get(peak_year + 1)
        if after is not None and after < total[peak_year]:
            episode.append(peak_year + 1)
    return merged, sizes, sorted(set(episode))


def _calm_sd(series: pd.Series, skip: set[int]) -> tuple[float, float]:
    """Posterior scale and dof of calm annual log changes (zero drift, scaled-inverse-χ² prior)."""
    changes = np.log(series / series.shift(1)).dropna()
    # a change needs both years: a gap in the series is not a one-year change
    changes = changes[[y - 1 in series.index and y not in skip for y in changes.index]]
    dof = CALM_SD_PRIOR_DOF + len(changes)
    sd = float(np.sqrt((CALM_SD_PRIOR_DOF * CALM_SD_PRIOR**2 + np.sum(changes**2)) / dof))
    return sd, dof


def _quarterly_autocorrelation(until_year: int | None) -> float:
    """Lag-1 autocorrelation of quarterly log first applications around a 4-quarter mean.

    Only pairs of adjacent quarters that both have a value and lie outside
    :data:`EXOGENOUS_SHOCK_YEARS` count; 0.8 when fewer than 6 pairs remain.
    """
    try:
        q = reference.table("asylum_inflow_quarterly")
    except Exception:  # noqa: BLE001 - quarterly data are optional
        return 0.8
    q = q.assign(period=pd.PeriodIndex(q["quarter"], freq="Q")).set_index("period")
    if until_year is not None:
        q = q[q.index.year <= until_year]
    if q.empty:
        return 0.8
    full = pd.period_range(q.index.min(), q.index.max(), freq="Q")
    x = np.log(q["first_applications_persons"].astype(float)).reindex(full)
    x[np.isin(full.year, EXOGENOUS_SHOCK_YEARS)] = np.nan
    dev = x - x.rolling(4, center=True, min_periods=2).mean()
    pairs = pd.DataFrame({"a": dev.to_numpy()[:-1], "b": dev.to_numpy()[1:]}).dropna()
    if len(pairs) < 6 or pairs["a"].std() == 0 or pairs["b"].std() == 0:
        return 0.8
    return float(np.corrcoef(pairs["a"], pairs["b"])[0, 1])


@lru_cache(maxsize=64)
def _annual_change_sd_per_unit_sigma(phi: float) -> float:
    """Std of the log change of annual sums of exp(AR(1)) with unit innovations (fixed-seed simulation)."""
    rng = np.random.default_rng(12345)
    n, months = 4000, 60
    x = np.zeros((n, months))
    eps = rng.standard_normal((n, months)) * 0.1  # small sigma: near-linear regime
    stationary = 0.1 / np.sqrt(1 - phi**2)
    x[:, 0] = rng.standard_normal(n) * stationary
    for t in range(1, months):
        x[:, t] = phi * x[:, t - 1] + eps[:, t]
    annual = np.exp(x).reshape(n, -1, 12).sum(axis=2)
    return float(np.std(np.diff(np.log(annual), axis=1))) / 0.1
