"""The EU cyber sanctions listings resolved to ATT&CK groups and software from ATT&CK's and the MISP galaxy's own
text, and the galaxy's links to ATT&CK.

References: ``../shared/data/cyber/eu_cyber_sanctions.csv`` (hand-written for Kompas from press and legal-news
pages, each row citing its source; read from ../shared only), whose PROVENANCE.md names the groups the listings
concern but leaves them out of the CSV for the software to find; ATT&CK v18.1; MISP threat-actor galaxy v349.
Each is skipped, saying so, when absent."""

from __future__ import annotations

import collections
import json
import re

import pytest

from kompas.cyber.attack import read_attack_index
from kompas.cyber.galaxy import attack_groups, clusters_of_group, parse_galaxy, read_galaxy
from kompas.cyber.sanctions import (
    SanctionRow,
    build_resolver,
    parse_sanctions,
    read_sanctions,
    resolve_sanctions,
    resolve_text,
)
from kompas.locate import shared_data

pytestmark = pytest.mark.shared


def _need(sub: str, what: str) -> None:
    folder = shared_data(sub)
    if folder is None:
        pytest.skip(f"../shared/data/{sub} is absent: {what} is read from ../shared only (clone ../shared beside "
                    "the checkout)")


@pytest.fixture(scope="module")
def index():
    _need("cyber/attack", "ATT&CK")
    return read_attack_index()


@pytest.fixture(scope="module")
def galaxy():
    _need("cyber/misp-galaxy", "the MISP threat-actor galaxy")
    found, bad = read_galaxy()
    assert bad == ()
    return found


@pytest.fixture(scope="module")
def rows():
    folder = shared_data("cyber")
    if folder is None or not (folder / "eu_cyber_sanctions.csv").exists():
        pytest.skip("../shared/data/cyber/eu_cyber_sanctions.csv is absent: it is hand-written from press sources "
                    "and read from ../shared only")
    found, bad = read_sanctions()
    assert bad == []
    return found


@pytest.fixture(scope="module")
def resolutions(index, galaxy, rows):
    return {r.row.name: r for r in resolve_sanctions(rows, build_resolver(index, galaxy))}


# --- the galaxy ---------------------------------------------------------------------------------------------------

def test_galaxy_counts_equal_the_provenance(galaxy) -> None:
    # PROVENANCE.md: 1,041 clusters; 403 with synonyms; 476 with country (CN 216, RU 79, IR 60, KP 26)
    assert (len(galaxy.clusters), galaxy.version) == (1041, "349")
    assert sum(1 for c in galaxy.clusters if c.synonyms) == 403
    countries = collections.Counter(c.country for c in galaxy.clusters if c.country)
    assert sum(countries.values()) == 476
    assert [countries[k] for k in ("CN", "RU", "IR", "KP")] == [216, 79, 60, 26]


def test_galaxy_links_to_attack_as_the_galaxy_states_them(index, galaxy) -> None:
    by_value = {c.value: c for c in galaxy.clusters}
    sandworm = attack_groups(by_value["Sandworm"], index)
    assert [(link.group_id, link.active) for link in sandworm] == [("G0034", True)]
    assert sandworm[0].how == "related similar, name-attribution, synonym, refs"
    assert by_value["Sandworm"].fields["GRU"] == "Military unit 74455"
    # Callisto states no G-id: linked by its synonyms, which are ATT&CK's names of Star Blizzard
    callisto = attack_groups(by_value["Callisto"], index)
    assert [link.group_id for link in callisto] == ["G1033"] and callisto[0].how.startswith("by name: ")
    assert "'Star Blizzard'" in callisto[0].how
    assert [link.group_id for link in attack_groups(by_value["Lazarus Group"], index)] == ["G0032", "G0082"]
    # a G-id ATT&CK has revoked is reported, not followed
    kitten = attack_groups(by_value["Charming Kitten"], index)
    assert ("G0058", False) in [(link.group_id, link.active) for link in kitten]
    assert {c.value for c in clusters_of_group(galaxy, index, "G0034")} == {"Sandworm", "IRIDIUM"}
    links = [attack_groups(c, index) for c in galaxy.clusters]
    stated = sum(1 for found in links if any(link.active and not link.how.startswith("by name") for link in found))
    named = sum(1 for found in links if any(link.active and link.how.startswith("by name") for link in found))
    assert (stated, named) == (91, 91)
    assert sum(1 for c in galaxy.clusters if not any(
        not t.startswith("uuid:") or t[5:] in {s.split("--")[1] for s in index.by_stix} for t, _ in c.stated)) == 942


def test_malformed_galaxy_clusters_are_rejected() -> None:
    text = json.dumps({"version": 1, "values": [
        {"value": "Kept", "uuid": "u1", "meta": {"synonyms": ["G0034", "Other"], "country": "RU"}},
        {"value": " ", "uuid": "u2"}, 7]})
    found, bad = parse_galaxy(text, "g.json")
    assert [c.value for c in found.clusters] == ["Kept"]
    assert found.clusters[0].stated == (("G0034", "synonym"),) and found.names["other"] == (0,)
    assert [str(b) for b in bad] == ["g.json: item 2: value: empty", "g.json: item 3: not an object"]
    with pytest.raises(ValueError, match="g.json: not a MISP galaxy"):
        parse_galaxy("{}", "g.json")


# --- the sanctions listings -------------------------------------------------------------------------------------

def test_the_csv_as_its_provenance_describes_it(rows) -> None:
    # 21 rows = 17 persons + 4 entities, listed on four dates
    assert len(rows) == 21
    assert collections.Counter(r.entity_type for r in rows) == {"person": 17, "entity": 4}
    # 9 listings (date, act, attack): OPCW, Cloud Hopper, WannaCry, NotPetya; Bundestag; Callisto, Armageddon,
    # Conti/TrickBot; Estonian ministries
    assert len({r.listing for r in rows}) == 9
    assert {r.listed_on for r in rows} == {"2020-07-30", "2020-10-22", "2024-06-24", "2025-01-27"}


#: What PROVENANCE.md and issue 23 say each listing concerns, keyed by a pattern of the row's name or attack.
EXPECTED = [
    (r"GTsST\)", "G0034", {"S0368"}),  # GTsST / unit 74455: Sandworm Team, NotPetya
    (r"\(GTsSS\)", "G0007", set()),  # 85th GTsSS, unit 26165: APT28
    (r"^OPCW", "G0007", set()),  # the four GRU officers of the OPCW operation: APT28
    (r"^Bundestag", "G0007", set()),  # the GTsSS officer and the head of the GRU listed with the 85th GTsSS
    (r"Huaying Haitai", "G0045", set()),  # menuPass
    (r"Cloud Hopper", "G0045", set()),
    (r"^Chosun Expo$", "G0032", {"S0366"}),  # WannaCry: Lazarus Group
    (r"^Callisto", "G1033", set()),  # Star Blizzard
    (r"^Armageddon", "G0047", set()),  # Gamaredon Group
    (r"^Conti and TrickBot", "G0102", {"S0575", "S0266"}),  # Wizard Spider
    (r"29155", "G1003", set()),  # Ember Bear
]


def _expected(row: SanctionRow) -> tuple[str, set[str]]:
    hits = [(g, s) for pattern, g, s in EXPECTED if re.search(pattern, row.name) or re.search(pattern, row.attack)]
    assert hits, f"no expectation for {row.name}"
    return hits[0]


def test_every_listing_resolves_to_the_group_it_concerns(resolutions) -> None:
    for name, resolution in resolutions.items():
        group, software = _expected(resolution.row)
        assert resolution.best == (group,), (name, resolution.groups[:3])
        assert software <= {s.software_id for s in resolution.software}, name
    assert sum(r.via == "row" for r in resolutions.values()) == 19


def test_each_resolution_says_which_text_matched(resolutions) -> None:
    gtsst = next(r for n, r in resolutions.items() if "GTsST" in n)
    evidence = gtsst.groups[0].evidence
    assert "software named 'NotPetya': NotPetya (S0368), used by G0034 (ATT&CK uses)" in evidence
    assert any(e.startswith("designator in ATT&CK 'GTsST': in the text of Sandworm Team (G0034)") for e in evidence)
    assert gtsst.groups[0].votes > 3 * gtsst.groups[1].votes  # GRU is in three groups' texts: 1/3 vote each
    chosun = resolutions["Chosun Expo"]
    assert chosun.groups[0].evidence == ("software named 'WannaCry': WannaCry (S0366), used by G0032 (ATT&CK uses)",)
    gao = resolutions["GAO Qiang"]
    assert gao.groups[0].evidence == ("galaxy actor named 'Cloud Hopper': galaxy cluster 'APT10' -> G0045",)
    callisto = resolutions["Ruslan PERETYATKO"]
    assert [c.kind for c in callisto.clues] == ["group named", "galaxy actor named"]
    assert callisto.clues[0].text == "Callisto group" and len(callisto.groups) == 1
    unit = next(r for n, r in resolutions.items() if "26165" in n)
    assert "designator in the galaxy '26165': in galaxy cluster 'APT28' (GRU: Military unit 26165)" in (
        unit.groups[0].evidence)
    assert [(g.group_id, g.votes) for g in unit.groups[:2]] == [("G0007", 2.833333), ("G0034", 0.833333)]


def test_rows_without_a_clue_of_their_own_are_listed_with_why(resolutions) -> None:
    # "Bundestag" appears nowhere in ATT&CK or the galaxy: the two persons take their listing's entity row
    by_listing = {n for n, r in resolutions.items() if r.via == "listing"}
    assert by_listing == {"Dmitry Sergeyevich BADIN", "Igor Olegovich KOSTYUKOV"}
    badin = resolutions["Dmitry Sergeyevich BADIN"]
    assert badin.best == ("G0007",) and "Bundestag" in badin.reason
    assert "85th Main Centre for Special Services (GTsSS)" in badin.reason
    assert all(r.resolved for r in resolutions.values())


def test_without_the_galaxy_cloud_hopper_resolves_through_its_listing(index, rows) -> None:
    resolved = {r.row.name: r for r in resolve_sanctions(rows, build_resolver(index, None))}
    assert resolved["GAO Qiang"].via == "listing" and resolved["GAO Qiang"].best == ("G0045",)
    assert all(r.best == (_expected(r.row)[0],) for r in resolved.values())


def test_text_that_attack_does_not_know_stays_unresolved(index, galaxy) -> None:
    resolver = build_resolver(index, galaxy)
    assert resolve_text(resolver, "Jan JANSEN\nPhishing against ministries (April 2023)") == ([], [])
    row = SanctionRow(2, "Jan JANSEN", "person", "2030-01-01", "act", "Defacement of websites", "https://x", "test")
    [resolution] = resolve_sanctions([row], resolver)
    assert not resolution.resolved and resolution.via == "" and "Defacement of websites" in resolution.reason


def test_malformed_csv_rows_are_rejected() -> None:
    header = "name,entity_type,listed_on,legal_act,attack,source_url,status,note\n"
    text = header + "A,person,2020-01-01,act,X,https://x,ok,\nB,org,2020-01-01,act,X,https://x,ok,\n" \
                    "C,person,2020-01-01,act,,https://x,ok,\n"
    rows, bad = parse_sanctions(text, "s.csv")
    assert [r.name for r in rows] == ["A"] and rows[0].line == 2
    assert [str(b) for b in bad] == ["s.csv:3: entity_type: neither 'person' nor 'entity' (got 'org')",
                                     "s.csv:4: attack: empty"]
    with pytest.raises(ValueError, match="s.csv: missing column"):
        parse_sanctions("name,attack\nA,X\n", "s.csv")
