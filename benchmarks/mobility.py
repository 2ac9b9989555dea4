"""Benchmark: military mobility on the German rail graph (RINF 2022, ../shared/data/mobility), issue 27.

1. **Resilience ranking** (:class:`kompas.mobility.stress.Ranking`) for the 8 shipped corridors of ``de-rail``:
   - Kompas: each element on a corridor's fastest path is removed and only the corridors whose path uses it are
     searched again (SciPy's compiled Dijkstra on the static state graph);
   - full recomputation: the same elements, every corridor searched again for each (``full=True``; same answer,
     checked);
   - every element: every link and place of the network removed in turn, every corridor searched again (the naive
     screen a planner without the path argument would run): timed on a random sample of ``--sample`` elements and
     scaled to the whole network (stated as such).
2. **One plan** (:class:`kompas.mobility.route.Planner`, the exact label-setting search with gauges, borders and
   transfers) against networkx's Dijkstra (:func:`networkx.dijkstra_path_length`) on the same links weighted by the
   same hours: the price of the planner's state-dependent rules on a graph that has none of them. Same hours checked.

Printed: a markdown table of seconds (best of ``--repeat``, wall-clock, one process) and ratios.

    .venv/bin/python benchmarks/mobility.py [--repeat 3] [--sample 400]
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

from kompas.mobility import load
from kompas.mobility.network import Graph
from kompas.mobility.route import Needs, Planner, _Rules, link_hours
from kompas.mobility.stress import Corridor, Ranking

TANKS = Needs(name="mechanised battalion", mass_t=62.3, mlc=70, vehicles=110)


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The best wall-clock time of ``repeat`` runs, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=400, help="elements timed for the every-element screen")
    args = parser.parse_args()
    try:
        network = load.named("de-rail")
    except load.MissingData as exc:
        print(f"skipped: {exc}", file=sys.stderr)
        return 2
    corridors = [Corridor(str(c["name"]), str(c["from"]), str(c["to"])) for c in load.corridors("de-rail")]
    build_s, ranking = best(lambda: Ranking(network, TANKS), args.repeat)
    quick_s, quick = best(lambda: ranking.rank(corridors, limit=100_000), args.repeat)
    full_s, full = best(lambda: ranking.rank(corridors, limit=100_000, full=True), 1)
    if quick != full:
        print("the incremental ranking differs from the full recomputation", file=sys.stderr)
        return 1
    pool = sorted([*network.links, *network.places])
    sample = random.Random(27).sample(pool, args.sample)
    start = time.perf_counter()
    ranking.rank(corridors, limit=100_000, full=True, candidates=sample)
    every_s = (time.perf_counter() - start) * len(pool) / len(sample)

    planner = Planner(Graph(network))
    g = nx.Graph()
    for link in network.links.values():
        hours = link_hours(link, TANKS)
        if not g.has_edge(link.u, link.v) or g[link.u][link.v]["weight"] > hours:
            g.add_edge(link.u, link.v, weight=hours)

    def kompas_plans() -> list[float]:
        out = []
        for c in corridors:
            found = planner._search(TANKS, c.origin, c.destination, ("road", "rail"), _Rules(strict=True))
            out.append(found.hours if found else float("inf"))
        return out

    def networkx_plans() -> list[float]:
        return [nx.dijkstra_path_length(g, c.origin, c.destination) for c in corridors]

    plan_s, ours = best(kompas_plans, args.repeat)
    peer_s, theirs = best(networkx_plans, args.repeat)
    if any(abs(a - b) > 1e-9 for a, b in zip(ours, theirs, strict=True)):
        print(f"the planner's hours differ from networkx's: {ours} {theirs}", file=sys.stderr)
        return 1
    print(f"## Military mobility on the German rail graph (issue 27), {time.strftime('%Y-%m-%d')}, "
          f"{platform.machine()}, best of {args.repeat}\n")
    print(f"RINF 2022: {len(network.places):,} places, {len(network.links):,} links; "
          f"{len(ranking.index):,} planner states; 8 corridors; {len(quick):,} elements change a corridor.\n")
    print("| work | seconds | ratio |")
    print("|---|---:|---:|")
    print(f"| static state graph, built once | {build_s:.3f} | |")
    print(f"| ranking, Kompas (path elements, affected corridors only) | {quick_s:.3f} | 1 |")
    print(f"| ranking, full recomputation (same elements, every corridor) | {full_s:.3f} | "
          f"{full_s / quick_s:.1f}x |")
    print(f"| screen of every element (sampled {args.sample} of {len(pool):,}, scaled) | {every_s:.1f} | "
          f"{every_s / quick_s:.0f}x |")
    print(f"| 8 plans, Kompas planner (gauge, border, transfer rules) | {plan_s:.3f} | 1 |")
    print(f"| 8 shortest paths, networkx Dijkstra on the same weights | {peer_s:.3f} | "
          f"{peer_s / plan_s:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
