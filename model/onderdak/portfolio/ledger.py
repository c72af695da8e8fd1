"""A budget's lines: money per location, year and path (:class:`Budget`), the names and order of its lines, and budget.csv with bands across paths."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from onderdak.core.notes import Note
from onderdak.portfolio.income import RateNote

COST_LINES = ("capex", "fixed_opex", "variable_opex", "closing_cost", "staff_locations")


INCOME_LINES = (
    "income_normbedrag",
    "income_coa_rent",
    "income_spreidingswet",
    "income_outflow_incentive",
    "income_flex_subsidy",
)


CENTRAL_LINES = ("staff_central",)


TOTAL_LINES = ("costs_total", "income_total", "net_cost")


LINES = COST_LINES + CENTRAL_LINES + INCOME_LINES + TOTAL_LINES
"""Every line of budget.csv, in its order."""


BAND_QUANTILES = (0.10, 0.50, 0.90)


@dataclass(frozen=True)
class Budget:
    """Yearly money per location and path.

    Attributes
    ----------
    years : numpy.ndarray
        Calendar years of the horizon (axis -1 of every array).
    ids : tuple of str
        Location ids (axis 1 of ``lines``).
    lines : dict
        Line -> array (paths or 1, locations, years) in EUR; a leading axis of 1 means the same on
        every path.
    central : dict
        Portfolio-only line -> array (paths or 1, years) in EUR.
    assumptions : dict
        Line -> the notes (codes and figures) of the assumptions behind it; the report words them,
        the budget table lists their codes (:func:`assumption_codes`).
    notes : tuple of RateNote
        Structured notes on rates that are not published for some days (carried forward).
    """

    years: np.ndarray
    ids: tuple[str, ...]
    lines: dict[str, np.ndarray]
    central: dict[str, np.ndarray]
    assumptions: dict[str, tuple[Note, ...]] = field(default_factory=dict)
    notes: tuple[RateNote, ...] = ()
    _totals: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)
    """The totals computed so far (the lines are not changed after the budget is made)."""

    def location_total(self, line: str) -> np.ndarray:
        """A line or total per location, shape (paths or 1, locations, years)."""
        if line in self.lines:
            return self.lines[line]
        if line in self._totals:
            return self._totals[line]
        if line == "costs_total":
            total = _add(*(self.lines[k] for k in COST_LINES))
        elif line == "income_total":
            total = _add(*(self.lines[k] for k in INCOME_LINES))
        elif line == "net_cost":
            total = self.location_total("costs_total") - self.location_total("income_total")
        else:
            raise KeyError(line)
        self._totals[line] = total
        return total

    def portfolio_total(self, line: str) -> np.ndarray:
        """A line or total summed over locations (plus central lines), shape (paths or 1, years)."""
        if line in self.central:
            return self.central[line]
        total = self.location_total(line).sum(axis=1)
        if line in ("costs_total", "net_cost"):
            total = _add(total, *self.central.values())
        return total


def assumption_codes(b: Budget, line: str) -> str:
    """The codes of the assumptions behind a line, ``;``-separated ('' when none): the budget
    table's ``assumption`` column (the report words them from ``Budget.assumptions``)."""
    return ";".join(n.code for n in b.assumptions.get(line, ()))


def _add(*arrays: np.ndarray) -> np.ndarray:
    out = arrays[0]
    for a in arrays[1:]:
        out = out + a
    return out


def band_values(values: np.ndarray) -> dict[str, np.ndarray]:
    """Mean and BAND_QUANTILES over axis 0 (paths); a single path gives the value itself."""
    flat = values.reshape(values.shape[0], -1)
    out = {"mean_eur": flat.mean(axis=0)}
    if flat.shape[0] == 1:
        for q in BAND_QUANTILES:
            out[f"p{round(q * 100):02d}_eur"] = flat[0]
    else:
        qs = np.quantile(flat, BAND_QUANTILES, axis=0)
        for q, row in zip(BAND_QUANTILES, qs, strict=True):
            out[f"p{round(q * 100):02d}_eur"] = row
    return {k: v.reshape(values.shape[1:]) for k, v in out.items()}


def budget_table(b: Budget, *, per_location: bool = True, **labels: str) -> pd.DataFrame:
    """budget.csv: tidy yearly money with bands across paths, for the portfolio and per location.

    Columns: ``*labels``, scope (``portfolio`` | ``location``), location_id (empty for the portfolio),
    year, line, mean_eur, p10_eur, p50_eur, p90_eur, assumption. Bands of totals are taken over the
    per-path totals (not sums of quantiles).
    """
    frames = []
    for line in LINES:
        bands = band_values(b.portfolio_total(line))
        frame = pd.DataFrame(
            {"scope": "portfolio", "location_id": "", "year": b.years, "line": line, **bands}
        )
        frame["assumption"] = assumption_codes(b, line)
        frames.append(frame)
    if per_location:
        for line in COST_LINES + INCOME_LINES + TOTAL_LINES:
            bands = band_values(b.location_total(line))
            frame = pd.DataFrame(
                {
                    "scope": "location",
                    "location_id": np.repeat(np.array(b.ids, dtype=object), len(b.years)),
                    "year": np.tile(b.years, len(b.ids)),
                    "line": line,
                    **{k: v.ravel() for k, v in bands.items()},
                }
            )
            frame["assumption"] = assumption_codes(b, line)
            frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    for k, v in reversed(labels.items()):
        out.insert(0, k, v)
    return out
