"""Shared fixtures: the demo case, a small-ensemble copy of it, and the shared real data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Cases without a peildatum take the current month; the suite pins it (January 2026: the hand-computed
# cases count months from a January start) so that its figures do not move
# with the calendar (subprocesses and notebook kernels inherit it).
os.environ.setdefault("ONDERDAK_PEILDATUM", "2026-01")

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo" / "case.yaml"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def demo_case_path() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"real data not found at {SHARED_DATA}: place the project's shared/ folder beside the repo"
        )
    return SHARED_DATA
