"""Run many report runs in parallel (cases × scenarios, or one region's municipalities), each isolated.

Runs go to a pool of worker processes (spawned, one run at a time each); every run starts its own
kernel and claims its own run folder (unique run ids, exclusive creation), so runs cannot write
into each other's folders, also when two batches run at once; a worker that dies is replaced. A failed run does not stop the batch; its error notebook is kept in its
``failed-<run-id>`` folder. The batch writes ``<root>/batches/<batch-id>/summary.csv`` and one log
per run, and prints a summary table.

A region file (:mod:`onderdak.region.file`) lists the municipalities.

The regional overview (:func:`run_overview`) runs ``notebooks/region.ipynb`` through the report
runner on the batch's ``summary.csv`` into ``reports/<region name>/<run-id>/`` (with ``--out``:
``<out>/<region name>/``). It covers the municipalities whose run succeeded and names the others.
The runner needs a case file: the batch writes ``region-case.yaml`` beside the summary (the region
as one "municipality": its name, the summed inhabitants, the first case's start and price year).
"""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing
import os
import secrets
import sys
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from onderdak.core.errors import InputError
from onderdak.region.file import (
    Job,
    Region,
    job_parameters,
)


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


def _init_worker() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(
            var, "1"
        )  # one core per run (and kernel): the workers are the parallelism


def _work(
    job: Job, out: Path | None, formats: Sequence[str] | None, no_pdf: bool
) -> dict[str, Any]:
    """Run one job in a worker process (its own kernel, its own run folder); never raises."""
    import traceback

    from onderdak.core.errors import InputError, OnderdakError
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
) -> tuple[list[JobResult], Path]:
    """Run the jobs in parallel processes; returns the results (in job order) and the batch folder.

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
    """
    from tqdm import tqdm

    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = Path(out) if out else Path("reports")
    folder = base / "batches" / f"{stamp}-{name}-{os.getpid()}-{secrets.token_hex(2)}"
    (folder / "logs").mkdir(parents=True)
    run_out = Path(out).resolve() if out else None
    results: list[JobResult | None] = [None] * len(jobs)
    bar = tqdm(total=len(jobs), desc=name, unit="run", disable=not progress, file=sys.stderr)
    failed = 0
    pending, attempts = list(range(len(jobs))), [0] * len(jobs)
    context = multiprocessing.get_context("spawn")
    while pending:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker) as pool:
            futures = {pool.submit(_work, jobs[i], run_out, formats, no_pdf): i for i in pending}
            pending = []
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    data = fut.result()
                except BrokenProcessPool:  # a worker died (e.g. out of memory): retry once
                    attempts[i] += 1
                    if attempts[i] < 2:
                        pending.append(i)
                        continue
                    data = {
                        "status": "failed",
                        "seconds": 0.0,
                        "folder": "",
                        "message": "the worker process died twice (out of memory?)",
                    }
                log = folder / "logs" / _log_name(i, jobs[i])
                log.write_text(data["message"] + "\n", encoding="utf-8")
                results[i] = JobResult(
                    jobs[i],
                    data["status"],
                    data["seconds"],
                    data["folder"],
                    data["message"],
                    str(log),
                    data.get("extra") or {},
                )
                failed += data["status"] != "ok"
                bar.set_postfix(failed=failed)
                bar.update(1)
    bar.close()
    done = [r for r in results if r is not None]
    write_summary(done, folder / "summary.csv")
    return done, folder


OVERVIEW_NOTEBOOK = "region"
REGION_CODE = "GM0000"
"""Placeholder CBS code of the region case (not a municipality; the case format asks for a code)."""
_REGION_TITLE = {
    "nl": "Opvang en huisvesting {} — {}",
    "en": "Reception and housing {} — {}",
}


def write_region_case(region: Region, results: Sequence[JobResult], folder: Path) -> Path:
    """``<folder>/region-case.yaml``: the region as the case the report runner asks for.

    Its municipality is the region (named by the region file's ``title``, else the first case's
    ``municipality.region``, else the region's name) with the summed inhabitants of the
    municipalities that ran; start, horizon, price year, seed and language come from the first.
    """
    import yaml

    from onderdak.case.settings import load_case

    cases = [load_case(r.job.case, r.job.scenario) for r in results if r.status == "ok"]
    if not cases:
        raise InputError(f"{region.file.name}: no municipality ran successfully")
    first = cases[0]
    shown = region.title or first.municipality.region or region.name
    language = region.language or first.language
    years = f"{first.periods[0].year}–{first.periods[-1].year}"
    data = {
        "name": region.name,
        "title": _REGION_TITLE.get(language, _REGION_TITLE["nl"]).format(years, shown),
        "fictional": any(c.fictional for c in cases),
        "language": language,
        "municipality": {
            "name": shown,
            "code": REGION_CODE,
            "population_persons": sum(c.municipality.population_persons for c in cases),
            "region": shown,
        },
        "start": first.start,
        "horizon_months": first.horizon_months,
        "price_year": first.price_year,
        "seed": first.seed,
    }
    path = folder / "region-case.yaml"
    header = (
        f"# Written by `onderdak batch --region {region.file}`: the region as one case, so that the\n"
        "# overview runs through the report runner like any report. Not a municipality.\n"
    )
    path.write_text(
        header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return path


def run_overview(
    region: Region,
    results: Sequence[JobResult],
    folder: Path,
    out: str | Path | None = None,
    formats: Sequence[str] | None = None,
    no_pdf: bool = False,
) -> Any:
    """Run the regional overview on a finished batch; returns the runner's ``RunResult``.

    Parameters
    ----------
    region : Region
        From :func:`read_region`.
    results : Sequence[JobResult]
        The batch's results (failed runs are named as missing in the overview).
    folder : Path
        The batch folder holding ``summary.csv``.
    out : str or Path, optional
        Report root of the batch; the overview goes to ``<out or reports>/<region name>/``.
    formats : Sequence[str], optional
        Exports; default all (HTML, PDF, PPTX, XLSX).
    no_pdf : bool
        Leave out the PDF.

    Raises
    ------
    InputError
        No municipality ran successfully.
    OnderdakError
        The overview failed (its error notebook is kept in ``failed-<run-id>``).
    """
    from onderdak.reporting.report_notebooks import FORMATS
    from onderdak.reporting.runner import run_report

    case_file = write_region_case(region, results, folder)
    parameters: dict[str, Any] = {"region": str((folder / "summary.csv").resolve())}
    if region.title:
        parameters["region_name"] = region.title
    if region.language:
        parameters["language"] = region.language
    root = (Path(out) if out else Path("reports")) / region.name
    return run_report(
        case_file,
        OVERVIEW_NOTEBOOK,
        parameters,
        out=root,
        formats=FORMATS if formats is None else formats,
        no_pdf=no_pdf,
        from_text=False,
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
