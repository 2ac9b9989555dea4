"""National attributions and responses on the platform (issue 22): storing them under markings and reading them as
a viewer may see them. Functions over a :class:`~kompas.core.store.base.StoreBase` (the Store composes its parts;
:mod:`kompas.services.response` calls these).

Markings and sight:

- **an event gates everything**: every read selects the attribution or response rows joined to their event in a
  session serving the viewer, so the access rule (:mod:`kompas.core.access`) filters both in the query: a record of
  an event the viewer may not see is never read, and asking about such an event gives the same answer as asking
  about one that does not exist (None);
- an **attribution** is marked as its recorder gives it (checked as every contribution's: not above their clearance,
  not one they could not see), and its ``state`` is the recorder's organisation's country: nobody records for
  another state;
- a **response** is marked with the combination of its event's marking and the marking its opener gives; each
  **move** with the combination of the response's marking, the moves its author saw and the marking the author
  gives, so whoever may see a move may see the response and every move its author relied on. A combination its own
  author could not see (e.g. a REL TO list of organisations meeting one of countries) is refused.

Writes run in system sessions after the author's sight was read in a session serving them, as tracked-conjunction
decisions do (:mod:`kompas.core.store.tracks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kompas.core.markings import Marking, MarkingError, Viewer, combine, may_see
from kompas.core.models import (
    AttributionRecord,
    EventRecord,
    FindingRecord,
    ResponseRecord,
    ResponseStepRecord,
    User,
    new_id,
    now_utc,
)
from kompas.core.store.base import Account, StoreBase

_A, _F, _R, _S = AttributionRecord, FindingRecord, ResponseRecord, ResponseStepRecord


def event_marking(store: StoreBase, viewer: Viewer | None, event_id: str) -> Marking | None:
    """The marking of event ``event_id`` as ``viewer`` may see it (None: no such event, or not visible; a None viewer
    is the system)."""
    with store.session(viewer) as s:
        found = s.scalar(select(EventRecord.marking_id).where(EventRecord.id == event_id))
        return None if found is None else store.marking_of(s, found)


# --- attributions -------------------------------------------------------------------------------------------------


def add_attribution(store: StoreBase, account: Account, event_id: str, actor: str, confidence: str, basis: str,
                    date: str, public: bool, marking: Marking) -> dict | None:
    """Store one attribution of ``account``'s state (their organisation's country) on an event they may see, under
    ``marking`` (checked: MarkingError). The fields are checked by the caller. Returns the record as its author
    sees it, or None when they may not see the event."""
    store.check_marking(account, marking)
    if event_marking(store, account.viewer, event_id) is None:
        return None
    with store.session(None) as s:
        row = _A(id=new_id(), event_id=event_id, state=account.viewer.country, org=account.org,
                 user_id=account.user_id, actor=actor, confidence=confidence, basis=basis, date=date, public=public,
                 recorded_utc=now_utc(), marking_id=store.marking_id(s, marking))
        s.add(row)
        s.flush()
        return _attribution(store, s, row)


def _attribution(store: StoreBase, s: Session, r: AttributionRecord) -> dict:
    return {"id": r.id, "event_id": r.event_id, "state": r.state, "org": r.org, "actor": r.actor,
            "confidence": r.confidence, "basis": r.basis, "date": r.date, "public": r.public,
            "recorded_utc": r.recorded_utc, "marking": store.marking_of(s, r.marking_id).as_dict()}


def attributions(store: StoreBase, viewer: Viewer | None, event_id: str) -> tuple[Marking, list[dict]] | None:
    """The event's marking and the attributions on it that ``viewer`` may see, oldest assessment first (date, then
    when recorded, then id); None when the viewer may not see the event (or it does not exist)."""
    with store.session(viewer) as s:
        found = s.scalar(select(EventRecord.marking_id).where(EventRecord.id == event_id))
        if found is None:
            return None
        rows = s.scalars(select(_A).join(EventRecord, EventRecord.id == _A.event_id).where(_A.event_id == event_id)
                         .order_by(_A.date, _A.recorded_utc, _A.id)).all()
        return store.marking_of(s, found), [_attribution(store, s, r) for r in rows]


# --- findings -----------------------------------------------------------------------------------------------------


def add_finding(store: StoreBase, account: Account, event_id: str, field: str, value: object, basis: str,
                marking: Marking) -> dict | None:
    """Store one finding by ``account`` on an event they may see, under ``marking`` (checked: MarkingError). The
    fields are checked by the caller. Returns the record as its author sees it, or None when they may not see the
    event."""
    store.check_marking(account, marking)
    if event_marking(store, account.viewer, event_id) is None:
        return None
    with store.session(None) as s:
        row = _F(id=new_id(), event_id=event_id, field=field, value=value, basis=basis, org=account.org,
                 user_id=account.user_id, recorded_utc=now_utc(), marking_id=store.marking_id(s, marking))
        s.add(row)
        s.flush()
        return _finding(store, s, row)


def _finding(store: StoreBase, s: Session, r: FindingRecord) -> dict:
    return {"id": r.id, "event_id": r.event_id, "field": r.field, "value": r.value, "basis": r.basis, "org": r.org,
            "recorded_utc": r.recorded_utc, "marking": store.marking_of(s, r.marking_id).as_dict()}


def findings(store: StoreBase, viewer: Viewer | None, event_id: str) -> tuple[Marking, list[dict]] | None:
    """The event's marking and the findings on it that ``viewer`` may see, oldest first; None when the viewer may
    not see the event (or it does not exist)."""
    with store.session(viewer) as s:
        found = s.scalar(select(EventRecord.marking_id).where(EventRecord.id == event_id))
        if found is None:
            return None
        rows = s.scalars(select(_F).join(EventRecord, EventRecord.id == _F.event_id).where(_F.event_id == event_id)
                         .order_by(_F.recorded_utc, _F.id).limit(1000)).all()
        return store.marking_of(s, found), [_finding(store, s, r) for r in rows]


# --- responses ----------------------------------------------------------------------------------------------------


def _visible_or_refuse(viewer: Viewer, marking: Marking) -> None:
    if not may_see(viewer, marking):
        raise MarkingError("the combination of your marking with what it rests on would hide it from you: give a "
                           "marking you and the event's readers share (e.g. REL TO countries, not organisations)")


def add_response(store: StoreBase, account: Account, event_id: str, toolbox: str, options: Sequence[str],
                 plan: dict[str, str | None], note: str, marking: Marking, opened_utc: str) -> str | None:
    """Store a response to an event ``account`` may see (None otherwise), marked with the combination of the event's
    marking and ``marking`` (checked: MarkingError); returns its id. The fields are checked by the caller."""
    store.check_marking(account, marking)
    seen = event_marking(store, account.viewer, event_id)
    if seen is None:
        return None
    combined = combine([seen, marking])
    _visible_or_refuse(account.viewer, combined)
    with store.session(None) as s:
        row = _R(id=new_id(), event_id=event_id, toolbox=toolbox, options=list(options), plan=dict(plan), note=note,
                 user_id=account.user_id, org=account.org, opened_utc=opened_utc,
                 marking_id=store.marking_id(s, combined))
        s.add(row)
        s.flush()
        return row.id


def add_move(store: StoreBase, account: Account, response_id: str, step: str, state: str, note: str,
             options: Sequence[str] | None, deadline_utc: str | None, marking: Marking | None, moved_utc: str,
             seen: Sequence[Marking]) -> str:
    """Store a move of response ``response_id`` by ``account``, marked with the combination of ``seen`` (the
    response's marking and the moves its author saw: :func:`responses` gives them) and ``marking`` (checked:
    MarkingError). The caller has read the response as the author sees it and checked the move. Returns its id."""
    if marking is not None:
        store.check_marking(account, marking)
    combined = combine([*seen, *([marking] if marking is not None else [])])
    _visible_or_refuse(account.viewer, combined)
    with store.session(None) as s:
        row = _S(id=new_id(), response_id=response_id, step=step, state=state, note=note,
                 options=None if options is None else list(options), deadline_utc=deadline_utc,
                 user_id=account.user_id, org=account.org, moved_utc=moved_utc,
                 marking_id=store.marking_id(s, combined))
        s.add(row)
        s.flush()
        return row.id


def responses(store: StoreBase, viewer: Viewer | None, response_id: str | None = None, event_id: str | None = None,
              limit: int = 1000) -> list[dict]:
    """Responses ``viewer`` may see (of an event they may see), newest opened first, at most ``limit``; one by id
    with ``response_id``, those of one event with ``event_id``. Each: the row's fields (``by`` its opener's
    organisation, ``user`` their name), ``marking`` (a :class:`Marking`) and ``moves``: the moves the viewer may see,
    oldest first, each with its fields and ``marking``."""
    query = (select(_R, User.name).join(EventRecord, EventRecord.id == _R.event_id).join(User, User.id == _R.user_id)
             .order_by(_R.opened_utc.desc(), _R.id.desc()).limit(limit))
    if response_id is not None:
        query = query.where(_R.id == response_id)
    if event_id is not None:
        query = query.where(_R.event_id == event_id)
    with store.session(viewer) as s:
        rows = s.execute(query).all()
        ids = [r.id for r, _ in rows]
        moves: dict[str, list[dict]] = {}
        for start in range(0, len(ids), 500):
            for m, name in s.execute(select(_S, User.name).join(User, User.id == _S.user_id)
                                     .where(_S.response_id.in_(ids[start:start + 500]))
                                     .order_by(_S.moved_utc, _S.id)):
                moves.setdefault(m.response_id, []).append(_move(store, s, m, name))
        return [_response(store, s, r, name, moves.get(r.id, [])) for r, name in rows]


def _move(store: StoreBase, s: Session, m: ResponseStepRecord, name: str) -> dict[str, Any]:
    return {"id": m.id, "step": m.step, "state": m.state, "note": m.note, "options": m.options,
            "deadline_utc": m.deadline_utc, "by": m.org, "user": name, "at_utc": m.moved_utc,
            "marking": store.marking_of(s, m.marking_id)}


def _response(store: StoreBase, s: Session, r: ResponseRecord, name: str, moves: list[dict]) -> dict[str, Any]:
    return {"id": r.id, "event_id": r.event_id, "toolbox": r.toolbox, "options": list(r.options),
            "plan": dict(r.plan), "note": r.note, "by": r.org, "user": name, "opened_utc": r.opened_utc,
            "marking": store.marking_of(s, r.marking_id), "moves": moves}


__all__ = ["add_attribution", "add_finding", "add_move", "add_response", "attributions", "event_marking", "findings",
           "responses"]
