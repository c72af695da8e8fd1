"""``onderdak national``: every municipality's starter case, run once with all its scenarios, and the national overview.

One job per municipality (:func:`onderdak.region.national.municipality_job`) on the built-in
process pool or a Dask cluster (:mod:`onderdak.cli.executors`), with a progress bar. The folder
``--out`` (default ``reports/national-<year>``) receives ``cases/<code>/`` (the starter cases),
``results/<code>/`` (every result table, each folder written whole) and the overview
(:func:`onderdak.reporting.national.write_overview`). A municipality that fails is named in the
output and in ``missing.csv``; the others are kept, and the exit code is 1 (2 when every failure
is invalid input).

Offline only for now: ``--from DIR`` is the folder with the exported CBS/PDOK files (as
``../shared/data``): the municipalities are those of ``gemeenten_2024_pdok_gegeneraliseerd.geojson``,
which also draws the map.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from onderdak.core.errors import InputError

BOUNDARIES_FILE = "gemeenten_2024_pdok_gegeneraliseerd.geojson"


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


def run_national(
    source: Path,
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
) -> tuple[Any, list[dict[str, Any]], float]:
    """Run the municipalities and write the overview; returns (overview, answers, seconds)."""
    from onderdak.cli import executors
    from onderdak.inflow.taakstelling import half_year_label
    from onderdak.region.national import municipality_job, national_overview, read_provinces
    from onderdak.reporting.national import write_overview

    membership = read_provinces(provinces) if provinces else None
    codes = executors.shard(codes, shard)
    workers = max(1, min(workers or os.cpu_count() or 1, len(codes) or 1))
    half_year = half_year_label(year * 2 + 1)  # the year's second half
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    calls = [(c, str(source.resolve()), str(out.resolve()), year, half_year, paths) for c in codes]
    with executors.open_executor(executor, workers, scheduler) as pool:
        done = executors.run_jobs(municipality_job, calls, pool, workers, "national", progress)
    answers = []
    for (answer, runs, error), code in zip(done, codes, strict=True):
        if error is not None:
            lost = executors.worker_lost(error)
            why = f"the worker died {runs} times" if lost else f"{type(error).__name__}: {error}"
            answer = {"code": code, "status": "failed", "message": why, "seconds": 0.0}
        answers.append({**answer, "runs": runs})
    overview = national_overview(answers, year, half_year, membership)
    write_overview(overview, out, source / BOUNDARIES_FILE, language)
    return overview, answers, time.perf_counter() - started


def command(args: argparse.Namespace) -> int:
    """``onderdak national``: exit 0 when every municipality ran, else 1 (2: only invalid input)."""
    from onderdak.cli import executors

    if not args.source:
        raise InputError(
            "national: give --from DIR, the folder with the exported CBS/PDOK files "
            "(as ../shared/data); the online download of all municipalities is not built yet"
        )
    source = Path(args.source)
    out = Path(args.out) if args.out else Path("reports") / f"national-{args.year}"
    codes = selected_codes(source, args.municipalities, args.limit)
    options = executors.arguments(args)
    for option in ("resume", "shard"):  # the overview needs every municipality in one --out
        if options.pop(option):
            raise InputError(f"national: --{option} is not supported yet; run without it")
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
        **options,
    )
    bad = [a for a in answers if a["status"] != "ok"]
    print(
        f"{len(answers) - len(bad)} of {len(answers)} municipalities computed in {seconds:.1f} s; "
        f"overview in {out}"
    )
    for a in bad:
        first = (a.get("message") or "").splitlines()[0] if a.get("message") else ""
        print(f"  {a['code']}: {a['status']}: {first}", file=sys.stderr)
    if not bad:
        return 0
    return 2 if all(a["status"] == "invalid" for a in bad) else 1


def add_parser(sub: Any) -> None:
    """The ``national`` sub-command's options."""
    from onderdak.cli import executors

    p = sub.add_parser(
        "national", help="all municipalities' starter cases, run, and a national overview"
    )
    p.add_argument("--year", type=int, default=2026, help="year shown (default 2026)")
    p.add_argument(
        "--from", dest="source", metavar="DIR", help="folder with the exported CBS/PDOK files"
    )
    p.add_argument("--out", help="output folder (default reports/national-<year>)")
    p.add_argument("--limit", type=int, help="only the first N municipalities (by code)")
    p.add_argument("--municipalities", metavar="GM0797,…", help="only these municipalities")
    p.add_argument("--paths", type=int, help="Monte-Carlo paths per scenario (default the case's)")
    p.add_argument("--workers", type=int, help="parallel jobs (default: CPU cores)")
    p.add_argument(
        "--provinces", metavar="CSV", help="province of each municipality (code,province)"
    )
    p.add_argument("--language", choices=("nl", "en"), default="nl")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    executors.add_arguments(p)
    p.set_defaults(func=command)
