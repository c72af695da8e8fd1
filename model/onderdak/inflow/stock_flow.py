"""The monthly stock-flow of the national asylum chain and of Ukrainians in GOO, vectorised over paths.

Arrays are laid out (months, paths) inside the time loop, so that each month is one contiguous row;
callers get (paths, months) views. Stocks are measured at the start of each month, flows during the
month. Where the record publishes a stock for a month, the stock is set to it at the start of that
month and the difference is booked as a record correction, so that for every stock
``stock[t+1] = stock[t] + inflow[t] - outflow[t] + correction[t+1]`` holds exactly (tested as a
property) and the model continues from the last published state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ChainInputs:
    """Flows and parameters of the chain, each (months, paths), (months, 1), (1, paths) or scalar.

    ``applications`` are first plus repeat asylum applications (persons per month); ``nareizigers``
    (persons per month) join the status holders waiting in COA; the IND decides
    ``min(ind_capacity, pending / decision_time)`` a month and grants ``grant`` of it; rejected
    applicants leave COA at ``rejected / departure_months``; status holders are housed at
    ``status_holders / wait_months`` within a municipal housing capacity that starts at ``supply`` and
    moves towards what the waiting stock needs with a lag of ``capacity_adjustment_months``.
    Ukrainians in GOO arrive, leave at ``ua_exit`` a month, and from month ``tpd_end`` on leave the
    Netherlands (``ua_leave_share``) or move on to ordinary housing (``ua_move_on_share``) evenly over
    ``ua_transition_months`` (one value per path); ``ua_to_asylum_share`` of those leaving apply for
    asylum. Where a published COA total resets the stock, the residents without a permit keep the
    model's split between pending and rejected (``pending_share`` when there were none). ``resets`` maps a stock ('coa_occupancy_persons', 'status_holders_in_coa_persons',
    'ukraine_goo_persons') to a (months,) array of published values, NaN where none.
    """

    applications: np.ndarray
    nareizigers: np.ndarray
    decision_time: np.ndarray
    ind_capacity: np.ndarray
    grant: np.ndarray
    supply: np.ndarray
    wait_months: np.ndarray
    ua_arrivals: np.ndarray
    ua_exit: np.ndarray
    ua_leave_share: np.ndarray
    ua_move_on_share: np.ndarray
    ua_transition_months: np.ndarray
    ua_to_asylum_share: float
    tpd_end: int | None
    departure_months: float
    capacity_adjustment_months: float
    occupancy_norm: float
    init: dict[str, float]
    resets: dict[str, np.ndarray]
    nareizigers_via_coa_share: float = 1.0
    pending_share: float = 0.85


STOCKS = (
    "asylum_pending_persons",
    "rejected_in_coa_persons",
    "status_holders_in_coa_persons",
    "ukraine_goo_persons",
)


def run_chain(x: ChainInputs, months: int, paths: int) -> dict[str, np.ndarray]:
    """Run the chain; every series returned with shape (paths, months)."""
    shape = (months, paths)

    def full(a: np.ndarray | float) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(np.asarray(a, dtype=float), shape))

    apps, nareis = full(x.applications), full(x.nareizigers) * x.nareizigers_via_coa_share
    dtime, cap_ind, grant = full(x.decision_time), full(x.ind_capacity), full(x.grant)
    supply, ua_in, ua_exit = full(x.supply), full(x.ua_arrivals), full(x.ua_exit)
    z = lambda: np.zeros(shape)  # noqa: E731
    out = {k: z() for k in STOCKS}
    names = (
        "applications_persons decisions_persons permits_persons rejected_departures_persons "
        "housed_from_coa_persons housing_supply_persons ukraine_exits_persons ukraine_leave_persons "
        "ukraine_to_housing_persons ukraine_to_asylum_persons record_correction_coa_persons "
        "record_correction_goo_persons nareizigers_to_coa_persons"
    ).split()
    flow = {k: z() for k in names}
    p = np.full(paths, float(x.init["asylum_pending_persons"]))
    r = np.full(paths, float(x.init["rejected_in_coa_persons"]))
    s = np.full(paths, float(x.init["status_holders_in_coa_persons"]))
    g = np.full(paths, float(x.init["ukraine_goo_persons"]))
    wait = np.maximum(np.broadcast_to(np.asarray(x.wait_months, float), (1, paths))[0], 1.0)
    leave_share = np.broadcast_to(np.asarray(x.ua_leave_share, float), (paths,))
    move_share = np.broadcast_to(np.asarray(x.ua_move_on_share, float), (paths,))
    transition = np.maximum(
        np.broadcast_to(np.asarray(x.ua_transition_months, float), (paths,)), 1.0
    )
    leave_rate = np.zeros(paths)
    move_rate = np.zeros(paths)
    none = np.zeros(paths)
    resets = {k: np.asarray(v, float) for k, v in x.resets.items()}
    reset_months = {int(i) for v in resets.values() for i in np.flatnonzero(np.isfinite(v))}
    inv_wait = 1.0 / wait
    inv_departure = 1.0 / x.departure_months
    inv_adjust = 1.0 / x.capacity_adjustment_months
    c = supply[0].copy()
    f = flow
    for t in range(months):
        if t in reset_months:
            p, r, s, g = _reset(t, resets, p, r, s, g, flow, x.pending_share)
        out["asylum_pending_persons"][t] = p
        out["rejected_in_coa_persons"][t] = r
        out["status_holders_in_coa_persons"][t] = s
        out["ukraine_goo_persons"][t] = g
        leave = move = none
        if x.tpd_end is not None and t >= x.tpd_end:
            if t == x.tpd_end:
                leave_rate = g * leave_share / transition
                move_rate = g * move_share / transition
            active = (t - x.tpd_end) < transition
            if active.any():
                leave = np.where(active, np.minimum(leave_rate, g), 0.0)
                move = np.where(active, np.minimum(move_rate, g - leave), 0.0)
                f["ukraine_leave_persons"][t] = leave
                f["ukraine_to_housing_persons"][t] = move
        exits = f["ukraine_exits_persons"][t]
        np.multiply(ua_exit[t], g, out=exits)
        np.minimum(exits, g - leave - move, out=exits)
        a = f["applications_persons"][t]
        if leave is none or x.ua_to_asylum_share == 0.0:
            a[:] = apps[t]
        else:
            to_asylum = leave * x.ua_to_asylum_share
            f["ukraine_to_asylum_persons"][t] = to_asylum
            np.add(apps[t], to_asylum, out=a)
        d = f["decisions_persons"][t]
        np.divide(p, dtime[t], out=d)
        np.minimum(d, cap_ind[t], out=d)
        pm = f["permits_persons"][t]
        np.multiply(grant[t], d, out=pm)
        dep = f["rejected_departures_persons"][t]
        np.multiply(r, inv_departure, out=dep)
        ready = s * inv_wait
        h = f["housed_from_coa_persons"][t]
        np.minimum(ready, c, out=h)
        f["housing_supply_persons"][t] = c
        f["nareizigers_to_coa_persons"][t] = nareis[t]
        p = p + a - d
        r = r + (d - pm) - dep
        s = s + pm + nareis[t] - h
        g = g + ua_in[t] - exits - leave - move
        c = c + (np.maximum(supply[t], ready) - c) * inv_adjust
    occupancy = (
        out["asylum_pending_persons"]
        + out["rejected_in_coa_persons"]
        + out["status_holders_in_coa_persons"]
    )
    series = {**out, **flow}
    series["ind_capacity_persons"] = cap_ind
    series["coa_occupancy_persons"] = occupancy
    series["coa_required_places"] = occupancy / x.occupancy_norm
    series["ukraine_arrivals_persons"] = ua_in
    series["ukraine_exit_rate_share"] = ua_exit
    return {k: v.T for k, v in series.items()}


def _reset(
    t: int,
    resets: dict[str, np.ndarray],
    p: np.ndarray,
    r: np.ndarray,
    s: np.ndarray,
    g: np.ndarray,
    flow: dict[str, np.ndarray],
    pending_share: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Set the stocks the record publishes for month ``t``; book the change as a record correction."""
    before = p + r + s
    sh = resets.get("status_holders_in_coa_persons")
    if sh is not None and not np.isnan(sh[t]):
        s = np.full_like(s, sh[t])
    total = resets.get("coa_occupancy_persons")
    if total is not None and not np.isnan(total[t]):
        rest = np.maximum(total[t] - s, 0.0)
        old = p + r
        share = np.divide(p, old, out=np.full_like(p, pending_share), where=old > 0)
        p, r = rest * share, rest * (1.0 - share)
    flow["record_correction_coa_persons"][t] = (p + r + s) - before
    goo = resets.get("ukraine_goo_persons")
    if goo is not None and not np.isnan(goo[t]):
        flow["record_correction_goo_persons"][t] = goo[t] - g
        g = np.full_like(g, goo[t])
    return p, r, s, g
