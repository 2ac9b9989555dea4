"""Dependency metrics per country: what a member state's international connectivity rests on.

For each country: its international cables (count, neighbour countries, landing-station diversity), its power
interconnection with each neighbour (HVDC MW as rated; AC MW estimated), its internet exchanges (buildings per
exchange, exchanges per city), the concentration of the suppliers and owners of its cables (the observatory's
Herfindahl-Hirschman index on percentage shares, 0-10,000, with the EU27 / like-minded / other shares of the
suppliers' home countries and the coverage: how many cables have a supplier recorded at all), its single points
of failure and its redundancy (carrier-disjoint paths to each cable neighbour).

A single point of failure is an element whose loss alone (a) leaves two countries unable to reach each other in a
measure group, (b) leaves a country pair without any direct carrier, or (c) removes more than ``share`` of a
pair's direct capacity (rated MW or GWh/d; cable counts and the AC lines' thermal estimates only by (a) and (b));
a building whose loss cuts off an internet exchange is one too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from statistics import mean
from typing import Any

from kompas.infra.countries import name as country_name
from kompas.infra.graph import pair
from kompas.infra.model import Network
from kompas.infra.stress import Stress
from kompas.observatory.metrics import hhi

UNATTRIBUTED = "unattributed"


@dataclass
class CountryAssessment:
    """The dependency metrics of one country (see the module docstring); plain dicts, JSON-ready."""

    country: str
    name: str
    cables: dict[str, Any] = field(default_factory=dict)
    power: dict[str, Any] = field(default_factory=dict)
    exchanges: dict[str, Any] = field(default_factory=dict)
    suppliers: dict[str, Any] = field(default_factory=dict)
    owners: dict[str, Any] = field(default_factory=dict)
    single_points: list[dict[str, Any]] = field(default_factory=list)
    redundancy: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def shares(items: list[tuple[str, ...]]) -> dict[str, float]:
    """Percentage shares of names over ``items`` (each item's names share it equally), largest first."""
    weights: dict[str, float] = defaultdict(float)
    for names in items:
        for n in names:
            weights[n] += 1 / len(names)
    total = sum(weights.values())
    return {k: round(100 * v / total, 2) for k, v in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))} \
        if total else {}


def concentration(items: list[tuple[str, ...]], home: Mapping[str, str] | None = None,
                  eu: frozenset[str] = frozenset(), like_minded: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Shares, HHI and coverage of the names (suppliers or owners) of ``items`` (one tuple per cable, empty when
    the source records none); with ``home`` (name -> alpha-2), the EU27 / like-minded / other / unattributed shares."""
    recorded = [names for names in items if names]
    out: dict[str, Any] = {"coverage": {"recorded": len(recorded), "total": len(items),
                                        "pct": round(100 * len(recorded) / len(items), 1) if items else None}}
    pct = shares(recorded)
    out["shares"] = pct
    out["hhi"] = round(hhi(pct.values()), 1) if pct else None
    if home is not None:
        groups: dict[str, float] = defaultdict(float)
        for n, value in pct.items():
            code = home.get(n, "")
            group = UNATTRIBUTED if not code else "EU27" if code in eu else "like_minded" if code in like_minded \
                else "other"
            groups[group] += value
        out["groups"] = {g: round(groups.get(g, 0.0), 2) for g in ("EU27", "like_minded", "other", UNATTRIBUTED)}
    return out


#: How each measure is named in a sentence.
WORDS = {"cables": "cable", "hvdc_mw": "HVDC capacity", "ac_mw": "AC thermal rating (an upper bound)",
         "pipeline_gwh_d": "pipeline capacity"}


def _sole(kind: str, before: float, unit: str, country: str, other: str) -> str:
    """The reason of an element without which ``country`` and ``other`` have no direct carrier of ``kind``."""
    if kind == "cables":
        return (f"the only direct cable between {country} and {other}" if before == 1 else
                f"all {before:g} direct cables between {country} and {other} go with it")
    return f"all direct {WORDS.get(kind, kind)} between {country} and {other} goes with it ({before:g} {unit})"


def _single_points(run: Stress, country: str, share: float) -> list[dict[str, Any]]:
    """The single points of failure of ``country`` (module docstring)."""
    graph, network = run.graph, run.network
    candidates: set[str] = {r for r, c in graph.carriers.items() if country in c.countries and len(c.countries) > 1}
    candidates |= {lm.ref for lm in network.landings.values() if lm.country == country and lm.id in graph.by_landing}
    candidates |= {b.ref for b in network.buildings.values() if b.country == country}
    out = []
    for r in sorted(candidates):
        result = run.run_refs({r: "single point"}, alternatives=False)
        reasons = []
        mine = [row for row in result.rows if country in (row.from_country, row.to_country) and row.kind != "ixp"]
        for d in result.disconnected:
            if country in (d["from_country"], d["to_country"]):
                reasons.append(f"{d['from_country']} and {d['to_country']} can no longer reach each other "
                               f"({d['group']})")
        for row in mine:
            other = row.to_country if row.from_country == country else row.from_country
            if row.after == 0:
                reasons.append(_sole(row.kind, row.before, row.unit, country, other))
            elif row.kind not in ("cables", "ac_mw") and row.before and (row.before - row.after) / row.before > share:
                lost = 100 * (row.before - row.after) / row.before
                reasons.append(f"{lost:.0f}% of {country}-{other} {WORDS.get(row.kind, row.kind)} "
                               f"({row.before:g} -> {row.after:g} {row.unit})")
        cut = [x for x in result.exchanges_cut if x["country"] == country]
        if cut:
            reasons.append(f"cuts off {len(cut)} internet exchange(s): {', '.join(x['name'] for x in cut[:5])}")
        if reasons:
            element = network.get(r)
            out.append({"ref": r, "kind": element.kind if element else "", "name": element.name if element else r,
                        "origin": element.origin if element else "", "reasons": reasons})
    out.sort(key=lambda d: (-len(d["reasons"]), d["ref"]))
    return out


def assess_country(run: Stress, country: str, share: float = 0.5, home: Mapping[str, str] | None = None,
                   eu: frozenset[str] = frozenset(), like_minded: frozenset[str] = frozenset()) -> CountryAssessment:
    """The metrics of one ``country`` (alpha-2) on a prepared network."""
    graph, network = run.graph, run.network
    country = country.upper()
    out = CountryAssessment(country, country_name(country))
    mine = [c for c in graph.carriers.values() if country in c.countries]
    cables = [c for c in mine if c.measure == "cables"]
    international = [c for c in cables if len(c.countries) > 1]
    neighbours = Counter(n for c in international for n in c.countries if n != country)
    stations = Counter(lid for c in international for lid, cc in c.landings if cc == country)
    busiest = stations.most_common(1)
    out.cables = {
        "international": len(international), "domestic": len(cables) - len(international),
        "neighbours": dict(sorted(neighbours.items(), key=lambda kv: (-kv[1], kv[0]))),
        "distinct_neighbours": len(neighbours), "landing_stations": len(stations),
        "busiest_station": {"ref": f"landing:{busiest[0][0]}", "name": network.landings[busiest[0][0]].name,
                            "cables": busiest[0][1], "share_pct": round(100 * busiest[0][1] / len(international), 1)}
        if busiest else None,
        "cables": [{"ref": c.ref, "name": c.name, "countries": list(c.countries)} for c in international]}
    power: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    links = []
    for c in mine:
        if c.measure in ("hvdc_mw", "ac_mw", "pipeline_gwh_d") and len(c.countries) > 1:
            for n in c.countries:
                if n != country:
                    power[c.measure][n] += c.value
            if c.measure != "ac_mw":
                links.append({"ref": c.ref, "name": c.name, "countries": list(c.countries), "capacity": c.value,
                              "measure": c.measure})
    out.power = {m: {n: round(v, 1) for n, v in sorted(per.items())} for m, per in sorted(power.items())}
    out.power["links"] = links
    exchanges = [x for x in network.exchanges.values() if x.country == country]
    if exchanges:
        per_building = [len(x.buildings) for x in exchanges]
        cities = Counter(x.city for x in exchanges)
        top_city = cities.most_common(1)[0]
        hosted = Counter(b for x in exchanges for b in x.buildings)
        top_building = hosted.most_common(1)[0] if hosted else None
        out.exchanges = {
            "count": len(exchanges), "buildings": len(hosted),
            "buildings_per_exchange": {"mean": round(mean(per_building), 2), "max": max(per_building)},
            "single_building": sum(1 for n in per_building if n == 1),
            "cities": dict(cities.most_common(10)),
            "top_city": {"city": top_city[0], "exchanges": top_city[1],
                         "share_pct": round(100 * top_city[1] / len(exchanges), 1)},
            "top_building": {"ref": f"building:{top_building[0]}",
                             "name": network.buildings[top_building[0]].name if top_building[0] in network.buildings
                             else top_building[0], "exchanges": top_building[1]} if top_building else None}
    else:
        out.exchanges = {"count": 0}
    out.suppliers = concentration([c.suppliers for c in international], home, eu, like_minded)
    owners = concentration([c.owners for c in international])
    owners["shares"] = dict(list(owners["shares"].items())[:15])
    out.owners = owners
    out.single_points = _single_points(run, country, share)
    out.redundancy = {n: graph.disjoint_paths(country, n) for n in sorted(neighbours)}
    return out


def assess(network: Network, countries: tuple[str, ...] = (), share: float = 0.5,
           home: Mapping[str, str] | None = None, eu: frozenset[str] = frozenset(),
           like_minded: frozenset[str] = frozenset(), prepared: Stress | None = None) -> list[CountryAssessment]:
    """The metrics of ``countries`` (alpha-2; default: every EU member in ``eu`` that the network reaches)."""
    run = prepared or Stress(network)
    chosen = [c.upper() for c in countries] or sorted(c for c in eu if c in run.graph.countries)
    return [assess_country(run, c, share, home, eu, like_minded) for c in chosen]


def eu_coverage(network: Network, eu: frozenset[str]) -> dict[str, Any]:
    """Supplier coverage of the cables landing in at least one of ``eu`` (every cable on the map: planned, domestic
    and power cables included, as PROVENANCE.md counts them; the per-country figures count operating international
    telecom cables only): how many there are, how many have no
    supplier recorded, and the suppliers' counts (the basis every supplier concentration figure must state)."""
    landing = [c for c in network.cables.values() if set(c.countries) & eu]
    counts = Counter(s for c in landing for s in c.suppliers)
    return {"cables": len(landing), "without_supplier": sum(1 for c in landing if not c.suppliers),
            "suppliers": dict(counts.most_common())}


def pair_capacity(run: Stress, a: str, b: str) -> dict[str, float]:
    """The direct capacity between countries ``a`` and ``b`` in every measure."""
    p = pair(a.upper(), b.upper())
    return {m: run.graph.totals[(p, m)] for m in ("cables", "hvdc_mw", "ac_mw", "pipeline_gwh_d")
            if run.graph.totals.get((p, m))}
