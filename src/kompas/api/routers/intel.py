"""The intelligence capacity (issue 26): ``/api/v1/intel/items`` (contribute graded reports; write assessments, ACH
boards, key assumptions checks and requirements; list, read, export, new versions, remove),
``/api/v1/intel/requirements`` (due and overdue), ``/api/v1/intel/items/{id}/judgements/{n}`` (resolve a key
judgement) and ``/api/v1/intel/scores`` (Brier scores, calibration and the reliability diagram per team or product
line). Every item is stored under the combination of the marking given and the markings of everything it cites (an
assessment citing a SECRET report is SECRET, whatever is asked); every answer and export carries that stored marking.
Service: :mod:`kompas.services.intel`; the same as ``kompas intel``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import ITEM_ID, Caller, StoreDep, note
from kompas.api.errors import ERRORS, NOT_FOUND, WRITE_ERRORS
from kompas.api.schemas import MarkingIn
from kompas.services import intel as service

router = APIRouter(tags=["intel"])
Kind = Literal["report", "assessment", "requirement", "board", "assumptions"]
NAME = r"^[^\x00-\x1f\x7f]{1,120}$"
DAY = r"^\d{4}-\d{2}-\d{2}$"


class ItemIn(BaseModel):
    """An item and the marking to store it under (raised to the combination of what it cites)."""

    model_config = ConfigDict(extra="forbid")
    kind: Kind
    item: dict[str, Any] = Field(description="The item in its JSON form (kompas.intel.model; examples/intel/)")
    marking: MarkingIn = MarkingIn()


class VersionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: dict[str, Any]
    marking: MarkingIn = MarkingIn()


class ResolutionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    happened: bool = Field(description="Whether what the judgement said would happen happened, by its criterion")
    resolved_at: str | None = Field(None, pattern=DAY, description="Day resolved (default today)")


def _problems(error: service.IntelProblems) -> HTTPException:
    return HTTPException(422, [{"loc": ["body", "item", *(f for f in [field] if f)], "msg": reason,
                                "type": "value_error"} for field, reason in error.problems])


@router.post("/api/v1/intel/items", status_code=201, responses=WRITE_ERRORS)
def add(body: ItemIn, who: Caller, store: StoreDep) -> dict:
    """Store an item of your organisation under your marking combined with the markings of everything it cites
    (``raised`` says when that is higher than asked). 422 with every problem named by its place
    (``key_judgements[1].likelihood``), or a citation not found (or not one you may see); 403 for a marking you
    could not give or see. Audited."""
    try:
        return service.write(store, who, body.kind, body.item, body.marking.of(who.org))
    except service.IntelProblems as error:
        raise _problems(error) from None


@router.put("/api/v1/intel/items/{item_id}", responses={**WRITE_ERRORS, **NOT_FOUND})
def new_version(item_id: ITEM_ID, body: VersionIn, who: Caller, store: StoreDep) -> dict:
    """A new version of your organisation's item (same kind), never marked lower than the version before nor than
    what it cites; items citing it are re-marked when its marking rises (``propagated``)."""
    found = service.intel_store.get(store, who.viewer, item_id)
    if found is None:
        raise HTTPException(404, "no such item (or not one you may see)")
    try:
        return service.write(store, who, found.kind, body.item, body.marking.of(who.org), item_id=item_id)
    except service.IntelProblems as error:
        raise _problems(error) from None


@router.get("/api/v1/intel/items", responses=ERRORS)
def items(who: Caller, store: StoreDep, kind: Annotated[Kind | None, Query()] = None,
          org: Annotated[str | None, Query(max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")] = None,
          team: Annotated[str | None, Query(pattern=NAME)] = None,
          product_line: Annotated[str | None, Query(pattern=NAME)] = None,
          q: Annotated[str | None, Query(min_length=1, max_length=200, pattern=NAME,
                                         description="Only items whose title holds this text (any case)")] = None,
          offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
          limit: Annotated[int, Query(ge=1, le=5000)] = 200) -> dict:
    """The items you may see, newest first (``limit`` after ``offset``), each with its banner, how many match in all
    (``total``, ``more``), and the combined marking of the listing."""
    found = service.listing(store, who.viewer, kind, org, team, product_line, limit, q, offset)
    note(store, who, "read", "intel/items", detail=f"{found['count']} items")
    return found


@router.get("/api/v1/intel/items/{item_id}", responses=NOT_FOUND)
def item(item_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """One item with what Kompas computes from it (an ACH board's scores, ranking, diagnosticity and sensitivity;
    an assessment's judgements with their ICD 203 bands; a report's grade in words) and the items citing it that
    you may see; 404 when it does not exist or you may not see it (the same answer)."""
    found = service.show(store, who.viewer, item_id)
    if found is None:
        raise HTTPException(404, "no such item (or not one you may see)")
    note(store, who, "read", f"intel/{item_id}")
    return found


@router.get("/api/v1/intel/items/{item_id}/export", responses=NOT_FOUND,
            response_class=Response)
def export(item_id: ITEM_ID, who: Caller, store: StoreDep,
           format: Annotated[Literal["json", "html", "stix"], Query()] = "json") -> Response:  # noqa: A002
    """The item as JSON, a printable HTML page (banner at top and bottom) or a STIX 2.1 bundle (every object
    marked with its TLP and a statement definition carrying the banner); the ``X-Kompas-Banner`` header too."""
    found = service.export(store, who.viewer, item_id, format)
    if found is None:
        raise HTTPException(404, "no such item (or not one you may see)")
    content, media, banner = found
    note(store, who, "export", f"intel/{item_id}", detail=format)
    return Response(content, media_type=media, headers={"X-Kompas-Banner": banner.encode("ascii", "replace")
                                                        .decode("ascii")})


@router.delete("/api/v1/intel/items/{item_id}", responses={**WRITE_ERRORS, **NOT_FOUND})
def remove(item_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """Remove your organisation's item (422 while other items cite it; 404 when it is not yours or not found)."""
    from kompas.core.store import intel as intel_store

    if not intel_store.remove(store, who, item_id):
        raise HTTPException(404, "no such item of your organisation")
    note(store, who, "write", f"intel/{item_id}", detail="removed")
    return {"removed": item_id}


@router.post("/api/v1/intel/items/{item_id}/judgements/{number}", responses={**WRITE_ERRORS, **NOT_FOUND})
def resolve(item_id: ITEM_ID, number: Annotated[int, PathParam(ge=0, le=49)], body: ResolutionIn, who: Caller,
            store: StoreDep) -> dict:
    """Record the outcome of key judgement ``number`` (from 0) of your organisation's assessment, by its
    criterion: a new version under the same marking; it then counts in the scores."""
    try:
        return service.resolve(store, who, item_id, number, body.happened, body.resolved_at)
    except service.IntelProblems as error:
        raise _problems(error) from None


@router.get("/api/v1/intel/requirements", responses=ERRORS)
def requirements(who: Caller, store: StoreDep,
                 today: Annotated[str | None, Query(pattern=DAY, description="Day to judge overdue by")] = None
                 ) -> dict:
    """The intelligence requirements you may see, soonest due first, with overdue flags and the assessments that
    answer each."""
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise HTTPException(422, "today: not a calendar day") from None
    found = service.requirements(store, who.viewer, day)
    note(store, who, "read", "intel/requirements")
    return found


@router.get("/api/v1/intel/scores", responses=ERRORS)
def scores(who: Caller, store: StoreDep, by: Annotated[Literal["team", "product_line"], Query()] = "team",
           team: Annotated[str | None, Query(pattern=NAME)] = None,
           product_line: Annotated[str | None, Query(pattern=NAME)] = None) -> dict:
    """Brier scores, Murphy's decomposition and calibration bins of the resolved key judgements you may see, per
    team or product line and overall, the reliability diagram as SVG text, and the combined marking of the
    assessments used."""
    found = service.scores(store, who.viewer, by, team, product_line)
    note(store, who, "read", "intel/scores", detail=f"{found['judgements']} judgements")
    return found
