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

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, tuple_

from kompas.core.markings import Marking, Viewer, combine, may_see
from kompas.core.models import CyberInventoryRecord, CyberSightingRecord, new_id, now_utc
from kompas.core.store.base import Account, StoreBase

_S = CyberSightingRecord
MAX_KEYS = 1000  #: Most indicator keys one read merges.
MAX_INVENTORY = 100_000  #: Most inventory rows one exposure reads.

__all__ = ["MAX_INVENTORY", "MAX_KEYS", "add_inventory", "add_sightings", "inventory", "merge", "merged_sightings"]


def add_sightings(store: StoreBase, account: Account, sightings: Iterable[Any], marking: Marking,
                  observer_marking: Marking, source: str = "") -> list[str]:
    """Store ``account``'s organisation's sightings (:class:`kompas.cyber.model.Sighting`: checked) under
    ``marking``, its identity as observer under ``observer_marking`` (both checked: MarkingError). Returns the ids."""
    store.check_marking(account, marking)
    store.check_marking(account, observer_marking)
    ids = []
    with store.session(None) as s:
        mid, oid = store.marking_id(s, marking), store.marking_id(s, observer_marking)
        for sighting in sightings:
            row = _S(id=new_id(), type=sighting.type, value=sighting.value, count=sighting.count,
                     first_seen_utc=sighting.first_seen_utc, last_seen_utc=sighting.last_seen_utc, kind=sighting.kind,
                     org=account.org, observer_marking_id=oid, user_id=account.user_id, source=source[:200],
                     added_utc=now_utc(), marking_id=mid)
            s.add(row)
            ids.append(row.id)
    return ids


def merge(rows: Iterable[tuple[tuple[str, str], int, str, str, str, str, Marking, Marking]], viewer: Viewer | None
          ) -> list[dict[str, Any]]:
    """Merge sightings ``(key, count, first_seen, last_seen, kind, observer, marking, observer_marking)`` already
    known visible to ``viewer`` (None: the system, who sees every observer) on their key: per key the total count,
    the number of sightings, first and last seen, kinds, the observers ``viewer`` may see (sorted, each once) and
    how many sightings are undisclosed, and the combined marking of the sightings and the observers named. Pure."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    markings: dict[tuple[str, str], list[Marking]] = {}
    for key, count, first, last, kind, observer, marking, observer_marking in rows:
        item = merged.setdefault(key, {"type": key[0], "value": key[1], "count": 0, "sightings": 0,
                                       "first_seen_utc": first, "last_seen_utc": last, "kinds": set(),
                                       "observers": set(), "undisclosed": 0})
        item["count"] += count
        item["sightings"] += 1
        item["first_seen_utc"] = min(item["first_seen_utc"], first)
        item["last_seen_utc"] = max(item["last_seen_utc"], last)
        item["kinds"].add(kind)
        found = markings.setdefault(key, [])
        found.append(marking)
        both = combine([marking, observer_marking])
        if viewer is None or may_see(viewer, both):
            item["observers"].add(observer)
            found.append(both)
        else:
            item["undisclosed"] += 1
    out = []
    for key in sorted(merged):
        item = merged[key]
        out.append(item | {"kinds": sorted(item["kinds"]), "observers": sorted(item["observers"]),
                           "marking": combine(markings[key]).as_dict()})
    return out


def merged_sightings(store: StoreBase, viewer: Viewer | None, keys: Sequence[tuple[str, str]] | None = None,
                     limit: int = MAX_KEYS) -> list[dict[str, Any]]:
    """The sightings ``viewer`` may see merged per indicator key (:func:`merge`), of the given ``keys`` (at most
    :data:`MAX_KEYS`) or of the ``limit`` keys seen most recently; keys sorted."""
    with store.session(viewer) as s:
        if keys is None:
            newest = func.max(_S.last_seen_utc)
            keys = [(t, v) for t, v, _ in s.execute(select(_S.type, _S.value, newest).group_by(_S.type, _S.value)
                                                    .order_by(newest.desc(), _S.type, _S.value).limit(limit))]
        keys = list(dict.fromkeys(keys))[:MAX_KEYS]
        if not keys:
            return []
        rows = s.execute(select(_S.type, _S.value, _S.count, _S.first_seen_utc, _S.last_seen_utc, _S.kind, _S.org,
                                _S.marking_id, _S.observer_marking_id)
                         .where(tuple_(_S.type, _S.value).in_(keys)).order_by(_S.id)).all()
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


def add_incidents(store: StoreBase, account: Account, items: Sequence[tuple[Any, Marking]], source: str,
                  envelopes: Sequence[Any]) -> tuple[list[str], list[str], list[tuple[int, str]]]:
    """Store incidents (:class:`kompas.cyber.model.Incident`, each with the marking it is stored under, already
    checked for the contributor) with their observables and their events in the envelope (``envelopes``, one per
    item, the same ids), in one transaction. An incident already stored under the same marking is replaced (a
    MISP event updated at its source); under another marking it is refused. Returns (ids added, ids replaced,
    (index, reason) refused). A new incident queues an ``event`` alert (:func:`kompas.core.outbox.queue_alerts`),
    delivered to subscribers who may see it."""
    from sqlalchemy import delete

    from kompas.core.models import CyberIncidentRecord, CyberObservableRecord, EventRecord
    from kompas.core.outbox import queue_alerts
    from kompas.core.store import events as platform_events

    added: list[str] = []
    replaced: list[str] = []
    refused: list[tuple[int, str]] = []
    with store.session(None) as s:
        for index, ((incident, marking), envelope) in enumerate(zip(items, envelopes, strict=True)):
            mid = store.marking_id(s, marking)
            known = s.get(CyberIncidentRecord, incident.id)
            if known is not None and known.marking_id != mid:
                refused.append((index, "already shared under another marking (its id is the source's: share it "
                                       "again under its first marking, or as a new incident)"))
                continue
            if known is None and s.get(EventRecord, incident.id) is not None:
                refused.append((index, "its id is taken by another platform event"))
                continue
            fields = incident.as_dict()
            if known is not None:
                s.execute(delete(CyberObservableRecord).where(CyberObservableRecord.incident_id == incident.id))
                s.delete(known)
                s.flush()
                replaced.append(incident.id)
            else:
                added.append(incident.id)
            now = now_utc()
            s.add(CyberIncidentRecord(
                id=incident.id, title=incident.title[:300], date=incident.date, rsit_class=incident.rsit_class or "",
                rsit_type=incident.rsit_type or "", sectors=list(incident.nis2.sectors),
                member_states=list(incident.member_states), fields=fields, org=account.org, user_id=account.user_id,
                source=source[:200], added_utc=now, marking_id=mid))
            for observable in incident.observables:
                own = marking if observable.marking is None else combine([marking, observable.marking])
                s.add(CyberObservableRecord(id=new_id(), incident_id=incident.id, type=observable.type,
                                            value=observable.value[:2048], to_ids=observable.to_ids, added_utc=now,
                                            marking_id=store.marking_id(s, own)))
            platform_events.replace(s, [envelope], mid)
        queue_alerts(s, "event", added)  # with the incidents: subscribers to events hear of new ones
    return added, replaced, refused


def incidents(store: StoreBase, viewer: Viewer | None, limit: int = 100, after: tuple[str, str] | None = None,
              rsit_class: str | None = None, sector: str | None = None, member_state: str | None = None,
              since: str | None = None, until: str | None = None, ids: Sequence[str] | None = None
              ) -> list[tuple[dict[str, Any], Marking, str]]:
    """The incidents ``viewer`` may see, newest date first (then id), at most ``limit``, after the ``(date, id)``
    pair ``after``; filtered by RSIT class, NIS2 sector, affected member state, date range [since, until]
    (YYYY-MM-DD) or ``ids``. Each as ``(fields, marking, contributing organisation)``. The observables each
    carries are those the viewer may see (an observable marked apart may be hidden)."""
    from sqlalchemy import and_, or_

    from kompas.core.models import CyberIncidentRecord as _I

    query = select(_I).order_by(_I.date.desc(), _I.id.desc()).limit(limit)
    if after is not None:
        query = query.where(or_(_I.date < after[0], and_(_I.date == after[0], _I.id < after[1])))
    if rsit_class:
        query = query.where(_I.rsit_class == rsit_class)
    if since:
        query = query.where(_I.date >= since)
    if until:
        query = query.where(_I.date <= until)
    if ids is not None:
        query = query.where(_I.id.in_(list(ids)[:MAX_KEYS]))
    with store.session(viewer) as s:
        rows = list(s.scalars(query))
        if sector or member_state:  # JSON lists: filtered here, portable to SQLite and PostgreSQL
            rows = [r for r in rows if (not sector or sector in r.sectors) and
                    (not member_state or member_state in r.member_states)]
        return incident_views(store, s, viewer, rows)


def incident_views(store: StoreBase, s: Any, viewer: Viewer | None, rows: Sequence[Any]  # noqa: ANN401 (Session)
                   ) -> list[tuple[dict[str, Any], Marking, str]]:
    """Stored incident ``rows`` (read in session ``s`` serving ``viewer``) as ``(fields, marking, contributing
    organisation)``, with only the observables and annotations the viewer may see."""
    from kompas.core.models import CyberObservableRecord as _O

    out = []
    seen: dict[str, set[tuple[str, str]]] = {}
    chosen = [r.id for r in rows]
    for start in range(0, len(chosen), 500):
        for t, v, incident_id in s.execute(select(_O.type, _O.value, _O.incident_id)
                                           .where(_O.incident_id.in_(chosen[start:start + 500]))):
            seen.setdefault(incident_id, set()).add((t, v[:2048]))
    for r in rows:
        fields = dict(r.fields)
        visible = seen.get(r.id, set())
        marking = store.marking_of(s, r.marking_id)
        fields["observables"] = [o for o in fields.get("observables", [])
                                 if (o["type"], str(o["value"])[:2048]) in visible]
        # the MISP attributes kept as annotations, each marked apart when its source did: shown only to whom may see
        # the incident's marking combined with its own (the same rule as the observables' rows)
        fields["annotations"] = [a for a in fields.get("annotations", []) if viewer is None or not a.get("marking")
                                 or may_see(viewer, combine([marking, Marking.from_dict(a["marking"])]))]
        out.append((fields, marking, r.org))
    return out
