"""Money over time: monthly cash flows to years, real discounting, NPV, annuities, IRR and cost per place-day.

Conventions (used by every money function in Onderdak):

- euros at prices of the case's ``price_year``; the discount rate is real, per year;
- a cash-flow array has time on its last axis and anything (paths, alternatives) in front;
- income is positive, cost is negative; the *net present cost* of a plan is ``-npv``;
- years are 12-month blocks from the case's first month; year ``t`` (0, 1, …) is discounted by
  ``(1 + r) ** -t``, so the first year is not discounted (the convention of ``numpy_financial.npv``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from onderdak.core.notes import Note
from onderdak.io.reference import table as reference_table

MONTHS_PER_YEAR = 12


def months_in_horizon(start: str, years: int) -> pd.PeriodIndex:
    """The monthly periods of ``years`` 12-month blocks from ``start`` (YYYY-MM)."""
    return pd.period_range(start, periods=years * MONTHS_PER_YEAR, freq="M", name="period")


def days_in_months(periods: pd.PeriodIndex) -> np.ndarray:
    """Calendar days of each month, shape (months,), float."""
    return np.asarray(periods.days_in_month, dtype=float)


def yearly(monthly: np.ndarray) -> np.ndarray:
    """Sum monthly values (…, months) into 12-month blocks (…, years); a partial last year is kept.

    Examples
    --------
    >>> yearly(np.arange(13.0)).tolist()
    [66.0, 12.0]
    """
    monthly = np.asarray(monthly, dtype=float)
    months = monthly.shape[-1]
    years = -(-months // MONTHS_PER_YEAR)
    pad = years * MONTHS_PER_YEAR - months
    if pad:
        monthly = np.concatenate([monthly, np.zeros((*monthly.shape[:-1], pad))], axis=-1)
    return monthly.reshape(*monthly.shape[:-1], years, MONTHS_PER_YEAR).sum(axis=-1)


def discount_factors(years: int, rate_share: float | np.ndarray) -> np.ndarray:
    """Discount factors ``(1 + r) ** -t`` for t = 0 … years-1.

    Parameters
    ----------
    years
        Number of yearly periods.
    rate_share
        Real discount rate per year (0.025 = 2.5%); a scalar or an array of shape (k,).

    Returns
    -------
    ndarray
        Shape (years,) for a scalar rate, (k, years) for an array of rates.
    """
    rate = np.asarray(rate_share, dtype=float)
    t = np.arange(years, dtype=float)
    return (1.0 + rate[..., None]) ** -t


def npv(cash_flows_eur: np.ndarray, rate_share: float | np.ndarray) -> np.ndarray:
    """Net present value (€) of yearly cash flows (…, years) at a real rate; year 0 undiscounted.

    ``rate_share`` may be an array broadcasting against the leading axes of ``cash_flows_eur``.
    Equals ``numpy_financial.npv(rate, values)`` for one stream.
    """
    cf = np.asarray(cash_flows_eur, dtype=float)
    rate = np.asarray(rate_share, dtype=float)
    if rate.ndim == 0:
        return cf @ discount_factors(cf.shape[-1], rate)
    df = (1.0 + rate[..., None]) ** -np.arange(cf.shape[-1], dtype=float)
    return (cf * df).sum(axis=-1)


def annuity_factor(rate_share: float | np.ndarray, years: int) -> np.ndarray:
    """Present value (years-equivalent) of 1 € per year paid at the start of each of ``years`` years."""
    return discount_factors(years, rate_share).sum(axis=-1)


def equivalent_annual_eur(npv_eur: np.ndarray | float, rate_share: float, years: int) -> np.ndarray:
    """The constant yearly amount (€/year, years 0 … years-1) with the same present value as ``npv_eur``.

    For a cost this is the equivalent annual cost (EAC, negative like the NPV). Equals
    ``-numpy_financial.pmt(rate, years, npv, when="begin")``.
    """
    return np.asarray(npv_eur, dtype=float) / annuity_factor(rate_share, years)


def sign_changes(cash_flows_eur: np.ndarray) -> np.ndarray:
    """Number of sign changes in each stream (…, years), zeros skipped; an int array of shape (…)."""
    cf = np.asarray(cash_flows_eur, dtype=float)
    s = np.sign(cf)
    nz = s != 0
    idx = np.where(nz, np.arange(cf.shape[-1]), -1)
    last = np.maximum.accumulate(idx, axis=-1)  # index of the latest nonzero entry up to t
    prev = np.concatenate([np.full((*cf.shape[:-1], 1), -1), last[..., :-1]], axis=-1)
    prev_sign = np.take_along_axis(s, np.maximum(prev, 0), axis=-1)
    change = nz & (prev >= 0) & (prev_sign != s)
    return change.sum(axis=-1)


def irr(
    cash_flows_eur: np.ndarray,
    low_share: float = -0.9,
    high_share: float = 10.0,
    iterations: int = 60,
) -> np.ndarray:
    """Internal rate of return (per year) of each stream (…, years), NaN where it does not exist.

    The IRR is reported where the stream changes sign exactly once: then NPV(r) has exactly one root
    with r > −1 (Descartes' rule of signs in x = 1/(1+r)). Streams with no or several sign changes,
    or with the root outside [low_share, high_share], get NaN. Solved by safeguarded Newton steps
    (bisection when Newton leaves the bracket), vectorised over streams.
    """
    cf = np.asarray(cash_flows_eur, dtype=float)
    lead = cf.shape[:-1]
    flat = cf.reshape(-1, cf.shape[-1])
    out = np.full(flat.shape[0], np.nan)
    ok = sign_changes(flat) == 1
    if not ok.any():
        return out.reshape(lead)
    c = flat[ok]
    # f(x) = sum_t c_t x^t with x = 1/(1+r); x decreases as r increases
    x_lo, x_hi = 1.0 / (1.0 + high_share), 1.0 / (1.0 + low_share)
    f_lo, _ = _poly(c, np.full(len(c), x_lo))
    f_hi, _ = _poly(c, np.full(len(c), x_hi))
    bracketed = np.sign(f_lo) * np.sign(f_hi) <= 0
    lo, hi = np.full(len(c), x_lo), np.full(len(c), x_hi)
    sign_lo = np.sign(f_lo)
    x = np.full(len(c), np.clip(1.0 / 1.05, x_lo, x_hi))
    step_old = np.full(len(c), x_hi - x_lo)
    for _ in range(iterations):
        f, df = _poly(c, x)
        same = np.sign(f) == sign_lo
        lo = np.where(same, x, lo)
        hi = np.where(same, hi, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x - f / df
        # Newton only when it stays in the bracket and converges fast enough (rtsafe rule)
        good = (
            np.isfinite(newton)
            & (newton > lo)
            & (newton < hi)
            & (np.abs(newton - x) < 0.5 * step_old)
        )
        x_new = np.where(good, newton, 0.5 * (lo + hi))
        step_old = np.abs(x_new - x)
        x = x_new
        if np.all(step_old <= 1e-13 * x):
            break
    rate = 1.0 / x - 1.0
    out[np.flatnonzero(ok)] = np.where(bracketed, rate, np.nan)
    return out.reshape(lead)


def _poly(c: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horner evaluation of sum_t c[:, t] x^t and its derivative, vectorised over rows."""
    f = np.zeros(len(c))
    df = np.zeros(len(c))
    for t in range(c.shape[1] - 1, -1, -1):
        df = df * x + f
        f = f * x + c[:, t]
    return f, df


def place_days(occupied_places: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Occupied place-days per month: places (…, months) × calendar days (months,)."""
    return np.asarray(occupied_places, dtype=float) * np.asarray(days, dtype=float)


def cost_per_place_day_eur(
    cost_eur: np.ndarray, place_days_: np.ndarray, rate_share: float | None = None
) -> np.ndarray:
    """Cost per occupied place-day (€): total cost over total place-days, both yearly (…, years).

    With ``rate_share`` both are discounted (the levelised cost, comparable with a normbedrag that
    would exactly cover the cost); without, plain sums. NaN where there are no place-days.
    ``cost_eur`` is a positive amount (pass ``-net`` for a net cost).
    """
    if rate_share is None:
        num, den = np.sum(cost_eur, axis=-1), np.sum(place_days_, axis=-1)
    else:
        num, den = npv(cost_eur, rate_share), npv(place_days_, rate_share)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def reimbursement_eur(
    goo_place_days: np.ndarray, normbedrag_eur_per_place_day: np.ndarray
) -> np.ndarray:
    """The Rijk's reimbursement per month (€): occupied GOO place-days × the month's normbedrag."""
    return np.asarray(goo_place_days, dtype=float) * np.asarray(
        normbedrag_eur_per_place_day, dtype=float
    )


def municipal_net_cost_eur(cost_eur: np.ndarray, reimbursement_eur_: np.ndarray) -> np.ndarray:
    """Municipal net cost (€, positive = the municipality pays): cost minus the Rijk's reimbursement."""
    return np.asarray(cost_eur, dtype=float) - np.asarray(reimbursement_eur_, dtype=float)


@dataclass(frozen=True)
class Normbedrag:
    """The normbedrag per month of a horizon, with the years for which it is an assumption."""

    eur_per_place_day: np.ndarray
    assumed_years: tuple[int, ...] = ()
    last_known_year: int | None = None
    notes: list[Note] = field(default_factory=list)  # codes and figures; the report words them


def normbedrag_per_month(periods: pd.PeriodIndex, table: pd.DataFrame | None = None) -> Normbedrag:
    """The GOO normbedrag (€ per occupied place-day) for each month of ``periods``.

    Parameters
    ----------
    periods
        Monthly periods.
    table
        Rows with ``from`` (date), ``year`` and ``goo_eur_per_place_day`` (default: data/reference
        normbedrag.csv; rows without a value are ignored). A month takes the row in force on its
        15th day. Months after the last known row take its value: an ASSUMPTION (the normbedrag is
        reset each 1 January), listed in ``assumed_years`` and ``notes``; months before the first row
        take the first value (also listed).
    """
    if table is None:
        table = reference_table("normbedrag")
    t = pd.DataFrame(table).dropna(subset=["goo_eur_per_place_day"])
    t = t.assign(_from=pd.to_datetime(t["from"]).to_numpy()).sort_values("_from")
    mid = (periods.to_timestamp(how="start") + pd.Timedelta(days=14)).to_numpy()
    starts = t["_from"].to_numpy()
    pos = np.searchsorted(starts, mid, side="right") - 1
    before = pos < 0
    pos = np.clip(pos, 0, len(t) - 1)
    values = t["goo_eur_per_place_day"].to_numpy(dtype=float)[pos]
    known_years = set(t["year"].astype(int).tolist())
    last_year = int(t["year"].iloc[-1])
    years = np.asarray(periods.year, dtype=int)
    assumed = tuple(sorted({int(y) for y in years if y not in known_years or y < min(known_years)}))
    notes: list[Note] = []
    if assumed:
        later = [y for y in assumed if y > last_year]
        if later:
            notes.append(
                Note.of(
                    "normbedrag_carried_forward",
                    first_year=later[0],
                    last_year=later[-1],
                    known_year=last_year,
                    value_eur=float(t["goo_eur_per_place_day"].iloc[-1]),
                )
            )
        if before.any():
            first = pd.Timestamp(t["from"].iloc[0]).date()
            notes.append(Note.of("normbedrag_first_used", first=first))
    return Normbedrag(values.astype(float), assumed, last_year, notes)
