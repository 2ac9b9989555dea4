"""Brier score and calibration bins against scikit-learn as a peer: ``sklearn.metrics.brier_score_loss`` and
``sklearn.calibration.calibration_curve`` (uniform bins), on the same forecasts. Tolerance 1e-12 (both sum the same
float64 terms, in different orders)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from kompas.intel.scoring import brier, calibration, decompose


@pytest.fixture(scope="module")
def forecasts():
    rng = np.random.default_rng(2026)
    f = np.round(rng.random(5000), 2)  # rounded: many forecasts fall exactly on bin edges (0.1, 0.2, ...)
    o = (rng.random(5000) < f ** 0.8).astype(int)
    return f, o


def test_brier_equals_sklearn(forecasts):
    f, o = forecasts
    assert brier(f, o) == pytest.approx(brier_score_loss(o, f), abs=1e-12)
    assert brier(f[:1], o[:1]) == pytest.approx(brier_score_loss(o[:1], f[:1]), abs=1e-12)


@pytest.mark.parametrize("n_bins", [1, 5, 10, 20])
def test_calibration_bins_equal_sklearn(forecasts, n_bins):
    f, o = forecasts
    prob_true, prob_pred = calibration_curve(o, f, n_bins=n_bins, strategy="uniform")
    ours = calibration(f, o, n_bins)
    assert len(ours) == len(prob_true)
    assert [b.observed for b in ours] == pytest.approx(list(prob_true), abs=1e-12)
    assert [b.forecast for b in ours] == pytest.approx(list(prob_pred), abs=1e-12)


def test_reliability_and_resolution_from_sklearns_bins(forecasts):
    """REL and RES recomputed from sklearn's curve and the bins' counts (histogram on sklearn's edge rule)."""
    f, o = forecasts
    prob_true, prob_pred = calibration_curve(o, f, n_bins=10)
    edges = np.linspace(0, 1, 11)
    counts = np.bincount(np.searchsorted(edges[1:-1], f), minlength=10)
    counts = counts[counts > 0]
    base = o.mean()
    d = decompose(f, o, 10)
    assert d.reliability == pytest.approx(np.sum(counts * (prob_pred - prob_true) ** 2) / f.size, abs=1e-12)
    assert d.resolution == pytest.approx(np.sum(counts * (prob_true - base) ** 2) / f.size, abs=1e-12)
    assert d.uncertainty == pytest.approx(base * (1 - base), abs=1e-12)
