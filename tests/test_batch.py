"""Tests of onderdak.cli.batch and `onderdak batch`: isolated parallel runs, continue on error, summary."""

from __future__ import annotations

import csv
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from onderdak.cli import batch
from onderdak.cli.main import main
from onderdak.core.errors import InputError
from onderdak.region import file as region_file

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
    name, jobs = region_file.jobs_for_region(region)
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
        region_file.jobs_for_region(region)
    region.write_text("municipalities:\n  - case: missing.yaml\n", encoding="utf-8")
    with pytest.raises(InputError, match="not found"):
        region_file.jobs_for_region(region)


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
    assert re.search(r"failed in cell \d+ \(`check = 1 / \(0 if fail", res_a[1].message)
    assert batch.exit_code(res_a) == 1 and batch.exit_code(res_b) == 2
    rows = list(csv.DictReader(open(folder_a / "summary.csv", encoding="utf-8")))
    assert [r["status"] for r in rows] == ["ok", "failed"] and rows[1]["scenario"] == "hoog"
    table = batch.summary_table(res_a)
    assert "failed" in table and "seconds" in table


def test_cli_batch_prints_the_summary_and_exits_non_zero(tmp_path, capsys, monkeypatch):
    case = write_case(tmp_path / "case", "cli")
    seen = {}

    def fake_run_batch(jobs, workers, out, formats, name, progress, no_pdf=False, **executor):
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


# -- regions: the overview after the runs -------------------------------------------------------
REGION_CASE = """\
name: {name}
fictional: true
municipality: {{name: Gemeente {title}, code: GM999{code}, population_persons: {population}, region: Regio Test}}
start: 2026-01
price_year: 2026
paths: 40
"""


def write_region(folder: Path, fail: str | None = None, extra: str = "") -> Path:
    """A region of two small municipalities (no registers, 40 paths) run with the tiny notebook."""
    for code, (name, population) in enumerate((("noord", 12_000), ("zuid", 30_000)), start=1):
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "case.yaml").write_text(
            REGION_CASE.format(name=name, title=name.title(), code=code, population=population),
            encoding="utf-8",
        )
    entries = "".join(
        f"  - case: {n}/case.yaml\n" + ("    parameters: {fail: true}\n" if n == fail else "")
        for n in ("noord", "zuid")
    )
    region = folder / "region.yaml"
    region.write_text(
        f"name: regio-test\ntitle: Regio Test (fictief)\nnotebook: {TINY}\n"
        f"parameters: {{points: 3}}\n{extra}municipalities:\n{entries}",
        encoding="utf-8",
    )
    return region


def test_region_file_title_overview_and_name(tmp_path):
    path = write_region(tmp_path, extra="overview: false\n")
    spec = region_file.read_region(path, parameters={"language": "en"})
    assert (spec.name, spec.title, spec.overview, spec.language) == (
        "regio-test",
        "Regio Test (fictief)",
        False,
        "en",
    )
    assert [j.label for j in spec.jobs] == ["noord", "zuid"]
    path.write_text(path.read_text().replace("name: regio-test", "name: regio test"))
    with pytest.raises(InputError, match="field `name`: 'regio test' must use only letters"):
        region_file.read_region(path)


def test_summary_has_labels_and_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    job = batch.Job(Path("a/case.yaml"), None, "tiny", (), "noord")
    batch.write_summary([batch.JobResult(job, "ok", 1.5, "reports/a/run1")], Path("summary.csv"))
    (row,) = csv.DictReader(open("summary.csv", encoding="utf-8"))
    assert row["label"] == "noord" and row["seconds"] == "1.5"
    assert row["case"] == str(tmp_path / "a" / "case.yaml")
    assert row["folder"] == str(tmp_path / "reports" / "a" / "run1")


def test_cli_bad_region_file_exits_2_naming_file_and_field(tmp_path, capsys):
    region = tmp_path / "r.yaml"
    region.write_text("municipalities:\n  - case: x.yaml\n    sceanrio: hoog\n", encoding="utf-8")
    assert main(["batch", "--region", str(region)]) == 2
    err = capsys.readouterr().err
    assert "r.yaml, field `municipalities.0.sceanrio`" in err and "Traceback" not in err


def test_region_case_is_the_region_as_one_case(tmp_path):
    from onderdak.case.settings import load_case

    spec = region_file.read_region(write_region(tmp_path))
    results = [
        batch.JobResult(spec.jobs[0], "ok", 1.0),
        batch.JobResult(spec.jobs[1], "failed", 1.0),
    ]
    case = load_case(batch.write_region_case(spec, results, tmp_path))
    assert case.name == "regio-test" and case.fictional
    assert case.municipality.name == "Regio Test (fictief)"
    assert case.municipality.population_persons == 12_000  # the municipalities that ran
    assert case.title == "Opvang en huisvesting 2026–2035 — Regio Test (fictief)"


def test_cli_region_runs_the_overview_and_keeps_the_exit_code(tmp_path, capsys, monkeypatch):
    region = write_region(tmp_path)
    calls = []

    def fake_run_batch(jobs, workers, out, formats, name, progress, no_pdf=False, **executor):
        statuses = ["ok", "failed"]
        results = [
            batch.JobResult(j, s, 1.0, str(tmp_path / j.label))
            for j, s in zip(jobs, statuses, strict=True)
        ]
        return results, tmp_path

    class Done:
        folder, seconds = tmp_path / "reports" / "regio-test" / "run", 2.0

    def fake_overview(spec, results, folder, out, formats, no_pdf):
        calls.append((spec.name, [r.status for r in results], folder, formats))
        return Done()

    monkeypatch.setattr(batch, "run_batch", fake_run_batch)
    monkeypatch.setattr(batch, "run_overview", fake_overview)
    assert main(["batch", "--region", str(region), "--formats", "html"]) == 1
    out = capsys.readouterr().out
    assert calls == [("regio-test", ["ok", "failed"], tmp_path, ("html",))]
    assert "regional overview written to" in out and "without zuid" in out
    assert main(["batch", "--region", str(region), "--no-overview"]) == 1
    assert len(calls) == 1

    def failing_overview(*args):
        from onderdak.core.errors import ReportError

        raise ReportError("region.ipynb failed in cell 3")

    monkeypatch.setattr(batch, "run_overview", failing_overview)
    monkeypatch.setattr(batch, "exit_code", lambda results: 0)
    assert main(["batch", "--region", str(region)]) == 1
    assert "regional overview failed: region.ipynb failed in cell 3" in capsys.readouterr().err


@pytest.mark.slow
def test_region_batch_with_a_failed_municipality_builds_the_overview(tmp_path, capsys, monkeypatch):
    """One municipality fails: the overview covers the other, names the missing one; exit 1.

    Run without --out from another folder: run folders are relative (reports/<case>/...), and the
    overview, which runs in notebooks/, must still find them.
    """
    region = write_region(tmp_path / "regio", fail="zuid")
    monkeypatch.chdir(tmp_path)
    args = ["batch", "--region", str(region), "--workers", "2"]
    code = main(args + ["--formats", "html", "--no-progress"])
    out = tmp_path / "reports"
    printed = capsys.readouterr().out
    assert code == 1
    assert "1 of 2 runs succeeded" in printed and "without zuid" in printed
    summary = next(out.glob("batches/*/summary.csv"))
    rows = list(csv.DictReader(open(summary, encoding="utf-8")))
    assert [(r["label"], r["status"]) for r in rows] == [("noord", "ok"), ("zuid", "failed")]
    assert (summary.parent / "region-case.yaml").is_file()
    assert next(out.glob("zuid/failed-*/tiny.ipynb")).is_file()  # the error notebook is kept
    overview = out / "regio-test" / "latest"
    html = (overview / "region.html").read_text(encoding="utf-8")
    assert "Niet in dit overzicht (run mislukt): zuid." in html and "Noord" in html
    assert "Traceback" not in html
    manifest = json.loads((overview / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebook"] == "region" and manifest["parameters"]["region"] == str(
        summary.resolve()
    )
