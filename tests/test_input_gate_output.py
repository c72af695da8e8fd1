"""Issue 14, outputs and run settings: formula injection, whole-folder swaps, silent substitutions, one gate."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import openpyxl
import pandas as pd
import pytest

from onderdak.cli.main import main
from onderdak.reporting import collect
from onderdak.reporting.artefacts import read_artefacts
from onderdak.reporting.deck import write_deck
from onderdak.reporting.report_meta import ReportMeta
from onderdak.reporting.workbook import write_workbook

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo"
META = ReportMeta(title="Test", scenario="midden", date="1 januari 2026", run_id="advice-abc123")
HOSTILE = ['=HYPERLINK("http://example.invalid/x","Klik hier")', "+31 6 1234", "-2+3", "@SUM(A1)"]


def demo_copy(tmp_path: Path, rows: list[list[str]] | None = None) -> Path:
    for f in DEMO.iterdir():
        if f.is_file():
            shutil.copy(f, tmp_path / f.name)
    if rows is not None:
        with open(tmp_path / "locations.csv", "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    return tmp_path / "case.yaml"


def demo_rows() -> list[list[str]]:
    with open(DEMO / "locations.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@pytest.fixture
def hostile_folder(tmp_path, capsys) -> Path:
    folder = tmp_path / "run"
    collect.set_output_dir(folder)
    try:
        fig, ax = plt.subplots()
        ax.plot([1, 2])
        collect.show_figure(fig, "one", "Figuur")
        table = pd.DataFrame({"name": HOSTILE, "places": [1, 2, 3, 4]})
        collect.show_table(table, "plan_table", "Plan", deck=True)
    finally:
        collect.set_output_dir(None)
    capsys.readouterr()
    return folder


def test_cells_that_look_like_formulas_are_written_as_text(hostile_folder, tmp_path):
    path = write_workbook(read_artefacts(hostile_folder), tmp_path / "tables.xlsx", META)
    ws = openpyxl.load_workbook(path)["Plan per locatie"]
    for row, text in enumerate(HOSTILE, start=2):
        cell = ws.cell(row, 1)
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix


def test_workbook_and_deck_are_byte_identical_for_the_same_content(hostile_folder, tmp_path):
    artefacts = read_artefacts(hostile_folder)
    digests = set()
    for name in ("a", "b"):
        x = write_workbook(artefacts, tmp_path / f"{name}.xlsx", META)
        p = write_deck(artefacts, tmp_path / f"{name}.pptx", META)
        digests.add(
            (hashlib.sha256(x.read_bytes()).hexdigest(), hashlib.sha256(p.read_bytes()).hexdigest())
        )
    assert len(digests) == 1


def test_svg_figures_have_the_same_ids_every_run(tmp_path, capsys):
    texts = []
    for name in ("a", "b"):
        collect.set_output_dir(tmp_path / name)
        try:
            fig, ax = plt.subplots()
            ax.plot([1, 2, 3])
            collect.show_figure(fig, "one", "Figuur")
        finally:
            collect.set_output_dir(None)
        texts.append((tmp_path / name / "figures" / "one.svg").read_bytes())
    assert texts[0] == texts[1]


# -- run --out ---------------------------------------------------------------------------------------

RUN = ["--paths", "20", "--scenario", "basis"]


def test_run_replaces_its_folder_whole(tmp_path, demo_case_path):
    out = tmp_path / "out"
    assert main(["run", str(demo_case_path), "--out", str(out), *RUN]) == 0
    assert (out / "plan.csv").exists()
    assert main(["run", str(demo_case_path), "--out", str(out), *RUN, "--no-plan"]) == 0
    assert not (out / "plan.csv").exists()  # no older plan beside the new results
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folders left


def test_run_refuses_an_output_that_is_a_file_or_foreign_folder(tmp_path, demo_case_path, capsys):
    file = tmp_path / "file.txt"
    file.write_text("x")
    assert main(["run", str(demo_case_path), "--out", str(file), *RUN]) == 2
    assert "is a file" in capsys.readouterr().err
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.docx").write_text("keep me")
    assert main(["run", str(demo_case_path), "--out", str(foreign), *RUN]) == 2
    assert "holds other files" in capsys.readouterr().err
    assert (foreign / "notes.docx").read_text() == "keep me"


def test_stale_temporary_folders_of_killed_runs_are_removed(tmp_path, demo_case_path):
    out = tmp_path / "out"
    dead = tmp_path / ".out.partial-999999999-abc"
    dead.mkdir()
    (dead / "need.csv").write_text("half")
    assert main(["run", str(demo_case_path), "--out", str(out), *RUN, "--no-plan"]) == 0
    assert not dead.exists()


def test_a_failed_write_keeps_the_last_good_results(tmp_path, demo_case_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["run", str(demo_case_path), "--out", str(out), *RUN, "--no-plan"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full_disk(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full_disk)
    assert main(["run", str(demo_case_path), "--out", str(out), *RUN, "--no-plan"]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# -- silent substitutions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "--paths", "0"], "--paths 0"),
        (["run", "--paths", "5"], "greater than or equal to 10"),
        (["run", "--paths", "-1"], "--paths -1"),
        (["run", "--paths", "100000000"], "less than or equal to 200000"),
        (["run", "--seed", "-7"], "--seed -7"),
        (["optimise", "--seed", "-1"], "--seed -1"),
        (["optimise", "--budget", "nan"], "--budget nan"),
        (["business-case", "--location", "L08", "--paths", "0"], "--paths 0"),
        (["report", "-p", "language=fr"], "-p language=fr"),
        (["report", "-p", "seed=-7"], "-p seed=-7"),
        (["report", "-p", "paths=-5"], "-p paths=-5"),
    ],
)
def test_no_silent_substitution(tmp_path, demo_case_path, capsys, args, expected):
    command, *rest = args
    out = ["--out", str(tmp_path / "o")]
    assert main([command, str(demo_case_path), *out, *rest]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_paths_beyond_memory_are_refused_before_allocating(
    tmp_path, demo_case_path, capsys, monkeypatch
):
    from onderdak.pipeline import gate as input_gate

    monkeypatch.setattr(input_gate, "available_memory", lambda: 2 * 2**30)
    assert (
        main(["run", str(demo_case_path), "--out", str(tmp_path / "o"), "--paths", "200000"]) == 2
    )
    err = capsys.readouterr().err
    assert "GiB of memory" in err and "Use at most" in err


# -- validate = run ----------------------------------------------------------------------------------


def test_validate_refuses_what_run_refuses_naming_the_cause(tmp_path, capsys):
    rows = demo_rows()
    h = rows[0]
    far = next(r for r in rows[1:] if r[2] == "candidate")
    far[h.index("x")] = str(int(far[h.index("x")]) + 118_000)
    far[h.index("wijk_code")] = ""
    case = demo_copy(tmp_path, rows)
    assert main(["validate", str(case)]) == 2
    err = capsys.readouterr().err
    assert f"location '{far[0]}'" in err and "outside the municipality" in err
    assert main(["run", str(case), "--out", str(tmp_path / "o"), *RUN, "--no-plan"]) == 2
    assert "outside the municipality" in capsys.readouterr().err


def test_validate_refuses_a_missing_quality_score_as_run_does(tmp_path, capsys):
    rows = demo_rows()
    h = rows[0]
    option = next(r for r in rows[1:] if r[2] == "candidate")
    option[h.index("quality_score")] = ""
    case = demo_copy(tmp_path, rows)
    assert main(["validate", str(case)]) == 2
    assert "quality_score" in capsys.readouterr().err


def test_validate_shows_lead_time_warnings(capsys, demo_case_path):
    assert main(["validate", str(demo_case_path)]) == 0
    assert "houdt geen rekening met de doorlooptijd" in capsys.readouterr().out


# -- batch and interrupts ----------------------------------------------------------------------------


def test_batch_all_scenarios_goes_on_past_a_broken_case(tmp_path, demo_case_path):
    from onderdak.cli.batch import jobs_for_cases

    broken = tmp_path / "kapot" / "case.yaml"
    broken.parent.mkdir()
    broken.write_text("name: kapot\nseed: 1\nseed: 2\n", encoding="utf-8")
    jobs = jobs_for_cases([broken, demo_case_path], ["all"])
    assert [(j.case, j.scenario) for j in jobs][0] == (broken, None)  # one job, failing on its own
    assert len(jobs) == 1 + 5


def test_an_interrupted_report_exits_130_and_keeps_no_partial_folder(
    tmp_path, demo_case_path, monkeypatch, capsys
):
    import papermill

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(papermill, "execute_notebook", interrupted)
    out = tmp_path / "rep"
    stale = out / ".partial-20200101T000000Z-advice-abc123-0000"  # left by a run killed long ago
    stale.mkdir(parents=True)
    os.utime(stale, (0, 0))
    code = main(
        ["report", str(demo_case_path), "--out", str(out), "-p", "paths=20", "--formats", "none"]
    )
    assert code == 130
    err = capsys.readouterr().err
    assert err.strip() == "onderdak: interrupted"
    assert not list(out.glob(".partial-*"))
    assert len(list(out.glob("failed-*"))) == 1


def test_html_does_not_carry_papermills_random_cell_ids():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from onderdak.reporting.export import render_html

    def nb(cell_id: str):
        code = new_code_cell("x = 1")
        code["id"] = cell_id
        code.metadata["tags"] = ["injected-parameters"]
        return new_notebook(cells=[new_markdown_cell("# Titel"), code])

    assert render_html(nb("d1a00111"), META) == render_html(nb("1ec89df9"), META)


def test_the_pdf_is_the_same_bytes_a_second_later(tmp_path):
    import time

    from nbformat.v4 import new_markdown_cell, new_notebook

    from onderdak.reporting.export import render_html, write_pdf

    html = render_html(new_notebook(cells=[new_markdown_cell("# Titel\n\nTekst é €.")]), META)
    write_pdf(html, tmp_path / "a.pdf")
    time.sleep(1.1)
    write_pdf(html, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_validate_checks_the_business_case_location_as_run_does(tmp_path, capsys):
    rows = [r for r in demo_rows() if r[0] != "L08"]  # the demo's business case is about L08
    case = demo_copy(tmp_path, rows)
    assert main(["validate", str(case)]) == 2
    err = capsys.readouterr().err
    assert "field `business_case.location_id`: 'L08' is not in the register" in err
    assert err.count("L08") == 1  # once, not once per scenario
