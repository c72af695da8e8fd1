"""Tests of the location register reader (CSV, Excel, Dutch input, validation, warnings) and capacity."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from onderdak.cli.main import main
from onderdak.core.errors import InputError
from onderdak.register.locations import capacity, read_register
from onderdak.register.personal_data import is_personal_data_header, looks_like_bsn
from onderdak.register.values import parse_date, parse_number
from onderdak.reporting.register_text import warning_text, warnings_text

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo"
DATA = ROOT / "tests" / "data"
WIJK_CENTRES = {
    "WK999901": [(146000, 409000)],
    "WK999902": [(146000, 411000)],
    "WK999903": [(146000, 407000)],
    "WK999904": [(143500, 409000)],
    "WK999905": [(150000, 410000)],
    "WK999906": [(141500, 412500)],
    "WK999907": [(149500, 405500)],
    "WK999908": [(151000, 413000), (142000, 405000)],
}
HEADER = "id,name,status,kind,streams,capacity_places,occupancy_norm_share,available_from,lead_time_months,available_until\n"


def write(tmp_path: Path, body: str, header: str = HEADER, name: str = "reg.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


# -- parsing what Dutch users type ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.250.000,50", 1_250_000.5),
        ("1,250,000.50", 1_250_000.5),
        ("1250000,5", 1_250_000.5),
        ("0,9", 0.9),
        ("90%", 0.9),
        ("1.250", 1250.0),
        ("0.125", 0.125),
        ("12.5", 12.5),
        ("€ 45", 45.0),
        ("\u221220", -20.0),
        (7, 7.0),
        (0.95, 0.95),
    ],
)
def test_parse_number_accepts_dutch_and_english(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["veel", "", "1,2,3,4x", "nan"])
def test_parse_number_refuses_text(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("01-06-2022", dt.date(2022, 6, 1)),
        ("1-6-2022", dt.date(2022, 6, 1)),
        ("01/06/2022", dt.date(2022, 6, 1)),
        ("2022-06-01", dt.date(2022, 6, 1)),
        ("2022-06", dt.date(2022, 6, 1)),
        (dt.datetime(2022, 6, 1, 0, 0), dt.date(2022, 6, 1)),
        (44713, dt.date(2022, 6, 1)),  # Excel serial day
    ],
)
def test_parse_date_forms(value, date):
    assert parse_date(value) == date


def test_parse_date_refuses_impossible_dates():
    with pytest.raises(ValueError, match="existing date"):
        parse_date("31-02-2026")
    with pytest.raises(ValueError):
        parse_date("juni 2022")


@pytest.mark.parametrize(
    "header",
    [
        "bsn",
        "BSN",
        "geboortedatum",
        "date_of_birth",
        "naam_bewoner",
        "Resident name",
        "bewoner",
        "Voornaam",
    ],
)
def test_personal_data_headers_are_recognised(header):
    assert is_personal_data_header(header)


@pytest.mark.parametrize(
    "header", ["naam", "name", "aantal_bewoners", "capaciteit_plaatsen", "adres", "wijkcode"]
)
def test_ordinary_headers_are_not_personal_data(header):
    assert not is_personal_data_header(header)


def test_bsn_eleven_test():
    assert looks_like_bsn("123456782")
    assert not looks_like_bsn("123456789")
    assert not looks_like_bsn("12345")


# -- the demo register and its Dutch twins ---------------------------------------------------------


def test_demo_register_is_realistic():
    reg = read_register(DEMO / "locations.csv", start="2026-01")
    t = reg.table
    assert 12 <= len(t) <= 20
    assert set(t["status"]) == {"existing", "planned", "candidate"}
    assert {
        "coa_location",
        "hotel",
        "leegstandwet",
        "flex_units",
        "private_hosts",
        "holiday_park",
    } <= set(t["kind"])
    assert t["name"].str.contains("fictief").all()
    goo = t[t["streams"].str.contains("ukraine") & (t["kind"] != "private_hosts")]
    assert goo["capacity_places"].between(20, 120).all()
    assert t.loc[t["kind"] == "coa_location", "capacity_places"].between(150, 400).all()
    for loc_id, row in t.iterrows():
        nearest = min(
            math.hypot(row["x"] - x, row["y"] - y) for x, y in WIJK_CENTRES[row["wijk_code"]]
        )
        assert nearest <= 300, f"{loc_id} is {nearest:.0f} m from its wijk centre"
    cand = t[t["status"] == "candidate"]
    assert (cand["reuse_options"] != "").sum() >= 4
    assert cand["quality_score"].notna().all() and cand["risk_score"].notna().all()
    # the demo shows both kinds of warning
    codes = {w.code for w in reg.warnings}
    assert {"legal_term_exceeded", "lead_time_ignored"} <= codes
    assert any("Leegstandwet" in text for text in warnings_text(reg.warnings, "nl"))


@pytest.mark.parametrize("twin", [DEMO / "locations.xlsx", DATA / "locaties_nl.csv"])
def test_dutch_twins_read_the_same_as_the_csv(twin):
    """Excel (Dutch headers, Dutch text dates and real dates, decimal commas) and a ;-separated cp1252 CSV."""
    csv_reg = read_register(DEMO / "locations.csv", start="2026-01")
    twin_reg = read_register(twin, start="2026-01")
    pd.testing.assert_frame_equal(csv_reg.table, twin_reg.table)
    assert csv_reg.warnings == twin_reg.warnings


def test_excel_sheet_choice(tmp_path):
    assert read_register(DEMO / "locations.xlsx").sheet == "Locaties"
    with pytest.raises(InputError, match="no sheet 'Blad9'"):
        read_register(DEMO / "locations.xlsx", sheet="Blad9")


# -- validation --------------------------------------------------------------------------------------


def test_bad_register_reports_every_problem():
    with pytest.raises(InputError) as err:
        read_register(DATA / "bad_register.csv")
    text = str(err.value)
    assert len(err.value.problems) >= 9
    for fragment in [
        "row 3, column `capaciteit_plaatsen` (capacity_places): '-20'",
        "row 4, column `status`: 'gesloten'",
        "row 4, column `beschikbaar_vanaf` (available_from): '31-02-2026'",
        "row 5, column `bezettingsnorm` (occupancy_norm_share): '1,5'",
        "row 5, column `wijkcode` (wijk_code): 'Centrum'",
        "row 5, column `vaste_lasten_eur_per_jaar` (fixed_opex_eur_per_year): 'veel'",
        "row 6, column `id`: id 'B01' is used before, in row 2",
        "row 7, column `naam` (name): required",
        "row 7, column `soort` (kind): 'kasteel'",
        "row 7, column `doelgroepen` (streams)",
    ]:
        assert fragment in text
    assert all(p.startswith("bad_register.csv, row ") for p in err.value.problems)


def test_excel_errors_name_the_sheet_and_row(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Locaties"
    sheet.append(["code", "naam", "status", "soort", "doelgroepen", "capaciteit_plaatsen"])
    sheet.append(["A", "Goed (fictief)", "bestaand", "huur", "oekraine", 10])
    sheet.append([None] * 6)  # a blank row still counts in the row numbers the user sees
    sheet.append(["B", "Fout (fictief)", "bestaand", "huur", "oekraine", -20])
    path = tmp_path / "reg.xlsx"
    book.save(path)
    with pytest.raises(InputError) as err:
        read_register(path)
    assert err.value.problems == [
        "reg.xlsx, sheet 'Locaties', row 4, column `capaciteit_plaatsen` (capacity_places): -20 is not a whole number of places ≥ 0"
    ]


def test_personal_data_is_refused_with_a_reason():
    with pytest.raises(InputError) as err:
        read_register(DATA / "personal_data_register.csv")
    assert "counts" in str(err.value) and "never on persons" in str(err.value)
    assert err.value.problems == ["column `naam_bewoner`", "column `BSN`", "column `geboortedatum`"]


def test_bsn_numbers_in_an_unknown_column_are_refused(tmp_path):
    path = write(
        tmp_path,
        "A,Opvang (fictief),bestaand,huur,oekraine,2,1,,0,,123456782\n",
        HEADER.strip() + ",kenmerk\n",
    )
    with pytest.raises(InputError, match="never on persons"):
        read_register(path)


def test_missing_required_column_names_the_dutch_alias(tmp_path):
    path = write(tmp_path, "A,Opvang,bestaand,huur\n", "id,naam,status,soort\n")
    with pytest.raises(InputError) as err:
        read_register(path)
    assert any("`streams` (Dutch: `doelgroepen`)" in p for p in err.value.problems)
    assert any("`capacity_places` (Dutch: `capaciteit_plaatsen`)" in p for p in err.value.problems)


def test_unknown_columns_are_ignored_with_a_warning(tmp_path):
    path = write(
        tmp_path,
        "A,Opvang (fictief),bestaand,huur,oekraine,20,1,,0,,blauw\n",
        HEADER.strip() + ",kleur\n",
    )
    reg = read_register(path)
    said = [w for w in reg.warnings if w.code == "unknown_column"]
    assert [w.facts["column"] for w in said] == ["kleur"]
    assert "kolom ‘kleur’ is onbekend" in warning_text(said[0], "nl")
    assert "column ‘kleur’ is not known" in warning_text(said[0], "en")


def test_semicolon_csv_with_comment_lines_and_empty_optional_cells(tmp_path):
    body = "# fictief register\nid;naam;status;soort;doelgroepen;capaciteit_plaatsen;bezettingsnorm\n\nA;Opvang;gepland;huur;Oekraïne;40;\n"
    path = tmp_path / "reg.csv"
    path.write_text(body, encoding="utf-8")
    t = read_register(path).table
    assert t.loc["A", "occupancy_norm_share"] == 1.0 and t.loc["A", "lead_time_months"] == 0
    assert t.loc["A", "status"] == "planned" and t.loc["A", "streams"] == "ukraine"
    assert pd.isna(t.loc["A", "available_from"]) and t.loc["A", "purchase_price_eur"] == 0.0


# -- warnings ----------------------------------------------------------------------------------------


def test_warnings_for_legal_terms_lead_times_and_closed_locations(tmp_path):
    body = (
        "A,Leegstand (fictief),planned,leegstandwet,ukraine,20,1,01-01-2026,0,31-12-2037\n"
        "B,Flex (fictief),candidate,flex_units,status_holders,10,1,01-01-2026,6,31-12-2045\n"
        "C,Flex kort (fictief),candidate,flex_units,status_holders,10,1,01-01-2026,6,31-12-2035\n"
        "D,Snel (fictief),planned,lease,ukraine,10,1,01-02-2026,6,\n"
        "E,Oud (fictief),existing,lease,ukraine,10,1,01-01-2020,0,31-12-2025\n"
        "F,Leegstand zonder eind (fictief),planned,leegstandwet,ukraine,10,1,01-01-2026,0,\n"
    )
    reg = read_register(write(tmp_path, body), start="2026-01")
    by_id = {w.location_id: w for w in reg.warnings}
    assert by_id["A"].code == "legal_term_exceeded" and by_id["A"].facts["max_years"] == 10
    assert by_id["B"].code == "legal_term_exceeded" and by_id["B"].facts["max_years"] == 15
    assert "C" not in by_id
    assert by_id["D"].code == "lead_time_ignored" and by_id["D"].facts["opens"] == "2026-07"
    assert by_id["E"].code == "closed_before_start"
    assert by_id["F"].code == "no_end_date"
    nl = {k: warning_text(w, "nl") for k, w in by_id.items()}
    en = {k: warning_text(w, "en") for k, w in by_id.items()}
    assert "ten hoogste 10 jaar" in nl["A"] and "Leegstandwet" in nl["A"]
    assert "at most 10 years" in en["A"] and "Leegstandwet" in en["A"]
    assert "doorlooptijd van 6 maanden" in nl["D"] and "juli 2026" in nl["D"]
    assert "lead time of 6 months" in en["D"] and "July 2026" in en["D"]
    assert "vóór de start" in nl["E"] and "before the start" in en["E"]
    assert "geen einddatum" in nl["F"] and "no end date" in en["F"]
    # without a start, only the start-independent warnings remain
    assert {w.location_id for w in read_register(write(tmp_path, body)).warnings} == {
        "A",
        "B",
        "F",
    }


# -- capacity -----------------------------------------------------------------------------------------


def test_capacity_by_month_hand_computed(tmp_path):
    body = (
        "A,Bestaand (fictief),existing,lease,ukraine,40,0.9,,0,30-06-2026\n"  # open Jan-Jun
        "B,Kandidaat (fictief),candidate,purchase,ukraine;status_holders,20,1,15-01-2026,3,\n"  # lead time: Apr
        "C,Later (fictief),candidate,lease,asylum,100,1,15-05-2026,1,15-10-2026\n"  # Jun-Sep
    )
    reg = read_register(write(tmp_path, body))
    periods = pd.period_range("2026-01", periods=12, freq="M", name="period")
    cap = capacity(reg, periods)
    np.testing.assert_allclose(cap.places[0], [36] * 6 + [0] * 6)
    np.testing.assert_allclose(cap.places[1], [0] * 3 + [20] * 9)
    np.testing.assert_allclose(cap.places[2], [0] * 5 + [100] * 4 + [0] * 3)
    assert [str(p) for p in cap.opening] == ["2026-01", "2026-04", "2026-06"]
    assert [None if p is None else str(p) for p in cap.closing] == ["2026-06", None, "2026-09"]
    np.testing.assert_allclose(cap.by_stream("status_holders"), cap.places[1])
    np.testing.assert_allclose(cap.by_stream("ukraine"), cap.places[0] + cap.places[1])
    # without lead times the candidate opens when available (February: from the 15th of January)
    assert str(capacity(reg, periods, lead_time=False).opening[1]) == "2026-02"
    committed = capacity(reg, periods, statuses=("existing", "planned"))
    assert committed.ids == ("A",)


def test_validate_command_exits_2_listing_every_bad_row(tmp_path, capsys):
    shutil.copy(DEMO / "case.yaml", tmp_path / "case.yaml")
    shutil.copy(DATA / "bad_register.csv", tmp_path / "locations.csv")
    assert main(["validate", str(tmp_path / "case.yaml")]) == 2
    err = capsys.readouterr().err
    for row in (3, 4, 5, 6, 7):
        assert f"row {row}, column" in err
    assert "Traceback" not in err


def test_validate_command_prints_warnings_of_the_demo(capsys):
    assert main(["validate", str(DEMO / "case.yaml")]) == 0
    out = capsys.readouterr().out
    assert "19 locations" in out and "waarschuwing" in out


def test_a_decimal_comma_in_a_comma_separated_file_is_explained(tmp_path):
    path = write(tmp_path, "A,Opvang (fictief),existing,lease,ukraine,20,0,9,,0,\n")
    with pytest.raises(InputError) as err:
        read_register(path)
    assert "row 2: 11 cells but 10 columns; a decimal comma" in err.value.problems[0]


def test_a_location_closed_before_the_start_counts_nowhere(tmp_path):
    # L1 ended in December 2025 but the register still calls it existing; the case starts 12-2026
    body = (
        "L1,Oud hotel (fictief),existing,hotel,ukraine,40,1,2022-03-01,0,2025-12-31\n"
        "L2,School (fictief),existing,municipal_building,ukraine,60,1,2022-03-01,0,\n"
        "L3,Kantoor (fictief),planned,lease,ukraine,30,1,2026-06-01,0,2026-12-15\n"
    )
    reg = read_register(write(tmp_path, body), start="2026-12")
    # L3's last open month is November 2026 (15 December is not a month's end): closed as well
    assert reg.closed == ("L1", "L3") and list(reg.table.index) == ["L2"]
    said = [w for w in reg.warnings if w.code == "closed_before_start"]
    assert [w.facts["still_existing"] for w in said] == [True, False]
    text = [warning_text(w, "nl") for w in said]
    assert "gesloten, telt nergens mee" in text[0] and "nog als bestaande" in text[0]
    assert "nog als bestaande" not in text[1]
    cap = capacity(reg, pd.period_range("2026-12", periods=12, freq="M"), start="2026-12")
    assert cap.ids == ("L2",)
    # read without a start (as a file check) the register keeps every row
    assert len(read_register(write(tmp_path, body)).table) == 3


def test_a_register_closed_entirely_before_the_start_is_refused(tmp_path):
    body = "L1,Oud hotel (fictief),existing,hotel,ukraine,40,1,2022-03-01,0,2025-12-31\n"
    with pytest.raises(InputError, match="closed before the start"):
        read_register(write(tmp_path, body), start="2026-12")


def test_the_plan_refuses_must_keep_of_a_closed_or_unknown_location(tmp_path, demo_case_path):
    from onderdak.case.settings import load_case
    from onderdak.plan.build import _check_named_locations

    body = (
        "L1,Oud hotel (fictief),existing,hotel,ukraine,40,1,2022-03-01,0,2025-12-31\n"
        "L2,School (fictief),existing,municipal_building,ukraine,60,1,2022-03-01,0,\n"
    )
    reg = read_register(write(tmp_path, body), start="2026-12")
    case = load_case(demo_case_path)
    settings = case.optimise.model_copy(update={"must_keep": ["L1"], "forbidden": ["L9"]})
    with pytest.raises(InputError) as err:
        _check_named_locations(settings, reg.table, reg.closed)
    text = str(err.value) + " ".join(err.value.problems)
    assert "`L1` closed before the start" in text and "no location `L9`" in text
