"""Platform events: ``/api/v1/events`` with filters, one event, and their STIX 2.1 export and import."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kompas.api.deps import (
    ITEM_ID,
    NO_NUL,
    NORAD,
    STIX_MEDIA_TYPE,
    Caller,
    Limit,
    StoreDep,
    Time,
    found,
    note,
    stored_time,
)
from kompas.api.errors import ERRORS, NOT_FOUND, WRITE_ERRORS
from kompas.api.routers.conjunctions import SortedAfter
from kompas.core.envelope import DOMAINS
from kompas.core.shapes import EventView
from kompas.services.events import contribute_stix, export_stix

router = APIRouter(tags=["events"])


class EventPage(BaseModel):
    items: list[EventView]
    next: str | None = Field(description="Pass as ?after= (with the same sort and filters) for the next page; null on "
                                         "the last page")
    total: int = Field(description="Every event matching the filters that you may see")


class ImportOut(BaseModel):
    imported: list[str]
    rejected: list[dict]


Domain = Annotated[Literal[DOMAINS] | None, Query(description="Only events of this domain")]  # type: ignore[valid-type]
Kind = Annotated[str | None, Query(max_length=32, pattern=NO_NUL, description="Only events of this type")]
Severity = Annotated[Literal["low", "medium", "high"] | None, Query(description="Only events at or above this "
                                                                                "severity")]


@router.get("/api/v1/events", response_model=EventPage, responses=ERRORS)
def events(who: Caller, store: StoreDep, after: SortedAfter = None, limit: Limit = 100,
           sort: Annotated[Literal["-time", "time", "-severity"], Query(
               description="-time: newest first (default); time: oldest first; -severity: high first, then newest")]
           = "-time", domain: Domain = None,
           type_: Annotated[str | None, Query(alias="type", max_length=32, pattern=NO_NUL,
                                              description="Only events of this type (as kind)")] = None,
           kind: Kind = None, severity: Severity = None, norad_id: NORAD | None = None, since: Time = None,
           until: Time = None,
           q: Annotated[str | None, Query(min_length=1, max_length=200, pattern=NO_NUL,
                                          description="Words of the title (each, any case)")] = None) -> dict:
    """Events of every domain you may see, newest first unless ``sort`` says otherwise, with the total matching
    the filters: of one domain and type, at or above a severity, concerning one object, in a time window
    [since, until), with words in the title."""
    page = store.events(who.viewer, after, limit, type_ or kind, norad_id, stored_time(since), stored_time(until),
                        domain, severity, sort=sort, q=q)
    note(store, who, "read", "events")
    return {"items": page.items, "next": page.next, "total": page.total}


@router.get("/api/v1/events/stix", response_class=JSONResponse, responses={
    **ERRORS, 200: {"description": "A STIX 2.1 bundle", "content": {STIX_MEDIA_TYPE: {"schema": {
        "type": "object", "required": ["type", "id", "objects"],
        "properties": {"type": {"const": "bundle"}, "id": {"type": "string"},
                       "objects": {"type": "array", "items": {"type": "object"}}}}}}}})
def events_stix(who: Caller, store: StoreDep, kind: Kind = None, norad_id: NORAD | None = None, since: Time = None,
                until: Time = None, limit: Annotated[int, Query(ge=1, le=10000)] = 1000, domain: Domain = None,
                severity: Severity = None,
                observed: Annotated[bool, Query(description=(
                    "Also each event as STIX 2.1 observed-data (first_observed/last_observed: the event's window, "
                    "number_observed 1, object_refs: its actors as x-kompas-actor observables, in order), its actors "
                    "as infrastructure (space objects, outlets) or identity objects, and relationships: the "
                    "incident related-to its observed-data and to each actor (x_kompas_role, x_kompas_order: 0 the "
                    "primary). Every object carries the event's markings. Default: incidents and marking "
                    "definitions only"))] = False) -> JSONResponse:
    """The events you may see as a STIX 2.1 bundle (incidents with the envelope's fields, TLP 2.0 and EU
    classification markings); with `observed=true` also observed-data, actors and relationships."""
    bundle, count = export_stix(store, who.viewer, limit, observed, kind, norad_id, stored_time(since),
                                stored_time(until), domain, severity)
    note(store, who, "export", "events/stix", detail=f"{count} events" + (" with observed-data" if observed else ""))
    return JSONResponse(bundle, media_type=STIX_MEDIA_TYPE)


@router.post("/api/v1/events/stix", status_code=201, response_model=ImportOut, responses=WRITE_ERRORS)
async def import_stix(request: Request, who: Caller, store: StoreDep) -> dict:
    """Import the incidents of a STIX 2.1 bundle as events, under their markings with your organisation as the
    originator; everything is checked first and the good events stored together; objects that cannot be read
    are listed in ``rejected``. Importing the same bundle again stores nothing new."""
    text = (await request.body()).decode("utf-8", errors="replace")
    ids, rejected = contribute_stix(store, who, text, source=f"stix:{who.org}")
    return {"imported": ids, "rejected": rejected}


@router.get("/api/v1/events/{event_id}", response_model=EventView, responses=NOT_FOUND)
def event(event_id: ITEM_ID, who: Caller, store: StoreDep) -> EventView:
    """One event; 404 when it does not exist or you may not see it (the same answer)."""
    return found(store, store.event(who.viewer, event_id), who, f"events/{event_id}")
