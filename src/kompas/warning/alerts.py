"""Warnings from a forecast: thresholds on the probability of deadly conflict (pure).

A :class:`Threshold` says "warn when the probability of at least ``fatalities`` state-based conflict deaths in a
``span`` (a month, or the whole year of the window) is at least ``probability``". The probabilities are the shares of
a forecast's samples (:class:`kompas.warning.features.Forecast`):

- ``month``: per country, the months of the window in which P(fatalities >= threshold) >= probability; one warning
  per country naming those months and the peak one (UCDP's own floor for an armed conflict is 25 battle deaths in
  a year; 25 in a month is a clear signal);
- ``year``: per country, P(sum over the window's 12 months >= threshold), the year total of draw ``k`` being the
  sum of draw ``k`` over the months (the Kompas model and the Poisson benchmark draw months independently;
  1,000 a year is UCDP's threshold of a war).

Severity follows the probability (:func:`severity`). Each warning becomes an event through
:func:`kompas.core.envelope.from_warning` (domain ``intel``, type ``conflict-warning``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from kompas.warning.features import Forecast, month_label

Span = Literal["month", "year"]
#: Probability at or above which a warning is ``high``, ``medium`` (below: ``low``).
SEVERITY_BANDS = ((0.9, "high"), (0.7, "medium"))


@dataclass(frozen=True)
class Threshold:
    """Warn when P(fatalities >= ``fatalities`` in a ``span``) >= ``probability``."""

    fatalities: float = 25.0
    probability: float = 0.5
    span: Span = "month"

    def __post_init__(self) -> None:
        if self.span not in ("month", "year"):
            raise ValueError(f"span must be 'month' or 'year', got {self.span!r}")
        if not 0 < self.probability <= 1 or not self.fatalities > 0:
            raise ValueError("probability must be in (0, 1] and fatalities above 0")

    def describe(self) -> str:
        """``P(>= 25 deaths in a month) >= 0.5``."""
        return f"P(>= {self.fatalities:g} deaths in a {self.span}) >= {self.probability:g}"

    def as_dict(self) -> dict[str, Any]:
        return {"fatalities": self.fatalities, "probability": self.probability, "span": self.span}


DEFAULT_THRESHOLDS = (Threshold(25.0, 0.5, "month"), Threshold(1000.0, 0.5, "year"))


def severity(probability: float) -> str:
    """``high`` from 0.9, ``medium`` from 0.7, else ``low``."""
    for floor, label in SEVERITY_BANDS:
        if probability >= floor:
            return label
    return "low"


@dataclass(frozen=True)
class ConflictWarning:
    """One country's warning for one window under one threshold."""

    country_id: int
    country: str
    iso3: str
    window: int
    model: str
    threshold: Threshold
    probability: float  #: the peak month's (span month) or the year's probability
    months: tuple[int, ...]  #: month_ids at or above the threshold (span month), all 12 (span year)
    peak_month: int  #: month_id of the highest probability (span month), the window's last month (span year)
    expected_fatalities: float  #: mean of the samples: the peak month's, or the year's total
    notes: tuple[str, ...] = ()

    @property
    def severity(self) -> str:
        return severity(self.probability)

    def as_dict(self) -> dict[str, Any]:
        return {"country_id": self.country_id, "country": self.country, "iso3": self.iso3, "window": self.window,
                "model": self.model, "threshold": self.threshold.as_dict(), "probability": self.probability,
                "months": [month_label(m) for m in self.months], "peak_month": month_label(self.peak_month),
                "expected_fatalities": self.expected_fatalities, "severity": self.severity,
                "notes": list(self.notes)}


def warnings(forecast: Forecast, thresholds: Sequence[Threshold] = DEFAULT_THRESHOLDS,
             names: Mapping[int, str] | None = None, iso3: Mapping[int, str] | None = None) -> list[ConflictWarning]:
    """The warnings ``forecast`` raises under each of ``thresholds``, highest probability first (then country
    id). ``names`` and ``iso3`` map VIEWS country ids to names and ISO3 codes (missing: "")."""
    names, iso3 = names or {}, iso3 or {}
    countries = np.unique(forecast.country_id)
    months = np.unique(forecast.month_id)
    out: list[ConflictWarning] = []
    for threshold in thresholds:
        for country in countries:
            rows = np.flatnonzero(forecast.country_id == country)
            rows = rows[np.argsort(forecast.month_id[rows])]
            samples = forecast.samples[rows]
            if threshold.span == "month":
                probs = (samples >= threshold.fatalities).mean(axis=1)
                hit = probs >= threshold.probability
                if not hit.any():
                    continue
                peak = int(np.argmax(probs))
                out.append(ConflictWarning(
                    int(country), names.get(int(country), ""), iso3.get(int(country), ""), forecast.window,
                    forecast.model, threshold, float(probs[peak]), tuple(int(m) for m in forecast.month_id[rows][hit]),
                    int(forecast.month_id[rows][peak]), float(samples[peak].mean())))
            else:
                totals = samples.sum(axis=0)
                prob = float((totals >= threshold.fatalities).mean())
                if prob < threshold.probability:
                    continue
                covered = tuple(int(m) for m in forecast.month_id[rows])
                note = () if len(covered) == len(months) else (f"{len(covered)} of {len(months)} months forecast",)
                out.append(ConflictWarning(int(country), names.get(int(country), ""), iso3.get(int(country), ""),
                                           forecast.window, forecast.model, threshold, prob, covered,
                                           int(max(covered)), float(totals.mean()), note))
    return sorted(out, key=lambda w: (-w.probability, w.country_id, w.threshold.span))
