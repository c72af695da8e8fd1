"""Municipal need per stream, month and path: GOO places, Spreidingswet places and dwellings for status holders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from onderdak.case.settings import Case
from onderdak.core.ensemble import Ensemble, Need
from onderdak.inflow.scenarios import scenario_book
from onderdak.io import reference

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
        National drivers from :func:`onderdak.inflow.drivers.simulate_inflow` for the same case.

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
    sh.update(ukraine_housing(case, ensemble, share))
    return Need(
        scenario=ensemble.scenario,
        periods=ensemble.periods,
        streams=streams,
        units=dict(UNITS),
        detail=sh,
    )


def ukraine_places(case: Case, ensemble: Ensemble, share: float) -> np.ndarray:
    """GOO places: the municipal share (:func:`ukraine_share`) of the national GOO stock."""
    return ensemble["ukraine_goo_places"] * ukraine_share(case, ensemble, share)


def ukraine_share(case: Case, ensemble: Ensemble, share: float) -> float:
    """The municipality's share of the national GOO stock.

    The population share ``share``, or ``share_override``, or — with an agreed number — that number
    divided by the national stock at the start, so the agreed task then moves with the nation.
    """
    s = case.ukraine
    if s.agreed_places is not None:
        return s.agreed_places / float(np.mean(ensemble["ukraine_goo_places"][:, 0]))
    if s.share_override is not None:
        return s.share_override
    return share


def ukraine_housing(case: Case, ensemble: Ensemble, share: float) -> dict[str, np.ndarray]:
    """Ukrainians who leave GOO places for ordinary housing after 4 March 2027, in the municipality.

    Returns ``ukraine_moved_on_persons`` (cumulative persons since the start) and
    ``ukraine_moved_on_dwellings`` (those persons in households of ``ukraine_household_size_persons``):
    housing need that lands on the local market, not on reception places. The municipal share is the
    one :func:`ukraine_places` uses.
    """
    moved = np.cumsum(ensemble["ukraine_to_housing_persons"], axis=1) * ukraine_share(
        case, ensemble, share
    )
    size = float(scenario_book()["meta"]["ukraine_household_size_persons"]["value"])
    return {"ukraine_moved_on_persons": moved, "ukraine_moved_on_dwellings": moved / size}


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
    """Spreidingswet places per cycle: the published number, else the formula (a labelled fallback).

    Within a 2-year cycle the number is fixed. The primary input is the municipality's published number:
    ``published_places`` for the cycle containing the start, ``published_cycles`` for later ones. A cycle
    without one takes population share × SES correction × the published national target, or, where no
    national target is published, × the simulated national required capacity (occupancy / norm) in the
    month the cycle starts. :func:`asylum_sources` says which applied.
    """
    periods = ensemble.periods
    required = ensemble["coa_required_places"]
    out = np.empty_like(required)
    for _cycle, idx, source, value in _asylum_cycles(case, periods):
        if source == "formula_simulated":
            out[:, idx] = (required[:, idx[0]] * value)[:, None]
        else:
            out[:, idx] = value
    return out


def asylum_sources(case: Case, periods: pd.PeriodIndex) -> list[dict[str, object]]:
    """Per Spreidingswet cycle in the horizon: its first month, how its number was set, and the number.

    ``source`` is ``published_municipal`` (the case's published number), ``formula_national_target``
    (population share × SES × the published national target) or ``formula_simulated`` (× the simulated
    national required capacity; ``places`` is then None).
    """
    out = []
    start = pd.Period(case.asylum.cycle_start, freq="M")
    for c, _idx, source, value in _asylum_cycles(case, periods):
        first = start + int(c) * case.asylum.cycle_months
        places = None if source == "formula_simulated" else float(value)
        out.append({"cycle_start": str(first), "source": source, "places": places})
    return out


def _asylum_cycles(case: Case, periods: pd.PeriodIndex):
    cycles = spreidingswet_cycles(case, periods)
    start = pd.Period(case.asylum.cycle_start, freq="M")
    key = population_share(case) * case.municipality.ses_correction_share
    published = {pd.Period(k, freq="M"): v for k, v in case.asylum.published_cycles.items()}
    for c in np.unique(cycles):
        idx = np.flatnonzero(cycles == c)
        cycle_start = start + int(c) * case.asylum.cycle_months
        national = published_national_places(cycle_start)
        if c == cycles[0] and case.asylum.published_places is not None:
            yield c, idx, "published_municipal", float(case.asylum.published_places)
        elif cycle_start in published:
            yield c, idx, "published_municipal", float(published[cycle_start])
        elif national is not None:
            yield c, idx, "formula_national_target", national * key
        else:
            yield c, idx, "formula_simulated", key


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
    # the task is spread evenly over its half-year: the half-year's number is six of its months,
    # also for a half-year the horizon only partly covers
    half_total = taakstelling_persons * 6.0
    return {
        "need_dwellings": waiting / size,
        "taakstelling_persons": taakstelling_persons,
        "taakstelling_half_year_persons": half_total,
        "housed_regular_persons": housed_t,
        "backlog_persons": backlog_t,
        "waiting_list_persons": waiting,
        "waiting_time_months": waiting / monthly_task,
    }
