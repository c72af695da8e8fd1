"""Tests of onderdak.reporting.runner and `onderdak report`: strict parameters, atomic run folders."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

from onderdak.cli.main import main
from onderdak.core.errors import InputError, ReportError
from onderdak.reporting import kernel, report_notebooks, runner
from onderdak.reporting.runfolder import latest_run, new_run_id

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "notebooks" / "tiny.ipynb"

CASE_YAML = """\
name: testcase
title: "Testcase voor de runner"
fictional: true
municipality:
  name: Gemeente Test
  code: GM9998
  population_persons: {population}
start: 2026-01
price_year: 2026
scenarios:
  hoog:
    inflow: {{national_scenario: hoog}}
"""


def write_case(folder: Path, population: int = 10_000) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "case.yaml"
    path.write_text(CASE_YAML.format(population=population), encoding="utf-8")
    return path


def folder_state(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- fast: everything that fails before a kernel starts ------------------------------------------
def test_unknown_parameter_is_exit_2_naming_it_and_listing_valid_ones(tmp_path, capsys):
    case = write_case(tmp_path / "case")
    code = main(
        [
            "report",
            str(case),
            "--notebook",
            str(TINY),
            "-p",
            "pionts=3",
            "--out",
            str(tmp_path / "r"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "`pionts` is not a parameter of tiny.ipynb (did you mean `points`?)" in err
    assert "points: int = 12  — months shown" in err
    assert "Traceback" not in err
    assert not (tmp_path / "r").exists()


def test_wrong_type_is_exit_2(tmp_path, capsys):
    case = write_case(tmp_path / "case")
    code = main(
        [
            "report",
            str(case),
            "--notebook",
            str(TINY),
            "-p",
            "points=twelve",
            "--out",
            str(tmp_path / "r"),
        ]
    )
    assert code == 2
    assert (
        "`points` = 'twelve' does not fit type `int`: expected a whole number"
        in capsys.readouterr().err
    )


def test_injected_parameters_cannot_be_set_and_unknown_scenarios_are_refused(tmp_path, capsys):
    case = write_case(tmp_path / "case")
    assert main(["report", str(case), "--notebook", str(TINY), "-p", f"case_path={case}"]) == 2
    assert "CASE argument" in capsys.readouterr().err
    with pytest.raises(InputError, match="no scenario 'extreem'"):
        runner.run_report(case, TINY, scenario="extreem", out=tmp_path / "r")


def test_unknown_notebook_and_format_are_input_errors(tmp_path):
    case = write_case(tmp_path / "case")
    with pytest.raises(InputError, match="not found"):
        runner.run_report(case, "no_such_notebook", out=tmp_path / "r")
    with pytest.raises(InputError, match="unknown export format"):
        runner.run_report(case, TINY, formats=("docx",), out=tmp_path / "r")


def test_missing_kernel_is_a_clear_error_and_writes_nothing(tmp_path):
    case = write_case(tmp_path / "case")
    with pytest.raises(ReportError, match="ipykernel install --sys-prefix --name nope"):
        runner.run_report(case, TINY, out=tmp_path / "r", kernel_name="nope")
    assert not (tmp_path / "r").exists()


def test_default_kernel_is_this_interpreter_without_a_kernelspec():
    kernel.check_kernel()  # nothing to install: `python3` is always this interpreter
    km = kernel.kernel_manager_class()(kernel_name=kernel.KERNEL)
    assert km.kernel_spec.argv[0] == sys.executable
    assert "ipykernel_launcher" in km.kernel_spec.argv


def test_run_ids_are_unique_and_sort_by_time():
    ids = {new_run_id("scenarios", "hoog", "abcdef123") for _ in range(200)}
    assert len(ids) > 190  # 16 random bits per second; the folder claim retries on a clash
    one = next(iter(ids))
    assert "-scenarios-hoog-abcdef-" in one and one[8] == "T" and one[15] == "Z"


def test_default_notebook_is_advice_once_it_exists():
    expected = (
        "advice" if (report_notebooks.NOTEBOOK_DIR / "advice.ipynb").exists() else "scenarios"
    )
    assert report_notebooks.default_notebook() == expected
    assert report_notebooks.default_formats("advice") == ("html", "pdf", "pptx", "xlsx")
    assert report_notebooks.parse_formats("HTML, pdf") == ("html", "pdf")
    assert report_notebooks.parse_formats("none") == ()


# -- slow: real notebook runs ----------------------------------------------------------------------
@pytest.mark.slow
def test_good_run_failed_run_and_changed_case(tmp_path, capsys):
    """A good run is published atomically; a failed run leaves it untouched; hashes follow the case."""
    case = write_case(tmp_path / "case")
    root = tmp_path / "reports"

    good = runner.run_report(case, TINY, {"points": "6"}, out=root, formats=("html",))
    assert good.ok and good.folder == root / good.run_id
    assert latest_run(root) == good.folder.resolve()
    assert not list(root.glob(".partial-*"))
    names = {p.name for p in good.folder.iterdir()}
    assert {
        "tiny.ipynb",
        "tiny.html",
        "manifest.json",
        "figures",
        "results",
        "artefacts.jsonl",
    } <= names
    manifest = json.loads((good.folder / "manifest.json").read_text())
    assert manifest["parameters"] == {"points": 6, "case_path": str(case.resolve())}
    assert manifest["seed"] == 20261123
    assert manifest["timings_s"]["execute_s"] > 0
    assert manifest["hashes"]["case_file"]["sha256"] and manifest["hashes"]["reference"]
    assert set(manifest["outputs"]) >= {"tiny.html", "tiny.ipynb", "results/need_table.csv"}
    executed = nbformat.read(str(good.folder / "tiny.ipynb"), 4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    before = folder_state(good.folder)

    with pytest.raises(ReportError) as info:
        runner.run_report(case, TINY, {"fail": "true"}, out=root, formats=("html",))
    message = str(info.value)
    assert "tiny.ipynb failed in cell 7 (`check = 1 / (0 if fail else 1)" in message
    assert "ZeroDivisionError: division by zero" in message
    assert "is untouched" in message
    failed = info.value.result.folder
    assert failed.name.startswith("failed-") and failed.parent == root
    error_nb = nbformat.read(str(failed / "tiny.ipynb"), 4)
    assert any(
        o.get("ename") == "ZeroDivisionError" for c in error_nb.cells for o in c.get("outputs", [])
    )
    assert "cell 7" in (failed / "error.txt").read_text()
    assert not (failed / "tiny.html").exists()
    assert latest_run(root) == good.folder.resolve()
    assert folder_state(good.folder) == before

    write_case(tmp_path / "case", population=12_345)
    result_json = tmp_path / "result.json"
    code = main(
        [
            "report",
            str(case),
            "--notebook",
            str(TINY),
            "--scenario",
            "hoog",
            "-p",
            "labels=a,b,c",
            "--out",
            str(root),
            "--formats",
            "none",
            "--result-json",
            str(result_json),
        ]
    )
    assert code == 0
    data = json.loads(result_json.read_text())
    assert data["ok"] and data["scenario"] == "hoog" and "-tiny-hoog-" in data["run_id"]
    again = Path(data["folder"])
    second = json.loads((again / "manifest.json").read_text())
    assert second["parameters"]["scenario"] == "hoog"
    assert second["parameters"]["labels"] == ["a", "b", "c"]
    assert second["hashes"]["case_file"]["sha256"] != manifest["hashes"]["case_file"]["sha256"]
    assert second["hashes"]["combined"] != manifest["hashes"]["combined"]
    assert second["hashes"]["reference"] == manifest["hashes"]["reference"]
    assert latest_run(root) == again.resolve()
    assert "written to" in capsys.readouterr().out


def test_failing_cell_is_named_by_its_place_in_the_template():
    template = nbformat.read(str(TINY), 4)
    failing = template.cells[6]

    class Failure:  # what papermill reports: the index in the executed notebook (+1 injected cell)
        cell_index = 7
        source = failing.source
        ename, evalue = "ZeroDivisionError", "division by zero"

    text = runner.describe_cell_error(Failure, template, "tiny", injected=True)
    assert text == (
        "tiny.ipynb failed in cell 7 (`check = 1 / (0 if fail else 1)  # fail=True raises "
        "ZeroDivisionError here`): ZeroDivisionError: division by zero"
    )


def test_latest_points_at_the_newest_run_and_claims_are_exclusive(tmp_path):
    from onderdak.reporting.runfolder import claim_folder, point_latest

    claimed = [claim_folder(tmp_path, "tiny", None, "abcdef") for _ in range(30)]
    assert len({run_id for run_id, _ in claimed}) == 30
    assert all(folder.name.startswith(".partial-") and folder.is_dir() for _, folder in claimed)
    older, newer = "20260101T000000Z-tiny-abcdef-0000", "20260102T000000Z-tiny-abcdef-0000"
    for run_id in (newer, older):
        (tmp_path / run_id).mkdir()
        point_latest(tmp_path, run_id)
    assert latest_run(tmp_path) == (tmp_path / newer).resolve()  # an older run finishing late
