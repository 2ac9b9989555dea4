"""Stress tests: take named elements out of the network (cables, links, landing stations, buildings, exchanges), or
everything of a supplier or owner, or everything in a sea area or corridor, and say what is lost.

The answer, per country pair and measure (:mod:`kompas.infra.graph`): the direct capacity before and after (rows
``from_country,to_country,kind,before,after,unit``, the format of ``kompas infra stress``); the pairs that can no
longer reach each other at all; for every pair left without a direct carrier, the shortest alternative paths
through other countries (with the carriers of each hop); the internet exchanges cut off (every building they are
present in lost) per country.

Incremental: only the carriers the removal touches are recomputed, and reachability is a union-find over the
country graph (a few hundred countries). :func:`recompute` does the same by rebuilding everything without the
removed elements; the two agree (tested) and the benchmark compares their speed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import networkx as nx

from kompas.infra.areas import Area, Index
from kompas.infra.cables import ROUTE_CAVEAT
from kompas.infra.graph import GROUP_OF, GROUPS, MEASURES, Graph, Pair, cable_countries, components
from kompas.infra.model import KINDS, PUBLIC, Network

ROW_FIELDS = ("from_country", "to_country", "kind", "before", "after", "unit")
MAX_NAMES = 200  #: names, suppliers and owners in one scenario
MAX_ALTERNATIVE_PAIRS = 25  #: pairs for which alternative paths are searched
PATHS = 3  #: alternative paths shown per pair
SEARCHED = 50  #: shortest alternative paths read for the transit countries


#: Former or common names of cable suppliers -> the name the cable map writes (lower case).
FORMERLY = {"huawei": "HMN Tech", "huawei marine": "HMN Tech", "huawei marine networks": "HMN Tech",
            "hmn technologies": "HMN Tech", "alcatel": "ASN", "alcatel-lucent": "ASN",
            "alcatel submarine networks": "ASN", "te subcom": "SubCom", "tyco": "SubCom",
            "tyco telecommunications": "SubCom", "nec corporation": "NEC"}


AC_CAVEAT = ("AC cross-border capacities are the summed thermal ratings of the lines, estimated from voltage and "
             "circuits (PyPSA-Eur's standard line types): upper bounds, often several times the transfer capacity "
             "the TSOs publish, and blind to back-to-back converters.")


class StressError(ValueError):
    """A scenario that cannot be run (an unknown or ambiguous name, nothing to remove); the message is safe to show
    and lists the candidates of an ambiguous name."""


@dataclass(frozen=True)
class Scenario:
    """What a stress test removes: ``remove`` names or refs (``"C-Lion1"``, ``"cable:c-lion1"``, ``"Estlink 2"``,
    ``"landing:hanko-finland"``), every element of the ``suppliers`` or ``owners`` named (case-insensitive, whole
    names), and every element in ``area``."""

    remove: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    area: Area | None = None
    avoid: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [*(f"remove {n}" for n in self.remove), *(f"supplier {s}" for s in self.suppliers),
                 *(f"owner {o}" for o in self.owners)]
        if self.area is not None:
            parts.append(f"area: {self.area.description}")
        if self.avoid:
            parts.append(f"alternatives avoid {', '.join(self.avoid)}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Row:
    """One pair and measure before and after: ``kind`` is the measure (``cables``, ``hvdc_mw``, ``ac_mw``,
    ``pipeline_gwh_d``) or ``ixp`` (exchanges of a country, ``from_country == to_country``)."""

    from_country: str
    to_country: str
    kind: str
    before: float
    after: float
    unit: str

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ROW_FIELDS}

    def oriented(self, focus: Iterable[str]) -> Row:
        """This row with a country of ``focus`` first (``FI,EE`` rather than ``EE,FI`` for a Finnish reader)."""
        wanted = set(focus)
        if self.to_country in wanted and self.from_country not in wanted:
            return Row(self.to_country, self.from_country, self.kind, self.before, self.after, self.unit)
        return self


@dataclass
class StressResult:
    """What a scenario costs (see the module docstring)."""

    scenario: str
    removed: list[dict[str, Any]]
    rows: list[Row]
    disconnected: list[dict[str, Any]]
    alternatives: dict[str, dict[str, Any]]
    exchanges_cut: list[dict[str, Any]]
    countries: list[str]
    caveats: list[str] = field(default_factory=list)
    hidden: dict[str, int] = field(default_factory=dict)  #: what :meth:`only` left out, by part

    def only(self, countries: Iterable[str]) -> StressResult:
        """This result for ``countries`` alone: the rows, disconnected pairs, alternatives and exchanges involving
        one of them (a supplier's worldwide cables touch thousands of pairs); ``hidden`` counts what was left out."""
        wanted = {c.upper() for c in countries}
        if not wanted:
            return self
        rows = [r for r in self.rows if r.from_country in wanted or r.to_country in wanted]
        disconnected = [d for d in self.disconnected if d["from_country"] in wanted or d["to_country"] in wanted]
        alternatives = {k: v for k, v in self.alternatives.items() if set(k.split("-")) & wanted}
        exchanges = [x for x in self.exchanges_cut if x.get("country") in wanted]
        hidden = {"rows": len(self.rows) - len(rows), "disconnected": len(self.disconnected) - len(disconnected),
                  "exchanges_cut": len(self.exchanges_cut) - len(exchanges)}
        return StressResult(self.scenario, self.removed, rows, disconnected, alternatives, exchanges,
                            sorted({c for r in rows for c in (r.from_country, r.to_country)}), self.caveats,
                            hidden)

    def as_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "removed": self.removed, "rows": [r.as_dict() for r in self.rows],
                "disconnected": self.disconnected, "alternatives": self.alternatives,
                "exchanges_cut": self.exchanges_cut, "countries": self.countries, "caveats": self.caveats,
                "hidden": self.hidden}


class Names:
    """Lookup of element names and ids (case-insensitive) over a network, built once. Error messages name only
    public elements: an error answer carries no marking, so it never lists a contributed element's name."""

    def __init__(self, network: Network) -> None:
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.refs: set[str] = set()
        self.public: set[str] = set()
        for element in network.elements():
            self.refs.add(element.ref)
            if element.origin == PUBLIC:
                self.public.add(element.ref)
            self.by_name[element.name.strip().lower()].append(element.ref)
            if element.id.lower() != element.name.strip().lower():
                self.by_name[element.id.lower()].append(element.ref)

    def resolve(self, text: str) -> list[str]:
        """The refs ``text`` names: a ref, else the elements whose name or id is ``text`` (case-insensitive).
        Raises :class:`StressError` when nothing matches, listing near names of public elements."""
        text = text.strip()
        if text in self.refs:
            return [text]
        found = self.by_name.get(text.lower(), [])
        if found:
            return sorted(set(found))
        near = sorted(n for n, refs in self.by_name.items() if text.lower() in n
                      and any(r in self.public for r in refs))[:8]
        hint = f"; public names containing it: {', '.join(near)}" if near else ""
        raise StressError(f"no element is named {text[:80]!r} (give a name, an id or kind:id){hint}")

    def ambiguous(self, text: str, refs: list[str]) -> StressError:
        """The error for a name that names several elements (only the public ones listed)."""
        shown = [r for r in refs if r in self.public][:8]
        hidden = len(refs) - len(shown)
        listed = ", ".join(shown) + (f" and {hidden} contributed" if hidden and shown else
                                     f"{hidden} contributed" if hidden else "")
        return StressError(f"{text[:80]!r} names {len(refs)} elements ({listed}); give one as kind:id")


class Stress:
    """A network prepared for stress tests: its graph, spatial index and names, built once and reused by every
    scenario and by :func:`rank`."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.graph = Graph(network)
        self._index: Index | None = None
        self.names = Names(network)

    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = Index(self.network)
        return self._index

    # --- what a scenario removes ----------------------------------------------------------------------------------

    def resolve(self, scenario: Scenario) -> dict[str, str]:
        """ref -> why it is removed, for every element ``scenario`` takes out."""
        total = len(scenario.remove) + len(scenario.suppliers) + len(scenario.owners)
        if total > MAX_NAMES:
            raise StressError(f"{total} names in one scenario; at most {MAX_NAMES}")
        why: dict[str, str] = {}
        for text in scenario.remove:
            refs = self.names.resolve(text)
            if len(refs) > 1 and not all(r.startswith("building:") for r in refs):
                kinds = sorted({r.split(":")[0] for r in refs})
                if len(kinds) > 1 or len(refs) > 5:
                    raise self.names.ambiguous(text, refs)
            for r in refs:
                why.setdefault(r, f"named ({text})")
        for field_name, values in (("suppliers", scenario.suppliers), ("owners", scenario.owners)):
            for value in values:
                named = self.company(field_name, value)
                hits = [e.ref for e in self.network.elements()
                        if any(v.lower() == named.lower() for v in getattr(e, field_name, ()))]
                for r in hits:
                    why.setdefault(r, f"{field_name[:-1]} {named}")
        if scenario.area is not None:
            for r in self.index.within(scenario.area):
                why.setdefault(r, "in the area")
        if not why:
            raise StressError("the scenario removes nothing (name elements, a supplier, an owner or an area)")
        return why

    def company(self, field_name: str, text: str) -> str:
        """The supplier or owner (``field_name`` ``suppliers`` or ``owners``) ``text`` names, as the data writes it:
        the exact name (any case), a former name (:data:`FORMERLY`: Huawei Marine is HMN Tech), or the one name
        that begins with it or has it as a word (``Cinia`` -> ``Cinia Oy``). Raises :class:`StressError` listing the
        candidates (public names only) when it names none or several."""
        known: dict[str, str] = {}
        public: set[str] = set()
        for element in self.network.elements():
            for name in getattr(element, field_name, ()):
                known.setdefault(name.lower(), name)
                if element.origin == PUBLIC:
                    public.add(name)
        wanted = text.strip().lower()
        wanted = FORMERLY.get(wanted, wanted).lower() if field_name == "suppliers" else wanted
        if wanted in known:
            return known[wanted]
        words = sorted({name for key, name in known.items()
                        if key.startswith(wanted) or re.search(rf"\b{re.escape(wanted)}\b", key)})
        if len(words) == 1:
            return words[0]
        shown = [n for n in words if n in public][:10]
        what = field_name[:-1]
        if shown:
            raise StressError(f"{text[:80]!r} names several {field_name}: {', '.join(shown)}; give one")
        near = sorted(n for n in public if wanted[:4] and wanted[:4] in n.lower())[:10]
        hint = f"; {field_name} on the map with a similar name: {', '.join(near)}" if near else ""
        raise StressError(f"no element has {what} {text[:80]!r}{hint}")

    # --- the stress test --------------------------------------------------------------------------------------------

    def run(self, scenario: Scenario, alternatives: bool = True, focus: Iterable[str] = ()) -> StressResult:
        """The loss of everything ``scenario`` removes; rows of pairs with a ``focus`` country put it first."""
        why = self.resolve(scenario)
        return self.run_refs(why, scenario.describe(), alternatives, area=scenario.area is not None,
                             avoid=frozenset(c.upper() for c in scenario.avoid), focus=focus)

    def run_refs(self, why: dict[str, str], description: str = "", alternatives: bool = True,
                 area: bool = False, avoid: frozenset[str] = frozenset(), focus: Iterable[str] = ()) -> StressResult:
        """The loss of the elements ``why`` names (ref -> reason); alternative paths never transit ``avoid``."""
        graph, network = self.graph, self.network
        removed = {r for r in why if r in graph.carriers}
        cut_landings = {r.split(":", 1)[1] for r in why if r.startswith("landing:")}
        touched = set(removed) | {c for lid in cut_landings for c in graph.by_landing.get(lid, ())}
        rows: list[Row] = []
        lost_direct: dict[str, list[Pair]] = defaultdict(list)
        changed_groups: set[str] = set()
        pairs = sorted({(p, graph.carriers[r].measure) for r in touched for p in graph.carriers[r].pairs()})
        for p, measure in pairs:
            before = graph.totals[(p, measure)]
            after = graph.direct(p, measure, removed, cut_landings)
            if after == before:
                continue
            rows.append(Row(p[0], p[1], measure, _round(before), _round(after), MEASURES[measure]))
            if after == 0:
                lost_direct[GROUP_OF[measure]].append(p)
                changed_groups.add(GROUP_OF[measure])
        disconnected: list[dict[str, Any]] = []
        graphs: dict[str, nx.Graph] = {}
        for group in sorted(changed_groups):
            before_comp = graph.components(group)
            gone = set(lost_direct[group])
            still = [p for p in graph.edges(group) if p not in gone]
            after_comp = components(graph.countries, still)
            split = _split_pairs(before_comp, after_comp)
            disconnected.extend({"group": group, "from_country": a, "to_country": b} for a, b in split)
            if alternatives:
                graphs[group] = graph.country_graph(group, removed, cut_landings)
        found: dict[str, dict[str, Any]] = {}
        if alternatives:
            for group, lost in sorted(lost_direct.items()):
                for a, b in lost[:MAX_ALTERNATIVE_PAIRS]:
                    a, b = (b, a) if b in set(focus) and a not in set(focus) else (a, b)
                    found[f"{a}-{b}"] = _paths(graphs[group], a, b, graph, avoid)
        exchange_rows, cut = _exchanges(network, why)
        rows.extend(exchange_rows)
        removed_list = []
        for r, reason in sorted(why.items()):
            element = network.get(r)
            if element is not None:
                removed_list.append({"ref": r, "kind": element.kind, "name": element.name, "why": reason,
                                     "origin": element.origin})
        rows = [row.oriented(focus) for row in rows]
        countries = sorted({c for row in rows for c in (row.from_country, row.to_country)})
        caveats = [ROUTE_CAVEAT] if area else []
        if any(r.kind == "ac_mw" for r in rows):
            caveats.append(AC_CAVEAT)
        return StressResult(description, removed_list, rows, disconnected, found, cut, countries, caveats)


def _round(value: float) -> float:
    return round(value, 3)


def _split_pairs(before: dict[str, int], after: dict[str, int]) -> list[Pair]:
    """The pairs in one component before and in two after."""
    groups: dict[int, list[str]] = defaultdict(list)
    for country, comp in before.items():
        groups[comp].append(country)
    out: list[Pair] = []
    for members in groups.values():
        if len(members) < 2 or len({after.get(c) for c in members}) == 1:
            continue
        for i, a in enumerate(sorted(members)):
            for b in sorted(members)[i + 1:]:
                if after.get(a) != after.get(b):
                    out.append((a, b))
    return out


def _paths(graph: nx.Graph, a: str, b: str, base: Graph, avoid: frozenset[str] = frozenset()) -> dict[str, Any]:
    """How ``a`` still reaches ``b`` (countries) without transiting ``avoid``: ``exits`` (the neighbours of ``a``
    through which ``b`` can still be reached without coming back through ``a``), ``entries`` (the same on ``b``'s
    side), ``transit`` (the countries on the shortest alternative paths) and the first :data:`PATHS` shortest paths
    with up to three carriers per hop."""
    usable = graph.subgraph([n for n in graph if n not in avoid or n in (a, b)])
    if a not in usable or b not in usable or not nx.has_path(usable, a, b):
        return {"reachable": False, "shortest_hops": None, "exits": [], "entries": [], "transit": [], "paths": []}
    without_a = nx.node_connected_component(usable.subgraph([n for n in usable if n != a]), b)
    without_b = nx.node_connected_component(usable.subgraph([n for n in usable if n != b]), a)
    exits = sorted(n for n in usable.neighbors(a) if n in without_a)
    entries = sorted(n for n in usable.neighbors(b) if n in without_b)
    shortest = list(nx.all_shortest_paths(usable, a, b))
    transit = sorted({c for path in shortest[:SEARCHED] for c in path[1:-1]})
    shown = []
    for path in islice(nx.shortest_simple_paths(usable, a, b), PATHS):
        hops = []
        for x, y in zip(path, path[1:], strict=False):
            refs = usable.edges[x, y]["carriers"]
            hops.append({"from_country": x, "to_country": y, "carriers": len(refs),
                         "names": [base.carriers[r].name for r in refs[:3]]})
        shown.append({"countries": path, "transit": path[1:-1], "hops": hops})
    return {"reachable": True, "shortest_hops": len(shortest[0]) - 1, "exits": exits, "entries": entries,
            "transit": transit, "paths": shown}


def _exchanges(network: Network, why: dict[str, str]) -> tuple[list[Row], list[dict[str, Any]]]:
    """The exchanges cut off (removed, or every building they are in removed) and the ``ixp`` rows per country."""
    gone_buildings = {r.split(":", 1)[1] for r in why if r.startswith("building:")}
    gone_exchanges = {r.split(":", 1)[1] for r in why if r.startswith("exchange:")}
    if not gone_buildings and not gone_exchanges:
        return [], []
    candidates = set(gone_exchanges) | {x for b in gone_buildings if b in network.buildings
                                        for x in network.buildings[b].exchanges}
    cut: list[dict[str, Any]] = []
    for x in sorted(candidates):
        exchange = network.exchanges.get(x)
        if exchange is None:
            continue
        left = [b for b in exchange.buildings if b not in gone_buildings]
        if x in gone_exchanges or not left:
            cut.append({"ref": exchange.ref, "name": f"{exchange.name} ({exchange.city})" if exchange.city and
                        exchange.city.lower() not in exchange.name.lower() else exchange.name, "city": exchange.city,
                        "country": exchange.country, "buildings": len(exchange.buildings)})
    per_country: dict[str, int] = defaultdict(int)
    for item in cut:
        per_country[str(item["country"])] += 1
    totals: dict[str, int] = defaultdict(int)
    for exchange in network.exchanges.values():
        totals[exchange.country] += 1
    rows = [Row(c, c, "ixp", float(totals[c]), float(totals[c] - n), "exchanges")
            for c, n in sorted(per_country.items())]
    return rows, cut


def stress(network: Network, scenario: Scenario, alternatives: bool = True) -> StressResult:
    """The loss of everything ``scenario`` removes from ``network`` (builds a :class:`Stress`; reuse one for many
    scenarios on the same network)."""
    return Stress(network).run(scenario, alternatives)


def without(network: Network, refs: set[str]) -> Network:
    """A copy of ``network`` without the elements ``refs`` (cables lose the landings removed)."""
    from dataclasses import replace

    out = Network(sources=list(network.sources))
    cut = {r.split(":", 1)[1] for r in refs if r.startswith("landing:")}
    for kind in KINDS:
        for element in network.table(kind).values():
            if element.ref in refs:
                continue
            if kind == "cable" and cut and set(element.landings) & cut:
                countries = cable_countries(element, network.landings, cut)
                landings = tuple(lid for lid in element.landings if lid not in cut)
                # the known landings that remain, and the countries no known landing supplied, keep their say
                element = replace(element, landings=landings, countries=countries)
            out.add(element)
    return out


def recompute(network: Network, scenario: Scenario) -> list[Row]:
    """The rows of :meth:`Stress.run` by full recomputation: the whole graph rebuilt without the removed elements
    and every pair's totals compared (the baseline the incremental stress test is measured and checked against)."""
    why = Stress(network).resolve(scenario)
    before = Graph(network)
    after = Graph(without(network, set(why)))
    rows = []
    for key in sorted(set(before.totals) | set(after.totals)):
        b, a = before.totals.get(key, 0.0), after.totals.get(key, 0.0)
        if abs(b - a) > 1e-9:
            (x, y), measure = key
            rows.append(Row(x, y, measure, _round(b), _round(a), MEASURES[measure]))
    for group in GROUPS:
        before.components(group)
        after.components(group)
    rows.extend(_exchanges(network, why)[0])
    return rows


def rank(network: Network, area: Area | None = None, countries: tuple[str, ...] = (), limit: int = 50,
         prepared: Stress | None = None) -> list[dict[str, Any]]:
    """The elements of a region ranked by the damage their loss alone causes: first the country pairs it
    disconnects, then the pairs it leaves without a direct carrier, then the share of direct capacity it removes
    (summed over pairs), then the exchanges it cuts off. The region is ``area`` (elements touching it) and/or
    ``countries`` (carriers joining one of them, their landing stations and buildings); neither: every carrier."""
    run = prepared or Stress(network)
    wanted = {c.upper() for c in countries}
    candidates = set(run.index.within(area)) if area is not None else set()
    if wanted or area is None:
        for r, carrier in run.graph.carriers.items():
            if not wanted or wanted & set(carrier.countries):
                candidates.add(r)
        if wanted:
            candidates |= {lm.ref for lm in network.landings.values() if lm.country in wanted
                           and lm.id in run.graph.by_landing}
            candidates |= {b.ref for b in network.buildings.values() if b.country in wanted}
    out: list[dict[str, Any]] = []
    for r in sorted(candidates):
        element = network.get(r)
        if element is None:
            continue
        result = run.run_refs({r: "ranked"}, alternatives=False)
        pairs = [row for row in result.rows if row.kind != "ixp"]
        share = sum((row.before - row.after) / row.before for row in pairs if row.before)
        sole = sum(1 for row in pairs if row.after == 0)
        if not pairs and not result.exchanges_cut:
            continue
        out.append({"ref": r, "kind": element.kind, "name": element.name, "origin": element.origin,
                    "disconnected": len(result.disconnected), "pairs_without_direct": sole,
                    "capacity_share_lost": round(share, 4), "exchanges_cut": len(result.exchanges_cut),
                    "pairs": [f"{row.from_country}-{row.to_country} {row.kind} {row.before:g}->{row.after:g}"
                              for row in pairs[:6]]})
    out.sort(key=lambda d: (-d["disconnected"], -d["pairs_without_direct"], -d["capacity_share_lost"],
                            -d["exchanges_cut"], d["ref"]))
    return out[:limit]
