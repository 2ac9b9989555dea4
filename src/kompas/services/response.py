"""Response workflows on the platform (issue 22, items 3 and 4), shared by the API (and the CLI and reports the lead
adds): national attributions recorded by member states and the coordination state a reader may see, and responses
to events followed along their toolbox's workflow (:mod:`kompas.response.workflow`).

- :func:`record_attribution`: a user records **their own state's** assessment (the state is their organisation's
  country; nobody records for another state, an administrator included) of an event they may see, under the
  marking they give; :func:`attributions` and :func:`coordination` read what a viewer may see, and the coordination
  state (:func:`kompas.response.attribution.coordination`) is computed from exactly those records, so a record the
  viewer may not see changes nothing they see. Kompas never computes an attribution.
- :func:`open_response`, :func:`advance`, :func:`responses`, :func:`response`: a response with its chosen options
  (ids of :mod:`kompas.response.toolbox`), current step, owners, deadlines, history and state, as the viewer may see
  it (the moves they may see), with an overdue flag from the deadlines and the time.

Every write is audited (:func:`kompas.core.audit.append`); reads are audited by the adapters. Failures: StoreError
for a request the rules refuse (the API's 422), MarkingError for a marking the user may not give (403); None for an
event or response the user may not see (404, the same as a missing one).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from kompas.core import audit
from kompas.core.markings import EXTRA_COUNTRIES, Marking, Viewer, combine
from kompas.core.store import Account, NotPermitted, StoreBase, StoreError
from kompas.core.store import response as stored
from kompas.response import attribution as engine
from kompas.response.features import EU_MEMBER_STATES
from kompas.response.workflow import WORKFLOWS, Move, check_move, decision_step, plan, progress, skipped
from kompas.times import now_text_ns, parse_date, parse_time_utc, utc_text_ns

__all__ = ["BASIS_CHARS", "MAX_OPTIONS", "NOTE_CHARS", "advance", "attribution_view", "attributions",
           "coordination", "coordination_view", "finding_view", "open_response", "record_attribution",
           "record_finding", "response", "responses"]

NOTE_CHARS = 4000  #: Longest note of a response or a move.
BASIS_CHARS = 4000  #: Longest basis of an attribution.
ACTOR_CHARS = 100  #: Longest actor name.
MAX_OPTIONS = 50  #: Most options one response may choose.
#: Deadlines replacing planned ones: step id -> ISO time, or (step id, time) pairs.
Deadlines = Mapping[str, str] | Sequence[tuple[str, str]] | None


def _text(value: str, field: str, most: int, required: bool = True) -> str:
    text = value.strip()
    if "\x00" in text:
        raise StoreError(f"{field}: must not hold NUL characters")
    if required and not text:
        raise StoreError(f"{field}: required (at least one visible character)")
    if len(text) > most:
        raise StoreError(f"{field}: at most {most} characters")
    return text


# --- attributions -------------------------------------------------------------------------------------------------


def record_attribution(store: StoreBase, account: Account, event_id: str, actor: str, confidence: str, basis: str,
                       date: str, public: bool, marking: Marking, today: dt.date | None = None) -> dict | None:
    """Record ``account``'s state's assessment of event ``event_id`` under ``marking``: the ``actor`` it attributes
    the event to (a state code such as ``RU``, a threat actor's name, or ``none`` / ``withheld``), its
    ``confidence`` (:data:`kompas.response.attribution.CONFIDENCE`, empty for none/withheld), ``basis`` (its words),
    the assessment's date (``YYYY-MM-DD``, not after ``today`` + 1 day) and whether the state said so publicly.
    The state is the account's organisation's country. Returns the record, or None (audited) when the account may not
    see the event; StoreError for a bad field or an organisation of no state (country EU), MarkingError for the
    marking."""
    target = f"events/{event_id}/attributions"
    if stored.event_marking(store, account.viewer, event_id) is None:  # first: a hidden event is a missing one
        audit.append(store.engine, account.name, "attribution", target, "denied", "event not found or not visible")
        return None
    state = account.viewer.country
    if state in EXTRA_COUNTRIES:
        raise StoreError(f"attribution is a member state's sovereign decision: your organisation's country is "
                         f"{state}, not a state")
    kind = _org_kind(store, account.org)
    if state not in EU_MEMBER_STATES or kind not in STATE_ORG_KINDS:
        raise StoreError(f"attribution is a member state's sovereign decision: only a member state's own "
                         f"organisations ({' or '.join(STATE_ORG_KINDS)} of an EU member state) record it; yours is "
                         f"{kind or 'unknown'} of {state}")
    actor = _actor(_text(actor, "actor", ACTOR_CHARS))
    basis = _text(basis, "basis", BASIS_CHARS)
    try:
        day = parse_date(date)
    except ValueError as error:
        raise StoreError(f"date: {error}") from None
    if day > (today or dt.datetime.now(dt.UTC).date()) + dt.timedelta(days=1):
        raise StoreError(f"date: {date} is in the future (the date of the assessment)")
    record = engine.Attribution(event_id, state, actor, confidence.strip(), basis, day.isoformat(), bool(public))
    problems = record.problems()
    if problems:
        raise StoreError("; ".join(f"{field}: {reason}" for field, reason in problems))
    done = stored.add_attribution(store, account, event_id, record.actor, record.confidence, record.basis,
                                  record.date, record.public, marking)
    if done is None:  # removed meanwhile
        audit.append(store.engine, account.name, "attribution", target, "denied", "event not found or not visible")
        return None
    audit.append(store.engine, account.name, "attribution", target, "ok", f"record {done['id']} by {state}")
    return done


def _actor(text: str) -> str:
    """An attributed actor as records compare it: ``none``/``withheld`` in lower case; a state by its ISO 3166-1
    alpha-2 code, whether given as a code (``ru``, ``RUS``) or a name (``Russia``, ``Russian Federation``); any
    other name (a threat actor's) as given."""
    from kompas.fimi.stix import alpha2
    from kompas.response.attribution import NO_ACTOR

    if text.lower() in NO_ACTOR:
        return text.lower()
    code = alpha2(text.upper() if len(text) in (2, 3) and text.isalpha() else text)
    return code or text


def attributions(store: StoreBase, viewer: Viewer | None, event_id: str) -> list[dict] | None:
    """The attributions on event ``event_id`` that ``viewer`` may see, oldest assessment first, each with its
    marking (JSON form); None when the viewer may not see the event."""
    found = stored.attributions(store, viewer, event_id)
    return None if found is None else found[1]


def attribution_view(store: StoreBase, viewer: Viewer | None, event_id: str) -> dict | None:
    """``{"event_id", "items": attributions, "marking"}``: the marking a page showing them with the event carries
    (the combination of the event's and the records'); None when the viewer may not see the event."""
    found = stored.attributions(store, viewer, event_id)
    if found is None:
        return None
    event_marking, items = found
    marking = combine([event_marking, *(Marking.from_dict(i["marking"]) for i in items)])
    return {"event_id": event_id, "items": items, "marking": marking.as_dict()}


def _records(items: Sequence[dict]) -> list[engine.Attribution]:
    return [engine.Attribution(i["event_id"], i["state"], i["actor"], i["confidence"], i["basis"], i["date"],
                               i["public"]) for i in items]


def coordination(store: StoreBase, viewer: Viewer | None, event_id: str) -> engine.Coordination | None:
    """The coordination state of event ``event_id`` computed only from the attributions ``viewer`` may see (each
    state's newest assessment); None when the viewer may not see the event."""
    items = attributions(store, viewer, event_id)
    return None if items is None else engine.coordination(_records(items))


def coordination_view(store: StoreBase, viewer: Viewer | None, event_id: str) -> dict | None:
    """:func:`coordination` in JSON form with its sentence, the number of records and states it rests on, and the
    marking of what it was computed from (the event's and the records'); None when the viewer may not see the
    event."""
    found = stored.attributions(store, viewer, event_id)
    if found is None:
        return None
    event_marking, items = found
    state = engine.coordination(_records(items))
    leading = state.leading
    return {"event_id": event_id, "sentence": state.sentence(),
            "attributing": {a: list(s) for a, s in state.attributing.items()},
            "considering": {a: list(s) for a, s in state.considering.items()},
            "not_attributing": list(state.not_attributing), "withheld": list(state.withheld),
            "public": {a: list(s) for a, s in state.public.items()},
            "leading": None if leading is None else {"actor": leading[0], "states": leading[1]},
            "records": len(items), "states": len({i["state"] for i in items}),
            "marking": combine([event_marking, *(Marking.from_dict(i["marking"]) for i in items)]).as_dict()}


# --- findings -----------------------------------------------------------------------------------------------------

FINDING_ITEMS = 50  #: Most values of one list finding.
_TECHNIQUE = re.compile(r"^(?:[A-Z]{2,4}-\d{4}(?:\.\d{2})?|T\d{4}(?:\.\d{3})?)$")


def _finding_value(field: str, value: object, event_type: str) -> object:
    """``value`` checked for ``field`` (StoreError naming the field and why)."""
    from kompas.response.features import FINDING_FIELDS, FRAGMENTATION_CAUSES

    if field not in FINDING_FIELDS:
        raise StoreError(f"field must be one of {', '.join(FINDING_FIELDS)}")
    if field == "cause":
        if event_type != "fragmentation":
            raise StoreError(f"value: a cause is recorded on a fragmentation (a break-up); this event is a "
                             f"{event_type}")
        if not isinstance(value, str) or value.strip() not in FRAGMENTATION_CAUSES:
            raise StoreError(f"value: a cause is one of {', '.join(FRAGMENTATION_CAUSES)}")
        return value.strip()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        raise StoreError(f"value: {field} is a text or a list of texts")
    if len(items) > FINDING_ITEMS:
        raise StoreError(f"value: at most {FINDING_ITEMS} {field}")
    texts = [_text(v, f"value ({field})", ACTOR_CHARS) for v in items]
    if field == "techniques":
        bad = [t for t in texts if not _TECHNIQUE.match(t)]
        if bad:
            raise StoreError(f"value: {bad[0]!r} is not a technique id (SPARTA EX-0017.01, ATT&CK or DISARM T1566 "
                             f"or T1566.001)")
    return list(dict.fromkeys(texts))


def record_finding(store: StoreBase, account: Account, event_id: str, field: str, value: object, basis: str,
                   marking: Marking) -> dict | None:
    """Record ``account``'s finding on event ``event_id`` under ``marking``: ``field`` (one of
    :data:`kompas.response.features.FINDING_FIELDS`), its ``value`` (a cause of
    :data:`~kompas.response.features.FRAGMENTATION_CAUSES`, recorded only on a fragmentation; else a text or a list of
    at most :data:`FINDING_ITEMS` texts) and its ``basis`` (the source: where the fact comes from). Findings add to
    the event's payload when its options are ranked (:func:`kompas.response.features.with_findings`); they never
    change the stored event. Returns the record, or None (audited) when the account may not see the event;
    StoreError for a bad field, MarkingError for the marking."""
    from kompas.core.store.events import one

    target = f"events/{event_id}/findings"
    event = one(store, account.viewer, event_id)
    if event is None:
        audit.append(store.engine, account.name, "finding", target, "denied", "event not found or not visible")
        return None
    checked = _finding_value(field.strip(), value, str(event["type"]))
    basis = _text(basis, "basis", BASIS_CHARS)
    done = stored.add_finding(store, account, event_id, field.strip(), checked, basis, marking)
    if done is None:  # removed meanwhile
        audit.append(store.engine, account.name, "finding", target, "denied", "event not found or not visible")
        return None
    audit.append(store.engine, account.name, "finding", target, "ok", f"record {done['id']}: {field}")
    return done


def finding_view(store: StoreBase, viewer: Viewer | None, event_id: str) -> dict | None:
    """``{"event_id", "items", "marking"}``: the findings on event ``event_id`` that ``viewer`` may see, oldest first,
    and the marking of a page showing them with the event; None when the viewer may not see the event."""
    found = stored.findings(store, viewer, event_id)
    if found is None:
        return None
    event_marking, items = found
    marking = combine([event_marking, *(Marking.from_dict(i["marking"]) for i in items)])
    return {"event_id": event_id, "items": items, "marking": marking.as_dict()}


# --- responses ----------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _options() -> dict[str, Any]:
    """Every option of the shipped toolboxes by id."""
    from kompas.response.toolbox import load_toolboxes

    return {o.id: o for box in load_toolboxes().values() for o in box.options}


def _checked_options(options: Sequence[str]) -> list[str]:
    ids = [o.strip() for o in options]
    if len(ids) > MAX_OPTIONS:
        raise StoreError(f"options: at most {MAX_OPTIONS}")
    if len(set(ids)) != len(ids):
        raise StoreError("options: an option is named twice")
    unknown = [o for o in ids if o not in _options()]
    if unknown:
        raise StoreError(f"options: {unknown[0]!r} is not an option of the toolboxes (kompas.response.toolbox)")
    return ids


#: The kinds of organisation (:data:`kompas.core.store.accounts.ORG_KINDS`) that speak for their member state.
STATE_ORG_KINDS = ("member-state", "agency")


def _org_kind(store: StoreBase, code: str) -> str:
    """The kind of the organisation ``code`` ("" when unknown)."""
    from sqlalchemy import select

    from kompas.core.models import Organisation

    with store.session(None) as s:
        return s.scalar(select(Organisation.kind).where(Organisation.code == code)) or ""


def _time(text: str, field: str) -> str:
    if not re.match(r"^\s*(19[5-9]\d|20\d\d|2100)-", text):
        raise StoreError(f"{field}: {text[:40]!r} is not a UTC time in 1950..2100")
    try:
        return utc_text_ns(parse_time_utc(text))
    except ValueError as error:
        raise StoreError(f"{field}: {error}") from None


def open_response(store: StoreBase, account: Account, event_id: str, toolbox: str, options: Sequence[str],
                  marking: Marking, note: str = "", deadlines: Deadlines = None, now: str | None = None) -> dict | None:
    """Open a response to event ``event_id`` along ``toolbox``'s workflow, with the ``options`` chosen (toolbox
    option ids, any toolbox), a ``note``, deadlines planned from now (:func:`kompas.response.workflow.plan`;
    ``deadlines`` replaces some: each step once), marked with the combination of the event's marking and
    ``marking``. Returns the response as its opener sees it, or None (audited) when they may not see the event."""
    if stored.event_marking(store, account.viewer, event_id) is None:  # first: a hidden event is a missing one
        audit.append(store.engine, account.name, "response-open", f"events/{event_id}", "denied",
                     "event not found or not visible")
        return None
    workflow = WORKFLOWS.get(toolbox)
    if workflow is None:
        raise StoreError(f"toolbox must be one of {', '.join(WORKFLOWS)}")
    ids = _checked_options(options)
    note = _text(note, "note", NOTE_CHARS, required=False)
    opened = _time(now, "now") if now else now_text_ns()
    pairs = list(deadlines.items()) if isinstance(deadlines, Mapping) else list(deadlines or [])
    if len({step for step, _ in pairs}) != len(pairs):
        raise StoreError("deadlines: a step is named twice")
    pairs = [(step, _time(str(when), f"deadlines.{step}")) for step, when in pairs]
    try:
        planned = plan(workflow, opened, dict(pairs))
    except ValueError as error:
        raise StoreError(str(error)) from None
    made = stored.add_response(store, account, event_id, toolbox, ids, planned, note, marking, opened)
    if made is None:  # removed meanwhile
        audit.append(store.engine, account.name, "response-open", f"events/{event_id}", "denied",
                     "event not found or not visible")
        return None
    audit.append(store.engine, account.name, "response-open", f"responses/{made}", "ok",
                 f"event {event_id}, toolbox {toolbox}, {len(ids)} options")
    return response(store, account.viewer, made, now=opened)


def advance(store: StoreBase, account: Account, response_id: str, step: str, note: str,
            options: Sequence[str] | None = None, deadline: str | None = None, marking: Marking | None = None,
            now: str | None = None) -> dict | None:
    """Move response ``response_id`` (one ``account`` may see) to ``step`` of its workflow with a ``note`` (the audit
    trail), optionally choosing new ``options`` and setting the step's ``deadline`` (ISO time); the move is marked
    with the combination of the response as the author sees it (its marking and the moves they see) and ``marking``.
    Returns the response as they now see it, or None (audited) when they may not see it; StoreError for a move the
    workflow refuses (:func:`kompas.response.workflow.check_move`) or a bad field; NotPermitted when the move records
    a decision, an implementation or the closing (:data:`kompas.response.workflow.PEN_STATES`) and ``account``'s
    organisation did not open the response (it holds the pen)."""
    found = stored.responses(store, account.viewer, response_id=response_id, limit=1)
    target = f"responses/{response_id}"
    if not found:
        audit.append(store.engine, account.name, "response-step", target, "denied",
                     "response not found or not visible")
        return None
    row = found[0]
    workflow = WORKFLOWS[row["toolbox"]]
    at = _time(now, "now") if now else now_text_ns()
    where = progress(workflow, row["plan"], row["opened_utc"], _moves(row), at)
    problem = check_move(workflow, where.step.id, step)
    if problem:
        raise StoreError(f"step: {problem}")
    if check_move(workflow, where.step.id, step, pen=account.org == row["by"]):
        audit.append(store.engine, account.name, "response-step", target, "denied", f"{step}: not the pen holder")
        raise NotPermitted(f"step: {step!r} records that the response is {workflow.step(step).state} "  # type: ignore[union-attr]
                           f"(only {row['by']}, which opened the response, records that; move it among the open "
                           f"steps or add a note)")
    note = _text(note, "note", NOTE_CHARS)
    ids = None if options is None else _checked_options(options)
    due = None if deadline is None else _time(deadline, "deadline")
    seen = [row["marking"], *(m["marking"] for m in row["moves"])]
    target_step = workflow.step(step)
    assert target_step is not None  # check_move passed
    stored.add_move(store, account, response_id, step, target_step.state, note, ids, due, marking, at, seen)
    audit.append(store.engine, account.name, "response-step", target, "ok", f"{where.step.id} -> {step}")
    return response(store, account.viewer, response_id, now=at)


def _moves(row: dict) -> list[Move]:
    return [Move(m["step"], m["at_utc"], m["deadline_utc"]) for m in row["moves"]]


def _view(row: dict, now: str) -> dict:
    """A stored response (:func:`kompas.core.store.response.responses`) as shown: where it stands, its steps with
    owners and deadlines, the options and who decides them, its history, and its marking."""
    workflow = WORKFLOWS[row["toolbox"]]
    where = progress(workflow, row["plan"], row["opened_utc"], _moves(row), now)
    chosen = next((m["options"] for m in reversed(row["moves"]) if m["options"] is not None), row["options"])
    reached = {workflow.steps[0].id} | {m["step"] for m in row["moves"]}
    known = _options()
    decisions = []
    for option_id in chosen:
        option = known.get(option_id)
        at = decision_step(workflow, option.decides, option.category) if option is not None else None
        decisions.append({"option": option_id, "name": option.name if option else "",
                          "category": option.category if option else "", "toolbox": option.toolbox if option else "",
                          "decides": option.decides if option else "", "rule": option.rule if option else "",
                          "step": at.id if at else None,
                          "awaiting": at is not None and where.state != "closed"
                                      and (at.id not in reached or at.id == where.step.id)})
    first = workflow.steps[0]
    history = [{"step": first.id, "step_name": first.name, "state": first.state, "note": row["note"],
                "options": row["options"], "deadline_utc": None, "by": row["by"], "user": row["user"],
                "at_utc": row["opened_utc"], "marking": row["marking"].as_dict(), "opened": True, "skipped": []}]
    previous = first.id
    for m in row["moves"]:
        step = workflow.step(m["step"])
        history.append({"step": m["step"], "step_name": step.name if step else "", "state": m["state"],
                        "note": m["note"], "options": m["options"], "deadline_utc": m["deadline_utc"],
                        "by": m["by"], "user": m["user"], "at_utc": m["at_utc"], "marking": m["marking"].as_dict(),
                        "opened": False, "skipped": list(skipped(workflow, previous, m["step"]))})
        previous = m["step"] if step is not None else previous
    steps = [{"id": s.id, "name": s.name, "owner": s.owner, "state": s.state, "optional": s.optional,
              "deadline_utc": where.deadlines.get(s.id), "current": s.id == where.step.id, "reached": s.id in reached,
              "basis": s.basis} for s in workflow.steps]
    marking = combine([row["marking"], *(m["marking"] for m in row["moves"])])
    return {"id": row["id"], "event_id": row["event_id"], "toolbox": row["toolbox"], "workflow": workflow.name,
            "options": list(chosen), "decisions": decisions, "step": where.step.id, "step_name": where.step.name,
            "owner": where.step.owner, "state": where.state, "entered_utc": where.entered_utc,
            "deadline_utc": where.deadline_utc, "overdue": where.overdue, "opened_utc": row["opened_utc"],
            "by": row["by"], "user": row["user"], "steps": steps, "history": history, "marking": marking.as_dict()}


def responses(store: StoreBase, viewer: Viewer | None, event_id: str | None = None, limit: int = 1000,
              now: str | None = None) -> list[dict]:
    """The responses ``viewer`` may see (of one event with ``event_id``), newest opened first, at most ``limit``,
    each with its state, current step, owner, deadline and overdue flag at ``now`` (default: the clock), from the
    moves the viewer may see."""
    if not 1 <= limit <= 1000:
        raise StoreError("limit must be between 1 and 1000")
    at = _time(now, "now") if now else now_text_ns()
    return [_view(r, at) for r in stored.responses(store, viewer, event_id=event_id, limit=limit)]


def response(store: StoreBase, viewer: Viewer | None, response_id: str, now: str | None = None) -> dict | None:
    """One response as ``viewer`` may see it (:func:`responses`), or None when they may not see it or it does not
    exist (the same answer)."""
    at = _time(now, "now") if now else now_text_ns()
    found = stored.responses(store, viewer, response_id=response_id, limit=1)
    return _view(found[0], at) if found else None
