"""`onderdak rerun MANIFEST --verify` (issue 16): a report run again from its manifest gives
byte-identical results; the manifest records argv, every parameter as used, the dependencies'
versions and the code version."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from onderdak.cli.main import main


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, demo_case_path) -> Path:
    out = tmp_path_factory.mktemp("rerun")
    args = ["report", str(demo_case_path), "--notebook", "scenarios", "--out", str(out)]
    assert main([*args, "-p", "paths=60", "--formats", "html"]) == 0
    return (out / "latest").resolve() / "manifest.json"


def test_the_manifest_says_how_the_run_was_made(first_run: Path):
    m = json.loads(first_run.read_text(encoding="utf-8"))
    assert m["parameters_effective"]["paths"] == 60
    assert m["parameters_effective"]["language"] == "nl"  # a notebook default, recorded
    assert m["rerun"]["parameters"] == {"paths": 60} and m["rerun"]["formats"] == ["html"]
    assert "numpy" in m["environment"]["packages"] and "pandas" in m["environment"]["packages"]
    commit = m["package"]["git_commit"]
    assert commit is None or re.fullmatch(r"[0-9a-f]{40}(\+dirty)?", commit)
    assert isinstance(m["argv"], list)


@pytest.mark.slow
def test_a_rerun_verifies_and_a_changed_result_is_named(first_run: Path, tmp_path: Path, capsys):
    assert main(["rerun", str(first_run), "--out", str(tmp_path / "again"), "--verify"]) == 0
    assert "byte-identical" in capsys.readouterr().out
    tampered = json.loads(first_run.read_text(encoding="utf-8"))
    name = next(k for k in tampered["outputs"] if k.startswith("results/"))
    tampered["outputs"][name] = "0" * 64
    (tmp_path / "manifest.json").write_text(json.dumps(tampered), encoding="utf-8")
    assert (
        main(["rerun", str(tmp_path / "manifest.json"), "--out", str(tmp_path / "x"), "--verify"])
        == 1
    )
    assert name in capsys.readouterr().out


def test_a_manifest_without_a_rerun_section_is_refused(tmp_path: Path, capsys):
    (tmp_path / "manifest.json").write_text(json.dumps({"run_id": "old"}), encoding="utf-8")
    assert main(["rerun", str(tmp_path / "manifest.json")]) == 2
    assert "rerun" in capsys.readouterr().err
