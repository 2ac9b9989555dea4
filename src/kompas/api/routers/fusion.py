"""The fused picture (issue 26): ``/api/v1/fusion/picture`` (the events of every domain you may see, filtered, with
the situations they form), ``/api/v1/fusion/situations`` (the situations alone) and
``/api/v1/fusion/picture.geojson`` (events, situation centroids and hulls as GeoJSON). Every answer carries the
markings of the events it used and their combination. Service: :mod:`kompas.services.fusion`; the same as
``kompas intel picture`` and ``kompas intel situations``.

Reading up to 5,000 events and linking them takes up to about a second of one core (the linker's worst case:
benchmarks/fusion_linking.py), so the three routes run behind a gate: two pictures at a time per server process,
one per user, others answered 503 with Retry-After."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kompas.api.deps import NO_NUL, Caller, StoreDep, note
from kompas.api.errors import ERRORS
from kompas.api.schemas import MarkingOut
from kompas.core.envelope import DOMAINS
from kompas.core.gate import Busy, Gate
from kompas.core.shapes import EventView
from kompas.core.store import Account, Store
from kompas.services import fusion as service

router = APIRouter(tags=["fusion"])
GEOJSON_MEDIA_TYPE = "application/geo+json"
HEAVY = Gate("fused pictures", slots=2, wait_s=2.0, per_holder=1)
BUSY: dict[int | str, dict[str, Any]] = {
    503: {"description": "The server is computing as many fused pictures as it allows at once (or you are already "
                         "computing one): retry after Retry-After seconds"}}
TIME_TEXT = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?Z?$"


class FusedEvent(EventView):
    situation_id: Annotated[str | None, Field(description="The situation it belongs to (null: none of at least "
                                                          "min_events events)")]


class ActorCount(BaseModel):
    kind: str
    id: str
    name: str
    events: int = Field(description="How many of the situation's events name it")


class LinkReason(BaseModel, extra="allow"):
    rule: Literal["actor", "place", "country"]
    hours: float = Field(description="Hours between the two events' time spans (0: they overlap)")


class Link(BaseModel):
    a: str = Field(description="An event id (the earlier)")
    b: str = Field(description="An event id")
    reasons: list[LinkReason] = Field(description="Every part of the rule that links them: actor (kind, id, name), "
                                                  "place (km), country (countries)")


class KeptApart(Link):
    why: str


class Centroid(BaseModel):
    lat: float = Field(description="Degrees")
    lon: float = Field(description="Degrees")


class SituationOut(BaseModel):
    id: str = Field(description="Derived from the member ids: the same events give the same id")
    title: str
    size: int
    domains: list[str]
    types: list[str] = Field(description="domain/type of the members")
    actors: list[ActorCount] = Field(description="The actors named, most named first (the first 50)")
    actors_total: int
    countries: list[str] = Field(description="ISO 3166 alpha-2 codes (others as written), most named first")
    countries_total: int
    start_utc: str
    end_utc: str
    severity: Literal["low", "medium", "high"] = Field(description="The highest of its events")
    severities: dict[str, int]
    centroid: Centroid | None = Field(description="Mean direction of its placed events (null: none placed)")
    bbox: list[float] | None = Field(description="lon_min, lat_min, lon_max, lat_max of its placed events (degrees)")
    placed: int = Field(description="Events with a place on Earth")
    hull: dict[str, Any] | None = Field(description="GeoJSON geometry: the convex hull of its events' places (a Point, "
                                                    "LineString or Polygon; null: none placed)")
    event_ids: list[str] = Field(description="Its events, by time")
    links: list[Link] = Field(description="The links that joined its events (one per join)")
    marking: MarkingOut = Field(description="The combination of its events' markings")


class RuleOut(BaseModel):
    km: float
    hours: float
    actor_hours: float | None
    countries: bool
    max_events: int
    text: str


class SituationsOut(BaseModel):
    situations: list[SituationOut] = Field(description="Largest first, then the most recent")
    situations_total: int
    kept_apart: list[KeptApart] = Field(description="Pairs the rule links but that were not joined: their markings "
                                                    "together would be one you could not read (the first 100)")
    kept_apart_total: int
    events_linked: int
    rule: RuleOut
    min_events: int
    rejected: list[dict[str, Any]] = Field(description="Events read that the linker could not use (none expected)")
    events_returned: int
    events_total: int | None = Field(description="Every event matching the filters that you may see (null when "
                                                 "country or actor filters were applied: see truncated)")
    scanned: int = Field(description="Events read from the database")
    truncated: bool = Field(description="More events may match than were used (raise limit or narrow the filters)")
    unplaced: int = Field(description="Events without a place on Earth (on the timeline, not the map)")
    counts: dict[str, dict[str, int]] = Field(description="Events per domain and per severity")
    filters: dict[str, Any]
    markings: list[MarkingOut] = Field(description="The markings of the events used, each once")
    marking: MarkingOut = Field(description="Their combination: the answer's marking")
    banner: str


class PictureOut(SituationsOut):
    events: list[FusedEvent] = Field(description="The events, newest first")


DomainQuery = Annotated[list[Literal[DOMAINS]] | None, Query(  # type: ignore[valid-type]
    alias="domain", max_length=len(DOMAINS), description="Only events of these domains (repeatable)")]
SeverityQuery = Annotated[Literal["low", "medium", "high"] | None, Query(
    description="Only events at or above this severity")]
SinceQuery = Annotated[str | None, Query(max_length=40, pattern=TIME_TEXT, description="Events from this time "
                                         "(UTC, ISO 8601: a day or a day and time), by their best-estimate time")]
UntilQuery = Annotated[str | None, Query(max_length=40, pattern=TIME_TEXT, description="... until before this time")]
CountryQuery = Annotated[list[Annotated[str, Field(min_length=1, max_length=64, pattern=NO_NUL)]] | None, Query(
    alias="country", max_length=service.MAX_COUNTRIES,
    description="Only events concerning one of these countries (ISO 3166 alpha-2, alpha-3 or English name; "
                "repeatable)")]
Region = Literal["baltic", "north-sea", "black-sea", "mediterranean", "eu"]  #: the keys of service.REGIONS
RegionQuery = Annotated[Region | None, Query(
    description="A named region: " + "; ".join(f"{k}: {v[0]}" for k, v in service.REGIONS.items()))]
BboxQuery = Annotated[str | None, Query(max_length=100, pattern=NO_NUL, description="Only events placed in this box: "
                                        "lon_min,lat_min,lon_max,lat_max (degrees)")]
ActorQuery = Annotated[str | None, Query(min_length=1, max_length=200, pattern=NO_NUL, description="Only events "
                                         "naming this actor: its id or name (any case) or kind:id")]
LimitQuery = Annotated[int, Query(ge=1, le=service.MAX_LIMIT, description="Events used at most (newest first)")]
KmQuery = Annotated[float, Query(ge=0, le=2000, description="Rule: places at most this far apart (km, haversine)")]
HoursQuery = Annotated[float, Query(ge=0, le=8760, description="Rule: place and country links within this many "
                                                                "hours")]
ActorHoursQuery = Annotated[float | None, Query(ge=0, le=87600, description="Rule: actor links within this many "
                                                "hours (empty: any time)")]
LinkCountriesQuery = Annotated[bool, Query(description="Rule: link events concerning a common country within hours")]
MinEventsQuery = Annotated[int, Query(ge=1, le=service.MAX_LIMIT, description="Situations of at least this many "
                                                                                 "events")]


class PictureQuery:
    """The filters and the linking rule of the three fused-picture routes (one FastAPI dependency: the same query
    parameters, bounds and defaults for each)."""

    def __init__(self, since: SinceQuery = None, until: UntilQuery = None, domain: DomainQuery = None,
                 severity: SeverityQuery = None, country: CountryQuery = None, region: RegionQuery = None,
                 bbox: BboxQuery = None, actor: ActorQuery = None, limit: LimitQuery = service.DEFAULT_LIMIT,
                 km: KmQuery = 50.0, hours: HoursQuery = 72.0, actor_hours: ActorHoursQuery = 720.0,
                 link_countries: LinkCountriesQuery = True, min_events: MinEventsQuery = 2) -> None:
        self.since, self.until, self.domain, self.severity = since, until, domain, severity
        self.country, self.region, self.bbox, self.actor, self.limit = country, region, bbox, actor, limit
        self.km, self.hours, self.actor_hours, self.link_countries = km, hours, actor_hours, link_countries
        self.min_events = min_events

    def answer(self, store: Store, who: Account) -> dict[str, Any]:
        """The picture's answer for ``who``, computed behind :data:`HEAVY`: 422 naming each filter that cannot be
        used, 503 with Retry-After when the gate stays full."""
        try:
            chosen = service.filters(self.since, self.until, self.domain or (), self.severity, self.country or (),
                                     self.region, self.bbox, self.actor, self.limit)
            linking = service.rule(self.km, self.hours, self.actor_hours, self.link_countries)
        except service.FusionError as error:
            raise HTTPException(422, error.problems) from None
        try:
            with HEAVY.enter(holder=who.user_id):
                return service.build(store, who.viewer, chosen, linking, self.min_events)
        except Busy as busy:
            raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after_s)}) from None


Picture = Annotated[PictureQuery, Depends()]


@router.get("/api/v1/fusion/picture", response_model=PictureOut, responses={**ERRORS, **BUSY})
def fused_picture(who: Caller, store: StoreDep, query: Picture) -> dict:
    """Every event of every domain you may see (space, FIMI, cyber, infrastructure, maritime, intelligence, ...)
    matching the filters, newest first, and the situations they form: events linked when they name the same actor
    (within actor_hours), are placed within km of each other within hours, or concern a common country within
    hours. Each event and situation carries its marking; the answer the combination of the events' markings. 422
    with a list of {field, reason} for filters that cannot be used; 503 with Retry-After when the server is
    computing as many pictures as it allows at once."""
    answer = query.answer(store, who)
    note(store, who, "read", "fusion/picture", detail=f"{answer['events_returned']} events, "
                                                     f"{answer['situations_total']} situations")
    return answer


@router.get("/api/v1/fusion/situations", response_model=SituationsOut, responses={**ERRORS, **BUSY})
def situations(who: Caller, store: StoreDep, query: Picture) -> dict:
    """The situations of the fused picture (the same filters and rule as /api/v1/fusion/picture) without the
    events themselves; marked with the combination of the events they were linked from."""
    answer = query.answer(store, who)
    answer.pop("events")
    note(store, who, "read", "fusion/situations", detail=f"{answer['situations_total']} situations")
    return answer


@router.get("/api/v1/fusion/picture.geojson", response_class=JSONResponse, responses={
    **ERRORS, **BUSY, 200: {"description": "A GeoJSON FeatureCollection (RFC 7946) with the answer's marking",
                            "content": {GEOJSON_MEDIA_TYPE: {"schema": {
                                "type": "object", "required": ["type", "features", "marking"],
                                "properties": {"type": {"const": "FeatureCollection"},
                                               "features": {"type": "array", "items": {"type": "object"}},
                                               "marking": {"type": "object"}}}}}}})
def fused_geojson(who: Caller, store: StoreDep, query: Picture) -> JSONResponse:
    """The fused picture as GeoJSON: a point per placed event, per situation its centroid and the convex hull of
    its events' places (kind: event, situation, situation-hull), each with its marking; the answer's combined
    marking, and how many events have no place on Earth (not in the collection)."""
    collection = service.geojson(query.answer(store, who))
    note(store, who, "export", "fusion/picture.geojson", detail=f"{len(collection['features'])} features")
    return JSONResponse(collection, media_type=GEOJSON_MEDIA_TYPE)
