"""Export an executed notebook: house-style HTML without code, a PDF of that HTML, XLSX and PPTX.

The HTML has a title page, a table of contents built from the notebook's headings, embedded
images and no code, prompts, warnings or errors. The PDF is rendered from the same HTML with
WeasyPrint (no LaTeX) using the print stylesheet: A4, page numbers, a title page without footer.
"""

from __future__ import annotations

import html as html_lib
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from onderdak.reporting.artefacts import read_artefacts
from onderdak.reporting.deck import write_deck
from onderdak.reporting.report_meta import ReportMeta
from onderdak.reporting.workbook import write_workbook

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLESHEETS = Path(__file__).resolve().parent


@dataclass
class Heading:
    """A heading of the report body, for the table of contents."""

    level: int
    id: str
    text: str
    children: list[Heading] = field(default_factory=list)


class _DropNoise(Preprocessor):
    """Drop stderr streams, error outputs and bare text reprs such as ``<Figure size …>``."""

    def preprocess_cell(self, cell, resources, index):  # noqa: D102 (nbconvert API)
        if cell.cell_type == "code":
            kept = []
            for out in cell.get("outputs", []):
                if out.output_type == "error":
                    continue
                if out.output_type == "stream" and out.get("name") == "stderr":
                    continue
                if out.output_type in ("execute_result", "display_data"):
                    data = out.get("data", {})
                    plain = str(data.get("text/plain", ""))
                    if (
                        set(data) == {"text/plain"}
                        and plain.startswith("<")
                        and plain.endswith(">")
                    ):
                        continue
                kept.append(out)
            cell.outputs = kept
        return cell, resources


def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    tags = TagRemovePreprocessor(
        remove_cell_tags={"remove-cell", "hide", "remove"},
        remove_all_outputs_tags={"remove-output", "hide-output"},
        enabled=True,
    )
    exporter.register_preprocessor(tags, enabled=True)
    exporter.register_preprocessor(_DropNoise(), enabled=True)
    return exporter


_HEADING = re.compile(r"<h([1-3])([^>]*)>(.*?)</h\1>", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return html_lib.unescape(_TAG.sub("", fragment)).strip()


def split_title(body: str) -> tuple[str | None, str]:
    """The first ``<h1>`` of the body (as text) and the body without it."""
    m = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    if m is None:
        return None, body
    return _text(m.group(1)), body[: m.start()] + body[m.end() :]


def headings(body: str) -> tuple[list[Heading], str]:
    """Headings h1–h3 for the table of contents, and the body with an id on every heading."""
    found: list[Heading] = []
    used: set[str] = set()

    def repl(m: re.Match[str]) -> str:
        level, attrs, inner = int(m.group(1)), m.group(2), m.group(3)
        # an ASCII id from the heading's text: nbconvert percent-encodes "Financiën" in its id
        # while a link to it is decoded, so the PDF's table of contents could not find it
        plain = unicodedata.normalize("NFKD", _text(inner)).encode("ascii", "ignore").decode()
        hid = re.sub(r"[^A-Za-z0-9-]+", "-", plain).strip("-") or "sectie"
        base, k = hid, 1
        while hid in used:
            k += 1
            hid = f"{base}-{k}"
        used.add(hid)
        attrs = _ID.sub("", attrs).strip()
        found.append(Heading(level, hid, _text(inner)))
        return f'<h{level} id="{html_lib.escape(hid)}"{(" " + attrs) if attrs else ""}>{inner}</h{level}>'

    new_body = _HEADING.sub(repl, body)
    return found, new_body


def _toc(found: list[Heading]) -> list[Heading]:
    """Nest the two highest heading levels that occur (h1/h2, or h2/h3)."""
    levels = sorted({h.level for h in found})[:2]
    top: list[Heading] = []
    for h in found:
        if h.level == levels[0] or not top:
            top.append(Heading(h.level, h.id, h.text))
        elif len(levels) > 1 and h.level == levels[1]:
            top[-1].children.append(Heading(h.level, h.id, h.text))
    return top


def notebook_body(nb: nbformat.NotebookNode) -> str:
    """The body HTML of an executed notebook: outputs and markdown only, no code or prompts."""
    body, _ = _exporter().from_notebook_node(nb)
    body = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", body, flags=re.S)
    return body


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


_SECTION = re.compile(r"^\s*#{2,3}\s", re.M)


def cell_markdown(cell: nbformat.NotebookNode) -> str:
    """The Markdown a cell shows: its source (markdown cell) or its Markdown outputs (code cell).

    Headings in the report language are displayed from code (``display(Markdown("## …"))``), so
    the title, the front matter and the table of contents look at both.
    """
    if cell.cell_type == "markdown":
        return str(cell.source)
    return "\n".join(
        str(out.get("data", {}).get("text/markdown", ""))
        for out in cell.get("outputs", [])
        if out.get("output_type") in ("display_data", "execute_result")
    )


def split_front(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """The front matter (cells before the first ``##`` heading) and the rest, as two notebooks.

    The front matter (title, key message, headline numbers, besluitpunten) goes on the first page,
    before the table of contents; a notebook without ``##`` headings has no front matter.
    """
    cut = next(
        (i for i, cell in enumerate(nb.cells) if _SECTION.search(cell_markdown(cell))),
        0,
    )
    front, rest = nbformat.from_dict(nb), nbformat.from_dict(nb)
    front.cells, rest.cells = nb.cells[:cut], nb.cells[cut:]
    return front, rest


def stable_cell_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy whose cell ids are their positions (papermill gives its injected cell a random id,
    which the HTML would carry): the same notebook output gives the same HTML bytes."""
    nb = nbformat.from_dict(nb)
    for i, cell in enumerate(nb.cells):
        if "id" in cell:
            cell["id"] = f"cell-{i + 1}"
    return nb


def render_html(nb: nbformat.NotebookNode | str | Path, meta: ReportMeta) -> str:
    """The complete, self-contained HTML report of an executed notebook.

    The first page holds the title block and the front matter (:func:`split_front`): the key
    message, the headline numbers and the decisions; the table of contents and the sections follow.

    Parameters
    ----------
    nb : NotebookNode or path
        The executed notebook.
    meta : ReportMeta
        Title page and footer facts. When the notebook starts with a ``# heading`` and
        ``meta.title`` is empty, that heading is the report title.
    """
    if not isinstance(nb, nbformat.NotebookNode):
        nb = nbformat.read(str(nb), 4)
    nb = stable_cell_ids(nb)
    front_nb, rest_nb = split_front(nb)
    front = notebook_body(front_nb) if front_nb.cells else ""
    body = notebook_body(rest_nb)
    first, rest = split_title(front or body)
    title = meta.title or first or meta.subtitle
    if first and first == title:
        if front:
            front = rest
        else:
            body = rest
    found, body = headings(body)
    css = (STYLESHEETS / "report.css").read_text(encoding="utf-8")
    print_css = (STYLESHEETS / "print.css").read_text(encoding="utf-8")
    template = _env().get_template("report.html.j2")
    return template.render(
        meta=meta,
        title=title,
        words=meta.words(),
        toc=_toc(found) if found else [],
        front=jinja2.utils.markupsafe.Markup(front) if front.strip() else "",
        body=jinja2.utils.markupsafe.Markup(body),
        css=jinja2.utils.markupsafe.Markup(css),
        print_css=jinja2.utils.markupsafe.Markup(print_css),
    )


def write_html(nb: nbformat.NotebookNode | str | Path, meta: ReportMeta, path: str | Path) -> Path:
    """Write the HTML report (see :func:`render_html`) to ``path``."""
    path = Path(path)
    path.write_text(render_html(nb, meta), encoding="utf-8")
    return path


def write_pdf(html: str, path: str | Path, base_url: str | Path | None = None) -> int:
    """Render the HTML report to a PDF with WeasyPrint; returns the number of pages.

    Parameters
    ----------
    html : str
        The HTML from :func:`render_html` (its ``media="print"`` stylesheet applies).
    path : str or Path
        The PDF to write.
    base_url : str or Path, optional
        Where relative links resolve (the run folder).
    """
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    import os

    # fontTools stamps each embedded font subset with the time of writing unless SOURCE_DATE_EPOCH
    # (reproducible-builds.org) fixes it: the same report, the same PDF bytes
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or "946684800"  # 2000-01-01, as the XLSX and PPTX
    try:
        document = weasyprint.HTML(
            string=html, base_url=str(base_url) if base_url else None
        ).render()
        document.write_pdf(str(path))
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
    return len(document.pages)


def export_all(
    executed: nbformat.NotebookNode,
    folder: Path,
    name: str,
    meta: ReportMeta,
    formats: Sequence[str],
    timings: dict[str, float],
    outputs: dict[str, str],
) -> int | None:
    """Write the asked-for exports of an executed notebook into ``folder``; returns PDF pages."""
    outputs["notebook"] = f"{name}.ipynb"
    pages = None
    html = None
    if "html" in formats or "pdf" in formats:
        t = time.perf_counter()
        html = render_html(executed, meta)
        if "html" in formats:
            (folder / f"{name}.html").write_text(html, encoding="utf-8")
            outputs["html"] = f"{name}.html"
        timings["html_s"] = time.perf_counter() - t
    if "pdf" in formats:
        t = time.perf_counter()
        pages = write_pdf(html, folder / f"{name}.pdf", base_url=folder)
        outputs["pdf"] = f"{name}.pdf"
        timings["pdf_s"] = time.perf_counter() - t
    artefacts = read_artefacts(folder)
    if "xlsx" in formats and artefacts.tables:
        t = time.perf_counter()
        write_workbook(artefacts, folder / "tables.xlsx", meta)
        outputs["xlsx"] = "tables.xlsx"
        timings["xlsx_s"] = time.perf_counter() - t
    if "pptx" in formats:
        t = time.perf_counter()
        write_deck(artefacts, folder / f"{name}.pptx", meta)
        outputs["pptx"] = f"{name}.pptx"
        timings["pptx_s"] = time.perf_counter() - t
    if (folder / "results").is_dir():
        outputs["csv"] = "results/"
    return pages
