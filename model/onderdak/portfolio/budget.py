"""Money per location and for the portfolio, per year and path: costs, the Rijk's income and the municipal net cost.

All amounts are euros at prices of ``case.price_year`` (no inflation is applied; the normbedrag of a
year is used as published). Cost lines (positive): ``capex`` (purchase, conversion and furnishing, in
the year a new location opens; existing locations' capex is sunk), ``fixed_opex`` (per open month),
``variable_opex`` (per occupied place-day), ``closing_cost`` (in the month after the last open month,
if within the horizon), ``staff_locations`` (location managers and staff per resident, or the
register's ``staff_fte``) and, for the portfolio only, ``staff_central`` (project leader, secretary).
Income lines (positive): ``income_normbedrag`` (GOO: per *realised* place-day, occupied or not, at the
rate in force on each day, TK 2024D43796; private hosts: the POO amount per occupied person-month),
``income_coa_rent`` (COA rent per contracted place per year while open), ``income_spreidingswet``
(one-off incentive per new asylum place when it opens), and, with
``case.status_holders.outflow_incentives``, ``income_outflow_incentive`` (one-off per status holder
moving into a status-holder location) and ``income_flex_subsidy`` (SFT, one-off per flex dwelling);
see :mod:`onderdak.portfolio.income`. ``net_cost`` = costs − income.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from onderdak.case.locations import OrganisationSettings
from onderdak.case.settings import Case
from onderdak.core.notes import Note
from onderdak.io import reference
from onderdak.io.reference import scalar, table
from onderdak.portfolio.allocation import DAYS_PER_YEAR, Allocation
from onderdak.portfolio.income import (
    eur_per_unit_month,
    goo_rate_per_month,
    outflow_incentive_eur,
    status_holder_incentives,
)
from onderdak.portfolio.ledger import Budget
from onderdak.register.locations import Register, closing_month

COA_RENT_NOTE = Note.of("budget_coa_rent_within_task")
"""COA rent is paid per asylum place within the municipality's Spreidingswet number."""

RECEPTION_STREAMS = frozenset({"ukraine", "asylum"})
"""Streams whose residents need reception staff (status holders live in ordinary dwellings)."""


REALISED_PLACES_NOTE = Note.of("budget_realised_places")
"""ASSUMPTION: the normbedrag is paid per realised GOO place per day, occupied or not (TK 2024D43796,
2024-11-13), at the rate in force on each day; every open place of a municipal location serving
Ukrainians counts as realised, up to the municipality's GOO task: places beyond it are not counted."""


def realised_goo_places(
    alloc: Allocation, goo_sites: np.ndarray, months: slice = slice(None)
) -> np.ndarray:
    """Realised GOO places the Rijk pays per month at each GOO site: open places, up to the task.

    Parameters
    ----------
    alloc : Allocation
    goo_sites : numpy.ndarray
        Boolean per location (``alloc.capacity.ids``): a municipal location serving Ukrainians.
    months : slice
        The months of the horizon to compute (default all; a year at a time keeps the arrays small).

    Returns
    -------
    numpy.ndarray
        Shape (months, GOO sites in register order, 1 or paths), the layout of
        ``alloc.occupied_by_month``. A site's nominal places while open, less those other streams
        occupy when it is shared (never below 0). When the sites together realise more places than
        the municipality's GOO task (the ``ukraine`` need of the path, less the persons at private
        hosts), occupied places are paid in full and the task left over is spread over the empty
        places in proportion (an ASSUMPTION: no source says places beyond the task are paid).
    """
    cap = alloc.capacity
    sites = np.flatnonzero(goo_sites)
    realised = cap.nominal[sites].T[months, :, None]  # (M, G, 1)
    if "ukraine" not in alloc.need or not sites.size:
        return realised
    column = {loc: j for j, loc in enumerate(sites)}
    shared = [j for j, loc in enumerate(sites) if len(cap.streams[loc]) > 1]
    if shared:
        other = np.zeros((realised.shape[0], len(sites), alloc.paths))
        for stream, idx in alloc.locations.items():
            for k, loc in enumerate(idx):
                if stream != "ukraine" and loc in column and column[loc] in shared:
                    other[:, column[loc], :] += alloc.occupied_by_month[stream][months, k, :]
        realised = np.maximum(realised - other, 0.0)
    by_month = alloc.occupied_by_month["ukraine"][months]  # (M, locations serving ukraine, P)
    here = goo_sites[alloc.locations["ukraine"]]
    occupied = by_month[:, here, :].astype(float)  # (M, G, P): same order as sites
    task = alloc.need["ukraine"].T[months].astype(float)  # (M, P)
    if (~here).any():  # private hosts (and COA sites) serving Ukrainians hold part of the task
        task = task - by_month[:, ~here, :].sum(axis=1)
    empty = realised - occupied  # >= 0: occupied places are usable, usable places realised
    spare = np.maximum(task - occupied.sum(axis=1), 0.0)  # task left for empty places
    total_empty = empty.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        paid_share = np.where(total_empty > 0, np.clip(spare / total_empty, 0.0, 1.0), 0.0)
    return occupied + empty * paid_share[:, None, :]


def _year_blocks(year_of: np.ndarray) -> list[slice]:
    """The months of each calendar year (``year_of`` sorted) as slices, in order."""
    starts = np.flatnonzero(np.r_[True, np.diff(year_of) != 0]).tolist()
    return [slice(a, b) for a, b in zip(starts, [*starts[1:], len(year_of)], strict=True)]


def yearly(monthly: np.ndarray, year_of: np.ndarray) -> np.ndarray:
    """(months, n, paths) summed per calendar year to (paths, n, years); ``year_of`` is sorted."""
    starts = np.flatnonzero(np.r_[True, np.diff(year_of) != 0])
    return np.add.reduceat(monthly, starts, axis=0).transpose(2, 1, 0)


def spreidingswet_rates() -> tuple[float, float, float, float, Note]:
    """(durable EUR per place, not-durable EUR per place, durable minimum places, minimum years, note)."""
    t = table("spreidingswet_incentives").set_index("case")["eur_per_place"]
    note = Note.of("budget_spreidingswet_first_months")
    return (
        float(t["durable_first_3_months"]),
        float(t["not_durable"]),
        scalar("spreidingswet_durable_min_places"),
        scalar("spreidingswet_durable_min_years"),
        note,
    )


def staff_fte(
    kind: np.ndarray,
    streams: Sequence[Sequence[str]],
    override: np.ndarray,
    org: OrganisationSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """Staff per location: (L,) FTE while open and (L,) FTE per resident (occupied place).

    The register's ``staff_fte`` where given; else a reception location (not a COA location, serving
    Ukrainians or asylum seekers) has a location manager and staff per 100 residents. The one rule of
    the budget and of the plan (:func:`onderdak.plan.inputs.portfolio_from_register`).
    """
    reception = np.array(
        [
            k != "coa_location" and bool(set(s) & RECEPTION_STREAMS)
            for k, s in zip(kind, streams, strict=True)
        ],
        dtype=bool,
    )
    by_norm = reception & np.isnan(override)
    fte_open = np.where(by_norm, org.location_manager_fte_per_location, np.nan_to_num(override))
    per_resident = np.where(by_norm, org.staff_fte_per_100_residents / 100.0, 0.0)
    return fte_open, per_resident


def budget(case: Case, register: Register, alloc: Allocation) -> Budget:
    """Yearly costs and income per location and path, and the central organisation cost.

    Parameters
    ----------
    case : Case
        For ``organisation`` (FTE and cost per FTE) and ``price_year``.
    register : Register
    alloc : Allocation
        From :func:`onderdak.portfolio.allocation.allocate` on the register's capacity.

    Returns
    -------
    Budget
    """
    cap = alloc.capacity
    periods = cap.periods
    t = register.table.loc[list(cap.ids)]
    years = np.unique(periods.year)
    year_of = np.searchsorted(years, periods.year)
    n_loc, n_year, paths = len(cap.ids), len(years), alloc.paths
    org = case.organisation

    def per_year(monthly: np.ndarray) -> np.ndarray:
        """(..., months) -> (..., years) by summing the months of each year."""
        out = np.zeros((*monthly.shape[:-1], n_year))
        for y in range(n_year):
            out[..., y] = monthly[..., year_of == y].sum(axis=-1)
        return out

    open_months = per_year((cap.places > 0).astype(float))  # (L, Y)
    col = {
        c: t[c].to_numpy(dtype=float)
        for c in (
            "purchase_price_eur",
            "conversion_capex_eur",
            "furnishing_capex_eur",
            "fixed_opex_eur_per_year",
            "variable_opex_eur_per_place_day",
            "closing_cost_eur",
            "coa_rent_eur_per_place_year",
            "capacity_places",
        )
    }
    status, kind = t["status"].to_numpy(), t["kind"].to_numpy()

    place_days = alloc.place_days  # stream -> (paths, locations serving the stream, years)

    def per_place_day(rate: np.ndarray, streams: tuple[str, ...]) -> np.ndarray:
        """EUR per location and year from occupied place-days of ``streams`` at ``rate`` (L,) or (L, Y)."""
        out = np.zeros((paths, n_loc, n_year))
        rate = rate if rate.ndim == 2 else rate[:, None]
        for st in streams:
            idx = alloc.locations.get(st, np.zeros(0, dtype=np.intp))
            if idx.size:
                out[:, idx, :] += place_days[st] * rate[idx][None]
        return out

    lines: dict[str, np.ndarray] = {}
    capex = np.zeros((1, n_loc, n_year))
    closing = np.zeros((1, n_loc, n_year))
    for i in range(n_loc):
        if cap.opening[i] is not None and status[i] != "existing":
            capex[0, i, year_of[periods.get_loc(cap.opening[i])]] = (
                col["purchase_price_eur"][i]
                + col["conversion_capex_eur"][i]
                + col["furnishing_capex_eur"][i]
            )
        if cap.closing[i] is not None and cap.closing[i] + 1 <= periods[-1]:
            closing[0, i, year_of[periods.get_loc(cap.closing[i] + 1)]] = col["closing_cost_eur"][i]
    lines["capex"] = capex
    lines["fixed_opex"] = (col["fixed_opex_eur_per_year"][:, None] * open_months / 12.0)[None]
    lines["variable_opex"] = per_place_day(
        col["variable_opex_eur_per_place_day"], alloc.stream_order
    )
    lines["closing_cost"] = closing

    fte_open, fte_per_resident = staff_fte(kind, cap.streams, t["staff_fte"].to_numpy(float), org)
    fte_fixed = fte_open[:, None] * open_months / 12.0
    per_resident_day = fte_per_resident / DAYS_PER_YEAR
    lines["staff_locations"] = org.cost_per_fte_eur_per_year * (
        fte_fixed[None] + per_place_day(per_resident_day, tuple(RECEPTION_STREAMS))
    )

    # income: the normbedrag per realised GOO place-day (TK 2024D43796), POO per person-month
    assumptions: dict[str, tuple[Note, ...]] = {}
    goo_month, goo_notes, after_tpd = goo_rate_per_month(
        periods,
        case.ukraine.financing_after_tpd_eur_per_place_day,
        reference.scalar_text("tpd_end_date"),
    )
    poo_month, poo_notes = eur_per_unit_month(
        "normbedrag", "poo_eur_per_person_month", periods, per_month=True
    )
    hosts = kind == "private_hosts"
    goo_sites = (
        np.array(["ukraine" in s for s in cap.streams], dtype=bool)
        & ~hosts
        & (kind != "coa_location")
    )
    income = np.zeros((paths if "ukraine" in alloc.need and goo_sites.any() else 1, n_loc, n_year))
    for y, months in enumerate(_year_blocks(year_of)):  # a year at a time: small arrays
        paid = realised_goo_places(alloc, goo_sites, months)  # (months, GOO sites, paths or 1)
        income[:, goo_sites, y] = yearly(paid * goo_month[months, None, None], year_of[months])[
            ..., 0
        ]
    uk = alloc.locations.get("ukraine", np.zeros(0, dtype=np.intp))
    at_hosts = hosts[uk]
    if at_hosts.any():
        income = np.broadcast_to(income, (paths, n_loc, n_year)).copy()
        occupied = alloc.occupied_by_month["ukraine"][:, at_hosts, :]
        income[:, uk[at_hosts], :] += yearly(occupied * poo_month[:, None, None], year_of)
    lines["income_normbedrag"] = income
    notes = tuple(goo_notes + poo_notes)
    assumptions["income_normbedrag"] = tuple(
        [REALISED_PLACES_NOTE] * bool(goo_sites.any())
        + [n.note() for n in notes]
        + ([after_tpd] if after_tpd is not None else [])
    )
    serves_asylum = np.array(["asylum" in s for s in cap.streams], dtype=bool)
    # the COA pays for the places it contracts, at most the municipality's Spreidingswet number:
    # rent per asylum place-day filled from the task (data/reference/stream_accounts.csv), not
    # per place built: a place beyond the task earns nothing
    lines["income_coa_rent"] = per_place_day(
        col["coa_rent_eur_per_place_year"] / DAYS_PER_YEAR, ("asylum",)
    )
    if serves_asylum.any():
        assumptions["income_coa_rent"] = (COA_RENT_NOTE,)
    durable_eur, other_eur, min_places, min_years, note_sw = spreidingswet_rates()
    incentive = np.zeros((1, n_loc, n_year))
    for i in range(n_loc):
        if serves_asylum[i] and status[i] != "existing" and cap.opening[i] is not None:
            last = closing_month(t.iloc[i])  # from the register: the horizon may end earlier
            months_open = (last - cap.opening[i]).n + 1 if last is not None else None
            lasting = months_open is None or months_open > 12 * min_years
            per_place = (
                durable_eur if (col["capacity_places"][i] > min_places and lasting) else other_eur
            )
            incentive[0, i, year_of[periods.get_loc(cap.opening[i])]] = (
                per_place * col["capacity_places"][i]
            )
    lines["income_spreidingswet"] = incentive
    if incentive.any():
        assumptions["income_spreidingswet"] = (note_sw,)
    sh = alloc.locations.get("status_holders", np.zeros(0, dtype=np.intp))
    paid_outflow = case.status_holders.outflow_incentives and sh.size > 0
    housed, flex, note_sh = status_holder_incentives(case, t, alloc, housed_too=not paid_outflow)
    if paid_outflow:  # only status-holder locations are paid: their sums, a year at a time
        outflow = np.zeros((n_year, n_loc, paths)).transpose(2, 1, 0)  # the layout of yearly()
        for y, months in enumerate(_year_blocks(year_of)):
            block = outflow_incentive_eur(case, alloc, months)
            outflow[:, sh, y] = yearly(block, year_of[months])[..., 0]
        lines["income_outflow_incentive"] = outflow
    else:
        lines["income_outflow_incentive"] = yearly(housed, year_of)
    lines["income_flex_subsidy"] = per_year(flex)
    if note_sh is not None:
        assumptions["income_outflow_incentive"] = assumptions["income_flex_subsidy"] = (note_sh,)

    months_per_year = per_year(np.ones(len(periods)))
    central = {
        "staff_central": (
            (org.project_leader_fte + org.secretary_fte)
            * org.cost_per_fte_eur_per_year
            * months_per_year
            / 12.0
        )[None]
    }
    assumptions["staff_central"] = (Note.of("budget_staff_from_case"),)
    return Budget(
        years=years,
        ids=tuple(cap.ids),
        lines=lines,
        central=central,
        assumptions=assumptions,
        notes=notes,
    )
