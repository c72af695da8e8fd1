"""Tests of model.batch and `onderdak batch`: isolated parallel runs, continue on error, summary."""

from __future__ import annotations

import csv
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from model import batch
from model.cli import main
from model.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "notebooks" / "tiny.ipynb"

CASE_YAML = """\
name: {name}
fictional: true
municipality: {{name: Gemeente {name}, code: GM9997, population_persons: 20000}}
start: 2026-01
price_year: 2026
scenarios:
  hoog:
    inflow: {{national_scenario: hoog}}
"""


def write_case(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "case.yaml"
    path.write_text(CASE_YAML.format(name=name), encoding="utf-8")
    return path


def test_jobs_for_cases_expands_scenarios(tmp_path):
    case = write_case(tmp_path / "a", "a")
    jobs = batch.jobs_for_cases([case], ["all"], "tiny", {"points": "3"})
    assert [j.scenario for j in jobs] == ["basis", "hoog"]
    assert jobs[0].parameters == (("points", "3"),)


def test_region_file_merges_defaults_and_resolves_paths(tmp_path):
    write_case(tmp_path / "cases" / "noord", "noord")
    write_case(tmp_path / "cases" / "zuid", "zuid")
    region = tmp_path / "regio" / "regio.yaml"
    region.parent.mkdir()
    region.write_text(
        "name: regio-test\nnotebook: scenarios\nparameters: {points: 4, labels: [a, b], fail: false}\n"
        "municipalities:\n"
        "  - case: ../cases/noord/case.yaml\n"
        "  - case: ../cases/zuid/case.yaml\n    scenario: hoog\n    parameters: {points: 5}\n",
        encoding="utf-8",
    )
    name, jobs = batch.jobs_for_region(region)
    assert name == "regio-test"
    assert [j.label for j in jobs] == ["noord", "zuid"]
    assert jobs[0].case == region.parent / "../cases/noord/case.yaml"
    assert dict(jobs[0].parameters) == {"points": "4", "labels": '["a", "b"]', "fail": "false"}
    assert dict(jobs[1].parameters)["points"] == "5" and jobs[1].scenario == "hoog"
    assert jobs[1].notebook == "scenarios"


def test_bad_region_file_names_the_field(tmp_path):
    region = tmp_path / "r.yaml"
    region.write_text("municipalities:\n  - case: x.yaml\n    sceanrio: hoog\n", encoding="utf-8")
    with pytest.raises(InputError, match="r.yaml, field `municipalities.0.sceanrio`"):
        batch.jobs_for_region(region)
    region.write_text("municipalities:\n  - case: missing.yaml\n", encoding="utf-8")
    with pytest.raises(InputError, match="not found"):
        batch.jobs_for_region(region)


def test_cli_batch_needs_cases_or_region(capsys):
    assert main(["batch"]) == 2
    assert "give one or more case files" in capsys.readouterr().err


@pytest.mark.slow
def test_two_batches_at_once_do_not_collide_and_failures_are_kept(tmp_path):
    """Two batches on the same case and report root: every run gets its own folder, one fails."""
    case = write_case(tmp_path / "case", "gedeeld")
    out = tmp_path / "reports"
    good = batch.jobs_for_cases([case], None, str(TINY), {"points": "3"})
    bad = batch.jobs_for_cases([case], ["hoog"], str(TINY), {"fail": "true"})
    invalid = batch.jobs_for_cases([case], None, str(TINY), {"points": "abc"})

    def one(jobs):
        return batch.run_batch(jobs, workers=2, out=out, formats=("html",), progress=False)

    with ThreadPoolExecutor(2) as pool:
        (res_a, folder_a), (res_b, folder_b) = pool.map(one, [good + bad, good + invalid])

    assert folder_a != folder_b
    results = res_a + res_b[:1]
    assert [r.status for r in res_a] == ["ok", "failed"]
    assert [r.status for r in res_b] == ["ok", "invalid"]
    assert "`points` = 'abc' does not fit type `int`" in res_b[1].message
    folders = [Path(r.folder) for r in results]
    assert len(set(folders)) == 3 and all(f.parent == out for f in folders)
    for r in (res_a[0], res_b[0]):
        manifest = json.loads((Path(r.folder) / "manifest.json").read_text())
        assert manifest["run_id"] == Path(r.folder).name
        assert (Path(r.folder) / "tiny.html").exists()
    failed = Path(res_a[1].folder)
    assert failed.name.startswith("failed-") and (failed / "tiny.ipynb").exists()
    assert "failed in cell 8" in res_a[1].message
    assert batch.exit_code(res_a) == 1 and batch.exit_code(res_b) == 2
    rows = list(csv.DictReader(open(folder_a / "summary.csv", encoding="utf-8")))
    assert [r["status"] for r in rows] == ["ok", "failed"] and rows[1]["scenario"] == "hoog"
    table = batch.summary_table(res_a)
    assert "failed" in table and "seconds" in table


def test_cli_batch_prints_the_summary_and_exits_non_zero(tmp_path, capsys, monkeypatch):
    case = write_case(tmp_path / "case", "cli")
    seen = {}

    def fake_run_batch(jobs, workers, out, formats, name, progress, no_pdf=False):
        seen.update(jobs=jobs, workers=workers, formats=formats, no_pdf=no_pdf)
        results = [
            batch.JobResult(jobs[0], "ok", 3.0, str(tmp_path / "r" / "run1")),
            batch.JobResult(jobs[1], "failed", 4.0, str(tmp_path / "r" / "failed-run2"), "cell 8"),
        ]
        return results, tmp_path / "batch"

    monkeypatch.setattr(batch, "run_batch", fake_run_batch)
    args = ["batch", str(case), "--scenario", "all", "--notebook", "tiny", "--workers", "3"]
    code = main(args + ["--formats", "html", "--no-pdf", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 1
    assert [j.scenario for j in seen["jobs"]] == ["basis", "hoog"]
    assert seen["workers"] == 3 and seen["formats"] == ("html",) and seen["no_pdf"]
    assert "failed-run2" in out and "1 of 2 runs succeeded" in out
