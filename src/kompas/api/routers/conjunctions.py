"""Conjunctions: ``/api/v1/conjunctions`` (screened close approaches), one conjunction, the distance around its
TCA and the CCSDS CDM Kompas derived for it."""

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kompas.api.deps import ITEM_ID, NO_NUL, NORAD, Caller, Limit, StoreDep, Time, found, note, stored_time
from kompas.api.errors import ERRORS, NOT_FOUND
from kompas.api.schemas import MarkingOut
from kompas.core import picture as picture_module
from kompas.core.shapes import ConjunctionView
from kompas.core.store.base import CURSOR_PATTERN

router = APIRouter(tags=["conjunctions"])


#: The cursor of a sorted listing (its order and filters in its first field): the previous page's ``next``.
SortedAfter = Annotated[str | None, Query(max_length=400, pattern=CURSOR_PATTERN,
                                          description="Cursor: the previous page's `next` (same sort and filters)")]


class ConjunctionPage(BaseModel):
    items: list[ConjunctionView]
    next: str | None = Field(description="Pass as ?after= (with the same sort and filters) for the next page; null on "
                                         "the last page")
    total: int = Field(description="Every conjunction matching the filters that you may see")


class SeriesOut(BaseModel):
    times_utc: list[str]
    distance_km: list[float | None]
    markings: list[MarkingOut]


@router.get("/api/v1/conjunctions", response_model=ConjunctionPage, responses=ERRORS)
def conjunctions(who: Caller, store: StoreDep, after: SortedAfter = None, limit: Limit = 100,
                 sort: Annotated[Literal["-pc", "pc", "tca", "-tca", "miss", "-miss"], Query(
                     description="-pc: Pc high first, no Pc last, ties by TCA then id (default); pc; tca; -tca; "
                                 "miss; -miss (miss distance)")] = "-pc",
                 norad_id: NORAD | None = None,
                 object_: Annotated[str | None, Query(alias="object", min_length=1, max_length=100, pattern=NO_NUL,
                                                      description="A NORAD id, or words of either object's name")]
                 = None,
                 owner: Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL,
                                                    description="A substring of either object's known owner")] = None,
                 since: Time = None, until: Time = None,
                 max_miss_km: Annotated[float | None, Query(gt=0, le=1e6)] = None,
                 min_pc: Annotated[float | None, Query(ge=0, le=1, description="Only Pc at or above this")] = None,
                 hide_related: Annotated[bool, Query(description="Leave out formation and same-owner pairs")]
                 = False) -> dict:
    """Conjunctions you may see, by Pc (highest first) unless ``sort`` says otherwise, with the total matching
    the filters: one object's (``norad_id``, or ``object`` by id or name words), of an owner, in a TCA window
    [since, until), under a miss distance, at or above a Pc, without formation and same-owner pairs. Each item
    names both objects, their known owners, their relation, and the epochs and age of the element sets screened."""
    page = store.conjunctions(who.viewer, after, limit, norad_id, stored_time(since), stored_time(until),
                              max_miss_km, sort=sort, obj=object_, owner=owner, min_pc=min_pc,
                              hide_related=hide_related)
    note(store, who, "read", "conjunctions")
    return {"items": page.items, "next": page.next, "total": page.total}


class PairRisk(BaseModel):
    norad_id: int = Field(description="The other object")
    conjunctions: int = Field(description="Distinct encounters (the newest update of each)")
    with_pc: int = Field(description="Encounters with a computed Pc")
    cumulative_pc: float = Field(description="1 - prod(1 - Pc) over the pair's encounters (repeated approaches)")
    cumulative_pc_high: float = Field(description="The same with each Monte Carlo Pc's 95% upper bound")
    max_pc: float | None
    max_pc_id: str | None = Field(description="The conjunction with the largest Pc")
    max_pc_basis: str | None = Field(description="pc2d, nc3d or mc: the method of that Pc")


class CumulativeOut(PairRisk):
    norad_id: int = Field(description="The object asked about")
    since_utc: str | None
    until_utc: str | None
    updates_read: int = Field(description="Conjunctions read, updates of one encounter included")
    cumulative_pc: float = Field(description="1 - prod(1 - Pc) over the object's distinct encounters in the window "
                                             "(the newest update of each)")
    by_object: list[PairRisk] = Field(description="The same per other object, highest cumulative Pc first")
    marking: MarkingOut = Field(description="Combined marking of the conjunctions used")


@router.get("/api/v1/conjunctions/cumulative", response_model=CumulativeOut, responses=ERRORS)
def cumulative(who: Caller, store: StoreDep, norad_id: Annotated[int, Query(ge=1, le=999_999_999)],
               since: Time = None, until: Time = None) -> dict:
    """Cumulative collision probability of one object over the conjunctions you may see with TCA in the window:
    ``1 - prod(1 - Pc)`` over distinct encounters (conjunctions of the same pair within 10 minutes are updates of
    one encounter: the newest counts), overall and per other object, with the largest Pc and its basis; marked with
    the combination of the conjunctions read. 422 when more than 20,000 conjunctions fall in the window."""
    from kompas.services.space import cumulative_risk

    try:
        answer = cumulative_risk(store, who.viewer, norad_id, stored_time(since), stored_time(until))
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    note(store, who, "read", f"conjunctions/cumulative {norad_id}")
    return answer


@router.get("/api/v1/conjunctions/{conjunction_id}", response_model=ConjunctionView, responses=NOT_FOUND)
def conjunction(conjunction_id: ITEM_ID, who: Caller, store: StoreDep) -> ConjunctionView:
    """One conjunction; 404 when it does not exist or you may not see it (the same answer)."""
    return found(store, store.conjunction(who.viewer, conjunction_id), who, f"conjunctions/{conjunction_id}")


@router.get("/api/v1/conjunctions/{conjunction_id}/series", response_model=SeriesOut, responses=NOT_FOUND)
def conjunction_distance(conjunction_id: ITEM_ID, who: Caller, store: StoreDep,
                         half_window_s: Annotated[float, Query(ge=0.01, le=3600, description=(
                             "Seconds either side of TCA"))] = 600.0,
                         step_s: Annotated[float, Query(ge=0.0001, le=60, description="Seconds between points")] = 5.0
                         ) -> dict:
    """The distance between the two objects ``half_window_s`` either side of TCA (default 10 minutes) every
    ``step_s`` (default 5 s; at most 2,001 points: 422 otherwise), from the newest element sets you may see of both;
    404 when you may not see the conjunction or either object's elements."""
    if 2 * half_window_s / step_s > 2000:
        raise HTTPException(422, f"{2 * half_window_s:g} s every {step_s:g} s is more than 2,001 points: use "
                                 f"step_s >= {half_window_s / 1000:.6g}")
    item = store.conjunction(who.viewer, conjunction_id)
    series = (picture_module.conjunction_series(store, who.viewer, dict(item), half_window_s, step_s) if item
              else None)
    return found(store, series, who, f"conjunctions/{conjunction_id}/series")


@router.get("/api/v1/conjunctions/{conjunction_id}/cdm", response_class=Response,
            responses={**NOT_FOUND, 200: {"content": {"text/plain": {}}, "description": "CCSDS CDM (KVN)"}})
def conjunction_cdm(conjunction_id: ITEM_ID, who: Caller, store: StoreDep) -> Response:
    """The CCSDS CDM Kompas derived for the conjunction (the element sets' covariance, the Pc to decide on and its
    basis), as KVN;
    404 when there is none or you may not see the conjunction."""
    text = found(store, store.conjunction_cdm(who.viewer, conjunction_id), who, f"conjunctions/{conjunction_id}/cdm")
    return Response(text, media_type="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{conjunction_id}.cdm"'})
