"""Situations: events of any domain linked into the connected groups an analyst reads as one story (pure).

The rule (:class:`Rule`, every threshold a parameter). Two events are **linked** when any of these holds:

1. **same actor**: they name the same actor (same ``kind`` and ``id``, e.g. ``vessel``/``230000777``,
   ``submarine-cable``/``cable:c-lion1``, ``threat-actor``/``APT28``) and their time spans are at most
   ``actor_hours`` apart (default 720 h = 30 days; None: any time apart). Actors of kind ``country`` count as
   countries (rule 3), not as actors;
2. **same place and time**: both have a place on Earth (``lat``/``lon``) at most ``km`` apart (default 50 km,
   great-circle distance by the haversine formula on a sphere of radius :data:`EARTH_RADIUS_KM`) and their time
   spans are at most ``hours`` apart (default 72 h);
3. **same country and time**: they concern a common country (``place.countries``; ISO 3166 alpha-2 or alpha-3
   codes and English names read as one code by :func:`country_code`, never fuzzily) and their time spans are at
   most ``hours`` apart (rule 3 can be switched off with ``countries=False``).

"Time spans apart" is the gap between the two events' ``[start_utc, end_utc]`` spans in hours, 0 when they overlap.
A **situation** is a connected component of the linked events (a chain A-B, B-C makes A, B and C one situation),
so the answer does not depend on the order the events come in. Events whose payload says ``hypothetical``
(an infrastructure stress test: nothing happened) are never linked: each stays a situation of its own.

**Per viewer.** Situations are computed only over the events the viewer may see: the caller reads them under the
access rule (the store filters by marking in its query), and :func:`link` given a ``viewer`` also leaves out any
event whose marking the viewer may not see (defence in depth), so a hidden event can never bridge two visible
ones, and no situation names, counts or reveals a hidden event. A situation's marking is
:func:`kompas.core.markings.combine` of its members' markings; two groups are joined only when the viewer may see
the marking they would carry together (markings whose releasability lists share no code of the viewer's, e.g.
``REL TO DE`` and ``REL TO FR-CNES`` for a viewer of FR-CNES in France, combine to ``NO RELEASE``), otherwise the
pair is reported in :attr:`Linked.kept_apart`, both events being visible to the viewer already. Without a viewer
(the platform itself) everything linkable is linked.

**Bounded.** At most ``max_events`` events are linked (the newest by time, then id); :attr:`Linked.truncated` says
when more were given. Pairs are found by sweeps over the events sorted by start time: per actor and per country
the running latest end (an interval-graph sweep, which gives the same components as testing every pair); for
places, the placed events still within ``hours`` of the current one (a window pruned as the sweep moves on), cut to
the latitude band ``km`` allows, then measured (vectorised haversine) in chunks of doubling size, dropping every
event of a situation as soon as one of its events is near (:func:`_near_groups`). An event is joined to each
situation through that situation's earliest linked event, whichever of the three rules links them. So an event
joining a large situation costs one chunk, not a distance to each member: 5,000 events within 2,000 km and a year
(one situation) link in about 0.5 s of one core instead of 3 s (``benchmarks/fusion_linking.py``).

An event is read from its API form (:func:`kompas.core.store.events.as_dict`: ``id, domain, type, time_utc,
start_utc, end_utc, title, severity, place, actors, detail, marking``); one that cannot be read is reported as a
:class:`kompas.rejections.Rejection` (item number, field, reason) and left out, the others go through.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from kompas.core.envelope import SEVERITIES, derived_id
from kompas.core.markings import Marking, MarkingError, Viewer, combine, may_see
from kompas.maritime.geo import EARTH_RADIUS_M, haversine_m
from kompas.rejections import Rejection

EARTH_RADIUS_KM = EARTH_RADIUS_M / 1000.0  #: mean Earth radius (IUGG, 6371.0088 km): the haversine's sphere
MAX_EVENTS = 5000  #: default bound on the events one call links
MAX_LISTED = 50  #: actors and countries listed per situation (their totals are given)
MAX_KEPT_APART = 100  #: pairs kept apart that are listed (their total is given)
#: Names and codes in use that ISO 3166 / pycountry does not resolve exactly: the EU's own codes (EL for Greece,
#: UK for the United Kingdom), Kosovo's user-assigned code, short names.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR", "RUSSIA": "RU", "TURKEY": "TR", "KOSOVO": "XK", "XK": "XK", "EU": "EU",
                   "PRC": "CN", "THE NETHERLANDS": "NL"}


@dataclass(frozen=True)
class Rule:
    """The linking rule (module docstring): ``km`` (place distance, km), ``hours`` (time gap of the place and
    country rules, hours), ``actor_hours`` (time gap of the actor rule, hours; None: unbounded), ``countries``
    (whether rule 3 applies), ``max_events`` (events linked at most)."""

    km: float = 50.0
    hours: float = 72.0
    actor_hours: float | None = 720.0
    countries: bool = True
    max_events: int = MAX_EVENTS

    def __post_init__(self) -> None:
        for name in ("km", "hours"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if self.actor_hours is not None and not (math.isfinite(self.actor_hours) and self.actor_hours >= 0):
            raise ValueError(f"actor_hours must be a finite number >= 0 or None, got {self.actor_hours!r}")
        if self.max_events < 1:
            raise ValueError(f"max_events must be at least 1, got {self.max_events!r}")

    def as_dict(self) -> dict[str, Any]:
        return {"km": self.km, "hours": self.hours, "actor_hours": self.actor_hours, "countries": self.countries,
                "max_events": self.max_events, "text": self.text()}

    def text(self) -> str:
        """The rule in words, with its units."""
        actor = ("any time apart" if self.actor_hours is None else f"at most {self.actor_hours:g} h apart")
        parts = [f"the same actor (kind and id) {actor}",
                 f"places at most {self.km:g} km apart (haversine) within {self.hours:g} h"]
        if self.countries:
            parts.append(f"a common country within {self.hours:g} h")
        return ("Two events are linked by " + "; or ".join(parts) + " (hours between the events' time spans, 0 "
                "when they overlap); a situation is a connected group of linked events.")


@dataclass(frozen=True)
class Item:
    """One event as the linker reads it. Times are hours since 1970-01-01 UTC; ``countries`` are codes of
    :func:`country_code`; ``actors`` are (kind, id, name) without the countries."""

    id: str
    domain: str
    type: str
    title: str
    severity: str
    time_utc: str
    start_utc: str
    end_utc: str
    start_h: float
    end_h: float
    lat: float | None
    lon: float | None
    countries: tuple[str, ...]
    actors: tuple[tuple[str, str, str], ...]
    marking: Marking
    hypothetical: bool = False


@dataclass
class Situation:
    """A connected group of linked events (see the module docstring for the rule)."""

    id: str
    title: str
    items: list[Item]
    links: list[dict[str, Any]]
    marking: Marking

    def as_dict(self) -> dict[str, Any]:
        """The situation as the API returns it: id (derived from the member ids, so the same members give the same
        id), title, size, domains, types, actors (kind, id, name, events: how many members name it; the first
        :data:`MAX_LISTED`) and their total, countries (the same), time span, centroid (``lat``/``lon``, degrees:
        the mean direction of the placed members), ``bbox`` (``[lon_min, lat_min, lon_max, lat_max]``, degrees;
        not split at the antimeridian) and ``hull`` (:meth:`hull`), highest severity, ``event_ids`` (by time), the
        links that joined them (``a``, ``b``, ``reasons``) and the marking (the combination of the members'
        markings)."""
        items = self.items
        actors: dict[tuple[str, str], dict[str, Any]] = {}
        for item in items:
            for kind, ident, name in dict.fromkeys(item.actors):
                entry = actors.setdefault((kind, ident), {"kind": kind, "id": ident, "name": name, "events": 0})
                entry["events"] += 1
        ranked = sorted(actors.values(), key=lambda a: (-a["events"], a["kind"], a["id"]))
        countries: dict[str, int] = {}
        for item in items:
            for code in item.countries:
                countries[code] = countries.get(code, 0) + 1
        placed = [(i.lat, i.lon) for i in items if i.lat is not None and i.lon is not None]
        return {
            "id": self.id, "title": self.title, "size": len(items),
            "domains": sorted({i.domain for i in items}), "types": sorted({f"{i.domain}/{i.type}" for i in items}),
            "actors": ranked[:MAX_LISTED], "actors_total": len(ranked),
            "countries": sorted(countries, key=lambda c: (-countries[c], c))[:MAX_LISTED],
            "countries_total": len(countries),
            "start_utc": min(i.start_utc for i in items), "end_utc": max(i.end_utc for i in items),
            "severity": max((i.severity for i in items), key=SEVERITIES.index),
            "severities": {s: sum(1 for i in items if i.severity == s) for s in SEVERITIES},
            "centroid": centroid(placed), "bbox": bbox(placed), "placed": len(placed),
            "hull": self.hull(), "event_ids": [i.id for i in items], "links": self.links,
            "marking": self.marking.as_dict()}

    def hull(self) -> dict[str, Any] | None:
        """The convex hull of the placed members as a GeoJSON geometry (lon/lat, degrees): a Point for one place, a
        LineString for places on a line, else a Polygon; None when no member has a place."""
        from shapely.geometry import MultiPoint, mapping

        points = list(dict.fromkeys((round(i.lon, 6), round(i.lat, 6)) for i in self.items
                                    if i.lat is not None and i.lon is not None))
        if not points:
            return None
        if len(points) == 1:
            return {"type": "Point", "coordinates": list(points[0])}
        shape = MultiPoint(points).convex_hull
        geometry = mapping(shape)
        return json.loads(json.dumps(geometry))  # tuples to lists: plain JSON


@dataclass
class Linked:
    """What :func:`link` found: the situations (largest first, then newest), the pairs the rule links but that were
    kept apart because the viewer could not read their combined marking, the events read and left out."""

    situations: list[Situation]
    kept_apart: list[dict[str, Any]] = field(default_factory=list)
    kept_apart_total: int = 0
    events: int = 0
    truncated: bool = False
    rejected: list[Rejection] = field(default_factory=list)
    rule: Rule = field(default_factory=Rule)

    def as_dict(self, min_events: int = 1) -> dict[str, Any]:
        """The situations of at least ``min_events`` members, with the rule, counts and rejections."""
        shown = [s.as_dict() for s in self.situations if len(s.items) >= min_events]
        return {"situations": shown, "situations_total": len(shown), "kept_apart": self.kept_apart,
                "kept_apart_total": self.kept_apart_total, "events_linked": self.events, "truncated": self.truncated,
                "rule": self.rule.as_dict(), "rejected": [r.as_dict() for r in self.rejected]}


# --- reading events --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def country_code(text: str) -> str:
    """``text`` (an ISO 3166-1 alpha-2 or alpha-3 code or an English name, any case) as its alpha-2 code, by exact
    lookup in ISO 3166 (pycountry) and :data:`COUNTRY_ALIASES`; anything else as itself in upper case (so the same
    text still matches itself), "" for an empty text. Never fuzzy."""
    import pycountry

    key = " ".join(str(text).split()).upper()
    if not key:
        return ""
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    try:
        return str(pycountry.countries.lookup(key).alpha_2)
    except LookupError:
        return key[:64]


def _actors(event: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The actors of an event (API form) that are objects with an id."""
    raw = event.get("actors")
    return [a for a in raw if isinstance(a, Mapping) and a.get("id")] if isinstance(raw, list | tuple) else []


def countries_of(event: Mapping[str, Any]) -> tuple[str, ...]:
    """The countries an event (API form) concerns, as :func:`country_code` codes, each once, in the order named:
    those of ``place.countries`` (texts), then the ids of its actors of kind ``country``. The one reading of an
    event's countries: the linker's country rule and the fused picture's country filter both use it."""
    place = event.get("place")
    given = place.get("countries") if isinstance(place, Mapping) else None
    named = [c for c in given if isinstance(c, str)] if isinstance(given, list | tuple) else []
    named += [str(a["id"]) for a in _actors(event) if a.get("kind") == "country"]
    return tuple(dict.fromkeys(c for c in (country_code(x) for x in named) if c))


def hours_of(texts: Sequence[str]) -> np.ndarray:
    """ISO 8601 UTC times (``Z`` optional, up to nanoseconds) as hours since 1970-01-01 UTC (float64); ValueError
    when one cannot be read."""
    values = np.array([str(t).removesuffix("Z") for t in texts], dtype="datetime64[ns]")
    if np.isnat(values).any():
        raise ValueError("not a time")
    return values.astype("int64").astype(np.float64) / 3.6e12


def _marking(value: object, known: dict[str, Marking]) -> Marking:
    """A marking from its API form, remembered in ``known`` by its JSON text (a listing repeats few markings)."""
    if isinstance(value, Marking):
        return value
    if not isinstance(value, Mapping):
        raise MarkingError("not a marking object")
    key = json.dumps(value, sort_keys=True, default=str)
    found = known.get(key)
    if found is None:
        found = known[key] = Marking.from_dict(dict(value))
    return found


def _degrees(value: object) -> float | None:
    """A finite number as a float, else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def read(events: Iterable[Mapping[str, Any]], source: str = "events") -> tuple[list[Item], list[Rejection]]:
    """The events in the linker's form, and a rejection (item number from 1, field, reason) for each that cannot be
    read: no id, a time that is not one, an end before the start, a place off the Earth, a marking that is not one.
    The first of two events with one id is kept; the second is rejected."""
    items: list[Item] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    known: dict[str, Marking] = {}
    for n, event in enumerate(events, start=1):
        def bad(name: str, reason: str, value: object = "", n: int = n) -> None:
            rejected.append(Rejection(source, n, name, reason, str(value)[:80], "item"))

        if not isinstance(event, Mapping):
            bad("", "an event is an object (the API's event form)")
            continue
        ident = event.get("id")
        if not isinstance(ident, str) or not ident:
            bad("id", "missing: an event needs its id")
            continue
        if ident in seen:
            bad("id", f"{ident} given twice (the first is used)", ident)
            continue
        time = event.get("time_utc")
        start, end = event.get("start_utc") or time, event.get("end_utc") or time
        try:
            start_h, end_h, _ = hours_of([str(start), str(end), str(time)])
        except ValueError:
            bad("time_utc", f"times {time!r}, {start!r}, {end!r}: not ISO 8601 UTC", time)
            continue
        if end_h < start_h:
            bad("end_utc", f"{end} is before start_utc {start}", end)
            continue
        found = event.get("place")
        place: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        lat, lon = _degrees(place.get("lat")), _degrees(place.get("lon"))
        if (place.get("lat") is not None or place.get("lon") is not None) and (
                lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180)):
            bad("place", "lat and lon must be given together, in -90..90 and -180..180 degrees",
                f"{place.get('lat')}, {place.get('lon')}")
            continue
        try:
            marking = _marking(event.get("marking"), known)
        except MarkingError as error:
            bad("marking", str(error))
            continue
        severity = str(event.get("severity") or "medium")
        if severity not in SEVERITIES:
            bad("severity", f"{severity!r} is not one of {', '.join(SEVERITIES)}", severity)
            continue
        actors = [(str(actor.get("kind") or ""), str(actor["id"]), str(actor.get("name") or ""))
                  for actor in _actors(event) if actor.get("kind") != "country"]
        countries = countries_of(event)
        detail = event.get("detail", event.get("payload"))
        hypothetical = isinstance(detail, Mapping) and detail.get("hypothetical") is True
        seen.add(ident)
        items.append(Item(ident, str(event.get("domain") or ""), str(event.get("type") or event.get("kind") or ""),
                          str(event.get("title") or ""), severity, str(time), str(start), str(end), float(start_h),
                          float(end_h), lat, lon,
                          countries, tuple(dict.fromkeys(actors)), marking, hypothetical))
    return items, rejected


# --- geometry ----------------------------------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) from one point to many (degrees), on the sphere of :data:`EARTH_RADIUS_KM` (the
    maritime engine's haversine, :func:`kompas.maritime.geo.haversine_m`)."""
    return haversine_m(lat1, lon1, lat2, lon2) / 1000.0


def centroid(points: Sequence[tuple[float, float]]) -> dict[str, float] | None:
    """The mean direction of ``(lat, lon)`` points (degrees) as ``{"lat", "lon"}`` rounded to 1e-5 degrees (about
    1 m); right across the antimeridian; None for no points, or for points whose mean direction is undefined."""
    if not points:
        return None
    lat = np.radians([p[0] for p in points])
    lon = np.radians([p[1] for p in points])
    x, y, z = (np.cos(lat) * np.cos(lon)).mean(), (np.cos(lat) * np.sin(lon)).mean(), np.sin(lat).mean()
    norm = math.sqrt(x * x + y * y + z * z)
    if norm < 1e-12:
        return None
    return {"lat": round(math.degrees(math.asin(max(-1.0, min(1.0, z / norm)))), 5),
            "lon": round(math.degrees(math.atan2(y, x)), 5)}


def bbox(points: Sequence[tuple[float, float]]) -> list[float] | None:
    """``[lon_min, lat_min, lon_max, lat_max]`` (degrees) of ``(lat, lon)`` points; None for none."""
    if not points:
        return None
    return [min(p[1] for p in points), min(p[0] for p in points), max(p[1] for p in points),
            max(p[0] for p in points)]


# --- linking -------------------------------------------------------------------------------------------------------


def _gap_h(a: Item, b: Item) -> float:
    """Hours between the time spans of ``a`` and ``b`` (0 when they overlap)."""
    return max(0.0, b.start_h - a.end_h, a.start_h - b.end_h)


def reasons(a: Item, b: Item, rule: Rule) -> list[dict[str, Any]]:
    """Every part of ``rule`` that links ``a`` and ``b``: ``{"rule": "actor", "kind", "id", "name", "hours"}`` per
    actor they share (the first 10), ``{"rule": "place", "km", "hours"}``, ``{"rule": "country", "countries",
    "hours"}``; empty when nothing does (or one of them is hypothetical)."""
    if a.hypothetical or b.hypothetical:
        return []
    gap = _gap_h(a, b)
    hours = round(gap, 3)
    out: list[dict[str, Any]] = []
    if rule.actor_hours is None or gap <= rule.actor_hours:
        theirs = {(k, i): n for k, i, n in b.actors}
        for kind, ident, name in a.actors:
            if (kind, ident) in theirs and len(out) < 10:
                out.append({"rule": "actor", "kind": kind, "id": ident, "name": name or theirs[(kind, ident)],
                            "hours": hours})
    if gap <= rule.hours:
        if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
            km = float(haversine_km(a.lat, a.lon, np.array([b.lat]), np.array([b.lon]))[0])
            if km <= rule.km:
                out.append({"rule": "place", "km": round(km, 3), "hours": hours})
        if rule.countries:
            common = [c for c in a.countries if c in set(b.countries)]
            if common:
                out.append({"rule": "country", "countries": common[:10], "hours": hours})
    return out


def _sweep(keys_of: Sequence[Iterable[Any]], start: np.ndarray, end: np.ndarray, window: float | None
           ) -> list[list[int]]:
    """For events sorted by start: per event, the earlier events it is linked to by a shared key within ``window``
    hours (None: any time), one per key: the event of that key with the latest end so far, which is linked to every
    earlier one the event could be (interval-graph sweep)."""
    best: dict[Any, int] = {}
    out: list[list[int]] = [[] for _ in keys_of]
    for j, keys in enumerate(keys_of):
        for key in keys:
            i = best.get(key)
            if i is not None and (window is None or start[j] - end[i] <= window):  # as reasons() computes it
                out[j].append(i)
            if i is None or end[j] > end[i]:
                best[key] = j
    return out


def link(events: Iterable[Mapping[str, Any]], viewer: Viewer | None = None, rule: Rule | None = None,
         source: str = "events") -> Linked:
    """The situations of ``events`` (their API form) under ``rule`` (default :class:`Rule`), as ``viewer`` may see
    them (None: the platform itself); see the module docstring."""
    rule = rule or Rule()
    items, rejected = read(events, source)
    if viewer is not None:  # defence in depth: the caller read under the access rule already
        items = [i for i in items if may_see(viewer, i.marking)]
    truncated = len(items) > rule.max_events
    if truncated:
        items = sorted(items, key=lambda i: (i.time_utc, i.id), reverse=True)[:rule.max_events]
    items.sort(key=lambda i: (i.start_h, i.end_h, i.id))
    n = len(items)
    start = np.array([i.start_h for i in items], dtype=np.float64)
    end = np.array([i.end_h for i in items], dtype=np.float64)
    lat = np.array([np.nan if i.lat is None else i.lat for i in items], dtype=np.float64)
    lon = np.array([np.nan if i.lon is None else i.lon for i in items], dtype=np.float64)
    live = np.array([not i.hypothetical for i in items], dtype=bool)
    placed = live & ~np.isnan(lat)
    actor_keys = [[(k, a) for k, a, _ in i.actors] if not i.hypothetical else [] for i in items]
    by_actor = _sweep(actor_keys, start, end, rule.actor_hours)
    country_keys = [list(i.countries) if rule.countries and not i.hypothetical else [] for i in items]
    by_country = _sweep(country_keys, start, end, rule.hours)
    # component labels, relabelled smaller-into-larger on each union (n log n relabels in all)
    label = np.arange(n)
    members: dict[int, list[int]] = {k: [k] for k in range(n)}
    marking: dict[int, Marking] = {k: items[k].marking for k in range(n)}
    links: dict[int, list[dict[str, Any]]] = {k: [] for k in range(n)}
    kept: list[dict[str, Any]] = []
    kept_total = 0
    # latitudes further apart than ``band`` degrees are further than km apart (the haversine distance is at least
    # the radius times the latitude difference); the margin covers rounding, the haversine decides
    band = math.degrees(rule.km / EARTH_RADIUS_KM) * (1 + 1e-9) + 1e-9
    active = np.empty(0, dtype=np.intp)  # placed events before j whose end is within hours of start[j], by index
    for j in range(n):
        chosen: dict[int, int] = {}  # component label -> its earliest partner of j
        if placed[j]:
            active = active[start[j] - end[active] <= rule.hours]  # start[j] only grows: pruned for good
            window = active[np.abs(lat[active] - lat[j]) <= band]
            if len(window):
                chosen = _near_groups(lat[j], lon[j], window, lat, lon, label, rule.km)
            active = np.append(active, j)
        for i in (*by_actor[j], *by_country[j]):
            group = int(label[i])
            if i < chosen.get(group, n):
                chosen[group] = i
        for group, i in sorted(chosen.items(), key=lambda gi: gi[1]):  # joined in partner order
            mine = int(label[j])
            if group == mine:
                continue
            why = reasons(items[i], items[j], rule)
            pair = {"a": items[i].id, "b": items[j].id, "reasons": why}
            theirs, ours = marking[group], marking[mine]
            both = ours if theirs == ours else combine([theirs, ours])  # combining a marking with itself: itself
            if viewer is not None and not may_see(viewer, both):
                kept_total += 1
                if len(kept) < MAX_KEPT_APART:
                    kept.append(pair | {"why": "together they would carry a marking you could not read "
                                               f"({both.banner()}): their releasability lists share no code of yours"})
                continue
            big, small = (group, mine) if len(members[group]) >= len(members[mine]) else (mine, group)
            label[members[small]] = big
            members[big].extend(members.pop(small))
            links[big].extend(links.pop(small))
            links[big].append(pair)
            marking[big] = both
            marking.pop(small)
    situations = []
    for group, index in members.items():
        chosen_items = sorted((items[k] for k in index), key=lambda i: (i.start_h, i.end_h, i.id))
        situations.append(Situation(derived_id("situation", *sorted(i.id for i in chosen_items)),
                                    _title(chosen_items), chosen_items, links[group], marking[group]))
    situations.sort(key=lambda s: (-len(s.items), -max(i.end_h for i in s.items), s.id))
    return Linked(situations, kept, kept_total, n, truncated, rejected, rule)


def _near_groups(lat0: float, lon0: float, window: np.ndarray, lat: np.ndarray, lon: np.ndarray,
                 label: np.ndarray, km: float) -> dict[int, int]:
    """Per component label, its earliest event of ``window`` (indices, ascending) placed at most ``km`` from
    (``lat0``, ``lon0``) (degrees). The window is measured in chunks of doubling size, and once a component has a
    near event its other events are dropped from the rest unmeasured: an event joining a large situation costs
    one chunk and one filter, not a distance to every member (the same answer as measuring every event)."""
    found: dict[int, int] = {}
    rest, size = window, 64
    while len(rest):
        chunk, rest, size = rest[:size], rest[size:], size * 2
        hits = chunk[haversine_km(lat0, lon0, lat[chunk], lon[chunk]) <= km]
        if not len(hits):
            continue
        groups, first = np.unique(label[hits], return_index=True)  # first: each group's earliest hit
        found.update(zip(groups.tolist(), hits[first].tolist(), strict=True))
        if len(rest):
            rest = rest[label[rest] != groups[0] if len(groups) == 1 else ~np.isin(label[rest], groups)]
    return found


def _title(items: Sequence[Item]) -> str:
    """The title of the most severe member (the earliest of those), and how many more events are linked to it."""
    top = max(SEVERITIES.index(i.severity) for i in items)
    lead = next(i for i in items if SEVERITIES.index(i.severity) == top)
    title = lead.title or f"{lead.domain} {lead.type}"
    more = len(items) - 1
    return title if not more else f"{title} (+{more} linked event{'s' if more > 1 else ''})"
