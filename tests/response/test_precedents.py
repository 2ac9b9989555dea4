"""The case library of real EU responses against the two hand-written CSV files in ../shared (their rows, dates and
counts read here independently), ATT&CK's own links for the software and groups they name, and the nearest
precedents of new incidents."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import pytest

from kompas.response.precedents import (
    RESPONSE_TYPES,
    incident_features,
    nearest,
    parse_cyber_sanctions,
    parse_space_responses,
    response_types_of,
)

from .conftest import CYBER_PROVENANCE, CYBER_SANCTIONS, SPACE_RESPONSES, need

COSMOS, VIASAT = "space-2021-11-19", "space-2022-05-10"


@pytest.fixture(scope="module")
def by_id(precedents):
    return {p.id: p for p in precedents[0]}


def test_every_row_is_read_and_none_rejected(precedents) -> None:
    found, bad = precedents
    assert bad == []
    with need(SPACE_RESPONSES).open(newline="") as handle:
        space_rows = list(csv.DictReader(handle))
    assert sum(p.domain == "space" for p in found) == len(space_rows) == 7
    assert sum(p.domain == "cyber" for p in found) == 9  # listings (date, act, attack) of the sanctions CSV
    assert len({p.id for p in found}) == len(found)
    assert all(p.source_url.startswith("http") and p.response_type in RESPONSE_TYPES for p in found)


def test_cosmos_1408_asat_test_and_the_statement_four_days_later(by_id) -> None:
    cosmos = by_id[COSMOS]
    assert (cosmos.incident_date, cosmos.response_date, cosmos.lead_days) == (date(2021, 11, 15),
                                                                             date(2021, 11, 19), 4)
    assert cosmos.response_type == "statement" and cosmos.response_types == ("statement",)
    assert "COSMOS 1408" in cosmos.incident and "a clear act of irresponsible behaviour in space" in cosmos.act
    assert cosmos.responder.startswith("EU (High Representative")
    assert cosmos.source_url.startswith("https://agenceurope.eu/")
    assert cosmos.features.kinds == {"asat-test", "debris"}
    assert cosmos.features.techniques == {"EX-0017.01"}  # SPARTA Direct Ascent ASAT
    assert cosmos.features.actors == {"RU"}
    assert cosmos.summary.startswith("2021-11-19: statement by EU")


def test_viasat_ka_sat_attack_and_the_declaration(by_id, linked) -> None:
    viasat = by_id[VIASAT]
    assert (viasat.incident_date, viasat.response_date, viasat.lead_days) == (date(2022, 2, 24),
                                                                             date(2022, 5, 10), 75)
    assert viasat.response_type == "declaration/attribution"
    assert viasat.response_type_text == "statement (coordinated attribution)"
    assert "attributing the attack to the Russian Federation" in viasat.act
    assert {"cyber-attack", "satellite-network", "wiper"} <= viasat.features.kinds
    assert viasat.features.domains == {"space", "cyber"}
    # ATT&CK: AcidRain (S1125) is named; ATT&CK says Sandworm Team (G0034) uses it, and what AcidRain does
    linked_viasat = linked[VIASAT]
    assert [(link.id, link.via) for link in linked_viasat.attack_links] == [
        ("S1125", "software AcidRain named"), ("G0034", "AcidRain (S1125) is used by it")]
    assert {"T1485", "T1561.001"} <= linked_viasat.features.techniques
    assert {"RU", "G0034"} <= linked_viasat.features.actors


def test_dates_that_are_not_single_days_keep_their_text(by_id) -> None:
    hybrid = by_id["space-2024-10-08"]
    assert (hybrid.incident_date, hybrid.incident_date_text) == (None, "2024 (ongoing)")
    assert hybrid.response_types == ("statement", "sanctions framework")
    assert hybrid.response_type == "sanctions framework"
    letter = by_id["space-2025-06"]
    assert (letter.response_date, letter.response_date_text) == (None, "2025-06 (letter reported 2025-06-11)")
    assert letter.response_year == 2025 and letter.lead_days is None
    assert letter.response_type == "member-state initiative"
    assert letter.features.techniques == {"EX-0016.03", "EX-0014.04"} and letter.features.actors == {"RU", "BY"}


def test_sanctions_listings_counted_from_the_csv_itself(by_id) -> None:
    with need(CYBER_SANCTIONS).open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = Counter((r["listed_on"], r["legal_act"], r["attack"], r["entity_type"]) for r in rows)
    cyber = [p for p in by_id.values() if p.domain == "cyber"]
    for p in cyber:
        assert p.persons == expected[(p.response_date_text, p.act, p.incident, "person")], p.id
        assert p.entities == expected[(p.response_date_text, p.act, p.incident, "entity")], p.id
    assert sum(p.persons + p.entities for p in cyber) == len(rows) == 21
    per_day = Counter()
    for p in cyber:
        per_day[p.response_date_text, "person"] += p.persons
        per_day[p.response_date_text, "entity"] += p.entities
    # PROVENANCE.md: "2020-07-30 (6 + 3), 2020-10-22 (2 + 1), 2024-06-24 (6), 2025-01-27 (3)"
    assert "2020-07-30 (6 + 3), 2020-10-22 (2 + 1), 2024-06-24 (6), 2025-01-27 (3)" in need(
        CYBER_PROVENANCE).read_text()
    assert (per_day["2020-07-30", "person"], per_day["2020-07-30", "entity"]) == (6, 3)
    assert (per_day["2020-10-22", "person"], per_day["2020-10-22", "entity"]) == (2, 1)
    assert (per_day["2024-06-24", "person"], per_day["2024-06-24", "entity"]) == (6, 0)
    assert (per_day["2025-01-27", "person"], per_day["2025-01-27", "entity"]) == (3, 0)


def test_the_2020_cyber_sanctions(by_id) -> None:
    first = [p for p in by_id.values() if p.domain == "cyber" and p.response_date == date(2020, 7, 30)]
    assert [p.id for p in first] == ["cyber-2020-07-30-opcw", "cyber-2020-07-30-operation-cloud-hopper",
                                     "cyber-2020-07-30-wannacry", "cyber-2020-07-30-notpetya"]
    assert all("Regulation (EU) 2020/1125" in p.act and p.response_type == "restrictive measures" for p in first)
    assert all(p.responder == "Council of the EU" for p in first)
    opcw = by_id["cyber-2020-07-30-opcw"]
    assert (opcw.persons, opcw.entities) == (4, 0)
    assert [item.name for item in opcw.listings] == ["Alexey MININ", "Aleksei MORENETS", "Evgenii SEREBRIAKOV",
                                                     "Oleg SOTNIKOV"]
    assert opcw.lines == (2, 3, 4, 5) and opcw.features.actors == {"RU"}  # "GRU officer" in the notes
    hopper = by_id["cyber-2020-07-30-operation-cloud-hopper"]
    assert (hopper.persons, hopper.entities) == (2, 1) and hopper.features.actors == {"CN"}
    assert by_id["cyber-2020-07-30-wannacry"].features.actors == {"KP"}
    bundestag = by_id["cyber-2020-10-22-bundestag"]
    assert "Regulation (EU) 2020/1536" in bundestag.act and (bundestag.persons, bundestag.entities) == (2, 1)
    armageddon = by_id["cyber-2024-06-24-armageddon-group-cyber-attacks"]
    assert armageddon.status == "uncertain-spelling, verified-secondary"


def test_attack_groups_of_the_listings_are_the_provenance_reference(linked) -> None:
    """../shared/data/cyber/PROVENANCE.md leaves the ATT&CK group of each listing out of the CSV as "a reference
    result that the software should find from ATT&CK's own text and relationships": GTsST -> G0034, OPCW officers
    and GTsSS/26165 -> G0007, Huaying Haitai -> G0045, Chosun Expo -> WannaCry S0366 <- G0032, Callisto -> G1033,
    Armageddon -> G0047, Conti/TrickBot -> G0102, GRU unit 29155 -> G1003."""
    reference = {"cyber-2020-07-30-notpetya": "G0034", "cyber-2020-07-30-opcw": "G0007",
                 "cyber-2020-10-22-bundestag": "G0007", "cyber-2020-07-30-operation-cloud-hopper": "G0045",
                 "cyber-2020-07-30-wannacry": "G0032", "cyber-2024-06-24-callisto-group-phishing-campaigns": "G1033",
                 "cyber-2024-06-24-armageddon-group-cyber-attacks": "G0047",
                 "cyber-2024-06-24-conti-and-trickbot-ransomware": "G0102",
                 "cyber-2025-01-27-cyber-attacks-against-estonian": "G1003"}
    for pid, group in reference.items():
        groups = [link.id for link in linked[pid].attack_links if link.id.startswith("G")]
        assert groups[0] == group, (pid, linked[pid].attack_links)
        assert group in linked[pid].features.actors
    wannacry = linked["cyber-2020-07-30-wannacry"].attack_links
    assert [link.id for link in wannacry] == ["S0366", "G0032"]
    notpetya = {link.id: link.via for link in linked["cyber-2020-07-30-notpetya"].attack_links}
    assert "NotPetya (S0368) is used by it" in notpetya["G0034"] and "'GTsST'" in notpetya["G0034"]
    # no link from the space precedents that name no software or group (an ASAT test, GNSS jamming ...)
    assert linked[COSMOS].attack_links == () and linked["space-2025-09-01"].attack_links == ()


def test_a_da_asat_like_incident_gets_cosmos_1408_first(linked) -> None:
    incident = incident_features("space", "Direct-ascent anti-satellite missile test destroys a satellite; debris",
                                 date(2026, 3, 1))
    best = nearest(incident, list(linked.values()))
    assert best[0].precedent.id == COSMOS
    assert "kinds asat-test, debris (2 of 2)" in best[0].why and "techniques EX-0017.01" in best[0].why
    assert best[0].score > 2 * best[1].score
    assert len(best) == 3


def test_a_satellite_network_wiper_attack_gets_viasat_first(linked) -> None:
    for domain in ("cyber", "space"):
        incident = incident_features(domain, "Cyber-attack wiping the modems of a satellite network",
                                     date(2026, 3, 1))
        best = nearest(incident, list(linked.values()))
        assert best[0].precedent.id == VIASAT, domain
        assert "kinds cyber-attack, satellite-network, wiper (3 of 3)" in best[0].why
    with_software = nearest(incident_features("cyber", software={"S1125"}, actors={"G0034"}), list(linked.values()))
    assert with_software[0].precedent.id == VIASAT and "software S1125" in with_software[0].why
    assert "actor G0034" in with_software[0].why
    # the other precedent ATT&CK ties to Sandworm Team (NotPetya) comes next on the actor
    assert with_software[1].precedent.id == "cyber-2020-07-30-notpetya"


def test_a_cyber_espionage_incident_gets_sanctions(linked) -> None:
    incident = incident_features("cyber", "Cyber espionage through a phishing campaign against a ministry")
    assert incident.kinds == {"cyber-attack", "espionage"}
    best = nearest(incident, list(linked.values()), k=5)
    assert len(best) == 5
    assert all(m.precedent.response_type == "restrictive measures" for m in best)
    assert best[0].precedent.id == "cyber-2024-06-24-callisto-group-phishing-campaigns"
    assert best[0].why == "domain cyber; kinds cyber-attack, espionage (2 of 2)"


def test_recorded_attribution_and_recency_break_ties(by_id) -> None:
    jamming = incident_features("space", "GNSS jamming near an airport", date(2025, 9, 10))
    plain = nearest(jamming, list(by_id.values()))
    assert {m.precedent.id for m in plain} == {"space-2025-06", "space-2025-09-01", "space-2025-12-03"}
    assert plain[0].precedent.id == "space-2025-09-01"  # the closest response in time
    attributed = incident_features("space", "GNSS jamming near an airport", date(2025, 9, 10), actors={"BY"})
    assert nearest(attributed, list(by_id.values()))[0].precedent.id == "space-2025-06"  # names Belarus
    # names in the incident's own text are never taken as its actor
    assert incident_features("space", "Russian GNSS jamming").actors == frozenset()


def test_malformed_space_rows_are_reported_and_the_good_rows_kept() -> None:
    header = ("incident_date,incident,responder,response_date,response_type,eu_act_or_statement,source_url,status,"
              "note\n")
    good = '2021-11-15,ASAT test,EU,2021-11-19,statement,"Statement, ""quoted""\nover two lines",https://a.eu/x,ok,\n'
    text = header + good + (
        "2021-13-01,bad day,EU,2021-11-19,statement,act,https://a.eu/x,ok,\n"
        "2021-11-15,late,EU,2021-11-10,statement,act,https://a.eu/x,ok,\n"
        "2021-11-15,odd type,EU,2021-11-19,press conference,act,https://a.eu/x,ok,\n"
        "2021-11-15,no url,EU,2021-11-19,statement,act,www.a.eu,ok,\n"
        "2021-11-15,short row,EU\n"
        "soon,vague,EU,2025-06 (later),statement,act,https://a.eu/x,ok,\n"
        "2025 (ongoing),ongoing,EU,2025-06,member-state non-paper + statement,act,https://a.eu/y,ok,\n")
    found, bad = parse_space_responses(text, "s.csv")
    assert [str(b) for b in bad] == [
        "s.csv:4: incident_date: neither a day (YYYY-MM-DD) nor 'YEAR (ongoing)' / 'YEAR-YEAR (ongoing)' "
        "(got '2021-13-01')",
        "s.csv:5: response_date: before the incident (2021-11-15) (got '2021-11-10')",
        "s.csv:6: response_type: 'press conference' matches no response type rule (member-state initiative, "
        "statement, multilateral statement, declaration/attribution, sanctions framework, restrictive measures) "
        "(got 'press conference')",
        "s.csv:7: source_url: not an http(s) URL (got 'www.a.eu')",
        "s.csv:8: row: 3 fields, expected 9",
        "s.csv:9: incident_date: neither a day (YYYY-MM-DD) nor 'YEAR (ongoing)' / 'YEAR-YEAR (ongoing)' "
        "(got 'soon')"]
    assert [(p.id, p.lines) for p in found] == [("space-2021-11-19", (2,)), ("space-2025-06", (10,))]
    assert found[1].response_types == ("member-state initiative", "statement")
    assert found[1].response_type == "statement"
    _, missing = parse_space_responses("incident_date,incident\n2021-11-15,x\n", "m.csv")
    assert [str(b) for b in missing][0].startswith("m.csv:1: responder: missing column")


def test_malformed_sanctions_rows_are_reported_and_the_good_rows_kept() -> None:
    header = "name,entity_type,listed_on,legal_act,attack,source_url,status,note\n"
    text = header + (
        "A ONE,person,2020-07-30,Council Reg 1,Attack X,https://a.eu/1,ok,\n"
        "B TWO,group,2020-07-30,Council Reg 1,Attack X,https://a.eu/1,ok,\n"
        "C THREE,person,30/07/2020,Council Reg 1,Attack X,https://a.eu/1,ok,\n"
        "a one,person,2020-07-30,Council Reg 1,Attack X,https://a.eu/1,ok,\n"
        "D FOUR,entity,2020-07-30,Council Reg 1,Attack X,https://a.eu/2,doubtful,n\n"
        ",person,2020-07-30,Council Reg 1,Attack X,https://a.eu/1,ok,\n")
    found, bad = parse_cyber_sanctions(text, "c.csv")
    assert [str(b) for b in bad] == ["c.csv:3: entity_type: neither 'person' nor 'entity' (got 'group')",
                                     "c.csv:4: listed_on: not a day (YYYY-MM-DD) (got '30/07/2020')",
                                     "c.csv:5: name: listed twice in this listing (got 'a one')",
                                     "c.csv:7: name: empty"]
    assert len(found) == 1
    listing = found[0]
    assert (listing.id, listing.persons, listing.entities, listing.lines) == ("cyber-2020-07-30-attack-x", 1, 1,
                                                                             (2, 6))
    assert listing.status == "ok, doubtful" and listing.note == "1 person, 1 entity listed: A ONE; D FOUR"
    assert listing.features.kinds == {"cyber-attack"}  # the regime's own ground


def test_response_type_rules() -> None:
    assert response_types_of("statement (coordinated attribution)") == (("declaration/attribution",), "")
    assert response_types_of("statement (multilateral)") == (("multilateral statement",), "")
    assert response_types_of("statement + new sanctions framework") == (("statement", "sanctions framework"), "")
    assert response_types_of("member-state joint letter") == (("member-state initiative",), "")
    assert response_types_of("statement (spokesperson)") == (("statement",), "")
    assert response_types_of("démarche") == ((), "démarche")
    with pytest.raises(ValueError, match="domain 'maritime'"):
        incident_features("maritime")
