"""Issue 14, registers: nothing wrong in silence (hidden sheets, title rows, units, encodings, personal data)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from onderdak.cli.main import main
from onderdak.core.errors import InputError
from onderdak.register.locations import read_register
from onderdak.reporting.register_text import warning_text

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo"


def demo_rows() -> list[list[str]]:
    with open(DEMO / "locations.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding=encoding)
    return path


def case_with(tmp_path: Path, register: str, extra: str = "") -> Path:
    """The demo case copied into tmp_path, pointing at `register` (plus extra YAML lines)."""
    for f in DEMO.iterdir():
        if f.is_file():
            shutil.copy(f, tmp_path / f.name)
    text = (DEMO / "case.yaml").read_text(encoding="utf-8")
    text = text.replace("locations: locations.csv", f"locations: {register}\n{extra}")
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "case.yaml"


# -- sheets ----------------------------------------------------------------------------------------


def _stale_book(path: Path) -> Path:
    rows = demo_rows()
    book = openpyxl.Workbook()
    stale = book.active
    stale.title = "Locaties"
    stale.sheet_state = "hidden"
    for r in rows[:4]:
        stale.append(r)
    for row in stale.iter_rows(min_row=2, min_col=6, max_col=6):
        row[0].value = 999
    fresh = book.create_sheet("Opvanglocaties 2026")
    for r in rows:
        fresh.append(r)
    book.save(path)
    return path


def test_a_hidden_stale_sheet_is_never_read_silently(tmp_path):
    reg = read_register(_stale_book(tmp_path / "reg.xlsx"))
    assert reg.sheet == "Opvanglocaties 2026"
    assert len(reg.table) == len(demo_rows()) - 1
    assert 999 not in reg.table["capacity_places"].tolist()
    said = [w for w in reg.warnings if w.code == "hidden_sheets_skipped"]
    assert len(said) == 1 and said[0].facts["hidden"] == ["Locaties"]
    assert "verborgen blad Locaties niet gelezen" in warning_text(said[0], "nl")


def test_a_hidden_sheet_is_read_only_when_the_case_names_it(tmp_path):
    _stale_book(tmp_path / "reg.xlsx")
    case = case_with(tmp_path, "reg.xlsx", "locations_sheet: Locaties")
    from onderdak.case.settings import load_case
    from onderdak.register.locations import load_register

    reg = load_register(load_case(case))
    assert reg.sheet == "Locaties" and set(reg.table["capacity_places"]) == {999}


def test_two_register_sheets_are_refused_listing_the_sheets(tmp_path, capsys):
    rows = demo_rows()
    book = openpyxl.Workbook()
    for i, name in enumerate(("Opvang 2025", "Opvang 2026")):
        ws = book.active if i == 0 else book.create_sheet(name)
        ws.title = name
        for r in rows:
            ws.append(r)
    book.save(tmp_path / "reg.xlsx")
    case = case_with(tmp_path, "reg.xlsx")
    assert main(["validate", str(case)]) == 2
    err = capsys.readouterr().err
    assert "'Opvang 2025', 'Opvang 2026'" in err and "locations_sheet" in err


# -- header row ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_title_rows_above_the_header_are_skipped(tmp_path, suffix):
    rows = [["Locatieregister Gemeente Voorbeeld (fictief)"], [], *demo_rows()]
    path = tmp_path / f"reg{suffix}"
    if suffix == ".csv":
        write_csv(path, rows)
    else:
        book = openpyxl.Workbook()
        for r in rows:
            book.active.append(r)
        book.active.title = "Locaties"
        book.save(path)
    reg = read_register(path)
    assert len(reg.table) == len(demo_rows()) - 1
    assert reg.rows["L01"] == 4  # the spreadsheet row the user sees
    said = [w for w in reg.warnings if w.code == "header_row"]
    assert len(said) == 1 and said[0].facts["row"] == 3
    assert "kopregel gevonden in rij 3" in warning_text(said[0], "nl")


def test_no_header_row_lists_the_first_rows_seen(tmp_path):
    path = write_csv(tmp_path / "reg.csv", [["Overzicht"], ["a", "b", "c"], ["1", "2", "3"]])
    with pytest.raises(InputError) as err:
        read_register(path)
    text = str(err.value)
    assert "no header row found" in text and "row 1: Overzicht" in text
    assert "locations_header_row" in text


def test_header_row_named_in_the_case(tmp_path):
    rows = [["Register"], ["versie 3"], *demo_rows()]
    write_csv(tmp_path / "reg.csv", rows)
    from onderdak.case.settings import load_case
    from onderdak.register.locations import load_register

    reg = load_register(load_case(case_with(tmp_path, "reg.csv", "locations_header_row: 3")))
    assert reg.rows["L01"] == 4


# -- units in headers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("english", "dutch"),
    [
        ("fixed_opex_eur_per_year", "Vaste lasten (€ per jaar)"),
        ("fixed_opex_eur_per_year", "Vaste lasten (€/jaar)"),
        ("purchase_price_eur", "Koopprijs (€)"),
        ("conversion_capex_eur", "Verbouwing (€)"),
        ("gbo_m2", "GBO (m²)"),
    ],
)
def test_a_unit_in_a_header_keeps_the_column(tmp_path, english, dutch):
    rows = demo_rows()
    rows[0] = [dutch if h == english else h for h in rows[0]]
    renamed = read_register(write_csv(tmp_path / "reg.csv", rows))
    original = read_register(DEMO / "locations.csv")
    assert renamed.table[english].equals(original.table[english])
    assert not any(w.code == "unknown_column" for w in renamed.warnings)


def test_an_unreadable_unit_is_refused_not_ignored(tmp_path):
    rows = demo_rows()
    rows[0] = ["Koopprijs (k€)" if h == "purchase_price_eur" else h for h in rows[0]]
    with pytest.raises(InputError) as err:
        read_register(write_csv(tmp_path / "reg.csv", rows))
    assert "`Koopprijs (k€)` looks like `purchase_price_eur`" in str(err.value)


def test_a_percent_header_reads_95_as_a_share(tmp_path):
    rows = demo_rows()
    i = rows[0].index("occupancy_norm_share")
    rows[0][i] = "Bezettingsnorm (%)"
    for r in rows[1:]:
        r[i] = f"{float(r[i]) * 100:g}" if r[i] else r[i]
    reg = read_register(write_csv(tmp_path / "reg.csv", rows))
    original = read_register(DEMO / "locations.csv")
    assert (
        reg.table["occupancy_norm_share"] - original.table["occupancy_norm_share"]
    ).abs().max() < 1e-12


# -- encodings -------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_encodings(tmp_path, encoding):
    rows = demo_rows()
    rows[1][1] = "Café De Klimop, € (fictief)"
    reg = read_register(write_csv(tmp_path / "reg.csv", rows, encoding))
    assert reg.table.at["L01", "name"] == "Café De Klimop, € (fictief)"


# -- personal data ---------------------------------------------------------------------------------


def _with_column(tmp_path: Path, header: str, values: list[str]) -> Path:
    rows = demo_rows()
    rows[0].append(header)
    for r, v in zip(rows[1:], values * len(rows), strict=False):
        r.append(v)
    return write_csv(tmp_path / "reg.csv", rows)


NAMES = ["Olena Kovalenko", "Ahmad Rahimi", "J. de Vries", "fam. Bakr"]
BSNS = ["123456782", "111222333", "192837465"]


@pytest.mark.parametrize(
    ("header", "values", "why"),
    [
        ("Namen", NAMES, "persons' names"),
        ("Geb. datum", ["12-03-1984", "07-11-1990"], "date of birth"),
        ("", BSNS, "eleven-test"),
        ("kenmerk", ["17-05-1979", "23-09-1961", "04-02-2001"], "dates of birth"),
    ],
)
def test_personal_data_is_refused_by_content(tmp_path, capsys, header, values, why):
    path = _with_column(tmp_path, header, values)
    with pytest.raises(InputError) as err:
        read_register(path)
    assert "never on persons" in str(err.value) and why in str(err.value)
    case = case_with(tmp_path, "reg.csv")
    assert main(["validate", str(case)]) == 2
    out = capsys.readouterr().err
    assert why in out
    for v in values:
        assert v not in out or v.startswith(("1", "0", "2"))  # no names repeated
    assert "123456782" not in out


def test_a_bsn_in_free_text_is_refused_naming_row_and_column(tmp_path):
    rows = demo_rows()
    i = rows[0].index("notes")
    rows[3][i] = "fam. Kovalenko (BSN 123456782) woont hier"
    rows[0][i] = "Opmerkingen"
    with pytest.raises(InputError) as err:
        read_register(write_csv(tmp_path / "reg.csv", rows))
    text = str(err.value)
    assert "row 4, column `Opmerkingen`: the text holds a BSN" in text
    assert "123456782" not in text and "Kovalenko" not in text


def test_location_names_and_dates_are_not_personal_data():
    reg = read_register(DEMO / "locations.csv")  # names of buildings, dates of availability
    assert len(reg.table) > 10


def test_a_chart_sheet_and_an_explanation_sheet_do_not_confuse_the_choice(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Uitleg"
    book.active.append(["Dit bestand bevat het locatieregister (fictief)."])
    data = book.create_sheet("Opvang 2026")
    for r in demo_rows():
        data.append(r)
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.add_data(Reference(data, min_col=6, min_row=1, max_row=5), titles_from_data=True)
    book.create_chartsheet("Grafiek").add_chart(chart)
    book.save(tmp_path / "reg.xlsx")
    reg = read_register(tmp_path / "reg.xlsx")
    assert reg.sheet == "Opvang 2026" and len(reg.table) == len(demo_rows()) - 1


def test_organisations_in_an_unknown_column_are_not_persons(tmp_path):
    path = _with_column(
        tmp_path,
        "Beheerder",
        ["Stichting Opvang Voorbeeld", "Heijmans Vastgoed", "Woonstichting Thuis"],
    )
    reg = read_register(path)
    said = [warning_text(w, "nl") for w in reg.warnings if w.code == "unknown_column"]
    assert any("‘Beheerder’ is onbekend" in text for text in said)


def test_persons_in_an_unknown_column_are_refused_by_their_shape(tmp_path):
    path = _with_column(tmp_path, "Contact", ["J. de Vries", "fam. Bakr", "mevr. O. Kovalenko"])
    with pytest.raises(InputError, match="persons' names"):
        read_register(path)
