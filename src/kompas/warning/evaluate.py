"""Scoring forecasts as the VIEWS 2023/24 challenge does: mean CRPS, IGN and MIS over a window's country-months.

:func:`score` is pure (a forecast and the panel of actuals in, a :class:`ModelScore` out). :func:`evaluate` is the
workflow the command line and the API call: it takes the actuals read once per process by
:mod:`kompas.warning.load` (or the data given), builds each model's forecast for the window (the four benchmarks
rebuilt by :mod:`kompas.warning.baselines`, the Kompas model of :mod:`kompas.warning.model`), caches it, and scores
it. A model that cannot be built for the window (no history before the cut-off) gets a score with ``error`` set.

Only the windows the data can serve are accepted, computed from the actuals (not fixed years):
:func:`evaluation_windows` (all 12 months observed: 2018-2023 with the shared actuals, Jan 2018 .. Apr 2024) for
:func:`evaluate`, :func:`forecast_windows` (the cut-off month, October of the year before, within the actuals:
2019-2024) for :func:`forecast`. The cache holds at most :data:`CACHE_SIZE` forecasts, their samples in the smallest
dtype that holds them exactly (:meth:`~kompas.warning.features.Forecast.compact`: counts of deaths are whole, so
int32 or smaller; the scores are unchanged), so a process holds a few tens of MiB of forecasts at most.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kompas.warning import baselines, metrics
from kompas.warning import model as kompas_model
from kompas.warning.features import (
    Dated,
    Forecast,
    Panel,
    cutoff_date,
    cutoff_month,
    month_label,
    month_of,
    restrict,
    window_months,
)

MODELS = ("conflictology", "poisson", "bootstrap", "zero", kompas_model.NAME)
CACHE_SIZE = 6  #: forecasts kept per process (a window's five models and one more)


class MissingActuals(ValueError):
    """The actuals do not cover a window's 12 months; the message names the months missing."""


class OutsideData(baselines.MissingHistory):
    """A window whose cut-off month lies outside the actuals (nothing to forecast it from, or a cut-off not reached
    yet); the message names the windows that can be forecast."""


def evaluation_windows(panel: Panel) -> list[int]:
    """The windows whose 12 months the actuals all hold (2018-2023 with the shared actuals)."""
    if not panel.values.size:
        return []
    first, last = month_of(panel.first_month)[0], month_of(panel.last_month)[0]
    return [y for y in range(first, last + 1) if not panel.missing([int(m) for m in window_months(y)])]


def forecast_windows(panel: Panel) -> list[int]:
    """The windows whose cut-off month (October of the year before) lies within the actuals (2019-2024 with the
    shared actuals, Jan 2018 .. Apr 2024): the only ones a forecast can start from."""
    if not panel.values.size:
        return []
    first, last = month_of(panel.first_month)[0], month_of(panel.last_month)[0]
    return [y for y in range(first, last + 2) if panel.first_month <= cutoff_month(y) <= panel.last_month]


def _span(windows: Sequence[int]) -> str:
    return f"{windows[0]}-{windows[-1]}" if windows else "none"


def check_forecast_window(panel: Panel, window: int) -> None:
    """Raise :class:`OutsideData` unless ``window`` is one of :func:`forecast_windows`."""
    allowed = forecast_windows(panel)
    if window not in allowed:
        raise OutsideData(f"window {window}: its cut-off {cutoff_date(window).isoformat()} is outside the actuals "
                          f"({month_label(panel.first_month)}..{month_label(panel.last_month)}); windows that can "
                          f"be forecast: {_span(allowed)}")


@dataclass(frozen=True)
class ModelScore:
    """One model's mean scores over one window: CRPS and MIS in fatalities, IGN in bits (None with ``error``)."""

    model: str
    window: int
    crps: float | None
    ign: float | None
    mis: float | None
    cells: int
    notes: tuple[str, ...] = ()
    error: str = ""
    seconds: float = 0.0  #: time taken to build the forecast (s), cached forecasts count 0

    def as_dict(self) -> dict[str, Any]:
        """``model, window, crps, ign, mis, cells`` (+ ``notes``, and ``error`` when the model could not run)."""
        out: dict[str, Any] = {"model": self.model, "window": self.window, "crps": self.crps, "ign": self.ign,
                               "mis": self.mis, "cells": self.cells, "notes": list(self.notes)}
        if self.error:
            out["error"] = self.error
        return out


def window_actuals(panel: Panel, window: int) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """The window's country-months and their observed fatalities (month then country); raises
    :class:`MissingActuals` naming the months the panel does not cover."""
    months = [int(m) for m in window_months(window)]
    missing = panel.missing(months)
    if missing:
        raise MissingActuals(f"window {window}: no actuals for {', '.join(month_label(m) for m in missing)} "
                             f"(the actuals hold {month_label(panel.first_month)}..{month_label(panel.last_month)}; "
                             f"windows that can be evaluated: {_span(evaluation_windows(panel))})")
    return panel.cells(months)


def score(forecast: Forecast, panel: Panel) -> ModelScore:
    """The challenge's mean scores of ``forecast`` over its window's country-months in ``panel``."""
    month_ids, country_ids, observed = window_actuals(panel, forecast.window)
    samples = forecast.aligned(month_ids, country_ids)
    cells = metrics.scores(observed, samples)
    return ModelScore(forecast.model, forecast.window, float(cells["crps"].mean()), float(cells["ign"].mean()),
                      float(cells["mis"].mean()), len(observed), forecast.notes)


def build(name: str, window: int, panel: Panel, records: Sequence[Dated] = (),
          neighbours: dict[int, frozenset[int]] | None = None, seed: int = 0) -> Forecast:
    """Model ``name``'s forecast of ``window`` from ``panel`` (and, for ``kompas``, the context ``records`` and
    ``neighbours``); every model sees only what was known on the window's cut-off."""
    if name in baselines.BENCHMARKS:
        return baselines.benchmark(name, panel, window, seed=seed)
    if name == kompas_model.NAME:
        data = restrict(panel, records, cutoff_date(window), neighbours)
        return kompas_model.forecast(data, window, kompas_model.ModelConfig(seed=seed))
    raise ValueError(f"unknown model {name!r}: one of {', '.join(MODELS)}")


_CACHE: OrderedDict[tuple[str, int, int], tuple[Forecast, float]] = OrderedDict()
_LOCK = threading.Lock()


def _cached(name: str, window: int, seed: int) -> tuple[Forecast, float, bool]:
    """(forecast, seconds it took to build, built now) of model ``name`` for ``window``: the last
    :data:`CACHE_SIZE` used are kept (least recently used dropped first), with compact samples."""
    from kompas.warning import load

    key = (name, window, seed)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return (*_CACHE[key], False)
    views = load.views_data()
    context = load.context_data(views.folder) if name == kompas_model.NAME else load.ContextData()
    started = time.perf_counter()
    made = build(name, window, views.panel, context.records, context.neighbours, seed)
    if name == kompas_model.NAME and context.notes:
        made = Forecast(made.model, made.window, made.month_id, made.country_id, made.samples,
                        made.notes + context.notes)
    entry = (made.compact(), time.perf_counter() - started)
    with _LOCK:
        _CACHE[key] = entry
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return (*entry, True)


def cache_bytes() -> int:
    """Bytes of the samples the cache holds now."""
    with _LOCK:
        return sum(f.samples.nbytes for f, _ in _CACHE.values())


def cache_size() -> int:
    """Forecasts the cache holds now (at most :data:`CACHE_SIZE`)."""
    with _LOCK:
        return len(_CACHE)


def forecast(name: str, window: int, seed: int = 0) -> Forecast:
    """Model ``name``'s forecast of ``window`` from the shared actuals (one of :func:`forecast_windows`, else
    :class:`OutsideData`), cached per process (the last :data:`CACHE_SIZE`)."""
    from kompas.warning import load

    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}: one of {', '.join(MODELS)}")
    check_forecast_window(load.views_data().panel, window)
    return _cached(name, window, seed)[0]


def evaluate(window: int, models: Sequence[str] = MODELS, seed: int = 0) -> list[ModelScore]:
    """Each of ``models`` scored over ``window`` (mean CRPS, IGN, MIS over its country-months, the challenge's
    way), from the shared actuals read once per process. Raises :class:`MissingActuals` when the window is not
    one of :func:`evaluation_windows`, ``ValueError`` for an unknown model, :class:`kompas.files.NoSuchPath`
    without ../shared."""
    from kompas.warning import load

    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"unknown model {unknown[0]!r}: one of {', '.join(MODELS)}")
    panel = load.views_data().panel
    window_actuals(panel, window)
    out: list[ModelScore] = []
    for name in dict.fromkeys(models or MODELS):
        try:
            made, seconds, fresh = _cached(name, window, seed)
        except baselines.MissingHistory as error:
            out.append(ModelScore(name, window, None, None, None, 0, (), str(error)))
            continue
        result = score(made, panel)
        out.append(ModelScore(result.model, window, result.crps, result.ign, result.mis, result.cells, result.notes,
                              "", seconds if fresh else 0.0))
    return out


def crps_ratio(scores: Sequence[ModelScore], model: str = kompas_model.NAME,
               against: str = "conflictology") -> float | None:
    """``model``'s mean CRPS over ``against``'s in ``scores`` (below 1: better than the benchmark), or None."""
    found = {s.model: s.crps for s in scores}
    mine, theirs = found.get(model), found.get(against)
    if mine is None or theirs is None or theirs == 0 or math.isnan(theirs):
        return None
    return mine / theirs


def clear_cache() -> None:
    """Forget the forecasts built in this process."""
    with _LOCK:
        _CACHE.clear()
