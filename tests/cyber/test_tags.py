"""MISP/STIX tags and Kompas markings: the mapping table of kompas.cyber.tags, checked against the real tlp, euci,
PAP, admiralty-scale and estimative-language taxonomies, the rejections, and the round trip of every marking."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.core.markings import TLP, Classification, Marking, MarkingError
from kompas.cyber.tags import (
    CHR_CAVEAT,
    EUCI,
    TLP_TAGS,
    assessment,
    decode_tags,
    marking_of,
    marking_tags,
    rejections,
)
from kompas.cyber.taxonomy import read_taxonomies


def test_every_tlp_label_of_the_taxonomy_is_mapped_or_refused(shared_taxonomies) -> None:
    tlp = read_taxonomies(shared_taxonomies)["tlp"]
    values = [p.value for p in tlp.predicates]
    assert values == ["red", "amber", "amber+strict", "green", "white", "clear", "ex:chr", "unclear"]
    read = {v: marking_of(decode_tags([f"tlp:{v}"])) for v in values}
    assert {v: m.tlp for v, (m, _) in read.items() if m is not None and v in TLP_TAGS} == {
        "red": TLP.RED, "amber": TLP.AMBER, "amber+strict": TLP.AMBER_STRICT, "green": TLP.GREEN, "white": TLP.CLEAR,
        "clear": TLP.CLEAR}
    chr_marking = read["ex:chr"][0]
    assert chr_marking is not None and chr_marking.caveats == {CHR_CAVEAT} and chr_marking.tlp == TLP.AMBER
    assert read["unclear"][0] is None and "not a FIRST TLP label" in read["unclear"][1][0].reason


def test_every_euci_level_of_the_taxonomy_is_a_classification(shared_taxonomies) -> None:
    euci = read_taxonomies(shared_taxonomies)["euci"]
    for predicate in euci.predicates:
        marking, problems = marking_of(decode_tags([f"euci:{predicate.value}"]))
        assert not problems and marking is not None
        assert marking.classification == EUCI[predicate.value]
        assert marking.classification.eu_name == predicate.expanded  # the printed EU marking, as the taxonomy says
    assert sorted(EUCI) == sorted(p.value for p in euci.predicates)


def test_an_event_without_marking_tags_is_unclassified_amber_and_unrestricted() -> None:
    marking, problems = marking_of(decode_tags(["osint:source-type=\"blog-post\""]))
    assert not problems and marking == Marking(Classification.UNCLASSIFIED, TLP.AMBER)


def test_kompas_tags_carry_releasability_need_to_know_originators_and_caveats() -> None:
    marking, problems = marking_of(decode_tags([
        "tlp:amber+strict", "euci:S-UE/EU-S", 'kompas-marking:releasable-to="be"', 'kompas-marking:releasable-to="FR"',
        'kompas-marking:need-to-know="cyber-eu,JCU"', 'kompas-marking:need-to-know="csirts"',
        'kompas-marking:originator="DE-BSI"', 'kompas-marking:caveat="eyes only"', "tlp:ex:chr"]))
    assert not problems and marking is not None
    assert marking.banner() == ("SECRET UE/EU SECRET // REL TO BE, FR // NTK (csirts) AND (cyber-eu OR jcu) // "
                                "EYES ONLY // TLP:EX:CHR // TLP:AMBER+STRICT")
    assert marking.originators == {"DE-BSI"}
    none, _ = marking_of(decode_tags(["kompas-marking:no-release"]))
    assert none is not None and none.releasable_to == frozenset()


@pytest.mark.parametrize("tags, reason", [
    (["tlp:green", "tlp:red"], "two different TLP labels on one item"),
    (["tlp:purple"], "not a FIRST TLP label"),
    (["tlp:unclear"], "not a FIRST TLP label"),
    (['tlp:amber="x"'], "not a FIRST TLP label"),
    (["euci:S-UE/EU-S", "euci:R-UE/EU-R"], "two different EU classifications"),
    (["euci:NATO-SECRET"], "not an EU classification"),
    (["euci:S-UE/EU-S", "tlp:clear"], "TLP:CLEAR (no limit on disclosure) contradicts the classification SECRET"),
    (['kompas-marking:releasable-to="NOT A CODE"'], "malformed"),
    (['kompas-marking:releasable-to="DEU"'], "is an ISO 3166 country code"),
    (['kompas-marking:need-to-know="Cyber EU"'], "not a community name"),
    (["kompas-marking:no-release", 'kompas-marking:releasable-to="BE"'], "contradicts kompas-marking:releasable-to"),
    (["kompas-marking:unclassified", "euci:R-UE/EU-R"], "contradicts the euci classification"),
    (["kompas-marking:secret"], "not a kompas-marking tag"),
    (["PAP:PURPLE"], "PAP has no predicate 'PURPLE'"),
    (["PAP:RED", "PAP:GREEN"], "the PAP taxonomy is exclusive"),
    (['admiralty-scale:source-reliability="h"'], "has no value 'h'"),
    (['admiralty-scale:information-credibility="1"', 'admiralty-scale:information-credibility="5"'],
     "information-credibility is exclusive"),
    (['estimative-language:likelihood-probability="certain"'], "has no value 'certain'"),
    (['rsit:fraud="phishing"', 'rsit:fraud="masquerade"'], "one RSIT classification per incident"),
    (['rsit:hacking="x"'], "rsit has no predicate 'hacking'"),
    (['nis2:impact-severity="red"', 'nis2:impact-severity="green"'], "impact-severity is exclusive"),
    (["misp-galaxy:threat-actor"], "a misp-galaxy tag names a cluster"),
])
def test_tags_that_cannot_be_mapped_are_rejected_never_dropped(tags, reason) -> None:
    marking, problems = marking_of(decode_tags(tags))
    assert marking is None and any(reason in p.reason for p in problems), problems
    found = rejections(problems, "event.json", 3, "Event.Attribute[2]")
    assert found and all(r.source == "event.json" and r.line == 3 and r.field == "Event.Attribute[2].Tag"
                         and r.unit == "item" for r in found)
    assert str(found[0]).startswith("event.json: item 3: Event.Attribute[2].Tag: tag ")


def test_tlp_white_and_clear_together_are_one_label() -> None:
    marking, problems = marking_of(decode_tags(["tlp:white", "tlp:clear", "TLP:WHITE"]))
    assert not problems and marking is not None and marking.tlp == TLP.CLEAR


def test_labels_are_checked_spelled_as_the_taxonomy_and_kept_in_order() -> None:
    decoded = decode_tags(["pap:amber", "workflow:state=\"draft\"", "Admiralty-Scale:source-reliability=\"B\"",
                           'rsit:Fraud="phishing"', 'misp-galaxy:threat-actor="Sofacy"', "tlp:green", "free text"])
    assert decoded.carried == ("PAP:AMBER", 'workflow:state="draft"', 'admiralty-scale:source-reliability="b"',
                               "free text")
    assert decoded.of("field") == ('rsit:fraud="phishing"',)
    assert decoded.of("galaxy") == ('misp-galaxy:threat-actor="Sofacy"',)
    assert decoded.of("marking") == ("tlp:green",)


def test_assessment_reads_the_meaning_and_numbers_of_the_real_taxonomies(shared_taxonomies) -> None:
    taxonomies = read_taxonomies(shared_taxonomies)
    found = assessment(["PAP:RED", 'admiralty-scale:source-reliability="b"',
                        'admiralty-scale:information-credibility="2"',
                        'estimative-language:likelihood-probability="likely"',
                        'estimative-language:confidence-in-analytic-judgment="moderate"'], taxonomies)
    assert found.pap is not None and found.pap[0] == "RED" and found.pap[1].startswith("(PAP:RED) Non-detectable")
    assert found.source_reliability == ("b", "Usually reliable", 75.0)
    assert found.information_credibility == ("2", "Probably true", 75.0)
    assert found.likelihood == ("likely", "Likely - probable (probably) - 55-80%", 55.0)
    assert found.confidence == ("moderate", "Moderate", 55.0)


def test_marking_tags_state_every_part_and_only_the_differences_within_an_event() -> None:
    event = Marking.build("SECRET", "GREEN", ["BE", "FR"], ["cyber-eu"], "FR-ANSSI")
    assert marking_tags(event) == ["tlp:green", "euci:S-UE/EU-S", 'kompas-marking:releasable-to="BE"',
                                   'kompas-marking:releasable-to="FR"', 'kompas-marking:releasable-to="FR-ANSSI"',
                                   'kompas-marking:need-to-know="cyber-eu"', 'kompas-marking:originator="FR-ANSSI"']
    redder = Marking(event.classification, TLP.RED, event.releasable_to, event.clauses, event.originators)
    assert marking_tags(redder, event) == ["tlp:red"]
    assert marking_tags(event, event) == []
    with pytest.raises(MarkingError, match="contradicts the classification"):
        marking_tags(Marking(Classification.RESTRICTED, TLP.CLEAR))
    with pytest.raises(MarkingError, match="cannot be written as a tag"):
        marking_tags(Marking(caveats=frozenset({'SAY "NO"'})))


CODES = ["BE", "FR", "DE", "NL", "EU", "DE-BSI", "FR-ANSSI"]
COMMUNITIES = ["cyber-eu", "jcu", "csirts", "eu-cyclone"]


@st.composite
def markings(draw: st.DrawFn) -> Marking:
    level = draw(st.sampled_from(list(Classification)))
    tlps = [t for t in TLP if not (t == TLP.CLEAR and level >= Classification.RESTRICTED)]
    rel = draw(st.none() | st.frozensets(st.sampled_from(CODES), max_size=4))
    clauses = draw(st.frozensets(st.frozensets(st.sampled_from(COMMUNITIES), min_size=1, max_size=3), max_size=2))
    originators = draw(st.frozensets(st.sampled_from(["DE-BSI", "FR-ANSSI", "NL-NCSC"]), max_size=2))
    caveats = draw(st.frozensets(st.sampled_from(["NOFORN", CHR_CAVEAT, "EYES ONLY"]), max_size=2))
    return Marking(level, draw(st.sampled_from(tlps)), rel, clauses, originators, caveats)


@settings(max_examples=50, deadline=None)
@given(markings())
def test_every_marking_round_trips_through_tags(marking) -> None:
    found, problems = marking_of(decode_tags(marking_tags(marking)))
    assert not problems and found == marking


@settings(max_examples=50, deadline=None)
@given(markings(), markings())
def test_an_attribute_marking_round_trips_over_any_event_marking(event, attribute) -> None:
    tags = marking_tags(attribute, event)
    found, problems = marking_of(decode_tags(tags), event)
    assert not problems and found == attribute
    assert (tags == []) == (attribute == event)
