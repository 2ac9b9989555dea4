"""Areas of a stress test: a sea area (a GeoJSON polygon) or a corridor (a buffer of so many km around a line, such
as a ship's anchor track), and which elements of the network lie in one.

Geometry is shapely in WGS84 longitude/latitude degrees. A buffer in km is drawn in an azimuthal equidistant
projection centred on the line (pyproj), so it is a true distance on the ellipsoid near the line, whatever the
latitude (a buffer in degrees would be half as wide east-west at 60°N). Areas crossing the antimeridian are not
supported (no European case needs one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.errors import ShapelyError
from shapely.geometry import LineString, MultiLineString, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from kompas.infra.model import Network

MAX_VERTICES = 50_000  #: vertices in an area (a bound on the cost of one request)
MAX_BUFFER_KM = 500.0
MAX_AREA_BYTES = 5_000_000


class AreaError(ValueError):
    """An area that cannot be used; the message says why (safe to show)."""


@dataclass(frozen=True)
class Area:
    """Where a stress test cuts: ``geometry`` (a shapely Polygon or MultiPolygon, lon/lat degrees); ``description``
    says what it is (``"polygon"``, ``"corridor of 5 km around a line of 3 points"``); ``buffer_km`` when a buffer was
    drawn."""

    geometry: BaseGeometry
    description: str
    buffer_km: float | None = None

    def as_geojson(self) -> dict[str, Any]:
        """The area as a GeoJSON geometry."""
        out: dict[str, Any] = shapely.geometry.mapping(self.geometry)
        return out


def _geometries(document: Any) -> list[dict]:  # noqa: ANN401 (parsed JSON)
    """The GeoJSON geometries in a Geometry, Feature or FeatureCollection."""
    if not isinstance(document, dict):
        raise AreaError("the area is not a GeoJSON object")
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise AreaError("a FeatureCollection needs a list of features")
        return [g for f in features for g in _geometries(f)]
    if kind == "Feature":
        geometry = document.get("geometry")
        return _geometries(geometry) if geometry else []
    if kind == "GeometryCollection":
        return [g for part in document.get("geometries") or [] for g in _geometries(part)]
    if kind in ("Polygon", "MultiPolygon", "LineString", "MultiLineString", "Point", "MultiPoint"):
        return [document]
    raise AreaError(f"GeoJSON type {kind!r} is not an area (Polygon, LineString, Feature, FeatureCollection)")


def _why(exc: Exception) -> str:
    """A short reason for a geometry error (GEOS says e.g. "point array must contain 0 or >1 elements")."""
    text = str(exc).split(":", 1)[-1].strip()[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def buffer_km(geometry: BaseGeometry, km: float) -> BaseGeometry:
    """``geometry`` (lon/lat) grown by ``km`` kilometres on the ellipsoid, in lon/lat."""
    centre = geometry.centroid
    aeqd = f"+proj=aeqd +lat_0={centre.y:.6f} +lon_0={centre.x:.6f} +datum=WGS84 +units=m"
    to_plane = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    to_earth = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)

    def forward(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(to_plane.transform(xy[:, 0], xy[:, 1]))

    def back(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(to_earth.transform(xy[:, 0], xy[:, 1]))

    grown = shapely.transform(geometry, forward).buffer(km * 1000.0, quad_segs=8)
    return shapely.transform(grown, back)


def parse_area(text: str, buffer: float | None = None, source: str = "area") -> Area:
    """An :class:`Area` from GeoJSON text: polygons are used as they are (grown by ``buffer`` km when given); lines
    and points need ``buffer`` (km, > 0, at most :data:`MAX_BUFFER_KM`): a corridor around an anchor track.
    Raises :class:`AreaError` naming ``source`` and the reason."""
    if len(text) > MAX_AREA_BYTES:
        raise AreaError(f"{source}: the area is larger than {MAX_AREA_BYTES:,} bytes")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AreaError(f"{source}: line {exc.lineno}: not JSON ({exc.msg})") from None
    if buffer is not None and not (0 < buffer <= MAX_BUFFER_KM):
        raise AreaError(f"{source}: buffer_km must be above 0 and at most {MAX_BUFFER_KM:g} km")
    try:
        parts = [shape(g) for g in _geometries(document)]
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ShapelyError) as exc:
        if isinstance(exc, AreaError):
            raise
        raise AreaError(f"{source}: a geometry is malformed ({_why(exc)})") from None
    if not parts:
        raise AreaError(f"{source}: no geometry in the area")
    vertices = sum(shapely.get_num_coordinates(p) for p in parts)
    if vertices > MAX_VERTICES:
        raise AreaError(f"{source}: {vertices:,} vertices; at most {MAX_VERTICES:,}")
    for part in parts:
        minx, miny, maxx, maxy = part.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise AreaError(f"{source}: coordinates outside longitude -180..180, latitude -90..90")
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    lines = [p for p in parts if p.geom_type not in ("Polygon", "MultiPolygon")]
    if lines and buffer is None:
        raise AreaError(f"{source}: a line or point needs a buffer in km (e.g. buffer_km 5 around an anchor track)")
    try:
        pieces = [shapely.make_valid(p) for p in polygons]
        if buffer is not None:
            pieces = [buffer_km(p, buffer) for p in [*pieces, *lines]]
        geometry = shapely.union_all(pieces)
    except (ValueError, ShapelyError) as exc:
        raise AreaError(f"{source}: a geometry cannot be used ({_why(exc)})") from None
    if geometry.is_empty or geometry.area == 0:
        raise AreaError(f"{source}: the area is empty")
    what = (f"corridor of {buffer:g} km around {len(lines)} line(s)" if lines and buffer is not None
            else "polygon" + (f" grown by {buffer:g} km" if buffer is not None else ""))
    return Area(geometry, what, buffer)


class Index:
    """A spatial index of a network's elements with a geometry (cable and link routes, landing points, buildings),
    built once per network: :meth:`within` answers which elements an area touches."""

    def __init__(self, network: Network) -> None:
        refs: list[str] = []
        shapes: list[BaseGeometry] = []
        for cable in network.cables.values():
            if cable.route:
                refs.append(cable.ref)
                shapes.append(MultiLineString([list(line) for line in cable.route]))
        for link in network.links.values():
            if link.route:
                refs.append(link.ref)
                shapes.append(MultiLineString([list(line) for line in link.route]))
            elif link.ends:
                refs.append(link.ref)
                shapes.append(LineString(list(link.ends)))
        for landing in network.landings.values():
            refs.append(landing.ref)
            shapes.append(Point(landing.lon, landing.lat))
        for building in network.buildings.values():
            refs.append(building.ref)
            shapes.append(Point(building.lon, building.lat))
        self.refs = refs
        self.shapes = shapes
        self.tree = STRtree(shapes)

    def within(self, area: Area) -> list[str]:
        """The refs of the elements whose geometry intersects ``area`` (routes crossing it, points inside it)."""
        hits = self.tree.query(area.geometry, predicate="intersects")
        return sorted(self.refs[i] for i in hits)
