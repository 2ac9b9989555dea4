"""Tracked conjunction events on the platform (issue 21, item 4): linking stored conjunctions into events
(:mod:`kompas.space.tracking`), reading events as a viewer may see them, and decisions.

Markings. An update is marked like its conjunction; an event row carries the combination of all its updates'
markings (for the system's jobs). A user sees an event through the updates they may see, and only those: every
read selects updates and conjunctions in a session serving the viewer (the access rule of :mod:`kompas.core.access`
filters them in the query), and an event none of whose updates is visible does not exist for them. Everything
shown (latest values, trends, level, status, history) comes from the visible updates; the event's marking shown is
the combination of the visible updates' and the visible decision's markings. A decision is marked with the
combination of the updates its author saw. The CDM of an update names its event (``CONJUNCTION_ID``, a random id)
and the previous update's MESSAGE_ID only when that update's marking is covered by its own (whoever may see the
new CDM may see the previous one), else the nearest earlier update so covered, else none.

These are functions over a :class:`~kompas.core.store.space.SpaceStore`; its methods delegate here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kompas.core.access import own_exercise_markings, session_exercise
from kompas.core.markings import Marking, combine
from kompas.core.models import (
    ConjunctionDecision,
    ConjunctionEventRecord,
    ConjunctionEventUpdate,
    ConjunctionRecord,
    Organisation,
    User,
    new_id,
    now_utc,
)
from kompas.core.store.base import Account, Key, Page, StoreError, utc_text
from kompas.core.store.inputs import input_facts
from kompas.space import tracking
from kompas.space.elements import parse_time_utc

if TYPE_CHECKING:
    from kompas.core.markings import Viewer
    from kompas.core.store.space import SpaceStore

UPDATE_IDS = uuid.UUID("2f6b1d7e-3c4a-4e59-9b1f-7a8c0d2e4f61")  #: namespace of update ids (one per conjunction)
DAY_NS = 86_400 * 10**9
_MESSAGE_ID = re.compile(r"^MESSAGE_ID\s*=\s*(.*?)\s*$", re.M)
_CREATION = re.compile(r"^CREATION_DATE\s*=\s*(.*?)\s*$", re.M)
_COVARIANCE = re.compile(r"^COVARIANCE_METHOD\s*=\s*(.*?)\s*$", re.M)
_STATE = re.compile(r"^(X|Y|Z|X_DOT|Y_DOT|Z_DOT)\s*=\s*([-+0-9.eE]+)", re.M)
NOTE_CHARS = 4000  #: Longest decision note.

_U, _C = ConjunctionEventUpdate, ConjunctionRecord
_newest_epoch = func.max(_U.epoch_utc)
_newest_tca = func.max(_C.tca_utc)
_highest_pc = func.max(func.coalesce(_C.pc, -1.0))
#: Orders of the event listing: ``-updated`` (newest update first, the default), ``tca`` / ``-tca`` (the newest
#: TCA estimate of the updates you may see), ``-pc`` (the highest Pc of any update you may see first).
EVENT_SORTS = {
    "-updated": [Key(_newest_epoch, descending=True, aggregate=True), Key(_U.event_id, descending=True)],
    "tca": [Key(_newest_tca, aggregate=True), Key(_U.event_id)],
    "-tca": [Key(_newest_tca, descending=True, aggregate=True), Key(_U.event_id, descending=True)],
    "-pc": [Key(_highest_pc, descending=True, read=float, write=repr, aggregate=True), Key(_U.event_id)],
}


# --- linking (system sessions) ---------------------------------------------------------------------------------


def periods_of(conjunctions: Sequence[Any]) -> dict[tuple[int, int, str], float | None]:
    """The shorter two-body period (s) of each screened conjunction's objects, by (primary, secondary, TCA text)."""
    out = {}
    for c in conjunctions:
        periods = [tracking.orbital_period_s(c.primary_state), tracking.orbital_period_s(c.secondary_state)]
        known = [p for p in periods if p is not None]
        out[(c.primary_id, c.secondary_id, utc_text(c.tca_utc))] = min(known) if known else None
    return out


def _period_from_cdm(text: str | None) -> float | None:
    """The shorter period (s) of the two objects' states in a stored CDM (km, km/s), None without one."""
    if not text:
        return None
    values = [float(v) for _, v in _STATE.findall(text)]
    if len(values) < 12:
        return None
    known = [p for p in (tracking.orbital_period_s(values[:6]), tracking.orbital_period_s(values[6:12]))
             if p is not None]
    return min(known) if known else None


def link_rows(store: SpaceStore, s: Session, rows: Sequence[ConjunctionRecord],
              periods: dict[tuple[int, int, str], float | None] | None = None, alert: bool = True) -> list[str]:
    """In session ``s`` (the system's, the transaction storing ``rows``): link conjunction rows not yet linked to
    tracked events (:func:`kompas.space.tracking.link`), in data order (the newer element-set epoch of each row,
    then TCA), write CONJUNCTION_ID and PREVIOUS_MESSAGE_ID into their CDMs and queue ``tracked-event``
    alerts (``alert=False``: none, for a backfill of the past). Rows already linked are skipped (idempotent).
    Returns the ids of the updates made."""
    from kompas.core.outbox import queue_alerts

    if not rows:
        return []
    ids = [r.id for r in rows]
    done: set[str] = set()
    for start in range(0, len(ids), 500):
        done |= set(s.scalars(select(_U.conjunction_id).where(_U.conjunction_id.in_(ids[start:start + 500]))))
    rows = [r for r in rows if r.id not in done]
    if not rows:
        return []
    periods = periods or {}
    epochs = _newer_epochs(s, rows)
    rows = sorted(rows, key=lambda r: (epochs[r.id], r.tca_utc, r.id))
    events = _events_near(s, rows)
    past: dict[str, list[tuple[np.datetime64, int]]] = {}  # each event's updates: TCA and marking id, oldest first
    ids_near = list(events)
    for start in range(0, len(ids_near), 500):
        for event_id, tca, marking_id in s.execute(
                select(_U.event_id, _C.tca_utc, _U.marking_id).join(_C, _C.id == _U.conjunction_id)
                .where(_U.event_id.in_(ids_near[start:start + 500])).order_by(_U.seq)):
            past.setdefault(event_id, []).append((parse_time_utc(tca), marking_id))
    known = [tracking.TrackedEvent(e.id, (e.norad_a, e.norad_b), parse_time_utc(e.tca_utc), e.period_s,
                                   tuple(past.get(e.id, ()))) for e in events.values()]
    sightings = [tracking.Sighting(r.id, r.primary_id, r.secondary_id, parse_time_utc(r.tca_utc),
                                   periods[(r.primary_id, r.secondary_id, r.tca_utc)]
                                   if (r.primary_id, r.secondary_id, r.tca_utc) in periods else _period_from_cdm(r.cdm),
                                   r.marking_id)
                 for r in rows]
    covered: dict[tuple[Any, Any], bool] = {}

    def covers(new: Any, old: Any) -> bool:
        """Whether marking ``new`` covers marking ``old`` (whoever may see the first may see the second)."""
        if (new, old) not in covered:
            mine = store.marking_of(s, new)
            covered[(new, old)] = new == old or combine([mine, store.marking_of(s, old)]) == mine
        return covered[(new, old)]

    links, touched = tracking.link(known, sightings, new_id, covers)
    history: dict[str, list[tuple[int, str | None, str | None, int]]] = {}  # seq, message id, created, marking
    existing = [e for e in touched if e in events]
    for start in range(0, len(existing), 500):
        for u_seq, event_id, message_id, marking_id, text in s.execute(
                select(_U.seq, _U.event_id, _U.message_id, _U.marking_id, _C.cdm).join(_C, _C.id == _U.conjunction_id)
                .where(_U.event_id.in_(existing[start:start + 500])).order_by(_U.seq)):
            history.setdefault(event_id, []).append((u_seq, message_id, _found(_CREATION, text), marking_id))
    now = now_utc()
    by_id = {r.id: r for r in rows}
    made = []
    for found in links:
        row = by_id[found.key]
        event = touched[found.event_id]
        if found.new and found.event_id not in events:
            record = ConjunctionEventRecord(id=found.event_id, norad_a=event.pair[0], norad_b=event.pair[1],
                                            tca_utc=row.tca_utc, period_s=event.period_s, created_utc=now,
                                            updated_utc=now, marking_id=row.marking_id)
            s.add(record)
            events[found.event_id] = record
        else:
            record = events[found.event_id]
            record.tca_utc, record.period_s, record.updated_utc = row.tca_utc, event.period_s, now
            if record.marking_id != row.marking_id:
                record.marking_id = store.marking_id(s, combine([store.marking_of(s, record.marking_id),
                                                                 store.marking_of(s, row.marking_id)]))
        earlier = history.setdefault(found.event_id, [])
        mine = store.marking_of(s, row.marking_id)
        previous = next(((m, c) for _, m, c, mid in reversed(earlier)
                         if m and combine([mine, store.marking_of(s, mid)]) == mine), (None, None))
        message_id = _found(_MESSAGE_ID, row.cdm)
        if row.cdm and message_id:
            message_id = tracking.message_id_for_update(message_id, epochs[row.id])[:200]
            row.cdm = tracking.cdm_with_event(row.cdm, found.event_id, previous[0], previous[1], message_id)
        seq = (earlier[-1][0] if earlier else 0) + 1
        update = ConjunctionEventUpdate(id=str(uuid.uuid5(UPDATE_IDS, row.id)), event_id=found.event_id,
                                        conjunction_id=row.id, seq=seq, epoch_utc=epochs[row.id], linked_utc=now,
                                        message_id=message_id, marking_id=row.marking_id)
        s.add(update)
        earlier.append((seq, message_id, _found(_CREATION, row.cdm), row.marking_id))
        made.append(update.id)
    s.flush()
    if alert:
        queue_alerts(s, "tracked-event", made)
    return made


def _found(pattern: re.Pattern[str], text: str | None) -> str | None:
    match = pattern.search(text) if text else None
    return match.group(1)[:200] if match else None


def _newer_epochs(s: Session, rows: Sequence[ConjunctionRecord]) -> dict[str, str]:
    """Per row, the newer epoch of the two element sets screened (the data time of the update)."""
    sets = sorted({r.primary_elset_id for r in rows} | {r.secondary_elset_id for r in rows})
    epochs = {i: e for i, (e, _) in input_facts(s, sets).items()}  # element sets or operator ephemerides
    return {r.id: max(epochs.get(r.primary_elset_id, ""), epochs.get(r.secondary_elset_id, "")) or r.tca_utc
            for r in rows}


def _events_near(s: Session, rows: Sequence[ConjunctionRecord]) -> dict[str, ConjunctionEventRecord]:
    """Tracked events of the rows' pairs whose newest TCA lies within a day of the rows' TCAs."""
    pairs = {tracking.pair_of(r.primary_id, r.secondary_id) for r in rows}
    times = [parse_time_utc(r.tca_utc) for r in rows]
    day = np.timedelta64(DAY_NS, "ns")
    low, high = utc_text(min(times) - day), utc_text(max(times) + day)
    firsts = sorted({a for a, _ in pairs})
    out = {}
    exercise = session_exercise(s)
    for start in range(0, len(firsts), 500):
        query = select(ConjunctionEventRecord).where(
            ConjunctionEventRecord.norad_a.in_(firsts[start:start + 500]),
            ConjunctionEventRecord.tca_utc >= low, ConjunctionEventRecord.tca_utc <= high)
        if exercise is not None:  # an exercise tracks its conjunctions in its own events, never in real ones
            query = query.where(ConjunctionEventRecord.marking_id.in_(own_exercise_markings(exercise)))
        for e in s.scalars(query):
            if (e.norad_a, e.norad_b) in pairs:
                out[e.id] = e
    return out


def track_stored(store: SpaceStore, batch: int = 2000) -> int:
    """Link every stored conjunction not yet linked (those stored before tracking existed, or by a job that did not
    link), oldest data first; idempotent; no alerts (subscribers hear of new updates, not of the back catalogue).
    Returns the number of updates made."""
    total = 0
    while True:
        with store.session(None) as s:
            rows = s.scalars(select(_C).outerjoin(_U, _U.conjunction_id == _C.id).where(_U.id.is_(None))
                             .order_by(_C.tca_utc, _C.id).limit(batch)).all()
            if not rows:
                return total
            total += len(link_rows(store, s, rows, alert=False))


# --- reading (viewer sessions) ---------------------------------------------------------------------------------


def _update_view(store: SpaceStore, s: Session, u: ConjunctionEventUpdate, c: ConjunctionRecord,
                 epochs: dict[str, str]) -> dict:
    tca = parse_time_utc(c.tca_utc)
    ages = []
    for set_id in (c.primary_elset_id, c.secondary_elset_id):
        epoch = epochs.get(set_id)
        ages.append(None if epoch is None else round(float((tca - parse_time_utc(epoch)) / np.timedelta64(1, "ns"))
                                                     / DAY_NS, 6))
    methods = _COVARIANCE.findall(c.cdm or "")
    return {"id": u.id, "conjunction_id": c.id, "seq": 0, "epoch_utc": u.epoch_utc, "linked_utc": u.linked_utc,
            "primary_id": c.primary_id, "secondary_id": c.secondary_id, "tca_utc": c.tca_utc,
            "miss_km": c.miss_km, "v_rel_km_s": c.v_rel_km_s, "pc": c.pc, "pc_basis": c.pc_basis,
            "pc_flags": list(c.pc_flags or []), "pc_interval": c.pc_interval, "level": tracking.level(c.pc),
            "primary_epoch_utc": epochs.get(c.primary_elset_id),
            "secondary_epoch_utc": epochs.get(c.secondary_elset_id),
            "primary_age_days": ages[0], "secondary_age_days": ages[1],
            "covariance_methods": methods[:2] if len(methods) >= 2 else None, "message_id": u.message_id,
            "marking": store.marking_of(s, u.marking_id).as_dict()}


def _views(store: SpaceStore, s: Session, event_ids: Sequence[str], now: np.datetime64, history: bool,
           until_update: str | None = None) -> dict[str, dict]:
    """Event views from what the session's viewer may see (events without a visible update left out)."""
    found: dict[str, list[tuple[ConjunctionEventUpdate, ConjunctionRecord]]] = {}
    for u, c in s.execute(select(_U, _C).join(_C, _C.id == _U.conjunction_id).where(_U.event_id.in_(list(event_ids)))
                          .order_by(_U.event_id, _U.epoch_utc, _U.seq, _U.id)):
        found.setdefault(u.event_id, []).append((u, c))
    sets = sorted({i for pairs in found.values() for _, c in pairs for i in (c.primary_elset_id, c.secondary_elset_id)})
    # the conjunctions' markings cover the inputs they were screened from (element sets or operator ephemerides)
    epochs = {i: e for i, (e, _) in input_facts(s, sets).items()}
    decisions: dict[str, list[tuple[ConjunctionDecision, str]]] = {}
    for d, org in s.execute(select(ConjunctionDecision, Organisation.code)
                            .join(User, User.id == ConjunctionDecision.user_id)
                            .join(Organisation, Organisation.id == User.org_id)
                            .where(ConjunctionDecision.event_id.in_(list(found)))
                            .order_by(ConjunctionDecision.decided_utc, ConjunctionDecision.id)):
        decisions.setdefault(d.event_id, []).append((d, org))
    out = {}
    for event_id, pairs in found.items():
        if until_update is not None:
            cut = next((n for n, (u, _) in enumerate(pairs) if u.id == until_update), None)
            if cut is None:
                continue
            pairs = pairs[:cut + 1]
        updates = [_update_view(store, s, u, c, epochs) for u, c in pairs]
        for n, item in enumerate(updates, 1):
            item["seq"] = n
        latest = updates[-1]
        decided = decisions.get(event_id, [])
        decision = None
        decision_level, after = None, []
        if decided:
            d, org = decided[-1]
            at = next((n for n, item in enumerate(updates) if item["id"] == d.update_id), None)
            seen = updates[:at + 1] if at is not None else [item for item in updates if item["linked_utc"]
                                                            <= d.decided_utc]
            decision_level = seen[-1]["level"] if seen else "unknown"
            after = [item["level"] for item in updates[len(seen):]]
            decision = {"decision": d.decision, "note": d.note, "by": org, "decided_utc": d.decided_utc,
                        "update_id": d.update_id, "marking": store.marking_of(s, d.marking_id).as_dict()}
        marking_ids = {u.marking_id for u, _ in pairs} | ({decided[-1][0].marking_id} if decided else set())
        view = {"id": event_id, "norad_ids": list(tracking.pair_of(latest["primary_id"], latest["secondary_id"])),
                "primary_id": latest["primary_id"], "secondary_id": latest["secondary_id"],
                "tca_utc": latest["tca_utc"], "miss_km": latest["miss_km"], "pc": latest["pc"],
                "pc_basis": latest["pc_basis"], "level": latest["level"],
                "max_level": max((item["level"] for item in updates), key=tracking.LEVELS.index),
                "updates": len(updates), "first_epoch_utc": updates[0]["epoch_utc"],
                "last_epoch_utc": latest["epoch_utc"], "last_linked_utc": latest["linked_utc"],
                "pc_trend": tracking.pc_trend([item["pc"] for item in updates]),
                "miss_trend": tracking.miss_trend([item["miss_km"] for item in updates]),
                "status": tracking.status(parse_time_utc(latest["tca_utc"]), now, decision_level, after),
                "decision": decision,
                "marking": combine(store.marking_of(s, m) for m in sorted(marking_ids)).as_dict()}
        if history:
            view["history"] = updates
        out[event_id] = view
    return out


def events_page(store: SpaceStore, viewer: Viewer | None, after: str | None = None, limit: int = 100, *,
                sort: str = "-updated", norad_id: int | None = None, since_utc: str | None = None,
                until_utc: str | None = None, now: np.datetime64 | None = None) -> Page[dict]:
    """Tracked events ``viewer`` may see (an event with at least one visible update), in the order ``sort``
    (:data:`EVENT_SORTS`), with the true total; filters: ``norad_id`` (either object), the newest visible TCA in
    [since, until). Each item as :func:`event` without its history."""
    query = select(_U.event_id).join(_C, _C.id == _U.conjunction_id).group_by(_U.event_id)
    if norad_id is not None:
        query = query.where((_C.primary_id == norad_id) | (_C.secondary_id == norad_id))
    if since_utc:
        query = query.having(_newest_tca >= since_utc)
    if until_utc:
        query = query.having(_newest_tca < until_utc)
    at = now if now is not None else parse_time_utc(now_utc())

    def finish(s: Session, rows: list, items: list[dict]) -> list[dict]:
        views = _views(store, s, [r.event_id for r in rows], at, history=False)
        return [views[r.event_id] for r in rows]

    filters = {"norad_id": norad_id, "since": since_utc, "until": until_utc}
    return store.sorted_page(cast("Viewer", viewer), query, EVENT_SORTS, sort, filters, after, limit,  # None: system
                             lambda s, r: {"id": r.event_id}, scalars=False, finish=finish)


def event(store: SpaceStore, viewer: Viewer | None, event_id: str, now: np.datetime64 | None = None) -> dict | None:
    """One tracked event as ``viewer`` may see it, with ``history`` (its visible updates, oldest first), or None
    (no such event, or none of its updates visible: the same answer)."""
    at = now if now is not None else parse_time_utc(now_utc())
    with store.session(viewer) as s:
        return _views(store, s, [event_id], at, history=True).get(event_id)


def event_update(store: SpaceStore, viewer: Viewer | None, update_id: str, now: np.datetime64 | None = None
                 ) -> dict | None:
    """A ``tracked-event`` alert item: ``{"event": the event as of that update (history up to it), "update":
    the update, "previous": the previous update ``viewer`` may see or None}``; None when the viewer may not see the
    update."""
    at = now if now is not None else parse_time_utc(now_utc())
    with store.session(viewer) as s:
        event_id = s.scalar(select(_U.event_id).where(_U.id == update_id))
        if event_id is None:
            return None
        view = _views(store, s, [event_id], at, history=True, until_update=update_id).get(event_id)
    if view is None:
        return None
    history = view["history"]
    return {"id": update_id, "event": view, "update": history[-1],
            "previous": history[-2] if len(history) > 1 else None}


def decide(store: SpaceStore, account: Account, event_id: str, decision: str, note: str,
           marking: Marking | None = None, now: np.datetime64 | None = None) -> dict | None:
    """Record ``decision`` (``mitigate``, ``accept`` or ``monitor``) with ``note`` on an event ``account`` may see,
    marked with the combination of the updates they see (and ``marking`` when given, checked as a contribution's);
    returns the event as they now see it, or None when they may not see it. StoreError for a bad decision."""
    if decision not in tracking.DECISIONS:
        raise StoreError(f"decision must be one of {', '.join(tracking.DECISIONS)}")
    note = note.strip()
    if not 0 < len(note) <= NOTE_CHARS:
        raise StoreError(f"note must hold 1 to {NOTE_CHARS} characters")
    if marking is not None:
        store.check_marking(account, marking)
    with store.session(account.viewer) as s:
        seen = s.execute(select(_U.id, _U.marking_id).where(_U.event_id == event_id)
                         .order_by(_U.epoch_utc, _U.seq, _U.id)).all()
    if not seen:
        return None
    with store.session(None) as s:
        parts = [store.marking_of(s, m) for m in sorted({m for _, m in seen})] + ([marking] if marking else [])
        s.add(ConjunctionDecision(id=new_id(), event_id=event_id, decision=decision, note=note,
                                  user_id=account.user_id, update_id=seen[-1][0], decided_utc=now_utc(),
                                  marking_id=store.marking_id(s, combine(parts))))
    return event(store, account.viewer, event_id, now)


__all__ = ["EVENT_SORTS", "decide", "event", "event_update", "events_page", "link_rows", "periods_of",
           "track_stored"]
