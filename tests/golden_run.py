"""Golden outputs: `onderdak run` of the demo at a fixed seed, peildatum and size, kept in
tests/golden/ so that any change of a figure shows up as a failing test with the rows that moved.

Refresh them only on purpose, after reading the diff: ``make golden`` (which runs
``.venv/bin/python tests/golden_run.py --refresh``), then commit the changed CSVs with the reason.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("ONDERDAK_PEILDATUM", "2026-01")  # as the suite (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
CASE = ROOT / "data" / "cases" / "demo" / "case.yaml"
ARGS = ("--scenario", "basis", "--paths", "300", "--seed", "20260101")
TABLES = (
    "need.csv",
    "taakstelling.csv",
    "gap_summary.csv",
    "locations.csv",
    "spread.csv",
    "mca.csv",
    "business_case.csv",
    "plan.csv",
    "plan_money.csv",
)
"""The tables a project leader holds against a published figure or a decision (the full budget and
the monthly tables are large and follow from these)."""


def produce(out: Path) -> Path:
    """Run the golden case into ``out`` (a new folder); returns it."""
    from onderdak.cli.main import main

    code = main(["run", str(CASE), "--out", str(out), *ARGS])
    if code != 0:
        raise RuntimeError(f"onderdak run exited {code}")
    return out


def refresh() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = produce(Path(tmp) / "run")
        GOLDEN.mkdir(exist_ok=True)
        for name in TABLES:
            shutil.copyfile(out / name, GOLDEN / name)
    print(f"wrote {len(TABLES)} golden tables to {GOLDEN.relative_to(ROOT)}; review `git diff`")


if __name__ == "__main__":
    if "--refresh" not in sys.argv:
        sys.exit("usage: tests/golden_run.py --refresh  (rewrites tests/golden/*.csv)")
    refresh()
