"""The four benchmarks of the VIEWS 2023/24 challenge, rebuilt from the actuals (pure).

Every benchmark of window ``Y`` reads the panel only up to the cut-off month, October ``Y - 1``
(:func:`kompas.warning.features.cutoff_month`), and forecasts the 12 months of ``Y`` for every country of the panel:

- ``conflictology``: 12 draws per country-month, the country's own fatalities in the 12 months Nov(Y-2)..Oct(Y-1),
  draw ``d`` being month Nov(Y-2) + d (the order the challenge's files have, which its IGN resampling depends on);
  the same 12 draws for each month of the window. Deterministic.
- ``poisson`` (the challenge's "last historical Poisson", ``bm_last_historical_poisson``): 1,000 Poisson draws per
  country-month with mean the country's fatalities in October ``Y - 1``, drawn anew for every month.
- ``bootstrap`` (``bm_boot_240``): 1,000 draws per country-month taken with replacement from one global pool, the
  fatalities of every country in every month of the last 240 months up to the cut-off (Nov(Y-21)..Oct(Y-1)).
  The challenge's benchmark script (``benchmark.py``, ``global_bootstrap``) pools all units; the 240-month depth is
  read from the benchmark's name and its draws (the ~48,000-fatality month of May 2000 is in the pool up to window
  2020 and gone from 2021). The shipped actuals start in January 2018, so a rebuilt pool holds only the months
  from then on (46 of 240 for window 2022); the forecast's ``notes`` say how many.
- ``zero``: 1,000 zeros per country-month.

A benchmark whose history is not in the panel raises :class:`MissingHistory` naming the months it lacks (windows
2018 and 2019 need months of 2016-2017 that the shipped actuals do not hold). The random ones are seeded
(:func:`seed_of`): the same call gives the same draws.
"""

from __future__ import annotations

import zlib

import numpy as np

from kompas.warning.features import Forecast, Panel, cutoff_month, month_label, window_months

BENCHMARKS = ("conflictology", "poisson", "bootstrap", "zero")
DRAWS = 1000  #: draws of the random benchmarks and of zero (conflictology has 12)
POOL_MONTHS = 240  #: depth of the bootstrap pool (months up to the cut-off)
MIN_POOL_MONTHS = 12  #: fewer months of history than this and the bootstrap is refused


class MissingHistory(ValueError):
    """A benchmark needs months of history the panel does not hold; the message names them."""


def seed_of(model: str, window: int, seed: int = 0) -> int:
    """The seed of ``model``'s draws for ``window`` (stable across runs and machines; ``seed`` shifts it)."""
    return (zlib.crc32(f"{model}:{window}".encode()) + seed) % (2**32)


def _require(panel: Panel, months: list[int], model: str, window: int) -> None:
    missing = panel.missing(months)
    if missing:
        have = (f"the actuals hold {month_label(panel.first_month)}..{month_label(panel.last_month)}"
                if panel.values.size else "the actuals hold no month")
        raise MissingHistory(f"{model} {window} needs {month_label(months[0])}..{month_label(months[-1])}; "
                             f"missing: {', '.join(month_label(m) for m in missing)} ({have})")


def _cells(panel: Panel, window: int) -> tuple[np.ndarray, np.ndarray]:
    months = window_months(window)
    return np.repeat(months, len(panel.countries)), np.tile(panel.countries, len(months))


def conflictology(panel: Panel, window: int) -> Forecast:
    """The conflictology benchmark: each country's 12 months Nov(Y-2)..Oct(Y-1) as 12 draws, for every month."""
    cut = cutoff_month(window)
    history = list(range(cut - 11, cut + 1))
    seen = panel.until(cut)
    _require(seen, history, "conflictology", window)
    draws = seen.block(history[0], history[-1])  # (countries, 12), draw d = month Nov(Y-2) + d
    month_ids, country_ids = _cells(panel, window)
    return Forecast("conflictology", window, month_ids, country_ids, np.tile(draws, (12, 1)),
                    (f"draws: {month_label(history[0])}..{month_label(history[-1])}",))


def poisson(panel: Panel, window: int, draws: int = DRAWS, seed: int = 0) -> Forecast:
    """The last-historical Poisson benchmark: ``draws`` Poisson draws per country-month around October ``Y - 1``."""
    cut = cutoff_month(window)
    seen = panel.until(cut)
    _require(seen, [cut], "poisson", window)
    rate = seen.column(cut)
    month_ids, country_ids = _cells(panel, window)
    rng = np.random.default_rng(seed_of("poisson", window, seed))
    samples = rng.poisson(np.tile(rate, 12)[:, None], size=(len(month_ids), draws)).astype(np.float64)
    return Forecast("poisson", window, month_ids, country_ids, samples, (f"mean: {month_label(cut)}",))


def bootstrap(panel: Panel, window: int, draws: int = DRAWS, seed: int = 0, months: int = POOL_MONTHS,
              min_months: int = MIN_POOL_MONTHS) -> Forecast:
    """The bootstrap benchmark: ``draws`` draws per country-month from the global pool of the last ``months``
    months up to the cut-off (the months the panel holds; at least ``min_months`` of them, else
    :class:`MissingHistory`)."""
    cut = cutoff_month(window)
    seen = panel.until(cut)
    wanted = list(range(cut - months + 1, cut + 1))
    held = [m for m in wanted if np.isfinite(seen.column(m)).any()]
    if len(held) < min_months:
        _require(seen, wanted[-min_months:], "bootstrap", window)
    block = seen.block(held[0], held[-1])
    pool = block[np.isfinite(block)]
    month_ids, country_ids = _cells(panel, window)
    rng = np.random.default_rng(seed_of("bootstrap", window, seed))
    samples = rng.choice(pool, size=(len(month_ids), draws), replace=True).astype(np.float64)
    note = (f"pool: {len(held)} of {months} months ({month_label(held[0])}..{month_label(held[-1])}), "
            f"{len(pool)} country-months")
    if len(held) < months:
        note += f"; the challenge's pool reached back to {month_label(wanted[0])}, before the actuals start"
    return Forecast("bootstrap", window, month_ids, country_ids, samples, (note,))


def zero(panel: Panel, window: int, draws: int = DRAWS) -> Forecast:
    """The zero benchmark: ``draws`` zeros per country-month."""
    month_ids, country_ids = _cells(panel, window)
    return Forecast("zero", window, month_ids, country_ids, np.zeros((len(month_ids), draws)))


def benchmark(name: str, panel: Panel, window: int, seed: int = 0) -> Forecast:
    """The benchmark ``name`` (one of :data:`BENCHMARKS`) rebuilt for ``window``."""
    if name == "conflictology":
        return conflictology(panel, window)
    if name == "poisson":
        return poisson(panel, window, seed=seed)
    if name == "bootstrap":
        return bootstrap(panel, window, seed=seed)
    if name == "zero":
        return zero(panel, window)
    raise ValueError(f"unknown benchmark {name!r}: one of {', '.join(BENCHMARKS)}")
