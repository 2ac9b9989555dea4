"""The three scores of the VIEWS 2023/24 prediction challenge, on sample ensembles (pure, numpy only).

A forecast of a country-month is an ensemble of samples (draws) of the number of state-based conflict fatalities
(UCDP GED "best", ``ged_sb``); each score compares one ensemble with the one observed count, lower is better:

- :func:`crps_ensemble`: the continuous ranked probability score of the ensemble's empirical distribution,
  ``mean|X - y| - mean|X - X'| / 2`` (Gneiting & Raftery 2007, eq. 21; the "non-fair" form that properscoring and
  xskillscore compute and the challenge uses). Unit: fatalities.
- :func:`interval_score`: the interval score of the central ``level`` prediction interval (Gneiting & Raftery 2007,
  sec. 6.2): its width plus ``2/alpha`` times the distance by which the observation falls outside; the bounds are
  the ensemble's ``alpha/2`` and ``1 - alpha/2`` quantiles with linear interpolation. The challenge reports its mean
  over cells (MIS) at ``level = 0.9``. Unit: fatalities.
- :func:`ignorance_score`: ``-log2`` of the probability the binned ensemble gives to the observation's bin, with the
  challenge's bins (:data:`VIEWS_BINS`) and its guard against zero probabilities (one extra member in each bin).
  Ensembles of another size than 1,000 are first resampled to 1,000 members with an FFT (``scipy.signal.resample``
  along the member axis, negative values set to 0), as the challenge's ``evaluate_submissions.py`` does, because
  the score depends on the ensemble size. Unit: bits.

Written from the challenge's evaluation code and paper (Hegre et al., "The 2023/24 VIEWS Prediction Challenge",
arXiv 2407.11045; github.com/prio-data/prediction_competition_2023), not copied from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.signal import resample

#: Bin edges of the challenge's ignorance score (fatalities); a value ``v`` falls in bin ``i`` when
#: ``edges[i] <= v < edges[i + 1]``, the last bin being ``v >= 1000.5``: 11 bins.
VIEWS_BINS: tuple[float, ...] = (0.0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5)
EXPECTED_SAMPLES = 1000  #: ensemble size the challenge scores IGN at (smaller or larger ensembles are resampled)
INTERVAL_LEVEL = 0.9  #: the challenge's prediction-interval level for MIS
CENSOR_MAX = 10e9  #: the challenge censors forecasts above 10 billion fatalities ("earth population")


def _prepare(observed: ArrayLike, samples: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``observed`` as a float vector (n,) and ``samples`` as a float matrix (n, draws), checked for shape and
    finiteness; samples above :data:`CENSOR_MAX` are censored to it as the challenge does."""
    y = np.asarray(observed, dtype=np.float64)
    x = np.asarray(samples, dtype=np.float64)
    if y.ndim != 1 or x.ndim != 2 or x.shape[0] != y.shape[0]:
        raise ValueError(f"observed must be (n,) and samples (n, draws); got {y.shape} and {x.shape}")
    if x.shape[1] == 0:
        raise ValueError("samples has no draws")
    if not (np.isfinite(y).all() and np.isfinite(x).all()):
        raise ValueError("observed and samples must be finite numbers (no NaN or infinity)")
    return y, np.minimum(x, CENSOR_MAX)


def crps_ensemble(observed: ArrayLike, samples: ArrayLike) -> NDArray[np.float64]:
    """The CRPS (fatalities) of each row of ``samples`` (n, draws) against ``observed`` (n,).

    ``mean_i |x_i - y| - (1 / 2 m^2) sum_ij |x_i - x_j|``; the double sum uses the sorted members
    (``sum_ij |x_i - x_j| = 2 sum_k (2k - m + 1) x_(k)``, k = 0..m-1), so a row costs one sort."""
    y, x = _prepare(observed, samples)
    m = x.shape[1]
    spread = np.abs(x - y[:, None]).mean(axis=1)
    ordered = np.sort(x, axis=1)
    weights = 2.0 * np.arange(m, dtype=np.float64) - m + 1.0
    pairs = 2.0 * (ordered @ weights)
    return np.asarray(spread - pairs / (2.0 * m * m), dtype=np.float64)


def interval_score(observed: ArrayLike, samples: ArrayLike, level: float = INTERVAL_LEVEL) -> NDArray[np.float64]:
    """The interval score (fatalities) of each row's central ``level`` interval: ``(u - l) + (2/alpha)(l - y)`` when
    ``y < l``, ``+ (2/alpha)(y - u)`` when ``y > u``, with ``alpha = 1 - level`` and ``l``, ``u`` the ``alpha/2``
    and ``1 - alpha/2`` quantiles of the row (linear interpolation, numpy's default)."""
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    y, x = _prepare(observed, samples)
    alpha = 1.0 - level
    lower, upper = np.quantile(x, [alpha / 2.0, 1.0 - alpha / 2.0], axis=1)
    below = (2.0 / alpha) * (lower - y) * (y < lower)
    above = (2.0 / alpha) * (y - upper) * (y > upper)
    return np.asarray(upper - lower + below + above, dtype=np.float64)


def resample_members(samples: ArrayLike, size: int = EXPECTED_SAMPLES) -> NDArray[np.float64]:
    """``samples`` (n, draws) resampled to ``size`` members per row by Fourier interpolation along the member axis
    (``scipy.signal.resample``, the challenge's choice), negative results set to 0. Rows with ``size`` members are
    returned as they are. The result depends on the members' order (a row is treated as a periodic signal), so
    the order of the draws must be the one the forecast was submitted in."""
    x = np.asarray(samples, dtype=np.float64)
    if x.shape[1] == size:
        return x
    out = np.asarray(resample(x, size, axis=1), dtype=np.float64)
    return np.where(out < 0, 0.0, out)


def ignorance_score(observed: ArrayLike, samples: ArrayLike, bins: Sequence[float] = VIEWS_BINS,
                    expected_samples: int = EXPECTED_SAMPLES) -> NDArray[np.float64]:
    """The ignorance score (bits) of each row of ``samples`` against ``observed``, as the challenge computes it:

    1. rows not of ``expected_samples`` members are resampled (:func:`resample_members`), then negatives set to 0;
    2. members and observation are binned with ``bins`` (bin ``i`` when ``bins[i] <= v < bins[i+1]``; the values
       at or above the last edge form bin ``len(bins) - 1``; ``len(bins)`` bins in all);
    3. one extra member is added to every bin, so that no bin has probability 0;
    4. the score is ``-log2(count in the observation's bin / (members + len(bins)))``."""
    edges = np.asarray(bins, dtype=np.float64)
    if edges.ndim != 1 or len(edges) < 2 or not np.all(np.diff(edges) > 0):
        raise ValueError("bins must be at least two increasing edges")
    y, x = _prepare(observed, samples)
    if (y < 0).any():
        raise ValueError("observed fatalities must be non-negative")
    x = resample_members(x, expected_samples)
    x = np.where(x < 0, 0.0, x)
    categories = len(edges)
    member_bins = np.digitize(x, edges) - 1  # 0 .. categories - 1 (no member is below the first edge, 0)
    observed_bins = np.digitize(y, edges) - 1
    hits = (member_bins == observed_bins[:, None]).sum(axis=1) + 1  # the observation's bin, plus its extra member
    return np.asarray(-np.log2(hits / (x.shape[1] + categories)), dtype=np.float64)


def scores(observed: ArrayLike, samples: ArrayLike) -> dict[str, NDArray[np.float64]]:
    """The challenge's three per-cell scores: ``{"crps": ..., "ign": ..., "mis": ...}`` (CRPS and MIS in
    fatalities on the samples as given, IGN in bits after resampling to 1,000 members)."""
    return {"crps": crps_ensemble(observed, samples), "ign": ignorance_score(observed, samples),
            "mis": interval_score(observed, samples)}
