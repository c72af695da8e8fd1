"""Where the demand lands: residents and services per wijk from the locations, and shortages against capacity.

Residents of a stream who live at locations (GOO persons, asylum seekers, status holders in the
dwellings the municipality adds) are spread over the open locations serving that stream in
proportion to their usable places in that month (a location shared by k streams gives each 1/k of
its places; status-holder places count as dwellings × persons per dwelling), never above those
places. The rest (over the places, Ukrainians moved on, status holders in regular housing, locations
without a wijk code) lands in the area :data:`UNPLACED`. Services follow the residents: a wijk's
share of a stream's service equals its share of that stream's residents in that month, so the
wijken and :data:`UNPLACED` always add up to the municipality.

The shortage measure is the one of :mod:`onderdak.need.shortfall`: the share of paths on which
demand exceeds the capacity by half a unit or more in at least one month of the window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from onderdak.case.thuis import MUNICIPALITY, ThuisSettings
from onderdak.core.streams import STREAMS
from onderdak.need.shortfall import short_paths
from onderdak.register.locations import Capacity
from onderdak.thuis.composition import Residents, bands
from onderdak.thuis.services import ALL, UNITS, Services

UNPLACED = "unplaced"
"""Area code of residents not at a register location (or at one without a wijk code)."""

CAPACITY_SERVICES = {
    "primary_places": "regular_primary_pupils",
    "secondary_places": "regular_secondary_pupils",
    "newcomer_primary_places": "newcomer_primary_pupils",
    "isk_places": "isk_pupils",
    "gp_registrations": "gp_registrations",
}
"""Capacity field of :class:`~onderdak.case.thuis.AreaCapacity` → the service it is held against."""

WIJK_SERVICES = tuple(dict.fromkeys(CAPACITY_SERVICES.values()))


@dataclass(frozen=True)
class Landing:
    """Residents per area and stream, (paths, areas, months), and the area codes in order."""

    areas: tuple[str, ...]
    persons: dict[str, np.ndarray]


def area_weights(
    cap: Capacity, wijk_codes: dict[str, str], stream: str, persons_per_place: float = 1.0
) -> tuple[tuple[str, ...], np.ndarray]:
    """Usable places (in persons) per wijk and month open to ``stream``: (wijken,), (wijken, months).

    A location without a wijk code counts under :data:`UNPLACED`.
    """
    codes = sorted({wijk_codes.get(i) or UNPLACED for i in cap.ids})
    index = {c: k for k, c in enumerate(codes)}
    out = np.zeros((len(codes), len(cap.periods)))
    for i, (loc, streams) in enumerate(zip(cap.ids, cap.streams, strict=True)):
        if stream in streams:
            out[index[wijk_codes.get(loc) or UNPLACED]] += (
                cap.places[i] / len(streams) * persons_per_place
            )
    return tuple(codes), out


def land(
    res: Residents,
    cap: Capacity,
    wijk_codes: dict[str, str],
    status_holder_persons_per_dwelling: float,
) -> Landing:
    """Residents per area: at locations pro rata their places (capped), the rest :data:`UNPLACED`."""
    per_stream: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
    for stream in STREAMS:
        size = status_holder_persons_per_dwelling if stream == "status_holders" else 1.0
        per_stream[stream] = area_weights(cap, wijk_codes, stream, size)
    areas = tuple(sorted({c for codes, _ in per_stream.values() for c in codes} | {UNPLACED}))
    index = {c: k for k, c in enumerate(areas)}
    persons: dict[str, np.ndarray] = {}
    for stream in STREAMS:
        codes, weights = per_stream[stream]
        total = weights.sum(axis=0)  # (months,)
        at = res.at_locations[stream]
        placed = np.minimum(at, total[None, :])
        share = np.divide(weights, total[None, :], out=np.zeros_like(weights), where=total > 0)
        out = np.zeros((at.shape[0], len(areas), at.shape[1]))
        for k, code in enumerate(codes):
            out[:, index[code], :] += placed * share[k][None, :]
        out[:, index[UNPLACED], :] += res.persons[stream] - placed
        persons[stream] = out
    return Landing(areas=areas, persons=persons)


def area_services(landing: Landing, res: Residents, svc: Services) -> dict[str, np.ndarray]:
    """Per service of :data:`WIJK_SERVICES`: demand (paths, areas, months) summed over the streams.

    A stream's service lands on the areas in proportion to the stream's residents there.
    """
    out: dict[str, np.ndarray] = {}
    for service in WIJK_SERVICES:
        total = np.zeros_like(landing.persons[STREAMS[0]])
        for stream in STREAMS:
            persons = res.persons[stream][:, None, :]
            share = np.divide(
                landing.persons[stream],
                persons,
                out=np.zeros_like(landing.persons[stream]),
                where=persons > 0,
            )
            total += share * svc.get(stream, service)[:, None, :]
        out[service] = total
    return out


def wijk_table(landing: Landing, demand: dict[str, np.ndarray], periods) -> pd.DataFrame:
    """Tidy: area, stream (``all`` for services), measure, unit, period, mean, p10, p50, p90."""
    frames = []
    for k, area in enumerate(landing.areas):
        for stream in STREAMS:
            frames.append(
                bands(
                    landing.persons[stream][:, k, :],
                    periods,
                    area=area,
                    stream=stream,
                    measure="persons",
                    unit="persons",
                )
            )
        for service, values in demand.items():
            frames.append(
                bands(
                    values[:, k, :],
                    periods,
                    area=area,
                    stream=ALL,
                    measure=service,
                    unit=UNITS[service],
                )
            )
    return pd.concat(frames, ignore_index=True)


def shortages(
    landing: Landing, demand: dict[str, np.ndarray], settings: ThuisSettings, start: int
) -> pd.DataFrame:
    """Per area and capacity given: the chance of a shortage and the demand's peak.

    Columns: area, capacity_field, service, capacity, shortage_chance_share (paths short in some
    month from ``start`` on), peak_p50 and peak_p90 (the highest monthly p50 / p90 of demand), unit.
    ``municipality`` holds all areas together. An area not among the landed ones has zero demand.
    """
    rows = []
    index = {c: k for k, c in enumerate(landing.areas)}
    for area, capacity in sorted(settings.capacities.items()):
        for field, service in CAPACITY_SERVICES.items():
            value = getattr(capacity, field)
            if value is None:
                continue
            values = demand[service]
            if area == MUNICIPALITY:
                need = values.sum(axis=1)
            elif area in index:
                need = values[:, index[area], :]
            else:
                need = np.zeros((values.shape[0], values.shape[2]))
            short = short_paths(need - value, start)
            rows.append(
                {
                    "area": area,
                    "capacity_field": field,
                    "service": service,
                    "capacity": float(value),
                    "shortage_chance_share": float(short.mean()) if short.size else 0.0,
                    "peak_p50": float(np.quantile(need, 0.5, axis=0).max()),
                    "peak_p90": float(np.quantile(need, 0.9, axis=0).max()),
                    "unit": UNITS[service],
                }
            )
    columns = [
        "area",
        "capacity_field",
        "service",
        "capacity",
        "shortage_chance_share",
        "peak_p50",
        "peak_p90",
        "unit",
    ]
    return pd.DataFrame(rows, columns=columns)
