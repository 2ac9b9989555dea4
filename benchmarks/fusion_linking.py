"""Benchmark: linking events into situations (:mod:`kompas.intel.situations`) against a plain all-pairs baseline.

Both start from the same events in the API's form and read them with the linker's own reader
(:func:`kompas.intel.situations.read`), then:

- **Kompas**: :func:`kompas.intel.situations.link` (sweeps per actor and per country, a pruned time window, a latitude
  band and chunked distances that skip the events of a situation already found near);
- **baseline**: every pair of events tested against the rule (vectorised per event: the time gap, the shared actors
  and countries, the haversine distance by the same function), every linked pair an edge of a networkx graph, the
  situations its connected components (:func:`networkx.connected_components`).

Cases (synthetic, seeded): ``europe``, N events over the year 2025 across Europe (half around five hot spots: the
Baltic, the North Sea, the Black Sea, the central Mediterranean, the eastern border; the rest anywhere in 36-70 N,
10 W-40 E; 80% placed), of six domains, naming vessels, threat actors, cables and campaigns drawn from a few hundred,
and one or two of 30 countries for most, under the default rule (50 km, 72 h, actors 720 h, countries on);
``worst``, the stranger review's worst case (benchmark of finding 11): N events an hour apart at one place with one
vessel, under km=2000, hours=8760, actors any time apart, the API's widest rule, which makes one situation of them
all (the baseline then holds N(N-1)/2 edges: about 1.4 GB of memory and 30-50 s for N=5,000).

Printed: a markdown table of seconds (the best of ``--repeat`` runs of each, wall-clock, one core, this machine), the
ratio baseline/Kompas, the situations found and whether both found the same ones (the same sets of event ids);
the run fails (exit 1) if they differ.

    .venv/bin/python benchmarks/fusion_linking.py [--sizes 1000 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import networkx as nx
import numpy as np

from kompas.core.markings import Marking
from kompas.intel.situations import Item, Rule, haversine_km, link, read

PUBLIC = Marking.build(tlp="CLEAR").as_dict()
YEAR_H = 8760.0
HOT_SPOTS = [(58.0, 20.0), (56.0, 3.0), (44.0, 34.0), (37.5, 15.0), (50.5, 30.0)]  # (lat, lon) degrees
COUNTRIES = ["FI", "SE", "EE", "LV", "LT", "PL", "DE", "DK", "NO", "NL", "BE", "FR", "GB", "IE", "ES", "PT", "IT",
             "GR", "CY", "MT", "RO", "BG", "TR", "UA", "MD", "RU", "HR", "AT", "CZ", "HU"]
ACTORS = {"maritime": ("vessel", 400), "cyber": ("threat-actor", 25), "infra": ("submarine-cable", 40),
          "fimi": ("campaign", 30), "space": ("satellite", 60), "intel": ("threat-actor", 25)}


def _time(hours: float) -> str:
    """2025-01-01T00:00Z plus ``hours``, in the stored form (ns, Z)."""
    when = np.datetime64("2025-01-01T00:00:00", "ns") + np.timedelta64(int(round(hours * 3600e9)), "ns")
    return str(np.datetime_as_string(when, unit="ns")) + "Z"


def europe(n: int, seed: int = 26) -> list[dict[str, Any]]:
    """``n`` events over 2025 across Europe (module docstring), in the API's event form."""
    rng = np.random.default_rng(seed)
    out = []
    domains = list(ACTORS)
    weights = np.array([1.0 + 3.0 * rng.random() for _ in COUNTRIES])
    weights /= weights.sum()
    for k in range(n):
        domain = domains[int(rng.integers(len(domains)))]
        start = float(rng.uniform(0.0, YEAR_H))
        end = start + (float(rng.exponential(12.0)) if rng.random() < 0.3 else 0.0)
        place: dict[str, Any] = {"countries": []}
        if rng.random() < 0.8:
            if rng.random() < 0.5:
                lat0, lon0 = HOT_SPOTS[int(rng.integers(len(HOT_SPOTS)))]
                lat, lon = float(np.clip(rng.normal(lat0, 1.5), -90, 90)), float(rng.normal(lon0, 2.5))
            else:
                lat, lon = float(rng.uniform(36.0, 70.0)), float(rng.uniform(-10.0, 40.0))
            place |= {"lat": round(lat, 5), "lon": round(lon, 5)}
        if rng.random() < 0.7:
            place["countries"] = sorted(set(rng.choice(COUNTRIES, size=1 + int(rng.random() < 0.15), p=weights)))
        kind, many = ACTORS[domain]
        actors = [{"role": "actor", "kind": kind, "id": f"{kind[:3]}-{int(rng.zipf(1.6)) % many}", "name": ""}
                  for _ in range(int(rng.random() < 0.6))]
        out.append({"id": f"e{k:06d}", "domain": domain, "type": "x", "title": f"event {k}",
                    "severity": ("low", "medium", "high")[int(rng.integers(3))], "time_utc": _time(start),
                    "start_utc": _time(start), "end_utc": _time(end), "place": place, "actors": actors,
                    "detail": {}, "marking": PUBLIC})
    return out


def worst(n: int) -> list[dict[str, Any]]:
    """The review's worst case: ``n`` events an hour apart within 0.006 degrees, one vessel, one country."""
    return [{"id": f"e{k:06d}", "domain": "maritime", "type": "t", "time_utc": _time(k), "title": "x",
             "severity": "low", "place": {"lat": 55.0 + (k % 7) * 1e-3, "lon": 18.0, "countries": ["SE"]},
             "actors": [{"kind": "vessel", "id": "1"}], "marking": PUBLIC} for k in range(n)]


def baseline(events: Sequence[dict[str, Any]], rule: Rule) -> list[frozenset[str]]:
    """The situations by testing every pair (vectorised per event) and networkx's connected components."""
    items, _ = read(events)
    live = [i for i in items if not i.hypothetical]
    n = len(live)
    start = np.array([i.start_h for i in live])
    end = np.array([i.end_h for i in live])
    lat = np.array([np.nan if i.lat is None else i.lat for i in live])
    lon = np.array([np.nan if i.lon is None else i.lon for i in live])
    placed = ~np.isnan(lat)
    actor_of = _incidence(live, lambda i: [(k, a) for k, a, _ in i.actors])
    country_of = _incidence(live, lambda i: list(i.countries)) if rule.countries else None
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(i.id for i in items)
    for a in range(n - 1):
        b = slice(a + 1, n)
        gap = np.maximum(0.0, np.maximum(start[b] - end[a], start[a] - end[b]))
        linked = np.zeros(n - a - 1, dtype=bool)
        keys = np.flatnonzero(actor_of[a])
        if len(keys):
            shared = actor_of[b][:, keys].any(axis=1)
            linked |= shared if rule.actor_hours is None else shared & (gap <= rule.actor_hours)
        soon = gap <= rule.hours
        if placed[a]:
            with np.errstate(invalid="ignore"):
                near = haversine_km(lat[a], lon[a], lat[b], lon[b]) <= rule.km
            linked |= soon & placed[b] & near
        if country_of is not None:
            keys = np.flatnonzero(country_of[a])
            if len(keys):
                linked |= soon & country_of[b][:, keys].any(axis=1)
        graph.add_edges_from((live[a].id, live[a + 1 + j].id) for j in np.flatnonzero(linked).tolist())
    return [frozenset(c) for c in nx.connected_components(graph)]


def _incidence(items: Sequence[Item], keys_of: Callable[[Item], list[Any]]) -> np.ndarray:
    """A boolean matrix: row per item, column per distinct key, True where the item names the key."""
    index: dict[Any, int] = {}
    rows = [[index.setdefault(k, len(index)) for k in keys_of(i)] for i in items]
    out = np.zeros((len(items), max(1, len(index))), dtype=bool)
    for r, columns in enumerate(rows):
        out[r, columns] = True
    return out


def kompas(events: Sequence[dict[str, Any]], rule: Rule) -> list[frozenset[str]]:
    """The situations as Kompas links them (no viewer: everything linkable is linked)."""
    return [frozenset(i.id for i in s.items) for s in link(events, None, rule).situations]


def best_of(repeat: int, run: Callable[[], list[frozenset[str]]]) -> tuple[float, list[frozenset[str]]]:
    """The shortest wall-clock time (s) of ``repeat`` runs, and the answer."""
    times = []
    found: list[frozenset[str]] = []
    for _ in range(repeat):
        t = time.perf_counter()
        found = run()
        times.append(time.perf_counter() - t)
    return min(times), found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    default = Rule(max_events=max(args.sizes))
    widest = Rule(km=2000.0, hours=8760.0, actor_hours=None, max_events=max(args.sizes))
    rows = []
    same_everywhere = True
    for name, make, rule in (("europe", europe, default), ("worst", worst, widest)):
        for n in args.sizes:
            events = make(n)
            mine_s, mine = best_of(args.repeat, partial(kompas, events, rule))
            base_s, base = best_of(args.repeat, partial(baseline, events, rule))
            same = sorted(map(sorted, mine)) == sorted(map(sorted, base))
            same_everywhere &= same
            sizes = sorted((len(s) for s in mine), reverse=True)
            rows.append(f"| {name} | {n:,} | {rule.km:g} km, {rule.hours:g} h, actors "
                        f"{'any time' if rule.actor_hours is None else f'{rule.actor_hours:g} h'} | {mine_s:.3f} | "
                        f"{base_s:.3f} | {base_s / mine_s:.1f} | {len(mine):,} (largest {sizes[0]:,}) | "
                        f"{'yes' if same else 'NO'} |")
            print(rows[-1], file=sys.stderr, flush=True)
    print(f"Linking events into situations: Kompas vs every pair + networkx ({platform.machine()}, "
          f"Python {platform.python_version()}, networkx {nx.__version__}; best of {args.repeat}, seconds)\n")
    print("| case | events | rule | Kompas (s) | baseline (s) | baseline/Kompas | situations | same situations |")
    print("|---|---:|---|---:|---:|---:|---:|---|")
    print("\n".join(rows))
    return 0 if same_everywhere else 1


if __name__ == "__main__":
    raise SystemExit(main())
