"""Judgements scored: Brier score, Murphy's decomposition, calibration bins, and the same per team and product line.

A resolved key judgement is a probability forecast of a binary event: its probability ``f`` (fraction of 1) and
its outcome ``o`` (1 when what it judged would happen happened). For ``n`` of them:

- **Brier score** (Brier 1950): ``BS = mean((f - o)^2)``, 0 perfect, 1 worst; always saying 0.5 scores 0.25.
- **Murphy's decomposition** (Murphy 1973, "A new vector partition of the probability score"): with the forecasts
  sorted into bins ``k`` holding ``n_k`` forecasts of mean ``f_k`` and observed frequency ``o_k``, and the base
  rate ``o_bar``::

      REL = sum(n_k (f_k - o_k)^2) / n          reliability (calibration error: lower is better)
      RES = sum(n_k (o_k - o_bar)^2) / n        resolution (how far outcomes differ between bins: higher is better)
      UNC = o_bar (1 - o_bar)                   uncertainty (of the events themselves)
      BS  = REL - RES + UNC                     exactly, when every forecast in a bin has the same value

  When forecasts within a bin differ, two within-bin terms (Stephenson, Coelho and Jolliffe 2008, "Two extra
  components in the Brier score decomposition") close the identity exactly:
  ``BS = REL - RES + UNC + WBV - WBC``, ``WBV = sum((f - f_k)^2) / n`` and
  ``WBC = 2 sum((f - f_k)(o - o_k)) / n``; :class:`Decomposition` reports both (0 for binned forecasts).
- **Calibration bins** (:class:`Bin`): per bin, its edges, the number of forecasts, their mean and the observed
  frequency: the points of the reliability diagram (:mod:`kompas.intel.plots`).

**Bins.** ``bins`` is a number of equal-width bins on [0, 1], or the edges themselves. A bin is ``(low, high]``,
the first ``[0, high]``, as :func:`sklearn.calibration.calibration_curve` bins. The default, :data:`ICD203_EDGES`,
puts one ICD 203 band in each bin: judgements are scored at their band's midpoint (below), so each bin holds one
forecast value and Murphy's three terms add up to the Brier score exactly.

**A judgement's probability** is the midpoint of its likelihood word's ICD 203 band (``likely``, 55-80 %, is
0.675; :func:`kompas.intel.language.midpoint`), unless the analysts stated a probability (within the band), which
is then used (:attr:`kompas.intel.model.KeyJudgement.forecast`). The midpoint is the choice that assumes nothing
beyond the band the word commits to.

Pure: arrays in, numbers out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kompas.intel.language import ICD203
from kompas.intel.model import Assessment

__all__ = ["GROUP_KEYS", "ICD203_EDGES", "Bin", "Decomposition", "Scored", "bin_edges", "brier", "by_group",
           "calibration", "decompose", "scored"]

#: Bin edges with one ICD 203 band in each bin (the bands' shared boundaries; 0 and 1 at the ends).
ICD203_EDGES = (0.0, *(b.high for b in ICD203.bands[:-1]), 1.0)
GROUP_KEYS = ("team", "product_line")


def _arrays(probs: Iterable[float], outcomes: Iterable[bool | int]) -> tuple[np.ndarray, np.ndarray]:
    """The forecasts (float) and outcomes (0/1 float) as arrays; ``ValueError`` for different lengths, none at
    all, a probability outside [0, 1] (or not finite) or an outcome other than 0/1/True/False."""
    f = np.asarray(list(probs), dtype=float)
    raw = list(outcomes)
    if f.ndim != 1 or f.size != len(raw):
        raise ValueError(f"forecasts and outcomes differ in number ({f.size} and {len(raw)})")
    if f.size == 0:
        raise ValueError("no forecasts to score")
    bad = ~np.isfinite(f) | (f < 0) | (f > 1)
    if bad.any():
        raise ValueError(f"forecast {int(np.argmax(bad))} is not a probability in [0, 1]: {f[bad][0]!r}")
    for i, value in enumerate(raw):
        if not (isinstance(value, bool | np.bool_) or (isinstance(value, int | np.integer) and value in (0, 1))):
            raise ValueError(f"outcome {i} is not 0/1 or true/false: {value!r}")
    return f, np.asarray(raw, dtype=float)


def brier(probs: Iterable[float], outcomes: Iterable[bool | int]) -> float:
    """Brier score: the mean squared difference between forecast probabilities and 0/1 outcomes."""
    f, o = _arrays(probs, outcomes)
    return float(np.mean((f - o) ** 2))


def bin_edges(bins: int | Sequence[float] = ICD203_EDGES) -> np.ndarray:
    """The edges of ``bins``: ``k`` equal-width bins on [0, 1], or the given edges (increasing, from 0 to 1)."""
    if isinstance(bins, int | np.integer):
        if bins < 1:
            raise ValueError(f"at least one bin, got {bins}")
        return np.linspace(0.0, 1.0, int(bins) + 1)
    edges = np.asarray(bins, dtype=float)
    if edges.ndim != 1 or edges.size < 2 or edges[0] != 0.0 or edges[-1] != 1.0 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"bin edges rise strictly from 0 to 1, got {list(bins)}")
    return edges


@dataclass(frozen=True)
class Bin:
    """One calibration bin: edges ``(low, high]`` (fractions), ``count`` of forecasts in it, their mean
    ``forecast`` and the ``observed`` frequency of the event among them."""

    low: float
    high: float
    count: int
    forecast: float
    observed: float

    def as_dict(self) -> dict[str, float | int]:
        return {"low": self.low, "high": self.high, "count": self.count, "forecast": self.forecast,
                "observed": self.observed}


def _bin_ids(f: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.searchsorted(edges[1:-1], f, side="left")  # (low, high], the first [0, high]: as sklearn


def calibration(probs: Iterable[float], outcomes: Iterable[bool | int],
                bins: int | Sequence[float] = ICD203_EDGES) -> list[Bin]:
    """The non-empty calibration bins, lowest first."""
    f, o = _arrays(probs, outcomes)
    return _bins(f, o, bin_edges(bins))


def _bins(f: np.ndarray, o: np.ndarray, edges: np.ndarray) -> list[Bin]:
    ids = _bin_ids(f, edges)
    k = edges.size - 1
    counts = np.bincount(ids, minlength=k)
    f_sum = np.bincount(ids, weights=f, minlength=k)
    o_sum = np.bincount(ids, weights=o, minlength=k)
    return [Bin(float(edges[i]), float(edges[i + 1]), int(counts[i]), float(f_sum[i] / counts[i]),
                float(o_sum[i] / counts[i])) for i in range(k) if counts[i]]


@dataclass(frozen=True)
class Decomposition:
    """Brier score and its parts (see the module docstring): ``brier = reliability - resolution + uncertainty +
    within_variance - within_covariance`` to rounding; the last two are 0 when every bin holds one forecast value."""

    n: int
    brier: float
    reliability: float
    resolution: float
    uncertainty: float
    base_rate: float  #: observed frequency of the events over all forecasts
    within_variance: float
    within_covariance: float
    bins: tuple[Bin, ...]

    @property
    def murphy(self) -> float:
        """``reliability - resolution + uncertainty``: the Brier score of the forecasts replaced by their bins'
        means."""
        return self.reliability - self.resolution + self.uncertainty

    @property
    def skill(self) -> float | None:
        """Brier skill score against always forecasting the base rate, ``1 - brier / uncertainty``; None when
        the events never or always happened (no uncertainty)."""
        return None if self.uncertainty == 0 else 1.0 - self.brier / self.uncertainty

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "brier": self.brier, "reliability": self.reliability, "resolution": self.resolution,
                "uncertainty": self.uncertainty, "base_rate": self.base_rate,
                "within_variance": self.within_variance, "within_covariance": self.within_covariance,
                "skill": self.skill, "bins": [b.as_dict() for b in self.bins]}


def decompose(probs: Iterable[float], outcomes: Iterable[bool | int],
              bins: int | Sequence[float] = ICD203_EDGES) -> Decomposition:
    """Brier score, Murphy's reliability, resolution and uncertainty, the two within-bin terms, and the bins."""
    f, o = _arrays(probs, outcomes)
    edges = bin_edges(bins)
    n = f.size
    ids = _bin_ids(f, edges)
    k = edges.size - 1
    counts = np.bincount(ids, minlength=k).astype(float)
    seen = counts > 0
    f_k = np.divide(np.bincount(ids, weights=f, minlength=k), counts, out=np.zeros(k), where=seen)
    o_k = np.divide(np.bincount(ids, weights=o, minlength=k), counts, out=np.zeros(k), where=seen)
    base = float(o.mean())
    reliability = float(np.sum(counts * (f_k - o_k) ** 2) / n)
    resolution = float(np.sum(counts * (o_k - base) ** 2) / n)
    within_variance = float(np.sum((f - f_k[ids]) ** 2) / n)
    within_covariance = float(2 * np.sum((f - f_k[ids]) * (o - o_k[ids])) / n)
    return Decomposition(n, float(np.mean((f - o) ** 2)), reliability, resolution, base * (1 - base), base,
                         within_variance, within_covariance, tuple(_bins(f, o, edges)))


@dataclass(frozen=True)
class Scored:
    """One resolved judgement as a forecast: ``probability`` (fraction of 1), ``outcome``, and the ``team`` and
    ``product_line`` of its assessment (and its ``likelihood`` word)."""

    probability: float
    outcome: bool
    team: str = ""
    product_line: str = ""
    likelihood: str = ""


def scored(assessments: Iterable[Assessment]) -> list[Scored]:
    """The resolved judgements of ``assessments`` as forecasts (unresolved ones are left out: they have no
    outcome yet)."""
    return [Scored(kj.forecast, bool(kj.outcome), a.team, a.product_line, kj.likelihood)
            for a in assessments for kj in a.key_judgements if kj.outcome is not None]


def by_group(items: Iterable[Scored], key: str = "team",
             bins: int | Sequence[float] = ICD203_EDGES) -> dict[str, Decomposition]:
    """The decomposition per value of ``key`` (``team`` or ``product_line``), groups sorted by name; groups
    with no judgement do not appear."""
    if key not in GROUP_KEYS:
        raise ValueError(f"group by one of {', '.join(GROUP_KEYS)}, not {key!r}")
    groups: dict[str, list[Scored]] = {}
    for item in items:
        groups.setdefault(getattr(item, key), []).append(item)
    return {name: decompose([s.probability for s in rows], [s.outcome for s in rows], bins)
            for name, rows in sorted(groups.items())}
