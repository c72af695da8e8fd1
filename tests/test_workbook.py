"""The workbook for consultants: names in the report language, numbers as numbers, every column documented.

Fast tests build small recorded folders; the slow ones open the demo advice's workbook (Dutch and
English) as a consultant would and recompute what its sheets claim.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import openpyxl
import pandas as pd
import pytest

from onderdak.reporting import collect
from onderdak.reporting.artefacts import read_artefacts
from onderdak.reporting.columns import ENTRIES, UNITS, column
from onderdak.reporting.report_meta import ReportMeta
from onderdak.reporting.workbook import write_workbook
from onderdak.reporting.workbook_tables import SHEETS, sheet_name, sheet_source
from onderdak.reporting.workbook_values import NUMBER_FORMATS, code_word, convert, date_format

META = ReportMeta(title="Testrapport", scenario="basis", date="1 januari 2026", run_id="abc")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
CODES = {
    "ukraine", "asylum", "status_holders", "places", "dwellings", "persons", "nieuwe_crisis",
    "einde_tijdelijke_bescherming", "existing", "planned", "candidate", "committed",
    "with_candidates", "with_plan", "without_plan", "keep", "open", "reject", "capex", "net_cost",
}  # fmt: skip
CODE_CELL = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:;[a-z][a-z0-9]*(?:_[a-z0-9]+)*)*")
"""A cell that is a snake_case code, or codes joined by ';' (``budget_realised_places;rate_carried_forward``)."""
SETTINGS_AS_SPELLED = {
    ("Alle aannames en bronnen", "Onderwerp"), ("Alle aannames en bronnen", "Waarde"),
    ("All assumptions and sources", "Topic"), ("All assumptions and sources", "Value"),
}  # fmt: skip
"""The full parameter table names each setting by its key and shows its value as the case file
spells them (``discount_rate_real_share``, ``last_published``): a consultant looks them up there."""
ISO_OR_QUARTER = re.compile(r"^(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2])|Q[1-4])$")
KINDS = {
    "text",
    "month",
    "quarter",
    "half_year",
    "date",
    "value",
    "local_value",
    "bool",
    *NUMBER_FORMATS,
}
NEW_SHEETS = {
    "nl": ("Begroting per jaar", "Geld van het plan", "MCA per locatie", "MCA-gewichten", "Wijken",
           "Alle aannames en bronnen", "Behoefte per scenario", "Kolommen"),
    "en": ("Budget per year", "The plan's money", "MCA per location", "MCA weights", "Districts",
           "All assumptions and sources", "Need per scenario", "Columns"),
}  # fmt: skip


# -- the dictionary ---------------------------------------------------------------------------------
def test_every_dictionary_entry_has_labels_unit_kind_and_meaning():
    for e in ENTRIES:
        assert e.nl and e.en and e.about_nl and e.about_en, e.code
        assert e.unit in UNITS, (e.code, e.unit)
        assert e.kind in KINDS or e.kind.startswith("code:"), (e.code, e.kind)
        assert not SNAKE.search(e.nl) and not SNAKE.search(e.en), e.code
    assert len({e.code for e in ENTRIES}) == len(ENTRIES)


def test_sheet_names_fit_excel_and_differ_per_language():
    for language in ("nl", "en"):
        names = [sheet_name(k, language) for k in SHEETS]
        assert len(set(names)) == len(names)
        assert all(len(n) <= 31 and not re.search(r"[\[\]*?/\\:]", n) for n in names)
        assert all(sheet_source(k, language) for k in SHEETS)  # a source in both languages


def test_columns_are_found_by_code_or_by_either_label():
    assert column("p50") is column("Mediaan") is column("median")
    assert column("bron", "signposts").code == "signal_source"
    assert column("bron", "assumptions").code == "source_text"
    assert column("waarde", "assumptions").code == "value"
    assert column("no_such_column") is None


def test_cells_become_words_dates_and_numbers():
    assert convert(pd.Series(["ukraine", "status_holders"]), "code:stream") == [
        "Oekraïners",
        "Statushouders",
    ]
    assert convert(pd.Series(["nieuwe_crisis"]), "code:scenario", "en") == [
        "stress test: a 2015-like crisis"
    ]
    assert convert(pd.Series(["2035-12", None]), "month") == [dt.datetime(2035, 12, 1), None]
    assert convert(pd.Series(["2026Q4"]), "quarter") == [dt.datetime(2026, 10, 1)]
    assert convert(pd.Series(["2026-II"]), "half_year") == ["2e halfjaar 2026"]
    assert convert(pd.Series(["47.43", "12", "True", "file"]), "value") == [47.43, 12, True, "file"]
    assert convert(pd.Series(["1,05", "1.250", "€ 44,00 per dag"]), "local_value") == [
        1.05,
        1250,
        "€ 44,00 per dag",
    ]
    assert convert(pd.Series(["1.05", "1,250"]), "local_value", "en") == [1.05, 1250]
    assert convert(pd.Series(["2024-11-13", "2025-03", "2025", "undated"]), "date") == [
        dt.datetime(2024, 11, 13),
        dt.datetime(2025, 3, 1),
        dt.datetime(2025, 1, 1),
        "undated",
    ]
    assert [date_format(d) for d in ("2024-11-13", "2025-03", "2025")] == ["d mmm yyyy", "mmm yyyy", "yyyy"]  # fmt: skip
    assert code_word("streams", "ukraine:66.5;asylum:20") == "Oekraïners 66,5; Asielzoekers 20"
    assert code_word("action", "open", "en") == "open" and code_word("action", "open") == "openen"


# -- a small recorded folder -------------------------------------------------------------------------
@pytest.fixture
def ranges(tmp_path, capsys):
    """A text table shown in the report with its numbers for the workbook (``data=``)."""
    collect.set_output_dir(tmp_path)
    try:
        shown = pd.DataFrame({"scenario": ["basis"], "doelgroep": ["Oekraïners"], "mei 2027": ["236 (228–248)"]})  # fmt: skip
        data = pd.DataFrame(
            {
                "scenario": ["basis"],
                "stream": ["ukraine"],
                "unit": ["places"],
                "period": ["2027-05"],
                "p50": [236.0],
                "p10": [228.0],
                "p90": [248.4],
            }
        )
        collect.show_table(shown, "scenario_table", "Behoefte per scenario", data=data)
    finally:
        collect.set_output_dir(None)
    capsys.readouterr()
    return tmp_path


def test_a_text_table_goes_to_the_workbook_as_its_numbers(ranges, tmp_path):
    art = read_artefacts(ranges)
    assert art.table(art.tables[0])["mei 2027"].tolist() == ["236 (228–248)"]  # HTML, deck, CSV
    wb = openpyxl.load_workbook(write_workbook(art, tmp_path / "t.xlsx", META))
    assert wb.sheetnames == ["Inhoud", "Behoefte per scenario", "Kolommen"]
    ws = wb["Behoefte per scenario"]
    assert [c.value for c in ws[1]] == ["Scenario", "Doelgroep", "Eenheid", "Maand", "Mediaan", "P10", "P90"]  # fmt: skip
    row = [c.value for c in ws[2]]
    assert row == ["basis", "Oekraïners", "plaatsen", dt.datetime(2027, 5, 1), 236, 228, 248.4]
    assert ws["D2"].number_format == "mmm yyyy" and ws["G2"].number_format == "#,##0.0"
    assert ws["E2"].number_format == "#,##0"  # whole numbers without decimals
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G2"
    documented = {(r[0], r[1]) for r in wb["Kolommen"].iter_rows(min_row=2, values_only=True)}
    assert ("Behoefte per scenario", "Mediaan") in documented
    index = {r[0]: r for r in wb["Inhoud"].iter_rows(values_only=True)}
    assert index["Behoefte per scenario"][3] == "zie kolom Eenheid"  # units
    assert index["Behoefte per scenario"][4].startswith("Onderdak-ensemble")  # the sheet's source
    english = write_workbook(art, tmp_path / "en.xlsx", ReportMeta(title="T", language="en"))
    wb = openpyxl.load_workbook(english)
    assert wb.sheetnames == ["Contents", "Need per scenario", "Columns"]
    assert [c.value for c in wb["Need per scenario"][1]][:4] == ["Scenario", "Target group", "Unit", "Month"]  # fmt: skip
    assert wb["Need per scenario"]["B2"].value == "Ukrainians"


# -- the demo advice ------------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["nl", "en"])
def demo_book(request, demo_advice):
    folder = demo_advice(request.param)
    return request.param, folder, openpyxl.load_workbook(folder / "tables.xlsx")


def _tables(wb, language):
    skip = ("Inhoud", "Kolommen") if language == "nl" else ("Contents", "Columns")
    return [ws for ws in wb.worksheets if ws.title not in skip]


def _frame(ws) -> pd.DataFrame:
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.mark.slow
def test_the_demo_workbook_has_the_consultants_sheets(demo_book):
    language, _, wb = demo_book
    assert set(NEW_SHEETS[language]) <= set(wb.sheetnames), wb.sheetnames
    assert wb.sheetnames[0] == ("Inhoud" if language == "nl" else "Contents")
    labels = {getattr(e, language) for e in ENTRIES}
    for ws in _tables(wb, language):
        headers = [c.value for c in ws[1]]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref, ws.title
        for h in headers:
            assert h in labels, f"{ws.title}: header {h!r} is not a {language} label"
            assert not SNAKE.search(h) and h not in CODES, (ws.title, h)


@pytest.mark.slow
def test_every_column_is_documented_and_every_table_has_units_and_source(demo_book):
    language, _, wb = demo_book
    columns = wb["Kolommen" if language == "nl" else "Columns"]
    documented = {(r[0], r[1]): r for r in columns.iter_rows(min_row=2, values_only=True)}
    for ws in _tables(wb, language):
        for cell in ws[1]:
            entry = documented.get((ws.title, cell.value))
            assert entry is not None, (
                f"{ws.title}: column {cell.value!r} missing on the columns sheet"
            )
            assert entry[2] and entry[3], f"{ws.title}: {cell.value!r} without unit or meaning"
    index = wb.worksheets[0]
    rows = [r for r in index.iter_rows(min_row=7, values_only=True) if r[2] is not None]
    assert len(rows) == len(_tables(wb, language))
    for sheet, _title, _n, units, source, _csv in rows:
        assert units and source, f"contents: {sheet} without units or source"


@pytest.mark.slow
def test_cells_are_numbers_dates_and_words_not_codes(demo_book):
    language, _, wb = demo_book
    for ws in _tables(wb, language):
        headers = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                v = cell.value
                if isinstance(v, bool) or v is None:
                    continue
                if (
                    isinstance(v, str)
                    and (ws.title, headers[cell.column - 1]) not in SETTINGS_AS_SPELLED
                ):
                    # a code (the plan's reasons, a money line's assumptions) or its JSON facts
                    assert not CODE_CELL.fullmatch(v.strip()), (ws.title, cell.coordinate, v)
                    assert not v.lstrip().startswith("{"), (ws.title, cell.coordinate, v)
                if isinstance(v, int | float | dt.datetime):
                    assert cell.number_format != "General", (ws.title, cell.coordinate, v)
                elif isinstance(v, str):
                    assert v not in CODES or (language == "en" and v in ("places", "dwellings", "persons", "existing", "planned", "candidate", "open", "keep")), (ws.title, cell.coordinate, v)  # fmt: skip
                    assert not ISO_OR_QUARTER.match(v), (ws.title, cell.coordinate, v)
                    assert not re.fullmatch(r"-?[\d.,]+", v), (ws.title, cell.coordinate, v)


@pytest.mark.slow
def test_the_sheets_hold_what_they_claim(demo_book):
    language, folder, wb = demo_book
    en = language == "en"
    wijken = _frame(wb["Districts" if en else "Wijken"])
    per_1000 = "Places per 1,000 inhabitants" if en else "Plaatsen per 1.000 inwoners"
    places = "Places (existing and planned)" if en else "Plaatsen (bestaand en gepland)"
    people, threshold = ("Inhabitants", "Threshold per 1,000 inhabitants") if en else ("Inwoners", "Drempel per 1.000 inwoners")  # fmt: skip
    assert len(wijken) >= 2
    recomputed = wijken[places] / wijken[people] * 1000
    assert (recomputed - wijken[per_1000]).abs().max() < 0.01
    above = wijken["Above the threshold" if en else "Boven de drempel"]
    assert (above == (wijken[per_1000] > wijken[threshold])).all()

    budget = _frame(wb["Budget per year" if en else "Begroting per jaar"])
    costs, income, net = ("Costs (€)", "Income (€)", "Net cost (€)") if en else ("Kosten (€)", "Inkomsten (€)", "Netto kosten (€)")  # fmt: skip
    assert (budget[net] == budget[costs] - budget[income]).all()
    assert budget[costs].sum() > 0 and budget[income].sum() > 0
    money = pd.read_csv(folder / "results" / "plan_money_table.csv")
    mean_net = money[money["line"] == "net_cost"].set_index(["portfolio", "year"])["mean_eur"]
    assert abs(budget[net].sum() - mean_net.sum()) < len(budget) * 2  # the same money, rounded

    weights = _frame(wb["MCA weights" if en else "MCA-gewichten"])
    assert abs(weights["Weight" if en else "Gewicht"].sum() - 1) < 1e-6
    mca = _frame(wb["MCA per location" if en else "MCA per locatie"])
    crit = dict(zip(weights["Value in column" if en else "Waarde in kolom"], weights["Weight" if en else "Gewicht"], strict=True))  # fmt: skip
    scores = [c for c in mca.columns if c.startswith("Score ")]
    assert len(scores) == len(crit)
    total = sum(
        mca[s] * w for s, w in zip(scores, weights["Weight" if en else "Gewicht"], strict=True)
    )
    assert (total - mca["Total score" if en else "Totaalscore"]).abs().max() < 1e-3
    assert mca["Rank" if en else "Rang"].iloc[0] == 1

    need = _frame(wb["Need per scenario" if en else "Behoefte per scenario"])
    median, p10, p90 = ("Median" if en else "Mediaan", "P10", "P90")
    assert (need[p10] <= need[median]).all() and (need[median] <= need[p90]).all()
    shown = pd.read_csv(folder / "results" / "scenario_table.csv")
    first = shown.iloc[0, 3]  # "248 (228–272)": the text the report shows for the first month
    assert abs(float(first.split(" ")[0].replace(".", "").replace(",", "")) - need[median].iloc[0]) <= 0.51  # fmt: skip

    plan_money = _frame(wb["The plan's money" if en else "Geld van het plan"])
    assert plan_money.iloc[:, 1:].map(lambda v: isinstance(v, int | float)).all().all()

    assumptions = _frame(wb["All assumptions and sources" if en else "Alle aannames en bronnen"])
    assert len(assumptions) > 50
    value, source = ("Value", "Source") if en else ("Waarde", "Bron")
    numbers = assumptions[value].map(
        lambda v: isinstance(v, int | float) and not isinstance(v, bool)
    )
    assert numbers.mean() > 0.5  # values are numbers where they are numbers
    unit, date = ("Unit of the value", "Date") if en else ("Eenheid van de waarde", "Datum")
    assert assumptions[source].notna().all() and assumptions[date].notna().all()
    assert assumptions.loc[assumptions[value].notna(), unit].notna().all()


@pytest.mark.slow
def test_the_demo_workbook_is_the_same_bytes_every_time(demo_book, tmp_path):
    language, folder, _ = demo_book
    art = read_artefacts(folder)
    meta = ReportMeta(title="T", language=language)
    digests = {
        hashlib.sha256(write_workbook(art, tmp_path / f"{n}.xlsx", meta).read_bytes()).hexdigest()
        for n in "ab"
    }
    assert len(digests) == 1
