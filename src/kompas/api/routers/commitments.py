"""The commitments register (``kompas.compass``): each commitment's status as of a date from the evidence notes
the caller may see, and dated status notes under a marking."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import DAY, VISIBLE_TEXT, Caller, StoreDep, day, note
from kompas.api.errors import ERRORS, NOT_FOUND, WRITE_ERRORS
from kompas.api.schemas import ContributionOut, MarkingIn
from kompas.core.store import StoreError
from kompas.services import commitments as commitments_service

router = APIRouter(tags=["commitments"])




class NoteOut(BaseModel):
    as_of: str
    status: str
    evidence: str


class CommitmentOut(BaseModel):
    id: str
    source: str
    line_start: int
    line_end: int
    quote: str
    summary: str
    actors: list[str]
    deadline: str
    strand: str
    system: str | None
    status: Literal["not_started", "in_progress", "done", "overdue", "unknown"]
    due: str | None = Field(description="The (latest) due date reached by as_of")
    next_due: str | None
    done_on: str | None
    late: bool
    notes: list[NoteOut] = Field(description="The evidence notes you may see, up to as_of, oldest first")


class CommitmentStatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["not_started", "in_progress", "done", "overdue", "unknown"]
    evidence: str = Field(min_length=1, max_length=4000, pattern=VISIBLE_TEXT,
                          description="What the status rests on: text with at least one visible character")
    as_of: str = Field(pattern=DAY, json_schema_extra={"format": "date"},
                       description="The date the evidence speaks for, YYYY-MM-DD")
    marking: MarkingIn = MarkingIn()


@router.get("/api/v1/commitments", response_model=list[CommitmentOut], responses=ERRORS)
def commitments(who: Caller, store: StoreDep, as_of: Annotated[str | None, Query(
                    pattern=DAY, json_schema_extra={"format": "date"},
                    description="Status date, YYYY-MM-DD (default: today)")] = None,
                public_evidence: Annotated[bool, Query(description="Also use the public evidence shipped "
                                                                   "with Kompas")] = True) -> list[dict]:
    """The commitments register with each commitment's status as of a date, from the evidence notes you may
    see (rules: `kompas.compass.status`)."""
    when = day(as_of) if as_of else date.today()
    register = commitments_service.assess(store, who.viewer, when, public_evidence)
    note(store, who, "read", "commitments")
    return commitments_service.as_json(register)


@router.post("/api/v1/commitments/{commitment_id}/status", status_code=201, response_model=ContributionOut,
             responses={**WRITE_ERRORS, **NOT_FOUND})
def commitment_status(commitment_id: Annotated[str, Path(pattern=r"^(SC|CT|SP)-\d{3}$")],
                      body: CommitmentStatusIn, who: Caller, store: StoreDep) -> dict:
    """Record a commitment's status with dated evidence under a marking (as `kompas compass set-status`)."""
    m = body.marking
    marking = m.of(who.org)
    try:
        done = commitments_service.record_status(store, who, commitment_id, body.status, body.evidence,
                                                 day(body.as_of), marking, source=f"api:{who.org}")
    except StoreError as error:
        raise HTTPException(404 if "register" in str(error) else 422, str(error)) from None
    return {"id": done.id, "accepted": done.accepted, "rejected": []}
