"""Sharing cyber incidents through the platform (issue 23, item 2), on SQLite and PostgreSQL:

- a MISP event (the illustrative phishing event: TLP:AMBER, need-to-know cyber-eu, a TLP:RED victim mailbox) and a
  STIX 2.1 bundle (the related gas-sector incident, TLP:GREEN) shared by two members round-trip through Kompas with
  their markings intact: exported again, MISP's tags and STIX's marking definitions give back the markings stored;
- each incident is an event in the common envelope (domain cyber) with its techniques for the response engine;
- the sightings both files carry of the address both incidents name merge on the indicator; a reader outside cyber-eu
  sees neither the MISP incident nor its sightings; a marking above the contributor's clearance is refused (the
  item and why), the rest goes through;
- CIRCL's real Sednit event (tlp:white) is shared and exported as MISP with every tag it held."""

from __future__ import annotations

import json

from kompas.core.markings import Marking
from kompas.core.store import Store
from kompas.cyber.misp import parse_misp
from kompas.cyber.stix import parse_stix
from kompas.services import cyber as service
from tests.conftest import REPO
from tests.core import conftest as databases

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures: SQLite, PostgreSQL

EXAMPLES = REPO / "examples" / "cyber"
MISP = EXAMPLES / "phishing_campaign_illustrative.misp.json"
STIX = EXAMPLES / "phishing_campaign_illustrative.stix.json"
SEDNIT = EXAMPLES / "misp_circl_sednit_2017-12-21.json"
SHARED_ADDRESS = ("ipv4-addr", "198.51.100.23")


def _people(store: Store) -> dict:
    store.add_org("DE-BSI", "DE")
    store.add_org("AT-CERT", "AT")
    store.add_org("PT-CNCS", "PT")
    return {"de": store.authenticate(store.add_user("de", "DE-BSI", "SECRET", ["cyber-eu"])),
            "at": store.authenticate(store.add_user("at", "AT-CERT", "SECRET", ["cyber-eu"])),
            "pt": store.authenticate(store.add_user("pt", "PT-CNCS", "RESTRICTED")),
            "low": store.authenticate(store.add_user("low", "PT-CNCS", "UNCLASSIFIED", ["cyber-eu"]))}


def test_misp_and_stix_round_trip_with_markings_intact_and_sightings_merge(store: Store) -> None:
    people = _people(store)
    de, at, pt = people["de"], people["at"], people["pt"]
    misp = service.ingest(store, de, MISP.read_text(), str(MISP))
    assert misp.format == "misp" and len(misp.added) == 1 and misp.rejected == [], misp.rejected
    stix = service.ingest(store, at, STIX.read_text(), str(STIX))
    assert stix.format == "stix" and len(stix.added) == 1 and stix.rejected == [], stix.rejected
    (misp_id,), (stix_id,) = misp.added, stix.added

    # the markings as the sources gave them (the contributor as originator)
    listed = {i["id"]: i for i in service.incident_list(store, de.viewer)["items"]}
    assert set(listed) == {misp_id, stix_id}
    misp_marking = Marking.from_dict(listed[misp_id]["shared_under"])
    # the listing's marking covers the parts it shows: the victim mailbox marked TLP:RED apart
    assert Marking.from_dict(listed[misp_id]["marking"]).tlp.name == "RED"
    assert (misp_marking.tlp.name, misp_marking.communities, misp_marking.originators) == (
        "AMBER", frozenset({"cyber-eu"}), frozenset({"DE-BSI"}))
    assert Marking.from_dict(listed[stix_id]["shared_under"]).tlp.name == "GREEN"
    assert listed[misp_id]["rsit_class"] == "fraud" and listed[misp_id]["rsit_type"] == "phishing"
    assert [c["report"] for c in listed[misp_id]["nis2_clocks"]] == ["early-warning", "incident-notification",
                                                                     "final-report"]

    # round trip: export, read back, the same markings and the same observables
    exported, used = service.export(store, de.viewer, [misp_id], "misp")  # type: ignore[misc]
    again = parse_misp(json.dumps(exported), "export")
    assert again.rejections == [] and len(again.incidents) == 1
    back = again.incidents[0]
    assert back.marking == misp_marking and used.classification >= misp_marking.classification
    original = parse_misp(MISP.read_text(), "original").incidents[0]
    assert {o.key for o in back.observables} == {o.key for o in original.observables}
    red = [a for a in back.annotations if a.marking is not None and a.marking.tlp.name == "RED"]
    assert [a.misp_type for a in red] == ["target-email"], "the attribute-level TLP:RED survives the round trip"
    bundle, _ = service.export(store, at.viewer, [stix_id], "stix")  # type: ignore[misc]
    read = parse_stix(json.dumps(bundle), "export")
    assert read.rejections == [] and read.incidents[0].marking == Marking.from_dict(listed[stix_id]["shared_under"])

    # the shared address: the sightings that came with DE's event and AT's bundle merge; each is its sharer's,
    # known to whoever may see the incident it came with (its "shared by" says as much)
    (both,) = service.indicators(store, de.viewer, [SHARED_ADDRESS])
    assert both["sightings"] >= 2 and both["observers"] == ["AT-CERT", "DE-BSI"] and both["undisclosed"] == 0
    (at_view,) = service.indicators(store, at.viewer, [SHARED_ADDRESS])
    assert at_view["sightings"] >= 2
    assert [i["id"] for i in service.incident_list(store, pt.viewer)["items"]] == [stix_id]
    pt_sees = service.indicators(store, pt.viewer)
    assert [i["value"] for i in pt_sees] == ["198.51.100.23"]  # the bundle's sighting, not the cyber-eu event's
    for item in pt_sees:
        assert Marking.from_dict(item["marking"]).communities == frozenset()
    # the events in the envelope: the response engine reads their techniques
    event = store.event(de.viewer, misp_id)
    assert event is not None and event["domain"] == "cyber" and "T1566.002" in event["detail"]["techniques"]


def test_an_incident_marked_above_the_contributor_is_refused_and_the_rest_goes_through(store: Store) -> None:
    people = _people(store)
    records = [{"title": "ok", "date": "2026-11-02", "rsit_class": "fraud", "rsit_type": "phishing"},
               {"title": "too high", "date": "2026-11-03",
                "marking": {"classification": "TOP_SECRET", "tlp": "AMBER"}},
               {"title": "bad class", "date": "2026-11-04", "rsit_class": "weather", "rsit_type": "rain"}]
    done = service.ingest(store, people["pt"], json.dumps(records), "records.json",
                          marking=Marking.build("RESTRICTED", "AMBER", originator="PT-CNCS"))
    assert done.format == "json" and len(done.added) == 1
    reasons = {r.field: r.reason for r in done.rejected}
    assert "rsit_class" in reasons and "not an RSIT class" in reasons["rsit_class"]
    assert "marking" in reasons and "above your clearance" in reasons["marking"]
    (item,) = service.incident_list(store, people["pt"].viewer)["items"]
    assert item["title"] == "ok" and item["marking"]["classification"] == "RESTRICTED"


def test_circls_sednit_event_keeps_every_tag(store: Store) -> None:
    people = _people(store)
    done = service.ingest(store, people["pt"], SEDNIT.read_text(), str(SEDNIT))
    assert len(done.added) == 1 and done.rejected == [], done.rejected
    exported, marking = service.export(store, people["pt"].viewer, done.added, "misp")  # type: ignore[misc]
    original = json.loads(SEDNIT.read_text())
    event = original.get("Event", original)
    tags = {t["name"] for t in event["Tag"]} - {"tlp:white"}
    assert tags <= {t["name"] for t in exported["Event"]["Tag"]}
    assert "tlp:clear" in {t["name"] for t in exported["Event"]["Tag"]} and marking.tlp.name == "CLEAR"
    assert len(exported["Event"]["Object"]) == len(event["Object"])


def test_parts_marked_apart_are_shown_only_to_who_may_see_them(store: Store) -> None:
    """An observable marked apart (REL TO DE-BSI) in an incident AT may see, with the same value also shared
    openly, and a MISP object whose only member is that hidden observable: AT gets the open copy only, no trace of
    the hidden one's comment, object or marking, the event counts only what AT may see, and DE's listing is marked
    with what it shows (TLP:RED)."""
    people = _people(store)
    de, at = people["de"], people["at"]
    hidden = {"classification": "UNCLASSIFIED", "tlp": "RED", "releasable_to": ["DE-BSI"]}
    record = {"title": "C2 seen at two operators", "date": "2026-10-01", "rsit_class": "intrusions",
              "rsit_type": "system-compromise",
              "marking": {"classification": "UNCLASSIFIED", "tlp": "AMBER", "communities": [["cyber-eu"]]},
              "observables": [{"type": "ipv4-addr", "value": "198.51.100.9", "comment": "public"},
                              {"type": "ipv4-addr", "value": "198.51.100.9", "comment": "inside victim VPN",
                               "group": "c0ffee00-0000-4000-8000-000000000001", "marking": hidden}],
              "groups": [{"id": "c0ffee00-0000-4000-8000-000000000001", "name": "victim-host",
                          "comment": "Hospital X jump host"}]}
    done = service.ingest(store, de, json.dumps([record]), "apart.json")
    assert len(done.added) == 1 and done.rejected == [], done.rejected
    (mine,) = service.incident_list(store, de.viewer)["items"]
    assert len(mine["observables"]) == 2 and mine["groups"] and mine["marking"]["tlp"] == "RED"
    (theirs,) = service.incident_list(store, at.viewer)["items"]
    text = json.dumps(theirs)
    assert [o["comment"] for o in theirs["observables"]] == ["public"] and theirs["groups"] == []
    assert "victim VPN" not in text and "Hospital X" not in text and "RED" not in text
    event = store.event(at.viewer, theirs["id"])
    assert event is not None and event["evidence"]["observables"] == 1
    for fmt in ("misp", "stix"):
        exported, marking = service.export(store, at.viewer, [theirs["id"]], fmt)  # type: ignore[misc]
        assert "victim VPN" not in json.dumps(exported) and marking.tlp.name == "AMBER"


def test_what_may_not_be_shared_is_refused_before_anything_is_stored(store: Store) -> None:
    """A part marked above the contributor (TOP SECRET in an UNCLASSIFIED user's file) refuses its incident, naming
    the marking, and stores nothing of it; a time outside 1970..2100 is refused at its field (the NIS2 clocks of a
    stored incident never overflow); the same title and date as another organisation's hidden incident is simply
    another incident (no refusal tells of the hidden one)."""
    people = _people(store)
    pt = people["pt"]
    secret_part = {"title": "too secret a part", "date": "2026-10-02",
                   "observables": [{"type": "domain-name", "value": "x.example",
                                    "marking": {"classification": "TOP_SECRET", "tlp": "AMBER"}}]}
    far = {"title": "far future", "date": "2026-10-03", "detected_utc": "9999-12-31T12:00:00Z"}
    done = service.ingest(store, pt, json.dumps([secret_part, far]), "bad.json")
    assert done.added == [] and {r.field for r in done.rejected} == {"marking", "detected_utc"}
    assert any("above your clearance" in r.reason for r in done.rejected)
    assert service.incident_list(store, None)["items"] == []
    hidden = {"title": "Ransomware at Klinikum Nord", "date": "2026-10-12",
              "marking": {"classification": "SECRET", "tlp": "AMBER", "releasable_to": ["DE-BSI"]}}
    assert len(service.ingest(store, people["de"], json.dumps([hidden]), "de.json").added) == 1
    guess = service.ingest(store, pt, json.dumps([{"title": "Ransomware at Klinikum Nord", "date": "2026-10-12"}]),
                           "pt.json")
    assert len(guess.added) == 1 and guess.rejected == []
    assert [i["title"] for i in service.incident_list(store, pt.viewer)["items"]] == ["Ransomware at Klinikum Nord"]
    assert len(service.incident_list(store, None)["items"]) == 2
