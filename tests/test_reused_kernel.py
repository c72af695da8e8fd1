"""A kernel kept for many report runs (:mod:`onderdak.reporting.reused_kernel`): each run sees what a
fresh kernel would show it, a failed run ends the kernel, and a real report is the same byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from onderdak.core.errors import ReportError
from onderdak.reporting.reused_kernel import ReusedKernel
from onderdak.reporting.runner import run_report

CASE = """\
name: reuse
fictional: true
municipality: {name: Gemeente Test, code: GM9998, population_persons: 10000}
start: 2026-01
price_year: 2026
scenarios:
  hoog:
    inflow: {national_scenario: hoog}
"""

PARAMETERS = 'case_path: str = ""\noutput_dir: str = ""\nmark: str = ""'
LEAVES_STATE = """\
import os
import matplotlib.pyplot as plt
from onderdak.reporting import collect
leftover = 1
plt.figure()
collect.set_language("en")
collect._number("figure", "one")
os.environ["ONDERDAK_LEFTOVER"] = "yes"
os.chdir("/")
"""
CHECKS_STATE = """\
import json, os, sys
import matplotlib.pyplot as plt
seen = {
    "leftover": "leftover" in globals(),
    "figures": len(plt.get_fignums()),
    "numbers": sys.modules["onderdak.reporting.collect"]._state["numbers"]
    if "onderdak.reporting.collect" in sys.modules else {},
    "cwd": os.getcwd(),
    "output_dir_env": os.environ.get("ONDERDAK_OUTPUT_DIR"),
    "leftover_env": os.environ.get("ONDERDAK_LEFTOVER"),
    "given_env": os.environ.get("ONDERDAK_GIVEN"),
    "mark": mark,
    "history": get_ipython().history_manager.enabled,
}
with open(os.path.join(output_dir, "seen.json"), "w") as fh:
    json.dump(seen, fh)
"""
FAILS = 'raise RuntimeError("this run fails")'


def _notebook(folder: Path, name: str, body: str) -> Path:
    nb = new_notebook(cells=[new_code_cell(PARAMETERS), new_code_cell(body)])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture()
def setup(tmp_path):
    (tmp_path / "case").mkdir()
    case = tmp_path / "case" / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    books = tmp_path / "notebooks"
    books.mkdir()
    names = {
        n: _notebook(books, n, b)
        for n, b in [("leaves", LEAVES_STATE), ("checks", CHECKS_STATE), ("fails", FAILS)]
    }
    kernel = ReusedKernel()
    yield case, names, kernel, tmp_path
    kernel.shutdown()


def _seen(result) -> dict:
    import json

    return json.loads((result.folder / "seen.json").read_text(encoding="utf-8"))


def test_a_run_on_a_kept_kernel_sees_nothing_of_the_run_before(setup, monkeypatch):
    case, nb, kernel, tmp = setup
    run_report(case, nb["leaves"], {}, out=tmp / "r", formats=[], kernel=kernel)
    monkeypatch.setenv("ONDERDAK_GIVEN", "given")  # set in this process after the kernel started
    result = run_report(
        case, nb["checks"], {"mark": "second"}, out=tmp / "r", formats=[], kernel=kernel
    )
    assert kernel.started == 1 and kernel.runs == 2  # one kernel, two runs
    seen = _seen(result)
    assert seen == {
        "leftover": False,
        "figures": 0,
        "numbers": {},
        "cwd": str(nb["checks"].parent.resolve()),
        "output_dir_env": seen["output_dir_env"],
        "leftover_env": None,
        "given_env": "given",
        "mark": "second",
        "history": False,  # cells counted from 1 again must not clash in a history database
    }
    assert Path(seen["output_dir_env"]).name == result.run_id.join([".partial-", ""])
    monkeypatch.delenv("ONDERDAK_GIVEN")
    again = run_report(
        case, nb["checks"], {"mark": "third"}, out=tmp / "r", formats=[], kernel=kernel
    )
    assert _seen(again)["given_env"] is None and _seen(again)["mark"] == "third"
    executed = nbformat.read(again.folder / "checks.ipynb", 4)
    assert [c.execution_count for c in executed.cells if c.cell_type == "code"] == [1, 2, 3]


def test_a_failed_run_ends_the_kernel_and_the_next_run_gets_a_fresh_one(setup):
    case, nb, kernel, tmp = setup
    run_report(case, nb["leaves"], {}, out=tmp / "r", formats=[], kernel=kernel)
    with pytest.raises(ReportError, match="this run fails") as failed:
        run_report(case, nb["fails"], {}, out=tmp / "r", formats=[], kernel=kernel)
    assert kernel.km is None  # not trusted after a failure
    assert (failed.value.result.folder / "kernel-stderr.txt").is_file()
    result = run_report(case, nb["checks"], {}, out=tmp / "r", formats=[], kernel=kernel)
    assert kernel.started == 2 and _seen(result)["leftover"] is False


def test_the_kernel_is_renewed_after_its_runs(setup):
    case, nb, _, tmp = setup
    kernel = ReusedKernel(max_runs=2)
    try:
        for _ in range(3):
            run_report(case, nb["checks"], {}, out=tmp / "r", formats=[], kernel=kernel)
        assert kernel.started == 2
    finally:
        kernel.shutdown()
    assert kernel.km is None and not kernel.log.exists()


def _files(folder: Path) -> dict[str, bytes]:
    skip = {"manifest.json", "scenarios.ipynb"}  # timings, run ids and folders
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip
    }


@pytest.mark.slow
def test_a_report_on_a_kept_kernel_equals_one_on_a_fresh_kernel(tiny_case, tmp_path):
    """The scenarios report of the demo, made on a kernel that ran another case before, is the
    report a fresh kernel makes: every file, byte for byte (not the manifest's timings)."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "case.yaml").write_text(CASE.replace("reuse", "other"), encoding="utf-8")
    fresh = run_report(tiny_case, "scenarios", {}, out=tmp_path / "fresh", formats=["html"])
    kernel = ReusedKernel()
    try:
        run_report(
            other / "case.yaml",
            "scenarios",
            {"language": "en"},
            out=tmp_path / "o",
            formats=["html"],
            kernel=kernel,
        )
        kept = run_report(
            tiny_case, "scenarios", {}, out=tmp_path / "kept", formats=["html"], kernel=kernel
        )
        assert kernel.started == 1
    finally:
        kernel.shutdown()
    a, b = _files(fresh.folder), _files(kept.folder)
    assert sorted(a) == sorted(b) and len(a) > 5
    assert [k for k in a if a[k] != b[k]] == []


def test_a_kernel_that_cannot_start_is_a_report_error(setup, monkeypatch):
    case, nb, kernel, tmp = setup
    monkeypatch.setattr(
        kernel, "_start", lambda *a: (_ for _ in ()).throw(ReportError("no kernel"))
    )
    with pytest.raises(ReportError, match="no kernel"):
        run_report(case, nb["checks"], {}, out=tmp / "r", formats=[], kernel=kernel)
    assert not any(p.name.startswith(".partial") for p in (tmp / "r").iterdir())
    assert os.environ.get("ONDERDAK_OUTPUT_DIR") is None
