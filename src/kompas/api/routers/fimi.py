"""FIMI: ``/api/v1/fimi/...``: incidents with filters and pagination, submissions (JSON and STIX 2.1), clusters
and surges of analysis runs, response options, and analysis runs.

Every read goes through :mod:`kompas.core.incidents`, so the access rule applies in the database.
"""

import dataclasses
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import ITEM_ID, MODERN_DAY, NO_NUL, STIX_MEDIA_TYPE, Caller, Day, Limit, StoreDep, found, note
from kompas.api.errors import ERRORS, WRITE_ERRORS
from kompas.api.routers.conjunctions import SortedAfter
from kompas.api.schemas import MarkingIn, RejectionOut
from kompas.core import incidents
from kompas.fimi.incident import ATTRIBUTIONS
from kompas.services import fimi as fimi_service
from kompas.services.reports import default_framework

router = APIRouter(tags=["fimi"])

Tag = Annotated[str | None, Query(min_length=1, max_length=300, pattern=NO_NUL)]
DayCursor = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}\|[0-9a-f-]{36}$",
                                        description="The `next` of the previous page")]
RunId = Annotated[str | None, Query(pattern=r"^[0-9a-f-]{36}$", description="An analysis run (default: the latest)")]
NOT_FOUND = {**ERRORS, 404: {"model": dict}}


class ActorOut(BaseModel):
    name: str
    category: str
    state: str


class ChannelOut(BaseModel):
    name: str
    kind: str
    category: str
    url: str


class TargetOut(BaseModel):
    name: str
    kind: str


class EvidenceOut(BaseModel):
    url: str
    archive_url: str
    date: str


class IncidentOut(BaseModel):
    id: str
    ref: str
    source: str
    title: str
    first_seen: str
    last_seen: str
    summary: str
    actors: list[ActorOut]
    channels: list[ChannelOut]
    languages: list[str]
    targets: list[TargetOut]
    narratives: list[str]
    techniques: list[str]
    evidence: list[EvidenceOut]
    confidence: str
    attribution: str
    merges: list[dict] = Field(description="Later copies of the same case merged into this record: ref, source, "
                                           "reason, contribution, by whom and when")
    created_utc: str
    marking: dict


class IncidentPage(BaseModel):
    items: list[IncidentOut]
    next: str | None = Field(description="Pass as ?after= (with the same sort and filters) for the next page; null on "
                                         "the last page")
    total: int = Field(description="Every incident matching the filters that you may see")


class ExampleOut(BaseModel):
    id: str
    title: str
    first_seen: str


class ClusterOut(BaseModel):
    id: int = Field(description="Cluster number within its run")
    label: str = Field(description="Top terms")
    size: int
    terms: list[str]
    first_seen: str
    last_seen: str
    outlets: list[str]
    languages: list[str]
    examples: list[ExampleOut]
    incident_ids: list[str]
    run_id: str
    since: str
    until: str
    record_id: str
    marking: dict


class ClusterPage(BaseModel):
    items: list[ClusterOut]
    next: str | None


class SurgeEvidenceOut(BaseModel):
    id: str
    title: str
    first_seen: str
    outlets: list[str]
    urls: list[str]


class SurgeOut(BaseModel):
    cluster_id: int
    label: str
    start_utc: str
    end_utc: str
    cases: int
    expected_per_window: float
    score: float = Field(description="-log10 of the Poisson tail probability of the strongest window")
    outlets: list[str]
    languages: list[str]
    targets: list[str]
    evidence: list[SurgeEvidenceOut]
    incident_ids: list[str]
    run_id: str
    record_id: str
    marking: dict


class SurgePage(BaseModel):
    items: list[SurgeOut]
    next: str | None


class ActorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300, pattern=NO_NUL)
    category: Literal[ATTRIBUTIONS] = "unattributed"  # type: ignore[valid-type]
    state: str = Field("", max_length=3, pattern=r"^([A-Z]{3})?$")


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300, pattern=NO_NUL)
    kind: Literal["outlet", "platform", "account"] = "outlet"
    category: Literal[ATTRIBUTIONS] = "unattributed"  # type: ignore[valid-type]
    url: str = Field("", max_length=2000, pattern=r"^(https?://[^\s\x00]+)?$")


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300, pattern=NO_NUL)
    kind: Literal["country", "organisation", "event"] = "country"


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2000, pattern=r"^https?://[^\s\x00]+$")
    archive_url: str = Field("", max_length=2000, pattern=r"^(https?://[^\s\x00]+)?$")
    date: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$")


class IncidentIn(BaseModel):
    """One incident as a member state or agency reports it."""

    model_config = ConfigDict(extra="forbid")
    ref: str = Field("", max_length=500, pattern=NO_NUL, description="Your reference (case URL or id)")
    title: str = Field(min_length=1, max_length=1000, pattern=r"^[^\x00]*\S[^\x00]*$")
    summary: str = Field("", max_length=5000, pattern=NO_NUL)
    first_seen: str = Field(pattern=MODERN_DAY, json_schema_extra={"format": "date"})
    last_seen: str = Field("", pattern=r"^(" + MODERN_DAY[1:-1] + ")?$")
    actors: list[ActorIn] = Field([], max_length=50)
    channels: list[ChannelIn] = Field([], max_length=200)
    languages: list[Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]] = Field([], max_length=50)
    targets: list[TargetIn] = Field([], max_length=100)
    narratives: list[Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)]] = Field([],
                                                                                                  max_length=100)
    techniques: list[Annotated[str, Field(pattern=r"^T\d{4}(\.\d{3})?$")]] = Field([], max_length=100)
    evidence: list[EvidenceIn] = Field([], max_length=200)
    confidence: Literal["low", "medium", "high"] = "medium"


class IngestOut(BaseModel):
    contribution_ids: list[str]
    added: int
    merged: list[dict] = Field(description="Items merged into earlier records of the same case: record id, "
                                           "reason")
    rejected: list[RejectionOut]
    ids: list[str] = Field(description="Record of each accepted item, in order")


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    since: str = Field(pattern=MODERN_DAY, json_schema_extra={"format": "date"})
    until: str = Field(pattern=MODERN_DAY, json_schema_extra={"format": "date"})
    clusters: int | None = Field(None, ge=2, le=1000)


class RunOut(BaseModel):
    run_id: str
    since: str
    until: str
    incidents: int
    clusters: int
    surges: int
    method: str
    marking: dict


class SubmissionIn(BaseModel):
    """Incidents (any number) under one marking."""

    model_config = ConfigDict(extra="forbid")
    incidents: list[IncidentIn | dict[str, Any]] = Field(
        min_length=1, max_length=5000, description="Incidents as IncidentIn describes; each one that does not "
        "validate is listed in `rejected` (its position as `line`, its field) and the others are stored")
    marking: MarkingIn = MarkingIn()


def fimi_day(text: str | None) -> str | None:
    """A date from a request (its form checked by :data:`~kompas.api.deps.MODERN_DAY`), as ``YYYY-MM-DD``; 422
    for a day that does not exist."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise HTTPException(422, f"{text!r} is not a date") from None


def _ingested(results: list[incidents.Ingested]) -> dict:
    return {"contribution_ids": [r.contribution_id for r in results if r.contribution_id],
            "added": sum(r.added for r in results),
            "merged": [{"id": m["id"], "ref": m["ref"], "reason": m["reason"]} for r in results for m in r.merged],
            "rejected": [dataclasses.asdict(x) for r in results for x in r.rejected],
            "ids": [i for r in results for i in r.ids]}


def framework() -> Any:
    """The DISARM framework from the shared data (None without it), read once per process."""
    return default_framework()


@router.get("/api/v1/fimi/incidents", response_model=IncidentPage, responses=ERRORS)
def list_incidents(who: Caller, store: StoreDep, after: SortedAfter = None, limit: Limit = 100,
                   sort: Annotated[Literal["-first_seen", "first_seen"], Query(
                       description="-first_seen: newest first (default); first_seen: oldest first")] = "-first_seen",
                   since: Day = None,
                   until: Day = None, target: Tag = None, language: Tag = None, outlet: Tag = None,
                   technique: Annotated[str | None, Query(pattern=r"^T\d{4}(\.\d{3})?$")] = None,
                   narrative: Tag = None, attribution: Literal[ATTRIBUTIONS] | None = None,  # type: ignore
                   q: Annotated[str | None, Query(min_length=1, max_length=200, pattern=NO_NUL,
                                                  description="Words in the title")] = None) -> dict:
    """FIMI incidents you may see, newest first seen unless ``sort`` says otherwise, with the total matching the
    filters: period, target, language, outlet, DISARM technique, narrative tag (exact, any case), attribution
    category and title words."""
    page = incidents.incidents(store, who.viewer, after, limit, fimi_day(since), fimi_day(until), target, language,
                               outlet, technique, narrative, attribution, q, sort=sort)
    note(store, who, "read", "fimi/incidents")
    return {"items": page.items, "next": page.next, "total": page.total}


@router.post("/api/v1/fimi/incidents", status_code=201, response_model=IngestOut, responses=WRITE_ERRORS)
def submit(body: SubmissionIn, who: Caller, store: StoreDep) -> dict:
    """Submit incidents under a marking (your organisation becomes its only originator). The same case arriving
    again under the same marking is merged into the earlier record and the merge recorded; subscribers to
    ``fimi-incident`` alerts are notified."""
    marking = body.marking.of(who.org)
    items = [i.model_dump() if isinstance(i, IncidentIn) else i for i in body.incidents]
    done = fimi_service.submit(store, who, items, marking, source=f"api:{who.org}")
    return _ingested([done])


@router.get("/api/v1/fimi/incidents/stix", response_class=JSONResponse, responses={
    **ERRORS, 200: {"description": "A STIX 2.1 bundle", "content": {STIX_MEDIA_TYPE: {"schema": {
        "type": "object", "required": ["type", "id", "objects"],
        "properties": {"type": {"const": "bundle"}, "id": {"type": "string"},
                       "objects": {"type": "array", "items": {"type": "object"}}}}}}}})
def incidents_stix(who: Caller, store: StoreDep, since: Day = None, until: Day = None, target: Tag = None,
                   limit: Annotated[int, Query(ge=1, le=20000)] = 1000) -> JSONResponse:
    """The incidents you may see as a STIX 2.1 bundle (incident, attack-pattern, threat-actor, location and
    relationship objects, each with the incident's TLP 2.0 and EU classification markings)."""
    from kompas.core.stix import export_incidents

    items: list[dict] = []
    after = None
    while len(items) < limit:
        page = incidents.incidents(store, who.viewer, after, min(1000, limit - len(items)), fimi_day(since),
                                   fimi_day(until), target)
        items += page.items
        if page.next is None:
            break
        after = page.next
    fw = framework()
    tactics = {t: fw.tactics.get(fw.tactic_of(t), "") for t in fw.techniques} if fw else None
    note(store, who, "export", "fimi/incidents/stix", detail=f"{len(items)} incidents")
    return JSONResponse(export_incidents(items, tactics), media_type=STIX_MEDIA_TYPE)


@router.post("/api/v1/fimi/incidents/stix", status_code=201, response_model=IngestOut, responses=WRITE_ERRORS)
async def import_incidents(request: Request, who: Caller, store: StoreDep) -> dict:
    """Import the incidents of a STIX 2.1 bundle under their own markings, with your organisation as the only
    originator; objects that cannot be read are listed in ``rejected``."""
    text = (await request.body()).decode("utf-8", errors="replace")
    return _ingested(fimi_service.import_stix(store, who, text, source=f"stix:{who.org}"))


@router.get("/api/v1/fimi/incidents/{incident_id}", response_model=IncidentOut, responses=NOT_FOUND)
def one_incident(incident_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """One incident with its merges; 404 when it does not exist or you may not see it (the same answer)."""
    return found(store, incidents.incident(store, who.viewer, incident_id), who, f"fimi/incidents/{incident_id}")


@router.get("/api/v1/fimi/incidents/{incident_id}/response", responses=NOT_FOUND)
def incident_response(incident_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """Candidate responses to one incident: DISARM countermeasures for its techniques per FIMI toolbox
    category, and the EU instruments of each category with the Strategic Compass lines that name them."""
    from kompas.fimi.response import respond

    item = found(store, incidents.incident(store, who.viewer, incident_id), who, f"fimi/incidents/{incident_id}")
    return respond(item["techniques"], framework()).as_json() | {"marking": item["marking"]}


@router.get("/api/v1/fimi/clusters", response_model=ClusterPage, responses=ERRORS)
def list_clusters(who: Caller, store: StoreDep, run_id: RunId = None,
                  after: Annotated[str | None, Query(pattern=r"^\d{1,9}\|\d{1,9}$")] = None, limit: Limit = 100,
                  min_size: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> dict:
    """Narrative clusters of an analysis run that you may see (each marked with the combination of its
    incidents' markings), largest first."""
    page = incidents.clusters(store, who.viewer, run_id, after, limit, min_size)
    note(store, who, "read", "fimi/clusters")
    return {"items": page.items, "next": page.next}


@router.get("/api/v1/fimi/surges", response_model=SurgePage, responses=ERRORS)
def list_surges(who: Caller, store: StoreDep, run_id: RunId = None,
                after: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}T00:00:00Z\|[0-9a-f-]{36}$")]
                = None, limit: Limit = 100, since: Day = None, until: Day = None) -> dict:
    """Coordinated surges of an analysis run that you may see, by start: candidate alerts with their
    evidence."""
    first, last = fimi_day(since), fimi_day(until)
    page = incidents.surges(store, who.viewer, run_id, after, limit, first and f"{first}T00:00:00Z",
                            last and f"{last}T00:00:00Z")
    note(store, who, "read", "fimi/surges")
    return {"items": page.items, "next": page.next}


@router.get("/api/v1/fimi/surges/{surge_id}", response_model=SurgeOut, responses=NOT_FOUND)
def one_surge(surge_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """One surge (``record_id`` of a listing); 404 when it does not exist or you may not see it."""
    return found(store, incidents.surge(store, who.viewer, surge_id), who, f"fimi/surges/{surge_id}")


@router.get("/api/v1/fimi/surges/{surge_id}/response", responses=NOT_FOUND)
def surge_response(surge_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """Candidate responses to a surge: countermeasures for the techniques of its incidents (weighted by
    how many use each) per FIMI toolbox category, with the EU instruments and their citations."""
    from kompas.fimi.response import respond

    item = found(store, incidents.surge(store, who.viewer, surge_id), who, f"fimi/surges/{surge_id}")
    counts = incidents.techniques_of(store, who.viewer, item["incident_ids"])
    return respond(counts, framework()).as_json() | {"marking": item["marking"]}


@router.post("/api/v1/fimi/analyses", status_code=201, response_model=RunOut, responses=ERRORS)
def run(body: RunIn, who: Caller, store: StoreDep) -> dict:
    """Analyse the incidents you may see in [since, until) (days in either order): narrative clusters and
    surges, stored as a run
    (each marked with the combination of its incidents' markings); subscribers to ``fimi-surge`` alerts are
    notified of its surges."""
    try:
        since, until = fimi_service.period(body.since, body.until)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    try:
        done = fimi_service.analyse(store, who.viewer, who.name, since, until, framework(), body.clusters)
    except incidents.TooManyIncidents as error:
        raise HTTPException(422, str(error)) from None
    result = done.analysis
    return {"run_id": done.run_id, "since": since, "until": until, "incidents": len(result.incidents),
            "clusters": result.clustering.k, "surges": len(result.surges), "method": result.clustering.method,
            "marking": done.marking.as_dict()}
