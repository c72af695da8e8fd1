"""A MILP as arrays for scipy.optimize.milp (HiGHS): variables with bounds and costs, sparse rows."""

from __future__ import annotations

import numpy as np
from scipy import sparse

OBJECTIVE_SCALE = 1e-3
"""Objective in thousands of euros inside the solver (better conditioned)."""


class MilpModel:
    """Collects variables (bounds, costs, integrality) and sparse rows for scipy.optimize.milp."""

    def __init__(self) -> None:
        self.n = 0
        self.lb: list[np.ndarray] = []
        self.ub: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []
        self.integer: list[np.ndarray] = []
        self.rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.m = 0

    def var(self, shape: tuple[int, ...], lb=0.0, ub=np.inf, cost=0.0, integer=False) -> np.ndarray:
        size = int(np.prod(shape))
        idx = np.arange(self.n, self.n + size).reshape(shape)
        self.n += size
        for store, value in ((self.lb, lb), (self.ub, ub), (self.cost, cost)):
            store.append(np.broadcast_to(np.asarray(value, dtype=float), shape).ravel().copy())
        self.integer.append(np.full(size, int(integer)))
        return idx

    def rows_(self, cols: np.ndarray, coefs: np.ndarray, lo, hi) -> None:
        """Rows given as (R, T) column and coefficient arrays; unused terms have coefficient 0."""
        cols, coefs = np.atleast_2d(cols), np.atleast_2d(np.asarray(coefs, dtype=float))
        coefs = np.broadcast_to(coefs, cols.shape)
        r = np.broadcast_to(np.arange(self.m, self.m + cols.shape[0])[:, None], cols.shape)
        keep = coefs != 0
        self.rows.append((r[keep], cols[keep], coefs[keep]))
        self.lo.append(np.broadcast_to(np.asarray(lo, dtype=float), cols.shape[:1]).copy())
        self.hi.append(np.broadcast_to(np.asarray(hi, dtype=float), cols.shape[:1]).copy())
        self.m += cols.shape[0]

    def arrays(self):
        r, c, v = (np.concatenate(a) for a in zip(*self.rows, strict=True))
        a = sparse.csr_array((v, (r, c)), shape=(self.m, self.n))
        cat = np.concatenate
        return (
            cat(self.cost),
            cat(self.integer),
            cat(self.lb),
            cat(self.ub),
            a,
            cat(self.lo),
            cat(self.hi),
        )
