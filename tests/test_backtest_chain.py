"""Backtest of the chain: no look-ahead, the published outcomes, scores per horizon."""

from __future__ import annotations

import pandas as pd
import pytest

from model.backtest_chain import chain_backtest, chain_scores, what_we_knew
from model.record import national_record


@pytest.fixture(scope="module")
def table():
    return chain_backtest(paths=120, first_origin=2018)


def test_every_forecast_starts_from_what_was_published_at_its_origin(table):
    assert set(table["variable"]) == {"coa_occupancy_persons", "taakstelling_persons"}
    assert set(table["horizon_years"]) <= {1, 2, 5}
    for row in table.itertuples():
        record = national_record(pd.Period(f"{row.origin_year + 1}-01", freq="M"))
        if row.variable == "coa_occupancy_persons":
            assert row.naive_persons == record.stocks["coa_occupancy_persons"].iloc[-1]
            # the outcome was not known at the origin
            assert pd.Period(row.target, freq="M") > record.peildatum
        else:
            assert row.naive_persons == record.taakstelling.iloc[-1]
            assert row.target not in record.taakstelling.index
        assert row.p10 <= row.p50 <= row.p90


def test_the_what_we_knew_trajectory_is_the_last_published_year_held_flat():
    record = national_record("2020-01")
    spec = what_we_knew(record)
    assert spec["first_applications_persons_per_year"] == {2020: pytest.approx(22_540, rel=1e-3)}
    assert spec["grant_rate_share"] == {2020: 0.75}
    assert spec["ind_decisions_persons_per_year"] == {2020: 1e9}  # no capacity limit known then


def test_scores_count_the_non_overlapping_forecasts_by_hand():
    rows = []
    for origin in (2015, 2016, 2017, 2018, 2019, 2020):
        rows.append(
            {
                "variable": "v",
                "horizon_years": 2,
                "origin_year": origin,
                "in_80": origin % 2 == 0,
                "in_95": True,
                "interval_score_80_persons": 1.0,
                "interval_score_95_persons": 1.0,
                "crps_persons": 1.0,
                "naive_abs_error_persons": 2.0,
            }
        )
    s = chain_scores(pd.DataFrame(rows)).iloc[0]
    # origins 2015, 2017, 2019 do not overlap at a 2-year horizon
    assert s["independent_forecasts"] == 3 and s["forecasts"] == 6
    assert s["coverage_80_share"] == pytest.approx(0.5) and s["skill_share"] == pytest.approx(0.5)
