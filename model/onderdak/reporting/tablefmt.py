"""Report text for table cells and whole tables: Dutch number format, units in headers, wrap points."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from onderdak.reporting.style import number


def format_value(value: Any, decimals: int | None = None) -> str:
    """A cell value as report text: Dutch separators, ja/nee, blank for missing.

    ``decimals`` fixes the decimals of floats; by default 0 from 100, 1 from 10, else 2.
    """
    value = _py(value)
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return number(value, 0)
    if isinstance(value, float):
        if decimals is None:
            decimals = 0 if abs(value) >= 100 else (1 if abs(value) >= 10 else 2)
        return number(value, decimals)
    return str(value)


def column_decimals(series: pd.Series) -> int | None:
    """Decimals to show for a float column: 0 when all whole or large, else by typical size."""
    if not pd.api.types.is_float_dtype(series):
        return None
    values = series.dropna().abs()
    if values.empty or (values % 1 == 0).all():
        return 0
    typical = float(values.median())
    if typical >= 100:
        return 0
    share = str(series.name).endswith("_share")
    return 3 if share else (1 if typical >= 10 else 2)


def table_html(
    df: pd.DataFrame, units: Mapping[str, str] | None = None, index: bool = False
) -> str:
    """A clean HTML table of ``df``: Dutch number format, units in the header, numbers right-aligned."""
    units = dict(units or {})
    frame = df.reset_index() if index else df
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in frame.columns
    ]
    decimals = [column_decimals(frame[c]) for c in frame.columns]
    head = "".join(
        f'<th class="{"num" if isnum else "txt"}">{_breakable(str(c))}'
        + (
            f' <span class="ond-unit">({html.escape(units[str(c)])})</span>'
            if str(c) in units
            else ""
        )
        + "</th>"
        for c, isnum in zip(frame.columns, numeric, strict=True)
    )
    rows = []
    for rec in frame.itertuples(index=False, name=None):
        cells = "".join(
            f'<td class="num">{html.escape(format_value(v, d))}</td>'
            if isnum
            else f'<td class="txt">{_breakable(format_value(v, d))}</td>'
            for v, isnum, d in zip(rec, numeric, decimals, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return f'<table class="ond-data"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _breakable(text: str) -> str:
    """Escaped text that may wrap after ``_``, ``.`` and ``/`` (long keys, paths, snake_case)."""
    return re.sub(r"(?<=[_/])(?=\S)|(?<=\.)(?=[A-Za-z])", "<wbr>", html.escape(text))


def _py(v: Any) -> Any:
    return v.item() if hasattr(v, "item") and not isinstance(v, str) else v


def header_label(column: str, unit: str | None) -> str:
    """A header with its unit in brackets when known: ``need_places [plaatsen]`` (the deck's tables)."""
    return f"{column} [{unit}]" if unit else str(column)
