"""Tables and readings of the multi-year backtest, the MPP comparison and the tail against history."""

from __future__ import annotations

import pandas as pd

from model.reporting import i18n
from model.reporting.style import label, number, percent, thousands

HORIZONS = {
    "nl": {
        "h1": "1 jaar vooruit",
        "h2": "2 jaar vooruit",
        "h5": "5 jaar vooruit",
        "mean_1_5": "gemiddelde jaar 1–5",
    },
    "en": {
        "h1": "1 year ahead",
        "h2": "2 years ahead",
        "h5": "5 years ahead",
        "mean_1_5": "mean of years 1–5",
    },
}
VERDICTS = {
    "nl": {"too_wide": "te breed", "too_narrow": "te smal", "consistent": "passend"},
    "en": {"too_wide": "too wide", "too_narrow": "too narrow", "consistent": "consistent"},
}


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
    :func:`model.backtest_tail.ensemble_yearly_total`): without repeat applications the caption says
    that history includes them and the ensemble does not.
    """
    span = history_span(history)
    repeat = "repeat_applications_persons" in parts
    long = int(history.dropna().index.min()) < 2013
    if language == "en":
        source = (
            "CBS 83102NED 1975–2018 spliced with the published series 2013–2025"
            if long
            else "the published series 2013–2025 (CBS 83102NED not available offline)"
        )
        return {
            "horizons": f"Backtest of yearly asylum inflow by horizon, {span}",
            "horizons_caption": (
                "For every origin year the model was calibrated on the data up to that year only. "
                "Coverage with its 95% interval (Clopper–Pearson); forecasts whose windows overlap are "
                "not independent, so the interval counts only non-overlapping windows (the number "
                "in brackets). Skill: 1 − CRPS / error of the naive forecast (last year, or the mean "
                "of all years so far); positive is better than naive."
            ),
            "mpp": "MPP ranges and Onderdak at the same origin and horizon",
            "mpp_caption": (
                "Origin: the last full year before the MPP was published, so the model never knew "
                "more than the MPP; 80% and 95% intervals of Onderdak."
            ),
            "chain": "Backtest of COA occupancy and the national housing target",
            "chain_source": "COA occupancy and the housing target as published",
            "tail": "How often history sat above the ensemble's percentiles",
            "tail_caption": (
                "A year's total inflow (every 12 months from the horizon's start, all paths) and the "
                "10-year mean; history: every calendar year, and every run of 10 consecutive years "
                "(overlapping). The ensemble's total is "
                "first applications plus nareizigers"
                + (
                    " plus repeat applications."
                    if repeat
                    else "; history also counts repeat applications (about 4% of it)."
                )
            ),
            "source": source,
        }
    source = (
        "CBS 83102NED 1975–2018 gekoppeld aan de gepubliceerde reeks 2013–2025"
        if long
        else "de gepubliceerde reeks 2013–2025 (CBS 83102NED offline niet beschikbaar)"
    )
    return {
        "horizons": f"Terugtoets jaarlijkse asielinstroom per horizon, {span}",
        "horizons_caption": (
            "Voor elk beginjaar is het model alleen gekalibreerd met de gegevens tot dat jaar. Dekking "
            "met het 95%-betrouwbaarheidsinterval (Clopper–Pearson); voorspellingen met overlappende "
            "vensters zijn niet onafhankelijk, dus telt het interval alleen niet-overlappende vensters "
            "(tussen haakjes). Vaardigheid: 1 − CRPS / fout van de naïeve voorspelling (vorig jaar, "
            "of het gemiddelde van alle jaren tot dan); positief is beter dan naïef."
        ),
        "mpp": "MPP-bandbreedtes en Onderdak bij hetzelfde beginjaar en dezelfde horizon",
        "mpp_caption": (
            "Beginjaar: het laatste volledige jaar vóór publicatie van de MPP, zodat het model nooit "
            "meer wist dan de MPP; 80%- en 95%-intervallen van Onderdak."
        ),
        "chain": "Terugtoets COA-bezetting en landelijke taakstelling",
        "chain_source": "COA-bezetting en taakstelling zoals gepubliceerd",
        "tail": "Hoe vaak de geschiedenis boven de percentielen van het ensemble lag",
        "tail_caption": (
            "Jaarinstroom (elke 12 maanden vanaf de start van de horizon, alle paden) en het "
            "10-jaarsgemiddelde; geschiedenis: elk kalenderjaar en elke reeks van 10 opeenvolgende "
            "jaren (overlappend). Het totaal van het ensemble is "
            "eerste aanvragen plus nareizigers"
            + (
                " plus herhaalde aanvragen."
                if repeat
                else "; de geschiedenis telt ook herhaalde aanvragen mee (ongeveer 4% ervan)."
            )
        ),
        "source": source,
    }


def horizon_table(scores: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """One row per horizon: forecasts, coverage with its interval, misses per side, scores, skill."""
    en = language == "en"
    names = HORIZONS["en" if en else "nl"]
    cols = (
        ("horizon", "forecasts (independent)", "inside 80% interval", "inside 95% interval",
         "below 10th / above 90th percentile", "interval score 80% (persons)", "skill vs last year",
         "skill vs mean so far")
        if en
        else ("horizon", "voorspellingen (onafhankelijk)", "binnen 80%-interval",
              "binnen 95%-interval", "onder 10e / boven 90e percentiel", "intervalscore 80% (personen)",
              "vaardigheid t.o.v. vorig jaar", "vaardigheid t.o.v. gemiddelde")
    )  # fmt: skip
    rows = []
    for _, r in scores.iterrows():
        values = (
            names.get(r["target"], r["target"]),
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
    v = VERDICTS["en" if language == "en" else "nl"]

    def part(r: pd.Series) -> tuple[str, str, str, str]:
        return (
            percent(r["coverage_80_share"]),
            _ci_text(r["coverage_80_ci_low_share"], r["coverage_80_ci_high_share"]),
            v[r["coverage_80_verdict"]],
            f"{percent(r['below_p10_share'])} / {percent(r['above_p90_share'])}",
        )

    c1, ci1, v1, side1 = part(one)
    c5, ci5, v5, side5 = part(five)
    if language == "en":
        return (
            f"Over {history_span(history)}, the outcome fell inside the 80% interval in {c1} of the "
            f"forecasts one year ahead (consistent with {ci1}: {v1}) and in {c5} five years ahead "
            f"({int(five['effective_forecasts'])} independent windows, {ci5}: {v5}); below the 10th / above "
            f"the 90th percentile: {side1} one year ahead, {side5} five years ahead (10% / 10% when calibrated)."
        )
    return (
        f"Over {history_span(history)} viel de werkelijke instroom 1 jaar vooruit in {c1} van de "
        f"voorspellingen binnen het 80%-interval (verenigbaar met {ci1}: {v1}) en 5 jaar vooruit in "
        f"{c5} ({int(five['effective_forecasts'])} onafhankelijke vensters, {ci5}: {v5}); onder het 10e / "
        f"boven het 90e percentiel: {side1} na 1 jaar, {side5} na 5 jaar (bij een goede ijking 10% / 10%)."
    )


def mpp_table(table: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """The MPP comparison with readable cells: range, outcome, hit, our 80% and 95% intervals."""
    en = language == "en"

    def rng(lo: float, hi: float) -> str:
        if pd.isna(lo) and pd.isna(hi):
            return "–"
        if pd.isna(lo):
            return ("up to " if en else "tot ") + thousands(hi)
        return f"{thousands(lo)}–{thousands(hi)}" if not pd.isna(hi) else f"≥ {thousands(lo)}"

    def hit(x: object) -> str:
        if x is None or (isinstance(x, float) and x != x):
            return "–"
        return ("yes" if en else "ja") if bool(x) else ("no" if en else "nee")

    cols = (
        ("forecast", "origin", "for year", "MPP range", "outcome", "MPP hit",
         "Onderdak 80%", "Onderdak 95%", "80% hit")
        if en
        else ("prognose", "beginjaar", "voor jaar", "MPP-bandbreedte", "uitkomst", "MPP raak",
              "Onderdak 80%", "Onderdak 95%", "80% raak")
    )  # fmt: skip
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
    if language == "en":
        return (
            f"On the {n} published ranges with a known outcome ({years} years, so not independent) "
            f"the MPP range held the outcome {rates['mpp_hits']} times, Onderdak's 80% interval "
            f"{rates['onderdak_hits_80']} times and its 95% interval {rates['onderdak_hits_95']} "
            f"times; our 80% interval is a median {width} × as wide as the two-sided MPP ranges."
        )
    return (
        f"Bij de {n} gepubliceerde bandbreedtes met bekende uitkomst ({years} jaren, dus niet "
        f"onafhankelijk) lag de uitkomst {rates['mpp_hits']} keer binnen de MPP-bandbreedte, "
        f"{rates['onderdak_hits_80']} keer binnen het 80%-interval van Onderdak en "
        f"{rates['onderdak_hits_95']} keer binnen het 95%-interval; ons 80%-interval is in de mediaan "
        f"{width} × zo breed als de tweezijdige MPP-bandbreedtes."
    )


def tail_table(tail: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """Per percentile: the ensemble's yearly total and 10-year mean, and how often history was above."""
    en = language == "en"
    year = tail[tail["quantity"] == "year"].set_index("percentile")
    mean = tail[tail["quantity"] == "mean"].set_index("percentile")
    w = int(mean["window_years"].iloc[0])
    of = "of" if en else "van"
    exp = "expected" if en else "verwacht"
    cols = (
        ("percentile", "a year's inflow (persons)", "years of history above",
         f"{w}-year mean (persons)", f"{w}-year windows above")
        if en
        else ("percentiel", "jaarinstroom (personen)", "jaren in de geschiedenis erboven",
              f"{w}-jaarsgemiddelde (personen)", f"{w}-jaarsvensters erboven")
    )  # fmt: skip
    rows = []
    for p in year.index:
        y, m = year.loc[p], mean.loc[p]
        values = (
            i18n.text("backtest.percentile", language, p=float(p)),
            thousands(y["ensemble_persons"]),
            f"{y['history_above']} {of} {y['history_count']} ({exp} "
            f"{number(y['expected_share'] * y['history_count'], 1)})",
            thousands(m["ensemble_persons"]),
            f"{m['history_above']} {of} {m['history_count']} ({exp} "
            f"{number(m['expected_share'] * m['history_count'], 1)})",
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
    name = label(scenario, language) + (
        f" ({'national' if language == 'en' else 'landelijk'} {label(national_scenario, language)})"
        if national_scenario and national_scenario != scenario
        else ""
    )
    y = tail[(tail["quantity"] == "year") & (tail["percentile"] == 90)].iloc[0]
    m = tail[(tail["quantity"] == "mean") & (tail["percentile"] == 90)].iloc[0]
    span = f"{int(y['history_first_year'])}–{int(y['history_last_year'])}"
    w = int(m["window_years"])
    verdict = {
        "nl": {
            "heavier": "de staart is zwaarder dan de geschiedenis",
            "lighter": "de staart is lichter dan de geschiedenis",
            "consistent": "niet te onderscheiden van een geijkte staart",
        },
        "en": {
            "heavier": "the tail is heavier than history",
            "lighter": "the tail is lighter than history",
            "consistent": "not distinguishable from a calibrated tail",
        },
    }["en" if language == "en" else "nl"]
    if language == "en":
        return (
            f"In scenario {name}, history ({span}) sat above the 90th percentile of a year's "
            f"inflow ({thousands(y['ensemble_persons'])}) in {y['history_above']} of "
            f"{y['history_count']} years (about {number(0.1 * y['history_count'], 0)} for a "
            f"calibrated tail; {verdict[y['verdict']]}), and above the 90th percentile of the {w}-year mean "
            f"({thousands(m['ensemble_persons'])}) in {m['history_above']} of "
            f"{m['history_count']} windows ({m['effective_count']} independent; "
            f"{verdict[m['verdict']]}); {percent(m['ensemble_above_history_max_share'])} of the paths "
            f"have a {w}-year mean above the highest in history ({thousands(m['history_max_persons'])})."
        )
    return (
        f"In het scenario {name} lag de geschiedenis ({span}) in {y['history_above']} van "
        f"de {y['history_count']} jaren boven het 90e percentiel van de jaarinstroom "
        f"({thousands(y['ensemble_persons'])}; bij een geijkte staart ongeveer "
        f"{number(0.1 * y['history_count'], 0)}: {verdict[y['verdict']]}) en in {m['history_above']} "
        f"van de {m['history_count']} vensters boven het 90e percentiel van het {w}-jaarsgemiddelde "
        f"({thousands(m['ensemble_persons'])}; {m['effective_count']} onafhankelijke vensters: "
        f"{verdict[m['verdict']]}); {percent(m['ensemble_above_history_max_share'])} van de paden "
        f"heeft een {w}-jaarsgemiddelde boven het hoogste ooit ({thousands(m['history_max_persons'])})."
    )


SERIES = {
    "nl": {
        "coa_occupancy": "COA-bezetting (jaareinde)",
        "taakstelling": "taakstelling (halfjaar)",
    },
    "en": {
        "coa_occupancy": "COA occupancy (year end)",
        "taakstelling": "housing target (half-year)",
    },
}


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
    if language == "en":
        return f"{n} year{'s' if years > 1 else ''} ahead"
    return f"{n} jaar vooruit"


def chain_table(scores: pd.DataFrame, language: str = "nl") -> pd.DataFrame:
    """Per series and horizon: who forecast, forecasts (independent), coverage, skill."""
    en = language == "en"
    who = (
        {"naive": "naive reference", "given": "chain model"}
        if en
        else {"naive": "naïeve referentie", "given": "ketenmodel"}
    )
    cols = (
        ("series", "horizon", "forecaster", "forecasts (independent)", "inside 80% interval",
         "inside 95% interval", "skill vs last value")
        if en
        else ("reeks", "horizon", "voorspeller", "voorspellingen (onafhankelijk)",
              "binnen 80%-interval", "binnen 95%-interval", "vaardigheid t.o.v. vorige waarde")
    )  # fmt: skip
    rows = []
    for _, r in scores.iterrows():
        values = (
            SERIES["en" if en else "nl"][r["series"]],
            _years_ahead(float(r["horizon_years"]), language),
            who[r["forecaster"]],
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
    lang = "en" if language == "en" else "nl"
    misses = [
        (
            SERIES[lang].get(r["series"], r["series"]),
            _years_ahead(float(r["horizon_years"]), lang),
            _coverage_cells(r)[0],
            r["coverage_80_ci_high_share"] < 0.8,
        )
        for _, r in off.iterrows()
    ]
    if language == "en":
        who = (
            "a naive reference (the last published value with a spread estimated from the series "
            "up to the origin) stands in for the chain"
            if naive
            else "the chain model started from the published state at each origin"
        )
        text = (
            f"For COA occupancy and the housing target {who}; with {coa} and {tk} forecasts one step "
            f"ahead the coverage intervals stay wide."
        )
        for name, h, share, narrow in misses:
            text += (
                f" For {name} {h} the 80% interval held {share}: "
                f"{'too narrow' if narrow else 'too wide'} beyond what chance explains."
            )
        return text
    who = (
        "staat een naïeve referentie (de laatst gepubliceerde waarde met een spreiding geschat op "
        "de reeks tot het beginjaar) in voor de keten"
        if naive
        else "is de keten van het model vanaf de gepubliceerde stand in elk beginjaar doorgerekend"
    )
    text = (
        f"Voor de COA-bezetting en de taakstelling {who}; met {coa} en {tk} voorspellingen één stap "
        f"vooruit blijven de intervallen van de dekking breed."
    )
    for name, h, share, narrow in misses:
        text += (
            f" Voor {name} {h} viel {share} binnen het 80%-interval: "
            f"{'te smal' if narrow else 'te breed'}, meer dan toeval verklaart."
        )
    return text
