"""The multi-annual plan: the loader's refusals (one broken field each, named precisely), the shipped ILLUSTRATIVE
plan (loads with zero rejections, labelled illustrative at the top and in every exercise, no plan-level finding),
the plan-level findings, and the seed places the plan rests on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kompas.exercise import load, msel, plan, review
from kompas.exercise.load import PLAN, load_plan
from kompas.exercise.plan import LEVELS, findings, parse_plan
from kompas.response.workflow import WORKFLOWS
from tests.exercise.conftest import GOOD_PLAN
from tests.test_io_layer import file_access


def _parsed(text: str):
    return parse_plan(text, "plan.yaml")


def test_the_good_plan_loads_whole() -> None:
    found, rejections = _parsed(GOOD_PLAN)
    assert rejections == []
    assert [e.code for e in found.exercises] == ["EX-A", "EX-B"]
    a = found.exercise("EX-A")
    assert a is not None and a.start_utc == "2027-03-01T08:00:00.000000000Z"
    assert a.end_utc == "2027-03-02T08:00:00.000000000Z"  # 24 h later
    assert a.participants[1].name == "Member State IT"
    assert found.exercise("EX-B").objectives[0].art_42_7 is True


@pytest.mark.parametrize(("old", "new", "item", "field", "reason"), [
    ("steps: [informed]", "steps: [informd]", 1, "exercises.objectives[1].steps", "'informd' is not a step of the "
                                                                                  "space workflow"),
    ("code: EX-B", "code: EX-A", 2, "exercises.code", "'EX-A' is used twice"),
    ("level: technical", "level: strategic", 1, "exercises.level", "'strategic' is not one of technical"),
    ("workflow: space, steps: [informed]", "workflow: galaxy, steps: [informed]", 1,
     "exercises.objectives[1].workflow", "'galaxy' is not one of space, hybrid, cyber, fimi"),
    ("level: political-strategic", "level: operational", 2, "exercises.objectives[1].art_42_7",
     "an Article 42(7) objective belongs to a political-strategic exercise"),
    ("year: 2027\n  level: technical", "year: 2031\n  level: technical", 1, "exercises.year",
     "2031 is not a year in 2027..2028"),
    ('start_utc: "2027-03-01T08:00:00Z"', 'start_utc: "2028-03-01T08:00:00Z"', 1, "exercises.start_utc",
     "is not in the exercise's year 2027"),
    ('start_utc: "2027-03-01T08:00:00Z"', 'start_utc: "yesterday"', 1, "exercises.start_utc",
     "not an ISO 8601 UTC time"),
    ("duration_h: 24", "duration_h: -3", 1, "exercises.duration_h", "is not a number of hours"),
    ("{org: MS-IT, role: player}", "{org: MS-XX, role: player}", 1, "exercises.participants[2].org",
     "MS-XX needs an EU Member State's ISO 3166 alpha-2 code"),
    ("{org: PSC, role: player}", "{org: PSC, role: spectator}", 2, "exercises.participants[1].role",
     "'spectator' is not one of lead"),
    ("scenario: rpo", "scenario: alien-invasion", 2, "exercises.scenario", "'alien-invasion' is not one of"),
    ("builds_on: [stra-2023]", "builds_on: [stra-2099]", 1, "exercises.builds_on",
     "'stra-2099' is not a precedent of the plan"),
    ("  illustrative: true\n  title: second", "  title: second", 2, "exercises.illustrative",
     "missing: say true or false"),
])
def test_a_malformed_exercise_is_refused_precisely_and_the_rest_kept(old, new, item, field, reason) -> None:
    assert old in GOOD_PLAN
    found, rejections = _parsed(GOOD_PLAN.replace(old, new, 1))
    assert len(rejections) == 1, rejections
    r = rejections[0]
    assert (r.source, r.line, r.field, r.unit) == ("plan.yaml", item, field, "item")
    assert reason in r.reason
    assert len(found.exercises) == 1  # the other exercise still goes through
    assert str(r).startswith(f"plan.yaml: item {item}: {field}: ")


def test_a_verified_claim_without_a_source_is_refused() -> None:
    text = GOOD_PLAN.replace('  sources: ["https://eeas.europa.eu/eeas/space-eu-tests-its-response-mechanism-threats_en"]\n',
                             "")
    found, rejections = _parsed(text)
    assert [(r.line, r.field) for r in rejections] == [(1, "precedents.sources"), (1, "exercises.builds_on")]
    assert "a claim marked verified needs at least one source" in rejections[0].reason
    assert found.precedents == ()
    # the same claim marked unverified may stand without a source
    found, rejections = _parsed(text.replace("verified: true", "verified: false"))
    assert rejections == [] and found.precedents[0].verified is False


def test_a_file_that_is_not_a_plan_is_one_rejection() -> None:
    for text, reason in (("- a\n- b\n", "not a mapping"), ("title: [\n", "not YAML"),
                         (GOOD_PLAN.replace("years: [2027, 2028]", "years: [2029, 2028]"), "2029 is after 2028"),
                         (GOOD_PLAN.replace("illustrative: true\nyears", "years"), "missing: say true or false")):
        found, rejections = _parsed(text)
        assert len(rejections) == 1 and rejections[0].line == 0 and reason in rejections[0].reason
        assert found.exercises == ()
    _, rejections = load_plan("/nonexistent/plan.yaml")
    assert len(rejections) == 1 and "no such file" in rejections[0].reason


def test_aliases_are_refused() -> None:
    _, rejections = _parsed("a: &x [1]\nb: *x\n")
    assert len(rejections) == 1 and "aliases" in rejections[0].reason


def test_the_shipped_plan_loads_with_zero_rejections_and_is_labelled_illustrative() -> None:
    shipped, rejections = load_plan()
    assert rejections == []
    assert shipped.years == (2027, 2030) and shipped.illustrative is True
    assert "ILLUSTRATIVE" in shipped.title
    assert PLAN.read_text().startswith("# ILLUSTRATIVE")
    assert len(shipped.exercises) == 12
    for e in shipped.exercises:
        assert e.illustrative is True and e.title.startswith("ILLUSTRATIVE"), e.code
        assert e.as_dict()["illustrative"] is True
    assert shipped.as_dict()["illustrative"] is True
    # the public precedents are marked: both verified and unverified ones occur, each verified one has a source
    assert {p.verified for p in shipped.precedents} == {True, False}
    assert all(p.sources and p.checked for p in shipped.precedents if p.verified)
    verified = {p.id for p in shipped.precedents if p.verified}
    assert {"stra-2023", "psc-ttx-2023", "milex-23", "eu-ir-22-pace"} <= verified
    assert "stra-x-24" not in verified  # read on an unofficial mirror only


def test_the_shipped_plan_meets_every_plan_level_check() -> None:
    shipped, _ = load_plan()
    assert findings(shipped) == []
    for year in range(2027, 2031):
        assert {e.level for e in shipped.in_year(year)} == set(LEVELS)
    assert sum(o.art_42_7 for e in shipped.exercises for o in e.objectives) >= 2


def test_findings_name_a_missing_level_an_untied_year_and_no_article_42_7() -> None:
    found, _ = _parsed(GOOD_PLAN)
    got = [(f.kind, f.year) for f in findings(found)]
    # 2027 lacks the operational level; 2028 has no exercise at all
    assert got == [("level-missing", 2027), ("level-missing", 2028), ("level-missing", 2028),
                   ("level-missing", 2028), ("monitoring-untied", 2028)]
    untied, _ = _parsed(GOOD_PLAN.replace("steps: [informed]", "steps: [deliberation]")
                        .replace("art_42_7: true", "art_42_7: false"))
    kinds = [(f.kind, f.year) for f in findings(untied)]
    assert ("monitoring-untied", 2027) in kinds and ("no-art-42-7", None) in kinds
    assert WORKFLOWS["space"].steps[0].id == "informed"  # the step the monitoring tie rests on


def test_the_seed_places_the_plan_rests_on_are_in_the_seed(seeds) -> None:
    from kompas.compass.register import Place, quote_problem

    text = seeds[review.PLAN_PLACE.source]
    assert quote_problem(review.PLAN_PLACE, text) is None
    shipped, _ = load_plan()
    monitoring = next(p for p in shipped.precedents if p.id == "decision-2021-698-monitoring")
    assert "l.508-512" in monitoring.sources[0]
    quoted = Place(review.PLAN_PLACE.source, 508, 512, monitoring.checked.split("'")[1])
    assert quote_problem(quoted, text) is None


def test_the_engines_do_no_file_access() -> None:
    """The engine modules only parse text; load.py reads through kompas.files (tests/test_io_layer.py's scan)."""
    for module in (plan, msel, review):
        source = Path(module.__file__).read_text()
        assert file_access(source, module.__name__) == [], module.__name__
        assert "kompas.files" not in {n.module for n in ast.walk(ast.parse(source))
                                      if isinstance(n, ast.ImportFrom)}
    assert "kompas.files" in Path(load.__file__).read_text()
