"""The military mobility report (issue 27, deliverable 5): the Strategic Compass's analysis "by end 2022" of whether
the transport infrastructure supports large-scale movements at short notice, as one reader may see the networks.
Gathers the figures (:func:`analyse`) and renders the page (:mod:`kompas.reports.mobility`); called by
``kompas mobility report`` and by the report job ``mobility`` (``POST /api/v1/reports/mobility``).

What the report reads, all through :mod:`kompas.services.mobility` (so a reader's contributions in the Kompas
mobility format apply, and their markings raise the banner):

- the shipped corridors (``data/mobility/corridors.yaml``) of ``de-rail`` (the German RINF graph, ../shared) and
  ``gauge-test`` (the ILLUSTRATIVE gauge-break test network), each planned for the shipped ILLUSTRATIVE package and
  lead-time table (:func:`kompas.services.mobility.route`): feasible or not, first arrival and the whole package,
  the narrowest element, the obstacles and their costs;
- the resilience ranking of ``de-rail`` (:func:`kompas.services.mobility.rank`), grouped by line;
- the airfields of LT LV EE PL FI DE per aircraft (OurAirports runways joined to airportsdata, the runway rule of
  :mod:`kompas.mobility.airfields`) and the runways nearest to qualifying;
- the coverage of the limits a planner needs in the OSM samples (``helsinki``, ``kotka``: per tag and per grid cell)
  and what the RINF extract lacks (no gauge, axle load or electrification; its connected components);
- the Suwałki gap on the bundled Natural Earth countries (:mod:`kompas.mobility.geography`).

A network whose data is not on this machine is left out and the report says so (``gauge-test`` is always there).

Units: hours and km unless a name says otherwise; lead times in the table's unit (working days) and calendar hours.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kompas.core.markings import Marking, Viewer, combine
from kompas.mobility import load
from kompas.services import mobility as service

if TYPE_CHECKING:
    from kompas.core.store import Store
    from kompas.mobility.coverage import Coverage
    from kompas.mobility.geography import Countries, Gap
    from kompas.mobility.model import Network
    from kompas.services.reports import Rendered

Progress = Callable[[float], None]
STEPS = 7  #: progress steps of :func:`report`
CORRIDOR_NETWORKS = ("de-rail", "gauge-test")  #: the networks whose shipped corridors are planned
RANK_NETWORK = "de-rail"  #: the network ranked for resilience
COVERAGE_NETWORKS = ("helsinki", "kotka")  #: the OSM samples whose tag coverage is measured
COVERAGE_CELL_DEG = 0.05  #: grid cell of the OSM samples' coverage by area, degrees (about 5.5 km x 2.8 km at 60°N)
AIRCRAFT = ("A400M", "C-17A", "C-130J-30")
RANK_LIMIT = 500  #: ranked elements read (grouped by line in the report)
NEAR_RUNWAY_M = 300.0  #: a runway this much short of an aircraft's rule is a candidate to lengthen, m
NATURAL_EARTH = "naturalearth/ne_50m_admin_0_countries.geojson"  #: the bundled copy (simplified 1:50m)
NATURAL_EARTH_SOURCE = {"name": "naturalearth", "attribution": "Natural Earth 1:50m Admin-0 countries (public "
                        "domain), simplified copy bundled with Kompas", "licence": "Public domain"}
SUWALKI = ("BLR", "RUS")  #: the Suwałki gap: Belarus to Russia's Kaliningrad exclave


class ReportError(ValueError):
    """A report request that cannot be answered (an unknown package, a date out of range)."""


@dataclass
class CorridorResult:
    """One corridor planned for the package: the route answer (:func:`kompas.services.mobility.route`), the slowest
    section of the plan and, for a corridor starting at a border point of a one-country network, the permission to
    enter that country (the planner sees no crossing there: the report adds it, see :func:`entry`)."""

    network: str
    name: str
    answer: dict[str, Any]
    slowest: dict[str, Any] | None = None
    entry: dict[str, Any] | None = None

    @property
    def plan(self) -> dict[str, Any]:
        return self.answer["plan"]


@dataclass
class Candidate:
    """A dual-use project candidate: an obstacle (or a lead time) and the hours its removal saves, summed over the
    corridors it is on (``blocks``: on some corridor there is no way round it)."""

    key: str
    kind: str
    project: str
    name: str
    reason: str
    hours: float = 0.0
    blocks: bool = False
    corridors: list[str] = field(default_factory=list)
    assumed: bool = False  #: an entry lead time the report adds (not an obstacle the planner found)


@dataclass
class Analysis:
    """Everything the report shows; sections whose data is absent hold None and ``missing`` says why."""

    as_of: date
    package: dict[str, Any]
    lead_times: dict[str, Any]
    corridors: list[CorridorResult] = field(default_factory=list)
    ranking: dict[str, Any] | None = None
    airfields: dict[str, Any] | None = None
    coverage: dict[str, Coverage] = field(default_factory=dict)
    coverage_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    rinf: dict[str, Any] | None = None
    gap: Gap | None = None
    countries: Countries | None = None
    candidates: list[Candidate] = field(default_factory=list)
    runway_candidates: list[dict[str, Any]] = field(default_factory=list)
    networks: dict[str, Network] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    sources: list[dict[str, str]] = field(default_factory=list)
    marking: Marking = field(default_factory=lambda: service.PUBLIC_MARKING)


# -- the parts -------------------------------------------------------------------------------------------------------

def slowest(plan: dict[str, Any], network: Network) -> dict[str, Any] | None:
    """The plan's slowest link (lowest posted speed; the first such), as ``{name, section, kmh, km}``; None when
    no link of the plan posts a speed."""
    best: dict[str, Any] | None = None
    for leg in plan["legs"]:
        link = network.links.get(leg["id"]) if leg["kind"] == "link" else None
        if link is None or link.maxspeed_kmh is None:
            continue
        if best is None or link.maxspeed_kmh < best["kmh"]:
            a, b = network.places.get(link.u), network.places.get(link.v)
            best = {"id": link.id, "name": link.name or link.kind, "kmh": link.maxspeed_kmh, "km": link.length_km,
                    "section": f"{a.name if a else link.u} – {b.name if b else link.v}"}
    return best


def entry(plan: dict[str, Any], network: Network, lead_times: Any) -> dict[str, Any] | None:  # noqa: ANN401
    """The permission a package from abroad needs to start a corridor at a border point of a network whose places
    all lie in one country (RINF: every place is ``DE``, border points too): the planner counts a wait only where a
    move crosses from one country to another, so such a corridor shows none. ``{country, days, unit, hours}`` (the
    table's figure and calendar hours), None when the origin is not a border point or the network spans countries."""
    origin = network.places.get(plan["origin"]["id"])
    countries = {p.country for p in network.places.values() if p.country}
    if origin is None or origin.kind != "border" or len(countries) != 1 or not origin.country:
        return None
    days = lead_times.of(origin.country)
    hours = lead_times.hours(days)
    if days is None or hours is None:
        return None
    return {"country": origin.country, "days": days, "unit": lead_times.unit, "hours": hours, "at": origin.name}


PROJECTS = {"mlc": "strengthen the bridge (military load class)", "weight": "strengthen the bridge (weight limit)",
            "axle": "strengthen the section (axle load)", "height": "raise the clearance",
            "width": "widen the passage",
            "gauge": "add or enlarge transshipment (or a standard-gauge track)",
            "border": "cut the permission lead time (Compass: harmonised procedures by 2025)",
            "runway": "lengthen or strengthen the runway"}


def candidates(results: list[CorridorResult]) -> list[Candidate]:
    """Obstacles whose removal saves the most hours summed over the corridors (each obstacle's saving: the plan's
    hours less those of the plan with that obstacle alone lifted and every other one kept), those that alone open a
    blocked corridor first; and the entry lead times of :func:`entry` (the whole wait: the saving if permission were
    immediate), flagged as assumed."""
    found: dict[str, Candidate] = {}
    for result in results:
        label = f"{result.name} ({result.network})"
        for o in result.plan["obstacles"]:
            kinds = str(o["kind"]).split("+")
            key = f"{result.network}:{o['key']}"
            item = found.setdefault(key, Candidate(key, o["kind"], "; ".join(PROJECTS.get(k, k) for k in kinds),
                                                   str(o["name"]), str(o["reason"])))
            if o.get("unblocks"):
                item.blocks = True
            elif o.get("saving_hours") is not None:
                item.hours += float(o["saving_hours"])
            item.corridors.append(label)
        if result.entry is not None:
            country = result.entry["country"]
            key = f"{result.network}:entry:{country}"
            item = found.setdefault(key, Candidate(
                key, "border", PROJECTS["border"], f"permission to enter {country}",
                f"a package from abroad needs {result.entry['days']:g} {result.entry['unit']} days' notice to enter "
                f"{country} (ILLUSTRATIVE table)", assumed=True))
            item.hours += float(result.entry["hours"])
            item.corridors.append(label)
    ranked = [c for c in found.values() if c.blocks or c.hours > 0]
    ranked.sort(key=lambda c: (not c.blocks, -c.hours, c.key))
    return ranked


def rinf_figures(network: Network) -> dict[str, Any]:
    """What the RINF extract holds and lacks: places, links, km, the share of links with a speed, gauge and
    electrification, and its connected components (over the places that have a link; places without any counted
    apart)."""
    import networkx as nx

    graph: nx.Graph[str] = nx.Graph()
    graph.add_edges_from((link.u, link.v) for link in network.links.values())
    sizes = sorted((len(c) for c in nx.connected_components(graph)), reverse=True)
    links = list(network.links.values())
    # lines whose own sections fall apart: a section the extract lacks somewhere along a line (e.g. a line to a port
    # that then reaches the network only the long way round)
    by_line: dict[str, nx.Graph[str]] = {}
    for link in links:
        line = link.id.split(":")[1] if link.id.count(":") >= 2 else ""
        by_line.setdefault(line, nx.Graph()).add_edge(link.u, link.v)
    broken: list[dict[str, Any]] = []
    for line, sections in by_line.items():
        parts = [sorted(c) for c in nx.connected_components(sections)]
        if line and len(parts) > 1:
            name = next((x.name for x in links if x.id.startswith(f"rinf:{line}:")), "")
            broken.append({"line": line, "name": name, "parts": len(parts)})
    broken.sort(key=lambda b: (-b["parts"], b["line"]))
    return {"places": len(network.places), "links": len(links), "km": sum(x.length_km for x in links),
            "linked_places": graph.number_of_nodes(), "unlinked_places": len(network.places) - graph.number_of_nodes(),
            "components": len(sizes), "largest": sizes[0] if sizes else 0, "sizes": sizes[:8],
            "speed": sum(x.maxspeed_kmh is not None for x in links),
            "gauge": sum(x.gauge_mm is not None for x in links),
            "electrified": sum(x.electrified is not None for x in links),
            "axle": sum(x.maxaxleload_t is not None for x in links),
            "borders": sum(p.kind == "border" for p in network.places.values()),
            "broken_lines": broken}


def airfield_figures(fields: dict[str, Any], rejections: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Per aircraft and country the airfields able to take it (the runway rule of
    :func:`kompas.mobility.airfields.usable`), the longest open runways, and the runway candidates: airfields an
    aircraft cannot use whose longest open runway of sufficient width is at most :data:`NEAR_RUNWAY_M` short."""
    from kompas.mobility.airfields import usable

    planes = [service.aircraft_named(name) for name in AIRCRAFT]
    counts: dict[str, dict[str, int]] = {}
    rules: dict[str, str] = {}
    near: list[dict[str, Any]] = []
    for plane in planes:
        assert plane is not None
        rule = plane.runway
        rules[plane.name] = (f"{rule.length_m:,.0f} m x {rule.width_m:g} m, "
                             f"{'paved or unpaved' if rule.unpaved else 'paved'}; {rule.mass_basis} "
                             f"[{plane.cites('runway.length_m') or rule.source}]")
        per: dict[str, int] = defaultdict(int)
        for airfield in fields.values():
            ok, _ = usable(airfield, plane)
            if ok:
                per[airfield.country] += 1
                continue
            runways = [r for r in airfield.runways if not r.closed and (rule.unpaved or r.paved)
                       and (rule.width_m is None or r.width_m is None or r.width_m >= rule.width_m)]
            if runways:
                longest = max(r.length_m for r in runways)
                short = rule.length_m - longest
                if 0 < short <= NEAR_RUNWAY_M:
                    near.append({"aircraft": plane.name, "id": airfield.id, "name": airfield.name,
                                 "country": airfield.country, "length_m": longest, "short_m": short})
        counts[plane.name] = {c: per.get(c, 0) for c in load.AIRFIELD_COUNTRIES}
    longest_rows = []
    for airfield in fields.values():
        open_runways = [r for r in airfield.runways if not r.closed]
        if open_runways:
            best = max(open_runways, key=lambda r: r.length_m)
            longest_rows.append({"id": airfield.id, "name": airfield.name, "country": airfield.country,
                                 "runway": best.id, "length_m": best.length_m, "width_m": best.width_m,
                                 "surface": best.surface})
    longest_rows.sort(key=lambda r: (-r["length_m"], r["id"]))
    per_country_longest: dict[str, dict[str, Any]] = {}
    for row in longest_rows:
        per_country_longest.setdefault(row["country"], row)
    near.sort(key=lambda r: (r["short_m"], r["aircraft"], r["id"]))
    return {"counts": counts, "rules": rules, "fields": len(fields), "rejections": rejections,
            "by_country": {c: sum(f.country == c for f in fields.values()) for c in load.AIRFIELD_COUNTRIES},
            "longest": longest_rows[:12], "longest_by_country": per_country_longest}, near


# -- the analysis ----------------------------------------------------------------------------------------------------

def _missing(exc: Exception) -> str:
    return str(exc).split(" (clone")[0]


def analyse(store: Store | None, viewer: Viewer | None, package_name: str | None = None,
            as_of: date | None = None, progress: Progress | None = None) -> Analysis:
    """The report's figures as ``viewer`` may see the networks (``store`` None: the open data alone), for the shipped
    package ``package_name`` (default the ILLUSTRATIVE mechanised infantry battalion). ReportError for an unknown
    package."""
    from kompas.mobility.coverage import coverage

    def step(n: float) -> None:
        if progress is not None:
            progress(n)

    try:
        found, _ = service.package(name=package_name)
    except service.MobilityError as exc:
        raise ReportError(str(exc)) from None
    table, _ = service.lead_times()
    chosen = package_name or service.DEFAULT_PACKAGE
    analysis = Analysis(as_of or datetime.now(UTC).date(), service.package_dict(found), {
        "unit": table.unit, "illustrative": table.illustrative, "default_days": table.default_days,
        "days": dict(sorted(table.days.items())), "target_days": table.target_days,
        "target_year": table.target_year, "target_source": table.target_source,
        "sources": dict(table.sources)})
    markings: list[Marking] = [service.PUBLIC_MARKING]
    sources: list[dict[str, str]] = []

    # corridors
    for name in CORRIDOR_NETWORKS:
        try:
            seen = service.view(store, viewer, name)
        except service.MobilityError as exc:
            analysis.missing[name] = _missing(exc)
            continue
        analysis.networks[name] = seen.network
        markings.append(seen.marking)
        sources.extend(seen.sources)
        for corridor in service.corridors(name):
            answer = service.route(store, viewer, corridor.origin, corridor.destination, network=name,
                                   package_name=chosen, alternatives=name == "gauge-test")
            markings.append(Marking.from_dict(dict(answer["marking"])))  # what this answer read (a contribution
            # stored while the job runs raises the banner too)
            result = CorridorResult(name, corridor.name, answer, slowest(answer["plan"], seen.network),
                                    entry(answer["plan"], seen.network, table))
            analysis.corridors.append(result)
        step(1 if name == CORRIDOR_NETWORKS[0] else 2)
    analysis.candidates = candidates(analysis.corridors)

    # resilience
    if RANK_NETWORK in analysis.networks:
        analysis.ranking = service.rank(store, viewer, network=RANK_NETWORK, package_name=chosen, limit=RANK_LIMIT)
        markings.append(Marking.from_dict(dict(analysis.ranking["marking"])))
        analysis.rinf = rinf_figures(analysis.networks[RANK_NETWORK])
    step(3)

    # airfields
    try:
        fields, rejections = load.airfield_table(load.AIRFIELD_COUNTRIES)
    except load.MissingData as exc:
        analysis.missing["airfields"] = _missing(exc)
    else:
        analysis.airfields, analysis.runway_candidates = airfield_figures(fields, len(rejections))
        sources.append(load.SOURCES["ourairports"])
    step(4)

    # coverage
    for name in COVERAGE_NETWORKS:
        try:
            seen = service.view(store, viewer, name)
        except service.MobilityError as exc:
            analysis.missing[name] = _missing(exc)
            continue
        markings.append(seen.marking)
        sources.extend(seen.sources)
        analysis.coverage[name] = coverage(seen.network, cell_deg=COVERAGE_CELL_DEG)
        analysis.coverage_counts[name] = seen.network.counts()
    step(5)

    # the Suwałki gap
    from kompas.files import read_packaged
    from kompas.mobility.geography import gap, kaliningrad, parse_countries

    analysis.countries = parse_countries(read_packaged(NATURAL_EARTH), "ne_50m_admin_0_countries.geojson (bundled)")
    analysis.gap = gap(analysis.countries, *SUWALKI, part_filter=kaliningrad)
    sources.append(NATURAL_EARTH_SOURCE)
    analysis.sources = distinct_sources(sources)
    analysis.marking = combine(markings)
    step(6)
    return analysis


def distinct_sources(sources: list[dict[str, str]]) -> list[dict[str, str]]:
    """The sources with a distinct attribution, in order; an attribution contained in a longer one (the OSM reader's
    "© OpenStreetMap contributors" and the loader's with the licence) is dropped."""
    texts: list[str] = []
    kept: list[dict[str, str]] = []
    for source in sources:
        text = source.get("attribution", "")
        if not text or text in texts:
            continue
        texts.append(text)
        kept.append(source)
    return [s for s in kept if not any(s["attribution"] != t and s["attribution"] in t for t in texts)]


def report(store: Store | None, viewer: Viewer | None, fmt: str = "pdf", banner: str | None = None,
           handling: str = "", package_name: str | None = None, as_of: date | None = None,
           progress: Progress | None = None) -> Rendered:
    """The mobility report as ``viewer`` may see the networks, rendered as ``fmt`` (``html`` or ``pdf``) and
    banner-marked with the combined marking of the networks and contributions read
    (:func:`kompas.services.reports.banner_for`: a ``banner`` given may raise it, a lower one is refused with
    BannerError). ReportError (a ValueError) for an unknown package or format."""
    from kompas.reports.mobility import build
    from kompas.services.reports import FORMATS, banner_for, render

    if fmt not in FORMATS:
        raise ReportError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    analysis = analyse(store, viewer, package_name, as_of, progress)
    page = build(analysis, banner_for(analysis.marking, banner), handling)
    done = render(page, fmt, f"mobility_{analysis.as_of.isoformat()}", analysis.marking)
    if progress is not None:
        progress(STEPS)
    return done


def hours_text(hours: float | None) -> str:
    """Hours as the report writes them: ``5.2 h`` under two days, ``7.6 d`` above; ``-`` for None or infinite."""
    if hours is None or math.isinf(hours):
        return "-"
    return f"{hours / 24:.1f} d" if hours >= 48 else f"{hours:.1f} h"
