"""Contributed infrastructure elements on the platform (issue 24): what operators and member states add to the public
map (:mod:`kompas.infra.contributed`), one marked row per element. Functions over a
:class:`~kompas.core.store.base.StoreBase`; :mod:`kompas.services.infra` calls them.

- a row holds the contributing organisation, the element's kind and id, the element as JSON text
  (:func:`kompas.infra.contributed.to_dict`), the source it came from, who added it and when;
- every read runs in a session serving the viewer, so the access rule filters the rows inside the query: an element
  the viewer may not see is never read (need-to-know in the storage layer, as for every marked table);
- :func:`entries` reads the rows without their elements (ids, kinds, organisations, markings, sources: cheap), and
  :func:`parsed` gives the elements of those rows, parsing only those not parsed before in the process (a row is
  never changed: a new copy is a new row), so a request does not re-parse every row it may see;
- an organisation sending an element again under the same marking replaces its row (``replace``); the same element
  under another marking is another row (each reader sees the copies they may see; :mod:`kompas.services.infra`
  decides which one a reader's network uses);
- an organisation stores at most :data:`QUOTA` elements (a contribution that would exceed it is refused whole), so
  one organisation cannot push the others' rows past the read bound :data:`MAX_READ`;
- :func:`withdraw` deletes an organisation's rows by source or by element.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kompas.core.markings import Marking, Viewer
from kompas.core.models import InfraElementRecord, new_id, now_utc
from kompas.core.store.base import Account, StoreBase, StoreError
from kompas.infra.contributed import from_dict, to_dict
from kompas.infra.model import Element

_R = InfraElementRecord
MAX_READ = 100_000  #: most element rows one read returns (the newest); a read that reaches it says so
QUOTA = 20_000  #: most elements one organisation stores (every marking together)
_CHUNK = 500  #: row ids per ``IN (...)`` (SQLite binds at most 999 parameters per statement)
CACHED = 100_000  #: contributed elements kept parsed in a process, by row id
_CACHE: OrderedDict[str, Element] = OrderedDict()
_cache_lock = threading.Lock()
log = logging.getLogger("kompas.infra")

__all__ = ["CACHED", "MAX_READ", "QUOTA", "Entry", "Stored", "StoredElement", "add_elements", "element_rows",
           "elements", "entries", "load", "parsed", "withdraw"]


@dataclass
class Stored:
    """What one :func:`add_elements` did: the refs (``kind:id``) added, replaced (sent before by the same
    organisation under the same marking) and kept as they were (``replace=False``)."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    """A stored element's row without the element: its id, the contributing organisation, the element's kind and
    id, its marking, the source and when it was added."""

    row_id: str
    org: str
    kind: str
    element_id: str
    marking: Marking
    source: str
    added_utc: str

    @property
    def ref(self) -> str:
        """``kind:id``: the element's reference in a network."""
        return f"{self.kind}:{self.element_id}"


@dataclass(frozen=True)
class StoredElement:
    """A stored element as a reader sees it: the element, its marking, the organisation that contributed it, the
    source, when it was added, and the row's id."""

    element: Element
    marking: Marking
    org: str
    source: str
    added_utc: str
    row_id: str


def add_elements(store: StoreBase, account: Account, elements: Iterable[Element], marking: Marking, source: str,
                 replace: bool = True, quota: int | None = None) -> Stored:
    """Store ``account``'s organisation's ``elements`` under ``marking`` (checked: MarkingError), in one
    transaction. An element the organisation sent before under the same marking (same kind and id) is replaced, or
    with ``replace=False`` kept as it was (the new one not stored). StoreError, nothing stored, when the
    organisation would then hold more than ``quota`` elements (default :data:`QUOTA`)."""
    store.check_marking(account, marking)
    quota = QUOTA if quota is None else quota
    chosen = list({element.ref: element for element in elements}.values())  # one per kind and id (the last)
    done = Stored()
    with store.session(None) as s:
        mid = store.marking_id(s, marking)
        mine = (_R.org == account.org, _R.marking_id == mid)
        known: set[tuple[str, str]] = set()
        ids = sorted({e.id for e in chosen})
        for start in range(0, len(ids), _CHUNK):
            known.update((kind, element_id) for kind, element_id in s.execute(
                select(_R.kind, _R.element_id).where(*mine, _R.element_id.in_(ids[start:start + _CHUNK]))))
        fresh = sum(1 for e in chosen if (e.kind, e.id) not in known)
        if fresh:  # refused before writing anything
            _check_quota(s, account.org, quota, source, adding=fresh)
        now = now_utc()
        again: dict[str, list[str]] = {}
        for element in chosen:
            if (element.kind, element.id) in known:
                if not replace:
                    done.kept.append(element.ref)
                    continue
                again.setdefault(element.kind, []).append(element.id)
                done.replaced.append(element.ref)
            else:
                done.added.append(element.ref)
        for kind, replaced in again.items():
            for start in range(0, len(replaced), _CHUNK):
                s.execute(delete(_R).where(*mine, _R.kind == kind, _R.element_id.in_(replaced[start:start + _CHUNK])))
        s.add_all(_R(id=new_id(), org=account.org, kind=element.kind, element_id=element.id,
                     fields=json.dumps(to_dict(element), ensure_ascii=False, separators=(",", ":")),
                     source=source[:200], user_id=account.user_id, added_utc=now, marking_id=mid)
                  for element in chosen if replace or (element.kind, element.id) not in known)
        if done.added:  # again after writing: a concurrent contribution of the same organisation may have come first
            s.flush()
            _check_quota(s, account.org, quota, source, written=len(done.added))
    return done


def _check_quota(s: Session, org: str, quota: int, source: str, adding: int = 0, written: int = 0) -> None:
    """StoreError (the transaction then rolls back: nothing stored) when ``org`` would hold more than ``quota``
    elements: those counted now (``written`` of them by this contribution already) and ``adding`` more."""
    held = s.scalar(select(func.count()).select_from(_R).where(_R.org == org)) or 0
    if held + adding > quota:
        raise StoreError(f"{source[:80]}: {org} would hold {held + adding:,} contributed elements; an organisation "
                         f"holds at most {quota:,} (the quota; {held - written:,} stored now): withdraw elements no "
                         "longer needed (kompas infra withdraw, DELETE /api/v1/infra/elements) or send fewer")


def entries(store: StoreBase, viewer: Viewer | None, kind: str | None = None, org: str | None = None,
            limit: int = MAX_READ) -> tuple[list[Entry], bool]:
    """The rows ``viewer`` may see (None: the platform itself, every row) without their elements, of one ``kind``
    and ``org`` when given: the newest ``limit`` (at most :data:`MAX_READ`), returned oldest first (then by row
    id), and whether more rows were left out (the bound reached)."""
    bound = max(0, min(limit, MAX_READ))
    query = (select(_R.id, _R.org, _R.kind, _R.element_id, _R.marking_id, _R.source, _R.added_utc)
             .order_by(_R.added_utc.desc(), _R.id.desc()).limit(bound + 1))
    if kind is not None:
        query = query.where(_R.kind == kind)
    if org is not None:
        query = query.where(_R.org == org)
    out = []
    with store.session(viewer) as s:
        for row in s.execute(query):
            out.append(Entry(row.id, row.org, row.kind, row.element_id, store.marking_of(s, row.marking_id),
                             row.source, row.added_utc))
    more = len(out) > bound
    out = out[:bound]
    out.reverse()
    return out, more


def load(store: StoreBase, viewer: Viewer | None, row_ids: Sequence[str]) -> dict[str, Element]:
    """The elements of the rows ``row_ids`` that ``viewer`` may see, by row id, parsed from their JSON. A row whose
    JSON cannot be read (written by hand into the database) is logged and left out."""
    out: dict[str, Element] = {}
    with store.session(viewer) as s:
        for start in range(0, len(row_ids), _CHUNK):
            chunk = list(row_ids[start:start + _CHUNK])
            for row_id, fields in s.execute(select(_R.id, _R.fields).where(_R.id.in_(chunk))):
                try:
                    out[row_id] = from_dict(json.loads(fields))
                except (ValueError, TypeError, IndexError, KeyError) as error:
                    log.warning("infra element row %s cannot be read: %s", row_id, error)
    return out


def parsed(store: StoreBase, viewer: Viewer | None, rows: Sequence[Entry]) -> dict[str, Element]:
    """The elements of ``rows`` (read by :func:`entries` for ``viewer``: the access rule applied) by row id: those
    parsed before from a process-wide cache (a row never changes: a new copy is a new row), the others read and
    parsed now (:func:`load`) and kept, at most :data:`CACHED` (the least recently used go first)."""
    with _cache_lock:
        found = {r.row_id: _CACHE[r.row_id] for r in rows if r.row_id in _CACHE}
        for row_id in found:
            _CACHE.move_to_end(row_id)
    missing = [r.row_id for r in rows if r.row_id not in found]
    if missing:
        fresh = load(store, viewer, missing)
        found.update(fresh)
        with _cache_lock:
            _CACHE.update(fresh)
            while len(_CACHE) > CACHED:
                _CACHE.popitem(last=False)
    return found


def element_rows(store: StoreBase, viewer: Viewer | None, kind: str | None = None, org: str | None = None,
                 limit: int = MAX_READ) -> list[StoredElement]:
    """The contributed elements ``viewer`` may see (None: the platform itself, every row), of one ``kind`` and
    ``org`` when given: the newest ``limit`` (at most :data:`MAX_READ`), with their elements (:func:`parsed`), in
    the order in which building a network lets the copy the viewer's network uses win
    (:func:`kompas.services.infra.chosen_copies`): oldest first, the rows of the viewer's own organisation after the
    others'. A row whose JSON cannot be read is logged and left out."""
    found, _ = entries(store, viewer, kind, org, limit)
    own = viewer.org if viewer is not None else None
    found.sort(key=lambda e: e.org == own)  # stable: oldest first within each part
    elements = parsed(store, viewer, found)
    return [StoredElement(elements[e.row_id], e.marking, e.org, e.source, e.added_utc, e.row_id)
            for e in found if e.row_id in elements]


def elements(store: StoreBase, viewer: Viewer | None, limit: int = MAX_READ) -> list[tuple[Element, Marking]]:
    """The contributed elements ``viewer`` may see with their markings (need-to-know applied in the query), oldest
    first: at most :data:`MAX_READ`."""
    return [(r.element, r.marking) for r in element_rows(store, viewer, limit=limit)]


def withdraw(store: StoreBase, account: Account, source: str | None = None, refs: Sequence[str] = ()
             ) -> list[Entry]:
    """Delete ``account``'s organisation's rows that ``account`` may see: those of ``source`` (the name the
    contribution was sent under), and/or of the elements ``refs`` (``kind:id``; every marking). Both given: the rows
    matching both. Returns the rows deleted. StoreError when neither is given."""
    if source is None and not refs:
        raise StoreError("name what to withdraw: a source (the name the contribution was sent under) or elements "
                         "(kind:id)")
    pairs = []
    for ref in refs:
        kind, _, element_id = ref.partition(":")
        if not kind or not element_id:
            raise StoreError(f"{ref[:60]!r} is not kind:id (cable:c-lion1)")
        pairs.append((kind, element_id))
    query = select(_R.id, _R.org, _R.kind, _R.element_id, _R.marking_id, _R.source, _R.added_utc).where(
        _R.org == account.org)
    if source is not None:
        query = query.where(_R.source == source[:200])
    gone: list[Entry] = []
    with store.session(account.viewer) as s:
        wanted = set(pairs)
        for row in s.execute(query.order_by(_R.added_utc, _R.id)):
            if pairs and (row.kind, row.element_id) not in wanted:
                continue
            gone.append(Entry(row.id, row.org, row.kind, row.element_id, store.marking_of(s, row.marking_id),
                              row.source, row.added_utc))
        ids = [e.row_id for e in gone]
        for start in range(0, len(ids), _CHUNK):
            s.execute(delete(_R).where(_R.id.in_(ids[start:start + _CHUNK])))
    return gone
