"""Cyber records on the platform (issue 23): members' sightings merged on the indicator, declared inventories, shared
incidents with their observables. Functions over a :class:`~kompas.core.store.base.StoreBase`;
:mod:`kompas.services.cyber` calls them.

Markings and sight:

- every row is marked and read in a session serving the viewer, so the access rule filters it in the query: a
  sighting, an inventory row, an incident or an observable the viewer may not see is never read;
- a **sighting** carries two markings: its own (the row's: whether the sighting exists for a reader, with its count
  and times) and its **observer's** (``observer_marking_id``): the observing organisation is shown only to readers
  who may see the combination of both. A reader who may see the sighting but not its observer counts it among the
  undisclosed sightings: "3 sightings, 1 by NL-NCSC, 2 undisclosed". :func:`merged_sightings` computes each
  indicator's totals only from the sightings the reader may see, so a hidden sighting changes nothing they see
  (the non-interference property tested in ``tests/services/test_sightings.py``);
- the marking of a merged indicator is the combination of the sightings it counts and of the observers it names.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, tuple_

from kompas.core.markings import Marking, Viewer, combine, may_see
from kompas.core.models import CyberInventoryRecord, CyberSightingRecord, new_id, now_utc
from kompas.core.store.base import Account, StoreBase

_S = CyberSightingRecord
MAX_KEYS = 1000  #: Most indicator keys one read merges.
MAX_INVENTORY = 100_000  #: Most inventory rows one exposure reads.

__all__ = ["MAX_INVENTORY", "MAX_KEYS", "SEEN", "IncidentView", "add_incidents", "add_inventory", "add_sightings",
           "incident_views", "incidents", "inventory", "merge", "merged_sightings", "observable_row_id",
           "platform_id", "redact"]


def add_sightings(store: StoreBase, account: Account, sightings: Iterable[Any], marking: Marking,
                  observer_marking: Marking, source: str = "") -> list[str]:
    """Store ``account``'s organisation's sightings (:class:`kompas.cyber.model.Sighting`: checked) under
    ``marking``, its identity as observer under ``observer_marking`` (both checked: MarkingError). A sighting the
    organisation reported before (same indicator, kind, first and last seen: a MISP event shared again) is updated,
    not counted twice. Returns the ids."""
    store.check_marking(account, marking)
    store.check_marking(account, observer_marking)
    ids = []
    with store.session(None) as s:
        mid, oid = store.marking_id(s, marking), store.marking_id(s, observer_marking)
        for sighting in sightings:
            known = s.scalars(select(_S).where(
                _S.org == account.org, _S.type == sighting.type, _S.value == sighting.value, _S.kind == sighting.kind,
                _S.first_seen_utc == sighting.first_seen_utc, _S.last_seen_utc == sighting.last_seen_utc)).first()
            what = (sighting.source or source)[:200]
            if known is not None:
                known.count, known.marking_id, known.observer_marking_id = sighting.count, mid, oid
                known.source, known.user_id, known.added_utc = what, account.user_id, now_utc()
                ids.append(known.id)
                continue
            row = _S(id=new_id(), type=sighting.type, value=sighting.value, count=sighting.count,
                     first_seen_utc=sighting.first_seen_utc, last_seen_utc=sighting.last_seen_utc, kind=sighting.kind,
                     org=account.org, observer_marking_id=oid, user_id=account.user_id, source=what,
                     added_utc=now_utc(), marking_id=mid)
            s.add(row)
            s.flush()
            ids.append(row.id)
    return ids


#: Sighting kinds that count as seen (MISP's "sighting", a true positive); the others are counted apart.
SEEN = ("sighting", "true-positive")


def redact(marking: Marking, observer: str) -> Marking:
    """``marking`` without naming ``observer`` (its originators and its releasability list lose that
    organisation): the label of a sighting whose observer the reader may not know. Only ever more restrictive
    (a shorter releasability list) or equal in what it allows."""
    rel = None if marking.releasable_to is None else marking.releasable_to - {observer}
    return dataclasses.replace(marking, originators=marking.originators - {observer}, releasable_to=rel)


def merge(rows: Iterable[tuple[tuple[str, str], int, str, str, str, str, Marking, Marking]], viewer: Viewer | None
          ) -> list[dict[str, Any]]:
    """Merge sightings ``(key, count, first_seen, last_seen, kind, observer, marking, observer_marking)`` already
    known visible to ``viewer`` (None: the system, who sees every observer) on their key: per key the count of what
    was seen (kinds :data:`SEEN`) and the counts per kind, the number of sighting records, first and last seen, the
    observers ``viewer`` may know (sorted, each once) and how many records are undisclosed, and the combined marking
    of the sightings and the observers named; an undisclosed observer's name is taken out of the marking
    (:func:`redact`). Pure."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    markings: dict[tuple[str, str], list[Marking]] = {}
    for key, count, first, last, kind, observer, marking, observer_marking in rows:
        item = merged.setdefault(key, {"type": key[0], "value": key[1], "count": 0, "sightings": 0,
                                       "first_seen_utc": first, "last_seen_utc": last, "kinds": {},
                                       "observers": set(), "undisclosed": 0})
        item["count"] += count if kind in SEEN else 0
        item["kinds"][kind] = item["kinds"].get(kind, 0) + count
        item["sightings"] += 1
        item["first_seen_utc"] = min(item["first_seen_utc"], first)
        item["last_seen_utc"] = max(item["last_seen_utc"], last)
        found = markings.setdefault(key, [])
        both = combine([marking, observer_marking])
        if viewer is None or may_see(viewer, both):
            item["observers"].add(observer)
            found += [marking, both]
        else:
            item["undisclosed"] += 1
            found.append(redact(marking, observer))
    out = []
    for key in sorted(merged):
        item = merged[key]
        out.append(item | {"kinds": dict(sorted(item["kinds"].items())), "observers": sorted(item["observers"]),
                           "marking": combine(markings[key]).as_dict()})
    return out


def merged_sightings(store: StoreBase, viewer: Viewer | None, keys: Sequence[tuple[str, str]] | None = None,
                     limit: int = MAX_KEYS, since: str | None = None, until: str | None = None
                     ) -> list[dict[str, Any]]:
    """The sightings ``viewer`` may see merged per indicator key (:func:`merge`), of the given ``keys`` (the first
    :data:`MAX_KEYS`) or of the ``limit`` keys seen most recently; only sightings overlapping ``[since, until]``
    (dates, when given); keys sorted."""
    window = []
    if since:
        window.append(_S.last_seen_utc >= since)
    if until:
        window.append(_S.first_seen_utc <= f"{until}T23:59:59.999Z")
    with store.session(viewer) as s:
        if keys is None:
            newest = func.max(_S.last_seen_utc)
            keys = [(t, v) for t, v, _ in s.execute(select(_S.type, _S.value, newest).where(*window)
                                                    .group_by(_S.type, _S.value)
                                                    .order_by(newest.desc(), _S.type, _S.value).limit(limit))]
        keys = list(dict.fromkeys(keys))[:MAX_KEYS]
        if not keys:
            return []
        rows = s.execute(select(_S.type, _S.value, _S.count, _S.first_seen_utc, _S.last_seen_utc, _S.kind, _S.org,
                                _S.marking_id, _S.observer_marking_id)
                         .where(tuple_(_S.type, _S.value).in_(keys), *window).order_by(_S.id)).all()
        return merge((((t, v), int(n), first, last, kind, org, store.marking_of(s, m), store.marking_of(s, om))
                      for t, v, n, first, last, kind, org, m, om in rows), viewer)


# --- inventories ---------------------------------------------------------------------------------------------------


def add_inventory(store: StoreBase, account: Account, items: Iterable[Any], marking: Marking,
                  replace: bool = True) -> int:
    """Store ``account``'s organisation's declared products (:class:`kompas.cyber.exposure.InventoryItem`, all of
    that member: checked by the caller) under ``marking`` (checked: MarkingError). With ``replace``, the inventory
    that organisation declared before under the same marking is replaced (a declaration is the whole list).
    Returns the number stored."""
    from sqlalchemy import delete

    store.check_marking(account, marking)
    items = list(items)
    with store.session(None) as s:
        mid = store.marking_id(s, marking)
        if replace:
            s.execute(delete(CyberInventoryRecord).where(CyberInventoryRecord.org == account.org,
                                                         CyberInventoryRecord.marking_id == mid))
        s.add_all(CyberInventoryRecord(id=new_id(), org=account.org, cpe=item.cpe.fs(),
                                       declared=item.declared.isoformat(), assets=item.assets,
                                       criticality=item.criticality or "", note=item.note[:2000],
                                       user_id=account.user_id, source=item.source[:200], added_utc=now_utc(),
                                       marking_id=mid) for item in items)
    return len(items)


def inventory(store: StoreBase, viewer: Viewer | None, org: str | None = None) -> list[tuple[dict[str, Any], Marking]]:
    """The declared products ``viewer`` may see (of member ``org``), at most :data:`MAX_INVENTORY`, each as
    ``(fields, marking)``."""
    query = select(CyberInventoryRecord).order_by(CyberInventoryRecord.org, CyberInventoryRecord.cpe,
                                                  CyberInventoryRecord.id).limit(MAX_INVENTORY)
    if org is not None:
        query = query.where(CyberInventoryRecord.org == org)
    with store.session(viewer) as s:
        return [({"member": r.org, "cpe": r.cpe, "declared": r.declared, "assets": r.assets,
                  "criticality": r.criticality or None, "note": r.note, "source": r.source},
                 store.marking_of(s, r.marking_id)) for r in s.scalars(query)]


# --- incidents -------------------------------------------------------------------------------------------------------

_NAMESPACE = uuid.UUID("8c0f5e2a-41d7-4b9e-a3c6-5d2e7f1b9a04")  #: of the platform ids of shared incidents


def platform_id(org: str, source_id: str, marking: Marking) -> str:
    """The platform id of an incident ``org`` shares with the source id ``source_id`` under ``marking``: the same
    share again (an updated MISP event) has the same id and replaces it; another organisation's copy of the same
    event, or the same one under another marking, is another incident. No share ever collides with one its
    contributor may not see, so a refusal never tells of it."""
    return str(uuid.uuid5(_NAMESPACE, f"{org}|{source_id}|{marking.key()}"))


def observable_row_id(record_id: str, position: int) -> str:
    """The row id of the ``position``-th observable (0-based, in the stored incident's order) of incident
    ``record_id``: reads keep exactly the observables whose rows the reader may see."""
    return str(uuid.uuid5(_NAMESPACE, f"{record_id}|observable|{position}"))


def add_incidents(store: StoreBase, account: Account, items: Sequence[tuple[Any, Marking]], source: str,
                  envelopes: Sequence[Any]) -> tuple[list[str], list[str]]:
    """Store incidents (:class:`kompas.cyber.model.Incident`, each with the marking it is stored under and the
    markings of its parts already checked for the contributor) under their platform ids (:func:`platform_id`, the
    ids of ``envelopes``, one per item) with their observables and their events in the envelope, in one
    transaction; an incident stored before under that id is replaced. Returns (ids added, ids replaced). A new
    incident queues an ``event`` alert (:func:`kompas.core.outbox.queue_alerts`), delivered to subscribers who may
    see it."""
    from sqlalchemy import delete

    from kompas.core.models import CyberIncidentRecord, CyberObservableRecord
    from kompas.core.outbox import queue_alerts
    from kompas.core.store import events as platform_events

    added: list[str] = []
    replaced: list[str] = []
    with store.session(None) as s:
        ids: dict[str, int] = {}

        def marking_id(marking: Marking) -> int:  # one look-up per marking and transaction
            key = marking.key()
            if key not in ids:
                ids[key] = store.marking_id(s, marking)
            return ids[key]

        for (incident, marking), envelope in zip(items, envelopes, strict=True):
            record_id = envelope.id
            known = s.get(CyberIncidentRecord, record_id)
            if known is not None:
                s.execute(delete(CyberObservableRecord).where(CyberObservableRecord.incident_id == record_id))
                s.delete(known)
                s.flush()
                replaced.append(record_id)
            else:
                added.append(record_id)
            now = now_utc()
            s.add(CyberIncidentRecord(
                id=record_id, title=incident.title[:300], date=incident.date, rsit_class=incident.rsit_class or "",
                rsit_type=incident.rsit_type or "", sectors=list(incident.nis2.sectors),
                member_states=list(incident.member_states), fields=incident.as_dict(), org=account.org,
                user_id=account.user_id, source=source[:200], added_utc=now, marking_id=marking_id(marking)))
            s.add_all(CyberObservableRecord(
                id=observable_row_id(record_id, n), incident_id=record_id, type=o.type, value=o.value[:2048],
                to_ids=o.to_ids, added_utc=now,
                marking_id=marking_id(marking if o.marking is None else combine([marking, o.marking])))
                for n, o in enumerate(incident.observables))
            platform_events.replace(s, [envelope], marking_id(marking))
        queue_alerts(s, "event", added)  # with the incidents: subscribers to events hear of new ones
    return added, replaced


SCAN = 20_000  #: Most incident rows one filtered listing reads to fill a page.


def incidents(store: StoreBase, viewer: Viewer | None, limit: int = 100, after: tuple[str, str] | None = None,
              rsit_class: str | None = None, sector: str | None = None, member_state: str | None = None,
              since: str | None = None, until: str | None = None, ids: Sequence[str] | None = None
              ) -> list[IncidentView]:
    """The incidents ``viewer`` may see, newest date first (then id), at most ``limit``, after the ``(date, id)``
    pair ``after``; filtered by RSIT class, NIS2 sector, affected member state, date range [since, until]
    (YYYY-MM-DD) or platform ``ids`` (the first :data:`MAX_KEYS`). Sector and member state are lists in the rows:
    read in batches until the page is full or :data:`SCAN` rows were read. Each as an :class:`IncidentView`."""
    from sqlalchemy import and_, or_

    from kompas.core.models import CyberIncidentRecord as _I

    base = select(_I).order_by(_I.date.desc(), _I.id.desc())
    if rsit_class:
        base = base.where(_I.rsit_class == rsit_class)
    if since:
        base = base.where(_I.date >= since)
    if until:
        base = base.where(_I.date <= until)
    if ids is not None:
        base = base.where(_I.id.in_(list(ids)[:MAX_KEYS]))
    chosen: list[Any] = []
    read = 0
    with store.session(viewer) as s:
        while len(chosen) < limit and read < SCAN:
            query = base if after is None else base.where(
                or_(_I.date < after[0], and_(_I.date == after[0], _I.id < after[1])))
            batch = list(s.scalars(query.limit(limit if not (sector or member_state) else max(limit, 500))))
            read += len(batch)
            for r in batch:
                if (not sector or sector in r.sectors) and (not member_state or member_state in r.member_states):
                    chosen.append(r)
                    if len(chosen) == limit:
                        break
            if not batch or not (sector or member_state):
                break
            after = (batch[-1].date, batch[-1].id)
        return incident_views(store, s, viewer, chosen)


@dataclasses.dataclass(frozen=True)
class IncidentView:
    """A stored incident as one reader may see it: its platform ``id``, its ``fields`` (the source's incident,
    Kompas JSON, with only the observables, annotations and MISP objects the reader may see), the ``marking`` it
    was shared under, the organisation that shared it (``org``), ``shown``: the combination of its marking and the
    markings of the parts shown, which any output holding them carries, and when it was added."""

    id: str
    fields: dict[str, Any]
    marking: Marking
    org: str
    shown: Marking
    added_utc: str


def incident_views(store: StoreBase, s: Any, viewer: Viewer | None, rows: Sequence[Any]  # noqa: ANN401 (Session)
                   ) -> list[IncidentView]:
    """Stored incident ``rows`` (read in session ``s`` serving ``viewer``) as :class:`IncidentView`: an observable
    is kept when its own row was read (the storage layer's rule), an annotation when the reader may see its marking
    combined with the incident's, a MISP object when it has no members or a member is kept (its references to
    parts not kept are dropped)."""
    from kompas.core.models import CyberObservableRecord as _O

    visible: set[str] = set()
    chosen = [r.id for r in rows]
    for start in range(0, len(chosen), 500):
        visible.update(s.scalars(select(_O.id).where(_O.incident_id.in_(chosen[start:start + 500]))))
    out = []
    for r in rows:
        fields = dict(r.fields)
        marking = store.marking_of(s, r.marking_id)
        shown = [marking]
        kept_observables, hidden = [], set()
        for n, o in enumerate(fields.get("observables", [])):
            if observable_row_id(r.id, n) in visible:
                kept_observables.append(o)
                if o.get("marking"):
                    shown.append(Marking.from_dict(o["marking"]))
            else:
                hidden.add(str(o.get("id", "")))
        kept_annotations = []
        for a in fields.get("annotations", []):
            own = Marking.from_dict(a["marking"]) if a.get("marking") else None
            if own is None or viewer is None or may_see(viewer, combine([marking, own])):
                kept_annotations.append(a)
                if own is not None:
                    shown.append(own)
            else:
                hidden.add(str(a.get("id", "")))
        members = {str(x.get("group", "")) for x in [*kept_observables, *kept_annotations]}
        every = {str(x.get("group", "")) for x in [*fields.get("observables", []), *fields.get("annotations", [])]}
        groups = []
        for g in fields.get("groups", []):
            gid = str(g.get("id", ""))
            if gid in members or gid not in every:
                groups.append(g | {"references": [ref for ref in g.get("references", [])
                                                  if not hidden & {str(x) for x in ref}]})
            else:
                hidden.add(gid)
        fields["observables"], fields["annotations"], fields["groups"] = kept_observables, kept_annotations, groups
        out.append(IncidentView(r.id, fields, marking, r.org, combine(shown), r.added_utc))
    return out
