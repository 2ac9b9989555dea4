"""Markings: parsing, printing, the access rule and derivation (pure; see test_access_properties for storage)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompas.core.markings import (
    TLP,
    Classification,
    Marking,
    MarkingError,
    Viewer,
    combine,
    may_see,
    sanitise,
)
from tests.core.strategies import markings, viewers


def test_eu_names_and_parsing() -> None:
    assert Classification.RESTRICTED.eu_name == "RESTREINT UE/EU RESTRICTED"
    assert Classification.TOP_SECRET.eu_name == "TRES SECRET UE/EU TOP SECRET"
    assert Classification.parse("top secret") is Classification.TOP_SECRET
    assert Classification.parse("CONFIDENTIEL UE/EU CONFIDENTIAL") is Classification.CONFIDENTIAL
    assert TLP.parse("TLP:AMBER+STRICT") is TLP.AMBER_STRICT and TLP.AMBER_STRICT.label == "TLP:AMBER+STRICT"
    assert TLP.parse("white") is TLP.CLEAR
    with pytest.raises(MarkingError, match="unknown classification"):
        Classification.parse("COSMIC")
    with pytest.raises(MarkingError, match="not a community name"):
        Marking.build(communities=["bad name!"])


def test_banner() -> None:
    m = Marking.build("SECRET", "RED", ["FR", "BE"], ["sst"], originator="BE-DEF", caveats=["eyes only"])
    assert m.banner() == "SECRET UE/EU SECRET // REL TO BE, BE-DEF, FR // NTK (sst) // EYES ONLY // TLP:RED"


def test_rule_by_hand() -> None:
    nl = Viewer(Classification.SECRET, "NL-NSO", "NL", frozenset({"sst"}))
    assert may_see(nl, Marking.build("SECRET", releasable_to=["NL"], communities=["sst", "geo"]))
    assert not may_see(nl, Marking.build("TOP_SECRET"))
    assert not may_see(nl, Marking.build("RESTRICTED", releasable_to=["FR"]))
    assert not may_see(nl, Marking.build("RESTRICTED", communities=["fimi"]))
    assert may_see(nl, Marking.build("RESTRICTED", releasable_to=["NL-NSO"]))


def test_originator_keeps_sight_of_its_contribution() -> None:
    assert Marking.build(releasable_to=["FR"], originator="NL-NSO").releasable_to == {"FR", "NL-NSO"}


@given(st.lists(markings, min_size=1, max_size=4), viewers())
def test_derived_item_is_seen_only_by_those_who_see_every_input(inputs: list[Marking], viewer: Viewer) -> None:
    derived = combine(inputs)
    if may_see(viewer, derived):
        assert all(may_see(viewer, m) for m in inputs)
    assert derived.classification == max(m.classification for m in inputs)
    assert derived.tlp == max(m.tlp for m in inputs)
    assert derived.originators == frozenset().union(*(m.originators for m in inputs))


@given(st.lists(markings, min_size=1, max_size=4), viewers())
def test_combination_is_exact_for_clearance_and_communities(inputs: list[Marking], viewer: Viewer) -> None:
    """Without releasability lists, the derived item is visible exactly to those who see every input."""
    unrestricted = [Marking(m.classification, m.tlp, None, m.clauses, m.originators) for m in inputs]
    assert may_see(viewer, combine(unrestricted)) == all(may_see(viewer, m) for m in unrestricted)


@given(markings, markings, markings)
def test_combine_is_associative_commutative_idempotent(a: Marking, b: Marking, c: Marking) -> None:
    assert combine([a, combine([b, c])]) == combine([combine([a, b]), c]) == combine([c, b, a])
    assert combine([a, a]) == a
    assert combine([a, b]).key() == combine([b, a]).key()


def test_sanitised_release_needs_every_originator() -> None:
    derived = combine([Marking.build("SECRET", originator="NL-NSO"), Marking.build("SECRET", originator="FR-CNES")])
    released = Marking.build("UNCLASSIFIED", "GREEN")
    with pytest.raises(MarkingError, match="FR-CNES"):
        sanitise(derived, released, ["NL-NSO"])
    out = sanitise(derived, released, ["NL-NSO", "FR-CNES"])
    assert out.classification is Classification.UNCLASSIFIED and out.originators == {"NL-NSO", "FR-CNES"}
