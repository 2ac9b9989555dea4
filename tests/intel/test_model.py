"""Reports, assessments, key judgements, citations and requirements: validation, JSON round trips, bounds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompas.intel.language import WORDS
from kompas.intel.model import (
    KINDS,
    MAX_CITATIONS,
    MAX_JUDGEMENT,
    MAX_TITLE,
    Assessment,
    Citation,
    KeyJudgement,
    Report,
    Requirement,
    cited_ids,
    resolve,
)

REPORT = Report("Convoy seen near the border", "Twelve trucks, northbound.\nSecond line.", "B", "2",
                "Liaison service, direct access", "2026-03-01", ("FR", "LTU"), ("Unit 29155",), ("convoy",))
KJ = KeyJudgement("Troops will cross the border before June", "likely", "moderate", "2026-06-01",
                  "Any regular unit observed across the border", None, "", None)
ASSESSMENT = Assessment("Border outlook", "weekly-outlook", "East desk", "Summary.\nMore.", (KJ,),
                        (Citation("report", "17"), Citation("event", "2a4f0c7e-9b1d-4e36-8f55-1c7d3b9a6e02")),
                        "req-3", "2026-03-05")


def fields(problems):
    return [f for f, _ in problems]


def test_valid_records_have_no_problems():
    assert REPORT.problems() == []
    assert KJ.problems() == []
    assert ASSESSMENT.problems() == []
    assert Requirement("Will X mobilise?", "J2 desk", "2026-05-01", "high", "open").problems() == []
    assert REPORT.grade.code == "B2"


@pytest.mark.parametrize(("change", "field"), [
    ({"reliability": "G"}, "reliability"), ({"reliability": "b"}, "reliability"), ({"credibility": "7"}, "credibility"),
    ({"title": " "}, "title"), ({"title": "x" * (MAX_TITLE + 1)}, "title"), ({"title": "two\nlines"}, "title"),
    ({"text": "nul\x00"}, "text"), ({"date": "2026-02-30"}, "date"), ({"date": "1 March"}, "date"),
    ({"countries": ("France",)}, "countries[0]"), ({"countries": ("FR", "FR")}, "countries[1]"),
    ({"tags": tuple(f"t{i}" for i in range(51))}, "tags"), ({"actors": ("",)}, "actors[0]")])
def test_report_problems_name_the_field(change, field):
    assert field in fields(replace(REPORT, **change).problems())


def test_judgement_rules():
    assert fields(replace(KJ, likelihood="probable").problems()) == ["likelihood"]
    assert "write 'likely'" in replace(KJ, likelihood="probable").problems()[0][1]
    assert fields(replace(KJ, confidence="medium").problems()) == ["confidence"]
    assert fields(replace(KJ, criterion="").problems()) == ["criterion"]
    assert fields(replace(KJ, resolution_date="").problems()) == ["resolution_date"]
    # an outcome needs a resolution and the day it was resolved
    assert fields(replace(KJ, outcome=True).problems()) == ["resolved_at"]
    bare = KeyJudgement("X", "likely", "low")
    assert "outcome" in fields(replace(bare, outcome=True, resolved_at="2026-07-01").problems())
    assert fields(replace(KJ, resolved_at="2026-07-01").problems()) == ["resolved_at"]
    # an explicit probability lies in the word's band
    assert replace(KJ, probability=0.7).problems() == []
    assert replace(KJ, probability=0.55).problems() == []
    assert fields(replace(KJ, probability=0.9).problems()) == ["probability"]
    assert fields(replace(KJ, probability=1.5).problems()) == ["probability"]


def test_forecast_is_the_band_midpoint_or_the_stated_probability():
    assert KJ.forecast == pytest.approx(0.675, abs=1e-12)
    assert replace(KJ, probability=0.6).forecast == 0.6
    assert KeyJudgement("X", "almost-no-chance", "high").forecast == pytest.approx(0.03, abs=1e-12)


def test_resolution_date_after_the_assessment():
    same_day = replace(ASSESSMENT, key_judgements=(replace(KJ, resolution_date="2026-03-05"),))
    assert fields(same_day.problems()) == ["key_judgements[0].resolution_date"]
    before = replace(ASSESSMENT, key_judgements=(replace(KJ, resolution_date="2026-01-01"),))
    assert fields(before.problems()) == ["key_judgements[0].resolution_date"]
    early = replace(ASSESSMENT, key_judgements=(replace(KJ, outcome=False, resolved_at="2026-03-01"),))
    assert fields(early.problems()) == ["key_judgements[0].resolved_at"]
    assert fields(replace(ASSESSMENT, date="").problems()) == ["date"]


def test_assessment_citations():
    twice = replace(ASSESSMENT, citations=(Citation("report", "17"), Citation("report", "17")))
    assert fields(twice.problems()) == ["citations[1]"]
    assert fields(replace(ASSESSMENT, citations=(Citation("rumour", "1"),)).problems()) == ["citations[0].kind"]
    assert fields(replace(ASSESSMENT, citations=(Citation("event", "a b"),)).problems()) == ["citations[0].id"]
    many = tuple(Citation("event", str(i)) for i in range(MAX_CITATIONS + 1))
    assert fields(replace(ASSESSMENT, citations=many).problems()) == ["citations"]


def test_cited_ids_by_kind():
    cited = cited_ids(replace(ASSESSMENT, citations=(*ASSESSMENT.citations, Citation("report", "9"),
                                                     Citation("board", "b1"))))
    assert cited == {"report": ("17", "9"), "event": ("2a4f0c7e-9b1d-4e36-8f55-1c7d3b9a6e02",), "assessment": (),
                     "board": ("b1",)}
    assert set(cited) == set(KINDS)
    assert cited_ids([]) == {kind: () for kind in KINDS}


def test_resolve():
    done, problems = resolve(KJ, True, "2026-05-20")
    assert problems == [] and done is not None and done.outcome is True and done.resolved
    again, problems = resolve(done, False, "2026-06-02")
    assert again is None and fields(problems) == ["outcome"]
    unscorable, problems = resolve(KeyJudgement("X", "likely", "low"), True, "2026-05-20")
    assert unscorable is None and "outcome" in fields(problems)
    bad_day, problems = resolve(KJ, True, "20 May")
    assert bad_day is None and fields(problems) == ["resolved_at"]


def test_requirement():
    req = Requirement("Will X mobilise?", "J2 desk", "2026-05-01")
    assert (req.priority, req.status) == ("medium", "open")
    assert req.overdue("2026-05-02") and not req.overdue("2026-05-01")
    assert not replace(req, status="answered").overdue("2027-01-01")
    assert fields(replace(req, priority="urgent", status="done", due="soon").problems()) == \
        ["due", "priority", "status"]


def test_round_trips():
    for item in (REPORT, KJ, ASSESSMENT, Requirement("Q?", "owner", "2026-05-01"), Citation("board", "b1")):
        again, problems = type(item).from_dict(item.as_dict())
        assert problems == [] and again == item


def test_from_dict_normalises_spellings():
    data = ASSESSMENT.as_dict()
    data["key_judgements"][0] |= {"likelihood": "Probably", "confidence": "MODERATE", "resolved_at": None,
                                  "probability": None}
    data["requirement"] = None
    data["citations"][0]["id"] = 17
    made, problems = Assessment.from_dict(data)
    assert problems == [] and made is not None
    assert made.key_judgements[0].likelihood == "likely" and made.key_judgements[0].confidence == "moderate"
    assert made.requirement == "" and made.citations[0].id == "17"
    report = REPORT.as_dict() | {"reliability": "b", "credibility": 2}
    del report["grade"]
    made_report, problems = Report.from_dict(report)
    assert problems == [] and made_report == REPORT


def test_from_dict_reports_every_problem_with_its_place():
    data = ASSESSMENT.as_dict()
    data["key_judgements"] = [KJ.as_dict() | {"likelihood": "perhaps"}, {"text": "Y"}]
    data["citations"] = [{"kind": "report"}, "17"]
    data["colour"] = "red"
    del data["team"]
    made, problems = Assessment.from_dict(data)
    assert made is None
    assert set(fields(problems)) == {"colour", "team", "key_judgements[0].likelihood", "key_judgements[1].likelihood",
                                     "key_judgements[1].confidence", "citations[0].id", "citations[1]"}
    only_the_word = {k: v for k, v in data.items() if k != "colour"} | {
        "team": "T", "key_judgements": [KJ.as_dict() | {"likelihood": "perhaps"}], "citations": []}
    made, problems = Assessment.from_dict(only_the_word)
    assert made is None and fields(problems) == ["key_judgements[0].likelihood"]
    assert Report.from_dict(["not", "a", "mapping"]) == (None, [("report", "a report is an object, got list")])
    assert fields(Report.from_dict(REPORT.as_dict() | {"grade": "A1"})[1]) == ["grade"]
    assert fields(Report.from_dict(REPORT.as_dict() | {"grade": "Q1"})[1]) == ["reliability"]
    shorthand = {k: v for k, v in REPORT.as_dict().items() if k not in ("reliability", "credibility")}
    assert Report.from_dict(shorthand) == (REPORT, [])
    assert fields(KeyJudgement.from_dict(KJ.as_dict() | {"outcome": "yes"})[1]) == ["outcome"]
    assert fields(KeyJudgement.from_dict(KJ.as_dict() | {"probability": float("nan")})[1]) == ["probability"]


def test_sizes_are_bounded():
    long = replace(KJ, text="x" * (MAX_JUDGEMENT + 1))
    assert fields(long.problems()) == ["text"]
    made, problems = Assessment.from_dict(ASSESSMENT.as_dict() | {"key_judgements": [KJ.as_dict()] * 51})
    assert made is None and fields(problems) == ["key_judgements"]


texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1))


@st.composite
def assessments(draw):
    issued = draw(days)
    judgements = []
    for _ in range(draw(st.integers(0, 4))):
        word = draw(st.sampled_from(WORDS))
        scored = draw(st.booleans())
        due = issued.toordinal() + draw(st.integers(1, 400))
        outcome = draw(st.sampled_from([None, True, False])) if scored else None
        done = date.fromordinal(issued.toordinal() + draw(st.integers(0, 500)))
        judgements.append(KeyJudgement(
            draw(texts), word, draw(st.sampled_from(["low", "moderate", "high"])),
            date.fromordinal(due).isoformat() if scored else "",
            draw(texts) if scored else "", outcome, done.isoformat() if outcome is not None else ""))
    citations = draw(st.lists(st.builds(Citation, st.sampled_from(KINDS),
                                        st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,20}", fullmatch=True)),
                              max_size=5, unique=True))
    return Assessment(draw(texts), draw(texts), draw(texts), draw(texts), tuple(judgements), tuple(citations),
                      "", issued.isoformat())


@given(assessments())
def test_any_valid_assessment_round_trips(assessment):
    assert assessment.problems() == []
    again, problems = Assessment.from_dict(assessment.as_dict())
    assert problems == [] and again == assessment


@given(st.dictionaries(st.sampled_from(["title", "product_line", "team", "summary", "date", "key_judgements",
                                        "citations", "requirement", "extra"]),
                       st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2),
                                 st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))))
def test_from_dict_never_raises_on_junk(data):
    made, problems = Assessment.from_dict(data)
    assert (made is None) == bool(problems)
