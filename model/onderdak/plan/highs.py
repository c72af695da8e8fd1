"""Solving the portfolio MILP with HiGHS: the solve, a first plan by RENS, and HiGHS kept quiet."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from onderdak.case.optimise import OptimiseSettings
from onderdak.plan.milp import Built


def solve_milp(built: Built, settings: OptimiseSettings, time_limit: float | None = None):
    """Solve with HiGHS; an 'infeasible' from presolve is confirmed without presolve.

    (HiGHS 1.12's presolve has been seen to call a feasible model of this kind infeasible.)
    """
    c, integrality, lb, ub, a, lo, hi = built.model.arrays()
    limit = time_limit or settings.time_limit_seconds
    for presolve in (True, False):
        with quiet():
            res = milp(
                c,
                integrality=integrality,
                bounds=Bounds(lb, ub),
                constraints=LinearConstraint(a, lo, hi),
                options={
                    "mip_rel_gap": settings.mip_gap_share,
                    "time_limit": limit,
                    "presolve": presolve,
                },
            )
        if res.status != 2:
            break
    return res


@dataclass(frozen=True)
class Solution:
    """A solution found by :func:`rens`, with the gap to the full solve's dual bound."""

    x: np.ndarray
    fun: float
    status: int
    mip_gap: float


def rens(built: Built, settings: OptimiseSettings, time_limit: float):
    """A first plan by relaxation-enforced neighbourhood search (RENS, Berthold 2014).

    Solves the LP relaxation, fixes every integer variable that is integral there (most
    locations, most scenarios) and solves the small MILP that is left; then, in the time left,
    the wider one with only the LP's zeros fixed. HiGHS's own heuristics
    find poor plans for this model (covering a band with whole locations over many quarters); this one is
    found in seconds and is often within about 1% of the bound. None when there is none.
    """
    c, integrality, lb, ub, a, lo, hi = built.model.arrays()
    started = time.perf_counter()
    constraints = LinearConstraint(a, lo, hi)
    with quiet():
        lp = milp(
            c,
            integrality=np.zeros_like(integrality),
            bounds=Bounds(lb, ub),
            constraints=constraints,
            options={"time_limit": time_limit},
        )
    if lp.status != 0 or lp.x is None:
        return None
    ints = np.flatnonzero(integrality)
    value = np.round(lp.x[ints])
    integral = np.abs(lp.x[ints] - value) < 1e-6
    best = None
    # the LP's integral values fixed; then a wider neighbourhood: only its zeros fixed
    for fixed in (ints[integral], ints[integral & (value == 0)]):
        left = time_limit - (time.perf_counter() - started)
        if left <= 0.5:
            break
        lb_n, ub_n = lb.copy(), ub.copy()
        lb_n[fixed] = ub_n[fixed] = np.round(lp.x[fixed])
        with quiet():
            res = milp(
                c,
                integrality=integrality,
                bounds=Bounds(lb_n, ub_n),
                constraints=constraints,
                options={"mip_rel_gap": settings.mip_gap_share / 4, "time_limit": left},
            )
        if res.x is not None and (best is None or res.fun < best.fun):
            best = res
    return best


_QUIET_LOCK = threading.Lock()


_quiet_depth = 0


_quiet_saved: tuple[int, int, Any] | None = None  # (fd, its saved copy, devnull) while silenced


@contextlib.contextmanager
def quiet():
    """Silence what HiGHS prints on the C level (file descriptor 1) during a solve.

    Re-entrant and thread-safe: the first of nested or concurrent uses redirects and the last one to
    leave restores, so a solve still running in another thread (RENS beside the full MILP) stays
    silenced when the one that started first finishes."""
    global _quiet_depth, _quiet_saved
    with _QUIET_LOCK:
        _quiet_depth += 1
        if _quiet_depth == 1:
            fd = 1  # HiGHS prints on the C stdout, whatever Python's sys.stdout is now
            sys.stdout.flush()
            devnull = open(os.devnull, "w")  # noqa: SIM115 (closed below)
            _quiet_saved = (fd, os.dup(fd), devnull)
            os.dup2(devnull.fileno(), fd)
    try:
        yield
    finally:
        with _QUIET_LOCK:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _quiet_saved is not None:
                fd, saved, devnull = _quiet_saved
                os.dup2(saved, fd)
                os.close(saved)
                devnull.close()
                _quiet_saved = None
