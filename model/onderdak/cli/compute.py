"""The commands that compute: `validate`, `schema`, `run`, `business-case` and `optimise`.

Each reads its files, calls the model through :class:`onderdak.pipeline.run.CaseRun` (one run:
each scenario simulated once) and writes its output folder whole. The model is imported inside
each command, so `onderdak --help` does not load pandas, scipy and matplotlib.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


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
    from onderdak.io.atomic import check_output
    from onderdak.pipeline.gate import check_case
    from onderdak.pipeline.results import write_results
    from onderdak.pipeline.run import CaseRun

    check_case(args.case, args.scenario, args.paths, args.seed)
    check_output(Path(args.out))
    results = CaseRun(args.case, args.scenario, args.paths, args.seed).results(plans=args.plan)
    write_results(results, Path(args.out))
    print(f"{args.case}: wrote {', '.join(sorted(results.tables))} to {args.out}")
    return 0


BUSINESS_CASE_MARKS = ("business_case.csv",)
OPTIMISE_MARKS = ("optimise.json",)
"""Files that mark an earlier output of `business-case` / `optimise`, which a new run may replace."""


# business case of buying a building (onderdak.business_case.evaluate) --------------------------------------
def _cmd_business_case(args: argparse.Namespace) -> int:
    from onderdak.business_case.evaluate import write_business_case
    from onderdak.io.atomic import check_output, fresh_folder
    from onderdak.pipeline.gate import check_case
    from onderdak.pipeline.run import CaseRun

    scenarios = [args.scenario] if args.scenario else None
    case = check_case(args.case, scenarios, args.paths, args.seed).base
    out = (
        Path(args.out)
        if args.out
        else Path("reports") / case.name / f"business-case-{args.location}"
    )
    check_output(out, BUSINESS_CASE_MARKS)
    run = CaseRun(args.case, [case.scenario], args.paths, args.seed)
    bc = run.business_case(args.location)
    with fresh_folder(out, BUSINESS_CASE_MARKS) as tmp:  # no file of an earlier run stays
        write_business_case(bc, tmp)
    print(
        f"{args.case}: business case for {args.location} written to {out} (business_case.csv, tornado.csv)"
    )
    return 0


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


def _cmd_optimise(args: argparse.Namespace) -> int:
    from onderdak.core.errors import InputError
    from onderdak.io.atomic import check_output, fresh_folder
    from onderdak.pipeline.gate import check_case, check_finite
    from onderdak.pipeline.run import CaseRun
    from onderdak.plan.build import write_plan_tables
    from onderdak.reporting.notes_text import notes_text

    if args.reliability is not None and not 0.0 <= args.reliability <= 1.0:
        raise InputError(
            f"--reliability {args.reliability}: must be a share between 0 and 1 (e.g. 0.9)"
        )
    check_finite("--budget", args.budget, low=0.0)
    scenarios = [args.scenario] if args.scenario else None
    case = check_case(args.case, scenarios, args.paths, args.seed).base
    out = Path(args.out) if args.out else Path("reports") / case.name / f"optimise-{case.scenario}"
    check_output(out, OPTIMISE_MARKS)
    run = CaseRun(args.case, [case.scenario], args.paths, args.seed)
    # the case's own targets fall back to what is reachable (and say so); an explicit one does not
    result = run.plan(
        reliability=args.reliability,
        budget_eur=args.budget,
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
    for note in notes_text(result.notes, case.language):
        print(f"note: {note}")
    print(f"wrote {', '.join(names)} to {out}")
    return 0


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


def add_commands(sub: argparse._SubParsersAction) -> None:
    """The sub-commands of this module."""
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

    _add_business_case(sub)
    _add_optimise(sub)
