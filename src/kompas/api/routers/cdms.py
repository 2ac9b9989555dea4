"""Contributed CCSDS conjunction data messages: ``/api/v1/cdms``."""

from fastapi import APIRouter
from pydantic import BaseModel

from kompas.api.deps import ITEM_ID, NORAD, After, Caller, Limit, StoreDep, Time, found, note, stored_time
from kompas.api.errors import ERRORS, NOT_FOUND
from kompas.core.shapes import CDMView

router = APIRouter(tags=["cdms"])


class CDMPage(BaseModel):
    items: list[CDMView]
    next: str | None


@router.get("/api/v1/cdms", response_model=CDMPage, responses=ERRORS)
def cdms(who: Caller, store: StoreDep, after: After = None, limit: Limit = 100, norad_id: NORAD | None = None,
         since: Time = None, until: Time = None) -> dict:
    """Contributed CDMs you may see, by TCA: optionally one object's, in a TCA window."""
    page = store.cdms(who.viewer, after, limit, norad_id, stored_time(since), stored_time(until))
    note(store, who, "read", "cdms")
    return {"items": page.items, "next": page.next}


@router.get("/api/v1/cdms/{cdm_id}", response_model=CDMView, responses=NOT_FOUND)
def one_cdm(cdm_id: ITEM_ID, who: Caller, store: StoreDep) -> CDMView:
    """One CDM with its text; 404 when it does not exist or you may not see it (the same answer)."""
    return found(store, store.cdm(who.viewer, cdm_id), who, f"cdms/{cdm_id}")
