"""The one shortfall measure and the reliability band (onderdak.need.shortfall)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from onderdak.need.shortfall import SHORT_PLACES, band, depth, short_paths, shortfall_chance


def test_a_path_is_short_when_one_month_in_the_window_lacks_a_place():
    gap = np.array(
        [
            [0.0, 0.4, 0.0],  # less than half a place: rounds to none
            [0.0, 0.0, 0.5],  # half a place: one after rounding
            [3.0, 0.0, 0.0],  # short only before the window
        ]
    )
    assert short_paths(gap).tolist() == [False, True, True]
    assert short_paths(gap, start=1).tolist() == [False, True, False]
    assert shortfall_chance(gap, start=1) == pytest.approx(1 / 3)
    assert shortfall_chance(gap, 1, np.array([0.1, 0.7, 0.2])) == pytest.approx(0.7)
    assert SHORT_PLACES == 0.5


def test_depth_by_hand_with_ties():
    # period 0: every path needs 5 (a published task): no path ranks above another
    need = np.array([[5.0, 1.0], [5.0, 3.0], [5.0, 2.0], [5.0, 3.0]])
    d = depth(need, np.full(4, 0.25))
    # period 1 ranks: 1 → 0, 2 → 0.25, 3 and 3 → 0.5 (share strictly below)
    assert d.tolist() == [0.0, 0.5, 0.25, 0.5]


def test_band_by_hand():
    need = np.array([[10.0, 10, 10], [60, 10, 10], [10, 10, 55], [90, 90, 90]])
    b = band(need, 0.75)
    assert b.places.tolist() == [60.0, 10.0, 55.0]
    assert b.kept.tolist() == [True, True, True, False] and b.reliability == 0.75
    assert band(need, 0.75, start=1).places.tolist() == [0.0, 10.0, 55.0]
    assert band(need, 0.0).places.tolist() == [0.0, 0.0, 0.0]
    assert band(need, 1.0).places.tolist() == [90.0, 90.0, 90.0]


@given(
    values=arrays(np.float64, 30, elements=st.floats(0, 500, allow_nan=False)),
    r=st.floats(0.01, 1.0),
)
def test_band_of_one_period_is_the_quantile(values, r):
    """Cross-check: with one period the band is the lower (inverted-cdf) r-quantile of need."""
    b = band(values[:, None], r)
    assert b.places[0] == pytest.approx(np.quantile(values, r, method="inverted_cdf"))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    r=st.floats(0.0, 1.0),
    start=st.integers(0, 5),
    weighted=st.booleans(),
)
def test_band_keeps_its_share_and_no_lower_capacity_does(seed, r, start, weighted):
    rng = np.random.default_rng(seed)
    need = rng.integers(0, 20, (25, 6)).astype(float)  # many ties
    w = rng.dirichlet(np.ones(25)) if weighted else None
    b = band(need, r, start, w)
    weights = np.full(25, 1 / 25) if w is None else w
    covered = ~short_paths(need - b.places[None, :], start)
    assert weights @ covered >= r - 1e-9  # the target share is free of shortfall
    assert b.reliability == pytest.approx(weights @ b.kept)
    assert (need[b.kept, start:] <= b.places[None, start:]).all()
    assert (b.places[:start] == 0).all()
    # monotone: a higher target never asks less
    assert (band(need, min(r + 0.2, 1.0), start, w).places >= b.places - 1e-12).all()
    # tight: below the band in any period leaves a kept path short there
    for t in range(start, 6):
        if b.places[t] > 0:
            lower = b.places.copy()
            lower[t] -= 1.0
            assert short_paths(need[b.kept] - lower[None, :], start).any()
