"""The admiralty scale from the bundled MISP taxonomy: codes, names, validation."""

from __future__ import annotations

import pytest

from kompas.cyber.taxonomy import TaxonomyError, read_taxonomy
from kompas.intel.grading import CREDIBILITY, RELIABILITY, Grade, grade_problems, parse_grade, parse_scale
from kompas.intel.load import admiralty_scale


@pytest.fixture(scope="module")
def scale():
    return admiralty_scale()


def test_codes_names_and_values_from_the_taxonomy(scale):
    assert tuple(scale.reliability) == RELIABILITY == ("A", "B", "C", "D", "E", "F")
    assert tuple(scale.credibility) == CREDIBILITY == ("1", "2", "3", "4", "5", "6")
    assert [scale.reliability[c].name for c in RELIABILITY] == [
        "Completely reliable", "Usually reliable", "Fairly reliable", "Not usually reliable", "Unreliable",
        "Reliability cannot be judged"]
    assert [scale.credibility[c].name for c in CREDIBILITY] == [
        "Confirmed by other sources", "Probably true", "Possibly true", "Doubtful", "Improbable",
        "Truth cannot be judged"]
    assert [scale.reliability[c].numerical_value for c in RELIABILITY] == [100, 75, 50, 25, 0, 50]
    assert scale.credibility["1"].description.startswith("Confirmed by other independent sources")


def test_misp_g_is_not_a_grade(scale):
    tax = read_taxonomy("admiralty-scale")
    values = [e.value for e in tax.predicate("source-reliability").entries]
    assert values[-1] == "g"  # "Deliberatly deceptive": MISP's addition to the NATO scale
    assert "G" not in scale.reliability
    assert parse_grade("G2")[0] is None


def test_describe_and_weight(scale):
    assert scale.describe("B2") == "B2: source usually reliable, information probably true"
    assert scale.weight(Grade("A", "1")) == 1.0
    assert scale.weight(Grade("B", "2")) == pytest.approx(0.5625, abs=1e-12)
    assert scale.weight(Grade("F", "2")) is None and scale.weight(Grade("A", "6")) is None
    with pytest.raises(ValueError, match="admiralty"):
        scale.describe("Z9")


@pytest.mark.parametrize("text", ["B2", "b2", "B-2", " B 2 "])
def test_parse_grade_spellings(text):
    grade, problems = parse_grade(text)
    assert problems == [] and grade == Grade("B", "2") and str(grade) == "B2"


@pytest.mark.parametrize(("text", "fields"), [("B7", ["credibility"]), ("H2", ["reliability"]),
                                              ("X9", ["reliability", "credibility"]), ("B", ["grade"]),
                                              ("B22", ["grade"])])
def test_parse_grade_problems(text, fields):
    grade, problems = parse_grade(text)
    assert grade is None and [f for f, _ in problems] == fields


def test_grade_problems_accepts_a_number_for_credibility():
    assert grade_problems("C", 3) == []
    assert [f for f, _ in grade_problems("c", True)] == ["reliability", "credibility"]


def test_a_taxonomy_missing_a_code_is_refused():
    data = {"namespace": "admiralty-scale", "description": "x", "version": 1,
            "predicates": [{"value": "source-reliability"}, {"value": "information-credibility"}],
            "values": [{"predicate": "source-reliability", "entry": [{"value": c.lower()} for c in "ABCDE"]},
                       {"predicate": "information-credibility", "entry": [{"value": c} for c in "123456"]}]}
    with pytest.raises(TaxonomyError, match="lacks F"):
        parse_scale(data, "short.json")
