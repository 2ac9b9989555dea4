"""Platform events of every domain in the common envelope (:mod:`kompas.core.envelope`): stored under markings,
read under the access rule (:class:`EventsStore`, part of :class:`kompas.core.store.Store`).

Storing is validate-then-write: every envelope of a batch is checked first (:func:`kompas.core.envelope.problems`,
duplicate ids inside the batch, ids already stored under another marking), then the good ones are written in one
transaction, so a batch is stored whole or not at all and a rerun of the same batch stores nothing new
(idempotent: the same id under the same marking is "already stored", not an error).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, cast

from sqlalchemy import case, delete, literal_column, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kompas.core.envelope import SEVERITIES, Envelope, problems, servable
from kompas.core.markings import Marking, MarkingError, Viewer
from kompas.core.models import EventObject, EventRecord
from kompas.core.shapes import EventView
from kompas.core.store.accounts import attribution
from kompas.core.store.base import Account, Key, Page, StoreBase, StoreError, _escape_like, int_key
from kompas.space.elements import Rejection

if TYPE_CHECKING:
    pass

CHUNK = 500  #: ids per IN (...) query
#: Times a batch is re-tried when a concurrent writer stored one of its ids between our read and our insert.
RACE_RETRIES = 5
Severity = Literal["low", "medium", "high"]
_E = EventRecord
#: Severity as a number that sorts (high 3, medium 2, low 1), written with literal values so one SQL text serves
#: every query.
SEVERITY_RANK = case((_E.severity == literal_column("'high'"), literal_column("3")),
                     (_E.severity == literal_column("'medium'"), literal_column("2")), else_=literal_column("1"))
#: The orders of the event listing: ``time`` (oldest first), ``-time`` (newest first), ``-severity`` (high first,
#: then newest).
EVENT_SORTS = {
    "time": [Key(_E.time_utc), Key(_E.id)],
    "-time": [Key(_E.time_utc, descending=True), Key(_E.id, descending=True)],
    "-severity": [int_key(SEVERITY_RANK, descending=True), Key(_E.time_utc, descending=True),
                  Key(_E.id, descending=True)],
}


@dataclass
class StoredEvents:
    """Outcome of storing a batch of events: ids newly stored, ids already stored under the same marking (skipped),
    and each rejected item (``line`` is its position in the batch, from 1)."""

    ids: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def check(items: Sequence[tuple[Envelope, Marking]], source: str) -> tuple[list[int], list[Rejection]]:
    """Positions (0-based) of the items that may be stored, and a rejection for each other one: envelope rules,
    and an id repeated inside the batch (the first is kept)."""
    good: list[int] = []
    rejected: list[Rejection] = []
    first: dict[str, int] = {}
    for index, (envelope, _) in enumerate(items):
        found = problems(envelope)
        if found:
            rejected.append(Rejection(source, index + 1, found[0][0], found[0][1], envelope.id))
            continue
        if envelope.id in first:
            rejected.append(Rejection(source, index + 1, "id", f"duplicate id: item {first[envelope.id] + 1} "
                                                               "of this batch has it too", envelope.id))
            continue
        first[envelope.id] = index
        good.append(index)
    return good, rejected


def store(store: StoreBase, items: Sequence[tuple[Envelope, Marking]], source: str = "events",
          alert: bool = True) -> StoredEvents:
    """Store ``(envelope, marking)`` pairs: validate all, then write the good new ones in one transaction, with an
    ``event`` alert queued for each new one when ``alert`` (:func:`kompas.core.outbox.queue_alerts`).

    No marking check here: callers check that the contributor may give each marking. An id already stored under
    the same marking is skipped (``existing``); under another marking it is rejected (two contributors' copies of
    one detection keep distinct ids, see :func:`kompas.core.envelope.derived_id`).
    """
    good, rejected = check(items, source)
    for attempt in range(RACE_RETRIES):
        try:
            return _write(store, items, good, StoredEvents(rejected=list(rejected)), source, alert)
        except IntegrityError:  # a concurrent writer stored some of these ids first: re-read and classify again
            if attempt == RACE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _write(store: StoreBase, items: Sequence[tuple[Envelope, Marking]], good: list[int], out: StoredEvents,
           source: str, alert: bool = True) -> StoredEvents:
    """The write half of :func:`store`: one transaction for the checked items ``good`` (and their alerts)."""
    from kompas.core.outbox import queue_alerts

    with store.session(None) as s:
        ids = [items[i][0].id for i in good]
        stored: dict[str, int] = {}
        for start in range(0, len(ids), CHUNK):
            stored |= dict(s.execute(select(EventRecord.id, EventRecord.marking_id)
                                     .where(EventRecord.id.in_(ids[start:start + CHUNK]))).all())
        markings: dict[str, int] = {}
        for index in good:
            envelope, marking = items[index]
            key = marking.key()
            if key not in markings:
                markings[key] = store.marking_id(s, marking)
            mid = markings[key]
            if envelope.id in stored:
                if stored[envelope.id] == mid:
                    out.existing.append(envelope.id)
                else:
                    out.rejected.append(Rejection(source, index + 1, "id", "already stored under another marking",
                                                  envelope.id))
                continue
            add(s, envelope, mid)
            out.ids.append(envelope.id)
        if alert:
            queue_alerts(s, "event", out.ids)  # with the events: no alert lost to a crash after the commit
    out.rejected.sort(key=lambda r: r.line)
    return out


def add(s: Session, envelope: Envelope, marking_id: int) -> None:
    """Write one (valid) envelope and its object index rows in session ``s``."""
    lat, lon = envelope.place.lat, envelope.place.lon
    s.add(EventRecord(id=envelope.id, domain=envelope.domain, kind=envelope.type, time_utc=envelope.time_utc,
                      start_utc=envelope.start_utc, end_utc=envelope.end_utc, norad_ids=envelope.norad_ids,
                      title=envelope.title[:300], severity=envelope.severity, confidence=envelope.confidence,
                      lat=lat, lon=lon, place=envelope.place.as_dict(), actors=[a.as_dict() for a in envelope.actors],
                      evidence=envelope.evidence, detail=envelope.payload, source=envelope.source[:200],
                      marking_id=marking_id))
    s.flush()
    s.add_all(EventObject(event_id=envelope.id, norad_id=n, marking_id=marking_id)
              for n in dict.fromkeys(envelope.norad_ids))


def replace(s: Session, envelopes: Iterable[Envelope], marking_id: int) -> None:
    """Write envelopes in session ``s``, replacing any stored under the same ids (a FIMI case that absorbed a
    later copy of itself). Envelopes that break the rules are skipped: their source record stays the reference."""
    envelopes = [e for e in envelopes if not problems(e)]
    if not envelopes:
        return
    ids = [e.id for e in envelopes]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        s.execute(delete(EventObject).where(EventObject.event_id.in_(chunk)))
        s.execute(delete(EventRecord).where(EventRecord.id.in_(chunk)))
    for envelope in envelopes:
        add(s, envelope, marking_id)


def at_least(severity: str) -> list[str]:
    """The severities at or above ``severity``."""
    return list(SEVERITIES[SEVERITIES.index(severity):])


def listing(store: StoreBase, viewer: Viewer, after: str | None = None, limit: int = 100, kind: str | None = None,
            norad_id: int | None = None, since_utc: str | None = None, until_utc: str | None = None,
            domain: str | None = None, severity: str | None = None, *, sort: str = "time",
            q: str | None = None) -> Page[EventView]:
    """Visible events in the order ``sort`` (:data:`EVENT_SORTS`; ``time`` by default here, the API defaults to
    ``-time``), with the true total: of one domain and type (``kind``), at or above a severity, concerning one
    object, in a time window [since, until) of their best-estimate time, with every word of ``q`` in the title
    (any case)."""
    query = select(EventRecord)
    if domain:
        query = query.where(EventRecord.domain == domain)
    if kind:
        query = query.where(EventRecord.kind == kind)
    if severity:
        if severity not in SEVERITIES:
            raise StoreError(f"severity must be one of {', '.join(SEVERITIES)}")
        query = query.where(EventRecord.severity.in_(at_least(severity)))
    if norad_id is not None:
        concerned = select(EventObject.event_id).where(EventObject.norad_id == norad_id)
        query = query.where(EventRecord.id.in_(concerned))
    if since_utc:
        query = query.where(EventRecord.time_utc >= since_utc)
    if until_utc:
        query = query.where(EventRecord.time_utc < until_utc)
    for word in (q or "").split():
        query = query.where(EventRecord.title.ilike(f"%{_escape_like(word)}%", escape="\\"))
    filters = {"kind": kind, "norad_id": norad_id, "since": since_utc, "until": until_utc, "domain": domain,
               "severity": severity, "q": q}
    return store.sorted_page(viewer, query, EVENT_SORTS, sort, filters, after, limit,
                             lambda s, r: as_dict(store, s, r, viewer))


def one(store: StoreBase, viewer: Viewer, event_id: str) -> EventView | None:
    """One visible event, or None (whether it does not exist or may not be seen)."""
    return store._one(viewer, EventRecord, event_id, lambda s, r: as_dict(store, s, r, viewer))


def as_dict(store: StoreBase, s: Session, r: EventRecord, viewer: Viewer | None = None) -> EventView:
    """An event as the API returns it: the envelope's fields (``type`` also as ``kind``, the payload as
    ``detail``) and its marking. For a ``viewer``, ``source`` names users of other organisations by their
    organisation only (:func:`kompas.core.store.accounts.attribution`); without one (the platform itself) it is
    as stored."""
    return {"id": r.id, "domain": r.domain, "type": r.kind, "kind": r.kind, "time_utc": r.time_utc,
            "start_utc": r.start_utc or r.time_utc, "end_utc": r.end_utc or r.time_utc, "norad_ids": r.norad_ids,
            "title": r.title, "severity": cast(Severity, r.severity), "confidence": r.confidence,
            "place": servable(r.place or {}, r.id), "actors": servable(r.actors or [], r.id, []),
            "evidence": servable(r.evidence or {}, r.id), "detail": servable(r.detail, r.id),
            "source": attribution(s, viewer)(r.source) if viewer is not None else r.source,
            "marking": store.marking_of(s, r.marking_id).as_dict()}


class EventsStore(StoreBase):
    """Events of every domain in the envelope: stored atomically, listed with filters, imported from STIX."""

    def import_events(self, account: Account, bundle_text: str, source: str = "stix") -> tuple[list[str], list]:
        """Store the incidents of a STIX 2.1 bundle as events under their markings (the importer's organisation added
        as originator, and to the releasability list when there is one). Everything is checked first, then the good
        events are stored in one transaction. Ids are derived from the importer's organisation and the STIX id, so a
        re-import stores nothing new and one organisation's ids never meet another's. Returns the ids newly stored
        and the rejected objects."""
        from kompas.core.envelope import derived_id
        from kompas.core.stix import import_events

        imported = import_events(bundle_text, source)
        rejected, pairs, where = list(imported.rejected), [], []
        for event in imported.events:
            marking = Marking(event.marking.classification, event.marking.tlp, event.marking.releasable_to,
                              event.marking.clauses, frozenset({account.org}), event.marking.caveats)
            if marking.releasable_to is not None:
                marking = Marking(marking.classification, marking.tlp, marking.releasable_to | {account.org},
                                  marking.clauses, marking.originators, marking.caveats)
            try:
                self.check_marking(account, marking)
                context = self.exercise or account.viewer.exercise  # an exercise's copy never takes a real id
                envelope = event.envelope(derived_id(account.org, event.stix_id, *([context] if context else [])),
                                          f"{source} {event.stix_id}")
            except (MarkingError, ValueError) as error:
                rejected.append({"source": source, "id": event.stix_id, "reason": str(error)})
                continue
            pairs.append((envelope, marking))
            where.append(event.stix_id)
        done = store(self, pairs, source)
        rejected += [{"source": source, "id": where[r.line - 1], "field": r.field, "reason": r.reason}
                     for r in done.rejected]
        return done.ids, rejected

    def add_event(self, kind: str, time_utc: str, norad_ids: Sequence[int], title: str, marking: Marking,
                  detail: dict | None = None, source: str = "", event_id: str | None = None) -> str:
        """Store a space event given its older fields (objects in the order given: the primary first) under
        ``marking``, alerting nobody; returns its id. Raises StoreError for an event the envelope's rules refuse."""
        from kompas.core.envelope import legacy_space

        envelope = legacy_space(kind, time_utc, norad_ids, title, detail, source, event_id)
        done = store(self, [(envelope, marking)], source or "event", alert=False)
        if done.rejected:
            raise StoreError(f"event refused: {done.rejected[0].field}: {done.rejected[0].reason}")
        return envelope.id

    def events(self, viewer: Viewer, after: str | None = None, limit: int = 100, kind: str | None = None,
               norad_id: int | None = None, since_utc: str | None = None, until_utc: str | None = None,
               domain: str | None = None, severity: str | None = None, *, sort: str = "time",
               q: str | None = None) -> Page[EventView]:
        """Visible events in the order ``sort`` (oldest first by default), with the true total, filtered by domain,
        type (``kind``), least severity, object, time window and title words (:func:`listing`)."""
        return listing(self, viewer, after, limit, kind, norad_id, since_utc, until_utc, domain, severity,
                       sort=sort, q=q)

    def event(self, viewer: Viewer, event_id: str) -> EventView | None:
        """One visible event, or None (whether it does not exist or may not be seen)."""
        return one(self, viewer, event_id)


def remove(store: StoreBase, event_id: str) -> bool:
    """Delete one event and its object index rows (an administrator's repair: no access rule here, the caller
    audits it); False when no event has that id. (helper "boundary", issue 18 #1)"""
    with store.session(None) as s:
        if s.scalar(select(EventRecord.id).where(EventRecord.id == event_id)) is None:  # not its JSON
            return False
        s.execute(delete(EventObject).where(EventObject.event_id == event_id))
        s.execute(delete(EventRecord).where(EventRecord.id == event_id))
    return True
