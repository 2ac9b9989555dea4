"""The RINF reader (kompas.mobility.rinf) against the German RINF graph of February 2022 (bergmannjg/RInfData,
MIT; ../shared/data/mobility/rinf_de_graph_2022), and on small JSON documents written here (bad input).

Reference figures (PROVENANCE.md, exact counts): 7,906 distinct operational points; 50 border points (``EU…``),
49 of them with edges; 16,688 directed edge entries in Graph.json with MaxSpeed 100 km/h on 7,460, 160 km/h on
4,126 and 200 km/h on 530 of them; border points named e.g. Flensburg Grenze, Görlitz Grenze, Horka Grenze.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kompas.locate import shared_data
from kompas.mobility.model import Network
from kompas.mobility.rinf import parse_rinf


def need() -> Path:
    folder = shared_data("mobility/rinf_de_graph_2022")
    if folder is None or not (folder / "Graph.json").is_file():
        pytest.skip("rinf_de_graph_2022 not found under ../shared/data/mobility (clone ../shared beside the "
                    "checkout); the full graph is 3.7 MB and is not copied into the repository")
    return folder


@pytest.fixture(scope="module")
def raw() -> dict[str, str]:
    folder = need()
    return {name: (folder / f"{name}.json").read_text(encoding="utf-8") for name in ("Graph", "OpInfos", "LineInfos")}


@pytest.fixture(scope="module")
def germany(raw: dict[str, str]) -> Network:
    return parse_rinf(raw["Graph"], raw["OpInfos"], raw["LineInfos"], "rinf_de_graph_2022")


@pytest.fixture(scope="module")
def entries(raw: dict[str, str]) -> list[dict[str, Any]]:
    """Every directed edge entry of Graph.json, with its from-node (the reference, read here with json)."""
    return [{"From": node["Node"], **edge} for node in json.loads(raw["Graph"]) for edge in node["Edges"]]


def lid(entry: dict[str, Any]) -> str:
    a, b = sorted((entry["From"], entry["Node"]))
    return f"rinf:{entry['Line']}:{a}-{b}"


def test_places_and_border_points(germany: Network) -> None:
    assert len(germany.places) == 7906  # distinct UOPIDs (OpInfos has 15,041 rows)
    borders = {p.id: p for p in germany.places.values() if p.kind == "border"}
    assert len(borders) == 50 and all(pid.startswith("rinf:EU") for pid in borders)
    ends = {end for link in germany.links.values() for end in (link.u, link.v)}
    assert len(set(borders) & ends) == 49  # one border point has no edge in the graph
    names = {p.name for p in borders.values()}
    assert {"Flensburg Grenze", "Görlitz Grenze", "Horka Grenze", "Guben Grenze", "Tantow Grenze"} <= names
    assert {p.country for p in germany.places.values()} == {"DE"}
    flensburg = germany.places["rinf:EU00059"]
    assert (flensburg.name, flensburg.lat, flensburg.lon) == ("Flensburg Grenze", 54.815211, 9.362975)
    assert all(47.2 < p.lat < 55.1 and 5.8 < p.lon < 15.1 for p in germany.places.values())  # Germany's box


def test_every_edge_entry_has_one_undirected_link_with_its_speed(germany: Network, entries: list) -> None:
    assert len(entries) == 16688
    speeds = Counter(entry["MaxSpeed"] for entry in entries)
    assert (speeds[100], speeds[160], speeds[200]) == (7460, 4126, 530) and speeds.most_common(1)[0][0] == 100
    groups: dict[str, set[int]] = {}
    for entry in entries:
        groups.setdefault(lid(entry), set()).add(entry["MaxSpeed"])
    assert set(groups) == set(germany.links)  # one link per (line, pair of places), no more, no fewer
    assert len(germany.links) == 8017
    for link_id, found in groups.items():
        assert germany.links[link_id].maxspeed_kmh == max(found), link_id  # the fastest of differing copies
    mixed = [link_id for link_id, found in groups.items() if len(found) > 1]
    assert len(mixed) == 19  # copies with different MaxSpeed (line 6132 Berlin S-Bahn 160/200...), each reported
    reasons = [r.reason for r in germany.rejections if r.field == "Edges"]
    for link_id in mixed:
        line, pair = link_id.removeprefix("rinf:").split(":", 1)
        assert any(reason.startswith(f"line {line} {pair} ") for reason in reasons), link_id


def test_link_speed_distribution_per_entry(germany: Network, entries: list) -> None:
    """Each directed entry mapped to its link's speed gives back the file's distribution exactly for every entry of
    a group whose copies agree; the entries of the 19 groups whose copies differ (most on Berlin's line 6132,
    160/200 km/h) move to the faster value, so each count may differ from the file's by at most their number."""
    speeds: dict[str, set[int]] = {}
    for entry in entries:
        speeds.setdefault(lid(entry), set()).add(entry["MaxSpeed"])
    moved = sum(len(speeds[lid(entry)]) > 1 for entry in entries)
    assert 19 * 2 <= moved <= 100, moved
    through = Counter(germany.links[lid(entry)].maxspeed_kmh for entry in entries)
    for speed, count in ((100, 7460), (160, 4126), (200, 530)):
        assert abs(through[speed] - count) <= moved, (speed, through[speed])
    agreeing = [entry for entry in entries if len(speeds[lid(entry)]) == 1]
    assert all(germany.links[lid(entry)].maxspeed_kmh == entry["MaxSpeed"] for entry in agreeing)
    assert through.most_common(1)[0][0] == 100 and through[200] >= 530  # merging only ever raises a speed


def test_links_carry_length_line_name_and_no_gauge(germany: Network) -> None:
    link = germany.links["rinf:1000:DE00AFR-EU00059"]
    assert (link.u, link.v, link.mode, link.kind) == ("rinf:DE00AFR", "rinf:EU00059", "rail", "line")
    assert link.name == "Flensburg Friedensweg - Flensburg Grenze"
    assert link.length_km > 0 and link.maxspeed_kmh is not None
    assert all(x.gauge_mm is None and x.electrified is None for x in germany.links.values())  # not in the extract
    assert all(x.name for x in germany.links.values())
    total = sum(x.length_km for x in germany.links.values())
    assert 25_000 < total < 40_000, total  # DB's network is about 33,000 route-km; the register lists sections
    assert "no gauge" in germany.sources[0]["note"] and germany.sources[0]["licence"] == "MIT"


def test_repeated_points_and_copies_are_reported_not_dropped(germany: Network) -> None:
    names = [r for r in germany.rejections if r.field == "Name"]
    assert len(names) == 18  # UOPIDs repeated in OpInfos with another name; none with other coordinates
    assert not [r for r in germany.rejections if r.field == "Latitude/Longitude"]
    assert all(r.source == "rinf_de_graph_2022/OpInfos.json" and r.unit == "item" for r in names)
    hamburg = next(r for r in names if "DEAAS O" in r.reason)
    assert "'Hamburg-Ottensen (S-Bahn)'" in hamburg.reason and "kept the first, 'Hamburg-Ottensen'" in hamburg.reason
    copies = [r for r in germany.rejections if r.field == "Edges"]
    assert 19 <= len(copies) <= 200 and all(r.source == "rinf_de_graph_2022/Graph.json" for r in copies)
    assert int(germany.sources[0]["duplicates"]) > 300  # identical copies merged, counted in the source note


# --- small documents: bad input ---------------------------------------------------------------------------------


OPS = [{"UOPID": "DE0AAA", "Name": "Aa", "Latitude": 50.0, "Longitude": 10.0},
       {"UOPID": "DE0BBB", "Name": "Bb", "Latitude": 50.1, "Longitude": 10.1},
       {"UOPID": "EU00001", "Name": "Cc  Grenze", "Latitude": 50.2, "Longitude": 10.2}]


def edge(to: str, line: str = "1", speed: object = 100, length: object = 5.0) -> dict[str, object]:
    return {"Node": to, "Cost": 1, "Line": line, "MaxSpeed": speed, "StartKm": 0, "EndKm": 5, "Length": length}


def parse(graph: list, ops: list = OPS, lines: list | None = None) -> Network:
    return parse_rinf(json.dumps(graph), json.dumps(ops), json.dumps(lines) if lines is not None else None, "t")


def test_a_small_graph_is_read() -> None:
    network = parse([{"Node": "DE0AAA", "Edges": [edge("DE0BBB")]},
                     {"Node": "DE0BBB", "Edges": [edge("DE0AAA"), edge("EU00001", "2", 80, 3)]}],
                    lines=[{"Line": "2", "Name": "Bb - Cc", "UOPIDs": ["DE0BBB", "EU00001"]}])
    assert sorted(network.links) == ["rinf:1:DE0AAA-DE0BBB", "rinf:2:DE0BBB-EU00001"]
    assert network.links["rinf:2:DE0BBB-EU00001"].name == "Bb - Cc" and network.links["rinf:1:DE0AAA-DE0BBB"].name == ""
    assert network.places["rinf:EU00001"].kind == "border" and network.places["rinf:EU00001"].name == "Cc Grenze"
    assert network.rejections == []


def test_missing_and_bad_fields_are_named() -> None:
    ops = [*OPS, {"UOPID": "DE0DDD", "Name": "Dd", "Latitude": 50.3}, {"Name": "no id"},
           {"UOPID": "DE0AAA", "Name": "Aa", "Latitude": 51.0, "Longitude": 10.0}]
    network = parse([{"Node": "DE0AAA", "Edges": [edge("DE0BBB", speed="fast"), edge("DE0BBB", "3", length=-1),
                                                  {"Node": "DE0BBB", "Line": "4", "Length": 1.0},
                                                  edge("DE0ZZZ", "5"), edge("DE0BBB", "6")]},
                     {"Node": "DE0BBB"}, {"Edges": []}], ops)
    got = {(r.source, r.line, r.field): r.reason for r in network.rejections}
    assert got == {
        ("t/OpInfos.json", 4, "Longitude"): "DE0DDD: required",
        ("t/OpInfos.json", 5, "UOPID"): "required (a non-empty text), got None",
        ("t/OpInfos.json", 6, "Latitude/Longitude"): "DE0AAA repeated at (51.0, 10.0): kept the first, (50.0, 10.0)",
        ("t/Graph.json", 1, "Edges[0].MaxSpeed"): "edge DE0AAA-DE0BBB: must be a number, got 'fast'",
        ("t/Graph.json", 1, "Edges[1].Length"): "edge DE0AAA-DE0BBB: must be >= 0, got -1",
        ("t/Graph.json", 1, "Edges[2].MaxSpeed"): "edge DE0AAA-DE0BBB: required",
        ("t/Graph.json", 1, "Edges[3].Node"): "edge DE0AAA-DE0ZZZ: DE0ZZZ is not in OpInfos (no position)",
        ("t/Graph.json", 2, "Edges"): "node DE0BBB: required (a list of edges), got None",
        ("t/Graph.json", 3, "Node"): "required (a UOPID), got None",
    }
    assert list(network.links) == ["rinf:6:DE0AAA-DE0BBB"]  # the good edge goes through
    assert "rinf:DE0DDD" not in network.places and network.places["rinf:DE0AAA"].lat == 50.0


def test_asymmetric_directions_are_reported() -> None:
    network = parse([{"Node": "DE0AAA", "Edges": [edge("DE0BBB", speed=120)]},
                     {"Node": "DE0BBB", "Edges": [edge("DE0AAA", speed=100)]}])
    assert network.links["rinf:1:DE0AAA-DE0BBB"].maxspeed_kmh == 120
    (only,) = network.rejections
    assert "differs by direction" in only.reason and "100 km/h 5 km, 120 km/h 5 km" in only.reason


def test_files_that_are_not_json_lists_are_clear_errors() -> None:
    with pytest.raises(ValueError, match=r"^t/Graph.json: not JSON \(Expecting"):
        parse_rinf("[{", json.dumps(OPS), None, "t")
    with pytest.raises(ValueError, match=r"^t/OpInfos.json: expected a JSON list of records, got dict"):
        parse_rinf("[]", "{}", None, "t")
