"""Tests of onderdak.reporting.parameters: reading a parameters cell and strict -p checking."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.core.errors import InputError
from onderdak.reporting.parameters import (
    Parameter,
    check_defaults,
    check_value,
    parse_assignments,
    parse_parameters,
    read_parameters,
    validate,
)

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "notebooks" / "tiny.ipynb"

CELL = """\
case_path: str | None = None  # case file (set by onderdak report)
paths: int = 2000  # Monte-Carlo paths
level: float = 1.0  # multiplies the inflow
show_backtest: bool = True  # include the backtest section
streams: list[str] = ["ukraine", "asylum"]  # streams to show
language: Literal["nl", "en"] = "nl"  # report language
seed: Optional[int] = None  # seed (None: the case's)
weights: dict[str, float] = {"cost": 0.5}  # MCA weights
plain = 3  # no annotation
"""


@pytest.fixture
def declared() -> dict[str, Parameter]:
    return parse_parameters(CELL)


def test_parse_reads_names_types_defaults_and_help(declared):
    assert list(declared) == [
        "case_path",
        "paths",
        "level",
        "show_backtest",
        "streams",
        "language",
        "seed",
        "weights",
        "plain",
    ]
    assert declared["paths"] == Parameter("paths", "int", 2000, "Monte-Carlo paths")
    assert declared["case_path"].annotation == "str | None"
    assert declared["streams"].default == ["ukraine", "asylum"]
    assert declared["plain"].annotation == "int"
    assert declared["plain"].help == "no annotation"
    assert check_defaults(declared) == []


def test_parse_refuses_logic_in_the_cell():
    with pytest.raises(InputError, match="line 2"):
        parse_parameters("a: int = 1\nfor i in range(3): pass\n")
    with pytest.raises(InputError, match="not valid Python"):
        parse_parameters("a: int = \n")


def test_text_values_are_converted_to_the_declared_type(declared):
    values = validate(
        declared,
        {
            "paths": "500",
            "level": "1.5",
            "show_backtest": "nee",
            "streams": "asylum, status_holders",
            "language": "en",
            "seed": "none",
            "case_path": "x.yaml",
            "weights": '{"cost": 1}',
        },
    )
    assert values == {
        "paths": 500,
        "level": 1.5,
        "show_backtest": False,
        "streams": ["asylum", "status_holders"],
        "language": "en",
        "seed": None,
        "case_path": "x.yaml",
        "weights": {"cost": 1.0},
    }
    assert validate(declared, {"streams": '["a", "b"]'})["streams"] == ["a", "b"]
    assert validate(declared, {"seed": "7"})["seed"] == 7
    assert validate(declared, {"case_path": "None"})["case_path"] is None


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("paths", "1.5", "whole number"),
        ("paths", "many", "whole number"),
        ("level", "high", "a number"),
        ("show_backtest", "maybe", "true or false"),
        ("language", "de", "one of"),
        ("seed", "x", "whole number"),
        ("weights", "[1]", "mapping"),
    ],
)
def test_wrong_types_are_input_errors_listing_valid_parameters(declared, name, value, reason):
    with pytest.raises(InputError) as info:
        validate(declared, {name: value}, "scenarios.ipynb")
    text = str(info.value)
    assert f"`{name}`" in text and reason in text
    assert "valid parameters of scenarios.ipynb" in text
    assert "paths: int = 2000  — Monte-Carlo paths" in text


def test_unknown_name_suggests_the_closest_and_reserved_names_are_refused(declared):
    with pytest.raises(InputError) as info:
        validate(declared, {"pahts": "10"}, "x.ipynb")
    assert "`pahts` is not a parameter of x.ipynb (did you mean `paths`?)" in str(info.value)
    with pytest.raises(InputError, match="CASE argument"):
        validate(
            declared,
            {"case_path": "a"},
            reserved={"case_path": "give the case as the CASE argument"},
        )


def test_python_values_are_checked_without_parsing(declared):
    assert validate(declared, {"level": 2}, from_text=False) == {"level": 2.0}
    with pytest.raises(InputError):
        validate(declared, {"paths": "500"}, from_text=False)
    with pytest.raises(InputError):
        validate(declared, {"paths": True}, from_text=False)
    with pytest.raises(InputError):
        validate(declared, {"streams": ["a", 1]}, from_text=False)


def test_a_default_that_does_not_fit_its_type_is_reported():
    problems = check_defaults(parse_parameters('n: int = "ten"  # oops\n'))
    assert problems and "`n`" in problems[0]


def test_parse_assignments():
    assert parse_assignments(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(InputError, match="name=value"):
        parse_assignments(["novalue"])


@settings(max_examples=50, deadline=None)
@given(
    n=st.integers(-(10**12), 10**12),
    x=st.floats(allow_nan=False, allow_infinity=False),
    words=st.lists(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), max_size=5),
    b=st.booleans(),
)
def test_text_round_trip(n, x, words, b):
    assert check_value(Parameter("n", "int", 0, ""), str(n)) == n
    assert check_value(Parameter("x", "float", 0.0, ""), repr(x)) == x
    assert check_value(Parameter("w", "list[str]", [], ""), ",".join(words)) == words
    assert check_value(Parameter("b", "bool", False, ""), str(b)) is b


def test_the_test_notebook_declares_parameters():
    declared = read_parameters(TINY)
    assert {"case_path", "output_dir", "points", "fail"} <= set(declared)
    assert check_defaults(declared) == []


@pytest.mark.parametrize(
    "notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem
)
def test_every_report_notebook_has_a_valid_parameters_cell(notebook):
    declared = read_parameters(notebook)
    assert declared, f"{notebook.name} has no cell tagged `parameters`"
    assert check_defaults(declared) == []
    missing = [p.name for p in declared.values() if not p.help]
    assert not missing, f"{notebook.name}: parameters without a `# help` comment: {missing}"
