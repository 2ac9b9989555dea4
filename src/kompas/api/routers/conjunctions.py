"""Conjunctions: ``/api/v1/conjunctions`` (screened close approaches), one conjunction, the distance around its
TCA and the CCSDS CDM Kompas derived for it."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from kompas.api.deps import ITEM_ID, NORAD, After, Caller, Limit, StoreDep, Time, found, note, stored_time
from kompas.api.errors import ERRORS, NOT_FOUND
from kompas.api.schemas import MarkingOut
from kompas.core import picture as picture_module
from kompas.core.shapes import ConjunctionView

router = APIRouter(tags=["conjunctions"])


class ConjunctionPage(BaseModel):
    items: list[ConjunctionView]
    next: str | None


class SeriesOut(BaseModel):
    times_utc: list[str]
    distance_km: list[float | None]
    markings: list[MarkingOut]


@router.get("/api/v1/conjunctions", response_model=ConjunctionPage, responses=ERRORS)
def conjunctions(who: Caller, store: StoreDep, after: After = None, limit: Limit = 100,
                 norad_id: NORAD | None = None, since: Time = None, until: Time = None,
                 max_miss_km: Annotated[float | None, Query(gt=0, le=1e6)] = None) -> dict:
    """Conjunctions you may see, by TCA: optionally one object's, in a TCA window, under a miss distance."""
    page = store.conjunctions(who.viewer, after, limit, norad_id, stored_time(since), stored_time(until),
                              max_miss_km)
    note(store, who, "read", "conjunctions")
    return {"items": page.items, "next": page.next}


@router.get("/api/v1/conjunctions/{conjunction_id}", response_model=ConjunctionView, responses=NOT_FOUND)
def conjunction(conjunction_id: ITEM_ID, who: Caller, store: StoreDep) -> ConjunctionView:
    """One conjunction; 404 when it does not exist or you may not see it (the same answer)."""
    return found(store, store.conjunction(who.viewer, conjunction_id), who, f"conjunctions/{conjunction_id}")


@router.get("/api/v1/conjunctions/{conjunction_id}/series", response_model=SeriesOut, responses=NOT_FOUND)
def conjunction_distance(conjunction_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """The distance between the two objects 10 minutes either side of TCA, every 5 s, from the newest
    element sets you may see of both; 404 when you may not see the conjunction or either object's elements."""
    item = store.conjunction(who.viewer, conjunction_id)
    series = picture_module.conjunction_series(store, who.viewer, dict(item)) if item else None
    return found(store, series, who, f"conjunctions/{conjunction_id}/series")


@router.get("/api/v1/conjunctions/{conjunction_id}/cdm", response_class=Response,
            responses={**NOT_FOUND, 200: {"content": {"text/plain": {}}, "description": "CCSDS CDM (KVN)"}})
def conjunction_cdm(conjunction_id: ITEM_ID, who: Caller, store: StoreDep) -> Response:
    """The CCSDS CDM Kompas derived for the conjunction (default element-set covariance, Foster Pc), as KVN;
    404 when there is none or you may not see the conjunction."""
    text = found(store, store.conjunction_cdm(who.viewer, conjunction_id), who, f"conjunctions/{conjunction_id}/cdm")
    return Response(text, media_type="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{conjunction_id}.cdm"'})
