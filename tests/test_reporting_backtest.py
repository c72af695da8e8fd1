"""The backtest and tail tables and their one-sentence readings, in Dutch and English."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from onderdak.backtest.horizons import Target, horizon_scores, rolling_forecasts
from onderdak.backtest.tail import tail_against_history
from onderdak.reporting import backtest as rep_bt
from onderdak.reporting.style import set_number_language

TOY = pd.Series([100.0, 110.0, 90.0, 120.0, 100.0, 105.0, 95.0], index=range(2000, 2007))


def spread(observed, steps, rng, draws):
    return float(observed.iloc[-1]) * np.tile(np.linspace(0.8, 1.2, 101)[:, None], (1, steps))


@pytest.fixture
def scores():
    targets = (Target(1, 1), Target(5, 5))
    return horizon_scores(rolling_forecasts(TOY, spread, targets, first_origin=2000))


@pytest.fixture(autouse=True)
def dutch_numbers():
    yield
    set_number_language("nl")


def test_horizon_table_and_reading_in_both_languages(scores):
    nl = rep_bt.horizon_table(scores, "nl")
    assert list(nl["horizon"]) == ["1 jaar vooruit", "5 jaar vooruit"]
    assert nl["voorspellingen (onafhankelijk)"].tolist() == ["6 (6)", "2 (1)"]
    text = rep_bt.horizon_reading(scores, TOY, "nl")
    assert text.startswith("Over 2000–2006 viel") and "1 onafhankelijke vensters" in text
    set_number_language("en")
    en = rep_bt.horizon_table(scores, "en")
    assert "inside 80% interval" in en.columns
    assert rep_bt.horizon_reading(scores, TOY, "en").startswith("Over 2000–2006, the outcome")


def test_tail_table_and_reading():
    yearly = np.tile(np.arange(1.0, 101.0)[:, None], (1, 10))
    history = pd.Series(np.linspace(10, 95, 30), index=range(1990, 2020))
    tail = tail_against_history(yearly, history)
    table = rep_bt.tail_table(tail, "nl")
    assert list(table["percentiel"]) == [f"{p}e percentiel" for p in (50, 80, 90, 95, 99)]
    above = int(np.sum(history.to_numpy() > np.percentile(np.arange(1.0, 101.0), 90)))
    assert table.loc[2, "jaren in de geschiedenis erboven"] == f"{above} van 30 (verwacht 3,0)"
    text = rep_bt.tail_reading(tail, "basis", "nl")
    assert f"in {above} van de 30 jaren boven het 90e percentiel" in text and "21 vensters" in text
    assert rep_bt.tail_reading(tail, "basis", "en").startswith("In scenario")


def test_titles_name_the_history_and_the_missing_repeat_applications():
    short = pd.Series([1.0, 2.0], index=[2013, 2025])
    long = pd.Series([1.0, 2.0], index=[1975, 2025])
    assert "offline" in rep_bt.titles(short)["source"]
    t = rep_bt.titles(long, ("first_applications_persons", "nareizigers_persons"))
    assert t["source"].startswith("CBS 83102NED") and "herhaalde aanvragen" in t["tail_caption"]
    assert "1975–2025" in t["horizons"]


def test_chain_table_names_the_forecaster():
    from onderdak.backtest.chain import chain_backtest

    assert set(rep_bt.chain_table(chain_backtest(draws=100), "nl")["voorspeller"]) == {"ketenmodel"}
    s = chain_backtest({}, draws=200)  # no forecaster given: the naive reference for both
    nl = rep_bt.chain_table(s, "nl")
    assert list(nl["horizon"][nl["reeks"] == "taakstelling (halfjaar)"]) == [
        "½ jaar vooruit",
        "1 jaar vooruit",
        "2 jaar vooruit",
        "5 jaar vooruit",
    ]
    assert set(nl["voorspeller"]) == {"naïeve referentie"}
    assert "naïeve referentie" in rep_bt.chain_reading(s, "nl")
    assert rep_bt.chain_table(s, "en")["horizon"].iloc[1] == "2 years ahead"
