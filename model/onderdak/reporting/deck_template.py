"""Build the default deck template (``templates/deck.pptx``): python-pptx's default template at 16:9.

The deck (:mod:`onderdak.reporting.deck`) puts every title and text in the placeholders of a
template's layouts, so the look lives here and a municipality's own template
(``onderdak report … --pptx-template FILE``) replaces it. This module widens python-pptx's 4:3
default to 13.333 × 7.5 inch, places the placeholders of the layouts the deck uses (title slide,
title and content, title only, picture with caption) on one grid, and sets the house colours and
sizes in the master's text styles. Regenerate the committed file with::

    .venv/bin/python -m onderdak.reporting.deck_template
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.util import Emu, Inches

from onderdak.io.office_files import fix_zip_times

DEFAULT_TEMPLATE = Path(__file__).with_name("templates") / "deck.pptx"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
NAVY, ORANGE, INK, MUTED = "1F3A5F", "D9822B", "1D2733", "5F6B7A"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
MARGIN = Inches(0.6)
INNER = WIDTH - 2 * MARGIN
# (left, top, width, height) of each placeholder kind, per layout the deck uses
TITLE = (MARGIN, Inches(0.3), INNER, Inches(1.15))
BODY = (MARGIN, Inches(1.6), INNER, Inches(5.0))
FOOTER = (MARGIN, Inches(6.95), Inches(9.5), Inches(0.35))
NUMBER = (WIDTH - MARGIN - Inches(1.2), Inches(6.95), Inches(1.2), Inches(0.35))
DATE = (Inches(10.2), Inches(6.95), Inches(1.3), Inches(0.35))
PICTURE = (MARGIN, Inches(1.55), INNER, Inches(4.75))
CAPTION = (MARGIN, Inches(6.35), INNER, Inches(0.5))
COVER_TITLE = (Inches(0.9), Inches(1.9), Inches(11.5), Inches(2.2))
COVER_SUB = (Inches(0.9), Inches(4.3), Inches(11.5), Inches(1.8))


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{_A if prefix == 'a' else _P}}}{name}"


def _place(shape, box) -> None:
    shape.left, shape.top, shape.width, shape.height = (Emu(int(v)) for v in box)


def _fill(rpr, colour: str) -> None:
    for old in rpr.findall(_q("a:solidFill")):
        rpr.remove(old)
    fill = etree.SubElement(rpr, _q("a:solidFill"))
    etree.SubElement(fill, _q("a:srgbClr")).set("val", colour)
    rpr.remove(fill)
    rpr.insert(0, fill)


def _styles(master) -> None:
    styles = master._element.find(_q("p:txStyles"))
    title = styles.find(_q("p:titleStyle")).find(_q("a:lvl1pPr"))
    title.set("algn", "l")
    rpr = title.find(_q("a:defRPr"))
    rpr.set("sz", "2600")
    rpr.set("b", "1")
    _fill(rpr, NAVY)
    body = styles.find(_q("p:bodyStyle"))
    sizes = (2000, 1800, 1600, 1400, 1400, 1400, 1400, 1400, 1400)
    for level, size in zip(range(1, 10), sizes, strict=True):
        ppr = body.find(_q(f"a:lvl{level}pPr"))
        if ppr is None:
            continue
        rpr = ppr.find(_q("a:defRPr"))
        rpr.set("sz", str(size))
        _fill(rpr, INK)
        spc = ppr.find(_q("a:spcBef"))
        if spc is not None:
            spc.clear()
            etree.SubElement(spc, _q("a:spcPts")).set("val", "600")
    other = styles.find(_q("p:otherStyle"))
    if other is not None:
        for rpr in other.iter(_q("a:defRPr")):
            rpr.set("sz", "1000")


def _anchor(shape, where: str) -> None:
    body = shape._element.find(f".//{_q('a:bodyPr')}")
    if body is not None:
        body.set("anchor", where)


def _autofit(shape) -> None:
    """Shrink text on overflow (PowerPoint and LibreOffice honour ``normAutofit``)."""
    body = shape._element.find(f".//{_q('p:txBody')}/{_q('a:bodyPr')}")
    if body is None:
        return
    for child in list(body):
        if child.tag in (_q("a:normAutofit"), _q("a:spAutoFit"), _q("a:noAutofit")):
            body.remove(child)
    etree.SubElement(body, _q("a:normAutofit"))


def _bar(shapes, box, colour: str, ident: int) -> None:
    """A filled rectangle behind the placeholders (masters and layouts have no ``add_shape``)."""
    x, y, cx, cy = (int(v) for v in box)
    xml = (
        f'<p:sp xmlns:p="{_P}" xmlns:a="{_A}"><p:nvSpPr><p:cNvPr id="{ident}" name="Band {ident}"/>'
        '<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>'
        f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        "</p:spPr></p:sp>"
    )
    shapes._spTree.insert(2, etree.fromstring(xml))


def _lst(ph, size: int, colour: str, algn: str = "l", bold: bool = False) -> None:
    """The placeholder's own first-level text style (what slides built on it inherit)."""
    body = ph._element.find(_q("p:txBody"))
    lst = body.find(_q("a:lstStyle"))
    if lst is None:
        lst = etree.SubElement(body, _q("a:lstStyle"))
        body.remove(lst)
        body.insert(1, lst)
    for old in list(lst):
        lst.remove(old)
    ppr = etree.SubElement(lst, _q("a:lvl1pPr"))
    ppr.set("algn", algn)
    etree.SubElement(ppr, _q("a:buNone"))
    rpr = etree.SubElement(ppr, _q("a:defRPr"))
    rpr.set("sz", str(size))
    if bold:
        rpr.set("b", "1")
    _fill(rpr, colour)
    etree.SubElement(rpr, _q("a:latin")).set("typeface", "+mn-lt")


def _common(layout_or_master, kinds) -> None:
    for ph in layout_or_master.placeholders:
        kind = ph.placeholder_format.type
        name = str(kind).split(" ")[0]
        if name in kinds:
            _place(ph, kinds[name])


_PLACED = (
    "Title Slide",
    "Title and Content",
    "Title Only",
    "Title and Vertical Text",
    "Picture with Caption",
)


def build_template(path: str | Path = DEFAULT_TEMPLATE) -> Path:
    """Write the default deck template to ``path`` and return it."""
    prs = Presentation()
    old_w = prs.slide_width
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    master = prs.slide_master
    grid = {
        "TITLE": TITLE,
        "BODY": BODY,
        "OBJECT": BODY,
        "FOOTER": FOOTER,
        "SLIDE_NUMBER": NUMBER,
        "DATE": DATE,
    }
    _common(master, grid)
    _styles(master)
    for ph in master.placeholders:
        name = str(ph.placeholder_format.type).split(" ")[0]
        if name == "TITLE":
            _anchor(ph, "b")
            _autofit(ph)
        elif name in ("BODY", "OBJECT"):
            _autofit(ph)
        elif name in ("FOOTER", "DATE"):
            _lst(ph, 1000, MUTED)
        elif name == "SLIDE_NUMBER":
            _lst(ph, 1000, MUTED, "r")
    _bar(master.shapes, (0, 0, WIDTH, Inches(0.12)), NAVY, 90)
    scale = WIDTH / old_w
    for layout in prs.slide_layouts:
        name = layout.name
        if name == "Title Slide":
            for ph in layout.placeholders:
                kind = str(ph.placeholder_format.type).split(" ")[0]
                if kind == "CENTER_TITLE":
                    _place(ph, COVER_TITLE)
                    _anchor(ph, "b")
                    _autofit(ph)
                    _lst(ph, 4000, NAVY, bold=True)
                elif kind == "SUBTITLE":
                    _place(ph, COVER_SUB)
                    _autofit(ph)
                    _lst(ph, 2000, INK)
                elif kind in grid:
                    _place(ph, grid[kind])
            _bar(layout.shapes, (0, HEIGHT - Inches(0.25), WIDTH, Inches(0.25)), ORANGE, 91)
        elif name in _PLACED[1:4]:
            _common(layout, grid)
        elif name == "Picture with Caption":
            _common(layout, {**grid, "PICTURE": PICTURE, "BODY": CAPTION})
            for ph in layout.placeholders:
                kind = str(ph.placeholder_format.type).split(" ")[0]
                if kind == "TITLE":
                    _anchor(ph, "b")
                    _lst(ph, 2600, NAVY, bold=True)
                elif kind == "BODY":
                    _lst(ph, 1200, MUTED)
                    _autofit(ph)
        for ph in layout.placeholders:  # footers as on the master (LibreOffice reads the layout's)
            kind = str(ph.placeholder_format.type).split(" ")[0]
            if kind in ("FOOTER", "DATE", "SLIDE_NUMBER"):
                _lst(ph, 1000, MUTED, "r" if kind == "SLIDE_NUMBER" else "l")
        if name not in _PLACED:  # the layouts the deck does not use: widened to 16:9 as they are
            for ph in layout.placeholders:
                if ph._element.spPr.find(_q("a:xfrm")) is not None:
                    ph.left, ph.width = Emu(int(ph.left * scale)), Emu(int(ph.width * scale))
    prs.core_properties.title = "Onderdak"
    prs.core_properties.author = "Onderdak"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(path)
    return fix_zip_times(path)


if __name__ == "__main__":  # pragma: no cover
    print(build_template())
