"""Multi-criteria comparison of location options: criteria, normalisation, weighted ranking and weight sensitivity.

Criteria (key: column, default direction): cost (``cost_eur_per_place_day``, min), quality
(``quality_score``, max), scale (``capacity_places``, min: small-scale preferred, ASSUMPTION),
speed (``months_until_available``, min), reuse (``reuse_options_count``, max), load
(``wijk_load_places_per_1000_persons``, min) and risk (``risk_score``, min). Each is scaled to 0–1
(1 = best), weighted by the user's weights (normalised to sum 1) and summed; rank 1 is best. The
sensitivity draws weights from a Dirichlet around the user's weights and counts how often the
ranking changes.

Longer than 400 lines: the criteria, their normalisation, the ranking and its weight sensitivity
are one method; split, a reader would follow one ranking across files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from onderdak.core.errors import InputError

if TYPE_CHECKING:
    from onderdak.case.settings import Case
    from onderdak.geo.spread import Place


class Criterion(NamedTuple):
    """One criterion: the column holding its values and the default direction (its label is
    ``mca.criterion_<key>`` in the reports' message catalogs)."""

    column: str
    direction: str


CRITERIA: dict[str, Criterion] = {
    "cost": Criterion("cost_eur_per_place_day", "min"),
    "quality": Criterion("quality_score", "max"),
    "scale": Criterion("capacity_places", "min"),
    "speed": Criterion("months_until_available", "min"),
    "reuse": Criterion("reuse_options_count", "max"),
    "load": Criterion("wijk_load_places_per_1000_persons", "min"),
    "risk": Criterion("risk_score", "min"),
}
DAYS_PER_YEAR = 365.0


# --- criterion values from a register ----------------------------------------------------------
def criteria_table(
    register: pd.DataFrame,
    *,
    start: str | None = None,
    discount_rate_real_share: float = 0.025,
    cost_horizon_years: int = 10,
    wijk_load: pd.Series | None = None,
) -> pd.DataFrame:
    """The raw value of every criterion per location, indexed like the register (by id).

    Parameters
    ----------
    register
        Register table (``read_register(...).table``).
    start
        First month of the horizon (YYYY-MM): speed counts months from here to ``available_from``.
    discount_rate_real_share, cost_horizon_years
        Capex (purchase + conversion + furnishing, plus closing cost minus market value at the
        horizon, discounted) is turned into an annuity over the horizon.
    wijk_load
        Places per 1,000 inhabitants in each location's wijk with the location included
        (:func:`wijk_load`); NaN when not given.

    Notes
    -----
    ``cost_eur_per_place_day`` = variable opex + (fixed opex per year + annualised capex) /
    (capacity × 365): the gross cost of a place-day at full use, before any reimbursement. A register
    column ``cost_eur_per_place_day`` (e.g. from onderdak.finance.cashflow) is used as is when present.
    """
    reg = register
    num = {c: _num(reg, c) for c in _MONEY + ("capacity_places", "lead_time_months")}
    capacity = num["capacity_places"]
    if "cost_eur_per_place_day" in reg.columns:
        cost = pd.to_numeric(reg["cost_eur_per_place_day"], errors="coerce")
    else:
        r, t = discount_rate_real_share, cost_horizon_years
        annuity = 1.0 / t if abs(r) < 1e-12 else r / (1.0 - (1.0 + r) ** -t)
        capex = (
            num["purchase_price_eur"] + num["conversion_capex_eur"] + num["furnishing_capex_eur"]
        )
        end = (num["closing_cost_eur"] - num["market_value_eur"]) / (1.0 + r) ** t
        yearly = num["fixed_opex_eur_per_year"] + (capex + end) * annuity
        place_days = (capacity * DAYS_PER_YEAR).where(capacity > 0)
        cost = num["variable_opex_eur_per_place_day"] + yearly / place_days
    out = pd.DataFrame(index=reg.index)
    for col in ("name", "status", "kind", "wijk_code"):
        if col in reg.columns:
            out[col] = reg[col]
    out["cost_eur_per_place_day"] = cost.round(4)
    out["quality_score"] = _num(reg, "quality_score", np.nan)
    out["capacity_places"] = capacity
    out["months_until_available"] = _months_until_available(reg, num["lead_time_months"], start)
    out["reuse_options_count"] = _reuse_count(reg)
    out["wijk_load_places_per_1000_persons"] = (
        wijk_load.reindex(reg.index).astype(float) if wijk_load is not None else np.nan
    )
    out["risk_score"] = _num(reg, "risk_score", np.nan)
    return out


_MONEY = (
    "purchase_price_eur",
    "conversion_capex_eur",
    "furnishing_capex_eur",
    "fixed_opex_eur_per_year",
    "variable_opex_eur_per_place_day",
    "closing_cost_eur",
    "market_value_eur",
)


def _num(frame: pd.DataFrame, column: str, default: float = 0.0) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(default, index=frame.index, dtype=float)
    return pd.to_numeric(frame[column], errors="coerce").astype(float).fillna(default)


def _months_until_available(reg: pd.DataFrame, lead: pd.Series, start: str | None) -> pd.Series:
    existing = reg["status"].eq("existing") if "status" in reg.columns else False
    wait = pd.Series(0.0, index=reg.index)
    if start is not None and "available_from" in reg.columns:
        when = pd.to_datetime(reg["available_from"], errors="coerce")
        s = pd.Period(start, freq="M")
        months = (when.dt.year - s.year) * 12 + (when.dt.month - s.month)
        wait = months.astype(float).fillna(0.0).clip(lower=0.0)
    return wait.where(existing, np.maximum(wait, lead))


def _reuse_count(reg: pd.DataFrame) -> pd.Series:
    if "reuse_options" not in reg.columns:
        return pd.Series(0.0, index=reg.index)

    def count(value: object) -> float:
        if isinstance(value, list | tuple | set | frozenset):
            items = value
        elif value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
            return 0.0
        else:
            items = str(value).replace(",", ";").split(";")
        names = {str(v).strip().lower() for v in items} - {"", "demolish"}
        return float(len(names))

    return reg["reuse_options"].map(count).astype(float)


def wijk_load(
    locations: pd.DataFrame,
    population: pd.Series,
    statuses: tuple[str, ...] = ("existing", "planned"),
) -> pd.Series:
    """Places per 1,000 inhabitants in each location's wijk if that location is used.

    The wijk's places of the counted ``statuses``, without the location itself, plus its own
    capacity, per 1,000 inhabitants. ``locations`` has ``wijk_code``, ``capacity_places``,
    ``status``; NaN where the wijk is unknown.
    """
    capacity = pd.to_numeric(locations["capacity_places"], errors="coerce").fillna(0.0)
    counted = capacity.where(locations["status"].isin(statuses), 0.0)
    per_wijk = counted.groupby(locations["wijk_code"]).sum()
    others = locations["wijk_code"].map(per_wijk).astype(float) - counted
    pop = locations["wijk_code"].map(population).astype(float)
    return ((others + capacity) / pop * 1000.0).rename("wijk_load_places_per_1000_persons")


# --- normalise, weigh, rank -------------------------------------------------------------------------
def resolve(
    weights: Mapping[str, float], directions: Mapping[str, str] | None = None
) -> tuple[dict[str, float], dict[str, str]]:
    """Weights of the criteria in use (> 0), normalised to sum 1, and their directions."""
    unknown = sorted(set(weights) - set(CRITERIA)) + sorted(set(directions or {}) - set(CRITERIA))
    if unknown:
        raise InputError(f"MCA: unknown criteria {unknown}; use {', '.join(CRITERIA)}")
    used = {k: float(w) for k, w in weights.items() if float(w) > 0}
    if any(float(w) < 0 for w in weights.values()) or not used:
        raise InputError("MCA: weights must be ≥ 0 with at least one > 0")
    total = sum(used.values())
    dirs = {k: (directions or {}).get(k, CRITERIA[k].direction) for k in used}
    bad = {k: d for k, d in dirs.items() if d not in ("min", "max")}
    if bad:
        raise InputError(f"MCA: direction must be 'min' or 'max', got {bad}")
    return {k: used[k] / total for k in CRITERIA if k in used}, dirs


def normalise(
    values: pd.DataFrame, directions: Mapping[str, str], method: str = "minmax"
) -> pd.DataFrame:
    """Each criterion scaled to 0–1 with 1 the best option.

    ``values`` has one column per criterion key. 'minmax': (x − min)/(max − min), reversed for
    'min' criteria; 'ratio': x/max for 'max' criteria and min/x for 'min' criteria (values ≥ 0).
    A criterion on which all options are equal scores 1 for all (it does not discriminate).
    """
    out = pd.DataFrame(index=values.index)
    for key, direction in directions.items():
        x = values[key].astype(float)
        lo, hi = x.min(), x.max()
        if method == "minmax":
            if hi - lo <= 1e-12 * max(1.0, abs(hi)):
                scaled = pd.Series(1.0, index=x.index)
            else:
                scaled = (x - lo) / (hi - lo) if direction == "max" else (hi - x) / (hi - lo)
        elif method == "ratio":
            if lo < 0:
                raise InputError(f"MCA: ratio normalisation needs values ≥ 0; {key} has {lo:g}")
            if direction == "max":
                scaled = x / hi if hi > 0 else pd.Series(1.0, index=x.index)
            else:
                scaled = (lo / x.where(x > 0)).fillna(1.0) if lo > 0 else (x == 0).astype(float)
        else:
            raise InputError(f"MCA: normalisation {method!r} is not 'minmax' or 'ratio'")
        out[key] = scaled
    return out


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score along the last axis; ties keep the options' order."""
    order = np.argsort(-np.round(scores, 12), axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, scores.shape[-1] + 1), axis=-1)
    return ranks


@dataclass
class Sensitivity:
    """How the ranking responds to weights drawn around the user's weights."""

    rank_probabilities: pd.DataFrame  # option × rank (1..n): share of draws
    ranking_changed_share: float  # draws in which any rank differs from the base ranking
    top_changed_share: float  # draws in which another option comes first
    draws: int
    seed: int


def weight_sensitivity(
    normalised: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    draws: int = 1000,
    concentration: float = 50.0,
    seed: int = 0,
) -> Sensitivity:
    """Rank probabilities under weights ~ Dirichlet(concentration × weights), with a seed.

    Parameters
    ----------
    normalised
        Options × criteria (0–1), from :func:`normalise`.
    weights
        Normalised weights of the criteria in use (from :func:`resolve`).
    draws
        Number of weight draws.
    concentration
        Larger = draws closer to the user's weights (mean of the draws = the weights).
    seed
        Seed of ``numpy.random.default_rng``; same seed, same result.
    """
    keys = list(weights)
    w = np.array([weights[k] for k in keys], dtype=float)
    matrix = normalised[keys].to_numpy(dtype=float)
    base = _ranks(matrix @ w)
    rng = np.random.default_rng(seed)
    drawn = rng.dirichlet(concentration * w, size=draws) if len(keys) > 1 else np.ones((draws, 1))
    ranks = _ranks(drawn @ matrix.T)  # draws × options
    n = matrix.shape[0]
    probs = (
        (ranks[:, :, None] == np.arange(1, n + 1)).mean(axis=0)
        if draws
        else np.full((n, n), np.nan)
    )
    table = pd.DataFrame(
        probs, index=normalised.index, columns=pd.RangeIndex(1, n + 1, name="rank")
    )
    changed = float((ranks != base).any(axis=1).mean()) if draws else float("nan")
    top = float((ranks[:, np.argmin(base)] != 1).mean()) if draws else float("nan")
    return Sensitivity(table, changed, top, draws, seed)


def mca_table(
    criteria: pd.DataFrame,
    weights: Mapping[str, float],
    directions: Mapping[str, str] | None = None,
    *,
    normalisation: str = "minmax",
    draws: int = 1000,
    concentration: float = 50.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Scores, ranks and rank probabilities of the options: the table behind mca.csv.

    Parameters
    ----------
    criteria
        One row per option (index = id) with the criterion columns of :data:`CRITERIA`
        (e.g. from :func:`criteria_table`); other columns (name, status, kind) are carried along.
    weights, directions
        Per criterion key; see :func:`resolve`.
    normalisation, draws, concentration, seed
        See :func:`normalise` and :func:`weight_sensitivity`.

    Returns
    -------
    DataFrame
        Sorted by rank: ``id``, carried columns, the raw criterion columns in use,
        ``score_<key>`` (normalised 0–1), ``weight_<key>_share``, ``score`` (0–1), ``rank``,
        ``rank_mean``, ``rank_first_share``, ``rank_kept_share`` (draws in which the option keeps
        its rank). ``attrs`` holds the :class:`Sensitivity`.
    """
    w, dirs = resolve(weights, directions)
    if len(criteria) == 0:
        raise InputError("MCA: no options to compare")
    values = pd.DataFrame(index=criteria.index)
    for key in w:
        column = CRITERIA[key].column
        if column not in criteria.columns:
            raise InputError(f"MCA: criterion '{key}' needs column `{column}`")
        values[key] = pd.to_numeric(criteria[column], errors="coerce")
        missing = [str(i) for i in values.index[values[key].isna()]]
        if missing:
            raise InputError(
                f"MCA: no `{column}` for options {', '.join(missing[:10])}; fill it in or set weight {key}: 0"
            )
    scaled = normalise(values, dirs, normalisation)
    score = (scaled[list(w)] * pd.Series(w)).sum(axis=1)
    sens = weight_sensitivity(scaled, w, draws=draws, concentration=concentration, seed=seed)
    base_rank = _ranks(score.to_numpy())
    out = pd.DataFrame({"id": criteria.index.astype(str)}, index=criteria.index)
    for col in ("name", "status", "kind", "wijk_code"):
        if col in criteria.columns:
            out[col] = criteria[col]
    for key in w:
        out[CRITERIA[key].column] = values[key]
    for key in w:
        out[f"score_{key}"] = scaled[key].round(6)
        out[f"weight_{key}_share"] = round(w[key], 6)
    out["score"] = score.round(6)
    out["rank"] = base_rank
    probs = sens.rank_probabilities.to_numpy()
    ranks = np.arange(1, probs.shape[1] + 1)
    out["rank_mean"] = np.round(probs @ ranks, 4)
    out["rank_first_share"] = np.round(probs[:, 0], 4)
    out["rank_kept_share"] = np.round(probs[np.arange(len(out)), base_rank - 1], 4)
    out = out.sort_values("rank", kind="stable").reset_index(drop=True)
    out.attrs["sensitivity"] = sens
    return out


def rank_probability_table(mca: pd.DataFrame) -> pd.DataFrame:
    """Tidy rank probabilities of an :func:`mca_table`: ``id``, ``rank``, ``probability_share``."""
    probs = mca.attrs["sensitivity"].rank_probabilities
    long = probs.stack().rename("probability_share").reset_index()
    long.columns = ["id", "rank", "probability_share"]
    long["id"] = long["id"].astype(str)
    return long


def mca_for_case(
    case: Case, register_table: pd.DataFrame, place: Place | None = None
) -> pd.DataFrame:
    """The MCA of a case's options (statuses in ``case.mca.statuses``) with the case's settings.

    Without geography (``place`` None) the neighbourhood-load criterion is dropped and the
    table's ``attrs['warnings']`` says so.
    """
    settings = case.mca
    warnings: list[str] = []
    load = None
    if place is not None:
        located = register_table[["capacity_places", "status"]].join(
            place.assignment.table[["wijk_code"]]
        )
        load = wijk_load(located, place.geography.population, tuple(case.geo.spread_statuses))
    weights = dict(settings.weights)
    if load is None and weights.get("load", 0) > 0:
        weights["load"] = 0.0
        warnings.append("MCA without neighbourhood load: the case has no wijken (geo.wijken)")
    criteria = criteria_table(
        register_table,
        start=case.start,
        discount_rate_real_share=case.discount_rate_real_share,
        cost_horizon_years=settings.cost_horizon_years,
        wijk_load=load,
    )
    if place is not None:
        criteria["wijk_code"] = place.assignment.table["wijk_code"].reindex(criteria.index)
    options = criteria[criteria["status"].isin(settings.statuses)]
    if len(options) < 2:
        options = criteria
        warnings.append(
            f"fewer than 2 options with status {list(settings.statuses)}: all locations compared"
        )
    table = mca_table(
        options,
        weights,
        settings.directions,
        normalisation=settings.normalisation,
        draws=settings.sensitivity_draws,
        concentration=settings.sensitivity_concentration,
        seed=case.seed if settings.seed is None else settings.seed,
    )
    table.attrs["warnings"] = warnings
    return table
