"""The real-municipality example (Oss, GM0828): validates, runs end to end, every figure sourced, extracts true to CBS."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from onderdak.cli.main import main
from onderdak.geo.kerncijfers import municipality_wijken, read_kwb_file

ROOT = Path(__file__).resolve().parents[1]
OSS = ROOT / "data" / "cases" / "oss"
CASE = OSS / "case.yaml"


def test_oss_validates_and_runs_end_to_end(tmp_path, capsys):
    assert main(["validate", str(CASE)]) == 0
    said = capsys.readouterr().out
    assert "23 wijken, 94,640 inhabitants (CBS Kerncijfers wijken en buurten" in said
    # the one warning: the register leaves the location's running costs blank (not public), so the
    # sourced reference of its kind is used and said
    warnings = [line for line in said.splitlines() if "waarschuwing" in line]
    assert len(warnings) == 1 and "OSS01" in warnings[0] and "niet ingevuld" in warnings[0]
    assert "valid" in said
    out = tmp_path / "oss"
    args = ["run", str(CASE), "--out", str(out), "--paths", "40", "--scenario", "basis"]
    assert main([*args, "--no-plan"]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["municipality"] == "Gemeente Oss" and summary["fictional"] is False
    need = pd.read_csv(out / "need.csv")
    assert set(need["stream"]) == {"ukraine", "asylum", "status_holders"}
    assert need["period"].min() == summary["peildatum"] == os.environ["ONDERDAK_PEILDATUM"]
    spread = pd.read_csv(out / "spread.csv").set_index("wijk_code")
    assert len(spread) == 23  # CBS wijken 2024 of Oss
    assert spread["population_persons"].sum() == 94_640  # CBS 85984NED wijken (gemeente row 94,634)
    assert spread.loc["WK082806", "population_persons"] == 13_595  # Ruwaard, read off the CBS table
    assert spread["population_method"].str.contains("Kerncijfers wijken en buurten").all()
    assert spread.loc["WK082808", "places_counted"] == 500  # the one public location


def test_every_figure_in_the_case_file_says_where_it_comes_from():
    """A line that sets a number (or null, a figure left to the formula) carries a comment."""
    unsourced = []
    for n, line in enumerate(CASE.read_text(encoding="utf-8").splitlines(), start=1):
        body = line.split("#", 1)[0]
        if re.search(r":\s*(-?\d[\d.,]*|null)\s*$", body) and "#" not in line:
            key = body.strip().split(":")[0]
            if key not in ("horizon_months", "price_year", "seed", "paths"):  # run settings
                unsourced.append(f"line {n}: {line.strip()}")
    assert unsourced == []
    register = pd.read_csv(OSS / "locations.csv")
    assert register["notes"].str.contains("PUBLIC:").all()  # every row cites its sources
    assert register["notes"].str.contains("NOT PUBLIC").all()  # and says what it leaves blank


@pytest.mark.shared
def test_the_extracts_are_true_copies_of_the_shared_cbs_files(shared_data):
    # inhabitants: the case's rows are lines of CBS 85984NED, byte for byte
    shared_lines = set(
        (shared_data / "kwb2024_85984NED_gm_wijk_leeftijd.csv").read_bytes().split(b"\r\n")
    )
    case_lines = [x for x in (OSS / "kwb2024_oss.csv").read_bytes().split(b"\r\n") if x]
    assert len(case_lines) == 25 and set(case_lines) <= shared_lines  # header, GM0828, 23 wijken
    full = municipality_wijken(
        read_kwb_file(shared_data / "kwb2024_85984NED_gm_wijk_leeftijd.csv"), "GM0828"
    )
    mine = municipality_wijken(read_kwb_file(OSS / "kwb2024_oss.csv"), "GM0828")
    pd.testing.assert_frame_equal(full, mine)
    assert mine.attrs["municipality_population_persons"] == 94_634
    # boundaries: the features of Oss of the CBS wijken 2024, unchanged
    shared = json.loads(
        (shared_data / "wijken_2024_cartomap_wgs84.geojson").read_text(encoding="utf-8")
    )
    expected = [f for f in shared["features"] if f["properties"]["statcode"].startswith("WK0828")]
    extract = json.loads((OSS / "wijken_oss_2024.geojson").read_text(encoding="utf-8"))
    assert extract["features"] == expected
    assert extract["attribution"] == "Kadaster / Centraal Bureau voor de Statistiek, 2024"


def test_a_case_without_files_loads_boundaries_and_inhabitants_online(monkeypatch):
    """`wijken: pdok` and `wijk_population_source: cbs_85984` ask PDOK and CBS (here: stand-ins
    serving the committed extracts) for the case's municipality, and give the same spread."""
    import onderdak.geo.spread
    from onderdak.case.settings import load_case
    from onderdak.geo.boundaries import read_boundaries
    from onderdak.geo.spread import place_for_case
    from onderdak.register.locations import read_register

    asked = []

    def fake_cbs(code):
        asked.append(("cbs", code))
        table = municipality_wijken(read_kwb_file(OSS / "kwb2024_oss.csv"), code)
        table.attrs["method"] = "CBS 85984NED, 1 January 2024 (opendata.cbs.nl)"
        return table

    def fake_pdok(level, year, municipality):
        asked.append(("pdok", level, year, municipality))
        return read_boundaries(
            OSS / "wijken_oss_2024.geojson", level=level, municipality=municipality
        )

    monkeypatch.setattr(onderdak.geo.spread, "load_cbs_wijken", fake_cbs)
    monkeypatch.setattr(onderdak.geo.spread, "load_pdok", fake_pdok)
    case = load_case(CASE)
    online = case.model_copy(
        update={
            "geo": case.geo.model_copy(
                update={"wijken": "pdok", "wijk_population_source": "cbs_85984"}
            )
        }
    )
    register = read_register(case.path(case.locations)).table
    place = place_for_case(online, register)
    assert asked == [("pdok", "wijk", 2024, "GM0828"), ("cbs", "GM0828")]
    assert place.geography.population.sum() == 94_640 and place.warnings == []
    assert (
        place.spread["population_method"] == "CBS 85984NED, 1 January 2024 (opendata.cbs.nl)"
    ).all()
    offline = place_for_case(case, register)
    pd.testing.assert_frame_equal(
        offline.spread.drop(columns="population_method"),
        place.spread.drop(columns="population_method"),
    )


def test_the_appendix_and_the_map_say_where_the_wijk_figures_come_from():
    from onderdak.case.settings import load_case
    from onderdak.geo.boundaries import read_boundaries
    from onderdak.reporting.assumptions import assumptions_table

    case = load_case(CASE)
    row = assumptions_table(case).set_index("onderwerp").loc["geo.wijk_population_source"]
    assert row["waarde"] == "kwb2024_oss.csv" and row["betrouwbaarheid"] == "bron"
    area = case.model_copy(
        update={"geo": case.geo.model_copy(update={"wijk_population_source": "area"})}
    )
    row = assumptions_table(area).set_index("onderwerp").loc["geo.wijk_population_source"]
    assert row["betrouwbaarheid"] == "schatting" and "AANNAME" in row["toelichting"]
    assert "schatting" in row["bron"]
    source = read_boundaries(OSS / "wijken_oss_2024.geojson").attrs["source"]
    assert source == "wijken_oss_2024.geojson (Kadaster / Centraal Bureau voor de Statistiek, 2024)"
