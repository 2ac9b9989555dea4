"""How much of a network carries the attributes a movement planner needs (pure: a Network in, a table out).

Open data is incomplete: most OSM roads carry no ``maxweight``, almost no bridge a military load class, and the
RINF extract no gauge at all. A route answer that treats unknown limits as passable must say how much is unknown,
per tag, per class of link and per area. :func:`coverage` counts, for every tag of :data:`TAGS`, the links (and the
km) to which the tag applies and how many of them carry a value, overall, per link class and per area (grid cells of
``cell_deg`` degrees, or named polygons), plus how many carried a value the reader could not read (``unreadable``:
the OSM reader's rejections of that tag on that way).

Which tags apply to which links: the road limits (``maxweight``, ``maxaxleload``, ``maxheight``, ``maxwidth``,
``mlc`` and ``weight_or_mlc``, any weight limit or MLC) to road links; ``gauge`` and ``electrified`` to rail links;
``maxspeed`` to both. A ``maxspeed=none`` (no limit) reads as no value and counts as not carried.

Link classes: ``all``, ``road``, ``rail``, ``road:<highway>`` (``road:primary``...), ``rail:<railway>``
(``rail:tram``...; RINF links are ``rail:line``), ``bridge`` and ``tunnel`` (both modes). Bridges with neither a
weight limit nor an MLC are the gap a planner cares about most: they are listed apart (:attr:`Coverage.open_bridges`).

A link is placed in an area by its middle vertex (the midpoint of its two places when it has no geometry).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from kompas.mobility.model import Link, Network

#: The tags counted, in report order.
TAGS: tuple[str, ...] = ("maxweight", "maxaxleload", "maxheight", "maxwidth", "mlc", "weight_or_mlc", "maxspeed",
                         "gauge", "electrified")
ROAD_TAGS = frozenset({"maxweight", "maxaxleload", "maxheight", "maxwidth", "mlc", "weight_or_mlc"})
RAIL_TAGS = frozenset({"gauge", "electrified"})
#: The OSM tag keys whose unreadable values count against each tag (``weight_or_mlc``: any weight tag).
_REJECTED_KEYS: dict[str, tuple[str, ...]] = {"weight_or_mlc": ("maxweight", "maxaxleload")}

_HAS: dict[str, Callable[[Link], bool]] = {
    "maxweight": lambda link: link.maxweight_t is not None,
    "maxaxleload": lambda link: link.maxaxleload_t is not None,
    "maxheight": lambda link: link.maxheight_m is not None,
    "maxwidth": lambda link: link.maxwidth_m is not None,
    "mlc": lambda link: link.mlc is not None,
    "weight_or_mlc": lambda link: (link.maxweight_t is not None or link.maxaxleload_t is not None
                                   or link.mlc is not None),
    "maxspeed": lambda link: link.maxspeed_kmh is not None,
    "gauge": lambda link: link.gauge_mm is not None,
    "electrified": lambda link: link.electrified is not None,
}


@dataclass(frozen=True)
class Row:
    """The coverage of one tag on one class of links in one area."""

    area: str  #: ``all``, a grid cell (``24.00E 60.00N``: its south-west corner) or a given area's name
    link_class: str
    tag: str
    links: int  #: links to which the tag applies
    tagged: int  #: of which carry a readable value
    unreadable: int  #: of which carried a value the reader rejected (counted as not carried)
    km: float  #: their length, km
    tagged_km: float  #: the length of those carrying a value, km

    @property
    def share(self) -> float:
        """The share of links carrying the tag (0-1)."""
        return self.tagged / self.links if self.links else 0.0

    @property
    def km_share(self) -> float:
        """The share of km carrying the tag (0-1; 0 when the links have no length)."""
        return self.tagged_km / self.km if self.km > 0 else 0.0


@dataclass(frozen=True)
class Coverage:
    """The coverage table and the bridges without a limit."""

    table: tuple[Row, ...]
    areas: tuple[str, ...]  #: ``all`` then the areas, in order
    bridges: int  #: road bridges (links)
    open_bridges: tuple[str, ...]  #: road bridge link ids with no maxweight, maxaxleload or MLC
    open_bridge_km: float
    dual_gauge: tuple[str, ...]  #: rail link ids on a dual-gauge track (the reader kept the first gauge)
    cell_deg: float | None  #: the grid's cell size, degrees (None: named areas were given)

    def get(self, tag: str, link_class: str = "all", area: str = "all") -> Row | None:
        """The row for ``tag`` on ``link_class`` in ``area`` (None: no link of that class there takes the tag)."""
        return next((row for row in self.table if (row.tag, row.link_class, row.area) == (tag, link_class, area)),
                    None)

    def rows(self) -> list[dict[str, str | int | float]]:
        """The table as plain rows (for JSON, CSV and the report): shares in percent, km rounded to 0.1 km."""
        return [{"area": row.area, "class": row.link_class, "tag": row.tag, "links": row.links,
                 "tagged": row.tagged, "unreadable": row.unreadable, "share_pct": round(100.0 * row.share, 1),
                 "km": round(row.km, 1), "tagged_km": round(row.tagged_km, 1),
                 "km_share_pct": round(100.0 * row.km_share, 1)} for row in self.table]

    def lines(self, area: str = "all") -> list[str]:
        """One sentence per tag on all applicable links of ``area``, then the bridges without a limit."""
        out = []
        for tag in TAGS:
            row = self.get(tag, "all", area)
            if row is not None:
                unread = f"; {row.unreadable:,} unreadable" if row.unreadable else ""
                out.append(f"{tag}: {row.tagged:,} of {row.links:,} links ({100 * row.share:.1f}%), "
                           f"{row.tagged_km:,.1f} of {row.km:,.1f} km{unread}")
        if area == "all" and self.bridges:
            out.append(f"road bridges with no weight limit or MLC: {len(self.open_bridges):,} of {self.bridges:,} "
                       f"({self.open_bridge_km:,.1f} km)")
        return out


def _classes(link: Link) -> list[str]:
    """The classes a link counts in (besides ``all``)."""
    out = [link.mode, f"{link.mode}:{link.kind or '?'}"]
    if link.bridge:
        out.append("bridge")
    if link.tunnel:
        out.append("tunnel")
    return out


def _middle(link: Link, network: Network) -> tuple[float, float]:
    """(lon, lat) of the link's middle vertex, else of the midpoint of its places (NaN when unknown)."""
    if link.line:
        return link.line[len(link.line) // 2]
    u, v = network.places.get(link.u), network.places.get(link.v)
    if u is None or v is None:
        return math.nan, math.nan
    return (u.lon + v.lon) / 2.0, (u.lat + v.lat) / 2.0


def _cell_name(lon: float, lat: float) -> str:
    """``24.00E 60.00N`` for a cell's south-west corner."""
    return f"{abs(lon):.2f}{'E' if lon >= 0 else 'W'} {abs(lat):.2f}{'N' if lat >= 0 else 'S'}"


def _area_codes(points: np.ndarray, cell_deg: float, areas: Mapping[str, BaseGeometry] | None
                ) -> tuple[np.ndarray, list[str]]:
    """Per link, the index of its area in the returned names (-1: in none)."""
    codes = np.full(len(points), -1, dtype=np.int64)
    if areas is not None:
        names = list(areas)
        for index, name in enumerate(names):
            inside = shapely.contains_xy(areas[name], points[:, 0], points[:, 1]) & (codes < 0)
            codes[inside] = index
        return codes, names
    finite = np.isfinite(points).all(axis=1)
    corners = np.floor(points[finite] / cell_deg) * cell_deg
    unique, inverse = np.unique(corners, axis=0, return_inverse=True)
    codes[finite] = inverse.reshape(-1)
    return codes, [_cell_name(float(lon), float(lat)) for lon, lat in unique]


def _unreadable(network: Network) -> dict[str, set[str]]:
    """Per OSM tag key, the ids of the links whose way had a value of it rejected."""
    by_key: dict[str, set[tuple[str, int]]] = {}
    for rejection in network.rejections:
        if rejection.unit == "item" and rejection.line > 0:
            by_key.setdefault(rejection.field, set()).add((rejection.source, rejection.line))
    out: dict[str, set[str]] = {}
    if not by_key:
        return out
    for link in network.links.values():
        if not link.id.startswith("osm:way/"):
            continue
        way = (link.source, int(link.id[len("osm:way/"):].split("#", 1)[0]))
        for key, ways in by_key.items():
            if way in ways:
                out.setdefault(key, set()).add(link.id)
    return out


def coverage(network: Network, cell_deg: float = 1.0, areas: Mapping[str, BaseGeometry] | None = None) -> Coverage:
    """The coverage of :data:`TAGS` on ``network``'s links, overall and per area: grid cells of ``cell_deg``
    degrees, or ``areas`` (name -> shapely polygon in lon/lat degrees; a link in several counts in the first)."""
    if areas is None and not cell_deg > 0:
        raise ValueError(f"cell_deg must be > 0, got {cell_deg}")
    links = list(network.links.values())
    km = np.array([link.length_km for link in links], dtype=float)
    points = np.array([_middle(link, network) for link in links], dtype=float).reshape(-1, 2)
    codes, names = _area_codes(points, cell_deg, areas)
    area_list = ["all", *names]
    classes: dict[str, np.ndarray] = {"all": np.ones(len(links), dtype=bool)}
    for index, link in enumerate(links):
        for name in _classes(link):
            classes.setdefault(name, np.zeros(len(links), dtype=bool))[index] = True
    road = np.array([link.mode == "road" for link in links], dtype=bool)
    rail = np.array([link.mode == "rail" for link in links], dtype=bool)
    unreadable = _unreadable(network)
    table: list[Row] = []
    for tag in TAGS:
        applies = road if tag in ROAD_TAGS else rail if tag in RAIL_TAGS else road | rail
        has = np.array([_HAS[tag](link) for link in links], dtype=bool)
        rejected_ids = set().union(*(unreadable.get(key, set()) for key in _REJECTED_KEYS.get(tag, (tag,))))
        rejected = np.array([link.id in rejected_ids for link in links], dtype=bool) & ~has
        for class_name in sorted(classes, key=lambda name: (name != "all", name)):
            mask = classes[class_name] & applies
            if not mask.any():
                continue
            for area_index, area in enumerate(area_list):
                in_area = mask if area_index == 0 else mask & (codes == area_index - 1)
                count = int(in_area.sum())
                if not count:
                    continue
                table.append(Row(area, class_name, tag, count, int((in_area & has).sum()),
                                 int((in_area & rejected).sum()), float(km[in_area].sum()),
                                 float(km[in_area & has].sum())))
    bridge_ids = [link.id for link in links if link.bridge and link.mode == "road"]
    open_ids = tuple(lid for lid in bridge_ids if not _HAS["weight_or_mlc"](network.links[lid]))
    dual = tuple(lid for entry in network.sources for lid in entry.get("dual_gauge", "").split() if lid)
    return Coverage(tuple(table), tuple(area_list), len(bridge_ids), open_ids,
                    float(sum(network.links[lid].length_km for lid in open_ids)), dual,
                    None if areas is not None else cell_deg)
