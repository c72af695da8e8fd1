"""Residents per stream, age group and month on every path, from the municipal need.

The need counts places (Ukrainians, asylum seekers) and dwellings (status holders); 'thuis' counts
persons, assuming the need is met:

- ``ukraine``: GOO places × the GOO occupancy (0.994, TK Nov 2024) plus, after 4 March 2027, the
  Ukrainians who moved on to ordinary housing in the municipality (``ukraine_moved_on_persons``).
- ``asylum``: Spreidingswet places × the COA occupancy norm (0.91).
- ``status_holders``: housed since the start: the regularly housed (cumulative) plus the waiting
  list, who live in the dwellings the municipality adds (the need in dwellings × household size).
  Their monthly arrivals are the increase of that stock; those housed before the start are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from onderdak.case.thuis import AGE_GROUPS
from onderdak.core.ensemble import Need, quantile_table
from onderdak.core.streams import STREAMS
from onderdak.io import reference
from onderdak.thuis.defaults import Profile

GOO_OCCUPANCY_KEY = "ukraine_goo_occupancy_share_2024_11"
COA_OCCUPANCY_KEY = "coa_occupancy_norm_share"


@dataclass(frozen=True)
class Residents:
    """Persons per stream, each an array (paths, months).

    ``persons``: all residents of the stream; ``at_locations``: those the need puts in reception
    places or added dwellings (the rest live in ordinary housing); ``arrivals``: status holders
    housed per month (the other streams: None, their turnover is not modelled).
    """

    periods: pd.PeriodIndex
    persons: dict[str, np.ndarray]
    at_locations: dict[str, np.ndarray]
    arrivals: dict[str, np.ndarray]


def residents(need: Need) -> Residents:
    """Residents per stream from one scenario's need (see the module docstring)."""
    zero = np.zeros_like(need.streams["ukraine"], dtype=float)
    goo = need.streams["ukraine"] * reference.scalar(GOO_OCCUPANCY_KEY)
    moved = need.detail.get("ukraine_moved_on_persons", zero)
    asylum = need.streams["asylum"] * reference.scalar(COA_OCCUPANCY_KEY)
    housed = np.cumsum(need.detail.get("housed_regular_persons", zero), axis=1)
    waiting = need.detail.get("waiting_list_persons", zero)
    status = housed + waiting
    arrivals = np.maximum(np.diff(status, axis=1, prepend=0.0), 0.0)
    return Residents(
        periods=need.periods,
        persons={"ukraine": goo + moved, "asylum": asylum, "status_holders": status},
        at_locations={"ukraine": goo, "asylum": asylum, "status_holders": waiting},
        arrivals={"status_holders": arrivals},
    )


def by_age(persons: np.ndarray, profile: Profile) -> dict[str, np.ndarray]:
    """Persons per age group: ``persons`` × the profile's age shares (the groups sum to ``persons``).

    >>> from onderdak.thuis.defaults import Profile
    >>> p = Profile("x", dict(zip(AGE_GROUPS, (0.1, 0.2, 0.1, 0.5, 0.1))), None, None, None, True, {})
    >>> float(by_age(np.array([[100.0]]), p)["age_4_11"][0, 0])
    20.0
    """
    return {g: persons * profile.age_shares[g] for g in AGE_GROUPS}


def composition_table(res: Residents, profiles: dict[str, Profile]) -> pd.DataFrame:
    """Tidy table: stream, age_group, sex, period and the mean / p10 / p50 / p90 of persons.

    ``sex`` is ``all`` for every age group, plus ``women`` and ``men`` rows for the adult groups
    where a share of women is sourced or set.
    """
    frames = []
    for stream in STREAMS:
        profile = profiles[stream]
        for group, values in by_age(res.persons[stream], profile).items():
            frames.append(bands(values, res.periods, stream=stream, age_group=group, sex="all"))
            women = profile.women_share_of_adults
            if women is not None and group in ("age_18_66", "age_67_plus"):
                for sex, share in (("women", women), ("men", 1.0 - women)):
                    frames.append(
                        bands(values * share, res.periods, stream=stream, age_group=group, sex=sex)
                    )
    out = pd.concat(frames, ignore_index=True)
    out.insert(3, "unit", "persons")
    return out


BANDS = (0.10, 0.50, 0.90)
"""The quantiles of every thuis table: p10, p50 (median) and p90."""


def bands(values: np.ndarray, periods: pd.PeriodIndex, **labels: str) -> pd.DataFrame:
    """Tidy summary over paths: one row per period with the labels, mean, p10, p50 and p90."""
    return quantile_table(values, periods, BANDS, **labels)
