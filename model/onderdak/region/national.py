"""The national overview: per municipality its need per 1,000 inhabitants per stream, shortfall risk and net cost; per province the totals.

One job per municipality (:func:`municipality_job`) writes the municipality's starter case
(:func:`onderdak.geo.starter_case.init_case`, offline from exported CBS/PDOK files), simulates every
scenario once (:meth:`onderdak.pipeline.run.CaseRun.results`), writes its result tables atomically
and returns its row of the overview. :func:`national_overview` puts the rows together.

Need is the mean over the months of the year per path, shown as the median over paths (p50) and
the 80% band (p10–p90), in the stream's unit (places; dwellings for status holders), and per
1,000 inhabitants (the p50 over the municipality's inhabitants × 1,000). The shortfall probability
and the net cost need a location register: a starter case has none until the project leader fills
it in, so for starter cases both are empty (NaN) and the overview counts them as such.

Province totals are sums over the municipalities of a province (quantiles summed: with one seed
every municipality sees the same national paths, see :mod:`onderdak.region.overview`), beside the
province's part of the status holders' taakstelling and the persons housed against it (model). The
membership of a province is the 2024 division in ``data/reference/municipality_province_2024.csv``
(:func:`reference_provinces`) unless the user gives a file of their own (``code,province``,
:func:`read_provinces`).
"""

from __future__ import annotations

import csv
import os
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from onderdak.core.errors import InputError, OnderdakError
from onderdak.core.streams import STREAMS
from onderdak.geo.starter_case import init_case
from onderdak.io import reference
from onderdak.pipeline.results import write_results
from onderdak.pipeline.run import CaseRun
from onderdak.region.overview import overview_row

PER_PERSONS = 1000
"""Need is shown per this many inhabitants."""
TASK_COLUMNS = ("taakstelling_persons", "housed_persons", "backlog_end_persons")
"""The status holders' task in the half-year, the persons housed against it and the backlog after it."""


def need_rows(runs: Mapping[str, Any], year: int) -> list[dict[str, Any]]:
    """Per scenario and stream: need in ``year`` (mean over its months) as p10/p50/p90 and per 1,000.

    Parameters
    ----------
    runs : Mapping[str, onderdak.need.simulate.ScenarioRun]
        Scenario name → its run (``Results.runs`` of one municipality's case).
    year : int
        Calendar year inside the horizon.
    """
    rows = []
    for name, run in runs.items():
        need, case = run.need, run.case
        months = np.flatnonzero(need.periods.year == year)
        if months.size == 0:
            raise InputError(
                f"{case.name}: year {year} lies outside the horizon "
                f"({need.periods[0]} to {need.periods[-1]})"
            )
        persons = case.municipality.population_persons
        for s in STREAMS:
            per_path = need.streams[s][:, months].mean(axis=1)
            q10, q50, q90 = np.quantile(per_path, (0.1, 0.5, 0.9))
            rows.append(
                {
                    "code": case.municipality.code,
                    "scenario": name,
                    "stream": s,
                    "unit": need.units[s],
                    "need_p10": float(q10),
                    "need_p50": float(q50),
                    "need_p90": float(q90),
                    "need_per_1000_persons_p50": float(q50) / persons * PER_PERSONS,
                }
            )
    return rows


def municipality_row(results: Any, year: int, half_year: str) -> dict[str, Any]:
    """The municipality's row for the base scenario: need per stream, shortfall risk, net cost, task.

    Columns: code, municipality, population_persons, scenario, paths; per stream
    ``<stream>_need_p50`` (its unit) and ``<stream>_need_per_1000_persons``;
    ``shortfall_probability_share`` (reception streams, any month of the year; NaN without a
    register), ``net_cost_eur_p50`` (the committed portfolio's net cost in the year, costs −
    income; NaN without a register) and the status holders' task of ``half_year``.
    """
    base = next(iter(results.runs))
    run = results.runs[base]
    case = run.case
    detail = overview_row(case, run.need, year, half_year, label=case.name)
    row: dict[str, Any] = {
        "code": case.municipality.code,
        "municipality": case.municipality.name,
        "population_persons": case.municipality.population_persons,
        "scenario": base,
        "paths": run.need.paths,
    }
    for r in need_rows({base: run}, year):
        row[f"{r['stream']}_need_p50"] = r["need_p50"]
        row[f"{r['stream']}_need_per_1000_persons"] = r["need_per_1000_persons_p50"]
    row["shortfall_probability_share"] = detail["shortfall_probability_share"]
    row["net_cost_eur_p50"] = _net_cost(results.tables.get("budget"), base, year)
    row.update({k: detail[k] for k in TASK_COLUMNS})
    return row


def _net_cost(budget: pd.DataFrame | None, scenario: str, year: int) -> float:
    if budget is None or budget.empty:
        return float("nan")
    rows = budget[
        (budget["scenario"] == scenario)
        & (budget["portfolio"] == "committed")
        & (budget["scope"] == "portfolio")
        & (budget["line"] == "net_cost")
        & (budget["year"] == year)
    ]
    return float(rows["p50_eur"].iloc[0]) if len(rows) else float("nan")


def municipality_folder(work_dir: str | Path, part: str, code: str) -> Path:
    """``<work_dir>/<part>/<code>``: a municipality's ``cases``, ``results`` or ``reports`` folder
    in a national run's folder."""
    return Path(work_dir) / part / code.lower()


def starter_case(code: str, source_dir: str | Path | None, work_dir: str | Path) -> Path:
    """The municipality's starter case, written (again) to ``<work_dir>/cases/<code>/``, from the
    exported files in ``source_dir`` or (None) downloaded, through the download cache."""
    return init_case(
        code, municipality_folder(work_dir, "cases", code), source_dir=source_dir, force=True
    )


def municipality_job(
    code: str,
    source_dir: str | Path | None,
    work_dir: str | Path,
    year: int,
    half_year: str,
    paths: int | None = None,
    seed: int | None = None,
    case: str | Path | None = None,
) -> dict[str, Any]:
    """One municipality of the national run, in a worker; never raises (a failure is its answer).

    Writes ``<work_dir>/cases/<code>/`` (the starter case; ``case``: the case file already written
    there, :func:`starter_case`) and ``<work_dir>/results/<code>/`` (every result table, swapped in
    whole: a killed job leaves no half-written folder there).

    Returns
    -------
    dict
        ``status`` (ok | invalid | failed), ``code``, ``seconds``, ``folder``, ``message``,
        and when ok ``row`` (:func:`municipality_row`) and ``need`` (:func:`need_rows`).
    """
    started = time.perf_counter()
    work = Path(work_dir)
    answer: dict[str, Any] = {"code": code, "folder": "", "message": ""}
    try:
        case = case or starter_case(code, source_dir, work)
        results = CaseRun(case, paths=paths, seed=seed).results()
        folder = municipality_folder(work, "results", code)
        write_results(results, folder)
        answer.update(
            status="ok",
            folder=str(folder),
            row=municipality_row(results, year, half_year),
            need=need_rows(results.runs, year),
        )
    except InputError as exc:
        answer.update(status="invalid", message=str(exc))
    except OnderdakError as exc:
        answer.update(status="failed", message=str(exc))
    except Exception as exc:  # a bug: named, the rest of the country goes on
        answer.update(
            status="failed", message=f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        )
    answer["seconds"] = time.perf_counter() - started
    return answer


@dataclass
class NationalOverview:
    """The national overview's numbers.

    Attributes
    ----------
    year : int
        Calendar year shown.
    half_year : str
        The taakstelling's half-year shown (``2026-II``).
    municipalities : pandas.DataFrame
        One row per municipality that ran (:func:`municipality_row`), with ``province`` when known.
    need : pandas.DataFrame
        Per municipality, scenario and stream (:func:`need_rows`).
    provinces : pandas.DataFrame
        Per province the sums (empty without a membership file).
    missing : pandas.DataFrame
        Municipalities whose job failed: code, status, message.
    """

    year: int
    half_year: str
    municipalities: pd.DataFrame
    need: pd.DataFrame
    provinces: pd.DataFrame = field(default_factory=pd.DataFrame)
    missing: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def without_register(self) -> int:
        """Municipalities without a location register (no shortfall risk or net cost)."""
        if self.municipalities.empty:
            return 0
        return int(self.municipalities["shortfall_probability_share"].isna().sum())


def _first_line(answer: Mapping[str, Any]) -> str:
    return (answer.get("message") or "").splitlines()[0] if answer.get("message") else ""


def national_overview(
    answers: Sequence[Mapping[str, Any]],
    year: int,
    half_year: str,
    provinces: Mapping[str, str] | None = None,
    relative_to: str | Path | None = None,
) -> NationalOverview:
    """The overview from the answers of :func:`municipality_job` (in any order; sorted by code).

    ``provinces`` maps a municipality code to its province (:func:`read_provinces`). An answer with
    a ``report`` (``onderdak national --report``) gets a column ``report``: the report's folder,
    relative to ``relative_to`` (the run's folder) through its ``latest`` link; a report that
    failed is a row of ``missing`` with status ``report_<status>``, and its municipality stays.
    """
    ordered = sorted(answers, key=lambda a: a.get("code", ""))
    ok = [a for a in ordered if a.get("status") == "ok"]
    failures = [
        {"code": a.get("code", ""), "status": a.get("status", "failed"), "message": _first_line(a)}
        for a in ordered
        if a.get("status") != "ok"
    ]
    failures += [
        {
            "code": a["code"],
            "status": f"report_{a['report']['status']}",
            "message": _first_line(a["report"]),
        }
        for a in ok
        if a.get("report", {}).get("status", "ok") != "ok"
    ]
    missing = pd.DataFrame(failures, columns=["code", "status", "message"])
    table = pd.DataFrame([{**a["row"], **_report_link(a, relative_to)} for a in ok])
    need = pd.DataFrame([r for a in ok for r in a["need"]])
    totals = pd.DataFrame()
    if provinces and not table.empty:
        table.insert(2, "province", table["code"].map(provinces).fillna(""))
        totals = province_totals(table)
    return NationalOverview(int(year), half_year, table, need, totals, missing)


def _report_link(answer: Mapping[str, Any], relative_to: str | Path | None) -> dict[str, str]:
    report = answer.get("report")
    if not report:
        return {}
    if report.get("status") != "ok":
        return {"report": ""}
    folder = Path(report["folder"]).parent / "latest"
    if relative_to is not None:
        folder = Path(os.path.relpath(folder, relative_to))
    return {"report": folder.as_posix()}


def province_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Per province: municipalities, inhabitants, need per stream (sum and per 1,000), the task."""
    if table.empty:
        return pd.DataFrame()
    sums = [f"{s}_need_p50" for s in STREAMS] + ["population_persons", *TASK_COLUMNS]
    known = table[table["province"] != ""]
    out = known.groupby("province", sort=True)[sums].sum()
    out.insert(0, "municipalities", known.groupby("province").size())
    for s in STREAMS:
        out[f"{s}_need_per_1000_persons"] = (
            out[f"{s}_need_p50"] / out["population_persons"] * PER_PERSONS
        )
    out["housed_share_of_task"] = out["housed_persons"] / out["taakstelling_persons"].where(
        out["taakstelling_persons"] > 0
    )
    return out.reset_index()


PROVINCES_TABLE = "municipality_province_2024"


def reference_provinces() -> dict[str, str]:
    """The province of each municipality of 2024 (``data/reference``, CBS/Kadaster division)."""
    frame = reference.table(PROVINCES_TABLE)
    return dict(zip(frame["code"], frame["province"], strict=True))


def read_provinces(path: str | Path) -> dict[str, str]:
    """A province membership file: CSV with columns ``code`` (GM….) and ``province``.

    Raises
    ------
    InputError
        The file lacks a column or names a code twice (the message names row and column).
    """
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"code", "province"} <= set(reader.fieldnames):
            raise InputError(f"{path.name}: needs the columns `code` and `province`")
        out: dict[str, str] = {}
        for n, row in enumerate(reader, start=2):
            code = (row["code"] or "").strip().upper()
            if code in out:
                raise InputError(f"{path.name} row {n}, column `code`: {code} is named twice")
            out[code] = (row["province"] or "").strip()
    return out
