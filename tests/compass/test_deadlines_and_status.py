"""Deadline grammar, recurrence arithmetic and the status rules (kompas.compass.deadlines, .status)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompas.compass.deadlines import DeadlineError, add_months, parse
from kompas.compass.register import COMPASS, Commitment, Place
from kompas.compass.status import Note, assess, parse_status


@pytest.mark.parametrize(("text", "kind", "due", "every"), [
    ("2025", "date", date(2025, 12, 31), None), ("mid-2023", "date", date(2023, 6, 30), None),
    ("early-2023", "date", date(2023, 3, 31), None), ("2024-Q3", "date", date(2024, 9, 30), None),
    ("2023-H1", "date", date(2023, 6, 30), None), ("2024-02", "date", date(2024, 2, 29), None),
    ("2022-11-15", "date", date(2022, 11, 15), None),
    ("every 2 years from end-2022", "recurring", date(2022, 12, 31), 24),
    ("At least every 3 years from 2022", "recurring", date(2022, 12, 31), 36),
    ("annually from 2023", "recurring", date(2023, 12, 31), 12),
    ("every 6 months from mid-2023", "recurring", date(2023, 6, 30), 6),
    ("from 2022", "start", date(2022, 12, 31), None), ("from 2022-H2", "start", date(2022, 12, 31), None),
    ("regularly", "regularly", None, None), ("ongoing", "ongoing", None, None), ("none", "none", None, None),
])
def test_deadline_grammar(text, kind, due, every) -> None:
    d = parse(text)
    assert (d.kind, d.due, d.every_months) == (kind, due, every)


@pytest.mark.parametrize("text", ["soon", "2019x", "2023-13", "2023-02-30", "mid-2023-05", "every 0 years from 2023",
                                  "every 2 years", "2031-Q5"])
def test_bad_deadlines_are_refused(text) -> None:
    with pytest.raises(DeadlineError):
        parse(text)


def test_cadence_of_the_threat_analysis() -> None:
    """Threat analysis at least every three years from 2022 (Compass): due end 2022, 2025, 2028."""
    d = parse("at least every 3 years from 2022")
    assert d.occurrences(date(2026, 1, 1)) == [date(2022, 12, 31), date(2025, 12, 31)]
    assert d.next_due(date(2025, 12, 31)) == date(2028, 12, 31)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(-300, 300))
def test_add_months_round_trips_month_ends(day, months) -> None:
    there = add_months(day, months)
    assert (there.year * 12 + there.month) - (day.year * 12 + day.month) == months
    if day.day == 31 or (day.month == 2 and day.day >= 28 and add_months(day, 1).day != day.day):
        assert add_months(there, -months).month == day.month


def _commitment(deadline: str) -> Commitment:
    return Commitment("SC-001", Place(COMPASS, 1, 2, "q"), "s", ("EU",), parse(deadline), "Act")


def test_status_rules() -> None:
    one_off = _commitment("2025")
    assert assess(one_off, [], date(2025, 6, 1)).status == "not_started"
    assert assess(one_off, [], date(2026, 1, 1)).status == "unknown"  # due, no evidence: not called overdue
    late = [Note(date(2026, 1, 10), "in_progress", "still being drafted")]
    assert assess(one_off, late, date(2026, 2, 1)).status == "overdue"
    assert assess(one_off, late, date(2026, 1, 5)).status == "unknown"  # notes after the date are not read
    finished = assess(one_off, [*late, Note(date(2026, 3, 1), "done", "adopted")], date(2026, 4, 1))
    assert (finished.status, finished.done_on, finished.late) == ("done", date(2026, 3, 1), True)
    # a note speaks for its own date: "in progress" in 2023 says nothing about the end of 2025
    stale = [Note(date(2023, 10, 31), "in_progress", "first live exercise")]
    assert assess(one_off, stale, date(2026, 1, 1)).status == "unknown"
    assert assess(one_off, stale, date(2024, 1, 1)).status == "in_progress"
    on_time = assess(one_off, [Note(date(2025, 5, 1), "done", "adopted")], date(2026, 1, 1))
    assert (on_time.status, on_time.late) == ("done", False)
    started = _commitment("from 2022")  # "vanaf 2022 zullen we ...": met by being under way
    assert assess(started, [], date(2023, 1, 1)).status == "unknown"
    under_way = [Note(date(2023, 1, 10), "in_progress", "joint declaration signed")]
    assert assess(started, under_way, date(2025, 12, 31)).status == "in_progress"
    assert assess(started, [Note(date(2023, 2, 1), "not_started", "no dialogue yet")], date(2023, 3, 1)
                  ).status == "overdue"
    yearly = _commitment("annually from 2023")
    notes = [Note(date(2023, 3, 21), "done", "first report"), Note(date(2024, 4, 1), "done", "second report")]
    first = assess(yearly, notes, date(2024, 6, 1))
    assert (first.status, first.due, first.next_due) == ("done", date(2023, 12, 31), date(2024, 12, 31))
    assert assess(yearly, notes, date(2025, 6, 1)).status == "done"  # the 2024 report, dated after end 2023
    assert assess(yearly, notes, date(2026, 6, 1)).status == "unknown"  # nothing after end 2024 for the 2025 one
    assert assess(_commitment("ongoing"), [], date(2026, 1, 1)).status == "unknown"


def test_status_words() -> None:
    assert parse_status("In progress") == parse_status("in-progress") == "in_progress"
    with pytest.raises(ValueError, match="not a status"):
        parse_status("finished")
