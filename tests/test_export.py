"""Tests of the exports (onderdak.reporting.export, collect, workbook, deck), checked as a person would."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import openpyxl
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pptx import Presentation

from onderdak.reporting import collect
from onderdak.reporting.artefacts import read_artefacts
from onderdak.reporting.deck import write_deck
from onderdak.reporting.export import render_html
from onderdak.reporting.report_meta import ReportMeta
from onderdak.reporting.workbook import write_workbook

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "notebooks" / "tiny.ipynb"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
INSTALL = "install them with `apt-get install chromium poppler-utils` (Debian/Ubuntu)"
META = ReportMeta(
    title="Testrapport",
    subtitle="Ondertitel",
    municipality="Gemeente Test",
    scenario="midden",
    date="1 januari 2026",
    run_id="RUN",
    version="0.1.0",
    fictional=True,
    notebook="tiny",
)
CASE_YAML = """\
name: exportcase
title: "Opvang en huisvesting — Gemeente Test (fictief)"
fictional: true
municipality: {name: Gemeente Test, code: GM9998, population_persons: 10000}
start: 2026-01
price_year: 2026
"""


def png_hashes_in_html(html: str) -> set[str]:
    return {
        hashlib.sha256(base64.b64decode(b64)).hexdigest()
        for b64 in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"', html)
    }


def deck_picture_hashes(path: Path) -> list[str]:
    return [
        hashlib.sha256(shape.image.blob).hexdigest()
        for slide in Presentation(str(path)).slides
        for shape in slide.shapes
        if shape.shape_type == 13  # MSO_SHAPE_TYPE.PICTURE
    ]


@pytest.fixture
def recorded(tmp_path, capsys) -> Path:
    """A run folder filled through the notebook API, outside a kernel."""
    collect.set_output_dir(tmp_path)
    try:
        collect.key_message(
            "Er zijn 120 plaatsen nodig.", {"Behoefte 2027": "120 plaatsen", "Tekortkans": "23%"}
        )
        collect.decisions(["Kennis te nemen van de behoefte.", "In te stemmen met het plan."])
        for key in ("one", "two"):
            fig, ax = plt.subplots()
            ax.plot([1, 2, 3])
            collect.show_figure(
                fig, key, f"Figuur {key}", caption="Uitleg.", notes=f"{key}: 120 plaatsen"
            )
        table = pd.DataFrame(
            {
                "stream": ["ukraine", "asylum"],
                "need_places": [120.5, 80.25],
                "cost_eur": [1_250_000, 980_000],
                "covered_share": [0.9, 0.75],
            }
        )
        collect.show_table(
            table,
            "need",
            "Behoefte",
            units={"need_places": "plaatsen", "cost_eur": "EUR"},
            deck=True,
            notes="Behoefte per doelgroep",
        )
        collect.record_table(
            pd.DataFrame({"period": ["2026-01"], "mean_places": [3.0]}), "long", "Lang"
        )
    finally:
        collect.set_output_dir(None)
    capsys.readouterr()
    return tmp_path


def test_collect_records_figures_tables_and_messages(recorded):
    art = read_artefacts(recorded)
    assert [f["key"] for f in art.figures] == ["one", "two"]
    assert (recorded / "figures" / "one.png").read_bytes()[:4] == b"\x89PNG"
    assert (recorded / "figures" / "one.svg").exists()
    assert [t["key"] for t in art.tables] == ["need", "long"]
    assert art.table(art.tables[0])["need_places"].tolist() == [120.5, 80.25]
    assert art.tables[0]["units"] == {"need_places": "plaatsen", "cost_eur": "EUR"}
    assert art.key_message["numbers"]["Tekortkans"] == "23%"
    assert len(art.decisions["items"]) == 2


def test_collect_without_a_run_folder_only_displays(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(collect.ENV_OUTPUT_DIR, raising=False)
    monkeypatch.chdir(tmp_path)
    fig, _ = plt.subplots()
    collect.show_figure(fig, "x", "X")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="artefact key"):
        collect.show_figure(plt.figure(), "bad key!", "X")


def test_table_html_uses_dutch_numbers_and_units():
    html = collect.table_html(pd.DataFrame({"a": [1234567, 2], "b": [0.5, 12.25]}), {"a": "EUR"})
    assert "1.234.567" in html and "0,50" in html and "12,25" in html
    assert "(EUR)</span>" in html and 'class="num"' in html


def test_an_english_report_uses_english_separators():
    from onderdak.reporting.style import euro, thousands

    frame = pd.DataFrame({"a": [1234567, 2], "b": [0.5, 12.25]})
    collect.set_language("en")
    try:
        html = collect.table_html(frame, {"a": "EUR"})
        assert "1,234,567" in html and "0.50" in html and "12.25" in html
        assert euro(-10_300_000.0) == "−€10,300,000" and thousands(990) == "990"
    finally:
        collect.set_language("nl")
    assert euro(-10_300_000.0) == "−€\u00a010.300.000" and "1.234.567" in collect.table_html(frame)


def test_workbook_has_every_table_with_units_in_headers(recorded, tmp_path):
    path = write_workbook(read_artefacts(recorded), tmp_path / "tables.xlsx", META)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Inhoud", "Behoefte", "Lang", "Kolommen"]  # sheets named by title
    ws = wb["Behoefte"]
    assert [c.value for c in ws[1]] == [
        "Doelgroep",  # a column of the dictionary: its label; others keep name and unit
        "need_places [plaatsen]",
        "cost_eur [EUR]",
        "covered_share",
    ]
    assert ws["A2"].value == "Oekraïners" and ws["A3"].value == "Asielzoekers"
    assert ws["B2"].value == 120.5 and ws["C3"].value == 980_000
    assert ws["D2"].number_format == "0.0%" and ws["C2"].number_format == "#,##0"
    index_rows = [tuple(c.value for c in row[:3]) for row in wb["Inhoud"].iter_rows()]
    assert ("Behoefte", "Behoefte", 2) in index_rows and ("Lang", "Lang", 1) in index_rows
    assert wb["Inhoud"]["A1"].value == "Testrapport"
    assert wb["Lang"]["A1"].value == "Maand" and wb["Lang"]["B1"].value == "mean_places"
    assert wb["Lang"]["A2"].value == dt.datetime(2026, 1, 1)


def test_deck_has_title_key_message_decisions_figures_and_notes(recorded, tmp_path):
    path = write_deck(read_artefacts(recorded), tmp_path / "deck.pptx", META)
    prs = Presentation(str(path))
    slides = list(prs.slides)
    texts = [
        "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides
    ]
    assert len(slides) == 6  # title, key message, decisions, 2 figures, 1 table
    assert "Testrapport" in texts[0] and "Fictieve gegevens" in texts[0]
    assert "Er zijn 120 plaatsen nodig." in texts[1] and "23%" in texts[1]
    assert "In te stemmen met het plan." in texts[2]
    notes = [slide.notes_slide.notes_text_frame.text for slide in slides]
    assert "Tekortkans: 23%" in notes[1]
    assert notes[3] == "one: 120 plaatsen"
    for slide in slides:  # nothing sticks out of a 16:9 slide
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height
    tables = [s.table for s in slides[5].shapes if s.has_table]
    assert tables and tables[0].cell(0, 1).text == "need_places [plaatsen]"
    assert tables[0].cell(1, 1).text == "120"  # column of values ≥ 100: no decimals
    assert tables[0].cell(1, 2).text == "1.250.000"
    recorded_pngs = {
        hashlib.sha256((recorded / "figures" / f"{k}.png").read_bytes()).hexdigest()
        for k in ("one", "two")
    }
    assert set(deck_picture_hashes(path)) == recorded_pngs


def test_html_has_title_page_toc_and_no_code():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Advies\n\nInleiding."),
            new_code_cell(
                "secret_code = 42", outputs=[new_output("stream", name="stderr", text="warning!")]
            ),
            new_markdown_cell("## Behoefte"),
            new_code_cell(
                "print(1)", outputs=[new_output("stream", name="stdout", text="zichtbaar\n")]
            ),
            new_markdown_cell("## Behoefte"),
        ]
    )
    html = render_html(nb, META.__class__(**{**META.as_dict(), "title": "Advies"}))
    assert "secret_code" not in html and "warning!" not in html and "In [" not in html
    assert "zichtbaar" in html and 'class="ond-titlepage"' in html
    assert html.count("<h1") == 1  # the notebook's title moved to the title page
    assert '<a href="#Behoefte">' in html and '<a href="#Behoefte-2">' in html
    assert "Fictieve gegevens" in html and "Pagina" in html
    english = render_html(nb, META.__class__(**{**META.as_dict(), "language": "en"}))
    assert ">Contents<" in english and '"Page "' in english and "Fictional data" in english


def test_front_matter_is_on_the_first_page_and_code_headings_count():
    key = '<div class="ond-key-message">Kernboodschap: 496 plaatsen</div>'
    nb = new_notebook(
        cells=[
            new_code_cell(
                "title()", outputs=[new_output("display_data", data={"text/markdown": "# Advice"})]
            ),
            new_code_cell(
                "key_message()", outputs=[new_output("display_data", data={"text/html": key})]
            ),
            new_code_cell(
                "section('need')",
                outputs=[new_output("display_data", data={"text/markdown": "## Need"})],
            ),
            new_code_cell(
                "print(1)", outputs=[new_output("stream", name="stdout", text="body text\n")]
            ),
            new_markdown_cell("## Money"),
        ]
    )
    html = render_html(nb, META.__class__(**{**META.as_dict(), "title": ""}))
    front, toc = html.index('class="ond-front ond-front-lead"'), html.index('class="ond-toc"')
    assert front < html.index("Kernboodschap: 496") < toc < html.index("body text")
    assert (
        '<h1 class="ond-title">Advice</h1>' in html
    )  # the title from a code cell's Markdown output
    assert re.findall(r'<li><a href="#[^"]+">([^<]+)</a>', html) == ["Need", "Money"]
    # without a ## heading there is no front matter: everything is body, as before
    plain = render_html(new_notebook(cells=nb.cells[:2]), META)
    assert "ond-front ond-front-lead" not in plain and "Kernboodschap: 496" in plain


# -- slow: the real thing, rendered as a person would see it --------------------------------------
@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    from onderdak.reporting.runner import run_report

    tmp = tmp_path_factory.mktemp("export")
    case = tmp / "case.yaml"
    case.write_text(CASE_YAML, encoding="utf-8")
    return run_report(
        case, TINY, {"points": "24"}, out=tmp / "reports", formats=("html", "pdf", "pptx", "xlsx")
    )


def _chromium(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    base = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'chromium-profile'}",
    ]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_html_in_chromium_shows_no_code_and_no_error(full_run, tmp_path):
    if CHROMIUM is None:
        pytest.skip(f"chromium not found: {INSTALL}")
    html_file = full_run.folder / "tiny.html"
    dom = _chromium(["--dump-dom", html_file.as_uri()], tmp_path).stdout
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", dom, flags=re.S))
    assert "Testrapport Onderdak" in text and "Inhoud" in text and "Besluitpunten" in text
    for bad in ("Traceback", "Error", "In [", "import ", "show_figure(", "Passed unknown"):
        assert bad not in text, f"the rendered report shows {bad!r}"


@pytest.mark.slow
def test_pdf_pages_render(full_run, tmp_path):
    if PDFTOPPM is None:
        pytest.skip(f"pdftoppm not found: {INSTALL}")
    pdf = full_run.folder / "tiny.pdf"
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "30", str(pdf), str(tmp_path / "p")], check=True, timeout=120
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == full_run.pdf_pages >= 3  # key message and decisions, contents, body
    if PDFTOTEXT is not None:
        first = subprocess.run(
            [PDFTOTEXT, "-f", "1", "-l", "1", str(pdf), "-"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert "naar verwachting" in first and "Testrapport Onderdak" in first  # the key message

    assert pdf.read_bytes()[:5] == b"%PDF-"


@pytest.mark.slow
def test_every_deck_figure_is_in_the_html_and_xlsx_has_the_tables(full_run):
    html = (full_run.folder / "tiny.html").read_text(encoding="utf-8")
    in_deck = deck_picture_hashes(full_run.folder / "tiny.pptx")
    assert len(in_deck) == 2
    assert set(in_deck) <= png_hashes_in_html(html)
    wb = openpyxl.load_workbook(full_run.folder / "tables.xlsx")
    assert wb["Behoefte per maand"]["B1"].value == "need_places [plaatsen]"
    assert wb["Behoefte per maand"].max_row == 25
    frame = pd.read_csv(full_run.folder / "results" / "need_table.csv")
    assert frame["need_places"].iloc[-1] == 23.0
    executed = nbformat.read(str(full_run.folder / "tiny.ipynb"), 4)
    assert executed.metadata["papermill"]["parameters"]["points"] == 24


def test_a_region_overview_names_its_area_a_region():
    region = META.__class__(**{**META.as_dict(), "notebook": "region"})
    assert region.words()["municipality"] == "Regio" and META.words()["municipality"] == "Gemeente"
    html = render_html(new_notebook(cells=[new_markdown_cell("# Overzicht")]), region)
    assert "<dt>Regio</dt>" in html and "<dt>Gemeente</dt>" not in html


def test_a_heading_with_an_accent_has_an_ascii_id_its_contents_link_finds():
    """'Financiën': nbconvert's id is percent-encoded while the link is decoded, so WeasyPrint found
    no anchor for the table of contents; the id is now ASCII and the link the same string."""
    from onderdak.reporting.export import headings

    found, body = headings("<h2>Financiën</h2><h2>Kanttekeningen en risico's</h2>")
    assert [h.id for h in found] == ["Financien", "Kanttekeningen-en-risico-s"]
    assert 'id="Financien"' in body
