"""The commands that write reports and cases: `init`, `report`, `rerun`, `batch` and `demo`.

The reporting layer is imported inside each command, so `onderdak --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from onderdak.core.errors import OnderdakError


def _cmd_init(args: argparse.Namespace) -> int:
    from onderdak.geo.starter_case import init_case

    path = init_case(args.code, args.dir, source_dir=args.source, force=args.force)
    print(
        f"{args.code}: starter case written to {path}; fill in {path.parent / 'locaties.xlsx'} and "
        f"set `locations:` in the case for the advice. Next: onderdak report {path}"
    )
    return 0


def _default_notebook(case: str) -> str:
    """The advice, or the scenarios report when the case names no location register yet."""
    from onderdak.case.settings import load_case_file
    from onderdak.io import resources

    base = next(iter(load_case_file(resources.locate(case)).values()))
    if base.locations:
        return "advice"
    print(
        f"{case}: the case names no location register (field `locations`), so this is the "
        "scenarios report (the need per target group); the advice needs the register"
    )
    return "scenarios"


def _cmd_rerun(args: argparse.Namespace) -> int:
    from onderdak.reporting.rerun import rerun

    v = rerun(args.manifest, args.out)
    print(f"{args.manifest}: rerun written to {v.folder}")
    if v.inputs_changed:
        print(f"  inputs changed since the first run: {', '.join(v.inputs_changed)}")
    if v.code is not None:
        print(f"  code changed: {v.code[0]} -> {v.code[1]}")
    if not args.verify:
        return 0
    if v.same:
        print(f"  verified: all {v.outputs_compared} result and figure files are byte-identical")
        return 0
    print(f"  NOT the same: {len(v.outputs_differ)} of {v.outputs_compared} files differ:")
    for name in v.outputs_differ:
        print(f"    {name}")
    return 1


def _cmd_report(args: argparse.Namespace) -> int:
    from onderdak.core.errors import InputError
    from onderdak.reporting import report_notebooks, runner
    from onderdak.reporting.parameters import parse_assignments, read_parameters

    if args.list_parameters:
        name, path = report_notebooks.resolve_notebook(args.notebook)
        for p in read_parameters(report_notebooks.read_template(path)).values():
            print(p.describe())
        return 0
    if not args.case:
        raise InputError(
            "report: give a case file, e.g. `onderdak report data/cases/demo/case.yaml`"
        )
    formats = report_notebooks.parse_formats(args.formats)
    notebook = args.notebook or _default_notebook(args.case)
    try:
        result = runner.run_report(
            args.case,
            notebook,
            parse_assignments(args.parameters),
            out=args.out,
            scenario=args.scenario,
            formats=formats,
            no_pdf=args.no_pdf,
            pptx_template=args.pptx_template,
        )
    except OnderdakError as exc:
        if args.result_json:
            res = getattr(exc, "result", None)
            data = (
                res.as_dict() if res is not None else {"ok": False, "error": str(exc), "folder": ""}
            )
            Path(args.result_json).write_text(json.dumps(data, default=str), encoding="utf-8")
        raise
    if args.result_json:
        Path(args.result_json).write_text(
            json.dumps(result.as_dict(), default=str), encoding="utf-8"
        )
    made = ", ".join(f"{k}: {v}" for k, v in result.outputs.items())
    pages = f" ({result.pdf_pages} PDF pages)" if result.pdf_pages else ""
    print(
        f"{args.case}: report {result.notebook} written to {result.folder} in {result.seconds:.1f} s{pages}"
    )
    print(f"  {made}")
    return 0


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init", help="write a starter case for a municipality from public data (CBS, PDOK)"
    )
    p.add_argument("code", help="CBS municipality code, e.g. GM0797")
    p.add_argument("--dir", help="folder for the case (default: ./<code>)")
    p.add_argument(
        "--from",
        dest="source",
        metavar="DIR",
        help="offline: a folder with the exported CBS/PDOK files (as ../shared/data)",
    )
    p.add_argument("--force", action="store_true", help="replace a non-empty folder")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser(
        "rerun", help="run a report again from its manifest; --verify compares the results"
    )
    p.add_argument("manifest", help="a run's manifest.json (or its folder)")
    p.add_argument("--out", help="report root for the rerun (default: the first run's)")
    p.add_argument(
        "--verify",
        action="store_true",
        help="exit 1 unless every result CSV and figure is byte-identical to the first run's",
    )
    p.set_defaults(func=_cmd_rerun)

    p = sub.add_parser("report", help="run a report notebook for a case and export it")
    p.add_argument("case", nargs="?", help="case file (YAML)")
    p.add_argument(
        "--notebook",
        help="notebooks/<NAME>.ipynb or a path (default: advice; scenarios while the case names "
        "no location register)",
    )
    p.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        action="append",
        metavar="NAME=VALUE",
        help="notebook parameter (repeatable; checked against its parameters cell)",
    )
    p.add_argument(
        "--out", help="report root (default: reports/<case name>); runs go to <out>/<run-id>"
    )
    p.add_argument("--scenario", help="scenario of the case file")
    p.add_argument(
        "--formats",
        help="exports, comma-separated from html,pdf,pptx,xlsx "
        "(default: all for advice, html,xlsx otherwise)",
    )
    p.add_argument("--no-pdf", action="store_true", help="skip the PDF")
    p.add_argument(
        "--pptx-template",
        metavar="FILE",
        help="PowerPoint template (.pptx/.potx) whose layouts the deck uses "
        "(default: Onderdak's own)",
    )
    p.add_argument("--list-parameters", action="store_true", help="print the notebook's parameters")
    p.add_argument("--result-json", help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd_report)


def _cmd_batch(args: argparse.Namespace) -> int:
    from onderdak.cli import batch, executors
    from onderdak.core.errors import InputError
    from onderdak.region.file import read_region
    from onderdak.reporting.parameters import parse_assignments
    from onderdak.reporting.report_notebooks import parse_formats

    given = parse_assignments(args.parameters)
    if args.region and args.cases:
        raise InputError("batch: give case files or --region, not both")
    region = None
    if args.region:
        region = read_region(args.region, args.notebook, given)
        name, jobs = region.name, region.jobs
    elif args.cases:
        name, jobs = "batch", batch.jobs_for_cases(args.cases, args.scenario, args.notebook, given)
    else:
        raise InputError("batch: give one or more case files, or --region REGION.yaml")
    formats = parse_formats(args.formats)
    ex = executors.arguments(args)  # --executor, --scheduler, --shard, --resume
    results, folder = batch.run_batch(
        jobs, args.workers, args.out, formats, name, not args.no_progress, no_pdf=args.no_pdf, **ex
    )
    print(batch.summary_table(results))
    bad = sum(r.status != "ok" for r in results)
    print(
        f"{len(results) - bad} of {len(results)} runs succeeded; summary: {folder / 'summary.csv'}"
    )
    code = batch.exit_code(results)
    if region is None or not region.overview or args.no_overview:
        return code
    if bad == len(results):
        print("regional overview: skipped, no municipality ran successfully", file=sys.stderr)
        return code
    print("regional overview: running notebooks/region.ipynb …", file=sys.stderr)
    try:
        overview = batch.run_overview(region, results, folder, args.out, formats, args.no_pdf)
    except OnderdakError as exc:
        print(f"regional overview failed: {exc}", file=sys.stderr)
        return code or 1
    missing = [r.job.label for r in results if r.status != "ok"]
    print(
        f"regional overview written to {overview.folder} in {overview.seconds:.1f} s"
        + (f" (without {', '.join(missing)}: their runs failed)" if missing else "")
    )
    return code


def _add_batch(sub: argparse._SubParsersAction) -> None:
    from onderdak.cli import executors

    p = sub.add_parser(
        "batch", help="run reports for many cases/scenarios or a region, in parallel"
    )
    p.add_argument("cases", nargs="*", help="case files")
    p.add_argument("--region", help="region file (YAML) with one entry per municipality")
    p.add_argument(
        "--scenario", action="append", help="scenario (repeatable; 'all' for every scenario)"
    )
    p.add_argument("--notebook", help="notebook of every run (default: advice)")
    p.add_argument("-p", "--parameter", dest="parameters", action="append", metavar="NAME=VALUE")
    p.add_argument("--workers", type=int, help="parallel runs (default: CPU cores)")
    p.add_argument("--out", help="report root of every run (default: reports/<case name>)")
    p.add_argument("--formats", help="exports of every run (default per notebook)")
    p.add_argument("--no-pdf", action="store_true", help="skip the PDF")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--no-overview",
        action="store_true",
        help="with --region: skip the regional overview after the runs",
    )
    executors.add_arguments(p)
    p.set_defaults(func=_cmd_batch)


def _cmd_demo(args: argparse.Namespace) -> int:
    from onderdak.io.resources import copy_demo

    case = copy_demo(args.dir)
    print(f"demo case (the fictional Gemeente Voorbeeld) copied to {args.dir}; next:")
    print(f"  onderdak validate {case}")
    print(f"  onderdak report {case} --out {Path(args.dir) / 'reports'}")
    return 0


def _add_demo(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo", help="copy the demo case (case.yaml, register, wijken) into a new folder"
    )
    p.add_argument("dir", help="folder to create (it must not exist or be empty)")
    p.set_defaults(func=_cmd_demo)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """The sub-commands of this module."""
    _add_report(sub)
    _add_batch(sub)
    _add_demo(sub)
