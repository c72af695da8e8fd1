"""A reader's checklist over the demo advice, in Dutch and in English (issue 15).

What a mayor, a project leader or a senior consultant reads must hold no machine words: no raw code
values (``ukraine``, ``places``, ``nieuwe_crisis``), no snake_case, no ISO months (``2035-12``) or
quarter codes (``2026Q2``), no "(s)" plurals, no file paths, no words of the other language, and
every besluitpunt names a date after the peildatum. The checks run on the visible text of the
advice's HTML (the PDF is printed from it) and on the deck's text.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

from checklist import CODES, text_problems  # tests/checklist.py: the words and patterns
from onderdak.cli.main import main
from onderdak.reporting.style import MONTH_NAMES

ROOT = Path(__file__).resolve().parents[1]
PEILDATUM = pd.Period("2026-01", freq="M")  # conftest pins ONDERDAK_PEILDATUM


class _Visible(HTMLParser):
    """Visible text of an HTML page, and the text of its table cells and besluitpunten."""

    SKIP = {"style", "script", "head", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.cells: list[str] = []
        self.decisions: list[str] = []
        self._skip = 0
        self._cell: list[str] | None = None
        self._in_decisions = False
        self._item: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        if tag in ("td", "th"):
            self._cell = []
        if tag == "div" and "ond-decisions" in (dict(attrs).get("class") or ""):
            self._in_decisions = True
        if tag == "li" and self._in_decisions:
            self._item = []
        if tag in ("p", "li", "td", "th", "div", "br", "h1", "h2", "h3", "tr", "figcaption"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip -= 1
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "li" and self._item is not None:
            self.decisions.append(" ".join("".join(self._item).split()))
            self._item = None
        if tag == "ol" and self._in_decisions:
            self._in_decisions = False

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._item is not None:
            self._item.append(data)


def visible(html: str) -> _Visible:
    parser = _Visible()
    parser.feed(html)
    return parser


_MONTHS = {name.lower(): i + 1 for names in MONTH_NAMES.values() for i, name in enumerate(names)}
_DATE = re.compile(
    r"\b(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d\d)\b"
    r"|\b([1-4])e kwartaal ((?:19|20)\d\d)\b|\bQ([1-4]) ((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def dates_in(text: str) -> list[pd.Period]:
    """The months named in a sentence ('februari 2026', '3e kwartaal 2027' → its first month)."""
    out = []
    for m in _DATE.finditer(text):
        if m.group(1):
            out.append(pd.Period(year=int(m.group(2)), month=_MONTHS[m.group(1).lower()], freq="M"))
        else:
            q, y = (m.group(3), m.group(4)) if m.group(3) else (m.group(5), m.group(6))
            out.append(pd.Period(year=int(y), month=3 * int(q) - 2, freq="M"))
    return out


def problems(
    text: str,
    cells: list[str],
    decisions: list[str],
    language: str,
    names: tuple[str, ...] = (),
    peildatum: pd.Period = PEILDATUM,
) -> list[str]:
    """Every item of the checklist the text fails, one line each ('' none).

    ``names`` are proper names of the case (municipality, locations, wijken): they may be Dutch in
    an English report and are left out of the language check.
    """
    out = text_problems(text, language, names)
    words = ("places", "dwellings", "persons", "existing", "planned") if language == "en" else ()
    out += [f"code in a table cell: {c!r}" for c in cells if c in CODES and c not in words]
    if not decisions:
        out.append("no besluitpunten")
    for i, item in enumerate(decisions, 1):
        if not any(d > peildatum for d in dates_in(item)):
            out.append(f"besluitpunt {i} names no date after {peildatum}: {item[:120]!r}")
    return out


# -- the checklist itself, on small texts -------------------------------------------------------


def test_checklist_catches_what_it_should():
    text = (
        "De kans is 12% in 2035-12 (2026Q2) voor 3 locatie(s), zie data/reference of locations.csv; "
        "the need for ukraine is high; Onderdak opent de locatie; nieuwe_crisis; AANNAME"
    )
    found = problems(text, ["asylum", "Oekraïners"], ["Kennis te nemen."], "nl")
    kinds = {f.split(":")[0] for f in found}
    assert kinds >= {
        "snake_case",
        "ISO month",
        "quarter code",
        "'(s)' plural",
        "file path",
        "machine word",
        "software as actor",
        "code in a table cell",
        "code word",
        "English word",
        "besluitpunt 1 names no date after 2026-01",
    }, found


def test_checklist_passes_clean_text_and_respects_names():
    nl = "De gemeente opent in februari 2026 Hotel The Bridge met 40 plaatsen (3e kwartaal 2026)."
    assert problems(nl, ["Oekraïners"], [nl], "nl", names=("Hotel The Bridge",)) == []
    en = "The municipality opens Kantoor De Linde with 40 places in February 2026 (Spreidingswet)."
    assert problems(en, ["Ukrainians"], [en], "en", names=("Kantoor De Linde",)) == []
    assert problems(en, [], ["Decide in January 2026."], "en")  # the peildatum is not after itself


def test_dates_in_reads_months_and_quarters():
    assert dates_in("uiterlijk in februari 2026 en in het 3e kwartaal 2027; Q4 2028") == [
        pd.Period("2026-02", freq="M"),
        pd.Period("2027-07", freq="M"),
        pd.Period("2028-10", freq="M"),
    ]


# -- the checklist over the demo advice ----------------------------------------------------------


def _names(case_path: Path) -> tuple[str, ...]:
    register = pd.read_csv(case_path.parent / "locations.csv")
    wijken = json.loads((case_path.parent / "wijken.geojson").read_text(encoding="utf-8"))
    wijk_names = [
        str(f["properties"].get(k))
        for f in wijken["features"]
        for k in ("wijk_name", "wijknaam", "name")
        if f["properties"].get(k)
    ]
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    return (case["title"], case["municipality"]["name"], *register["name"].astype(str), *wijk_names)


@pytest.fixture(scope="module", params=["nl", "en"])
def advice_run(request, demo_advice):
    return request.param, demo_advice(request.param)


@pytest.mark.slow
def test_the_advice_passes_the_readers_checklist(advice_run, demo_case_path):
    language, folder = advice_run
    page = visible((folder / "advice.html").read_text(encoding="utf-8"))
    found = problems(
        "".join(page.parts), page.cells, page.decisions, language, _names(demo_case_path)
    )
    assert not found, f"{len(found)} problems in the {language} advice:\n" + "\n".join(found)


@pytest.mark.slow
def test_the_deck_passes_the_readers_checklist(advice_run, demo_case_path):
    from pptx import Presentation

    language, folder = advice_run
    deck = Presentation(str(folder / "advice.pptx"))
    texts, cells = [], []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                cells += [c.text for row in shape.table.rows for c in row.cells]
    page = visible((folder / "advice.html").read_text(encoding="utf-8"))
    found = problems(
        "\n".join(texts + cells), cells, page.decisions, language, _names(demo_case_path)
    )
    assert not found, f"{len(found)} problems in the {language} deck:\n" + "\n".join(found)


# -- the collegevoorstel: sections in order, page 1 against its tables, the appendix, openbaar ------


@pytest.mark.slow
def test_the_sections_come_in_the_order_of_a_collegevoorstel(advice_run):
    from onderdak.reporting.i18n import text
    from onderdak.reporting.voorstel import SECTIONS

    language, folder = advice_run
    page = "".join(visible((folder / "advice.html").read_text(encoding="utf-8")).parts)
    headings = [text(f"voorstel.heading.{key}", language) for key in SECTIONS]
    where = [page.find("\n" + h) for h in headings]
    assert all(w >= 0 for w in where), dict(zip(headings, where, strict=True))
    assert where == sorted(where), dict(zip(headings, where, strict=True))


def _euros(cell: str) -> float:
    """'€ 10.245.000' or '€10,245,000' → 10245000.0."""
    return float(re.sub(r"[^\d]", "", str(cell)))


@pytest.mark.slow
def test_page_one_figures_equal_their_tables(advice_run):
    """The tiles on page 1: the shortfall chance per stream equals the plan's shortfall table; the
    net cost and the investment equal the plan's money table (medians over the paths)."""
    from onderdak.reporting import i18n

    language, folder = advice_run
    lines = (folder / "artefacts.jsonl").read_text(encoding="utf-8").splitlines()
    numbers = next(a for a in map(json.loads, lines) if a.get("kind") == "key_message")["numbers"]
    short = pd.read_csv(folder / "results" / "plan_shortfall.csv")
    for r in short.itertuples():
        tile = numbers[i18n.text("advice.tile.stream", language, stream=r.stream)]
        without = i18n.percent(r.shortfall_chance_without_plan_share, 0, language)
        with_plan = i18n.percent(r.shortfall_chance_with_plan_share, 0, language)
        assert tile == f"{without} → {with_plan}", (r.stream, tile)
    money = pd.read_csv(folder / "results" / "plan_money.csv")
    with_plan = money.columns[2]  # Post, without plan (median), with plan (median), band
    capex, net = money[with_plan].iloc[0], money[with_plan].iloc[-2]  # investments; net cash
    assert numbers[i18n.text("advice.tile.capex", language)] == i18n.millions(
        _euros(capex), 1, language
    )
    net_tile = next(
        v
        for k, v in numbers.items()
        if k.startswith(i18n.text("advice.tile.net", language, years="")[:12])
    )
    assert net_tile == i18n.millions(_euros(net), 1, language)


@pytest.mark.slow
def test_the_appendix_holds_at_most_two_pages(advice_run):
    """From the appendix heading to the glossary heading: at most two PDF pages."""
    import subprocess

    from onderdak.reporting.i18n import text

    language, folder = advice_run
    out = subprocess.run(
        ["pdftotext", "-layout", str(folder / "advice.pdf"), "-"],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        pytest.skip("pdftotext is not available")
    pages = out.stdout.split("\f")
    heading = text("voorstel.heading.bijlage", language)
    glossary = text("voorstel.heading.begrippen", language)
    first = next(
        i for i, p in enumerate(pages) if heading in p and "...." not in p.split(heading)[1][:10]
    )
    last = next(
        i
        for i, p in enumerate(pages)
        if i >= first and glossary in p and "...." not in p.split(glossary)[1][:10]
    )
    assert last - first + 1 <= 2, f"appendix on pages {first + 1}–{last + 1}"


def test_openbaar_hides_the_addresses_of_purchase_candidates(demo_case_path, tmp_path):
    """The public variant: every purchase candidate without its address, and with a generic name
    where its name gives the street away, in the register the whole report is computed on."""
    from onderdak.case.settings import load_case
    from onderdak.register.locations import load_register
    from onderdak.reporting.openbaar import public_case, purchase_candidates

    original = load_register(load_case(demo_case_path)).table
    hidden = purchase_candidates(original)
    assert hidden
    with public_case(demo_case_path, "nl") as public:
        register = load_register(load_case(public)).table
    for i in hidden:
        assert register.at[i, "address"] == "adres niet openbaar"
        street = str(original.at[i, "address"]).split()[0]
        assert street not in str(register.at[i, "name"])
    others = [i for i in original.index if i not in hidden]
    assert (register.loc[others, "address"] == original.loc[others, "address"]).all()


@pytest.mark.slow
def test_the_public_advice_names_no_address_of_a_purchase_candidate(demo_case_path, tmp_path):
    from pptx import Presentation

    from onderdak.case.settings import load_case
    from onderdak.register.locations import load_register
    from onderdak.reporting.openbaar import purchase_candidates

    original = load_register(load_case(demo_case_path)).table
    streets = [str(original.at[i, "address"]).split()[0] for i in purchase_candidates(original)]
    args = ["report", str(demo_case_path), "--notebook", "advice", "-p", "paths=60"]
    assert main([*args, "-p", "openbaar=true", "--out", str(tmp_path)]) == 0
    folder = next(tmp_path.rglob("manifest.json")).parent
    texts = [(folder / "advice.html").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in (folder / "results").glob("*.csv")]
    deck = Presentation(str(folder / "advice.pptx"))
    texts += [s.text_frame.text for sl in deck.slides for s in sl.shapes if s.has_text_frame]
    import openpyxl

    book = openpyxl.load_workbook(folder / "tables.xlsx", read_only=True)
    texts += [
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    found = [s for s in streets for t in texts if s in t]
    assert not found, f"addresses of purchase candidates in the public report: {sorted(set(found))}"


@pytest.mark.slow
def test_besluitpunt_2_names_every_location_with_places_form_and_a_later_date(advice_run):
    """Every location the plan opens is in besluitpunt 2 with its places and a decision date after
    the peildatum (the planning list's facts)."""
    from onderdak.reporting.i18n import number

    language, folder = advice_run
    page = visible((folder / "advice.html").read_text(encoding="utf-8"))
    point = page.decisions[1]
    plan = pd.read_csv(folder / "results" / "plan_table.csv")
    opened = plan[plan["action"] == "open"]
    assert len(opened)
    for r in opened.itertuples():
        start = point.find(str(r.name))
        assert start >= 0, (r.name, point[:200])
        part = point[start : start + len(str(r.name)) + 160]
        assert f"{number(r.places, 0, language)} " in part, part
        assert any(d > PEILDATUM for d in dates_in(part)), part


@pytest.mark.slow
def test_the_alternatives_stand_beside_the_plan_and_doing_nothing(advice_run):
    """The alternatives table: the recommended plan, doing nothing, no purchases and only
    extending, each with expected cost, investment and a chance of a shortfall per stream."""
    from onderdak.reporting.i18n import text

    language, folder = advice_run
    table = pd.read_csv(folder / "results" / "plan_alternatives.csv")
    names = [
        text(k, language)
        for k in (
            "voorstel.alt.row.plan",
            "voorstel.alt.row.none",
            "voorstel.alt.name.no_purchases",
            "voorstel.alt.name.extend_only",
        )
    ]
    assert list(table.iloc[:, 0]) == names
    chances = [
        c
        for c in table.columns
        if c.startswith(text("voorstel.alt.column.chance", language, stream="x")[:10])
    ]
    assert len(chances) == 2 and table[chances].notna().all().all()


def test_the_decisions_table_dates_a_late_decision_as_the_besluitpunten_do():
    """A decide-by month before the month after the peildatum is shown in that month, by the rule
    of the besluitpunten and the deck (voorstel_facts.due), in the table and in its workbook data."""
    from types import SimpleNamespace

    from onderdak.reporting.plan_tables import decide_by_after, decisions_display
    from onderdak.reporting.workbook_tables import decisions_data

    months = pd.Series(["2026-12", "2026-11", "2027-03", ""])
    assert decide_by_after(months, "2026-12").tolist() == ["2027-01", "2027-01", "2027-03", ""]
    plan = pd.DataFrame(
        {
            "location_id": ["L01", "L06"],
            "name": ["Hotel De Poort", "Azc Noord"],
            "action": ["open", "keep"],
            "quarter": ["2027Q2", ""],
            "decide_by": ["2026-12", ""],
            "places": [120.0, 300.0],
            "capex_eur": [0.0, 0.0],
            "cost_pv_eur": [1.0, 2.0],
            "why": ["open_cost", "keep"],
            "why_facts": ['{"recourse": "hotel"}', '{"until": "2030Q4"}'],
        }
    )
    result = SimpleNamespace(tables={"plan": plan})
    nl = decisions_display(result, "nl", brief=True, peildatum="2026-12")
    assert nl["besluit uiterlijk"].tolist() == ["januari 2027", ""]
    en = decisions_display(result, "en", brief=True, peildatum="2026-12")
    assert en["decide by"].tolist() == ["January 2027", ""]
    data = decisions_data(result, brief=True, language="nl", peildatum="2026-12")
    assert data["decide_by"].tolist() == ["2027-01", ""]
    full = decisions_data(result, language="en")  # the plan report: the reasons in words
    assert "why_facts" not in full and not full["why"].str.fullmatch(r"[a-z_;]+").any()


@pytest.mark.slow
def test_the_advice_decisions_table_has_no_decision_before_the_peildatum(advice_run):
    """The advice's table of decisions names the month the besluitpunten name (issue 15: the
    table said December 2026 where besluitpunt 2 said January 2027)."""
    from onderdak.reporting.voorstel_facts import due

    language, folder = advice_run
    data = pd.read_csv(folder / "results" / "plan_decisions_data.csv", dtype=str)
    plan = pd.read_csv(folder / "results" / "plan_table.csv", dtype=str)
    opened = plan[plan["action"] == "open"].set_index("name")
    assert len(opened)
    for r in data[data["action"] == "open"].itertuples():
        assert pd.Period(r.decide_by, freq="M") > PEILDATUM, r
        assert r.decide_by == str(due(opened.at[r.name, "decide_by"], PEILDATUM)[0]), r
    shown = pd.read_csv(folder / "results" / "plan_decisions.csv", dtype=str)
    column = "besluit uiterlijk" if language == "nl" else "decide by"
    for cell in shown[column].dropna():
        assert all(d > PEILDATUM for d in dates_in(cell)), cell
