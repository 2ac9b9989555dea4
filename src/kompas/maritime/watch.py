"""Undersea infrastructure watch: which cable or link a vessel's behaviour happened near (no I/O).

Assets are the submarine cables and HVDC/AC links of the infrastructure engine (:mod:`kompas.infra`); for the Baltic,
the index ``baltic_seabed_assets.csv`` names which ones lie on its seabed. A behaviour event that matters for
cables (loitering, drift, an anchor drag, going dark) raises an alert when the path of its evidence (the
fixes; for a gap, the straight line between where the vessel fell silent and where it reappeared) comes within the
asset's watch distance: ``buffer_km`` (the anchor and chain's reach, and the ship's own length, default 1 km) plus
the accuracy of the asset's drawn route.

**Route accuracy.** No public route is surveyed. TeleGeography draws cables schematically (:data:`ACCURACY_KM`
``cable`` = 5 km); HVDC routes traced from the ENTSO-E map via GridKit are stylised (3 km); a link known only by its
two converter stations is a straight line between them (10 km). Each alert states the route's source and accuracy,
so an analyst reads "within 6 km of Estlink 2 as drawn" and not "over the cable".
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from shapely import STRtree
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from kompas.infra.model import Cable, Link, Network
from kompas.maritime.events import Event
from kompas.maritime.geo import EARTH_RADIUS_M
from kompas.rejections import Rejection

#: Accuracy of drawn routes, km (see the module docstring).
ACCURACY_KM = {"cable": 5.0, "traced": 3.0, "straight": 10.0}
BUFFER_KM = 1.0  #: default distance added to the accuracy: an anchor on up to ~300 m of chain, the ship's length
#: HVDC links of the Baltic index that run over land only (so not seabed assets), with the reason.
LAND_LINKS = {"hellsjon-grangesberg": "an experimental overhead line in central Sweden, not on the seabed",
              "sydvastlanken": "SydVästlänken runs underground and overhead within Sweden, not on the seabed"}
#: Event types the watch raises alerts for (the issue's: loitering, drifting, dragging an anchor, going dark).
WATCHED = ("anchor_drag", "drift", "loitering", "dark")


@dataclass(frozen=True)
class Asset:
    """A seabed asset: a cable or link with its drawn route (lon/lat degrees)."""

    ref: str  #: ``cable:c-lion1``, ``link:estlink-2``
    name: str
    kind: str  #: ``telecom cable``, ``power cable``, ``hvdc link``, ``ac line``
    geometry: BaseGeometry
    accuracy_km: float
    countries: tuple[str, ...] = ()
    route_source: str = ""  #: where the drawn route comes from (and how accurate it is), in words
    year: int | None = None  #: in service from (ready for service); None when not known

    def describe(self) -> dict[str, Any]:
        return {"ref": self.ref, "name": self.name, "kind": self.kind, "countries": list(self.countries),
                "route_accuracy_km": self.accuracy_km, "route_source": self.route_source, "year": self.year}


def _lines(route: tuple) -> BaseGeometry | None:
    parts = [LineString(line) for line in route if len(line) >= 2]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiLineString(parts)


def asset_of(element: Cable | Link) -> Asset | None:
    """The asset of an infrastructure cable or link (None when it has no route or ends to draw)."""
    if isinstance(element, Cable):
        geometry = _lines(element.route)
        if geometry is None:
            return None
        return Asset(element.ref, element.name, f"{element.cable_kind} cable", geometry, ACCURACY_KM["cable"],
                     element.countries, "TeleGeography's schematic route (CC BY-NC-SA 3.0), about "
                     f"±{ACCURACY_KM['cable']:g} km", element.rfs_year)
    traced = element.route and not (len(element.route) == 1 and element.ends is not None
                                    and tuple(element.route[0]) == tuple(element.ends))
    geometry = _lines(element.route) if traced else None
    if geometry is not None:
        return Asset(element.ref, element.name, f"{element.link_kind} link", geometry, ACCURACY_KM["traced"],
                     element.countries, "route traced from the ENTSO-E map via GridKit (stylised, CC-BY-4.0), about "
                     f"±{ACCURACY_KM['traced']:g} km", element.year)
    if element.ends is None:
        return None
    return Asset(element.ref, element.name, f"{element.link_kind} link", LineString(element.ends),
                 ACCURACY_KM["straight"], element.countries, "a straight line between the converter stations "
                 f"(no route known), about ±{ACCURACY_KM['straight']:g} km", element.year)


def network_assets(network: Network, box: tuple[float, float, float, float] | None = None,
                   kinds: tuple[str, ...] = ("hvdc",)) -> list[Asset]:
    """The submarine cables of ``network`` and its links of ``kinds`` (HVDC by default: the AC lines of the grid
    data run over land), optionally only those whose route meets ``box`` (lon_min, lat_min, lon_max, lat_max)."""
    assets = []
    elements: list[Cable | Link] = [*network.cables.values(), *network.links.values()]
    for element in elements:
        if isinstance(element, Link) and (element.link_kind not in kinds or element.status != "operating"):
            continue
        asset = asset_of(element)
        if asset is None:
            continue
        if box is not None:
            x0, y0, x1, y1 = asset.geometry.bounds
            if x1 < box[0] or x0 > box[2] or y1 < box[1] or y0 > box[3]:
                continue
        assets.append(asset)
    return assets


def seabed_index(text: str, network: Network, source: str = "baltic_seabed_assets.csv") -> tuple[
        list[Asset], list[Rejection]]:
    """The assets a seabed index (``asset_name,asset_kind,source_file,source_id,...,is_planned,...``) lists, found
    in ``network`` by cable id or link name; rows that are planned, or that name nothing in the network, are
    reported."""
    by_name = {link.name.lower(): link for link in network.links.values()}
    assets: list[Asset] = []
    rejections: list[Rejection] = []
    rows = csv.DictReader(text.splitlines())
    for number, row in enumerate(rows, 2):
        name = (row.get("asset_name") or "").strip()
        if (row.get("is_planned") or "").strip().lower() == "true":
            rejections.append(Rejection(source, number, "is_planned", "planned, not yet on the seabed", name))
            continue
        element: Cable | Link | None
        if "TeleGeography" in (row.get("asset_kind") or ""):
            element = network.cables.get((row.get("source_id") or "").strip())
        else:
            element = by_name.get(name.lower())
        if element is None:
            rejections.append(Rejection(source, number, "asset_name", "not in the infrastructure data loaded "
                                        "(without ../shared only the bundled HVDC list is)", name))
            continue
        if isinstance(element, Link) and element.status != "operating":
            rejections.append(Rejection(source, number, "asset_name", f"{element.status}, no longer in service",
                                        name))
            continue
        if isinstance(element, Link) and element.id in LAND_LINKS:
            rejections.append(Rejection(source, number, "asset_name", LAND_LINKS[element.id], name))
            continue
        asset = asset_of(element)
        if asset is None:
            rejections.append(Rejection(source, number, "asset_name", "no route or ends to draw", name))
        elif asset.ref not in {a.ref for a in assets}:
            assets.append(asset)
    return assets, rejections


def _local(lon: np.ndarray, lat: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    x = np.radians(lon - lon0) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    y = np.radians(lat - lat0) * EARTH_RADIUS_M
    return np.column_stack([x, y])


def _local_geometry(geometry: BaseGeometry, lon0: float, lat0: float) -> BaseGeometry:
    parts = list(geometry.geoms) if isinstance(geometry, MultiLineString) else [geometry]
    moved = [LineString(_local(np.asarray(p.coords)[:, 0], np.asarray(p.coords)[:, 1], lon0, lat0)) for p in parts]
    return moved[0] if len(moved) == 1 else MultiLineString(moved)


@dataclass
class Watch:
    """Assets indexed for the question "which of them is this path near?"."""

    assets: list[Asset]
    buffer_km: float = BUFFER_KM
    tree: STRtree = field(init=False)

    def __post_init__(self) -> None:
        self.tree = STRtree([asset.geometry for asset in self.assets])

    def near(self, lat: np.ndarray, lon: np.ndarray, when: float | None = None) -> list[dict[str, Any]]:
        """The assets within their watch distance of the path through ``lat``/``lon`` (degrees), nearest first,
        each with the distance (km), the watch distance and the closest point of the path; with ``when`` (Unix s),
        only assets in service by then (a cable laid later was not there)."""
        year = datetime.fromtimestamp(when, UTC).year if when is not None and math.isfinite(when) else None
        reach_km = self.buffer_km + max((a.accuracy_km for a in self.assets), default=0.0)
        lat0 = float(np.mean(lat))
        lon0 = float(np.mean(lon))
        pad_lat = reach_km / 111.2
        pad_lon = reach_km / (111.2 * max(math.cos(math.radians(lat0)), 0.05))
        box = (float(lon.min()) - pad_lon, float(lat.min()) - pad_lat, float(lon.max()) + pad_lon,
               float(lat.max()) + pad_lat)
        from shapely.geometry import box as make_box

        candidates = self.tree.query(make_box(*box))
        if not len(candidates):
            return []
        points = _local(lon, lat, lon0, lat0)
        path: BaseGeometry = LineString(points) if len(points) >= 2 else Point(points[0])
        found = []
        for index in candidates:
            asset = self.assets[int(index)]
            if year is not None and asset.year is not None and asset.year > year:
                continue
            local = _local_geometry(asset.geometry, lon0, lat0)
            distance_km = path.distance(local) / 1000.0
            limit = self.buffer_km + asset.accuracy_km
            if distance_km <= limit:
                nearest = int(np.argmin([Point(p).distance(local) for p in points]))
                found.append({**asset.describe(), "distance_km": round(distance_km, 2),
                              "watch_km": round(limit, 2), "closest_lat": round(float(lat[nearest]), 5),
                              "closest_lon": round(float(lon[nearest]), 5)})
        found.sort(key=lambda item: item["distance_km"])
        return found

    def alerts(self, events: list[Event], watched: tuple[str, ...] = WATCHED) -> list[Event]:
        """The ``events`` of ``watched`` types near an asset, their ``assets`` filled in (the events are changed
        in place and returned)."""
        out = []
        for event in events:
            if event.type not in watched:
                continue
            near = self.near(event.evidence.lat, event.evidence.lon, event.start)
            if near:
                event.assets = near
                out.append(event)
        return out


def parse_assets_geojson(text: str, source: str = "assets") -> tuple[list[Asset], list[Rejection]]:
    """Assets from a GeoJSON FeatureCollection (a pipeline or a national cable route contributed as lines):
    each feature's ``name`` (or ``id``) names it, ``accuracy_km`` (default 1) states how well its route is known;
    features that are not lines, or have no name, are reported by their 1-based number."""
    import json

    try:
        document = json.loads(text)
    except ValueError as error:
        return [], [Rejection(source, 0, "", f"not JSON: {error}", unit="item")]
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        return [], [Rejection(source, 0, "", "not a GeoJSON FeatureCollection", unit="item")]
    assets: list[Asset] = []
    rejections: list[Rejection] = []
    for number, feature in enumerate(features, 1):
        properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        name = str(properties.get("name") or (feature.get("id") if isinstance(feature, dict) else "") or "").strip()
        if not name:
            rejections.append(Rejection(source, number, "name", "a feature without a name", unit="item"))
            continue
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        try:
            if kind == "LineString":
                shape: BaseGeometry = LineString(coords)
            elif kind == "MultiLineString":
                shape = MultiLineString(coords)
            else:
                raise ValueError(f"geometry {kind!r}: a LineString or MultiLineString is needed")
            if shape.is_empty or not shape.is_valid:
                raise ValueError("an empty or invalid line")
            x0, y0, x1, y1 = shape.bounds
            if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
                raise ValueError("coordinates outside longitude -180..180, latitude -90..90")
            accuracy = float(properties.get("accuracy_km", 1.0))
            if not 0 <= accuracy <= 100:
                raise ValueError(f"accuracy_km {accuracy}: 0 to 100")
        except (ValueError, TypeError) as error:
            rejections.append(Rejection(source, number, "geometry", f"{name}: {error}", unit="item"))
            continue
        assets.append(Asset(f"contributed:{name}", name, str(properties.get("kind") or "contributed asset"), shape,
                            accuracy, tuple(str(c) for c in properties.get("countries") or []),
                            f"contributed route ({source}), about ±{accuracy:g} km"))
    return assets, rejections
