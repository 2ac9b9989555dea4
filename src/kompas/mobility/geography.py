"""Borders on the map: the gap between two countries and the country at a point (pure: GeoJSON text in).

The countries are Natural Earth Admin-0 polygons (public domain): the 1:50m and 1:110m files in
``../shared/data/mobility/naturalearth`` or the simplified 1:50m copy bundled in ``kompas/data/naturalearth`` (its
PROVENANCE.md). Countries are picked by ``ADM0_A3`` (``ISO_A3`` is -99 for France and Norway in Natural Earth),
falling back to ``ISO_A3_EH``; :meth:`Countries.at` answers ISO-2 (``ISO_A2_EH``, ``""`` where Natural Earth has
none).

**The gap.** :func:`gap_km` finds the closest points of two countries' polygons (shapely ``nearest_points``) in an
azimuthal equidistant projection centred between them, so "closest" is measured in kilometres, not degrees, and
gives the geodesic distance between those two points on the WGS84 ellipsoid (pyproj ``Geod``). A part filter keeps
only some polygons of a country: :func:`kaliningrad` keeps Russia's Kaliningrad exclave, so the gap between Belarus
and Kaliningrad is the Suwałki gap, the Polish-Lithuanian land corridor every planner knows (about 65 km).

Units: km; coordinates WGS84 (longitude, latitude) degrees.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely import STRtree
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, unary_union

WGS84 = Geod(ellps="WGS84")
#: A part filter: (the country's ADM0_A3, one polygon) -> keep it?
PartFilter = Callable[[str, Polygon], bool]


class GeographyError(ValueError):
    """Country data that cannot be used (the message names the source and what is wrong)."""


def kaliningrad(code: str, polygon: Polygon) -> bool:
    """Keep every polygon of other countries, and of Russia (``RUS``) only those of the Kaliningrad exclave
    (centroid between 19 and 23 degrees east, 54 and 56 north)."""
    if code != "RUS":
        return True
    centre = polygon.centroid
    return 19.0 < centre.x < 23.0 and 54.0 < centre.y < 56.0


def _code(properties: Mapping[str, Any]) -> str:
    for key in ("ADM0_A3", "ISO_A3_EH", "ISO_A3"):
        value = str(properties.get(key) or "")
        if value and value != "-99":
            return value
    return ""


def _parts(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for part in getattr(geometry, "geoms", []) for g in _parts(part)]


@dataclass(frozen=True)
class Countries:
    """Natural Earth countries: ``ADM0_A3`` -> polygons, names and ISO-2 codes."""

    polygons: Mapping[str, tuple[Polygon, ...]]
    names: Mapping[str, str]
    iso2: Mapping[str, str]
    source: str = ""
    _index: _Index | None = field(default=None, init=False, repr=False, compare=False)

    def geometry(self, code: str, part_filter: PartFilter | None = None) -> BaseGeometry:
        """The union of ``code``'s polygons that ``part_filter`` keeps; raises :class:`GeographyError` when the
        country is absent or no part is kept."""
        parts = self.polygons.get(code.upper())
        if not parts:
            raise GeographyError(f"{self.source}: no country with ADM0_A3 {code!r}")
        kept = [p for p in parts if part_filter is None or part_filter(code.upper(), p)]
        if not kept:
            raise GeographyError(f"{self.source}: the part filter keeps none of {code}'s {len(parts)} polygons")
        return kept[0] if len(kept) == 1 else unary_union(kept)

    def at(self, lon: float, lat: float) -> str:
        """The ISO-2 code of the country whose polygon holds the point (``""``: none, e.g. at sea, or a unit
        without a code); points on a border go to the first country found."""
        if self._index is None:  # built on first use, kept with these countries
            object.__setattr__(self, "_index", _Index(self))
        assert self._index is not None
        return self._index.at(lon, lat)


class _Index:
    """An STRtree over every polygon, built once per :class:`Countries`."""

    def __init__(self, countries: Countries) -> None:
        self.codes: list[str] = []
        polygons: list[Polygon] = []
        for code, parts in countries.polygons.items():
            for polygon in parts:
                self.codes.append(code)
                polygons.append(polygon)
        self.polygons = polygons
        self.tree = STRtree(polygons)
        self.iso2 = countries.iso2

    def at(self, lon: float, lat: float) -> str:
        point = Point(lon, lat)
        for i in self.tree.query(point, predicate="intersects"):
            return self.iso2.get(self.codes[int(i)], "")
        return ""


def parse_countries(text: str, source: str) -> Countries:
    """The countries of a Natural Earth Admin-0 GeoJSON text; raises :class:`GeographyError` naming ``source``
    when it is not a FeatureCollection of polygons with ``ADM0_A3`` codes."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise GeographyError(f"{source}: not JSON ({error})") from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise GeographyError(f"{source}: not a GeoJSON FeatureCollection")
    polygons: dict[str, list[Polygon]] = {}
    names: dict[str, str] = {}
    iso2: dict[str, str] = {}
    for feature in features:
        properties = (feature or {}).get("properties") or {}
        code = _code(properties)
        if not code or not (feature or {}).get("geometry"):
            continue
        try:
            geometry = shape(feature["geometry"])
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise GeographyError(f"{source}: {code}: bad geometry ({error})") from None
        polygons.setdefault(code, []).extend(_parts(geometry))
        names.setdefault(code, str(properties.get("NAME") or code))
        code2 = str(properties.get("ISO_A2_EH") or properties.get("ISO_A2") or "")
        iso2.setdefault(code, "" if code2 == "-99" else code2)
    if not polygons:
        raise GeographyError(f"{source}: no country polygons with an ADM0_A3 code")
    return Countries({c: tuple(p) for c, p in polygons.items()}, names, iso2, source)


@dataclass(frozen=True)
class Gap:
    """The shortest distance between two countries' borders (km) and the two closest points (lon, lat)."""

    a: str
    b: str
    km: float
    point_a: tuple[float, float]
    point_b: tuple[float, float]


def gap(countries: Countries, a3_a: str, a3_b: str, part_filter: PartFilter | None = None) -> Gap:
    """The gap between countries ``a3_a`` and ``a3_b`` (ADM0_A3), keeping the polygons ``part_filter`` keeps (see
    the module docstring for the method)."""
    one, two = countries.geometry(a3_a, part_filter), countries.geometry(a3_b, part_filter)
    if one.intersects(two):
        touch = one.intersection(two).representative_point()
        return Gap(a3_a.upper(), a3_b.upper(), 0.0, (touch.x, touch.y), (touch.x, touch.y))
    near_a, near_b = nearest_points(one, two)  # first guess in degrees, only to centre the projection
    lon0, lat0 = (near_a.x + near_b.x) / 2, (near_a.y + near_b.y) / 2
    to_local = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m",
                                    always_xy=True)
    back = Transformer.from_crs(to_local.target_crs, "EPSG:4326", always_xy=True)

    def project(xy: np.ndarray) -> np.ndarray:
        x, y = to_local.transform(xy[:, 0], xy[:, 1])
        return np.column_stack((x, y))

    local_a, local_b = nearest_points(shapely.transform(one, project), shapely.transform(two, project))
    (lon_a, lat_a), (lon_b, lat_b) = back.transform(local_a.x, local_a.y), back.transform(local_b.x, local_b.y)
    _, _, metres = WGS84.inv(lon_a, lat_a, lon_b, lat_b)
    return Gap(a3_a.upper(), a3_b.upper(), metres / 1000.0, (lon_a, lat_a), (lon_b, lat_b))


def gap_km(countries_geojson_text: str, a3_a: str, a3_b: str, part_filter: PartFilter | None = None,
           source: str = "countries") -> Gap:
    """:func:`gap` on a Natural Earth GeoJSON text (parsed each call: keep a :class:`Countries` for repeats)."""
    return gap(parse_countries(countries_geojson_text, source), a3_a, a3_b, part_filter)


def country_at(countries: Countries, lon: float, lat: float) -> str:
    """The ISO-2 code of the country at (``lon``, ``lat``) degrees, ``""`` where none (see :meth:`Countries.at`)."""
    return countries.at(lon, lat)
