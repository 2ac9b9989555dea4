"""The infrastructure as carriers between countries, the graph the metrics and stress tests read.

A *carrier* is what carries traffic or power across a border: a submarine cable (it joins every country among its
landing points; the public map gives no segment topology, so a cable with landings in FI, EE and SE joins all three
pairs), an HVDC link, an AC cross-border line or a contributed pipeline. Each carrier adds to a *measure* of every
country pair it joins: ``cables`` (a count), ``hvdc_mw`` and ``ac_mw`` (rated or estimated MW) and
``pipeline_gwh_d``. Two countries are *reachable* in a measure group (telecom: ``cables``; power: ``hvdc_mw`` and
``ac_mw``; gas: ``pipeline_gwh_d``) when a chain of countries joined by carriers of that group links them; a country
is taken as internally connected (the terrestrial networks inside it are not in the data).

Cables still planned, power cables drawn on the telecom map (NordBalt: counted as its HVDC link), links
decommissioned or planned, and carriers landing in a single country are not carriers of international
connectivity; they stay in the network (and on the map) but not in these measures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
from networkx.algorithms.flow import edmonds_karp

from kompas.infra.model import Cable, Landing, Link, Network

#: measure -> unit
MEASURES = {"cables": "cables", "hvdc_mw": "MW", "ac_mw": "MW", "pipeline_gwh_d": "GWh/d"}
#: measure group -> its measures (reachability is computed per group)
GROUPS = {"telecom": ("cables",), "power": ("hvdc_mw", "ac_mw"), "gas": ("pipeline_gwh_d",)}
GROUP_OF = {m: g for g, ms in GROUPS.items() for m in ms}

Pair = tuple[str, str]


def pair(a: str, b: str) -> Pair:
    """A country pair in alphabetical order."""
    return (a, b) if a <= b else (b, a)


def measure_of(link: Link) -> str | None:
    """The measure a link's capacity counts in, or None for a kind Kompas does not measure."""
    if link.link_kind == "hvdc" and link.unit == "MW":
        return "hvdc_mw"
    if link.link_kind == "ac" and link.unit == "MW":
        return "ac_mw"
    if link.link_kind == "pipeline" and link.unit == "GWh/d":
        return "pipeline_gwh_d"
    return None


def cable_countries(cable: Cable, landings: Mapping[str, Landing],
                    cut: AbstractSet[str] = frozenset()) -> tuple[str, ...]:
    """The countries a cable joins, without the landing ids ``cut``: the countries of its landing points the
    network knows (a contributed correction of a landing's country counts), plus the countries the cable itself
    lists that none of its known landing points supplies (a contributed cable whose landings are not on the map).
    A cut landing takes its country away only when no other known landing of the cable is in that country."""
    known = [(lid, landings[lid].country) for lid in cable.landings if lid in landings]
    supplied = {c for _, c in known if c}
    explicit = {c for c in cable.countries if c} - supplied if len(known) < len(cable.landings) or not known \
        else set()
    return tuple(sorted({c for lid, c in known if c and lid not in cut} | explicit))


@dataclass(frozen=True)
class Carrier:
    """One cable or link as the metrics see it: ``value`` added to each pair of ``countries`` in ``measure``;
    ``landings`` (cables) the ids of the landing points the network knows with their countries and ``explicit``
    the countries the cable lists without a known landing, so that a cut landing station removes its country from
    the cable only when no other landing of the cable is in that country (:func:`cable_countries`)."""

    ref: str
    name: str
    measure: str
    countries: tuple[str, ...]
    value: float
    landings: tuple[tuple[str, str], ...] = ()
    suppliers: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    explicit: tuple[str, ...] = ()

    def countries_without(self, cut_landings: AbstractSet[str]) -> tuple[str, ...]:
        """The countries this carrier still joins when the landing ids ``cut_landings`` are lost."""
        if not cut_landings or not any(lid in cut_landings for lid, _ in self.landings):
            return self.countries
        return tuple(sorted({c for lid, c in self.landings if lid not in cut_landings and c} | set(self.explicit)))

    def pairs(self, countries: Iterable[str] | None = None) -> list[Pair]:
        """The country pairs this carrier joins (of ``countries``, default its own)."""
        chosen = sorted(set(self.countries if countries is None else countries))
        return list(combinations(chosen, 2))


def carriers_of(network: Network) -> dict[str, Carrier]:
    """Every carrier of ``network`` by ref: operating cables (not planned) and operating links with a capacity."""
    out: dict[str, Carrier] = {}
    for cable in network.cables.values():
        if cable.planned or cable.cable_kind != "telecom":
            continue  # a power cable on the telecom map (NordBalt) is counted as the HVDC link it is
        countries = cable_countries(cable, network.landings)
        if not countries:
            continue
        landings = tuple((lid, network.landings[lid].country) for lid in cable.landings if lid in network.landings)
        supplied = {c for _, c in landings if c}
        explicit = tuple(sorted(set(countries) - supplied))
        out[cable.ref] = Carrier(cable.ref, cable.name, "cables", countries, 1.0, landings, cable.suppliers,
                                 cable.owners, explicit)
    for link in network.links.values():
        measure = measure_of(link)
        if measure is None or link.status != "operating" or link.capacity is None or link.capacity <= 0:
            continue
        countries = tuple(sorted({c for c in link.countries if c}))
        out[link.ref] = Carrier(link.ref, link.name, measure, countries, float(link.capacity), (), link.suppliers,
                                link.owners)
    return out


class Graph:
    """The carriers of a network indexed for the metrics: carriers by pair, by landing, by supplier and owner; the
    totals of every pair and measure; the country graph of each measure group. Built once per network (a few
    tens of milliseconds on the European graph); a stress test then only recomputes what it touches."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.carriers = carriers_of(network)
        self.by_pair: dict[Pair, list[str]] = defaultdict(list)
        self.by_landing: dict[str, list[str]] = defaultdict(list)
        self.totals: dict[tuple[Pair, str], float] = defaultdict(float)
        for carrier in self.carriers.values():
            for p in carrier.pairs():
                self.by_pair[p].append(carrier.ref)
                self.totals[(p, carrier.measure)] += carrier.value
            for lid, _ in carrier.landings:
                self.by_landing[lid].append(carrier.ref)
        self.countries = sorted({c for carrier in self.carriers.values() for c in carrier.countries})
        self._components: dict[str, dict[str, int]] = {}
        self._flows: dict[str, nx.DiGraph] = {}

    def direct(self, p: Pair, measure: str, removed: set[str] = frozenset(),  # type: ignore[assignment]
               cut_landings: set[str] = frozenset()) -> float:  # type: ignore[assignment]
        """The ``measure`` of pair ``p`` by direct carriers, without the carriers ``removed`` and the landing ids
        ``cut_landings``."""
        total = 0.0
        for r in self.by_pair.get(p, ()):
            carrier = self.carriers[r]
            if carrier.measure != measure or r in removed:
                continue
            if cut_landings and not set(p) <= set(carrier.countries_without(cut_landings)):
                continue
            total += carrier.value
        return total

    def carriers_between(self, p: Pair, measure: str | None = None) -> list[Carrier]:
        """The carriers joining pair ``p`` (of ``measure``)."""
        return [self.carriers[r] for r in self.by_pair.get(p, ()) if measure is None
                or self.carriers[r].measure == measure]

    def edges(self, group: str) -> dict[Pair, list[str]]:
        """The country pairs joined in measure group ``group`` and their carriers."""
        measures = GROUPS[group]
        return {p: [r for r in refs if self.carriers[r].measure in measures]
                for p, refs in self.by_pair.items() if any(self.carriers[r].measure in measures for r in refs)}

    def components(self, group: str) -> dict[str, int]:
        """Country -> component number in measure group ``group`` (cached)."""
        if group not in self._components:
            self._components[group] = components(self.countries, self.edges(group).keys())
        return self._components[group]

    def country_graph(self, group: str, removed: set[str] = frozenset(),  # type: ignore[assignment]
                      cut_landings: set[str] = frozenset()) -> nx.Graph:  # type: ignore[assignment]
        """The countries joined in ``group`` as a networkx graph, each edge with ``carriers`` (refs) left after the
        removal."""
        graph: nx.Graph = nx.Graph()
        graph.add_nodes_from(self.countries)
        measures = GROUPS[group]
        for r, carrier in self.carriers.items():
            if carrier.measure not in measures or r in removed:
                continue
            for p in carrier.pairs(carrier.countries_without(cut_landings)):
                if graph.has_edge(*p):
                    graph.edges[p]["carriers"].append(r)
                else:
                    graph.add_edge(*p, carriers=[r])
        return graph

    def disjoint_paths(self, a: str, b: str, group: str = "telecom") -> int:
        """The number of carrier-disjoint paths between countries ``a`` and ``b`` in ``group``: how many carriers
        must be lost before they can no longer reach each other (a max flow where each carrier passes one unit and
        each country any number; Menger's theorem). Edmonds-Karp: the flows are small (tens), so a few augmenting
        paths beat preflow-push by an order of magnitude here."""
        flow = self._flow_graph(group)
        if a not in flow or b not in flow or a == b:
            return 0
        return int(nx.maximum_flow_value(flow, a, b, flow_func=edmonds_karp))

    def _flow_graph(self, group: str) -> nx.DiGraph:
        """The carrier-splitting flow graph of ``group`` (cached)."""
        if group not in self._flows:
            flow: nx.DiGraph = nx.DiGraph()
            measures = GROUPS[group]
            for r, carrier in self.carriers.items():
                if carrier.measure not in measures or len(carrier.countries) < 2:
                    continue
                flow.add_edge(("in", r), ("out", r), capacity=1)
                for country in carrier.countries:
                    flow.add_edge(country, ("in", r))
                    flow.add_edge(("out", r), country)
            self._flows[group] = flow
        return self._flows[group]


def components(nodes: Iterable[str], edges: Iterable[Pair]) -> dict[str, int]:
    """Node -> component number (union-find; the country graph has a few hundred nodes)."""
    parent = {n: n for n in nodes}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in edges:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
    roots: dict[str, int] = {}
    return {n: roots.setdefault(root(n), len(roots)) for n in parent}
