"""OpenStreetMap extracts (PBF or XML bytes) read into a mobility :class:`~kompas.mobility.model.Network` with
pyosmium (pure: bytes in; the file is read by :mod:`kompas.mobility.load`).

What is kept
------------
- **Roads**: ``highway`` in :data:`ROAD_CLASSES` (motorway to residential, their ``_link`` ramps, ``unclassified``
  and ``living_street``), and ``service`` roads except :data:`SERVICE_EXCLUDED` (parking aisles, driveways,
  drive-throughs, emergency access): depots, rail yards, ports and airfields are reached by service roads. Left out:
  ``track`` (unpaved farm and forest tracks: cross-country movement is not network routing), paths, footways,
  cycleways, steps, pedestrian areas, and roads under ``construction`` or ``proposed``. ``access`` tags are not
  read: military traffic is governed by movement permission, not by civilian access rules, and military areas are
  mostly ``access=private``.
- **Railways**: ``railway`` in :data:`RAIL_KINDS` (``rail``, ``light_rail``, ``narrow_gauge``, ``subway``,
  ``tram``); the value is kept as the link's ``kind``. Sidings and yards (``service=siding|yard|spur``) are kept:
  loading ramps are there. Abandoned, disused, platform and construction ways are left out.

Splitting
---------
Each kept way is split into links at its *junctions*: the nodes it shares with another kept way **of the same mode**
(or that it passes twice), station nodes, and its ends. Road and rail are not joined at level crossings (a shared
node of a road and a railway is not a junction for either; a change of mode goes through a transfer). Piece ``k``
(1-based, along the way's node order) of way ``W`` is the link ``osm:way/W#k`` between places ``osm:node/A`` and
``osm:node/B``. Lengths are geodesic on the WGS84 ellipsoid (pyproj ``Geod``) along the way's geometry, kept in
``line``.

An extract cut to a bounding box holds ways whose nodes partly lie outside it (the node reference has no
location). Such a way is kept as the runs of consecutive nodes inside the extract; one rejection at item 0 of the
source says how many ways were cut, so nothing is dropped silently.

Tags
----
``maxweight``, ``maxaxleload`` (t), ``maxheight``, ``maxwidth`` (m), ``maxspeed`` (km/h), ``gauge`` (mm),
``electrified`` (railways only), ``bridge``, ``tunnel`` and ``oneway`` are read with :mod:`kompas.mobility.tags`.
A value that cannot be read becomes a :class:`~kompas.rejections.Rejection` with ``unit="item"`` and
``line`` = **the OSM way id** (printed ``SOURCE: item <way id>: maxweight: '12 tonnes' ...``), the field the tag
key and the value as written; the way is kept with that limit unknown. ``oneway=-1`` reverses the way's direction;
``highway=motorway`` and ``junction=roundabout|circular`` imply one way (OSM wiki ``Key:oneway``). A dual-gauge
track (``gauge=1435;1520``) gets its first gauge and its links are listed in the source entry's ``dual_gauge``
(space-separated link ids) for :mod:`kompas.mobility.coverage`.

A link's ``name`` is the way's ``name``, else its ``ref`` (road number). Places get the node's ``name`` where it
has one; ``railway=station|halt`` and ``public_transport=station`` nodes on
a kept way are places of kind ``station``. Countries are left ``""`` (extracts carry none).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import osmium
from pyproj import Geod

from kompas.mobility import tags as osm_tags
from kompas.mobility.model import Link, Mode, Network, Place, Point
from kompas.rejections import Rejection

#: ``highway`` values read as roads usable by military vehicles (``service`` is filtered by :data:`SERVICE_EXCLUDED`).
ROAD_CLASSES: tuple[str, ...] = (
    "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
    "tertiary", "tertiary_link", "unclassified", "residential", "living_street", "service")
#: ``service`` values of ``highway=service`` left out: private car access, not through routes for vehicles.
SERVICE_EXCLUDED = frozenset({"parking_aisle", "driveway", "drive-through", "emergency_access"})
#: ``railway`` values read as rail links (the value is the link's ``kind``).
RAIL_KINDS: tuple[str, ...] = ("rail", "light_rail", "narrow_gauge", "subway", "tram")
#: Nodes with these tags are stations (``key``, ``value``).
STATION_TAGS = frozenset({("railway", "station"), ("railway", "halt"), ("public_transport", "station")})
FORMATS = ("pbf", "osm", "osm.gz", "osm.bz2", "o5m", "opl")  #: the ``fmt`` values libosmium reads from a buffer
ATTRIBUTION = "© OpenStreetMap contributors"
LICENCE = "ODbL-1.0 (https://www.openstreetmap.org/copyright)"
_TAG_KEYS = ("highway", "railway", "service", "name", "ref", "maxweight", "maxaxleload", "maxheight", "maxwidth",
             "maxspeed", "gauge", "electrified", "bridge", "tunnel", "oneway", "junction")
_GEOD = Geod(ellps="WGS84")


@dataclass
class _Way:
    """One kept way as read: id, mode, the tags used, node ids and (lon, lat) or None where outside the extract."""

    id: int
    mode: Mode
    tags: dict[str, str]
    refs: list[int]
    coords: list[Point | None]


class _Reader(osmium.SimpleHandler):
    """Collects named and station nodes and the kept ways (with node locations) in one pass."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[int, str] = {}
        self.stations: set[int] = set()
        self.ways: list[_Way] = []

    def node(self, node: osmium.osm.Node) -> None:
        """Remember a node's name and whether it is a station."""
        node_tags = node.tags
        if not len(node_tags):
            return
        name = node_tags.get("name")
        if name:
            self.names[node.id] = name
        if any(node_tags.get(key) == value for key, value in STATION_TAGS):
            self.stations.add(node.id)

    def way(self, way: osmium.osm.Way) -> None:
        """Keep a road or railway with its tags and node locations."""
        way_tags = way.tags
        mode = _mode(way_tags.get("highway"), way_tags.get("railway"), way_tags.get("service"))
        if mode is None:
            return
        refs: list[int] = []
        coords: list[Point | None] = []
        for ref in way.nodes:
            refs.append(ref.ref)
            location = ref.location
            coords.append((location.lon, location.lat) if location.valid() else None)
        kept = {key: str(way_tags[key]) for key in _TAG_KEYS if key in way_tags}
        self.ways.append(_Way(way.id, mode, kept, refs, coords))


def _mode(highway: str | None, railway: str | None, service: str | None) -> Mode | None:
    """``road``, ``rail`` or None (not kept) for a way's ``highway``/``railway``/``service`` values."""
    if railway in RAIL_KINDS:
        return "rail"
    if highway in ROAD_CLASSES and not (highway == "service" and service in SERVICE_EXCLUDED):
        return "road"
    return None


def parse_osm(data: bytes, source: str, fmt: str = "pbf") -> Network:
    """The road and rail network of an OSM extract (``data``: the file's bytes in format ``fmt``, one of
    :data:`FORMATS`), named ``source`` in ids' provenance and rejections.

    Raises ValueError naming ``source`` when the bytes are not a readable OSM file (truncated or corrupt PBF, XML
    without the OSM root): no partial network is returned, since an extract is read nodes first and a cut one
    would hold no ways. Bad tag values are rejections of the returned network (see the module docstring)."""
    if fmt not in FORMATS:
        raise ValueError(f"{source}: unknown OSM format {fmt!r} (one of {', '.join(FORMATS)})")
    reader = _Reader()
    try:
        reader.apply_buffer(data, fmt, locations=True)
    except RuntimeError as exc:  # libosmium reports format errors as RuntimeError
        raise ValueError(f"{source}: not a readable OSM {fmt} file ({exc})") from None
    return build(reader.ways, reader.names, reader.stations, source)


def _junctions(ways: list[_Way], stations: set[int]) -> dict[str, set[int]]:
    """Per mode, the node ids where a way of that mode must be split: shared nodes, stations, and way ends."""
    split: dict[str, set[int]] = {}
    for mode in ("road", "rail"):
        uses: Counter[int] = Counter()
        ends: set[int] = set()
        for way in ways:
            if way.mode == mode and way.refs:
                uses.update(way.refs)
                ends.update((way.refs[0], way.refs[-1]))
        split[mode] = {node for node, count in uses.items() if count > 1} | ends | (stations & set(uses))
    return split


def _runs(way: _Way) -> list[list[int]]:
    """The way's node positions as runs of consecutive nodes inside the extract, repeated nodes dropped."""
    runs: list[list[int]] = []
    current: list[int] = []
    for position, coord in enumerate(way.coords):
        if coord is None:
            if len(current) > 1:
                runs.append(current)
            current = []
        elif not current or way.refs[current[-1]] != way.refs[position]:
            current.append(position)
    if len(current) > 1:
        runs.append(current)
    return runs


@dataclass
class _Limits:
    """The tag values of one way in Kompas units."""

    maxweight_t: float | None = None
    maxaxleload_t: float | None = None
    maxheight_m: float | None = None
    maxwidth_m: float | None = None
    maxspeed_kmh: float | None = None
    gauges_mm: tuple[int, ...] | None = None
    electrified: bool | None = None
    oneway: int | None = None


def _limits(way: _Way, source: str, rejections: list[Rejection]) -> _Limits:
    """Read a way's limit tags, appending a rejection (item = the way id) for each value that cannot be read."""
    out = _Limits()

    def note(key: str, reason: str | None) -> None:
        if reason:
            rejections.append(Rejection(source, way.id, key, f"way {way.id}: {reason}", way.tags[key], "item"))

    get = way.tags.get
    out.maxweight_t, why = osm_tags.parse_weight_t(get("maxweight"))
    note("maxweight", why)
    out.maxaxleload_t, why = osm_tags.parse_axleload_t(get("maxaxleload"))
    note("maxaxleload", why)
    out.maxheight_m, why = osm_tags.parse_length_m(get("maxheight"))
    note("maxheight", why)
    out.maxwidth_m, why = osm_tags.parse_width_m(get("maxwidth"))
    note("maxwidth", why)
    out.maxspeed_kmh, why = osm_tags.parse_maxspeed_kmh(get("maxspeed"))
    note("maxspeed", why)
    out.oneway, why = osm_tags.parse_oneway(get("oneway"))
    note("oneway", why)
    if way.mode == "rail":
        out.gauges_mm, why = osm_tags.parse_gauge_mm(get("gauge"))
        note("gauge", why)
        out.electrified, why = osm_tags.parse_electrified(get("electrified"))
        note("electrified", why)
    if out.oneway is None:
        implied = get("highway") == "motorway" or get("junction") in ("roundabout", "circular")
        out.oneway = 1 if implied else 0
    return out


def _flag(value: str | None) -> bool:
    """``bridge``/``tunnel``: any value but ``no`` marks one (``yes``, ``viaduct``, ``building_passage``...)."""
    return value is not None and value.strip().lower() not in ("", "no")


def build(ways: list[_Way], names: dict[int, str], stations: set[int], source: str) -> Network:
    """The network of the kept ways (see :func:`parse_osm`)."""
    network = Network(sources=[{"name": source, "attribution": ATTRIBUTION, "licence": LICENCE,
                                "note": "OpenStreetMap extract: roads and railways"}])
    split = _junctions(ways, stations)
    cut: list[int] = []
    dual: list[str] = []
    for way in ways:
        limits = _limits(way, source, network.rejections)
        junction = split[way.mode]
        piece = 0
        runs = _runs(way)
        if not runs:
            inside = sum(coord is not None for coord in way.coords)
            why = (f"only {inside} of its {len(way.refs)} nodes inside the extract" if way.refs else "no nodes")
            network.rejections.append(Rejection(source, way.id, "nodes", f"way {way.id}: {why}: no link made",
                                                unit="item"))
            continue
        for run in runs:
            lonlat = np.array([way.coords[i] for i in run], dtype=float)
            _, _, step_m = _GEOD.inv(lonlat[:-1, 0], lonlat[:-1, 1], lonlat[1:, 0], lonlat[1:, 1])
            along_m = np.concatenate(([0.0], np.cumsum(np.atleast_1d(step_m))))
            start = 0
            for k in range(1, len(run)):
                if k < len(run) - 1 and way.refs[run[k]] not in junction:
                    continue
                piece += 1
                link = _link(way, piece, run[start:k + 1], float(along_m[k] - along_m[start]) / 1000.0, limits,
                             source)
                if limits.gauges_mm is not None and len(limits.gauges_mm) > 1:
                    dual.append(link.id)
                network.links[link.id] = link
                for end in (run[start], run[k]):
                    _add_place(network, way, end, names, stations, source)
                start = k
        if any(coord is None for coord in way.coords):
            cut.append(way.id)
    if cut:
        shown = ", ".join(str(way_id) for way_id in cut[:5]) + (", ..." if len(cut) > 5 else "")
        network.rejections.append(Rejection(
            source, 0, "nodes", f"ways running past the edge of the extract (their nodes outside it have no "
            f"location): {len(cut)}, kept as their parts inside (ways {shown})", unit="item"))
    if dual:
        network.sources[0]["dual_gauge"] = " ".join(dual)
    return network


def _add_place(network: Network, way: _Way, position: int, names: dict[int, str], stations: set[int],
               source: str) -> None:
    """Add the place of the way's node at ``position`` (once)."""
    node = way.refs[position]
    pid = f"osm:node/{node}"
    if pid not in network.places:
        lon, lat = way.coords[position] or (0.0, 0.0)
        network.places[pid] = Place(pid, names.get(node, ""), lon, lat, "",
                                    "station" if node in stations else "junction", source)


def _link(way: _Way, piece: int, positions: list[int], length_km: float, limits: _Limits, source: str) -> Link:
    """Piece ``piece`` of ``way`` over the node ``positions`` (reversed for ``oneway=-1``)."""
    if limits.oneway == -1:
        positions = positions[::-1]
    line = tuple(coord for coord in (way.coords[i] for i in positions) if coord is not None)
    get = way.tags.get
    rail = way.mode == "rail"
    return Link(
        id=f"osm:way/{way.id}#{piece}", u=f"osm:node/{way.refs[positions[0]]}",
        v=f"osm:node/{way.refs[positions[-1]]}", mode=way.mode, length_km=length_km,
        maxspeed_kmh=limits.maxspeed_kmh, name=get("name") or get("ref") or "",
        kind=(get("railway") if rail else get("highway")) or "", bridge=_flag(get("bridge")),
        tunnel=_flag(get("tunnel")), oneway=limits.oneway != 0, maxweight_t=limits.maxweight_t,
        maxaxleload_t=limits.maxaxleload_t, maxheight_m=limits.maxheight_m, maxwidth_m=limits.maxwidth_m,
        gauge_mm=limits.gauges_mm[0] if rail and limits.gauges_mm else None,
        electrified=limits.electrified if rail else None, source=source, line=line)
