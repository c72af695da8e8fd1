"""The whole pipeline for a case: every scenario simulated, every result table computed, written atomically.

The tables of one scenario are :mod:`onderdak.pipeline.tables`; the folder is swapped in whole by
:func:`onderdak.io.atomic.fresh_folder`."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from onderdak.business_case.evaluate import business_case_tables
from onderdak.case.settings import Case, select_cases
from onderdak.core.errors import InfeasibleError, InputError
from onderdak.core.notes import note_record
from onderdak.core.version import __version__
from onderdak.geo.spread import place_for_case
from onderdak.inflow.drivers import (
    calibration_for,
)
from onderdak.io.atomic import RESULTS_MARK, fresh_folder
from onderdak.need.simulate import ScenarioRun, simulate
from onderdak.pipeline.tables import drivers_table, need_table, scenario_summary, taakstelling_table
from onderdak.plan.build import optimise_case
from onderdak.plan.money import horizon_totals
from onderdak.portfolio.analysis import analyse_portfolio
from onderdak.portfolio.mca import mca_for_case
from onderdak.register.locations import load_register


@dataclass
class Results:
    """All scenarios of a case and their tidy result tables (name → DataFrame) and summary."""

    runs: dict[str, ScenarioRun]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    register: Any = None  # onderdak.register.locations.Register of the base case, when it has one
    place: Any = None  # onderdak.geo.spread.Place (wijk assignment, spread, distances), when geometry is given
    seconds: dict[str, tuple[float, float]] = field(default_factory=dict)
    """(wall, CPU) seconds per pipeline stage (``simulate``, ``tables``, …, ``plans``), for
    benchmarks/bench_run.py."""


R = TypeVar("R")


def run_case(
    case_path: str | Path,
    scenarios: Sequence[str] | None = None,
    paths: int | None = None,
    seed: int | None = None,
    money: bool = True,
    plans: bool = False,
    language: str | None = None,
    cases: Mapping[str, Case] | None = None,
    simulated: Mapping[str, ScenarioRun] | None = None,
    register: Any = None,
) -> Results:
    """Simulate every selected scenario of a case file and compute all result tables.

    ``paths`` and ``seed`` default to the case's (None). ``cases``, ``simulated`` and ``register``
    hand in what a :class:`onderdak.pipeline.run.CaseRun` already has: the scenarios read (with
    their overrides), those already simulated (not simulated again) and the register read.
    ``money=False`` skips the per-scenario portfolio and business-case tables (a report that analyses
    one scenario itself, like the advice, does not need them for every scenario). ``plans=True``
    adds the recommended plan per scenario (``plan`` table, ``summary["plan"]``): one optimisation
    per scenario at the case's reliability (the most that can be reached when that is too much,
    said in the notes), without the trade-off and regret (``onderdak optimise`` and the plan report
    have those); a scenario without any feasible plan gets its reason in the summary.

    The work is a set of tasks per scenario (simulate; need tables; portfolio; business case; plan)
    and one for the register, on as many threads as there are cores (:class:`_Work`): a scenario's
    plan starts as soon as its portfolio is done, while other scenarios are still being simulated
    or costed, so no core waits for the slowest scenario of a stage. The tables are put together in
    scenario order afterwards, so they are the same as one task after the other.
    """
    work = _Work()
    cases = dict(cases) if cases is not None else select_cases(case_path, scenarios)
    simulated = simulated or {}
    base = next(iter(cases.values()))
    with work:
        sims = {
            n: _done(simulated[n])
            if n in simulated
            else work.submit("simulate", simulate, c, paths=paths, seed=seed)
            for n, c in cases.items()
        }
        reg = work.submit("register", _register_stage, base, register) if base.locations else None
        ports, plan_jobs, bcs = {}, {}, {}
        if reg is not None and money:
            for n in cases:
                ports[n] = work.submit("portfolio", _portfolio_stage, sims[n], reg)
            if plans:
                for n in cases:
                    plan_jobs[n] = work.submit(
                        "plans",
                        lambda n=n: _plan_of(
                            sims[n].result(), reg.result()[0], language, ports[n].result()
                        ),
                    )
            for n in cases:
                bcs[n] = work.submit(
                    "business_case",
                    lambda n=n: business_case_tables({n: sims[n].result()}, reg.result()[0]),
                )
        tabs = {
            n: work.submit("tables", lambda n=n: _scenario_tables(sims[n].result())) for n in cases
        }
    runs = {n: f.result() for n, f in sims.items()}
    results = Results(runs=runs, seconds=work.seconds)
    tables = [f.result() for f in tabs.values()]
    for i, name in enumerate(("need", "drivers", "taakstelling")):
        results.tables[name] = pd.concat([t[i] for t in tables], ignore_index=True)
    if reg is not None:
        results.register, results.place, own = reg.result()
        results.tables.update(own)
    if ports:
        _collect(results, {n: f.result()["tables"] for n, f in ports.items()}, scenario_column=True)
        _collect(results, {n: f.result() for n, f in bcs.items()})
    if plan_jobs:
        _collect_plans(results, {n: f.result() for n, f in plan_jobs.items()})
    results.summary = {
        "case": base.name,
        "municipality": base.municipality.name,
        "fictional": base.fictional,
        "peildatum": base.peildatum,
        "start": base.start,
        "horizon_months": base.horizon_months,
        "published_until": next(iter(runs.values())).ensemble.published_until,
        "onderdak_version": __version__,
        "calibration": calibration_for(base).describe(),
        "scenarios": {name: t[3] for name, t in zip(runs, tables, strict=True)},
        **({"plan": results.summary["plan"]} if "plan" in results.summary else {}),
    }
    return results


def _scenario_tables(run: ScenarioRun) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    return need_table(run), drivers_table(run), taakstelling_table(run), scenario_summary(run)


def _portfolio_stage(sim: Future, reg: Future) -> dict[str, Any]:
    """The portfolio tables of one scenario, and the committed portfolio's (allocation, budget)
    that its plan's money reuses; the larger arrays of the portfolio with candidates are let go
    here (a 10,000-path allocation and budget are some hundreds of MB per scenario)."""
    run = sim.result()
    analysis = analyse_portfolio(run.case, run.need, reg.result()[0])
    committed = analysis.runs["committed"]
    return {"tables": analysis.tables, "committed": (committed.allocation, committed.budget)}


def _done(value: R) -> Future[R]:
    future: Future[R] = Future()
    future.set_result(value)
    return future


def _register_stage(base: Case, register: Any = None) -> tuple[Any, Any, dict[str, pd.DataFrame]]:
    """The base case's register (read unless given), its place in the wijken and the MCA:
    (register, place, tables)."""
    register = register if register is not None else load_register(base)
    place = place_for_case(base, register.table)
    tables = {}
    if place is not None:
        tables["spread"] = place.spread
        if place.distances is not None:
            tables["distances"] = place.distances
    tables["mca"] = mca_for_case(base, register.table, place)
    return register, place, tables


def _collect(
    results: Results, per_scenario: dict[str, dict[str, pd.DataFrame]], scenario_column=False
) -> None:
    """Stack each table over the scenarios (in scenario order) into ``results.tables``."""
    blocks: dict[str, list[pd.DataFrame]] = {}
    for name, tables in per_scenario.items():
        for key, table in tables.items():
            blocks.setdefault(key, []).append(
                table.assign(scenario=name) if scenario_column else table
            )
    for key, frames in blocks.items():
        table = pd.concat(frames, ignore_index=True)
        if scenario_column:
            table = table[["scenario", *[c for c in table.columns if c != "scenario"]]]
        results.tables[key] = table


class _Work:
    """Tasks on as many threads as there are cores, with (wall, CPU) seconds per stage.

    A task may wait for the result of a task submitted before it: the queue is first in, first out,
    so what it waits for is already running on another thread (or done), never queued behind it.
    OMP_NUM_THREADS (batch workers set 1: the runs are the parallelism) limits the threads as it
    does the solver's; with one thread every task runs when it is submitted.
    """

    def __init__(self) -> None:
        self.threads = _cores()
        self.pool = ThreadPoolExecutor(self.threads) if self.threads > 1 else None
        self.seconds: dict[str, tuple[float, float]] = {}
        self._span: dict[str, list[float]] = {}
        self._cpu: dict[str, float] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> _Work:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=exc[0] is not None)
        for stage, (first, last) in self._span.items():
            self.seconds[stage] = (last - first, self._cpu[stage])

    def submit(self, stage: str, fn: Callable[..., R], *args: Any, **kwargs: Any) -> Future[R]:
        def timed() -> R:
            wall0, cpu0 = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                wall1, cpu1 = time.perf_counter(), time.thread_time()
                with self._lock:
                    span = self._span.setdefault(stage, [wall0, wall1])
                    span[0], span[1] = min(span[0], wall0), max(span[1], wall1)
                    self._cpu[stage] = self._cpu.get(stage, 0.0) + cpu1 - cpu0

        if self.pool is not None:
            return self.pool.submit(timed)
        future: Future[R] = Future()
        try:
            future.set_result(timed())
        except BaseException as exc:  # noqa: BLE001 - handed to whoever asks for the result
            future.set_exception(exc)
        return future


def _cores() -> int:
    try:
        return max(int(os.environ.get("OMP_NUM_THREADS", "")), 1)
    except ValueError:
        return os.cpu_count() or 1


def _plan_of(run: ScenarioRun, register: Any, language: str | None, portfolio: dict) -> Any:
    """The recommended plan of one scenario (or the InfeasibleError that says why there is none).

    ``portfolio`` (the scenario's portfolio stage, :func:`_portfolio_stage`) gives the committed
    allocation and budget the plan's money reuses for "without the plan", and lets go of them
    once the plan has them.
    """
    committed = portfolio.pop("committed")
    try:
        return optimise_case(
            run.case,
            run.need,
            register,
            levels=[],
            regret=False,
            language=language,
            fallback=True,
            committed=committed,
        )
    except InfeasibleError as exc:
        return exc


def _collect_plans(results: Results, plans: dict[str, Any]) -> None:
    """The plan tables and summary of every scenario, in scenario order."""
    frames, money, summary = [], [], {}
    for name, plan in plans.items():
        if isinstance(plan, InfeasibleError):
            summary[name] = {"error": str(plan)}
            continue
        frames.append(plan.tables["plan"].assign(scenario=name))
        pm = plan.money
        money.append(pm.table)
        totals = horizon_totals(pm).set_index(["portfolio", "line"])
        summary[name] = {
            **plan.summary,
            "notes": [note_record(n) for n in plan.notes],
            "money": {
                f"{portfolio}_{line}_{k}": round(float(v), 0)
                for (portfolio, line), row in totals.iterrows()
                if line in ("net_cost", "capex", "income_total", "costs_total")
                for k, v in row.items()
                if k in ("mean_eur", "p10_eur", "p50_eur", "p90_eur")
            },
        }
    if frames:
        table = pd.concat(frames, ignore_index=True)
        results.tables["plan"] = table[["scenario", *[c for c in table.columns if c != "scenario"]]]
        results.tables["plan_money"] = pd.concat(money, ignore_index=True)
    results.summary["plan"] = summary


def write_results(results: Results, out: Path) -> None:
    """Write every table as CSV and summary.json into ``out``, swapped in whole (:func:`fresh_folder`)."""
    wall, cpu = time.perf_counter(), time.process_time()
    with fresh_folder(Path(out)) as tmp:
        for name, table in results.tables.items():
            table.to_csv(tmp / f"{name}.csv", index=False, float_format="%.6g", lineterminator="\n")
        try:
            text = json.dumps(
                results.summary,
                indent=2,
                ensure_ascii=False,
                sort_keys=True,
                default=_json_default,
                allow_nan=False,
            )
        except ValueError as exc:  # allow_nan=False: a NaN or infinity in the summary
            raise InputError(
                f"{out}: a result is not a finite number ({exc}); nothing written"
            ) from None
        (tmp / RESULTS_MARK).write_text(text + "\n", encoding="utf-8")
    results.seconds["write"] = (time.perf_counter() - wall, time.process_time() - cpu)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
