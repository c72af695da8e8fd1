"""The batch on a Dask LocalCluster (2 worker processes, 1 thread each), and a worker killed mid-batch.

The jobs are national-run jobs (:func:`onderdak.region.national.municipality_job`): a starter case
from ../shared/data, every scenario simulated, the results written whole.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from onderdak.cli import executors  # noqa: E402
from onderdak.region.national import municipality_job  # noqa: E402

pytestmark = [pytest.mark.shared, pytest.mark.slow]

CODES = ("GM0797", "GM0148", "GM0302")  # Heusden, Dalfsen, Nunspeet: small, quick
PATHS = 100


def _calls(shared: Path, work: Path, codes=CODES) -> list[tuple]:
    return [(c, str(shared), str(work), 2026, "2026-II", PATHS) for c in codes]


def dies_once_mid_write(code, source, work, year, half_year, paths, victim, marker):
    """The victim's first run starts writing its results, then its worker is killed (SIGKILL)."""
    if code == victim and not Path(marker).exists():
        from onderdak.pipeline.results import fresh_folder

        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        with fresh_folder(Path(work) / "results" / code.lower()) as tmp:
            (tmp / "need.csv").write_text("scenario,stream\nbasis,", encoding="utf-8")  # half
            os.kill(os.getpid(), signal.SIGKILL)
    return municipality_job(code, source, work, year, half_year, paths)


@pytest.fixture(scope="module")
def by_value():
    """The killer above travels to the workers by value (the workers need not import tests/)."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def test_a_small_batch_runs_on_a_dask_local_cluster(shared_data, tmp_path):
    with executors.open_executor("dask", 2) as pool:
        from distributed import Client

        client = Client.current()
        info = client.scheduler_info()["workers"]
        assert len(info) == 2 and {w["nthreads"] for w in info.values()} == {1}
        done = executors.run_jobs(
            municipality_job, _calls(shared_data, tmp_path), pool, 2, progress=False
        )
    assert [(a["status"], runs, err) for a, runs, err in done] == [("ok", 1, None)] * 3
    assert [a["row"]["code"] for a, _, _ in done] == list(CODES)
    for code in CODES:
        assert (tmp_path / "results" / code.lower() / "summary.json").is_file()


def _partials(work: Path) -> list[str]:
    return sorted(p.name for p in (work / "results").iterdir() if p.name.startswith("."))


def test_a_worker_killed_mid_batch_its_job_runs_once_more_and_nothing_is_half_written(
    shared_data, tmp_path, by_value
):
    marker = tmp_path / "killed"
    calls = [(*c, "GM0148", str(marker)) for c in _calls(shared_data, tmp_path)]
    with executors.open_executor("dask", 2) as pool:
        done = executors.run_jobs(dies_once_mid_write, calls, pool, 2, progress=False)
    assert marker.is_file(), "the victim's worker was killed"
    assert [(a["status"], runs) for a, runs, _ in done] == [("ok", 1), ("ok", 2), ("ok", 1)]
    results = tmp_path / "results"
    assert sorted(p.name for p in results.iterdir() if not p.name.startswith(".")) == [
        "gm0148",
        "gm0302",
        "gm0797",
    ]
    assert _partials(tmp_path) == [], "the killed run's temporary folder is gone"
    need = (results / "gm0148" / "need.csv").read_text(encoding="utf-8")
    assert need.startswith("scenario,stream,unit,period") and len(need.splitlines()) > 100


def test_the_local_pool_runs_a_killed_job_once_more_too(shared_data, tmp_path):
    marker = tmp_path / "killed"
    calls = [(*c, "GM0797", str(marker)) for c in _calls(shared_data, tmp_path, CODES[:2])]
    done = executors.run_jobs(dies_once_mid_write, calls, None, 2, progress=False)
    assert marker.is_file()
    assert [a["status"] for a, _, _ in done] == ["ok", "ok"]
    assert done[0][1] == 2, "the victim ran twice"
    assert _partials(tmp_path) == []
    assert (tmp_path / "results" / "gm0797" / "summary.json").is_file()
