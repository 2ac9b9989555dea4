"""Scoring forecasts as the VIEWS 2023/24 challenge does: mean CRPS, IGN and MIS over a window's country-months.

:func:`score` is pure (a forecast and the panel of actuals in, a :class:`ModelScore` out). :func:`evaluate` is the
workflow the command line and the API call: it takes the actuals read once per process by
:mod:`kompas.warning.load` (or the data given), builds each model's forecast for the window (the four benchmarks
rebuilt by :mod:`kompas.warning.baselines`, the Kompas model of :mod:`kompas.warning.model`), caches it, and scores
it. A model that cannot be built for the window (no history before the cut-off) gets a score with ``error`` set.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kompas.warning import baselines, metrics
from kompas.warning import model as kompas_model
from kompas.warning.features import Dated, Forecast, Panel, cutoff_date, month_label, restrict, window_months

MODELS = ("conflictology", "poisson", "bootstrap", "zero", kompas_model.NAME)


class MissingActuals(ValueError):
    """The actuals do not cover a window's 12 months; the message names the months missing."""


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
                             f"(the actuals hold {month_label(panel.first_month)}..{month_label(panel.last_month)})")
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


@lru_cache(maxsize=64)
def _cached(name: str, window: int, seed: int) -> tuple[Forecast, float]:
    from kompas.warning import load

    views = load.views_data()
    context = load.context_data(views.folder) if name == kompas_model.NAME else load.ContextData()
    started = time.perf_counter()
    made = build(name, window, views.panel, context.records, context.neighbours, seed)
    if name == kompas_model.NAME and context.notes:
        made = Forecast(made.model, made.window, made.month_id, made.country_id, made.samples,
                        made.notes + context.notes)
    return made, time.perf_counter() - started


def forecast(name: str, window: int, seed: int = 0) -> Forecast:
    """Model ``name``'s forecast of ``window`` from the shared actuals, built once per process."""
    return _cached(name, window, seed)[0]


def evaluate(window: int, models: Sequence[str] = MODELS, seed: int = 0) -> list[ModelScore]:
    """Each of ``models`` scored over ``window`` (mean CRPS, IGN, MIS over its country-months, the challenge's
    way), from the shared actuals read once per process. Raises :class:`MissingActuals` when the window is not
    covered, ``ValueError`` for an unknown model, :class:`kompas.files.NoSuchPath` without ../shared."""
    from kompas.warning import load

    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"unknown model {unknown[0]!r}: one of {', '.join(MODELS)}")
    panel = load.views_data().panel
    window_actuals(panel, window)
    out: list[ModelScore] = []
    for name in dict.fromkeys(models or MODELS):
        before = _cached.cache_info().hits
        try:
            made, seconds = _cached(name, window, seed)
        except baselines.MissingHistory as error:
            out.append(ModelScore(name, window, None, None, None, 0, (), str(error)))
            continue
        result = score(made, panel)
        fresh = _cached.cache_info().hits == before
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
    _cached.cache_clear()
