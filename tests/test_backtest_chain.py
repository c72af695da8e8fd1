"""The chain as a backtest forecaster: started from what was published at each origin, no look-ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from onderdak.backtest.chain import (
    chain_backtest,
    chain_forecaster,
    coa_occupancy_yearly,
    taakstelling_half_yearly,
    what_we_knew,
)
from onderdak.inflow.record import national_record


def test_the_what_we_knew_trajectory_is_the_last_published_year_held_flat():
    record = national_record("2020-01")
    spec = what_we_knew(record)
    assert spec["first_applications_persons_per_year"] == {2020: pytest.approx(22_540, rel=1e-3)}
    assert spec["grant_rate_share"] == {2020: 0.75}
    assert spec["ind_decisions_persons_per_year"] == {2020: 1e9}  # no capacity limit known then


def test_the_chain_forecaster_starts_from_the_published_state_and_sees_nothing_later():
    rng = np.random.default_rng(1)
    coa = coa_occupancy_yearly()
    upto = coa[coa.index <= 2019]
    draws = chain_forecaster("coa_occupancy")(upto, 2, rng, 200)
    assert draws.shape == (200, 2)
    # one year on, the stock has moved from the last published one (27,110 in Nov 2019) but not wildly
    assert 0.6 * upto.iloc[-1] < np.median(draws[:, 0]) < 1.6 * upto.iloc[-1]
    # the forecaster reads the record at January 2020 only, so the same draws come back
    again = chain_forecaster("coa_occupancy")(upto, 2, np.random.default_rng(1), 200)
    np.testing.assert_array_equal(draws, again)
    taak = taakstelling_half_yearly()
    upto = taak[taak.index <= 2019 * 2 + 1]
    t = chain_forecaster("taakstelling")(upto, 2, rng, 200)
    assert t.shape == (200, 2) and (t > 0).all()


def test_the_default_backtest_scores_the_chain_per_horizon():
    s = chain_backtest(draws=150)
    assert (s["forecaster"] == "given").all()
    assert set(s["series"]) == {"coa_occupancy", "taakstelling"}
    assert set(s.loc[s["series"] == "coa_occupancy", "horizon_years"]) == {1.0, 2.0, 5.0}
    assert (s["forecasts"] >= 1).all()
    assert ((0 <= s["coverage_80_share"]) & (s["coverage_80_share"] <= 1)).all()


def test_record_at_an_origin_does_not_hold_later_observations():
    early = national_record(pd.Period("2020-01", freq="M"))
    assert early.stocks["coa_occupancy_persons"].index.max() <= pd.Period("2020-01", freq="M")
