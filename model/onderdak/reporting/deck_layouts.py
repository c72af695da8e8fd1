"""Layouts and placeholders of a deck template: which layout serves which slide, and text that fits.

A slide is built on a layout of the template and fills its placeholders (title in the title
placeholder, text in the body placeholder), so a municipality's own template restyles the whole
deck. Layouts are chosen by their placeholder types, never by index or name: the cover has a
(centre) title and a subtitle; a content slide a title and one body; a title-only slide a title and
no body; a picture slide a title and a large picture placeholder. A template without one of these
falls back: a table or picture goes where the content layout's body would be.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from onderdak.core.errors import InputError

TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODIES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
FOOTERS = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
INSET = Inches(0.1)  # the default left/right inset of a text frame
CHAR = 0.6  # average character width in ems, with a margin (DejaVu Sans 0.54, Calibri 0.47)
BOLD = 0.68  # the same for bold text (titles; DejaVu Sans Bold 0.60)
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
LINE = 1.2  # line height, in ems


@dataclass
class Box:
    """A rectangle in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def overlaps(self, other: Box) -> bool:
        """Whether the two rectangles share area (touching edges do not count)."""
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def box_of(shape) -> Box:
    """The box of a shape; a placeholder without its own position inherits its layout's."""
    return Box(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def _types(layout) -> list:
    return [ph.placeholder_format.type for ph in layout.placeholders]


def _area(ph) -> int:
    return int(ph.width or 0) * int(ph.height or 0)


def _largest(layout, kinds) -> object | None:
    found = [ph for ph in layout.placeholders if ph.placeholder_format.type in kinds]
    return max(found, key=_area) if found else None


@dataclass
class Layouts:
    """The template's layouts for each kind of slide."""

    cover: object
    content: object
    title_only: object | None
    picture: object | None
    body: Box

    @classmethod
    def pick(cls, prs) -> Layouts:
        layouts = list(prs.slide_layouts)
        slide_area = int(prs.slide_width) * int(prs.slide_height)

        def count(layout, kinds) -> int:
            return sum(t in kinds for t in _types(layout))

        def has_title(layout) -> bool:
            return count(layout, TITLES) > 0

        covers = [
            lo
            for lo in layouts
            if PP_PLACEHOLDER.CENTER_TITLE in _types(lo) and PP_PLACEHOLDER.SUBTITLE in _types(lo)
        ] or [lo for lo in layouts if has_title(lo) and PP_PLACEHOLDER.SUBTITLE in _types(lo)]
        contents = [
            lo
            for lo in layouts
            if PP_PLACEHOLDER.TITLE in _types(lo)
            and count(lo, BODIES) == 1
            and PP_PLACEHOLDER.PICTURE not in _types(lo)
        ]
        # the widest body under the title, e.g. not "vertical text" or "content with caption"
        contents.sort(key=lambda lo: -_area(_largest(lo, BODIES)))
        if not contents:
            contents = sorted(
                (lo for lo in layouts if has_title(lo) and count(lo, BODIES)),
                key=lambda lo: -_area(_largest(lo, BODIES)),
            )
        if not contents:
            raise InputError(
                "--pptx-template: the template has no layout with a title and a text placeholder "
                "(such as 'Title and Content')"
            )
        content = contents[0]
        title_only = next(
            (
                lo
                for lo in layouts
                if PP_PLACEHOLDER.TITLE in _types(lo)
                and not count(lo, BODIES)
                and PP_PLACEHOLDER.PICTURE not in _types(lo)
                and count(lo, TITLES) == 1
            ),
            None,
        )

        def title_on_top(lo) -> bool:
            pic, head = _largest(lo, (PP_PLACEHOLDER.PICTURE,)), _largest(lo, TITLES)
            return int(head.top or 0) + int(head.height or 0) <= int(pic.top or 0)

        pictures = [  # a large picture under the title (not "picture with caption" beside it)
            lo
            for lo in layouts
            if has_title(lo)
            and PP_PLACEHOLDER.PICTURE in _types(lo)
            and _area(_largest(lo, (PP_PLACEHOLDER.PICTURE,))) >= 0.4 * slide_area
            and title_on_top(lo)
        ]
        body = box_of(_largest(content, BODIES))
        return cls(
            cover=covers[0] if covers else content,
            content=content,
            title_only=title_only,
            picture=pictures[0] if pictures else None,
            body=body,
        )


def placeholder(slide, kinds):
    """The largest placeholder of the slide of one of ``kinds`` (None when there is none)."""
    found = [ph for ph in slide.placeholders if ph.placeholder_format.type in kinds]
    return max(found, key=_area) if found else None


def drop_empty_placeholders(slide) -> None:
    """Remove placeholders left empty (they would show 'Click to add text' in an editor)."""
    for ph in list(slide.placeholders):
        if getattr(ph, "has_text_frame", False) and not ph.text_frame.text.strip():
            ph._element.getparent().remove(ph._element)


def remove(shape) -> None:
    shape._element.getparent().remove(shape._element)


def add_footer(slide, layout, text: str, number: int) -> None:
    """Fill the layout's footer and slide-number placeholders (python-pptx leaves them out)."""
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        if kind not in FOOTERS:
            continue
        slide.shapes.clone_placeholder(ph)
        shape = slide.placeholders[ph.placeholder_format.idx]
        value = text if kind == PP_PLACEHOLDER.FOOTER else str(number)
        box = box_of(ph)  # the slide's copy has no position of its own
        size = fitting_size([value], box, (10, 9, 8, 7), space=0)
        shape.text_frame.text = value
        for run in shape.text_frame.paragraphs[0].runs:
            run.font.size = Pt(size)
        style = ph._element.txBody.find(f"{{{_A}}}lstStyle")
        body = shape._element.txBody
        if style is not None and len(style) and body.find(f"{{{_A}}}lstStyle") is None:
            # the layout's footer style on the slide too (LibreOffice does not inherit it)
            body.insert(1, copy.deepcopy(style))


def lines_needed(text: str, width: int, size: float, indent: int = 0, char: float = CHAR) -> int:
    """Estimated number of lines ``text`` takes in a frame ``width`` EMU wide at ``size`` points."""
    usable = max(1, int(width) - 2 * int(INSET) - int(indent))
    per_line = max(8, int(usable / Pt(size * char)))
    total = 0
    for part in text.split("\n"):
        words, line, count = [w for w in part.split(" ") if w], 0, 1  # a no-break space joins
        for word in words:
            need = len(word) + (1 if line else 0)
            if line + need > per_line:
                count += 1 + (len(word) - 1) // per_line
                line = len(word) % per_line
            else:
                line += need
        total += count
    return total


def fitting_size(
    paragraphs: list[str],
    box: Box,
    sizes: tuple[float, ...] = (20, 18, 16, 14, 12, 11, 10),
    indent: int = 0,
    space: float = 6,
    char: float = CHAR,
) -> float:
    """The largest of ``sizes`` at which ``paragraphs`` fit in ``box`` (estimated; else the smallest)."""
    for size in sizes:
        if fits(paragraphs, box, size, indent, space, char):
            return size
    return sizes[-1]


def fits(
    paragraphs: list[str],
    box: Box,
    size: float,
    indent: int = 0,
    space: float = 6,
    char: float = CHAR,
) -> bool:
    """Whether ``paragraphs`` at ``size`` points fit in ``box`` (estimated, on the safe side)."""
    height = int(box.height) - 2 * int(Inches(0.05))
    lines = sum(lines_needed(p, box.width, size, indent, char) for p in paragraphs)
    return Pt(lines * size * LINE + space * max(0, len(paragraphs) - 1)) <= height


def fill_text(
    frame, paragraphs: list[str], size: float, bold_first: int = 0, shrink: bool = False
) -> None:
    """Put paragraphs in a text frame at one point size; the first ``bold_first`` are bold.

    The frame keeps its placeholder's position and style. ``shrink`` (when even the smallest size
    is estimated not to fit) lets PowerPoint and LibreOffice shrink the text further
    (``normAutofit``); otherwise the size stays as chosen (LibreOffice's own shrinking would make
    text smaller than it needs to be).
    """
    frame.clear()
    frame.word_wrap = True
    for i, text in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = text
        run.font.size = Pt(size)
        if i < bold_first:
            run.font.bold = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE if shrink else MSO_AUTO_SIZE.NONE


def set_title(shape, text: str, sizes: tuple[float, ...] = (28, 26, 24, 22, 20, 18)) -> None:
    """The slide's message title, at the largest size that keeps it in its placeholder."""
    box = box_of(shape)
    size = fitting_size([text], box, sizes, space=0, char=BOLD)
    fill_text(
        shape.text_frame, [text], size, shrink=not fits([text], box, size, space=0, char=BOLD)
    )


def fill_fitted(
    shape, paragraphs: list[str], sizes=(20, 18, 16, 14, 12, 11, 10), indent: int = 0, **kw
) -> float:
    """Fill a placeholder with paragraphs at the largest size that fits it; returns the size."""
    box = box_of(shape)
    size = fitting_size(paragraphs, box, sizes, indent)
    shrink = not fits(paragraphs, box, size, indent)
    fill_text(shape.text_frame, paragraphs, size, shrink=shrink, **kw)
    return size


def fit_picture(slide, image: Path, box: Box, size: tuple[int, int]):
    """Add a picture as large as fits in ``box`` (aspect kept, centred)."""
    w_px, h_px = size
    scale = min(box.width / w_px, box.height / h_px)
    width, height = int(w_px * scale), int(h_px * scale)
    return slide.shapes.add_picture(
        str(image),
        Emu(box.left + (box.width - width) // 2),
        Emu(box.top + (box.height - height) // 2),
        Emu(width),
        Emu(height),
    )


def table_layout(cells: list[list[str]], box: Box) -> tuple[float, list[int], list[int]]:
    """Point size, column widths and row heights (EMU) that let a table fit ``box``: the largest
    size at which every row, its cells wrapped in their columns, fits the height."""
    margin = Pt(3) * 2
    for size in (14, 12, 11, 10, 9, 8):
        widths = column_widths(cells, box.width, size)
        heights = [
            int(
                max(lines_needed(str(v), w, size) for v, w in zip(row, widths, strict=True))
                * Pt(size * LINE)
                + margin
            )
            for row in cells
        ]
        if sum(heights) <= box.height:
            break
    return size, widths, heights


def column_widths(cells: list[list[str]], width: int, size: float = 12) -> list[int]:
    """Column widths: each at least its longest word (no word broken), the rest shared in
    proportion to the longest text of each column."""
    columns = range(len(cells[0]))
    char = Pt(size * 0.6)
    words = [max(len(w) for r in cells for w in (str(r[j]).split() or [""])) for j in columns]
    least = [int((n + 1) * char + 2 * INSET) for n in words]
    longest = [max(len(str(r[j])) for r in cells) for j in columns]
    weights = [max(4, n) ** 0.8 for n in longest]
    spare = max(0, width - sum(least))
    widths = [least[j] + int(spare * weights[j] / sum(weights)) for j in columns]
    widths[-1] = width - sum(widths[:-1])
    return widths
