"""Brier score, Murphy's decomposition and calibration: the identities and the special cases Murphy (1973) names,
scores per team and product line, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from kompas.intel.language import WORDS, midpoint
from kompas.intel.model import Assessment, KeyJudgement
from kompas.intel.scoring import (
    ICD203_EDGES,
    bin_edges,
    brier,
    by_group,
    calibration,
    decompose,
    scored,
)

MIDPOINTS = [midpoint(w) for w in WORDS]


def sample(n: int = 400, seed: int = 7):
    """Forecasts at the ICD 203 midpoints, outcomes drawn with a miscalibrated truth (p ** 1.3)."""
    rng = np.random.default_rng(seed)
    f = rng.choice(MIDPOINTS, n)
    return f, rng.random(n) < f ** 1.3


@pytest.mark.parametrize(("p", "outcome", "score"), [(1.0, 1, 0.0), (1.0, 0, 1.0), (0.7, 1, 0.09), (0.7, 0, 0.49),
                                                     (0.3, 1, 0.49), (0.5, 1, 0.25), (0.5, 0, 0.25)])
def test_brier_of_single_forecasts(p, outcome, score):
    """Brier (1950): the squared difference; tolerance 1e-12 (float rounding)."""
    assert brier([p], [outcome]) == pytest.approx(score, abs=1e-12)


def test_icd203_bins_hold_one_band_each():
    assert ICD203_EDGES == (0.0, 0.05, 0.2, 0.45, 0.55, 0.8, 0.95, 1.0)
    edges = bin_edges()
    for word, m in zip(WORDS, MIDPOINTS, strict=True):
        k = int(np.searchsorted(edges[1:-1], m, side="left"))
        assert edges[k] < m <= edges[k + 1], word


def test_murphy_identity_is_exact_for_binned_forecasts():
    f, o = sample()
    d = decompose(f, o)
    assert d.within_variance == pytest.approx(0, abs=1e-15) and d.within_covariance == pytest.approx(0, abs=1e-15)
    assert d.brier == pytest.approx(d.reliability - d.resolution + d.uncertainty, abs=1e-12)
    assert d.murphy == pytest.approx(d.brier, abs=1e-12)
    assert d.reliability > 0.001  # the miscalibration drawn in shows (p ** 1.3 is below p)
    assert sum(b.count for b in d.bins) == d.n == 400


def test_the_extended_identity_holds_for_any_forecasts():
    """Stephenson, Coelho and Jolliffe (2008): BS = REL - RES + UNC + WBV - WBC, exactly (to rounding, 1e-12)."""
    rng = np.random.default_rng(3)
    f = rng.random(1000)
    o = rng.random(1000) < f
    for bins in (1, 5, 10, 37, ICD203_EDGES):
        d = decompose(f, o, bins)
        assert d.brier == pytest.approx(d.murphy + d.within_variance - d.within_covariance, abs=1e-12), bins
        assert d.within_variance > 0


def test_murphy_1973_special_cases():
    """A perfect forecaster (always 0 or 1, always right): REL = 0, RES = UNC, BS = 0. Always forecasting the
    base rate: REL = RES = 0 and BS = UNC = o(1 - o)."""
    o = np.array([1, 0, 0, 1, 1, 0, 0, 0])
    perfect = decompose(o.astype(float), o, 10)
    assert (perfect.brier, perfect.reliability) == (0.0, 0.0)
    assert perfect.resolution == pytest.approx(perfect.uncertainty, abs=1e-15) == 0.375 * 0.625
    climate = decompose(np.full(8, 0.375), o, 10)
    assert climate.reliability == pytest.approx(0, abs=1e-15) and climate.resolution == pytest.approx(0, abs=1e-15)
    assert climate.brier == pytest.approx(0.375 * 0.625, abs=1e-15)
    assert climate.skill == pytest.approx(0, abs=1e-12)
    assert decompose([0.3, 0.6], [1, 1]).skill is None  # the event always happened: no uncertainty


def test_calibration_bins():
    bins = calibration([0.03, 0.03, 0.675, 0.675, 0.675, 0.97], [0, 1, 1, 1, 0, 1])
    assert [(b.low, b.high, b.count) for b in bins] == [(0.0, 0.05, 2), (0.55, 0.8, 3), (0.95, 1.0, 1)]
    assert [b.observed for b in bins] == pytest.approx([0.5, 2 / 3, 1.0], abs=1e-12)
    assert [b.forecast for b in bins] == pytest.approx([0.03, 0.675, 0.97], abs=1e-12)
    edge = calibration([0.0, 0.1, 0.1000001, 1.0], [0, 0, 1, 1], 10)
    assert [(b.low, b.count) for b in edge] == [(0.0, 2), (pytest.approx(0.1), 1), (pytest.approx(0.9), 1)]


def test_scored_judgements_per_team_and_product_line():
    def kj(word, outcome):
        return KeyJudgement("x", word, "moderate", "2026-06-01", "c", outcome,
                            "2026-06-02" if outcome is not None else "")

    a = Assessment("A", "weekly", "East", "s", (kj("likely", True), kj("unlikely", False), kj("likely", None)),
                   date="2026-01-01")
    b = Assessment("B", "weekly", "West", "s", (kj("very-likely", False),), date="2026-01-01")
    c = Assessment("C", "annual", "East", "s", (KeyJudgement("x", "likely", "low", "2026-06-01", "c", True,
                                                             "2026-06-02", 0.6),), date="2026-01-01")
    items = scored([a, b, c])
    assert [(s.probability, s.outcome, s.team) for s in items] == [
        (0.675, True, "East"), (0.325, False, "East"), (0.875, False, "West"), (0.6, True, "East")]
    teams = by_group(items, "team")
    assert list(teams) == ["East", "West"]
    east = [(0.675 - 1) ** 2, 0.325 ** 2, (0.6 - 1) ** 2]
    assert teams["East"].brier == pytest.approx(sum(east) / 3, abs=1e-12) and teams["East"].n == 3
    assert teams["West"].brier == pytest.approx(0.875 ** 2, abs=1e-12)
    lines = by_group(items, "product_line")
    assert {k: v.n for k, v in lines.items()} == {"annual": 1, "weekly": 3}
    with pytest.raises(ValueError, match="group by"):
        by_group(items, "analyst")
    assert by_group([], "team") == {}
    assert teams["East"].as_dict()["bins"][0]["count"] >= 1


@pytest.mark.parametrize(("probs", "outcomes", "message"), [
    ([], [], "no forecasts"), ([0.5], [1, 0], "differ in number"), ([1.2], [1], "not a probability"),
    ([float("nan")], [1], "not a probability"), ([0.5], [2], "not 0/1"), ([0.5], ["yes"], "not 0/1")])
def test_bad_input_is_refused(probs, outcomes, message):
    with pytest.raises(ValueError, match=message):
        brier(probs, outcomes)


@pytest.mark.parametrize("bins", [0, [0.0, 0.5], [0.1, 1.0], [0.0, 0.6, 0.4, 1.0]])
def test_bad_bins_are_refused(bins):
    with pytest.raises(ValueError):
        bin_edges(bins)


def test_sample_scores_look_like_a_decent_forecaster():
    f, o = sample()
    d = decompose(f, o)
    assert 0.05 < d.brier < d.uncertainty  # skill over always saying the base rate
    assert d.skill is not None and 0 < d.skill < 1
