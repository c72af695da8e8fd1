"""The regional overview: per municipality its need, taakstelling progress, places against its share and shortfall risk.

The municipalities (:mod:`onderdak.region.members`) come from a region file (every entry, computed afresh) or from the
``summary.csv`` of ``onderdak batch --region`` (the runs that succeeded, each recomputed with the
case, scenario, paths and seed its run folder's ``manifest.json`` records, so the overview shows
the numbers of the municipal reports; failed runs are listed as missing).

The region's quantiles are the sums of the municipalities' quantiles: with one seed all
municipalities see the same national paths and their needs rise and fall together (comonotone),
for which the sum of quantiles is the quantile of the sum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from onderdak.case.settings import load_case
from onderdak.core.errors import InputError
from onderdak.inflow.taakstelling import half_year_index, half_year_label
from onderdak.io import resources
from onderdak.need.simulate import simulate
from onderdak.portfolio.allocation import SHORTFALL_THRESHOLD
from onderdak.portfolio.analysis import analyse_portfolio
from onderdak.region.members import Member, read_members

RECEPTION = ("ukraine", "asylum")
"""Streams in reception places (status holders are housed in dwellings)."""
RISK_SHARE = 0.5
"""A municipality 'runs a risk of a shortfall' when P(shortfall in the year) exceeds this."""


@dataclass
class RegionOverview:
    """The overview's numbers.

    Attributes
    ----------
    name : str
        The region as shown in the report.
    year : int
        Calendar year the need, places and shortfall risk are shown for.
    half_year : str
        Taakstelling half-year shown (``2026-II``).
    reference_month : str
        The month taken as "now" (``YYYY-MM``).
    municipalities : pandas.DataFrame
        One row per municipality that ran (see :func:`municipality_figures` for the columns),
        plus ``population_share_of_region`` and ``region_share_places``.
    total : pandas.Series
        The region: sums of the columns (quantiles summed, see the module docstring), the
        shortfall probability as the count of municipalities above :data:`RISK_SHARE`.
    missing : pandas.DataFrame
        Municipalities whose run failed: label, status, message, folder.
    """

    name: str
    year: int
    half_year: str
    reference_month: str
    municipalities: pd.DataFrame
    total: pd.Series
    missing: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def at_risk(self) -> int:
        """Municipalities whose shortfall probability in the year exceeds :data:`RISK_SHARE`."""
        return int((self.municipalities["shortfall_probability_share"] > RISK_SHARE).sum())


# -- shares -------------------------------------------------------------------------------------
def population_shares(population_persons: pd.Series) -> pd.Series:
    """Each municipality's share of the region's inhabitants (sums to 1)."""
    total = float(population_persons.sum())
    if total <= 0:
        raise InputError("region: the municipalities have no inhabitants")
    return population_persons.astype(float) / total


def share_of_total(total: float, population_persons: pd.Series) -> pd.Series:
    """A regional total divided over the municipalities by population (sums to ``total``)."""
    return population_shares(population_persons) * float(total)


# -- one municipality ---------------------------------------------------------------------------
def _year_months(periods: pd.PeriodIndex, year: int, where: str) -> np.ndarray:
    idx = np.flatnonzero(periods.year == year)
    if idx.size == 0:
        raise InputError(
            f"{where}: year {year} lies outside the horizon ({periods[0]} to {periods[-1]})"
        )
    return idx


def _quantiles(values: np.ndarray, prefix: str) -> dict[str, float]:
    q10, q50, q90 = np.quantile(values, (0.1, 0.5, 0.9))
    return {f"{prefix}_p10": float(q10), f"{prefix}_p50": float(q50), f"{prefix}_p90": float(q90)}


def municipality_figures(member: Member, year: int, half_year: str) -> dict[str, object]:
    """One municipality's row of the overview, simulated afresh (see :func:`overview_row`)."""
    case = load_case(member.case, member.scenario)
    run = simulate(case, paths=member.paths, seed=member.seed)
    where = f"{member.label} ({Path(member.case).name})"
    return overview_row(case, run.need, year, half_year, label=member.label, where=where)


def overview_row(
    case,
    need,
    year: int,
    half_year: str,
    committed=None,
    label: str = "",
    where: str = "",
) -> dict[str, object]:
    """One municipality's row of the regional overview from its simulated need.

    Need is the mean over the months of ``year`` per path, summarised over paths (p10/p50/p90).
    Places available are the committed portfolio (existing and planned locations) open to GOO or
    asylum, each location counted once, as a mean over the year's months. The shortfall probability
    is the share of paths with a shortfall (≥ half a place) in any reception stream in any month of
    the year. The taakstelling figures are for ``half_year``: the task, the persons housed in the
    regular supply (modelled), their ratio, and the backlog (persons) before and at the end of the
    half-year; beside them the latest realised half-year from the case file
    (``status_holders.realised``: task, housed, share), empty when the case has none.

    Parameters
    ----------
    case : onderdak.case.settings.Case
    need : onderdak.core.ensemble.Need
        From :func:`onderdak.need.demand.municipal_need` for ``case``.
    year : int
    half_year : str
        E.g. ``2026-II``.
    committed : onderdak.portfolio.analysis.PortfolioRun, optional
        The committed portfolio if already analysed (``analyse_portfolio(...).runs["committed"]``);
        default: analysed here when the case has a register.
    label, where : str
        Short label of the municipality; where to point in an error message.
    """
    where = where or case.name
    periods = need.periods
    months = _year_months(periods, year, where)
    halves = half_year_index(periods)
    in_half = np.flatnonzero(np.array([half_year_label(int(k)) for k in halves]) == half_year)
    if in_half.size == 0:
        raise InputError(f"{where}: half-year {half_year} lies outside the horizon")

    per_path = {s: need.streams[s][:, months].mean(axis=1) for s in RECEPTION}
    row: dict[str, object] = {
        "municipality": case.municipality.name,
        "label": label or case.name,
        "code": case.municipality.code,
        "scenario": case.scenario,
        "paths": need.paths,
        "population_persons": case.municipality.population_persons,
        "ukraine_agreed_places": (
            float(case.ukraine.agreed_places) if case.ukraine.agreed_places is not None else np.nan
        ),
        **_quantiles(per_path["ukraine"], "ukraine_need_places"),
        **_quantiles(per_path["asylum"], "asylum_spreidingswet_places"),
        **_quantiles(per_path["ukraine"] + per_path["asylum"], "reception_need_places"),
    }

    row.update(_portfolio_figures(case, need, months, SHORTFALL_THRESHOLD, committed))
    row["reception_surplus_places"] = (
        row["reception_capacity_places"] - row["reception_need_places_p50"]
    )

    d = need.detail
    task = d["taakstelling_persons"][:, in_half].sum(axis=1)
    housed = d["housed_regular_persons"][:, in_half].sum(axis=1)
    first = in_half[0]
    before = (
        d["backlog_persons"][:, first - 1]
        if first > 0
        else np.full(need.paths, float(case.status_holders.backlog_persons_at_start))
    )
    row.update(
        {
            "taakstelling_persons": float(np.median(task)),
            "housed_persons": float(np.median(housed)),
            "realisation_share": float(np.median(housed / np.maximum(task, 1e-9))),
            "backlog_start_persons": float(np.median(before)),
            "backlog_end_persons": float(np.median(d["backlog_persons"][:, in_half[-1]])),
        }
    )
    row.update(_realised(case))
    return row


def _realised(case) -> dict[str, object]:
    """The latest realised half-year of the case file (``status_holders.realised``), if any."""
    realised = case.status_holders.realised
    if not realised:
        return {
            "realised_half_year": "",
            "realised_taakstelling_persons": np.nan,
            "realised_housed_persons": np.nan,
            "realised_share": np.nan,
        }
    last = realised[-1]
    return {
        "realised_half_year": last.half_year,
        "realised_taakstelling_persons": float(last.taakstelling_persons),
        "realised_housed_persons": float(last.housed_persons),
        "realised_share": float(last.housed_persons / last.taakstelling_persons)
        if last.taakstelling_persons > 0
        else np.nan,
    }


def _portfolio_figures(
    case, need, months: np.ndarray, threshold: float, committed=None
) -> dict[str, float]:
    """Places open to reception (committed portfolio) and the shortfall probability in the year."""
    if committed is None and not case.locations:
        return {
            "ukraine_capacity_places": np.nan,
            "asylum_capacity_places": np.nan,
            "reception_capacity_places": np.nan,
            "shortfall_probability_share": np.nan,
        }

    if committed is None:
        committed = analyse_portfolio(case, need).runs["committed"]
    cap, alloc = committed.capacity, committed.allocation
    serving = sorted(set(cap.serving("ukraine")) | set(cap.serving("asylum")))
    reception = cap.places[serving][:, months].sum(axis=0).mean() if serving else 0.0
    short = np.zeros(need.paths, dtype=bool)
    for s in RECEPTION:
        short |= (alloc.shortfall[s][:, months] >= threshold).any(axis=1)
    return {
        "ukraine_capacity_places": float(cap.by_stream("ukraine")[months].mean()),
        "asylum_capacity_places": float(cap.by_stream("asylum")[months].mean()),
        "reception_capacity_places": float(reception),
        "shortfall_probability_share": float(short.mean()),
    }


# -- the region ---------------------------------------------------------------------------------
def reference_period(
    members: Sequence[Member], reference_month: str | None = None, today: dt.date | None = None
) -> pd.Period:
    """The month taken as "now": given, else today's month, kept within the first case's horizon."""
    if reference_month:
        try:
            return pd.Period(reference_month, freq="M")
        except Exception:  # noqa: BLE001 - pandas raises several types
            raise InputError(
                f"reference_month: {reference_month!r} is not a month YYYY-MM"
            ) from None
    today = today or dt.date.today()
    periods = load_case(members[0].case, members[0].scenario).periods
    now = pd.Period(today, freq="M")
    return min(max(now, periods[0]), periods[-1])


def region_overview(
    source: str | Path,
    year: int | None = None,
    half_year: str | None = None,
    reference_month: str | None = None,
    name: str | None = None,
    paths: int | None = None,
    seed: int | None = None,
    today: dt.date | None = None,
) -> RegionOverview:
    """The overview of a region file or a batch summary.

    Parameters
    ----------
    source : str or Path
        A region file (``.yaml``) or the ``summary.csv`` of ``onderdak batch --region``.
    year : int, optional
        Year shown; None = the year after the reference month.
    half_year : str, optional
        Taakstelling half-year (``2026-II``); None = the one containing the reference month.
    reference_month : str, optional
        "Now" (``YYYY-MM``); None = today's month, within the horizon.
    name : str, optional
        The region as shown; None = the ``region`` of the first case file, else the file's folder.
    paths, seed : int, optional
        Override every municipality's paths and seed (None: as run, or as in the region file).
    today : datetime.date, optional
        For tests: the date taken as today.
    """
    source = resources.locate(source)
    members = read_members(source)
    ran = [
        replace(
            m,
            paths=m.paths if paths is None else paths,
            seed=m.seed if seed is None else seed,
        )
        for m in members
        if m.status == "ok"
    ]
    missing = pd.DataFrame(
        [
            {"label": m.label, "status": m.status, "message": m.message, "folder": m.folder}
            for m in members
            if m.status != "ok"
        ],
        columns=["label", "status", "message", "folder"],
    )
    if not ran:
        reasons = [f"{m.label}: {m.status} ({m.message})" for m in members]
        raise InputError(f"{source}: no municipality ran successfully; nothing to compare", reasons)
    ref = reference_period(ran, reference_month, today)
    year = year or ref.year + 1
    half_year = half_year or half_year_label(int(ref.year * 2 + (ref.month > 6)))
    table = pd.DataFrame([municipality_figures(m, year, half_year) for m in ran])
    table["population_share_of_region"] = population_shares(table["population_persons"])
    table["region_share_places"] = share_of_total(
        table["reception_need_places_p50"].sum(), table["population_persons"]
    )
    total = _region_total(table)
    if not name:
        first = load_case(ran[0].case, ran[0].scenario)
        name = first.municipality.region or Path(source).parent.name
    return RegionOverview(name, int(year), half_year, str(ref), table, total, missing)


def _region_total(table: pd.DataFrame) -> pd.Series:
    numeric = table.select_dtypes("number").drop(columns=["paths"], errors="ignore")
    total = numeric.sum(min_count=1)
    total["shortfall_probability_share"] = np.nan  # not additive: see RegionOverview.at_risk
    total["realisation_share"] = total["housed_persons"] / max(total["taakstelling_persons"], 1e-9)
    total["population_share_of_region"] = 1.0
    halves = set(table["realised_half_year"]) if "realised_half_year" in table else {""}
    total = total.astype(object)  # numbers and the half-year's label
    if len(halves) == 1 and "" not in halves:  # realised figures add up only for the same half-year
        total["realised_half_year"] = halves.pop()
        total["realised_share"] = total["realised_housed_persons"] / max(
            total["realised_taakstelling_persons"], 1e-9
        )
    else:
        for key in ("realised_taakstelling_persons", "realised_housed_persons", "realised_share"):
            total[key] = np.nan
        total["realised_half_year"] = ""
    return total
