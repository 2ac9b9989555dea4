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

The Kompas model's settings were chosen on windows 2020 and 2021 only (``--tune`` reruns the procedure, documented
in :mod:`kompas.warning.model`, and prints its table); 2022 and 2023 are out-of-sample, marked so in the table.

Run: ``.venv/bin/python benchmarks/warning_forecasts.py [--windows 2020 2021 2022 2023] [--tune]`` (needs ../shared).
Data: VIEWS 2023/24 challenge (Hegre et al., arXiv 2407.11045), outcome from UCDP GED (CC BY 4.0); context from
UCDP/PRIO ACD v24.1 (CC BY 4.0), ND-GAIN 2025, IPC.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from kompas.warning import baselines, evaluate, load, metrics
from kompas.warning import model as kompas_model
from kompas.warning.features import Panel, cutoff_date, restrict


def timed(work):  # noqa: ANN001, ANN201 (any callable)
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def tune(panel: Panel, context: load.ContextData) -> kompas_model.ModelConfig:
    """The selection procedure of :mod:`kompas.warning.model` on :data:`kompas_model.TUNING_WINDOWS` only: from
    the starting settings, one setting at a time (in :data:`kompas_model.CANDIDATES` order), the candidate with the
    lowest mean CRPS over the tuning windows is kept (ties: the earlier candidate); prints every figure."""
    config = kompas_model.START
    data = {w: restrict(panel, context.records, cutoff_date(w), context.neighbours)
            for w in kompas_model.TUNING_WINDOWS}
    observed = {w: evaluate.window_actuals(panel, w)[2] for w in data}
    base = {w: evaluate.score(baselines.conflictology(panel, w), panel).crps or float("nan") for w in data}
    fits: dict[tuple[object, ...], kompas_model.Fitted] = {}

    def crps(candidate: kompas_model.ModelConfig, window: int) -> float:
        key = (window, replace(candidate, history_share=0.0))  # the fit does not depend on the mixture
        if key not in fits:
            fits[key] = kompas_model.fit(data[window], replace(candidate, history_share=0.0))
        fitted = replace(fits[key], config=candidate)
        made = kompas_model.predict(fitted, data[window], window)
        month_ids, country_ids, _ = evaluate.window_actuals(panel, window)
        return float(metrics.crps_ensemble(observed[window], made.aligned(month_ids, country_ids)).mean())

    print("| step | setting | value | " + " | ".join(f"CRPS {w} (ratio)" for w in data) + " | mean CRPS | kept |")
    print("|---|---|---|" + "---|" * len(data) + "---|---|")
    for step, (name, values) in enumerate(kompas_model.CANDIDATES, start=1):
        results = []
        for value in values:
            candidate = replace(config, **{name: value})
            per = {w: crps(candidate, w) for w in data}
            results.append((sum(per.values()) / len(per), value, per))
        best = min(results, key=lambda r: r[0])  # min keeps the first of equal means
        for mean, value, per in results:
            cells = " | ".join(f"{per[w]:.3f} ({per[w] / base[w]:.3f})" for w in data)
            print(f"| {step} | {name} | {value} | {cells} | {mean:.3f} | {'yes' if value == best[1] else ''} |")
        config = replace(config, **{name: best[1]})
    print(f"\nchosen: {config}")
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, nargs="+", default=[2020, 2021, 2022, 2023])
    parser.add_argument("--tune", action="store_true", help="rerun the selection of the model's settings on "
                                                             "2020-2021 and print its table")
    args = parser.parse_args()
    views = load.views_data()
    context = load.context_data()
    panel = views.panel
    if args.tune:
        tune(panel, context)
        return
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
        sample = "in-sample (settings chosen)" if window in kompas_model.TUNING_WINDOWS else "out-of-sample"
        for name, s in scores.items():
            ratio = f"{(s.crps or 0) / base:.3f}" if name.startswith("kompas") else ""
            rows.append((f"{window} {sample}" if name.startswith("kompas") else str(window), name, s.crps, s.ign,
                         s.mis, ratio))
    print(f"VIEWS 2023/24 challenge windows, {datetime.now(UTC):%Y-%m-%d}, {platform.node() or 'this machine'} "
          f"({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}), data: ../shared/data/early-warning "
          "(actuals 2018-01..2024-04)\n")
    print("| window | model | CRPS | IGN | MIS | CRPS / conflictology |")
    print("|---|---|---|---|---|---|")
    for label, name, crps, ign, mis, ratio in rows:
        print(f"| {label} | {name} | {crps:.3f} | {ign:.4f} | {mis:.2f} | {ratio} |")
    print("\n| window | model | training pairs | fit (s) | forecast (s) | score (s) | conflictology rebuild (s) |")
    print("|---|---|---|---|---|---|---|")
    for window, label, pairs, fit_s, predict_s, score_s, rebuild_s in times:
        print(f"| {window} | {label} | {pairs} | {fit_s:.2f} | {predict_s:.2f} | {score_s:.2f} | {rebuild_s:.4f} |")
    print("\nNotes: bootstrap rebuilt from the months since 2018-01 only (the challenge's pool is 240 months); "
          "2018/2019 cannot be rebuilt (no history before the cut-off in the shipped actuals). The Kompas model's "
          f"settings were chosen on {', '.join(map(str, kompas_model.TUNING_WINDOWS))} only (kompas.warning.model); "
          "later windows are out-of-sample. Context sources are later releases with revised values (the vintage "
          "problem: kompas.context.releases).")


if __name__ == "__main__":
    main()
