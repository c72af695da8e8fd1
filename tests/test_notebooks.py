"""The report templates: clean (no outputs, no logic) and executed end to end on a small ensemble."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pytest

from model.cli import main

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_templates_have_no_outputs_and_no_logic(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not cell.get("outputs") and not cell.get("execution_count"), f"{path.name}: stored outputs"
        tree = ast.parse(cell.source)
        banned = (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.AsyncFunctionDef)
        assert not any(isinstance(n, banned) for n in ast.walk(tree)), f"{path.name}: def/class/loop in a cell"
    assert nb.metadata["kernelspec"]["name"] == "onderdak"


@pytest.mark.slow
@pytest.mark.parametrize("notebook", ["scenarios", "advice"])
def test_report_runs_end_to_end_on_a_small_ensemble(tmp_path, demo_case_path, notebook):
    out = tmp_path / "reports"
    code = main(["report", str(demo_case_path), "--notebook", notebook, "-p", "paths=60", "--out", str(out)])
    assert code == 0
    runs = [p for p in out.rglob("manifest.json")]
    assert len(runs) == 1
    folder = runs[0].parent
    html = (folder / f"{notebook}.html").read_text(encoding="utf-8")
    assert "Traceback" not in html and "Gemeente Voorbeeld" in html
    manifest = json.loads(runs[0].read_text(encoding="utf-8"))
    assert manifest["parameters"]["paths"] == 60
    if notebook == "advice":
        for f in ("advice.pdf", "advice.pptx", "tables.xlsx"):
            assert (folder / f).stat().st_size > 10_000, f
