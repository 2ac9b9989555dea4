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

from collections import OrderedDict

import pytest
from sqlalchemy import func, select

from kompas.core.markings import Marking, MarkingError
from kompas.core.models import EventRecord
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
    # Eagle S: Estlink 2 lost leaves 350 of 1,000 MW. The cleared reader's network holds the pipeline, but the result
    # touches power only (HVDC): it uses no contribution, so both readers' answers are public (review #8)
    for viewer in (fi, fr):
        eagle = service.stress(store, viewer, service.scenario_of(["Estlink 2"]))
        assert [(r["from_country"], r["to_country"], r["kind"]) for r in eagle["rows"]] == [("FI", "EE", "hvdc_mw")]
        assert eagle["rows"][0]["before"] == pytest.approx(1000, rel=0.03)
        assert eagle["rows"][0]["after"] == pytest.approx(350, rel=0.03)
        assert eagle["marking"]["banner"] == "UNCLASSIFIED // TLP:CLEAR"
        assert (eagle["contributions"], eagle["contributors"]) == (0, [])
    # both together: the pipeline is removed, so its marking is the answer's
    both = service.stress(store, fi, service.scenario_of(["Estlink 2", "Balticconnector"]))
    assert Marking.from_dict(both["marking"]) == SECRET_FI_EE and both["contributors"] == ["FI-GASGRID"]


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
    # the same id under another marking is another copy: each reader merges one copy, their own organisation's
    # (fi keeps its 81), else the newest they may see (fr: ee's 80); a bad row is reported and the good ones stored
    public_copy = BALTICCONNECTOR.replace('"capacity": 81', '"capacity": 80')
    done = service.contribute(store, people["ee"], public_copy + "", "ee.geojson",
                              Marking.build("UNCLASSIFIED", "GREEN", originator="EE-ELERING"))
    assert done["added"] == ["link:balticconnector"]
    assert service.network_for(store, people["fr"].viewer)[0].links["balticconnector"].capacity == 80.0
    assert service.network_for(store, people["ee"].viewer)[0].links["balticconnector"].capacity == 80.0
    assert service.network_for(store, people["fi"].viewer)[0].links["balticconnector"].capacity == 81.0
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


# --- review of session 38: precedence, withdrawal, parsing once, quota, read bound, markings of what is used ---------

CLEAR = Marking.build("UNCLASSIFIED", "CLEAR", originator="FR-SGDSN")


def _replaced(answer: dict) -> list[str]:
    """The notes naming public elements replaced (others say which public files are absent without ../shared)."""
    return [n for n in answer["notes"] if n.startswith("public element replaced")]


def _fi_ee_mw(store: Store, viewer: object) -> float:
    (finland,) = service.assess(store, viewer, ["FI"])["countries"]  # type: ignore[arg-type]
    return float(finland["power"]["hvdc_mw"].get("EE", 0.0))


def test_a_readers_own_correction_wins_and_every_replacement_is_named(store: Store) -> None:
    """Review #7: an UNCLASSIFIED user of another organisation marks Estlink 2 decommissioned under TLP:CLEAR. Finland's
    operator's own (SECRET) correction to 700 MW still wins for its readers; readers without a copy of their own get
    the newest copy (the prank), and every answer names the replaced public element and who replaced it; withdrawing
    the prank brings the public element (or the next copy) back."""
    people = _people(store)
    prankster = store.authenticate(store.add_user("prank", "FR-SGDSN", "UNCLASSIFIED"))
    fi, ee, fr = people["fi"].viewer, people["ee"].viewer, people["fr"].viewer
    assert _fi_ee_mw(store, fi) == 1000.0
    service.contribute(store, people["fi"], "kind,id,capacity\nlink,estlink-2,700\n", "fi-correction.csv",
                       SECRET_FI_EE)
    done = service.contribute(store, prankster, "kind,id,status\nlink,estlink-2,decommissioned\n", "prank.csv", CLEAR)
    assert done["added"] == ["link:estlink-2"]
    assert _fi_ee_mw(store, fi) == 1050.0  # fi's own copy: Estlink 350 + its 700
    assert _fi_ee_mw(store, ee) == 350.0 and _fi_ee_mw(store, fr) == 350.0  # no copy of their own: the newest
    # the rows in building order (the map layers take each element's marking so): the copy used comes last
    for viewer, marking in ((fi, SECRET_FI_EE), (ee, CLEAR)):
        last = {r.element.ref: r.marking for r in stored.element_rows(store, viewer)}
        assert last["link:estlink-2"] == marking == service.view(store, viewer).copies["link:estlink-2"].marking
    for viewer, org in ((fi, "FI-GASGRID"), (ee, "FR-SGDSN"), (fr, "FR-SGDSN")):
        answer = service.assess(store, viewer, ["FI"])
        assert f"public element replaced: Estlink 2 (link:estlink-2) as contributed by {org}" in answer["notes"]
        cut = service.stress(store, viewer, service.scenario_of(["link:estlink-2"]))
        assert f"public element replaced: Estlink 2 (link:estlink-2) as contributed by {org}" in cut["notes"]
        assert org in cut["contributors"]
    assert _replaced(service.assess(store, people["low"].viewer, ["FI"])) == [
        "public element replaced: Estlink 2 (link:estlink-2) as contributed by FR-SGDSN"]
    # the prankster's organisation withdraws it: ee now gets fi's copy (it may see it), fr the public element
    gone = service.withdraw(store, prankster, source="prank.csv")
    assert [g["ref"] for g in gone["withdrawn"]] == ["link:estlink-2"] and gone["count"] == 1
    assert _fi_ee_mw(store, ee) == 1050.0 and _fi_ee_mw(store, fr) == 1000.0
    assert _replaced(service.assess(store, fr, ["FI"])) == []
    # withdrawing takes only one's own organisation's rows, by source or by element
    assert service.withdraw(store, prankster, source="fi-correction.csv")["count"] == 0
    assert service.withdraw(store, people["fi"], refs=["link:estlink-2"])["count"] == 1
    assert _fi_ee_mw(store, fi) == 1000.0
    with pytest.raises(StoreError, match="name what to withdraw"):
        service.withdraw(store, people["fi"])
    with pytest.raises(StoreError, match="not kind:id"):
        service.withdraw(store, people["fi"], refs=["estlink-2"])


def test_rows_are_read_light_and_each_element_parsed_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review #3: a request re-parsed every contributed row it may see. Now the rows are read without their elements
    and an element is parsed once (by row id): a second read parses nothing, a new contribution parses only itself."""
    people = _people(store)
    parsed: list[str] = []
    real = stored.from_dict

    def counting(data: dict) -> object:
        parsed.append(str(data.get("id")))
        return real(data)

    monkeypatch.setattr(stored, "from_dict", counting)
    rows = "kind,id,countries,lon,lat\n" + "".join(f"landing,l{i},FI,24.{i},60.1\n" for i in range(30))
    service.contribute(store, people["ee"], rows, "landings.csv", Marking.build("UNCLASSIFIED", "GREEN",
                                                                                 originator="EE-ELERING"))
    fi = people["fi"].viewer
    first = service.view(store, fi)
    assert first.used == 31 and sorted(parsed) == sorted(["balticconnector", *(f"l{i}" for i in range(30))])
    parsed.clear()
    for _ in range(3):
        assert service.view(store, fi).used == 31
        service.stress(store, fi, service.scenario_of(["Estlink 2"]))
    service.view(store, people["ee"].viewer)  # another reader, another network: the elements are parsed already
    assert parsed == []
    service.contribute(store, people["ee"], "kind,id,countries,lon,lat\nlanding,new,EE,24.7,59.4\n", "one.csv",
                       Marking.build("UNCLASSIFIED", "GREEN", originator="EE-ELERING"))
    assert service.view(store, fi).used == 32 and parsed == ["new"]


def test_an_organisation_holds_at_most_its_quota(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review #3: one organisation could push the others' rows past the read bound. A contribution that would take
    its organisation over the quota is refused whole, naming the quota; replacing one's own rows is not adding."""
    people = _people(store)  # FI-GASGRID holds 1 element
    monkeypatch.setattr(stored, "QUOTA", 3)
    green = Marking.build("UNCLASSIFIED", "GREEN", originator="EE-ELERING")
    two = "kind,id,countries,lon,lat\nlanding,a,EE,24.7,59.4\nlanding,b,EE,24.8,59.4\n"
    assert service.contribute(store, people["ee"], two, "two.csv", green)["added"] == ["landing:a", "landing:b"]
    assert service.contribute(store, people["ee"], two, "two.csv", green)["replaced"] == ["landing:a", "landing:b"]
    more = "kind,id,countries,lon,lat\nlanding,c,EE,24.7,59.5\nlanding,d,EE,24.8,59.5\n"
    with pytest.raises(StoreError, match=r"EE-ELERING would hold 4 contributed elements; an organisation holds at "
                                         r"most 3 \(the quota; 2 stored now\)"):
        service.contribute(store, people["ee"], more, "more.csv", green)
    assert sorted(r.ref for r in stored.entries(store, None, org="EE-ELERING")[0]) == ["landing:a", "landing:b"]
    assert service.contribute(store, people["fi"], two, "fi.csv", SECRET_FI_EE)["added"] == ["landing:a", "landing:b"]


def test_reaching_the_read_bound_is_said(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review #3: the newest MAX_READ rows were read and the rest dropped silently; now the answer says so."""
    people = _people(store)
    fi = people["fi"].viewer
    assert not any(n.startswith("more than") for n in service.assess(store, fi, ["FI"])["notes"])
    monkeypatch.setattr(stored, "MAX_READ", 1)
    service.contribute(store, people["fi"], "kind,id,countries,lon,lat\nlanding,a,FI,24.7,60.1\n", "a.csv",
                       SECRET_FI_EE)
    seen = service.view(store, fi)
    assert seen.truncated and seen.used == 1 and "balticconnector" not in seen.network.links
    note = "more than 1 contributed elements are visible to you: only the newest 1 were read"
    assert any(n.startswith(note) for n in service.assess(store, fi, ["FI"])["notes"])
    assert any(n.startswith(note) for n in service.stress(store, fi, service.scenario_of(["Estlink 2"]))["notes"])


def test_a_stress_test_is_marked_with_the_contributions_it_used(store: Store) -> None:
    """Review #8: ee's landing REL TO FI and fi's own landing (REL TO its organisation) combine to NO RELEASE. fi's
    stress test on Estlink 2 uses neither (power only): it is public, and recorded as an event fi reads. A stress
    test that uses both cannot be recorded (fi could not read it back): refused, nothing stored."""
    people = _people(store)
    fi = people["fi"]
    rel_fi = Marking.build("RESTRICTED", "AMBER", ["FI"], originator="EE-ELERING")
    own = Marking.build("RESTRICTED", "AMBER", [], originator="FI-GASGRID")
    service.contribute(store, people["ee"], "kind,id,countries,lon,lat\nlanding,ee-l1,EE,24.7,59.4\n", "ee.csv",
                       rel_fi)
    service.contribute(store, fi, "kind,id,countries,lon,lat\nlanding,fi-l1,FI,24.9,60.1\n", "fi.csv", own)
    assert service.view(store, fi.viewer).marking.banner().count("NO RELEASE") == 1  # the whole network: nobody
    eagle = service.stress(store, fi.viewer, service.scenario_of(["Estlink 2"]), record=True, by="fi")
    assert eagle["marking"]["banner"] == "UNCLASSIFIED // TLP:CLEAR" and eagle["contributions"] == 0
    event = store.event(fi.viewer, eagle["event_id"])
    assert event is not None and event["marking"]["banner"] == "UNCLASSIFIED // TLP:CLEAR"
    # the pipeline is gas: removing it uses it, not the landings
    gas = service.stress(store, fi.viewer, service.scenario_of(["Balticconnector"]), record=True, by="fi")
    assert Marking.from_dict(gas["marking"]) == SECRET_FI_EE and gas["contributors"] == ["FI-GASGRID"]
    both = service.scenario_of(["landing:ee-l1", "landing:fi-l1"])
    answer = service.stress(store, fi.viewer, both)
    assert "NO RELEASE" in answer["marking"]["banner"] and answer["contributors"] == ["EE-ELERING", "FI-GASGRID"]
    with pytest.raises(StoreError, match="cannot be recorded: it rests on contributions .*landing:ee-l1 from "
                                         "EE-ELERING.* which you could not read back"):
        service.stress(store, fi.viewer, both, record=True, by="fi")
    with store.session(None) as s:  # nothing stored: the two recorded above only
        assert s.scalar(select(func.count()).select_from(EventRecord)) == 2


def test_assessments_are_kept_per_country_and_share_steps(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review #9: the cache was keyed by the share and the list of countries, so 0.500001 (or another list) forced a
    new EU assessment. A share is now a multiple of 0.05, and each country's assessment is kept on its own."""
    from kompas.infra import assess as engine
    from kompas.infra import stress as stress_engine

    people = _people(store)
    fr = people["fr"].viewer
    computed: list[str] = []
    real = engine.assess_country

    def counting(run: object, country: str, *args: object, **kwargs: object) -> object:
        computed.append(country)
        return real(run, country, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "assess_country", counting)
    monkeypatch.setattr(service, "_RESULTS", OrderedDict())  # the results of earlier tests on the public network
    for share in (0.500001, 0.0, 1.0, 0.97, float("nan")):
        with pytest.raises(StoreError, match="share must be a multiple of 0.05 between 0.05 and 0.95"):
            service.assess(store, fr, ["FI"], share)
    assert computed == []
    service.assess(store, fr, ["FI"], 0.35)
    service.assess(store, fr, ["EE", "FI"], 0.35)
    found = service.assess(store, fr, ["FI", "EE"], 0.35000000001)
    assert computed == ["FI", "EE"] and [c["country"] for c in found["countries"]] == ["FI", "EE"]
    assert found["share"] == 0.35
    service.assess(store, fr, ["FI"], 0.4)
    assert computed == ["FI", "EE", "FI"]
    # a ranking is kept whole: any limit is a slice of it
    ranked: list[int] = []
    real_rank = stress_engine.rank

    def counting_rank(*args: object, **kwargs: object) -> object:
        ranked.append(1)
        return real_rank(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stress_engine, "rank", counting_rank)
    five = service.rank(store, fr, ["FI", "EE"], limit=5)["ranking"]
    four = service.rank(store, fr, ["EE", "FI"], limit=4)["ranking"]
    assert len(ranked) == 1 and four == five[:4] and len(five) == 5


def test_the_listing_names_its_sources_and_the_command_line_withdraws(store: Store) -> None:
    """Review #12: the listing gave elements completed with public fields without the public data's attribution."""
    people = _people(store)
    assert [s["key"] for s in service.contributed(store, people["fi"].viewer)["sources"]] == ["contributed"]
    service.contribute(store, people["fi"], "kind,id,capacity\nlink,estlink-2,700\n", "fi.csv", SECRET_FI_EE)
    listed = service.contributed(store, people["fi"].viewer)
    assert [s["key"] for s in listed["sources"]] == ["contributed", "hvdc"]
    assert "CC-BY-4.0" in listed["sources"][1]["attribution"]
    assert service.contributed(store, people["fr"].viewer)["sources"] == []


@pytest.mark.shared
def test_a_completed_public_cable_lists_telegeography_and_its_licence(store: Store) -> None:
    from tests.infra.conftest import need_shared

    need_shared("cables_2022")
    people = _people(store)
    service.contribute(store, people["fi"], "kind,id,capacity,unit\ncable,c-lion1,144,Tbps\n", "fi.csv",
                       SECRET_FI_EE)
    listed = service.contributed(store, people["fi"].viewer)
    item = next(i for i in listed["items"] if i["ref"] == "cable:c-lion1")
    assert item["replaces_public"] and item["element"]["owners"]  # TeleGeography's owners copied into it
    (cables,) = [s for s in listed["sources"] if s["key"] == "cables"]
    assert "TeleGeography" in cables["attribution"] and "CC BY-NC-SA 3.0" in cables["attribution"]
    assert "non-commercial" in cables["attribution"]


def test_kompas_infra_withdraw_and_the_listings_sources(platform_home, tmp_path) -> None:  # noqa: ANN001 (fixtures)
    """The command line of the two fixes above (tests/cli is another helper's): `kompas infra elements` names the
    public data set an element completes, with its licence; `kompas infra withdraw` takes a contribution back."""
    from typer.testing import CliRunner

    from kompas.cli import app

    runner = CliRunner()
    platform_home("FI-GASGRID", "FI", [("fi", "SECRET", ["energy-fi-ee"])])
    sent = tmp_path / "fi.csv"
    sent.write_text("kind,id,capacity\nlink,estlink-2,700\n")
    assert runner.invoke(app, ["infra", "contribute", str(sent), "--user", "fi"]).exit_code == 0
    listed = runner.invoke(app, ["infra", "elements", "--user", "fi"])
    assert listed.exit_code == 0 and "link:estlink-2" in listed.output
    assert "source: HVDC links and ratings: PyPSA-Eur" in listed.output and "CC-BY-4.0" in listed.output
    done = runner.invoke(app, ["infra", "withdraw", "--user", "fi", "--source", str(sent)])
    assert done.exit_code == 0, done.output
    assert "link:estlink-2" in done.output and "1 elements withdrawn for FI-GASGRID" in done.output
    again = runner.invoke(app, ["infra", "withdraw", "--user", "fi", "--ref", "link:estlink-2"])
    assert again.exit_code == 1 and "0 elements withdrawn" in again.output
    assert runner.invoke(app, ["infra", "withdraw", "--user", "fi"]).exit_code == 2
