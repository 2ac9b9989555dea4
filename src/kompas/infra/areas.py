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
from pyproj import Geod, Transformer
from shapely.errors import ShapelyError
from shapely.geometry import LineString, MultiLineString, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from kompas.infra.model import Network

MAX_VERTICES = 50_000  #: vertices in an area (a bound on the cost of one request)
MAX_BUFFERED_VERTICES = 5_000  #: vertices of the lines and polygons grown by a buffer (the buffer's cost)
MAX_CORRIDOR_VERTICES = 20_000  #: vertices of a corridor's line once densified to :data:`STEP_KM`
STEP_KM = 50.0  #: longest segment of a corridor's line (great-circle points are added)
PIECE_KM = 600.0  #: how far a piece of line drawn in one projection reaches from its start (width error < 0.1%)
_GEOD = Geod(ellps="WGS84")
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


def _projection(lon: float, lat: float) -> tuple[Transformer, Transformer]:
    """To and from an azimuthal equidistant plane (metres) centred on (lon, lat)."""
    aeqd = f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m"
    return (Transformer.from_crs("EPSG:4326", aeqd, always_xy=True),
            Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True))


def _moved(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    def move(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geometry, move)


def _densified(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A line's vertices with great-circle points added so that no segment is longer than :data:`STEP_KM`."""
    out = [points[0]]
    for (lon0, lat0), (lon1, lat1) in zip(points, points[1:], strict=False):
        if abs(lon1 - lon0) > 180:
            raise AreaError("a line crosses the antimeridian (not supported: split it at 180°)")
        _, _, metres = _GEOD.inv(lon0, lat0, lon1, lat1)
        extra = int(metres / 1000 // STEP_KM)
        if extra:
            out.extend(_GEOD.npts(lon0, lat0, lon1, lat1, extra))
        out.append((lon1, lat1))
        if len(out) > MAX_CORRIDOR_VERTICES:
            raise AreaError(f"the line is too long for a corridor (more than {MAX_CORRIDOR_VERTICES:,} points of "
                            f"{STEP_KM:g} km)")
    return out


def _corridor(points: list[tuple[float, float]], km: float) -> BaseGeometry:
    """The corridor of ``km`` around a line of (lon, lat) points: the line is cut into pieces reaching at most
    :data:`PIECE_KM` from their start, each drawn in its own equidistant projection centred between its ends (so
    the width is true along the whole line, not only near one centre), as the union of one capsule per segment
    (GEOS buffers a self-crossing line in time quadratic in its vertices; capsules stay near-linear: 1,500 zigzag
    points with a 500 km buffer took 20 s and 2.6 GB as one line, 0.5 s as capsules)."""
    dense = _densified(points)
    pieces: list[BaseGeometry] = []
    start = 0
    for i in range(1, len(dense) + 1):
        if i < len(dense):
            _, _, metres = _GEOD.inv(*dense[start], *dense[i])
        if i == len(dense) or metres / 1000 >= PIECE_KM:
            chunk = dense[start:i + 1] if i < len(dense) else dense[start:]
            (lon0, lat0), (lon1, lat1) = chunk[0], chunk[-1]
            centre = _GEOD.npts(lon0, lat0, lon1, lat1, 1)[0] if len(chunk) > 1 else chunk[0]
            forward, back = _projection(*centre)
            plane = _moved(LineString(chunk) if len(chunk) > 1 else Point(chunk[0]), forward)
            parts = ([LineString(plane.coords[j:j + 2]) for j in range(len(plane.coords) - 1)]
                     if plane.geom_type == "LineString" else [plane])
            pieces.append(_moved(shapely.union_all(shapely.buffer(parts, km * 1000.0, quad_segs=8)), back))
            start = i
    return shapely.union_all(pieces)


def buffer_km(geometry: BaseGeometry, km: float) -> BaseGeometry:
    """``geometry`` (lon/lat) grown by ``km`` kilometres on the ellipsoid, in lon/lat: lines and points as
    corridors (:func:`_corridor`), polygons in an equidistant projection centred on them."""
    if geometry.geom_type in ("LineString", "MultiLineString", "Point", "MultiPoint"):
        lines = list(getattr(geometry, "geoms", [geometry]))
        return shapely.union_all([_corridor([(float(x), float(y)) for x, y, *_ in line.coords], km)
                                  for line in lines])
    forward, back = _projection(geometry.centroid.x, geometry.centroid.y)
    return _moved(_moved(geometry, forward).buffer(km * 1000.0, quad_segs=8), back)


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
    if buffer is not None and vertices > MAX_BUFFERED_VERTICES:
        raise AreaError(f"{source}: {vertices:,} vertices to grow by a buffer; at most {MAX_BUFFERED_VERTICES:,} "
                        "(simplify the track)")
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    lines = [p for p in parts if p.geom_type not in ("Polygon", "MultiPolygon")]
    if lines and buffer is None:
        raise AreaError(f"{source}: a line or point needs a buffer in km (buffer_km, --buffer-km on the command "
                        "line: e.g. 5 around an anchor track)")
    try:
        pieces = [shapely.make_valid(p) for p in polygons]
        if buffer is not None:
            pieces = [buffer_km(p, buffer) for p in [*pieces, *lines]]
        geometry = shapely.union_all(pieces)
    except AreaError as exc:
        raise AreaError(f"{source}: {exc}") from None
    except (ValueError, ShapelyError) as exc:
        raise AreaError(f"{source}: a geometry cannot be used ({_why(exc)})") from None
    minx, _, maxx, _ = geometry.bounds
    if maxx - minx > 180 or minx < -180 or maxx > 180:
        raise AreaError(f"{source}: the area crosses the antimeridian or spans more than half the globe (not "
                        "supported: split it at 180°)")
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
