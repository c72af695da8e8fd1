"""The government's published MPP inflow ranges against our forecast from the same origin and horizon.

An MPP published in year P for year Y knew the inflow of part of year P. A yearly model can only
stand on complete years, so the like-for-like origin is the last complete year before publication,
P − 1 (``origin_rule="before"``: the model never knows more than the MPP did; the horizon is
Y − P + 1 ≥ 1), or P itself (``"same"``: the model knows up to three months more; only for Y > P).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from onderdak.backtest.horizons import DRAWS, inflow_forecaster
from onderdak.case.fields import current_month
from onderdak.core.memo import kept
from onderdak.inflow.calibration import yearly_total_inflow
from onderdak.io import reference

ORIGIN_RULES = ("before", "same")


@kept(depends=current_month)  # the same for every case: once per process (a batch worker's kernel)
def mpp_like_for_like(
    history: pd.Series | None = None,
    law: str = "simulator",
    origin_rule: str = "before",
    seed: int = 20261123,
    draws: int = DRAWS,
) -> pd.DataFrame:
    """One row per published MPP range: its range, the outcome, and our interval at the same origin.

    Parameters
    ----------
    history : pandas.Series, optional
        The longer CBS history for the calibration (see :func:`onderdak.inflow.calibration.calibrate`).
    law : str
        Calm-noise law of :func:`onderdak.backtest.horizons.inflow_forecaster`.
    origin_rule : {"before", "same"}
        Origin = publication year − 1 (default) or the publication year; rows whose horizon would be
        below one year are left out.
    seed, draws
        As in :func:`onderdak.backtest.horizons.rolling_forecasts` (same stream per origin).

    Returns
    -------
    pandas.DataFrame
        ``forecast``, ``published``, ``origin_year``, ``horizon_years``, ``for_year``, the MPP's
        ``low_persons``/``point_persons``/``high_persons``, ``outcome_persons`` (the MPP file's, else
        the reference total of that year; ``outcome_source`` says which, NaN when not yet known),
        ``mpp_hit`` (outcome inside the MPP range; a one-sided range counts its one bound; NaN without
        a range or outcome), our quantiles ``onderdak_p025``…``onderdak_p975`` and
        ``onderdak_hit_80``/``onderdak_hit_95``, and the widths ``onderdak_width_80_persons`` (p90 −
        p10) and ``mpp_width_persons`` (high − low, NaN for a one-sided range).
    """
    if origin_rule not in ORIGIN_RULES:
        raise ValueError(f"origin_rule {origin_rule!r}: choose one of {ORIGIN_RULES}")
    observed = yearly_total_inflow(history)
    forecaster = inflow_forecaster(history, law)
    first = int(observed.index.min())
    rows = []
    for _, m in reference.table("mpp_ranges").iterrows():
        published = int(str(m["published"])[:4])
        origin = published - 1 if origin_rule == "before" else published
        horizon = int(m["for_year"]) - origin
        if horizon < 1 or origin not in observed.index:
            continue
        rng = np.random.default_rng([seed, origin - first])  # the stream rolling_forecasts uses
        x = forecaster(observed.loc[:origin], horizon, rng, draws)[:, horizon - 1]
        q = np.quantile(x, [0.025, 0.10, 0.50, 0.90, 0.975])
        outcome, source = _outcome(m, observed)
        rows.append(
            {
                "forecast": m["forecast"],
                "published": m["published"],
                "origin_year": origin,
                "horizon_years": horizon,
                "for_year": int(m["for_year"]),
                "low_persons": m["low_persons"],
                "point_persons": m["point_persons"],
                "high_persons": m["high_persons"],
                "outcome_persons": outcome,
                "outcome_source": source,
                "mpp_hit": _inside(m["low_persons"], m["high_persons"], outcome),
                "onderdak_p025": q[0],
                "onderdak_p10": q[1],
                "onderdak_p50": q[2],
                "onderdak_p90": q[3],
                "onderdak_p975": q[4],
                "onderdak_width_80_persons": q[3] - q[1],
                "mpp_width_persons": m["high_persons"] - m["low_persons"],
                "onderdak_hit_80": np.nan if np.isnan(outcome) else bool(q[1] <= outcome <= q[3]),
                "onderdak_hit_95": np.nan if np.isnan(outcome) else bool(q[0] <= outcome <= q[4]),
            }
        )
    return pd.DataFrame(rows)


def _outcome(row: pd.Series, observed: pd.Series) -> tuple[float, str]:
    if not pd.isna(row["outcome_persons"]):
        return float(row["outcome_persons"]), "mpp_ranges"
    if int(row["for_year"]) in observed.index:
        return float(observed[int(row["for_year"])]), "reference"
    return float("nan"), ""


def _inside(low: float, high: float, outcome: float) -> float | bool:
    """Outcome within [low, high]; a missing bound is open; NaN without any bound or outcome."""
    if np.isnan(outcome) or (pd.isna(low) and pd.isna(high)):
        return np.nan
    return bool((pd.isna(low) or outcome >= low) and (pd.isna(high) or outcome <= high))


def mpp_hit_rates(table: pd.DataFrame) -> dict[str, float]:
    """Hit rates on the rows where both can be judged (an MPP range and a known outcome).

    Returns ``rows``, ``mpp_hits``, ``onderdak_hits_80``, ``onderdak_hits_95`` (counts) and the
    shares ``mpp_hit_share``, ``onderdak_hit_80_share``, ``onderdak_hit_95_share``. Several MPP
    editions forecast the same year, so the rows are not independent outcomes.
    """
    judged = table[table["mpp_hit"].notna()]
    n = len(judged)
    out: dict[str, float] = {
        "rows": n,
        "outcome_years": int(judged["for_year"].nunique()),
        "mpp_hits": int(judged["mpp_hit"].astype(bool).sum()),
        "onderdak_hits_80": int(judged["onderdak_hit_80"].astype(bool).sum()),
        "onderdak_hits_95": int(judged["onderdak_hit_95"].astype(bool).sum()),
    }
    for key in ("mpp_hit", "onderdak_hit_80", "onderdak_hit_95"):
        hits = out["mpp_hits"] if key == "mpp_hit" else out[f"onderdak_hits_{key[-2:]}"]
        out[f"{key}_share"] = hits / n if n else float("nan")
    return out
