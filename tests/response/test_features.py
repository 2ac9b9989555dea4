"""Incident features (kompas.response.features) from the platform's event envelope: every space event type, the
fragmentation cause, the protected assets of assets.yaml, cyber incidents with ATT&CK's own software -> technique
and software -> group relationships, a real EUvsDisinfo FIMI incident, the domains to come, and the attribution
state, which is only ever the Coordination passed in."""

from __future__ import annotations

import dataclasses

import pytest

from kompas.core.envelope import Actor, Envelope, Place, derived_id, from_fimi_incident
from kompas.files import load_assets
from kompas.response.attribution import Attribution, Coordination, coordination
from kompas.response.features import (
    EU_MEMBER_STATES,
    FRAGMENTATION_CAUSES,
    SPACE_KINDS,
    attribution_state,
    features,
    member_state,
)
from kompas.response.precedents import nearest
from kompas.space.events import TYPES
from tests.fimi.conftest import EUVSDISINFO
from tests.response.conftest import need

DAY = "2022-02-24"


def envelope(domain: str, type_: str, **fields) -> Envelope:
    """An envelope with the given fields over one day."""
    base = dict(id=derived_id("test", domain, type_, str(sorted(fields))), domain=domain, type=type_,
                time_utc=f"{DAY}T03:00:00.000000000Z", start_utc=f"{DAY}T00:00:00.000000000Z",
                end_utc=f"{DAY}T23:59:59.999999999Z", title=f"{domain} {type_}", severity="high", confidence=0.9)
    return Envelope(**(base | fields))


def space(type_: str, ids: tuple[int, ...] = (25544,), **fields) -> Envelope:
    actors = tuple(Actor("primary" if k == 0 else "secondary", "space-object", str(n)) for k, n in enumerate(ids))
    return envelope("space", type_, **({"actors": actors, "place": Place(norad_ids=ids)} | fields))


def viasat(**fields) -> Envelope:
    """The Viasat KA-SAT attack of 2022-02-24 as a cyber incident: the KA-SAT network targeted, AcidRain named (the
    wiper SentinelLabs found), outages in Ukraine and, through some 5,800 Enercon wind turbines that lost remote
    monitoring, in Germany (Viasat's and Enercon's statements, reported by modernpowersystems.com and icsstrive.com).
    No attribution: that is for the Member States to record."""
    base = dict(
        title="Cyber-attack on Viasat's KA-SAT satellite network: modems wiped (AcidRain)",
        actors=(Actor("target", "satellite-network", "KA-SAT", "Viasat KA-SAT network"),
                Actor("victim", "organisation", "Enercon", "Enercon (5,800 wind turbines, remote monitoring lost)")),
        place=Place(countries=("UA", "DE")),
        evidence={"urls": ["https://www.modernpowersystems.com/analysis/enercon-turbines-disrupted-by-satellite-cyber-"
                           "attack-9935239/"], "satellite_terminals_affected_in_europe": 30000},
        payload={"software": ["AcidRain"], "sectors": ["satellite-communications", "energy"]})
    return envelope("cyber", "incident", **(base | fields))


def test_every_space_event_type_has_its_kinds() -> None:
    assert set(SPACE_KINDS) == set(TYPES)
    for kind in TYPES:
        f = features(space(kind), assets={})
        assert f.kinds[0] == SPACE_KINDS[kind][0] and f.domains == ("space",), kind
    f = features(space("proximity", (39617, 12345)), assets={})
    assert f.kinds == ("rpo",) and f.techniques == {"sparta": ("REC-0005.03", "IA-0005")}


def test_a_fragmentation_is_an_asat_only_when_a_cause_is_recorded() -> None:
    plain = features(space("fragmentation", (13552,)), assets={})
    assert plain.kinds == ("debris-event",) and plain.techniques == {}
    assert any("without a recorded cause: not an ASAT" in d for d in plain.derived)
    asat = features(space("fragmentation", (13552,), payload={"cause": "Direct-ascent ASAT", "cause_basis": "MoD"}),
                    assets={})
    assert asat.kinds == ("debris-event", "destructive-asat")
    assert asat.techniques == {"sparta": ("EX-0017.01", "IMP-0005")}
    assert any("recorded in payload.cause (MoD)" in d for d in asat.derived)
    engine = features(space("fragmentation", (13552,), evidence={"cause": "co-orbital-asat"}), assets={})
    assert engine.techniques == {"sparta": ("EX-0017.02", "IMP-0005")}
    collision = features(space("fragmentation", (13552,), payload={"cause": "collision"}), assets={})
    assert collision.kinds == ("debris-event", "collision") and collision.techniques == {}
    odd = features(space("fragmentation", (13552,), payload={"cause": "meteoroid"}), assets={})
    assert odd.kinds == ("debris-event",) and any("'meteoroid'" in d and "read as unknown" in d for d in odd.derived)
    assert set(FRAGMENTATION_CAUSES) >= {"direct-ascent-asat", "co-orbital-asat", "collision", "unknown"}


def test_protected_assets_owners_and_services_from_assets_yaml() -> None:
    shipped = load_assets()
    # Galileo GSAT0103 (EU, EUSPA), ATHENA-FIDUS (FR/IT) and an object that is no asset
    f = features(space("proximity", (38857, 39509, 99999)))
    assert [a.norad_id for a in f.assets] == [38857, 39509]
    galileo, athena = f.assets
    assert (galileo.name, galileo.union, galileo.states) == (shipped[38857].name, True, ())
    assert galileo.service == "satellite navigation and timing (Galileo)"
    assert (athena.union, athena.states) == (False, ("FR", "IT"))
    assert athena.service == "governmental satellite communications"
    assert f.member_states == ("FR", "IT") and f.assets_affected and f.union_assets_affected
    assert f.targets_member_states
    # a space event's place countries are its objects' owners, not targets: not read as member states concerned
    none = features(space("manoeuvre", (25544,), place=Place(norad_ids=(25544,), countries=("FR",))))
    assert none.member_states == () and not none.targets_member_states and not none.assets_affected


def test_proximity_routine_and_manoeuvred() -> None:
    routine = features(space("proximity", (39617, 29055), evidence={"relation": "same-owner", "operator": "SES"}))
    assert routine.kinds == ("rpo", "same-operator")
    hostile = features(space("proximity", (39617, 40258), evidence={"other_manoeuvred": True}))
    assert hostile.kinds == ("rpo", "manoeuvred-approach")


def test_viasat_features_from_attack_relationships(attack) -> None:
    from kompas.response.techniques import attack_groups_for_software, software_techniques

    f = features(viasat(), attack=attack)
    assert f.software == ("S1125",)
    assert f.techniques == {"attack-enterprise": software_techniques(attack, "S1125")}
    assert set(f.techniques["attack-enterprise"]) == {"T1083", "T1485", "T1529", "T1561.001"}
    assert attack_groups_for_software(attack, "S1125") == ["G0034"]
    assert f.software_users == ("G0034 Sandworm Team",)
    assert any("not an attribution of this incident" in d for d in f.derived)
    assert f.kinds == ("cyber-attack", "cyber-attack-space-segment", "critical-infrastructure", "wiper")
    assert f.domains == ("cyber", "space", "infra") and f.spans_domains
    assert f.member_states == ("DE",) and f.services == ("satellite-communications", "energy")
    # ATT&CK names Sandworm as AcidRain's user; the attribution state stays what was passed in: none
    assert attribution_state(f.attribution) == ("none", "", 0)
    # without ATT&CK the name stays as given and nothing is added
    bare = features(viasat())
    assert bare.software == ("AcidRain",) and bare.techniques == {} and bare.software_users == ()


def test_techniques_by_framework_from_the_payload() -> None:
    f = features(envelope("cyber", "incident", payload={"techniques": ["T1486", "T0809", "EX-0016.03", "X1"]}))
    assert f.techniques == {"sparta": ("EX-0016.03",), "attack-enterprise": ("T1486",), "attack-ics": ("T0809",)}
    assert set(f.kinds) >= {"ransomware", "wiper"}
    assert any("X1: of no known framework" in d for d in f.derived)
    fimi = features(envelope("fimi", "incident", payload={"techniques": ["T0085.001"]}))
    assert fimi.techniques == {"disarm": ("T0085.001",)}
    given = features(envelope("cyber", "incident", payload={"techniques": {"attack-ics": ["T0814"]}}))
    assert given.techniques == {"attack-ics": ("T0814",)}


def test_domains_to_come_and_member_states_by_any_name() -> None:
    f = features(envelope("maritime", "incident", place=Place(countries=("Finland", "EST", "NO")),
                          actors=(Actor("target", "country", "Sweden"), Actor("actor", "country", "Germany")),
                          payload={"kinds": ["Cable damage"], "sectors": ["digital infrastructure"]}))
    assert f.kinds == ("maritime-incident", "critical-infrastructure", "cable-damage")
    assert f.domains == ("maritime", "infra")
    assert f.member_states == ("FI", "EE", "SE")  # Norway is no member state; Germany is an actor, not a target
    assert len(EU_MEMBER_STATES) == 27 and member_state("czechia") == "CZ" and member_state("Norway") == ""


def test_attribution_is_only_what_is_passed_in() -> None:
    named = viasat(title="Russia's GRU (Sandworm) wiped KA-SAT modems",
                   actors=viasat().actors + (Actor("actor", "threat-actor", "RU", "Russia"),),
                   payload=viasat().payload | {"attribution": "RU"})
    assert features(named).attribution == Coordination()
    records = [Attribution("e", "DE", "RU", "likely", "BND", "2022-05-10"),
               Attribution("e", "NL", "RU", "almost-certain", "AIVD", "2022-05-10", public=True),
               Attribution("e", "FR", "RU", "unlikely", "ANSSI", "2022-05-10")]
    given = features(named, coordination(records))
    assert attribution_state(given.attribution) == ("public", "RU", 2)
    assert attribution_state(coordination(records[:1])) == ("attributed", "RU", 1)
    assert attribution_state(coordination(records[2:])) == ("considered", "", 0)
    assert attribution_state(coordination([Attribution("e", "IT", "none", "", "", "2022-05-10")])) == ("none", "", 0)
    assert given.for_precedents().actors == frozenset({"RU"})
    assert features(named).for_precedents().actors == frozenset()


def test_precedent_query_finds_the_cosmos_statement(precedents) -> None:
    f = features(space("fragmentation", (13552,), payload={"cause": "direct-ascent-asat"}), assets={})
    query = f.for_precedents()
    assert query.kinds == frozenset({"asat-test", "debris"}) and "EX-0017.01" in query.techniques
    best = nearest(query, precedents[0], k=2)
    assert best[0].precedent.id == "space-2021-11-19"


@pytest.fixture(scope="module")
def euvsdisinfo_incident():
    from kompas.fimi.load import read

    cases = read(need(EUVSDISINFO), "euvsdisinfo").incidents
    # the first case with DISARM techniques that targets a member state, as the reader orders them
    found = next(i for i in cases if i.techniques and any(t.kind == "country" and member_state(t.name)
                                                          for t in i.targets))
    return found


def test_fimi_incident_from_euvsdisinfo(euvsdisinfo_incident) -> None:
    incident = euvsdisinfo_incident
    env = from_fimi_incident(derived_id("euvsdisinfo", incident.ref), incident.as_dict(), incident.attribution)
    f = features(env)
    assert f.kinds == ("information-manipulation",) and f.domains == ("fimi",)
    assert f.techniques == {"disarm": tuple(dict.fromkeys(incident.techniques))}
    wanted = tuple(dict.fromkeys(member_state(t.name) for t in incident.targets
                                 if t.kind == "country" and member_state(t.name)))
    assert f.member_states == wanted and wanted
    # the source's attribution (payload.attribution) and its attributed actors are not read
    assert env.payload["attribution"] == incident.attribution
    bare = dataclasses.replace(env, actors=tuple(a for a in env.actors if a.role != "actor"),
                               payload=env.payload | {"attribution": "unattributed"})
    assert features(bare).as_dict() == f.as_dict()


def test_fimi_incident_ranks_fimi_options_with_disarm_countermeasures(euvsdisinfo_incident, disarm_framework) -> None:
    """The FIMI toolbox for a real EUvsDisinfo case, with DISARM's own countermeasures for its techniques; the
    source's attribution of the case (a state-controlled outlet) proposes nothing restrictive."""
    from kompas.fimi.response import not_recommended
    from kompas.response.rank import assess
    from kompas.response.techniques import disarm_catalogue
    from kompas.response.toolbox import load_toolboxes

    incident = euvsdisinfo_incident
    env = from_fimi_incident(derived_id("euvsdisinfo", incident.ref), incident.as_dict(), incident.attribution)
    catalogue = disarm_catalogue(disarm_framework, not_recommended)
    result = assess(env, load_toolboxes(), catalogues={"disarm": catalogue})
    assert result.proposals and {p.option.toolbox for p in result.proposals} == {"fimi"}
    assert result.proposals[0].rules[:2] == ("toolbox-fimi", "fimi-countermeasures")
    assert {x.option.id for x in result.excluded} == {"cost-imposition", "restrictive-measures"}
    # DISARM's own mapping: every countermeasure naming one of the incident's techniques (or its parent), except
    # those DISARM marks not recommended
    techniques = list(dict.fromkeys(incident.techniques))
    expected = {c.id for t in techniques for c in disarm_framework.counters(t) if not not_recommended(c)}
    assert expected and {c.countermeasure.id for c in result.countermeasures["disarm"]} == expected
    alerts = next(p for p in result.proposals if p.option.id == "rapid-alert-system")
    assert alerts.countermeasures and {c.countermeasure.id for c in alerts.countermeasures} <= expected
    statement = next(p for p in result.proposals if p.option.id == "strategic-communication")
    assert statement.countermeasures == ()  # statements carry no technical countermeasures


def test_findings_add_to_the_payload_without_changing_the_event() -> None:
    """An analyst's findings (oldest first) enter the payload the ranking reads: the newest cause with its basis,
    list fields appended without repeats, techniques to their framework when the payload maps frameworks; the
    event given is not changed."""
    from kompas.response.features import with_findings

    event = {"domain": "cyber", "type": "incident", "payload": {"software": ["AcidRain"],
                                                                "techniques": {"attack-enterprise": ["T1485"]}}}
    out = with_findings(event, [
        {"field": "cause", "value": "explosion", "basis": "first guess"},
        {"field": "cause", "value": "direct-ascent-asat", "basis": "MoD statement"},
        {"field": "software", "value": ["AcidRain", "Industroyer2"]},
        {"field": "techniques", "value": ["T1485", "T0813", "EX-0017.01"]},
        {"field": "unknown-field", "value": ["x"]}])
    payload = out["payload"]
    assert (payload["cause"], payload["cause_basis"]) == ("direct-ascent-asat", "MoD statement")
    assert payload["software"] == ["AcidRain", "Industroyer2"]
    assert payload["techniques"] == {"attack-enterprise": ["T1485"], "attack-ics": ["T0813"], "sparta": ["EX-0017.01"]}
    assert "unknown-field" not in payload
    assert event["payload"] == {"software": ["AcidRain"], "techniques": {"attack-enterprise": ["T1485"]}}
