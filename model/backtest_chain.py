"""Backtest of the national chain: rolling-origin forecasts of COA occupancy and the national taakstelling.

For every origin year Y the chain is started at a peildatum of January Y+1 from what was published by then
(:mod:`model.record`), with a what-we-knew trajectory — the inflow of the last published twelve months held
flat, the decision and grant parameters as they were understood at the time (see :func:`what_we_knew`) —
and the calibration up to Y only. Its draws 1, 2 and 5 years ahead are scored against the COA occupancy
and the taakstelling published later, in the same columns as :func:`model.backtest.rolling_origin`, so
that :func:`model.backtest.scores` gives coverage with its binomial interval, interval scores and the skill
against persistence (the last published value).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from model import reference
from model.backtest import crps_ensemble, interval_score
from model.calibration import _cbs_83102_history, calibrate
from model.case import Case
from model.inflow import half_year_index, half_year_label, scenario_definition, simulate_inflow
from model.record import NationalRecord, national_record

HORIZONS_YEARS = (1, 2, 5)
TARGET_WINDOW_MONTHS = (
    6  # an observation counts for a horizon if it lies within ± this of the target
)
GRANT_RATE_BEFORE_2024 = 0.75  # "70–85% in earlier years" (Rijksoverheid 2025-09-26, H): midpoint
GRANT_RATE_FROM_2024 = 0.40  # "~40% in Q1 2025" (Rijksoverheid 2025-09-26, H)


def what_we_knew(record: NationalRecord) -> dict[str, Any]:
    """A scenario definition that knows only the record at its peildatum: the last year held flat.

    Inflow: the last twelve published months of first applications, nareizigers and repeat applications
    (midden's repeat level where none is published), as yearly rates. The IND: unconstrained with
    midden's decision time before 2025 (the capacity limit is what 2025 showed), from then midden's
    capacity. Grant rate: 0.75 before 2024, 0.40 after (the published ranges of the time). Ukrainians:
    no arrivals or exits (their stock is not backtested). Housing supply and the rest: midden.
    """
    base = scenario_definition("midden")
    year = record.peildatum.year

    def flat(series: str, default: float) -> dict[int, float]:
        flow = record.flows.get(series)
        level = float(flow.iloc[-12:].sum()) if flow is not None and len(flow) >= 12 else default
        return {year: level}

    spec = dict(base)
    spec.update(
        first_applications_persons_per_year=flat("first_applications_persons", 20_000.0),
        nareizigers_persons_per_year=flat("nareizigers_persons", 8_000.0),
        repeat_applications_persons_per_year=flat(
            "repeat_applications_persons",
            float(next(iter(base["repeat_applications_persons_per_year"].values()))),
        ),
        grant_rate_share={year: GRANT_RATE_BEFORE_2024 if year < 2024 else GRANT_RATE_FROM_2024},
        ukraine_arrivals_persons_per_month={year: 0.0},
        ukraine_exit_rate_share_per_month={year: 0.0},
    )
    if year < 2025:
        spec["ind_decisions_persons_per_year"] = {year: 1e9}
    return spec


def _case(peildatum: pd.Period, months: int) -> Case:
    return Case.model_validate(
        {
            "name": "backtest",
            "municipality": {"name": "Nederland", "code": "GM0000", "population_persons": 1},
            "price_year": peildatum.year,
            "peildatum": str(peildatum),
            "start": str(peildatum),
            "horizon_months": months,
        }
    )


def chain_backtest(
    paths: int = 400, seed: int = 20261123, first_origin: int = 2015, long_history: bool = True
) -> pd.DataFrame:
    """Rolling-origin forecasts of COA occupancy and the national taakstelling at 1, 2 and 5 years.

    Returns one row per (variable, origin, horizon) with an observation: ``variable``
    (``coa_occupancy_persons`` | ``taakstelling_persons``), ``origin_year``, ``horizon_years``,
    ``target`` (month or half-year), ``observed_persons``, ``naive_persons`` (the last published value
    at the peildatum), ``p025`` … ``p975``, ``in_80``, ``in_95``, ``pit_share``, interval scores, CRPS
    and the naive absolute error: the columns :func:`model.backtest.scores` reads.
    """
    history = _cbs_83102_history() if long_history else None
    last_year = int(reference.table("asylum_inflow_yearly")["year"].max())
    rows: list[dict[str, Any]] = []
    for origin in range(first_origin, last_year):
        peildatum = pd.Period(f"{origin + 1}-01", freq="M")
        record = national_record(peildatum)
        if record.stocks["coa_occupancy_persons"].empty:
            continue
        case = _case(peildatum, 12 * max(HORIZONS_YEARS) + TARGET_WINDOW_MONTHS + 1)
        e = simulate_inflow(
            case,
            paths=paths,
            seed=seed + origin,
            spec=what_we_knew(record),
            calibration=calibrate(origin, history),
        )
        rows += _coa_rows(e, record, origin)
        rows += _taakstelling_rows(e, record, origin)
    return pd.DataFrame(rows)


def _score(x: np.ndarray, observed: float, naive: float, **labels: Any) -> dict[str, Any]:
    q = np.quantile(x, [0.025, 0.10, 0.50, 0.90, 0.975])
    return {
        **labels,
        "observed_persons": observed,
        "naive_persons": naive,
        "p025": q[0],
        "p10": q[1],
        "p50": q[2],
        "p90": q[3],
        "p975": q[4],
        "in_80": bool(q[1] <= observed <= q[3]),
        "in_95": bool(q[0] <= observed <= q[4]),
        "pit_share": float(np.mean(x <= observed)),
        "interval_score_80_persons": interval_score(q[1], q[3], observed, 0.80),
        "interval_score_95_persons": interval_score(q[0], q[4], observed, 0.95),
        "crps_persons": crps_ensemble(x, observed),
        "naive_abs_error_persons": abs(observed - naive),
    }


def _coa_rows(e, record: NationalRecord, origin: int) -> list[dict[str, Any]]:
    observed = national_record("2100-01").stocks["coa_occupancy_persons"]
    known = record.stocks["coa_occupancy_persons"]
    naive = float(known.iloc[-1])
    periods = list(e.periods)
    rows = []
    for h in HORIZONS_YEARS:
        target = record.peildatum + 12 * h
        near = observed[
            (observed.index >= target - TARGET_WINDOW_MONTHS)
            & (observed.index <= target + TARGET_WINDOW_MONTHS)
        ]
        if near.empty:
            continue
        month = min(near.index, key=lambda m: abs((m - target).n))
        if month not in periods:
            continue
        draws = e["coa_occupancy_persons"][:, periods.index(month)]
        rows.append(
            _score(
                draws,
                float(near[month]),
                naive,
                variable="coa_occupancy_persons",
                origin_year=origin,
                horizon_years=h,
                target=str(month),
            )
        )
    return rows


def _taakstelling_rows(e, record: NationalRecord, origin: int) -> list[dict[str, Any]]:
    published = national_record("2100-01").taakstelling
    if record.taakstelling.empty:
        return []
    naive = float(record.taakstelling.iloc[-1])
    keys = half_year_index(e.periods)
    rows = []
    for h in HORIZONS_YEARS:
        label = half_year_label((origin + 1 + h) * 2)  # the first half-year, h years on
        if label not in published.index or label in record.taakstelling.index:
            continue
        idx = np.flatnonzero(np.array([half_year_label(k) for k in keys]) == label)
        if len(idx) == 0:
            continue
        draws = e["taakstelling_persons"][:, idx[0]] * 6.0
        rows.append(
            _score(
                draws,
                float(published[label]),
                naive,
                variable="taakstelling_persons",
                origin_year=origin,
                horizon_years=h,
                target=label,
            )
        )
    return rows


def chain_scores(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`model.backtest.scores` per variable and horizon (one row each), with the forecast count.

    Forecasts of one horizon from consecutive origins overlap (a 5-year window shares four years with
    the next): ``independent_forecasts`` counts the non-overlapping ones, the honest n for the binomial
    interval's reading.
    """
    from model.backtest import scores

    rows = []
    for (variable, h), group in table.groupby(["variable", "horizon_years"]):
        s = scores(group)
        origins = sorted(group["origin_year"])
        independent, last = 0, -np.inf
        for o in origins:
            if o >= last + h:
                independent, last = independent + 1, o
        rows.append(
            {"variable": variable, "horizon_years": h, **s, "independent_forecasts": independent}
        )
    return pd.DataFrame(rows)
