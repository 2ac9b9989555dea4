"""Benchmark: Kompas's conflict-fatality forecasts scored as the VIEWS 2023/24 prediction challenge scores them.

For each window (2020-2023: the ones whose cut-off leaves 12 months of the shipped actuals, which start in January
2018) and each model, the mean CRPS (deaths), ignorance score (bits) and mean interval score of the 90% interval
(deaths) over the window's 2,292 country-months, printed as a markdown table:

- the four challenge benchmarks rebuilt by Kompas from the actuals (conflictology, last-historical Poisson,
  bootstrap, zero), and for 2020-2022 the challenge's own shipped draws of them scored by Kompas (equal to the
  evaluation files: tests/warning/test_against_views_eval.py); the 2023 benchmark files are held out;
- ``kompas``: the Kompas model (:mod:`kompas.warning.model`, history + neighbours + UCDP + ND-GAIN + IPC) and
  ``kompas-history`` (the same model on the conflict history alone: an ablation);
- the ratio of each Kompas model's CRPS to the conflictology benchmark's (below 1: better);
- the time to fit and forecast each Kompas model, to score it, and to rebuild the conflictology benchmark
  (wall-clock, this machine; seconds).

Run: ``.venv/bin/python benchmarks/warning_forecasts.py [--windows 2020 2021 2022 2023]`` (needs ../shared).
Data: VIEWS 2023/24 challenge (Hegre et al., arXiv 2407.11045), outcome from UCDP GED (CC BY 4.0); context from
UCDP/PRIO ACD v24.1 (CC BY 4.0), ND-GAIN 2025, IPC.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import UTC, datetime
from functools import partial

from kompas.warning import baselines, evaluate, load
from kompas.warning import model as kompas_model
from kompas.warning.features import cutoff_date, restrict


def timed(work):  # noqa: ANN001, ANN201 (any callable)
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, nargs="+", default=[2020, 2021, 2022, 2023])
    args = parser.parse_args()
    views = load.views_data()
    context = load.context_data()
    panel = views.panel
    rows: list[tuple] = []
    times: list[tuple] = []
    for window in args.windows:
        scores: dict[str, evaluate.ModelScore] = {}
        for name in baselines.BENCHMARKS:
            made, seconds = timed(partial(baselines.benchmark, name, panel, window))
            scores[name] = evaluate.score(made, panel)
            if name == "conflictology":
                conflictology_s = seconds
            if window <= 2022:
                scores[f"{name} (shipped)"] = evaluate.score(load.shipped_benchmark(name, window), panel)
        for label, records, neighbours in (("kompas", context.records, context.neighbours),
                                           ("kompas-history", (), {})):
            data = restrict(panel, records, cutoff_date(window), neighbours)
            fitted, fit_s = timed(partial(kompas_model.fit, data))
            made, predict_s = timed(partial(kompas_model.predict, fitted, data, window))
            scored, score_s = timed(partial(evaluate.score, made, panel))
            scores[label] = scored
            times.append((window, label, fitted.rows, fit_s, predict_s, score_s, conflictology_s))
        base = scores["conflictology"].crps or float("nan")
        for name, s in scores.items():
            ratio = f"{(s.crps or 0) / base:.3f}" if name.startswith("kompas") else ""
            rows.append((window, name, s.crps, s.ign, s.mis, ratio))
    print(f"VIEWS 2023/24 challenge windows, {datetime.now(UTC):%Y-%m-%d}, {platform.node() or 'this machine'} "
          f"({os.cpu_count()} cores), data: ../shared/data/early-warning (actuals 2018-01..2024-04)\n")
    print("| window | model | CRPS | IGN | MIS | CRPS / conflictology |")
    print("|---|---|---|---|---|---|")
    for window, name, crps, ign, mis, ratio in rows:
        print(f"| {window} | {name} | {crps:.3f} | {ign:.4f} | {mis:.2f} | {ratio} |")
    print("\n| window | model | training pairs | fit (s) | forecast (s) | score (s) | conflictology rebuild (s) |")
    print("|---|---|---|---|---|---|---|")
    for window, label, pairs, fit_s, predict_s, score_s, rebuild_s in times:
        print(f"| {window} | {label} | {pairs} | {fit_s:.2f} | {predict_s:.2f} | {score_s:.2f} | {rebuild_s:.4f} |")
    print("\nNotes: bootstrap rebuilt from the months since 2018-01 only (the challenge's pool is 240 months); "
          "2018/2019 cannot be rebuilt (no history before the cut-off in the shipped actuals).")


if __name__ == "__main__":
    main()
