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


def _edge_km(area, lon: float, lat: float) -> float:  # noqa: ANN001
    """The distance (km) from (lon, lat) to the area's boundary, measured in an azimuthal equidistant projection
    centred on that point (distances from the centre are true there), independently of how the area was drawn."""
    import shapely
    from pyproj import Transformer
    from shapely.geometry import Point

    aeqd = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m"
    move = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    plane = shapely.transform(area.geometry, lambda xy: __import__("numpy").column_stack(
        move.transform(xy[:, 0], xy[:, 1])))
    return float(plane.boundary.distance(Point(0, 0))) / 1000


@pytest.mark.parametrize("lat", [0.0, 45.0, 60.0, 70.0])
def test_corridor_is_as_wide_as_asked(lat: float) -> None:
    """A 10 km corridor around a line of one degree of longitude: from points along the line (its geodesic), the
    boundary is 10 km away within 0.1%, at the equator and at 70°N alike."""
    area = parse_area(json.dumps({"type": "LineString", "coordinates": [[20.0, lat], [21.0, lat]]}), 10)
    for lon, at in Geod(ellps="WGS84").npts(20.0, lat, 21.0, lat, 5):
        assert _edge_km(area, lon, at) == pytest.approx(10, rel=0.001)
    assert area.buffer_km == 10 and "corridor of 10 km" in area.description


@pytest.mark.parametrize("length_deg", [5, 25, 45])
def test_long_corridors_keep_their_width(length_deg: int) -> None:
    """A 5 km corridor along 60°N over 5 to 45 degrees of longitude (280 to 2,500 km): everywhere along the line
    the width is still 5 km within 0.1% (one projection for the whole line made it 3.5 km at 5,000 km)."""
    area = parse_area(json.dumps({"type": "LineString", "coordinates": [[0.0, 60.0], [float(length_deg), 60.0]]}),
                      5)
    for lon, lat in Geod(ellps="WGS84").npts(0.0, 60.0, float(length_deg), 60.0, 9):
        assert _edge_km(area, lon, lat) == pytest.approx(5, rel=0.001)


def test_a_long_zigzag_is_cheap_and_the_antimeridian_refused() -> None:
    """1,500 points zigzagging over 60 degrees with a 500 km buffer (GEOS took 20 s and 2.6 GB buffering it as one
    line) is drawn as capsules; more points than the bound are refused; a track across 180° is refused, not drawn
    around the world."""
    import shapely

    zigzag = {"type": "LineString", "coordinates": [[-20 + 60 * i / 1500, 50 + (i % 2) * 0.5] for i in range(1500)]}
    area = parse_area(json.dumps(zigzag), 500)
    assert shapely.get_num_coordinates(area.geometry) < 50_000
    too_many = {"type": "LineString", "coordinates": [[i / 1000, 50 + (i % 2) / 100] for i in range(6000)]}
    with pytest.raises(AreaError, match="at most 5,000"):
        parse_area(json.dumps(too_many), 5)
    for track in ([[179.0, 60.0], [-179.0, 60.0]], [[179.5, 60.0], [179.9, 60.0]]):
        with pytest.raises(AreaError, match="antimeridian"):
            parse_area(json.dumps({"type": "LineString", "coordinates": track}), 50)


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
