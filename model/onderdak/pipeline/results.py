"""The whole pipeline for a case: every scenario simulated, every result table computed, written atomically."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from onderdak.case.settings import Case, select_cases
from onderdak.core.ensemble import quantile_table
from onderdak.core.errors import InputError
from onderdak.core.notes import note_record
from onderdak.core.streams import STREAMS
from onderdak.core.version import __version__
from onderdak.inflow.drivers import calibration_for
from onderdak.inflow.taakstelling import half_year_index, half_year_label
from onderdak.need.demand import asylum_sources, population_share
from onderdak.need.simulate import ScenarioRun, simulate

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


def run_case(
    case_path: str | Path,
    scenarios: Sequence[str] | None = None,
    paths: int | None = None,
    seed: int | None = None,
    money: bool = True,
    plans: bool = False,
    language: str | None = None,
) -> Results:
    """Simulate every selected scenario of a case file and compute all result tables.

    ``paths`` and ``seed`` default to the case's; a negative seed also means the case's (notebook default).
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
    seed = None if seed is None or seed < 0 else seed
    cases = select_cases(case_path, scenarios)
    base = next(iter(cases.values()))
    with work:
        sims = {
            n: work.submit("simulate", simulate, c, paths=paths, seed=seed)
            for n, c in cases.items()
        }
        reg = work.submit("register", _register_stage, base) if base.locations else None
        ports, plan_jobs, bcs = {}, {}, {}
        if reg is not None and money:
            from onderdak.business_case.evaluate import business_case_tables

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
    from onderdak.portfolio.analysis import analyse_portfolio

    run = sim.result()
    analysis = analyse_portfolio(run.case, run.need, reg.result()[0])
    committed = analysis.runs["committed"]
    return {"tables": analysis.tables, "committed": (committed.allocation, committed.budget)}


def _register_stage(base: Case) -> tuple[Any, Any, dict[str, pd.DataFrame]]:
    """The base case's register, its place in the wijken and the MCA: (register, place, tables)."""
    from onderdak.geo.spread import place_for_case
    from onderdak.portfolio.mca import mca_for_case
    from onderdak.register.locations import load_register

    register = load_register(base)
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
    from onderdak.core.errors import InfeasibleError
    from onderdak.plan.build import optimise_case

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
    from onderdak.core.errors import InfeasibleError
    from onderdak.plan.money import horizon_totals

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


RESULTS_MARK = "summary.json"
"""The file every results folder holds: a folder with it may be replaced by a new run."""


def check_output(out: Path, marks: Sequence[str] = (RESULTS_MARK,)) -> None:
    """Refuse, before any work, an output folder a command may not replace.

    ``out`` may be new, empty, or an earlier output of the same command (holding one of ``marks``,
    e.g. ``summary.json``); a file, a folder with other contents, or a place that cannot be
    written is refused (InputError).
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not any((out / m).is_file() for m in marks):
        raise InputError(
            f"--out {out}: the folder holds other files and no {' or '.join(marks)}; the command "
            "replaces its folder whole, so give a new or empty folder (or an earlier one of its own)"
        )
    parent = _existing_parent(out)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"--out {out}: {parent} cannot be written (permission denied)")


def _existing_parent(path: Path) -> Path:
    p = path.absolute().parent
    while not p.exists():
        p = p.parent
    return p


@contextlib.contextmanager
def fresh_folder(out: Path, marks: Sequence[str] = (RESULTS_MARK,)) -> Iterator[Path]:
    """A new temporary folder beside ``out`` to write into; swapped in for ``out`` whole on success.

    Nothing of an earlier output stays beside the new one (an old plan.csv after a ``--no-plan``
    run); a failure (an exception inside the block, a full disk) leaves ``out`` as it was and no
    temporary folder. Temporary folders of killed runs (``.<out>.partial-<pid>-…`` whose process
    no longer runs) are removed first.

    Raises
    ------
    InputError
        ``out`` may not be replaced (:func:`check_output`) or cannot be written.
    """
    out = Path(out)
    check_output(out, marks)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-{os.getpid()}-", dir=out.parent))
    except OSError as exc:
        raise InputError(f"--out {out}: cannot be written ({exc.strerror or exc})") from None
    old = None
    try:
        yield tmp
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}-{tmp.name.rsplit('-', 1)[-1]}"
            os.replace(out, old)
        os.replace(tmp, out)
    except OSError as exc:
        if old is not None and not out.exists():
            os.replace(old, out)  # put the last good output back
            old = None
        raise InputError(
            f"--out {out}: could not be written ({exc.strerror or exc}); the folder is as it was"
        ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


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


def _clean_stale(out: Path) -> None:
    """Remove ``.<out>.partial-<pid>-*`` / ``.old-<pid>-*`` folders whose process no longer runs."""
    for p in out.parent.glob(f".{glob.escape(out.name)}.*-*-*"):
        kind, _, rest = p.name[len(out.name) + 2 :].partition("-")
        pid = rest.split("-", 1)[0]
        if kind not in ("partial", "old") or not pid.isdigit() or _running(int(pid)):
            continue
        if kind == "old" and not out.exists():
            os.replace(p, out)  # killed between the two renames: the last good results come back
        else:
            shutil.rmtree(p, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
