"""The random parts of the national drivers: AR(1) lognormal noise, surges that ramp up and decay, beta draws."""

from __future__ import annotations

import numpy as np

from onderdak.inflow.calibration import Calibration


def ar1_lognormal(
    rng: np.random.Generator,
    shape: tuple[int, int],
    phi: float,
    sigma: float | np.ndarray,
    start: int | None = None,
) -> np.ndarray:
    """Multiplicative noise exp(x) with x an AR(1) along axis 0 (months), mean-corrected to 1.

    ``shape`` is (months, paths); ``sigma`` the innovation sd, a number or one per path (shape
    (1, paths)). Without ``start`` x starts in its stationary law; with it, x is 0 before month
    ``start`` and grows from there (a known state: the last published month), the mean correction
    following its variance month by month.
    """
    months = shape[0]
    eps = rng.standard_normal(shape) * sigma
    if start is None:
        eps[0] *= 1.0 / np.sqrt(1.0 - phi**2)  # x[0] ~ N(0, sd_stat²)
        var = np.broadcast_to(np.asarray(sigma) ** 2 / (1.0 - phi**2), (1, shape[1]))
        var = np.broadcast_to(var, shape)
    else:
        eps[: max(start, 0)] = 0.0
        k = np.arange(months) - start
        steps = np.where(k >= 0, (1.0 - phi ** (2 * (k + 1))) / (1.0 - phi**2), 0.0)
        var = steps[:, None] * np.asarray(sigma) ** 2
    x = _lfilter(np.array([1.0]), phi, eps, axis=0)  # x[t] = phi x[t-1] + eps[t]
    return np.exp(x - 0.5 * var)


def surge_multiplier(
    rng: np.random.Generator,
    shape: tuple[int, int],
    cal: Calibration,
    first_month: int,
    ramp: int = 6,
    half_life: float = 12.0,
) -> np.ndarray:
    """Random surges after ``first_month``: onsets at a yearly rate drawn per path, log size ~ N(mean, sd).

    ``shape`` is (months, paths); each surge ramps up and then decays (:func:`surge_profile`).
    """
    months, paths = shape
    rate = cal.draw_surge_rate(rng, paths)[None, :]  # estimation uncertainty: one rate per path
    onset = rng.random(shape) < rate / 12.0
    onset[:first_month] = False  # a surge before the peildatum would be in the record
    size = np.exp(rng.normal(cal.surge_log_size_mean, cal.surge_log_size_sd, shape)) - 1.0
    return 1.0 + surge_profile(onset * size, ramp, half_life, axis=0)


def expected_surge_multiplier(
    cal: Calibration, months: int, first_month: int, ramp: int = 6, half_life: float = 12.0
) -> np.ndarray:
    """E[surge multiplier] per month when onsets start at ``first_month`` (see :func:`surge_multiplier`).

    Onsets are Bernoulli(rate / 12) per month with the rate drawn from its Beta posterior and sizes
    exp(N(mean, sd)) − 1, independent: the expectation is 1 + E[rate] / 12 × E[size] × the cumulative
    profile since ``first_month``.
    """
    k, m = cal.surge_onsets, cal.surge_chances
    rate = (k + 0.5) / (m + 1.0)  # mean of Beta(k + ½, m − k + ½)
    size = np.exp(cal.surge_log_size_mean + 0.5 * cal.surge_log_size_sd**2) - 1.0
    impulse = np.zeros((1, months))
    impulse[0, first_month:] = rate / 12.0 * size
    return 1.0 + surge_profile(impulse, ramp, half_life)[0]


def surge_profile(impulse: np.ndarray, ramp: int, half_life: float, axis: int = 1) -> np.ndarray:
    """Convolve onset impulses with a linear ramp followed by exponential decay, along ``axis`` (months).

    The kernel is (lag + 1) / ramp for lag < ramp and 0.5 ** ((lag − ramp + 1) / half_life) after:
    a FIR ramp plus a geometric tail, which is exactly the IIR filter
    ``((1 − a z⁻¹) Σ (k+1)/ramp z⁻ᵏ + a z⁻ʳᵃᵐᵖ) / (1 − a z⁻¹)`` with ``a = 0.5 ** (1 / half_life)``.
    """
    a = 0.5 ** (1.0 / half_life)
    ramp_taps = np.append((np.arange(ramp) + 1.0) / ramp, 0.0)
    b = ramp_taps - a * np.concatenate([[0.0], ramp_taps[:-1]])
    b[ramp] += a
    return _lfilter(b, a, impulse, axis=axis)


def _lfilter(b: np.ndarray, pole: float, x: np.ndarray, axis: int) -> np.ndarray:
    """``scipy.signal.lfilter(b, [1, -pole], x, axis)``, the same arithmetic in the same order.

    The transposed direct form II of scipy's C loop, a step per month over every path at once
    (importing scipy.signal alone took about a second of each run).
    """
    xs = np.moveaxis(np.asarray(x, dtype=float), axis, 0)
    a = np.zeros(max(len(b), 2))
    a[1] = -pole
    b = np.r_[np.asarray(b, dtype=float), np.zeros(len(a) - len(b))]
    y = np.empty_like(xs)
    z = [np.zeros(xs.shape[1:]) for _ in range(len(b) - 1)]
    for n in range(xs.shape[0]):
        xn = xs[n]
        yn = y[n]
        np.add(z[0], b[0] * xn, out=yn)
        for k in range(len(z) - 1):
            z[k] = (z[k + 1] + xn * b[k + 1]) - yn * a[k + 1]
        z[-1] = xn * b[-1] - yn * a[-1]
    return np.moveaxis(y, 0, axis)


def beta_draws(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    """Draws of a share with the given mean and sd (method of moments Beta); a point mass at 0 or 1."""
    if mean <= 0.0 or mean >= 1.0 or sd <= 0.0:
        return np.full(n, float(np.clip(mean, 0.0, 1.0)))
    var = min(sd**2, mean * (1 - mean) * 0.99)
    k = mean * (1 - mean) / var - 1.0
    return rng.beta(mean * k, (1 - mean) * k, n)
