"""Contributed infrastructure merged per viewer (issue 24, item 1), on SQLite and PostgreSQL:

- Finland's gas TSO contributes the Balticconnector pipeline (examples/infra/balticconnector.geojson, in no public
  file) under SECRET with the need-to-know community energy-fi-ee. A cleared member of the community sees FI-EE gas
  interconnection of 81 GWh/d in its assessment and can stress it; a SECRET reader outside the community, and a
  RESTRICTED one inside it, see the public network only, and the pipeline's name is unknown to them;
- every answer built on the contribution carries the combined marking (SECRET, NTK energy-fi-ee, the contributor as
  originator); answers on the public data alone are UNCLASSIFIED TLP:CLEAR;
- a recorded stress test and an incident are events in the envelope (domain infra) under those markings; an incident
  recorded under a lower marking is computed without the contributions it does not cover.

The HVDC list (Estlink 350 MW, Estlink 2 650 MW) ships with Kompas, so these tests need no ../shared."""

from __future__ import annotations

import pytest

from kompas.core.markings import Marking, MarkingError
from kompas.core.store import Store, StoreError
from kompas.core.store import infra as stored
from kompas.services import infra as service
from tests.conftest import REPO
from tests.core import conftest as databases

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures: SQLite, PostgreSQL

BALTICCONNECTOR = (REPO / "examples" / "infra" / "balticconnector.geojson").read_text()
SECRET_FI_EE = Marking.build("SECRET", "AMBER", None, ["energy-fi-ee"], "FI-GASGRID")


def _people(store: Store) -> dict:
    store.add_org("FI-GASGRID", "FI", "operator")
    store.add_org("EE-ELERING", "EE", "operator")
    store.add_org("FR-SGDSN", "FR", "agency")
    people = {"fi": store.authenticate(store.add_user("fi", "FI-GASGRID", "SECRET", ["energy-fi-ee"])),
              "ee": store.authenticate(store.add_user("ee", "EE-ELERING", "SECRET", ["energy-fi-ee"])),
              "fr": store.authenticate(store.add_user("fr", "FR-SGDSN", "SECRET")),
              "low": store.authenticate(store.add_user("low", "EE-ELERING", "RESTRICTED", ["energy-fi-ee"]))}
    done = service.contribute(store, people["fi"], BALTICCONNECTOR, "balticconnector.geojson", SECRET_FI_EE)
    assert done["added"] == ["link:balticconnector"] and done["rejected"] == []
    return people


def test_the_pipeline_is_merged_only_for_viewers_who_may_see_it(store: Store) -> None:
    people = _people(store)
    for who in ("fi", "ee"):
        network, marking = service.network_for(store, people[who].viewer)
        assert network.links["balticconnector"].capacity == 81.0 and marking == SECRET_FI_EE
        (finland,) = service.assess(store, people[who].viewer, ["FI"])["countries"]
        assert finland["power"]["pipeline_gwh_d"] == {"EE": 81.0}
        assert finland["power"]["hvdc_mw"]["EE"] == 1000.0  # the public HVDC links are there too
    for who in ("fr", "low"):
        network, marking = service.network_for(store, people[who].viewer)
        assert "balticconnector" not in network.links
        assert marking.banner() == "UNCLASSIFIED // TLP:CLEAR"
        found = service.assess(store, people[who].viewer, ["FI"])
        (finland,) = found["countries"]
        assert "pipeline_gwh_d" not in finland["power"] and finland["power"]["hvdc_mw"]["EE"] == 1000.0
        assert found["marking"]["classification"] == "UNCLASSIFIED" and found["contributions"] == 0
        assert "Balticconnector" not in str(found) and "FI-GASGRID" not in str(found)
        with pytest.raises(StoreError, match="no element is named 'Balticconnector'"):
            service.stress(store, people[who].viewer, service.scenario_of(["Balticconnector"]))
    # the platform's own view (the command line without --user) sees every contribution
    assert "balticconnector" in service.network_for(store, None)[0].links
    listed = service.contributed(store, people["ee"].viewer)
    assert [i["ref"] for i in listed["items"]] == ["link:balticconnector"]
    assert listed["items"][0]["contributed_by"] == "FI-GASGRID" and not listed["items"][0]["replaces_public"]
    assert service.contributed(store, people["fr"].viewer)["items"] == []


def test_stress_answers_carry_the_combined_marking(store: Store) -> None:
    people = _people(store)
    fi, fr = people["fi"].viewer, people["fr"].viewer
    cut = service.stress(store, fi, service.scenario_of(["Balticconnector"]))
    assert [(r["from_country"], r["to_country"], r["kind"], r["before"], r["after"], r["unit"])
            for r in cut["rows"]] == [("FI", "EE", "pipeline_gwh_d", 81.0, 0.0, "GWh/d")]
    assert {"group": "gas", "from_country": "EE", "to_country": "FI"} in cut["disconnected"]
    assert Marking.from_dict(cut["marking"]) == SECRET_FI_EE and cut["contributors"] == ["FI-GASGRID"]
    # Eagle S: Estlink 2 lost leaves 350 of 1,000 MW; the answer of the cleared reader is built on the network holding
    # the pipeline, so it carries the pipeline's marking; the other reader's is public
    for viewer, banner in ((fi, SECRET_FI_EE.banner()), (fr, "UNCLASSIFIED // TLP:CLEAR")):
        eagle = service.stress(store, viewer, service.scenario_of(["Estlink 2"]))
        assert [(r["from_country"], r["to_country"], r["kind"]) for r in eagle["rows"]] == [("FI", "EE", "hvdc_mw")]
        assert eagle["rows"][0]["before"] == pytest.approx(1000, rel=0.03)
        assert eagle["rows"][0]["after"] == pytest.approx(350, rel=0.03)
        assert eagle["marking"]["banner"] == banner


def test_a_recorded_stress_test_is_an_event_under_its_marking(store: Store) -> None:
    people = _people(store)
    fi = people["fi"].viewer
    scenario = service.scenario_of(["Balticconnector", "Estlink 2"])
    done = service.stress(store, fi, scenario, record=True, by="fi")
    assert done["recorded"] is True
    again = service.stress(store, fi, scenario, record=True, by="fi")
    assert again["event_id"] == done["event_id"] and again["recorded"] is False  # the same test is stored once
    event = store.event(fi, done["event_id"])
    assert event is not None and (event["domain"], event["type"], event["severity"]) == ("infra", "stress-test", "high")
    assert Marking.from_dict(event["marking"]) == SECRET_FI_EE
    detail = event["detail"]
    assert detail["member_states"] == ["EE", "FI"] and detail["sectors"] == ["energy"] and detail["hypothetical"]
    assert {a["ref"] for a in detail["assets_affected"]} == {"link:balticconnector", "link:estlink-2"}
    assert set(detail["services"]) == {"electricity interconnection (HVDC)", "gas transmission (pipelines)"}
    assert {a["id"] for a in event["actors"] if a["role"] == "asset"} == {"link:balticconnector", "link:estlink-2"}
    for who in ("fr", "low"):
        assert store.event(people[who].viewer, done["event_id"]) is None
    with pytest.raises(StoreError, match="needs a user"):
        service.stress(store, None, scenario, record=True)


def test_an_incident_names_its_assets_and_carries_what_losing_them_costs(store: Store) -> None:
    people = _people(store)
    fi = people["fi"]
    fields = {"assets": ["Balticconnector", "Estlink 2"], "time_utc": "2023-10-08T01:20:00Z", "cause": "anchor-drag",
              "vessel": "NewNew Polar Bear", "lat": 59.6, "lon": 24.5}
    found = service.record_incident(store, fi, fields, SECRET_FI_EE)
    event = store.event(fi.viewer, found["id"])
    assert event is not None and (event["type"], event["severity"], event["time_utc"][:16]) == (
        "incident", "high", "2023-10-08T01:20")
    assert event["place"] == {"lat": 59.6, "lon": 24.5, "countries": ["EE", "FI"]}
    assert {"role": "actor", "kind": "vessel", "id": "NewNew Polar Bear", "name": "NewNew Polar Bear"} in event[
        "actors"]
    assert event["detail"]["cause"] == "anchor-drag" and len(event["detail"]["rows"]) == 2
    assert Marking.from_dict(event["marking"]) == SECRET_FI_EE
    assert store.event(people["fr"].viewer, found["id"]) is None
    # under RESTRICTED the pipeline (SECRET) is not used: naming it is refused, saying why...
    restricted = Marking.build("RESTRICTED", "AMBER", originator="FI-GASGRID")
    with pytest.raises(StoreError, match="does not cover"):
        service.record_incident(store, fi, fields, restricted)
    # ... and Estlink 2 alone is computed on the public data: the event stays RESTRICTED though fi sees the pipeline
    low = service.record_incident(store, fi, fields | {"assets": ["Estlink 2"]}, restricted)
    assert Marking.from_dict(low["marking"]) == restricted and low["contributions"] == 0
    event = store.event(people["fr"].viewer, low["id"])
    assert event is not None and event["detail"]["rows"][0]["after"] == 350.0
    estlink = fields | {"assets": ["Estlink 2"]}
    for bad, match in (({"assets": []}, "assets"), ({"time_utc": "2199-01-01T00:00:00Z"}, "after now"),
                       ({"time_utc": "2999-01-01T00:00:00Z"}, "between 1900 and 2199"),
                       ({"time_utc": "yesterday"}, "time_utc"), ({"cause": "aliens"}, "cause"),
                       ({"lat": 95.0}, "lat"), ({"lon": None}, "together"),
                       ({"assets": ["Nowhere cable"]}, "no element is named")):
        with pytest.raises(StoreError, match=match):
            service.record_incident(store, fi, estlink | bad, restricted)
    with pytest.raises(MarkingError):
        service.record_incident(store, people["low"], fields | {"assets": ["Estlink 2"]}, SECRET_FI_EE)


def test_contributions_are_checked_replaced_and_never_beyond_the_contributor(store: Store) -> None:
    people = _people(store)
    again = service.contribute(store, people["fi"], BALTICCONNECTOR, "balticconnector.geojson", SECRET_FI_EE)
    assert again["added"] == [] and again["replaced"] == ["link:balticconnector"]
    assert len(stored.element_rows(store, None)) == 1
    with pytest.raises(MarkingError):  # above the contributor's clearance
        service.contribute(store, people["low"], BALTICCONNECTOR, "b.geojson", SECRET_FI_EE)
    with pytest.raises(MarkingError):  # a community the contributor is not in: they would lose sight of it
        service.contribute(store, people["fr"], BALTICCONNECTOR, "b.geojson",
                           Marking.build("SECRET", "AMBER", None, ["energy-fi-ee"], "FR-SGDSN"))
    # the same id under another marking is another copy: each reader merges the copies they may see, the newest
    # winning; a bad row is reported and the good ones stored
    public_copy = BALTICCONNECTOR.replace('"capacity": 81', '"capacity": 80')
    done = service.contribute(store, people["ee"], public_copy + "", "ee.geojson",
                              Marking.build("UNCLASSIFIED", "GREEN", originator="EE-ELERING"))
    assert done["added"] == ["link:balticconnector"]
    assert service.network_for(store, people["fr"].viewer)[0].links["balticconnector"].capacity == 80.0
    assert service.network_for(store, people["fi"].viewer)[0].links["balticconnector"].capacity == 80.0
    bad = service.contribute(store, people["ee"], "kind,id,countries,link_kind\nlink,x,FI;EE;SE,hvdc\n"
                                                  "link,y,FI;EE,hvdc\n", "bad.csv",
                             Marking.build("UNCLASSIFIED", "GREEN", originator="EE-ELERING"))
    assert bad["added"] == ["link:y"]
    assert [(r["record"], r["field"]) for r in bad["rejected"]] == [("line 2", "countries")]
    with pytest.raises(StoreError, match="source: a text with a NUL"):
        service.contribute(store, people["ee"], BALTICCONNECTOR, "b\x00.geojson",
                           Marking.build(originator="EE-ELERING"))
    with pytest.raises(StoreError, match="remove: a text with a control character"):
        service.scenario_of(["Estlink\x072"])
    with pytest.raises(StoreError, match="larger than"):
        service.contribute(store, people["ee"], "x" * (service.MAX_CONTRIBUTION_BYTES + 1), "big.csv",
                           Marking.build(originator="EE-ELERING"))
