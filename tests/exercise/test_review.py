"""The after-action review on a constructed exercise with hand-computed delays (a missed step reported missed, a late
one late, one taken before its inject flagged), both platform shapes of the response record, a property test on
generated records, and lessons turned into commitments-register entries that the register's own checks accept."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.compass.evidence import parse_notes
from kompas.compass.load import load_register
from kompas.compass.register import check, parse_entries
from kompas.exercise.msel import Expected, Inject, build_msel, expect
from kompas.exercise.plan import Exercise, Objective, Participant
from kompas.exercise.review import Lesson, Raised, lesson_entries, read_responses, review
from kompas.times import parse_time_utc, utc_text_ns

DAY = 86_400.0
START = "2027-03-01T08:00:00Z"

EXERCISE = Exercise(
    "EX-1", "constructed", 2027, "political-strategic", "table-top",
    (Objective("O1", "inform the HR", "space", ("informed",)),
     Objective("O2", "deliberate and decide", "space", ("deliberation", "decision")),
     Objective("O3", "cyber awareness", "cyber", ("awareness",)),
     Objective("O4", "implement", "space", ("implementation",))),
    (Participant("PSC", "player"),), "breakup", "2027-03-01T08:00:00.000000000Z", 240.0, illustrative=True)


def _msel():
    injects = [
        Inject("BRK-T0", "breakup", "break-up", at_offset_s=3600.0, expected=expect("space", ["informed"])),
        Inject("BRK-TR", "threat-report", "report", at_offset_s=3 * DAY,
               expected=expect("space", ["deliberation", "decision"], from_step="informed")),
        Inject("CYB-01", "cyber-intrusion", "intrusion", at_offset_s=7200.0, expected=expect("cyber", ["awareness"])),
        Inject("NEWS", "media", "article", at_offset_s=4 * 3600.0),
    ]
    msel, rejections = build_msel("EX-1", START, injects)
    assert rejections == []
    return msel


RAISED = {"BRK-T0": Raised("ev-1", "2027-03-01T09:05:00Z"), "BRK-TR": Raised("ev-2", "2027-03-04T08:30:00Z"),
          "CYB-01": None, "NEWS": Raised("ev-4", "2027-03-01T11:59:00Z")}
VIEW = {"id": "R1", "event_id": "ev-1", "toolbox": "space", "history": [
    {"step": "informed", "at_utc": "2027-03-01T10:00:00.000000000Z", "opened": True},
    {"step": "deliberation", "at_utc": "2027-03-04T20:00:00.000000000Z"},
    {"step": "decision", "at_utc": "2027-03-13T08:00:00.000000000Z"},
    {"step": "implementation", "at_utc": "2027-03-20T08:00:00.000000000Z"}]}
STORED = {"id": "R1", "event_id": "ev-1", "toolbox": "space", "opened_utc": "2027-03-01T10:00:00.000000000Z",
          "moves": VIEW["history"][1:]}


def test_delays_and_statuses_by_hand() -> None:
    result = review(_msel(), RAISED, [VIEW], EXERCISE)
    assert result.rejections == () and result.illustrative is True
    t0, tr, cyb, news = (result.inject(i) for i in ("BRK-T0", "BRK-TR", "CYB-01", "NEWS"))
    # raised: 09:05 for an inject at 09:00 (300 s); 08:30 for 08:00 (1800 s); never; 11:59 for 12:00 (flagged)
    assert (t0.raise_delay_s, t0.raise_status, t0.event_id) == (300.0, "raised", "ev-1")
    assert (tr.raise_delay_s, tr.raise_status) == (1800.0, "raised")
    assert (cyb.raise_delay_s, cyb.raise_status) == (None, "not-raised")
    assert (news.raise_delay_s, news.raise_status) == (-60.0, "before-inject")
    # informed at 10:00, 1 h after the 09:00 inject: on time (24 h allowed)
    assert [(s.step, s.delay_s, s.status) for s in t0.steps] == [("informed", 3600.0, "on-time")]
    # the threat report at 03-04 08:00: deliberation 12 h later (3 d allowed); decision 9 d later (7 d allowed)
    assert [(s.step, s.delay_s, s.status, s.response_id) for s in tr.steps] == [
        ("deliberation", 43200.0, "on-time", "R1"), ("decision", 9 * DAY, "late", "R1")]
    assert [(s.step, s.status, s.taken_utc, s.delay_s) for s in cyb.steps] == [("awareness", "missed", None, None)]
    assert news.steps == ()
    statuses = {o.objective.id: o.status for o in result.objectives}
    assert statuses == {"O1": "met", "O2": "partly", "O3": "not met", "O4": "met"}
    o4 = next(o for o in result.objectives if o.objective.id == "O4")
    assert "no inject expects it" in o4.evidence[0]
    t = result.totals
    assert (t.injects, t.raised, t.not_raised, t.raised_before) == (4, 2, 1, 1)
    assert (t.raise_delay_median_s, t.raise_delay_max_s) == (1050.0, 1800.0)
    assert (t.steps_expected, t.on_time, t.late, t.missed, t.before_inject) == (4, 2, 1, 1, 0)
    assert (t.step_delay_median_s, t.step_delay_max_s, t.on_time_pct) == (43200.0, 9 * DAY, 50.0)
    shown = result.as_dict()
    assert shown["injects"][0]["steps"][0]["taken_utc"] == "2027-03-01T10:00:00.000Z"
    assert shown["objectives"][1]["status"] == "partly" and shown["illustrative"] is True


def test_the_stored_row_shape_gives_the_same_review() -> None:
    assert review(_msel(), RAISED, [STORED], EXERCISE).as_dict() == review(_msel(), RAISED, [VIEW], EXERCISE).as_dict()


def test_a_step_taken_before_its_inject_in_the_linked_response_is_flagged() -> None:
    early = {"id": "R2", "event_id": "ev-2", "toolbox": "space", "opened_utc": "2027-03-03T08:00:00Z",
             "moves": [{"step": "deliberation", "at_utc": "2027-03-03T09:00:00Z"}]}
    result = review(_msel(), RAISED, [VIEW, early], EXERCISE)
    deliberation = result.inject("BRK-TR").steps[0]
    # the response opened on the report's own event is looked at first: it deliberated 23 h before the report
    assert (deliberation.status, deliberation.delay_s, deliberation.response_id) == ("before-inject", -23 * 3600.0,
                                                                                     "R2")
    assert result.totals.before_inject == 1
    assert 43200.0 not in [s.delay_s for i in result.injects for s in i.steps]


def test_a_skipped_step_is_missed_and_says_who_skipped_it() -> None:
    jumped = {"id": "R3", "event_id": "ev-1", "toolbox": "space", "history": [
        {"step": "informed", "at_utc": "2027-03-01T09:30:00Z"}, {"step": "decision", "at_utc": "2027-03-05T08:00:00Z"}]}
    result = review(_msel(), RAISED, [jumped], EXERCISE)
    deliberation, decision = result.inject("BRK-TR").steps
    assert (deliberation.status, deliberation.note) == ("missed", "skipped by response(s) R3")
    assert (decision.status, decision.delay_s) == ("on-time", DAY)


def test_malformed_records_are_rejections_and_the_rest_counts() -> None:
    bad_step = {**VIEW, "history": [*VIEW["history"], {"step": "vote", "at_utc": "2027-03-02T00:00:00Z"},
                                    {"step": "decision", "at_utc": "next week"}]}
    responses, rejections = read_responses([bad_step, {"toolbox": "galaxy"}, "text", {"toolbox": "space"}])
    assert [(r.line, r.field) for r in rejections] == [(1, "history[5].step"), (1, "history[6].at_utc"),
                                                       (2, "toolbox"), (3, ""), (4, "history")]
    assert len(responses) == 1 and len(responses[0].taken) == 4
    result = review(_msel(), {**RAISED, "GHOST": None, "BRK-T0": Raised("ev-1", "soon")}, [bad_step], EXERCISE)
    assert {(r.source, r.field) for r in result.rejections} >= {("raised", "inject_id"), ("raised", "at_utc")}
    assert result.inject("BRK-T0").raise_status == "not-raised"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5 * 86_400), st.integers(-3 * 86_400, 3 * 86_400)), min_size=1,
                max_size=6))
def test_delays_are_never_negative_when_responses_follow_injects(cases) -> None:
    """Each inject i (at its offset) is raised as event ev-i and answered by a response opened on ev-i ``lag``
    seconds after it (negative: before it). A response that follows its inject gives a delay >= 0 equal to the lag;
    one that came before is flagged ``before-inject``, never counted on time or late."""
    injects = [Inject(f"I{k}", "breakup", "x", at_offset_s=float(offset), expected=expect("space", ["informed"]))
               for k, (offset, _) in enumerate(cases)]
    msel, _ = build_msel("EX", START, injects)
    raised = {f"I{k}": Raised(f"ev-{k}", msel.get(f"I{k}").time_utc) for k in range(len(cases))}
    start = parse_time_utc(START)
    responses = [{"id": f"R{k}", "event_id": f"ev-{k}", "toolbox": "space", "moves": [],
                  "opened_utc": utc_text_ns(start + np.timedelta64(offset + lag, "s"))}
                 for k, (offset, lag) in enumerate(cases)]
    result = review(msel, raised, responses)
    for k, (_, lag) in enumerate(cases):
        step = result.inject(f"I{k}").steps[0]
        if lag >= 0:
            assert step.delay_s == pytest.approx(lag, abs=1e-6) and step.delay_s >= 0
            assert step.status == ("on-time" if lag <= DAY else "late")
        else:
            assert step.status == "before-inject" and step.delay_s == pytest.approx(lag, abs=1e-6)
    assert all(d >= 0 for d in [s.delay_s for i in result.injects for s in i.steps if s.status != "before-inject"])
    assert result.totals.before_inject == sum(lag < 0 for _, lag in cases)


LESSONS = [Lesson("Agree a 6-hour target for informing the High Representative of a break-up", "EEAS",
                  date(2028, 3, 1), "O1"),
           Lesson("Prepare a written-procedure template for Council decisions under Decision 2021/698",
                  "Council General Secretariat", date(2028, 6, 30), "O2")]


def test_lessons_become_register_entries_the_register_accepts() -> None:
    register = load_register()
    ids = {c.id for c in register}
    entries, notes, rejections = lesson_entries(LESSONS, "EX-1", ids, date(2027, 3, 20), illustrative=True,
                                                objectives={o.id for o in EXERCISE.objectives})
    assert rejections == []
    highest = max(int(i[3:]) for i in ids if i.startswith("SP-"))
    assert [e["id"] for e in entries] == [f"SP-{highest + 1:03d}", f"SP-{highest + 2:03d}"]
    parsed, problems = parse_entries(entries, "lessons")
    assert problems == [] and len(parsed) == 2
    first = parsed[0]
    assert first.actors == ("EEAS",) and first.deadline.due == date(2028, 3, 1) and first.system == "S7"
    assert "ILLUSTRATIVE" in first.summary and "EX-1" in first.summary
    assert not ids & {c.id for c in parsed}
    good, refused = parse_notes(notes, "lessons", ids={c.id for c in parsed})
    assert refused == [] and [n.status for n in good] == ["not_started", "not_started"]
    assert good[0].as_of == date(2027, 3, 20) and "After-action review of exercise EX-1" in good[0].source


def test_lesson_entries_pass_the_register_check_against_the_seeds(seeds) -> None:
    """:func:`kompas.compass.register.check` (quotes within their lines, strand of the first line, unique ids)
    over the shipped register with the lessons added finds nothing new."""
    register = load_register()
    entries, _, _ = lesson_entries(LESSONS, "EX-1", {c.id for c in register}, date(2027, 3, 20))
    parsed, _ = parse_entries(entries, "lessons")
    assert check(parsed, seeds) == []
    assert check([*register, *parsed], seeds) == check(register, seeds)


def test_malformed_lessons_are_refused() -> None:
    bad = [Lesson("x", "", date(2028, 1, 1), "O1"), Lesson("x", "EEAS", date(2027, 1, 1), "O1"),
           Lesson("x", "EEAS", date(2028, 1, 1), "O9"), Lesson(" ", "EEAS", date(2028, 1, 1), "O1")]
    entries, notes, rejections = lesson_entries([*bad, LESSONS[0]], "EX-1", {"SP-007"}, date(2027, 3, 20),
                                                objectives={"O1", "O2"})
    assert [(r.line, r.field) for r in rejections] == [(1, "owner"), (2, "due"), (3, "objective"), (4, "text")]
    assert [e["id"] for e in entries] == ["SP-008"] and len(notes) == 1
    with pytest.raises(ValueError, match="SP-999"):
        lesson_entries(LESSONS, "EX-1", {"SP-999"}, date(2027, 3, 20))


def test_expected_and_objectives_use_the_same_workflow_steps() -> None:
    """The steps the review measures are the workflow's own (an Expected for a step the workflow lacks never gets
    onto an MSEL)."""
    _, rejections = build_msel("EX", START, [Inject("A", "media", "x", at_offset_s=0.0,
                                                    expected=(Expected("space", "vote", 60.0),))])
    assert rejections and rejections[0].field == "expected[1].step"
