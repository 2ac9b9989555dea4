"""Contributed infrastructure elements on the platform (issue 24): what operators and member states add to the public
map (:mod:`kompas.infra.contributed`), one marked row per element. Functions over a
:class:`~kompas.core.store.base.StoreBase`; :mod:`kompas.services.infra` calls them.

- a row holds the contributing organisation, the element's kind and id, the element as JSON text
  (:func:`kompas.infra.contributed.to_dict`), the source it came from, who added it and when;
- every read runs in a session serving the viewer, so the access rule filters the rows inside the query: an element
  the viewer may not see is never read (need-to-know in the storage layer, as for every marked table);
- an organisation sending an element again under the same marking replaces its row (``replace``); the same element
  under another marking is another row (each reader sees the copies they may see; the newest one wins when the
  network is built).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from kompas.core.markings import Marking, Viewer
from kompas.core.models import InfraElementRecord, new_id, now_utc
from kompas.core.store.base import Account, StoreBase
from kompas.infra.contributed import from_dict, to_dict
from kompas.infra.model import Element

_R = InfraElementRecord
MAX_READ = 100_000  #: most element rows one read returns (the newest)
log = logging.getLogger("kompas.infra")

__all__ = ["MAX_READ", "Stored", "StoredElement", "add_elements", "element_rows", "elements"]


@dataclass
class Stored:
    """What one :func:`add_elements` did: the refs (``kind:id``) added, replaced (sent before by the same
    organisation under the same marking) and kept as they were (``replace=False``)."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


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
                 replace: bool = True) -> Stored:
    """Store ``account``'s organisation's ``elements`` under ``marking`` (checked: MarkingError), in one
    transaction. An element the organisation sent before under the same marking (same kind and id) is replaced, or
    with ``replace=False`` kept as it was (the new one not stored)."""
    store.check_marking(account, marking)
    done = Stored()
    with store.session(None) as s:
        mid = store.marking_id(s, marking)
        now = now_utc()
        for element in elements:
            match = (_R.org == account.org, _R.kind == element.kind, _R.element_id == element.id,
                     _R.marking_id == mid)
            known = s.scalars(select(_R.id).where(*match).limit(1)).first()
            if known is not None:
                if not replace:
                    done.kept.append(element.ref)
                    continue
                s.execute(delete(_R).where(*match))
                done.replaced.append(element.ref)
            else:
                done.added.append(element.ref)
            s.add(_R(id=new_id(), org=account.org, kind=element.kind, element_id=element.id,
                     fields=json.dumps(to_dict(element), ensure_ascii=False, separators=(",", ":")),
                     source=source[:200], user_id=account.user_id, added_utc=now, marking_id=mid))
    return done


def element_rows(store: StoreBase, viewer: Viewer | None, kind: str | None = None, org: str | None = None,
                 limit: int = MAX_READ) -> list[StoredElement]:
    """The contributed elements ``viewer`` may see (None: the platform itself, every row), of one ``kind`` and
    ``org`` when given: the newest ``limit`` (at most :data:`MAX_READ`), returned oldest first (then by row id), so
    that building a network in this order lets the newest copy of an element win. A row whose JSON cannot be read
    (written by hand into the database) is logged and left out."""
    query = select(_R).order_by(_R.added_utc.desc(), _R.id.desc()).limit(max(0, min(limit, MAX_READ)))
    if kind is not None:
        query = query.where(_R.kind == kind)
    if org is not None:
        query = query.where(_R.org == org)
    out = []
    with store.session(viewer) as s:
        for row in s.scalars(query):
            try:
                element = from_dict(json.loads(row.fields))
            except (ValueError, TypeError, IndexError) as error:
                log.warning("infra element row %s cannot be read: %s", row.id, error)
                continue
            out.append(StoredElement(element, store.marking_of(s, row.marking_id), row.org, row.source, row.added_utc,
                                     row.id))
    out.reverse()
    return out


def elements(store: StoreBase, viewer: Viewer | None, limit: int = MAX_READ) -> list[tuple[Element, Marking]]:
    """The contributed elements ``viewer`` may see with their markings (need-to-know applied in the query), oldest
    first: at most :data:`MAX_READ`."""
    return [(r.element, r.marking) for r in element_rows(store, viewer, limit=limit)]
