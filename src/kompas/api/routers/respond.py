"""Response options (:mod:`kompas.services.respond`): for a stored event the caller may see, or for an incident
given as an event envelope; and the options paper as a job.

``GET /api/v1/events/{id}/options`` ranks the response options of the toolboxes for the event, with the
coordination state computed from the attributions you may see, marked with the combination of the event's and those
records' markings (404 when you may not see the event). ``POST /api/v1/respond`` ranks an incident you send (the
platform's event envelope; nothing is stored, nothing is read from the platform, no attribution is taken from the
request: the ranking of an incident no member state has attributed). ``POST /api/v1/events/{id}/paper`` queues the
options paper (HTML or PDF) as a job; the file carries the combined marking of everything it used.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import ITEM_ID, Caller, StoreDep, found
from kompas.api.errors import ERRORS, NOT_FOUND
from kompas.api.routers.jobs import JobAccepted, enqueue

router = APIRouter(tags=["response"])
MAX_TOP = 50  #: Most proposals one answer lists.


class OptionsOut(BaseModel):
    event: dict[str, Any] = Field(description="The event as you may see it")
    attributions: list[dict[str, Any]] = Field(description="The member states' records you may see")
    findings: list[dict[str, Any]] = Field(description="Analysts' findings you may see, added to the event's payload "
                                                       "for the ranking (e.g. a break-up's cause)")
    coordination: dict[str, Any] | None = Field(description="The attribution state from the records you may see")
    ranking: dict[str, Any] = Field(description="features, proposals (best first, each with id, toolbox, category, "
                                                "instrument, basis, decides, rule, escalation, lead_time_days, "
                                                "score, why, countermeasures, precedents), excluded, rules")
    notes: list[str] = Field(description="Reference data not at hand (e.g. ../shared absent)")
    marking: dict[str, Any]


class RankingOut(BaseModel):
    ranking: dict[str, Any]
    notes: list[str]


class IncidentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    incident: dict[str, Any] = Field(description="The platform's event envelope (as GET /api/v1/events/{id} "
                                                 "answers it): id (optional), domain, type, time_utc, start_utc, "
                                                 "end_utc, title, severity, confidence, actors, place, evidence, "
                                                 "payload")
    top: int = Field(12, ge=1, le=MAX_TOP)


class PaperIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["pdf", "html"] = "pdf"
    top: int = Field(12, ge=1, le=MAX_TOP)


@router.get("/api/v1/events/{event_id}/options", response_model=OptionsOut, responses=NOT_FOUND)
def event_options(event_id: ITEM_ID, who: Caller, store: StoreDep,
                  top: Annotated[int, Query(ge=1, le=MAX_TOP, description="Most proposals listed")] = 12
                  ) -> dict:
    """The response options for one event you may see (best first), why each is proposed (rule and basis), its
    countermeasures and precedents, the options left out and why, and the attribution state you may see."""
    from kompas.services.respond import IncidentError
    from kompas.services.respond import event_options as options

    try:
        answer = options(store, who.viewer, event_id, top)
    except IncidentError as error:
        raise HTTPException(422, f"this event cannot be ranked: {error}") from None
    return found(store, answer, who, f"events/{event_id}/options")


@router.post("/api/v1/respond", response_model=RankingOut, responses=ERRORS)
def respond(body: IncidentIn, who: Caller) -> dict:
    """The response options for an incident you send as an event envelope (422 naming each field that is wrong).
    Nothing is stored; no attribution is read from the incident (its ranking is that of an incident no member
    state has attributed: record attributions on a stored event to see them count)."""
    from kompas.services.respond import IncidentError, assess_envelope, parse_incident

    try:
        envelope = parse_incident(body.incident, "incident")
    except IncidentError as error:
        raise HTTPException(422, [{"loc": ["body", "incident", f], "msg": why} for f, why in error.problems]
                            ) from None
    ranking, notes = assess_envelope(envelope, None, body.top)
    return {"ranking": ranking.as_dict(), "notes": notes}


@router.post("/api/v1/events/{event_id}/paper", status_code=202, response_model=JobAccepted, responses=NOT_FOUND)
def paper(event_id: ITEM_ID, body: PaperIn, who: Caller, store: StoreDep, request: Request,
          response: Response) -> dict:
    """Queue the options paper of one event you may see (404 otherwise), HTML or PDF, banner-marked with the
    combined marking of the event, the attributions, the responses and everything else it used."""
    from kompas.core.store.response import event_marking

    found(store, event_marking(store, who.viewer, event_id), who, f"events/{event_id}/paper")
    return enqueue(request, response, store, who, "options-paper",
                   {"event_id": event_id, "format": body.format, "top": body.top})
