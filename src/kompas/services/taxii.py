"""TAXII 2.1 read service (OASIS TAXII Version 2.1, Committee Specification 01, 2021-06-10): the collections a caller
may see and the STIX 2.1 objects in them that the caller may see, paged by the time the platform added them. The
router (:mod:`kompas.api.routers.taxii`) speaks the protocol (media types, headers, status codes); this module reads.

Collections (ids are fixed UUIDs, :data:`COLLECTIONS`):

- ``events``: every platform event (all domains) as a STIX ``incident`` carrying the Kompas envelope, with its
  marking definitions (:func:`kompas.core.stix.export_events`);
- ``events-<domain>``: the events of one domain (space, fimi, cyber, ...);
- ``community-<name>``: the events whose marking names need-to-know community ``<name>``: listed and readable only
  for the community's members (a collection a caller may not see does not exist for them: 404, as for items);
- ``cyber``: the shared cyber incidents, each as its STIX 2.1 objects as the caller may see them
  (:func:`kompas.services.cyber.taxii_source`);
- extra sources registered with :func:`register`.

Sight is the storage layer's (:meth:`kompas.core.store.base.StoreBase.session` serving the viewer): a row the viewer
may not see is never read, so no page, count or ``more`` flag reveals it. Objects are paged by ``(date_added, row
id)``; ``next`` is that pair, opaque to clients; ``added_after`` is exclusive, as the specification says. One request
reads at most :data:`MAX_LIMIT` rows.
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select

from kompas.core.markings import Viewer
from kompas.core.models import EventRecord, MarkingClause
from kompas.times import parse_time_utc, utc_text_ns

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kompas.core.store import Store

MEDIA_TAXII = "application/taxii+json;version=2.1"
MEDIA_STIX = "application/stix+json;version=2.1"
MAX_LIMIT = 1000  #: Most rows one request reads (and the largest ``limit`` honoured).
DEFAULT_LIMIT = 100
_NS = uuid.UUID("5b1c8f7e-4c1a-4d7e-9a51-6b0d2f6c1a23")  #: namespace of the collection ids (fixed)
DOMAINS = ("space", "fimi", "cyber", "infrastructure", "maritime", "hybrid")
MATCH_TYPE = re.compile(r"^[a-z0-9][a-z0-9-]{1,249}$")


class TaxiiError(ValueError):
    """A request TAXII refuses: ``status`` (400 for a bad filter or cursor), ``title`` and ``description``."""

    def __init__(self, status: int, title: str, description: str) -> None:
        super().__init__(description)
        self.status, self.title, self.description = status, title, description


@dataclass(frozen=True)
class Row:
    """One stored item of a collection: when it was added, its row id (the cursor's tie-break) and its STIX
    objects (the item and the marking definitions it references)."""

    added_utc: str
    key: str
    objects: list[dict]


#: A source reads rows of a collection in a session serving the viewer: ``(session, store, viewer, after, limit,
#: ids)`` -> rows ordered by ``(added_utc, key)``, starting after the ``(added_utc, key)`` pair ``after`` (None: the
#: first); ``ids``: only the items holding one of these STIX ids (None: any).
Source = Callable[["Session", "Store", Viewer, "tuple[str, str] | None", int, "frozenset[str] | None"], list[Row]]


@dataclass(frozen=True)
class Collection:
    """A TAXII collection: its fixed ``id``, ``title``, ``description``, the source it reads and, for a community
    collection, the community whose members alone see it."""

    id: str
    title: str
    description: str
    source: Source = field(compare=False)
    community: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The TAXII collection resource."""
        return {"id": self.id, "title": self.title, "description": self.description, "can_read": True,
                "can_write": False, "media_types": [MEDIA_STIX]}


def collection_id(name: str) -> str:
    """The fixed UUID of the collection called ``name``."""
    return str(uuid.uuid5(_NS, name))


# --- events ------------------------------------------------------------------------------------------------------


def _after(after: tuple[str, str] | None) -> Any:  # noqa: ANN401 (a SQL condition)
    if after is None:
        return None
    added, key = after
    return or_(EventRecord.added_utc > added, and_(EventRecord.added_utc == added, EventRecord.id > key))


def event_source(domain: str | None = None, community: str | None = None) -> Source:
    """The events (of ``domain``; marked for ``community``) as rows: each event's incident and marking
    definitions."""

    def read(s: Session, store: Store, viewer: Viewer, after: tuple[str, str] | None, limit: int,
             ids: frozenset[str] | None) -> list[Row]:
        from kompas.core.stix import export_events
        from kompas.core.store.events import as_dict

        query = select(EventRecord).order_by(EventRecord.added_utc, EventRecord.id).limit(limit)
        if (condition := _after(after)) is not None:
            query = query.where(condition)
        if domain is not None:
            query = query.where(EventRecord.domain == domain)
        if community is not None:
            query = query.where(EventRecord.marking_id.in_(
                select(MarkingClause.marking_id).where(MarkingClause.community == community)))
        if ids is not None:
            wanted = [i.removeprefix("incident--") for i in ids if i.startswith("incident--")]
            if not wanted:
                return []
            query = query.where(EventRecord.id.in_(wanted[:MAX_LIMIT]))
        rows = []
        for record in s.scalars(query):
            event = dict(as_dict(store, s, record, viewer))
            rows.append(Row(record.added_utc, record.id, export_events([event])["objects"]))
        return rows

    return read


_EXTRA: list[Collection] = []


def register(collection: Collection) -> None:
    """Add a collection read from another source (a domain's own store), once."""
    if all(c.id != collection.id for c in _EXTRA):
        _EXTRA.append(collection)


def collections(viewer: Viewer) -> list[Collection]:
    """The collections ``viewer`` may see: the event collections, the community collections of the communities
    they belong to, and the registered ones."""
    out = [Collection(collection_id("events"), "Platform events",
                      "Every event you may see, all domains, as STIX 2.1 incidents carrying the Kompas envelope "
                      "(x_kompas_*), with their marking definitions", event_source())]
    out += [Collection(collection_id(f"events-{d}"), f"Events: {d}", f"The {d} events you may see", event_source(d))
            for d in DOMAINS]
    out += [Collection(collection_id(f"community-{c}"), f"Community {c}",
                       f"Events marked for need-to-know community {c} (its members alone see this collection)",
                       event_source(community=c), community=c) for c in sorted(viewer.communities)]
    from kompas.services.cyber import taxii_source

    out.append(Collection(collection_id("cyber"), "Cyber threat intelligence",
                          "Shared cyber incidents you may see, with their indicators, observed data and ATT&CK "
                          "references (RSIT, NIS2 and PAP as labels), under their TLP and EU classification "
                          "markings", taxii_source))
    return out + list(_EXTRA)


def find(viewer: Viewer, cid: str) -> Collection | None:
    """Collection ``cid`` if ``viewer`` may see it (None otherwise: the same as a missing one)."""
    return next((c for c in collections(viewer) if c.id == cid), None)


# --- paging --------------------------------------------------------------------------------------------------------


def encode_cursor(added_utc: str, key: str) -> str:
    """The opaque ``next`` of a page ending at ``(added_utc, key)``."""
    return base64.urlsafe_b64encode(f"{added_utc}|{key}".encode()).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[str, str]:
    """The ``(added_utc, key)`` of a ``next`` (TaxiiError 400 when it is not one of ours)."""
    try:
        added, key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode().split("|")
        parse_time_utc(added)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise TaxiiError(400, "Bad next", "next is not a cursor this server gave") from None
    return added, key


def taxii_time(stored: str) -> str:
    """A stored UTC time in TAXII's timestamp form (RFC 3339, microseconds, ``Z``)."""
    return stored[:26] + "Z" if len(stored) >= 26 else stored


def stored_after(text: str, what: str = "added_after") -> str:
    """``added_after`` (any RFC 3339 UTC time) in the stored form, the end of its last microsecond (TaxiiError 400
    when not a time)."""
    if not re.match(r"^(19[7-9]\d|20\d\d|2100)-", text.strip()):
        raise TaxiiError(400, f"Bad {what}", f"{what}: {text[:40]!r} is not an RFC 3339 time in 1970..2100")
    try:
        stored = utc_text_ns(parse_time_utc(text))
    except ValueError:
        raise TaxiiError(400, f"Bad {what}", f"{what}: {text[:40]!r} is not an RFC 3339 time") from None
    # times are served to the microsecond (taxii_time): a time given to the microsecond or coarser covers its whole
    # last microsecond, so an item served as added at that time is not "after" it
    digits = re.search(r"\.(\d+)", text)
    return stored if digits and len(digits.group(1)) > 6 else stored[:26] + "999Z"


def split(values: str | None, what: str, pattern: re.Pattern[str] | None = None) -> frozenset[str] | None:
    """A comma-separated filter as a set (None when absent); TaxiiError 400 for an empty or malformed value, or
    more than 100."""
    if values is None:
        return None
    items = [v.strip() for v in values.split(",") if v.strip()]
    if not items or len(items) > 100 or (pattern is not None and not all(pattern.match(v) for v in items)):
        raise TaxiiError(400, f"Bad {what}", f"{what}: a comma-separated list of 1 to 100 values")
    return frozenset(items)


@dataclass
class Page:
    """A page of objects: the objects with the time each was added, whether more follow, the cursor for them and
    the first and last times added of the rows read."""

    objects: list[tuple[dict, str]]
    more: bool
    next: str | None
    first_added: str | None
    last_added: str | None


SCAN = 5_000  #: Most rows one page reads looking for objects that match its filters.


def page(store: Store, viewer: Viewer, collection: Collection, added_after: str | None = None,
         limit: int = DEFAULT_LIMIT, next_: str | None = None, ids: frozenset[str] | None = None,
         types: frozenset[str] | None = None) -> Page:
    """The objects of ``collection`` that ``viewer`` may see, added after ``added_after`` (exclusive) or after the
    cursor ``next_``: at most ``limit`` objects (1..:data:`MAX_LIMIT`; TAXII counts objects, and an item comes whole
    with the marking definitions it references, so the first item of a page may exceed a very small limit);
    ``ids`` / ``types``: only objects with those STIX ids / types. Rows are read in batches until the page is full,
    the rows run out, or :data:`SCAN` rows were read (then ``more`` with a cursor past them). The storage layer
    reads only rows the viewer may see."""
    limit = max(1, min(limit, MAX_LIMIT))
    after = decode_cursor(next_) if next_ else ((stored_after(added_after), "") if added_after else None)
    objects: dict[str, tuple[dict, str]] = {}
    first: str | None = None
    last: Row | None = None
    more = False
    with store.session(viewer) as s:
        scanned, cursor, batch = 0, after, limit + 1
        while True:
            rows = collection.source(s, store, viewer, cursor, batch, ids)
            for row in rows:
                chosen = _chosen(row, ids, types)
                new = [o for o in chosen if o["id"] not in objects]
                if new and len(objects) + len(new) > limit and objects:
                    more = True
                    break
                last, scanned = row, scanned + 1
                for o in new:
                    objects[o["id"]] = (o, row.added_utc)
                    first = first or row.added_utc
                if len(objects) >= limit:
                    more = True  # perhaps: the next read says
                    break
            else:
                if len(rows) == batch and scanned < SCAN:
                    cursor = (rows[-1].added_utc, rows[-1].key)
                    batch = max(batch, 100)
                    continue
                more = len(rows) == batch  # stopped by the scan bound with rows left
                break
            break
        if more and last is not None and len(objects) >= limit:  # a full page: is anything left after it?
            more = bool(collection.source(s, store, viewer, (last.added_utc, last.key), 1, ids))
    return Page(list(objects.values()), more, encode_cursor(last.added_utc, last.key) if more and last else None,
                first, last.added_utc if last else None)


def _chosen(row: Row, ids: frozenset[str] | None, types: frozenset[str] | None) -> list[dict]:
    """The objects of ``row`` the filters keep, each preceded by the marking definitions it references."""
    definitions = {o["id"]: o for o in row.objects if o["type"] == "marking-definition"}
    out: dict[str, dict] = {}
    for o in row.objects:
        if o["type"] == "marking-definition":
            if types is not None and "marking-definition" in types and (ids is None or o["id"] in ids):
                out.setdefault(o["id"], o)
        elif (ids is None or o["id"] in ids) and (types is None or o["type"] in types):
            for ref in o.get("object_marking_refs", []):
                if ref in definitions:
                    out.setdefault(ref, definitions[ref])
            out.setdefault(o["id"], o)
    return list(out.values())


def manifest(objects: Iterable[tuple[dict, str]]) -> list[dict]:
    """The manifest records of ``(object, date added)`` pairs (TAXII 2.1 section 5.6)."""
    return [{"id": o["id"], "date_added": taxii_time(added), "version": version(o, added), "media_type": MEDIA_STIX}
            for o, added in objects]


def version(obj: dict, added: str) -> str:
    """An object's version: its ``modified`` (else ``created``); a cyber observable (SCO), which has neither, is
    versioned by the time it was added."""
    return str(obj.get("modified") or obj.get("created") or taxii_time(added))
