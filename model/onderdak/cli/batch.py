"""Run many report runs in parallel (cases × scenarios, or one region's municipalities), each isolated.

Runs go to a pool of worker processes (spawned, one run at a time each) or to any other executor,
a Dask cluster for one (:mod:`onderdak.cli.executors`). Each worker keeps one kernel for its runs,
reset between them (:mod:`onderdak.reporting.reused_kernel`: the kernel's start and the imports are
paid once per worker, not per run; a failed run ends the kernel); every run claims its own run
folder (unique run ids, exclusive creation), so runs cannot write into each other's folders, also
when two batches run at once; a run whose worker dies is run once more. ``--resume`` skips runs whose inputs are unchanged since a successful run
(:mod:`onderdak.cli.resume`). A failed run does not stop the batch; its error notebook is kept in its
``failed-<run-id>`` folder. The batch writes ``<root>/batches/<batch-id>/summary.csv`` and one log
per run, ``jobs.json`` (what each job asked, for ``--resume``) and prints a summary table.

A region file (:mod:`onderdak.region.file`) lists the municipalities.

The regional overview after the runs (:func:`run_overview`) is in :mod:`onderdak.cli.region_run`.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import secrets
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from onderdak.cli import executors
from onderdak.cli import resume as resumed
from onderdak.cli.region_run import (  # noqa: F401 - the command's names, as before
    OVERVIEW_NOTEBOOK,
    REGION_CODE,
    run_overview,
    write_region_case,
)
from onderdak.core.errors import InputError
from onderdak.region.file import Job, job_parameters


@dataclass
class JobResult:
    """What became of one job."""

    job: Job
    status: str  # ok | failed | invalid
    seconds: float
    folder: str = ""
    message: str = ""
    log: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def jobs_for_cases(
    cases: Sequence[str | Path],
    scenarios: Sequence[str] | None = None,
    notebook: str | None = None,
    parameters: Mapping[str, str] | None = None,
) -> list[Job]:
    """One job per case and scenario (``scenarios=["all"]``: every scenario in each case file)."""
    from onderdak.case.settings import load_case_file

    jobs = []
    for case in cases:
        path = Path(case)
        names: list[str | None] = list(scenarios) if scenarios else [None]
        if names == ["all"]:
            try:
                names = list(load_case_file(path))
            except InputError:
                names = [
                    None
                ]  # one run that fails with the case's problems, named once; the rest go on
        for s in names:
            jobs.append(
                Job(path, s, notebook, job_parameters(parameters or {}, True), path.parent.name)
            )
    return jobs


def run_job(
    job: Job,
    out: Path | None,
    formats: Sequence[str] | None,
    no_pdf: bool,
    reuse_kernel: bool = True,
) -> dict[str, Any]:
    """Run one job in a worker process (the worker's kept kernel, or one of its own with
    ``reuse_kernel=False``; its own run folder); never raises."""
    import traceback

    from onderdak.core.errors import InputError, OnderdakError
    from onderdak.reporting.reused_kernel import process_kernel
    from onderdak.reporting.runner import run_report

    started = time.perf_counter()
    data: dict[str, Any] = {"folder": "", "message": ""}
    try:
        result = run_report(
            job.case,
            job.notebook,
            dict(job.parameters),
            out=out,
            scenario=job.scenario,
            formats=formats,
            no_pdf=no_pdf,
            kernel=process_kernel() if reuse_kernel else None,
        )
        data.update(status="ok", folder=str(result.folder), extra=result.as_dict())
    except OnderdakError as exc:
        result = getattr(exc, "result", None)
        data.update(status="invalid" if isinstance(exc, InputError) else "failed", message=str(exc))
        if result is not None:
            data.update(folder=str(result.folder), extra=result.as_dict())
    except Exception as exc:  # a bug: report it, keep the batch going
        data.update(
            status="failed", message=f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        )
    data["seconds"] = time.perf_counter() - started
    return data


def _log_name(index: int, job: Job) -> str:
    stem = f"{index:03d}-{job.label or job.case.stem}"
    return stem + (f"-{job.scenario}" if job.scenario else "") + ".log"


def run_batch(
    jobs: Sequence[Job],
    workers: int | None = None,
    out: str | Path | None = None,
    formats: Sequence[str] | None = None,
    name: str = "batch",
    progress: bool = True,
    no_pdf: bool = False,
    *,
    executor: Executor | str | None = None,
    scheduler: str | None = None,
    shard: tuple[int, int] | None = None,
    resume: bool = False,
    reuse_kernel: bool = True,
) -> tuple[list[JobResult], Path]:
    """Run the jobs in parallel; returns the results (in job order) and the batch folder.

    Parameters
    ----------
    jobs : Sequence[Job]
        From :func:`jobs_for_cases` or :func:`jobs_for_region`.
    workers : int, optional
        Parallel runs; default the number of CPU cores (at most the number of jobs).
    out : str or Path, optional
        Report root passed to every run (runs go to ``<out>/<run-id>``); default ``reports/<case>``.
    formats : Sequence[str], optional
        Export formats of every run; default per notebook.
    name : str
        Name in the batch id.
    progress : bool
        Show a progress bar on standard error.
    no_pdf : bool
        Leave out the PDF of every run.
    executor : concurrent.futures.Executor or {"local", "dask"}, optional
        Where the runs go (:mod:`onderdak.cli.executors`): any executor, or ``"local"`` / None for
        the built-in process pool, ``"dask"`` for a Dask client (on ``scheduler``, else a
        LocalCluster of ``workers`` processes).
    scheduler : str, optional
        Address of a Dask scheduler (with ``executor="dask"``).
    shard : (int, int), optional
        (K, N): run only the K-th of N parts of the jobs (:func:`onderdak.cli.executors.shard`).
    resume : bool
        Skip jobs that ran successfully before on the same inputs (:mod:`onderdak.cli.resume`).
    reuse_kernel : bool
        Each worker keeps one kernel for its runs (default); False: a fresh kernel per run.
    """
    jobs = executors.shard(jobs, shard)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    executors.check(executor, scheduler)  # Dask asked but missing: an error, no batch folder
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = Path(out) if out else Path("reports")
    folder = base / "batches" / f"{stamp}-{name}-{os.getpid()}-{secrets.token_hex(2)}"
    (folder / "logs").mkdir(parents=True)
    run_out = Path(out).resolve() if out else None
    requests = [resumed.request(job, formats, no_pdf) for job in jobs]
    results: list[JobResult | None] = [None] * len(jobs)
    todo = list(range(len(jobs)))
    if resume:
        previous = resumed.previous_runs(base, before=folder)
        for i in list(todo):
            earlier = resumed.unchanged_run(requests[i], previous)
            if earlier:
                message = f"unchanged since the run in {earlier}: not run again (--resume)"
                results[i] = _result(
                    i,
                    jobs[i],
                    folder,
                    {"status": "ok", "seconds": 0.0, "folder": earlier, "message": message},
                    0,
                    resumed=True,
                )
                todo.remove(i)

    def done(k: int, data: dict[str, Any] | None, runs: int, error: BaseException | None) -> None:
        if error is not None:
            lost = executors.worker_lost(error)
            data = {
                "status": "failed",
                "seconds": 0.0,
                "folder": "",
                "message": f"the worker died {runs} times (out of memory?)"
                if lost
                else f"{type(error).__name__}: {error}",
            }
        assert data is not None
        results[todo[k]] = _result(todo[k], jobs[todo[k]], folder, data, runs)

    calls = [(jobs[i], run_out, formats, no_pdf, reuse_kernel) for i in todo]
    if calls:  # everything resumed: no cluster to start
        with executors.open_executor(executor, workers, scheduler) as pool:
            executors.run_jobs(run_job, calls, pool, workers, name, progress, on_done=done)
    finished = [r for r in results if r is not None]
    write_summary(finished, folder / "summary.csv")
    resumed.write_jobs(
        folder / resumed.JOBS_FILE,
        [(requests[i], r.status, r.folder) for i, r in enumerate(results) if r is not None],
    )
    return finished, folder


def _result(
    i: int, job: Job, folder: Path, data: dict[str, Any], runs: int, resumed: bool = False
) -> JobResult:
    log = folder / "logs" / _log_name(i, job)
    log.write_text(data["message"] + "\n", encoding="utf-8")
    extra = dict(data.get("extra") or {})
    extra.update(runs=runs, resumed=resumed)
    return JobResult(
        job, data["status"], data["seconds"], data["folder"], data["message"], str(log), extra
    )


def write_summary(results: Sequence[JobResult], path: Path) -> None:
    """Write the summary CSV: label, case, scenario, notebook, status, seconds, folder, message, log.

    Case and folder are absolute paths, so that the regional overview (which runs elsewhere) finds them.
    """
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            [
                "label",
                "case",
                "scenario",
                "notebook",
                "status",
                "seconds",
                "folder",
                "message",
                "log",
            ]
        )
        for r in results:
            w.writerow(
                [
                    r.job.label,
                    str(Path(r.job.case).resolve()),
                    r.job.scenario or "",
                    r.job.notebook or "",
                    r.status,
                    f"{r.seconds:.1f}",
                    str(Path(r.folder).resolve()) if r.folder else "",
                    r.message.splitlines()[0] if r.message else "",
                    r.log,
                ]
            )


def summary_table(results: Sequence[JobResult]) -> str:
    """A plain-text table of the results for the terminal."""
    rows = [("case", "scenario", "status", "seconds", "folder")]
    for r in results:
        where = r.folder or (r.message.splitlines()[0][:70] if r.message else "")
        rows.append(
            (
                r.job.label or str(r.job.case),
                r.job.scenario or "-",
                r.status,
                f"{r.seconds:.1f}",
                where,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for k, row in enumerate(rows):
        lines.append(
            "  ".join(
                c.ljust(w) if i != 3 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row[:4], widths, strict=True))
            )
            + "  "
            + row[4]
        )
        if k == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 6)
    return "\n".join(lines)


def exit_code(results: Sequence[JobResult]) -> int:
    """0 when every run succeeded, 2 when some had invalid input, else 1."""
    statuses = {r.status for r in results}
    if statuses <= {"ok"}:
        return 0
    return 2 if statuses == {"ok", "invalid"} or statuses == {"invalid"} else 1


def as_dict(result: JobResult) -> dict[str, Any]:
    """JSON-ready mapping of a result."""
    d = asdict(result)
    d["job"]["case"] = str(result.job.case)
    return d
