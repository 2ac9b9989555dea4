"""The infrastructure layers of the 2D map (issue 24), registered with :func:`kompas.services.map.map_layer`:

==================== ====== ================================================================================
layer                kind   what
==================== ====== ================================================================================
``infra-cables``     lines  submarine cables (TeleGeography's Submarine Cable Map, and contributed cables)
``infra-landings``   points cable landing points (city-level)
``infra-exchanges``  points buildings hosting internet exchanges, named with the exchanges they host
``infra-links``      lines  HVDC links (PyPSA-Eur) and contributed pipelines and links, with their rated capacity
``infra-ac``         lines  cross-border AC lines (GridKit via PyPSA-Eur), capacity estimated from voltage and
                            circuits (said in the name shown on hover)
==================== ====== ================================================================================

Each layer is built from the network the viewer may see (:func:`kompas.services.infra.view`: the public network
merged with the contributions the storage layer lets the viewer read). Every feature carries the combined marking
of every element whose data it shows (public data: UNCLASSIFIED TLP:CLEAR; a contributed element: the marking it
was contributed under): its own, the landing points a cable without a route is drawn through, the cables named at a
landing point, the exchanges named at a building (a link's terminals are its own data). Each feature carries a
``source`` attribution; the collection's marking is the combination of the features drawn (and of whatever else
decided the answer), so a contributed SECRET cable raises the cables layer for the reader cleared for it and is
simply absent for the others.

TeleGeography's data is CC BY-NC-SA 3.0 (non-commercial use only) and is read from ``../shared`` at run time; the
grid is PyPSA-Eur's (CC-BY-4.0). Routes are drawn, not surveyed, and landing points are city-level: the layers'
descriptions say so. Sizes are bounded: routes are simplified (``simplify_km``, default 1 km) and rounded to
0.001 degree, ``bbox`` and ``country`` narrow a layer, and a layer of more than :data:`MAX_FEATURES` features is
refused (422) with a request to narrow it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kompas.core.markings import Marking, Viewer
from kompas.core.store import Store
from kompas.infra.model import PUBLIC, Building, Cable, Element, Landing, Link, Network, Route
from kompas.services.map import LayerError, collection, feature, map_layer

MAX_FEATURES = 20_000  #: most features one layer answer holds (narrow with bbox or country beyond that)
MAX_NAMES = 12  #: names listed in one property (cables at a landing point, exchanges in a building)
DIGITS = 3  #: decimals of the coordinates drawn (0.001 degree: about 100 m; routes are drawn, not surveyed)
KM_PER_DEGREE = 111.32  #: length of one degree of latitude (km), to turn ``simplify_km`` into degrees

TELEGEOGRAPHY = ("TeleGeography, Submarine Cable Map (2022 vintage, via S. Song's open_undersea_cable_map) and "
                 "Internet Exchange Map (2020): CC BY-NC-SA 3.0, non-commercial use only")
PYPSA = ("PyPSA-Eur (links_p_nom.csv; GridKit extract of the ENTSO-E map, unofficial, not endorsed by ENTSO-E): "
         "© The PyPSA-Eur Authors, CC-BY-4.0")
CONTRIBUTED = "elements contributed by members and operators, under their own markings"
DRAWN = ("Routes are drawn, not surveyed, and landing points are city-level: any distance read off the map is "
         "approximate by kilometres.")
#: the short attribution of each public source (element ``source`` prefix -> text), carried by every feature
SOURCES = {
    "infra/cables_": "TeleGeography Submarine Cable Map (CC BY-NC-SA 3.0, non-commercial)",
    "infra/ixmap_": "TeleGeography Internet Exchange Map 2020 (CC BY-NC-SA 3.0, non-commercial)",
    "infra/grid/links_p_nom": "PyPSA-Eur links_p_nom.csv (CC-BY-4.0)",
    "infra/grid/entsoegridkit": "GridKit/ENTSO-E map via PyPSA-Eur (CC-BY-4.0; unofficial)",
}
_BBOX = re.compile(r"^\s*-?\d{1,3}(\.\d+)?\s*(,\s*-?\d{1,3}(\.\d+)?\s*){3}$")


class PointParameters(BaseModel):
    """Parameters of the point layers (landing points, exchange buildings)."""

    model_config = ConfigDict(extra="forbid")
    bbox: str | None = Field(None, pattern=_BBOX.pattern, max_length=80,
                             description="min_lon,min_lat,max_lon,max_lat (degrees WGS84; min_lon > max_lon crosses "
                                         "the antimeridian): only the elements in this box")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$",
                                description="ISO 3166-1 alpha-2 code: only the elements serving this country")


class LineParameters(PointParameters):
    """Parameters of the line layers: those of the points and the simplification of routes."""

    simplify_km: float = Field(1.0, ge=0, le=50, description="Routes simplified to this tolerance (km; 0: as drawn "
                                                             "by the source, rounded to 0.001 degree)")


class LinkParameters(LineParameters):
    """Parameters of the HVDC and AC layers: those of the lines, and whether decommissioned links are drawn."""

    decommissioned: bool = Field(False, description="Draw decommissioned links too (default: operating and "
                                                    "planned ones)")


@dataclass(frozen=True)
class Box:
    """A longitude/latitude box (degrees); ``west > east`` crosses the antimeridian."""

    west: float
    south: float
    east: float
    north: float

    def meets(self, bounds: tuple[float, float, float, float]) -> bool:
        """Whether the bounds (west, south, east, north) of a geometry meet the box."""
        west, south, east, north = bounds
        if north < self.south or south > self.north:
            return False
        if self.west <= self.east:
            return not (east < self.west or west > self.east)
        return east >= self.west or west <= self.east  # the box crosses the antimeridian


def parse_bbox(text: str | None) -> Box | None:
    """``min_lon,min_lat,max_lon,max_lat`` as a :class:`Box` (None for none); LayerError when out of range."""
    if text is None or not text.strip():
        return None
    if not _BBOX.match(text):
        raise LayerError("bbox: four numbers min_lon,min_lat,max_lon,max_lat (degrees)")
    west, south, east, north = (float(v) for v in text.split(","))
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise LayerError("bbox: longitudes in -180..180 degrees")
    if not (-90 <= south <= 90 and -90 <= north <= 90) or south > north:
        raise LayerError("bbox: latitudes in -90..90 degrees, min_lat not above max_lat")
    return Box(west, south, east, north)


@dataclass(frozen=True)
class Seen:
    """The network a viewer may see, each contributed element's marking (by ref), and the combined marking of the
    contributions (the marking of a contributed element whose own is unknown: conservative)."""

    network: Network
    markings: dict[str, Marking]
    combined: Marking
    notes: tuple[str, ...]

    def marking(self, element: Element) -> Marking:
        """The element's own marking: the public data's, or the contribution's."""
        from kompas.services.infra import PUBLIC_MARKING

        if element.origin == PUBLIC:
            return PUBLIC_MARKING
        return self.markings.get(element.ref, self.combined)


def seen_by(store: Store, viewer: Viewer | None) -> Seen:
    """The network ``viewer`` may see (:func:`kompas.services.infra.view`) and the markings of its contributed
    elements (the newest copy of an element wins, as in the network)."""
    from kompas.core.store import infra as stored
    from kompas.services import infra

    markings = {row.element.ref: row.marking for row in stored.element_rows(store, viewer)}  # oldest first
    found = infra.view(store, viewer)
    return Seen(found.network, markings, found.marking, tuple(found.notes()))


def source_of(element: Element) -> str:
    """The attribution a feature carries: the public data set and its licence, or who contributed it."""
    if element.origin != PUBLIC:
        return f"contributed by {element.origin}" + (f" ({element.source[:80]})" if element.source else "")
    for prefix, text in SOURCES.items():
        if element.source.startswith(prefix):
            return text
    return element.source or "public data"


def simplified(route: Route, tolerance_deg: float) -> list[list[list[float]]]:
    """The lines of a route simplified (Douglas-Peucker, ``tolerance_deg`` degrees; ends kept) and rounded to
    :data:`DIGITS` decimals, consecutive repeats removed; lines left with fewer than 2 points are dropped."""
    from shapely.geometry import LineString

    out = []
    for line in route:
        points = [(float(x), float(y)) for x, y in line]
        if len(points) > 2 and tolerance_deg > 0:
            points = [(float(x), float(y)) for x, y in
                      LineString(points).simplify(tolerance_deg, preserve_topology=False).coords]
        drawn: list[list[float]] = []
        for x, y in points:
            p = [round(x, DIGITS), round(y, DIGITS)]
            if not drawn or drawn[-1] != p:
                drawn.append(p)
        if len(drawn) >= 2:
            out.append(drawn)
    return out


def _bounds(lines: Sequence[Sequence[Sequence[float]]]) -> tuple[float, float, float, float]:
    xs = [p[0] for line in lines for p in line]
    ys = [p[1] for line in lines for p in line]
    return min(xs), min(ys), max(xs), max(ys)


def _lines_geometry(lines: list[list[list[float]]]) -> dict:
    if len(lines) == 1:
        return {"type": "LineString", "coordinates": lines[0]}
    return {"type": "MultiLineString", "coordinates": lines}


def _feature(geometry: dict, marking: Marking, **properties: Any) -> dict:  # noqa: ANN401 (JSON values)
    """A feature with its marking; properties without a value are left out (smaller answers)."""
    return feature(geometry, marking, **{k: v for k, v in properties.items() if v is not None})


def _names(values: Iterable[str], most: int = MAX_NAMES) -> str:
    """Names joined with "; " (at most ``most``, then "and N more")."""
    items = [v for v in values if v]
    text = "; ".join(items[:most])
    return text + (f"; and {len(items) - most} more" if len(items) > most else "")


def _checked(layer: str, features: list[dict]) -> list[dict]:
    if len(features) > MAX_FEATURES:
        raise LayerError(f"{layer}: more than {MAX_FEATURES} features: narrow it with bbox or country")
    return features


def _country(params: PointParameters) -> str | None:
    return params.country.upper() if params.country else None


def _tolerance(params: LineParameters) -> float:
    return params.simplify_km / KM_PER_DEGREE


def _answer(layer: str, seen: Seen, features: list[dict], attribution: str, used: Iterable[Marking] = (),
            **properties: Any) -> dict:  # noqa: ANN401 (JSON values)
    return collection(layer, _checked(layer, features), used, attribution=attribution, caveat=DRAWN,
                      notes=list(seen.notes), **properties)


# --- cables and landing points ---------------------------------------------------------------------------------


def _cable_lines(cable: Cable, network: Network, tolerance: float) -> tuple[list[list[list[float]]],
                                                                              list[Landing]]:
    """The cable's drawn route, or (a cable without one) straight lines from its first landing point to each other
    one: ``(lines, landings drawn)``; the landing points whose positions the lines show (none for a drawn route)
    reveal those positions, so their markings count for the feature."""
    lines = simplified(cable.route, tolerance)
    if lines:
        return lines, []
    drawn = list({i: network.landings[i] for i in cable.landings if i in network.landings}.values())
    points = [(landing.lon, landing.lat) for landing in drawn]
    if len(points) < 2:
        return [], drawn
    return simplified(tuple((points[0], p) for p in points[1:]), 0.0), drawn


def cable_features(seen: Seen, params: LineParameters) -> tuple[list[dict], list[Marking], list[Marking]]:
    """The cables' features, the markings of the cables that could not be placed (no route, no landings), and the
    markings of the landing points whose positions left a cable out of ``bbox``.

    A feature's marking is the combination of the cable's and, for a cable drawn as straight lines between its
    landing points, of each landing point whose position it shows (a public cable through a contributed landing
    point, a contributed cable through another contribution's). A cable left out of the box because of those
    positions says where they are not: their markings count for the layer."""
    network, country, box, tolerance = seen.network, _country(params), parse_bbox(params.bbox), _tolerance(params)
    features: list[dict] = []
    unplaced: list[Marking] = []
    used: list[Marking] = []
    for cable in sorted(network.cables.values(), key=lambda c: c.name.lower()):
        if country and country not in cable.countries:
            continue
        lines, through = _cable_lines(cable, network, tolerance)  # through: drawn as straight lines between them
        if not lines:
            unplaced.append(seen.marking(cable))
            continue
        if box is not None and not box.meets(_bounds(lines)):
            used.extend(seen.marking(landing) for landing in through)
            continue
        marking = _combined([seen.marking(cable), *(seen.marking(landing) for landing in through)])
        kind = "power cable" if cable.cable_kind == "power" else "telecom cable"
        features.append(_feature(
            _lines_geometry(lines), marking, name=f"{cable.name} ({kind}; {', '.join(cable.countries) or '?'})",
            ref=cable.ref, cable=cable.name, kind=kind, countries=", ".join(cable.countries),
            landing_points=len(cable.landings), owners=_names(cable.owners) or None,
            suppliers=_names(cable.suppliers) or "not recorded", rfs_year=cable.rfs_year,
            planned=cable.planned or None, length_km=cable.length_km, capacity_tbps=cable.capacity_tbps,
            route="straight lines between landing points (no route given)" if through else "drawn, not surveyed",
            source=source_of(cable), url=cable.url or None))
    return features, unplaced, used


@map_layer("infra-cables", "Submarine cables", "lines", TELEGEOGRAPHY, parameters=LineParameters,
           colour="#0b7285", order=62, visible=False)
def cables_layer(store: Store, viewer: Viewer, params: LineParameters) -> dict:
    """Submarine cables (TeleGeography, Submarine Cable Map 2022: CC BY-NC-SA 3.0, non-commercial use only; and the
    cables contributed under markings you may see): name, countries, owners, suppliers, ready-for-service year.
    Routes are drawn, not surveyed."""
    seen = seen_by(store, viewer)
    features, unplaced, used = cable_features(seen, params)
    return _answer("infra-cables", seen, features, TELEGEOGRAPHY + "; " + CONTRIBUTED, [*unplaced, *used],
                   unplaced=len(unplaced))


@map_layer("infra-landings", "Cable landing points", "points", TELEGEOGRAPHY, parameters=PointParameters,
           colour="#0b3d91", order=63, visible=False)
def landings_layer(store: Store, viewer: Viewer, params: PointParameters) -> dict:
    """Cable landing points (TeleGeography, CC BY-NC-SA 3.0, non-commercial use only; city-level, not the station
    building), with the cables landing at each."""
    seen = seen_by(store, viewer)
    network, country, box = seen.network, _country(params), parse_bbox(params.bbox)
    landing_cables: dict[str, list[Cable]] = {}
    for cable in network.cables.values():
        for landing_id in dict.fromkeys(cable.landings):
            landing_cables.setdefault(landing_id, []).append(cable)
    features = []
    for landing in sorted(network.landings.values(), key=lambda x: x.name.lower()):
        if (country and landing.country != country) or (box is not None and not box.meets(
                (landing.lon, landing.lat, landing.lon, landing.lat))):
            continue
        here = sorted(landing_cables.get(landing.id, []), key=lambda c: c.name.lower())
        # the cables named here are revealed with the landing point: their markings count for the feature
        marking = _combined([seen.marking(landing), *(seen.marking(c) for c in here)])
        features.append(_point(landing, marking, name=f"{landing.name}: {len(here)} cable(s)", ref=landing.ref,
                               country=landing.country or None, cables=_names(c.name for c in here) or None,
                               cable_count=len(here), position="city-level", source=source_of(landing)))
    return _answer("infra-landings", seen, features, TELEGEOGRAPHY + "; " + CONTRIBUTED)


def _combined(markings: Sequence[Marking]) -> Marking:
    from kompas.core.markings import combine

    unique = {m.key(): m for m in markings}
    return next(iter(unique.values())) if len(unique) == 1 else combine(list(unique.values()))


def _point(element: Landing | Building, marking: Marking, **properties: Any) -> dict:  # noqa: ANN401
    return _feature({"type": "Point", "coordinates": [round(element.lon, 4), round(element.lat, 4)]}, marking,
                    **properties)


# --- internet exchanges ------------------------------------------------------------------------------------------


@map_layer("infra-exchanges", "Internet exchange buildings", "points", TELEGEOGRAPHY, parameters=PointParameters,
           colour="#9c36b5", order=64, visible=False)
def exchanges_layer(store: Store, viewer: Viewer, params: PointParameters) -> dict:
    """Buildings (colocation and data centres) hosting internet exchange points, named with the exchanges they host
    (TeleGeography, Internet Exchange Map 2020: CC BY-NC-SA 3.0, non-commercial use only)."""
    seen = seen_by(store, viewer)
    network, country, box = seen.network, _country(params), parse_bbox(params.bbox)
    hosted: dict[str, list[str]] = {}
    for exchange in network.exchanges.values():  # either side may list the link between an IXP and a building
        for building_id in exchange.buildings:
            hosted.setdefault(building_id, []).append(exchange.id)
    features = []
    for building in sorted(network.buildings.values(), key=lambda b: (b.country, b.city, b.name)):
        if (country and building.country != country) or (box is not None and not box.meets(
                (building.lon, building.lat, building.lon, building.lat))):
            continue
        ids = list(dict.fromkeys([*building.exchanges, *hosted.get(building.id, [])]))
        ixps = sorted((network.exchanges[i] for i in ids if i in network.exchanges), key=lambda e: e.name.lower())
        names = [e.name for e in ixps] + [i for i in ids if i not in network.exchanges]
        marking = _combined([seen.marking(building), *(seen.marking(e) for e in ixps)])
        where = ", ".join(v for v in (building.city, building.country) if v)
        features.append(_point(building, marking, name=f"{building.name}, {where}: "
                                                       f"{_names(names, 4) or 'no exchange listed'}",
                               ref=building.ref, building=building.name, city=building.city or None,
                               country=building.country or None, exchanges=_names(names) or None,
                               exchange_count=len(names), source=source_of(building)))
    return _answer("infra-exchanges", seen, features, TELEGEOGRAPHY + "; " + CONTRIBUTED)


# --- links: HVDC, pipelines, AC ---------------------------------------------------------------------------------


def _link_lines(link: Link, tolerance: float) -> tuple[list[list[list[float]]], bool]:
    lines = simplified(link.route, tolerance)
    if lines:
        return lines, False
    return (simplified(((link.ends[0], link.ends[1]),), 0.0), True) if link.ends else ([], True)


def _capacity(link: Link) -> str:
    if link.capacity is None:
        return "capacity not known"
    figure = f"{link.capacity:,.0f} {link.unit}" if link.capacity >= 10 else f"{link.capacity:g} {link.unit}"
    return f"about {figure} (estimated)" if link.estimated else f"{figure} (rated)"


def link_features(seen: Seen, params: LinkParameters, wanted: Callable[[Link], bool]) -> tuple[list[dict],
                                                                                               list[Marking]]:
    """The features of the links ``wanted`` keeps, and the markings of those that could not be placed."""
    country, box, tolerance = _country(params), parse_bbox(params.bbox), _tolerance(params)
    features, unplaced = [], []
    for link in sorted(seen.network.links.values(), key=lambda x: x.name.lower()):
        if not wanted(link) or (country and country not in link.countries):
            continue
        if link.status == "decommissioned" and not params.decommissioned:
            continue
        lines, straight = _link_lines(link, tolerance)
        marking = seen.marking(link)
        if not lines:
            unplaced.append(marking)
            continue
        if box is not None and not box.meets(_bounds(lines)):
            continue
        pair = "-".join(link.countries)
        kind = {"hvdc": "HVDC link", "ac": "AC line", "pipeline": "pipeline"}.get(link.link_kind, link.link_kind)
        features.append(_feature(
            _lines_geometry(lines), marking, name=f"{link.name} ({kind}, {pair}): {_capacity(link)}"
            + ("" if link.status == "operating" else f", {link.status}"),
            ref=link.ref, link=link.name, kind=kind, countries=pair, capacity=link.capacity, unit=link.unit,
            capacity_estimated=link.estimated, status=link.status, year=link.year, owners=_names(link.owners) or None,
            suppliers=_names(link.suppliers) or None, note=link.note or None,
            route="straight line between its terminals" if straight else "drawn, not surveyed",
            source=source_of(link)))
    return features, unplaced


@map_layer("infra-links", "HVDC links and pipelines", "lines", PYPSA, parameters=LinkParameters, colour="#e8590c",
           order=61, visible=False)
def links_layer(store: Store, viewer: Viewer, params: LinkParameters) -> dict:
    """HVDC links with their rated capacity (PyPSA-Eur links_p_nom.csv, © The PyPSA-Eur Authors, CC-BY-4.0; routes
    from the GridKit extract where one matches, else a straight line between the converter stations) and the
    pipelines and links contributed under markings you may see."""
    seen = seen_by(store, viewer)
    features, unplaced = link_features(seen, params, lambda link: link.link_kind != "ac")
    return _answer("infra-links", seen, features, PYPSA + "; " + CONTRIBUTED, unplaced, unplaced=len(unplaced))


@map_layer("infra-ac", "Cross-border AC lines", "lines", PYPSA, parameters=LinkParameters, colour="#c92a2a",
           order=60, visible=False)
def ac_layer(store: Store, viewer: Viewer, params: LinkParameters) -> dict:
    """Cross-border AC transmission lines (GridKit extract of the ENTSO-E map via PyPSA-Eur, © The PyPSA-Eur Authors,
    CC-BY-4.0; unofficial, March 2022): capacity estimated from voltage and circuits (a thermal rating, not a
    transfer capacity), as the name shown on hover says."""
    seen = seen_by(store, viewer)
    features, unplaced = link_features(seen, params, lambda link: link.link_kind == "ac")
    return _answer("infra-ac", seen, features, PYPSA + "; " + CONTRIBUTED, unplaced, unplaced=len(unplaced))
