"""Tracked conjunction events: ``/api/v1/conjunction-events`` (each encounter once, with its history of updates
across screenings, trends and status) and decisions on them (:mod:`kompas.space.tracking`,
:mod:`kompas.core.store.tracks`)."""

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import ITEM_ID, NORAD, VISIBLE_TEXT, Caller, Limit, StoreDep, Time, found, note, stored_time
from kompas.api.errors import ERRORS, NOT_FOUND
from kompas.api.routers.conjunctions import SortedAfter
from kompas.api.schemas import MarkingIn, MarkingOut
from kompas.core.markings import MarkingError
from kompas.core.store import StoreError

router = APIRouter(tags=["conjunctions"])

Trend = Literal["rising", "falling", "steady"] | None
Level = Literal["unknown", "green", "yellow", "red"]


class DecisionOut(BaseModel):
    decision: Literal["mitigate", "accept", "monitor"]
    note: str
    by: str = Field(description="The deciding user's organisation")
    decided_utc: str
    update_id: str = Field(description="The newest update the decider saw")
    marking: MarkingOut = Field(description="Combination of the updates the decider saw")


class UpdateOut(BaseModel):
    id: str
    conjunction_id: str = Field(description="The stored conjunction (GET /api/v1/conjunctions/{id}, its CDM)")
    seq: int = Field(description="1, 2, ... among the updates you may see")
    epoch_utc: str = Field(description="Newer epoch of the two element sets screened (the update's data time)")
    linked_utc: str = Field(description="When the screening stored it")
    primary_id: int
    secondary_id: int
    tca_utc: str
    miss_km: float
    v_rel_km_s: float
    pc: float | None = Field(description="The Pc to decide on")
    pc_basis: str | None = Field(description="pc2d (Foster), nc3d (Hall) or mc (Monte Carlo)")
    pc_flags: list[str] = Field(description="Usage checks the 2D method failed")
    pc_interval: list[float] | None = Field(description="A Monte Carlo Pc's 95% Clopper-Pearson interval")
    level: Level = Field(description="red: Pc >= 1e-4; yellow: >= 1e-5; green: below; unknown: no Pc")
    primary_epoch_utc: str | None
    secondary_epoch_utc: str | None
    primary_age_days: float | None = Field(description="Age of the primary's element set at TCA (the covariance's "
                                                       "propagation span), days")
    secondary_age_days: float | None
    covariance_methods: list[str] | None = Field(description="CDM COVARIANCE_METHOD of OBJECT1 and OBJECT2: "
                                                             "CALCULATED (fitted on element-set history) or DEFAULT")
    message_id: str | None = Field(description="MESSAGE_ID of its CDM")
    marking: MarkingOut


class EventOut(BaseModel):
    id: str = Field(description="Stable across updates: the CDMs' CONJUNCTION_ID")
    norad_ids: list[int] = Field(description="The pair, lower NORAD id first")
    primary_id: int
    secondary_id: int
    tca_utc: str = Field(description="TCA of the newest update you may see")
    miss_km: float
    pc: float | None
    pc_basis: str | None
    level: Level
    max_level: Level = Field(description="Highest level of any update you may see")
    updates: int = Field(description="Updates you may see")
    first_epoch_utc: str
    last_epoch_utc: str
    last_linked_utc: str
    pc_trend: Trend = Field(description="Over the last 3 updates: log10 Pc up (rising) or down (falling) by more "
                                        "than a factor of 2, else steady; null with fewer than 2")
    miss_trend: Trend = Field(description="Over the last 3 updates: miss up or down by more than 10% (at least "
                                          "10 m), else steady")
    status: Literal["open", "passed", "closed"] = Field(
        description="closed by a decision (reopened when a later update reaches a higher level), passed when the "
                    "newest TCA is in the past, else open")
    decision: DecisionOut | None
    marking: MarkingOut = Field(description="Combination of the updates (and decision) you may see")


class EventDetailOut(EventOut):
    history: list[UpdateOut] = Field(description="The updates you may see, oldest first")


class EventPage(BaseModel):
    items: list[EventOut]
    next: str | None = Field(description="Pass as ?after= (same sort and filters) for the next page; null on the last")
    total: int = Field(description="Every event matching the filters that you may see")


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["mitigate", "accept", "monitor"]
    note: str = Field(min_length=1, max_length=4000, pattern=VISIBLE_TEXT,
                      description="Why: text with at least one visible character")
    marking: MarkingIn | None = Field(None, description="Added to the combination of the updates you see")


@router.get("/api/v1/conjunction-events", response_model=EventPage, responses=ERRORS)
def conjunction_events(who: Caller, store: StoreDep, after: SortedAfter = None, limit: Limit = 100,
                       sort: Annotated[Literal["-updated", "tca", "-tca", "-pc"], Query(
                           description="-updated: newest update first (default); tca / -tca: newest TCA estimate; "
                                       "-pc: highest Pc of any update first")] = "-updated",
                       norad_id: NORAD | None = None, since: Time = None, until: Time = None) -> dict:
    """Conjunction events tracked across screenings that you may see: each encounter once (the same pair, TCAs of
    successive screenings within 10 minutes), with the newest values, trends, level and status, from the updates
    you may see only; filters: one object, TCA window [since, until)."""
    try:
        page = store.conjunction_events(who.viewer, after, limit, sort=sort, norad_id=norad_id,
                                        since_utc=stored_time(since), until_utc=stored_time(until))
    except StoreError as error:
        raise HTTPException(422, str(error)) from None
    note(store, who, "read", "conjunction-events")
    return {"items": page.items, "next": page.next, "total": page.total}


@router.get("/api/v1/conjunction-events/{event_id}", response_model=EventDetailOut, responses=NOT_FOUND)
def conjunction_event(event_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """One tracked event with its history (the updates you may see: miss, Pc with basis and flags, element-set
    epochs and ages, covariance method); 404 when it does not exist or you may see none of its updates."""
    return found(store, store.conjunction_event(who.viewer, event_id), who, f"conjunction-events/{event_id}")


@router.post("/api/v1/conjunction-events/{event_id}/decision", status_code=201, response_model=EventDetailOut,
             responses={**ERRORS, **NOT_FOUND})
def decide(event_id: ITEM_ID, body: DecisionIn, who: Caller, store: StoreDep) -> dict:
    """Record a decision on an event you may see (``mitigate``, ``accept`` or ``monitor``, with a note): it closes
    the event until an update reaches a higher level. Marked with the combination of the updates you see (and
    ``marking`` when given). Answers the event as you now see it; 404 when you may not see it."""
    marking = None
    if body.marking is not None:
        m = body.marking
        marking = m.of(who.org)
    try:
        done = store.decide_conjunction_event(who, event_id, body.decision, body.note, marking)
    except (StoreError, MarkingError) as error:
        raise HTTPException(422, str(error)) from None
    if done is None:
        note(store, who, "decide", f"conjunction-events/{event_id}", "denied", "not found or not visible")
        raise HTTPException(404, "not found")
    note(store, who, "decide", f"conjunction-events/{event_id}", detail=body.decision)
    return done
