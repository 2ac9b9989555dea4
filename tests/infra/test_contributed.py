"""The Kompas infrastructure contribution format (kompas.infra.contributed): the shipped examples, both encodings,
completing a public element, every kind of bad row reported precisely (source, line or feature, field, reason) with
the good rows kept, the bounds, round trips through CSV, GeoJSON and the stored JSON form, and a property test: any
text gives elements and rejections, never an exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.infra import contributed
from kompas.infra.contributed import from_dict, parse_contribution, parse_wkt, to_csv, to_dict, to_geojson
from kompas.infra.model import Cable, Exchange, Landing, Link, Network, Rejection
from tests.conftest import REPO
from tests.infra.conftest import need_shared

EXAMPLES = REPO / "examples" / "infra"
HEADER = "kind,id,name,countries,owners,capacity,unit,link_kind,status,lon,lat,lon2,lat2,landings,year,route,note\n"


def _where(rejections: list[Rejection]) -> list[tuple[str, str]]:
    return [(r.record, r.field) for r in rejections]


def test_balticconnector_geojson_is_a_fi_ee_pipeline_in_gwh_per_day() -> None:
    network, rejected = parse_contribution((EXAMPLES / "balticconnector.geojson").read_text(), "bc.geojson",
                                           "FI-GOV")
    assert rejected == []
    (link,) = network.links.values()
    assert (link.id, link.link_kind, link.countries, link.capacity, link.unit) == (
        "balticconnector", "pipeline", ("FI", "EE"), 81.0, "GWh/d")
    assert (link.year, link.owners, link.status, link.origin) == (2019, ("Gasgrid Finland", "Elering"), "operating",
                                                                  "FI-GOV")
    assert link.ends == ((24.0, 60.04), (24.06, 59.35))  # the route's ends: Inkoo (FI) first
    assert "7.2 million m3/d" in link.note and "ILLUSTRATIVE" in link.note


def test_the_csv_example_without_the_public_map_rejects_exactly_the_rows_that_complete_it() -> None:
    """Without a base network, the two rows that complete public elements (C-Lion1's capacity, PITER-IX's buildings)
    lack their countries and say that no public element fills them; the four others are kept."""
    network, rejected = parse_contribution((EXAMPLES / "contributed.csv").read_text(), "contributed.csv", "X")
    assert _where(rejected) == [("line 6", "countries"), ("line 16", "countries")]
    assert all("no public element has this id" in r.reason for r in rejected)
    assert sorted(e.ref for e in network.elements()) == [
        "building:example-dc-tallinn", "cable:example-private-fi-ee", "landing:example-paldiski",
        "link:example-hvdc-fi-ee"]
    cable = network.cables["example-private-fi-ee"]
    assert (cable.countries, cable.landings, cable.capacity_tbps, cable.length_km) == (
        ("EE", "FI"), ("hanko-finland", "example-paldiski"), 12.0, 95.0)
    assert cable.route == (((22.97, 59.82), (23.6, 59.6), (24.05, 59.35)),)
    link = network.links["example-hvdc-fi-ee"]
    assert (link.status, link.capacity, link.unit, link.ends) == ("planned", 700.0, "MW", ((24.2, 60.1), (24.3, 59.4)))


@pytest.mark.shared
def test_the_csv_example_completes_public_elements() -> None:
    need_shared("cables_2022")
    from kompas.infra.load import public_network

    base = public_network()
    network, rejected = parse_contribution((EXAMPLES / "contributed.csv").read_text(), "contributed.csv", "X", base)
    assert rejected == []
    lion, public_lion = network.cables["c-lion1"], base.cables["c-lion1"]
    assert lion.capacity_tbps == 144.0 and public_lion.capacity_tbps is None
    assert (lion.landings, lion.owners, lion.suppliers, lion.route) == (
        public_lion.landings, public_lion.owners, public_lion.suppliers, public_lion.route)
    assert lion.origin == "X" and public_lion.origin == "public"
    piter = network.exchanges["piter-ix-tallinn-estonia"]
    assert piter.buildings[-1] == "example-dc-tallinn" and piter.name == base.exchanges[piter.id].name


def test_a_row_completing_an_element_of_the_base_keeps_its_fields() -> None:
    base = Network()
    base.add(Landing("a", "A", "FI", 24.0, 60.0))
    base.add(Landing("b", "B", "EE", 24.0, 59.0))
    base.add(Cable("c", "Cable C", ("a", "b"), ("EE", "FI"), owners=("O",), suppliers=("S",), rfs_year=2000))
    base.add(Link("l", "Link L", "hvdc", ("FI", "EE"), 350.0, year=2006, suppliers=("ABB",)))
    text = "kind,id,capacity,unit,owners,status\ncable,c,5,Tbps,,\nlink,l,,,New owner,decommissioned\n"
    network, rejected = parse_contribution(text, "t.csv", "X", base)
    assert rejected == []
    cable, link = network.cables["c"], network.links["l"]
    assert (cable.name, cable.landings, cable.countries, cable.owners, cable.rfs_year, cable.capacity_tbps) == (
        "Cable C", ("a", "b"), ("EE", "FI"), ("O",), 2000, 5.0)
    assert (link.capacity, link.suppliers, link.owners, link.status, link.year) == (
        350.0, ("ABB",), ("New owner",), "decommissioned", 2006)
    # a cable landing at the base's landings takes their countries
    found, rejected = parse_contribution("kind,id,landings\ncable,new,a;b\n", "t.csv", "X", base)
    assert rejected == [] and found.cables["new"].countries == ("EE", "FI")


BAD_ROWS = [
    ("wat,x,,,,,,,,,,,,,,,", "kind", "not one of"),
    ("link,,,FI;EE,,,,pipeline,,,,,,,,,", "id", "missing"),
    ("link,has space,,FI;EE,,,,pipeline,,,,,,,,,", "id", "without spaces"),
    ("landing,l1,,Atlantis,,,,,,24,60,,,,,,", "countries", "not a country"),
    ("landing,l2,,FI,,,,,,200,60,,,,,,", "lon", "outside"),
    ("landing,l3,,FI,,,,,,,60,,,,,,", "lon", "together"),
    ("landing,l4,,FI;EE,,,,,,24,60,,,,,,", "countries", "one country"),
    ("landing,l5,,FI,Owner,,,,,24,60,,,,,,", "owners", "does not apply to a landing"),
    ("landing,l6,,FI,,,,,,,,,,,,,", "lon", "needs its position"),
    ("link,k1,,FI;EE,,-5,,hvdc,,,,,,,,,", "capacity", "outside"),
    ("link,k2,,FI;EE,,lots,,hvdc,,,,,,,,,", "capacity", "not a number"),
    ("link,k3,,FI;EE,,5,GWh/d,hvdc,,,,,,,,,", "unit", "in MW"),
    ("link,k4,,FI;EE;SE,,5,,hvdc,,,,,,,,,", "countries", "two countries"),
    ("link,k5,,FI;EE,,5,,,,,,,,,,,", "link_kind", "missing"),
    ("link,k6,,FI;EE,,5,,steam,,,,,,,,,", "link_kind", "not one of"),
    ("link,k7,,FI;EE,,5,,hvdc,broken,,,,,,,,", "status", "not one of"),
    ("link,k8,,FI;EE,,5,,hvdc,,24,60,,,,,,", "lon2", "both terminals"),
    ("link,k9,,FI;EE,,5,,hvdc,,,,,,,1700,,", "year", "not a year"),
    ("link,k10,,FI;EE,,5,,hvdc,,,,,,,,POINT (1 2),", "route", "not WKT"),
    ("link,k11,,FI;EE,,5,,hvdc,,,,,,,,LINESTRING (1 2),", "route", "two positions"),
    ("link,k12,,FI;EE,,5,,hvdc,,,,,,,,\"LINESTRING (1 2, 3 95)\",", "route", "latitude"),
    ("cable,c1,,FI,,5,MW,,,,,,,,,,", "unit", "Tbps"),
    ("cable,c2,,,,,,,,,,,,,,,", "countries", "missing"),
    ("cable,c3,,FI,,,,,,,,,,,,,note", "note", "does not apply to a cable"),
    ("cable,c4,,FI,,,,,planned,,,,,bad id,,,", "landings", "not an id"),
    ("cable,c5,\"bad\x01name\",FI,,,,,,,,,,,,,", "name", "control character"),
    (f"cable,c6,{'n' * 301},FI,,,,,,,,,,,,,", "name", "longer than 300"),
    ("cable,c7,,FI,,,,,,,,,,,,,,extra", "", "fields, the header"),
]


def test_every_bad_row_is_rejected_with_its_line_and_field_and_the_good_ones_kept() -> None:
    good = "link,good,Good link,FI;EE,,650,MW,hvdc,,25.4,60.4,27.1,59.4,,2014,,\n"
    text = HEADER + good + "".join(row + "\n" for row, _, _ in BAD_ROWS) + good.replace("good", "also-good")
    network, rejected = parse_contribution(text, "bad.csv", "X")
    assert sorted(network.links) == ["also-good", "good"]
    assert len(rejected) == len(BAD_ROWS)
    for (row, field, reason), rejection in zip(BAD_ROWS, rejected, strict=True):
        where = f"line {3 + BAD_ROWS.index((row, field, reason))}"
        assert (rejection.source, rejection.record, rejection.field) == ("bad.csv", where, field), (row, rejection)
        assert reason in rejection.reason, (row, rejection)


def test_duplicates_unknown_columns_comments_and_a_missing_header() -> None:
    text = ("# a comment line, \"with a quote\n\nkind,id,name,countries,lon,lat,colour\n"
            "landing,a,A,FI,24,60,red\nlanding,a,A again,FI,24,60,\n# another\nlanding,b,B,EE,24,59,\n")
    network, rejected = parse_contribution(text, "t.csv", "X")
    assert sorted(network.landings) == ["a", "b"] and network.landings["a"].name == "A"
    assert _where(rejected) == [("line 3", "colour"), ("line 5", "id")]
    assert "not read" in rejected[0].reason and "given twice (line 4" in rejected[1].reason
    assert _where(parse_contribution("name,countries\nx,FI\n", "t.csv", "X")[1]) == [("line 1", "kind")]
    assert _where(parse_contribution("# only a comment\n", "t.csv", "X")[1]) == [("file", "")]


def test_a_header_of_too_many_or_repeated_columns_is_refused_whole() -> None:
    """Review #2 of session 38: a header of N unknown columns then N copies of ``kind`` cost N^2 (``header.index`` per
    column and per row): tens of thousands of columns stalled a request for hours. A header of more than 64 columns
    or naming a column twice is refused whole with one rejection, whatever N: the work no longer grows with it."""
    for n in (40, 4_000):
        text = ",".join(["x"] * n + ["kind"] * n) + "\n" + ",".join([""] * n + ["landing"] * n) + "\n"
        network, rejected = parse_contribution(text, "h.csv", "X")
        assert network.elements() == [] and _where(rejected) == [("line 1", "")]
        assert f"the header has {2 * n:,} columns; at most {contributed.MAX_COLUMNS}" in rejected[0].reason
    network, rejected = parse_contribution("kind,id,name,KIND\nlanding,a,A,landing\n", "h.csv", "X")
    assert network.elements() == [] and _where(rejected) == [("line 1", "kind")]
    assert "columns 1 and 4 are both named 'kind'" in rejected[0].reason and "nothing read" in rejected[0].reason
    # 64 columns are read: the format's and unknown ones (each reported once), blank trailing ones allowed twice
    header = ["kind", "id", "countries", "lon", "lat", *(f"extra{i}" for i in range(57)), "", ""]
    assert len(header) == contributed.MAX_COLUMNS
    network, rejected = parse_contribution(",".join(header) + "\nlanding,a,FI,24,60" + "," * 59 + "\n", "h.csv", "X")
    assert list(network.landings) == ["a"]
    assert [r.field for r in rejected] == [*(f"extra{i}" for i in range(57)), "column 63", "column 64"]


def test_a_field_over_the_csv_readers_limit_is_one_rejection_and_the_next_row_is_read() -> None:
    route = "LINESTRING (" + ", ".join(f"{i % 90}.123456 {i % 60}.123456" for i in range(8000)) + ")"
    text = f"kind,id,countries,link_kind,capacity,route\nlink,long,FI;EE,hvdc,5,\"{route}\"\nlink,next,FI;EE,hvdc,5,\n"
    network, rejected = parse_contribution(text, "t.csv", "X")
    assert list(network.links) == ["next"]
    assert _where(rejected) == [("line 2", "")] and "GeoJSON" in rejected[0].reason


def test_geojson_features_are_checked_one_by_one() -> None:
    def feature(props: object, geometry: object = None) -> dict:
        return {"type": "Feature", "properties": props, "geometry": geometry}

    point = {"type": "Point", "coordinates": [24.0, 60.0]}
    line = {"type": "LineString", "coordinates": [[24.0, 60.0], [24.1, 59.4]]}
    features = [
        feature({"kind": "landing", "id": "ok", "countries": "FI", "stroke": "#f00"}, point),   # 1 kept
        {"type": "Polygon"},                                                                      # 2
        feature(None, point),                                                                     # 3
        feature({"kind": "landing", "id": "x", "countries": "FI"}, line),                         # 4
        feature({"kind": "link", "id": "y", "countries": ["FI", "EE"], "link_kind": "hvdc"}, point),  # 5
        feature({"kind": "link", "id": "z", "link_kind": "hvdc", "countries": "FI;EE",
                 "route": "LINESTRING (1 2, 3 4)"}),                                             # 6
        feature({"kind": "landing", "id": "w", "countries": "FI", "lon": 1, "lat": 2}, point),    # 7
        feature({"kind": "landing", "id": "v", "countries": "FI"},
                {"type": "Point", "coordinates": [10 ** 400, 1]}),                                # 8
        feature({"kind": "link", "id": "u", "countries": ["FI", {"x": 1}], "link_kind": "hvdc"}),  # 9
        feature({"kind": "link", "id": "t", "countries": ["FI", "EE"], "link_kind": "pipeline", "capacity": True}),
        feature({"kind": "exchange", "id": "s", "countries": "FI"}, point),                      # 11
        feature({"kind": "cable", "id": "r", "countries": ["FI", "EE"], "stroke": "#0f0"},
                {"type": "MultiLineString", "coordinates": [[[24.0, 60.0], [24.1, 59.4], [24.2, 59.3, 5.0]]]}),
    ]
    network, rejected = parse_contribution(json.dumps({"type": "FeatureCollection", "features": features}), "f.json",
                                           "X")
    assert sorted(e.ref for e in network.elements()) == ["cable:r", "landing:ok"]
    assert network.cables["r"].route == (((24.0, 60.0), (24.1, 59.4), (24.2, 59.3)),)  # altitude not read
    assert _where(rejected) == [("feature 1", "stroke"), ("feature 2", "type"), ("feature 3", "properties"),
                                ("feature 4", "geometry"), ("feature 5", "geometry"), ("feature 6", "route"),
                                ("feature 7", "lon"), ("feature 8", "geometry"), ("feature 9", "countries"),
                                ("feature 10", "capacity"), ("feature 11", "geometry")]
    assert "in 2 features" in rejected[0].reason
    for text, field in (("{", ""), ('{"type": "Topology"}', "type"), ('{"type": "FeatureCollection"}', "features"),
                        ("{" + '"a":[' * 100_000 + "]" * 100_000 + "}", "")):
        found, rejected = parse_contribution(text, "f.json", "X")
        assert found.elements() == [] and [r.field for r in rejected] == [field], text[:40]


def test_bounds_on_rows_features_and_route_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contributed, "MAX_ELEMENTS", 3)
    rows = "".join(f"landing,l{i},,FI,24,60\n" for i in range(5))
    network, rejected = parse_contribution("kind,id,name,countries,lon,lat\n" + rows, "t.csv", "X")
    assert len(network.landings) == 3 and _where(rejected) == [("line 5", "")]
    features = [{"type": "Feature", "properties": {"kind": "landing", "id": f"l{i}", "countries": "FI"},
                 "geometry": {"type": "Point", "coordinates": [24, 60]}} for i in range(5)]
    network, rejected = parse_contribution(json.dumps({"type": "FeatureCollection", "features": features}), "f",
                                           "X")
    assert len(network.landings) == 3 and _where(rejected) == [("feature 4", "")]
    monkeypatch.setattr(contributed, "MAX_ROUTE_POINTS", 10)
    with pytest.raises(ValueError, match="more than 10 positions"):
        parse_wkt("LINESTRING (" + ", ".join("1 2" for _ in range(11)) + ")")
    long_line = {"type": "LineString", "coordinates": [[1, 2]] * 11}
    found, rejected = parse_contribution(json.dumps({"type": "Feature", "geometry": long_line, "properties": {
        "kind": "cable", "id": "c", "countries": "FI"}}), "f", "X")
    assert found.elements() == [] and _where(rejected) == [("feature 1", "geometry")]
    monkeypatch.setattr(contributed, "MAX_TEXT_CHARS", 100)
    assert _where(parse_contribution("x" * 101, "big", "X")[1]) == [("file", "")]


def test_wkt_routes() -> None:
    assert parse_wkt("LINESTRING(1 2,3 4)") == (((1.0, 2.0), (3.0, 4.0)),)
    assert parse_wkt(" multilinestring ((1 2, 3 4),(5 6, 7 8)) ") == (((1.0, 2.0), (3.0, 4.0)),
                                                                      ((5.0, 6.0), (7.0, 8.0)))
    for bad in ("LINESTRING EMPTY", "LINESTRING (1 2, 3)", "LINESTRING (1 2 3, 4 5 6)", "MULTILINESTRING (1 2, 3 4)",
                "LINESTRING ((1 2, 3 4))", "MULTILINESTRING ((1 2, 3 4)) x", "LINESTRING (a b, c d)",
                "LINESTRING (1 2, inf 3)"):
        with pytest.raises(ValueError):
            parse_wkt(bad)


def _elements() -> list:
    return [Landing("l", "L", "FI", 24.5, 60.25, origin="X", source="s"),
            Cable("c", "C, with a comma", ("l", "m"), ("EE", "FI"), ("O1", "O2"), ("S",), 2016, True, 1172.5, 144.0,
                  "power", (((1.0, 2.0), (3.0, 4.0)), ((5.0, 6.0), (7.5, 8.25))), "X", "s", "https://example.org/c"),
            Link("k", "K", "pipeline", ("FI", "EE"), 81.0, "GWh/d", False, 2019, ("A",), (),
                 ((24.0, 60.0), (24.1, 59.4)), (((24.0, 60.0), (24.1, 59.4)),), "operating", "X", "s",
                 "a note; with \"quotes\""),
            Exchange("x", "X-IX", "Tallinn", "EE", ("b",), 2011, "X", "s")]


def test_round_trips_through_csv_geojson_and_the_stored_form() -> None:
    elements = _elements()
    for text in (to_csv(elements), json.dumps(to_geojson(elements))):
        network, rejected = parse_contribution(text, "s", "X")
        assert rejected == [] and network.elements() == [elements[0], elements[1], elements[2], elements[3]]
    for element in elements:
        assert from_dict(json.loads(json.dumps(to_dict(element)))) == element
    assert from_dict(to_dict(elements[0]) | {"added_later": 1}) == elements[0]  # a later version's field is not read
    with pytest.raises(ValueError):
        from_dict({"kind": "pipeline"})
    with pytest.raises(ValueError):
        from_dict({"kind": "landing", "id": "x"})


CELLS = st.sampled_from(["", "landing", "cable", "link", "building", "exchange", "FI", "FI;EE", "x", "24.5", "-1",
                         "hvdc", "pipeline", "GWh/d", "MW", "Tbps", "2019", "LINESTRING (1 2, 3 4)", "\x00", "a;b",
                         "1e309", '"', "#", "nan", "MULTILINESTRING ((1 2, 3 4))", "planned", "🛳"])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_rejections_never_an_exception(text: str) -> None:
    network, rejected = parse_contribution(text, "fuzz", "X")
    assert all(isinstance(r, Rejection) and r.source == "fuzz" for r in rejected)
    assert network.elements() == [] or all(e.origin == "X" for e in network.elements())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=18), max_size=8))
def test_any_csv_rows_give_elements_or_rejections(rows: list[list[str]]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows([list(contributed.FIELDS)] + rows)
    network, rejected = parse_contribution(buffer.getvalue(), "fuzz.csv", "X")
    assert all(isinstance(r, Rejection) for r in rejected)
    for element in network.elements():  # every element kept is well formed: it survives its own round trip
        again, problems = parse_contribution(to_csv([element]), "fuzz.csv", "X")
        assert problems == [] and again.elements() == [element]


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | CELLS,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                        st.sampled_from([*contributed.FIELDS, "type", "properties", "geometry", "coordinates",
                                         "features"]), inner, max_size=6), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_gives_rejections_never_an_exception(value: object) -> None:
    for document in (value, {"type": "FeatureCollection", "features": value},
                     {"type": "Feature", "properties": value, "geometry": value}):
        try:
            text = json.dumps(document)
        except ValueError:
            continue
        if not text.startswith("{"):
            continue
        network, rejected = parse_contribution(text, "fuzz.json", "X")
        assert all(isinstance(r, Rejection) for r in rejected)
