"""Municipal need per stream, month and path: GOO places, Spreidingswet places and dwellings for status holders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import reference
from model.case import Case
from model.ensemble import Ensemble, Need
from model.inflow import half_year_index

UNITS = {"ukraine": "places", "asylum": "places", "status_holders": "dwellings"}


def national_population(case: Case) -> float:
    """Inhabitants of the Netherlands: the case's value or data/reference."""
    return float(
        case.municipality.national_population_persons
        or reference.scalar("national_population_persons")
    )


def population_share(case: Case) -> float:
    """The municipality's share of the national population (0–1)."""
    return case.municipality.population_persons / national_population(case)


def municipal_need(case: Case, ensemble: Ensemble) -> Need:
    """Need of the municipality for each stream, per path and month.

    Parameters
    ----------
    case : Case
        The resolved case.
    ensemble : Ensemble
        National drivers from :func:`model.inflow.simulate_inflow` for the same case.

    Returns
    -------
    Need
        ``ukraine`` and ``asylum`` in places, ``status_holders`` in dwellings (beyond regular
        social-rent allocation), each of shape (paths, months), plus status-holder detail series.
    """
    share = population_share(case)
    streams = {
        "ukraine": ukraine_places(case, ensemble, share),
        "asylum": asylum_places(case, ensemble, share),
    }
    sh = status_holder_need(case, ensemble["taakstelling_persons"] * share, ensemble.periods)
    streams["status_holders"] = sh.pop("need_dwellings")
    return Need(
        scenario=ensemble.scenario,
        periods=ensemble.periods,
        streams=streams,
        units=dict(UNITS),
        detail=sh,
    )


def ukraine_places(case: Case, ensemble: Ensemble, share: float) -> np.ndarray:
    """GOO places: the municipal share of the national GOO stock.

    The share is the population share, or ``share_override``, or — with an agreed number — that
    number divided by the national stock at the start, so the agreed task then moves with the nation.
    """
    national = ensemble["ukraine_goo_places"]
    s = case.ukraine
    if s.agreed_places is not None:
        share = s.agreed_places / float(np.mean(national[:, 0]))
    elif s.share_override is not None:
        share = s.share_override
    return national * share


def spreidingswet_cycles(case: Case, periods: pd.PeriodIndex) -> np.ndarray:
    """Index of the Spreidingswet cycle each month belongs to (0 = the cycle containing ``cycle_start``)."""
    start = pd.Period(case.asylum.cycle_start, freq="M")
    offset = np.array([(p - start).n for p in periods])
    return np.floor_divide(offset, case.asylum.cycle_months)


def published_national_places(cycle_start: pd.Period) -> float | None:
    """The published national Spreidingswet target for a cycle starting in that year, if any."""
    try:
        return reference.scalar(f"spreidingswet_national_places_cycle_{cycle_start.year}")
    except Exception:  # noqa: BLE001 - no published number for this cycle
        return None


def asylum_places(case: Case, ensemble: Ensemble, share: float) -> np.ndarray:
    """Spreidingswet places: population share × SES correction × national required capacity per cycle.

    Within a 2-year cycle the number is fixed. It is set from the published national target where
    one exists, else from the simulated national required capacity (occupancy / norm) in the month
    the cycle starts. A published municipal number overrides the cycle containing the case start.
    """
    periods = ensemble.periods
    required = ensemble["coa_required_places"]
    cycles = spreidingswet_cycles(case, periods)
    start = pd.Period(case.asylum.cycle_start, freq="M")
    key = share * case.municipality.ses_correction_share
    out = np.empty_like(required)
    for c in np.unique(cycles):
        idx = np.flatnonzero(cycles == c)
        cycle_start = start + int(c) * case.asylum.cycle_months
        published = published_national_places(cycle_start)
        if c == cycles[0] and case.asylum.published_places is not None:
            out[:, idx] = case.asylum.published_places
        elif published is not None:
            out[:, idx] = published * key
        else:
            out[:, idx] = (required[:, idx[0]] * key)[:, None]
    return out


def persons_per_dwelling(case: Case) -> float:
    """Average household size of status holders: singles plus larger households."""
    single = case.status_holders.single_household_share
    if single is None:
        single = reference.scalar("single_household_share_status_holders")
    return single * 1.0 + (1.0 - single) * case.status_holders.multi_person_household_size_persons


def status_holder_need(
    case: Case, taakstelling_persons: np.ndarray, periods: pd.PeriodIndex
) -> dict[str, np.ndarray]:
    """Dwellings to provide beyond regular allocation, and the waiting list, from the municipal taakstelling.

    ``taakstelling_persons`` is the municipal task per month (half-year total / 6). Each month the
    task and the carried-over backlog are housed in the regular supply of dwellings; what cannot be
    housed is the backlog (achterstand) in persons, which carries over (a lead carries over as a
    negative backlog). Need in dwellings is the backlog converted by the household size: the
    dwellings the municipality must add (flex units, transformation) to meet its task.
    """
    paths, months = taakstelling_persons.shape
    size = persons_per_dwelling(case)
    supply_persons = case.status_holders.regular_supply_dwellings_per_month * size
    backlog = np.full(paths, float(case.status_holders.backlog_persons_at_start))
    backlog_t = np.empty((paths, months))
    housed_t = np.empty((paths, months))
    for t in range(months):
        due = backlog + taakstelling_persons[:, t]
        housed = np.minimum(np.maximum(due, 0.0), supply_persons)
        backlog = due - housed
        housed_t[:, t], backlog_t[:, t] = housed, backlog
    monthly_task = np.maximum(taakstelling_persons, 1e-9)
    waiting = np.maximum(backlog_t, 0.0)
    half = half_year_index(periods)
    half_total = np.zeros_like(taakstelling_persons)
    for key in np.unique(half):
        idx = np.flatnonzero(half == key)
        half_total[:, idx] = taakstelling_persons[:, idx].sum(axis=1, keepdims=True)
    return {
        "need_dwellings": waiting / size,
        "taakstelling_persons": taakstelling_persons,
        "taakstelling_half_year_persons": half_total,
        "housed_regular_persons": housed_t,
        "backlog_persons": backlog_t,
        "waiting_list_persons": waiting,
        "waiting_time_months": waiting / monthly_task,
    }
