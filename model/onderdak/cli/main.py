"""The `onderdak` command line: reads files, calls model functions, writes files.

Every user error ends with a message naming file, row and field and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from onderdak.cli import national as national_command
from onderdak.core.errors import OnderdakError
from onderdak.core.version import __version__

Command = Callable[[argparse.Namespace], int]


def _cmd_validate(args: argparse.Namespace) -> int:
    from onderdak.pipeline.gate import check_case

    checked = check_case(args.case)  # every check `run` makes before it simulates
    cases, base, register = checked.cases, checked.base, checked.register
    if register is not None:
        from onderdak.reporting.register_text import notes_text, warnings_text

        print(f"{args.case}: register {base.locations}: {len(register.table)} locations")
        for text in warnings_text(register.warnings, base.language, with_file=True):
            print(f"  waarschuwing: {text}")
        for text in notes_text(register, base.language, with_file=True):
            print(f"  waarschuwing: {text}")
    if base.geo.wijken:
        from onderdak.geo.spread import case_geography

        place = checked.place
        geography = place.geography if place is not None else case_geography(base)
        population = geography.population
        print(
            f"{args.case}: wijken {base.geo.wijken}: {len(population)} wijken, "
            f"{population.sum():,.0f} inhabitants ({population.attrs['method']})"
        )
        for w in place.warnings if place is not None else geography.warnings:
            print(f"  waarschuwing: {w}")
    from onderdak.inflow.record import national_record

    record = national_record(base.peildatum)
    known = {
        "asylum inflow": record.last_published("first_applications_persons"),
        "COA occupancy": record.last_published("coa_occupancy_persons"),
        "GOO": record.last_published("ukraine_goo_persons"),
        "taakstelling": record.taakstelling.index[-1] if len(record.taakstelling) else None,
    }
    print(
        f"{args.case}: peildatum {base.peildatum}, horizon from {base.start}; published national "
        "figures used up to: " + ", ".join(f"{k} {v}" for k, v in known.items() if v is not None)
    )
    print(f"{args.case}: valid ({len(cases)} scenario(s): {', '.join(cases)})")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from onderdak.case.settings import schema_text

    text = schema_text()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from onderdak.pipeline.gate import check_case
    from onderdak.pipeline.results import check_output, run_case, write_results

    check_case(args.case, args.scenario, args.paths, args.seed)
    check_output(Path(args.out))
    results = run_case(
        args.case, scenarios=args.scenario, paths=args.paths, seed=args.seed, plans=args.plan
    )
    write_results(results, Path(args.out))
    print(f"{args.case}: wrote {', '.join(sorted(results.tables))} to {args.out}")
    return 0


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onderdak",
        description="Scenario modelling and real-estate advice for municipal refugee reception.",
    )
    parser.add_argument("--version", action="version", version=f"onderdak {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a case file (and its location register)")
    p.add_argument("case")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("schema", help="write the JSON schema of a case file")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser("run", help="simulate a case and write result CSVs")
    p.add_argument("case")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--scenario", action="append", help="scenario name (repeatable; default: all)")
    p.add_argument("--paths", type=int, help="Monte-Carlo paths (default: the case's)")
    p.add_argument("--seed", type=int, help="seed (default: the case's)")
    p.add_argument(
        "--no-plan",
        dest="plan",
        action="store_false",
        help="skip the recommended plan (plan.csv; one optimisation per scenario)",
    )
    p.set_defaults(func=_cmd_run)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


# Later capabilities register their sub-commands here: each entry is a function taking the
# argparse sub-parsers object and adding one parser with `set_defaults(func=...)`.
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def _extra(
    fn: Callable[[argparse._SubParsersAction], None],
) -> Callable[[argparse._SubParsersAction], None]:
    _EXTRA_COMMANDS.append(fn)
    return fn


# --- sub-commands of later capabilities go below this line ---


BUSINESS_CASE_MARKS = ("business_case.csv",)
OPTIMISE_MARKS = ("optimise.json",)
"""Files that mark an earlier output of `business-case` / `optimise`, which a new run may replace."""


# business case of buying a building (onderdak.business_case.evaluate) --------------------------------------
def _cmd_business_case(args: argparse.Namespace) -> int:
    from onderdak.business_case.evaluate import run_business_case, write_business_case
    from onderdak.pipeline.gate import check_case
    from onderdak.pipeline.results import check_output, fresh_folder

    scenarios = [args.scenario] if args.scenario else None
    case = check_case(args.case, scenarios, args.paths, args.seed).base
    out = (
        Path(args.out)
        if args.out
        else Path("reports") / case.name / f"business-case-{args.location}"
    )
    check_output(out, BUSINESS_CASE_MARKS)
    bc = run_business_case(case, args.location, paths=args.paths, seed=args.seed)
    with fresh_folder(out, BUSINESS_CASE_MARKS) as tmp:  # no file of an earlier run stays
        write_business_case(bc, tmp)
    print(
        f"{args.case}: business case for {args.location} written to {out} (business_case.csv, tornado.csv)"
    )
    return 0


@_extra
def _add_business_case(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "business-case", help="buying a building: alternatives, reuse, flexibility, tornado"
    )
    p.add_argument("case", help="case file (YAML)")
    p.add_argument("--location", required=True, help="register id of the building (e.g. L08)")
    p.add_argument("--out", help="output folder (default: reports/<case>/business-case-<location>)")
    p.add_argument("--scenario", help="scenario of the case file (default: the base)")
    p.add_argument("--paths", type=int, help="Monte-Carlo paths (default: the case's)")
    p.add_argument("--seed", type=int, help="seed (default: the case's)")
    p.set_defaults(func=_cmd_business_case)


# report and batch (onderdak.reporting.runner, onderdak.cli.batch) ---------------------------------------
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
    from onderdak.reporting import runner
    from onderdak.reporting.parameters import parse_assignments, read_parameters

    if args.list_parameters:
        name, path = runner.resolve_notebook(args.notebook)
        for p in read_parameters(runner.read_template(path)).values():
            print(p.describe())
        return 0
    if not args.case:
        raise InputError(
            "report: give a case file, e.g. `onderdak report data/cases/demo/case.yaml`"
        )
    formats = runner.parse_formats(args.formats)
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


@_extra
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
    from onderdak.reporting.runner import parse_formats

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


@_extra
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


# the investment plan (onderdak.plan.solve, onderdak.plan.build) -----------------------------------------
def _cmd_optimise(args: argparse.Namespace) -> int:
    from onderdak.core.errors import InputError
    from onderdak.need.simulate import simulate
    from onderdak.pipeline.gate import check_case, check_finite
    from onderdak.pipeline.results import check_output, fresh_folder
    from onderdak.plan.build import optimise_case, write_plan_tables

    if args.reliability is not None and not 0.0 <= args.reliability <= 1.0:
        raise InputError(
            f"--reliability {args.reliability}: must be a share between 0 and 1 (e.g. 0.9)"
        )
    check_finite("--budget", args.budget, low=0.0)
    scenarios = [args.scenario] if args.scenario else None
    case = check_case(args.case, scenarios, args.paths, args.seed).base
    out = Path(args.out) if args.out else Path("reports") / case.name / f"optimise-{case.scenario}"
    check_output(out, OPTIMISE_MARKS)
    run = simulate(case, paths=args.paths, seed=args.seed)
    budget = ... if args.budget is None else args.budget
    # the case's own targets fall back to what is reachable (and say so); an explicit one does not
    result = optimise_case(
        case,
        run.need,
        reliability=args.reliability,
        budget_eur=budget,
        regret=not args.no_regret,
        fallback=args.reliability is None,
    )
    with fresh_folder(out, OPTIMISE_MARKS) as tmp:  # no regret.csv of an earlier run stays
        names = write_plan_tables(result, tmp)
    s = result.summary
    print(
        f"{args.case}: plan: capex € {s['capex_eur']:,.0f}, expected cost € "
        f"{s['expected_cost_eur']:,.0f} (without plan € {s['expected_cost_without_plan_eur']:,.0f}); "
        f"solver {s['status']}, gap to the proven bound {s['mip_gap_share']:.2%}"
    )
    print(f"chance of a shortfall from {s['shortfall_window_from']} to the horizon, per stream:")
    for stream, v in s["streams"].items():
        asked = (
            ""
            if v["reliability_share"] >= v["reliability_asked_share"]
            else f" (asked {v['reliability_asked_share']:.0%}: not reachable)"
        )
        print(
            f"  {stream}: {v['shortfall_chance_without_plan_share']:.1%} without plan -> "
            f"{v['shortfall_chance_share']:.1%} with plan; planned for reliability "
            f"{v['reliability_share']:.0%}{asked}; new places up to {v['places_added']:,.0f}"
        )
    from onderdak.reporting.notes_text import notes_text

    for note in notes_text(result.notes, case.language):
        print(f"note: {note}")
    print(f"wrote {', '.join(names)} to {out}")
    return 0


@_extra
def _add_optimise(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "optimise", help="investment plan: which locations to open, close or convert, and when"
    )
    p.add_argument("case", help="case file (YAML)")
    p.add_argument(
        "--reliability",
        type=float,
        help="share of paths each stream keeps free of any shortfall (default: the case's per "
        "stream, 0.9; a target the case's own locations cannot reach is lowered, an explicit one "
        "is refused)",
    )
    p.add_argument("--budget", type=float, help="capex budget in euros (default: the case's, none)")
    p.add_argument("--out", help="output folder (default: reports/<case>/optimise-<scenario>)")
    p.add_argument("--scenario", help="scenario of the case file (default: the base)")
    p.add_argument("--paths", type=int, help="Monte-Carlo paths (default: the case's)")
    p.add_argument("--seed", type=int, help="seed (default: the case's)")
    p.add_argument(
        "--no-regret", action="store_true", help="skip regret.csv (one solve per scenario)"
    )
    p.set_defaults(func=_cmd_optimise)


# the demo case, from the repository or the installed package (onderdak.io.resources) ----------------
def _cmd_demo(args: argparse.Namespace) -> int:
    from onderdak.io.resources import copy_demo

    case = copy_demo(args.dir)
    print(f"demo case (the fictional Gemeente Voorbeeld) copied to {args.dir}; next:")
    print(f"  onderdak validate {case}")
    print(f"  onderdak report {case} --out {Path(args.dir) / 'reports'}")
    return 0


@_extra
def _add_demo(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo", help="copy the demo case (case.yaml, register, wijken) into a new folder"
    )
    p.add_argument("dir", help="folder to create (it must not exist or be empty)")
    p.set_defaults(func=_cmd_demo)


_extra(national_command.add_parser)  # `onderdak national` (onderdak.cli.national)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `onderdak`; returns the exit code.

    0 success; 2 invalid input (a message naming file, sheet, row, column and value); 1 a failed
    report or an internal error (one line; ``ONDERDAK_DEBUG=1`` shows the traceback); 130 interrupted.
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except OnderdakError as exc:
        print(f"onderdak: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("onderdak: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # a file or folder the command could not read or write
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"onderdak: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print("onderdak: out of memory; use fewer --paths or scenarios", file=sys.stderr)
        return 2
    except Exception as exc:
        if os.environ.get("ONDERDAK_DEBUG"):
            raise
        print(
            f"onderdak: internal error ({type(exc).__name__}: {exc}); this is a bug, please report "
            "it with the command; ONDERDAK_DEBUG=1 shows the traceback",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())


__all__ = ["main", "json"]
