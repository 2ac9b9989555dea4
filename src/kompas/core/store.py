"""The platform's storage operations: organisations, users, contributions, element sets, conjunctions, events.

Every read takes a :class:`~kompas.core.markings.Viewer` and runs in a session that declares it, so the access
rule of :mod:`kompas.core.access` filters it inside the database query; nothing here filters in Python. Writes
of engine results derive their markings from their inputs with :func:`~kompas.core.markings.combine`.
Listings page by keyset (``after`` = the last key of the previous page), never by offset.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Engine, Select, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kompas.core.access import open_session
from kompas.core.markings import (
    TLP,
    Classification,
    Marking,
    MarkingError,
    Viewer,
    combine,
    may_see,
    restrictiveness,
)
from kompas.core.models import (
    CDMRecord,
    CommitmentStatusRecord,
    Community,
    ConjunctionRecord,
    Contribution,
    DocumentRecord,
    ElementSetRecord,
    MarkingClause,
    MarkingRelease,
    MarkingRow,
    Organisation,
    User,
    now_utc,
)
from kompas.space import cdm, omm
from kompas.space.elements import ElementSet, Rejection, parse_time_utc
from kompas.space.ingest import parse_text

ORG_KINDS = ("member-state", "agency", "operator", "partner")
ELEMENT_FORMATS = ("tle", "omm-xml", "omm-json", "omm-kvn", "omm-csv")
CDM_FORMATS = ("cdm-kvn", "cdm-xml")
DOCUMENT_FORMATS = {"text": "text/plain", "markdown": "text/markdown", "html": "text/html",
                    "supply-csv": "text/csv; profile=kompas-supply"}  #: supply-csv: kompas.observatory.sources
MAX_PAGE = 1000
SAME_TCA_S = 1.0  #: Two screenings of the same element sets finding TCAs this close (s) found one conjunction.
CONJUNCTION_IDS = uuid.UUID("6c3e1f0a-8d2b-4b7e-a1c9-5f0e2d3c4b5a")  #: namespace of conjunction ids


class StoreError(ValueError):
    """A request the store refuses: unknown organisation, duplicate name, marking above clearance, ..."""


def hash_token(token: str) -> str:
    """SHA-256 of a bearer token (tokens are random 256-bit strings, so a plain hash is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


def utc_text(time: np.datetime64) -> str:
    """A ``datetime64`` as stored: ISO 8601 with nanoseconds and ``Z`` (fixed width, sorts as text)."""
    return str(np.datetime_as_string(np.datetime64(time, "ns"), unit="ns")) + "Z"


@dataclass(frozen=True)
class Account:
    """An authenticated user: who (for the audit log) and what the access rule needs (``viewer``)."""

    user_id: int
    name: str
    org: str
    viewer: Viewer


@dataclass
class Page:
    """One page of a listing; ``next`` is the ``after`` value for the following page (None at the end)."""

    items: list[dict]
    next: str | None
    total: int | None = None


@dataclass
class Input:
    """An element set an engine job uses: its record, the set, its marking row, and why it was chosen."""

    record_id: str
    element_set: ElementSet
    marking_id: int
    provenance: dict


@dataclass
class Submitted:
    """Outcome of a contribution: its id, records accepted and each rejection."""

    id: str
    accepted: int
    rejected: list[Rejection] = field(default_factory=list)


class Store:
    """Storage operations on one database (an :class:`~sqlalchemy.Engine` with Kompas's schema)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._markings: dict[int, Marking] = {}  # marking rows never change once written, so they cache

    @contextmanager
    def session(self, viewer: Viewer | None) -> Iterator[Session]:
        """A transaction serving ``viewer`` (None: the system itself, for administration and engine jobs)."""
        with open_session(self.engine, viewer) as session, session.begin():
            yield session

    # --- organisations, communities, users -------------------------------------------------------------

    def add_org(self, code: str, country: str, kind: str = "member-state", name: str = "") -> None:
        """Register an organisation (code: A-Z, 0-9, _.-; country: ISO 3166 alpha-2)."""
        code, country = code.strip().upper(), country.strip().upper()
        Marking(originators=frozenset([code]))  # validates the code
        if len(country) != 2 or not country.isalpha():
            raise StoreError(f"country {country!r} is not an ISO 3166 alpha-2 code")
        if kind not in ORG_KINDS:
            raise StoreError(f"kind {kind!r} is not one of {', '.join(ORG_KINDS)}")
        with self.session(None) as s:
            if s.scalar(select(Organisation.id).where(Organisation.code == code)) is not None:
                raise StoreError(f"organisation {code} already exists")
            s.add(Organisation(code=code, country=country, kind=kind, name=name or code))

    def add_user(self, name: str, org: str, clearance: str | Classification,
                 communities: Iterable[str] = ()) -> str:
        """Create a user and return a new bearer token (shown once; only its hash is kept)."""
        level = clearance if isinstance(clearance, Classification) else Classification.parse(clearance)
        names = Marking(clauses=frozenset([frozenset(communities)])).communities
        token = "kmp_" + secrets.token_urlsafe(32)
        with self.session(None) as s:
            organisation = s.scalar(select(Organisation).where(Organisation.code == org.strip().upper()))
            if organisation is None:
                raise StoreError(f"organisation {org!r} does not exist; add it with `kompas admin add-org`")
            if s.scalar(select(User.id).where(User.name == name)) is not None:
                raise StoreError(f"user {name!r} already exists")
            user = User(name=name, org=organisation, clearance=int(level), token_hash=hash_token(token),
                        created_utc=now_utc())
            user.communities = [self._community(s, n) for n in sorted(names)]
            s.add(user)
        return token

    @staticmethod
    def _community(s: Session, name: str) -> Community:
        found = s.scalar(select(Community).where(Community.name == name))
        if found is None:
            found = Community(name=name)
            s.add(found)
        return found

    def authenticate(self, token: str) -> Account | None:
        """The account a bearer token belongs to, or None."""
        with self.session(None) as s:
            user = s.scalar(select(User).where(User.token_hash == hash_token(token)))
            return None if user is None else Account(user.id, user.name, user.org.code, viewer_of(user))

    def accounts(self, user_ids: Iterable[int]) -> dict[int, Account]:
        """Accounts by user id (for work done on a user's behalf, such as webhook deliveries)."""
        with self.session(None) as s:
            return {u.id: Account(u.id, u.name, u.org.code, viewer_of(u))
                    for u in s.scalars(select(User).where(User.id.in_(set(user_ids))))}

    def account(self, name: str) -> Account | None:
        """The account of the user called ``name`` (for commands run on a user's behalf), or None."""
        with self.session(None) as s:
            user = s.scalar(select(User).where(User.name == name))
            return None if user is None else Account(user.id, user.name, user.org.code, viewer_of(user))

    # --- markings --------------------------------------------------------------------------------------

    def marking_id(self, s: Session, marking: Marking) -> int:
        """The row id of ``marking``, inserted on first use (concurrent first uses resolve to one row)."""
        key = marking.key()
        found = s.scalar(select(MarkingRow.id).where(MarkingRow.key == key))
        if found is not None:
            return found
        try:
            with s.begin_nested():
                row = MarkingRow(key=key, classification=int(marking.classification), tlp=int(marking.tlp),
                                 releasable_to_all=marking.releasable_to is None,
                                 originators=",".join(sorted(marking.originators)),
                                 caveats=",".join(sorted(marking.caveats)))
                s.add(row)
                s.flush()
                s.add_all(MarkingRelease(marking_id=row.id, code=c) for c in sorted(marking.releasable_to or ()))
                for number, clause in enumerate(sorted(marking.clauses, key=sorted)):
                    s.add_all(MarkingClause(marking_id=row.id, clause=number, community=c) for c in sorted(clause))
                s.flush()
                return row.id
        except IntegrityError:
            return s.scalar(select(MarkingRow.id).where(MarkingRow.key == key))

    def marking_of(self, s: Session, marking_id: int) -> Marking:
        """The :class:`Marking` stored under ``marking_id`` (read once per process: marking rows are immutable)."""
        found = self._markings.get(marking_id)
        if found is None:
            found = self._markings[marking_id] = self._read_marking(s, marking_id)
        return found

    @staticmethod
    def _read_marking(s: Session, marking_id: int) -> Marking:
        row = s.get_one(MarkingRow, marking_id)
        releases = s.scalars(select(MarkingRelease.code).where(MarkingRelease.marking_id == marking_id)).all()
        clauses: dict[int, set[str]] = {}
        for number, community in s.execute(select(MarkingClause.clause, MarkingClause.community)
                                           .where(MarkingClause.marking_id == marking_id)):
            clauses.setdefault(number, set()).add(community)
        return Marking(Classification(row.classification), TLP(row.tlp),
                       None if row.releasable_to_all else frozenset(releases),
                       frozenset(frozenset(c) for c in clauses.values()),
                       frozenset(filter(None, row.originators.split(","))),
                       frozenset(filter(None, row.caveats.split(","))))

    def check_marking(self, account: Account, marking: Marking) -> None:
        """Refuse a marking its contributor could not see: above their clearance, not releasable to them, or
        naming communities they are not in (they would lose sight of their own contribution)."""
        if marking.classification > account.viewer.clearance:
            raise MarkingError(f"classification {marking.classification.name} is above your clearance "
                               f"{account.viewer.clearance.name}")
        if not may_see(account.viewer, marking):
            raise MarkingError("you would not be able to see this marking yourself: name a community you "
                               "belong to")

    # --- contributions of element sets ---------------------------------------------------------------------

    def contribute_elements(self, account: Account, content: str, fmt: str, marking: Marking,
                            source: str = "api") -> Submitted:
        """Parse element sets (``fmt`` one of :data:`ELEMENT_FORMATS`) and store the good ones under
        ``marking``; each bad record is returned as a rejection (same rule as ``kompas space ingest``)."""
        if fmt not in ELEMENT_FORMATS:
            raise StoreError(f"format {fmt!r} is not one of {', '.join(ELEMENT_FORMATS)}")
        self.check_marking(account, marking)
        parsed = parse_text(content, source, fmt)
        rejections = list(parsed.rejections)
        seen: set[tuple[int, np.datetime64]] = set()
        good: list[ElementSet] = []
        for elset in parsed.elements:
            if (elset.norad_id, elset.epoch_utc) in seen:
                line = int(elset.source.rsplit(":", 1)[1])
                rejections.append(Rejection(source, line, "NORAD_CAT_ID", "duplicate object and epoch in this "
                                            "contribution", str(elset.norad_id)))
                continue
            seen.add((elset.norad_id, elset.epoch_utc))
            good.append(elset)
        rejections.sort(key=lambda r: r.line)
        return self.store_element_sets(account.user_id, fmt, source, good, rejections, marking)

    def store_element_sets(self, user_id: int, fmt: str, source: str, elsets: Sequence[ElementSet],
                           rejections: Sequence[Rejection], marking: Marking) -> Submitted:
        """Record a contribution and its element sets under ``marking`` (no checks: callers check the marking)."""
        with self.session(None) as s:
            mid = self.marking_id(s, marking)
            contribution = self._contribution(s, user_id, "elements", fmt, source, len(elsets), rejections, mid)
            s.add_all(ElementSetRecord(contribution_id=contribution.id, norad_id=e.norad_id,
                                       epoch_utc=utc_text(e.epoch_utc), name=e.name,
                                       intl_designator=e.intl_designator, fields=_json_fields(e), marking_id=mid)
                      for e in elsets)
        return Submitted(contribution.id, len(elsets), list(rejections))

    @staticmethod
    def _contribution(s: Session, user_id: int, kind: str, fmt: str, source: str, accepted: int,
                      rejections: Sequence[Rejection], marking_id: int) -> Contribution:
        """The contribution row: who sent what, when, under which marking, and what was rejected."""
        row = Contribution(kind=kind, format=fmt, source=source[:200], user_id=user_id,
                           received_utc=now_utc(), accepted=accepted, rejected=len({r.line for r in rejections}),
                           rejections=[dataclasses.asdict(r) for r in rejections[:1000]], marking_id=marking_id)
        s.add(row)
        s.flush()
        return row

    def contribute_cdm(self, account: Account, content: str, fmt: str, marking: Marking,
                       source: str = "api") -> Submitted:
        """Store one CCSDS CDM (``fmt`` ``cdm-kvn`` or ``cdm-xml``) under ``marking``; a message that cannot be
        read is returned as a rejection (line, keyword, reason) and nothing is stored."""
        if fmt not in CDM_FORMATS:
            raise StoreError(f"format {fmt!r} is not one of {', '.join(CDM_FORMATS)}")
        self.check_marking(account, marking)
        try:
            message = (cdm.parse_xml if fmt == "cdm-xml" else cdm.parse_kvn)(content, source)
            tca = utc_text(message.tca_utc)
            ids = [_designator(message.objects[k].get("OBJECT_DESIGNATOR", "")) for k in (0, 1)]
        except cdm.CDMError as error:
            return self._rejected(account, "cdm", fmt, source, marking, [error.rejection])
        except ValueError as error:
            return self._rejected(account, "cdm", fmt, source, marking,
                                  [Rejection(source, 0, "TCA/OBJECT_DESIGNATOR", str(error))])
        with self.session(None) as s:
            mid = self.marking_id(s, marking)
            contribution = self._contribution(s, account.user_id, "cdm", fmt, source, 1, [], mid)
            s.add(CDMRecord(contribution_id=contribution.id, message_id=message.message_id[:200],
                            originator=(message.header.get("ORIGINATOR") or "")[:100], tca_utc=tca,
                            object1_id=ids[0], object2_id=ids[1], miss_m=_number(message.relative, "MISS_DISTANCE"),
                            pc=_number(message.relative, "COLLISION_PROBABILITY"), format=fmt, content=content,
                            marking_id=mid))
        return Submitted(contribution.id, 1, [])

    def contribute_document(self, account: Account, content: str, fmt: str, title: str, marking: Marking,
                            source: str = "api") -> Submitted:
        """Store a document (``fmt`` one of :data:`DOCUMENT_FORMATS`) under ``marking``."""
        if fmt not in DOCUMENT_FORMATS:
            raise StoreError(f"format {fmt!r} is not one of {', '.join(DOCUMENT_FORMATS)}")
        if not title.strip():
            raise StoreError("a document needs a title")
        self.check_marking(account, marking)
        rejections = []
        if fmt == "supply-csv":
            from kompas.observatory.config import load
            from kompas.observatory.sources import parse_own

            chain, rejections = parse_own(content, load(), source)
            if not chain.shares:
                raise StoreError("no supply row could be read" + (f" ({rejections[0]})" if rejections else ""))
        with self.session(None) as s:
            mid = self.marking_id(s, marking)
            contribution = self._contribution(s, account.user_id, "document", fmt, source, 1, rejections, mid)
            s.add(DocumentRecord(contribution_id=contribution.id, title=title.strip()[:300],
                                 media_type=DOCUMENT_FORMATS[fmt], created_utc=contribution.received_utc,
                                 content=content, marking_id=mid))
        return Submitted(contribution.id, 1, rejections)

    def set_commitment_status(self, account: Account, commitment_id: str, status: str, evidence: str, as_of: str,
                              marking: Marking, source: str = "cli") -> Submitted:
        """Record the status of a register commitment as of a date (``YYYY-MM-DD``), with its evidence note, under
        ``marking``. Statuses: :data:`kompas.compass.status.STATUSES`; the caller checks the commitment id."""
        from kompas.compass.status import STATUSES

        if status not in STATUSES:
            raise StoreError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        if not evidence.strip():
            raise StoreError("a status needs its evidence")
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise StoreError(f"as-of date {as_of!r} is not YYYY-MM-DD") from None
        self.check_marking(account, marking)
        with self.session(None) as s:
            mid = self.marking_id(s, marking)
            contribution = self._contribution(s, account.user_id, "commitment-status", "text", source, 1, [], mid)
            s.add(CommitmentStatusRecord(contribution_id=contribution.id, commitment_id=commitment_id, status=status,
                                         as_of=as_of, evidence=evidence.strip(), created_utc=contribution.received_utc,
                                         marking_id=mid))
        return Submitted(contribution.id, 1, [])

    def commitment_statuses(self, viewer: Viewer | None, commitment_id: str | None = None) -> list[dict]:
        """The status notes ``viewer`` may see (all for ``None``, the system's own jobs), oldest first."""
        record = CommitmentStatusRecord
        query = select(record).order_by(record.as_of, record.created_utc, record.id)
        if commitment_id is not None:
            query = query.where(record.commitment_id == commitment_id)
        with self.session(viewer) as s:
            return [{"id": r.id, "commitment_id": r.commitment_id, "status": r.status, "as_of": r.as_of,
                     "evidence": r.evidence, "created_utc": r.created_utc,
                     "marking": self.marking_of(s, r.marking_id).as_dict()} for r in s.scalars(query)]

    def _rejected(self, account: Account, kind: str, fmt: str, source: str, marking: Marking,
                  rejections: list[Rejection]) -> Submitted:
        with self.session(None) as s:
            contribution = self._contribution(s, account.user_id, kind, fmt, source, 0, rejections,
                                              self.marking_id(s, marking))
        return Submitted(contribution.id, 0, rejections)

    def cdms(self, viewer: Viewer, after: str | None = None, limit: int = 100, norad_id: int | None = None,
             since_utc: str | None = None, until_utc: str | None = None) -> Page:
        """Visible CDMs by TCA (then id), filtered by object and TCA window (without their text)."""
        query = select(CDMRecord)
        if norad_id is not None:
            query = query.where((CDMRecord.object1_id == norad_id) | (CDMRecord.object2_id == norad_id))
        return self._timeline(viewer, query, CDMRecord.tca_utc, after, limit, since_utc, until_utc,
                              lambda s, r: self._cdm_dict(s, r, content=False))

    def cdm(self, viewer: Viewer, cdm_id: str) -> dict | None:
        """One visible CDM with its text, or None (whether it does not exist or may not be seen)."""
        return self._one(viewer, CDMRecord, cdm_id, lambda s, r: self._cdm_dict(s, r, content=True))

    def _cdm_dict(self, s: Session, r: CDMRecord, content: bool) -> dict:
        out = {"id": r.id, "message_id": r.message_id, "originator": r.originator, "tca_utc": r.tca_utc,
               "object1_id": r.object1_id, "object2_id": r.object2_id, "miss_m": r.miss_m, "pc": r.pc,
               "format": r.format, "marking": self.marking_of(s, r.marking_id).as_dict()}
        return out | ({"content": r.content} if content else {})

    def documents(self, viewer: Viewer, after: str | None = None, limit: int = 100) -> Page:
        """Visible documents by creation time (then id), without their text."""
        return self._timeline(viewer, select(DocumentRecord), DocumentRecord.created_utc, after, limit, None, None,
                              lambda s, r: self._document_dict(s, r, content=False))

    def document(self, viewer: Viewer, document_id: str) -> dict | None:
        """One visible document with its text, or None (whether it does not exist or may not be seen)."""
        return self._one(viewer, DocumentRecord, document_id, lambda s, r: self._document_dict(s, r, content=True))

    def documents_of_format(self, viewer: Viewer | None, fmt: str) -> list[tuple[str, str, Marking]]:
        """``(id, content, marking)`` of every document in format ``fmt`` (:data:`DOCUMENT_FORMATS`) that ``viewer``
        may see (all for ``None``), oldest first: the inputs of an engine job run for that viewer."""
        query = select(DocumentRecord).where(DocumentRecord.media_type == DOCUMENT_FORMATS[fmt]).order_by(
            DocumentRecord.created_utc, DocumentRecord.id)
        with self.session(viewer) as s:
            return [(r.id, r.content, self.marking_of(s, r.marking_id)) for r in s.scalars(query)]

    def _document_dict(self, s: Session, r: DocumentRecord, content: bool) -> dict:
        out = {"id": r.id, "title": r.title, "media_type": r.media_type, "created_utc": r.created_utc,
               "marking": self.marking_of(s, r.marking_id).as_dict()}
        return out | ({"content": r.content} if content else {})

    def element_sets(self, viewer: Viewer, norad_id: int, limit: int = 100) -> list[dict]:
        """The element sets of one object that ``viewer`` may see, newest epoch first."""
        with self.session(viewer) as s:
            rows = s.execute(select(ElementSetRecord, MarkingRow.key).join(
                MarkingRow, MarkingRow.id == ElementSetRecord.marking_id).where(
                ElementSetRecord.norad_id == norad_id).order_by(
                ElementSetRecord.epoch_utc.desc(), ElementSetRecord.id).limit(_limit(limit))).all()
            markings = {key: self.marking_of(s, r.marking_id) for r, key in rows}
            return [{"id": r.id, "norad_id": r.norad_id, "epoch_utc": r.epoch_utc, "name": r.name,
                     "omm": r.fields, "contribution_id": r.contribution_id, "marking": markings[key].as_dict()}
                    for r, key in rows]

    def latest_element_sets(self, viewer: Viewer | None, norad_ids: Sequence[int] | None = None
                            ) -> list[tuple[str, ElementSet, int]]:
        """The newest visible element set of every object (or of ``norad_ids``): (record id, element set,
        marking id); where several contributions hold the newest epoch, the least restrictive copy
        (:func:`latest_inputs`)."""
        return [(i.record_id, i.element_set, i.marking_id) for i in self.latest_inputs(viewer, norad_ids)]

    def latest_inputs(self, viewer: Viewer | None, norad_ids: Sequence[int] | None = None) -> list[Input]:
        """The newest element set of every object that ``viewer`` (None: the system's own jobs) may use, by NORAD
        id. When several contributions hold an object at its newest epoch, the copy with the least restrictive
        marking (:func:`kompas.core.markings.least_restrictive`, then the oldest record) is used, so that nothing
        derived from it is marked higher than needed; :attr:`Input.provenance` records the choice."""
        with self.session(viewer) as s:
            newest = select(ElementSetRecord.norad_id, func.max(ElementSetRecord.epoch_utc).label("epoch"))
            if norad_ids is not None:
                newest = newest.where(ElementSetRecord.norad_id.in_(list(norad_ids)))
            newest = newest.group_by(ElementSetRecord.norad_id).subquery()
            rows = s.execute(select(ElementSetRecord.id, ElementSetRecord.norad_id, ElementSetRecord.epoch_utc,
                                    ElementSetRecord.contribution_id, ElementSetRecord.marking_id,
                                    ElementSetRecord.fields)
                             .join(newest, (newest.c.norad_id == ElementSetRecord.norad_id)
                                   & (newest.c.epoch == ElementSetRecord.epoch_utc))
                             .order_by(ElementSetRecord.norad_id, ElementSetRecord.id)).all()
            copies: dict[int, list] = {}
            for row in rows:
                copies.setdefault(row.norad_id, []).append(row)
            out = []
            for norad_id, found in copies.items():
                rank = {mid: (restrictiveness(m), m.key()) for mid in {r.marking_id for r in found}
                        for m in [self.marking_of(s, mid)]}
                chosen = min(found, key=lambda r: (rank[r.marking_id], r.id))
                elset, _ = omm.elements_from_fields(chosen.fields, f"element set {chosen.id}", 0)
                if elset is None:
                    continue
                provenance = {"norad_id": norad_id, "element_set_id": chosen.id,
                              "contribution_id": chosen.contribution_id, "epoch_utc": chosen.epoch_utc,
                              "copies": len(found),
                              "rule": "the least restrictive of the copies at the newest epoch" if len(found) > 1
                              else "the only copy at the newest epoch"}
                out.append(Input(chosen.id, elset, chosen.marking_id, provenance))
            return out

    def names(self, viewer: Viewer, norad_ids: Sequence[int]) -> dict[int, str]:
        """Object names by NORAD id, from the element sets ``viewer`` may see (an object known only from sets the
        viewer may not see has no name here)."""
        with self.session(viewer) as s:
            rows = s.execute(select(ElementSetRecord.norad_id, func.max(ElementSetRecord.name))
                             .where(ElementSetRecord.norad_id.in_(list(norad_ids)))
                             .group_by(ElementSetRecord.norad_id))
            return {int(n): name for n, name in rows}

    def objects(self, viewer: Viewer, after: str | None = None, limit: int = 100,
                name: str | None = None) -> Page:
        """Objects with at least one visible element set, by NORAD id: newest epoch, name and count."""
        with self.session(viewer) as s:
            query = (select(ElementSetRecord.norad_id, func.max(ElementSetRecord.epoch_utc),
                            func.max(ElementSetRecord.name), func.count())
                     .group_by(ElementSetRecord.norad_id).order_by(ElementSetRecord.norad_id))
            if name:
                query = query.where(ElementSetRecord.name.ilike(f"%{_escape_like(name)}%", escape="\\"))
            if after is not None:
                query = query.where(ElementSetRecord.norad_id > _int_key(after))
            limit = _limit(limit)
            rows = s.execute(query.limit(limit + 1)).all()
            items = [{"norad_id": n, "newest_epoch_utc": e, "name": nm, "element_sets": c}
                     for n, e, nm, c in rows[:limit]]
            return Page(items, str(rows[limit - 1][0]) if len(rows) > limit else None)

    # --- engine results -------------------------------------------------------------------------------------

    def store_conjunctions(self, conjunctions: Sequence, elset_ids: dict[int, str],
                           marking_ids: dict[int, int],
                           derived: Sequence[tuple[float | None, str | None]] | None = None,
                           provenance: dict[int, dict] | None = None) -> list[str]:
        """Store screening results; each conjunction is marked with the combination of its two inputs' markings.

        ``elset_ids`` / ``marking_ids`` map NORAD id to the element-set record and marking screened; ``derived``
        holds, per conjunction, its Pc and CCSDS CDM text when they were computed; ``provenance`` maps NORAD id to
        the record of why that input was used (:meth:`latest_inputs`). A conjunction of the same two element-set
        records within :data:`SAME_TCA_S` of one already stored is the same conjunction and is not stored again,
        so rerunning a screening stores nothing twice. Returns the ids of the conjunctions newly stored.
        """
        derived = derived or [(None, None)] * len(conjunctions)
        provenance = provenance or {}
        with self.session(None) as s:
            pairs = {(elset_ids[c.primary_id], elset_ids[c.secondary_id]) for c in conjunctions}
            known: dict[tuple[str, str], list[np.datetime64]] = {}
            firsts = sorted({p for p, _ in pairs})
            for start in range(0, len(firsts), 500):
                for a, b, tca in s.execute(select(ConjunctionRecord.primary_elset_id,
                                                  ConjunctionRecord.secondary_elset_id, ConjunctionRecord.tca_utc)
                                           .where(ConjunctionRecord.primary_elset_id.in_(firsts[start:start + 500]))):
                    if (a, b) in pairs:
                        known.setdefault((a, b), []).append(parse_time_utc(tca))
            cache: dict[tuple[int, int], int] = {}
            markings = {mid: self.marking_of(s, mid) for mid in set(marking_ids.values())}
            rows = []
            tolerance = np.timedelta64(int(SAME_TCA_S * 1e9), "ns")
            for c, (pc, message) in zip(conjunctions, derived, strict=True):
                pair_ids = (elset_ids[c.primary_id], elset_ids[c.secondary_id])
                tca = np.datetime64(c.tca_utc, "ns")
                if any(abs(tca - t) <= tolerance for t in known.get(pair_ids, [])):
                    continue
                known.setdefault(pair_ids, []).append(tca)
                pair = (marking_ids[c.primary_id], marking_ids[c.secondary_id])
                if pair not in cache:
                    cache[pair] = self.marking_id(s, combine(markings[m] for m in pair))
                origin = {"primary": provenance.get(c.primary_id, {"element_set_id": pair_ids[0]}),
                          "secondary": provenance.get(c.secondary_id, {"element_set_id": pair_ids[1]})}
                row = ConjunctionRecord(primary_id=c.primary_id, secondary_id=c.secondary_id,
                                        tca_utc=utc_text(c.tca_utc), miss_km=float(c.miss_km),
                                        v_rel_km_s=float(c.v_rel_km_s), rtn_km=[float(x) for x in c.rtn_km],
                                        primary_elset_id=pair_ids[0], secondary_elset_id=pair_ids[1],
                                        label=c.label, pc=pc, cdm=message, provenance=origin,
                                        marking_id=cache[pair])
                row.id = str(uuid.uuid5(CONJUNCTION_IDS, f"{pair_ids[0]}|{pair_ids[1]}|{utc_text(c.tca_utc)}"))
                rows.append(row)
            s.add_all(rows)
            s.flush()
            return [r.id for r in rows]

    def conjunctions(self, viewer: Viewer, after: str | None = None, limit: int = 100,
                     norad_id: int | None = None, since_utc: str | None = None, until_utc: str | None = None,
                     max_miss_km: float | None = None) -> Page:
        """Visible conjunctions by TCA (then id), filtered by object, TCA window and miss distance."""
        query = select(ConjunctionRecord)
        if norad_id is not None:
            query = query.where((ConjunctionRecord.primary_id == norad_id)
                                | (ConjunctionRecord.secondary_id == norad_id))
        if max_miss_km is not None:
            query = query.where(ConjunctionRecord.miss_km <= max_miss_km)
        return self._timeline(viewer, query, ConjunctionRecord.tca_utc, after, limit, since_utc, until_utc,
                              self._conjunction_dict)

    def _one(self, viewer: Viewer, table: type, item_id: str, to_dict: Callable[[Session, Any], dict]) -> dict | None:
        """One row of a marked table by id as ``viewer`` sees it, or None: a row that does not exist and one the
        viewer may not see give the same answer."""
        with self.session(viewer) as s:
            row = s.scalar(select(table).where(table.id == item_id))
            return None if row is None else to_dict(s, row)

    def _timeline(self, viewer: Viewer, query: Select, time_column: Any, after: str | None, limit: int,
                  since_utc: str | None, until_utc: str | None, to_dict: Callable[[Session, Any], dict]) -> Page:
        """One page of ``query`` ordered by (time, id) from cursor ``after`` within [since, until)."""
        entity = query.column_descriptions[0]["entity"]
        query = query.order_by(time_column, entity.id)
        if since_utc:
            query = query.where(time_column >= since_utc)
        if until_utc:
            query = query.where(time_column < until_utc)
        if after:
            query = query.where(tuple_(time_column, entity.id) > _pair_key(after))
        limit = _limit(limit)
        with self.session(viewer) as s:
            rows = s.execute(query.limit(limit + 1)).scalars().all()
            items = [to_dict(s, r) for r in rows[:limit]]
        last = rows[limit - 1] if len(rows) > limit else None
        return Page(items, f"{getattr(last, time_column.key)}|{last.id}" if last else None)

    def conjunction(self, viewer: Viewer, conjunction_id: str) -> dict | None:
        """One visible conjunction, or None (whether it does not exist or may not be seen)."""
        return self._one(viewer, ConjunctionRecord, conjunction_id, self._conjunction_dict)

    def _conjunction_dict(self, s: Session, r: ConjunctionRecord) -> dict:
        return {"id": r.id, "primary_id": r.primary_id, "secondary_id": r.secondary_id, "tca_utc": r.tca_utc,
                "miss_km": r.miss_km, "v_rel_km_s": r.v_rel_km_s, "rtn_km": r.rtn_km, "label": r.label,
                "pc": r.pc, "has_cdm": r.cdm is not None, "marking": self.marking_of(s, r.marking_id).as_dict()}

    def conjunction_cdm(self, viewer: Viewer, conjunction_id: str) -> str | None:
        """The CCSDS CDM derived for one visible conjunction, or None (none, not found, or not visible)."""
        with self.session(viewer) as s:
            return s.scalar(select(ConjunctionRecord.cdm).where(ConjunctionRecord.id == conjunction_id))

    def import_events(self, account: Account, bundle_text: str, source: str = "stix") -> tuple[list[str], list]:
        """Store the incidents of a STIX 2.1 bundle as events under their markings (the importer's organisation added
        as originator, and to the releasability list when there is one). Everything is checked first, then the good
        events are stored in one transaction. Ids are derived from the importer's organisation and the STIX id, so a
        re-import stores nothing new and one organisation's ids never meet another's. Returns the ids newly stored
        and the rejected objects."""
        from kompas.core import events
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
                envelope = event.envelope(derived_id(account.org, event.stix_id), f"{source} {event.stix_id}")
            except (MarkingError, ValueError) as error:
                rejected.append({"source": source, "id": event.stix_id, "reason": str(error)})
                continue
            pairs.append((envelope, marking))
            where.append(event.stix_id)
        done = events.store(self, pairs, source)
        rejected += [{"source": source, "id": where[r.line - 1], "field": r.field, "reason": r.reason}
                     for r in done.rejected]
        return done.ids, rejected

    def add_event(self, kind: str, time_utc: str, norad_ids: Sequence[int], title: str, marking: Marking,
                  detail: dict | None = None, source: str = "", event_id: str | None = None) -> str:
        """Store a space event given its older fields (objects in the order given: the primary first) under
        ``marking``; returns its id. Raises StoreError for an event the envelope's rules refuse."""
        from kompas.core import events
        from kompas.core.envelope import legacy_space

        envelope = legacy_space(kind, time_utc, norad_ids, title, detail, source, event_id)
        done = events.store(self, [(envelope, marking)], source or "event")
        if done.rejected:
            raise StoreError(f"event refused: {done.rejected[0].field}: {done.rejected[0].reason}")
        return envelope.id

    def events(self, viewer: Viewer, after: str | None = None, limit: int = 100, kind: str | None = None,
               norad_id: int | None = None, since_utc: str | None = None, until_utc: str | None = None,
               domain: str | None = None, severity: str | None = None) -> Page:
        """Visible events by time (then id), filtered by domain, type (``kind``), least severity, object and time
        window (:func:`kompas.core.events.listing`)."""
        from kompas.core import events

        return events.listing(self, viewer, after, limit, kind, norad_id, since_utc, until_utc, domain, severity)

    def event(self, viewer: Viewer, event_id: str) -> dict | None:
        """One visible event, or None (whether it does not exist or may not be seen)."""
        from kompas.core import events

        return events.one(self, viewer, event_id)

    def contribution_by_source(self, source: str) -> str | None:
        """The id of the earliest contribution recorded with exactly this ``source`` text (for jobs that store a
        file once, e.g. ``file:NAME sha256:DIGEST``), or None."""
        with self.session(None) as s:
            return s.scalar(select(Contribution.id).where(Contribution.source == source[:200])
                            .order_by(Contribution.received_utc, Contribution.id).limit(1))


def viewer_of(user: User) -> Viewer:
    """What the access rule needs to know about ``user``."""
    return Viewer(Classification(user.clearance), user.org.code, user.org.country,
                  frozenset(c.name for c in user.communities))


def _json_fields(elset: ElementSet) -> dict:
    fields = omm.to_fields(elset)
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in fields.items()}


def _designator(text: str | None) -> int:
    """A CDM OBJECT_DESIGNATOR as a catalogue number (0 when it is not one)."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else 0


def _number(section: cdm.Section, key: str) -> float | None:
    try:
        return section.number(key)
    except ValueError:
        return None


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise StoreError(f"limit must be between 1 and {MAX_PAGE}")
    return limit


def _int_key(after: str) -> int:
    try:
        return int(after)
    except ValueError:
        raise StoreError(f"after={after!r} is not a cursor this listing returned") from None


def _pair_key(after: str) -> tuple[str, str]:
    time_utc, sep, item = after.partition("|")
    if not sep or not time_utc or not item:
        raise StoreError(f"after={after!r} is not a cursor this listing returned")
    return time_utc, item


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
