"""National attributions and the response workflow (issue 22): ``/api/v1/events/{event_id}/attributions`` (a member
state records its own assessment; each user reads those they may see), ``/api/v1/events/{event_id}/coordination``
(the coordination state computed only from those), and ``/api/v1/responses`` (responses to events along their
toolbox's workflow: options, steps, owners, deadlines, history, state). Service: :mod:`kompas.services.response`."""

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import ITEM_ID, MODERN_DAY, NO_NUL, TIME, VISIBLE_TEXT, Caller, StoreDep, found, note
from kompas.api.errors import ERRORS, NOT_FOUND, WRITE_ERRORS
from kompas.api.schemas import MarkingIn, MarkingOut
from kompas.services import response as service

router = APIRouter(tags=["response"])

OPTION_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"
STEP_ID = r"^[a-z][a-z-]{0,31}$"
Confidence = Literal["", "remote", "very-unlikely", "unlikely", "roughly-even", "likely", "very-likely",
                     "almost-certain"]
Toolbox = Literal["space", "hybrid", "cyber", "fimi"]
State = Literal["open", "decided", "implemented", "closed"]


# --- attributions -------------------------------------------------------------------------------------------------


class AttributionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actor: str = Field(min_length=1, max_length=100, pattern=VISIBLE_TEXT,
                       description="Who your state attributes the event to: a state code (RU), a threat actor's "
                                   "name, or none (assessed, no attribution) / withheld (not said)")
    confidence: Confidence = Field("", description="ICD 203 estimative words (empty for none / withheld)")
    basis: str = Field(min_length=1, max_length=4000, pattern=VISIBLE_TEXT, description="What the assessment rests on")
    date: str = Field(pattern=MODERN_DAY, json_schema_extra={"format": "date"},
                      description="The assessment's date, YYYY-MM-DD (not in the future)")
    public: bool = Field(False, description="Whether your state has said so publicly (a national statement)")
    marking: MarkingIn = Field(description="Your marking of the record (required: a national assessment is never "
                                           "marked by default)")


class AttributionOut(BaseModel):
    id: str
    event_id: str
    state: str = Field(description="The recording user's organisation's country (ISO 3166-1 alpha-2)")
    org: str = Field(description="The recording organisation")
    actor: str
    confidence: str
    basis: str
    date: str
    public: bool
    recorded_utc: str
    marking: MarkingOut


class AttributionsOut(BaseModel):
    event_id: str
    items: list[AttributionOut] = Field(description="The attributions you may see, oldest assessment first")
    marking: MarkingOut = Field(description="Combination of the event's marking and the records'")


class Leading(BaseModel):
    actor: str
    states: int


class CoordinationOut(BaseModel):
    event_id: str
    sentence: str = Field(description="E.g. '2 states you may see attribute this to RU (DE, NL)'")
    attributing: dict[str, list[str]] = Field(description="Actor -> states attributing at likely or above")
    considering: dict[str, list[str]] = Field(description="Actor -> states assessing it less surely")
    not_attributing: list[str]
    withheld: list[str]
    public: dict[str, list[str]] = Field(description="Actor -> attributing states that said so publicly")
    leading: Leading | None
    records: int = Field(description="Records you may see that it was computed from")
    states: int = Field(description="States among them")
    marking: MarkingOut = Field(description="Combination of the event's marking and the records'")


@router.get("/api/v1/events/{event_id}/attributions", response_model=AttributionsOut, responses=NOT_FOUND)
def event_attributions(event_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """The member states' attributions of an event that you may see (404 when you may not see the event)."""
    return found(store, service.attribution_view(store, who.viewer, event_id), who, f"events/{event_id}/attributions")


@router.post("/api/v1/events/{event_id}/attributions", status_code=201, response_model=AttributionOut,
             responses={**WRITE_ERRORS, **NOT_FOUND})
def record_attribution(event_id: ITEM_ID, body: AttributionIn, who: Caller, store: StoreDep) -> dict:
    """Record your state's assessment of an event you may see (your organisation's country is the state: nobody
    records for another), under your marking; audited. 404 when you may not see the event."""
    done = service.record_attribution(store, who, event_id, body.actor, body.confidence, body.basis, body.date,
                                      body.public, body.marking.of(who.org))
    if done is None:
        raise HTTPException(404, "not found")
    return done


@router.get("/api/v1/events/{event_id}/coordination", response_model=CoordinationOut, responses=NOT_FOUND)
def event_coordination(event_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """The coordination state of an event computed only from the attributions you may see (each state's newest);
    404 when you may not see the event."""
    return found(store, service.coordination_view(store, who.viewer, event_id), who, f"events/{event_id}/coordination")


# --- findings -----------------------------------------------------------------------------------------------------

FindingField = Literal["cause", "techniques", "software", "sectors", "services", "kinds"]


class FindingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: FindingField = Field(description="What the finding is about: cause (of a fragmentation: "
                                            "direct-ascent-asat, co-orbital-asat, collision, explosion, unknown), "
                                            "or a list of techniques (SPARTA, ATT&CK, DISARM ids), software, "
                                            "sectors, services or kinds")
    value: str | list[Annotated[str, Field(max_length=100)]] = Field(
        description="The cause, or a text or list of at most 50 texts")
    basis: str = Field(min_length=1, max_length=4000, pattern=VISIBLE_TEXT,
                       description="Where the fact comes from (a public statement, a report, an analysis)")
    marking: MarkingIn = Field(description="Your marking of the finding")


class FindingOut(BaseModel):
    id: str
    event_id: str
    field: str
    value: str | list[str]
    basis: str
    org: str = Field(description="The recording organisation")
    recorded_utc: str
    marking: MarkingOut


class FindingsOut(BaseModel):
    event_id: str
    items: list[FindingOut] = Field(description="The findings you may see, oldest first")
    marking: MarkingOut = Field(description="Combination of the event's marking and the findings'")


@router.get("/api/v1/events/{event_id}/findings", response_model=FindingsOut, responses=NOT_FOUND)
def event_findings(event_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """Analysts' findings on an event that you may see: facts the detecting engine cannot know, each with its basis
    (404 when you may not see the event). They feed the event's response options."""
    return found(store, service.finding_view(store, who.viewer, event_id), who, f"events/{event_id}/findings")


@router.post("/api/v1/events/{event_id}/findings", status_code=201, response_model=FindingOut,
             responses={**WRITE_ERRORS, **NOT_FOUND})
def record_finding(event_id: ITEM_ID, body: FindingIn, who: Caller, store: StoreDep) -> dict:
    """Record a finding on an event you may see (e.g. the cause of a break-up from a public statement), under your
    marking; audited. The stored event is unchanged: findings are added to its payload when its options are ranked,
    for those who may see them. 404 when you may not see the event."""
    done = service.record_finding(store, who, event_id, body.field, body.value, body.basis,
                                  body.marking.of(who.org))
    if done is None:
        raise HTTPException(404, "not found")
    return done


# --- responses ----------------------------------------------------------------------------------------------------


class DeadlineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    step: str = Field(pattern=STEP_ID, description="A step of the toolbox's workflow")
    deadline: str = Field(pattern=TIME, description="Its deadline (UTC), replacing the planned one")


class ResponseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    event_id: str = Field(pattern=r"^[0-9a-fA-F-]{1,36}$", description="The event responded to")
    toolbox: Toolbox = Field(description="Whose workflow the response follows")
    options: list[Annotated[str, Field(pattern=OPTION_ID)]] = Field(
        default=[], max_length=50, description="Option ids of the toolboxes (any toolbox)")
    note: str = Field("", max_length=4000, pattern=NO_NUL)
    deadlines: list[DeadlineIn] = Field(default=[], max_length=10,
                                        description="Deadlines replacing the planned ones (each step once)")
    marking: MarkingIn = Field(description="Combined with the event's marking")


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    step: str = Field(pattern=STEP_ID, description="A step of the response's workflow other than the current one")
    note: str = Field(min_length=1, max_length=4000, pattern=VISIBLE_TEXT, description="Why (the audit trail)")
    options: list[Annotated[str, Field(pattern=OPTION_ID)]] | None = Field(
        None, max_length=50, description="The options chosen from now on (null: unchanged)")
    deadline: str | None = Field(None, pattern=TIME, description="Deadline of the step moved to (UTC)")
    marking: MarkingIn | None = Field(None, description="Added to the combination of what you see of the response")


class DecisionOut(BaseModel):
    option: str
    name: str
    category: str
    toolbox: str
    decides: str
    rule: str
    step: str | None = Field(description="The workflow step at which it is decided")
    awaiting: bool = Field(description="Its decision step is not yet passed")


class StepOut(BaseModel):
    id: str
    name: str
    owner: str
    state: State
    optional: bool
    deadline_utc: str | None
    current: bool
    reached: bool = Field(description="Reached by a move you may see (or the first step)")
    basis: str


class HistoryOut(BaseModel):
    step: str
    step_name: str
    state: str
    note: str
    options: list[str] | None
    deadline_utc: str | None
    by: str = Field(description="The organisation of who moved it")
    user: str
    at_utc: str
    marking: MarkingOut
    opened: bool
    skipped: list[str] = Field(description="Steps on the planned line this move passed over")


class ResponseOut(BaseModel):
    id: str
    event_id: str
    toolbox: Toolbox
    workflow: str
    options: list[str]
    decisions: list[DecisionOut]
    step: str
    step_name: str
    owner: str = Field(description="Who acts at the current step")
    state: State
    entered_utc: str
    deadline_utc: str | None
    overdue: bool = Field(description="Not closed and past the current step's deadline")
    opened_utc: str
    by: str
    user: str
    steps: list[StepOut]
    history: list[HistoryOut] = Field(description="Opening and the moves you may see, oldest first")
    marking: MarkingOut = Field(description="Combination of the response's and the visible moves' markings")


class ResponsesOut(BaseModel):
    items: list[ResponseOut]


@router.get("/api/v1/responses", response_model=ResponsesOut, responses=ERRORS)
def list_responses(who: Caller, store: StoreDep,
                   event_id: Annotated[str | None, Query(pattern=r"^[0-9a-fA-F-]{1,36}$")] = None,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict:
    """Responses you may see (of one event), newest opened first, with their state, current step, owner, deadline
    and overdue flag, from the moves you may see."""
    items = service.responses(store, who.viewer, event_id, limit)
    note(store, who, "read", "responses" + (f"?event_id={event_id}" if event_id else ""))
    return {"items": items}


@router.post("/api/v1/responses", status_code=201, response_model=ResponseOut,
             responses={**WRITE_ERRORS, **NOT_FOUND})
def open_response(body: ResponseIn, who: Caller, store: StoreDep) -> dict:
    """Open a response to an event you may see along a toolbox's workflow, with the options chosen and deadlines
    planned from now; marked with the combination of the event's marking and yours; audited. 404 when you may not
    see the event."""
    done = service.open_response(store, who, body.event_id, body.toolbox, body.options, body.marking.of(who.org),
                                 body.note, [(d.step, d.deadline) for d in body.deadlines])
    if done is None:
        raise HTTPException(404, "not found")
    return done


@router.get("/api/v1/responses/{response_id}", response_model=ResponseOut, responses=NOT_FOUND)
def one_response(response_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """One response as you may see it; 404 when it does not exist or you may not see it."""
    return found(store, service.response(store, who.viewer, response_id), who, f"responses/{response_id}")


@router.post("/api/v1/responses/{response_id}/steps", status_code=201, response_model=ResponseOut,
             responses={**WRITE_ERRORS, **NOT_FOUND})
def advance(response_id: ITEM_ID, body: MoveIn, who: Caller, store: StoreDep) -> dict:
    """Move a response you may see to a step of its workflow with a note (and new options, a deadline, a marking);
    marked with the combination of what you see of it and your marking; audited. Any organisation that may see the
    response moves it among its open steps (information, deliberation); only the organisation that opened it records
    a decision, the implementation or the closing (403 otherwise). 404 when you may not see it."""
    marking = None if body.marking is None else body.marking.of(who.org)
    done = service.advance(store, who, response_id, body.step, body.note, body.options, body.deadline, marking)
    if done is None:
        raise HTTPException(404, "not found")
    return done
