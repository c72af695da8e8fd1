"""Blank running costs take the sourced reference per kind, with a note; implausible costs per place-day are flagged."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from onderdak.case.locations import OrganisationSettings
from onderdak.cli.main import main
from onderdak.io.reference import table
from onderdak.register.costs import cost_reference, running_cost_eur_per_place_day
from onderdak.register.locations import read_register
from onderdak.reporting.register_text import note_text

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "id,name,status,kind,streams,capacity_places,fixed_opex_eur_per_year,"
    "variable_opex_eur_per_place_day,staff_fte\n"
)
NO_STAFF = OrganisationSettings(location_manager_fte_per_location=0, staff_fte_per_100_residents=0)


def register(tmp_path: Path, body: str, organisation=NO_STAFF):
    path = tmp_path / "locaties.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return read_register(path, organisation=organisation)


def test_blank_running_cost_takes_the_reference_of_its_kind(tmp_path):
    reg = register(tmp_path, "A,School (fictief),existing,municipal_building,ukraine,80,,,\n")
    ref = table("running_costs_by_kind").set_index(["kind", "stream"])
    per_day = float(ref.at[("municipal_building", "ukraine"), "eur_per_place_day"])
    assert per_day == 57.5  # midpoint of the G4 range 55-60
    # per realised place-day -> fixed opex; the G4 figure includes staff -> no staff line
    assert reg.table.at["A", "fixed_opex_eur_per_year"] == pytest.approx(57.5 * 80 * 365)
    assert reg.table.at["A", "variable_opex_eur_per_place_day"] == 0
    assert reg.table.at["A", "staff_fte"] == 0
    (note,) = reg.notes
    assert (note.code, note.location_id, note.row, note.field) == (
        "running_cost_from_reference",
        "A",
        2,
        "fixed_opex_eur_per_year",
    )
    assert note.value == pytest.approx(57.5 * 80 * 365)
    assert (note.low_eur_per_place_day, note.high_eur_per_place_day) == (55, 60)
    assert "G4" in note.source and note.staff_included


def test_a_hotel_is_charged_per_occupied_place_day(tmp_path):
    reg = register(tmp_path, "H,Hotel (fictief),candidate,hotel,ukraine,40,,,\n")
    assert reg.table.at["H", "variable_opex_eur_per_place_day"] == 75
    assert reg.table.at["H", "fixed_opex_eur_per_year"] == 0
    assert reg.notes[0].field == "variable_opex_eur_per_place_day"
    assert reg.notes[0].high_eur_per_place_day == pytest.approx(91_000 / 365, abs=0.01)


@pytest.mark.parametrize(
    ("kind", "stream"),
    [("coa_location", "asylum"), ("flex_units", "status_holders"), ("private_hosts", "ukraine")],
)
def test_no_reference_no_invented_figure_but_a_warning(tmp_path, kind, stream):
    reg = register(tmp_path, f"X,Locatie (fictief),existing,{kind},{stream},50,,,\n")
    assert reg.table.at["X", "fixed_opex_eur_per_year"] == 0
    assert reg.table.at["X", "variable_opex_eur_per_place_day"] == 0
    (note,) = reg.notes
    assert note.code == "running_cost_no_reference" and note.eur_per_place_day is None
    assert "geen bronreferentie" in note_text(note, "nl", "Locatie (fictief)")


def test_a_given_cost_is_kept_even_zero(tmp_path):
    body = (
        "A,School (fictief),existing,municipal_building,ukraine,100,0,,\n"  # fixed 0 given
        "B,School (fictief),existing,municipal_building,ukraine,100,,57,\n"  # variable only
    )
    reg = register(tmp_path, body)
    assert reg.table.at["A", "fixed_opex_eur_per_year"] == 0
    assert reg.table.at["B", "fixed_opex_eur_per_year"] == 0
    assert [n.code for n in reg.notes] == ["running_cost_below_band"]  # A: EUR 0 < 55


def test_plausibility_below_inside_and_above_the_band(tmp_path):
    body = (
        # 365,000 / (100 x 365) + 20 = 30 per place-day: below 55
        "LO,Laag (fictief),existing,lease,ukraine,100,365000,20,0\n"
        # 10 + 47 = 57: inside 55-60
        "OK,Goed (fictief),existing,lease,ukraine,100,365000,47,0\n"
        # 10 + 60 = 70: above 60
        "HI,Hoog (fictief),existing,lease,ukraine,100,365000,60,0\n"
        # a hotel at 300 per occupied place-day: above 249.32
        "HO,Hotel (fictief),existing,hotel,ukraine,10,0,300,\n"
    )
    reg = register(tmp_path, body)
    found = {n.location_id: (n.code, round(n.value, 6), n.row) for n in reg.notes}
    assert found == {
        "LO": ("running_cost_below_band", 30.0, 2),
        "HI": ("running_cost_above_band", 70.0, 4),
        "HO": ("running_cost_above_band", 300.0, 5),
    }


def test_staff_the_budget_adds_counts_against_an_all_in_band(tmp_path):
    # fixed 36,500 / (100 x 365) = 1 + variable 40 = 41; staff by norm: (1 + 1.5) FTE x 95,000 /
    # (100 x 365) = 6.507; total 47.5 < 55
    org = OrganisationSettings()
    reg = register(tmp_path, "S,School (fictief),existing,lease,ukraine,100,36500,40,\n", org)
    (note,) = reg.notes
    assert note.value == pytest.approx(41 + 2.5 * 95_000 / 36_500)
    row = reg.table.loc["S"]
    assert running_cost_eur_per_place_day(row, include_staff=False) == pytest.approx(41)


def test_reference_lookup_prefers_the_exact_kind_then_the_stream():
    assert cost_reference("lease", ("ukraine",)).eur_per_place_day == 57.5
    mixed = cost_reference("leegstandwet", ("status_holders", "ukraine"))
    assert (mixed.stream, mixed.eur_per_place_day) == ("ukraine", 57.5)
    assert cost_reference("coa_location", ("asylum",)).eur_per_place_day is None


def test_validate_prints_the_warnings_with_file_row_field_value_band_and_source(tmp_path, capsys):
    (tmp_path / "locaties.csv").write_text(
        HEADER
        + "A,School (fictief),existing,municipal_building,ukraine,80,,,\n"
        + "LO,Laag (fictief),existing,lease,ukraine,100,365000,20,0\n",
        encoding="utf-8",
    )
    data = yaml.safe_load((ROOT / "data" / "cases" / "demo" / "case.yaml").read_text("utf-8"))
    data.update(locations="locaties.csv", scenarios={})
    data.pop("geo", None)
    # validate runs run's checks: no quality scores here, and the demo's business case (L08) is not
    data["mca"] = {"weights": {"cost": 1.0}}
    data.pop("business_case", None)
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert main(["validate", str(tmp_path / "case.yaml")]) == 0
    out = capsys.readouterr().out
    filled = next(ln for ln in out.splitlines() if ", A School" in ln)
    assert "locaties.csv, rij 2" in filled and "vaste lasten per jaar €\u00a01.679.000" in filled
    assert "€\u00a057,50" in filled and "€\u00a055,00–€\u00a060,00" in filled and "G4" in filled
    low = next(ln for ln in out.splitlines() if ", LO Laag" in ln)
    assert "rij 3" in low and "€\u00a030,00" in low and "onder de band" in low
    assert "variabele kosten" in low


def test_notes_in_english_and_in_the_assumptions_appendix(tmp_path):
    from onderdak.case.settings import load_case
    from onderdak.reporting.assumptions import assumptions_table

    reg = register(tmp_path, "A,School (fictief),existing,municipal_building,ukraine,80,,,\n")
    en = note_text(reg.notes[0], "en", "School (fictief)")
    assert en.startswith("A School (fictief): running cost left blank")
    assert "€57.50 per realised place per day, band €55.00–€60.00" in en
    case = load_case(ROOT / "data" / "cases" / "demo" / "case.yaml")
    table_ = assumptions_table(case, reg, language="en")
    first = table_.iloc[0]
    # the appendix words the note as the register's renderer does: the location by code and
    # name, its field in words, no file, row or field name in backticks
    assert first["onderwerp"] == "register: A School (fictief), fixed charges per year"
    assert first["toelichting"] == en
    assert (first["eenheid"], first["betrouwbaarheid"]) == ("euro per year", "reference")
    for cell in first.astype(str):
        assert "locaties.csv" not in cell and "`" not in cell and "_eur_" not in cell, cell
    nl = assumptions_table(case, reg, language="nl").iloc[0]
    assert nl["onderwerp"] == "register: A School (fictief), vaste lasten per jaar"
    assert nl["toelichting"].startswith("A School (fictief): lopende kosten niet ingevuld")
    assert (
        len(table_)
        == len(assumptions_table(case, reg.__class__(**{**reg.__dict__, "notes": []}))) + 1
    )


def test_recourse_defaults_read_the_dated_hotel_place_cost():
    import numpy as np

    from onderdak.business_case.inputs import business_case_inputs
    from onderdak.case.settings import load_case
    from onderdak.core.ensemble import Need
    from onderdak.io.reference import citation, recourse_eur_per_place_day
    from onderdak.register.locations import load_register

    per_day, key = recourse_eur_per_place_day("hotel")
    assert per_day == pytest.approx(91_000 / 365)
    assert citation(key).endswith("2025-07")
    assert recourse_eur_per_place_day("emergency")[0] == pytest.approx(69_400 / 365)
    case = load_case(ROOT / "data" / "cases" / "demo" / "case.yaml")
    need = Need(
        scenario="basis",
        periods=case.periods,
        streams={
            s: np.zeros((1, len(case.periods))) for s in ("ukraine", "asylum", "status_holders")
        },
        units={"ukraine": "places", "asylum": "places", "status_holders": "dwellings"},
        detail={},
    )
    inputs = business_case_inputs(case, load_register(case), "L08", need)
    assert inputs.recourse_eur_per_place_day == pytest.approx(per_day)
    (note,) = [n for n in inputs.notes if n.code == "bc_recourse"]
    assert note.facts["source"] == citation(key)
    from onderdak.reporting.notes_text import note_text

    assert "hotelplaats van het COA" in note_text(note, "nl") and "juli 2025" in note_text(
        note, "nl"
    )
