"""MISP event JSON in and out, against real MISP events (CIRCL's OSINT events and a sightings event from PyMISP's
test files, examples/cyber/PROVENANCE.md) and the illustrative phishing event: what is read, the round trips, and
the rejection of precise malformed inputs."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas.core.markings import TLP, Classification, Marking
from kompas.cyber.misp import export_misp, import_misp, parse_misp, read_misp, with_technique_names
from kompas.cyber.model import (
    Annotation,
    Group,
    Incident,
    Nis2,
    Observable,
    Sighting,
    incident_deadlines,
)

SEDNIT = "misp_circl_sednit_2017-12-21.json"
XORIST = "misp_circl_xorist_2016-08-29.json"
URSNIF = "misp_pymisp_sightings_ursnif.json"
PHISHING = "phishing_campaign_illustrative.misp.json"


def _load(examples: Path, name: str) -> dict:
    return json.loads((examples / name).read_text())


def _attributes(event: dict) -> set[tuple]:
    """Every attribute of an event (top level and in objects other than Kompas's own ``kompas-incident``, compared
    by :func:`_kompas_fields`) as (uuid, type, category, value, to_ids, relation, tags)."""
    found = set()
    for holder in [event, *(o for o in event.get("Object", []) if o["name"] != "kompas-incident")]:
        for a in holder.get("Attribute", []):
            found.add((a["uuid"], a["type"], a["category"], a["value"], bool(a["to_ids"]),
                       a.get("object_relation") or "", tuple(sorted(t["name"] for t in a.get("Tag", [])))))
    return found


def _kompas_fields(event: dict) -> set[tuple[str, str]]:
    """The (relation, value) pairs of the ``kompas-incident`` object, times in Kompas's form."""
    from kompas.cyber.model import utc_ms

    found = set()
    for obj in event.get("Object", []):
        if obj["name"] == "kompas-incident":
            found |= {(a["object_relation"], utc_ms(a["value"]) if a["type"] == "datetime" else a["value"])
                      for a in obj["Attribute"]}
    return found


def test_the_sednit_event_is_read_whole(examples) -> None:
    read = read_misp(str(examples / SEDNIT))
    assert read.events == 1 and read.rejections == [] and len(read.incidents) == 1
    i = read.incidents[0]
    assert (i.id, i.title, i.date) == ("5a3c2fcd-8328-42bb-a95e-4f4402de0b81",
                                       "OSINT - Sednit update: How Fancy Bear Spent the Year", "2017-12-21")
    assert i.marking == Marking(Classification.UNCLASSIFIED, TLP.CLEAR)  # tlp:white
    assert (i.threat_level, i.analysis) == ("low", "initial")
    # 9 attributes: a link and a text kept as annotations, 7 domains; 49 objects: 37 files (37 sha1, 15 filenames,
    # 37 "state" texts) and 12 domain-ip pairs
    assert len(i.observables) == 7 + 37 + 15 + 24 and len(i.annotations) == 2 + 37 and len(i.groups) == 49
    assert sum(o.type == "sha1" for o in i.observables) == 37
    assert sum(o.type == "ipv4-addr" for o in i.observables) == 12
    assert i.actors == ("Sofacy",)
    assert i.malware == ("ADVSTORESHELL", "CHOPSTICK", "Downdelph", "JHUHUGIT", "USBStealer", "XAgentOSX", "XTunnel")
    assert i.tools == ("EVILTOSS", "GAMEFISH", "X-Agent", "X-Tunnel")
    assert {g.value for g in i.galaxies if g.galaxy == "exploit-kit"} == {"Sednit EK", "DealersChoice"}
    assert i.tags == ('workflow:state="incomplete"', 'workflow:todo="create-missing-misp-galaxy-cluster-values"',
                      'workflow:todo="create-missing-misp-galaxy-cluster"')
    link = next(a for a in i.annotations if a.misp_type == "link")
    assert link.value == "https://www.welivesecurity.com/2017/12/21/sednit-update-fancy-bear-spent-year/"
    assert link.tags == ('osint:source-type="blog-post"', 'osint:certainty="93"')
    assert i.source_org == "CIRCL"


@pytest.mark.parametrize("name", [SEDNIT, XORIST, URSNIF, PHISHING])
def test_export_keeps_every_tag_and_attribute_of_a_real_event(examples, name) -> None:
    original = _load(examples, name)
    event = original.get("Event", original)
    read = import_misp(original, name)
    assert read.rejections == []
    back = export_misp(read.incidents[0], read.sightings)["Event"]
    before = {t["name"] for t in event["Tag"]}
    after = {t["name"] for t in back["Tag"]}
    # TLP 1.0 WHITE is written as TLP 2.0 CLEAR; an event without a TLP gets Kompas's default, AMBER, stated
    renamed = {"tlp:white": "tlp:clear"}
    assert {renamed.get(t, t) for t in before} <= after
    assert after - {renamed.get(t, t) for t in before} <= {"tlp:amber"}
    assert _attributes(event) == _attributes(back)
    assert _kompas_fields(event) == _kompas_fields(back)
    assert [g["uuid"] for g in event.get("Object", []) if g["name"] != "kompas-incident"] == \
        [g["uuid"] for g in back.get("Object", []) if g["name"] != "kompas-incident"]
    sightings = sum(len(a.get("Sighting", [])) for h in [event, *event.get("Object", [])] for a in h["Attribute"])
    assert sightings == sum(len(a.get("Sighting", [])) for h in [back, *back["Object"]] for a in h["Attribute"])


@pytest.mark.parametrize("name", [SEDNIT, XORIST, URSNIF, PHISHING])
def test_import_of_the_export_gives_the_incident_back(examples, name) -> None:
    read = read_misp(str(examples / name))
    again = import_misp(json.loads(json.dumps(export_misp(read.incidents[0], read.sightings))))
    assert again.rejections == [] and again.incidents == read.incidents and again.sightings == read.sightings


def test_the_xorist_event_keeps_what_it_does_not_read(examples) -> None:
    i = read_misp(str(examples / XORIST)).incidents[0]
    assert sorted((o.type, o.value) for o in i.observables) == [
        ("file-name", "3Z4wnG9603it23y.exe"), ("md5", "0749bae92ca336a02c83d126e04ec628"),
        ("sha1", "77b0c41b7d340b8a3d903f21347bbf06aa766b5b"),
        ("sha256", "b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68")]
    assert sorted(a.misp_type for a in i.annotations) == ["comment", "link", "link", "regkey|value", "text"]
    assert i.tags == ('circl:incident-classification="malware"', 'ms-caro-malware:malware-type="Ransom"',
                      'malware_classification:malware-category="Ransomware"')


def test_sightings_are_counted_per_indicator_observer_and_kind(examples) -> None:
    read = read_misp(str(examples / URSNIF))
    assert read.rejections == [] and len(read.sightings) == 6
    first = read.sightings[0]
    assert first == Sighting("domain-name", "ooiasjdnqjwbeasdasd.com", "2019-02-27T07:52:30Z", count=1,
                             observer="ORGNAME", kind="sighting")
    # the file's sightings: types 0, 1, 1, (2 and 1), 0 on its five attributes, all by ORGNAME
    assert [(s.value, s.kind, s.count) for s in read.sightings] == [
        ("ooiasjdnqjwbeasdasd.com", "sighting", 1), ("eqowiesajenqweasd.com", "false-positive", 1),
        ("dquohwdihaewqdcas.com", "false-positive", 1), ("diqjwhebseqhbasdh.com", "expiration", 1),
        ("diqjwhebseqhbasdh.com", "false-positive", 1),
        ("http://sistemait.it/softaculous/backup/client.rar", "sighting", 1)]


def test_the_illustrative_phishing_event(examples) -> None:
    read = read_misp(str(examples / PHISHING))
    assert read.rejections == []
    i = read.incidents[0]
    assert i.marking.banner() == "UNCLASSIFIED // NTK (cyber-eu) // TLP:AMBER"
    assert (i.rsit_class, i.rsit_type) == ("fraud", "phishing")
    assert i.nis2 == Nis2(sectors=("energy",), subsectors=("electricity",), impact_severity="yellow",
                          impact_outlook="stable", root_cause="malicious-actions", threat_severity="medium",
                          entity_type="essential", significant=True, early_warning_utc="2026-10-14T05:10:00Z")
    assert i.techniques == ("T1056.003", "T1078", "T1204.001", "T1566.002", "T1583.001")
    assert i.member_states == ("DE", "NL") and i.detected_utc == "2026-10-13T07:55:00.000Z"
    victim = next(a for a in i.annotations if a.misp_type == "target-email")
    assert i.marking_of(victim).banner() == "UNCLASSIFIED // NTK (cyber-eu) // TLP:RED"
    assert sorted((s.observer, s.count) for s in read.sightings) == [("DE-BSI", 1), ("NL-NCSC", 2)]
    assert [d.status for d in incident_deadlines(i, "2026-10-16T12:00:00Z")] == ["met", "overdue", "open"]


def test_technique_names_are_written_as_the_attack_galaxy_spells_them(attack_names) -> None:
    i = Incident("6b0a5e2c-4b6f-4a47-9d55-0c0b7e9d2a11", "x", "2026-03-02", techniques=("T1566.002", "T1078"))
    named = with_technique_names(i, attack_names)
    assert named.techniques == i.techniques
    tags = {t["name"] for t in export_misp(named)["Event"]["Tag"]}
    assert {'misp-galaxy:mitre-attack-pattern="Spearphishing Link - T1566.002"',
            'misp-galaxy:mitre-attack-pattern="Valid Accounts - T1078"'} <= tags


# ---------------------------------------------------------------------------------------------------------------
# Rejections of precise malformed inputs
# ---------------------------------------------------------------------------------------------------------------


def _event(examples: Path) -> dict:
    return copy.deepcopy(_load(examples, PHISHING))


def _reasons(read) -> list[tuple[int, str, str]]:
    return [(r.line, r.field, r.reason) for r in read.rejections]


def test_a_bad_attribute_value_rejects_that_attribute_only(examples) -> None:
    data = _event(examples)
    data["Event"]["Attribute"][6]["value"] = "198.51.100.300"
    read = import_misp(data, "upload.json")
    assert len(read.incidents) == 1 and len(read.incidents[0].observables) == 7
    [rejection] = read.rejections
    assert (rejection.source, rejection.line, rejection.field) == ("upload.json", 1, "Event.Attribute[6].value")
    assert "not an IPv4 address" in rejection.reason and rejection.value == "198.51.100.300"
    # its sightings are not kept either: there is no indicator to count them on
    assert read.sightings == []


def test_two_tlps_on_an_event_reject_the_event_but_not_the_next(examples) -> None:
    bad = _event(examples)
    bad["Event"]["Tag"].append({"name": "tlp:green"})
    read = import_misp([bad, _event(examples)], "two.json")
    assert len(read.incidents) == 1 and read.events == 2
    assert _reasons(read) == [(1, "Event.Tag", "tag 'tlp:amber, tlp:green': two different TLP labels on one item")]


@pytest.mark.parametrize("change, field, reason", [
    (lambda e: e["Attribute"][1].update(Tag=[{"name": "tlp:red"}, {"name": "tlp:clear"}]), "Event.Attribute[1].Tag",
     "two different TLP labels"),
    (lambda e: e["Attribute"][1].update(Tag=[{"name": "euci:S-UE/EU-S"}, {"name": "euci:C-UE/EU-C"}]),
     "Event.Attribute[1].Tag", "two different EU classifications"),
    (lambda e: e["Attribute"][1].update(Tag=[{"name": "PAP:BLUE"}]), "Event.Attribute[1].Tag", "PAP has no predicate"),
    (lambda e: e["Attribute"][1].update(deleted=True), "Event.Attribute[1]", "deleted (revoked)"),
    (lambda e: e["Attribute"][1].pop("type"), "Event.Attribute[1].type", "an attribute needs a type"),
    (lambda e: e["Attribute"][1].update(value=None), "Event.Attribute[1].value", "missing or not a string"),
    (lambda e: e["Attribute"][3].update(value="ftp//no-scheme"), "Event.Attribute[3].value", "not a URL"),
    (lambda e: e["Attribute"][1].update(first_seen="last tuesday"), "Event.Attribute[1].first_seen",
     "not an ISO 8601 time"),
    (lambda e: e["Attribute"][6]["Sighting"][0].update(date_sighting="soon"), "Event.Attribute[6].Sighting[0]"
     ".date_sighting", "not a Unix time"),
    (lambda e: e["Attribute"][6]["Sighting"][0].update(type="7"), "Event.Attribute[6].Sighting[0].type",
     "a MISP sighting type is 0 to 3"),
    (lambda e: e["Attribute"][0].update(Sighting=[{"date_sighting": "1760000000"}]), "Event.Attribute[0].Sighting[0]",
     "does not read as an observable"),
    (lambda e: e["Object"][0].update(uuid="not-a-uuid"), "Event.Object[0].uuid", "not a UUID"),
])
def test_attribute_level_problems_reject_that_part_only(examples, change, field, reason) -> None:
    data = _event(examples)
    change(data["Event"])
    read = import_misp(data, "upload.json")
    assert len(read.incidents) == 1, _reasons(read)
    assert [(r.field, reason in r.reason) for r in read.rejections] == [(field, True)], _reasons(read)


@pytest.mark.parametrize("change, field, reason", [
    (lambda e: e.pop("info"), "Event.info", "the MISP core format requires it"),
    (lambda e: e.update(uuid="EVENT-1"), "Event.uuid", "not a UUID"),
    (lambda e: e.update(date="13/10/2026"), "Event.date", "not a date YYYY-MM-DD"),
    (lambda e: e.update(threat_level_id="9"), "Event.threat_level_id", "must be 1 (high) to 4 (undefined)"),
    (lambda e: e.update(Tag=[{"name": "euci:S-UE/EU-S"}, {"name": "tlp:clear"}]), "Event.Tag",
     "TLP:CLEAR (no limit on disclosure) contradicts the classification SECRET UE/EU SECRET"),
    (lambda e: e["Tag"].append({"name": 'rsit:fraud="masquerade"'}), "Event.Tag", "one RSIT classification"),
    (lambda e: e["Tag"].append({"name": 'nis2:impact-sectors-impacted="tourism"'}), "Event.Tag",
     "has no value 'tourism'"),
    (lambda e: e["Tag"].append({"name": 7}), "Event.Tag[18].name", "a tag needs a name"),
    (lambda e: e["Object"][1]["Attribute"][7].update(value="yes"), "Event.Object[1].Attribute[7].value",
     "a MISP boolean is 0 or 1"),
    (lambda e: e["Object"][1]["Attribute"][1].update(value="soon"), "Event.started_utc", "not an ISO 8601 time"),
    (lambda e: e["Object"][1]["Attribute"][6].update(value="critical"), "Event.Object[kompas-incident]"
     ".nis2.entity_type", "essential or important"),
    (lambda e: e["Object"][1]["Attribute"][0].update(object_relation="motive"), "Event.Object[1].Attribute[0]"
     ".object_relation", "not a kompas-incident relation"),
])
def test_event_level_problems_reject_the_event(examples, change, field, reason) -> None:
    data = _event(examples)
    change(data["Event"])
    read = import_misp(data, "upload.json")
    assert read.incidents == []
    assert any(r.field == field and reason in r.reason and r.line == 1 for r in read.rejections), _reasons(read)


def test_files_that_are_not_misp_are_one_rejection() -> None:
    assert _reasons(parse_misp("{not json", "x.json")) == [(0, "", "not JSON: Expecting property name enclosed "
                                                                    "in double quotes (line 1)")]
    assert "not a MISP event file" in parse_misp('{"type": "bundle"}', "x.json").rejections[0].reason
    assert _reasons(import_misp([42], "x.json")) == [(1, "Event", "not a JSON object")]


def test_clear_on_a_classified_attribute_is_rejected(examples) -> None:
    data = _event(examples)
    data["Event"]["Tag"].append({"name": "euci:R-UE/EU-R"})
    data["Event"]["Attribute"][1]["Tag"] = [{"name": "tlp:clear"}]
    read = import_misp(data, "upload.json")
    assert len(read.incidents) == 1
    assert _reasons(read) == [(1, "Event.Attribute[1].Tag", "tag 'tlp:clear': TLP:CLEAR (no limit on disclosure) "
                               "contradicts the classification RESTREINT UE/EU RESTRICTED")]


# ---------------------------------------------------------------------------------------------------------------
# Property: any incident round-trips through MISP
# ---------------------------------------------------------------------------------------------------------------

VALUES = {"ipv4-addr": ["198.51.100.7", "203.0.113.0/24"], "ipv6-addr": ["2001:db8::5"],
          "domain-name": ["evil.example", "xn--bcher-kva.example"], "url": ["https://evil.example/a?b=c'd"],
          "email-addr": ["x@evil.example"], "sha256": ["a" * 64], "md5": ["b" * 32], "file-name": ["invoice.html"],
          "autonomous-system": ["64496"], "vulnerability": ["CVE-2024-3400"], "mutex": ["Global\\m"],
          "windows-registry-key": ["HKLM\\Software\\Run"], "mac-addr": ["00:1a:2b:3c:4d:5e"]}
CLASSES = {"fraud": ["phishing", "masquerade"], "availability": ["ddos"], "malicious-code": ["c2-server"]}


@st.composite
def markings(draw: st.DrawFn) -> Marking:
    level = draw(st.sampled_from(list(Classification)))
    tlp = draw(st.sampled_from([t for t in TLP if not (t == TLP.CLEAR and level > Classification.UNCLASSIFIED)]))
    rel = draw(st.none() | st.frozensets(st.sampled_from(["BE", "FR", "DE-BSI"]), max_size=3))
    clauses = draw(st.frozensets(st.frozensets(st.sampled_from(["cyber-eu", "jcu"]), min_size=1), max_size=2))
    return Marking(level, tlp, rel, clauses, draw(st.frozensets(st.sampled_from(["DE-BSI"]))),
                   draw(st.frozensets(st.sampled_from(["NOFORN", "TLP:EX:CHR"]))))


times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)).map(
    lambda d: d.isoformat(timespec="milliseconds") + "Z")


@st.composite
def incidents(draw: st.DrawFn) -> tuple[Incident, list[Sighting]]:
    kinds = draw(st.lists(st.sampled_from(sorted(VALUES)), max_size=5, unique=True))
    group = Group("0b7a1b52-8f8c-4b8e-9d3a-1f5c2e7a9b10", "file", "file")
    use_group = draw(st.booleans())
    observables = tuple(
        Observable(k, draw(st.sampled_from(VALUES[k])), to_ids=draw(st.booleans()),
                   comment=draw(st.sampled_from(["", "seen in lure"])),
                   tags=draw(st.sampled_from([(), ("PAP:RED",), ('admiralty-scale:source-reliability="c"', "x")])),
                   marking=draw(st.none() | markings()), group=group.id if use_group and n == 0 else "",
                   relation="sha256" if use_group and n == 0 else "")
        for n, k in enumerate(kinds))
    rsit = draw(st.sampled_from([None, *CLASSES]))
    incident = Incident(
        str(draw(st.uuids())), draw(st.text("abc xyz", min_size=1, max_size=20).filter(str.strip)),
        draw(st.none() | st.just("2026-01-01")), draw(markings()), draw(st.sampled_from(["", "what happened"])),
        draw(st.none() | times), draw(st.none() | times), draw(times), rsit,
        draw(st.sampled_from(CLASSES[rsit])) if rsit else None,
        Nis2(sectors=tuple(draw(st.lists(st.sampled_from(["energy", "health", "space"]), max_size=2))),
             impact_severity=draw(st.sampled_from([None, "red"])), entity_type=draw(st.sampled_from([None,
                                                                                                    "important"])),
             significant=draw(st.sampled_from([None, True, False])), test=draw(st.booleans()),
             notification_utc=draw(st.none() | times)),
        tuple(draw(st.lists(st.sampled_from(["DE", "NL", "FR"]), max_size=2))), observables,
        tuple(draw(st.lists(st.sampled_from(["T1566", "T1566.002", "T1078"]), max_size=2))),
        tuple(draw(st.lists(st.sampled_from(["NotPetya", "X-Agent"]), max_size=1))), (),
        tuple(draw(st.lists(st.sampled_from(["Sandworm Team"]), max_size=1))), (),
        draw(st.sampled_from([(), ("PAP:AMBER", "osint:certainty=\"50\"")])),
        (Annotation("text", "context", comment="c"),) if draw(st.booleans()) else (),
        (group,) if use_group else (), draw(st.sampled_from(["high", "undefined"])), "complete",
        draw(st.sampled_from(["", "CERT-EU"])))
    sightings = [Sighting(o.type, o.value, draw(times), None, 1, observer)
                 for o in observables[:2] for observer in draw(st.lists(st.sampled_from(["", "NL-NCSC"]),
                                                                        unique=True, max_size=2))]
    return incident, sightings


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incidents())
def test_any_incident_round_trips_through_misp_json(case) -> None:
    incident, sightings = case
    back = import_misp(json.loads(json.dumps(export_misp(incident, sightings))), "roundtrip")
    assert back.rejections == []
    assert back.incidents == [incident]
    assert sorted(back.sightings, key=repr) == sorted(sightings, key=repr)
