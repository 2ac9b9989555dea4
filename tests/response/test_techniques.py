"""Technique -> countermeasure lookups against the frameworks' own data: ATT&CK's ``mitigates`` and ``uses``
relationships, SPARTA's galaxy clusters, DISARM's blue framework, and the counts ../shared's PROVENANCE.md states."""

from __future__ import annotations

import json
import re

import pytest

from kompas.response.techniques import (
    Catalogue,
    Countermeasure,
    actors_using,
    attack_catalogue,
    attack_groups_for_software,
    countermeasures,
    countermeasures_by_shared_controls,
    disarm_catalogue,
    find_attack,
    parse_attack,
    parse_sparta,
    software_techniques,
    sparta_catalogue,
    sparta_controls,
    technique_name,
)

from .conftest import CYBER_PROVENANCE, SPACE_PROVENANCE, SPARTA, need


def stated(provenance, file: str, label: str, before: str = "") -> int:
    """The count PROVENANCE.md states in the table row of ``file`` before ``label`` (``691 attack-patterns``), or
    after ``before`` (``execution 59``)."""
    row = next(line for line in provenance.read_text().splitlines() if line.startswith(f"| `{file}`"))
    pattern = rf"\b{re.escape(before)} ([\d,]+)" if before else rf"([\d,]+) {re.escape(label)}"
    found = re.search(pattern, row)
    assert found, f"PROVENANCE.md no longer states '{pattern}' for {file}"
    return int(found[1].replace(",", ""))


# --- ATT&CK ----------------------------------------------------------------------------------------------------

def test_attack_counts_equal_the_provenance(attack, attack_ics) -> None:
    need(CYBER_PROVENANCE)
    enterprise, ics = "attack/enterprise-attack-v18.1.stix21.json.gz", "attack/ics-attack-v18.1.stix21.json.gz"
    for label, kind in (("attack-patterns", "attack-pattern"), ("intrusion-sets", "intrusion-set"),
                        ("malware", "malware"), ("tools", "tool"), ("campaigns", "campaign"),
                        ("mitigations", "course-of-action")):
        assert len(attack.of_type(kind)) == stated(CYBER_PROVENANCE, enterprise, label), label
    for label in ("uses", "mitigates", "attributed-to"):
        assert attack.relationships[label] == stated(CYBER_PROVENANCE, enterprise, label), label
    assert attack.skipped == 0  # every uses/mitigates/attributed-to relationship joins active objects
    for label, kind in (("techniques", "attack-pattern"), ("groups", "intrusion-set"), ("malware", "malware"),
                        ("campaigns", "campaign"), ("mitigations", "course-of-action")):
        assert len(attack_ics.of_type(kind)) == stated(CYBER_PROVENANCE, ics, label), label
    for label in ("uses", "mitigates", "attributed-to"):
        assert attack_ics.relationships[label] == stated(CYBER_PROVENANCE, ics, label), label


def test_three_mitigates_relationships_of_attack(attack) -> None:
    catalogue = attack_catalogue(attack)
    assert technique_name(catalogue, "T1485") == "Data Destruction"
    assert technique_name(catalogue, "T1561.001") == "Disk Content Wipe"
    # ATT&CK v18.1: M1053 Data Backup mitigates T1485 and T1561.001; M1037 Filter Network Traffic mitigates T1498
    # (its only mitigation); M1032 Multi-factor Authentication mitigates T1078 Valid Accounts
    found = countermeasures(catalogue, ["T1485", "T1561.001"])
    assert found[0].countermeasure == Countermeasure("attack-enterprise", "M1053", "Data Backup")
    assert found[0].techniques == ("T1485", "T1561.001")
    assert {c.countermeasure.id for c in found} == {"M1053", "M1032", "M1018"}
    assert [(c.countermeasure.id, c.countermeasure.name) for c in countermeasures(catalogue, ["T1498"])] == [
        ("M1037", "Filter Network Traffic")]
    assert "M1032" in {c.countermeasure.id for c in countermeasures(catalogue, ["T1078"])}
    assert len(countermeasures(catalogue, ["T1078"])) == 8
    assert countermeasures(catalogue, ["T9999"]) == []


def test_a_sub_technique_takes_its_parents_mitigations(attack) -> None:
    catalogue = attack_catalogue(attack)
    # T1566 Phishing's own mitigations apply to a sub-technique ATT&CK has no mitigation for in particular
    parent = {c.countermeasure.id for c in countermeasures(catalogue, ["T1566"])}
    assert parent and parent <= {c.countermeasure.id for c in countermeasures(catalogue, ["T1566.001"])}


def test_acidrain_is_used_by_sandworm(attack) -> None:
    assert find_attack(attack, "AcidRain") == "S1125"
    assert find_attack(attack, "sandworm team") == find_attack(attack, "APT44") == "G0034"
    assert attack_groups_for_software(attack, "S1125") == ["G0034"]
    assert actors_using(attack, "S1125")[0] == ("G0034", "Sandworm Team", "uses")
    assert attack_groups_for_software(attack, "S0366") == ["G0032"]  # WannaCry <- Lazarus Group
    assert software_techniques(attack, "S1125") == ("T1083", "T1485", "T1529", "T1561.001")


def test_actors_using_a_technique_follow_campaigns_and_software(attack) -> None:
    direct = actors_using(attack, "T1561.001")
    assert ("G0032", "Lazarus Group", "uses") in direct
    assert any(a.via.startswith("campaign C") for a in direct)
    wide = actors_using(attack, "T1561.001", via_software=True)
    assert {a.group for a in direct} < {a.group for a in wide}
    assert "G0034" not in {a.group for a in direct}
    assert any(a.group == "G0034" and a.via.startswith("software S") for a in wide)  # e.g. through AcidRain


def test_ics_mitigations_and_uses(attack_ics) -> None:
    catalogue = attack_catalogue(attack_ics)
    assert catalogue.framework == "attack-ics"
    assert [c.countermeasure.id for c in countermeasures(catalogue, ["T0814"])] == ["M0815"]  # Watchdog Timers
    assert technique_name(catalogue, "T0855") == "Unauthorized Command Message"
    assert attack_groups_for_software(attack_ics, find_attack(attack_ics, "Industroyer2")) == ["G0034"]


def test_revoked_and_deprecated_objects_are_left_out() -> None:
    bundle = {"type": "bundle", "objects": [
        {"type": "course-of-action", "id": "course-of-action--1", "name": "Old",
         "x_mitre_deprecated": True, "external_references": [{"source_name": "mitre-attack", "external_id": "T1"}]},
        {"type": "course-of-action", "id": "course-of-action--2", "name": "Backup",
         "external_references": [{"source_name": "mitre-attack", "external_id": "M1"}]},
        {"type": "attack-pattern", "id": "attack-pattern--1", "name": "Wipe",
         "external_references": [{"source_name": "mitre-attack", "external_id": "T9"}]},
        {"type": "relationship", "relationship_type": "mitigates", "source_ref": "course-of-action--1",
         "target_ref": "attack-pattern--1"},
        {"type": "relationship", "relationship_type": "mitigates", "source_ref": "course-of-action--2",
         "target_ref": "attack-pattern--1"},
        {"type": "relationship", "relationship_type": "mitigates", "source_ref": "course-of-action--2",
         "target_ref": "attack-pattern--1", "revoked": True},
    ]}
    index = parse_attack(bundle, "enterprise", "test")
    assert [c.countermeasure.id for c in countermeasures(attack_catalogue(index), ["T9"])] == ["M1"]
    assert index.skipped == 2
    with pytest.raises(ValueError, match="not a STIX bundle"):
        parse_attack({"type": "bundle"}, "enterprise", "x.json")


# --- SPARTA ----------------------------------------------------------------------------------------------------

def test_sparta_counts_equal_the_provenance(sparta) -> None:
    need(SPACE_PROVENANCE)
    data, bad = sparta
    assert bad == ()
    kinds = [e.kind for e in data.entries.values()]
    row = "sparta/sparta-techniques.json"
    assert len(data.entries) == stated(SPACE_PROVENANCE, row, "entries, all ids unique")
    assert kinds.count("technique") == stated(SPACE_PROVENANCE, row, "techniques")
    assert kinds.count("sub-technique") == stated(SPACE_PROVENANCE, row, "sub-techniques")
    assert kinds.count("threat") == stated(SPACE_PROVENANCE, row, "`SV-*` threat ids")
    tactics = [t for e in data.entries.values() for t in e.tactics]
    assert sum(1 for e in data.entries.values() if e.tactics) == stated(SPACE_PROVENANCE, row, "carry a kill chain")
    for tactic in ("execution", "reconnaissance", "defense-evasion", "initial-access", "resource-development",
                   "exfiltration", "lateral-movement", "persistence", "impact"):
        assert tactics.count(tactic) == stated(SPACE_PROVENANCE, row, "", before=tactic), tactic
    assert len(data.countermeasures) == stated(SPACE_PROVENANCE, "sparta/sparta-mitigations.json", "entries")
    assert sum(k.startswith("CM0") for k in data.countermeasures) == 90
    assert sum(k.startswith("D3-") for k in data.countermeasures) == 177


def test_sparta_names_the_jamming_and_spoofing_techniques(sparta) -> None:
    catalogue = sparta_catalogue(sparta[0])
    assert technique_name(catalogue, "EX-0016.03") == "Position, Navigation, and Timing (PNT) Jamming"
    assert technique_name(catalogue, "EX-0014.04") == "Position, Navigation, and Timing (PNT) Spoofing"
    assert technique_name(catalogue, "EX-0017.01") == "Direct Ascent ASAT"
    assert technique_name(catalogue, "SV-AV-1") == ""  # a related-work threat, not a technique


def test_the_galaxy_carries_no_sparta_countermeasure_links(sparta) -> None:
    """SPARTA's technique -> countermeasure mapping is not in the MISP galaxy (as PROVENANCE.md says): no entry of
    either file has a ``related`` item, so SPARTA's own countermeasures for EX-0016.03 / EX-0014.04 cannot be
    looked up from ../shared. When a galaxy version with links arrives, this test fails: then assert them."""
    for name in ("sparta-techniques.json", "sparta-mitigations.json"):
        values = json.loads((need(SPARTA) / name).read_text())["values"]
        assert values and not any("related" in v for v in values), name
    catalogue = sparta_catalogue(sparta[0])
    assert catalogue.counters == {}
    assert countermeasures(catalogue, ["EX-0016.03", "EX-0014.04"]) == []
    assert catalogue.basis.startswith("none")


def test_galaxy_related_links_are_read_both_ways() -> None:
    techniques = {"version": 3, "values": [
        {"value": "PNT Jamming", "uuid": "t1", "meta": {"external_id": "EX-0016.03", "refs": []},
         "related": [{"dest-uuid": "c2", "type": "mitigated-by"}]},
        {"value": "no id", "uuid": "t2", "meta": {}},
        {"value": "PNT Jamming again", "uuid": "t3", "meta": {"external_id": "EX-0016.03"}}]}
    mitigations = {"version": 2, "values": [
        {"value": "Resilient PNT", "uuid": "c1", "meta": {"external_id": "CM0048"},
         "related": [{"dest-uuid": "t1", "type": "mitigates"}, {"dest-uuid": "t1", "type": "similar"}]},
        {"value": "Defensive Jamming and Spoofing", "uuid": "c2", "meta": {"external_id": "CM0081"}}]}
    data, bad = parse_sparta(json.dumps(techniques), json.dumps(mitigations), "t.json", "m.json")
    assert [str(b) for b in bad] == ["t.json: item 2: meta.external_id: missing",
                                     "t.json: item 3: meta.external_id: EX-0016.03 appears twice; the first kept"]
    assert data.links == {"CM0048": frozenset({"EX-0016.03"}), "CM0081": frozenset({"EX-0016.03"})}
    found = countermeasures(sparta_catalogue(data), ["EX-0016.03"])
    assert [c.countermeasure.id for c in found] == ["CM0048", "CM0081"]
    with pytest.raises(ValueError, match="m.json: not a MISP galaxy"):
        parse_sparta(json.dumps(techniques), "[]", "t.json", "m.json")


def test_sparta_lists_controls_through_its_related_work_threats(sparta) -> None:
    data = sparta[0]
    controls = sparta_controls(data, "EX-0016.03")
    assert list(controls) == ["SV-AV-1", "SV-AV-5"]  # the threats the technique's refs cite, in order
    assert {"SC-40", "SC-40(1)", "SC-5"} <= set(controls["SV-AV-1"])  # wireless link protection; DoS protection
    assert sparta_controls(data, "EX-0099") == {}


def test_the_derived_control_overlap_is_labelled_and_weak(sparta) -> None:
    data = sparta[0]
    spoofing = countermeasures_by_shared_controls(data, ["EX-0014.04"])
    pnt = next(c for c in spoofing if c.countermeasure.id == "CM0048")
    assert pnt.countermeasure.name == "Resilient Position, Navigation, and Timing"
    assert pnt.techniques == ("EX-0014.04",) and pnt.controls and pnt.weight > 0
    assert set(pnt.controls) <= {c for cs in sparta_controls(data, "EX-0014.04").values() for c in cs}
    jamming = countermeasures_by_shared_controls(data, ["EX-0016.03"])
    assert jamming[0].countermeasure.id == "CM0005"  # Ground-based Countermeasures: broad, first for almost all
    assert "CM0048" not in {c.countermeasure.id for c in jamming}  # the weakness the docstring states


# --- DISARM ----------------------------------------------------------------------------------------------------

def test_disarm_countermeasures_from_the_blue_framework(disarm_framework) -> None:
    from kompas.fimi.response import not_recommended

    everything = disarm_catalogue(disarm_framework)
    # DISARM's countermeasures CSV: C00012 Platform regulation names T0001 ...; C00072 (not recommended) T0019
    assert "C00012" in {c.countermeasure.id for c in countermeasures(everything, ["T0001"])}
    assert "C00072" in {c.countermeasure.id for c in countermeasures(everything, ["T0019"])}
    proposed = disarm_catalogue(disarm_framework, not_recommended)
    assert "C00072" not in proposed.countermeasures
    assert "C00072" not in {c.countermeasure.id for c in countermeasures(proposed, ["T0019"])}
    assert technique_name(proposed, "T0049") == "Flood Information Space"  # disarm_frameworks_techniques.csv
    # the same countermeasures as the FIMI engine's own lookup (kompas.fimi.disarm.Framework.counters)
    ours = {c.countermeasure.id for c in countermeasures(everything, ["T0049.001"])}
    assert ours == {c.id for c in disarm_framework.counters("T0049.001")} != set()


def test_coverage_sorts_countermeasures() -> None:
    catalogue = Catalogue("disarm", {"T1": "a", "T2": "b"},
                          {k: Countermeasure("disarm", k, k) for k in ("C1", "C2", "C3")},
                          {"C1": frozenset({"T1"}), "C2": frozenset({"T1", "T2"}), "C3": frozenset({"T3"})}, "test")
    assert [(c.countermeasure.id, c.techniques) for c in countermeasures(catalogue, ["T2", "T1", "T2"])] == [
        ("C2", ("T2", "T1")), ("C1", ("T1",))]
