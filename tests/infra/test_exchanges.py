"""The Internet Exchange Map reader: buildings, the exchanges they host, and the rejections.

Unit tests run on small synthetic texts (the TeleGeography data is CC BY-NC-SA and is never copied here); the
reference tests read ../shared/data/infra/ixmap_2020 (skipped, saying why, when absent) and check the counts
PROVENANCE.md states for it, exactly (the file is the reference).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.infra import exchanges
from kompas.infra.model import Building, Exchange, Rejection
from tests.infra.conftest import need_shared


def feature(building_id: object, address: list[str], country: str, metro: str, ixps: list[dict],
            coordinates: object = (8.6, 50.1)) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(coordinates)}
            if coordinates is not None else None,
            "properties": {"building_id": building_id, "address": address, "country": country,
                           "metro_area": metro, "slug": "x", "exchanges": ixps}}


def ixp(slug: str, label: str, **more: str) -> dict:
    return {"slug": slug, "address": [label, "street", "Town, Country"], "url": "https://x", **more}


DECIX = ixp("de-cix-frankfurt-frankfurt-germany", "DE-CIX Frankfurt (Frankfurt, Germany)", date_online="1995")
RIX = ixp("rix", "Remki Internet Exchange (RIX) (Guntur, India)", date_online="March 2019")
FEATURES = [
    feature(1, ["Equinix FR5", "Kleyerstrasse 90", "Frankfurt, Germany"], "germany", "frankfurt", [DECIX]),
    feature(2, ["Rua X 1", "São Paulo, Brazil, 01000"], "brazil", "so-paulo",
            [ixp("ix-sp", "IX.br SP (São Paulo, Brazil)", date_online="someday")]),
    feature(3, ["Dataplanet", "Willemstad, Netherlands Antilles"], "netherlands-antilles", "willemstad",
            [ixp("ams-ix-caribbean", "AMS-IX Caribbean (Willemstad, Netherlands Antilles)")]),
    feature(4, ["Nowhere"], "germany", "frankfurt", [DECIX], coordinates=None),
    feature(None, ["No id"], "germany", "frankfurt", [DECIX]),
    feature(5, ["DC 5", "Clifton, NJ, United States"], "united-states", "new-york-ny",
            [DECIX, {"address": ["Nameless (X, Y)"]}, ixp("odd", "Odd exchange")]),
    feature(6, ["Himaja Towers", "Guntur, India"], "india", "guntur", [RIX]),
]
LISTING = [{"value": "DE-CIX Frankfurt (Frankfurt, Germany)",
            "url": "/#/internet-exchange/de-cix-frankfurt-frankfurt-germany"},
           {"value": "Lonely IX (Oyo, Congo, Rep.)", "url": "/#/internet-exchange/lonely-ix-oyo-congo-rep"},
           {"value": "No url"}]


@pytest.fixture(scope="module")
def toy() -> tuple[list[Building], list[Exchange], list[Rejection]]:
    return exchanges.parse_ixmap(json.dumps({"type": "FeatureCollection", "features": FEATURES}),
                                 json.dumps(LISTING), "ix")


def test_buildings(toy):
    buildings, _, _ = toy
    found = {b.id: b for b in buildings}
    assert list(found) == ["1", "2", "3", "5", "6"]  # 4 (no Point) and the one without an id are skipped
    fr5 = found["1"]
    assert (fr5.name, fr5.city, fr5.country, fr5.lon, fr5.lat) == ("Equinix FR5", "Frankfurt", "DE", 8.6, 50.1)
    assert fr5.exchanges == ("de-cix-frankfurt-frankfurt-germany",) and fr5.ref == "building:1"
    assert found["2"].city == "São Paulo"  # the metro slug "so-paulo" spelled as the address writes it
    assert found["3"].country == ""
    assert found["5"].city == "New York, NY"  # a metro slug no text spells: made readable
    assert found["5"].exchanges == ("de-cix-frankfurt-frankfurt-germany", "odd")


def test_exchanges(toy):
    _, ixps, _ = toy
    found = {x.id: x for x in ixps}
    # exchanges.json order first, then the exchanges only buildings list.
    assert list(found) == ["de-cix-frankfurt-frankfurt-germany", "lonely-ix-oyo-congo-rep", "ix-sp",
                           "ams-ix-caribbean", "odd", "rix"]
    decix = found["de-cix-frankfurt-frankfurt-germany"]
    assert (decix.name, decix.city, decix.country, decix.buildings, decix.since_year) == (
        "DE-CIX Frankfurt", "Frankfurt", "DE", ("1", "5"), 1995)
    assert (found["lonely-ix-oyo-congo-rep"].city, found["lonely-ix-oyo-congo-rep"].country,
            found["lonely-ix-oyo-congo-rep"].buildings) == ("Oyo", "CG", ())
    assert (found["rix"].name, found["rix"].city, found["rix"].since_year) == ("Remki Internet Exchange (RIX)",
                                                                               "Guntur", 2019)
    assert (found["ams-ix-caribbean"].city, found["ams-ix-caribbean"].country) == ("Willemstad", "")
    assert (found["odd"].name, found["odd"].city, found["odd"].country) == ("Odd exchange", "", "")
    assert found["ix-sp"].since_year is None


def test_rejections_are_precise(toy):
    _, _, rejections = toy
    assert rejections == [
        Rejection("ix/buildings.geojson", "feature 3 (building 3)", "country",
                  "no ISO 3166-1 country for 'netherlands-antilles': kept as ''"),
        Rejection("ix/buildings.geojson", "feature 4 (building 4)", "geometry",
                  "not a lon/lat Point: {}: skipped"),
        Rejection("ix/buildings.geojson", "feature 5", "building_id", "a building needs an id: skipped"),
        Rejection("ix/buildings.geojson", "feature 6 (building 5)", "exchanges.slug",
                  "an exchange entry without a slug: left out of this building"),
        Rejection("ix/exchanges.json", "item 3", "url",
                  "needs a value and an /internet-exchange/<slug> url: {'value': 'No url'}: skipped"),
        Rejection("ix/buildings.geojson", "ix-sp", "date_online", "no year in 'someday': kept as unknown"),
        Rejection("ix/buildings.geojson", "ams-ix-caribbean", "address",
                  "no ISO 3166-1 country in 'AMS-IX Caribbean (Willemstad, Netherlands Antilles)': kept as ''"),
        Rejection("ix/buildings.geojson", "odd", "address",
                  "no '(City, Country)' in 'Odd exchange': name kept as written, city and country ''"),
    ]


def test_not_json_is_one_rejection():
    assert exchanges.parse_ixmap("{not json", None, "ix") == (
        [], [], [Rejection("ix/buildings.geojson", "line 1", "json",
                           "not JSON: Expecting property name enclosed in double quotes")])
    assert exchanges.parse_ixmap("[]", None, "ix")[2] == [
        Rejection("ix/buildings.geojson", "file", "features", "not a GeoJSON FeatureCollection")]


@pytest.mark.parametrize(("label", "expected"), [
    ("DE-CIX Frankfurt (Frankfurt, Germany)", ("DE-CIX Frankfurt", "Frankfurt", "DE")),
    ("AMS-IX Bay Area (San Francisco, CA, United States)", ("AMS-IX Bay Area", "San Francisco, CA", "US")),
    ("CGIX (Brazzaville, Congo, Rep.)", ("CGIX", "Brazzaville", "CG")),
    ("BIX.BA (Sarajevo, Bosnia Herzegovina)", ("BIX.BA", "Sarajevo", "BA")),
    ("No place", ("No place", "", "")),
    ("Half (Town)", ("Half (Town)", "", "")),
])
def test_split_label(label, expected):
    assert exchanges.split_label(label) == expected


def test_readable_metro_and_years():
    assert [exchanges.readable_metro(m) for m in ("new-york-ny", "kiev", "st-petersburg")] == [
        "New York, NY", "Kiev", "St Petersburg"]
    assert [exchanges.since_year(t) for t in ("1995", "March 2001", "Online since:  2010", "", None, "soon")] == [
        1995, 2001, 2010, None, None, None]


# ------------------------------------------------------------------------------------------------- shared data

@pytest.fixture(scope="module")
def ixmap() -> tuple[list[Building], list[Exchange], list[Rejection]]:
    folder = need_shared("ixmap_2020")
    return exchanges.parse_ixmap((folder / "buildings.geojson").read_text(encoding="utf-8"),
                                 (folder / "exchanges.json").read_text(encoding="utf-8"))


@pytest.mark.shared
def test_reference_counts(ixmap):
    buildings, ixps, rejections = ixmap
    assert len(buildings) == 1515
    assert len(ixps) == 920
    assert len({slug for b in buildings for slug in b.exchanges}) == 920
    assert all(x.buildings for x in ixps)  # exchanges.json lists exactly the exchanges the buildings name
    # The only rejections: the two buildings and the one exchange in the Netherlands Antilles (dissolved 2010).
    assert [(r.record, r.field) for r in rejections] == [
        ("feature 552 (building 22696)", "country"), ("feature 711 (building 17130)", "country"),
        ("ams-ix-caribbean-willemstad-netherlands-antilles", "address")]
    assert sum(1 for x in ixps if x.since_year) == 525


@pytest.mark.shared
def test_reference_decix_frankfurt(ixmap):
    buildings, ixps, _ = ixmap
    by_building = {b.id: b for b in buildings}
    decix = {x.id: x for x in ixps}["de-cix-frankfurt-frankfurt-germany"]
    assert (decix.name, decix.city, decix.country, decix.since_year) == ("DE-CIX Frankfurt", "Frankfurt", "DE", 1995)
    assert len(decix.buildings) == 27
    names = {by_building[i].name for i in decix.buildings}
    assert {"Equinix FR2", "Equinix FR5", "Equinix FR6", "Global Switch Frankfurt"} <= names


@pytest.mark.shared
def test_reference_busiest_buildings(ixmap):
    buildings, _, _ = ixmap
    busiest = sorted(buildings, key=lambda b: -len(b.exchanges))[:2]
    assert [(b.name, b.city, b.country, len(b.exchanges)) for b in busiest] == [
        ("Edificio CABASE", "Buenos Aires", "AR", 26), ("Equinix FR5", "Frankfurt", "DE", 11)]
    fr5 = [b for b in buildings if b.name == "Equinix FR5"]
    assert len(fr5) == 1 and fr5[0].id == "20125"
    assert sum(1 for b in buildings if b.city == "São Paulo") == 31  # metro "so-paulo", spelled from the addresses


# ---------------------------------------------------------------------------------------------- property tests

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
                        ["building_id", "address", "country", "metro_area", "exchanges", "slug", "date_online",
                         "type", "coordinates", "geometry", "properties", "value", "url"]), inner, max_size=5),
                    max_leaves=25)


@settings(max_examples=80, deadline=None)
@given(st.lists(JSON, max_size=5), JSON)
def test_reader_never_raises_on_odd_json(features, listing):
    """Any JSON in the places of features and of exchanges.json: no exception, and every building kept is valid."""
    buildings, ixps, _ = exchanges.parse_ixmap(json.dumps({"type": "FeatureCollection", "features": features}),
                                               json.dumps(listing), "ix")
    assert len({b.id for b in buildings}) == len(buildings)
    assert all(-180 <= b.lon <= 180 and -90 <= b.lat <= 90 for b in buildings)
    assert len({x.id for x in ixps}) == len(ixps)
