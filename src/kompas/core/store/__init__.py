"""The platform's storage, split by domain: one :class:`Store` made of its parts.

================ ======================================================================================
part             what it stores
================ ======================================================================================
``base``         sessions that declare whom they serve, markings, contributions, the keyset paginator
``accounts``     organisations, communities, users, bearer tokens
``space``        element sets, the inputs engine jobs use, objects, CCSDS CDMs, conjunctions
``ephemerides``  operators' ephemerides (CCSDS OEM)
``documents``    documents and the commitments register's status notes
``events``       events of every domain in the common envelope (:mod:`kompas.core.envelope`)
================ ======================================================================================

FIMI incidents, clusters and surges live in :mod:`kompas.core.incidents` (functions over a :class:`Store`).
Every read takes a :class:`~kompas.core.markings.Viewer` and runs in a session that declares it, so the access
rule of :mod:`kompas.core.access` filters it inside the database query; writes of engine results derive their
markings from their inputs with :func:`~kompas.core.markings.combine`.
"""

from kompas.core.store.accounts import ORG_KINDS, AccountsStore
from kompas.core.store.base import (
    MAX_PAGE,
    Account,
    Key,
    NotPermitted,
    Page,
    StoreBase,
    StoreError,
    Submitted,
    _pair_key,
    hash_token,
    utc_text,
    viewer_of,
)
from kompas.core.store.documents import DOCUMENT_FORMATS, DocumentsStore
from kompas.core.store.ephemerides import EPHEMERIS_FORMATS, EphemeridesStore
from kompas.core.store.events import EventsStore, StoredEvents
from kompas.core.store.isac import IsacStore
from kompas.core.store.space import CDM_FORMATS, ELEMENT_FORMATS, Input, SpaceStore


class Store(AccountsStore, SpaceStore, EphemeridesStore, DocumentsStore, EventsStore, IsacStore):
    """Storage operations on one database (an :class:`~sqlalchemy.Engine` with Kompas's schema)."""


__all__ = ["CDM_FORMATS", "DOCUMENT_FORMATS", "ELEMENT_FORMATS", "EPHEMERIS_FORMATS", "MAX_PAGE", "ORG_KINDS",
           "Account", "Input", "Key", "NotPermitted", "Page", "Store", "StoreBase", "StoreError", "StoredEvents",
           "Submitted", "_pair_key", "hash_token", "utc_text", "viewer_of"]
