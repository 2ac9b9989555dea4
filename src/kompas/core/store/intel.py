"""Items of the intelligence capacity on the platform (issue 26): member states' reports (contributions graded on
the admiralty scale), analysts' assessments with key judgements, intelligence requirements, ACH boards and key
assumptions checks, one marked row per item, and what each cites. Functions over a
:class:`~kompas.core.store.base.StoreBase`; :mod:`kompas.services.intel` calls them.

The marking rule of derived items is enforced here, once, for every writer:

- an item's marking is the combination (:func:`~kompas.core.markings.combine`) of the marking its author gives and
  the markings of everything it cites (reports, assessments, boards, platform events), so an assessment citing a
  SECRET report is SECRET at least, whatever its author asked for; nobody can write it lower;
- an author cites only what they may see (a cited id they may not see is refused as "not found", revealing
  nothing), and the combined marking must be one they may see themselves (else it would be releasable to nobody);
- a new version of an item never has a lower marking than the version before (an edit that drops a citation does
  not declassify the text written from it; a release at a lower marking is a sanitisation with the originators'
  approval, :func:`~kompas.core.markings.sanitise`, not an edit);
- when an item's marking rises, every item citing it rises with it, transitively (:func:`_propagate`), so the rule
  still holds after a report is re-marked; the writer is told only the re-marked items they may see;
- concurrent writers cannot slip past each other: a write locks the rows it cites (``FOR SHARE``) and an edit locks
  its item (``FOR UPDATE``) on PostgreSQL, so an assessment written while its report is raised either waits for the
  raise (and reads the new marking) or is seen by the raise's re-marking (SQLite lets one writer in at a time);
- every earlier version is kept (:func:`history`); an organisation may remove its own item even when others cite it
  (its information, its decision): what cites it keeps its marking and a dangling citation;
- every read runs in a session serving the viewer, so the access rule filters the rows inside the query; citation
  rows are read only through the citing item, and a viewer who may see an item may see all it cites (the combined
  marking is at least as restrictive as each input's).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, defer

from kompas.core.markings import Marking, MarkingError, Viewer, combine, may_see
from kompas.core.models import EventRecord, IntelCitation, IntelItemRecord, IntelVersion, new_id, now_utc
from kompas.core.store.base import Account, StoreBase, StoreError, _escape_like

_R = IntelItemRecord
_C = IntelCitation
KINDS = ("report", "assessment", "requirement", "board", "assumptions")
CITABLE = (*KINDS, "event")
MAX_CITATIONS = 500  #: things one item may cite
MAX_BODY = 256 * 1024  #: largest item body, as JSON text (bytes)
MAX_READ = 5_000  #: items one listing returns at most
QUOTA = 100_000  #: items one organisation stores
_CHUNK = 500


@dataclass(frozen=True)
class Item:
    """One stored intelligence item as a reader sees it."""

    id: str
    kind: str
    org: str
    title: str
    body: dict[str, Any]
    marking: Marking
    team: str
    product_line: str
    version: int
    added_utc: str
    updated_utc: str
    citations: tuple[tuple[str, str], ...] = ()  #: (kind, id) of everything it cites
    summary: dict[str, Any] = field(default_factory=dict)  #: the fields a listing shows
    cited: int = 0  #: how many things it cites

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "org": self.org, "title": self.title, "body": self.body,
                "team": self.team, "product_line": self.product_line, "version": self.version,
                "added_utc": self.added_utc, "updated_utc": self.updated_utc,
                "citations": [{"kind": k, "id": i} for k, i in self.citations],
                "marking": self.marking.as_dict(), "banner": self.marking.banner()}


@dataclass
class Written:
    """What :func:`put` did: the item's id and version, the marking it was stored under, and whether that is higher
    than its author asked for (``raised``: the combination of what it cites), with the items re-marked with it."""

    id: str
    version: int
    marking: Marking
    raised: bool
    propagated: list[str] = field(default_factory=list)


def _markings_of(s: Session, citations: Iterable[tuple[str, str]], lock: bool = False) -> dict[str, tuple[str, int]]:
    """``id -> (kind, marking row id)`` of the cited items and events found in ``s`` (what its viewer may see);
    ``lock``: read the items ``FOR SHARE``, so that a concurrent re-marking of a cited row waits for this write."""
    pairs = list(citations)
    items = sorted({i for k, i in pairs if k != "event"})
    events = sorted({i for k, i in pairs if k == "event"})
    found: dict[str, tuple[str, int]] = {}
    for chunk in _chunks(items):
        query = select(_R.id, _R.kind, _R.marking_id).where(_R.id.in_(chunk))
        for row_id, kind, mid in s.execute(query.with_for_update(read=True, of=_R) if lock else query):
            found[row_id] = (kind, mid)
    for chunk in _chunks(events):
        for row_id, mid in s.execute(select(EventRecord.id, EventRecord.marking_id).where(EventRecord.id.in_(chunk))):
            found[row_id] = ("event", mid)
    return found


def _cited_markings(store: StoreBase, s: Session, viewer: Viewer,
                    citations: Sequence[tuple[str, str]]) -> list[Marking]:
    """The markings of the cited items and events, read in ``s`` (serving ``viewer``: what they may not see is not
    found) and locked against a concurrent re-marking. StoreError naming the first citation not found."""
    found = _markings_of(s, citations, lock=True)
    out = []
    for kind, cited in citations:
        got = found.get(cited)
        if got is None or got[0] != kind:
            raise StoreError(f"cites {kind} {cited[:40]!r}: not found (or not one you may see)")
        out.append(store.marking_of(s, got[1]))
    return out


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _check_citations(citations: Sequence[tuple[str, str]], item_id: str | None) -> list[tuple[str, str]]:
    out = list(dict.fromkeys((str(k), str(i)) for k, i in citations))
    if len(out) > MAX_CITATIONS:
        raise StoreError(f"cites {len(out)} items; at most {MAX_CITATIONS}")
    for kind, cited in out:
        if kind not in CITABLE:
            raise StoreError(f"citation kind {kind[:20]!r}: one of {', '.join(CITABLE)}")
        if item_id is not None and cited == item_id:
            raise StoreError("an item cannot cite itself")
    return out


def put(store: StoreBase, account: Account, kind: str, title: str, body: dict[str, Any], marking: Marking,
        citations: Sequence[tuple[str, str]] = (), team: str = "", product_line: str = "",
        item_id: str | None = None, summary: dict[str, Any] | None = None) -> Written:
    """Store a new item (``item_id`` None) or a new version of ``account``'s organisation's item ``item_id``, under
    the combination of ``marking`` and the markings of what it ``citations`` ((kind, id) pairs), never lower than
    its previous version's (kept in the history). ``summary``: the few fields a listing shows (small JSON). Raises
    StoreError (nothing stored) for an unknown kind, a body too large, a citation not found or not visible, an item
    of another organisation, or a cycle of citations; MarkingError for a marking its author could not see."""
    if kind not in KINDS:
        raise StoreError(f"kind {kind[:20]!r}: one of {', '.join(KINDS)}")
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if len(text.encode()) > MAX_BODY:
        raise StoreError(f"the item is {len(text.encode()):,} bytes as JSON; at most {MAX_BODY:,}")
    cites = _check_citations(citations, item_id)
    brief = json.dumps(summary or {}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if len(brief) > 2000:
        raise StoreError("the item's listing summary is over 2,000 characters")
    store.check_marking(account, marking)
    viewer = account.viewer
    with store.session(viewer) as s:
        inputs = _cited_markings(store, s, viewer, cites)
        previous = None
        if item_id is not None:
            previous = s.get(_R, item_id, with_for_update=True)
            if previous is None or previous.kind != kind:
                raise StoreError(f"{kind} {item_id[:40]!r}: not found (or not one you may see)")
            if previous.org != account.org:
                raise StoreError(f"{kind} {item_id[:40]!r} belongs to {previous.org}: only its organisation edits it")
            inputs.append(store.marking_of(s, previous.marking_id))
            if _reaches(s, [i for k, i in cites if k != "event"], item_id):
                raise StoreError("the citations would make a cycle: an item cannot cite what cites it")
        else:
            held = s.scalar(select(func.count()).select_from(_R).where(_R.org == account.org)) or 0
            if held >= QUOTA:
                raise StoreError(f"{account.org} holds {held:,} intelligence items; at most {QUOTA:,}")
        final = combine([marking, *inputs])
        if not may_see(viewer, final):
            raise MarkingError("what this item cites, combined, is releasable to nobody you belong to (e.g. REL TO "
                               "two different countries): cite fewer items or ask for a sanitised release")
        mid = store.marking_id(s, final)
        now = now_utc()
        if previous is None:
            row = _R(id=new_id(), marking_id=mid, kind=kind, org=account.org, title=title[:300], body=text,
                     team=team[:120], product_line=product_line[:120], summary=brief, version=1,
                     user_id=account.user_id, added_utc=now, updated_utc=now)
            s.add(row)
            s.flush()
        else:
            row = previous
            rose = mid != row.marking_id
            s.add(IntelVersion(item_id=row.id, version=row.version, title=row.title, body=row.body,
                               user_id=row.user_id, updated_utc=row.updated_utc))
            row.marking_id, row.title, row.body, row.team, row.product_line = (mid, title[:300], text, team[:120],
                                                                                product_line[:120])
            row.summary, row.user_id = brief, account.user_id
            row.version += 1
            row.updated_utc = now
            s.execute(delete(_C).where(_C.item_id == row.id))
        s.add_all(_C(item_id=row.id, cited_kind=k, cited_id=i) for k, i in cites)
        s.flush()
        raised = _propagate(store, s, row.id) if previous is not None and rose else []
        # the writer hears only of the re-marked items they may see (the others' existence is not theirs to know)
        propagated = [i for i, m in raised if may_see(viewer, m)]
        return Written(row.id, row.version, final, final.key() != marking.key(), propagated)


def _reaches(s: Session, starts: Sequence[str], target: str) -> bool:
    """Whether following citations from ``starts`` reaches ``target`` (over every row: a cycle through items the
    author may not see is still a cycle; the answer reveals only that one exists)."""
    seen: set[str] = set()
    frontier = list(dict.fromkeys(i for i in starts if i))
    with _as_system(s):
        while frontier:
            if target in frontier:
                return True
            seen.update(frontier)
            nxt = [c for chunk in _chunks(frontier) for (c,) in s.execute(
                select(_C.cited_id).where(_C.item_id.in_(chunk), _C.cited_kind != "event"))]
            frontier = [i for i in dict.fromkeys(nxt) if i not in seen]
    return False


def _propagate(store: StoreBase, s: Session, changed: str) -> list[tuple[str, Marking]]:
    """Raise the marking of every item citing ``changed`` (transitively) to the combination of its own and what it
    cites, in the writer's transaction but over every row (items the writer may not see are re-marked too: the
    rule holds for everyone); returns the ids re-marked with their new markings. Bounded by the items stored (each is
    re-marked at most once per level), never refused: a re-marking that stopped half-way would break the rule."""
    raised: list[tuple[str, Marking]] = []
    frontier = [changed]
    with _as_system(s):
        while frontier:
            citing = [i for chunk in _chunks(frontier)
                      for (i,) in s.execute(select(_C.item_id).where(_C.cited_id.in_(chunk)))]
            frontier = []
            for item_id in dict.fromkeys(citing):
                row = s.get(_R, item_id, with_for_update=True)
                if row is None:
                    continue
                own = store.marking_of(s, row.marking_id)
                final = combine([own, *(store.marking_of(s, mid) for mid in _marking_ids_cited(s, item_id))])
                if final.key() == own.key():
                    continue
                row.marking_id = store.marking_id(s, final)
                raised.append((item_id, final))
                frontier.append(item_id)
        s.flush()
    return raised


@contextmanager
def _as_system(s: Session) -> Iterator[None]:
    """Run statements in ``s`` without the viewer's filter (the platform's own bookkeeping inside a writer's
    transaction: cycle checks and re-marking), restoring the viewer afterwards."""
    before = s.info.get("system")
    s.info["system"] = True
    try:
        yield
    finally:
        if before is None:
            s.info.pop("system", None)
        else:
            s.info["system"] = before


def _marking_ids_cited(s: Session, item_id: str) -> list[int]:
    """The marking row ids of what ``item_id`` cites and still exists (a removed item's citation dangles)."""
    rows = s.execute(select(_C.cited_kind, _C.cited_id).where(_C.item_id == item_id)).all()
    return [mid for _, mid in _markings_of(s, [(k, i) for k, i in rows]).values()]


def _citations_of(s: Session, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {i: [] for i in ids}
    for chunk in _chunks(list(ids)):
        for item_id, kind, cited in s.execute(select(_C.item_id, _C.cited_kind, _C.cited_id)
                                              .where(_C.item_id.in_(chunk)).order_by(_C.id)):
            out[item_id].append((kind, cited))
    return out


def _counts_of(s: Session, ids: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(list(ids)):
        query = select(_C.item_id, func.count()).where(_C.item_id.in_(chunk)).group_by(_C.item_id)
        out |= {item_id: count for item_id, count in s.execute(query)}
    return out


def _items(store: StoreBase, s: Session, rows: Sequence[IntelItemRecord], full: bool) -> list[Item]:
    """Items of ``rows``: with their bodies and citations (``full``), else their listing summaries and citation
    counts only (no body decoded: a listing of thousands stays small)."""
    ids = [r.id for r in rows]
    cites = _citations_of(s, ids) if full else {}
    counts = {i: len(c) for i, c in cites.items()} if full else _counts_of(s, ids)
    return [Item(r.id, r.kind, r.org, r.title, json.loads(r.body) if full else {},
                 store.marking_of(s, r.marking_id), r.team, r.product_line, r.version, r.added_utc, r.updated_utc,
                 tuple(cites.get(r.id, ())), json.loads(r.summary or "{}"), counts.get(r.id, 0)) for r in rows]


def get(store: StoreBase, viewer: Viewer, item_id: str) -> Item | None:
    """The item ``item_id`` if ``viewer`` may see it, else None (whether it exists is not revealed)."""
    with store.session(viewer) as s:
        row = s.get(_R, item_id)
        return None if row is None else _items(store, s, [row], True)[0]


def _filtered(query: Any, kind: str | None, org: str | None, team: str | None,  # noqa: ANN401
              product_line: str | None, q: str | None = None) -> Any:  # noqa: ANN401 (a Select)
    for column, value in ((_R.kind, kind), (_R.org, org), (_R.team, team), (_R.product_line, product_line)):
        if value:
            query = query.where(column == value)
    if q:
        query = query.where(func.lower(_R.title).like(f"%{_escape_like(q.lower()[:200])}%", escape="\\"))
    return query


def _query(kind: str | None, org: str | None, team: str | None, product_line: str | None,
           q: str | None = None) -> Any:  # noqa: ANN401
    return _filtered(select(_R), kind, org, team, product_line, q).order_by(_R.updated_utc.desc(), _R.id.desc())


def count(store: StoreBase, viewer: Viewer, kind: str | None = None, org: str | None = None, team: str | None = None,
          product_line: str | None = None, q: str | None = None) -> int:
    """How many items ``viewer`` may see that match (the total a listing of the newest is part of)."""
    with store.session(viewer) as s:
        return s.scalar(_filtered(select(func.count()).select_from(_R), kind, org, team, product_line, q)) or 0


def complete(store: StoreBase, viewer: Viewer, prefix: str, most: int = 2) -> list[str]:
    """The ids of the items ``viewer`` may see that begin with ``prefix`` (at most ``most``: a caller typing a short
    id needs to know only whether it is unique)."""
    clean = prefix.strip().lower()
    if not clean or len(clean) > 36:
        return []
    with store.session(viewer) as s:
        return list(s.scalars(select(_R.id).where(_R.id.like(f"{_escape_like(clean)}%", escape="\\"))
                              .order_by(_R.id).limit(most)))


def items(store: StoreBase, viewer: Viewer, kind: str | None = None, org: str | None = None,
          team: str | None = None, product_line: str | None = None, limit: int = MAX_READ,
          full: bool = False, q: str | None = None, offset: int = 0) -> list[Item]:
    """The items ``viewer`` may see, newest first, at most ``limit`` (:data:`MAX_READ`) after skipping ``offset``,
    whose title holds ``q`` (any case): their listing summaries and citation counts, or (``full``) their bodies and
    citations too."""
    query = _query(kind, org, team, product_line, q).offset(max(0, offset)).limit(max(1, min(limit, MAX_READ)))
    if not full:
        query = query.options(defer(_R.body))  # a body may be 256 kB: a listing never loads them
    with store.session(viewer) as s:
        return _items(store, s, list(s.scalars(query)), full)


def each(store: StoreBase, viewer: Viewer, kind: str | None = None, team: str | None = None,
         product_line: str | None = None, most: int = 20_000, batch: int = 500) -> Iterator[Item]:
    """Every item ``viewer`` may see (with bodies), newest first, read ``batch`` at a time (a session each, keyset
    paging), at most ``most``: for scores and due lists over more items than one listing holds."""
    after: tuple[str, str] | None = None
    given = 0
    while given < most:
        query = _query(kind, None, team, product_line)
        if after is not None:
            query = query.where((_R.updated_utc < after[0]) | ((_R.updated_utc == after[0]) & (_R.id < after[1])))
        with store.session(viewer) as s:
            rows = list(s.scalars(query.limit(min(batch, most - given))))
            found = _items(store, s, rows, True)
        if not rows:
            return
        yield from found
        given += len(rows)
        after = (rows[-1].updated_utc, rows[-1].id)


def history(store: StoreBase, viewer: Viewer, item_id: str) -> list[dict[str, Any]] | None:
    """The earlier versions of ``item_id`` (oldest first: version, title, body, when stored) if ``viewer`` may see
    the item (its marking never falls, so it covers them all), else None."""
    with store.session(viewer) as s:
        if s.get(_R, item_id) is None:
            return None
        rows = s.execute(select(IntelVersion.version, IntelVersion.title, IntelVersion.body,
                                IntelVersion.updated_utc).where(IntelVersion.item_id == item_id)
                         .order_by(IntelVersion.version)).all()
        return [{"version": v, "title": t, "body": json.loads(b), "updated_utc": u} for v, t, b, u in rows]


def cited_by(store: StoreBase, viewer: Viewer, cited_id: str) -> list[Item]:
    """The items ``viewer`` may see that cite ``cited_id`` (an item or an event), with their listing summaries."""
    with store.session(viewer) as s:
        ids = [i for (i,) in s.execute(select(_C.item_id).where(_C.cited_id == cited_id))]
        rows = [r for chunk in _chunks(ids) for r in s.scalars(select(_R).where(_R.id.in_(chunk))
                                                                .options(defer(_R.body)))]
        return _items(store, s, sorted(rows, key=lambda r: r.updated_utc, reverse=True), False)


def remove(store: StoreBase, account: Account, item_id: str) -> bool:
    """Delete ``account``'s organisation's item ``item_id`` and its history (False when not found or not theirs).
    Items citing it keep their markings (never lowered) and a dangling citation: an originator withdraws its own
    information whoever cites it."""
    with store.session(account.viewer) as s:
        row = s.get(_R, item_id, with_for_update=True)
        if row is None or row.org != account.org:
            return False
        s.delete(row)
        return True


__all__ = ["CITABLE", "KINDS", "MAX_BODY", "MAX_CITATIONS", "MAX_READ", "QUOTA", "Item", "Written", "cited_by",
           "complete", "count", "each", "get", "history", "items", "put", "remove"]
