"""Documents contributed under markings (assessments, notes, supply-chain CSVs) and the dated status notes of the
commitments register."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kompas.core.markings import Marking, Viewer
from kompas.core.models import CommitmentStatusRecord, DocumentRecord
from kompas.core.shapes import DocumentView
from kompas.core.store.base import Account, Page, StoreBase, StoreError, Submitted
from kompas.space.elements import Rejection

#: A character that is not white space (``\s`` and the separators U+001C..U+001F, which ``str.isspace`` counts).
VISIBLE = re.compile(r"[^\s\x1c-\x1f]")
DOCUMENT_FORMATS = {"text": "text/plain", "markdown": "text/markdown", "html": "text/html",
                    "supply-csv": "text/csv; profile=kompas-supply",  #: supply-csv: kompas.observatory.sources
                    "mobility": "application/geo+json; profile=kompas-mobility",  #: kompas.mobility.contributed
                    "forces": "application/json; profile=kompas-forces",  #: kompas.forces.register
                    "exercise-msel": "application/json; profile=kompas-msel"}  #: kompas.services.exercise


class DocumentsStore(StoreBase):
    """Documents and commitment status notes."""

    def contribute_document(self, account: Account, content: str, fmt: str, title: str, marking: Marking,
                            source: str = "api", rejections: Sequence[Rejection] = ()) -> Submitted:
        """Store a document (``fmt`` one of :data:`DOCUMENT_FORMATS`) under ``marking``. ``rejections``: rows the
        caller already dropped while converting the contribution (recorded with it and returned)."""
        if fmt not in DOCUMENT_FORMATS:
            raise StoreError(f"format {fmt!r} is not one of {', '.join(DOCUMENT_FORMATS)}")
        if not title.strip():
            raise StoreError("a document needs a title")
        self.check_marking(account, marking)
        found: list[Rejection] = []
        if fmt == "supply-csv":
            from kompas.observatory.load import load_config
            from kompas.observatory.sources import parse_own

            chain, found = parse_own(content, load_config(), source)
            if not chain.shares:
                raise StoreError("no supply row could be read" + (f" ({found[0]})" if found else ""))
        elif fmt == "mobility":
            from kompas.services.mobility import MobilityError, check_contribution

            try:
                found = list(check_contribution(content, source).rejections)
            except MobilityError as exc:
                raise StoreError(str(exc)) from None
        elif fmt == "forces":
            from kompas.services.forces import ForcesError
            from kompas.services.forces import check_contribution as check_forces

            try:
                content, found = check_forces(content, source, filer=account.viewer.country)
            except ForcesError as exc:
                raise StoreError(str(exc)) from None
        found = [*rejections, *found]
        with self.session(None) as s:
            mid = self.marking_id(s, marking)
            contribution = self._contribution(s, account.user_id, "document", fmt, source, 1, found, mid)
            s.add(DocumentRecord(contribution_id=contribution.id, title=title.strip()[:300],
                                 media_type=DOCUMENT_FORMATS[fmt], created_utc=contribution.received_utc,
                                 content=content, marking_id=mid))
        return Submitted(contribution.id, 1, found)

    def documents(self, viewer: Viewer, after: str | None = None, limit: int = 100) -> Page[DocumentView]:
        """Visible documents by creation time (then id), without their text."""
        return self._timeline(viewer, select(DocumentRecord), DocumentRecord.created_utc, after, limit, None, None,
                              lambda s, r: self._document_dict(s, r, content=False))

    def document(self, viewer: Viewer, document_id: str) -> DocumentView | None:
        """One visible document with its text, or None (whether it does not exist or may not be seen)."""
        return self._one(viewer, DocumentRecord, document_id, lambda s, r: self._document_dict(s, r, content=True))

    def documents_of_format(self, viewer: Viewer | None, fmt: str,
                            ids: Sequence[str] | None = None) -> list[tuple[str, str, Marking]]:
        """``(id, content, marking)`` of every document in format ``fmt`` (:data:`DOCUMENT_FORMATS`) that ``viewer``
        may see (all for ``None``), oldest first: the inputs of an engine job run for that viewer. ``ids``: only
        these (a cache reading what it lacks)."""
        query = select(DocumentRecord).where(DocumentRecord.media_type == DOCUMENT_FORMATS[fmt]).order_by(
            DocumentRecord.created_utc, DocumentRecord.id)
        if ids is not None:
            query = query.where(DocumentRecord.id.in_(list(ids)))
        with self.session(viewer) as s:
            return [(r.id, r.content, self.marking_of(s, r.marking_id)) for r in s.scalars(query)]

    def document_markings_of_format(self, viewer: Viewer | None, fmt: str) -> list[tuple[str, Marking]]:
        """``(id, marking)`` of every document in format ``fmt`` that ``viewer`` may see (all for ``None``), oldest
        first, without reading their text (what a cache keyed by the visible documents needs first)."""
        query = select(DocumentRecord.id, DocumentRecord.marking_id).where(
            DocumentRecord.media_type == DOCUMENT_FORMATS[fmt]).order_by(DocumentRecord.created_utc, DocumentRecord.id)
        with self.session(viewer) as s:
            return [(row.id, self.marking_of(s, row.marking_id)) for row in s.execute(query)]

    def document_of_contribution(self, viewer: Viewer | None, contribution_id: str) -> str | None:
        """The id of the document a contribution stored (None when there is none the viewer may see)."""
        query = select(DocumentRecord.id).where(DocumentRecord.contribution_id == contribution_id)
        with self.session(viewer) as s:
            return s.scalar(query)

    def _document_dict(self, s: Session, r: DocumentRecord, content: bool) -> DocumentView:
        out: DocumentView = {"id": r.id, "title": r.title, "media_type": r.media_type,
                             "created_utc": r.created_utc, "marking": self.marking_of(s, r.marking_id).as_dict(),
                             "content": r.content if content else None}
        return out

    def set_commitment_status(self, account: Account, commitment_id: str, status: str, evidence: str, as_of: str,
                              marking: Marking, source: str = "cli") -> Submitted:
        """Record the status of a register commitment as of a date (``YYYY-MM-DD``), with its evidence note, under
        ``marking``. Statuses: :data:`kompas.compass.status.STATUSES`; the caller checks the commitment id."""
        from kompas.compass.status import STATUSES

        if status not in STATUSES:
            raise StoreError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        if not VISIBLE.search(evidence):
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
