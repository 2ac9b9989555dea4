"""Areas of stress tests: corridors are true kilometres wide at any latitude, bad GeoJSON is refused with a
reason, never a traceback."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from kompas.infra.areas import AreaError, parse_area

LINE = {"type": "LineString", "coordinates": [[24.0, 59.6], [25.5, 59.9]]}


@pytest.mark.parametrize("lat", [0.0, 45.0, 60.0, 70.0])
def test_corridor_is_as_wide_as_asked(lat: float) -> None:
    """A 10 km corridor around a line: the farthest the boundary is from the line's midpoint, across the line, is
    10 km within 1% (the projection is centred on the line), at the equator and at 70°N alike."""
    line = {"type": "LineString", "coordinates": [[20.0, lat], [21.0, lat]]}
    area = parse_area(json.dumps(line), 10)
    geod = Geod(ellps="WGS84")
    # north and south of the midpoint: the corridor's extent along the meridian through 20.5°E
    from shapely.geometry import LineString
    meridian = LineString([(20.5, lat - 1), (20.5, lat + 1)])
    crossing = area.geometry.intersection(meridian)
    (_, south), (_, north) = crossing.coords[0], crossing.coords[-1]
    _, _, up = geod.inv(20.5, lat, 20.5, max(north, south))
    _, _, down = geod.inv(20.5, lat, 20.5, min(north, south))
    assert up / 1000 == pytest.approx(10, rel=0.01) and down / 1000 == pytest.approx(10, rel=0.01)
    assert area.buffer_km == 10 and "corridor of 10 km" in area.description


def test_polygons_features_and_collections() -> None:
    square = {"type": "Polygon", "coordinates": [[[20, 58], [22, 58], [22, 60], [20, 60], [20, 58]]]}
    assert parse_area(json.dumps(square)).geometry.area == pytest.approx(4)
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": square,
                                                             "properties": {}}]}
    assert parse_area(json.dumps(collection)).description == "polygon"


@pytest.mark.parametrize("text,buffer,reason", [
    ("{", None, "not JSON"),
    (json.dumps(LINE), None, "needs a buffer"),
    (json.dumps(LINE), 0, "above 0"),
    (json.dumps(LINE), 10_000, "at most"),
    ('{"type": "Topology"}', None, "not an area"),
    ('{"type": "FeatureCollection", "features": []}', None, "no geometry"),
    ('{"type": "Polygon", "coordinates": [[[0, 0], [500, 0], [1, 1], [0, 0]]]}', None, "outside longitude"),
    ('{"type": "Polygon", "coordinates": "x"}', None, "malformed"),
    ('[1, 2]', None, "not a GeoJSON object"),
    ('{"type": "LineString", "coordinates": [[24, 60]]}', 5, "point array must contain"),  # GEOS, not a traceback
    ('{"type": "Polygon", "coordinates": [[[1, 2], [1, 2]]]}', 5, "malformed"),
])
def test_bad_areas_say_why(text: str, buffer: float | None, reason: str) -> None:
    with pytest.raises(AreaError, match=reason):
        parse_area(text, buffer, "track.geojson")


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                        st.sampled_from(["type", "coordinates", "features", "geometry", "geometries"]), inner,
                        max_size=3), max_leaves=12),
       st.sampled_from([None, 5.0]))
def test_any_json_is_an_area_or_a_clear_refusal(document: object, buffer: float | None) -> None:
    try:
        area = parse_area(json.dumps(document), buffer)
    except AreaError as error:
        assert str(error)
    else:
        assert not area.geometry.is_empty


_COORD = st.lists(st.integers(-200, 200) | st.floats(-90, 90), min_size=0, max_size=3)


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(["LineString", "MultiPoint", "Polygon", "MultiPolygon", "MultiLineString", "Point"]),
       st.recursive(_COORD, lambda inner: st.lists(inner, max_size=4), max_leaves=10),
       st.sampled_from([None, 2.0]))
def test_geometry_shaped_json_is_an_area_or_a_clear_refusal(kind: str, coordinates: object,
                                                            buffer: float | None) -> None:
    """Coordinates of every depth and length (one-point lines, two-point rings, out-of-range values) reach GEOS:
    each is an area or an AreaError, never another exception."""
    try:
        area = parse_area(json.dumps({"type": kind, "coordinates": coordinates}), buffer)
    except AreaError as error:
        assert str(error)
    else:
        assert not area.geometry.is_empty
