"""Show figures, tables, the key message and the decisions in a notebook and record them for the exports.

How notebook authors use it (one call per section, no other display needed)::

    from onderdak.reporting.collect import decisions, key_message, show_figure, show_table

    key_message(
        "Gemeente Voorbeeld heeft in 2027 naar verwachting 180 plaatsen nodig.",
        numbers={"Behoefte 2027 (mediaan)": "180 plaatsen", "Kans op tekort": "23%"},
    )
    show_figure(need_fan(need), "need_fan", "Behoefte per doelgroep",
                caption="Mediaan en 80%-band", source="CBS, COA (2025)",
                notes="Mediaan 180 plaatsen in 2027; 80%-band 120–260.")
    show_table(scenario_table(need), "scenarios", "Behoefte per scenario",
               units={"mean_places": "plaatsen"})
    decisions(["Kennis te nemen van ...", "In te stemmen met ..."])

Each call displays a house-style HTML block in the notebook (figure with numbered caption, table
with Dutch number format, key-message box, numbered decisions) and, when a run folder is known,
records the artefact in it:

- ``figures/<key>.png`` (the very bytes shown in the notebook, so every deck figure is in the HTML)
  and ``figures/<key>.svg``;
- ``results/<key>.csv`` for tables (tidy, as given; ``record_table`` records without displaying),
  and ``results/<key>_data.csv`` when a table shown as text passes its numbers as ``data=`` (the
  workbook writes those: see :mod:`onderdak.reporting.workbook_tables`);
- ``artefacts.jsonl``: one JSON line per call (kind, key, title, units, notes, …), read back by
  :func:`onderdak.reporting.artefacts.read_artefacts` for the XLSX workbook and the PPTX deck.

The run folder is, in order: the folder set with :func:`set_output_dir` (the runner's
``output_dir`` parameter, if the notebook declares one, should be passed here), else the
environment variable ``ONDERDAK_OUTPUT_DIR`` (set by ``onderdak report`` for the kernel), else none
(interactive use: display only). Keys are short identifiers (letters, digits, ``_``, ``-``); calling
again with the same key replaces the earlier artefact.

The deck (PPTX, :mod:`onderdak.reporting.deck`) is title, key message, decisions, the plan's slides
(made from the recorded ``plan_table``, ``plan_money``, ``plan_shortfall``, ``signposts`` and
``key_assumptions``), then the figures in display order (``deck=False`` leaves one out) and the
tables shown with ``deck=True`` (keep those ≤ 12 rows), at most 16 slides: mark minor figures
``deck=False``, give ``notes=`` the numbers a presenter should say and ``message=`` the finding
(the slide's title).
Captions say "Figuur n"/"Tabel n" (``set_language("en")`` or the runner's ``ONDERDAK_LANGUAGE``
switch to English). Units go in ``unit``/``units`` and appear in HTML and XLSX headers.

Longer than 400 lines: one concept, what a notebook shows and records for its exports (figures, tables, key message, decisions), the one API every notebook imports.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from onderdak.reporting import i18n
from onderdak.reporting import style as _style  # noqa: F401  (applies the house style to every figure)
from onderdak.reporting.artefacts import INDEX_FILE, Artefacts, read_artefacts
from onderdak.reporting.style import apply, set_number_language
from onderdak.reporting.tablefmt import column_decimals, format_value, table_html

ENV_OUTPUT_DIR = "ONDERDAK_OUTPUT_DIR"
ENV_LANGUAGE = "ONDERDAK_LANGUAGE"
PNG_DPI = 150
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
_state: dict[str, Any] = {"dir": None, "numbers": {}, "language": None}


def reset() -> None:
    """Forget the output folder, language and figure and table numbers: a new report starts
    (a kernel reused for another run, :mod:`onderdak.reporting.reused_kernel`)."""
    _state.update(dir=None, numbers={}, language=None)


def set_output_dir(path: str | Path | None) -> None:
    """Record artefacts into ``path`` (None: fall back to ``ONDERDAK_OUTPUT_DIR``)."""
    _state["dir"] = None if path in (None, "") else Path(path)


def set_language(language: str | None) -> None:
    """Caption words and number separators in ``"nl"`` (default) or ``"en"``, and the house style
    of the figures (a report's setup: importing the package leaves matplotlib as it was)."""
    _state["language"] = language
    set_number_language(language)
    apply()


def output_dir() -> Path | None:
    """The folder artefacts are recorded into, or None (display only)."""
    if _state["dir"] is not None:
        return _state["dir"]
    env = os.environ.get(ENV_OUTPUT_DIR)
    return Path(env) if env else None


def _words() -> dict[str, str]:
    """The caption words (``collect.<word>`` in the message catalogs) in the report language."""
    lang = _state["language"] or os.environ.get(ENV_LANGUAGE) or "nl"
    return {
        k: i18n.text(f"collect.{k}", lang)
        for k in ("figure", "table", "source", "decisions", "key")
    }


def _number(kind: str, key: str) -> int:
    numbers = _state["numbers"].setdefault(kind, {})
    return numbers.setdefault(key, len(numbers) + 1)


def _check_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError(f"artefact key {key!r}: use 1–60 letters, digits, '_' or '-'")
    return key


def _record(entry: dict[str, Any]) -> None:
    folder = output_dir()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / INDEX_FILE, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")


def _display_html(markup: str, plain: str) -> None:
    from IPython.display import display

    display({"text/html": markup, "text/plain": plain}, raw=True)


def _source_line(source: str | None) -> str:
    if not source:
        return ""
    return f'<p class="ond-source">{_words()["source"]}: {html.escape(source)}</p>'


def show_figure(
    fig: Any,
    key: str,
    title: str,
    caption: str | None = None,
    source: str | None = None,
    notes: str | None = None,
    deck: bool = True,
    message: str | None = None,
) -> None:
    """Display a matplotlib figure with a numbered caption and record it as ``figures/<key>.png``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (closed afterwards).
    key : str
        Identifier of the figure, also its file name.
    title : str
        Caption title, also the deck slide title.
    caption : str, optional
        One sentence under the figure explaining what it shows.
    source : str, optional
        Data source shown under the figure.
    notes : str, optional
        The numbers a presenter should say: the deck's speaker notes.
    deck : bool
        Whether the figure may appear in the PPTX deck.
    message : str, optional
        The finding the figure shows, in one sentence: its deck slide's title (default: one the
        deck makes from the recorded tables, else ``title``).
    """
    import matplotlib.pyplot as plt

    _check_key(key)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI, bbox_inches="tight", metadata={"Software": None})
    png = buf.getvalue()
    folder = output_dir()
    if folder is not None:
        (folder / "figures").mkdir(parents=True, exist_ok=True)
        (folder / "figures" / f"{key}.png").write_bytes(png)
        import matplotlib

        with matplotlib.rc_context({"svg.hashsalt": key}):  # the same ids in every run
            fig.savefig(
                folder / "figures" / f"{key}.svg",
                format="svg",
                bbox_inches="tight",
                metadata={"Date": None},
            )
    plt.close(fig)
    n = _number("figure", key)
    text = f"{_words()['figure']} {n}. {title}"
    b64 = base64.b64encode(png).decode("ascii")
    markup = (
        f'<figure class="ond-figure" data-key="{html.escape(key)}">'
        f'<img src="data:image/png;base64,{b64}" alt="{html.escape(title)}"/>'
        f'<figcaption><span class="ond-label">{html.escape(text)}</span>'
        + (f" {html.escape(caption)}" if caption else "")
        + f"</figcaption>{_source_line(source)}</figure>"
    )
    _display_html(markup, text)
    _record(
        {
            "kind": "figure",
            "key": key,
            "title": title,
            "number": n,
            "caption": caption,
            "source": source,
            "notes": notes,
            "deck": deck,
            "file": f"figures/{key}.png",
            **({"message": message} if message else {}),
        }
    )


def _write_table(df: pd.DataFrame, key: str, suffix: str = "") -> str:
    folder = output_dir()
    rel = f"results/{key}{suffix}.csv"
    if folder is not None:
        (folder / "results").mkdir(parents=True, exist_ok=True)
        df.to_csv(folder / rel, index=False, lineterminator="\n")
    return rel


def _units(df: pd.DataFrame, unit: str | None, units: Mapping[str, str] | None) -> dict[str, str]:
    out = {str(c): unit for c in df.columns if unit and pd.api.types.is_numeric_dtype(df[c])}
    out.update({str(k): v for k, v in (units or {}).items()})
    return out


def show_table(
    df: pd.DataFrame,
    key: str,
    title: str,
    unit: str | None = None,
    units: Mapping[str, str] | None = None,
    caption: str | None = None,
    source: str | None = None,
    notes: str | None = None,
    deck: bool = False,
    index: bool = False,
    max_rows: int = 60,
    message: str | None = None,
    data: pd.DataFrame | None = None,
) -> None:
    """Display a table with a numbered caption and record it as ``results/<key>.csv`` and an XLSX sheet.

    Parameters
    ----------
    df : pandas.DataFrame
        The table (tidy; its index is dropped unless ``index=True``).
    key : str
        Identifier, also the CSV file name and the XLSX sheet name.
    title : str
        Caption title.
    unit : str, optional
        Unit of every numeric column (e.g. ``"plaatsen"``, ``"EUR"``).
    units : Mapping[str, str], optional
        Unit per column; overrides ``unit``.
    caption, source, notes : str, optional
        Explanation, data source, and speaker notes for the deck.
    deck : bool
        Whether the table gets its own (editable) slide in the deck; keep it to ≤ 8 rows.
    index : bool
        Whether to keep the index as columns.
    max_rows : int
        Rows shown in the notebook and HTML; all rows go to the CSV and XLSX.
    message : str, optional
        The finding the table shows: the title of its deck slide (``deck=True``).
    data : pandas.DataFrame, optional
        The same table as numbers and codes for the workbook (a range "236 (228–248)" as columns
        ``p50``, ``p10``, ``p90``; money as euros, not text), recorded as ``results/<key>_data.csv``;
        default: ``df`` itself. Its columns are documented in :mod:`onderdak.reporting.columns`.
    """
    _check_key(key)
    frame = df.reset_index() if index else df.reset_index(drop=True)
    all_units = _units(frame, unit, units)
    rel = _write_table(frame, key)
    data_rel = None if data is None else _write_table(data.reset_index(drop=True), key, "_data")
    n = _number("table", key)
    text = f"{_words()['table']} {n}. {title}"
    shown = frame.head(max_rows)
    more = (
        ""
        if len(frame) <= max_rows
        else f'<p class="ond-source">… {len(frame) - max_rows} rijen meer in {rel}</p>'
    )
    markup = (
        f'<figure class="ond-table" data-key="{html.escape(key)}">'
        f'<figcaption><span class="ond-label">{html.escape(text)}</span>'
        + (f" {html.escape(caption)}" if caption else "")
        + f"</figcaption>{table_html(shown, all_units)}{more}{_source_line(source)}</figure>"
    )
    _display_html(markup, text)
    _record(
        {
            "kind": "table",
            "key": key,
            "title": title,
            "number": n,
            "caption": caption,
            "source": source,
            "notes": notes,
            "deck": deck,
            "units": all_units,
            "file": rel,
            "data_file": data_rel,
            "shown": True,
            **({"message": message} if message else {}),
        }
    )


def record_table(
    df: pd.DataFrame,
    key: str,
    title: str,
    unit: str | None = None,
    units: Mapping[str, str] | None = None,
    source: str | None = None,
    data: pd.DataFrame | None = None,
) -> None:
    """Record a table for the CSVs and the XLSX without displaying it (e.g. a long tidy result).

    ``data``: the table as the workbook shows it (codes the reader cannot read put into words),
    recorded as ``results/<key>_data.csv``; ``results/<key>.csv`` keeps ``df`` (codes, for
    machines). Default: ``df`` itself."""
    _check_key(key)
    frame = df.reset_index(drop=True)
    rel = _write_table(frame, key)
    data_rel = None if data is None else _write_table(data.reset_index(drop=True), key, "_data")
    _record(
        {
            "kind": "table",
            "key": key,
            "title": title,
            "number": None,
            "caption": None,
            "source": source,
            "notes": None,
            "deck": False,
            "units": _units(frame, unit, units),
            "file": rel,
            "data_file": data_rel,
            "shown": False,
        }
    )


def key_message(
    text: str, numbers: Mapping[str, str] | None = None, notes: str | None = None
) -> None:
    """Display the key message (kernboodschap) with up to four headline numbers; first deck slide.

    Parameters
    ----------
    text : str
        One or two sentences.
    numbers : Mapping[str, str], optional
        Label → formatted value, e.g. ``{"Tekortkans 2027": "23%"}``.
    notes : str, optional
        Speaker notes; default: the numbers.
    """
    numbers = dict(numbers or {})
    tiles = "".join(
        f'<div class="ond-number"><span class="ond-value">{html.escape(str(v))}</span>'
        f'<span class="ond-what">{html.escape(str(k))}</span></div>'
        for k, v in numbers.items()
    )
    markup = (
        f'<div class="ond-key-message"><p class="ond-kicker">{_words()["key"]}</p>'
        f'<p class="ond-message">{html.escape(text)}</p>'
        + (f'<div class="ond-numbers">{tiles}</div>' if tiles else "")
        + "</div>"
    )
    _display_html(markup, text)
    _record(
        {
            "kind": "key_message",
            "key": "key_message",
            "text": text,
            "numbers": numbers,
            "notes": notes,
        }
    )


def show_text(key: str, level: int = 0, **facts: Any) -> None:
    """Display the message ``key`` of the catalog (:func:`onderdak.reporting.i18n.text`) in the report
    language: a heading of ``level`` 1–3, or a paragraph (``level=0``). Notebooks keep their words
    in the catalog this way, so one template reads in Dutch and in English."""
    from IPython.display import Markdown, display

    words = i18n.text(key, None, **facts)
    display(Markdown(("#" * level + " " if level else "") + words))


def decisions(items: Sequence[str], title: str | None = None, notes: str | None = None) -> None:
    """Display the decisions asked of the college (besluitpunten), numbered; the deck's decisions slide."""
    items = [str(i) for i in items]
    heading = title or _words()["decisions"]
    lis = "".join(f"<li>{html.escape(i).replace(chr(10), '<br>')}</li>" for i in items)
    markup = (
        f'<div class="ond-decisions"><p class="ond-kicker">{html.escape(heading)}</p>'
        f"<ol>{lis}</ol></div>"
    )
    _display_html(markup, heading + ": " + "; ".join(items))
    _record(
        {"kind": "decisions", "key": "decisions", "title": heading, "items": items, "notes": notes}
    )


__all__ = [
    "Artefacts",
    "column_decimals",
    "format_value",
    "table_html",
    "decisions",
    "key_message",
    "read_artefacts",
    "record_table",
    "set_language",
    "set_output_dir",
    "show_figure",
    "show_table",
    "show_text",
]
