"""Reference: Kompas's scores of the challenge's own benchmark draws equal the challenge evaluation files.

The files (../shared/data/early-warning/views/submission/<benchmark>/eval/cm/window=Y<year>/metric=<m>/<m>.csv) are a
run of the challenge's evaluate_submissions.py (PROVENANCE.md). For all four benchmarks and windows 2018-2022, per
country-month: CRPS and MIS to 1e-6 (the brief's tolerance; we reach ~1e-11, summation order), IGN exactly (to 1e-9:
same bins, same FFT resampling of the 12-member conflictology ensembles, and no cell lies within rounding of a bin
edge). The draws are scored as the forecast cache holds them, compacted to the smallest exact integer dtype
(:meth:`kompas.warning.features.Forecast.compact`): the tolerances hold as they did on float64.
"""

from __future__ import annotations

import numpy as np
import pytest

from kompas.warning import load, metrics
from tests.warning.conftest import need_views, observed

WINDOWS = (2018, 2019, 2020, 2021, 2022)
TOLERANCE = {"crps": 1e-6, "mis": 1e-6, "ign": 1e-9}
SCORERS = {"crps": metrics.crps_ensemble, "mis": metrics.interval_score, "ign": metrics.ignorance_score}


@pytest.mark.parametrize("model", sorted(load.SHIPPED))
def test_per_cell_scores_equal_the_evaluation_files(model: str, panel) -> None:
    for window in WINDOWS:
        forecast = load.shipped_benchmark(model, window).compact()
        assert forecast.samples.dtype.kind in "ui", (model, window, forecast.samples.dtype)
        for metric, scorer in SCORERS.items():
            month_ids, country_ids, expected = load.shipped_scores(model, window, metric)
            assert len(expected) == 2292, (model, window, metric)
            got = scorer(observed(panel, month_ids, country_ids), forecast.aligned(month_ids, country_ids))
            worst = float(np.abs(got - expected).max())
            assert worst <= TOLERANCE[metric], f"{model} {window} {metric}: max difference {worst:.2e}"


def test_conflictology_2022_mean_crps_is_124() -> None:
    need_views()
    _, _, values = load.shipped_scores("conflictology", 2022, "crps")
    assert round(float(values.mean()), 2) == 124.00  # PROVENANCE.md / the reference figure
