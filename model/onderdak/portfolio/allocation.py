"""Need allocated to locations per path and month, and the gap: shortfall risk and paid-for empty places.

Allocation rule (documented in the report):

* Locations are ranked once, by the case's ``allocation_rule``: ``"cost"`` ranks by the cost per
  usable place-day at full occupancy (:func:`planned_cost_eur_per_place_day`), ``"priority"`` by the
  register's ``priority`` (empty last); ties by the other criterion, then by id.
* Each month, streams are filled one after the other in ``STREAM_FILL_ORDER``; a stream fills its
  locations in rank order. A location serving several streams offers the next stream what the earlier
  ones left (status holders first: the taakstelling is statutory and those are homes).
* There is no lock-in: each month is allocated afresh (residents may move between locations).
* Empty usable places of a location count for the last stream, in fill order, that it serves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from onderdak.core.ensemble import Need
from onderdak.core.streams import STREAMS
from onderdak.need.shortfall import SHORT_PLACES
from onderdak.register.locations import Capacity, Register

STREAM_FILL_ORDER = ("status_holders", "asylum", "ukraine")
"""Order in which streams take capacity of a shared location."""

SHORTFALL_THRESHOLD = SHORT_PLACES
"""A month counts as short when the shortfall is at least half a place (it rounds to one or more):
the threshold of the one shortfall measure (model/onderdak/need/shortfall.py)."""

RISK_SHARE = 0.10
"""The gap table reports the first month in which P(shortfall) exceeds this share."""

DAYS_PER_YEAR = 365.25


def planned_cost_eur_per_place_day(register: Register, cap: Capacity) -> np.ndarray:
    """Cost per usable place-day at full occupancy within the horizon, per location (EUR).

    ``(capex − market value, ≥ 0, for locations not yet existing) + fixed opex × open years +
    closing cost``, divided by usable place-days open, plus the variable opex per place-day.
    Locations that never open in the horizon get ``inf``.
    """
    t = register.table.loc[list(cap.ids)]
    open_months = (cap.places > 0).sum(axis=1)
    usable = cap.places.max(axis=1) if cap.places.size else np.zeros(len(cap.ids))
    capex = (
        t["purchase_price_eur"] + t["conversion_capex_eur"] + t["furnishing_capex_eur"]
    ).to_numpy()
    capex = np.where(t["status"].to_numpy() == "existing", 0.0, capex)
    residual = t["market_value_eur"].fillna(0.0).to_numpy()
    fixed = t["fixed_opex_eur_per_year"].to_numpy() * open_months / 12.0
    total = np.maximum(capex - residual, 0.0) + fixed + t["closing_cost_eur"].to_numpy()
    place_days = usable * open_months * DAYS_PER_YEAR / 12.0
    with np.errstate(divide="ignore", invalid="ignore"):
        per_day = np.where(place_days > 0, total / place_days, np.inf)
    return per_day + t["variable_opex_eur_per_place_day"].to_numpy()


def fill_order(register: Register, cap: Capacity, rule: str = "cost") -> np.ndarray:
    """Location indices (into ``cap.ids``) in the order they are filled.

    Parameters
    ----------
    rule : {"cost", "priority"}
        Lowest cost per place-day first, or the register's ``priority`` (1 first, empty last).
    """
    cost = planned_cost_eur_per_place_day(register, cap)
    prio = (
        register.table.loc[list(cap.ids), "priority"]
        .astype("Float64")
        .fillna(np.inf)
        .to_numpy(dtype=float)
    )
    ids = np.argsort(np.argsort(np.array(cap.ids, dtype=str)))
    if rule == "cost":
        keys = (ids, prio, cost)
    elif rule == "priority":
        keys = (ids, cost, prio)
    else:
        raise ValueError(f"unknown allocation rule {rule!r}; use 'cost' or 'priority'")
    return np.lexsort(keys)


@dataclass(frozen=True)
class Allocation:
    """Need per stream placed in locations, per path and month.

    Attributes
    ----------
    capacity : Capacity
    order : numpy.ndarray
        Location indices in fill order (rank 0 first).
    stream_order : tuple of str
        Streams in the order they take capacity.
    locations : dict
        Stream -> indices (into ``capacity.ids``) of the locations serving it, in fill order.
    occupied_by_month : dict
        Stream -> float32 array (months, locations of the stream, paths): occupied places (paths
        last, so that filling locations in rank order works on contiguous rows of paths).
        Use :meth:`occupied` for the (paths, locations, months) view.
    need, shortfall, empty : dict
        Stream -> array (paths, months): need, unmet need, and empty usable places (places or dwellings).
    years : numpy.ndarray
        Calendar years of the horizon.
    place_days : dict
        Stream -> array (paths, locations of the stream, years): occupied place-days (dwelling-days).
    """

    capacity: Capacity
    order: np.ndarray
    stream_order: tuple[str, ...]
    locations: dict[str, np.ndarray]
    occupied_by_month: dict[str, np.ndarray]
    need: dict[str, np.ndarray]
    shortfall: dict[str, np.ndarray]
    empty: dict[str, np.ndarray]
    years: np.ndarray
    place_days: dict[str, np.ndarray]

    @property
    def paths(self) -> int:
        return next(iter(self.need.values())).shape[0]

    def occupied(self, stream: str) -> np.ndarray:
        """Occupied places of one stream, shape (paths, locations serving it, months) (a view)."""
        return self.occupied_by_month[stream].transpose(2, 1, 0)

    def occupied_total(self) -> np.ndarray:
        """Occupied places of all streams, shape (paths, locations, months), in register order (a new array)."""
        months, paths = len(self.capacity.periods), self.paths
        dtype = (
            next(iter(self.occupied_by_month.values())).dtype
            if self.occupied_by_month
            else np.float32
        )
        out = np.zeros((months, len(self.capacity.ids), paths), dtype=dtype)
        for s, idx in self.locations.items():
            out[:, idx, :] += self.occupied_by_month[s]
        return out.transpose(2, 1, 0)


def allocate(
    need: Need | Mapping[str, np.ndarray],
    cap: Capacity,
    order: Sequence[int] | np.ndarray | None = None,
    *,
    stream_order: Sequence[str] = STREAM_FILL_ORDER,
    dtype: type = np.float32,
) -> Allocation:
    """Fill locations with need, per path and month (vectorised over paths and months; a loop over streams).

    Parameters
    ----------
    need : Need or mapping
        Stream -> array (paths, months) of places (dwellings for status holders).
    cap : Capacity
        From :func:`onderdak.register.locations.capacity`.
    order : sequence of int, optional
        Location indices in fill order (:func:`fill_order`); default register order.
    stream_order : sequence of str
        Order in which streams take the capacity of shared locations; streams not listed follow.
    dtype : numpy dtype
        Precision of the occupied arrays (float32 halves memory).

    Returns
    -------
    Allocation
    """
    streams = need.streams if isinstance(need, Need) else dict(need)
    ordered = [s for s in stream_order if s in streams]
    ordered += [s for s in streams if s not in stream_order]
    rank = np.arange(len(cap.ids)) if order is None else np.asarray(order, dtype=np.intp)
    paths, months = next(iter(streams.values())).shape
    locs = {s: np.array([i for i in rank if s in cap.streams[i]], dtype=np.intp) for s in ordered}
    later = {i: s for s in ordered for i in locs[s]}  # the last stream to fill each location
    last = {s: np.array([later[i] == s for i in locs[s]], dtype=dtype) for s in ordered}
    places = np.ascontiguousarray(cap.places.T, dtype=dtype)  # (months, locations)
    wants = {s: np.ascontiguousarray(streams[s].T, dtype=dtype) for s in ordered}  # (months, paths)
    occ = {s: np.empty((months, locs[s].size, paths), dtype=dtype) for s in ordered}
    short = {s: np.empty((months, paths)) for s in ordered}
    empty = {s: np.empty((months, paths)) for s in ordered}
    periods = cap.periods
    years = np.unique(periods.year)
    days = periods.days_in_month.to_numpy(dtype=dtype)
    place_days = {s: np.zeros((paths, locs[s].size, years.size)) for s in ordered}
    # blocks of months (half-years) keep the work arrays in the processor cache
    starts = [m for m in range(months) if m == 0 or periods[m].month in (1, 7)] + [months]
    for m0, m1 in zip(starts[:-1], starts[1:], strict=True):
        block, y = slice(m0, m1), int(np.searchsorted(years, periods[m0].year))
        left: dict[int, np.ndarray] = {}  # shared location -> what earlier streams left
        for s in ordered:
            taken = occ[s][block]
            short[s][block], empty[s][block] = _fill(
                wants[s][block], places[block], locs[s], last[s], left, taken
            )
            if locs[s].size:  # occupied place-days, while the block is in cache
                place_days[s][:, :, y] += np.einsum("m,mnp->pn", days[block], taken)
    short = {s: np.ascontiguousarray(v.T) for s, v in short.items()}
    empty = {s: np.ascontiguousarray(v.T) for s, v in empty.items()}
    return Allocation(
        capacity=cap,
        order=rank,
        stream_order=tuple(ordered),
        locations=locs,
        occupied_by_month=occ,
        need={s: np.asarray(streams[s], dtype=float) for s in ordered},
        shortfall=short,
        empty=empty,
        years=years,
        place_days=place_days,
    )


def _report_order(streams: Sequence[str]) -> list[str]:
    """Streams in report order (ukraine, asylum, status holders), others after."""
    return [s for s in STREAMS if s in streams] + [s for s in streams if s not in STREAMS]


def _fill(
    want: np.ndarray,
    places: np.ndarray,
    idx: np.ndarray,
    last: np.ndarray,
    left: dict[int, np.ndarray],
    taken: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Fill one stream's locations in rank order for a block of months; returns (shortfall, empty).

    ``want`` (months, paths); ``places`` (months, all locations); ``idx`` the stream's locations in
    fill order; ``last`` 1 where this stream is the last to fill the location (its empty places count
    here); ``left`` what earlier streams left of shared locations (read and extended); ``taken``
    (months, len(idx), paths) is written with the occupied places.
    """
    months, paths = want.shape
    if idx.size == 0:
        return np.maximum(want, 0.0), np.zeros((months, paths))
    if not any(i in left for i in idx):  # capacity the same on every path: no cumsum over paths
        offer = places[:, idx]  # (months, n)
        np.subtract(want[:, None, :], (np.cumsum(offer, axis=1) - offer)[:, :, None], out=taken)
        np.clip(taken, 0.0, offer[:, :, None], out=taken)
        total = offer.sum(axis=1)[:, None]
        source = offer[:, :, None]
    else:
        source = np.empty_like(taken)
        source[:] = places[:, idx][:, :, None]
        for j, i in enumerate(idx):
            if i in left:
                source[:, j, :] = left.pop(i)
        before = np.cumsum(source, axis=1)  # rows of paths: contiguous, fast
        total = before[:, -1, :].copy()
        np.subtract(before, source, out=before)  # what the locations ranked earlier offer
        np.subtract(want[:, None, :], before, out=taken)
        np.clip(taken, 0.0, source, out=taken)
    shortfall = np.maximum(want - total, 0.0)
    if last.all():  # greedy filling occupies min(need, offer): no pass over the locations needed
        free = np.maximum(total - want, 0.0)
    else:
        free = np.einsum("mnp,n->mp", source, last) - np.einsum("mnp,n->mp", taken, last)
        for j in np.flatnonzero(last == 0):
            left[int(idx[j])] = source[:, j, :] - taken[:, j, :]  # passed on to a later stream
    return shortfall, np.broadcast_to(free, (months, paths))


def first_risky_month(
    probability: np.ndarray, periods: pd.PeriodIndex, share: float = RISK_SHARE
) -> str:
    """``YYYY-MM`` of the first month with P(shortfall) > share, or ``""`` if none."""
    hit = np.flatnonzero(probability > share)
    return periods[hit[0]].strftime("%Y-%m") if hit.size else ""


def gap_table(
    alloc: Allocation, units: Mapping[str, str] | None = None, **labels: str
) -> pd.DataFrame:
    """The gap per stream and month (tidy): need, capacity, occupied, shortfall risk and size, empty places.

    Columns: ``*labels``, stream, period, unit, need_mean, capacity (usable places open to the stream;
    a shared location counts in full for each stream), occupied_mean, shortfall_probability_share,
    shortfall_mean, shortfall_p50, shortfall_p90, empty_mean. Amounts in the stream's ``unit``.
    """
    cap, periods = alloc.capacity, alloc.capacity.periods
    frames = []
    for s in _report_order(alloc.stream_order):
        short = alloc.shortfall[s]
        q50, q90 = np.quantile(short, (0.5, 0.9), axis=0)
        frame = pd.DataFrame({k: v for k, v in labels.items()}, index=range(len(periods)))
        frame["stream"] = s
        frame["period"] = periods.strftime("%Y-%m")
        frame["unit"] = (units or {}).get(s, "places")
        frame["need_mean"] = alloc.need[s].mean(axis=0)
        frame["capacity"] = cap.by_stream(s)
        frame["occupied_mean"] = alloc.occupied_by_month[s].sum(axis=1, dtype=float).mean(axis=1)
        frame["shortfall_probability_share"] = (short >= SHORTFALL_THRESHOLD).mean(axis=0)
        frame["shortfall_mean"] = short.mean(axis=0)
        frame["shortfall_p50"] = q50
        frame["shortfall_p90"] = q90
        frame["empty_mean"] = alloc.empty[s].mean(axis=0)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def gap_summary(
    alloc: Allocation, units: Mapping[str, str] | None = None, **labels: str
) -> pd.DataFrame:
    """One row per stream over the whole horizon.

    Columns: ``*labels``, stream, unit, first_month_risk_over_10pct (``YYYY-MM`` or empty),
    max_shortfall_probability_share, months_with_risk_over_10pct, shortfall_unit_months_mean / _p50 /
    _p90 (place-months short per path), empty_unit_months_mean (paid-for vacancy),
    need_unit_months_mean.
    """
    periods = alloc.capacity.periods
    rows = []
    for s in _report_order(alloc.stream_order):
        short = alloc.shortfall[s]
        prob = (short >= SHORTFALL_THRESHOLD).mean(axis=0)
        months_short = short.sum(axis=1)
        q50, q90 = np.quantile(months_short, (0.5, 0.9))
        rows.append(
            {
                **labels,
                "stream": s,
                "unit": (units or {}).get(s, "places"),
                "first_month_risk_over_10pct": first_risky_month(prob, periods),
                "max_shortfall_probability_share": float(prob.max()) if prob.size else 0.0,
                "months_with_risk_over_10pct": int((prob > RISK_SHARE).sum()),
                "shortfall_unit_months_mean": float(months_short.mean()),
                "shortfall_unit_months_p50": float(q50),
                "shortfall_unit_months_p90": float(q90),
                "empty_unit_months_mean": float(alloc.empty[s].sum(axis=1).mean()),
                "need_unit_months_mean": float(alloc.need[s].sum(axis=1).mean()),
            }
        )
    return pd.DataFrame(rows)
