"""The Rijk's rates per month from dated reference tables: normbedrag per realised place, POO, outflow incentives.

A dated table has ``from`` and ``until`` (inclusive) dates per row; a rate holds on every day of its row.
Days no published row covers take the last published rate before them (carried forward), or the first
rate when they lie before every row; both are returned as structured :class:`RateNote` s, never as
text (the reporting layer words them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from onderdak.core.notes import Note
from onderdak.io.reference import table
from onderdak.need.demand import persons_per_dwelling
from onderdak.register.locations import closing_month

if TYPE_CHECKING:
    from onderdak.case.settings import Case
    from onderdak.portfolio.allocation import Allocation


@dataclass(frozen=True)
class RateNote:
    """A rate the model had to assume because no published row covers some days.

    Attributes
    ----------
    code : str
        ``"carried_forward"`` (days after a published rate, taking its value) or
        ``"before_first"`` (days before the first row, taking the first value).
    table : str
        Reference table, e.g. ``"normbedrag"``.
    column : str
        Rate column, e.g. ``"goo_eur_per_place_day"``.
    years : tuple of int
        Calendar years with assumed days.
    value : float
        The rate used on those days (unit of ``column``).
    value_from : str
        ``from`` date of the row whose value is used (ISO).
    """

    code: str
    table: str
    column: str
    years: tuple[int, ...]
    value: float
    value_from: str

    def note(self) -> Note:
        """The assumption as a note for the report (``rate_carried_forward`` or
        ``rate_before_first``: the rate column, the years, the value and the date it is from)."""
        return Note.of(
            f"rate_{self.code}",
            column=self.column,
            first_year=self.years[0],
            last_year=self.years[-1],
            value=self.value,
            value_from=pd.Timestamp(self.value_from).date(),
        )


def daily_rates(
    rows: pd.DataFrame, column: str, days: pd.DatetimeIndex, name: str = "normbedrag"
) -> tuple[np.ndarray, list[RateNote]]:
    """The rate of ``column`` on each day, from rows with ``from``/``until`` dates.

    Parameters
    ----------
    rows : pandas.DataFrame
        Columns ``from``, ``until`` (ISO dates, inclusive; an empty ``until`` runs open-ended) and
        ``column``; rows whose ``column`` is empty are not published and ignored.
    column : str
    days : pandas.DatetimeIndex
        Daily dates.
    name : str
        Table name, for the notes.

    Returns
    -------
    (numpy.ndarray, list of RateNote)
        Rate per day (unit of ``column``) and the notes on assumed days.

    Examples
    --------
    >>> rows = pd.DataFrame({"from": ["2022-10-01", "2022-10-15"], "until": ["2022-10-14", "2022-10-31"],
    ...                      "rate": [100.0, 83.0]})
    >>> r, notes = daily_rates(rows, "rate", pd.date_range("2022-10-13", "2022-11-01"))
    >>> r[:3].tolist(), r[-1], notes[0].code
    ([100.0, 100.0, 83.0], 83.0, 'carried_forward')
    """
    t = rows.dropna(subset=[column]).copy()
    if t.empty:
        raise ValueError(f"data/reference/{name}.csv: no published value of `{column}`")
    t["_from"] = pd.to_datetime(t["from"])
    t["_until"] = pd.to_datetime(t["until"]).fillna(pd.Timestamp.max)
    t = t.sort_values("_from")
    out = np.full(len(days), np.nan)
    for f, u, v in zip(t["_from"], t["_until"], t[column].astype(float), strict=True):
        out[(days >= f) & (days <= u)] = v
    notes: list[RateNote] = []
    missing = np.isnan(out)
    if missing.any():
        starts = t["_from"].to_numpy()
        pos = np.searchsorted(starts, days.to_numpy(), side="right") - 1
        before = missing & (pos < 0)
        after = missing & (pos >= 0)
        values = t[column].to_numpy(dtype=float)
        out[before] = values[0]
        out[after] = values[pos[after]]
        if before.any():
            notes.append(
                RateNote(
                    "before_first",
                    name,
                    column,
                    tuple(sorted(set(days[before].year.tolist()))),
                    float(values[0]),
                    t["_from"].iloc[0].date().isoformat(),
                )
            )
        for p in np.unique(pos[after]):
            sel = after & (pos == p)
            notes.append(
                RateNote(
                    "carried_forward",
                    name,
                    column,
                    tuple(sorted(set(days[sel].year.tolist()))),
                    float(values[p]),
                    t["_from"].iloc[p].date().isoformat(),
                )
            )
    return out, notes


def _days(periods: pd.PeriodIndex) -> tuple[pd.DatetimeIndex, np.ndarray]:
    days = pd.date_range(periods[0].start_time, periods[-1].end_time.normalize(), freq="D")
    month_of = np.searchsorted(periods.asi8, days.to_period("M").asi8)
    return days, month_of


def eur_per_unit_month(
    name: str, column: str, periods: pd.PeriodIndex, *, per_month: bool = False
) -> tuple[np.ndarray, list[RateNote]]:
    """A dated reference rate summed over the days of each month.

    Parameters
    ----------
    name : str
        Reference table (``data/reference/<name>.csv``) with ``from``/``until`` rows.
    column : str
        A rate per day (``*_per_place_day``) or, with ``per_month=True``, per month
        (``*_per_person_month``): each day then counts as 1 / (days in its month) of a month.
    periods : pandas.PeriodIndex
        Monthly horizon (consecutive months).

    Returns
    -------
    (numpy.ndarray, list of RateNote)
        Shape (months,): EUR per unit (place or person) per month, and the notes on assumed days.
    """
    values, notes = _per_month(name, column, periods[0], len(periods), per_month)
    return values.copy(), list(notes)


def goo_rate_per_month(
    periods: pd.PeriodIndex, after_tpd_eur_per_place_day: float | None, tpd_end: str
) -> tuple[np.ndarray, list[RateNote], Note | None]:
    """The GOO normbedrag per realised place summed over each month, with the regime after protection ends.

    Until ``tpd_end`` (ISO date, 4 March 2027) the dated normbedrag; from it, when
    ``after_tpd_eur_per_place_day`` is given (the case's assumption for the financing once residents hold
    a 3-year permit), that rate on every day. Returns the monthly sums (EUR per place per month), the
    notes on unpublished days before ``tpd_end`` and the note on the new regime (``budget_after_tpd``,
    None if none).
    """
    values, notes = eur_per_unit_month("normbedrag", "goo_eur_per_place_day", periods)
    if after_tpd_eur_per_place_day is None:
        return values, notes, None
    days, month_of = _days(periods)
    rates, _ = daily_rates(table("normbedrag"), "goo_eur_per_place_day", days)
    after = days >= pd.Timestamp(tpd_end)
    rates[after] = after_tpd_eur_per_place_day
    notes = [n for n in notes if min(n.years) < pd.Timestamp(tpd_end).year or not after.any()]
    line = Note.of(
        "budget_after_tpd",
        tpd_end=pd.Timestamp(tpd_end).date(),
        value_eur=float(after_tpd_eur_per_place_day),
    )
    return np.bincount(month_of, weights=rates, minlength=len(periods)), notes, line


@lru_cache(maxsize=64)
def _per_month(
    name: str, column: str, first: pd.Period, months: int, per_month: bool
) -> tuple[np.ndarray, tuple[RateNote, ...]]:
    periods = pd.period_range(first, periods=months, freq="M")
    days, month_of = _days(periods)
    rates, notes = daily_rates(table(name), column, days, name)
    if per_month:
        rates = rates / days.days_in_month.to_numpy(dtype=float)
    return np.bincount(month_of, weights=rates, minlength=months), tuple(notes)


@dataclass(frozen=True)
class Incentive:
    """One dated figure of ``data/reference/status_holder_incentives.csv``.

    Attributes
    ----------
    item : str
        ``housed_from_coa``, ``temporary_shelter_year``, ``doorstroom_day`` or ``flex_dwelling_subsidy``.
    eur : float
        Amount (unit in ``unit``).
    unit : str
    valid_from : pandas.Timestamp
    valid_until : pandas.Timestamp or None
        None: no end date was published.
    min_years : float or None
        Years a dwelling must serve the target groups (the SFT condition); None: no condition.
    """

    item: str
    eur: float
    unit: str
    valid_from: pd.Timestamp
    valid_until: pd.Timestamp | None
    min_years: float | None = None

    def valid_months(self, periods: pd.PeriodIndex) -> np.ndarray:
        """Boolean per month: the figure applies on the month's first day or later within it."""
        first = periods.to_timestamp(how="start")
        last = periods.to_timestamp(how="end").normalize()
        ok = last >= self.valid_from
        if self.valid_until is not None:
            ok &= first <= self.valid_until
        return np.asarray(ok, dtype=bool)


def incentive(item: str) -> Incentive:
    """Read one item of ``data/reference/status_holder_incentives.csv``."""
    t = table("status_holder_incentives").set_index("item")
    row = t.loc[item]
    until = row["valid_until"]
    return Incentive(
        item=item,
        eur=float(row["eur"]),
        unit=str(row["unit"]),
        valid_from=pd.Timestamp(row["valid_from"]),
        valid_until=None if pd.isna(until) else pd.Timestamp(until),
        min_years=None if pd.isna(row["min_years"]) else float(row["min_years"]),
    )


TARGET_STREAMS = frozenset({"ukraine", "status_holders"})
"""Streams whose dwellings count for the SFT condition (Ukrainians or status holders)."""


def outflow_incentive_eur(case: Case, alloc: Allocation, months: slice = slice(None)) -> np.ndarray:
    """``housed_from_coa`` EUR per status holder moving into each status-holder location, per month.

    Shape (months, ``alloc.locations["status_holders"]``, paths): the ``housed`` of
    :func:`status_holder_incentives` at those locations (the others receive none), for the months
    ``months`` of the horizon (a year at a time keeps the arrays small).
    """
    cap = alloc.capacity
    person = incentive("housed_from_coa")
    idx = alloc.locations["status_holders"]
    m0, m1, _ = months.indices(len(cap.periods))
    occupied = alloc.occupied_by_month["status_holders"][m0:m1].astype(float)  # (M, n_sh, P)
    if m0 == 0:  # the first month counts only for a location not open at the start
        open_at_start = np.array([cap.status[i] == "existing" for i in idx], dtype=float)
        first = occupied[:1] * open_at_start[None, :, None]
    else:
        first = alloc.occupied_by_month["status_holders"][m0 - 1 : m0].astype(float)
    before = np.concatenate([first, occupied[:-1]], axis=0)
    moved_in = np.maximum(occupied - before, 0.0) * persons_per_dwelling(case)
    eur = person.eur * person.valid_months(cap.periods)[m0:m1]
    return moved_in * eur[:, None, None]


def status_holder_incentives(
    case: Case, rows: pd.DataFrame, alloc: Allocation, *, housed_too: bool = True
) -> tuple[np.ndarray, np.ndarray, Note | None]:
    """The outflow incentive and the SFT flex subsidy per location and month (EUR), and their note.

    Parameters
    ----------
    case : Case
        ``status_holders.outflow_incentives`` switches both on; household size from the case.
    rows : pandas.DataFrame
        Register rows in the order of ``alloc.capacity.ids``.
    alloc : Allocation

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, str)
        ``housed`` (months, locations, paths or 1): ``housed_from_coa`` EUR per status holder moving
        into a status-holder location (rises of occupied dwellings × persons per dwelling; the first
        month of a location already open at the start does not count), in months the figure is valid.
        ``flex`` (1, locations, months): ``flex_dwelling_subsidy`` EUR per dwelling of a new
        ``flex_units`` location serving Ukrainians or status holders for at least ``min_years``
        (or without end date), committed (opening month − lead time, not before the start) while the
        scheme runs, booked in the opening month. Dwellings: ``capacity_places`` for status holders,
        else places / ``business_case.flex_places_per_unit`` (none when that is not set).
        The note is a ``budget_status_holder_incentives`` note (None when switched off).
        ``housed_too=False`` leaves ``housed`` zero (a caller that sums
        :func:`outflow_incentive_eur` a year at a time).
    """
    cap = alloc.capacity
    periods = cap.periods
    n, months = len(cap.ids), len(periods)
    housed = np.zeros((months, n, 1))
    flex = np.zeros((1, n, months))
    if not case.status_holders.outflow_incentives:
        return housed, flex, None
    person = incentive("housed_from_coa")
    idx = alloc.locations.get("status_holders", np.zeros(0, dtype=np.intp))
    if idx.size and housed_too:
        housed = np.zeros((months, n, alloc.paths))
        housed[:, idx, :] = outflow_incentive_eur(case, alloc)
    sft = incentive("flex_dwelling_subsidy")
    per_unit = case.business_case.flex_places_per_unit
    for i in range(n):
        row, opening, streams = rows.iloc[i], cap.opening[i], set(cap.streams[i])
        if row["kind"] != "flex_units" or cap.status[i] == "existing" or opening is None:
            continue
        last = closing_month(row)
        years_open = None if last is None else ((last - opening).n + 1) / 12.0
        committed = max(opening - int(row["lead_time_months"]), periods[0])
        dwellings = (
            float(row["capacity_places"])
            if "status_holders" in streams
            else (float(row["capacity_places"]) / per_unit if per_unit else 0.0)
        )
        if (
            streams & TARGET_STREAMS
            and (years_open is None or sft.min_years is None or years_open >= sft.min_years)
            and sft.valid_months(pd.PeriodIndex([committed]))[0]
        ):
            flex[0, i, periods.get_loc(opening)] = sft.eur * dwellings
    shelter, doorstroom = incentive("temporary_shelter_year"), incentive("doorstroom_day")
    note = Note.of(
        "budget_status_holder_incentives",
        person_eur=float(person.eur),
        valid_from=person.valid_from.date(),
        valid_until=None if person.valid_until is None else person.valid_until.date(),
        sft_eur=float(sft.eur),
        sft_min_years=sft.min_years,
        sft_valid_until=None if sft.valid_until is None else sft.valid_until.date(),
        shelter_eur=float(shelter.eur),
        doorstroom_eur=float(doorstroom.eur),
    )
    return housed, flex, note


__all__ = [
    "Incentive",
    "RateNote",
    "daily_rates",
    "eur_per_unit_month",
    "incentive",
    "outflow_incentive_eur",
    "status_holder_incentives",
]
