"""Coordinated surges: the same narrative cluster appearing across many outlets or languages within a short window.

For each narrative cluster, every window of :attr:`SurgeRule.window_days` days (sliding by one day) is tested:

- it holds at least ``min_cases`` cases of the cluster,
- spread over at least ``min_outlets`` distinct outlets or at least ``min_languages`` distinct languages,
- and far more cases than the cluster's own rate explains: at least ``min_ratio`` times the cases expected at the
  cluster's mean rate over the whole period analysed (never less than ``floor_per_week``), and a Poisson
  probability of that many or more below ``max_p``. Some 5,000 windows are tested on six years of EUvsDisinfo,
  so 1e-6 is about a Bonferroni bound at 0.5 %; ``-log10 p`` is the surge's score.

Overlapping qualifying windows of one cluster merge into one surge, running from its first to its last case
(``end_utc`` is the end of the last day). Each surge is a candidate alert carrying its evidence: the incidents,
outlets, languages and targets in it. Days are UTC calendar days given as integers (``date.toordinal()``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import poisson

from kompas.times import day_start_utc


@dataclass(frozen=True)
class SurgeRule:
    """Thresholds of a surge (defaults chosen on EUvsDisinfo 2015-2021; see the module docstring)."""

    window_days: int = 7
    min_cases: int = 5
    min_outlets: int = 4
    min_languages: int = 3
    min_ratio: float = 5.0
    max_p: float = 1e-6
    floor_per_week: float = 0.5


DEFAULT_RULE = SurgeRule()


@dataclass
class Surge:
    """One coordinated surge of a narrative cluster."""

    cluster_id: int
    start_day: int  #: first case, proleptic Gregorian ordinal
    end_day: int  #: last case (inclusive)
    indices: list[int]  #: positions of its cases in the inputs
    outlets: list[str]
    languages: list[str]
    targets: list[str] = field(default_factory=list)
    score: float = 0.0  #: -log10 of the Poisson tail probability of the strongest window
    expected: float = 0.0  #: cases the cluster's mean rate predicts in one window

    @property
    def start_utc(self) -> str:
        return day_start_utc(self.start_day)

    @property
    def end_utc(self) -> str:
        return day_start_utc(self.end_day + 1)


def detect(days: Sequence[int], clusters: Sequence[int], outlets: Sequence[Sequence[str]],
           languages: Sequence[Sequence[str]], targets: Sequence[Sequence[str]] | None = None,
           rule: SurgeRule | None = None, period_days: int | None = None) -> list[Surge]:
    """Surges in the cases given by their day, cluster (negative: none), outlets, languages and targets.

    ``period_days`` is the length of the period analysed (default: first to last day of the cases); the mean
    rate of a cluster is its number of cases over that length.
    """
    rule = rule or DEFAULT_RULE
    days_a = np.asarray(days, dtype=np.int64)
    labels = np.asarray(clusters, dtype=np.int64)
    if days_a.size == 0:
        return []
    span = period_days or int(days_a.max() - days_a.min() + 1)
    found = []
    for cluster in np.unique(labels[labels >= 0]):
        members = np.flatnonzero(labels == cluster)
        members = members[np.argsort(days_a[members], kind="stable")]
        member_days = days_a[members]
        expected = max(len(members) / max(span, rule.window_days), rule.floor_per_week / 7) * rule.window_days
        windows = []  # (first day, last day, p) of qualifying windows
        for start in np.unique(member_days):
            lo, hi = np.searchsorted(member_days, [start, start + rule.window_days])
            n = hi - lo
            if n < rule.min_cases:
                continue
            chosen = members[lo:hi]
            n_outlets = len({o for i in chosen for o in outlets[i]})
            n_languages = len({x for i in chosen for x in languages[i]})
            if n_outlets < rule.min_outlets and n_languages < rule.min_languages:
                continue
            if n < rule.min_ratio * expected:
                continue
            p = float(poisson.sf(n - 1, expected))
            if p < rule.max_p:
                windows.append((int(start), int(member_days[hi - 1]), p))
        found.extend(_merge(int(cluster), windows, members, member_days, outlets, languages, targets, expected))
    return sorted(found, key=lambda g: (g.start_day, -g.score))


def _merge(cluster: int, windows: list[tuple[int, int, float]], members: np.ndarray, member_days: np.ndarray,
           outlets: Sequence[Sequence[str]], languages: Sequence[Sequence[str]],
           targets: Sequence[Sequence[str]] | None, expected: float) -> list[Surge]:
    runs: list[list] = []
    for first, last, p in windows:
        if runs and first <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], last)
            runs[-1][2] = min(runs[-1][2], p)
        else:
            runs.append([first, last, p])
    out = []
    for first, last, p in runs:
        chosen = members[(member_days >= first) & (member_days <= last)].tolist()
        count = Counter(t for i in chosen for t in (targets[i] if targets else ()))
        out.append(Surge(cluster, first, last, chosen,
                         sorted({o for i in chosen for o in outlets[i]}),
                         sorted({x for i in chosen for x in languages[i]}),
                         [t for t, _ in count.most_common(5)],
                         score=float(-np.log10(max(p, 1e-300))), expected=expected))
    return out
