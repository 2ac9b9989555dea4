"""The 2D map's API: the layer registry, the Natural Earth boundaries (cacheable, all EU members), ground tracks of
space objects from the element sets each caller may see (the SECRET Iridium 33 / Cosmos 2251 sets only for the
cleared user), and 422 for every bad parameter."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompas.core.markings import Marking
from kompas.services.map import split_antimeridian

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "src" / "kompas" / "data" / "sample" / "assets_2026-05-05.tle"
IRIDIUM_COSMOS = REPO / "tests" / "data" / "iridium33_cosmos2251_2009-02-09.tle"
EU27 = {"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA", "LVA",
        "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"}
SECRET_IDS = {24946, 22675}  # Iridium 33, Cosmos 2251


@pytest.fixture
def mapped(world: dict) -> dict:
    """The protected assets' element sets (TLP:GREEN, open to all) and the SECRET Iridium 33 / Cosmos 2251 sets of
    the Dutch organisation (REL NL, need-to-know sst), as the web tests have them."""
    store = world["store"]
    store.contribute_elements(store.account("bob"), ASSETS.read_text(), "tle", Marking.build(tlp="GREEN"), "assets")
    store.contribute_elements(store.account("ann"), IRIDIUM_COSMOS.read_text(), "tle",
                              Marking.build("SECRET", "AMBER", ["NL"], ["sst"], "NL-NSO"), "iridium-cosmos")
    return world


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


def test_the_layer_registry_lists_boundaries_and_ground_tracks(world: dict) -> None:
    answer = world["client"].get("/api/v1/map/layers", headers=world["ann"])
    assert answer.status_code == 200
    layers = {layer["id"]: layer for layer in answer.json()["layers"]}
    assert {"boundaries", "ground-tracks"} <= set(layers)
    assert layers["boundaries"]["href"] == "/api/v1/map/boundaries"
    assert layers["boundaries"]["kind"] == "areas" and "Natural Earth" in layers["boundaries"]["attribution"]
    assert layers["ground-tracks"]["href"] == "/api/v1/map/layers/ground-tracks"
    assert {"ids", "start", "minutes", "step_s"} <= set(layers["ground-tracks"]["parameters"]["properties"])
    assert world["client"].get("/api/v1/map/layers").status_code == 401


def test_boundaries_are_valid_geojson_with_every_eu_member_and_cacheable(world: dict) -> None:
    client = world["client"]
    answer = client.get("/api/v1/map/boundaries", headers=world["bob"])
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"  # the test client accepts gzip and decodes it
    assert "max-age" in answer.headers["cache-control"]
    data = answer.json()
    assert data["type"] == "FeatureCollection" and data["marking"]["classification"] == "UNCLASSIFIED"
    assert data["marking"]["tlp"] == "CLEAR" and data["attribution"] == "Natural Earth (public domain)"
    codes = {f["properties"]["adm0_a3"] for f in data["features"]}
    assert codes >= EU27, EU27 - codes
    assert len(data["features"]) == 242
    names = {f["properties"]["adm0_a3"]: f["properties"]["name"] for f in data["features"]}
    assert names["FRA"] == "France" and names["NOR"] == "Norway" and names["MLT"] == "Malta"
    for f in data["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert f["properties"]["marking"]["banner"] == data["marking"]["banner"]
        for ring in _rings(f["geometry"]):
            assert len(ring) >= 4 and ring[0] == ring[-1]
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring)
    # revalidation: the same ETag gives 304 without a body; without gzip the plain JSON
    again = client.get("/api/v1/map/boundaries", headers={**world["bob"], "If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    plain = client.get("/api/v1/map/boundaries", headers={**world["bob"], "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == data
    assert client.get("/api/v1/map/layers/boundaries", headers=world["ann"]).json() == data


def _tracks(client, who: dict, query: str = "") -> dict:  # noqa: ANN001
    answer = client.get(f"/api/v1/map/layers/ground-tracks{query}", headers=who)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_ground_tracks_only_from_the_element_sets_each_caller_may_see(mapped: dict) -> None:
    client = mapped["client"]
    ann = _tracks(client, mapped["ann"], "?ids=24946,22675")
    drawn = {f["properties"]["norad_id"] for f in ann["features"]}
    assert drawn == SECRET_IDS
    assert ann["marking"]["classification"] == "SECRET" and "REL TO NL" in ann["marking"]["banner"]
    for f in ann["features"]:
        assert f["properties"]["marking"]["classification"] == "SECRET"
        assert f["properties"]["href"] == f"#/object/{f['properties']['norad_id']}"
        assert f["geometry"]["type"] in ("MultiLineString", "Point")
    assert ann["properties"]["start_utc"].startswith("2009-02-")  # the newest epoch of the two sets
    bob = _tracks(client, mapped["bob"], "?ids=24946,22675")
    assert bob["features"] == [] and bob["properties"]["skipped"] == []
    assert bob["marking"]["classification"] == "UNCLASSIFIED"
    # the default: the protected assets, open to both; the SECRET sets are in nobody's default layer
    for who in ("ann", "bob"):
        assets = _tracks(client, mapped[who])
        ids = {f["properties"]["norad_id"] for f in assets["features"]}
        assert len(ids) >= 10 and not ids & SECRET_IDS
        assert {f["properties"]["role"] for f in assets["features"]} == {"asset"}
        assert assets["marking"]["classification"] == "UNCLASSIFIED" and assets["marking"]["tlp"] == "GREEN"
    # asked together, the 2009 sets are too far from the 2026 start to draw: skipped, but their marking counts
    both = _tracks(client, mapped["ann"], "?ids=24946,22675,39634")
    assert both["properties"]["skipped"] == sorted(SECRET_IDS)
    assert {f["properties"]["norad_id"] for f in both["features"]} == {39634}
    assert both["marking"]["classification"] == "SECRET"


def test_ground_tracks_are_split_at_the_antimeridian(mapped: dict) -> None:
    data = _tracks(mapped["client"], mapped["ann"], "?ids=24946,22675,39634&start=2009-02-10T00:00:00Z&minutes=300")
    lines = [f for f in data["features"] if f["geometry"]["type"] == "MultiLineString"]
    assert {f["properties"]["norad_id"] for f in lines} == SECRET_IDS  # Sentinel-1A was launched in 2014
    assert data["properties"]["skipped"] == [39634]
    for f in lines:
        parts = f["geometry"]["coordinates"]
        assert len(parts) >= 2  # 300 minutes of LEO cross the antimeridian at least once
        for line in parts:
            assert len(line) >= 2 and all(abs(b[0] - a[0]) <= 180 for a, b in zip(line, line[1:], strict=False))
        edges = [line[-1][0] for line in parts[:-1]]
        assert all(abs(edge) == 180 for edge in edges)


def test_split_antimeridian_interpolates_the_crossing() -> None:
    lines = split_antimeridian([170.0, 179.0, -179.0, -170.0], [0.0, 1.0, 3.0, 4.0])
    assert lines == [[[170.0, 0.0], [179.0, 1.0], [180.0, 2.0]], [[-180.0, 2.0], [-179.0, 3.0], [-170.0, 4.0]]]
    assert split_antimeridian([10.0, float("nan"), 12.0, 13.0], [0.0, 0.0, 1.0, 2.0]) == [[[12.0, 1.0], [13.0, 2.0]]]


@pytest.mark.parametrize("query, says", [
    ("?ids=abc", "ids"),
    ("?ids=" + ",".join(str(i) for i in range(1, 502)), "at most 500 objects"),
    ("?minutes=0", "minutes"),
    ("?minutes=5000", "minutes"),
    ("?step_s=0.5", "step_s"),
    ("?minutes=1440&step_s=1", "at most 1441 times"),
    ("?start=yesterday", "start"),
    ("?start=2009-13-01T00:00:00Z", "start"),
    ("?colour=red", "colour"),
    ("?ids=25544&ids=25545", "more than once"),
    ("?" + "&".join(f"p{i}=1" for i in range(21)), "at most 20 query parameters"),
])
def test_bad_layer_parameters_are_refused_with_a_clear_message(mapped: dict, query: str, says: str) -> None:
    answer = mapped["client"].get(f"/api/v1/map/layers/ground-tracks{query}", headers=mapped["ann"])
    assert answer.status_code == 422, answer.text
    assert says in answer.json()["detail"]


def test_unknown_layers_and_parameters_of_parameterless_layers(world: dict) -> None:
    client = world["client"]
    assert client.get("/api/v1/map/layers/no-such-layer", headers=world["ann"]).status_code == 404
    assert client.get("/api/v1/map/layers/Bad_Id", headers=world["ann"]).status_code == 422
    answer = client.get("/api/v1/map/layers/boundaries?limit=5", headers=world["ann"])
    assert answer.status_code == 422 and "limit" in answer.json()["detail"]
