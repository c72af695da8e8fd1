"""Inhabitants and age groups per wijk from CBS Kerncijfers wijken en buurten (85984NED, 2024): an export or the CBS open-data API.

CBS publishes the inhabitants of every gemeente, wijk and buurt on 1 January, with five age groups,
in the yearly table "Kerncijfers wijken en buurten" (85984NED for 2024). This module reads that
table from a StatLine CSV export, a JSON extract (keyed by code, or OData rows) or the OData API
(through the cache of :mod:`onderdak.io.opendata`) into one tidy frame. CBS rounds wijk figures to
multiples of 5, so the age groups of a wijk need not add up to its total and the wijken of a
gemeente differ from the gemeente row by a few persons.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from onderdak.core.errors import InputError
from onderdak.io.opendata import CBS_KWB_TABLE, CBS_KWB_TOPICS, Session, fetch_kwb_rows

AGE_GROUPS = (
    "age_0_15_persons",
    "age_15_25_persons",
    "age_25_45_persons",
    "age_45_65_persons",
    "age_65_plus_persons",
)
COLUMNS = ("statcode", "name", "level", "gm_code", "population_persons", *AGE_GROUPS)
LEVEL = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
CODE = re.compile(r"^(NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
# a column's name (StatLine export header, OData key, or our own) -> tidy column
TOPIC_PATTERNS = {
    "population_persons": r"aantal[\s_]*inwoners|^population_persons$|^inwoners$",
    "age_0_15_persons": r"0\s*tot\s*15\s*jaar|^age_0_15_persons$",
    "age_15_25_persons": r"15\s*tot\s*25\s*jaar|^age_15_25_persons$",
    "age_25_45_persons": r"25\s*tot\s*45\s*jaar|^age_25_45_persons$",
    "age_45_65_persons": r"45\s*tot\s*65\s*jaar|^age_45_65_persons$",
    "age_65_plus_persons": r"65\s*jaar\s*of\s*ouder|^age_65_plus_persons$",
}
NAME_PATTERN = r"^(wijken en buurten|wijkenenbuurten|name|naam|statnaam|wijknaam|wijk_name)$"


def read_kwb_file(path: str | Path) -> pd.DataFrame:
    """Inhabitants and age groups per region from a file of CBS 85984NED (or any year's edition).

    Parameters
    ----------
    path
        A StatLine CSV export (``;``-separated, UTF-8 with BOM, header row of topic paths such as
        ``Bevolking/Aantal inwoners (aantal)``; as ``../shared/data`` file 8), a plain CSV with
        ``statcode, population_persons`` (and optionally the ``age_*_persons`` columns), or a JSON
        file: an object keyed by code with OData topics (``AantalInwoners_5``, ...; file 9), a list
        of OData rows, or a saved OData answer ``{"value": [...]}``.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, one row per region (land, gemeente, wijk, buurt), in file order; figures
        in persons (NaN where the file has none, e.g. no age groups in a JSON extract).
        ``attrs['source']`` is the file name.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: wijk population file not found")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except ValueError as exc:
            raise InputError(f"{path.name}: not valid JSON ({exc})") from None
        if isinstance(data, dict) and isinstance(data.get("value"), list):
            data = data["value"]
        if isinstance(data, dict):
            data = [{"WijkenEnBuurten": code, **values} for code, values in data.items()]
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InputError(f"{path.name}: expected an object keyed by CBS code or a list of rows")
        return kwb_from_rows(data, source=path.name)
    return _from_csv(path)


def kwb_from_rows(
    rows: list[dict[str, Any]], names: dict[str, str] | None = None, source: str = CBS_KWB_TABLE
) -> pd.DataFrame:
    """The tidy frame of :func:`read_kwb_file` from OData rows (``WijkenEnBuurten`` and topic keys).

    ``names`` maps code to name (the table's ``WijkenEnBuurten`` dimension); default: none.
    """
    if not rows:
        raise InputError(f"{source}: no rows")
    frame = pd.DataFrame(rows)
    code_col = next((c for c in ("WijkenEnBuurten", "Codering_3", "statcode") if c in frame), None)
    if code_col is None:
        raise InputError(f"{source}: no column `WijkenEnBuurten` with CBS codes")
    frame = frame.rename(columns={code_col: "code"})
    return _tidy(frame, "code", source, names or {})


def _from_csv(path: Path) -> pd.DataFrame:
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.count(";") >= text.count(",") else ","
    rows = [
        r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)
    ]
    if len(rows) < 2:
        raise InputError(f"{path.name}: no data rows")
    header = [h.strip() for h in rows[0]]
    body = [[c.strip() for c in r] for r in rows[1:] if len(r) == len(header)]  # drops a footer
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # spreadsheet row numbers for messages
    hits = [sum(bool(CODE.match(str(v).upper())) for v in frame[c][:200]) for c in header]
    if max(hits, default=0) == 0:
        raise InputError(
            f"{path.name}: no column with CBS codes (GM0797, WK079701); columns are: {', '.join(header)}"
        )
    code_col = header[hits.index(max(hits))]
    return _tidy(frame, code_col, path.name, {})


def _tidy(frame: pd.DataFrame, code_col: str, source: str, names: dict[str, str]) -> pd.DataFrame:
    codes = pd.Series([str(c).strip().upper() for c in frame[code_col]], index=frame.index)
    keep = np.array([bool(CODE.match(c)) for c in codes], dtype=bool)
    frame, codes = frame[keep], codes[keep]
    columns = {str(c).lower(): c for c in frame.columns if c != code_col}
    out = pd.DataFrame({"statcode": codes.to_numpy(dtype=object)}, index=frame.index)
    name_col = next((c for low, c in columns.items() if re.match(NAME_PATTERN, low)), None)
    if name_col is None:
        out["name"] = [names.get(c, "") for c in out["statcode"]]
    else:
        out["name"] = [str(n).strip() for n in frame[name_col]]
    out["level"] = [LEVEL[c[:2]] for c in out["statcode"]]
    out["gm_code"] = ["GM" + c[2:6] if c[:2] != "NL" else "" for c in out["statcode"]]
    for column, pattern in TOPIC_PATTERNS.items():
        found = next((c for low, c in columns.items() if re.search(pattern, low)), None)
        out[column] = np.nan if found is None else _persons(frame[found], source, found)
    if out["population_persons"].isna().all():
        raise InputError(
            f"{source}: no inhabitants column (Aantal inwoners / AantalInwoners_5 / population_persons); "
            f"columns are: {', '.join(map(str, frame.columns))}"
        )
    out = out.reset_index(drop=True)
    out.attrs["source"] = source
    population_col = next(
        c for low, c in columns.items() if re.search(TOPIC_PATTERNS["population_persons"], low)
    )
    cbs = "aantal" in str(population_col).lower()  # a CBS topic, not a user's own column
    out.attrs["method"] = f"CBS Kerncijfers wijken en buurten ({source})" if cbs else source
    return out[list(COLUMNS)]


def _persons(values: pd.Series, source: str, column: str) -> np.ndarray:
    text = pd.Series(
        ["" if v is None or v != v else str(v).strip() for v in values], index=values.index
    )
    blank = text.isin(("", ".", "x")).to_numpy()
    numbers = pd.to_numeric(text.where(~blank, None), errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~blank & np.isnan(numbers))
    if len(bad):
        row = values.index[bad[0]]
        raise InputError(f"{source}, row {row}, column `{column}`: {values[row]!r} is not a number")
    return np.where(numbers < 0, np.nan, numbers)  # CBS writes secret values as negative codes


def municipality_wijken(table: pd.DataFrame, municipality: str) -> pd.DataFrame:
    """The wijken of one municipality from a tidy table (:func:`read_kwb_file`), sorted by code.

    Returns
    -------
    DataFrame
        :data:`COLUMNS` for the wijken of ``municipality``. ``attrs``: ``source``,
        ``municipality_population_persons`` (the table's gemeente row; NaN when absent) and
        ``method`` (e.g. "CBS 85984NED (kwb.csv)"), which reports name as the source.

    Raises
    ------
    InputError
        No wijken of the municipality in the table.
    """
    source = table.attrs.get("source", CBS_KWB_TABLE)
    if not re.match(r"^GM\d{4}$", municipality):
        raise InputError(f"{municipality!r} is not a municipality code like GM0797")
    wijken = table[(table["level"] == "wijk") & (table["gm_code"] == municipality)]
    if wijken.empty:
        raise InputError(
            f"{source}: no wijken (WK{municipality[2:]}xx) of {municipality}; "
            "is it a table of wijken, and of the boundaries' year?"
        )
    out = wijken.sort_values("statcode", kind="stable").reset_index(drop=True)
    gm = table.loc[table["statcode"] == municipality, "population_persons"]
    out.attrs["source"] = source
    out.attrs["municipality_population_persons"] = float(gm.iloc[0]) if len(gm) else np.nan
    out.attrs["method"] = table.attrs.get("method", source)
    return out


def load_cbs_wijken(
    municipality: str,
    *,
    cache_dir: str | Path | None = None,
    session: Session | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Inhabitants and age groups per wijk of a municipality from the CBS API (85984NED), cached.

    The first call downloads the municipality's rows (a few kB) into ``$ONDERDAK_CACHE`` or
    ``~/.cache/onderdak``; later calls read the cache (also offline). See
    :func:`onderdak.io.opendata.fetch_kwb_rows` for ``cache_dir``, ``session`` and ``refresh``.

    Returns
    -------
    DataFrame
        As :func:`municipality_wijken`.
    """
    if not re.match(r"^GM\d{4}$", municipality):
        raise InputError(f"{municipality!r} is not a municipality code like GM0797")
    rows, names = fetch_kwb_rows(
        municipality, cache_dir=cache_dir, session=session, refresh=refresh
    )
    missing = [t for t in CBS_KWB_TOPICS if rows and t not in rows[0]]
    if missing:
        raise InputError(f"CBS {CBS_KWB_TABLE}: topics {missing} not found; has the table changed?")
    table = kwb_from_rows(rows, names, source=f"CBS {CBS_KWB_TABLE} (opendata.cbs.nl)")
    table.attrs["method"] = f"CBS {CBS_KWB_TABLE}, 1 January 2024 (opendata.cbs.nl)"
    return municipality_wijken(table, municipality)
