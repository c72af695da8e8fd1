"""Shared fixtures: the demo case, a small-ensemble copy of it, and the shared real data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

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
