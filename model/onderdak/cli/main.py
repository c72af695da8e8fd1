"""The `onderdak` command line: reads files, calls the model, writes files.

Every user error ends with a message naming file, row and field and exit code 2, never a traceback.
The commands live in :mod:`onderdak.cli.compute` (validate, schema, run, business-case, optimise)
and :mod:`onderdak.cli.reports` (init, report, rerun, batch, demo).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from onderdak.cli import compute, reports
from onderdak.cli import national as national_command
from onderdak.core.errors import OnderdakError
from onderdak.core.version import __version__


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onderdak",
        description="Scenario modelling and real-estate advice for municipal refugee reception.",
    )
    parser.add_argument("--version", action="version", version=f"onderdak {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    compute.add_commands(sub)
    reports.add_commands(sub)
    national_command.add_parser(sub)
    return parser


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
