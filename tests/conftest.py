"""Shared fixtures: the demo case, a tiny copy of it (small ensemble and optimiser), and the shared
real data folder."""

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


@pytest.fixture(scope="session", autouse=True)
def house_style():
    """The figures' house style, as a report's setup applies it (importing the package does not)."""
    from onderdak.reporting.style import apply

    apply()


@pytest.fixture(scope="session")
def demo_case_path() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def tiny_case(tmp_path_factory) -> Path:
    """The demo case with a small optimiser (10 reduced scenarios, 5 s per solve) and 60 paths, for
    end-to-end runs of the plan that test the pipeline, not the optimum (a copy of the demo folder)."""
    import shutil

    import yaml

    folder = tmp_path_factory.mktemp("tiny") / "demo"
    shutil.copytree(DEMO.parent, folder)
    case = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    case["paths"] = 60
    case.setdefault("optimise", {}).update(reduced_scenarios=10, time_limit_seconds=5.0)
    (folder / "case.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    return folder / "case.yaml"


@pytest.fixture(scope="session")
def demo_advice(tmp_path_factory):
    """The demo advice at 60 paths with all exports, in a language: ``demo_advice("en")`` gives the
    run folder. Run once per language and test session (per worker), shared by the notebook, the
    reader's-checklist and the workbook tests, which read the same report."""
    from onderdak.cli.main import main

    runs: dict[str, Path] = {}

    def get(language: str) -> Path:
        if language not in runs:
            out = tmp_path_factory.mktemp(f"demo-advice-{language}")
            args = ["report", str(DEMO), "--notebook", "advice", "-p", "paths=60"]
            assert main([*args, "-p", f"language={language}", "--out", str(out)]) == 0
            (manifest,) = out.rglob("manifest.json")
            runs[language] = manifest.parent
        return runs[language]

    return get


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"real data not found at {SHARED_DATA}: place the project's shared/ folder beside the repo"
        )
    return SHARED_DATA
