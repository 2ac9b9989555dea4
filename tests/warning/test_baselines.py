"""The four benchmarks rebuilt from the actuals, against the challenge's own draws (windows 2019/2020-2022).

- conflictology is deterministic: rebuilt draws equal the shipped ones exactly (2020-2022) and give the evaluation
  files' per-cell CRPS and MIS to 1e-6;
- poisson and bootstrap are random: the same distribution is checked (each cell's Poisson mean is October Y-1's
  count; the bootstrap pool holds every month the actuals have), and the mean CRPS of rebuilt and shipped draws
  agree within a stated statistical tolerance;
- windows 2018/2019 lack history in the shipped actuals (they start January 2018): the error names the months.
"""

from __future__ import annotations

import collections

import numpy as np
import pytest

from kompas.warning import baselines, load, metrics
from kompas.warning.features import cutoff_month
from tests.warning.conftest import observed

SHARED = (2020, 2021, 2022)


def test_conflictology_equals_the_shipped_draws_and_scores(panel) -> None:
    for window in SHARED:
        rebuilt = baselines.conflictology(panel, window)
        shipped = load.shipped_benchmark("conflictology", window)
        assert rebuilt.draws == 12 and len(rebuilt.month_id) == 2292
        assert np.array_equal(shipped.aligned(rebuilt.month_id, rebuilt.country_id), rebuilt.samples), window
        for metric, scorer in (("crps", metrics.crps_ensemble), ("mis", metrics.interval_score)):
            month_ids, country_ids, expected = load.shipped_scores("conflictology", window, metric)
            got = scorer(observed(panel, month_ids, country_ids), rebuilt.aligned(month_ids, country_ids))
            assert np.abs(got - expected).max() <= 1e-6, (window, metric)  # the brief's tolerance
    mean_2022 = metrics.crps_ensemble(observed(panel, rebuilt.month_id, rebuilt.country_id), rebuilt.samples).mean()
    assert round(float(mean_2022), 2) == 124.00


def test_early_windows_name_the_missing_months(panel) -> None:
    with pytest.raises(baselines.MissingHistory, match=r"conflictology 2018 needs 2016-11\.\.2017-10; missing: "
                                                        r"2016-11, .*2017-10 \(the actuals hold no month\)"):
        baselines.conflictology(panel, 2018)
    with pytest.raises(baselines.MissingHistory, match=r"missing: 2017-11, 2017-12 \(the actuals hold "
                                                        r"2018-01\.\.2018-10\)"):
        baselines.conflictology(panel, 2019)
    with pytest.raises(baselines.MissingHistory, match="poisson 2018 needs 2017-10"):
        baselines.poisson(panel, 2018)
    with pytest.raises(baselines.MissingHistory, match="bootstrap 2019"):
        baselines.bootstrap(panel, 2019)
    assert baselines.poisson(panel, 2019).draws == 1000  # October 2018 is in the actuals


def test_poisson_means_are_october_of_the_year_before(panel) -> None:
    for window in (2019, *SHARED):
        rate = panel.column(cutoff_month(window))
        for forecast in (baselines.poisson(panel, window), load.shipped_benchmark("poisson", window)):
            samples = forecast.samples
            lam = rate[np.searchsorted(panel.countries, forecast.country_id)]
            z = (samples.mean(axis=1) - lam) / np.sqrt(np.maximum(lam, 1e-12) / forecast.draws)
            assert np.all(samples[lam == 0] == 0), (window, forecast.notes)
            # 2292 cells: |z| <= 5 fails by chance with probability ~1e-3 overall
            assert np.abs(z[lam > 0]).max() <= 5.0, (window, forecast.notes)


def test_random_benchmarks_score_like_the_shipped_ones(panel) -> None:
    # Tolerances on the mean CRPS (deaths): the seed-to-seed spread of the rebuilt means (8 seeds) is 0.003 for
    # poisson and 0.015-0.027 for bootstrap. Poisson: 0.02 (~5 sd of a difference of two draws). Bootstrap: 0.15,
    # because the rebuilt pool holds only the months since Jan 2018 (22-46 of 240); the shipped means are 0.04-0.05
    # above the rebuilt ones in every window.
    for model, tolerance in (("poisson", 0.02), ("bootstrap", 0.15)):
        for window in SHARED:
            rebuilt = baselines.benchmark(model, panel, window)
            shipped = load.shipped_benchmark(model, window)
            y = observed(panel, rebuilt.month_id, rebuilt.country_id)
            mine = metrics.crps_ensemble(y, rebuilt.samples).mean()
            theirs = metrics.crps_ensemble(y, shipped.aligned(rebuilt.month_id, rebuilt.country_id)).mean()
            assert abs(mine - theirs) <= tolerance, f"{model} {window}: {mine:.4f} vs {theirs:.4f}"


def test_bootstrap_pool_is_global_and_includes_every_recent_month(panel) -> None:
    window = 2022
    cut = cutoff_month(window)
    history = panel.block(panel.first_month, cut)
    pool = history[np.isfinite(history)]
    rebuilt = baselines.bootstrap(panel, window)
    assert set(np.unique(rebuilt.samples)) <= set(np.unique(pool))
    assert "46 of 240 months (2018-01..2021-10)" in rebuilt.notes[0]
    # every value met once in 2018-01..2021-10 and above 300 deaths is among the shipped draws: the challenge's
    # pool held these months of every country (its other months are before the actuals start)
    counts = collections.Counter(pool.tolist())
    singles = [v for v, k in counts.items() if k == 1 and v > 300]
    shipped = set(np.unique(load.shipped_benchmark("bootstrap", window).samples).tolist())
    assert len(singles) > 50 and all(v in shipped for v in singles)


def test_random_benchmarks_are_seeded(panel) -> None:
    for model in ("poisson", "bootstrap"):
        first, again = baselines.benchmark(model, panel, 2021), baselines.benchmark(model, panel, 2021)
        other = baselines.benchmark(model, panel, 2021, seed=1)
        assert np.array_equal(first.samples, again.samples) and not np.array_equal(first.samples, other.samples)
    assert not baselines.zero(panel, 2023).samples.any()
    with pytest.raises(ValueError, match="unknown benchmark"):
        baselines.benchmark("ensemble", panel, 2021)


def test_window_2023_is_rebuilt_from_the_shared_actuals(panel) -> None:
    # the 2023 benchmark files are held out; conflictology 2023 is a pure function of the actuals of 2021-11..2022-10
    made = baselines.conflictology(panel, 2023)
    assert made.notes == ("draws: 2021-11..2022-10",)
    assert np.array_equal(made.samples[:191], panel.block(cutoff_month(2023) - 11, cutoff_month(2023)))
