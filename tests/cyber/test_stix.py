"""STIX 2.1 bundles of cyber incidents: the OASIS stix2-validator accepts every bundle Kompas exports, incidents and
sightings round-trip with their markings intact (SECRET, need-to-know communities, releasability, observables
under markings of their own), a bundle from another platform is read from its standard objects, and what cannot be
read is rejected with its place."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from stix2validator import ValidationOptions, validate_instance

from kompas.core.markings import TLP, Classification, Marking
from kompas.core.stix import TLP2_IDS
from kompas.cyber.misp import read_misp
from kompas.cyber.model import Incident, Observable, Sighting
from kompas.cyber.stix import export_stix, import_stix, parse_banner, parse_stix, pattern, read_stix
from tests.cyber.test_misp import incidents

EXAMPLE_MISP = ["misp_circl_sednit_2017-12-21.json", "misp_circl_xorist_2016-08-29.json",
                "misp_pymisp_sightings_ursnif.json", "phishing_campaign_illustrative.misp.json"]
STIX_EXAMPLE = "phishing_campaign_illustrative.stix.json"
MARKINGS = [
    Marking(),
    Marking.build("UNCLASSIFIED", "CLEAR"),
    Marking.build("RESTRICTED", "GREEN", None, ["csirts"]),
    Marking.build("SECRET", "AMBER+STRICT", ["BE", "FR", "EU"], ["cyber-eu", "jcu"], "DE-BSI", ["NOFORN"]),
    Marking(Classification.TOP_SECRET, TLP.RED, frozenset(), frozenset({frozenset({"jcu"}), frozenset({"eu-cyclone"})}),
            frozenset({"FR-ANSSI"}), frozenset({"TLP:EX:CHR"})),
]


def _valid(bundle: dict) -> None:
    """The OASIS validator's verdict (STIX 2.1): no error; warnings (UUID 5 ids, x_kompas_* properties) allowed."""
    result = validate_instance(json.loads(json.dumps(bundle)), ValidationOptions(version="2.1"))
    assert result.is_valid, result.errors


def _read(examples: Path, name: str) -> tuple[list[Incident], list[Sighting]]:
    read = read_misp(str(examples / name))
    assert read.rejections == []
    return read.incidents, read.sightings


@pytest.mark.parametrize("name", EXAMPLE_MISP)
@pytest.mark.parametrize("marking", MARKINGS, ids=lambda m: m.banner())
def test_the_validator_accepts_every_export_and_markings_round_trip(examples, name, marking) -> None:
    incidents, sightings = _read(examples, name)
    marked = [replace(i, marking=marking) for i in incidents]
    bundle = export_stix(marked, sightings)
    _valid(bundle)
    back = import_stix(json.loads(json.dumps(bundle)), "bundle.json")
    assert back.rejections == [] and back.incidents == marked and back.sightings == sightings
    assert back.incidents[0].marking == marking


def test_observables_under_markings_of_their_own_keep_them(examples) -> None:
    incidents, sightings = _read(examples, "phishing_campaign_illustrative.misp.json")
    secret = MARKINGS[3]
    incident = incidents[0]
    observables = tuple(replace(o, marking=secret) if o.type == "ipv4-addr" else o for o in incident.observables)
    incident = replace(incident, observables=observables)
    bundle = export_stix([incident], [(sightings[0], MARKINGS[4])])
    _valid(bundle)
    by_id = {o["id"]: o for o in bundle["objects"]}
    statement = {o["definition"]["statement"]: o["id"] for o in bundle["objects"]
                 if o["type"] == "marking-definition" and o.get("definition_type") == "statement"}
    ip = next(o for o in bundle["objects"] if o["type"] == "ipv4-addr" and o["value"] == "198.51.100.23")
    assert statement[secret.banner()] in ip["object_marking_refs"] and TLP2_IDS[TLP.AMBER_STRICT] in \
        ip["object_marking_refs"]
    url = next(o for o in bundle["objects"] if o["type"] == "url")
    assert statement[incident.marking.banner()] in url["object_marking_refs"]
    sighting = next(o for o in bundle["objects"] if o["type"] == "sighting")
    assert statement[MARKINGS[4].banner()] in sighting["object_marking_refs"]
    assert by_id[sighting["sighting_of_ref"]]["pattern"] == "[ipv4-addr:value = '198.51.100.23']"
    assert by_id[sighting["where_sighted_refs"][0]]["name"] == sightings[0].observer
    back = import_stix(bundle)
    assert back.incidents == [incident] and back.sightings == [sightings[0]]


def test_the_export_speaks_attack_and_never_attributes(examples) -> None:
    incidents, _ = _read(examples, "misp_circl_sednit_2017-12-21.json")
    incident = replace(incidents[0], techniques=("T1566.001",))
    bundle = export_stix([incident])
    kinds = [o["type"] for o in bundle["objects"]]
    assert kinds.count("malware") == 7 and kinds.count("tool") == 4 and kinds.count("threat-actor") == 1
    pattern_ = next(o for o in bundle["objects"] if o["type"] == "attack-pattern")
    assert pattern_["external_references"] == [{"source_name": "mitre-attack", "external_id": "T1566.001",
                                                "url": "https://attack.mitre.org/techniques/T1566/001/"}]
    actor = next(o for o in bundle["objects"] if o["type"] == "threat-actor")
    link = next(o for o in bundle["objects"] if o["type"] == "relationship" and o["target_ref"] == actor["id"])
    assert (link["relationship_type"], link["description"]) == ("related-to", "named by the source; not an "
                                                                              "attribution")
    assert "attributed-to" not in {o.get("relationship_type") for o in bundle["objects"]}
    main = next(o for o in bundle["objects"] if o["type"] == "incident")
    assert main["external_references"] == [{"source_name": "CIRCL", "url": "https://www.welivesecurity.com/2017/12/"
                                                                          "21/sednit-update-fancy-bear-spent-year/"}]
    # an indicator per distinct to_ids observable (the event repeats some hashes and addresses across its objects)
    assert sum(o["type"] == "indicator" for o in bundle["objects"]) == len({o.key for o in incident.observables
                                                                            if o.to_ids}) == 81


def test_a_bundle_from_another_platform_is_read_from_its_standard_objects(examples) -> None:
    read = read_stix(str(examples / STIX_EXAMPLE))
    assert read.rejections == [] and len(read.incidents) == 1
    i = read.incidents[0]
    assert i.title.startswith("[ILLUSTRATIVE] Spearphishing links against a gas transmission operator")
    assert i.marking == Marking(tlp=TLP.GREEN) and i.source_org == "Kompas examples (illustrative)"
    assert (i.rsit_class, i.rsit_type, i.nis2.sectors, i.nis2.subsectors) == ("fraud", "phishing", ("energy",),
                                                                              ("gas",))
    assert i.techniques == ("T1056.003", "T1566.002", "T1608.005")
    assert i.tags == ("PAP:GREEN", 'admiralty-scale:source-reliability="c"',
                      'admiralty-scale:information-credibility="3"')
    assert [(o.type, o.value, o.to_ids) for o in i.observables] == [
        ("url", "https://gas-netz-anmeldung.example/portal/login", True),
        ("domain-name", "gas-netz-anmeldung.example", True), ("ipv4-addr", "198.51.100.23", True),
        ("ipv4-addr", "192.0.2.41", False)]
    assert read.sightings == [Sighting("ipv4-addr", "198.51.100.23", "2026-10-19T08:02:00Z", "2026-10-20T06:45:00Z",
                                       3, "AT-CERT")]
    _valid(json.loads((examples / STIX_EXAMPLE).read_text()))
    again = import_stix(export_stix(read.incidents, read.sightings))
    assert again.incidents == read.incidents and again.sightings == read.sightings


def test_a_kompas_export_stripped_of_its_custom_properties_still_reads(examples) -> None:
    incidents, sightings = _read(examples, "phishing_campaign_illustrative.misp.json")
    marking = MARKINGS[3]
    incident = replace(incidents[0], marking=marking)
    bundle = export_stix([incident], sightings)
    for obj in bundle["objects"]:
        obj.pop("x_kompas_incident", None)
    back = import_stix(bundle).incidents[0]
    assert back.marking == marking  # from the statement's x_kompas_marking
    assert (back.rsit_class, back.rsit_type, back.techniques) == (incident.rsit_class, incident.rsit_type,
                                                                 incident.techniques)
    assert {o.key for o in back.observables} == {o.key for o in incident.observables}
    assert back.tags == incident.tags
    for obj in bundle["objects"]:
        obj.pop("x_kompas_marking", None)
    # the banner alone: everything but the originators, which a banner does not print
    assert import_stix(bundle).incidents[0].marking == replace(marking, originators=frozenset())


def test_banners_parse_back_to_their_markings() -> None:
    for marking in MARKINGS:
        assert parse_banner(marking.banner()) == replace(marking, originators=frozenset())
    assert parse_banner("Copyright 2026 Example Corp") is None


def test_patterns_escape_quotes_and_backslashes() -> None:
    assert pattern(Observable("url", "https://a.example/it's")) == "[url:value = 'https://a.example/it\\'s']"
    assert pattern(Observable("windows-registry-key", "HKLM\\Run")) == \
        "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Run']"
    assert pattern(Observable("sha256", "A" * 64)) == f"[file:hashes.'SHA-256' = '{'a' * 64}']"
    assert pattern(Observable("autonomous-system", "AS64496")) == "[autonomous-system:number = 64496]"
    assert pattern(Observable("vulnerability", "CVE-2024-3400")) is None


# ---------------------------------------------------------------------------------------------------------------
# Rejections
# ---------------------------------------------------------------------------------------------------------------


def _bundle(examples: Path) -> dict:
    return copy.deepcopy(json.loads((examples / STIX_EXAMPLE).read_text()))


def _find(bundle: dict, kind: str) -> tuple[int, dict]:
    return next((n, o) for n, o in enumerate(bundle["objects"]) if o["type"] == kind)


@pytest.mark.parametrize("change, kind, field, reason", [
    (lambda o: o.update(object_marking_refs=["marking-definition--0b8c4a3e-1111-4f1e-9d3a-1f5c2e7a9b10"]),
     "incident", "object_marking_refs", "which the bundle does not define"),
    (lambda o: o.update(object_marking_refs=[TLP2_IDS[TLP.GREEN], TLP2_IDS[TLP.RED]]), "incident",
     "object_marking_refs", "two different TLPs on one object: TLP:GREEN, TLP:RED"),
    (lambda o: o.update(granular_markings=[{"marking_ref": TLP2_IDS[TLP.RED], "selectors": ["description"]}]),
     "incident", "object_marking_refs", "granular markings are not read"),
    (lambda o: o.pop("name"), "incident", "incident", "not a STIX 2.1 incident"),
    (lambda o: o.update(labels=["tlp:red"]), "incident", "labels", "a marking stated as a label"),
    (lambda o: o.update(labels=['rsit:fraud="spam"']), "incident", "labels", "has no value 'spam'"),
    (lambda o: o.update(pattern="[ipv4-addr:value = '198.51.100.23'] OR [domain-name:value = 'x.example']"),
     "indicator", "pattern", "only a single comparison"),
    (lambda o: o.update(pattern="[process:name = 'evil.exe']"), "indicator", "pattern", "only a single comparison"),
    (lambda o: o.update(pattern="[ipv4-addr:value = '198.51.100.300']"), "indicator", "value", "not an IPv4"),
    (lambda o: o.update(sighting_of_ref="indicator--0b8c4a3e-2222-4f1e-9d3a-1f5c2e7a9b10"), "sighting",
     "sighting_of_ref", "not an indicator in the bundle"),
    (lambda o: o.update(count=0), "sighting", "count", "at least 1"),
])
def test_what_cannot_be_read_is_rejected_with_its_place(examples, change, kind, field, reason) -> None:
    bundle = _bundle(examples)
    n, obj = _find(bundle, kind)
    change(obj)
    read = import_stix(bundle, "shared.json")
    found = [r for r in read.rejections if r.field == field and reason in r.reason]
    assert found, [(r.line, r.field, r.reason) for r in read.rejections]
    assert found[0].source == "shared.json" and found[0].line == n + 1 and found[0].value == obj["id"]
    if kind == "incident":
        assert read.incidents == []
    else:
        assert len(read.incidents) == 1


def test_unknown_marking_definitions_are_rejected_and_known_ones_read(examples) -> None:
    bundle = _bundle(examples)
    _, incident = _find(bundle, "incident")
    extra = [{"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--0b8c4a3e-3333-4f1e-9d3a"
              "-1f5c2e7a9b10", "created": "2026-01-01T00:00:00.000Z", "definition_type": "statement",
              "definition": {"statement": "Copyright 2026 Example CERT"}},
             {"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--0b8c4a3e-4444-4f1e-9d3a"
              "-1f5c2e7a9b10", "created": "2026-01-01T00:00:00.000Z", "definition_type": "PAP", "name": "PAP:RED",
              "definition": {"PAP": "PAP:RED"}}]
    bundle["objects"] += extra
    incident["object_marking_refs"] += [e["id"] for e in extra]
    incident["labels"] = [label for label in incident["labels"] if not label.startswith("PAP")]
    read = import_stix(bundle)
    assert read.rejections == []
    assert read.incidents[0].marking.caveats == {"COPYRIGHT 2026 EXAMPLE CERT"}
    assert "PAP:RED" in read.incidents[0].tags
    bundle["objects"][-1]["definition_type"] = "nato"
    bundle["objects"][-1]["name"] = "NATO RESTRICTED"
    assert "is not one Kompas reads" in import_stix(bundle).rejections[0].reason


def test_files_that_are_not_bundles_are_one_rejection() -> None:
    assert parse_stix("[1, 2", "x.json").rejections[0].reason.startswith("not JSON")
    assert parse_stix('{"type": "report"}', "x.json").rejections[0].reason.startswith("not a STIX bundle")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incidents())
def test_any_incident_round_trips_through_a_valid_bundle(case) -> None:
    incident, sightings = case
    bundle = export_stix([incident], sightings)
    _valid(bundle)
    back = import_stix(json.loads(json.dumps(bundle)))
    assert back.rejections == [] and back.incidents == [incident]
    assert sorted(back.sightings, key=repr) == sorted(sightings, key=repr)
