"""The artefacts a report run recorded (figures, tables, key message, decisions), read back for export."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

INDEX_FILE = "artefacts.jsonl"
"""One JSON object per line, written by :mod:`onderdak.reporting.collect` in display order."""


@dataclass
class Artefacts:
    """What a run recorded, in display order (a later record with the same key replaces earlier)."""

    folder: Path
    figures: list[dict[str, Any]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    key_message: dict[str, Any] | None = None
    decisions: dict[str, Any] | None = None

    def table(self, entry: Mapping[str, Any]) -> pd.DataFrame:
        """The recorded table of an entry, read back from its CSV."""
        return pd.read_csv(self.folder / entry["file"])

    def data(self, entry: Mapping[str, Any]) -> pd.DataFrame:
        """The table as numbers and codes for the workbook (``show_table(..., data=...)``), else
        the recorded table."""
        return pd.read_csv(self.folder / (entry.get("data_file") or entry["file"]))


def read_artefacts(folder: str | Path) -> Artefacts:
    """The artefacts recorded in a run folder (empty when nothing was recorded)."""
    folder = Path(folder)
    out = Artefacts(folder)
    index = folder / INDEX_FILE
    if not index.exists():
        return out
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            by_key[(entry["kind"], entry["key"])] = entry  # keeps first position, last content
    for order, ((kind, _), entry) in enumerate(by_key.items()):
        entry["order"] = order
        if kind == "figure":
            out.figures.append(entry)
        elif kind == "table":
            out.tables.append(entry)
        elif kind == "key_message":
            out.key_message = entry
        elif kind == "decisions":
            out.decisions = entry
    return out
