"""One entry point: 'thuis' for one scenario's run, as tidy tables and facts (codes and numbers, no words)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from onderdak.case.settings import Case
from onderdak.case.thuis import ThuisSettings
from onderdak.core.ensemble import Need
from onderdak.core.notes import Note
from onderdak.core.streams import STREAMS
from onderdak.need.demand import persons_per_dwelling
from onderdak.register.locations import Capacity, Register, capacity
from onderdak.thuis.composition import BANDS, Residents, bands, composition_table, residents
from onderdak.thuis.defaults import Profile, resolve_profile, shortage_start
from onderdak.thuis.landing import (
    Landing,
    area_services,
    land,
    shortages,
    wijk_table,
)
from onderdak.thuis.services import ALL, UNITS, Services, services

KEY_SERVICES = (
    (ALL, "primary_pupils"),
    (ALL, "secondary_pupils"),
    (ALL, "newcomer_primary_groups"),
    (ALL, "isk_classes"),
    (ALL, "gp_registrations"),
    (ALL, "employed_persons"),
    ("status_holders", "in_progress"),
    ("ukraine", "fte_reception"),
    ("status_holders", "fte_taakstelling"),
    ("status_holders", "fte_inburgering"),
    (ALL, "staff_cost_eur_per_month"),
    (ALL, "school_funding_eur_per_month"),
    ("status_holders", "inburgering_cost_eur_per_month"),
)
"""The series a ``thuis_peak_year`` fact is made for (when computed)."""

ASSUMPTION_FIELDS = (
    "minor_age_split",
    "senior_share_of_adults",
    "school.newcomer_primary_group_pupils",
    "school.isk_class_pupils",
    "school.newcomer_primary_eur_per_pupil_year",
    "school.isk_eur_per_pupil_year",
    "inburgering.obligated_share_of_working_age",
    "inburgering.intake_delay_months",
    "inburgering.pip_delay_months",
    "inburgering.route_shares",
    "inburgering.route_months",
    "inburgering.cost_eur_per_trajectory",
    "staff.taakstelling_fte_per_100_housed_per_year",
    "staff.inburgering_fte_per_100_trajectories",
)
"""Fields without a source: each becomes a ``thuis_assumption`` fact with the case's value."""


@dataclass(frozen=True)
class Thuis:
    """'Thuis' of one scenario.

    Attributes
    ----------
    scenario : str
    composition : pandas.DataFrame
        stream, age_group, sex, unit (persons), period, mean, p10, p50, p90.
    services : pandas.DataFrame
        stream (``all`` for totals), service, unit, period, mean, p10, p50, p90.
    wijken : pandas.DataFrame
        area (wijk code or ``unplaced``), stream, measure, unit, period, mean, p10, p50, p90.
    shortages : pandas.DataFrame
        Per area and capacity given: shortage_chance_share and the peak demand (see
        :func:`onderdak.thuis.landing.shortages`).
    facts : list of Note
        Codes and numbers for the reporting layer.
    residents, series, landing, profiles
        The arrays behind the tables (paths, months) and (paths, areas, months).
    """

    scenario: str
    composition: pd.DataFrame
    services: pd.DataFrame
    wijken: pd.DataFrame
    shortages: pd.DataFrame
    facts: list[Note]
    residents: Residents
    series: Services
    landing: Landing
    profiles: dict[str, Profile] = field(default_factory=dict)
    wijk_demand: dict[str, np.ndarray] = field(default_factory=dict)


def thuis_for_run(
    case: Case, need: Need, register: Register | None, settings: ThuisSettings
) -> Thuis:
    """What the residents of one scenario need beyond a bed, per stream, month and wijk.

    Parameters
    ----------
    case : Case
        The resolved case (its start, household size and organisation norms).
    need : Need
        The scenario's municipal need (``ScenarioRun.need``).
    register : Register or None
        The location register; None: every resident lands in ``unplaced``.
    settings : ThuisSettings
        The 'thuis' parameters (sourced defaults filled in for None fields).

    Returns
    -------
    Thuis
        Tidy tables with unit columns and bands p10/p50/p90 over the paths, and facts.
    """
    profiles = {s: resolve_profile(settings, s) for s in STREAMS}
    res = residents(need)
    svc = services(
        res,
        profiles,
        settings,
        case.organisation.staff_fte_per_100_residents,
        case.organisation.cost_per_fte_eur_per_year,
    )
    landing = _landing(case, need, register, res)
    demand = area_services(landing, res, svc)
    start = shortage_start(settings, need.periods)
    short = shortages(landing, demand, settings, start)
    return Thuis(
        scenario=need.scenario,
        composition=composition_table(res, profiles),
        services=services_table(svc, need.periods),
        wijken=wijk_table(landing, demand, need.periods),
        shortages=short,
        facts=facts(svc, need.periods, profiles, settings, short, need.scenario),
        residents=res,
        series=svc,
        landing=landing,
        profiles=profiles,
        wijk_demand=demand,
    )


def _landing(case: Case, need: Need, register: Register | None, res: Residents) -> Landing:
    if register is None:
        empty = capacity_free(need.periods)
        return land(res, empty, {}, persons_per_dwelling(case))
    cap = capacity(register, need.periods, start=case.start)
    codes = {
        str(i): (str(c) if isinstance(c, str) and c and c != "nan" else "")
        for i, c in register.table["wijk_code"].items()
    }
    return land(res, cap, codes, persons_per_dwelling(case))


def capacity_free(periods: pd.PeriodIndex) -> Capacity:
    """A :class:`~onderdak.register.locations.Capacity` without locations."""
    return Capacity(
        ids=(),
        periods=periods,
        places=np.zeros((0, len(periods))),
        nominal=np.zeros((0, len(periods))),
        opening=(),
        closing=(),
        streams=(),
        status=(),
    )


def services_table(svc: Services, periods: pd.PeriodIndex) -> pd.DataFrame:
    """Tidy: stream, service, unit, period, mean, p10, p50, p90 for every series."""
    frames = [
        bands(values, periods, stream=stream, service=service, unit=UNITS[service])
        for (stream, service), values in sorted(svc.series.items())
    ]
    return pd.concat(frames, ignore_index=True)


def yearly(values: np.ndarray, periods: pd.PeriodIndex, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Per calendar year: (years,), (paths, years): the sum of a monthly flow, else the mean of a stock."""
    years = np.asarray(periods.year)
    keep = np.unique(years)
    per_year = np.stack(
        [
            values[:, years == y].sum(axis=1)
            if unit.endswith("per_month")
            else values[:, years == y].mean(axis=1)
            for y in keep
        ],
        axis=1,
    )
    return keep, per_year


def peak_year(
    values: np.ndarray, periods: pd.PeriodIndex, unit: str, year: int | None = None
) -> dict[str, float | int]:
    """A monthly series per path in the calendar year of its highest median (or in ``year``): the
    year and the p10, p50 and p90 of the yearly value (:func:`yearly`)."""
    years, per_year = yearly(values, periods, unit)
    q = np.quantile(per_year, BANDS, axis=0)
    k = int(np.argmax(q[1])) if year is None else int(np.flatnonzero(years == year)[0])
    return {
        "year": int(years[k]),
        "p10": float(q[0, k]),
        "p50": float(q[1, k]),
        "p90": float(q[2, k]),
    }


def facts(
    svc: Services,
    periods: pd.PeriodIndex,
    profiles: dict[str, Profile],
    settings: ThuisSettings,
    short: pd.DataFrame,
    scenario: str,
) -> list[Note]:
    """Facts for the advice: peak years with bands, shortages, sourced defaults and assumptions.

    Codes: ``thuis_peak_year`` (stream, service, unit — ``eur_per_year`` for money — year, p10,
    p50, p90 of the yearly value in the year of the highest p50), ``thuis_shortage`` (area,
    service, capacity, shortage_chance_share), ``thuis_default`` (stream, field, source file),
    ``thuis_assumption`` (field, value), ``thuis_reception_fte_in_location_costs``.
    """
    out: list[Note] = []
    for stream, service in KEY_SERVICES:
        if (stream, service) not in svc.series:
            continue
        unit = UNITS[service]
        out.append(
            Note.of(
                "thuis_peak_year",
                scenario=scenario,
                stream=stream,
                service=service,
                unit="eur_per_year" if unit == "eur_per_month" else unit,
                **peak_year(svc.get(stream, service), periods, unit),
            )
        )
    for row in short.itertuples(index=False):
        if row.shortage_chance_share > 0:
            out.append(
                Note.of(
                    "thuis_shortage",
                    scenario=scenario,
                    area=row.area,
                    service=row.service,
                    capacity=row.capacity,
                    shortage_chance_share=row.shortage_chance_share,
                    peak_p90=row.peak_p90,
                )
            )
    for stream, profile in profiles.items():
        for name, origin in profile.origin.items():
            if origin.startswith("thuis_"):
                out.append(Note.of("thuis_default", stream=stream, field=name, source=origin))
    for path in ASSUMPTION_FIELDS:
        for stream in STREAMS if "." not in path else ("",):
            value = _dig(settings.profile(stream) if stream else settings, path)
            if value is not None:
                where = f"thuis.{stream}.{path}" if stream else f"thuis.{path}"
                out.append(Note.of("thuis_assumption", field=where, value=value))
    if settings.staff.reception_fte:
        out.append(Note.of("thuis_reception_fte_in_location_costs"))
    return out


def _dig(model: object, path: str) -> object:
    value = model
    for part in path.split("."):
        value = getattr(value, part)
    return value.model_dump() if hasattr(value, "model_dump") else value
