"""Downloads from public open-data services (PDOK WFS, CBS OData) through a file cache, for online users.

Every response is stored under a cache folder keyed by URL and query, so a second run (or a run
on a train) reads the file instead of the network. Tests pass a fake ``session`` whose ``get``
serves recorded responses; nothing here is needed when a case carries its own files.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from onderdak.core.errors import InputError
from onderdak.io.atomic import fresh_file

PDOK_GEBIEDSINDELINGEN = "https://service.pdok.nl/cbs/gebiedsindelingen/{year}/wfs/v1_0"
CBS_ODATA = "https://opendata.cbs.nl/ODataApi/odata/{table}/TypedDataSet"


class Session(Protocol):
    """What we need of ``requests`` (or a ``requests.Session``, or a test fake)."""

    def get(self, url: str, params: dict[str, Any] | None = None, timeout: float = ...) -> Any: ...


def default_cache_dir() -> Path:
    """The cache folder: ``$ONDERDAK_CACHE`` or ``~/.cache/onderdak``."""
    return Path(os.environ.get("ONDERDAK_CACHE", Path.home() / ".cache" / "onderdak"))


def cached_json(
    url: str,
    params: dict[str, Any] | None = None,
    *,
    cache_dir: str | Path | None = None,
    session: Session | None = None,
    timeout_s: float = 60.0,
    refresh: bool = False,
) -> Any:
    """The JSON answer of a GET request, read from the cache when present.

    Parameters
    ----------
    url, params
        The request; together they name the cache file.
    cache_dir
        Folder of the cache (created when needed); default :func:`default_cache_dir`.
    session
        Object with ``get(url, params=, timeout=)``; default the ``requests`` module.
    timeout_s
        Network timeout in seconds.
    refresh
        Ignore a cached answer and ask the service again.

    Raises
    ------
    InputError
        When the service cannot be reached or does not answer with JSON; the message tells
        the user how to work offline instead.
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = hashlib.sha256(
        (url + "?" + json.dumps(params or {}, sort_keys=True)).encode("utf-8")
    ).hexdigest()[:32]
    file = folder / f"{key}.json"
    if file.exists() and not refresh:
        return json.loads(file.read_text(encoding="utf-8"))
    if session is None:
        import requests

        session = requests
    try:
        response = session.get(url, params=params, timeout=timeout_s)
    except Exception as exc:  # requests raises many types; all mean "offline or unreachable"
        raise InputError(
            f"could not reach {url} ({type(exc).__name__}: {exc}). Are you online? "
            "Offline, give the boundary or population file in the case instead."
        ) from None
    status = getattr(response, "status_code", 200)
    if status != 200:
        raise InputError(f"{url} answered HTTP {status}; check the year/table, or use a local file")
    try:
        data = response.json()
    except ValueError:
        raise InputError(f"{url} did not answer with JSON; check the year/table") from None
    folder.mkdir(parents=True, exist_ok=True)
    with fresh_file(file) as tmp:  # workers may write the same answer at once
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def wfs_features(
    url: str,
    type_name: str,
    *,
    srs: str = "EPSG:28992",
    page_size: int = 1000,
    cql_filter: str | None = None,
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """All GeoJSON features of a WFS 2.0 layer, fetched page by page (PDOK serves ≤ 1,000 per page).

    ``kwargs`` go to :func:`cached_json` (cache_dir, session, timeout_s, refresh).
    """
    features: list[dict[str, Any]] = []
    start = 0
    while True:
        params: dict[str, Any] = {
            "service": "WFS",
            "version": "2.0.0",
            "request": "GetFeature",
            "typeNames": type_name,
            "outputFormat": "application/json",
            "srsName": srs,
            "count": page_size,
            "startIndex": start,
        }
        if cql_filter:
            params["CQL_FILTER"] = cql_filter
        page = cached_json(url, params, **kwargs)
        batch = page.get("features", []) if isinstance(page, dict) else []
        features.extend(batch)
        matched = page.get("numberMatched") if isinstance(page, dict) else None
        if not batch or (isinstance(matched, int) and len(features) >= matched):
            return features
        if not isinstance(matched, int) and len(batch) < page_size:
            return features  # a short page is the last one
        start += len(batch)  # the server may cap a page below page_size


def odata_rows(
    url: str, params: dict[str, Any] | None = None, **kwargs: Any
) -> list[dict[str, Any]]:
    """All rows of a CBS OData (v3) query, following ``odata.nextLink`` pages.

    ``kwargs`` go to :func:`cached_json` (cache_dir, session, timeout_s, refresh).
    """
    rows: list[dict[str, Any]] = []
    next_url: str | None = url
    next_params = dict(params or {})
    next_params.setdefault("$format", "json")
    while next_url:
        page = cached_json(next_url, next_params, **kwargs)
        rows.extend(page.get("value", []))
        next_url = page.get("odata.nextLink") or page.get("@odata.nextLink")
        next_params = {}
    return rows


# --- CBS 83102NED: asylum requests and nareizigers, the long yearly history -------------------------
CBS_ASYLUM_TABLE = "83102NED"
CBS_ASYLUM_TOTAL_CODE = "T001059"  # Nationaliteit: all nationalities
CBS_ASYLUM_TOPIC = "TotaalAsielverzoekenEnNareizigers_1"


def fetch_cbs_asylum_history(
    *,
    table: str = CBS_ASYLUM_TABLE,
    cache_dir: str | Path | None = None,
    session: Session | None = None,
    refresh: bool = False,
) -> pd.Series:
    """Yearly asylum requests plus nareizigers, all nationalities (CBS 83102NED, OData v3), cached.

    The total counts first and subsequent asylum requests and nareizigers (family members who join
    a permit holder): the definition of the IND's "totale asielinstroom". The archived table runs
    1975–2018 by year; a table with months only is summed to its complete years.

    Returns
    -------
    pandas.Series
        ``total_inflow_persons`` (persons per year) indexed by ``year``; years without a value dropped.

    Raises
    ------
    InputError
        Offline, or when the table has no total row (see :func:`cached_json`).
    """
    try:
        rows = odata_rows(
            CBS_ODATA.format(table=table),
            {
                "$filter": f"startswith(Nationaliteit,'{CBS_ASYLUM_TOTAL_CODE}')",
                "$select": f"Nationaliteit,Perioden,{CBS_ASYLUM_TOPIC}",
            },
            cache_dir=cache_dir,
            session=session,
            refresh=refresh,
        )
    except InputError as exc:
        raise InputError(
            f"CBS {table} (asylum history 1975–2018) could not be downloaded: {exc}",
            problems=[
                "offline, calibrate on data/reference only (the default), or",
                "export the table from StatLine as CSV and read it with read_cbs_asylum_history_csv",
            ],
        ) from None
    return asylum_history_from_rows(rows, table=table)


def read_cbs_asylum_history_csv(path: str | Path) -> pd.Series:
    """The same yearly series from a StatLine CSV export of 83102NED (``;``-separated, ``.`` = no data).

    For users offline: export the table from StatLine and give the file instead of the API.
    """
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    return asylum_history_from_rows(frame.to_dict("records"), table=str(path))


def asylum_history_from_rows(
    rows: list[dict[str, Any]], table: str = CBS_ASYLUM_TABLE
) -> pd.Series:
    """Yearly totals (all nationalities) from 83102NED rows, typed (API) or untyped (CSV export)."""
    if not rows:
        raise InputError(f"CBS {table}: no rows; is the table id right?")
    frame = pd.DataFrame(rows)
    missing = {"Nationaliteit", "Perioden", CBS_ASYLUM_TOPIC} - set(frame.columns)
    if missing:
        raise InputError(
            f"CBS {table}: column(s) {sorted(missing)} not found; has the table changed?"
        )
    frame = frame[frame["Nationaliteit"].astype(str).str.strip() == CBS_ASYLUM_TOTAL_CODE]
    period = frame["Perioden"].astype(str).str.strip()
    data = pd.DataFrame(
        {
            "kind": period.str[4:6],  # "JJ" year, "MM" month, "KW" quarter
            "year": pd.to_numeric(period.str[:4], errors="coerce"),
            "value": pd.to_numeric(
                frame[CBS_ASYLUM_TOPIC].astype(str).str.strip(), errors="coerce"
            ),
        }
    ).dropna()  # "." (no data) and None become NaN and are dropped
    yearly = data[data["kind"] == "JJ"].set_index("year")["value"]
    months = data[data["kind"] == "MM"].groupby("year")["value"].agg(["sum", "count"])
    from_months = months.loc[months["count"] == 12, "sum"]
    out = pd.concat([yearly, from_months[~from_months.index.isin(yearly.index)]])
    if out.empty:
        raise InputError(
            f"CBS {table}: no yearly total for all nationalities ({CBS_ASYLUM_TOTAL_CODE})"
        )
    out.index = out.index.astype(int)
    out.index.name = "year"
    return out.sort_index().astype(float).rename("total_inflow_persons")


# --- CBS 85984NED: Kerncijfers wijken en buurten 2024 (inhabitants and age groups per wijk) ---------
CBS_KWB_TABLE = "85984NED"
CBS_KWB_TOPICS = (
    "AantalInwoners_5",
    "k_0Tot15Jaar_8",
    "k_15Tot25Jaar_9",
    "k_25Tot45Jaar_10",
    "k_45Tot65Jaar_11",
    "k_65JaarOfOuder_12",
)
CBS_ODATA_DIMENSION = "https://opendata.cbs.nl/ODataApi/odata/{table}/{dimension}"


def fetch_kwb_rows(
    municipality: str,
    *,
    table: str = CBS_KWB_TABLE,
    cache_dir: str | Path | None = None,
    session: Session | None = None,
    refresh: bool = False,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The rows of one municipality (its GM row and its wijken) of a CBS Kerncijfers wijken en buurten table, cached.

    Parameters
    ----------
    municipality
        CBS code, e.g. ``GM0828``.
    table
        StatLine table id; ``85984NED`` is the 2024 edition (inhabitants on 1 January 2024).
    cache_dir, session, refresh
        See :func:`cached_json`.

    Returns
    -------
    rows, names
        TypedDataSet rows with ``WijkenEnBuurten`` (the code, padded with spaces, as CBS serves it)
        and the topics of :data:`CBS_KWB_TOPICS`; ``names`` maps code to the region's title.

    Raises
    ------
    InputError
        Offline or unreachable (the message says how to work with an exported file instead).
    """
    digits = municipality[2:]
    codes = f"startswith(WijkenEnBuurten,'GM{digits}') or startswith(WijkenEnBuurten,'WK{digits}')"
    try:
        rows = odata_rows(
            CBS_ODATA.format(table=table),
            {"$filter": codes, "$select": ",".join(("WijkenEnBuurten", *CBS_KWB_TOPICS))},
            cache_dir=cache_dir,
            session=session,
            refresh=refresh,
        )
        labels = odata_rows(
            CBS_ODATA_DIMENSION.format(table=table, dimension="WijkenEnBuurten"),
            {"$filter": codes.replace("WijkenEnBuurten", "Key"), "$select": "Key,Title"},
            cache_dir=cache_dir,
            session=session,
            refresh=refresh,
        )
    except InputError as exc:
        raise InputError(
            f"CBS {table} (inhabitants per wijk) could not be downloaded: {exc}",
            problems=[
                f"offline, export table {table} from StatLine (wijken of {municipality}, 'Aantal "
                "inwoners' and the age groups) as CSV and give its path as geo.wijk_population_source",
            ],
        ) from None
    names = {str(r.get("Key", "")).strip(): str(r.get("Title", "")).strip() for r in labels}
    return rows, names
