"""The result tables of one simulated scenario: need, national drivers, taakstelling and key figures."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from onderdak.core.ensemble import quantile_table
from onderdak.core.streams import STREAMS
from onderdak.inflow.taakstelling import half_year_index, half_year_label
from onderdak.need.demand import asylum_sources, population_share
from onderdak.need.simulate import ScenarioRun

DRIVERS = {
    "first_applications_persons": "persons_per_month",
    "nareizigers_persons": "persons_per_month",
    "decisions_persons": "persons_per_month",
    "permits_persons": "persons_per_month",
    "asylum_pending_persons": "persons",
    "coa_occupancy_persons": "persons",
    "coa_required_places": "places",
    "status_holders_in_coa_persons": "persons",
    "ukraine_goo_persons": "persons",
    "taakstelling_persons": "persons_per_month",
    "ukraine_to_housing_persons": "persons_per_month",
}


def need_table(run: ScenarioRun) -> pd.DataFrame:
    """need.csv rows of one scenario: scenario, stream, period, unit, mean, p05 … p95."""
    frames = [
        quantile_table(
            run.need.streams[s],
            run.need.periods,
            scenario=run.scenario,
            stream=s,
            unit=run.need.units[s],
        )
        for s in STREAMS
    ]
    return pd.concat(frames, ignore_index=True)


def drivers_table(run: ScenarioRun) -> pd.DataFrame:
    """drivers.csv rows: national drivers of one scenario with their bands."""
    frames = [
        quantile_table(
            run.ensemble[d], run.ensemble.periods, scenario=run.scenario, driver=d, unit=u
        ).assign(source=np.where(run.ensemble.is_published(d), "published", "model"))
        for d, u in DRIVERS.items()
    ]
    return pd.concat(frames, ignore_index=True)


def taakstelling_table(run: ScenarioRun) -> pd.DataFrame:
    """taakstelling.csv rows: national and municipal taakstelling per half-year (persons), with bands."""
    periods = run.need.periods
    keys = half_year_index(periods)
    rows = []
    share = population_share(run.case)
    published = run.ensemble.is_published("taakstelling_persons")
    for key in np.unique(keys):
        idx = np.flatnonzero(keys == key)
        # the whole half-year's number (the task is spread evenly over its six months)
        national = run.ensemble["taakstelling_persons"][:, idx[0]] * 6.0
        municipal = national * share
        backlog_end = run.need.detail["backlog_persons"][:, idx[-1]]
        for level, values in (
            ("national", national),
            ("municipal", municipal),
            ("municipal_backlog_end", backlog_end),
        ):
            rows.append(
                {
                    "scenario": run.scenario,
                    "half_year": half_year_label(int(key)),
                    "level": level,
                    "unit": "persons",
                    "months_in_horizon": len(idx),
                    "source": "published" if published[idx[0]] else "model",
                    "mean": values.mean(),
                    "p10": np.quantile(values, 0.10),
                    "p50": np.quantile(values, 0.50),
                    "p90": np.quantile(values, 0.90),
                }
            )
    return pd.DataFrame(rows)


def scenario_summary(run: ScenarioRun) -> dict[str, Any]:
    """Key figures of one scenario for summary.json and the narrative."""
    need = run.need
    out: dict[str, Any] = {
        "national_scenario": run.ensemble.national_scenario,
        "paths": need.paths,
        "seed": run.ensemble.seed,
        "population_share": population_share(run.case),
        "taakstelling_link": run.ensemble.taakstelling_link,
        "spreidingswet": asylum_sources(run.case, need.periods),
        "streams": {},
    }
    for s in STREAMS:
        v = need.streams[s]
        peak_month = int(np.argmax(np.median(v, axis=0)))
        out["streams"][s] = {
            "unit": need.units[s],
            "start_p50": float(np.median(v[:, 0])),
            "peak_p50": float(np.median(v, axis=0).max()),
            "peak_period": str(need.periods[peak_month]),
            "max_p90": float(np.quantile(v, 0.9, axis=0).max()),
            "end_p10": float(np.quantile(v[:, -1], 0.1)),
            "end_p50": float(np.median(v[:, -1])),
            "end_p90": float(np.quantile(v[:, -1], 0.9)),
        }
    return out
