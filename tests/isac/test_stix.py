"""STIX 2.1 bundles of ISAC reports: the OASIS stix2-validator accepts them (no errors), Kompas records come back
equal, PAP travels as the OASIS PAP marking definitions, an anonymous contributor's organisation appears nowhere,
a bundle from another tool is read from its standard objects, and what cannot be read is rejected with its place.
All reports are illustrative (made up for the tests)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from stix2validator import ValidationOptions, validate_instance

from kompas.core.markings import Marking
from kompas.core.stix import TLP2_IDS
from kompas.cyber.stix import import_stix as import_cyber_stix
from kompas.isac.load import load_library
from kompas.isac.model import PAP, Attitude, Band, EcefState, IsacReport, Location, Satellite, report_id
from kompas.isac.stix import PAP_EXTENSION, PAP_IDS, export_stix, import_stix, parse_stix

SECRET = Marking.build("SECRET", "AMBER+STRICT", ["BE", "FR", "EU"], ["space-isac"], "DE-DLR", ["NOFORN"])


def _report(n: int, **changes) -> IsacReport:
    base = {"id": report_id("stix-test", str(n)), "title": f"Illustrative report {n}",
            "start_utc": "2026-03-01T06:00:00.123456789Z", "stop_utc": "2026-03-01T09:30:00Z",
            "interference": "jamming", "segment": "link", "link": "downlink", "band": Band(10700.0, 12750.0),
            "satellites": (Satellite(99901, "Example-1"), Satellite(99902, "Example-2")),
            "locations": (Location(57.5, 18.5, 150.0, norad_id=99901, label="point A"),
                          Location(region="Baltic Sea", norad_id=99902, label="area B")),
            "constellation": "Example", "ground_station": "Example teleport", "sparta_ids": ("EX-0016.02", "IMP-0002"),
            "attack_ids": ("T0830",), "pap": PAP.AMBER, "marking": SECRET, "reporter": "DE-DLR",
            "sensor_range": Band(letter="Ku"), "sensor_fov_deg": 2.5,
            "pointing": (Attitude("2026-03-01T06:01:00Z", (0.0, 0.0, 0.0, 1.0)),),
            "state_start": EcefState("2026-03-01T06:00:00Z", (7000.0, 0.0, 0.0), (0.0, 7.5, 0.0)),
            "payload_impact": "downlink lost", "impact_level": "disruption", "references": ("https://example.org/r",)}
    return IsacReport(**(base | changes))


REPORTS = [
    _report(1),
    _report(2, disclosure="named", pap=PAP.RED),
    _report(3, disclosure="pseudonymous", pseudonym="member-7f3a", interference="laser", laser_colour="green",
            band=None, locations=(Location(10.0, 20.0, kind="sub-satellite", norad_id=99901),), pap=PAP.CLEAR,
            marking=Marking.build("UNCLASSIFIED", "CLEAR")),
    _report(4, interference="cyber-intrusion", segment="ground", link="", locations=(), satellites=(),
            pap=PAP.GREEN, sparta_ids=(), marking=Marking.build("RESTRICTED", "GREEN", None, ["csirts"])),
]


def _valid(bundle: dict) -> None:
    """The OASIS validator's verdict: no error (warnings on UUID 5 ids and x_kompas_* properties are expected)."""
    result = validate_instance(json.loads(json.dumps(bundle)), ValidationOptions(version="2.1"))
    assert result.is_valid, result.errors


def test_the_validator_accepts_the_bundle_and_reports_come_back() -> None:
    bundle = export_stix(REPORTS, controls=load_library())
    _valid(bundle)
    back = import_stix(bundle, "b.json")
    assert back.rejections == []
    expected = [r if r.disclosure == "named" else replace(r, reporter="", marking=r.shared_marking) for r in REPORTS]
    assert back.reports == expected
    assert back.reports[1].marking == SECRET  # named: its marking whole, originator and all
    assert export_stix(REPORTS)["objects"] == export_stix(REPORTS)["objects"]  # the same objects every time


def test_two_places_are_two_incidents_each_with_its_satellite() -> None:
    objects = export_stix([REPORTS[0]])["objects"]
    by_id = {o["id"]: o for o in objects}
    incidents = [o for o in objects if o["type"] == "incident"]
    assert len(incidents) == 2
    for incident, norad in zip(incidents, (99901, 99902), strict=True):
        targets = [by_id[o["target_ref"]] for o in objects if o["type"] == "relationship"
                   and o["source_ref"] == incident["id"] and o.get("x_kompas_role") == "affected-satellite"]
        assert [t["x_kompas_norad_id"] for t in targets] == [norad]
    [located] = [o for o in objects if o["type"] == "location" and "latitude" in o]
    assert (located["latitude"], located["longitude"], located["precision"]) == (57.5, 18.5, 150000.0)
    [sparta] = [o for o in objects if o["type"] == "attack-pattern" and o["external_references"][0]["external_id"]
                == "EX-0016.02"]
    assert sparta["external_references"][0] == {"source_name": "sparta", "external_id": "EX-0016.02",
                                                "url": "https://sparta.aerospace.org/technique/EX-0016/02/"}


def test_pap_and_tlp_markings() -> None:
    bundle = export_stix([REPORTS[0]])
    by_id = {o["id"]: o for o in bundle["objects"]}
    report = by_id[f"report--{REPORTS[0].id}"]
    assert TLP2_IDS[SECRET.tlp] in report["object_marking_refs"]
    assert PAP_IDS[PAP.AMBER][0] in report["object_marking_refs"]
    pap = by_id[PAP_IDS[PAP.AMBER][0]]
    assert pap["name"] == "PAP:AMBER" and pap["extensions"][PAP_EXTENSION] == {
        "extension_type": "property-extension", "pap": "amber"}
    # Kompas's cyber reader (which reads OpenCTI's PAP markings as labels) reads the incidents' PAP
    cyber = import_cyber_stix(bundle, "b.json")
    assert cyber.incidents and all("PAP:AMBER" in i.tags for i in cyber.incidents)


def test_an_anonymous_contributor_is_nowhere_in_the_bundle() -> None:
    one, two = _report(5), _report(6)
    text = json.dumps(export_stix([one, two]))
    assert "DE-DLR" not in text
    objects = json.loads(text)["objects"]
    authors = {o["id"]: o["created_by_ref"] for o in objects if o["type"] == "report"}
    assert len(set(authors.values())) == 2  # two anonymous reports cannot be linked by their author
    pseudo = [_report(7, disclosure="pseudonymous", pseudonym="member-7f3a"),
              _report(8, disclosure="pseudonymous", pseudonym="member-7f3a")]
    objects = export_stix(pseudo)["objects"]
    assert len({o["created_by_ref"] for o in objects if o["type"] == "report"}) == 1
    assert "DE-DLR" not in json.dumps(objects)
    named = json.dumps(export_stix([_report(9, disclosure="named")]))
    assert '"name": "DE-DLR"' in named


FOREIGN = {"type": "bundle", "id": "bundle--6a1b2c3d-0000-4000-8000-000000000001", "objects": [
    {"type": "report", "spec_version": "2.1", "id": "report--6a1b2c3d-0000-4000-8000-000000000002",
     "created": "2026-03-09T10:00:00.000Z", "modified": "2026-03-09T10:00:00.000Z",
     "name": "Illustrative EMI anomaly", "description": "Illustrative: unlocked condition, EMI suspected.",
     "published": "2026-03-09T10:00:00.000Z", "report_types": ["threat-report"],
     "object_refs": ["incident--6a1b2c3d-0000-4000-8000-000000000003",
                     "identity--6a1b2c3d-0000-4000-8000-000000000004",
                     "attack-pattern--6a1b2c3d-0000-4000-8000-000000000005",
                     "location--6a1b2c3d-0000-4000-8000-000000000006"],
     "object_marking_refs": [TLP2_IDS[Marking().tlp], PAP_IDS[PAP.GREEN][0]]},
    {"type": "incident", "spec_version": "2.1", "id": "incident--6a1b2c3d-0000-4000-8000-000000000003",
     "created": "2026-03-09T10:00:00.000Z", "modified": "2026-03-09T10:00:00.000Z", "name": "Illustrative anomaly"},
    {"type": "identity", "spec_version": "2.1", "id": "identity--6a1b2c3d-0000-4000-8000-000000000004",
     "created": "2026-03-09T10:00:00.000Z", "modified": "2026-03-09T10:00:00.000Z",
     "name": "Example-3 NORAD ID 99903", "identity_class": "system"},
    {"type": "attack-pattern", "spec_version": "2.1", "id": "attack-pattern--6a1b2c3d-0000-4000-8000-000000000005",
     "created": "2026-03-09T10:00:00.000Z", "modified": "2026-03-09T10:00:00.000Z", "name": "Denial",
     "external_references": [{"source_name": "sparta", "external_id": "IMP-0003"}]},
    {"type": "location", "spec_version": "2.1", "id": "location--6a1b2c3d-0000-4000-8000-000000000006",
     "created": "2026-03-09T10:00:00.000Z", "modified": "2026-03-09T10:00:00.000Z", "latitude": -17.75,
     "longitude": -24.64, "name": "Illustrative point"},
]}


def test_a_bundle_from_another_tool_is_read_from_its_standard_objects() -> None:
    [report] = import_stix(FOREIGN, "foreign.json").reports
    assert (report.title, report.interference, report.norad_ids, report.sparta_ids) == (
        "Illustrative EMI anomaly", "unknown-emi", (99903,), ("IMP-0003",))
    assert report.satellites[0].name == "Example-3" and report.pap is PAP.GREEN
    assert report.start_utc == "2026-03-09T10:00:00.000000000Z"
    assert any("published time taken as the start" in n for n in report.notes)
    assert (report.locations[0].lat_deg, report.locations[0].lon_deg) == (-17.75, -24.64)


def test_what_cannot_be_read_is_rejected_with_its_place() -> None:
    bad = json.loads(json.dumps(FOREIGN))
    bad["objects"][0]["object_marking_refs"].append("marking-definition--6a1b2c3d-0000-4000-8000-0000000000ff")
    [rejected] = import_stix(bad, "bad.json").rejections
    assert (rejected.line, rejected.field) == (1, "object_marking_refs") and "does not define" in rejected.reason
    silent = json.loads(json.dumps(FOREIGN))
    silent["objects"][0]["description"] = "Illustrative: something happened."
    silent["objects"][0]["name"] = "Illustrative anomaly"
    silent["objects"][0]["object_refs"] = silent["objects"][0]["object_refs"][1:]
    silent["objects"][3]["external_references"][0]["external_id"] = "IMP-0002"
    silent["objects"][3]["name"] = "Disruption"
    [rejected] = import_stix(silent, "s.json").rejections
    assert (rejected.line, rejected.field) == (1, "interference")
    assert parse_stix("[1, 2", "x.json").rejections[0].reason.startswith("not JSON")
    assert import_stix({"type": "report"}, "x.json").rejections[0].line == 0


@pytest.mark.parametrize("pap", list(PAP))
def test_every_pap_level_round_trips(pap) -> None:
    report = _report(10, pap=pap, disclosure="named")
    bundle = export_stix([report])
    _valid(bundle)
    assert import_stix(bundle).reports == [report]
