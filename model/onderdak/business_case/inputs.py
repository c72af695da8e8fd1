"""What a business case is evaluated on: the need a location serves (from the pipeline), beside the alternatives that :mod:`onderdak.business_case.options` builds."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from onderdak.business_case.alternatives import BusinessCaseInputs
from onderdak.business_case.options import row_number
from onderdak.core.errors import InputError
from onderdak.core.notes import Note
from onderdak.finance.cashflow import months_in_horizon, normbedrag_per_month
from onderdak.io.reference import citation, municipal_recourse, recourse_eur_per_place_day
from onderdak.register.locations import capacity

if TYPE_CHECKING:
    from onderdak.case.settings import Case
    from onderdak.core.ensemble import Ensemble, Need
    from onderdak.register.locations import Register


PORTFOLIO_STATUSES = ("existing", "planned")
"""Statuses that make up 'the rest of the portfolio' (candidates are not decided yet)."""


def extend_months(values: np.ndarray, months: int, how: str) -> np.ndarray:
    """Values (paths, m) cut or extended to ``months``: beyond m the last month's value (``last``) or 0."""
    m = values.shape[1]
    if months <= m:
        return values[:, :months].copy()
    fill = values[:, -1:] if how == "last" else np.zeros((values.shape[0], 1))
    return np.concatenate([values, np.repeat(fill, months - m, axis=1)], axis=1)


def ukraine_need_beyond(need_places: np.ndarray, ensemble: Ensemble, months: int) -> np.ndarray:
    """GOO need (paths, m) extended to ``months`` by the path's own stock-flow at the scenario's last values.

    The national GOO stock S follows S' = S · (1 − e) + a; beyond the simulation the scenario holds its
    drivers at their last anchors (national_scenarios.yaml: "held flat outside the anchors"), so each
    path continues with its last month's arrivals a and exit rate e: S(T + k) = S* + (S(T) − S*) · (1 − e)^k
    with S* = a / e. The municipal need keeps its last share of the national stock.
    """
    m = need_places.shape[1]
    if months <= m:
        return need_places[:, :months].copy()
    stock = ensemble["ukraine_goo_places"][:, -1].astype(float)
    exit_rate = np.clip(ensemble["ukraine_exit_rate_share"][:, -1].astype(float), 1e-6, 1.0)
    arrivals = ensemble["ukraine_arrivals_persons"][:, -1].astype(float)
    last = need_places[:, -1]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(stock > 0, last / stock, 0.0)
    steady = share * arrivals / exit_rate
    k = np.arange(1, months - m + 1, dtype=float)
    later = steady[:, None] + (last - steady)[:, None] * (1.0 - exit_rate[:, None]) ** k
    return np.concatenate([need_places, later], axis=1)


def rest_of_portfolio_places(
    case: Case,
    register: Register,
    location_id: str,
    streams: list[str],
    periods: pd.PeriodIndex | None = None,
) -> np.ndarray:
    """Usable places of the existing and planned locations other than ``location_id`` serving any of
    ``streams``, per month of ``periods`` (default the case's; each location counted once). Over a
    longer horizon the known ends (``available_until``) still close locations."""
    periods = case.periods if periods is None else periods
    cap = capacity(register, periods, start=case.start, statuses=PORTFOLIO_STATUSES)
    rest = np.zeros(len(periods))
    for i, loc in enumerate(cap.ids):
        if loc != location_id and set(cap.streams[i]) & set(streams):
            rest += cap.places[i]
    return rest


def _lookahead_min(rest: np.ndarray, lookahead_months: int) -> np.ndarray:
    """Least capacity of each month and the ``lookahead_months`` after it (beyond the end: the last)."""
    if lookahead_months <= 0:
        return rest
    padded = np.concatenate([rest, np.full(lookahead_months, rest[-1])])
    return np.lib.stride_tricks.sliding_window_view(padded, lookahead_months + 1).min(axis=1)


def location_streams(register: Register, location_id: str, need: Need) -> list[str]:
    """The location's streams the business case serves: those in places when it serves any in places."""
    streams = [s for s in register.streams(location_id) if s in need.streams]
    if not streams:
        raise InputError(f"location `{location_id}`: its streams are not in the simulated need")
    places = [s for s in streams if need.units.get(s) == "places"]
    return places or streams


def excess_need_places(
    case: Case, register: Register, location_id: str, need: Need, lookahead_months: int = 0
) -> np.ndarray:
    """Need of the location's streams minus the rest of the portfolio's usable capacity, (paths, months).

    The rest of the portfolio: existing and planned locations (not the location itself) serving any
    of the location's streams, counted once each, at their usable places. Streams measured in
    dwellings are left out when the location also serves a stream measured in places. With
    ``lookahead_months`` > 0 the capacity of a month is the least capacity of that month and the
    ones after it (the portfolio as planned: what the decision rule may rely on).
    """
    streams = location_streams(register, location_id, need)
    total = sum(need.streams[s] for s in streams)
    rest = _lookahead_min(
        rest_of_portfolio_places(case, register, location_id, streams), lookahead_months
    )
    return np.asarray(total, dtype=float) - rest


def need_over_horizon(
    case: Case,
    need: Need,
    streams: list[str],
    months: int,
    ensemble: Ensemble | None,
) -> tuple[dict[str, np.ndarray], list[Note]]:
    """Each stream's need over the business case's ``months``, with the notes on what follows the simulation.

    ``business_case.need_beyond_horizon``: ``scenario`` (default) continues each stream by the scenario's
    own assumption — GOO by the path's stock-flow at the scenario's last arrivals and exit rate
    (:func:`ukraine_need_beyond`), asylum places and status holders' dwellings at the last number of
    the path (the Spreidingswet number and taakstelling of the last cycle, the scenario's drivers being
    flat after its last anchor); ``last`` holds every stream's last month; ``zero`` ends the need.
    """
    how = case.business_case.need_beyond_horizon
    sim = len(case.periods)
    notes: list[Note] = []
    out = {}
    for s in streams:
        values = np.asarray(need.streams[s], dtype=float)
        if how == "scenario" and s == "ukraine" and ensemble is not None and months > sim:
            out[s] = ukraine_need_beyond(values, ensemble, months)
        else:
            out[s] = extend_months(values, months, "zero" if how == "zero" else "last")
    if months > sim:
        end = case.periods[-1]
        if how == "zero":
            notes.append(Note.of("bc_need_beyond_zero", end=str(end)))
        elif how == "last":
            notes.append(Note.of("bc_need_beyond_last", end=str(end)))
        else:
            if "ukraine" in streams and ensemble is not None:
                notes.append(Note.of("bc_need_beyond_scenario_goo", end=str(end)))
            elif "ukraine" in streams:
                notes.append(Note.of("bc_need_beyond_last_goo", end=str(end)))
            if any(s != "ukraine" for s in streams):
                notes.append(Note.of("bc_need_beyond_last_coa", end=str(end)))
    return out, notes


def business_case_inputs(
    case: Case,
    register: Register,
    location_id: str,
    need: Need,
    ensemble: Ensemble | None = None,
) -> BusinessCaseInputs:
    """Need, income, rate and recourse for a location's business case over the settings' horizon.

    One account per stream (data/reference/stream_accounts.csv): the income per served place-day is
    the normbedrag for GOO places and the COA rent for asylum places (a mix weighted by each
    stream's need per path and month when the location serves both); the municipality pays the
    recourse rate only for the share of a shortfall of streams it bears (GOO).
    """
    settings = case.business_case
    row = register.table.loc[location_id]
    periods = months_in_horizon(case.start, settings.horizon_years)
    months = len(periods)
    target = settings.target_places or float(row["capacity_places"]) * float(
        row["occupancy_norm_share"]
    )
    streams = location_streams(register, location_id, need)
    per_stream, notes = need_over_horizon(case, need, streams, months, ensemble)
    total = sum(per_stream.values())
    if months > len(case.periods):
        notes.append(Note.of("bc_rest_of_portfolio_constant", end=str(case.periods[-1])))
    # beyond the simulation the rest of the portfolio stays as in its last month (what expires later is
    # assumed replaced: the portfolio plan covers the case's horizon, not this building's 30 years)
    rest = extend_months(
        rest_of_portfolio_places(case, register, location_id, streams)[None, :], months, "last"
    )[0]
    excess = total - rest
    income_by_stream: dict[str, np.ndarray] = {}
    if "ukraine" in streams:
        norm = normbedrag_per_month(periods)
        income_by_stream["ukraine"] = np.asarray(norm.eur_per_place_day, dtype=float)
        later = [y for y in norm.assumed_years if y > (norm.last_known_year or 0)]
        if later:
            notes.append(
                Note.of(
                    "normbedrag_carried_forward",
                    first_year=int(later[0]),
                    last_year=int(later[-1]),
                    known_year=int(norm.last_known_year or 0),
                    value_eur=float(norm.eur_per_place_day[-1]),
                )
            )
        notes.append(Note.of("bc_normbedrag_nominal"))
    if "asylum" in streams:
        income_by_stream["asylum"] = np.full(
            months, row_number(row, "coa_rent_eur_per_place_year") / 365.25
        )
        notes.append(Note.of("bc_coa_rent"))
    if "status_holders" in streams:
        income_by_stream["status_holders"] = np.zeros(months)
        notes.append(Note.of("bc_no_income_status_holders"))
    bears = {s: municipal_recourse(s) for s in streams}
    if len(streams) == 1:
        (only,) = streams
        income: np.ndarray = income_by_stream[only]
        share: float | np.ndarray = 1.0 if bears[only] else 0.0
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            weights = {
                s: np.where(total > 0, per_stream[s] / total, 1.0 / len(streams)) for s in streams
            }
        income = sum(weights[s] * income_by_stream[s] for s in streams)
        share = sum(weights[s] for s in streams if bears[s]) if any(bears.values()) else 0.0
        notes.append(Note.of("bc_several_streams"))
    recourse = settings.recourse_eur_per_place_day
    if recourse is None:
        recourse, key = recourse_eur_per_place_day("hotel")
        source = citation(key)
    else:
        source = ""  # set in the case file: an assumption
    municipal = [s for s in streams if bears[s]]
    coa = [s for s in streams if not bears[s]]
    if municipal:
        notes.append(Note.of("bc_recourse", value_eur=float(recourse), source=source))
        notes.append(
            Note.of("bc_hotels_outside_normbedrag", reimbursed=bool(settings.recourse_reimbursed))
        )
    if coa:
        notes.append(Note.of("bc_coa_shortfall"))
    notes.append(
        Note.of("bc_discount_rate", rate=case.discount_rate_real_share, price_year=case.price_year)
    )
    signal = None
    if settings.decision_rule_lookahead_months > 0:
        signal = total - _lookahead_min(rest, settings.decision_rule_lookahead_months)
    return BusinessCaseInputs(
        rule_signal_places=signal,
        need_places=np.clip(excess, 0.0, target),
        periods=periods,
        income_eur_per_place_day=np.asarray(income, dtype=float),
        discount_rate_share=case.discount_rate_real_share,
        recourse_eur_per_place_day=float(recourse),
        target_places=float(target),
        recourse_reimbursed=settings.recourse_reimbursed,
        municipal_recourse_share=share,
        notes=tuple(notes),
    )
