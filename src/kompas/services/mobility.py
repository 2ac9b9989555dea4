"""Military mobility on the platform (issue 27), one service for the command line, the API, the web map and the
report:

- :func:`view`: a named network (:data:`kompas.mobility.load.NETWORKS`) or a built file, with the contributions in
  the Kompas mobility format the viewer may see applied in order (bridges' military load classes, loading ramps,
  port capacities, whole networks). Contributions are platform documents of format ``mobility``, so the storage
  layer applies need-to-know; the view's marking combines the public data's with every contribution applied;
- :func:`contribute`: an organisation adds a contribution under a marking (checked: it must parse and hold something);
- :func:`route`: the fastest feasible plan for a force package with every obstacle named and costed, waits and
  transshipments, throughput and the last vehicle's arrival against ``by``, and the alternatives per set of modes;
- :func:`stress`: re-plan corridors without elements (ids, names, or everything in an area);
- :func:`rank`: the elements most critical to the network's corridors;
- :func:`coverage`: how much of the network states each limit, per tag and area.

Every answer carries ``marking`` (the view's), ``sources`` (attribution and licence of each data set used) and the
``illustrative`` flags of the package, lead times and test network it used.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kompas.core.markings import Marking, Viewer, combine, covers
from kompas.core.store import Account, Store
from kompas.core.store.base import Submitted
from kompas.mobility import load
from kompas.mobility.aircraft import Aircraft, find
from kompas.mobility.borders import LeadTimes, parse_lead_times
from kompas.mobility.contributed import Contribution, apply, parse_contribution, touches
from kompas.mobility.model import Network
from kompas.mobility.network import Graph, PlaceError, find_place
from kompas.mobility.packages import Package, parse_package, parse_vehicles
from kompas.mobility.route import MODE_SETS, Needs, Plan, Planner, needs_of
from kompas.mobility.stress import Corridor, Ranking, StressResult
from kompas.mobility.stress import stress as stress_plans
from kompas.rejections import Rejection

PUBLIC_MARKING = Marking.build("UNCLASSIFIED", "CLEAR")  #: the open data's marking
FORMAT = "mobility"  #: the document format of contributions
DEFAULT_PACKAGE = "mech-battalion"  #: the standard package of the report (ILLUSTRATIVE)
DEFAULT_BORDERS = "borders"  #: the lead-time table shipped (ILLUSTRATIVE)
MAX_REMOVED = 500  #: elements one stress test removes
MAX_CORRIDORS = 50
_lock = threading.Lock()
_VIEWS: OrderedDict[tuple[str, tuple[str, ...]], Network] = OrderedDict()
_VIEWS_MAX = 8
_RANKINGS: OrderedDict[tuple[Any, ...], Ranking] = OrderedDict()
_RANKINGS_MAX = 4
_PARSED: OrderedDict[str, Contribution] = OrderedDict()  #: contributions parsed, by document id
_PARSED_MAX = 512
_RANKED: OrderedDict[tuple[Any, ...], list[Any]] = OrderedDict()  #: rankings answered (the MAX_RANK first)
_RANKED_MAX = 32
MAX_RANK = 500  #: most elements a ranking lists


class MobilityError(ValueError):
    """A request that cannot be answered (unknown place, package or network); the message says why."""


@dataclass
class View:
    """A network as one viewer sees it."""

    name: str
    network: Network
    marking: Marking
    contributions: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[dict[str, str]]:
        return self.network.sources


def _base(name: str) -> Network:
    try:
        return load.named(name)
    except load.MissingData as exc:
        raise MobilityError(str(exc)) from None


def view(store: Store | None, viewer: Viewer | None, name: str = "gauge-test",
         network: Network | None = None, within: Marking | None = None) -> View:
    """The named network (or ``network``, read from a built file) with the viewer's visible contributions applied,
    under the combined marking. ``store`` None: the open network alone. With ``within``, only the contributions
    whose markings ``within`` covers (an answer stored under ``within`` then reveals nothing more)."""
    base = network if network is not None else _base(name)
    heads = store.document_markings_of_format(viewer, FORMAT) if store is not None else []
    if within is not None:
        heads = [h for h in heads if covers(within, h[1])]
    parsed = _parsed(store, viewer, [doc_id for doc_id, _ in heads]) if heads else {}
    # a contribution counts for this network only if it touches it (completes or joins one of its elements): a
    # Lithuanian bridge's class neither changes nor marks the German rail network
    heads = [(doc_id, m) for doc_id, m in heads if doc_id in parsed and touches(parsed[doc_id], base)]
    ids = tuple(doc_id for doc_id, _ in heads)
    marking = combine([PUBLIC_MARKING, *(m for _, m in heads)])
    if not ids:
        return View(name, base, marking)
    key = (name if network is None else f"file:{id(network)}", ids)
    with _lock:
        cached = _VIEWS.get(key)
    if cached is None:
        cached = load.with_countries(apply(base, [parsed[i] for i in ids], [f"contribution {i}" for i in ids]))
        with _lock:
            _VIEWS[key] = cached
            while len(_VIEWS) > _VIEWS_MAX:
                _VIEWS.popitem(last=False)
    return View(name, cached, marking, list(ids))


def _parsed(store: Store | None, viewer: Viewer | None, ids: Sequence[str]) -> dict[str, Contribution]:
    """The contributions of these document ids, parsed once per process (a document never changes: a new version
    is a new document); the text is read only for those not parsed before."""
    with _lock:
        out = {i: _PARSED[i] for i in ids if i in _PARSED}
    missing = [i for i in ids if i not in out]
    if missing and store is not None:
        wanted = set(missing)
        for doc_id, text, _ in store.documents_of_format(viewer, FORMAT):
            if doc_id in wanted:
                out[doc_id] = parse_contribution(text, f"contribution {doc_id}")
        with _lock:
            for doc_id in missing:
                if doc_id in out:
                    _PARSED[doc_id] = out[doc_id]
            while len(_PARSED) > _PARSED_MAX:
                _PARSED.popitem(last=False)
    return out


def contribute(store: Store, account: Account, text: str, title: str, marking: Marking,
               source: str = "api") -> Submitted:
    """Store a contribution in the Kompas mobility format under ``marking`` (the store checks it parses)."""
    return store.contribute_document(account, text, FORMAT, title, marking, source)


def check_contribution(text: str, source: str) -> Contribution:
    """Parse a contribution; MobilityError when nothing in it can be used."""
    from kompas.mobility.contributed import ContributionError

    try:
        contribution = parse_contribution(text, source)
    except ContributionError as exc:
        raise MobilityError(str(exc)) from None
    if not contribution.count():
        first = f" ({contribution.rejections[0]})" if contribution.rejections else ""
        raise MobilityError(f"{source}: no element or attribute could be read{first}")
    return contribution


# -- inputs ----------------------------------------------------------------------------------------------------------

def packages() -> list[str]:
    """Names of the packages shipped with Kompas (ILLUSTRATIVE compositions)."""
    return [n for n in load.packaged_names("packages") if n != "vehicles"]


def package(text: str | None = None, name: str | None = None, source: str = "package"
            ) -> tuple[Package, list[Rejection]]:
    """A package from YAML ``text`` or a shipped ``name``, vehicles from the shipped catalogue when the package does
    not define them; MobilityError when no package can be built."""
    aircraft = load.aircraft_table()
    catalogue, _ = parse_vehicles(load.packaged_text("packages/vehicles.yaml"), "vehicles.yaml", aircraft)
    if text is None:
        chosen = name or DEFAULT_PACKAGE
        if chosen not in packages():
            raise MobilityError(f"no package named {chosen!r} (one of {', '.join(packages())}, or give a file)")
        text, source = load.packaged_text(f"packages/{chosen}.yaml"), f"{chosen}.yaml"
    found, rejections = parse_package(text, source, catalogue, aircraft)
    if found is None or rejections:  # a plan for part of the package would mislead: every problem is named
        raise MobilityError("the package cannot be used as given: " + "; ".join(str(r) for r in rejections[:20])
                            if rejections else f"{source}: no package")
    return found, rejections


def lead_times(text: str | None = None, source: str = "borders") -> tuple[LeadTimes, list[Rejection]]:
    """A lead-time table from YAML ``text``, else the shipped ILLUSTRATIVE one."""
    if text is None:
        text, source = load.packaged_text(f"{DEFAULT_BORDERS}.yaml"), f"{DEFAULT_BORDERS}.yaml"
    table, rejections = parse_lead_times(text, source)
    if table is None:
        raise MobilityError("; ".join(str(r) for r in rejections))
    return table, rejections


def lead_days(table: LeadTimes, countries: Iterable[str]) -> dict[str, float]:
    """Calendar days of notice per country for the planner (the table's unit converted)."""
    out: dict[str, float] = {}
    for country in set(countries):
        if not country:
            continue
        hours = table.hours(table.of(country))
        if hours is not None:
            out[country] = hours / 24.0
    return out


def aircraft_named(name: str | None) -> Aircraft | None:
    """The shipped aircraft type called ``name`` (None for None); MobilityError naming the known ones."""
    if not name:
        return None
    table = load.aircraft_table()
    found = find(table, name)
    if found is None:
        raise MobilityError(f"no aircraft {name!r} (one of {', '.join(sorted(table))})")
    return found


def fewest_sorties(found: Package) -> Aircraft | None:
    """The shipped aircraft type that lifts the whole package in the fewest sorties (the faster one on a tie);
    None when no type can carry every vehicle."""
    able = [(n, -a.cruise_kmh, a.name, a) for a in load.aircraft_table().values()
            if (n := found.sorties(a)) is not None]
    return min(able, key=lambda x: x[:3])[3] if able else None


def modes_of(names: Sequence[str] | None) -> tuple[str, ...]:
    """The modes a plan may use (all by default; road is always allowed: every plan starts and ends on land)."""
    if not names:
        return MODE_SETS[-1]
    bad = sorted(set(names) - set(MODE_SETS[-1]))
    if bad:
        raise MobilityError(f"unknown mode(s) {', '.join(bad)} (road, rail, air, sea)")
    return tuple(m for m in MODE_SETS[-1] if m in set(names) | {"road"})


def _place(network: Network, query: str) -> str:
    try:
        return find_place(network, query).id
    except PlaceError as exc:
        raise MobilityError(str(exc)) from None


# -- answers ---------------------------------------------------------------------------------------------------------

def _hours(value: float | None) -> float | None:
    if value is None:
        return None
    return None if math.isinf(value) else round(value, 3)


def parse_utc(text: str | None) -> datetime | None:
    """An ISO 8601 day or time as UTC (no zone: UTC); ValueError naming the text when it is not one."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date or time (2026-12-01 or 2026-12-01T06:00Z)") from None
    if not 1900 <= value.year <= 2200:  # a plan's times are added to it: keep them inside what a datetime holds
        raise ValueError(f"{text!r}: the year must be within 1900-2200")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _stored(when: datetime | None) -> str | None:
    """A time in the events' stored form (ns, Z), for filters."""
    from kompas.core.envelope import stored_time

    return stored_time(_utc(when) or "") if when is not None else None


def _utc(when: datetime | None) -> str | None:
    """ISO 8601 UTC to the second, with Z."""
    if when is None:
        return None
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def plan_dict(plan: Plan, network: Network, by_utc: datetime | None = None) -> dict[str, Any]:
    """A plan as JSON: legs, obstacles with costs, waits, throughput, assumptions and arrival times."""
    places = network.places

    def where(pid: str) -> dict[str, Any]:
        p = places.get(pid)
        return {"id": pid, "name": (p.name if p else "") or pid, "lon": p.lon if p else None,
                "lat": p.lat if p else None, "country": p.country if p else ""}

    complete = plan.complete_hours
    out: dict[str, Any] = {
        "origin": where(plan.origin), "destination": where(plan.destination), "modes": list(plan.modes),
        "feasible": plan.feasible, "hours": _hours(plan.hours), "ideal_hours": _hours(plan.ideal_hours),
        "complete_hours": _hours(complete), "km": round(plan.km, 1),
        "start_utc": _utc(plan.start_utc),
        "arrive_utc": _utc(plan.arrive_utc),
        "legs": [{"kind": leg.kind, "id": leg.id, "name": leg.name, "mode": leg.mode, "from": leg.frm, "to": leg.to,
                  "km": round(leg.km, 3), "start_h": round(leg.start_h, 3), "end_h": round(leg.end_h, 3)}
                 for leg in plan.legs],
        "obstacles": [{"key": o.key, "kind": o.kind, "element": o.element, "name": o.name, "reason": o.reason,
                       "lon": o.lon, "lat": o.lat,
                       "cost_hours": None if o.cost_hours is None or math.isinf(o.cost_hours) else o.cost_hours,
                       "blocks": o.cost_hours is not None and math.isinf(o.cost_hours),
                       "saving_hours": None if o.saving_hours is None or math.isinf(o.saving_hours)
                       else o.saving_hours,
                       "unblocks": o.saving_hours is not None and math.isinf(o.saving_hours),
                       "together": o.together} for o in plan.obstacles],
        "batches": plan.batches, "why_none": plan.why_none,
        "incurred": plan.incurred, "assumptions": plan.assumptions, "unable": plan.unable,
        "throughput": None if plan.throughput is None else {
            "vehicles_per_day": plan.throughput.vehicles_per_day, "narrowest": plan.throughput.narrowest,
            "elements": list(plan.throughput.elements)},
    }
    if by_utc is not None:
        out["by_utc"] = _utc(by_utc)
        out["meets_by"] = plan.meets(by_utc)
    return out


def package_dict(found: Package) -> dict[str, Any]:
    """What a package is, as the answers show it."""
    return {"name": found.name, "vehicles": found.vehicles, "personnel": found.personnel,
            "heaviest_t": found.heaviest_t, "max_axle_t": found.max_axle_t, "max_height_m": found.max_height_m,
            "max_width_m": found.max_width_m, "max_mlc": found.max_mlc, "rail": found.rail,
            "illustrative": found.illustrative, "source": found.source, "estimated": found.estimated,
            "items": [{"vehicle": v.name, "count": n, "mass_t": v.mass_t, "mlc": v.mlc} for v, n in found.items]}


def lead_notes(table: LeadTimes, countries: Iterable[str]) -> dict[str, str]:
    """How the table states each country's lead time (``"5 working days"``), for the obstacles' text."""
    out = {}
    for country in set(countries):
        days = table.of(country) if country else None
        if days is not None:
            out[country] = f"{days:g} {table.unit} days"
    return out


def _leads_dict(table: LeadTimes, used: dict[str, float]) -> dict[str, Any]:
    """The lead times a plan used: ``days`` in calendar days (what the planner waits), ``table_days`` as the table
    states them, in its ``unit`` (working or calendar days)."""
    return {"unit": table.unit, "illustrative": table.illustrative, "days": dict(sorted(used.items())),
            "table_days": {c: table.of(c) for c in sorted(used)},
            "target_days": table.target_days, "target_year": table.target_year, "target_source": table.target_source}


def route(store: Store | None, viewer: Viewer | None, origin: str, destination: str, *,
          network: str = "gauge-test", built: Network | None = None, package_text: str | None = None,
          package_name: str | None = None, borders_text: str | None = None, start_utc: datetime | None = None,
          by_utc: datetime | None = None, modes: Sequence[str] | None = None, aircraft: str | None = None,
          alternatives: bool = True) -> dict[str, Any]:
    """The fastest feasible plan from ``origin`` to ``destination`` (ids, names or ``lat,lon``) for a package, every
    obstacle named and costed, and the alternatives per set of modes."""
    seen = view(store, viewer, network, built)
    net = seen.network
    frm, to = _place(net, origin), _place(net, destination)
    if frm == to:
        raise MobilityError("origin and destination are the same place")
    found, package_rejections = package(package_text, package_name)
    table, border_rejections = lead_times(borders_text)
    plane = aircraft_named(aircraft)
    chosen_by = "asked" if plane is not None else ""
    if plane is None and net.airfields:  # none asked: the shipped type lifting the package in the fewest sorties
        plane = fewest_sorties(found)
        chosen_by = "fewest sorties" if plane is not None else ""
    needs = needs_of(found, plane, net.airfields)
    countries = {p.country for p in net.places.values()}
    leads = lead_days(table, countries)
    planner = Planner(Graph(net), leads, lead_notes(table, countries))
    chosen = modes_of(modes)
    plan = planner.plan(needs, frm, to, chosen, start_utc)
    others = planner.alternatives(needs, frm, to, start_utc) if alternatives else []
    return {"network": seen.name, "marking": seen.marking.as_dict(), "banner": seen.marking.banner(),
            "sources": seen.sources, "package": package_dict(found), "aircraft": plane.name if plane else None,
            "aircraft_chosen_by": chosen_by, "unable": plan.unable,
            "lead_times": _leads_dict(table, leads), "plan": plan_dict(plan, net, by_utc),
            "alternatives": [{"modes": list(p.modes), "feasible": p.feasible, "hours": _hours(p.hours),
                              "complete_hours": _hours(p.complete_hours), "km": round(p.km, 1),
                              "legs": len(p.legs)} for p in others],
            "rejections": [r.as_dict() for r in [*package_rejections, *border_rejections]],
            "illustrative": {"package": found.illustrative, "lead_times": table.illustrative,
                             "network": any(src.get("name") == "gauge-test" for src in seen.sources)}}


def corridors(network: str, pairs: Sequence[tuple[str, str]] = (), net: Network | None = None) -> list[Corridor]:
    """Corridors given as (origin, destination) pairs, else the network's shipped corridors."""
    if pairs:
        if len(pairs) > MAX_CORRIDORS:
            raise MobilityError(f"at most {MAX_CORRIDORS} corridors")
        assert net is not None
        out = []
        for a, b in pairs:
            frm, to = _place(net, a), _place(net, b)
            out.append(Corridor(f"{net.places[frm].name} – {net.places[to].name}", frm, to))
        return out
    return [Corridor(str(c["name"]), str(c["from"]), str(c["to"])) for c in load.corridors(network)]


def removal(net: Network, names: Sequence[str] = (), area: Any = None) -> list[str]:  # noqa: ANN401 (an Area)
    """Element ids to remove: ids or place names in ``names`` (``border:CC``: every road and rail link crossing into
    or out of country CC, as an obstacle's key names it), and every place in ``area`` and every link crossing it
    (:class:`kompas.infra.areas.Area`)."""
    ids: set[str] = set()
    for name in names:
        if name in net.links or name in net.transfers or name in net.places:
            ids.add(name)
        elif name.startswith("border:") and len(name) == 9:  # every crossing into (or out of) a country
            country = name[7:].upper()
            crossing = [link.id for link in net.links.values()
                        if country in (net.places[link.u].country, net.places[link.v].country)
                        and net.places[link.u].country != net.places[link.v].country
                        and net.places[link.u].country and net.places[link.v].country]
            if not crossing:
                raise MobilityError(f"{name}: no link of this network crosses into or out of {country}")
            ids.update(crossing)
        else:
            ids.add(_place(net, name))
    if area is not None:
        import numpy as np
        import shapely

        shape = area.geometry
        shapely.prepare(shape)
        chosen = list(net.places.values())
        inside = shapely.intersects_xy(shape, np.array([p.lon for p in chosen]), np.array([p.lat for p in chosen]))
        ids.update(p.id for p, hit in zip(chosen, inside, strict=True) if hit)
        # and every section crossing it, though neither end lies in it (a bridge in a flooded valley)
        links = [x for x in net.links.values() if x.u in net.places and x.v in net.places]
        lines = shapely.linestrings([list(x.line) if len(x.line) >= 2 else
                                     [(net.places[x.u].lon, net.places[x.u].lat),
                                      (net.places[x.v].lon, net.places[x.v].lat)] for x in links])
        crossed = shapely.intersects(shape, lines)
        ids.update(x.id for x, hit in zip(links, crossed, strict=True) if hit)
    if len(ids) > MAX_REMOVED:
        raise MobilityError(f"the removal names {len(ids):,} elements (at most {MAX_REMOVED})")
    return sorted(ids)


def _stress_on(seen: View, gone: list[str]) -> dict[str, Any]:
    """The shipped corridors of ``seen`` without ``gone``, for the standard package (an incident's payload)."""
    found, _ = package()
    table, _ = lead_times()
    net = seen.network
    result = stress_plans(net, corridors(seen.name), needs_of(found, None, net.airfields), gone,
                          lead_days(table, (p.country for p in net.places.values())))
    return {"failed": result.failed, "outcomes": _outcomes(result)}


def _outcomes(result: StressResult) -> list[dict[str, Any]]:
    """A stress result's outcomes as JSON."""
    return [{"corridor": o.corridor, "before_hours": _hours(o.before_hours), "after_hours": _hours(o.after_hours),
             "added_hours": o.added_hours, "failed": o.failed, "lost": list(o.lost)} for o in result.outcomes]


def stress(store: Store | None, viewer: Viewer | None, remove: Sequence[str] = (), area: Any = None,  # noqa: ANN401
           *, network: str = "gauge-test", built: Network | None = None, pairs: Sequence[tuple[str, str]] = (),
           package_text: str | None = None, package_name: str | None = None, borders_text: str | None = None,
           start_utc: datetime | None = None, events: bool = False, since_utc: datetime | None = None
           ) -> dict[str, Any]:
    """Which corridors fail or slow when ``remove`` (ids or names), everything in ``area`` and, with ``events``,
    the transport assets that incidents the viewer may see name (:func:`incidents`) are lost. The answer's marking
    combines the network's and the incidents' used."""
    seen = view(store, viewer, network, built)
    net = seen.network
    chosen = corridors(network, pairs, net)
    if not chosen:
        raise MobilityError(f"network {network!r} has no corridors: give --corridor FROM TO")
    gone = removal(net, remove, area)
    used: list[dict[str, Any]] = []
    marking = seen.marking
    if events and store is not None:
        named, used, event_marking = incidents(store, viewer, net, _stored(since_utc))
        gone = sorted(set(gone) | set(named))
        marking = combine([marking, event_marking])
    if not gone:
        raise MobilityError("nothing to remove: name elements, give an area that holds some, or no visible "
                            "incident names a transport asset of this network")
    found, _ = package(package_text, package_name)
    table, _ = lead_times(borders_text)
    needs = needs_of(found, None, net.airfields)
    result = stress_plans(net, chosen, needs, gone, lead_days(table, (p.country for p in net.places.values())),
                          start_utc)
    return {"network": seen.name, "marking": marking.as_dict(), "banner": marking.banner(),
            "sources": seen.sources, "package": package_dict(found), "removed": list(result.removed), "events": used,
            "failed": result.failed, "outcomes": _outcomes(result),
            "plans": {name: plan_dict(p, net) for name, p in result.plans.items()}}


def ranking(net: Network, needs: Needs, key: tuple[Any, ...]) -> Ranking:
    """The static ranking graph of ``net`` for ``needs`` (a few kept per process)."""
    with _lock:
        cached = _RANKINGS.get(key)
    if cached is None:
        cached = Ranking(net, needs)
        with _lock:
            _RANKINGS[key] = cached
            while len(_RANKINGS) > _RANKINGS_MAX:
                _RANKINGS.popitem(last=False)
    return cached


def rank(store: Store | None, viewer: Viewer | None, *, network: str = "gauge-test",
         built: Network | None = None, pairs: Sequence[tuple[str, str]] = (), package_text: str | None = None,
         package_name: str | None = None, limit: int = 25) -> dict[str, Any]:
    """The elements whose loss breaks the most corridors, then adds the most hours."""
    seen = view(store, viewer, network, built)
    net = seen.network
    chosen = corridors(network, pairs, net)
    if not chosen:
        raise MobilityError(f"network {network!r} has no corridors: give --corridor FROM TO")
    found, _ = package(package_text, package_name)
    needs = needs_of(found, None, net.airfields)
    key = (seen.name, tuple(seen.contributions), package_text or package_name or DEFAULT_PACKAGE)
    asked = (key, tuple((c.origin, c.destination) for c in chosen))
    with _lock:
        ranks = _RANKED.get(asked)
    if ranks is None:
        ranks = ranking(net, needs, key).rank(chosen, limit=MAX_RANK)
        with _lock:
            _RANKED[asked] = ranks
            while len(_RANKED) > _RANKED_MAX:
                _RANKED.popitem(last=False)
    ranks = ranks[:max(1, min(limit, MAX_RANK))]
    places = net.places

    def ends(element: str) -> str:
        link = net.links.get(element)
        if link is None:
            return ""
        a, b = places.get(link.u), places.get(link.v)
        return f"{a.name if a else link.u} – {b.name if b else link.v}"

    return {"network": seen.name, "marking": seen.marking.as_dict(), "banner": seen.marking.banner(),
            "sources": seen.sources, "package": package_dict(found),
            "corridors": [{"name": c.name, "from": c.origin, "to": c.destination} for c in chosen],
            "note": "hours added on the network alone, border waits left out (a stress test of an element includes "
                    "them)",
            "ranking": [{"element": r.element, "name": r.name, "section": ends(r.element), "kind": r.kind,
                         "failed": list(r.failed), "added_hours": r.added_hours, "corridors": list(r.corridors)}
                        for r in ranks]}


def coverage(store: Store | None, viewer: Viewer | None, network: str = "gauge-test",
             built: Network | None = None, cell_deg: float = 1.0) -> dict[str, Any]:
    """How much of the network states each limit, per tag and link class, overall and per grid cell."""
    from kompas.mobility.coverage import coverage as measure

    seen = view(store, viewer, network, built)
    result = measure(seen.network, cell_deg=cell_deg)
    return {"network": seen.name, "marking": seen.marking.as_dict(), "banner": seen.marking.banner(),
            "sources": seen.sources, "summary": result.lines(), "rows": result.rows(), "areas": list(result.areas),
            "bridges": result.bridges, "open_bridges": list(result.open_bridges[:500]),
            "open_bridges_total": len(result.open_bridges), "dual_gauge": list(result.dual_gauge),
            "cell_deg": result.cell_deg}


# -- events: incidents on transport assets in, stress results out --------------------------------------------------

ASSET_KIND = "transport-asset"  #: the envelope actor kind naming a mobility element (its id: the element id)
EVENT_DOMAINS = ("mobility", "infra", "cyber")  #: domains whose incidents may name transport assets
MAX_EVENTS = 500  #: newest incidents read for a stress test
CAUSES = ("sabotage", "cyber-attack", "accident", "technical-failure", "natural", "blockade", "unknown")


def incidents(store: Store, viewer: Viewer | None, net: Network, since_utc: str | None = None
              ) -> tuple[list[str], list[dict[str, Any]], Marking]:
    """The transport assets of ``net`` that incidents the viewer may see name (actors of kind
    :data:`ASSET_KIND`, in the mobility, infrastructure and cyber domains: a hybrid or cyber attack on a bridge, a
    junction's signalling, a port), the events used, and their combined marking."""
    from kompas.core.markings import Marking as _Marking
    from kompas.core.store import events as platform_events

    ids: set[str] = set()
    used: list[dict[str, Any]] = []
    markings: list[Marking] = []
    for domain in EVENT_DOMAINS:
        page = platform_events.listing(store, viewer, limit=MAX_EVENTS, kind="incident", domain=domain,  # type: ignore[arg-type]
                                       since_utc=since_utc, sort="-time")
        for event in page.items:
            named = [a["id"] for a in event["actors"] if a["kind"] == ASSET_KIND and a["id"] in
                     (*net.links, *net.places, *net.transfers)]
            if named:
                ids.update(named)
                used.append({"id": event["id"], "domain": event["domain"], "title": event["title"],
                             "time_utc": event["time_utc"], "assets": named})
                markings.append(_Marking.from_dict(dict(event["marking"])))
    return sorted(ids), used, combine(markings) if markings else PUBLIC_MARKING


def record_incident(store: Store, account: Account, assets: Sequence[str], time_utc: str, cause: str,
                    marking: Marking, network: str = "gauge-test", title: str = "") -> dict[str, Any]:
    """Record damage to transport assets (ids or place names on ``network``) as an ``incident`` event (domain
    ``mobility``) under ``marking``: the assets as actors of kind :data:`ASSET_KIND`, the place of the first, and the
    stress result of losing them on the network's corridors as payload (severity high when a corridor fails,
    medium when one slows, else low). The same incident recorded again is stored once. Audited."""
    from kompas.core import audit
    from kompas.core.envelope import Actor, Envelope, derived_id, stored_time
    from kompas.core.envelope import Place as EventPlace
    from kompas.core.store import events as platform_events

    if cause not in CAUSES:
        raise MobilityError(f"cause must be one of {', '.join(CAUSES)}")
    if not assets:
        raise MobilityError("name at least one asset")
    store.check_marking(account, marking)
    seen = view(store, account.viewer, network, within=marking)
    net = seen.network
    gone = removal(net, assets)
    result = _stress_on(seen, gone) if corridors(network) else None
    event_marking = combine([marking, seen.marking])
    event_id = derived_id("mobility-incident", account.org, time_utc, ",".join(gone), marking.key())
    first = net.places.get(gone[0]) or (net.places.get(net.links[gone[0]].u) if gone[0] in net.links else None)
    failed = result["failed"] if result else []
    slowed = [o for o in result["outcomes"] if o["added_hours"]] if result else []
    elements = [(net.links.get(g) or net.places.get(g) or net.transfers.get(g)) for g in gone]
    names = [(e.name if e is not None else "") or g for e, g in zip(elements, gone, strict=True)]
    when = stored_time(time_utc)
    envelope = Envelope(
        id=event_id, domain="mobility", type="incident", time_utc=when, start_utc=when, end_utc=when,
        title=title or f"Transport assets lost ({cause}): {', '.join(names)[:150]}",
        severity="high" if failed else "medium" if slowed else "low",
        actors=tuple(Actor("asset", ASSET_KIND, g, n[:200]) for n, g in zip(names, gone, strict=True)),
        place=EventPlace(lat=first.lat, lon=first.lon, countries=(first.country,) if first.country else ())
        if first else EventPlace(),
        evidence={"cause": cause, "network": network},
        payload={"failed": failed, "outcomes": result["outcomes"] if result else []},
        source=f"kompas mobility incident ({account.org})")
    done = platform_events.store(store, [(envelope, event_marking)], "mobility incident")
    if done.rejected:
        raise MobilityError(f"the incident could not be recorded: {done.rejected[0].field}: "
                            f"{done.rejected[0].reason}")
    audit.append(store.engine, account.name, "mobility-incident", f"events/{event_id}", "ok",
                 f"{', '.join(gone)[:200]} ({event_marking.banner()})")
    return {"id": event_id, "recorded": bool(done.ids), "assets": gone, "severity": envelope.severity,
            "failed": failed, "marking": event_marking.as_dict(), "banner": event_marking.banner()}
