"""ICD 203 estimative language: the bands against the bundled MISP taxonomy's own texts and numbers, and against
the attribution scale they are taken from."""

from __future__ import annotations

import json

import pytest

from kompas.cyber.taxonomy import TaxonomyError, read_taxonomy
from kompas.intel import language
from kompas.intel.language import CONFIDENCE, ICD203, WORDS, likelihood_word, midpoint, parse_scale, probability
from kompas.intel.load import estimative_scale
from kompas.response.attribution import CONFIDENCE as ATTRIBUTION_SCALE

#: ICD 203 (2015), section D.6.e.(2)(a): the seven expressions and their ranges, in percent, as the directive
#: prints them (01-05, 05-20, 20-45, 45-55, 55-80, 80-95, 95-99).
ICD_203_TABLE = [("almost no chance", 1, 5), ("very unlikely", 5, 20), ("unlikely", 20, 45),
                 ("roughly even chance", 45, 55), ("likely", 55, 80), ("very likely", 80, 95),
                 ("almost certain", 95, 99)]


@pytest.fixture(scope="module")
def taxonomy():
    return read_taxonomy("estimative-language")


def test_the_bands_are_the_ones_the_taxonomy_states(taxonomy):
    parsed = parse_scale(taxonomy)
    assert parsed.words == WORDS
    assert [(b.low, b.high) for b in parsed.bands] == [(b.low, b.high) for b in ICD203.bands]
    # the taxonomy's numerical_value is the lower bound (percent), except the first band: 0 where ICD 203 says 01
    entries = taxonomy.predicate("likelihood-probability").entries
    assert [e.numerical_value for e in entries] == [0, 5, 20, 45, 55, 80, 95]
    for entry, band in zip(entries[1:], ICD203.bands[1:], strict=True):
        assert band.low * 100 == pytest.approx(entry.numerical_value, abs=1e-9), entry.value
    assert ICD203.bands[0].low == 0.01 and entries[0].numerical_value == 0


def test_the_bands_are_icd_203s_table():
    for (label, low, high), band in zip(ICD_203_TABLE, ICD203.bands, strict=True):
        assert (band.label, band.low, band.high) == (label, low / 100, high / 100)


def test_one_source_with_the_attribution_scale():
    """The numbers come from kompas.response.attribution.CONFIDENCE (two words spelled differently there)."""
    renamed = {"remote": "almost-no-chance", "roughly-even": "roughly-even-chance"}
    assert {renamed.get(k, k): (lo / 100, hi / 100) for k, (lo, hi) in ATTRIBUTION_SCALE.items()} == \
        {b.word: (b.low, b.high) for b in ICD203.bands}
    assert language.canonical("remote") == "almost-no-chance"
    assert language.canonical("roughly-even") == "roughly-even-chance"


def test_every_expression_in_the_taxonomy_is_understood(taxonomy):
    parsed = parse_scale(taxonomy)
    for band in parsed.bands:
        for text in (band.word, *band.synonyms):
            assert ICD203.canonical(text) == band.word, text
        if band.word == "roughly-even-chance":
            assert band.label == "roughly even change"  # the taxonomy's typo for "chance"
        else:
            assert ICD203.canonical(band.label) == band.word, band.label


def test_confidence_levels_and_their_meaning(taxonomy):
    assert CONFIDENCE == ("low", "moderate", "high")
    entries = taxonomy.predicate("confidence-in-analytic-judgment").entries
    assert tuple(e.value for e in entries) == CONFIDENCE
    parsed = parse_scale(taxonomy)
    assert parsed.confidence["high"].startswith("Well-corroborated information from proven sources")
    assert "Many assumptions" in parsed.confidence["low"]


def test_probability_and_midpoint():
    assert probability("likely") == (0.55, 0.80)
    assert midpoint("likely") == pytest.approx(0.675, abs=1e-12)
    assert midpoint("almost-no-chance") == pytest.approx(0.03, abs=1e-12)
    assert midpoint("Almost certainly") == pytest.approx(0.97, abs=1e-12)
    assert probability("highly probable") == (0.80, 0.95)
    with pytest.raises(ValueError, match="not an ICD 203 likelihood word"):
        probability("perhaps")


@pytest.mark.parametrize(("p", "word"), [
    (0.0, "almost-no-chance"), (0.005, "almost-no-chance"), (0.03, "almost-no-chance"),
    (0.05, "very-unlikely"), (0.2, "unlikely"), (0.3, "unlikely"), (0.45, "roughly-even-chance"),
    (0.5, "roughly-even-chance"), (0.55, "roughly-even-chance"), (0.7, "likely"), (0.8, "likely"),
    (0.9, "very-likely"), (0.95, "very-likely"), (0.96, "almost-certain"), (1.0, "almost-certain")])
def test_word_for_a_probability(p, word):
    assert likelihood_word(p) == word


def test_words_for_p_and_1_minus_p_mirror_each_other():
    mirror = dict(zip(WORDS, reversed(WORDS), strict=True))
    for i in range(1001):  # p and 1 - p both written exactly as i / 1000 (1 - 0.55 is 0.44999999999999996)
        assert likelihood_word((1000 - i) / 1000) == mirror[likelihood_word(i / 1000)], i


def test_every_midpoint_maps_back_to_its_word():
    for word in WORDS:
        assert likelihood_word(midpoint(word)) == word


def test_a_probability_outside_0_1_is_refused():
    with pytest.raises(ValueError):
        likelihood_word(1.2)


def test_read_once_through_the_loader():
    scale = estimative_scale()
    assert scale is estimative_scale()
    assert scale.words == WORDS


def test_a_taxonomy_without_ranges_is_refused(taxonomy):
    data = json.loads(json.dumps({"namespace": "estimative-language", "description": "x", "version": 1,
                                  "predicates": [{"value": "likelihood-probability"}],
                                  "values": [{"predicate": "likelihood-probability",
                                              "entry": [{"value": "likely", "expanded": "Likely"}]}]}))
    with pytest.raises(TaxonomyError, match="no 'NN-MM%' range"):
        parse_scale(data, "broken.json")
    swapped = {"namespace": "estimative-language", "description": "x", "version": 1,
               "predicates": [{"value": "likelihood-probability"}],
               "values": [{"predicate": "likelihood-probability",
                           "entry": [{"value": "likely", "expanded": "Likely - 55-80%"},
                                     {"value": "unlikely", "expanded": "Unlikely - 20-45%"}]}]}
    with pytest.raises(TaxonomyError, match="not increasing"):
        parse_scale(swapped, "swapped.json")


def test_the_shared_original_gives_the_same_bands():
    """The issue names ../shared/data/cyber/misp-taxonomies/estimative-language/ (MISP's own copy, CC0)."""
    from kompas.cyber.taxonomy import shared_folder

    folder = shared_folder()
    if folder is None or not (folder / "estimative-language" / "machinetag.json").exists():
        pytest.skip("../shared/data/cyber/misp-taxonomies is absent (clone ../shared beside the repository)")
    shared = estimative_scale(folder)
    assert [(b.word, b.low, b.high) for b in shared.bands] == [(b.word, b.low, b.high) for b in ICD203.bands]
