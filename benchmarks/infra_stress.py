"""Benchmark: a stress test on a drawn area over the whole European graph, incremental against full recomputation,
in one run.

Data: the public network of ../shared/data/infra (TeleGeography's 2022 cable map and 2020 exchange map, PyPSA-Eur's
HVDC list and GridKit's cross-border AC lines). Scenarios, each timed as the best of ``--repeat`` runs:

- an anchor-track corridor across the Gulf of Finland (a 5 km buffer around a 3-point line, the Eagle S case);
- a sea area: a polygon over the western Baltic (10-15°E, 53.5-56°N);
- everything of one supplier (HMN Tech).

Incremental: :meth:`kompas.infra.stress.Stress.run` on a network prepared once (graph, spatial index, names), as the
service keeps it, without the alternative paths (the baseline computes none; they are timed on their own).
Baseline: :func:`kompas.infra.stress.recompute`, everything rebuilt without the removed elements (graph, spatial
index, every pair's totals, reachability). The two must give the same rows. Also timed: preparing
the network (reading excluded) and ranking every element of the Baltic by the damage its loss alone causes.

    .venv/bin/python benchmarks/infra_stress.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from typing import Any

TRACK = {"type": "LineString", "coordinates": [[26.6, 59.95], [25.5, 59.85], [24.8, 59.78]]}
WEST_BALTIC = {"type": "Polygon", "coordinates": [[[10, 53.5], [15, 53.5], [15, 56], [10, 56], [10, 53.5]]]}
BALTIC = ("FI", "EE", "LV", "LT", "SE", "DE", "PL", "DK")


def best_s(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of ``repeat`` timings of ``call`` (seconds) and its last result."""
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - began)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from kompas.infra.areas import parse_area
    from kompas.infra.load import public_network
    from kompas.infra.stress import Scenario, Stress, rank, recompute

    network = public_network()
    if not network.cables:
        raise SystemExit("no cable map: this benchmark needs ../shared/data/infra (CC BY-NC-SA, not bundled)")
    print(f"network: {len(network.cables)} cables, {len(network.landings)} landing points, {len(network.links)} "
          f"links, {len(network.buildings)} buildings, {len(network.exchanges)} exchanges")
    prepare_s, run = best_s(lambda: Stress(network), args.repeat)
    _ = run.index  # built on first use by an area scenario
    index_s, _ = best_s(lambda: Stress(network).index, args.repeat)
    scenarios = {"corridor 5 km (Gulf of Finland)": Scenario(area=parse_area(json.dumps(TRACK), 5)),
                 "sea area (western Baltic)": Scenario(area=parse_area(json.dumps(WEST_BALTIC))),
                 "supplier HMN Tech": Scenario(suppliers=("HMN Tech",))}
    lines = []
    for label, scenario in scenarios.items():
        fast_s, result = best_s(lambda s=scenario: run.run(s, alternatives=False), args.repeat)
        alt_s, _ = best_s(lambda s=scenario: run.run(s), args.repeat)
        full_s, rows = best_s(lambda s=scenario: recompute(network, s), args.repeat)
        key = lambda r: (r.from_country, r.to_country, r.kind)  # noqa: E731
        assert sorted(result.rows, key=key) == sorted(rows, key=key), f"{label}: incremental and full disagree"
        lines.append(f"{label}: {len(result.removed)} elements removed, {len(result.rows)} rows; incremental "
                     f"{fast_s * 1000:.2f} ms against full recomputation {full_s * 1000:.1f} ms "
                     f"(**{full_s / fast_s:.0f}x**); with the alternative paths {alt_s * 1000:.1f} ms")
        print(lines[-1])
    draw_s, _ = best_s(lambda: parse_area(json.dumps(TRACK), 5), args.repeat)
    zigzag = {"type": "LineString", "coordinates": [[-20 + 60 * i / 1500, 50 + (i % 2) * 0.5] for i in range(1500)]}
    zig_s, _ = best_s(lambda: parse_area(json.dumps(zigzag), 500), 1)
    print(f"drawing the 5 km corridor of the track {draw_s * 1000:.1f} ms; a 1,500-point zigzag over 60 degrees "
          f"with a 500 km buffer (the review's stress case) {zig_s:.2f} s")
    rank_s, ranked = best_s(lambda: rank(network, countries=BALTIC, limit=1000, prepared=run), 1)
    print(f"prepare {prepare_s * 1000:.1f} ms, spatial index {index_s * 1000:.1f} ms; ranking the Baltic "
          f"({len(ranked)} elements with damage) {rank_s:.2f} s")
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")


if __name__ == "__main__":
    main()
