"""Issue 14, case files: NaN and absurd numbers, duplicate keys, encodings, alias bombs, deep nesting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from onderdak.case.settings import load_case_file
from onderdak.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo"
DEMO_TEXT = (DEMO / "case.yaml").read_text(encoding="utf-8")


def demo_copy(tmp_path: Path, old: str = "", new: str = "", append: str = "") -> Path:
    for f in DEMO.iterdir():
        if f.is_file():
            shutil.copy(f, tmp_path / f.name)
    text = DEMO_TEXT.replace(old, new) if old else DEMO_TEXT
    path = tmp_path / "case.yaml"
    path.write_text(text + append, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("backlog_persons_at_start: 6", "backlog_persons_at_start: .nan", "finite number"),
        ("backlog_persons_at_start: 6", "backlog_persons_at_start: .inf", "finite number"),
        (
            "population_persons: 46000",
            "population_persons: 30000000",
            "inhabitants of the Netherlands",
        ),
        ("population_persons: 46000", "population_persons: 1.0e+35", "population_persons"),
        ("backlog_persons_at_start: 6", "backlog_persons_at_start: 1.0e+9", "inhabitants"),
        ("agreed_places: null", "agreed_places: 5000000", "inhabitants"),
    ],
)
def test_nan_and_absurd_numbers_are_refused_once(tmp_path, capsys, old, new, expected):
    case = demo_copy(tmp_path, old, new)
    assert main(["validate", str(case)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    field = new.split(":")[0].strip()
    assert err.count(f"{field}`") + err.count(f"{field} ") <= 2  # once, not once per scenario
    assert "scenario 'laag'" not in err


def test_duplicate_yaml_keys_are_refused(tmp_path, capsys):
    case = demo_copy(tmp_path, "seed: 20261123", "seed: 20261123\nseed: 7")
    assert main(["validate", str(case)]) == 2
    assert "key 'seed' is given twice" in capsys.readouterr().err


def test_a_merge_key_may_be_overridden(tmp_path):
    from onderdak.case.settings import read_yaml

    path = tmp_path / "c.yaml"
    path.write_text("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  x: 3\n", encoding="utf-8")
    assert read_yaml(path)["other"] == {"x": 3, "y": 2}


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_case_file_encodings(tmp_path, encoding):
    path = demo_copy(tmp_path)
    text = DEMO_TEXT.replace('title: "Opvang', 'title: "Café Opvang')
    path.write_bytes(text.encode(encoding))
    assert load_case_file(path)["basis"].title.startswith("Café Opvang")


def test_a_yaml_alias_bomb_is_refused_quickly_and_not_printed(tmp_path, capsys):
    bomb = 'a: &a ["xxxxxxxx","xxxxxxxx","xxxxxxxx","xxxxxxxx","xxxxxxxx","xxxxxxxx","xxxxxxxx","xxxxxxxx","xxxxxxxx","xxxxxxxx"]\n'
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 10) + "]\n"
    path = demo_copy(tmp_path)
    path.write_text(
        bomb
        + DEMO_TEXT.replace(
            'title: "Opvang en huisvesting — Gemeente Voorbeeld (fictief)"', "title: *i"
        ),
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "YAML aliases" in err and len(err) < 500


def test_a_typed_field_with_a_big_value_prints_it_short(tmp_path, capsys):
    path = demo_copy(
        tmp_path,
        'title: "Opvang en huisvesting — Gemeente Voorbeeld (fictief)"',
        "title: [" + ",".join(["xxxxxxxxxx"] * 5000) + "]",
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "field `title`" in err and len(err) < 1000


def test_deep_nesting_and_folders_are_refused(tmp_path, capsys):
    path = demo_copy(tmp_path, append="\nextra: " + "[" * 5000 + "]" * 5000 + "\n")
    assert main(["validate", str(path)]) == 2
    assert "nested" in capsys.readouterr().err
    assert main(["validate", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
