"""The demo's key tables at a fixed seed equal the golden copies in tests/golden/ (see
tests/golden_run.py): a change of any figure, plan decision or money line fails here and names the
rows; refresh with `make golden` only when the change is intended."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from golden_run import GOLDEN, TABLES, produce


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    return produce(tmp_path_factory.mktemp("golden") / "run")


@pytest.mark.parametrize("name", TABLES)
def test_table_equals_its_golden_copy(run: Path, name: str):
    golden = pd.read_csv(GOLDEN / name, keep_default_na=False, na_values=[""])
    new = pd.read_csv(run / name, keep_default_na=False, na_values=[""])
    assert list(new.columns) == list(golden.columns), f"{name}: columns changed"
    assert len(new) == len(golden), f"{name}: {len(new)} rows, golden {len(golden)}"
    try:  # numbers to 1e-9 relative (a last-bit difference of another BLAS is no drift)
        pd.testing.assert_frame_equal(new, golden, check_exact=False, rtol=1e-9, atol=1e-6)
    except AssertionError as exc:
        differ = new.ne(golden) & ~(new.isna() & golden.isna())
        rows = new[differ.any(axis=1)].head(5)
        raise AssertionError(
            f"{name} moved from its golden copy ({exc}); first rows that differ:\n"
            f"{rows.to_string()}\nIf intended: make golden, and commit the diff with the reason"
        ) from None
