"""ISAC reports as MISP events: Kompas's own MISP reader (kompas.cyber.misp, which follows MISP's core format and
taxonomies) reads them with their tlp: marking and PAP: tag; an anonymous reporter is not named; the Kompas record
comes back whole. Reports are illustrative."""

from __future__ import annotations

import json
from dataclasses import replace

from kompas.core.markings import Marking
from kompas.cyber.misp import import_misp
from kompas.isac.misp import export_misp, report_from_misp
from kompas.isac.model import PAP, Band, IsacReport, Location, Satellite, report_id
from kompas.isac.sparta import Technique, Vocabulary

VOCABULARY = Vocabulary({"IMP-0002": Technique("IMP-0002", "Disruption", ("impact",), "technique",
                                               "00000000-0000-4000-8000-000000000002")}, "illustrative")


def _report(**changes) -> IsacReport:
    base = {"id": report_id("misp-test"), "title": "Illustrative GNSS interference report",
            "start_utc": "2026-03-01T06:00:00Z", "stop_utc": "2026-03-01T09:00:00Z", "interference": "jamming",
            "summary": "Illustrative only.", "band": Band(1575.42, 1575.42),
            "locations": (Location(57.5, 18.5, 150.0, label="point A"),), "satellites": (Satellite(99901, "X-1"),),
            "sparta_ids": ("IMP-0002", "EX-0016.03"), "pap": PAP.AMBER, "impact_level": "disruption",
            "marking": Marking.build("RESTRICTED", "AMBER", ["SE", "FI"], ["space-isac"], "SE-SNSA"),
            "reporter": "SE-SNSA"}
    return IsacReport(**(base | changes))


def test_kompas_misp_reader_reads_the_marking_and_the_pap() -> None:
    report = _report()
    event = export_misp(report, VOCABULARY)
    read = import_misp(event, "event.json")
    assert read.rejections == []
    [incident] = read.incidents
    assert incident.marking == report.shared_marking  # tlp:amber, euci, releasability and need-to-know tags
    assert incident.tags == ("PAP:AMBER",)
    assert [g.tag for g in incident.galaxies] == ['misp-galaxy:sparta-techniques="Disruption"']
    body = event["Event"]
    assert (body["threat_level_id"], body["date"], body["info"]) == ("2", "2026-03-01", report.title)
    assert {"name": "tlp:amber", "exportable": True} in body["Tag"]
    [geo] = [o for o in body["Object"] if o["name"] == "geolocation"]
    assert {(a["object_relation"], a["value"]) for a in geo["Attribute"]} >= {("latitude", "57.500000"),
                                                                               ("longitude", "18.500000")}
    # EX-0016.03 has no name in this vocabulary: written as a text attribute, not as a galaxy cluster
    assert any(a["value"] == "EX-0016.03" for a in body["Attribute"])


def test_an_anonymous_reporter_is_not_in_the_event_and_the_record_comes_back() -> None:
    report = _report()
    event = export_misp(report)
    assert "SE-SNSA" not in json.dumps(event) and "Orgc" not in event["Event"]
    assert report_from_misp(event) == replace(report, reporter="", marking=report.shared_marking)
    named = _report(disclosure="named", pap=PAP.RED)
    event = export_misp(named)
    assert event["Event"]["Orgc"] == {"name": "SE-SNSA"}
    assert {"name": "PAP:RED", "exportable": True} in event["Event"]["Tag"]
    assert {"name": 'kompas-marking:originator="SE-SNSA"', "exportable": True} in event["Event"]["Tag"]
    assert report_from_misp(event) == named
