"""The reader's checklist over the other reports, in Dutch and in English (issue 15).

Each of the scenarios, portfolio, plan, business case and region reports is run on a small ensemble
in both languages; its visible HTML text must hold no code values, snake_case, ISO months, quarter
codes, file paths, machine words or words of the other language (tests/checklist.py). Proper names
of the cases (municipalities, locations, wijken) may be Dutch in an English report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from checklist import CODES, text_problems
from onderdak.cli.main import main
from onderdak.reporting.runner import content_id
from test_advice_checklist import _names, visible

ROOT = Path(__file__).resolve().parents[1]
REGION = ROOT / "data" / "cases" / "regio-voorbeeld" / "region.yaml"
NOTEBOOKS = ("scenarios", "portfolio", "plan", "business_case", "region")
SOURCE_NAMES = ("Son en Breugel",)
"""Proper names in the citations of the reference data (a municipality's own pages)."""


def _region_names() -> tuple[str, ...]:
    region = yaml.safe_load(REGION.read_text(encoding="utf-8"))
    names: list[str] = [region["title"]]
    for member in region["municipalities"]:
        case_path = (REGION.parent / member["case"]).resolve()
        case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
        names += [case["title"], case["municipality"]["name"]]
    return tuple(names)


def _run(notebook: str, language: str, out: Path, case: Path) -> Path:
    """Run a report (HTML only, 60 paths) and give its HTML file; the region's overview runs on
    the example region (its own ensembles), the demo case giving the title page."""
    args = ["report", str(case), "--notebook", notebook, "-p", f"language={language}"]
    args += ["--formats", "html", "-p", "paths=60"]
    if notebook == "region":
        args += ["-p", f"region={REGION}"]
    assert main([*args, "--out", str(out)]) == 0
    return next(out.rglob(f"{notebook}.html"))


@pytest.mark.slow
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_report_passes_the_readers_checklist(notebook, language, tmp_path, demo_case_path):
    html = _run(notebook, language, tmp_path, demo_case_path)
    page = visible(html.read_text(encoding="utf-8"))
    names = _region_names() if notebook == "region" else _names(demo_case_path)
    run_id = json.loads((html.parent / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    names += SOURCE_NAMES
    text = "".join(page.parts).replace(content_id(run_id), " ")  # an identifier in the footer
    found = text_problems(text, language, names)
    words = ("places", "dwellings", "persons", "existing", "planned") if language == "en" else ()
    found += [f"code in a table cell: {c!r}" for c in page.cells if c in CODES and c not in words]
    assert not found, f"{len(found)} problems in the {language} {notebook} report:\n" + "\n".join(
        dict.fromkeys(found)
    )
