"""Read the sourced national reference figures in data/reference (sources.csv and the series files)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pandas as pd

from onderdak.core.errors import InputError
from onderdak.io import resources

REFERENCE_DIR = resources.reference_dir()
"""Folder of the reference CSVs; every default figure has a row in its ``sources.csv``."""

SOURCES_FILE = "sources.csv"


@cache
def _sources() -> pd.DataFrame:
    path = REFERENCE_DIR / SOURCES_FILE
    if not path.is_file():
        raise InputError(f"{path}: reference index not found")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    duplicated = frame.loc[frame["key"].duplicated(), "key"].tolist()
    if duplicated:
        raise InputError(f"{path}: duplicate keys", problems=[f"key `{k}`" for k in duplicated])
    return frame.set_index("key", drop=False)


def load_sources() -> pd.DataFrame:
    """Return the reference index ``sources.csv``, one row per scalar default or series file.

    Returns
    -------
    pandas.DataFrame
        Columns dataset, key, value, file, unit, source, date, confidence, note, all as text (empty
        string where blank), indexed by ``key``. A copy: callers may modify it.
    """
    return _sources().copy()


def _row(key: str) -> pd.Series:
    frame = _sources()
    if key not in frame.index:
        raise InputError(f"{REFERENCE_DIR / SOURCES_FILE}: no row with key `{key}`")
    return frame.loc[key]


def scalar_text(key: str) -> str:
    """Return the value of a scalar default as text (e.g. a date such as ``tpd_end_date``).

    Parameters
    ----------
    key : str
        The ``key`` column of ``sources.csv``.

    Returns
    -------
    str
        The ``value`` cell, unchanged.

    Raises
    ------
    InputError
        If the key is missing or its row has no value (a series-file row).
    """
    value = _row(key)["value"].strip()
    if not value:
        raise InputError(f"{REFERENCE_DIR / SOURCES_FILE}: key `{key}` has no value")
    return value


def scalar(key: str) -> float:
    """Return a numeric scalar default, in the unit given by the ``unit`` column of ``sources.csv``.

    Parameters
    ----------
    key : str
        The ``key`` column of ``sources.csv``, e.g. ``"coa_occupancy_norm_share"``.

    Returns
    -------
    float
        The value (unit in the key's name and in the ``unit`` column).

    Raises
    ------
    InputError
        If the key is missing, has no value, or the value is not a finite number.
    """
    text = scalar_text(key)
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(
            f"{REFERENCE_DIR / SOURCES_FILE}: key `{key}` value `{text}` is not a number"
        )
    return value


def citation(key: str) -> str:
    """Return the citation of a scalar or series key as ``"source, date"``.

    Parameters
    ----------
    key : str
        The ``key`` column of ``sources.csv``.

    Returns
    -------
    str
        Source and publication date, e.g. ``"COA news 2023-11, 2023-11"``.
    """
    row = _row(key)
    return f"{row['source']}, {row['date']}"


@cache
def _table(name: str) -> pd.DataFrame:
    path = REFERENCE_DIR / f"{name}.csv"
    if name == Path(SOURCES_FILE).stem or not path.is_file():
        raise InputError(f"{path}: reference table `{name}` not found in {REFERENCE_DIR}")
    return pd.read_csv(path, encoding="utf-8")


def table(name: str) -> pd.DataFrame:
    """Return a reference series file ``data/reference/<name>.csv``.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"asylum_inflow_yearly"`` or ``"normbedrag"``.

    Returns
    -------
    pandas.DataFrame
        One row per observation; numbers as floats or ints (empty cells NaN), plus the text columns
        source, date, confidence and usually note. A copy: callers may modify it.

    Raises
    ------
    InputError
        If the file does not exist.
    """
    return _table(name).copy()


RECOURSE_KEYS = {
    "hotel": "coa_hotel_place_cost_eur_per_place_year_2024",
    "emergency": "coa_cost_emergency_eur_per_place_year_2023",
}
"""Recourse kind -> key in sources.csv of what one such place costs a year (the Rijk, via COA)."""


def recourse_eur_per_place_day(kind: str = "hotel") -> tuple[float, str]:
    """The reference cost of one recourse place per day, and its key in ``sources.csv``.

    Parameters
    ----------
    kind : {"hotel", "emergency"}
        ``hotel``: what a COA hotel place cost the Rijk in 2024 (~EUR 91,000 a year, L);
        ``emergency``: a COA emergency place in 2023 (EUR 69,400 a year).

    Returns
    -------
    (float, str)
        EUR per place per day (the yearly figure / 365) and the key, for a citation.

    Examples
    --------
    >>> round(recourse_eur_per_place_day("hotel")[0], 2)
    249.32
    """
    key = RECOURSE_KEYS[kind]
    return scalar(key) / 365.0, key


def municipal_recourse(stream: str) -> bool:
    """Whether the municipality pays for need of ``stream`` its own places cannot hold.

    From ``data/reference/stream_accounts.csv`` (one account per stream): True for Ukrainians in
    municipal reception (the municipality's emergency option), False for asylum seekers (COA bears the
    reception) and status holders (the backlog waits in COA).
    """
    accounts = table("stream_accounts").set_index("stream")
    if stream not in accounts.index:
        raise InputError(
            f"{REFERENCE_DIR / 'stream_accounts.csv'}: no account for stream `{stream}`"
        )
    value = accounts.loc[stream, "municipal_recourse"]
    return bool(value) if not isinstance(value, str) else value.strip().lower() == "true"
