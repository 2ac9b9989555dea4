"""Only the windows the data can serve, computed from the actuals, and a small cache of compact forecasts (review
finding 7: 35 forecasts for windows up to 2030 held 526 MiB).

- evaluate: the windows whose 12 months the actuals hold (2018-2023 with the shared actuals, Jan 2018 .. Apr 2024);
  forecast and warnings: those whose cut-off month (October of the year before) is within them (2019-2024); a
  shorter panel gives fewer windows (computed, not fixed years);
- the cache keeps :data:`kompas.warning.evaluate.CACHE_SIZE` forecasts, their samples as the smallest exact integer
  dtype: the values, hence every score, are identical (the shipped benchmarks compacted are bit-identical to the
  files' draws, whose scores equal the evaluation files: test_against_views_eval.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from kompas.warning import evaluate, load
from kompas.warning.baselines import MissingHistory
from kompas.warning.features import Forecast, month_id
from tests.warning.conftest import need_views


def test_windows_come_from_the_actuals(panel) -> None:
    assert evaluate.evaluation_windows(panel) == [2018, 2019, 2020, 2021, 2022, 2023]
    assert evaluate.forecast_windows(panel) == [2019, 2020, 2021, 2022, 2023, 2024]
    shorter = panel.until(month_id(2022, 9))  # ends September 2022: 2022 incomplete, 2023's cut-off not reached
    assert evaluate.evaluation_windows(shorter) == [2018, 2019, 2020, 2021]
    assert evaluate.forecast_windows(shorter) == [2019, 2020, 2021, 2022]


def test_windows_beyond_the_data_are_refused_before_any_work(panel) -> None:
    need_views()
    evaluate.clear_cache()
    for window in (2018, 2025, 2030):
        with pytest.raises(evaluate.OutsideData, match=f"window {window}: its cut-off .* windows that can be "
                                                       "forecast: 2019-2024"):
            evaluate.forecast("zero", window)
    assert issubclass(evaluate.OutsideData, MissingHistory)  # the API and CLI answer it as 422 / one line
    with pytest.raises(ValueError, match="unknown model 'views'"):
        evaluate.forecast("views", 2022)
    assert evaluate.cache_size() == 0, "nothing was built"


def test_the_cache_is_small_and_its_samples_compact(panel) -> None:
    need_views()
    evaluate.clear_cache()
    for seed in range(3):
        for window in (2022, 2023, 2024):
            for name in ("zero", "poisson", "conflictology"):
                evaluate.forecast(name, window, seed)
    assert evaluate.cache_size() == evaluate.CACHE_SIZE == 6
    # 6 forecasts of 2,292 cells x 1,000 draws at most 4 bytes each: 55 MB at most (float64: 110 MB)
    assert evaluate.cache_bytes() <= evaluate.CACHE_SIZE * 2292 * 1000 * 4
    made = evaluate.forecast("poisson", 2023, 2)
    assert made.samples.dtype.itemsize <= 4 and made.samples.dtype.kind in "ui", made.samples.dtype
    assert evaluate.forecast("zero", 2024, 2).samples.dtype == np.uint8
    rebuilt = evaluate.build("poisson", 2023, panel, seed=2)
    assert rebuilt.samples.dtype == np.float64 and np.array_equal(rebuilt.samples, made.samples)
    scored = evaluate.score(made, panel)
    assert (scored.crps, scored.ign, scored.mis) == tuple(getattr(evaluate.score(rebuilt, panel), k)
                                                          for k in ("crps", "ign", "mis")), "identical scores"
    evaluate.clear_cache()


def test_compact_keeps_every_value_exactly() -> None:
    months, countries = np.array([1, 1, 2]), np.array([5, 6, 5])
    whole = Forecast("m", 2020, months, countries, np.array([[0.0, 3.0], [70000.0, 1.0], [2.0, 0.0]]))
    assert whole.compact().samples.dtype == np.int32 and np.array_equal(whole.compact().samples, whole.samples)
    small = Forecast("m", 2020, months, countries, np.array([[0.0, 3.0], [255.0, 1.0], [2.0, 0.0]]))
    assert small.compact().samples.dtype == np.uint8
    halves = Forecast("m", 2020, months, countries, np.array([[0.5, 3.0], [7.25, 1.0], [2.0, 0.0]]))
    assert halves.compact().samples.dtype == np.float32
    assert np.array_equal(halves.compact().aligned(months, countries), halves.samples)
    fine = Forecast("m", 2020, months, countries, np.array([[0.1, 3.0], [7.0, 1.0], [2.0, np.nan]]))
    assert fine.compact() is fine, "0.1 is not exact in float32: kept as it is"


def test_shipped_benchmarks_compacted_are_bit_identical(panel) -> None:
    for model in sorted(load.SHIPPED):
        forecast = load.shipped_benchmark(model, 2022)
        compact = forecast.compact()
        assert compact.samples.dtype.kind in "ui" and compact.samples.nbytes * 2 <= forecast.samples.nbytes, model
        month_ids, country_ids, _ = load.shipped_scores(model, 2022, "crps")
        assert np.array_equal(compact.aligned(month_ids, country_ids), forecast.aligned(month_ids, country_ids))
