"""Tables and readings of the multi-year backtest, the MPP comparison and the tail against history."""

from __future__ import annotations

import pandas as pd

from onderdak.reporting import i18n
from onderdak.reporting.style import number, percent, thousands


def _t(key: str, language: str | None, **facts: object) -> str:
    return i18n.text(f"backtest.{key}", language, **facts)


def _horizon_name(target: str, language: str) -> str:
    key = f"backtest.horizon_{target}"
    return i18n.text(key, language) if key in i18n.catalog(i18n._lang(language)) else target


def _signed(x: float) -> str:
    return "–" if x != x else ("+" if x >= 0 else "−") + number(abs(x), 2)


def _ci_text(low: float, high: float) -> str:
    """70–94% (a missing bound as –)."""
    low_text = "–" if low != low else f"{100 * low:.0f}"  # low != low: NaN
    return f"{low_text}–{percent(high)}"


def _share_ci(share: float, low: float, high: float) -> str:
    """85% (70–94%)."""
    return f"{percent(share)} ({_ci_text(low, high)})"


def history_span(history: pd.Series) -> str:
    """'1975–2025' for a yearly series."""
    s = history.dropna()
    return f"{int(s.index.min())}–{int(s.index.max())}"


def titles(history: pd.Series, parts: tuple[str, ...] = (), language: str = "nl") -> dict[str, str]:
    """Captions and source lines of the backtest and tail tables, for the history they rest on.

    ``parts`` are the ensemble series summed into the total (see
    :func:`onderdak.backtest.tail.ensemble_yearly_total`): without repeat applications the caption says
    that history includes them and the ensemble does not.
    """
    span = history_span(history)
    repeat = "repeat_applications_persons" in parts
    long = int(history.dropna().index.min()) < 2013
    return {
        "horizons": _t("title_horizons", language, span=span),
        "horizons_caption": _t("caption_horizons", language),
        "mpp": _t("title_mpp", language),
        "mpp_caption": _t("caption_mpp", language),
        "chain": _t("title_chain", language),
        "chain_source": _t("source_chain", language),
        "tail": _t("title_tail", language),
        "tail_caption": _t("caption_tail", language, repeat=repeat),
        "source": _t("source", language, long=long),
    }


def horizon_table(scores: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """One row per horizon: forecasts, coverage with its interval, misses per side, scores, skill."""
    cols = tuple(
        _t(f"col_{k}", language)
        for k in (
            "horizon",
            "forecasts",
            "inside_80",
            "inside_95",
            "sides",
            "interval_score",
            "skill_last_year",
            "skill_mean",
        )
    )
    rows = []
    for _, r in scores.iterrows():
        values = (
            _horizon_name(r["target"], language),
            f"{r['forecasts']} ({r['effective_forecasts']})",
            *_coverage_cells(r),
            f"{percent(r['below_p10_share'])} / {percent(r['above_p90_share'])}",
            thousands(r["interval_score_80_persons"]),
            _signed(r["skill_persistence_share"]),
            _signed(r["skill_climatology_share"]),
        )
        rows.append(dict(zip(cols, values, strict=True)))
    return pd.DataFrame(rows)


def horizon_reading(scores: pd.DataFrame, history: pd.Series, language: str = "nl") -> str:
    """One sentence: the 80% coverage one and five years ahead, with the verdict on the width."""
    s = scores.set_index("target")
    one = s.loc["h1"] if "h1" in s.index else s.iloc[0]
    five = s.loc["h5"] if "h5" in s.index else s.iloc[-1]

    def part(r: pd.Series) -> tuple[str, str, str, str]:
        return (
            percent(r["coverage_80_share"]),
            _ci_text(r["coverage_80_ci_low_share"], r["coverage_80_ci_high_share"]),
            _t(f"verdict_{r['coverage_80_verdict']}", language),
            f"{percent(r['below_p10_share'])} / {percent(r['above_p90_share'])}",
        )

    c1, ci1, v1, side1 = part(one)
    c5, ci5, v5, side5 = part(five)
    return _t(
        "horizon_reading",
        language,
        span=history_span(history),
        c1=c1,
        ci1=ci1,
        v1=v1,
        side1=side1,
        c5=c5,
        ci5=ci5,
        v5=v5,
        side5=side5,
        windows=int(five["effective_forecasts"]),
    )


def mpp_table(table: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """The MPP comparison with readable cells: range, outcome, hit, our 80% and 95% intervals."""

    def rng(lo: float, hi: float) -> str:
        if pd.isna(lo) and pd.isna(hi):
            return "–"
        if pd.isna(lo):
            return _t("up_to", language, n=hi)
        return f"{thousands(lo)}–{thousands(hi)}" if not pd.isna(hi) else f"≥ {thousands(lo)}"

    def hit(x: object) -> str:
        if x is None or (isinstance(x, float) and x != x):
            return "–"
        return _t("yes" if bool(x) else "no", language)

    cols = (
        *(_t(f"col_{k}", language) for k in ("forecast", "origin", "for_year", "mpp_range")),
        *(_t(f"col_{k}", language) for k in ("outcome", "mpp_hit")),
        _t("col_onderdak", language, pct=80),
        _t("col_onderdak", language, pct=95),
        _t("col_hit_80", language),
    )
    rows = []
    for _, r in table.iterrows():
        values = (
            r["forecast"],
            str(r["origin_year"]),
            str(r["for_year"]),
            rng(r["low_persons"], r["high_persons"]),
            "–" if pd.isna(r["outcome_persons"]) else thousands(r["outcome_persons"]),
            hit(r["mpp_hit"]),
            rng(r["onderdak_p10"], r["onderdak_p90"]),
            rng(r["onderdak_p025"], r["onderdak_p975"]),
            hit(r["onderdak_hit_80"]),
        )
        rows.append(dict(zip(cols, values, strict=True)))
    return pd.DataFrame(rows)


def mpp_reading(rates: dict[str, float], table: pd.DataFrame, language: str = "nl") -> str:
    """One sentence: hit rates of the MPP and of our intervals on the same rows, and the widths."""
    judged = table[table["mpp_hit"].notna()]
    ratio = (judged["onderdak_width_80_persons"] / judged["mpp_width_persons"]).dropna()
    width = number(float(ratio.median()), 1) if len(ratio) else "–"
    n, years = int(rates["rows"]), int(rates["outcome_years"])
    return _t(
        "mpp_reading",
        language,
        n=n,
        years=years,
        mpp_hits=rates["mpp_hits"],
        hits_80=rates["onderdak_hits_80"],
        hits_95=rates["onderdak_hits_95"],
        width=width,
    )


def tail_table(tail: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """Per percentile: the ensemble's yearly total and 10-year mean, and how often history was above."""
    year = tail[tail["quantity"] == "year"].set_index("percentile")
    mean = tail[tail["quantity"] == "mean"].set_index("percentile")
    w = int(mean["window_years"].iloc[0])
    cols = (
        _t("col_percentile", language),
        _t("col_year_inflow", language),
        _t("col_years_above", language),
        _t("col_window_mean", language, w=w),
        _t("col_windows_above", language, w=w),
    )
    rows = []
    for p in year.index:
        y, m = year.loc[p], mean.loc[p]
        values = (
            i18n.text("backtest.percentile", language, p=float(p)),
            thousands(y["ensemble_persons"]),
            _t(
                "above_count",
                language,
                above=y["history_above"],
                count=y["history_count"],
                expected=y["expected_share"] * y["history_count"],
            ),
            thousands(m["ensemble_persons"]),
            _t(
                "above_count",
                language,
                above=m["history_above"],
                count=m["history_count"],
                expected=m["expected_share"] * m["history_count"],
            ),
        )
        rows.append(dict(zip(cols, values, strict=True)))
    return pd.DataFrame(rows)


def tail_reading(
    tail: pd.DataFrame, scenario: str, language: str = "nl", national_scenario: str | None = None
) -> str:
    """One sentence on the p90: how often history was above it, against a calibrated tail's 10%.

    For the multi-year mean it also gives the share of paths above the highest mean in history,
    since a few independent windows cannot test a p90 by themselves.
    """
    name = _t(
        "scenario_name",
        language,
        scenario=scenario,
        national=national_scenario if national_scenario and national_scenario != scenario else None,
    )
    y = tail[(tail["quantity"] == "year") & (tail["percentile"] == 90)].iloc[0]
    m = tail[(tail["quantity"] == "mean") & (tail["percentile"] == 90)].iloc[0]
    span = f"{int(y['history_first_year'])}–{int(y['history_last_year'])}"
    w = int(m["window_years"])
    return _t(
        "tail_reading",
        language,
        name=name,
        span=span,
        w=w,
        y_above=y["history_above"],
        y_count=y["history_count"],
        y_persons=y["ensemble_persons"],
        y_verdict=_t(f"tail_{y['verdict']}", language),
        m_above=m["history_above"],
        m_count=m["history_count"],
        m_persons=m["ensemble_persons"],
        m_effective=m["effective_count"],
        m_verdict=_t(f"tail_{m['verdict']}", language),
        above_max=m["ensemble_above_history_max_share"],
        history_max=m["history_max_persons"],
    )


def _series_name(series: str, language: str) -> str:
    key = f"backtest.series_{series}"
    return i18n.text(key, language) if key in i18n.catalog(i18n._lang(language)) else series


def _coverage_cells(r: pd.Series) -> tuple[str, str]:
    """The 80% and 95% coverage of a score row, each with its binomial interval."""
    return tuple(
        _share_ci(
            r[f"coverage_{n}_share"],
            r[f"coverage_{n}_ci_low_share"],
            r[f"coverage_{n}_ci_high_share"],
        )
        for n in ("80", "95")
    )


def _years_ahead(years: float, language: str) -> str:
    n = "½" if years == 0.5 else number(years, 0 if float(years).is_integer() else 1)
    return _t("years_ahead", language, n=n, years=years)


def chain_table(scores: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """Per series and horizon: who forecast, forecasts (independent), coverage, skill."""
    cols = tuple(
        _t(f"col_{k}", language)
        for k in (
            "series",
            "horizon",
            "forecaster",
            "forecasts",
            "inside_80",
            "inside_95",
            "skill_last_value",
        )
    )
    rows = []
    for _, r in scores.iterrows():
        values = (
            _series_name(r["series"], language),
            _years_ahead(float(r["horizon_years"]), language),
            _t(f"forecaster_{r['forecaster']}", language),
            f"{r['forecasts']} ({r['effective_forecasts']})",
            *_coverage_cells(r),
            _signed(r["skill_persistence_share"]),
        )
        rows.append(dict(zip(cols, values, strict=True)))
    return pd.DataFrame(rows)


def chain_reading(scores: pd.DataFrame, language: str = "nl") -> str:
    """What was backtested, and which horizons miss the nominal 80% beyond their binomial interval."""
    naive = bool((scores["forecaster"] == "naive").any())
    n1 = scores.groupby("series")["forecasts"].max().to_dict()
    coa, tk = int(n1.get("coa_occupancy", 0)), int(n1.get("taakstelling", 0))
    off = scores[
        (scores["coverage_80_ci_high_share"] < 0.8) | (scores["coverage_80_ci_low_share"] > 0.8)
    ]
    misses = [
        (
            _series_name(r["series"], language),
            _years_ahead(float(r["horizon_years"]), language),
            _coverage_cells(r)[0],
            r["coverage_80_ci_high_share"] < 0.8,
        )
        for _, r in off.iterrows()
    ]
    text = _t("chain_reading", language, naive=naive, coa=coa, tk=tk)
    for name, h, share, narrow in misses:
        text += " " + _t("chain_miss", language, name=name, horizon=h, share=share, narrow=narrow)
    return text
