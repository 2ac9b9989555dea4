"""Route feasibility: the fastest feasible multimodal plan for a force package, what blocks the faster ones, and what
each obstacle costs.

The planner is a label-setting search (Dijkstra) over states ``(place, mode, rail gauge)``, labelled with the
arrival time in hours after the start. It is written here rather than taken from networkx because two of its rules
depend on the state and on the time: a rail link may only be taken at the gauge the load is on (changing gauge
needs a transshipment transfer), and entering another country waits until the movement permission's lead time has
run from the start (``max(t, lead)``: a FIFO rule, so the search stays exact).

Obstacles are found the way a planner asks the question. The *ideal* route ignores every element obstacle (posted
limits, gauge breaks, border lead times, short runways); each obstacle on it is then enforced **alone** and the
route searched again: the extra hours are that obstacle's cost (``inf``: no way round it). The *plan* enforces
everything. Package-level limits (a vehicle that cannot go by rail, a package that cannot fly) are not element
obstacles and are always enforced.

Rules (each named in the obstacle's text):

- road and rail links: the heaviest vehicle's mass against ``maxweight`` (or the bridge's contributed ``mlc``
  against the package's NATO military load class, which wins when stated), the heaviest axle against
  ``maxaxleload``, the tallest vehicle against ``maxheight``, the widest against ``maxwidth`` (trains are taken to
  be diesel-hauled: electrification changes nothing here);
- a rail gauge break: a rail link whose gauge differs from the gauge the load is on;
- a border: entering a country whose permission lead time has not yet run (days, from the lead-time table);
- a runway: an airfield the package's aircraft cannot use (the reason comes from the runway rule of
  :mod:`kompas.mobility.aircraft`, precomputed per airfield in :attr:`Needs.runways`).

Times: road and rail links at the lower of the package's speed and the posted one; transfers at their ``hours``;
air legs great-circle at the aircraft's cruise speed; sea legs 1.2 x great-circle at the ship's speed.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from kompas.mobility.model import Airfield, Link, Transfer
from kompas.mobility.network import Graph, great_circle_km

if TYPE_CHECKING:
    from kompas.mobility.aircraft import Aircraft
    from kompas.mobility.packages import Package

SEA_DETOUR = 1.2  #: sea distance / great-circle distance (coasts and traffic separation), a planning factor
DEFAULT_ROAD_KMH = {"motorway": 80.0, "trunk": 70.0, "primary": 60.0}  #: when no ``maxspeed`` is posted
DEFAULT_KMH = 50.0  #: any other road without ``maxspeed``
DEFAULT_RAIL_KMH = 80.0  #: a rail line without ``maxspeed``
AIR_TURNAROUND_H = 2.0  #: ground time at an airfield between two flights (unload, refuel, reload), a planning factor
MAX_COSTED = 25  #: obstacles of one route costed by a search each (the rest are named, cost not computed)
MODE_SETS: tuple[tuple[str, ...], ...] = (("road",), ("road", "rail"), ("road", "air"), ("road", "sea"),
                                          ("road", "rail", "air", "sea"))


@dataclass(frozen=True)
class Needs:
    """What a package asks of the network (from :class:`kompas.mobility.packages.Package` by
    :func:`needs_of`); masses t, lengths m, speeds km/h."""

    name: str = "package"
    mass_t: float = 0.0  #: the heaviest vehicle
    axle_t: float = 0.0  #: the heaviest axle
    height_m: float = 0.0
    width_m: float = 0.0
    mlc: int = 0  #: the highest NATO military load class in the package
    vehicles: int = 1
    road_kmh: float = 60.0  #: convoy speed
    rail_kmh: float = 100.0  #: a military train's top speed
    rail: bool = True  #: every vehicle can go on a standard flat wagon
    vehicles_per_train: int = 30
    aircraft: str | None = None  #: the aircraft type used for air legs (None: no air legs)
    cruise_kmh: float = 0.0
    sorties: int | None = None  #: sorties of ``aircraft`` to lift the package (None: it cannot fly in it)
    runways: Mapping[str, str] = field(default_factory=dict)  #: airfield id → why the aircraft cannot use it
    sea_kmh: float = 30.0  #: a ro-ro ship's speed (16 kn)
    unable: Mapping[str, str] = field(default_factory=dict)  #: mode → why the package as a whole cannot use it


class Leg(NamedTuple):
    """One step of a plan: a link, a transfer, an air or sea leg, or a wait at a border (a named tuple: the search
    makes one per move it considers)."""

    kind: str  #: "link", "transfer", "air", "sea" or "wait"
    id: str
    name: str
    mode: str
    frm: str
    to: str
    km: float
    start_h: float
    end_h: float


@dataclass(frozen=True)
class Obstacle:
    """Something that stops or slows the package: ``key`` ``link:ID``, ``gauge:A>B`` (a run from gauge A onto
    gauge B without transshipment, wherever it happens), ``border:CC`` (entering country CC, wherever it is entered)
    or ``runway:ID``; ``cost_hours`` the time it adds when it alone is enforced
    (``inf``: no way round it; ``None``: not costed, beyond :data:`MAX_COSTED`)."""

    key: str
    kind: str  #: weight, mlc, axle, height, width, electric, gauge, border, runway
    element: str
    name: str
    reason: str
    lon: float
    lat: float
    cost_hours: float | None = None
    saving_hours: float | None = None  #: hours the plan gains when this obstacle alone is lifted (inf: it unblocks)
    together: bool = False  #: one of the obstacles that together make the plan what it is (see :meth:`Planner.plan`)


@dataclass
class Plan:
    """The answer for one package from ``origin`` to ``destination``: the plan (empty legs when infeasible), the
    obstacles on the ideal route with their costs, the waits and transshipments the plan incurs, and the
    assumptions it rests on (unknown limits taken as passable)."""

    origin: str
    destination: str
    package: str
    modes: tuple[str, ...]
    feasible: bool
    hours: float | None  #: first arrival, hours after the start
    ideal_hours: float | None  #: the same with every element obstacle ignored
    start_utc: datetime | None = None
    legs: list[Leg] = field(default_factory=list)
    obstacles: list[Obstacle] = field(default_factory=list)
    incurred: list[dict[str, object]] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    throughput: Throughput | None = None
    unable: dict[str, str] = field(default_factory=dict)  #: mode → why the package cannot use it (not an element)
    batches: int = 1  #: trains, sorties or sailings the plan's legs need for the whole package (the most of them)
    why_none: str = ""  #: when there is no plan: why, in words

    @property
    def complete_hours(self) -> float | None:
        """When the last vehicle arrives, hours after the start: the first arrival plus the rest of the package
        through the narrowest element; None when the package needs several trains, sorties or sailings and no element
        on the route states a capacity (the first batch's arrival is then all that is known)."""
        if self.hours is None:
            return None
        if self.throughput is None or not self.throughput.vehicles_per_day:
            return self.hours if self.batches <= 1 else None  # several batches, no capacity stated: unknown
        return self.hours + 24.0 * self.throughput.rest / self.throughput.vehicles_per_day

    def meets(self, by_utc: datetime) -> bool | None:
        """Whether the whole package is there by ``by_utc`` (None without a start or a plan)."""
        if self.start_utc is None or self.complete_hours is None:
            return None
        return self.start_utc + timedelta(hours=self.complete_hours) <= by_utc

    @property
    def arrive_utc(self) -> datetime | None:
        """First arrival, UTC (None without a start time or a plan)."""
        if self.start_utc is None or self.hours is None:
            return None
        return self.start_utc + timedelta(hours=self.hours)

    @property
    def km(self) -> float:
        """Length of the plan, km."""
        return sum(leg.km for leg in self.legs)

    def used(self) -> set[str]:
        """Ids of every element the plan uses (links, transfers, places, airfields, ports)."""
        ids = {leg.id for leg in self.legs if leg.kind in ("link", "transfer")}
        ids |= {leg.frm for leg in self.legs} | {leg.to for leg in self.legs}
        return ids


@dataclass(frozen=True)
class Throughput:
    """How many vehicles a day the plan's route passes, set by its narrowest element with a stated capacity
    (``None`` when no element on it states one), and every element's figure. ``rest`` is the vehicles after
    the first batch through the narrowest element."""

    vehicles_per_day: float | None
    narrowest: str | None
    rest: float
    elements: tuple[dict[str, object], ...] = ()


# -- checks ----------------------------------------------------------------------------------------------------------

def link_limits(link: Link, needs: Needs) -> list[tuple[str, str]]:
    """``(kind, reason)`` for every posted limit of ``link`` the package exceeds (empty: it passes)."""
    found: list[tuple[str, str]] = []
    what = "bridge" if link.bridge else "tunnel" if link.tunnel else link.mode
    if link.mlc is not None and needs.mlc:
        if needs.mlc > link.mlc:
            found.append(("mlc", f"{what} MLC {link.mlc} < package MLC {needs.mlc}"))
    elif link.maxweight_t is not None and needs.mass_t > link.maxweight_t:
        found.append(("weight", f"{what} maxweight {link.maxweight_t:g} t < heaviest vehicle {needs.mass_t:g} t"))
    if link.maxaxleload_t is not None and needs.axle_t > link.maxaxleload_t:
        found.append(("axle", f"{what} maxaxleload {link.maxaxleload_t:g} t < axle {needs.axle_t:g} t"))
    if link.mode == "road" and link.maxheight_m is not None and needs.height_m > link.maxheight_m:
        found.append(("height", f"{what} maxheight {link.maxheight_m:g} m < tallest vehicle {needs.height_m:g} m"))
    if link.mode == "road" and link.maxwidth_m is not None and needs.width_m > link.maxwidth_m:
        found.append(("width", f"{what} maxwidth {link.maxwidth_m:g} m < widest vehicle {needs.width_m:g} m"))
    return found


def link_hours(link: Link, needs: Needs) -> float:
    """Hours to drive or run ``link``: at the lower of the package's speed and the posted (or default) one."""
    if link.mode == "rail":
        posted = link.maxspeed_kmh or DEFAULT_RAIL_KMH
        return link.length_km / max(1.0, min(needs.rail_kmh, posted))
    posted = link.maxspeed_kmh or DEFAULT_ROAD_KMH.get(link.kind.removesuffix("_link"), DEFAULT_KMH)
    return link.length_km / max(1.0, min(needs.road_kmh, posted))


@dataclass(frozen=True)
class _Rules:
    """What one search enforces: everything (``strict``) but the obstacles whose keys are in ``exempt``, or only
    the obstacles whose keys are in ``only``."""

    strict: bool
    only: frozenset[str] = frozenset()
    exempt: frozenset[str] = frozenset()

    def enforced(self, key: str) -> bool:
        return (self.strict and key not in self.exempt) or key in self.only


@dataclass
class _Found:
    hours: float
    legs: list[Leg]
    met: dict[str, tuple[str, str, str, float, float]]  #: obstacle key → (kind, element, reason, lon, lat)


State = tuple[str, str, int]  #: place id, mode ("" before the first move), gauge mm (0: not on rail / unknown)


class Planner:
    """Plans for one network and one set of removed elements (:meth:`Graph.without`)."""

    def __init__(self, graph: Graph, lead_days: Mapping[str, float] | None = None,
                 lead_notes: Mapping[str, str] | None = None) -> None:
        """``lead_days``: calendar days of notice per country entered (ISO-2); ``lead_notes``: how the lead-time
        table states each (``"5 working days"``), for the obstacles' text."""
        self.graph = graph
        self.network = graph.network
        self.lead_days = dict(lead_days or {})
        self.lead_notes = dict(lead_notes or {})
        self._country = {pid: p.country for pid, p in self.network.places.items()}
        self._for: Needs | None = None
        self._links: dict[str, tuple[str, float, tuple[str, str] | None, int | None, str, float]] = {}
        self._air = [a for a in self.network.airfields if graph.has(a)]
        self._sea = [p for p in self.network.ports if graph.has(p)]

    # -- the search ----------------------------------------------------------------------------------------------
    def _search(self, needs: Needs, origin: str, destination: str, modes: tuple[str, ...],
                rules: _Rules) -> _Found | None:
        start: State = (origin, "", 0)
        best: dict[State, float] = {start: 0.0}
        back: dict[State, tuple[State, Leg | None, Leg]] = {}
        met_at: dict[State, dict[str, tuple[str, str, str, float, float]]] = {start: {}}
        counter = itertools.count()
        heap: list[tuple[float, int, State]] = [(0.0, next(counter), start)]
        done: set[State] = set()
        while heap:
            t, _, state = heapq.heappop(heap)
            if state in done:
                continue
            done.add(state)
            place, mode, gauge = state
            if place == destination:
                return _Found(t, self._legs(back, state), met_at[state])
            for nxt, wait, leg, met in self._moves(needs, state, t, modes, rules):
                arrive = leg.end_h
                if arrive < best.get(nxt, math.inf):
                    best[nxt] = arrive
                    back[nxt] = (state, wait, leg)
                    met_at[nxt] = {**met_at[state], **met} if met else met_at[state]
                    heapq.heappush(heap, (arrive, next(counter), nxt))
        return None

    @staticmethod
    def _legs(back: dict[State, tuple[State, Leg | None, Leg]], state: State) -> list[Leg]:
        legs: list[Leg] = []
        while state in back:
            prev, wait, leg = back[state]
            legs.append(leg)
            if wait is not None:
                legs.append(wait)
            state = prev
        legs.reverse()
        return legs

    def _border(self, frm: str, to: str, t: float, rules: _Rules,
                met: dict[str, tuple[str, str, str, float, float]]) -> tuple[float, Leg | None]:
        """The departure time after any wait for permission to enter ``to``'s country, and the wait leg."""
        places = self.network.places
        a, b = places[frm].country, places[to].country
        if not a or not b or a == b:
            return t, None
        lead_h = 24.0 * self.lead_days.get(b, 0.0)
        if lead_h <= 0:
            return t, None
        key = f"border:{b}"
        here = places[frm]
        stated = self.lead_notes.get(b)
        days = f"{stated} ({lead_h / 24:g} calendar days)" if stated else f"{lead_h / 24:g} calendar days"
        met[key] = ("border", frm, f"entering {b} (from {a}) needs movement permission {days} ahead",
                    here.lon, here.lat)
        if not rules.enforced(key) or t >= lead_h:
            return t, None
        return lead_h, Leg("wait", key, f"permission to enter {b}", "", frm, frm, 0.0, t, lead_h)

    def _moves(self, needs: Needs, state: State, t: float, modes: tuple[str, ...], rules: _Rules
               ) -> Iterable[tuple[State, Leg | None, Leg, dict[str, tuple[str, str, str, float, float]] | None]]:
        network = self.network
        places = network.places
        place, mode, gauge = state
        here = places[place]
        info = self._info(needs)
        country = self._country
        for step in self.graph.out.get(place, ()):
            if step.kind == "link":
                link_mode, hours, limits, link_gauge, name, km = info.get(step.id) or self._describe(needs, step.id)
                if link_mode not in modes or (mode and mode != link_mode):
                    continue
                if link_mode == "rail" and not needs.rail:
                    continue
                met: dict[str, tuple[str, str, str, float, float]] | None = None
                if limits is not None:
                    key = f"link:{step.id}"
                    if rules.enforced(key):
                        continue
                    met = {key: (limits[0], step.id, limits[1], here.lon, here.lat)}
                new_gauge = gauge
                if link_gauge:
                    if gauge and gauge != link_gauge:
                        key = f"gauge:{gauge}>{link_gauge}"
                        if rules.enforced(key):
                            continue
                        met = met if met is not None else {}
                        met[key] = ("gauge", place, f"gauge break {gauge} → {link_gauge} mm, no transshipment "
                                    "taken", here.lon, here.lat)
                    new_gauge = link_gauge
                a, b = country[place], country[step.to]
                if a and b and a != b:
                    met = met if met is not None else {}
                    depart, wait = self._border(place, step.to, t, rules, met)
                else:
                    depart, wait = t, None
                yield ((step.to, link_mode, new_gauge), wait,
                       Leg("link", step.id, name, link_mode, place, step.to, km, depart, depart + hours), met)
            else:
                met = {}
                transfer = network.transfers[step.id]
                moved = self._transfer(needs, transfer, place, mode, gauge, modes, rules, met)
                if moved is None:
                    continue
                to_mode, new_gauge = moved
                depart, wait = self._border(place, step.to, t, rules, met)
                leg = Leg("transfer", transfer.id, transfer.name or transfer.kind, to_mode, place, step.to, 0.0,
                          depart, depart + transfer.hours)
                yield (step.to, to_mode, new_gauge), wait, leg, met
        starts_here = mode == "" and place in network.airfields and "air" in modes and needs.sorties is not None
        if starts_here:  # the package is at the airfield already: it is loaded there (the runway rule applies)
            why = needs.runways.get(place)
            if why and rules.enforced(f"runway:{place}"):
                starts_here = False
        if (mode == "air" or starts_here) and place in network.airfields and needs.aircraft is not None:
            ground = AIR_TURNAROUND_H if mode == "air" else 0.0
            for nxt, wait, leg, met in self._flights(needs, place, t + ground, rules, self._air, "air",
                                                     needs.cruise_kmh, 1.0):
                why = needs.runways.get(place) if starts_here else None
                if why:
                    met = {**met, f"runway:{place}": ("runway", place, why, here.lon, here.lat)}
                yield nxt, wait, leg, met
        if mode == "sea" and place in network.ports:
            yield from self._flights(needs, place, t, rules, self._sea, "sea", needs.sea_kmh, SEA_DETOUR)

    def _info(self, needs: Needs) -> dict[str, tuple[str, float, tuple[str, str] | None, int | None, str, float]]:
        """The per-link facts the search reads for ``needs``, filled as links are met (reset for other needs)."""
        if self._for is not needs:
            self._for, self._links = needs, {}
        return self._links

    def _describe(self, needs: Needs, link_id: str) -> tuple[str, float, tuple[str, str] | None, int | None, str,
                                                             float]:
        """(mode, hours, (kinds, reasons) of the limits exceeded or None, gauge, name, km) of a link for ``needs``."""
        link = self.network.links[link_id]
        limits = link_limits(link, needs)
        exceeded = ("+".join(k for k, _ in limits), "; ".join(r for _, r in limits)) if limits else None
        fact = (link.mode, link_hours(link, needs), exceeded, link.gauge_mm, link.name or link.kind, link.length_km)
        self._info(needs)[link_id] = fact
        return fact

    def _transfer(self, needs: Needs, transfer: Transfer, place: str, mode: str, gauge: int,
                  modes: tuple[str, ...], rules: _Rules, met: dict[str, tuple[str, str, str, float, float]]
                  ) -> tuple[str, int] | None:
        """The mode and gauge after taking ``transfer`` from ``place``, or None when it cannot be taken."""
        forward = place == transfer.a
        if transfer.a == transfer.b:  # at one place: the direction the load's mode allows
            forward = mode in ("", transfer.from_mode) if transfer.kind != "transshipment" else \
                not gauge or gauge == (transfer.gauges_mm or (0, 0))[0]
        frm, to = (transfer.from_mode, transfer.to_mode) if forward else (transfer.to_mode, transfer.from_mode)
        if transfer.kind == "transshipment":
            if mode not in ("", "rail") or not transfer.gauges_mm or "rail" not in modes:
                return None
            g1, g2 = transfer.gauges_mm if forward else transfer.gauges_mm[::-1]
            if gauge and gauge != g1:
                return None
            return "rail", g2
        if mode not in ("", frm) or to not in modes or frm not in modes:
            return None
        if "rail" in (frm, to) and not needs.rail:
            return None
        if "air" in (frm, to):
            airfield = transfer.b
            if needs.aircraft is None or needs.sorties is None:
                return None
            why = needs.runways.get(airfield)
            if why:
                key = f"runway:{airfield}"
                if rules.enforced(key):
                    return None
                spot = self.network.places[airfield]
                met[key] = ("runway", airfield, why, spot.lon, spot.lat)
        return to, 0 if to != "rail" else gauge

    def _flights(self, needs: Needs, place: str, t: float, rules: _Rules, ends: list[str], mode: str,
                 kmh: float, detour: float
                 ) -> Iterable[tuple[State, Leg | None, Leg, dict[str, tuple[str, str, str, float, float]]]]:
        if kmh <= 0:
            return
        here = self.network.places[place]
        for other in ends:
            if other == place:
                continue
            met: dict[str, tuple[str, str, str, float, float]] = {}
            if mode == "air":
                why = needs.runways.get(other)
                if why:
                    key = f"runway:{other}"
                    if rules.enforced(key):
                        continue
                    spot = self.network.places[other]
                    met[key] = ("runway", other, why, spot.lon, spot.lat)
            there = self.network.places[other]
            km = great_circle_km(here.lon, here.lat, there.lon, there.lat) * detour
            depart, wait = self._border(place, other, t, rules, met)
            name = f"{needs.aircraft} {here.name} → {there.name}" if mode == "air" else f"sealift {here.name} → " \
                f"{there.name}"
            leg = Leg(mode, f"{mode}:{place}>{other}", name, mode, place, other, km, depart, depart + km / kmh)
            yield (other, mode, 0), wait, leg, met

    # -- the answer ----------------------------------------------------------------------------------------------
    def plan(self, needs: Needs, origin: str, destination: str, modes: tuple[str, ...] = MODE_SETS[-1],
             start_utc: datetime | None = None, cost: bool = True) -> Plan:
        """The fastest feasible plan from ``origin`` to ``destination`` (place ids) over ``modes``, the obstacles
        on the ideal route (each costed when ``cost``), the waits and transshipments it incurs and its
        assumptions."""
        ideal = self._search(needs, origin, destination, modes, _Rules(strict=False))
        strict = self._search(needs, origin, destination, modes, _Rules(strict=True))
        answer = Plan(origin, destination, needs.name, modes, strict is not None,
                      strict.hours if strict else None, ideal.hours if ideal else None, start_utc,
                      legs=strict.legs if strict else [])
        if ideal is not None:
            met = dict(ideal.met)  # in route order
            together: set[str] = set()
            if cost:
                together = self._together(needs, origin, destination, modes, met, strict)
            strict_h = strict.hours if strict is not None else math.inf
            for n, (key, (kind, element, reason, lon, lat)) in enumerate(met.items()):
                cost_h: float | None = None
                saving: float | None = None
                if cost and n < MAX_COSTED:
                    alone = self._search(needs, origin, destination, modes, _Rules(False, only=frozenset({key})))
                    cost_h = math.inf if alone is None else round(alone.hours - ideal.hours, 3)
                    lifted = self._search(needs, origin, destination, modes, _Rules(True, exempt=frozenset({key})))
                    lifted_h = math.inf if lifted is None else lifted.hours
                    saving = math.inf if strict is None and lifted is not None else \
                        0.0 if lifted is None else round(strict_h - lifted_h, 3)
                answer.obstacles.append(Obstacle(key, kind, element, self._name(element), reason, lon, lat, cost_h,
                                                 saving, key in together))
            answer.obstacles.sort(key=lambda o: (-(o.cost_hours if o.cost_hours is not None else -1), o.key))
        answer.unable = {m: why for m, why in needs.unable.items() if m in modes}
        if strict is None:
            names = (self._name(origin), self._name(destination))
            if ideal is None:
                answer.why_none = (f"nothing connects {names[0]} and {names[1]} by {' or '.join(modes)} in this "
                                   "network, whatever the package" + "".join(
                                       f"; the package cannot go by {m}: {w}" for m, w in answer.unable.items()))
            else:
                blocking = [o.name for o in answer.obstacles if o.together or o.cost_hours == math.inf]
                answer.why_none = ("blocked by " + ", ".join(blocking[:10]) if blocking else
                                   "blocked by the obstacles listed")
        answer.incurred = self._incurred(answer.legs)
        answer.throughput = self.throughput(answer.legs, needs)
        answer.batches = self._batches(answer.legs, needs)
        answer.assumptions = self._assumptions(answer.legs or (ideal.legs if ideal else []), needs)
        return answer

    def _together(self, needs: Needs, origin: str, destination: str, modes: tuple[str, ...],
                  met: dict[str, tuple[str, str, str, float, float]], strict: _Found | None) -> set[str]:
        """The obstacles that together take the ideal route to the plan: enforce those met so far, search again,
        add what the new route meets, until the route's time is the plan's (or no route is left when the plan has
        none). Obstacles met only on the way are added to ``met`` (two parallel bridges too weak for the package:
        each alone costs a few minutes, together they block). At most :data:`MAX_COSTED` rounds."""
        chosen: set[str] = set()
        target = strict.hours if strict is not None else None
        for _ in range(MAX_COSTED):
            found = self._search(needs, origin, destination, modes, _Rules(strict=False, only=frozenset(chosen)))
            if found is None or (target is not None and found.hours >= target - 1e-9):
                return chosen
            new = {k: v for k, v in found.met.items() if k not in chosen}
            if not new:
                return chosen
            for key, value in new.items():
                met.setdefault(key, value)
            chosen |= set(new)
        return chosen

    def alternatives(self, needs: Needs, origin: str, destination: str, start_utc: datetime | None = None
                     ) -> list[Plan]:
        """The best plan for each set of modes (:data:`MODE_SETS`), feasible ones first, fastest first; plans that
        repeat a faster one's legs are dropped."""
        plans: list[Plan] = []
        seen: set[tuple[str, ...]] = set()
        for modes in MODE_SETS:
            plan = self.plan(needs, origin, destination, modes, start_utc, cost=False)
            legs = tuple(leg.id for leg in plan.legs)
            if plan.feasible and legs in seen:
                continue
            seen.add(legs)
            plans.append(plan)
        plans.sort(key=lambda p: (not p.feasible, p.hours if p.hours is not None else math.inf, len(p.modes)))
        return plans

    def throughput(self, legs: list[Leg], needs: Needs) -> Throughput:
        """Vehicles a day through each element of ``legs`` that states a capacity: transfers (batches a day x
        vehicles a batch: a train's load, an aircraft's share of the sorties) and ports (vehicles a day)."""
        rows: list[dict[str, object]] = []
        for leg in legs:
            if leg.kind == "transfer":
                transfer = self.network.transfers[leg.id]
                port = self.network.ports.get(transfer.b) if transfer.kind == "port" else None
                if port is not None and port.vehicles_per_day:
                    rows.append({"id": port.id, "name": port.name, "vehicles_per_day": port.vehicles_per_day,
                                 "batch": min(needs.vehicles, port.vehicles_per_day)})
                    continue
                if transfer.per_day is None:
                    continue
                if transfer.kind == "air":
                    batch = math.ceil(needs.vehicles / max(1, needs.sorties or 1))
                elif transfer.kind == "port":
                    batch = needs.vehicles
                else:
                    batch = min(needs.vehicles, needs.vehicles_per_train)
                rows.append({"id": transfer.id, "name": transfer.name or transfer.kind,
                             "vehicles_per_day": transfer.per_day * batch, "batch": batch})
        if not rows:
            return Throughput(None, None, 0.0)
        low = min(rows, key=lambda r: float(r["vehicles_per_day"]))  # type: ignore[arg-type]
        rest = max(0.0, needs.vehicles - float(low["batch"]))  # type: ignore[arg-type]
        return Throughput(float(low["vehicles_per_day"]), str(low["id"]), rest, tuple(rows))  # type: ignore[arg-type]

    def _name(self, element: str) -> str:
        network = self.network
        for table in (network.links, network.places, network.transfers):
            found = table.get(element)
            if found is not None:
                return getattr(found, "name", "") or element
        return element

    def _incurred(self, legs: list[Leg]) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for leg in legs:
            if leg.kind == "wait":
                out.append({"kind": "border", "key": leg.id, "name": leg.name, "at": leg.frm,
                            "hours": round(leg.end_h - leg.start_h, 3)})
            elif leg.kind == "transfer":
                transfer = self.network.transfers[leg.id]
                out.append({"kind": transfer.kind, "key": transfer.id, "name": transfer.name or transfer.kind,
                            "at": leg.frm, "hours": round(leg.end_h - leg.start_h, 3)})
        return out

    def _batches(self, legs: list[Leg], needs: Needs) -> int:
        """Trains, sorties or sailings the whole package needs on the legs' modes (the most of them)."""
        modes = {leg.mode for leg in legs if leg.kind in ("link", "air", "sea")}
        out = 1
        if "rail" in modes:
            out = max(out, math.ceil(needs.vehicles / max(1, needs.vehicles_per_train)))
        if "air" in modes and needs.sorties:
            out = max(out, needs.sorties)
        return out

    def _assumptions(self, legs: list[Leg], needs: Needs) -> list[str]:
        links = [self.network.links[leg.id] for leg in legs if leg.kind == "link"]
        notes: list[str] = []
        country = self._country
        entered = sorted({country.get(leg.to, "") for leg in legs if country.get(leg.frm) and country.get(leg.to)
                          and country[leg.frm] != country[leg.to]} - set(self.lead_days))
        if entered:
            notes.append(f"no lead time stated for entering {', '.join(entered)}: no wait for permission taken")
        stateless = sorted({p for leg in legs for p in (leg.frm, leg.to) if not country.get(p)})
        if stateless:
            notes.append(f"{len(stateless)} place(s) on the route lie in no known country: no border rule applied "
                         "there")
        batches = self._batches(legs, needs)
        if batches > 1 and not (self.throughput(legs, needs).vehicles_per_day):
            notes.append(f"the package needs {batches} trains, sorties or sailings and no loading point on the route "
                         "states a capacity: only the first batch's arrival is known")
        bridges = [x for x in links if x.bridge and x.maxweight_t is None and x.mlc is None]
        if bridges:
            notes.append(f"{len(bridges)} bridge(s) on the route post no weight limit or MLC: taken as passable "
                         f"for {needs.mass_t:g} t / MLC {needs.mlc}")
        tunnels = [x for x in links if x.tunnel and x.mode == "road" and x.maxheight_m is None]
        if tunnels:
            notes.append(f"{len(tunnels)} tunnel(s) post no height limit: taken as passable for {needs.height_m:g} m")
        rails = [x for x in links if x.mode == "rail" and x.gauge_mm is None]
        if rails:
            notes.append(f"{len(rails)} rail link(s) give no gauge: taken as the gauge the train is on")
        speeds = [x for x in links if x.maxspeed_kmh is None]
        if speeds:
            notes.append(f"{len(speeds)} link(s) post no speed: planning defaults used (road by class, rail "
                         f"{DEFAULT_RAIL_KMH:g} km/h)")
        return notes


def needs_of(package: Package, aircraft: Aircraft | None = None, airfields: Mapping[str, Airfield] | None = None,
             wagons_per_train: int | None = None) -> Needs:
    """What ``package`` asks of the network; with ``aircraft``, the sorties it takes and, over ``airfields``, why
    each one the aircraft cannot use is unusable (the runway rule of :func:`kompas.mobility.airfields.usable`)."""
    from kompas.mobility.airfields import unusable

    trains = package.trains(wagons_per_train) if wagons_per_train else package.trains()
    per_train = math.ceil(package.vehicles / trains) if trains else package.vehicles
    sorties = package.sorties(aircraft) if aircraft is not None else None
    unable: dict[str, str] = {}
    if not package.rail:
        unable["rail"] = "not on a standard flat wagon: " + ", ".join(v.name for v, _ in package.items if not v.rail)
    if aircraft is not None and sorties is None:
        unfit = [f"{v.name} ({v.air_basis.get(aircraft.name, 'not stated to fit')})" for v, _ in package.items
                 if v.air.get(aircraft.name, 0) <= 0]
        unable["air"] = f"does not fit the {aircraft.name}: " + "; ".join(unfit)
    return Needs(unable=unable, name=package.name, mass_t=package.heaviest_t, axle_t=package.max_axle_t or 0.0,
                 height_m=package.max_height_m, width_m=package.max_width_m, mlc=package.max_mlc,
                 vehicles=package.vehicles, road_kmh=package.convoy_speed_kmh, rail=package.rail,
                 vehicles_per_train=max(1, per_train), aircraft=aircraft.name if aircraft is not None else None,
                 cruise_kmh=aircraft.cruise_kmh if aircraft is not None else 0.0, sorties=sorties,
                 runways=unusable(airfields, aircraft) if aircraft is not None and airfields else {})
