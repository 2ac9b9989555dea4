"""Indexing a :class:`~kompas.mobility.model.Network` for planning: what leaves each place, where a named place is,
which places lie nearest a point, and the transfers joining modes.

- :class:`Graph` is built once per network (and per set of removed elements, :meth:`Graph.without`): adjacency
  lists of links and transfers by place, as plain tuples (the planner's inner loop reads them);
- :func:`find_place` resolves what a user types (an id, a name, ``lat,lon``) to a place, or says why it cannot;
- :func:`attach` joins airfields, ports and loading ramps to the nearest road place with transfers, as the builder
  of a multimodal network does (OSM has no "this station has a military ramp" tag: ramps are contributed).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from kompas.mobility.model import Mode, Network, Place, Transfer

EARTH_RADIUS_KM = 6371.0088  #: mean Earth radius (IUGG), for great-circle distances between places


class PlaceError(ValueError):
    """A place that cannot be found; the message says why and what would match (safe to show)."""


def great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance on the mean sphere, km (air and sea legs, nearest places: 0.5% of the ellipsoid)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Step:
    """One way out of a place: a link (``kind`` "link") or a transfer (``kind`` "transfer") to place ``to``."""

    kind: str
    id: str
    to: str


@dataclass
class Graph:
    """Adjacency of a network by place, without the elements named in ``removed``."""

    network: Network
    removed: frozenset[str] = frozenset()
    out: dict[str, list[Step]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        gone = self.removed
        out: dict[str, list[Step]] = {pid: [] for pid in self.network.places if pid not in gone}
        for link in self.network.links.values():
            if link.id in gone or link.u not in out or link.v not in out:
                continue
            out[link.u].append(Step("link", link.id, link.v))
            if not link.oneway:
                out[link.v].append(Step("link", link.id, link.u))
        for transfer in self.network.transfers.values():
            if transfer.id in gone or transfer.a not in out or transfer.b not in out:
                continue
            out[transfer.a].append(Step("transfer", transfer.id, transfer.b))
            if transfer.a != transfer.b:
                out[transfer.b].append(Step("transfer", transfer.id, transfer.a))
        self.out = out

    def without(self, ids: Iterable[str]) -> Graph:
        """The graph with these element ids (links, transfers, places, airfields, ports) removed too."""
        return Graph(self.network, self.removed | frozenset(ids))

    def has(self, place_id: str) -> bool:
        """Whether the place is in the graph (not removed)."""
        return place_id in self.out


def _normal(text: str) -> str:
    """Case, spacing and diacritics folded: "Suwalki" finds "Suwałki", "sestokai" "Šeštokai"."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


#: letters NFKD does not decompose (a stroke, not a combining mark)
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"})


def find_place(network: Network, query: str) -> Place:
    """The place ``query`` names: its id (``rinf:DE0FFM``, ``icao:EPWA``), its name (case and spacing ignored;
    a unique prefix of a name is accepted), or ``lat,lon`` in degrees (the nearest place, within 50 km).
    Raises :class:`PlaceError` naming the candidates when the query is ambiguous or matches nothing."""
    text = query.strip()
    if not text:
        raise PlaceError("empty place: give an id, a name or 'lat,lon'")
    if text in network.places:
        return network.places[text]
    if f"icao:{text.upper()}" in network.places:
        return network.places[f"icao:{text.upper()}"]
    parts = text.split(",")
    if len(parts) == 2:
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            pass
        else:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise PlaceError(f"{text!r}: latitude must be within ±90 and longitude within ±180")
            place, km = nearest(network.places.values(), lon, lat)
            if place is None or km > 50.0:
                raise PlaceError(f"no place of the network within 50 km of {lat:.4f},{lon:.4f}")
            return place
    wanted = _normal(text)
    exact = [p for p in network.places.values() if _normal(p.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    found = exact or [p for p in network.places.values() if _normal(p.name).startswith(wanted)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise PlaceError(f"no place named {text!r} (give an id, a name or 'lat,lon')")
    shown = ", ".join(f"{p.name} ({p.id})" for p in sorted(found, key=lambda p: p.id)[:8])
    more = f" and {len(found) - 8} more" if len(found) > 8 else ""
    raise PlaceError(f"{text!r} matches {len(found)} places: {shown}{more}; give the id")


def nearest(places: Iterable[Place], lon: float, lat: float) -> tuple[Place | None, float]:
    """The place nearest (lon, lat) and its great-circle distance in km (None, inf when there is none)."""
    chosen = list(places)
    if not chosen:
        return None, math.inf
    lons = np.radians(np.array([p.lon for p in chosen]))
    lats = np.radians(np.array([p.lat for p in chosen]))
    lat0, lon0 = math.radians(lat), math.radians(lon)
    h = np.sin((lats - lat0) / 2) ** 2 + math.cos(lat0) * np.cos(lats) * np.sin((lons - lon0) / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    i = int(np.argmin(km))
    return chosen[i], float(km[i])


def road_places(network: Network) -> list[Place]:
    """Places at an end of a road link (where airfields, ports and ramps are joined)."""
    ids = {end for link in network.links.values() if link.mode == "road" for end in (link.u, link.v)}
    return [network.places[i] for i in sorted(ids) if i in network.places]


def attach(network: Network, within_km: float = 10.0, air_hours: float = 2.0, port_hours: float = 6.0) -> Network:
    """Join every airfield and port to the nearest road place within ``within_km`` by a transfer (``air``,
    ``port``) and add its place, so the planner can fly or sail from it. ``air_hours`` (loading one aircraft) and
    ``port_hours`` (loading one ship) are planning defaults a contributed transfer replaces. Airfields and ports
    with no road place near are kept unjoined (a planner sees them, the route cannot use them) and counted in the
    returned network's ``sources`` note. Returns a new network."""
    roads = road_places(network)
    places = dict(network.places)
    transfers = dict(network.transfers)
    unjoined = 0
    for kind, table, hours in (("air", network.airfields, air_hours), ("port", network.ports, port_hours)):
        for element in table.values():
            places.setdefault(element.id, Place(element.id, element.name, element.lon, element.lat,
                                                element.country, "airfield" if kind == "air" else "port",
                                                element.source))
            place, km = nearest(roads, element.lon, element.lat)
            tid = f"{kind}:{element.id}"
            if place is None or km > within_km or tid in transfers:
                unjoined += place is None or km > within_km
                continue
            to_mode: Mode = "air" if kind == "air" else "sea"
            transfers[tid] = Transfer(tid, place.id, element.id, kind, "road", to_mode, hours,
                                      name=f"{element.name} ({km:.1f} km from the road network)",
                                      source="kompas: nearest road place")
    merged = Network(places=places, links=dict(network.links), airfields=dict(network.airfields),
                     ports=dict(network.ports), transfers=transfers, sources=list(network.sources),
                     rejections=list(network.rejections))
    if unjoined and roads:
        merged.sources.append({"name": "unjoined", "note": f"{unjoined} airfields or ports lie more than "
                               f"{within_km:g} km from the road network and are not joined"})
    return merged
