"""Covariance realism: do residuals look like draws from the covariances that claim to describe them?

A covariance is *realistic* when the squared Mahalanobis distances ``M2 = e^T C^-1 e`` of the actual errors
``e`` against their predicted covariances ``C`` follow a chi-square distribution with as many degrees of freedom
as components (3 for position): about 95% of them fall inside the 95% ellipsoid (``M2 <= chi2_3(0.95) = 7.815``).

Besides that headline figure (:func:`fraction_inside`), this module reproduces the two functions of NASA CARA's
covariance-realism toolkit (M.D. Hejduk, ``DistributedMatlab/CovarianceRealism``), written from their documented
algorithm:

* :func:`evaluate_residuals` (CARA ``EvaluateResiduals``): goodness-of-fit p-values of the normalised residual
  components against N(0, 1) and of ``M2`` against chi-square(3), on the whole set and on resampled subsets,
  using the "case 0" (fully specified distribution) empirical-distribution-function tests of D'Agostino &
  Stephens, *Goodness-of-Fit Techniques* (1986), pp. 97-105: Cramer-von Mises W2, Watson U2, Anderson-Darling A2.
* :func:`optimal_scale_factor` (CARA ``DetermineOptimalScaleFactor``): the factor ``s`` on the sigmas
  (covariance times ``s**2``) minimising the chosen EDF statistic of ``M2 / s**2`` against chi-square(3).

Residual components are in the covariance's units (any consistent unit); the engine is pure (arrays in, arrays
out). Tested against CARA's unit-test inputs and expected values in
``tests/space/test_realism_against_cara.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats
from scipy.interpolate import PchipInterpolator

#: chi-square(3) 95% quantile: the squared Mahalanobis radius of the 95% position ellipsoid.
CHI2_3_95 = float(stats.chi2.ppf(0.95, 3))

#: D'Agostino & Stephens (1986) Table 4.2, case 0 (fully specified distribution): upper-tail significance levels
#: and the critical values of the sample-size-modified W*, U* and A2 statistics.
EDF_SIGNIFICANCE = np.array([0.25, 0.15, 0.10, 0.05, 0.025, 0.01, 0.005, 0.001])
EDF_CRITICAL = np.array([[0.209, 0.284, 0.347, 0.461, 0.581, 0.743, 0.869, 1.167],   # W2 (Cramer-von Mises)
                         [0.105, 0.131, 0.152, 0.187, 0.222, 0.268, 0.304, 0.385],   # U2 (Watson)
                         [1.248, 1.610, 1.933, 2.492, 3.070, 3.880, 4.500, 6.000]])  # A2 (Anderson-Darling)
#: p-value flags outside the table: better than 0.25, worse than 0.001 (CARA's convention).
P_ABOVE_TABLE = 0.26
P_BELOW_TABLE = 0.0009


def mahalanobis2(residuals: np.ndarray, covariances: np.ndarray) -> np.ndarray:
    """Squared Mahalanobis distances ``e_i^T C_i^-1 e_i`` of residuals (n, k) against covariances (n, k, k) or
    one shared (k, k) covariance; dimensionless. Solved, not inverted; a singular covariance gives inf/NaN."""
    e = np.asarray(residuals, dtype=float)
    c = np.asarray(covariances, dtype=float)
    if c.ndim == 2:
        c = np.broadcast_to(c, (e.shape[0], *c.shape))
    x = np.linalg.solve(c, e[..., None])[..., 0]
    return np.einsum("ij,ij->i", e, x)


def fraction_inside(m2: np.ndarray, dof: int = 3, probability: float = 0.95) -> float:
    """Fraction of squared Mahalanobis distances inside the ``probability`` ellipsoid of a ``dof``-dimensional
    Gaussian (``M2 <= chi2_dof(probability)``); NaN distances count as outside. 0.95 expected when realistic."""
    m2 = np.asarray(m2, dtype=float)
    if m2.size == 0:
        raise ValueError("no distances")
    return float(np.mean(np.nan_to_num(m2, nan=np.inf) <= stats.chi2.ppf(probability, dof)))


def edf_statistics(z: np.ndarray) -> np.ndarray:
    """W2, U2 and A2 (rows) of each column of ``z`` (n, m): the hypothesised CDF evaluated at the sorted data
    (D'Agostino & Stephens 1986, eq. 4.2). Returns (3, m)."""
    z = np.sort(np.asarray(z, dtype=float), axis=0)
    n = z.shape[0]
    i = np.arange(1, n + 1, dtype=float)[:, None]
    w2 = np.sum((z - (2 * i - 1) / (2 * n)) ** 2, axis=0) + 1.0 / (12 * n)
    u2 = w2 - n * (z.mean(axis=0) - 0.5) ** 2
    with np.errstate(divide="ignore"):
        a2 = -n - np.sum((2 * i - 1) * np.log(z) + (2 * n + 1 - 2 * i) * np.log1p(-z), axis=0) / n
    return np.vstack([w2, u2, a2])


def modified_statistics(q: np.ndarray, n: int) -> np.ndarray:
    """Case-0 sample-size modifications: W* = (W2 - 0.4/n + 0.6/n^2)(1 + 1/n), U* = (U2 - 0.1/n + 0.1/n^2)
    (1 + 0.8/n), A2 unchanged. ``q`` (3, m) from :func:`edf_statistics`."""
    out = np.array(q, dtype=float, copy=True)
    out[0] = (q[0] - 0.4 / n + 0.6 / n**2) * (1 + 1.0 / n)
    out[1] = (q[1] - 0.1 / n + 0.1 / n**2) * (1 + 0.8 / n)
    return out


def p_values(modified: np.ndarray) -> np.ndarray:
    """Table p-values of modified statistics (3, m): linear interpolation in D'Agostino & Stephens' case-0
    table, :data:`P_ABOVE_TABLE` below its first critical value and :data:`P_BELOW_TABLE` beyond its last."""
    out = np.empty_like(modified, dtype=float)
    for row in range(3):
        q = modified[row]
        crit = EDF_CRITICAL[row]
        p = np.interp(q, crit, EDF_SIGNIFICANCE)
        p = np.where(q < crit[0], P_ABOVE_TABLE, p)
        out[row] = np.where(q > crit[-1], P_BELOW_TABLE, p)
    return out


def _cdf(x: np.ndarray, distribution: str) -> np.ndarray:
    if distribution == "normal":
        return stats.norm.cdf(x)
    if distribution == "chi2_3":
        return stats.chi2.cdf(x, 3)
    raise ValueError(f"unknown distribution {distribution!r}")


def full_spec_test(x: np.ndarray, distribution: str) -> tuple[np.ndarray, np.ndarray]:
    """Case-0 EDF tests of every column of ``x`` (n, m) (or one sample (n,)) against a fully specified
    ``normal`` (standard) or ``chi2_3`` distribution: (p-values (3, m), modified statistics (3, m)); rows W2,
    U2, A2."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    q = modified_statistics(edf_statistics(_cdf(x, distribution)), x.shape[0])
    return p_values(q), q


def _percent_failing(p: np.ndarray, significance: float) -> float:
    """Percentage of resampled trials whose p-value is at or below ``significance``: the empirical CDF of the
    p-values (with a step at each distinct value, ties split by 1e-7 per point as in CARA) interpolated by a
    monotone cubic (PCHIP) at ``significance``."""
    x = np.sort(p)
    n = x.size
    f = np.arange(1, n + 1) / n
    # Empirical CDF as MATLAB's ecdf gives it: the first point at (min, 0), then (x_k, F(x_k)) at each
    # distinct value.
    last = np.r_[x[1:] != x[:-1], True]
    xs = np.r_[x[0], x[last]]
    fs = np.r_[0.0, f[last]]
    xs = xs + np.arange(1, xs.size + 1) * 1e-7
    return float(PchipInterpolator(xs, fs * 100.0, extrapolate=True)(significance))


@dataclass(frozen=True)
class ResidualEvaluation:
    """CARA ``EvaluateResiduals`` outputs: each 3 x 4, rows W2 / U2 / A2, columns radial / in-track /
    cross-track / (chi-square column). p-values are table values (0.26 = above 0.25, 0.0009 = below 0.001);
    the resampled arrays give the percentage of trials failing at the significance level (U2 row left 0)."""

    normality_full: np.ndarray
    normality_resampled: np.ndarray
    chi2_full: np.ndarray
    chi2_resampled: np.ndarray
    m2: np.ndarray


def evaluate_residuals(residuals: np.ndarray, covariances: np.ndarray, scale_factor: float = 1.0, *,
                       trials: int = 10000, sample_size: int = 50, significance: float = 0.02,
                       rng: np.random.Generator | None = None) -> ResidualEvaluation:
    """CARA's ``EvaluateResiduals``: residuals (n, 3) and their position covariances (n, 3, 3), covariances
    multiplied by ``scale_factor**2``. Normalised components ``e_k / sqrt(C_kk)`` are tested against N(0, 1)
    and ``M2`` against chi-square(3), on the full set and on ``trials`` random subsets of ``sample_size``
    (drawn without replacement within a trial)."""
    e = np.asarray(residuals, dtype=float)
    c = np.asarray(covariances, dtype=float) * scale_factor**2
    rng = rng or np.random.default_rng(0)
    n = e.shape[0]
    picks = np.argpartition(rng.random((trials, n)), sample_size - 1, axis=1)[:, :sample_size].T  # (size, trials)
    normal_full = np.zeros((3, 4))
    normal_resampled = np.zeros((3, 4))
    for k in range(3):
        z = e[:, k] / np.sqrt(c[:, k, k])
        normal_full[:, k] = full_spec_test(z, "normal")[0][:, 0]
        p = full_spec_test(z[picks], "normal")[0]
        normal_resampled[0, k] = _percent_failing(p[0], significance)
        normal_resampled[2, k] = _percent_failing(p[2], significance)
    m2 = mahalanobis2(e, c)
    chi_full = np.zeros((3, 4))
    chi_resampled = np.zeros((3, 4))
    chi_full[:, 3] = full_spec_test(m2, "chi2_3")[0][:, 0]
    p = full_spec_test(m2[picks], "chi2_3")[0]
    chi_resampled[0, 3] = _percent_failing(p[0], significance)
    chi_resampled[2, 3] = _percent_failing(p[2], significance)
    return ResidualEvaluation(normal_full, normal_resampled, chi_full, chi_resampled, m2)


def _statistic_of_scale(s2: float, m2: np.ndarray, statistic: int) -> float:
    """Modified EDF statistic (row ``statistic``: 0 W2, 2 A2) of ``m2 / s2`` against chi-square(3)."""
    return float(full_spec_test(m2 / s2, "chi2_3")[1][statistic, 0])


def optimal_scale_factor(residuals: np.ndarray, covariances: np.ndarray, statistic: str = "cvm") -> float:
    """CARA's ``DetermineOptimalScaleFactor`` (full-set result): the factor ``s`` on the sigmas (covariances
    times ``s**2``) minimising the Cramer-von Mises (``cvm``) or Anderson-Darling (``ad``) statistic of the
    scaled squared Mahalanobis distances against chi-square(3). Dimensionless; 1 for a realistic covariance,
    below 1 for an oversized one."""
    row = {"cvm": 0, "ad": 2}[statistic]
    m2 = mahalanobis2(residuals, covariances)
    m2 = m2[np.isfinite(m2)]
    # The statistic is quasi-parabolic in log(s2): bracket on a coarse grid, then a bounded scalar search.
    grid = np.exp(np.linspace(np.log(1e-4), np.log(1e4), 161))
    values = [_statistic_of_scale(g, m2, row) for g in grid]
    best = int(np.argmin(values))
    lo, hi = np.log(grid[max(best - 1, 0)]), np.log(grid[min(best + 1, grid.size - 1)])
    found = optimize.minimize_scalar(lambda u: _statistic_of_scale(float(np.exp(u)), m2, row), bounds=(lo, hi),
                                     method="bounded", options={"xatol": 1e-8})
    return float(np.sqrt(np.exp(found.x)))
