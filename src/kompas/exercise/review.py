"""The after-action review of an exercise: for each inject of the MSEL, when the platform raised it and when each
expected response step was taken; per objective of the plan, met, partly met or not met with the evidence; the
totals; and the lessons, which become new commitments of the commitments register with the exercise as evidence.

Inputs (all passed in; nothing read from the database here):

- the MSEL (:class:`kompas.exercise.msel.Msel`);
- ``raised``: inject id -> :class:`Raised` (the platform event or alert id and its time) or None (never raised);
- ``responses``: the response record of the exercise, each response in either shape the platform gives:
  the service view (:func:`kompas.services.response.responses`: ``id``, ``event_id``, ``toolbox``, ``history``
  of ``{step, at_utc, ...}`` whose first entry is the opening at the workflow's first step) or the stored row
  (:func:`kompas.core.store.response.responses`: ``id``, ``event_id``, ``toolbox``, ``opened_utc`` and ``moves``
  of ``{step, at_utc, ...}``; the opening counts as taking the workflow's first step);
- optionally the plan's :class:`kompas.exercise.plan.Exercise`, for its objectives.

Rules (stated here because no standard fixes them; the EU's own evaluation methodology is not public):

- an expected step (:class:`kompas.exercise.msel.Expected`) is looked for in the responses of its workflow,
  first those opened on the event the inject raised (``event_id``), else any response of that workflow in the
  record (a response opened on an earlier inject carries on: the decision prompt of day 3 is answered in the
  response opened on day 1). The step counts as taken at the first time it was entered at or after the inject:
  ``on-time`` when within the allowed time, ``late`` after it. Entered only before the inject: ``before-inject``
  (flagged: the record or the MSEL is wrong, or the players acted on something else); never entered: ``missed``
  (with the responses that skipped it by moving past it, :func:`kompas.response.workflow.skipped`);
- the inject's raising: delay = raised time - inject time; negative is flagged ``before-inject``; None is
  ``not-raised``;
- an objective is **met** when every step of it that an inject expects was taken on time and every step no inject
  expects was taken at all; **not met** when none of its steps was taken; **partly** otherwise;
- totals: median and maximum delays over the injects raised (on or after their time) and over the steps taken on
  or after their inject; the share of expected steps taken on time (missed ones count against it).

Lessons (:class:`Lesson`: text, owner, due date, objective) become entries of the commitments register
(:func:`lesson_entries`) in the register's own YAML form (:func:`kompas.compass.register.parse_entries` accepts
them; :func:`kompas.compass.register.check` verifies their seed place): each cites the conclusions' call for the
multi-annual exercise plan (004 l.508-524, the place of commitment SP-017), takes the next free ``SP-NNN`` id, the
owner as its actor and the due date as its deadline, system S7; and an evidence note each (the evidence-file form of
:mod:`kompas.compass.evidence`): status ``not_started`` as of the review, the exercise's after-action review as the
source.

Pure: no I/O. Times: stored form inside, JSON form (ms) in :meth:`Review.as_dict`; delays and allowed times seconds.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from kompas.compass.register import SPACE, Place, strand_of
from kompas.exercise.msel import Msel
from kompas.exercise.plan import Exercise, Objective
from kompas.rejections import Rejection
from kompas.response.workflow import WORKFLOWS, skipped
from kompas.times import parse_time_utc, utc_text_ms, utc_text_ns

__all__ = ["PLAN_PLACE", "STEP_STATUSES", "InjectResult", "Lesson", "ObjectiveResult", "Raised", "Response",
           "Review", "StepResult", "Totals", "lesson_entries", "read_responses", "review"]

STEP_STATUSES = ("on-time", "late", "before-inject", "missed")
#: The conclusions' call for a multi-annual plan of space exercises (the place of register entry SP-017).
PLAN_PLACE = Place(SPACE, 508, 524, "een meerjarenplan op te stellen voor geregelde intercommunautaire oefeningen "
                                    "voor ruimteveiligheid en -defensie")
_REGISTER_ID = re.compile(r"^SP-(\d{3})$")


def _ms(stored: str | None) -> str | None:
    """A stored-form time in the JSON form (None stays None)."""
    return None if stored is None else utc_text_ms(parse_time_utc(stored))


@dataclass(frozen=True)
class Raised:
    """The platform raised an inject as event (or alert) ``event_id`` at ``at_utc`` (ISO 8601 UTC)."""

    event_id: str | None
    at_utc: str


@dataclass(frozen=True)
class Response:
    """One response of the record: its workflow (``toolbox``), the event it was opened on, and the steps entered
    with their times (oldest first; the opening is the workflow's first step)."""

    id: str
    event_id: str | None
    toolbox: str
    taken: tuple[tuple[str, np.datetime64], ...]


@dataclass(frozen=True)
class StepResult:
    """One expected step of one inject: when taken (stored form, None: not), the delay from the inject (s; negative
    when taken before it), the allowed time (s), the status (:data:`STEP_STATUSES`), the response it was found in
    and a note (the responses that skipped it)."""

    inject_id: str
    workflow: str
    step: str
    within_s: float
    taken_utc: str | None
    delay_s: float | None
    status: str
    response_id: str | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"inject_id": self.inject_id, "workflow": self.workflow, "step": self.step, "within_s": self.within_s,
                "taken_utc": _ms(self.taken_utc), "delay_s": self.delay_s, "status": self.status,
                "response_id": self.response_id, "note": self.note}


@dataclass(frozen=True)
class InjectResult:
    """One inject: its time, when and as what the platform raised it (delay s; status ``raised``,
    ``before-inject`` or ``not-raised``) and its expected steps."""

    inject_id: str
    serial: int
    time_utc: str
    event_id: str | None
    raised_utc: str | None
    raise_delay_s: float | None
    raise_status: str
    steps: tuple[StepResult, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"inject_id": self.inject_id, "serial": self.serial, "time_utc": _ms(self.time_utc),
                "event_id": self.event_id, "raised_utc": _ms(self.raised_utc),
                "raise_delay_s": self.raise_delay_s, "raise_status": self.raise_status,
                "steps": [s.as_dict() for s in self.steps]}


@dataclass(frozen=True)
class ObjectiveResult:
    """One objective of the exercise: ``met``, ``partly`` or ``not met``, with the evidence (one line per step
    result)."""

    objective: Objective
    status: str
    evidence: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {**self.objective.as_dict(), "status": self.status, "evidence": list(self.evidence)}


@dataclass(frozen=True)
class Totals:
    """Counts and delays (s; None when there is nothing to measure) of the review."""

    injects: int
    raised: int
    not_raised: int
    raised_before: int
    raise_delay_median_s: float | None
    raise_delay_max_s: float | None
    steps_expected: int
    on_time: int
    late: int
    missed: int
    before_inject: int
    step_delay_median_s: float | None
    step_delay_max_s: float | None
    on_time_pct: float | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Review:
    """The after-action review of exercise ``exercise_code`` (see the module docstring)."""

    exercise_code: str
    injects: tuple[InjectResult, ...]
    objectives: tuple[ObjectiveResult, ...]
    totals: Totals
    rejections: tuple[Rejection, ...] = ()
    illustrative: bool = False

    def inject(self, inject_id: str) -> InjectResult | None:
        return next((i for i in self.injects if i.inject_id == inject_id), None)

    def as_dict(self) -> dict[str, Any]:
        return {"exercise_code": self.exercise_code, "illustrative": self.illustrative,
                "injects": [i.as_dict() for i in self.injects], "objectives": [o.as_dict() for o in self.objectives],
                "totals": self.totals.as_dict(), "rejections": [r.as_dict() for r in self.rejections]}


def _seconds(later: np.datetime64, earlier: np.datetime64) -> float:
    return float((later - earlier) / np.timedelta64(1, "ns")) / 1e9


def read_responses(rows: Sequence[Mapping[str, Any]], source: str = "responses") -> tuple[list[Response],
                                                                                           list[Rejection]]:
    """The responses of the record in either platform shape (module docstring), and a rejection (unit item: the
    row's place; the field as ``history[3].at_utc``) for each malformed row or entry: a row without a known
    ``toolbox`` or readable opening is refused whole; an entry with an unknown step or a time that does not parse
    is refused alone and the rest of the response kept."""
    out: list[Response] = []
    rejections: list[Rejection] = []
    for number, row in enumerate(rows, 1):
        if not isinstance(row, Mapping):
            rejections.append(Rejection(source, number, "", "not a mapping", unit="item"))
            continue
        workflow = WORKFLOWS.get(str(row.get("toolbox")))
        if workflow is None:
            rejections.append(Rejection(source, number, "toolbox", f"{row.get('toolbox')!r} is not one of "
                                                                   f"{', '.join(WORKFLOWS)}", unit="item"))
            continue
        if isinstance(row.get("history"), list):
            key, entries = "history", [(k, e) for k, e in enumerate(row["history"], 1)]
        elif isinstance(row.get("moves"), list) and row.get("opened_utc") is not None:
            key = "moves"
            entries = [(0, {"step": workflow.steps[0].id, "at_utc": row["opened_utc"]}),
                       *enumerate(row["moves"], 1)]
        else:
            rejections.append(Rejection(source, number, "history", "neither a history list nor opened_utc and "
                                                                   "a moves list", unit="item"))
            continue
        taken: list[tuple[str, np.datetime64]] = []
        for k, entry in entries:
            where = "opened_utc" if k == 0 else f"{key}[{k}]"
            if not isinstance(entry, Mapping):
                rejections.append(Rejection(source, number, where, "not a mapping", unit="item"))
                continue
            step = str(entry.get("step"))
            if workflow.step(step) is None:
                rejections.append(Rejection(source, number, f"{where}.step" if k else where,
                                            f"{step!r} is not a step of the {workflow.toolbox} workflow",
                                            unit="item"))
                continue
            try:
                at = parse_time_utc(str(entry.get("at_utc")))
            except ValueError as error:
                rejections.append(Rejection(source, number, f"{where}.at_utc" if k else where, str(error),
                                            unit="item"))
                continue
            taken.append((step, at))
        if not taken:
            continue  # every entry refused above
        taken.sort(key=lambda t: t[1])
        event = row.get("event_id")
        out.append(Response(str(row.get("id", f"response {number}")), None if event is None else str(event),
                            workflow.toolbox, tuple(taken)))
    return out, rejections


def _skipped_by(responses: Sequence[Response], workflow: str, step: str) -> list[str]:
    found = WORKFLOWS[workflow]
    out = []
    for r in responses:
        if r.toolbox != workflow:
            continue
        ids = [s for s, _ in r.taken]
        if any(step in skipped(found, a, b) for a, b in zip(ids, ids[1:], strict=False)):
            out.append(r.id)
    return out


def _step_result(inject_id: str, at: np.datetime64, event_id: str | None, workflow: str, step: str,
                 within_s: float, responses: Sequence[Response]) -> StepResult:
    pool = [(t, r) for r in responses if r.toolbox == workflow for s, t in r.taken if s == step]
    linked = [(t, r) for t, r in pool if event_id is not None and r.event_id == event_id]
    pool = linked or pool
    after = [(t, r) for t, r in pool if t >= at]
    if after:
        t, r = min(after, key=lambda c: c[0])
        delay = _seconds(t, at)
        return StepResult(inject_id, workflow, step, within_s, utc_text_ns(t), delay,
                          "on-time" if delay <= within_s else "late", r.id)
    if pool:
        t, r = max(pool, key=lambda c: c[0])
        return StepResult(inject_id, workflow, step, within_s, utc_text_ns(t), _seconds(t, at), "before-inject",
                          r.id, "taken only before the inject")
    by = _skipped_by(responses, workflow, step)
    return StepResult(inject_id, workflow, step, within_s, None, None, "missed", None,
                      f"skipped by response(s) {', '.join(by)}" if by else "")


def _hours(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 3600.0:.2f} h"


def _objective_result(objective: Objective, results: Sequence[StepResult],
                      responses: Sequence[Response]) -> ObjectiveResult:
    evidence: list[str] = []
    taken_any, all_good = False, True
    for step in objective.steps:
        mine = [r for r in results if r.workflow == objective.workflow and r.step == step]
        if mine:
            for r in mine:
                evidence.append(f"{r.inject_id}: {r.workflow}/{r.step} {r.status} (delay {_hours(r.delay_s)}, "
                                f"allowed {_hours(r.within_s)})" + (f"; {r.note}" if r.note else ""))
            taken_any |= any(r.status != "missed" for r in mine)
            all_good &= all(r.status == "on-time" for r in mine)
        else:
            times = [t for resp in responses if resp.toolbox == objective.workflow for s, t in resp.taken
                     if s == step]
            if times:
                taken_any = True
                evidence.append(f"{objective.workflow}/{step} taken at {utc_text_ms(min(times))} (no inject expects "
                                f"it: not timed)")
            else:
                all_good = False
                evidence.append(f"{objective.workflow}/{step} never taken and no inject expects it")
    status = "met" if all_good else "partly" if taken_any else "not met"
    return ObjectiveResult(objective, status, tuple(evidence))


def _median_max(values: Sequence[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return float(np.median(values)), float(max(values))


def review(msel: Msel, raised: Mapping[str, Raised | None], responses: Sequence[Mapping[str, Any]],
           exercise: Exercise | None = None) -> Review:
    """The after-action review (module docstring) of ``msel`` given what the platform ``raised`` per inject id, the
    ``responses`` of the exercise (either platform shape) and the plan's ``exercise`` (its objectives; None: no
    objectives assessed). Malformed responses and raised times, and raised entries naming no inject of the MSEL,
    are :attr:`Review.rejections`."""
    record, rejections = read_responses(responses)
    known = {s.inject.id for s in msel.schedule}
    rejections += [Rejection("raised", 0, "inject_id", f"{name!r} is not an inject of the MSEL", unit="item")
                   for name in sorted(set(raised) - known)]
    results: list[InjectResult] = []
    for s in msel.schedule:
        at = parse_time_utc(s.time_utc)
        mark = raised.get(s.inject.id)
        raised_at = None
        if mark is not None:
            try:
                raised_at = parse_time_utc(mark.at_utc)
            except ValueError as error:
                rejections.append(Rejection("raised", s.serial, "at_utc", str(error), unit="item"))
        event_id = mark.event_id if mark is not None and raised_at is not None else None
        delay = None if raised_at is None else _seconds(raised_at, at)
        status = "not-raised" if delay is None else "before-inject" if delay < 0 else "raised"
        steps = tuple(_step_result(s.inject.id, at, event_id, e.workflow, e.step, e.within_s, record)
                      for e in s.inject.expected)
        results.append(InjectResult(s.inject.id, s.serial, s.time_utc, event_id,
                                    None if raised_at is None else utc_text_ns(raised_at), delay, status, steps))
    every = [r for i in results for r in i.steps]
    objectives = tuple(_objective_result(o, every, record) for o in (exercise.objectives if exercise else ()))
    raise_delays = [i.raise_delay_s for i in results if i.raise_delay_s is not None and i.raise_delay_s >= 0]
    step_delays = [r.delay_s for r in every if r.delay_s is not None and r.status in ("on-time", "late")]
    count = {k: sum(r.status == k for r in every) for k in STEP_STATUSES}
    totals = Totals(
        injects=len(results), raised=sum(i.raise_status == "raised" for i in results),
        not_raised=sum(i.raise_status == "not-raised" for i in results),
        raised_before=sum(i.raise_status == "before-inject" for i in results),
        raise_delay_median_s=_median_max(raise_delays)[0], raise_delay_max_s=_median_max(raise_delays)[1],
        steps_expected=len(every), on_time=count["on-time"], late=count["late"], missed=count["missed"],
        before_inject=count["before-inject"], step_delay_median_s=_median_max(step_delays)[0],
        step_delay_max_s=_median_max(step_delays)[1],
        on_time_pct=100.0 * count["on-time"] / len(every) if every else None)
    return Review(msel.exercise_code, tuple(results), objectives, totals, tuple(rejections),
                  bool(exercise.illustrative) if exercise else False)


# --- lessons ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lesson:
    """A lesson of the exercise: what is to be done (``text``, English), by whom (``owner``: an institution or
    organisation), by when (``due``) and for which objective (its id)."""

    text: str
    owner: str
    due: date
    objective: str


def lesson_entries(lessons: Sequence[Lesson], exercise_code: str, taken_ids: Collection[str], as_of: date,
                   illustrative: bool = False, place: Place = PLAN_PLACE,
                   objectives: Collection[str] | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                                                       list[Rejection]]:
    """The ``lessons`` of exercise ``exercise_code`` (reviewed on ``as_of``) as new entries of the commitments
    register (the YAML form :func:`kompas.compass.register.parse_entries` reads), numbered from the first ``SP-NNN``
    after the highest of ``taken_ids`` (the register's ids), citing ``place``; the evidence notes that go with them
    (the form :func:`kompas.compass.evidence.parse_notes` reads: status ``not_started`` as of ``as_of``, the review
    as the source); and a rejection (source ``lessons``, item its place) for each lesson without text or owner, due
    before ``as_of``, or naming an objective not in ``objectives`` (when given). ``illustrative``: the exercise was
    (its entries say so). ValueError when the ids would pass SP-999."""
    numbers = [int(m.group(1)) for i in taken_ids if (m := _REGISTER_ID.match(str(i)))]
    next_number = max(numbers, default=0) + 1
    mark = " (ILLUSTRATIVE exercise)" if illustrative else ""
    entries: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    rejections: list[Rejection] = []
    for k, lesson in enumerate(lessons, 1):
        problem = None
        if not isinstance(lesson.text, str) or not lesson.text.strip():
            problem = ("text", "missing")
        elif not isinstance(lesson.owner, str) or not lesson.owner.strip():
            problem = ("owner", "missing: a lesson needs an owner")
        elif not isinstance(lesson.due, date) or lesson.due < as_of:
            problem = ("due", f"{lesson.due!r} is not a date on or after the review ({as_of.isoformat()})")
        elif objectives is not None and lesson.objective not in objectives:
            problem = ("objective", f"{lesson.objective!r} is not an objective of {exercise_code} "
                                    f"({', '.join(sorted(objectives))})")
        if problem:
            rejections.append(Rejection("lessons", k, problem[0], problem[1], unit="item"))
            continue
        if next_number > 999:
            raise ValueError("lessons: no SP-NNN id left (SP-999 reached)")
        cid = f"SP-{next_number:03d}"
        next_number += 1
        entries.append({
            "id": cid, "source": place.source, "lines": [place.first, place.last], "quote": place.quote,
            "summary": f"Lesson of exercise {exercise_code}{mark}, objective {lesson.objective}: "
                       f"{lesson.text.strip()}",
            "actors": [lesson.owner.strip()], "deadline": lesson.due.isoformat(),
            "strand": strand_of(place.source, place.first), "system": "S7"})
        notes.append({"id": cid, "as_of": as_of.isoformat(), "status": "not_started",
                      "evidence": f"Lesson recorded by the after-action review of exercise {exercise_code}{mark} "
                                  f"(objective {lesson.objective}); owner {lesson.owner.strip()}, due "
                                  f"{lesson.due.isoformat()}.",
                      "source": f"After-action review of exercise {exercise_code}, {as_of.isoformat()}"})
    return entries, notes, rejections
