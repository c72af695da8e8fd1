"""Build an editable PPTX deck from the figures, tables, key message and decisions a run recorded.

Slides: title, key message (with headline numbers), decisions, then one slide per recorded figure
(and per table marked ``deck=True``), at most :data:`MAX_SLIDES` in all. Every picture is the
PNG recorded by :func:`model.reporting.collect.show_figure`, so every deck figure is in the HTML;
speaker notes carry the numbers the author gave in ``notes``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from model.reporting.artefacts import Artefacts
from model.reporting.export import ReportMeta, fix_zip_times
from model.reporting.tablefmt import column_decimals, format_value

MAX_SLIDES = 10
MAX_TABLE_ROWS = 12
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
BLUE = RGBColor(0x1F, 0x5F, 0xA8)
ORANGE = RGBColor(0xD9, 0x82, 0x2B)
INK = RGBColor(0x1D, 0x27, 0x33)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
TINT = RGBColor(0xF2, 0xF5, 0xF9)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
FONT = "Calibri"
_WORDS = {
    "nl": {
        "key": "Kernboodschap",
        "decisions": "Besluitpunten",
        "source": "Bron",
        "fictional": "Fictieve gegevens — uitsluitend ter demonstratie",
        "rows": "rijen meer in het XLSX",
    },
    "en": {
        "key": "Key message",
        "decisions": "Decisions",
        "source": "Source",
        "fictional": "Fictional data — for demonstration only",
        "rows": "more rows in the XLSX",
    },
}


def _text(
    slide,
    left,
    top,
    width,
    height,
    text,
    size=18,
    bold=False,
    color=INK,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    lines = text.split("\n") if isinstance(text, str) else list(text)
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        run = para.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = color
    return box


def _rect(slide, left, top, width, height, fill, shape=MSO_SHAPE.RECTANGLE):
    rect = slide.shapes.add_shape(shape, left, top, width, height)
    rect.fill.solid()
    rect.fill.fore_color.rgb = fill
    rect.line.fill.background()
    rect.shadow.inherit = False
    return rect


def _header(slide, title: str, kicker: str | None = None) -> None:
    _rect(slide, 0, 0, WIDTH, Inches(0.12), NAVY)
    if kicker:
        _text(
            slide,
            MARGIN,
            Inches(0.35),
            WIDTH - 2 * MARGIN,
            Inches(0.35),
            kicker.upper(),
            12,
            True,
            BLUE,
        )
    _text(slide, MARGIN, Inches(0.6), WIDTH - 2 * MARGIN, Inches(0.8), title, 28, True, NAVY)


def _footer(slide, meta: ReportMeta, number: int) -> None:
    left = meta.municipality or meta.title
    if meta.fictional:
        left += " · " + _WORDS.get(meta.language, _WORDS["nl"])["fictional"]
    _text(slide, MARGIN, HEIGHT - Inches(0.45), Inches(9), Inches(0.3), left, 10, color=MUTED)
    _text(
        slide,
        WIDTH - MARGIN - Inches(1),
        HEIGHT - Inches(0.45),
        Inches(1),
        Inches(0.3),
        str(number),
        10,
        color=MUTED,
        align=PP_ALIGN.RIGHT,
    )


def _message_size(text: str) -> int:
    """Point size of the key message so that it fits its box (about three lines)."""
    return 28 if len(text) <= 130 else (24 if len(text) <= 190 else 20)


def _notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def _title_slide(prs, meta: ReportMeta) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _rect(slide, 0, 0, WIDTH, HEIGHT, NAVY)
    _rect(slide, 0, HEIGHT - Inches(0.25), WIDTH, Inches(0.25), ORANGE)
    _text(slide, Inches(0.9), Inches(0.8), Inches(8), Inches(0.4), "ONDERDAK", 14, True, WHITE)
    _text(
        slide,
        Inches(0.9),
        Inches(2.3),
        Inches(11.5),
        Inches(1.8),
        meta.title,
        40,
        True,
        WHITE,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    sub = " · ".join(x for x in (meta.subtitle, meta.municipality) if x and x != meta.title)
    _text(slide, Inches(0.9), Inches(4.2), Inches(11.5), Inches(0.6), sub, 22, False, WHITE)
    facts = " · ".join(x for x in (meta.scenario and f"Scenario {meta.scenario}", meta.date) if x)
    _text(slide, Inches(0.9), Inches(5.0), Inches(11.5), Inches(0.5), facts, 16, False, WHITE)
    if meta.fictional:
        _text(
            slide,
            Inches(0.9),
            Inches(6.2),
            Inches(11.5),
            Inches(0.4),
            _WORDS.get(meta.language, _WORDS["nl"])["fictional"],
            14,
            True,
            ORANGE,
        )
    _notes(slide, f"{meta.title}. {sub}. {facts}. Run {meta.run_id}.")


def _key_message_slide(
    prs, entry: dict[str, Any], meta: ReportMeta, words: dict[str, str], n: int
) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _header(slide, words["key"])
    _rect(slide, MARGIN, Inches(1.6), Inches(0.12), Inches(2.0), BLUE)
    _text(
        slide,
        MARGIN + Inches(0.35),
        Inches(1.6),
        WIDTH - 2 * MARGIN - Inches(0.35),
        Inches(2.0),
        entry["text"],
        _message_size(entry["text"]),
        True,
        NAVY,
        anchor=MSO_ANCHOR.MIDDLE,
    )
    numbers = list((entry.get("numbers") or {}).items())[:4]
    if numbers:
        gap = Inches(0.3)
        width = Emu(int((WIDTH - 2 * MARGIN - gap * (len(numbers) - 1)) / len(numbers)))
        for i, (label, value) in enumerate(numbers):
            left = MARGIN + i * (width + gap)
            _rect(slide, left, Inches(4.2), width, Inches(2.0), TINT)
            _text(
                slide,
                left + Inches(0.2),
                Inches(4.35),
                width - Inches(0.4),
                Inches(1.0),
                str(value),
                32,
                True,
                NAVY,
                anchor=MSO_ANCHOR.MIDDLE,
            )
            _text(
                slide,
                left + Inches(0.2),
                Inches(5.35),
                width - Inches(0.4),
                Inches(0.8),
                str(label),
                14,
                False,
                MUTED,
            )
    _footer(slide, meta, n)
    lines = [entry["text"], *(f"{k}: {v}" for k, v in numbers)]
    _notes(slide, entry.get("notes") or "\n".join(lines))


def _decisions_slide(prs, entry: dict[str, Any], meta: ReportMeta, n: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _header(slide, entry.get("title") or "Besluitpunten")
    top = Inches(1.7)
    items = entry.get("items") or []
    step = min(Inches(1.0), Emu(int((HEIGHT - top - Inches(0.8)) / max(1, len(items)))))
    for i, item in enumerate(items, start=1):
        y = top + (i - 1) * step
        circle = _rect(slide, MARGIN, y, Inches(0.55), Inches(0.55), BLUE, MSO_SHAPE.OVAL)
        circle.text_frame.text = str(i)
        para = circle.text_frame.paragraphs[0]
        para.alignment = PP_ALIGN.CENTER
        para.runs[0].font.size, para.runs[0].font.bold = Pt(18), True
        para.runs[0].font.color.rgb = WHITE
        _text(
            slide,
            MARGIN + Inches(0.8),
            y,
            WIDTH - 2 * MARGIN - Inches(0.8),
            step,
            item,
            20,
            False,
            INK,
        )
    _footer(slide, meta, n)
    _notes(
        slide, entry.get("notes") or "\n".join(f"{i}. {t}" for i, t in enumerate(items, start=1))
    )


def _figure_slide(
    prs, entry: dict[str, Any], folder: Path, meta: ReportMeta, words, n: int
) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _header(slide, entry["title"])
    image = folder / entry["file"]
    with Image.open(image) as im:
        w_px, h_px = im.size
    box_top, box_h = Inches(1.55), HEIGHT - Inches(1.55) - Inches(1.05)
    box_w = WIDTH - 2 * MARGIN
    scale = min(box_w / w_px, box_h / h_px)
    width, height = Emu(int(w_px * scale)), Emu(int(h_px * scale))
    slide.shapes.add_picture(str(image), Emu(int((WIDTH - width) / 2)), box_top, width, height)
    below = " ".join(
        x
        for x in (
            entry.get("caption"),
            entry.get("source") and f"{words['source']}: {entry['source']}",
        )
        if x
    )
    if below:
        _text(
            slide,
            MARGIN,
            HEIGHT - Inches(0.95),
            WIDTH - 2 * MARGIN,
            Inches(0.4),
            below,
            12,
            color=MUTED,
        )
    _footer(slide, meta, n)
    _notes(slide, entry.get("notes") or entry.get("caption") or entry["title"])


def _table_slide(
    prs, entry: dict[str, Any], artefacts: Artefacts, meta: ReportMeta, words, n: int
) -> None:
    from model.reporting.workbook import header_label

    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _header(slide, entry["title"])
    frame = artefacts.table(entry)
    shown = frame.head(MAX_TABLE_ROWS)
    units = entry.get("units") or {}
    rows, cols = len(shown) + 1, len(shown.columns)
    row_height = min(Inches(0.4), Emu(int(Inches(4.8) / rows)))
    shape = slide.shapes.add_table(
        rows, cols, MARGIN, Inches(1.55), WIDTH - 2 * MARGIN, row_height * rows
    )
    table = shape.table
    size = 14 if rows <= 8 else 10
    for row in table.rows:
        row.height = row_height
    for j, col in enumerate(shown.columns):
        table.cell(0, j).text = header_label(str(col), units.get(str(col)))
        decimals = column_decimals(frame[col])
        for i, value in enumerate(shown[col], start=1):
            table.cell(i, j).text = format_value(value, decimals)
    for row in table.rows:
        for cell in row.cells:
            for para in cell.text_frame.paragraphs:
                for run in para.runs:
                    run.font.size, run.font.name = Pt(size), FONT
            cell.margin_top = cell.margin_bottom = Inches(0.03)
    if len(frame) > len(shown):
        _text(
            slide,
            MARGIN,
            HEIGHT - Inches(0.95),
            WIDTH - 2 * MARGIN,
            Inches(0.4),
            f"… {len(frame) - len(shown)} {words['rows']}",
            12,
            color=MUTED,
        )
    _footer(slide, meta, n)
    lines = [entry.get("notes") or entry["title"]]
    lines += [
        ", ".join(f"{c}: {format_value(v)}" for c, v in rec.items())
        for rec in shown.to_dict("records")
    ]
    _notes(slide, "\n".join(lines))


def write_deck(artefacts: Artefacts, path: str | Path, meta: ReportMeta) -> Path:
    """Write the PPTX deck (16:9, editable shapes and tables) built from a run's artefacts.

    Parameters
    ----------
    artefacts : Artefacts
        From :func:`model.reporting.collect.read_artefacts`.
    path : str or Path
        The .pptx to write.
    meta : ReportMeta
        Title-slide facts and the language of the fixed words.

    Returns
    -------
    Path
        ``path``.
    """
    words = _WORDS.get(meta.language, _WORDS["nl"])
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _title_slide(prs, meta)
    if artefacts.key_message:
        _key_message_slide(prs, artefacts.key_message, meta, words, len(prs.slides) + 1)
    if artefacts.decisions:
        _decisions_slide(prs, artefacts.decisions, meta, len(prs.slides) + 1)
    content = [("figure", e) for e in artefacts.figures if e.get("deck", True)]
    content += [("table", e) for e in artefacts.tables if e.get("deck")]
    content.sort(key=lambda item: item[1].get("order", 0))
    for kind, entry in content[: max(0, MAX_SLIDES - len(prs.slides))]:
        if kind == "figure":
            _figure_slide(prs, entry, artefacts.folder, meta, words, len(prs.slides) + 1)
        else:
            _table_slide(prs, entry, artefacts, meta, words, len(prs.slides) + 1)
    prs.core_properties.title = meta.title
    prs.core_properties.author = "Onderdak"
    stamp = dt.datetime(2000, 1, 1)
    prs.core_properties.created = prs.core_properties.modified = stamp
    prs.core_properties.last_printed = stamp
    prs.core_properties.revision = 1
    path = Path(path)
    prs.save(path)
    return fix_zip_times(path)
