"""Services as need per stream, month and path: school places, GP registrations, inburgering, work, staff.

Every series is an array (paths, months), vectorised over paths; delays and durations are whole
months (a loop over months is fine, never over paths). Classes and groups are counted on all
streams together (pupils of every stream share them): ``⌈pupils / class size⌉``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from onderdak.case.thuis import ROUTES, ThuisSettings
from onderdak.core.streams import STREAMS
from onderdak.thuis.composition import Residents, by_age
from onderdak.thuis.defaults import (
    Profile,
    intake_share,
    newcomer_months,
    permit_to_housing_months,
    work_curve,
)

ALL = "all"
"""Stream label of series summed over the streams (classes, total staff)."""

UNITS = {
    "primary_pupils": "pupils",
    "secondary_pupils": "pupils",
    "newcomer_primary_pupils": "pupils",
    "isk_pupils": "pupils",
    "regular_primary_pupils": "pupils",
    "regular_secondary_pupils": "pupils",
    "newcomer_primary_groups": "groups",
    "isk_classes": "classes",
    "school_funding_eur_per_month": "eur_per_month",
    "gp_registrations": "persons",
    "working_age_persons": "persons",
    "employed_persons": "persons",
    "brede_intakes_started": "trajectories_per_month",
    "pip_started": "trajectories_per_month",
    **{f"pip_started_{r}": "trajectories_per_month" for r in ROUTES},
    **{f"in_progress_{r}": "trajectories" for r in ROUTES},
    "in_progress": "trajectories",
    "inburgering_cost_eur_per_month": "eur_per_month",
    "fte_reception": "fte",
    "fte_taakstelling": "fte",
    "fte_inburgering": "fte",
    "staff_cost_eur_per_month": "eur_per_month",
    "reception_staff_cost_eur_per_month": "eur_per_month",
}
"""Unit of every service series (the ``unit`` column of the tables)."""


@dataclass(frozen=True)
class Services:
    """Service series keyed by (stream, service), each (paths, months); ``UNITS`` names the unit."""

    series: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def get(self, stream: str, service: str) -> np.ndarray:
        return self.series[(stream, service)]


def shift(values: np.ndarray, months: int) -> np.ndarray:
    """``values`` delayed by ``months`` (zeros in front), same shape.

    >>> shift(np.array([[1.0, 2.0, 3.0]]), 1).tolist()
    [[0.0, 1.0, 2.0]]
    """
    if months <= 0:
        return values.copy()
    out = np.zeros_like(values)
    if months < values.shape[1]:
        out[:, months:] = values[:, :-months]
    return out


def rolling_sum(values: np.ndarray, months: int) -> np.ndarray:
    """Sum over the last ``months`` months including the current one (a stock of ``months``-long stays).

    >>> rolling_sum(np.array([[1.0, 1.0, 1.0, 1.0]]), 2).tolist()
    [[1.0, 2.0, 2.0, 2.0]]
    """
    c = np.cumsum(values, axis=1)
    return c - shift(c, months)


def ceil_units(values: np.ndarray, size: float) -> np.ndarray:
    """Whole classes or groups for ``values`` pupils of ``size`` each (a fraction under 1e-9 is dropped).

    >>> ceil_units(np.array([[0.0, 13.0, 14.0]]), 14).tolist()
    [[0.0, 1.0, 1.0]]
    """
    return np.ceil(np.maximum(values / size - 1e-9, 0.0))


def newcomer_share(res: Residents, stream: str, profile: Profile, months: int) -> np.ndarray:
    """Share of a stream's pupils in newcomers' education, per path and month.

    The case's share where set; else (status holders) the share of residents housed in the last
    ``months`` months.
    """
    persons = res.persons[stream]
    if profile.newcomer_education_share is not None:
        return np.full_like(persons, profile.newcomer_education_share)
    recent = rolling_sum(res.arrivals[stream], months)
    return np.divide(
        np.minimum(recent, persons), persons, out=np.zeros_like(persons), where=persons > 0
    )


def school(
    res: Residents, profiles: dict[str, Profile], settings: ThuisSettings
) -> dict[tuple[str, str], np.ndarray]:
    """Pupils per stream (primary, secondary; newcomers' and regular) and classes for all streams."""
    s = settings.school
    months = newcomer_months(settings)
    out: dict[tuple[str, str], np.ndarray] = {}
    for stream in STREAMS:
        ages = by_age(res.persons[stream], profiles[stream])
        primary = ages["age_4_11"] * s.enrolment_share
        secondary = ages["age_12_17"] * s.enrolment_share
        share = newcomer_share(res, stream, profiles[stream], months)
        out[(stream, "primary_pupils")] = primary
        out[(stream, "secondary_pupils")] = secondary
        out[(stream, "newcomer_primary_pupils")] = primary * share
        out[(stream, "isk_pupils")] = secondary * share
        out[(stream, "regular_primary_pupils")] = primary * (1.0 - share)
        out[(stream, "regular_secondary_pupils")] = secondary * (1.0 - share)
    for service in UNITS:
        if service.endswith("_pupils"):
            out[(ALL, service)] = sum(out[(st, service)] for st in STREAMS)
    out[(ALL, "newcomer_primary_groups")] = ceil_units(
        out[(ALL, "newcomer_primary_pupils")], s.newcomer_primary_group_pupils
    )
    out[(ALL, "isk_classes")] = ceil_units(out[(ALL, "isk_pupils")], s.isk_class_pupils)
    if s.newcomer_primary_eur_per_pupil_year is not None and s.isk_eur_per_pupil_year is not None:
        out[(ALL, "school_funding_eur_per_month")] = (
            out[(ALL, "newcomer_primary_pupils")] * s.newcomer_primary_eur_per_pupil_year
            + out[(ALL, "isk_pupils")] * s.isk_eur_per_pupil_year
        ) / 12.0
    return out


def gp(res: Residents, profiles: dict[str, Profile]) -> dict[tuple[str, str], np.ndarray]:
    """GP registrations: every resident of a stream that registers with local practices."""
    out = {
        (st, "gp_registrations"): res.persons[st] * float(profiles[st].gp_registration)
        for st in STREAMS
    }
    out[(ALL, "gp_registrations")] = sum(out[(st, "gp_registrations")] for st in STREAMS)
    return out


def cohort_employed(arrivals: np.ndarray, shares_by_lag: np.ndarray) -> np.ndarray:
    """Persons in work from monthly arrivals: Σ over lags a of arrivals[t − a] × shares_by_lag[a]."""
    months = arrivals.shape[1]
    out = np.zeros_like(arrivals)
    for lag in range(months):
        out[:, lag:] += arrivals[:, : months - lag] * shares_by_lag[lag]
    return out


def work(
    res: Residents, profiles: dict[str, Profile], settings: ThuisSettings
) -> dict[tuple[str, str], np.ndarray]:
    """Working-age persons (18-66) and persons in paid work per stream.

    Ukrainians and asylum seekers: working age × the employment share. Status holders: each month's
    arrivals × the working-age share × the CBS share with a job at their years since the permit
    (housing month + ``permit_to_housing_months``), unless the case sets a share.
    """
    out: dict[tuple[str, str], np.ndarray] = {}
    months = len(res.periods)
    for stream in STREAMS:
        profile = profiles[stream]
        working = res.persons[stream] * profile.age_shares["age_18_66"]
        if profile.employed_share_of_working_age is not None:
            employed = working * profile.employed_share_of_working_age
        else:
            years, shares = work_curve()
            lag_years = (np.arange(months) + permit_to_housing_months(settings)) / 12.0
            curve = np.interp(lag_years, years, shares)
            arrivals = res.arrivals[stream] * profile.age_shares["age_18_66"]
            employed = np.minimum(cohort_employed(arrivals, curve), working)
        out[(stream, "working_age_persons")] = working
        out[(stream, "employed_persons")] = employed
    for service in ("working_age_persons", "employed_persons"):
        out[(ALL, service)] = sum(out[(st, service)] for st in STREAMS)
    return out


def inburgering(
    res: Residents, profiles: dict[str, Profile], settings: ThuisSettings
) -> dict[tuple[str, str], np.ndarray]:
    """Wet inburgering 2021 for status holders: brede intakes, PIPs by route, trajectories in progress.

    Obliged newcomers = arrivals × working-age share × obligated share × intake share; the brede
    intake follows housing by ``intake_delay_months``, the PIP (and the route) the intake by
    ``pip_delay_months``; a trajectory is in progress for its route's months from the PIP.
    """
    s = settings.inburgering
    stream = "status_holders"
    obliged = (
        res.arrivals[stream]
        * profiles[stream].age_shares["age_18_66"]
        * s.obligated_share_of_working_age
        * intake_share(settings)
    )
    intakes = shift(obliged, s.intake_delay_months)
    pips = shift(intakes, s.pip_delay_months)
    out = {(stream, "brede_intakes_started"): intakes, (stream, "pip_started"): pips}
    progress = np.zeros_like(pips)
    cost = np.zeros_like(pips)
    for route in ROUTES:
        started = pips * getattr(s.route_shares, route)
        running = rolling_sum(started, getattr(s.route_months, route))
        out[(stream, f"pip_started_{route}")] = started
        out[(stream, f"in_progress_{route}")] = running
        progress = progress + running
        if s.cost_eur_per_trajectory is not None:
            cost = cost + started * getattr(s.cost_eur_per_trajectory, route)
    out[(stream, "in_progress")] = progress
    if s.cost_eur_per_trajectory is not None:
        out[(stream, "inburgering_cost_eur_per_month")] = cost
    return out


def staff(
    res: Residents,
    trajectories: np.ndarray,
    settings: ThuisSettings,
    staff_fte_per_100_residents: float,
    cost_per_fte_eur_per_year: float,
) -> dict[tuple[str, str], np.ndarray]:
    """Municipal FTE and their cost per month.

    ``fte_reception`` (Ukrainians in GOO × the case's staff norm; already in the locations' running
    costs, so its cost is a separate line), ``fte_taakstelling`` (status holders housed, as a
    yearly rate × the norm per 100), ``fte_inburgering`` (trajectories in progress × the norm per 100).
    """
    s = settings.staff
    cost = s.cost_per_fte_eur_per_year
    if cost is None:
        cost = cost_per_fte_eur_per_year
    reception = res.at_locations["ukraine"] * staff_fte_per_100_residents / 100.0
    if not s.reception_fte:
        reception = np.zeros_like(reception)
    housed_per_year = res.arrivals["status_holders"] * 12.0
    taak = housed_per_year * s.taakstelling_fte_per_100_housed_per_year / 100.0
    inb = trajectories * s.inburgering_fte_per_100_trajectories / 100.0
    return {
        ("ukraine", "fte_reception"): reception,
        ("status_holders", "fte_taakstelling"): taak,
        ("status_holders", "fte_inburgering"): inb,
        (ALL, "staff_cost_eur_per_month"): (taak + inb) * cost / 12.0,
        (ALL, "reception_staff_cost_eur_per_month"): reception * cost / 12.0,
    }


def services(
    res: Residents,
    profiles: dict[str, Profile],
    settings: ThuisSettings,
    staff_fte_per_100_residents: float,
    cost_per_fte_eur_per_year: float,
) -> Services:
    """Every service series of one scenario (see :data:`UNITS`)."""
    series = school(res, profiles, settings)
    series.update(gp(res, profiles))
    series.update(work(res, profiles, settings))
    series.update(inburgering(res, profiles, settings))
    trajectories = series[("status_holders", "in_progress")]
    series.update(
        staff(res, trajectories, settings, staff_fte_per_100_residents, cost_per_fte_eur_per_year)
    )
    return Services(series=series)
