"""The deck: built on a template's layouts, message titles, no overlapping text, renders.

A run folder is filled through the notebook API with tables shaped like the advice's (the plan's
locations, shortfall and money, the signposts and key assumptions), so the structured slides are
tested without running the notebook; ``test_the_demo_deck_*`` runs the demo once, with a
municipality's (4:3) template.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from pptx import Presentation  # noqa: E402
from pptx.enum.shapes import PP_PLACEHOLDER  # noqa: E402
from pptx.util import Inches  # noqa: E402

from onderdak.cli.main import main  # noqa: E402
from onderdak.core.errors import InputError  # noqa: E402
from onderdak.reporting import collect  # noqa: E402
from onderdak.reporting.artefacts import read_artefacts  # noqa: E402
from onderdak.reporting.deck import check_template, write_deck  # noqa: E402
from onderdak.reporting.deck_layouts import Box  # noqa: E402
from onderdak.reporting.deck_template import DEFAULT_TEMPLATE, build_template  # noqa: E402
from onderdak.reporting.report_meta import ReportMeta  # noqa: E402

RAW = (
    r"\bukraine\b",
    r"\basylum\b(?! seekers)",
    r"status_holders",
    r"\b\d{4}Q\d",
    r"\b\d{4}-\d{2}\b",
    "_eur",
)


def meta(language: str = "nl", template: str = "") -> ReportMeta:
    return ReportMeta(
        title="Bestuurlijk advies" if language == "nl" else "Advice to the board",
        subtitle="Opvang en huisvesting",
        municipality="Gemeente Voorbeeld",
        scenario="basis",
        date="6 december 2026",
        run_id="abc",
        language=language,
        fictional=True,
        notebook="advice",
        peildatum="2026-12",
        pptx_template=template,
    )


def _plan() -> pd.DataFrame:
    rows = [
        ("L02", "Stadskantoor, vleugel B", "keep", "2026Q4", "", 70, "ukraine:66.5", 0),
        ("L06", "Hotel De Poort", "open", "2027Q1", "2026-12", 40, "ukraine:40", 0),
        ("L07", "Huur: klooster Mariahof", "open", "2027Q3", "2027-03", 40, "ukraine:38", 180000),
        (
            "L09",
            "Zorgcentrum De Linde - aankoop",
            "open",
            "2028Q1",
            "2027-01",
            120,
            "asylum:120",
            3.88e6,
        ),
        ("L13", "Nieuw AZC Buitengebied", "open", "2029Q1", "2027-01", 200, "asylum:200", 0),
        (
            "L18",
            "Paviljoens Sportpark Noord",
            "open",
            "2033Q1",
            "2032-01",
            150,
            "asylum:150",
            875000,
        ),
        ("L01", "Basisschool De Klimop", "convert", "2028Q3", "", 80, "ukraine:76", 0),
        ("L12", "Kantoor Nijverheidsweg", "reject", "", "", 20, "", 0),
    ]
    cols = [
        "location_id",
        "name",
        "action",
        "quarter",
        "decide_by",
        "places",
        "streams",
        "capex_eur",
    ]
    return pd.DataFrame(rows, columns=cols)


def _money(language: str) -> pd.DataFrame:
    from onderdak.reporting.plan import money_row

    rows = {row: money_row(row, language) for row in ("capex", "net_cost")}
    return pd.DataFrame(
        {
            "Post": [rows["capex"], rows["net_cost"]],
            "Zonder plan (mediaan)": ["€ 5.500.000", "€ 10.710.604"],
            "Met plan (mediaan)": ["€ 10.245.000", "€ 15.476.950"],
            "Met plan, 80%-band": ["", "€ 12.594.610 – € 18.163.725"],
        }
    )


def _money_detail() -> pd.DataFrame:
    years = range(2026, 2037)
    return pd.DataFrame(
        {
            "scenario": "basis",
            "portfolio": "with_plan",
            "year": list(years),
            "line": "net_cost",
            "mean_eur": 1e6,
        }
    )


def fill(folder: Path, language: str = "nl") -> Path:
    """A run folder as the advice leaves it (fewer rows, the same tables and columns)."""
    collect.set_output_dir(folder)
    collect.set_language(language)
    try:
        if language == "en":
            collect.key_message(
                "Gemeente Voorbeeld needs about 508 places now.", {"Net cost": "€15.5 million"}
            )
            collect.decisions(["The board takes note of the need.", "The board adopts the plan."])
        else:
            collect.key_message(
                "Gemeente Voorbeeld heeft nu ongeveer 508 opvangplaatsen nodig. Zonder nieuwe locaties "
                "is de kans op een tekort 100% voor asielzoekers; het aanbevolen plan opent 5 locaties.",
                {
                    "Kans op een tekort, zonder → met plan": "100% → 6%",
                    "Netto kosten": "€ 15,5 mln",
                },
            )
            collect.decisions(
                [
                    "Het college neemt kennis van de behoefte — nu 248 plaatsen voor Oekraïners "
                    "(mediaan; een taakstelling van ongeveer 34 statushouders per halfjaar) — en "
                    "neemt die als uitgangspunt. Argument: de cijfers volgen de landelijke reeksen.",
                    "Het college stemt in met het aanbevolen plan: "
                    + "; ".join(
                        f"Voormalig zorgcentrum De Linde {i} (hotel, 40 plaatsen, 1e kwartaal 2027)"
                        for i in range(9)
                    )
                    + "; investering € 10,2 mln; het eerste besluit is al nodig: uiterlijk in januari "
                    "2027. Argument: de kans op een tekort daalt.",
                    "Het college stelt de raad voor een netto budget van € 15,5 mln te reserveren.",
                    "Het college laat de signaalwaarden halfjaarlijks rapporteren.",
                    "Het college herijkt het advies na elke MPP.",
                ]
            )
        for key, title in (("need", "Behoefte per doelgroep"), ("map", "Locaties per wijk")):
            fig, ax = plt.subplots(figsize=(8, 4) if key == "need" else (4, 6))
            ax.plot([1, 2, 3])
            collect.show_figure(fig, key, title, caption="Mediaan en 80%-band.", source="CBS")
        periods = [str(p) for p in pd.period_range("2026-12", periods=6, freq="M")]
        need = pd.DataFrame(
            [
                ("basis", s, "places", p, 250 - i, 240 - i)
                for s in ("ukraine", "asylum")
                for i, p in enumerate(periods)
            ],
            columns=["scenario", "stream", "unit", "period", "mean", "p50"],
        )
        collect.record_table(need, "need_table", "Behoefte")
        collect.record_table(_plan(), "plan_table", "Plan")
        collect.record_table(
            pd.DataFrame(
                {
                    "stream": ["ukraine", "asylum"],
                    "window_from": ["2027Q1", "2027Q1"],
                    "shortfall_chance_without_plan_share": [0.993, 1.0],
                    "shortfall_chance_with_plan_share": [0.151, 0.062],
                    "reliability_share": [0.81, 0.9],
                    "reliability_asked_share": [0.9, 0.9],
                }
            ),
            "plan_shortfall",
            "Tekort",
        )
        collect.show_table(_money(language), "plan_money", "Geld van het plan")
        collect.record_table(_money_detail(), "plan_money_table", "Geld")
        collect.show_table(
            pd.DataFrame(
                {
                    "signaal": [f"Signaal {i}" for i in range(7)],
                    "bron": "CBS",
                    "wanneer": "elk kwartaal",
                    "drempel": "meer dan 10.348 per kwartaal",
                    "stap": "Kandidaat-locaties in voorbereiding nemen; COA-gesprek",
                }
            ),
            "signposts",
            "Signaalwaarden",
        )
        collect.show_table(
            pd.DataFrame(
                {
                    "Uitgangspunt": ["Normbedrag GOO", "Discontovoet"],
                    "Waarde": ["€ 44,00 per plaats per dag", "2,5%"],
                    "Status": ["aanname", "aanname"],
                    "Waarom het telt": [
                        "De grootste inkomstenpost.",
                        "Weegt kosten over de jaren.",
                    ],
                }
            ),
            "key_assumptions",
            "Uitgangspunten",
        )
    finally:
        collect.set_output_dir(None)
        collect.set_language(None)
    return folder


@pytest.fixture
def recorded(tmp_path, capsys) -> Path:
    folder = fill(tmp_path / "run")
    capsys.readouterr()
    return folder


def four_by_three(path: Path) -> Path:
    """A municipality's template: python-pptx's default, 4:3, layouts in another order."""
    prs = Presentation()
    layouts = prs.slide_masters[0].slide_layouts
    ids = layouts._sldLayoutIdLst
    first = ids[0]
    ids.remove(first)
    ids.append(first)  # the title slide last: picked by its placeholders, not its index
    prs.slides.add_slide(prs.slide_layouts[0])  # an example slide the deck must drop
    prs.save(path)
    return path


# ------------------------------------------------------------------------------------------
def _resolved_box(shape, slide) -> Box:
    """A shape's box; a placeholder without its own position takes its layout's, then its
    master's (resolved here from the XML, not through python-pptx's inheritance)."""
    xfrm = shape._element.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm")
    if xfrm is None and shape.is_placeholder:
        fmt = shape.placeholder_format
        layout = slide.slide_layout
        for source in (layout.placeholders, layout.slide_master.placeholders):
            for ph in source:
                same = (
                    ph.placeholder_format.idx == fmt.idx
                    if source is layout.placeholders
                    else ph.placeholder_format.type == fmt.type
                    or (
                        fmt.type == PP_PLACEHOLDER.OBJECT
                        and ph.placeholder_format.type == PP_PLACEHOLDER.BODY
                    )
                )
                found = ph._element.find(
                    ".//{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm"
                )
                if same and found is not None:
                    return _xfrm_box(found)
        raise AssertionError(f"no position for {shape.name}")
    return _xfrm_box(xfrm) if xfrm is not None else Box(0, 0, 0, 0)


def _xfrm_box(xfrm) -> Box:
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    off, ext = xfrm.find(f"{ns}off"), xfrm.find(f"{ns}ext")
    return Box(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))


def content_shapes(slide) -> list:
    """The shapes that carry text (or a table or picture) on a slide."""
    out = []
    for shape in slide.shapes:
        text = shape.text_frame.text.strip() if shape.has_text_frame else ""
        if text or shape.has_table or shape.shape_type == 13:
            out.append(shape)
    return out


def overlaps(path: Path) -> list[str]:
    prs = Presentation(str(path))
    found = []
    for number, slide in enumerate(prs.slides, start=1):
        shapes = [(s, _resolved_box(s, slide)) for s in content_shapes(slide)]
        for box in (b for _, b in shapes):
            assert box.left >= 0 and box.top >= 0
            assert box.right <= prs.slide_width and box.bottom <= prs.slide_height
        for i, (a, box_a) in enumerate(shapes):
            for b, box_b in shapes[i + 1 :]:
                if box_a.overlaps(box_b):
                    found.append(f"slide {number}: {a.name!r} overlaps {b.name!r}")
    return found


def slide_texts(path: Path) -> list[str]:
    out = []
    for slide in Presentation(str(path)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
        out.append("\n".join(parts))
    return out


# ------------------------------------------------------------------------------------------
def test_the_committed_template_is_what_the_builder_makes(tmp_path):
    made = build_template(tmp_path / "deck.pptx")
    assert made.read_bytes() == DEFAULT_TEMPLATE.read_bytes()
    prs = Presentation(str(DEFAULT_TEMPLATE))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))


def test_every_slide_is_built_on_a_layout_with_its_title_in_the_title_placeholder(
    recorded, tmp_path
):
    path = write_deck(read_artefacts(recorded), tmp_path / "deck.pptx", meta())
    prs = Presentation(str(path))
    slides = list(prs.slides)
    assert (
        len(slides) == 10
    )  # cover, key, decisions, plan, money, risks, signposts, planning, 2 figures
    for slide in slides:
        assert slide.slide_layout.name != "Blank"
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text.strip()
        for shape in slide.shapes:  # no free text boxes: text is in placeholders or tables
            if shape.has_text_frame and shape.text_frame.text.strip():
                assert shape.is_placeholder, f"{shape.name} on {slide.slide_layout.name}"
    body = [
        s
        for s in slides[2].placeholders
        if s.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    ]
    assert len(body) == 1 and len(body[0].text_frame.paragraphs) == 5  # one body, 5 paragraphs


def test_titles_are_messages_with_the_recorded_numbers(recorded, tmp_path):
    path = write_deck(read_artefacts(recorded), tmp_path / "deck.pptx", meta())
    titles = [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides]
    assert titles[1] == (
        "Zonder nieuwe locaties is een tekort vrijwel zeker; met het plan is de kans 6% voor "
        "asielzoekers en 15% voor Oekraïners"
    )
    # the first decision (Hotel De Poort, december 2026) is due after the peildatum: january 2027
    assert (
        titles[2]
        == "Vijf besluitpunten voor het college; het eerste locatiebesluit is nodig in januari 2027"
    )
    assert titles[3].startswith("Het plan opent vijf locaties met 550 plaatsen en herbestemt")
    assert titles[4] == (
        "Met het plan kost de opvang de gemeente netto €\u00a015,5\u00a0mln over 2026–2036, "
        "€\u00a04,8\u00a0mln meer dan zonder plan"
    )
    assert titles[5].startswith("Voor Oekraïners haalt het plan de gevraagde betrouwbaarheid niet")
    assert titles[6] == "Zeven signaalwaarden zeggen wanneer het plan moet worden bijgesteld"
    assert titles[7].startswith("Het eerste besluit is nodig in januari 2027; tot januari 2032")
    assert titles[8].startswith("Nu zijn ongeveer 480 plaatsen nodig")


def test_decisions_per_location_name_place_action_places_and_dates(recorded, tmp_path):
    path = write_deck(read_artefacts(recorded), tmp_path / "deck.pptx", meta())
    slide = Presentation(str(path)).slides[3]
    table = next(s.table for s in slide.shapes if s.has_table)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Locatie", "Doelgroep", "Besluit", "Plaatsen", "Vanaf", "Besluit uiterlijk"]
    assert [
        "Hotel De Poort",
        "Oekraïners",
        "Openen",
        "40",
        "1e kwartaal 2027",
        "januari 2027",
    ] in rows
    assert [
        "Basisschool De Klimop",
        "Oekraïners",
        "Herbestemmen",
        "80",
        "3e kwartaal 2028",
        "",
    ] in rows
    assert not any("Stadskantoor" in r[0] or "Nijverheidsweg" in r[0] for r in rows)


def test_long_besluitpunten_keep_their_head_and_deadline_and_all_words_go_to_the_notes(
    recorded, tmp_path
):
    path = write_deck(read_artefacts(recorded), tmp_path / "deck.pptx", meta())
    slide = Presentation(str(path)).slides[2]
    text = (
        slide.placeholders[1].text_frame.text
        if 1 in [p.placeholder_format.idx for p in slide.placeholders]
        else ""
    )
    assert "2. Het college stemt in met het aanbevolen plan …" in text
    assert "uiterlijk in januari 2027" in text and "Argument" not in text
    assert "De Linde 8" in slide.notes_slide.notes_text_frame.text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_raw_codes_and_the_language_of_the_run(tmp_path, capsys, language):
    folder = fill(tmp_path / "run", language)
    capsys.readouterr()
    path = write_deck(read_artefacts(folder), tmp_path / "deck.pptx", meta(language))
    text = "\n".join(slide_texts(path))
    for code in RAW:
        assert not re.search(code, text), code
    dutch = ("Zonder nieuwe locaties", "besluitpunten", "Het plan opent", "signaalwaarden")
    english = ("Without new locations", "decisions for", "The plan opens", "signposts say")
    for word in english if language == "nl" else dutch:
        assert word not in text
    for word in dutch if language == "nl" else english:
        assert word in text


@pytest.mark.parametrize("which", ["default", "4:3"])
def test_no_two_text_shapes_overlap(recorded, tmp_path, which):
    template = four_by_three(tmp_path / "gemeente.pptx") if which == "4:3" else None
    path = write_deck(read_artefacts(recorded), tmp_path / "deck.pptx", meta(), template)
    assert not overlaps(path)
    if template is not None:
        prs = Presentation(str(path))
        assert prs.slide_width == Inches(10)  # the municipality's size, not Onderdak's
        assert len(prs.slides) == 10  # its example slide dropped
        names = {s.slide_layout.name for s in prs.slides}
        assert {"Title Slide", "Title and Content", "Title Only"} <= names


def test_the_same_run_gives_the_same_bytes(recorded, tmp_path):
    a = write_deck(read_artefacts(recorded), tmp_path / "a.pptx", meta())
    b = write_deck(read_artefacts(recorded), tmp_path / "b.pptx", meta())
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_a_template_without_usable_layouts_or_not_a_pptx_is_an_input_error(tmp_path):
    missing = tmp_path / "nope.pptx"
    with pytest.raises(InputError, match="does not exist"):
        check_template(missing)
    text = tmp_path / "text.pptx"
    text.write_text("not a presentation", encoding="utf-8")
    with pytest.raises(InputError, match="not a PowerPoint file"):
        check_template(text)
    other = tmp_path / "other.pptx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("a.txt", "a")
    with pytest.raises(InputError, match="not a readable PowerPoint file"):
        check_template(other)
    assert check_template(None) == DEFAULT_TEMPLATE


def test_the_cli_refuses_a_bad_template_with_exit_2_before_running(
    tmp_path, capsys, demo_case_path
):
    bad = tmp_path / "bad.pptx"
    bad.write_text("x", encoding="utf-8")
    code = main(
        ["report", str(demo_case_path), "--pptx-template", str(bad), "--out", str(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code == 2 and "--pptx-template" in err and "Traceback" not in err
    assert not list(tmp_path.rglob("manifest.json"))


@pytest.mark.parametrize("which", ["default", "4:3"])
def test_the_deck_renders_with_libreoffice(recorded, tmp_path, which):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the deck is not rendered here")
    template = four_by_three(tmp_path / "gemeente.pptx") if which == "4:3" else None
    path = write_deck(read_artefacts(recorded), tmp_path / "deck.pptx", meta(), template)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == len(Presentation(str(path)).slides)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "s")], check=True)
        assert len(list(tmp_path.glob("s-*.png"))) == len(Presentation(str(path)).slides)


@pytest.mark.slow
def test_the_demo_deck_with_a_municipality_template(tmp_path, demo_case_path):
    template = four_by_three(tmp_path / "gemeente.pptx")
    args = ["report", str(demo_case_path), "-p", "paths=60", "--formats", "pptx"]
    assert main([*args, "--pptx-template", str(template), "--out", str(tmp_path / "r")]) == 0
    deck = next((tmp_path / "r").rglob("advice.pptx"))
    assert not overlaps(deck)
    prs = Presentation(str(deck))
    assert prs.slide_width == Inches(10) and len(prs.slides) >= 10
    text = "\n".join(slide_texts(deck))
    for code in RAW:
        assert not re.search(code, text), code


def test_a_recorded_message_is_the_slide_title(tmp_path, capsys):
    collect.set_output_dir(tmp_path)
    try:
        fig, ax = plt.subplots()
        ax.plot([1, 2])
        collect.show_figure(fig, "risk", "Kans op een tekort", message="Het risico piekt in 2031")
        collect.show_table(
            pd.DataFrame({"a": [1]}), "t", "Tabel", deck=True, message="Eén rij is genoeg"
        )
    finally:
        collect.set_output_dir(None)
    capsys.readouterr()
    path = write_deck(read_artefacts(tmp_path), tmp_path / "deck.pptx", meta())
    titles = [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides]
    assert titles[1:] == ["Het risico piekt in 2031", "Eén rij is genoeg"]
