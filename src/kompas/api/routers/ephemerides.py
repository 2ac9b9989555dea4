"""Operators' ephemerides (CCSDS OEM) contributed under markings: ``/api/v1/ephemerides``."""

from fastapi import APIRouter
from pydantic import BaseModel

from kompas.api.deps import ITEM_ID, NORAD, After, Caller, Limit, StoreDep, Time, found, note, stored_time
from kompas.api.errors import ERRORS, NOT_FOUND
from kompas.core.shapes import EphemerisView

router = APIRouter(tags=["ephemerides"])


class EphemerisPage(BaseModel):
    items: list[EphemerisView]
    next: str | None


@router.get("/api/v1/ephemerides", response_model=EphemerisPage, responses=ERRORS)
def ephemerides(who: Caller, store: StoreDep, after: After = None, limit: Limit = 100, norad_id: NORAD | None = None,
                since: Time = None, until: Time = None) -> dict:
    """Contributed ephemerides you may see, by the start of their span: optionally one object's, starting in a
    window. Contribute one with `POST /api/v1/contributions` (`kind` `ephemeris`)."""
    page = store.ephemerides(who.viewer, after, limit, norad_id, stored_time(since), stored_time(until))
    note(store, who, "read", "ephemerides")
    return {"items": page.items, "next": page.next}


@router.get("/api/v1/ephemerides/{ephemeris_id}", response_model=EphemerisView, responses=NOT_FOUND)
def one_ephemeris(ephemeris_id: ITEM_ID, who: Caller, store: StoreDep) -> EphemerisView:
    """One ephemeris with its OEM text; 404 when it does not exist or you may not see it (the same answer)."""
    return found(store, store.ephemeris(who.viewer, ephemeris_id), who, f"ephemerides/{ephemeris_id}")
