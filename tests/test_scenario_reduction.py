"""Tests of onderdak.plan.reduction: quarterly need, k-medoids and quantile reduction, envelopes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.core.errors import InputError
from onderdak.plan.reduction import quarterly_need, reduce_scenarios


def test_quarterly_need_is_the_monthly_maximum_with_partial_quarters():
    periods = pd.period_range("2026-02", periods=7, freq="M", name="period")  # Feb–Aug
    ukraine = np.array([[1.0, 5.0, 2.0, 3.0, 9.0, 4.0, 7.0]])
    asylum = 10 * ukraine
    q = quarterly_need({"ukraine": ukraine, "asylum": asylum}, periods, ["asylum", "ukraine"])
    assert [str(x) for x in q.quarters] == ["2026Q1", "2026Q2", "2026Q3"]
    assert q.months_per_quarter.tolist() == [2, 3, 2]
    assert q.first_month.tolist() == [0, 2, 5]
    assert q.places[0, :, 1].tolist() == [5.0, 9.0, 7.0]
    assert q.places[0, :, 0].tolist() == [50.0, 90.0, 70.0]
    assert q.streams == ("asylum", "ukraine")


def test_quarterly_need_names_a_missing_stream():
    periods = pd.period_range("2026-01", periods=3, freq="M")
    with pytest.raises(InputError, match="no stream asylum"):
        quarterly_need({"ukraine": np.ones((2, 3))}, periods, ["asylum"])


def _groups(seed: int = 0):
    """Three well separated groups of 40, 30 and 30 paths (8 quarters, 2 streams)."""
    rng = np.random.default_rng(seed)
    levels = np.repeat([10.0, 50.0, 100.0], [40, 30, 30])
    places = levels[:, None, None] + rng.normal(0, 1, (100, 8, 2))
    periods = pd.period_range("2026-01", periods=24, freq="M")
    q = quarterly_need(
        {"ukraine": np.repeat(places[:, :, 0], 3, 1), "asylum": np.repeat(places[:, :, 1], 3, 1)},
        periods,
        ["ukraine", "asylum"],
    )
    return q, levels


def test_kmedoids_finds_separated_groups_with_their_weights():
    q, levels = _groups()
    red = reduce_scenarios(q, 3, seed=1)
    assert red.method == "kmedoids"
    assert red.weights.tolist() == pytest.approx([0.4, 0.3, 0.3])
    assert levels[red.path_ids].tolist() == [10.0, 50.0, 100.0]  # ordered by total need
    for j in range(3):
        assert set(levels[red.assignment == j]) == {levels[red.path_ids[j]]}


def test_reduction_is_deterministic_for_a_seed():
    q, _ = _groups(3)
    a, b = reduce_scenarios(q, 5, seed=7), reduce_scenarios(q, 5, seed=7)
    assert np.array_equal(a.path_ids, b.path_ids) and np.array_equal(a.weights, b.weights)


def test_more_scenarios_than_paths_keeps_every_path():
    q, _ = _groups()
    red = reduce_scenarios(q, 500)
    assert red.method == "all" and red.size == 100
    assert red.weights.sum() == pytest.approx(1.0)
    assert np.array_equal(red.path_ids[red.assignment], np.arange(100))


def test_quantile_method_bands_paths_by_total_need():
    q, _ = _groups()
    red = reduce_scenarios(q, 4, method="quantile")
    assert red.weights.tolist() == pytest.approx([0.25] * 4)
    totals = q.places.sum(axis=(1, 2))
    assert (np.diff(totals[red.path_ids]) >= 0).all()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 1000), n=st.integers(1, 12), paths=st.integers(5, 60))
def test_weights_and_assignment_are_consistent(seed, n, paths):
    rng = np.random.default_rng(seed)
    periods = pd.period_range("2026-01", periods=12, freq="M")
    need = {
        "ukraine": rng.lognormal(3, 0.5, (paths, 12)),
        "asylum": rng.lognormal(4, 0.3, (paths, 12)),
    }
    q = quarterly_need(need, periods, ["ukraine", "asylum"])
    red = reduce_scenarios(q, n, seed=seed)
    assert red.weights.sum() == pytest.approx(1.0)
    assert red.size <= max(n, 1) or red.method == "all"
    counts = np.bincount(red.assignment, minlength=red.size) / paths
    assert counts.tolist() == pytest.approx(red.weights.tolist())
    assert (red.assignment[red.path_ids] == np.arange(red.size)).all()  # a medoid stands for itself
