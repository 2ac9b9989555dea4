"""The infrastructure layers of the 2D map (kompas.services.infra_map), on SQLite and PostgreSQL:

- the five layers are registered with the map (LAYER_MODULES), each with the licence of its data: TeleGeography
  (CC BY-NC-SA 3.0, non-commercial) for cables, landing points and exchanges, PyPSA-Eur (CC-BY-4.0) for the grid,
  and the warning that routes are drawn, not surveyed;
- a cable and a pipeline contributed as SECRET (REL FI, need-to-know infra) are drawn, with their own marking and the
  contributor as source, only for the reader cleared for them, and raise the layer's marking for that reader alone;
  the landing points the cable lands at carry its marking too; a RESTRICTED correction of Estlink 2's rating
  replaces the public link for the readers who may see it and no one else;
- every feature carries the markings of the elements whose data it shows: a CLEAR cable without a route drawn
  through a SECRET landing point is SECRET (and the layer, even when a box leaves the cable out because of where
  the landing is); a reader who cannot see the landing cannot place the cable; buildings naming a SECRET exchange;
- bbox, country and simplify_km bound the answers; a bad bbox is refused with a reason;
- on the shared data (skipped without ../shared): C-Lion1 drawn between Finland and Germany, the cross-border AC
  lines with their capacity said to be estimated (the Finland-Russia ones disconnected), Helsinki's exchange
  buildings named with their exchanges."""

from __future__ import annotations

import math

import pytest

from kompas.core.markings import Marking
from kompas.core.store import Store
from kompas.services import infra as service
from kompas.services import map as map_service
from tests.core import conftest as databases

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures: SQLite, PostgreSQL

SECRET = Marking.build("SECRET", "AMBER", ["FI"], ["infra"], "FI-NESA")
RESTRICTED = Marking.build("RESTRICTED", "AMBER", ["FI"], [], "FI-NESA")
PUBLIC_BANNER = "UNCLASSIFIED // TLP:CLEAR"
# a wiggly route of 201 points from Kotka (FI) to Narva-Joesuu (EE): wiggles of ~0.2 km, lost when simplified by 1 km
WIGGLE = ", ".join(f"{26.9 + 1.1 * k / 200:.5f} {60.45 - k / 200 + 0.002 * math.sin(k * math.pi / 2):.5f}"
                   for k in range(201))
CONTRIBUTION = (
    "kind,id,name,countries,lon,lat,lon2,lat2,landings,link_kind,capacity,unit,route\n"
    "landing,w-kotka,\"Kotka, Finland\",FI,26.9,60.45,,,,,,,\n"
    "landing,w-narva,\"Narva-Joesuu, Estonia\",EE,28.0,59.45,,,,,,,\n"
    f"cable,w-gulf-cable,Gulf of Finland private cable,,,,,,w-kotka;w-narva,,,,\"LINESTRING ({WIGGLE})\"\n"
    "link,w-pipeline,Balticconnector (contributed),FI;EE,24.0,60.05,24.05,59.35,,pipeline,7.2,GWh/d,\n")
CORRECTION = "kind,id,link_kind,capacity,unit,note\nlink,estlink-2,hvdc,658,MW,published rating (Fingrid)\n"
INFRA_LAYERS = ("infra-cables", "infra-landings", "infra-exchanges", "infra-links", "infra-ac")


def _people(store: Store) -> dict:
    store.add_org("FI-NESA", "FI")
    store.add_org("FR-SGDSN", "FR")
    store.add_user("cleared", "FI-NESA", "SECRET", ["infra"])
    store.add_user("colleague", "FI-NESA", "SECRET")  # same organisation, not in the infra community
    store.add_user("partner", "FR-SGDSN", "RESTRICTED")
    for text, marking, source in ((CONTRIBUTION, SECRET, "test:gulf"), (CORRECTION, RESTRICTED, "test:estlink")):
        done = service.contribute(store, store.account("cleared"), text, source, marking)
        assert done["rejected"] == [] and done["added"], done
    return {name: store.account(name).viewer for name in ("cleared", "colleague", "partner")}


def _layer(layer_id: str, store: Store, viewer, **query: str) -> dict:  # noqa: ANN001 (a Viewer)
    """A layer as the API builds it: the parameters validated from the query string."""
    layer = map_service.find(layer_id)
    assert layer is not None, layer_id
    return layer.builder(store, viewer, layer.parameters.model_validate(query))


def _by_ref(collection: dict) -> dict[str, dict]:
    return {f["properties"]["ref"]: f for f in collection["features"]}


def test_the_infrastructure_layers_are_registered_with_their_licences() -> None:
    assert "kompas.services.infra_map" in map_service.LAYER_MODULES
    registered = {layer.id: layer for layer in map_service.layers()}
    assert set(INFRA_LAYERS) <= set(registered)
    kinds = {i: registered[i].kind for i in INFRA_LAYERS}
    assert kinds == {"infra-cables": "lines", "infra-landings": "points", "infra-exchanges": "points",
                     "infra-links": "lines", "infra-ac": "lines"}
    for layer_id in ("infra-cables", "infra-landings", "infra-exchanges"):
        text = registered[layer_id].attribution + " " + registered[layer_id].description
        assert "TeleGeography" in text and "CC BY-NC-SA 3.0" in text and "non-commercial" in text, layer_id
    for layer_id in ("infra-links", "infra-ac"):
        text = registered[layer_id].attribution + " " + registered[layer_id].description
        assert "PyPSA-Eur" in text and "CC-BY-4.0" in text, layer_id
    assert "drawn, not surveyed" in registered["infra-cables"].description
    assert "estimated" in registered["infra-ac"].description
    # the general map stays light: the infrastructure layers are switched on by the reader (or the Infra page)
    assert not any(registered[i].visible for i in INFRA_LAYERS)
    assert {"bbox", "country", "simplify_km"} <= set(registered["infra-cables"].parameters.model_json_schema()[
        "properties"])


def test_a_secret_contribution_is_drawn_only_for_the_reader_cleared_and_raises_the_layer(store: Store) -> None:
    people = _people(store)
    cleared = {i: _layer(i, store, people["cleared"]) for i in ("infra-cables", "infra-landings", "infra-links")}
    cable = _by_ref(cleared["infra-cables"])["cable:w-gulf-cable"]["properties"]
    assert Marking.from_dict(cable["marking"]) == SECRET
    assert cable["source"].startswith("contributed by FI-NESA") and cable["countries"] == "EE, FI"
    assert Marking.from_dict(cleared["infra-cables"]["marking"]).classification.name == "SECRET"
    assert cleared["infra-cables"]["marking"]["communities"] == [["infra"]]
    kotka = _by_ref(cleared["infra-landings"])["landing:w-kotka"]["properties"]
    assert Marking.from_dict(kotka["marking"]) == SECRET and kotka["cables"] == "Gulf of Finland private cable"
    links = _by_ref(cleared["infra-links"])
    pipeline = links["link:w-pipeline"]
    assert Marking.from_dict(pipeline["properties"]["marking"]) == SECRET
    assert pipeline["properties"]["name"] == "Balticconnector (contributed) (pipeline, FI-EE): 7.2 GWh/d (rated)"
    assert pipeline["geometry"] == {"type": "LineString", "coordinates": [[24.0, 60.05], [24.05, 59.35]]}
    # the correction of a public link replaces it, under its own marking, for those who may see it
    estlink = links["link:estlink-2"]["properties"]
    assert estlink["capacity"] == 658 and Marking.from_dict(estlink["marking"]) == RESTRICTED
    assert estlink["source"].startswith("contributed by FI-NESA")
    # the public elements keep the public marking and their source
    fenno = links["link:fenno-skan-2"]["properties"]
    assert fenno["marking"]["banner"] == PUBLIC_BANNER and "PyPSA-Eur" in fenno["source"]
    assert fenno["name"] == "Fenno-Skan 2 (HVDC link, FI-SE): 800 MW (rated)"

    for name in ("colleague", "partner"):
        seen = {i: _layer(i, store, people[name]) for i in ("infra-cables", "infra-landings", "infra-links")}
        for layer_id, collection in seen.items():
            refs = set(_by_ref(collection))
            assert not refs & {"cable:w-gulf-cable", "landing:w-kotka", "landing:w-narva", "link:w-pipeline"}, name
            assert all(f["properties"]["marking"]["classification"] != "SECRET" for f in collection["features"])
            assert collection["marking"]["classification"] != "SECRET", (name, layer_id)
        estlink = _by_ref(seen["infra-links"])["link:estlink-2"]["properties"]
        if name == "colleague":  # REL FI, no need-to-know clause: the colleague sees the correction
            assert estlink["capacity"] == 658 and seen["infra-links"]["marking"]["classification"] == "RESTRICTED"
        else:  # the French partner sees the public rating, under the public marking
            assert estlink["capacity"] == 650 and estlink["marking"]["banner"] == PUBLIC_BANNER
            assert seen["infra-links"]["marking"]["banner"] == PUBLIC_BANNER
        assert seen["infra-cables"]["marking"]["banner"] == PUBLIC_BANNER


def test_bbox_country_and_simplification_bound_the_answers(store: Store) -> None:
    viewer = _people(store)["cleared"]
    exact = _by_ref(_layer("infra-cables", store, viewer, simplify_km="0"))["cable:w-gulf-cable"]["geometry"]
    simple = _by_ref(_layer("infra-cables", store, viewer))["cable:w-gulf-cable"]["geometry"]
    assert len(exact["coordinates"]) == 201  # as contributed, rounded to 0.001 degree
    assert 2 <= len(simple["coordinates"]) < 20  # the 0.2 km wiggles are gone at 1 km
    assert simple["coordinates"][0] == exact["coordinates"][0] == [26.9, 60.45]  # the ends kept
    assert simple["coordinates"][-1] == exact["coordinates"][-1] == [28.0, 59.45]
    # a box around the Gulf of Finland holds the contribution; one around Portugal does not
    gulf = set(_by_ref(_layer("infra-links", store, viewer, bbox="23,59,30,61")))
    assert {"link:w-pipeline", "link:estlink-2"} <= gulf and "link:fenno-skan-2" not in gulf  # Fenno-Skan: 17-22E
    assert not set(_by_ref(_layer("infra-links", store, viewer, bbox="-10,36,-6,42"))) & gulf
    crossing = _layer("infra-landings", store, viewer, bbox="170,50,30,70")  # across the antimeridian: 170E..30E
    assert "landing:w-kotka" in _by_ref(crossing)
    estonia = {f["properties"]["ref"] for f in _layer("infra-landings", store, viewer, country="ee")["features"]}
    assert "landing:w-narva" in estonia and "landing:w-kotka" not in estonia
    sweden = set(_by_ref(_layer("infra-links", store, viewer, country="SE")))
    assert "link:fenno-skan-2" in sweden and not sweden & {"link:w-pipeline", "link:estlink-2"}
    for bad in ("0,0,200,10", "10,20,0,10", "1,2,3"):
        with pytest.raises((map_service.LayerError, ValueError)):
            _layer("infra-cables", store, viewer, bbox=bad)
    with pytest.raises(ValueError):
        _layer("infra-cables", store, viewer, simplify_km="100")


# a cable contributed UNCLASSIFIED TLP:CLEAR without a route, landing at a landing point contributed SECRET and at
# a CLEAR one (a different contribution: the cable's countries are given); a CLEAR building listing a SECRET
# exchange and a CLEAR building a SECRET exchange says it is present in
SECRET_PLACES = ("kind,id,name,countries,lon,lat,buildings,city\n"
                 "landing,w-secret-station,Secret station,EE,26.123,59.456,,\n"
                 "exchange,w-secret-ix,Secret IX,FI,,,w-open-dc2,Kotka\n")
OPEN_PLACES = ("kind,id,name,countries,lon,lat,landings,exchanges,city\n"
               "landing,w-open-station,Open station,FI,22.968,59.823,,,\n"
               "cable,w-open-cable,Open cable,FI;EE,,,w-open-station;w-secret-station,,\n"
               "building,w-open-dc1,Open DC 1,FI,26.95,60.47,,w-secret-ix,Kotka\n"
               "building,w-open-dc2,Open DC 2,FI,26.96,60.48,,,Kotka\n")


def test_every_feature_carries_the_markings_of_the_elements_it_shows(store: Store) -> None:
    """A CLEAR cable drawn through a SECRET landing point shows that position: the feature and the layer are
    SECRET for the reader who sees both; the reader who does not see the landing cannot place the cable (one
    landing point left) and gets it nowhere, under the public marking. A box the cable misses says where the
    landing is not: that layer is SECRET too. Buildings naming a SECRET exchange (either side listing the other)
    carry its marking; a link's terminals are its own data (its own marking)."""
    people = _people(store)
    for text, marking in ((SECRET_PLACES, SECRET), (OPEN_PLACES, service.PUBLIC_MARKING)):
        done = service.contribute(store, store.account("cleared"), text, "test:places", marking)
        assert done["rejected"] == [] and len(done["added"]) == text.count("\n") - 1, done
    cables = _layer("infra-cables", store, people["cleared"], simplify_km="0")
    cable = _by_ref(cables)["cable:w-open-cable"]
    assert cable["geometry"] == {"type": "LineString", "coordinates": [[22.968, 59.823], [26.123, 59.456]]}
    assert cable["properties"]["route"] == "straight lines between landing points (no route given)"
    assert Marking.from_dict(cable["properties"]["marking"]) == SECRET  # CLEAR cable + SECRET landing drawn
    assert cables["marking"]["communities"] == [["infra"]]
    # a drawn route shows no landing position: the SECRET gulf cable keeps its own marking, and the public ones theirs
    assert Marking.from_dict(_by_ref(cables)["cable:w-gulf-cable"]["properties"]["marking"]) == SECRET
    # a box around Kotka misses the open cable (22.97-26.12 E, 59.46-59.82 N) because of the secret station
    kotka = _layer("infra-cables", store, people["cleared"], bbox="26.5,60.3,27.5,60.6")
    assert "cable:w-open-cable" not in _by_ref(kotka) and "cable:w-gulf-cable" in _by_ref(kotka)
    west = _layer("infra-cables", store, people["cleared"], bbox="10,50,20,55")  # meets neither contribution
    assert not set(_by_ref(west)) & {"cable:w-open-cable", "cable:w-gulf-cable"}
    assert Marking.from_dict(west["marking"]) == SECRET  # the open cable is absent because of where the station is
    # the colleague (no need-to-know infra) sees the open cable but not the station: one landing, not placed
    colleague = _layer("infra-cables", store, people["colleague"], simplify_km="0")
    assert "cable:w-open-cable" not in _by_ref(colleague) and colleague["properties"]["unplaced"] >= 1
    assert colleague["marking"]["banner"] == PUBLIC_BANNER
    assert all(f["properties"]["marking"]["banner"] == PUBLIC_BANNER for f in colleague["features"])
    # the landing points layer: the open station names the open cable only (CLEAR); the secret station is SECRET
    landings = _by_ref(_layer("infra-landings", store, people["cleared"]))
    assert landings["landing:w-open-station"]["properties"]["cables"] == "Open cable"
    assert landings["landing:w-open-station"]["properties"]["marking"]["banner"] == PUBLIC_BANNER
    assert Marking.from_dict(landings["landing:w-secret-station"]["properties"]["marking"]) == SECRET
    # the exchange buildings: each names the SECRET exchange (the building lists it; the exchange lists the other)
    exchanges = _layer("infra-exchanges", store, people["cleared"], country="FI")
    buildings = _by_ref(exchanges)
    for ref in ("building:w-open-dc1", "building:w-open-dc2"):
        assert buildings[ref]["properties"]["exchanges"] == "Secret IX", ref
        assert Marking.from_dict(buildings[ref]["properties"]["marking"]) == SECRET, ref
    assert Marking.from_dict(exchanges["marking"]) == SECRET
    for_colleague = _by_ref(_layer("infra-exchanges", store, people["colleague"], country="FI"))
    assert for_colleague["building:w-open-dc1"]["properties"]["exchanges"] == "w-secret-ix"  # its own field: an id
    assert "exchanges" not in for_colleague["building:w-open-dc2"]["properties"]
    assert all(f["properties"]["marking"]["banner"] == PUBLIC_BANNER for f in for_colleague.values())
    # every feature of every layer is at least as restricted as each element it names, for every reader
    for name, viewer in people.items():
        for layer_id in INFRA_LAYERS:
            collection = _layer(layer_id, store, viewer)
            layer_marking = Marking.from_dict(collection["marking"])
            for f in collection["features"]:
                assert service.covers(layer_marking, Marking.from_dict(f["properties"]["marking"])), (name, layer_id)


@pytest.fixture(scope="module")
def shared_network() -> None:
    """The public network with ../shared (TeleGeography's maps are read from there only), or skip saying so."""
    from tests.infra.conftest import need_shared

    need_shared("cables_2022")
    need_shared("ixmap_2020")
    need_shared("grid/entsoegridkit")


@pytest.mark.shared
def test_the_public_layers_on_the_shared_data(store: Store, shared_network: None) -> None:
    _people(store)
    viewer = store.account("partner").viewer
    cables = _layer("infra-cables", store, viewer, country="FI")
    finland = {f["properties"]["cable"] for f in cables["features"]}
    assert len(finland) == 11 and "C-Lion1" in finland  # Finland's 11 cables (PROVENANCE.md), exact
    lion = _by_ref(cables)["cable:c-lion1"]
    assert lion["properties"]["countries"] == "DE, FI" and lion["properties"]["route"] == "drawn, not surveyed"
    assert lion["properties"]["suppliers"] == "ASN" and lion["properties"]["owners"] == "Cinia Oy"
    assert "TeleGeography" in lion["properties"]["source"] and "CC BY-NC-SA 3.0" in lion["properties"]["source"]
    assert lion["geometry"]["type"] in ("LineString", "MultiLineString")
    assert "non-commercial" in cables["attribution"] and "drawn, not surveyed" in cables["properties"]["caveat"]
    ac = _layer("infra-ac", store, viewer, country="FI")["features"]
    assert ac and all(f["properties"]["name"].endswith("(estimated)" if f["properties"]["status"] == "operating"
                                                       else f"(estimated), {f['properties']['status']}") for f in ac)
    # the Finland-Russia lines stay on the map, said to be disconnected since 14 May 2022 (kompas.infra.corrections)
    russia = [f["properties"] for f in ac if f["properties"]["countries"] in ("FI-RU", "RU-FI")]
    assert russia and all(p["status"] == "disconnected" and "2022-05-14" in p["note"] for p in russia)
    assert all(f["properties"]["capacity_estimated"] and "GridKit" in f["properties"]["source"] for f in ac)
    helsinki = [f["properties"] for f in _layer("infra-exchanges", store, viewer, country="FI")["features"]
                if f["properties"].get("city") == "Helsinki"]
    assert any("FICIX" in p["exchanges"] for p in helsinki) and all(p["exchange_count"] >= 1 for p in helsinki)
    whole = _layer("infra-cables", store, viewer)
    assert len(whole["features"]) > 500 and whole["marking"]["banner"] == PUBLIC_BANNER
