"""`onderdak run`: the need.csv contract, byte-identical results for the same seed, atomic writing."""

from __future__ import annotations

import filecmp

import pandas as pd

from onderdak.cli.main import main

NEED_COLUMNS = ["scenario", "stream", "unit", "period", "mean", "p05", "p10", "p50", "p90", "p95"]


def test_run_writes_need_csv_and_is_byte_identical(tmp_path, demo_case_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert (
        main(
            [
                "run",
                str(demo_case_path),
                "--out",
                str(a),
                "--paths",
                "60",
                "--scenario",
                "basis",
                "--scenario",
                "hoog",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "run",
                str(demo_case_path),
                "--out",
                str(b),
                "--paths",
                "60",
                "--scenario",
                "basis",
                "--scenario",
                "hoog",
            ]
        )
        == 0
    )
    need = pd.read_csv(a / "need.csv")
    assert sorted(need.columns) == sorted(NEED_COLUMNS)
    assert set(need["scenario"]) == {"basis", "hoog"}
    assert set(need["stream"]) == {"ukraine", "asylum", "status_holders"}
    assert need["period"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert (need["p05"] <= need["p50"] + 1e-9).all() and (need["p50"] <= need["p95"] + 1e-9).all()
    assert (a / "summary.json").exists()
    plan = pd.read_csv(a / "plan.csv")
    assert set(plan["scenario"]) == {"basis", "hoog"}
    assert {"location_id", "action", "quarter", "why"} <= set(plan.columns)
    for f in sorted(p.name for p in a.iterdir()):
        assert filecmp.cmp(a / f, b / f, shallow=False), f
    other = tmp_path / "c"
    assert (
        main(
            [
                "run",
                str(demo_case_path),
                "--out",
                str(other),
                "--paths",
                "60",
                "--scenario",
                "basis",
                "--seed",
                "99",
                "--no-plan",
            ]
        )
        == 0
    )
    assert not filecmp.cmp(a / "need.csv", other / "need.csv", shallow=False)
    assert not (other / "plan.csv").exists()  # --no-plan


def test_unknown_scenario_exits_2(tmp_path, demo_case_path, capsys):
    assert (
        main(["run", str(demo_case_path), "--out", str(tmp_path / "x"), "--scenario", "extreem"])
        == 2
    )
    assert "extreem" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
