"""Build an editable PPTX deck from the key message, decisions, tables and figures a run recorded.

Every slide is built on a layout of the template and fills its placeholders (title in the title
placeholder, text in the body placeholder; tables and pictures where the layout's body or picture
would be), so a municipality's own template (``onderdak report … --pptx-template FILE``) restyles
the deck; the default is ``templates/deck.pptx`` (:mod:`onderdak.reporting.deck_template`). Titles
are messages: a sentence with the finding, made from the recorded tables
(:mod:`onderdak.reporting.deck_text`).

Slides: cover; key message; besluitpunten; decisions per location; the plan's money; risks;
signposts; planning and next steps; then the recorded figures (``deck=True``), at most
:data:`MAX_SLIDES` in all. Speaker notes carry the full text and the numbers.

Longer than 400 lines: one concept, the deck writer (one class placing every kind of slide), whose words and figure titles already live in deck_text and deck_figure_titles.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu, Pt

from onderdak.core.errors import InputError
from onderdak.io.office_files import fix_zip_times
from onderdak.reporting import deck_layouts as lay
from onderdak.reporting import deck_text as dtx
from onderdak.reporting.artefacts import Artefacts
from onderdak.reporting.deck_figure_titles import figure_title
from onderdak.reporting.deck_template import DEFAULT_TEMPLATE
from onderdak.reporting.i18n import LANGUAGES
from onderdak.reporting.report_meta import ReportMeta
from onderdak.reporting.style import period_name
from onderdak.reporting.tablefmt import column_decimals, format_value, header_label

MAX_SLIDES = 16
MAX_TABLE_ROWS = 12
ITEM_CHARS = (
    260  # a besluitpunt longer than this shows its head on the slide, all of it in the notes
)


def check_template(path: str | Path | None) -> Path:
    """The template to build on: ``path`` when it is a readable .pptx with usable layouts.

    Raises
    ------
    InputError
        The file is missing or not a PowerPoint file, or has no title-and-text layout.
    """
    if path in (None, ""):
        return DEFAULT_TEMPLATE
    path = Path(path)
    if not path.is_file():
        raise InputError(f"--pptx-template: {path} does not exist")
    if not zipfile.is_zipfile(path):
        raise InputError(f"--pptx-template: {path} is not a PowerPoint file (.pptx or .potx)")
    try:
        prs = _open(path)
    except InputError:
        raise
    except Exception as exc:  # python-pptx raises several kinds on a foreign zip
        raise InputError(
            f"--pptx-template: {path} is not a readable PowerPoint file ({type(exc).__name__})"
        ) from None
    lay.Layouts.pick(prs)
    return path


_POTX = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def _open(path: Path):
    """Open a .pptx, or a .potx (template) as a presentation."""
    with zipfile.ZipFile(path) as zf:
        types = zf.read("[Content_Types].xml")
    if _POTX.encode() not in types:
        return Presentation(str(path))
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(_POTX.encode(), _PPTX.encode())
            dst.writestr(info, data)
    buf.seek(0)
    return Presentation(buf)


def _empty(prs) -> None:
    """Drop a template's own slides (a municipality's template may carry examples)."""
    ids = prs.slides._sldIdLst
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)


class _Deck:
    def __init__(self, prs, meta: ReportMeta, artefacts: Artefacts):
        self.prs, self.meta, self.artefacts = prs, meta, artefacts
        self.layouts = lay.Layouts.pick(prs)
        self.language = meta.language if meta.language in LANGUAGES else "nl"
        self.w = dtx.words(self.language)
        left = meta.municipality or meta.title
        self.footer = left + (" · " + self.w["fictional"] if meta.fictional else "")

    # slides ---------------------------------------------------------------------------------
    def slide(self, layout, title: str, notes: str):
        slide = self.prs.slides.add_slide(layout)
        head = lay.placeholder(slide, lay.TITLES)
        if head is not None:
            lay.set_title(head, title)
        lay.add_footer(slide, layout, self.footer, len(self.prs.slides))
        slide.notes_slide.notes_text_frame.text = notes
        return slide

    def text_slide(self, title: str, paragraphs: list[str], notes: str, bold_first: int = 0):
        slide = self.slide(self.layouts.content, title, notes)
        body = lay.placeholder(slide, lay.BODIES)
        lay.fill_fitted(body, paragraphs, indent=Pt(27), bold_first=bold_first)
        lay.drop_empty_placeholders(slide)
        return slide

    def area_slide(self, title: str, notes: str):
        """A slide with a title and the content layout's body area free for a table or picture."""
        if self.layouts.title_only is not None:
            slide = self.slide(self.layouts.title_only, title, notes)
        else:
            slide = self.slide(self.layouts.content, title, notes)
            lay.remove(lay.placeholder(slide, lay.BODIES))
        return slide, self.layouts.body

    def table_slide(self, title: str, header: list[str], cells: list[list[str]], notes: str):
        slide, box = self.area_slide(title, notes)
        cells = [header, *cells]
        size, widths, heights = lay.table_layout(cells, box)
        shape = slide.shapes.add_table(
            len(cells), len(header), Emu(box.left), Emu(box.top), Emu(box.width), Emu(sum(heights))
        )
        table = shape.table
        for j, width in enumerate(widths):
            table.columns[j].width = Emu(width)
        for i, row in enumerate(cells):
            table.rows[i].height = Emu(heights[i])
            for j, value in enumerate(row):
                cell = table.cell(i, j)
                cell.text = str(value)
                cell.margin_top = cell.margin_bottom = Pt(3)
                for para in cell.text_frame.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(size)
                        run.font.bold = i == 0
        return slide

    def cover(self) -> None:
        meta = self.meta
        sub = [x for x in (meta.subtitle, meta.municipality) if x and x != meta.title]
        if len(sub) == 2 and sub[1] in sub[0]:
            sub = sub[:1]
        facts = [
            meta.scenario and f"{dtx.capital(self.w['scenario'])} {meta.scenario}",
            getattr(meta, "peildatum", "")
            and f"{dtx.capital(self.w['peildatum'])} {period_name(meta.peildatum, self.language)}",
            meta.date,
        ]
        lines = [" · ".join(sub), " · ".join(x for x in facts if x)]
        if meta.fictional:
            lines.append(self.w["fictional"])
        lines = [x for x in lines if x]
        slide = self.prs.slides.add_slide(self.layouts.cover)
        head = lay.placeholder(slide, lay.TITLES)
        if head is not None:
            lay.set_title(head, meta.title, (40, 36, 32, 28))
        sub_ph = lay.placeholder(slide, (PP_PLACEHOLDER.SUBTITLE, *lay.BODIES))
        if sub_ph is not None:
            lay.fill_fitted(sub_ph, lines, (20, 18, 16, 14, 12))
        lay.drop_empty_placeholders(slide)
        slide.notes_slide.notes_text_frame.text = (
            ". ".join([meta.title, *lines]) + f". Run {meta.run_id}."
        )

    def key_message(self, entry: dict[str, Any]) -> None:
        numbers = list((entry.get("numbers") or {}).items())[:4]
        title = dtx.key_title(self.artefacts, self.language) or self.w["key"]
        paragraphs = [entry["text"], *(f"{value} — {label}" for label, value in numbers)]
        notes = entry.get("notes") or "\n".join([entry["text"], *(f"{k}: {v}" for k, v in numbers)])
        self.text_slide(title, paragraphs, notes)

    def decisions(self, entry: dict[str, Any]) -> None:
        items = [str(i) for i in entry.get("items") or []]
        title = dtx.decisions_title(
            self.artefacts, len(items), self.language, getattr(self.meta, "peildatum", "")
        )
        shown = [f"{i}. {_head(item)}" for i, item in enumerate(items, start=1)]
        notes = entry.get("notes") or "\n".join(f"{i}. {t}" for i, t in enumerate(items, start=1))
        slide = self.text_slide(title, shown, notes)
        body = lay.placeholder(slide, lay.BODIES)
        if body is not None:  # numbered in the text: no bullets
            for para in body.text_frame.paragraphs:
                ppr = para._p.get_or_add_pPr()
                ppr.set("marL", "0")
                ppr.set("indent", "0")
                ppr.insert(0, ppr.makeelement(f"{{{_A}}}buNone", {}))

    def plan(self, rows: pd.DataFrame) -> None:
        w = self.w
        shown = rows.sort_values(["due", "quarter"], key=lambda s: s.replace("", "9999"))
        cells = [
            [
                r.name,
                dtx.streams_of(getattr(r, "streams", ""), self.language),
                dtx.capital(w["action"].get(r.action, r.action)),
                dtx.number(float(r.places), self.language),
                period_name(r.quarter, self.language) if r.quarter else "",
                period_name(r.due, self.language) if r.due else "",
            ]
            for r in shown.head(MAX_TABLE_ROWS).itertuples()
        ]
        title = dtx.plan_title(rows, self.language)
        notes = "\n".join(
            ", ".join(f"{h}: {v}" for h, v in zip(w["columns"], c, strict=True)) for c in cells
        )
        self.table_slide(title, list(w["columns"]), cells, f"{title}.\n{notes}")

    def money(self) -> None:
        frame = dtx.table(self.artefacts, "plan_money")
        title = dtx.money_title(self.artefacts, self.language)
        if frame is None or title is None:
            return
        frame = frame.head(MAX_TABLE_ROWS)
        cells = [[dtx.text_of(v) for v in row] for row in frame.itertuples(index=False)]
        notes = "\n".join(" | ".join(c) for c in cells)
        self.table_slide(title, [str(c) for c in frame.columns], cells, f"{title}.\n{notes}")

    def risks(self) -> None:
        title, lines = dtx.risk_lines(self.artefacts, self.language)
        if lines:
            self.text_slide(title, lines, "\n".join([title, *lines]))

    def signposts(self) -> None:
        frame = dtx.table(self.artefacts, "signposts")
        if frame is None or frame.shape[1] < 5:
            return
        cells = [
            [dtx.text_of(r[0]), dtx.text_of(r[3]), dtx.text_of(r[4])]
            for r in frame.head(MAX_TABLE_ROWS).itertuples(index=False)
        ]
        title = dtx.say(
            "signposts_title",
            self.language,
            n=dtx.capital(dtx.count_word(len(frame), self.language)),
        )
        notes = "\n".join(
            " | ".join(dtx.text_of(v) for v in r) for r in frame.itertuples(index=False)
        )
        self.table_slide(title, list(self.w["signpost_columns"]), cells, notes)

    def planning(self, rows: pd.DataFrame) -> None:
        title, lines = dtx.planning_lines(rows, self.language)
        if title:
            self.text_slide(title, lines, "\n".join([title, *lines]))

    def figure(self, entry: dict[str, Any]) -> None:
        image = self.artefacts.folder / entry["file"]
        with Image.open(image) as im:
            size = im.size
        title = figure_title(entry, self.artefacts, self.language)
        below = " ".join(
            x
            for x in (
                entry.get("caption"),
                entry.get("source") and f"{self.w['source']}: {entry['source']}",
            )
            if x
        )
        notes = entry.get("notes") or entry.get("caption") or entry["title"]
        if self.layouts.picture is not None:
            slide = self.slide(self.layouts.picture, title, notes)
            # a plain picture where the layout's picture placeholder is: never cropped
            pic = lay.placeholder(slide, (PP_PLACEHOLDER.PICTURE,))
            area = lay.box_of(pic)
            lay.remove(pic)
            lay.fit_picture(slide, image, area, size)
            caption = lay.placeholder(slide, lay.BODIES)
            if caption is not None and below:
                lay.fill_fitted(caption, [below], (12, 11, 10, 9))
            lay.drop_empty_placeholders(slide)
            return
        slide, box = self.area_slide(title, notes if not below else f"{notes}\n{below}")
        lay.fit_picture(slide, image, box, size)

    def table(self, entry: dict[str, Any]) -> None:
        frame = self.artefacts.table(entry)
        shown = frame.head(MAX_TABLE_ROWS)
        units = entry.get("units") or {}
        header = [header_label(str(c), units.get(str(c))) for c in shown.columns]
        decimals = {c: column_decimals(frame[c]) for c in shown.columns}
        cells = [
            [format_value(v, decimals[c]) for c, v in zip(shown.columns, row, strict=True)]
            for row in shown.itertuples(index=False)
        ]
        title = entry.get("message") or entry["title"]
        notes = [entry.get("notes") or entry["title"]]
        if len(frame) > len(shown):
            notes.append(f"… {len(frame) - len(shown)} {self.w['rows']}")
        self.table_slide(title, header, cells, "\n".join(notes + [" | ".join(c) for c in cells]))


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _head(item: str) -> str:
    """A besluitpunt as the slide shows it: without its argument and, when long, without its
    explanations in brackets and the list after its first colon (the slide after shows the
    decisions per location; the notes keep every word)."""
    text = item.split(" Argument:")[0].split(" Reason:")[0].strip()
    if len(text) <= ITEM_CHARS:
        return text
    text = re.sub(
        r" \((?:[^()]|\([^()]*\))*\)", lambda m: m.group(0) if len(m.group(0)) < 14 else "", text
    )
    if len(text) <= ITEM_CHARS:
        return text
    clauses = text.rstrip(".").split("; ")
    first = clauses[0]
    cut = first.find(": ")
    if 30 <= cut:
        first = first[:cut] + " …"
    tail: list[str] = []  # the last clauses (amount, deadline) as far as they fit
    for clause in reversed(clauses[1:]):
        if len(first) + sum(len(c) + 2 for c in tail) + len(clause) + 2 > ITEM_CHARS:
            break
        tail.insert(0, clause)
    out = "; ".join([first, *tail])
    if len(out) > ITEM_CHARS:
        out = out[: out.rfind(" ", 0, ITEM_CHARS)] + " …"
    return out if out.endswith("…") else out + "."


def write_deck(
    artefacts: Artefacts,
    path: str | Path,
    meta: ReportMeta,
    template: str | Path | None = None,
) -> Path:
    """Write the PPTX deck built on a template's layouts from a run's artefacts.

    Parameters
    ----------
    artefacts : Artefacts
        From :func:`onderdak.reporting.collect.read_artefacts`.
    path : str or Path
        The .pptx to write.
    meta : ReportMeta
        Title-slide facts and the report language.
    template : str or Path, optional
        A .pptx or .potx whose layouts the slides use; default ``meta.pptx_template``, else
        ``templates/deck.pptx``.

    Returns
    -------
    Path
        ``path``.
    """
    template = check_template(template or getattr(meta, "pptx_template", None) or None)
    prs = _open(template)
    _empty(prs)
    deck = _Deck(prs, meta, artefacts)
    deck.cover()
    if artefacts.key_message:
        deck.key_message(artefacts.key_message)
    if artefacts.decisions:
        deck.decisions(artefacts.decisions)
    rows = dtx.decision_rows(artefacts, getattr(meta, "peildatum", ""))
    if rows is not None:
        deck.plan(rows)
    deck.money()
    deck.risks()
    deck.signposts()
    if rows is not None:
        deck.planning(rows)
    content = [("figure", e) for e in artefacts.figures if e.get("deck", True)]
    content += [("table", e) for e in artefacts.tables if e.get("deck")]
    content.sort(key=lambda item: item[1].get("order", 0))
    for kind, entry in content[: max(0, MAX_SLIDES - len(prs.slides))]:
        deck.figure(entry) if kind == "figure" else deck.table(entry)
    prs.core_properties.title = meta.title
    prs.core_properties.author = "Onderdak"
    stamp = dt.datetime(2000, 1, 1)
    prs.core_properties.created = prs.core_properties.modified = stamp
    prs.core_properties.last_printed = stamp
    prs.core_properties.revision = 1
    path = Path(path)
    prs.save(path)
    return fix_zip_times(path)
