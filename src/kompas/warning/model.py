"""Kompas's own conflict-fatality forecast (``kompas``): gradient boosting on conflict history, sampled (pure).

For window ``Y`` the model sees only a :class:`~kompas.warning.features.Restricted` (the panel up to October
``Y - 1`` and the context records known on 31 October ``Y - 1``), and forecasts the 12 months of ``Y`` as 1,000
samples per country-month:

1. **Mean on the log scale.** A histogram gradient-boosting regressor (scikit-learn
   ``HistGradientBoostingRegressor``, squared error) learns ``log1p(fatalities)`` at origin + lead from the features
   at the origin (:func:`kompas.warning.features.training_set`: every origin month of the history and every lead
   3..14 whose target month is on or before the cut-off), i.e. the conflict history (lags, rolling means, months
   since the last fatality, the land neighbours' history) and the context known at the origin (UCDP/PRIO conflict
   status, ND-GAIN, IPC, when :mod:`kompas.context` provides them).
2. **Spread from the model's own errors.** The training residuals on the log scale are pooled by the level of the
   prediction (:data:`LEVEL_EDGES`: zero-inflated counts have very different errors at different levels); a cell's
   draws are ``round(expm1(prediction + r))`` for residuals ``r`` drawn from its level's pool, floored at 0.
3. **Mixed with the country's own recent past.** A quarter of the draws (:attr:`ModelConfig.history_share`) are
   the country's monthly fatalities of the 12 months up to the cut-off, drawn uniformly: the conflictology
   benchmark's distribution. The mixture guards against the boosting's misses for conflicts that escalate or stop.

How the settings were chosen (windows 2020 and 2021 only, :data:`TUNING_WINDOWS`; 2022 and 2023 are out-of-sample,
never scored while choosing). From :data:`START` (the first version's settings: 150 iterations, 15 leaves, 40
samples a leaf, half the draws from history), one setting at a time in the order of :data:`CANDIDATES`,
each candidate was fitted on each window's data before its cut-off and scored by the mean CRPS over the window's
2,292 country-months; the candidate with the lowest mean over the two windows was kept (ties: the earlier one) and
the next setting tried from there. The learning rate (0.05), no L2 penalty, the residual levels (:data:`LEVEL_EDGES`,
:data:`MIN_POOL`), the 12 history months (those of the conflictology benchmark) and the 1,000 draws (the
challenge's) were fixed, not tuned. The figures (mean CRPS in deaths; in brackets the ratio to conflictology's 21.339
and 76.849; ``benchmarks/warning_forecasts.py --tune`` reruns it):

==== ================ ====== ================ ================ ==========
step setting          value  2020             2021             mean
==== ================ ====== ================ ================ ==========
1    max_iter         75     21.332 (1.000)   75.688 (0.985)   48.510 *
1    max_iter         150    21.469 (1.006)   76.114 (0.990)   48.792
1    max_iter         300    21.366 (1.001)   76.259 (0.992)   48.812
2    min_samples_leaf 20     21.327 (0.999)   75.717 (0.985)   48.522
2    min_samples_leaf 40     21.332 (1.000)   75.688 (0.985)   48.510
2    min_samples_leaf 80     21.190 (0.993)   75.734 (0.985)   48.462 *
3    max_leaf_nodes   7      21.195 (0.993)   75.988 (0.989)   48.592
3    max_leaf_nodes   15     21.190 (0.993)   75.734 (0.985)   48.462 *
3    max_leaf_nodes   31     21.397 (1.003)   76.212 (0.992)   48.804
4    history_share    0.0    21.570 (1.011)   75.338 (0.980)   48.454
4    history_share    0.25   21.355 (1.001)   75.448 (0.982)   48.401 *
4    history_share    0.5    21.190 (0.993)   75.734 (0.985)   48.462
4    history_share    0.75   21.199 (0.993)   76.216 (0.992)   48.708
==== ================ ====== ================ ================ ==========

Chosen (*): 75 iterations, 80 samples a leaf, 15 leaves, a quarter of the draws from history. The differences are
small (under 1 %); the draws' own noise, the chosen settings with seeds 0-4, is about 0.03 on a window's mean CRPS
(2020: 21.30-21.36, 2021: 75.43-75.48). On these two windows the model is about as good as conflictology (ratios
0.98-1.00): the scores of later windows in benchmarks/RESULTS.md are out-of-sample figures. One caveat remains: the
starting point, the fixed settings and the features are the first version's, which had been tried on 2020-2023;
every choice made here used 2020-2021 alone, but 2022-2023 are not entirely unseen by the model's design.

Everything random is seeded (:attr:`ModelConfig.seed`): the same data give bit-identical forecasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from kompas.warning.baselines import MissingHistory, seed_of
from kompas.warning.features import (
    LEADS,
    Forecast,
    Restricted,
    context_names,
    design,
    feature_names,
    last_month_by,
    month_label,
    training_set,
    window_months,
)

NAME = "kompas"
#: Edges (log1p fatalities) of the prediction levels whose residuals are pooled separately.
LEVEL_EDGES = (0.05, 0.5, 1.5, 3.0, 5.0, 7.0)
MIN_POOL = 50  #: a level with fewer training residuals borrows from the nearest levels
THREADS = 1  #: OpenMP threads of the boosting (its results do not depend on it)
HISTORY_MONTHS = 12  #: months of the country's own history the mixture draws from (and the model needs at least)


#: The windows the settings were chosen on (later windows are out-of-sample: never looked at while choosing).
TUNING_WINDOWS = (2020, 2021)


@dataclass(frozen=True)
class ModelConfig:
    """Settings of the Kompas model; the defaults were chosen on :data:`TUNING_WINDOWS` only (module docstring)."""

    max_iter: int = 75
    learning_rate: float = 0.05
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 80
    l2_regularization: float = 0.0
    draws: int = 1000
    history_share: float = 0.25  #: share of the draws taken from the country's last 12 months
    seed: int = 0
    leads: tuple[int, ...] = LEADS


#: Where the selection started (the settings before it) and the candidates it tried, one setting at a time in this
#: order (module docstring; ``benchmarks/warning_forecasts.py --tune`` reruns it).
START = ModelConfig(max_iter=150, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40, history_share=0.5)
CANDIDATES: tuple[tuple[str, tuple[float | int, ...]], ...] = (
    ("max_iter", (75, 150, 300)),
    ("min_samples_leaf", (20, 40, 80)),
    ("max_leaf_nodes", (7, 15, 31)),
    ("history_share", (0.0, 0.25, 0.5, 0.75)),
)


@dataclass
class Fitted:
    """A fitted model: the estimator, the context features it uses, the residual pools by level."""

    estimator: HistGradientBoostingRegressor
    names: tuple[str, ...]
    levels: NDArray[np.float64]  #: training predictions (log scale)
    residuals: NDArray[np.float64]  #: training residuals (log scale)
    rows: int
    config: ModelConfig = field(default_factory=ModelConfig)

    @property
    def columns(self) -> tuple[str, ...]:
        return feature_names(self.names)


def _check_history(data: Restricted, window: int) -> None:
    cut = last_month_by(data.cutoff)
    wanted = list(range(cut - HISTORY_MONTHS + 1, cut + 1))
    missing = data.panel.missing(wanted)
    if missing:
        held = (f"{month_label(data.panel.first_month)}..{month_label(data.panel.last_month)}"
                if data.panel.values.shape[1] else "nothing")
        raise MissingHistory(f"kompas {window} needs the monthly history {month_label(wanted[0])}.."
                             f"{month_label(wanted[-1])} to train on and draw from; missing: "
                             f"{', '.join(month_label(m) for m in missing)} (the actuals before the cut-off hold "
                             f"{held})")


def fit(data: Restricted, config: ModelConfig = ModelConfig()) -> Fitted:
    """Fit the model on everything in ``data`` (all of it on or before its cut-off, by construction)."""
    names = context_names(data.records)
    x, y = training_set(data, names, config.leads)
    if len(y) == 0:
        raise MissingHistory(f"no training pair (origin, origin + 3..14 months) fits before the cut-off "
                             f"{data.cutoff.isoformat()}")
    estimator = HistGradientBoostingRegressor(
        loss="squared_error", max_iter=config.max_iter, learning_rate=config.learning_rate,
        max_leaf_nodes=config.max_leaf_nodes, min_samples_leaf=config.min_samples_leaf,
        l2_regularization=config.l2_regularization, early_stopping=False, random_state=config.seed)
    target = np.log1p(y)
    with threadpool_limits(THREADS):  # OpenMP threads spin on a shared 2-core machine: one is faster and steady
        estimator.fit(x, target)
        levels = np.asarray(estimator.predict(x), dtype=np.float64)
    return Fitted(estimator, names, levels, target - levels, len(y), config)


def _residual_draws(fitted: Fitted, predicted: NDArray[np.float64], count: int,
                    rng: np.random.Generator) -> NDArray[np.float64]:
    """``count`` samples (fatalities) per row of ``predicted`` (log scale): prediction + residuals of its level."""
    edges = np.asarray(LEVEL_EDGES)
    cell_level = np.digitize(predicted, edges)
    train_level = np.digitize(fitted.levels, edges)
    out = np.empty((len(predicted), count))
    for level in np.unique(cell_level):
        pool = fitted.residuals[train_level == level]
        if len(pool) < MIN_POOL:  # borrow from the nearest levels until the pool is large enough
            distance = np.abs(train_level - level)
            limit = np.sort(distance)[min(len(distance) - 1, MIN_POOL * 4)]
            pool = fitted.residuals[distance <= limit]
        rows = cell_level == level
        picked = rng.choice(pool, size=(int(rows.sum()), count), replace=True)
        out[rows] = np.maximum(0.0, np.round(np.expm1(predicted[rows, None] + picked)))
    return out


def predict(fitted: Fitted, data: Restricted, window: int) -> Forecast:
    """The forecast of ``window`` (its 12 months for every country of the panel) from the cut-off month of
    ``data``: ``config.draws`` samples per cell, model draws first, then the history draws."""
    config = fitted.config
    _check_history(data, window)
    cut = last_month_by(data.cutoff)
    months = window_months(window)
    leads = [int(m - cut) for m in months]
    if min(leads) < 1:
        raise ValueError(f"window {window} starts before the cut-off {data.cutoff.isoformat()} ends")
    x = np.vstack([design(data, cut, lead, fitted.names) for lead in leads])
    with threadpool_limits(THREADS):
        predicted = np.asarray(fitted.estimator.predict(x), dtype=np.float64)
    rng = np.random.default_rng(seed_of(NAME, window, config.seed))
    from_history = int(round(config.draws * config.history_share))
    model_draws = _residual_draws(fitted, predicted, config.draws - from_history, rng)
    history = data.panel.block(cut - HISTORY_MONTHS + 1, cut)  # (countries, 12)
    picks = rng.integers(0, HISTORY_MONTHS, size=(len(months) * len(data.panel.countries), from_history))
    history_draws = np.take_along_axis(np.tile(history, (len(months), 1)), picks, axis=1)
    samples = np.hstack([model_draws, history_draws])
    month_ids = np.repeat(months, len(data.panel.countries))
    country_ids = np.tile(data.panel.countries, len(months))
    context = ", ".join(fitted.names) if fitted.names else "none"
    notes = (f"trained on {fitted.rows} country-month pairs up to {month_label(data.panel.last_month)} "
             f"(cut-off {data.cutoff.isoformat()})", f"context features: {context}",
             f"{config.draws - from_history} model draws + {from_history} from "
             f"{month_label(cut - HISTORY_MONTHS + 1)}..{month_label(cut)}")
    return Forecast(NAME, window, month_ids, country_ids, samples, notes)


def forecast(data: Restricted, window: int, config: ModelConfig = ModelConfig()) -> Forecast:
    """Fit on ``data`` and forecast ``window`` (see the module docstring)."""
    _check_history(data, window)
    return predict(fit(data, config), data, window)

