"""Contributed documents (assessments, reports, notes): ``/api/v1/documents``."""

from fastapi import APIRouter
from pydantic import BaseModel

from kompas.api.deps import ITEM_ID, After, Caller, Limit, StoreDep, found, note
from kompas.api.errors import ERRORS, NOT_FOUND
from kompas.core.shapes import DocumentView

router = APIRouter(tags=["documents"])


class DocumentPage(BaseModel):
    items: list[DocumentView]
    next: str | None


@router.get("/api/v1/documents", response_model=DocumentPage, responses=ERRORS)
def documents(who: Caller, store: StoreDep, after: After = None, limit: Limit = 100) -> dict:
    """Documents you may see, oldest first."""
    page = store.documents(who.viewer, after, limit)
    note(store, who, "read", "documents")
    return {"items": page.items, "next": page.next}


@router.get("/api/v1/documents/{document_id}", response_model=DocumentView, responses=NOT_FOUND)
def one_document(document_id: ITEM_ID, who: Caller, store: StoreDep) -> DocumentView:
    """One document with its text; 404 when it does not exist or you may not see it (the same answer)."""
    return found(store, store.document(who.viewer, document_id), who, f"documents/{document_id}")
