"""The national overview's figures, tables and words: a map of need per 1,000 inhabitants, the workbook, a summary.

Figures return a :class:`matplotlib.figure.Figure` and never save; :func:`write_overview` is the
exporter (CSV tables, ``national.xlsx``, the map as PNG, ``summary.md``). Words come from the
message catalogs (``national.*`` in ``messages/<language>/national.yaml``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from onderdak.core.streams import STREAMS
from onderdak.region.national import NationalOverview
from onderdak.reporting import i18n
from onderdak.reporting.i18n import stream_name
from onderdak.reporting.style import NEUTRAL, STREAM_COLOURS

BOUNDARIES_SOURCE = "PDOK CBS gebiedsindelingen 2024, gemeente_gegeneraliseerd"
COLUMNS = (
    "code",
    "municipality",
    "province",
    "population_persons",
    "scenario",
    "paths",
    *(f"{s}_need_p50" for s in STREAMS),
    *(f"{s}_need_per_1000_persons" for s in STREAMS),
    "shortfall_probability_share",
    "net_cost_eur_p50",
    "taakstelling_persons",
    "housed_persons",
    "backlog_end_persons",
    "report",
    "municipalities",
    "housed_share_of_task",
    "stream",
    "unit",
    "need_p10",
    "need_p50",
    "need_p90",
    "need_per_1000_persons_p50",
    "status",
    "message",
)
"""Every column of the overview's tables, each with a header in the catalogs (``national.col_<name>``)."""


def _t(key: str, language: str, **facts: object) -> str:
    return i18n.text(f"national.{key}", language, **facts)


def header(column: str, language: str = "nl") -> str:
    """The column's header in the report language, with its unit."""
    return _t(f"col_{column}", language)


def need_map(ov: NationalOverview, boundaries: gpd.GeoDataFrame, language: str = "nl") -> Figure:
    """Need per 1,000 inhabitants in the year, one map of the Netherlands per stream.

    ``boundaries`` has one row per municipality with its code in ``statcode`` (the PDOK layer);
    municipalities that did not run are grey.
    """
    table = ov.municipalities.set_index("code") if not ov.municipalities.empty else None
    fig = Figure(figsize=(13, 4.8))
    axes = fig.subplots(1, len(STREAMS))
    for ax, s in zip(np.atleast_1d(axes), STREAMS, strict=True):
        column = f"{s}_need_per_1000_persons"
        frame = boundaries[["statcode", "geometry"]].copy()
        frame["value"] = frame["statcode"].map(table[column]) if table is not None else np.nan
        frame.plot(ax=ax, color="#e6e6e6", edgecolor="white", linewidth=0.2)
        ran = frame[frame["value"].notna()]
        if not ran.empty:
            ran.plot(
                ax=ax,
                column="value",
                vmin=0.0,  # from zero: equal shares look equal, not like a spread of noise
                cmap=LinearSegmentedColormap.from_list(s, ["#f2f2f2", STREAM_COLOURS[s]]),
                edgecolor="white",
                linewidth=0.2,
                legend=True,
                legend_kwds={"shrink": 0.6, "label": _t("per_1000", language)},
            )
        ax.set_title(stream_name(s, language), fontsize=11)
        ax.set_axis_off()
        ax.set_aspect("equal")
    fig.suptitle(_t("map_title", language, year=ov.year), fontsize=13)
    fig.text(
        0.01, 0.01, _t("map_source", language, source=BOUNDARIES_SOURCE), fontsize=7, color=NEUTRAL
    )
    return fig


def summary(ov: NationalOverview, language: str = "nl") -> str:
    """A few sentences on the run: how many municipalities, the national need, who is missing."""
    table = ov.municipalities
    ran = len(table)
    lines = [_t("summary_ran", language, ran=ran, total=ran + len(ov.missing), year=ov.year)]
    if ran:
        persons = table["population_persons"].sum()
        for s in STREAMS:
            total = table[f"{s}_need_p50"].sum()
            lines.append(
                _t(
                    f"summary_need_{s}",
                    language,
                    total=total,
                    per_1000=total / persons * 1000,
                )
            )
        if ov.without_register:
            lines.append(_t("summary_no_register", language, count=ov.without_register))
        lines.append(_t("summary_starter_assumptions", language))
    if ov.provinces.empty:
        lines.append(_t("summary_no_provinces", language))
    else:
        lines.append(_t("summary_provinces", language, count=len(ov.provinces)))
    reports = ov.missing["status"].str.startswith("report_") if len(ov.missing) else []
    if "report" in table.columns:
        made = int((table["report"] != "").sum())
        lines.append(_t("summary_reports", language, made=made, total=ran))
    if len(ov.missing) and (~reports).any():
        codes = ", ".join(ov.missing.loc[~reports, "code"])
        lines.append(_t("summary_missing", language, codes=codes))
    if len(ov.missing) and reports.any():
        codes = ", ".join(ov.missing.loc[reports, "code"])
        lines.append(_t("summary_reports_missing", language, codes=codes))
    return "\n\n".join(lines)


def _headed(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    return frame.rename(columns={c: header(c, language) for c in frame.columns if c in COLUMNS})


def write_workbook(ov: NationalOverview, path: Path, language: str = "nl") -> Path:
    """``national.xlsx``: municipalities, need per scenario, provinces, missing (units in headers)."""
    missing = ov.missing.copy()
    if len(missing):  # the outcome in words, not its code
        missing["status"] = [_t(f"status_{s}", language) for s in missing["status"]]
    sheets = {
        "sheet_municipalities": ov.municipalities,
        "sheet_need": ov.need,
        "sheet_provinces": ov.provinces,
        "sheet_missing": missing,
    }
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for key, frame in sheets.items():
            _headed(frame, language).to_excel(
                writer, sheet_name=_t(key, language)[:31], index=False
            )
    return path


def write_overview(
    ov: NationalOverview, out: Path, boundaries: Path | None, language: str = "nl"
) -> list[Path]:
    """The overview's files in ``out``: CSV tables, ``national.xlsx``, ``need_map.png`` (when
    ``boundaries`` is given), ``summary.md``. Returns the paths written."""
    import matplotlib

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (
        ("municipalities", ov.municipalities),
        ("need", ov.need),
        ("provinces", ov.provinces),
        ("missing", ov.missing),
    ):
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")
        written.append(path)
    written.append(write_workbook(ov, out / "national.xlsx", language))
    if boundaries is not None:
        frame = gpd.read_file(boundaries)
        with matplotlib.rc_context({"font.size": 9}):
            fig = need_map(ov, frame, language)
            fig.savefig(out / "need_map.png", dpi=130, bbox_inches="tight")
        written.append(out / "need_map.png")
    path = out / "summary.md"
    path.write_text(
        "# " + _t("title", language, year=ov.year) + "\n\n" + summary(ov, language) + "\n",
        encoding="utf-8",
    )
    written.append(path)
    return written
