"""STIX 2.1 export and import of FIMI incidents (with markings), and response support with its citations."""

from __future__ import annotations

import json

import stix2

from kompas.compass.register import quote_problem
from kompas.core.markings import Marking
from kompas.core.stix import export_incidents, import_incidents
from kompas.fimi import stix
from kompas.fimi.disarm import Countermeasure, Framework, Technique
from kompas.fimi.incident import Actor, Channel, Evidence, Incident, Target
from kompas.fimi.load import load_toolbox
from kompas.fimi.response import CATEGORIES, respond
from tests.fimi.conftest import SEEDS, need

INCIDENT = Incident("https://euvsdisinfo.eu/report/x/", "euvsdisinfo", "The virus was made in a US lab",
                    "2020-03-12", "2020-03-14", "Claims spread in four languages.",
                    actors=[Actor("RUS", "state-controlled-outlet", "RUS")],
                    channels=[Channel("RT Arabic", "outlet", "state-controlled-outlet")], languages=["Arabic"],
                    targets=[Target("United States"), Target("EU")], narratives=["coronavirus"],
                    techniques=["T0022", "T0152.006"],
                    evidence=[Evidence("https://euvsdisinfo.eu/report/x/"),
                              Evidence("https://rt.example/a", "https://archive.example/a")], confidence="high")


def test_export_is_valid_stix_and_imports_back_with_its_marking() -> None:
    marking = Marking.build("RESTRICTED", "AMBER", ["NL", "FR"], ["fimi"], "NL")
    item = {"id": "0b7f0f3c-3c53-4f57-9e61-5c1b8a0a1a01", **INCIDENT.as_dict(), "marking": marking.as_dict()}
    bundle = export_incidents([item], {"T0022": "Develop Narratives"})
    kinds = sorted(o["type"] for o in bundle["objects"])
    assert kinds.count("incident") == 1 and kinds.count("attack-pattern") == 2 and kinds.count("threat-actor") == 1
    assert kinds.count("location") == 1  # the United States; "EU" is no country
    for obj in bundle["objects"]:
        stix2.parse(obj, allow_custom=True, version="2.1")  # every object is valid STIX 2.1
    main = next(o for o in bundle["objects"] if o["type"] == "incident")
    assert main["kill_chain_phases"] == [{"kill_chain_name": "disarm", "phase_name": "develop-narratives"}]
    uses = [o for o in bundle["objects"] if o.get("relationship_type") == "uses"]
    assert len(uses) == 2 and all(o["source_ref"] == main["id"] for o in uses)
    pairs, rejected = import_incidents(json.dumps(bundle), "test")
    assert rejected == [] and len(pairs) == 1
    back, back_marking = pairs[0]
    assert back_marking == marking
    assert (back.title, back.first_seen, back.techniques, back.targets) == (
        INCIDENT.title, INCIDENT.first_seen, INCIDENT.techniques, INCIDENT.targets)


def test_a_foreign_stix_incident_is_read_from_standard_properties() -> None:
    pattern = {"type": "attack-pattern", "spec_version": "2.1", "id": "attack-pattern--" + "1" * 8 + "-1111-4111-8111-"
               + "1" * 12, "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z", "name": "Smear",
               "external_references": [{"source_name": "DISARM", "external_id": "T0135.001"}]}
    incident = {"type": "incident", "spec_version": "2.1", "id": "incident--" + "2" * 8 + "-2222-4222-8222-" + "2" * 12,
                "created": "2024-02-01T10:00:00Z", "modified": "2024-02-01T10:00:00Z", "name": "Smear campaign",
                "external_references": [{"source_name": "report", "url": "https://report.example/1"}]}
    relation = {"type": "relationship", "spec_version": "2.1", "id": "relationship--" + "3" * 8 + "-3333-4333-8333-"
                + "3" * 12, "created": "2024-02-01T10:00:00Z", "modified": "2024-02-01T10:00:00Z",
                "relationship_type": "uses", "source_ref": incident["id"], "target_ref": pattern["id"]}
    broken = {"type": "incident", "id": "incident--nope", "name": "x"}
    text = json.dumps({"type": "bundle", "id": "bundle--" + "4" * 8 + "-4444-4444-8444-" + "4" * 12,
                       "objects": [pattern, incident, relation, broken]})
    read, rejected = stix.import_bundle(text, "feed.json")
    assert len(read) == 1 and read[0].techniques == ["T0135.001"] and read[0].first_seen == "2024-02-01"
    assert [e.url for e in read[0].evidence] == ["https://report.example/1"]
    assert [(r.source, r.line) for r in rejected] == [("feed.json", 3)]


def test_response_sorts_countermeasures_into_toolbox_categories() -> None:
    framework = Framework(
        tactics={"TA14": "Develop Narratives"},
        techniques={"T0022": Technique("T0022", "Leverage Conspiracy Theory Narratives", "TA14")},
        countermeasures={
            "C1": Countermeasure("C1", "Inoculate", "M001", "D04", "TA01", "", ("T0022",)),
            "C2": Countermeasure("C2", "Censorship", "M005", "D02", "TA01", "Not recommended.", ("T0022",)),
            "C3": Countermeasure("C3", "Other", "M001", "D04", "TA01", "", ("T0049",))})
    found = respond(["T0022.001", "T0022.001"], framework)
    assert [c.countermeasure.id for c in found.candidates["resilience"]] == ["C1"]  # parent technique counts
    assert found.candidates["resilience"][0].weight == 2
    assert all("C2" not in [c.countermeasure.id for c in v] for v in found.candidates.values())  # not recommended
    assert set(found.as_json()["categories"]) == set(CATEGORIES)


def test_toolbox_citations_hold_in_the_seed_texts() -> None:
    need(SEEDS)
    toolbox = load_toolbox()
    assert set(toolbox.categories) == set(CATEGORIES)
    texts = {p.name: p.read_text().splitlines() for p in SEEDS.glob("*.txt")}
    places = [p for c in toolbox.categories.values() for i in c.instruments for p in i.cite]
    assert len(places) >= 20
    assert [quote_problem(p, texts[p.source]) for p in places if quote_problem(p, texts[p.source])] == []
    rapid = next(i for i in toolbox.categories["prevention"].instruments if i.id == "rapid-alert-system")
    assert rapid.cite[0].first == 1822  # SYSTEMS.md H3: seed 000 l.1822-1824
