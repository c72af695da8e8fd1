"""The report templates: clean (no outputs, no logic) and executed end to end on a small ensemble."""

from __future__ import annotations

import ast
import json
import re
from html import escape as html_escape
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from onderdak.business_case.options import BUY_KINDS
from onderdak.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_templates_have_no_outputs_and_no_logic(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not cell.get("outputs") and not cell.get("execution_count"), (
            f"{path.name}: stored outputs"
        )
        tree = ast.parse(cell.source)
        banned = (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.AsyncFunctionDef)
        assert not any(isinstance(n, banned) for n in ast.walk(tree)), (
            f"{path.name}: def/class/loop in a cell"
        )
    # the kernel of the Python that runs them (a report runs on its own interpreter; JupyterLab
    # offers the venv's python3 without a kernel to install)
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("notebook", "language"), [("scenarios", "nl"), ("advice", "nl"), ("advice", "en")]
)
def test_report_runs_end_to_end_on_a_small_ensemble(
    tmp_path, demo_case_path, demo_advice, notebook, language
):
    if notebook == "advice":  # the same run the checklist and workbook tests read
        folder = demo_advice(language)
    else:
        out = tmp_path / "reports"
        args = ["report", str(demo_case_path), "--notebook", notebook, "-p", "paths=60"]
        assert main([*args, "-p", f"language={language}", "--out", str(out)]) == 0
        runs = list(out.rglob("manifest.json"))
        assert len(runs) == 1
        folder = runs[0].parent
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    html = (folder / f"{notebook}.html").read_text(encoding="utf-8")
    assert "Traceback" not in html and "Gemeente Voorbeeld" in html
    assert manifest["parameters"]["paths"] == 60
    if notebook != "advice":
        return
    for f in ("advice.pdf", "advice.pptx", "tables.xlsx"):
        assert (folder / f).stat().st_size > 10_000, f
    # the first page: key message and decisions come before the table of contents
    front, toc = html.index('class="ond-front'), html.index('class="ond-toc"')
    key, decided = (
        html.index('<div class="ond-key-message"'),
        html.index('<div class="ond-decisions"'),
    )
    assert front < key < decided < toc
    headings = re.findall(r'<li><a href="#[^"]+">([^<]+)</a>', html[toc:])
    if language == "en":
        assert "Reason for this proposal" in headings
        assert "Decisions and their arguments" in headings
        assert not any(
            w in html for w in ("Hoeveel opvang", "Bijlage", "Signaalwaarden", "Besluitpunten")
        )
    else:
        assert "Aanleiding" in headings
        assert "Besluitpunten en argumenten" in headings
    # the tidy results behind the figures are in the run folder
    for table in (
        "need_table",
        "taakstelling",
        "gap_summary",
        "plan_decisions",
        "plan_tradeoff_table",
    ):
        assert (folder / "results" / f"{table}.csv").exists(), table
    # the plan's purchases that the business case does not cover are named in the besluitpunt
    plan = pd.read_csv(folder / "results" / "plan_table.csv")
    register = pd.read_csv(demo_case_path.parent / "locations.csv").set_index("id")
    covered = yaml.safe_load(demo_case_path.read_text(encoding="utf-8"))["business_case"]
    bought = [
        i
        for i in plan.loc[plan["action"] == "open", "location_id"]
        if register.at[i, "kind"] in BUY_KINDS
        and register.at[i, "status"] == "candidate"
        and i != covered["location_id"]
    ]
    phrase = "The plan also buys" if language == "en" else "Het plan koopt ook"
    assert (phrase in html) == bool(bought)
    if bought:  # by name, not by the register's code
        names = [html_escape(register.at[i, "name"]) for i in bought]
        assert f"{phrase} {', '.join(names)};" in html
    # one shortfall measure: the same 'without → with plan' figure per stream on page 1, in the
    # plan section, in the deck and in the workbook
    deck = Presentation(str(folder / "advice.pptx"))
    deck_text = " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    chances = pd.read_csv(folder / "results" / "plan_shortfall.csv")
    plan_section = html[html.index("ond-toc") :]
    for r in chances.itertuples():
        figure = (
            f"{round(100 * r.shortfall_chance_without_plan_share)}% → "
            f"{round(100 * r.shortfall_chance_with_plan_share)}%"
        )
        assert figure in html[front:toc], (r.stream, figure)
        assert figure in plan_section, (r.stream, figure)
        assert figure in deck_text, (r.stream, figure)
    assert "Max. kans" not in html and "Max. chance" not in html
    # every figure slide of the deck has speaker notes with numbers
    from onderdak.reporting.deck import MAX_SLIDES  # the plan's slides and the figures

    assert 6 <= len(deck.slides) <= MAX_SLIDES
    for slide in deck.slides:
        if any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes):
            notes = slide.notes_slide.notes_text_frame.text
            assert re.search(r"\d", notes), f"figure slide without numbers in its notes: {notes!r}"
