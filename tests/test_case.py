"""Case files: validation, scenario overrides, error messages, committed schema in sync."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from onderdak.case.settings import BASE, deep_merge, load_case, load_case_file, schema_text
from onderdak.cli.main import main
from onderdak.core.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "case.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def _demo_dict(demo_case_path: Path) -> dict:
    data = yaml.safe_load(demo_case_path.read_text(encoding="utf-8"))
    data.pop("locations", None)
    data.pop("geo", None)
    return data


def test_demo_case_validates_with_all_scenarios(demo_case_path):
    cases = load_case_file(demo_case_path)
    assert BASE in cases and "hoog" in cases
    assert cases["hoog"].inflow.national_scenario == "hoog"
    assert cases[BASE].inflow.national_scenario == "midden"
    assert cases["hoog"].scenario == "hoog"
    assert cases[BASE].municipality.population_persons == 46000
    assert len(cases[BASE].periods) == 120 and cases[BASE].periods.name == "period"


def test_deep_merge_keeps_untouched_fields():
    base = {"a": {"x": 1, "y": 2}, "b": 3}
    assert deep_merge(base, {"a": {"y": 5}}) == {"a": {"x": 1, "y": 5}, "b": 3}
    assert base == {"a": {"x": 1, "y": 2}, "b": 3}


def test_unknown_field_in_scenario_names_file_scenario_and_field(tmp_path, demo_case_path):
    data = _demo_dict(demo_case_path)
    data["scenarios"]["hoog"] = {"inflow": {"national_scenaro": "hoog"}}
    path = _write(tmp_path, data)
    with pytest.raises(InputError) as err:
        load_case_file(path)
    msg = str(err.value)
    assert "case.yaml" in msg and "scenario 'hoog'" in msg and "inflow.national_scenaro" in msg


def test_wrong_value_is_reported_with_its_value(tmp_path, demo_case_path):
    data = _demo_dict(demo_case_path)
    data["municipality"]["population_persons"] = -20
    path = _write(tmp_path, data)
    with pytest.raises(InputError) as err:
        load_case(path)
    assert "municipality.population_persons" in str(err.value) and "-20" in str(err.value)


def test_validate_cli_exit_codes(tmp_path, demo_case_path, capsys):
    data = _demo_dict(demo_case_path)
    good = _write(tmp_path, data)
    assert main(["validate", str(good)]) == 0
    data["start"] = "januari 2026"
    bad = _write(tmp_path, data)
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "field `start`" in err and "Traceback" not in err


def test_broken_yaml_names_the_line(tmp_path):
    p = tmp_path / "case.yaml"
    p.write_text("name: demo\nmunicipality: [unclosed\n", encoding="utf-8")
    assert main(["validate", str(p)]) == 2


def test_unknown_scenario_is_an_input_error(demo_case_path):
    with pytest.raises(InputError, match="no scenario 'extreem'"):
        load_case(demo_case_path, "extreem")


def test_committed_schema_is_in_sync():
    committed = (ROOT / "data" / "cases" / "case.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run `onderdak schema --out data/cases/case.schema.json`"


def test_realised_half_years_must_be_in_order(tmp_path, demo_case_path):
    data = _demo_dict(demo_case_path)
    data["status_holders"]["realised"] = [
        {"half_year": "2025-II", "taakstelling_persons": 48, "housed_persons": 45},
        {"half_year": "2025-I", "taakstelling_persons": 52, "housed_persons": 49},
    ]
    with pytest.raises(InputError) as err:
        load_case(_write(tmp_path, data))
    assert "status_holders.realised" in str(err.value) and "oldest first" in str(err.value)
    data["status_holders"]["realised"] = [
        {"half_year": "2025-3", "taakstelling_persons": 1, "housed_persons": 1}
    ]
    with pytest.raises(InputError, match="half_year"):
        load_case(_write(tmp_path, data))
