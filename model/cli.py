"""The `onderdak` command line: reads files, calls model functions, writes files.

Every user error ends with a message naming file, row and field and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from model import __version__
from model.errors import OnderdakError

Command = Callable[[argparse.Namespace], int]


def _cmd_validate(args: argparse.Namespace) -> int:
    from model.case import load_case_file

    cases = load_case_file(args.case)
    base = cases["basis"]
    if base.locations:
        from model.locations import read_register

        register = read_register(base.path(base.locations))
        print(f"{args.case}: register {base.locations}: {len(register.table)} locations")
        for w in register.warnings:
            print(f"  waarschuwing: {w}")
    print(f"{args.case}: valid ({len(cases)} scenario(s): {', '.join(cases)})")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from model.case import schema_text

    text = schema_text()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from model.results import run_case, write_results

    results = run_case(args.case, scenarios=args.scenario, paths=args.paths, seed=args.seed)
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


# business case of buying a building (model.business_case) --------------------------------------
def _cmd_business_case(args: argparse.Namespace) -> int:
    from model.business_case import run_business_case, write_business_case
    from model.case import load_case

    case = load_case(args.case, args.scenario)
    bc = run_business_case(case, args.location, paths=args.paths, seed=args.seed)
    out = Path(args.out) if args.out else Path("reports") / case.name / f"business-case-{args.location}"
    write_business_case(bc, out)
    print(f"{args.case}: business case for {args.location} written to {out} (business_case.csv, tornado.csv)")
    return 0


@_extra
def _add_business_case(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("business-case", help="buying a building: alternatives, reuse, flexibility, tornado")
    p.add_argument("case", help="case file (YAML)")
    p.add_argument("--location", required=True, help="register id of the building (e.g. L08)")
    p.add_argument("--out", help="output folder (default: reports/<case>/business-case-<location>)")
    p.add_argument("--scenario", help="scenario of the case file (default: the base)")
    p.add_argument("--paths", type=int, help="Monte-Carlo paths (default: the case's)")
    p.add_argument("--seed", type=int, help="seed (default: the case's)")
    p.set_defaults(func=_cmd_business_case)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `onderdak`; returns the exit code."""
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


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())


__all__ = ["main", "json"]
