"""Cyber situational awareness (issue 23): ``/api/v1/cyber/incidents`` (share MISP events, STIX 2.1 bundles or
Kompas JSON under their markings; list; one; export as MISP or STIX), ``/api/v1/cyber/sightings`` (members'
sightings merged per indicator, observers named only to who may know them), ``/api/v1/cyber/inventory`` and
``/api/v1/cyber/exposure`` (declared products against CISA's KEV), ``/api/v1/cyber/actors`` (ATT&CK groups as
leads, never attribution). Service: :mod:`kompas.services.cyber`; the same as ``kompas cyber``."""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kompas.api.deps import ITEM_ID, Caller, StoreDep, found, note
from kompas.api.errors import ERRORS, NOT_FOUND, WRITE_ERRORS
from kompas.api.schemas import MarkingIn, MarkingOut
from kompas.core.gate import Busy, Gate
from kompas.core.markings import Marking
from kompas.cyber.model import IncidentError, sighting_from_dict
from kompas.services import cyber as service

router = APIRouter(tags=["cyber"])
#: The picture (up to 20,000 incidents) and candidate campaigns (pairwise, up to 300 incidents) are the heavy reads:
#: one at a time per server process, others answered 503 with Retry-After (the report, a job, runs ungated).
HEAVY = Gate("cyber pictures and campaign linkings", slots=1, wait_s=2.0)
BUSY: dict[int | str, dict[str, Any]] = {
    503: {"description": "Another picture or linking is being computed: retry after Retry-After seconds"}}


def _gated(work: Callable[[], dict]) -> dict:
    try:
        with HEAVY.enter():
            return work()
    except Busy as busy:
        raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after_s)}) from None
#: :data:`kompas.cyber.model.OBSERVABLE_TYPES` (a test keeps the two equal).
ObservableType = Literal["ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "md5", "sha1", "sha256",
                         "sha512", "file-name", "mac-addr", "autonomous-system", "mutex", "windows-registry-key",
                         "vulnerability"]
STIX_MEDIA = "application/stix+json;version=2.1"
DAY = r"^(19[5-9]\d|20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


def _day(text: str, name: str) -> dt.date:
    """A date the pattern let through that the calendar may not have (2026-02-30): 422 naming the parameter."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise HTTPException(422, f"{name}: {text} is not a calendar day") from None


class IngestOut(BaseModel):
    source: str
    format: str
    added: list[str] = Field(description="Incidents shared (their ids, also platform event ids)")
    replaced: list[str] = Field(description="Incidents shared before under the same marking, now updated")
    sightings: int
    rejected: list[dict[str, Any]] = Field(description="Each refused record: source, item, field, reason, value")
    notes: list[str]


@router.post("/api/v1/cyber/incidents", status_code=201, response_model=IngestOut, responses=WRITE_ERRORS)
async def ingest(request: Request, who: Caller, store: StoreDep,
                 format_: Annotated[Literal["misp", "stix", "json"] | None, Query(
                     alias="format", description="Default: recognised from the content")] = None,
                 classification: Annotated[Literal["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET",
                                                   "TOP_SECRET"], Query(
                     description="For Kompas JSON records naming no marking")] = "UNCLASSIFIED",
                 tlp: Annotated[Literal["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"], Query(
                     description="For Kompas JSON records naming no marking")] = "AMBER") -> dict:
    """Share the incidents and sightings of a MISP event file, a STIX 2.1 bundle or Kompas incident JSON (the
    body) under their own markings (MISP tags, STIX marking definitions), your organisation as originator; each
    incident also becomes a platform event (domain cyber). Records that cannot be read or marked are listed in
    ``rejected`` with their item, field and reason; the others are shared. Audited."""
    text = (await request.body()).decode("utf-8", errors="replace")
    done = service.ingest(store, who, text, f"api:{who.org}", format_,
                          Marking.build(classification, tlp, originator=who.org))
    return done.as_dict()


class IncidentsOut(BaseModel):
    items: list[dict[str, Any]] = Field(description="Incidents (Kompas JSON) with their marking, who shared them "
                                                    "and their NIS2 clocks now")
    next: str | None = Field(description="The next page: pass as after")
    marking: MarkingOut = Field(description="Combination of the incidents' markings")


@router.get("/api/v1/cyber/incidents", response_model=IncidentsOut, responses=ERRORS)
def incidents(who: Caller, store: StoreDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              after: Annotated[str | None, Query(pattern=r"^\d{4}-\d\d-\d\d\|[0-9a-fA-F-]{36}$",
                                                 description="The next page (from the previous answer)")] = None,
              rsit_class: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z-]+$")] = None,
              sector: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9-]+$")] = None,
              member_state: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
              since: Annotated[str | None, Query(pattern=DAY)] = None,
              until: Annotated[str | None, Query(pattern=DAY)] = None) -> dict:
    """The shared incidents you may see, newest first, filtered by RSIT class, NIS2 sector, affected member state
    and date, each with its NIS2 reporting clocks (early warning 24 h, notification 72 h, final report one month)."""
    cursor = tuple(after.split("|")) if after else None
    listed = service.incident_list(store, who.viewer, limit, after=cursor, rsit_class=rsit_class, sector=sector,
                                   member_state=member_state, since=since, until=until)
    items = listed["items"]
    note(store, who, "read", "cyber/incidents", detail=f"{len(items)} incidents")
    return listed | {"next": f"{items[-1]['date']}|{items[-1]['id']}" if len(items) == limit else None}


@router.get("/api/v1/cyber/incidents/{incident_id}", responses=NOT_FOUND)
def incident(incident_id: ITEM_ID, who: Caller, store: StoreDep) -> dict:
    """One shared incident (404 when it does not exist or you may not see it)."""
    listed = service.incident_list(store, who.viewer, 1, ids=[incident_id])["items"]
    return found(store, listed[0] if listed else None, who, f"cyber/incidents/{incident_id}")


@router.get("/api/v1/cyber/incidents/{incident_id}/export", response_class=JSONResponse,
            responses={**NOT_FOUND, 200: {"content": {"application/json": {}, STIX_MEDIA: {}}}})
def export(incident_id: ITEM_ID, who: Caller, store: StoreDep,
           format_: Annotated[Literal["misp", "stix"], Query(alias="format")] = "stix") -> JSONResponse:
    """The incident as you may see it, as a MISP event or a STIX 2.1 bundle carrying its markings (MISP tags, STIX
    marking definitions) and the sightings you may see (observers you may not know left out)."""
    done = service.export(store, who.viewer, [incident_id], format_)
    if done is None:
        raise HTTPException(404, "not found")
    data, marking = done
    note(store, who, "export", f"cyber/incidents/{incident_id}", detail=f"{format_}, {marking.banner()}")
    return JSONResponse(data, media_type=STIX_MEDIA if format_ == "stix" else "application/json",
                        headers={"X-Kompas-Marking": marking.banner()})


class SightingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: ObservableType = Field(description="Observable type")
    value: str = Field(max_length=2048)
    first_seen_utc: str = Field(max_length=40)
    last_seen_utc: str | None = Field(None, max_length=40)
    count: int = Field(1, ge=1, le=10**9)
    kind: Literal["sighting", "true-positive", "false-positive", "expiration"] = Field(
        "sighting", description="sighting and true-positive count as seen; the others are counted apart")
    source: str = Field("", max_length=200, description="What saw it (a sensor, a SIEM)")


class SightingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sightings: list[SightingIn] = Field(min_length=1, max_length=1000)
    marking: MarkingIn = Field(description="The sightings' marking (who may count them)")
    observer_marking: MarkingIn | None = Field(None, description="Who may know that your organisation saw them "
                                                                 "(default: your organisation only)")


@router.post("/api/v1/cyber/sightings", status_code=201, responses=WRITE_ERRORS)
def record_sightings(body: SightingsIn, who: Caller, store: StoreDep) -> dict:
    """Record your organisation's sightings ("we saw it too") under your marking; your name as observer under
    ``observer_marking`` (default: releasable to your organisation only). Audited."""
    try:
        sightings = [sighting_from_dict(s.model_dump()) for s in body.sightings]
    except IncidentError as error:
        raise HTTPException(422, str(error)) from None
    ids = service.record_sightings(store, who, sightings, body.marking.of(who.org),
                                   None if body.observer_marking is None else body.observer_marking.of(who.org))
    return {"recorded": len(ids)}


@router.get("/api/v1/cyber/sightings", responses=ERRORS)
def sightings(who: Caller, store: StoreDep,
              type_: Annotated[ObservableType | None, Query(alias="type")] = None,
              value: Annotated[str | None, Query(max_length=2048)] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              since: Annotated[str | None, Query(pattern=DAY, description="Seen on or after this day")] = None,
              until: Annotated[str | None, Query(pattern=DAY, description="Seen on or before this day")] = None
              ) -> dict:
    """Sightings merged per indicator as you may see them (one indicator with ``type`` and ``value``; else the
    most recently sighted), those overlapping [since, until] when given: count of what was seen, counts per kind,
    first and last seen, the observers you may know, how many are undisclosed."""
    if (type_ is None) != (value is None):
        raise HTTPException(422, "give type and value together")
    for day, name in ((since, "since"), (until, "until")):
        if day is not None:
            _day(day, name)
    keys = [(type_, value)] if type_ is not None and value is not None else None
    items = service.indicators(store, who.viewer, keys, limit, since, until)
    note(store, who, "read", "cyber/sightings", detail=f"{len(items)} indicators")
    return {"items": items}


class InventoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    csv: str = Field(max_length=service.MAX_INVENTORY_BYTES, description="The Kompas inventory CSV: member, cpe, "
                                                                         "declared[, assets, criticality, note]")
    marking: MarkingIn = Field(description="The declaration's marking (an inventory tells where to attack)")


@router.post("/api/v1/cyber/inventory", status_code=201, responses=WRITE_ERRORS)
def declare(body: InventoryIn, who: Caller, store: StoreDep) -> dict:
    """Declare your organisation's products (CPE 2.3) under your marking, replacing your declaration under that
    marking; rows of other members and bad rows are listed in ``rejected``."""
    count, rejected = service.declare_inventory(store, who, body.csv, f"api:{who.org}",
                                                body.marking.of(who.org))
    return {"declared": count, "rejected": [r.as_dict() for r in rejected]}


@router.get("/api/v1/cyber/exposure", responses=ERRORS)
def exposure(who: Caller, store: StoreDep, as_of: Annotated[str | None, Query(pattern=DAY)] = None,
             member: Annotated[str | None, Query(max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")] = None
             ) -> dict:
    """Exposure to CISA's Known Exploited Vulnerabilities of the declarations you may see: per member and in
    aggregate, marked with their combination. Every match is "potentially exposed - verify the version"."""
    report = service.exposure_view(store, who.viewer, _day(as_of, "as_of") if as_of else None, member)
    note(store, who, "read", "cyber/exposure", detail=f"{report['declarations']} declarations")
    return report


@router.get("/api/v1/cyber/actors", responses=ERRORS)
def actors(who: Caller, store: StoreDep,
           techniques: Annotated[str, Query(max_length=4000, description="ATT&CK ids, comma-separated")] = "",
           software: Annotated[str, Query(max_length=4000, description="Malware or tool names or S-ids, "
                                                                       "comma-separated")] = "",
           limit: Annotated[int, Query(ge=1, le=100)] = 10, campaigns: bool = False) -> dict:
    """ATT&CK groups (or campaigns) ranked by overlap with the techniques and software given: an analyst's lead,
    never an attribution (member states record those)."""
    ranking = service.actors(techniques.split(","), software.split(","), limit, campaigns)
    note(store, who, "read", "cyber/actors")
    return ranking


@router.get("/api/v1/cyber/picture", responses={**ERRORS, **BUSY})
def picture(who: Caller, store: StoreDep, since: Annotated[str, Query(pattern=DAY)],
            until: Annotated[str, Query(pattern=DAY)], incidents: bool = False) -> dict:
    """The cyber picture over [since, until] (at most 366 days) from what you may see: incidents by NIS2 sector,
    member state, RSIT class and week, the NIS2 clocks, surges, techniques and software, the indicators most
    sighted, the exposure aggregate, the EU cyber sanctions and the ATT&CK groups they concern; with
    ``incidents=true`` the incidents too. Marked with the combination of everything used."""
    first, last = _day(since, "since"), _day(until, "until")
    if not 0 <= (last - first).days <= 366:
        raise HTTPException(422, "until must be on or after since, at most 366 days later")
    found = _gated(lambda: service.picture_view(store, who.viewer, since, until))
    note(store, who, "read", "cyber/picture", detail=f"{found['incidents']} incidents")
    return found if incidents else {k: v for k, v in found.items() if k != "incident_list"}


@router.get("/api/v1/cyber/campaigns", responses={**ERRORS, **BUSY})
def campaigns(who: Caller, store: StoreDep, since: Annotated[str, Query(pattern=DAY)],
              until: Annotated[str, Query(pattern=DAY)],
              threshold: Annotated[float, Query(gt=0, le=1, description="Similarity to link two incidents")] = 0.4,
              limit: Annotated[int, Query(ge=2, le=service.MAX_LINKED, description="Newest incidents compared")
                               ] = service.MAX_LINKED) -> dict:
    """Candidate campaigns among the incidents you may see in [since, until]: incidents of any member linked by
    shared techniques, software and infrastructure, each with the ATT&CK groups its pooled evidence points to. An
    analyst's lead, never an attribution."""
    if _day(until, "until") < _day(since, "since"):
        raise HTTPException(422, "until is before since")
    found = _gated(lambda: service.campaigns(store, who.viewer, since, until, threshold, limit))
    note(store, who, "read", "cyber/campaigns", detail=f"{len(found['candidates'])} candidates")
    return found
