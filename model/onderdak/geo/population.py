"""Inhabitants per municipality (CBS StatLine export or the CBS open-data API) joined to CBS codes, and per wijk.

CBS StatLine CSV exports name municipalities, they do not code them, and a few names carry a
suffix such as "Groningen (gemeente)". :func:`join_to_codes` joins names to the ``statcode`` of a
boundary file and refuses silently unmatched rows. Inhabitants per wijk come from the boundary
file, CBS 85984NED (:mod:`onderdak.geo.kerncijfers`), a CSV, or the municipal total spread by area or
equally (an estimate, labelled as such).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from onderdak.core.errors import InputError
from onderdak.geo.kerncijfers import load_cbs_wijken, read_kwb_file
from onderdak.io.opendata import CBS_ODATA, odata_rows

SUFFIX = re.compile(r"\s*\((gemeente|gem\.?)\)\s*$", re.IGNORECASE)


# --- StatLine CSV export ----------------------------------------------------------------------------
def read_statline_csv(path: str | Path) -> pd.DataFrame:
    """A CBS StatLine CSV export as a table: dimension columns, then one column per topic.

    Handles the export format of e.g. table 70072NED: UTF-8 with BOM, ``;`` separators, quoted
    fields, a title line, an "Onderwerp" block with ``|``-separated topic paths, a line of
    dimension names and units, data rows with decimal commas ("" or "." = no value), and a
    "Bron: CBS" footer. A plain CSV with a header row (the "UntypedDataSet" download) is read too.

    Returns
    -------
    DataFrame
        Dimension columns as text (e.g. ``Regio's``, ``Perioden``) and topic columns as floats,
        named after the last part of the topic path (e.g. ``Totale bevolking``);
        ``attrs['units']`` maps topic to unit.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: CBS file not found")
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.count(";") >= text.count(",") else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    onderwerp = next((i for i, r in enumerate(rows[:20]) if "Onderwerp" in r), None)
    if onderwerp is None:
        return _plain_csv(rows, path)
    n_dims = rows[onderwerp].index("Onderwerp")
    header = next(
        (i for i in range(onderwerp + 1, len(rows)) if rows[i] and rows[i][0].strip()), None
    )
    if header is None:
        raise InputError(f"{path.name}: no data rows after the 'Onderwerp' header")
    topic_rows = rows[onderwerp + 1 : header]
    width = len(rows[header])
    topics = []
    for j in range(n_dims, width):
        path_parts = [r[j] for r in topic_rows if j < len(r) and r[j].strip()]
        topics.append(path_parts[-1].split("|")[-1].strip() if path_parts else f"topic_{j}")
    dims = [c.strip() for c in rows[header][:n_dims]]
    units = dict(zip(topics, rows[header][n_dims:], strict=False))
    data = [r for r in rows[header + 1 :] if len(r) == width]
    frame = pd.DataFrame(data, columns=dims + topics)
    for topic in topics:
        frame[topic] = _numbers(frame[topic], path.name, topic)
    frame.attrs["units"] = units
    return frame


def _plain_csv(rows: list[list[str]], path: Path) -> pd.DataFrame:
    if not rows:
        raise InputError(f"{path.name}: empty file")
    header = [h.strip() for h in rows[0]]
    frame = pd.DataFrame([r for r in rows[1:] if len(r) == len(header)], columns=header)
    for col in header:
        values = frame[col].str.strip()
        numeric = pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce")
        if (
            col not in ("ID", "RegioS", "Perioden")
            and numeric.notna().sum() >= values.ne("").sum() * 0.5
        ):
            frame[col] = _numbers(frame[col], path.name, col)
        else:
            frame[col] = values
    frame.attrs["units"] = {}
    return frame


def _numbers(values: pd.Series, source: str, column: str) -> pd.Series:
    text = values.astype("string").str.strip().replace({"": pd.NA, ".": pd.NA, "-": pd.NA})
    decimal_comma = text.str.contains(",", regex=False).fillna(False).astype(bool)
    text = text.where(~decimal_comma, text.str.replace(".", "", regex=False))  # 1.234,5
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    bad = text.notna() & numbers.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{source}, row {i + 1}, column `{column}`: {values.iloc[i]!r} is not a number"
        )
    return numbers.astype(float)


def municipal_population(frame: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Inhabitants per municipality from a StatLine table (from :func:`read_statline_csv`).

    Returns columns ``region`` (the name or code as given), ``year``, ``population_persons``;
    rows without a value (dissolved municipalities) are left out.
    """
    region_col = next((c for c in frame.columns if c.lower().startswith("regio")), None)
    period_col = next((c for c in frame.columns if c.lower().startswith("perio")), None)
    pop_col = next(
        (
            c
            for c in frame.columns
            if re.search(r"totale\s*bevolking|bevolking.*1\s*januari", c, re.I)
        ),
        None,
    )
    if region_col is None or pop_col is None:
        raise InputError(
            "CBS table: need a region column (Regio's/RegioS) and the total population "
            f"('Totale bevolking'); columns are: {', '.join(frame.columns)}"
        )
    out = pd.DataFrame(
        {
            "region": frame[region_col].astype("string").str.strip(),
            "year": _years(frame[period_col]) if period_col else year,
            "population_persons": frame[pop_col].astype(float),
        }
    )
    if year is not None:
        out = out[out["year"] == year]
    return out[out["population_persons"].notna()].reset_index(drop=True)


def _years(periods: pd.Series) -> pd.Series:
    return pd.to_numeric(periods.astype("string").str.strip().str[:4], errors="coerce").astype(
        "Int64"
    )


def fetch_cbs_population(
    year: int,
    *,
    table: str = "70072ned",
    cache_dir: str | Path | None = None,
    session: Any = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Inhabitants per municipality on 1 January from the CBS open-data API (OData v3), cached.

    Returns columns ``statcode`` (GMxxxx), ``year``, ``population_persons`` (rows with a value).
    """
    rows = odata_rows(
        CBS_ODATA.format(table=table),
        {
            "$filter": f"startswith(RegioS,'GM') and Perioden eq '{year}JJ00'",
            "$select": "RegioS,Perioden,TotaleBevolking_1",
        },
        cache_dir=cache_dir,
        session=session,
        refresh=refresh,
    )
    if not rows:
        raise InputError(f"CBS {table}: no municipalities for {year}; is the year published yet?")
    frame = pd.DataFrame(rows)
    out = pd.DataFrame(
        {
            "statcode": frame["RegioS"].astype("string").str.strip(),
            "year": _years(frame["Perioden"]),
            "population_persons": pd.to_numeric(frame["TotaleBevolking_1"], errors="coerce"),
        }
    )
    return out[out["population_persons"].notna()].sort_values("statcode").reset_index(drop=True)


# --- joining names to codes ---------------------------------------------------------------------
def normalise_name(name: str) -> str:
    """A municipality name as a join key: mojibake repaired, accents kept, "(gemeente)" dropped, casefolded."""
    text = str(name)
    if "Ã" in text or "Â" in text:
        try:
            text = text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("`", "'")
    text = SUFFIX.sub("", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _bare(name: str) -> str:
    """A join key without any trailing parenthesised qualifier: "Bergen (L.)" -> "bergen"."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", normalise_name(name))


def join_to_codes(
    population: pd.DataFrame,
    municipalities: pd.DataFrame,
    *,
    aliases: Mapping[str, str] | None = None,
    require_all: bool = True,
) -> pd.DataFrame:
    """Inhabitants per municipality code: names (or codes) of a CBS table joined to a boundary file.

    Parameters
    ----------
    population
        ``region`` (name, or a GM code) and ``population_persons`` (e.g. :func:`municipal_population`).
    municipalities
        ``statcode`` and ``statnaam`` of the municipalities (e.g. :func:`onderdak.geo.boundaries.read_boundaries`
        at level 'gemeente'). Names match after :func:`normalise_name` (so "Utrecht (gemeente)"
        joins "Utrecht").
    aliases
        Extra ``{name in the CBS table: statcode}`` for renamed municipalities.
    require_all
        Every municipality must get a population; otherwise an InputError lists the missing.

    Returns
    -------
    DataFrame
        ``statcode``, ``statnaam``, ``population_persons``, ``matched_on`` ('code', 'name',
        'name without suffix' or 'alias'), sorted by statcode.
    """
    munis = municipalities[["statcode", "statnaam"]].drop_duplicates("statcode")
    by_key: dict[str, str] = {}
    for code, name in zip(munis["statcode"], munis["statnaam"], strict=True):
        key = normalise_name(name)
        if key in by_key:
            raise InputError(
                f"two municipalities share the name {name!r}: {by_key[key]} and {code}"
            )
        by_key[key] = code
    known = set(munis["statcode"])
    alias = {normalise_name(k): v for k, v in (aliases or {}).items()}
    matched: dict[str, tuple[float, str]] = {}
    unmatched: list[tuple[str, float]] = []
    for region, persons in zip(population["region"], population["population_persons"], strict=True):
        region = str(region).strip()
        if region.upper() in known:
            code, how = region.upper(), "code"
        elif normalise_name(region) in alias:
            code, how = alias[normalise_name(region)], "alias"
        elif normalise_name(region) in by_key:
            code = by_key[normalise_name(region)]
            how = "name without suffix" if SUFFIX.search(region) else "name"
        else:
            unmatched.append((region, float(persons)))
            continue
        if code in matched:
            raise InputError(f"CBS table: two rows match municipality {code} (one is {region!r})")
        matched[code] = (float(persons), how)
    # second pass: "Hengelo" vs "Hengelo (O.)" -- only where the bare name is unique on both sides
    left = {
        c: n for c, n in zip(munis["statcode"], munis["statnaam"], strict=True) if c not in matched
    }
    bare_munis = pd.Series({c: _bare(n) for c, n in left.items()}, dtype=object)
    bare_rows = pd.Series([_bare(r) for r, _ in unmatched], dtype=object)
    for (_, persons), key in zip(unmatched, bare_rows, strict=True):
        codes = list(bare_munis.index[bare_munis == key])
        if len(codes) == 1 and (bare_rows == key).sum() == 1:
            matched[codes[0]] = (persons, "name without suffix")
    missing = sorted(known - set(matched))
    if missing and require_all:
        names = dict(zip(munis["statcode"], munis["statnaam"], strict=True))
        raise InputError(
            f"CBS table: no inhabitants for {len(missing)} of {len(known)} municipalities "
            "(renamed or merged? pass aliases {name: code})",
            [f"{c} {names[c]}" for c in missing[:20]],
        )
    out = munis.copy()
    out["population_persons"] = [matched.get(c, (np.nan, ""))[0] for c in out["statcode"]]
    out["matched_on"] = [matched.get(c, (np.nan, "none"))[1] for c in out["statcode"]]
    return pd.DataFrame(out).sort_values("statcode").reset_index(drop=True)


# --- inhabitants per wijk ------------------------------------------------------------------------
def wijk_population(
    wijken: pd.DataFrame,
    source: str | Path | pd.DataFrame = "file",
    municipal_population_persons: float | None = None,
) -> pd.Series:
    """Inhabitants per wijk, indexed by wijk code (``statcode``).

    Parameters
    ----------
    wijken
        Wijk boundaries with ``statcode``, ``population_persons`` (may be NaN) and geometry.
    source
        A table with ``statcode`` and ``population_persons`` per wijk, such as CBS 85984NED from
        :func:`onderdak.geo.kerncijfers.load_cbs_wijken` (recommended; 'cbs_85984' calls it), or a path to a file
        :func:`onderdak.geo.kerncijfers.read_kwb_file` reads (a 85984NED CSV/JSON export, or a CSV with
        ``statcode, population_persons``); 'file': ``population_persons`` of the boundary file
        (CBS ``aantal_inwoners``); 'area': the municipal population spread in proportion to wijk
        area, 'equal': spread equally (both an estimate: rural wijken get too many).
    municipal_population_persons
        The municipal total, needed for 'area' and 'equal'.

    Returns
    -------
    Series
        ``population_persons`` per wijk (whole persons; spread estimates sum to the total; a wijk
        with 0 inhabitants in a table or file stays 0). ``attrs['method']`` says where the figures
        come from; ``attrs['estimate']`` is True for 'area' and 'equal'.

    Raises
    ------
    InputError
        A wijk of the boundaries missing from the table, a wijk of the table (of the same
        municipalities) missing from the boundaries, or a wijk without a figure; the message names
        the table and the wijken.
    """
    wijken = wijken[wijken["level"] == "wijk"] if "level" in wijken.columns else wijken
    codes = pd.Index(wijken["statcode"], name="wijk_code")
    boundaries = str(wijken.attrs.get("source", "the boundaries"))
    estimate = False
    zero_is_missing = (
        isinstance(source, str) and source == "file"
    )  # 0 = not given in a boundary file
    if isinstance(source, str) and source == "cbs_85984" and len(codes):
        source = load_cbs_wijken("GM" + str(codes[0])[2:6])  # online once, then the cache
    if isinstance(source, pd.DataFrame) or str(source).lower().endswith((".csv", ".json")):
        table = source if isinstance(source, pd.DataFrame) else read_kwb_file(source)
        name = str(table.attrs.get("source", "the wijk table"))
        out = _join_table(table, codes, name, boundaries)
        method = str(table.attrs.get("method", name))
    elif source == "file":
        out = pd.Series(wijken["population_persons"].to_numpy(float), index=codes)
        method = f"boundary file ({boundaries})"
    elif source in ("area", "equal"):
        if municipal_population_persons is None or municipal_population_persons <= 0:
            raise InputError(f"wijk population '{source}': the municipal population is needed")
        basis = wijken.geometry.area.to_numpy(float) if source == "area" else np.ones(len(codes))
        out = pd.Series(_largest_remainder(basis, municipal_population_persons), index=codes)
        method = f"estimate: municipal population spread by {'area' if source == 'area' else 'equal shares'}"
        estimate = True
    else:
        raise InputError(
            f"wijk population source {source!r}: use 'cbs_85984', a CBS 85984NED export (.csv/.json), "
            "a CSV (statcode, population_persons), 'file', or the estimates 'area'/'equal'"
        )
    missing = list(out.index[out.isna() | (out < 0) | ((out == 0) & zero_is_missing)])
    if missing:
        raise InputError(
            f"wijk population ({method}): no inhabitants for {len(missing)} wijken; "
            "use 'cbs_85984', a CSV (statcode, population_persons), or the estimate 'area'/'equal'",
            missing[:10],
        )
    out.name = "population_persons"
    out.attrs["method"] = method
    out.attrs["estimate"] = estimate
    return out


def _join_table(table: pd.DataFrame, codes: pd.Index, name: str, boundaries: str) -> pd.Series:
    """The table's inhabitants on the boundary codes; wijken on one side only are an error."""
    for col in ("statcode", "population_persons"):
        if col not in table.columns:
            raise InputError(f"{name}: column `{col}` is missing")
    statcode = table["statcode"].astype("string").str.strip().str.upper()
    municipalities = {c[2:6] for c in codes}
    mine = statcode.str.startswith("WK") & statcode.str[2:6].isin(municipalities)
    values = pd.Series(
        table["population_persons"].to_numpy(float)[mine.to_numpy()], index=statcode[mine]
    )
    dupes = sorted(set(values.index[values.index.duplicated()]))
    if dupes:
        raise InputError(f"{name}: wijken occur more than once", dupes[:10])
    problems = [f"{c}: in {boundaries}, not in {name}" for c in codes if c not in values.index]
    problems += [f"{c}: in {name}, not in {boundaries}" for c in values.index if c not in codes]
    if problems:
        raise InputError(
            f"wijk population: the wijken of {name} and {boundaries} differ "
            "(tables and boundaries of different years?)",
            problems[:20],
        )
    return values.reindex(codes)


def _largest_remainder(basis: np.ndarray, total: float) -> np.ndarray:
    """Whole numbers in proportion to ``basis`` that sum exactly to ``round(total)``."""
    share = basis / basis.sum() * round(total)
    whole = np.floor(share)
    left = int(round(total) - whole.sum())
    order = np.argsort(-(share - whole), kind="stable")
    whole[order[:left]] += 1
    return whole
