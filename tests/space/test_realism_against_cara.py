"""Covariance realism against NASA CARA's own unit tests (EvaluateResiduals, DetermineOptimalScaleFactor).

Inputs: ../shared/data/cara-methods/covariance_realism/CovarianceRealismTestInput0{1..5}.mat (MATLAB v7.3, i.e.
HDF5: read with h5py) holding 1000 position residuals and their 3x3 covariances; expected values, comparators and
tolerances: ../shared/data/cara-methods/expected_covariance_realism.csv (one row per output array element).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from kompas.space import realism

METHODS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cara-methods"
EXPECTED = METHODS / "expected_covariance_realism.csv"


def _load(name: str) -> tuple[np.ndarray, np.ndarray]:
    h5py = pytest.importorskip("h5py", reason="h5py reads CARA's MATLAB v7.3 (HDF5) inputs")
    with h5py.File(METHODS / name, "r") as f:
        # HDF5 stores MATLAB arrays transposed: Residuals (3, n) -> n x 3; Covariances (n, 3, 3) -> 3 x 3 x n.
        residuals = np.array(f["Residuals"]).T
        covariances = np.transpose(np.array(f["Covariances"]), (0, 2, 1))
    return residuals, covariances


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    if not EXPECTED.is_file():
        pytest.skip(f"CARA method references not found at {METHODS} (clone ../shared beside the repository)")
    with EXPECTED.open() as f:
        return list(csv.DictReader(f))


def _check(actual: float, row: dict) -> bool:
    expected = float(row["expected"])
    if row["comparator"] == "eq":
        tol = float(row["tolerance"])
        return abs(actual - expected) <= (tol * abs(expected) if row["tol_type"] == "rel" else tol)
    if row["comparator"] == "le":
        return actual <= expected
    if row["comparator"] == "ge":
        return actual >= expected
    raise AssertionError(f"unknown comparator {row['comparator']}")


@pytest.mark.shared
def test_optimal_scale_factor_matches_cara(rows, capsys):
    checked, worst, lines = 0, 0.0, []
    for row in (r for r in rows if r["method"] == "DetermineOptimalScaleFactor"):
        residuals, covariances = _load(row["file"])
        s = realism.optimal_scale_factor(residuals, covariances, "cvm")
        err = abs(s / float(row["expected"]) - 1)
        worst = max(worst, err)
        lines.append(f"{row['file']:50} CARA {float(row['expected']):5.2f} Kompas {s:8.5f} rel.err {err:.3f}")
        assert _check(s, row), lines[-1]
        checked += 1
    with capsys.disabled():
        print("\n" + "\n".join(lines) + f"\nworst relative error {worst:.3f} (CARA's tolerance 0.05)")
    assert checked == 5


_INDEX = re.compile(r"(\w+)\((\d),(\d)\)")


@pytest.mark.shared
def test_evaluate_residuals_matches_cara(rows, capsys):
    by_file: dict[str, list[dict]] = {}
    for row in rows:
        if row["method"] == "EvaluateResiduals":
            by_file.setdefault(row["file"], []).append(row)
    checked = failed = 0
    worst_p = 0.0
    messages = []
    for name, file_rows in sorted(by_file.items()):
        residuals, covariances = _load(name)
        # CARA's options: 10,000 trials of 50 at significance 0.02. The resampled rows are statistical: for
        # the realistic file 01 about 1.7% of trials fail (binomial standard error 0.13 points) against CARA's
        # one-sided bound of 2%, so a seed is fixed for a reproducible test (seeds 0-3 give 1.5-2.2%).
        out = realism.evaluate_residuals(residuals, covariances, 1.0, trials=10000, sample_size=50,
                                         significance=0.02, rng=np.random.default_rng(0))
        arrays = {"NormalityTestFullResiduals": out.normality_full,
                  "NormalityTestResampledResidualsInterpolatable": out.normality_resampled,
                  "Chi2TestFullM2": out.chi2_full, "Chi2TestResampledM2Interpolatable": out.chi2_resampled}
        for row in file_rows:
            match = _INDEX.fullmatch(row["quantity"])
            assert match, row["quantity"]
            actual = float(arrays[match.group(1)][int(match.group(2)) - 1, int(match.group(3)) - 1])
            if row["comparator"] == "eq":
                worst_p = max(worst_p, abs(actual - float(row["expected"])))
            if not _check(actual, row):
                failed += 1
                messages.append(f"{name} {row['quantity']}: {actual} vs {row['comparator']} {row['expected']}")
            checked += 1
    with capsys.disabled():
        print(f"\nEvaluateResiduals: {checked} elements checked, worst |p - CARA p| {worst_p:.4f} (tol 0.001)")
    assert not messages, "\n".join(messages)
    assert checked == 240 and failed == 0


def test_fraction_inside_and_mahalanobis_on_a_known_gaussian():
    rng = np.random.default_rng(5)
    cov = np.array([[4.0, 1.0, 0.0], [1.0, 9.0, -2.0], [0.0, -2.0, 1.0]])
    e = rng.multivariate_normal(np.zeros(3), cov, size=20000)
    m2 = realism.mahalanobis2(e, cov)
    assert np.mean(m2) == pytest.approx(3.0, abs=0.05)
    assert realism.fraction_inside(m2) == pytest.approx(0.95, abs=0.005)
    # A covariance four times too small in every direction: M2 scaled by 4, far fewer inside.
    assert realism.fraction_inside(realism.mahalanobis2(e, cov / 4)) < 0.5
    assert realism.optimal_scale_factor(e, np.broadcast_to(cov * 4, (e.shape[0], 3, 3))) == pytest.approx(
        0.5, rel=0.03)
