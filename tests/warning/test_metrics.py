"""The three challenge scores on small cases with known answers (no shared data needed)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.warning import metrics


def brute_crps(y: float, x: np.ndarray) -> float:
    """mean|X - y| - mean|X - X'| / 2 with the double sum written out."""
    return float(np.abs(x - y).mean() - np.abs(x[:, None] - x[None, :]).mean() / 2)


def test_crps_of_a_point_forecast_is_the_absolute_error() -> None:
    assert metrics.crps_ensemble([3.0, 0.0], [[5.0], [0.0]]).tolist() == [2.0, 0.0]


def test_crps_of_two_members() -> None:
    # members 0 and 10, observed 4: mean|x - y| = 5, mean|x - x'| = 5 -> 5 - 2.5 = 2.5
    assert metrics.crps_ensemble([4.0], [[0.0, 10.0]])[0] == pytest.approx(2.5, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 5000), min_size=1, max_size=40), st.integers(0, 5000))
def test_crps_equals_the_double_sum(members: list[int], y: int) -> None:
    x = np.array(members, dtype=float)
    assert metrics.crps_ensemble([y], x[None, :])[0] == pytest.approx(brute_crps(y, x), rel=1e-12, abs=1e-9)


def test_interval_score_inside_and_outside() -> None:
    x = np.arange(101, dtype=float)[None, :].repeat(3, axis=0)  # quantiles 0.05 -> 5, 0.95 -> 95
    scores = metrics.interval_score([50.0, 0.0, 100.0], x, level=0.9)
    # width 90; below by 5 -> + (2/0.1) * 5 = 100; above by 5 -> + 100
    assert scores.tolist() == pytest.approx([90.0, 190.0, 190.0], abs=1e-9)
    with pytest.raises(ValueError, match="level"):
        metrics.interval_score([1.0], x[:1], level=1.0)


def test_ignorance_score_adds_one_member_per_bin() -> None:
    zeros = np.zeros((2, 1000))
    got = metrics.ignorance_score([0.0, 30.0], zeros)
    # 11 bins, one extra member each: P(bin 0) = 1001 / 1011, P(bin 25.5-50.5) = 1 / 1011
    assert got.tolist() == pytest.approx([-np.log2(1001 / 1011), np.log2(1011)], abs=1e-12)
    big = np.full((1, 1000), 5000.0)
    assert metrics.ignorance_score([2000.0], big)[0] == pytest.approx(-np.log2(1001 / 1011), abs=1e-12)


def test_small_ensembles_are_resampled_to_1000_members() -> None:
    constant = np.full((1, 12), 7.0)
    resampled = metrics.resample_members(constant)
    assert resampled.shape == (1, 1000) and np.allclose(resampled, 7.0, atol=1e-9)
    # the FFT resampling interpolates between members, and negative results are set to 0
    wave = np.array([[0.0, 100.0] * 6])
    out = metrics.resample_members(wave)
    assert out.min() == 0.0 and 0 < out.mean() < 100
    assert metrics.ignorance_score([7.0], constant)[0] == pytest.approx(-np.log2(1001 / 1011), abs=1e-9)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        metrics.crps_ensemble([1.0], [[np.nan, 1.0]])
    with pytest.raises(ValueError, match=r"\(n,\)"):
        metrics.crps_ensemble([1.0, 2.0], [[1.0, 1.0]])
    with pytest.raises(ValueError, match="non-negative"):
        metrics.ignorance_score([-1.0], np.zeros((1, 1000)))
    with pytest.raises(ValueError, match="increasing"):
        metrics.ignorance_score([1.0], np.zeros((1, 1000)), bins=[0.0, 0.0])
