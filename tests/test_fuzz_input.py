"""Issue 14: hostile register cells and case fields give exit 0 with finite outputs, or exit 2 with a
message; never a traceback or an internal error (hypothesis, bounded so that the suite stays fast)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from onderdak.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo"
KEEP = 6  # register rows: enough for two MCA options, small enough for a fast run
EXAMPLES = int(os.environ.get("ONDERDAK_FUZZ_EXAMPLES", "12"))
"""Examples per fuzz test: few (and the same every run) in the suite; set more to hunt."""
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 12,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

with open(DEMO / "locations.csv", encoding="utf-8", newline="") as _f:
    ROWS = list(csv.reader(_f))
HEADER = ROWS[0]
BODY = [r for r in ROWS[1:] if r[2] != "candidate"][: KEEP - 2] + [
    r for r in ROWS[1:] if r[2] == "candidate"
][:2]
CASE = yaml.safe_load((DEMO / "case.yaml").read_text(encoding="utf-8"))
CASE.pop("scenarios", None)
CASE["horizon_months"] = 24

cell_values = st.one_of(
    st.text(max_size=30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from(
        [
            "",
            '=HYPERLINK("http://example.invalid","x")',
            "1.250.000,50",
            "90%",
            "31-02-2026",
            "1e400",
            "-0",
            "nan",
            "inf",
            "€ -5",
            "123456782",
            "NULL",
            "bestaand;gepland",
            "oekraine,asiel",
        ]
    ),
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2300, 1, 1)).map(str),
)

NUMBER_FIELDS = [
    ("municipality", "population_persons"),
    ("municipality", "ses_correction_share"),
    ("status_holders", "backlog_persons_at_start"),
    ("status_holders", "regular_supply_dwellings_per_month"),
    ("ukraine", "agreed_places"),
    ("asylum", "published_places"),
    ("inflow", "level_factor"),
    (None, "discount_rate_real_share"),
    (None, "price_year"),
    (None, "horizon_months"),
    (None, "seed"),
    (None, "start"),
]
field_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
)


def _run(folder: Path, capsys) -> tuple[int, str]:
    out = folder / "out"
    code = main(["run", str(folder / "case.yaml"), "--out", str(out), "--paths", "10", "--no-plan"])
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert err.startswith("onderdak: ") and len(err.strip()) > len("onderdak: ")
        return code, err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    _finite(summary)
    need = pd.read_csv(out / "need.csv")
    numbers = need.select_dtypes("number").to_numpy()
    assert math.isfinite(float(abs(numbers).sum())), "need.csv holds NaN or infinity"
    return code, err


def _finite(value: object) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _finite(v)
    elif isinstance(value, list):
        for v in value:
            _finite(v)
    elif isinstance(value, float):
        assert math.isfinite(value), "summary.json holds NaN or infinity"


def _case_folder(case: dict, rows: list[list[object]], excel: bool = False) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="onderdak-fuzz-"))
    for f in ("wijken.geojson", "amenities.csv"):
        shutil.copy(DEMO / f, folder / f)
    if excel:  # typed cells: floats, dates, text as Excel holds them
        import openpyxl

        book = openpyxl.Workbook()
        try:
            for r in [HEADER, *rows]:
                book.active.append(r)
            book.save(folder / "locations.xlsx")
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        case = {**case, "locations": "locations.xlsx"}
    else:
        with open(folder / "locations.csv", "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows([HEADER, *rows])
    (folder / "case.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.mark.slow
@FUZZ
@given(
    cells=st.lists(
        st.tuples(st.integers(0, KEEP - 1), st.integers(0, len(HEADER) - 1), cell_values),
        min_size=1,
        max_size=3,
    ),
    excel=st.booleans(),
)
def test_fuzz_register_cells(capsys, cells, excel):
    rows: list[list[object]] = [list(r) for r in BODY]
    for row, col, value in cells:
        if excel and isinstance(value, str) and value[:10].count("-") == 2:
            try:
                value = dt.date.fromisoformat(value)  # a real date cell
            except ValueError:
                pass
        rows[row][col] = value
    from openpyxl.utils.exceptions import IllegalCharacterError

    try:
        folder = _case_folder(CASE, rows, excel)
    except (ValueError, TypeError, IllegalCharacterError):  # openpyxl cannot store this value
        assume(False)
    try:
        _run(folder, capsys)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
@FUZZ
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(NUMBER_FIELDS), field_values), min_size=1, max_size=2
    )
)
def test_fuzz_case_fields(capsys, changes):
    case = json.loads(json.dumps(CASE))
    for (section, key), value in changes:
        target = case.setdefault(section, {}) if section else case
        target[key] = value
    folder = _case_folder(case, [list(r) for r in BODY])
    try:
        _run(folder, capsys)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_fuzz_base_case_runs(capsys):
    """The unfuzzed small case runs (so that the fuzz tests exercise success as well as refusal)."""
    folder = _case_folder(CASE, [list(r) for r in BODY])
    try:
        assert _run(folder, capsys)[0] == 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)
