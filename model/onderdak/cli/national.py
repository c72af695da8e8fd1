"""``onderdak national``: every municipality's starter case, run once with all its scenarios, and the national overview.

One job per municipality (:func:`onderdak.region.national.municipality_job`) on the built-in
process pool or a Dask cluster (:mod:`onderdak.cli.executors`), with a progress bar. The folder
``--out`` (default ``reports/national-<year>``) receives ``cases/<code>/`` (the starter cases),
``results/<code>/`` (every result table, each folder written whole), ``jobs.csv`` (each job's
outcome and seconds, :func:`write_jobs`) and the overview
(:func:`onderdak.reporting.national.write_overview`). A municipality that fails is named in the
output and in ``missing.csv``; the others are kept, and the exit code is 1 (2 when every failure
is invalid input).

``--report scenarios`` adds each municipality's scenarios report (HTML; ``--formats`` for more) in
``reports/<code>/`` of ``--out``, made in the same job on the worker's kept kernel
(:mod:`onderdak.reporting.reused_kernel`: the kernel's start, the imports and the backtests on the
national history are paid once per worker, not per municipality). The overview's table links each
report; a report that fails is named in ``missing.csv`` beside the municipality's row, which stays.
The advice needs a location register, which starter cases do not have, so it is refused.

``--resume`` and ``--shard K/N`` (for the array tasks of a cluster scheduler) keep each
municipality's answer beside its results (:mod:`onderdak.cli.national_resume`).

``--from DIR`` is the folder with the exported CBS/PDOK files (as ``../shared/data``): the
municipalities are those of ``gemeenten_2024_pdok_gegeneraliseerd.geojson``, which also draws the
map. Without it everything is downloaded as ``onderdak init`` does, into the download cache
(``$ONDERDAK_CACHE``, else ``~/.cache/onderdak``), what all municipalities share once before the
jobs start (:func:`online_boundaries`); a second run reads the cache and needs no network.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from onderdak.core.errors import InputError

BOUNDARIES_FILE = "gemeenten_2024_pdok_gegeneraliseerd.geojson"
JOBS_FILE = "jobs.csv"
JOB_COLUMNS = (
    "code",
    "status",
    "seconds",
    "runs",
    "report_status",
    "report_seconds",
    "worker",
    "kernels_started",
    "resumed",
)
REPORTS = ("scenarios",)
"""Reports a starter case can have (the advice needs the location register they leave empty)."""


def municipality_with_report(
    code: str,
    source_dir: str,
    work_dir: str,
    year: int,
    half_year: str,
    paths: int | None,
    notebook: str | None = None,
    formats: tuple[str, ...] | None = None,
    resume: bool = False,
) -> dict[str, Any]:
    """One municipality: :func:`onderdak.region.national.municipality_job`, then (``notebook``
    given) its report on this worker's kept kernel into ``<work_dir>/reports/<code>/``; never
    raises. The answer gets ``report``: status (ok | invalid | failed), folder, message, seconds,
    and the worker with the number of kernels it started so far.

    A municipality that ran well keeps its answer (:mod:`onderdak.cli.national_resume`); with
    ``resume`` that answer is returned (``resumed`` true) when it asked the same on the same inputs.
    """
    from onderdak.cli import national_resume as kept
    from onderdak.region.national import municipality_folder, municipality_job, starter_case

    asked = kept.request(year, half_year, paths, notebook, formats)
    case, used = None, None
    if resume:
        with contextlib.suppress(Exception):  # a municipality that cannot start says so below
            case = starter_case(code, source_dir, work_dir)
            used = kept.inputs(case)
        earlier = kept.saved(work_dir, code, asked, used) if used is not None else None
        if earlier is not None:
            return {**earlier, "seconds": 0.0, "resumed": True}
    kept.forget(work_dir, code)
    answer = municipality_job(code, source_dir, work_dir, year, half_year, paths, case=case)
    if notebook is not None and answer["status"] == "ok":
        answer = _with_report(answer, code, work_dir, paths, notebook, formats)
    if answer["status"] == "ok" and answer.get("report", {}).get("status", "ok") == "ok":
        case_file = municipality_folder(work_dir, "cases", code) / "case.yaml"
        with contextlib.suppress(Exception):  # without a kept answer it simply runs again
            kept.save(work_dir, code, answer, asked, used or kept.inputs(case_file))
    return answer


def _with_report(
    answer: dict[str, Any],
    code: str,
    work_dir: str,
    paths: int | None,
    notebook: str,
    formats: tuple[str, ...] | None,
) -> dict[str, Any]:
    """The municipality's report as one job of ``onderdak batch`` (:func:`onderdak.cli.batch.run_job`,
    on this worker's kept kernel), added to its answer."""
    from onderdak.cli.batch import run_job
    from onderdak.region.file import Job, job_parameters
    from onderdak.region.national import municipality_folder
    from onderdak.reporting.reused_kernel import process_kernel

    case = municipality_folder(work_dir, "cases", code) / "case.yaml"
    given = job_parameters({} if paths is None else {"paths": paths}, False)
    job = Job(case, None, notebook, given, code.lower())
    done = run_job(job, municipality_folder(work_dir, "reports", code), formats, False)
    report = {k: done[k] for k in ("status", "folder", "message", "seconds")}
    report["worker"] = f"{os.getpid()}-{threading.get_ident()}"
    report["kernels_started"] = process_kernel().started  # by this worker: 1 while its kernel holds
    answer["report"] = report
    answer["seconds"] += report["seconds"]
    return answer


def municipality_codes(source: Path) -> list[str]:
    """Every municipality code (``statcode``) of the PDOK boundaries in ``source``, sorted."""
    path = source / BOUNDARIES_FILE
    if not path.is_file():
        raise InputError(f"national --from {source}: {BOUNDARIES_FILE} not found there")
    data = json.loads(path.read_text(encoding="utf-8"))
    return sorted(
        str(f["properties"]["statcode"])
        for f in data["features"]
        if str(f["properties"].get("statcode", "")).startswith("GM")
    )


def online_boundaries(out: Path) -> Path:
    """Without ``--from``: the municipalities of 2024 from the PDOK WFS into the download cache
    (with the wijk layer and the CBS population every starter case shares,
    :func:`onderdak.geo.starter_case.warm_cache`), written to ``<out>/`` as the boundaries file the
    municipality list and the map are read from; the workers' ``onderdak init`` then reads the cache."""
    from onderdak.geo.starter_case import warm_cache
    from onderdak.io.atomic import fresh_file

    frame = warm_cache()
    out.mkdir(parents=True, exist_ok=True)
    with fresh_file(out / BOUNDARIES_FILE) as tmp:
        frame[["statcode", "statnaam", "geometry"]].to_file(tmp, driver="GeoJSON")
    return out


def selected_codes(source: Path, given: str | None, limit: int | None) -> list[str]:
    """``--municipalities GM0797,GM0034`` (checked against the boundaries) or all; the first ``limit``."""
    from onderdak.geo.starter_case import municipality_code

    known = municipality_codes(source)
    if given:
        codes = [municipality_code(c) for c in given.split(",") if c.strip()]
        unknown = [c for c in codes if c not in set(known)]
        if unknown:
            raise InputError(
                f"--municipalities: {', '.join(unknown)} not among the 2024 municipalities of "
                f"{BOUNDARIES_FILE}"
            )
    else:
        codes = known
    if limit is not None:
        if limit < 1:
            raise InputError(f"--limit {limit}: give a number of municipalities ≥ 1")
        codes = codes[:limit]
    return codes


def write_jobs(answers: list[dict[str, Any]], path: Path) -> None:
    """One row per municipality's job: its outcome, seconds (report included), times run, and
    with ``--report`` the report's outcome and seconds, its worker and the kernels that worker
    started so far (1 while its kept kernel holds)."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(JOB_COLUMNS)
        for a in sorted(answers, key=lambda a: a["code"]):
            r = a.get("report", {})
            w.writerow(
                [a["code"], a["status"], f"{a.get('seconds', 0.0):.2f}", a.get("runs", "")]
                + [r.get("status", ""), f"{r['seconds']:.2f}" if "seconds" in r else ""]
                + [r.get("worker", ""), r.get("kernels_started", ""), bool(a.get("resumed"))]
            )


def run_national(
    source: Path | None,
    out: Path,
    codes: list[str],
    year: int,
    *,
    paths: int | None = None,
    executor: Any = None,
    scheduler: str | None = None,
    workers: int | None = None,
    shard: tuple[int, int] | None = None,
    provinces: Path | None = None,
    language: str = "nl",
    progress: bool = True,
    report: str | None = None,
    formats: tuple[str, ...] | None = None,
    resume: bool = False,
) -> tuple[Any, list[dict[str, Any]], float]:
    """Run the municipalities and write the overview; returns (overview, answers, seconds).

    ``report``: a notebook of :data:`REPORTS` made for every municipality, in ``formats``
    (default HTML only). ``resume``: municipalities that ran well before on the same inputs are
    not computed again. ``shard`` (K, N): only every N-th municipality from the K-th, and no
    overview (None; :mod:`onderdak.cli.national_resume`)."""
    from onderdak.cli import executors
    from onderdak.inflow.taakstelling import half_year_label
    from onderdak.region.national import national_overview, read_provinces, reference_provinces
    from onderdak.reporting.national import write_overview

    membership = read_provinces(provinces) if provinces else reference_provinces()
    codes = executors.shard(codes, shard)
    workers = max(1, min(workers or os.cpu_count() or 1, len(codes) or 1))
    half_year = half_year_label(year * 2 + 1)  # the year's second half
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if report is not None and report not in REPORTS:
        raise InputError(
            f"national --report {report}: a starter case has no location register, which the "
            f"{report} needs; choose from {', '.join(REPORTS)}"
        )
    if report is not None and formats is None:
        formats = ("html",)
    where = (str(source.resolve()) if source else None, str(out.resolve()))
    calls = [(c, *where, year, half_year, paths, report, formats, resume) for c in codes]
    with executors.open_executor(executor, workers, scheduler) as pool:
        done = executors.run_jobs(
            municipality_with_report, calls, pool, workers, "national", progress
        )
    answers = []
    for (answer, runs, error), code in zip(done, codes, strict=True):
        if error is not None:
            lost = executors.worker_lost(error)
            why = f"the worker died {runs} times" if lost else f"{type(error).__name__}: {error}"
            answer = {"code": code, "status": "failed", "message": why, "seconds": 0.0}
        answers.append({**answer, "runs": runs})
    if shard is not None:  # the other shards' municipalities are not here: no overview yet
        write_jobs(answers, out / f"jobs-shard-{shard[0]}-of-{shard[1]}.csv")
        return None, answers, time.perf_counter() - started
    write_jobs(answers, out / JOBS_FILE)
    overview = national_overview(answers, year, half_year, membership, relative_to=out)
    write_overview(overview, out, (source or out) / BOUNDARIES_FILE, language)
    return overview, answers, time.perf_counter() - started


def command(args: argparse.Namespace) -> int:
    """``onderdak national``: exit 0 when every municipality (and its report) ran, else 1 (2: only
    invalid input)."""
    from onderdak.cli import executors
    from onderdak.reporting.report_notebooks import parse_formats

    out = Path(args.out) if args.out else Path("reports") / f"national-{args.year}"
    source = Path(args.source) if args.source else None
    try:
        listed = source or online_boundaries(out)  # online: the list and the map from PDOK, cached
    except InputError as exc:
        raise InputError(
            f"national: the municipalities could not be downloaded: {exc} Without a network, give "
            "--from DIR, the folder with the exported CBS/PDOK files (as ../shared/data)"
        ) from None
    codes = selected_codes(listed, args.municipalities, args.limit)
    options = executors.arguments(args)
    overview, answers, seconds = run_national(
        source,
        out,
        codes,
        args.year,
        paths=args.paths,
        workers=args.workers,
        provinces=Path(args.provinces) if args.provinces else None,
        language=args.language,
        progress=not args.no_progress,
        report=args.report,
        formats=parse_formats(args.formats) if args.formats else None,
        **options,
    )
    bad = [a for a in answers if a["status"] != "ok"]
    reports = [a["report"] for a in answers if "report" in a]
    made = f"; {sum(r['status'] == 'ok' for r in reports)} {args.report} reports" if reports else ""
    again = sum(bool(a.get("resumed")) for a in answers)
    reused = f" ({again} unchanged since an earlier run, not computed again)" if again else ""
    where = f"overview in {out}"
    if overview is None:
        where = (
            f"results in {out}; no overview for one shard: once every shard has finished, "
            f"`onderdak national --resume` with the same options writes it"
        )
    print(
        f"{len(answers) - len(bad)} of {len(answers)} municipalities computed{reused}{made} in "
        f"{seconds:.1f} s; {where}"
    )
    failures = [(a["code"], a) for a in bad]
    failures += [
        (a["code"], a["report"]) for a in answers if a.get("report", {}).get("status", "ok") != "ok"
    ]
    for code, f in failures:
        first = (f.get("message") or "").splitlines()[0] if f.get("message") else ""
        print(f"  {code}: {f['status']}: {first}", file=sys.stderr)
    if not failures:
        return 0
    return 2 if all(f["status"] == "invalid" for _, f in failures) else 1


def add_parser(sub: Any) -> None:
    """The ``national`` sub-command's options."""
    from onderdak.cli import executors

    p = sub.add_parser(
        "national", help="all municipalities' starter cases, run, and a national overview"
    )
    p.add_argument("--year", type=int, default=2026, help="year shown (default 2026)")
    p.add_argument(
        "--from",
        dest="source",
        metavar="DIR",
        help="folder with the exported CBS/PDOK files (default: download, cached as for init)",
    )
    p.add_argument("--out", help="output folder (default reports/national-<year>)")
    p.add_argument("--limit", type=int, help="only the first N municipalities (by code)")
    p.add_argument("--municipalities", metavar="GM0797,…", help="only these municipalities")
    p.add_argument("--paths", type=int, help="Monte-Carlo paths per scenario (default the case's)")
    p.add_argument("--workers", type=int, help="parallel jobs (default: CPU cores)")
    p.add_argument(
        "--provinces",
        metavar="CSV",
        help="province of each municipality (code,province; default the CBS/Kadaster 2024 division)",
    )
    p.add_argument("--language", choices=("nl", "en"), default="nl")
    p.add_argument(
        "--report",
        metavar="NOTEBOOK",
        help=f"also each municipality's report ({', '.join(REPORTS)}), in reports/<code>/",
    )
    p.add_argument("--formats", help="exports of each report (default html)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    executors.add_arguments(p)
    p.set_defaults(func=command)
