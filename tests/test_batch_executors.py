"""The batch's executor seam, shards and --resume (onderdak.cli.executors, onderdak.cli.resume)."""

from __future__ import annotations

import json
import sys
from concurrent.futures import BrokenExecutor, Executor, Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from onderdak.cli import batch, executors, resume
from onderdak.cli.main import main
from onderdak.core.errors import InputError
from onderdak.region.file import Job


def test_shards_split_the_jobs_once_and_deterministically():
    jobs = list(range(10))
    parts = [executors.shard(jobs, (k, 3)) for k in (1, 2, 3)]
    assert parts == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]
    assert sorted(x for p in parts for x in p) == jobs
    assert executors.shard(jobs, None) == jobs
    assert executors.parse_shard("3/3") == (3, 3)
    for bad in ("0/3", "4/3", "1-3", "a/b", "1/"):
        with pytest.raises(InputError, match="--shard"):
            executors.parse_shard(bad)


class _DiesOnce(Executor):
    """An executor whose first call of each argument dies as a worker would (then runs inline)."""

    def __init__(self) -> None:
        self.seen: list[object] = []

    def submit(self, fn, /, *args, **kwargs):
        fut: Future = Future()
        if args[0] not in self.seen:
            self.seen.append(args[0])
            fut.set_exception(BrokenExecutor("worker died"))
        else:
            fut.set_result(fn(*args, **kwargs))
        return fut


def _double(x: int) -> dict:
    return {"status": "ok", "value": 2 * x}


def test_any_executor_runs_the_jobs_in_order_and_a_dead_worker_is_retried_once():
    with ThreadPoolExecutor(2) as pool:
        done = executors.run_jobs(_double, [(1,), (2,), (3,)], pool, progress=False)
    assert [a["value"] for a, _, _ in done] == [2, 4, 6]
    assert [runs for _, runs, _ in done] == [1, 1, 1]

    done = executors.run_jobs(_double, [(1,), (2,)], _DiesOnce(), progress=False)
    assert [(a["value"], runs, err) for a, runs, err in done] == [(2, 2, None), (4, 2, None)]


def test_a_worker_that_dies_twice_fails_its_job_only():
    class Always(_DiesOnce):
        def submit(self, fn, /, *args, **kwargs):
            if args[0] == 1:
                fut: Future = Future()
                fut.set_exception(BrokenExecutor("worker died"))
                return fut
            return super().submit(fn, *args, **kwargs)

    done = executors.run_jobs(_double, [(1,), (2,)], Always(), progress=False)
    assert done[0][0] is None and done[0][1] == 2 and executors.worker_lost(done[0][2])
    assert done[1][0] == {"status": "ok", "value": 4}


def _fake_work(calls: list):
    """A job function that writes a run folder with a manifest, as the report runner does."""

    def work(job, out, formats, no_pdf, reuse_kernel=True):
        from onderdak.core.version import __version__
        from onderdak.reporting.manifest import data_hashes

        calls.append(job.case.name)
        folder = Path(out) / f"run-{len(calls)}"
        folder.mkdir(parents=True)
        manifest = {
            "case": str(job.case.resolve()),
            "hashes": data_hashes(job.case),
            "package": {"version": __version__, "git_commit": "abc"},
        }
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        return {"status": "ok", "seconds": 0.1, "folder": str(folder), "message": ""}

    return work


def test_resume_skips_only_jobs_whose_inputs_are_unchanged(tmp_path, monkeypatch):
    monkeypatch.setattr("onderdak.reporting.manifest.git_commit", lambda: "abc")
    calls: list[str] = []
    monkeypatch.setattr(batch, "run_job", _fake_work(calls))
    cases = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        cases.append(tmp_path / name / "case.yaml")
        cases[-1].write_text(f"name: {name}\n", encoding="utf-8")
    jobs = [Job(c, None, "scenarios", (("paths", "50"),), c.parent.name) for c in cases]
    out = tmp_path / "reports"

    def run(**kw):
        with ThreadPoolExecutor(1) as pool:
            return batch.run_batch(jobs, 1, out, progress=False, executor=pool, **kw)

    first, folder = run()
    assert [r.status for r in first] == ["ok", "ok"] and len(calls) == 2
    assert json.loads((folder / resume.JOBS_FILE).read_text())[0]["status"] == "ok"

    again, _ = run(resume=True)
    assert len(calls) == 2, "nothing changed: nothing runs"
    assert all(r.extra["resumed"] and r.status == "ok" for r in again)
    assert [r.folder for r in again] == [r.folder for r in first]

    (tmp_path / "b" / "wijken.geojson").write_text("{}", encoding="utf-8")  # a file of the case
    third, _ = run(resume=True)
    assert calls[2:] == ["case.yaml"] and [r.extra["resumed"] for r in third] == [True, False]

    other = [Job(c, None, "scenarios", (("paths", "60"),), c.parent.name) for c in cases]
    with ThreadPoolExecutor(1) as pool:
        batch.run_batch(other, 1, out, progress=False, executor=pool, resume=True)
    assert len(calls) == 5, "other parameters: another request, run again"

    monkeypatch.setattr("onderdak.reporting.manifest.git_commit", lambda: "def")
    fourth, _ = run(resume=True)
    assert not any(r.extra["resumed"] for r in fourth), "other code: everything runs again"


def test_a_dirty_checkout_is_never_resumed(tmp_path, monkeypatch):
    monkeypatch.setattr("onderdak.reporting.manifest.git_commit", lambda: "abc+dirty")
    case = tmp_path / "case.yaml"
    case.write_text("name: a\n", encoding="utf-8")
    _fake_work([])(Job(case), tmp_path, None, False)
    run_folder = tmp_path / "run-1"
    manifest = json.loads((run_folder / "manifest.json").read_text())
    manifest["package"]["git_commit"] = "abc+dirty"
    (run_folder / "manifest.json").write_text(json.dumps(manifest))
    assert not resume.inputs_unchanged(run_folder)
    assert not resume.inputs_unchanged(tmp_path / "nowhere")


def test_shard_runs_its_part_of_the_batch(tmp_path, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(batch, "run_job", _fake_work(calls))
    jobs = []
    for name in "abcde":
        (tmp_path / name).mkdir()
        (tmp_path / name / "case.yaml").write_text(f"name: {name}\n", encoding="utf-8")
        jobs.append(Job(tmp_path / name / "case.yaml", label=name))
    with ThreadPoolExecutor(1) as pool:
        results, _ = batch.run_batch(
            jobs, 1, tmp_path / "r", progress=False, executor=pool, shard=(2, 2)
        )
    assert [r.job.label for r in results] == ["b", "d"]


def test_dask_asked_but_not_installed_is_a_clear_error(
    tmp_path, demo_case_path, capsys, monkeypatch
):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    code = main(
        [
            "batch",
            str(demo_case_path),
            "--executor",
            "dask",
            "--out",
            str(tmp_path),
            "--no-progress",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "Dask is not installed" in err and "onderdak[dask]" in err
    assert not (tmp_path / "batches").exists(), "refused before any work"


def test_a_scheduler_needs_the_dask_executor(tmp_path, demo_case_path, capsys):
    code = main(["batch", str(demo_case_path), "--scheduler", "tcp://x:1", "--out", str(tmp_path)])
    assert code == 2 and "--scheduler" in capsys.readouterr().err
