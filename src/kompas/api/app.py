"""The Kompas HTTP API (FastAPI; OpenAPI 3 spec at ``/openapi.json``, interactive docs at ``/docs``).

Thin adapter: authenticate, validate, call the store, audit, format. Every request with a body is size-limited,
every caller rate-limited per token, every failure answered with JSON ``{"detail": ...}`` and an HTTP status,
never a stack trace. Authentication is a bearer token (stored hashed) resolved by :func:`account`; an OIDC
provider can replace it by resolving the token to an :class:`~kompas.core.store.Account` the same way.
"""


import logging
import os
import threading
import time
from datetime import date, timedelta
from typing import Annotated, Literal

import numpy as np
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from kompas.api import fimi as fimi_routes
from kompas.api.schemas import RejectionOut
from kompas.core import alerts, audit
from kompas.core import picture as picture_module
from kompas.core.db import make_engine
from kompas.core.markings import Marking, MarkingError, combine
from kompas.core.stix import export_events
from kompas.core.store import Account, Store, StoreError

log = logging.getLogger("kompas.api")
MAX_BODY_BYTES = int(os.environ.get("KOMPAS_MAX_BODY_BYTES", 16 * 1024 * 1024))
RATE_PER_S = float(os.environ.get("KOMPAS_RATE_PER_S", 50))
RATE_BURST = float(os.environ.get("KOMPAS_RATE_BURST", 200))
TIME = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$"
DAY = r"^\d{4}-\d{2}-\d{2}$"
#: Dates and times for computations (reports, tracks): the years 1900-2199, where the calendar arithmetic and
#: SGP4's time scales hold.
MODERN_DAY = r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
MODERN_TIME = r"^(19|20|21)\d{2}" + TIME[len(r"^\d{4}"):]
TIME_CURSOR = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z\|[0-9a-f-]{36}$"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
NORAD = Annotated[int, Field(ge=1, le=999_999_999)]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL characters; no Kompas format contains them
CONTENT = Annotated[str, Field(max_length=MAX_BODY_BYTES, pattern=NO_NUL)]
ITEM_ID = Annotated[str, Path(pattern=r"^[0-9a-fA-F-]{1,36}$", description="An id a listing returned")]

# --- request and response models ------------------------------------------------------------------------------


class MarkingIn(BaseModel):
    """A contributor's marking. The contributor's organisation is added as originator (and to
    ``releasable_to`` when a list is given)."""

    model_config = ConfigDict(extra="forbid")
    classification: Literal["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP_SECRET"] = "UNCLASSIFIED"
    tlp: Literal["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"] = "AMBER"
    releasable_to: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")]] | None = Field(
        None, max_length=100, description="Organisation or country codes; null: no releasability restriction")
    communities: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]] = Field([], max_length=50)
    caveats: list[Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9 _.-]+$")]] = Field(
        [], max_length=10)


class MarkingOut(BaseModel):
    classification: str
    tlp: str
    releasable_to: list[str] | None
    communities: list[list[str]]
    originators: list[str]
    caveats: list[str]
    banner: str


class ElementsIn(BaseModel):
    """Element sets (any number) in one text."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["elements"]
    format: Literal["tle", "omm-xml", "omm-json", "omm-kvn", "omm-csv"]
    content: CONTENT
    marking: MarkingIn


class CDMIn(BaseModel):
    """One CCSDS conjunction data message (KVN or XML)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["cdm"]
    format: Literal["cdm-kvn", "cdm-xml"]
    content: CONTENT
    marking: MarkingIn


class DocumentIn(BaseModel):
    """A document: assessment, report, note; or ``supply-csv``, supply-chain shares for the Observatory in the
    Kompas supply CSV (rows that do not parse are listed in ``rejected``)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["document"]
    format: Literal["text", "markdown", "html", "supply-csv"]
    title: str = Field(min_length=1, max_length=300, pattern=r"^[^\x00]*\S[^\x00]*$")
    content: CONTENT
    marking: MarkingIn


ContributionIn = Annotated[ElementsIn | CDMIn | DocumentIn, Field(discriminator="kind")]


class ContributionOut(BaseModel):
    id: str
    accepted: int
    rejected: list[RejectionOut]


class ObjectOut(BaseModel):
    norad_id: int
    newest_epoch_utc: str
    name: str
    element_sets: int


class ElementSetOut(BaseModel):
    id: str
    norad_id: int
    epoch_utc: str
    name: str
    omm: dict
    contribution_id: str
    marking: MarkingOut


class ConjunctionOut(BaseModel):
    id: str
    primary_id: int
    secondary_id: int
    tca_utc: str
    miss_km: float
    v_rel_km_s: float
    rtn_km: list[float]
    label: str
    pc: float | None = Field(None, description="Foster Pc with the default element-set covariance")
    has_cdm: bool = Field(False, description="Whether /conjunctions/{id}/cdm has its CCSDS CDM")
    marking: MarkingOut


class EventOut(BaseModel):
    id: str
    kind: str
    time_utc: str
    norad_ids: list[int]
    title: str
    detail: dict
    source: str
    marking: MarkingOut


class CDMOut(BaseModel):
    id: str
    message_id: str
    originator: str
    tca_utc: str
    object1_id: int
    object2_id: int
    miss_m: float | None
    pc: float | None
    format: str
    marking: MarkingOut
    content: str | None = Field(None, description="The message text (single-message reads only)")


class DocumentOut(BaseModel):
    id: str
    title: str
    media_type: str
    created_utc: str
    marking: MarkingOut
    content: str | None = Field(None, description="The text (single-document reads only)")


class CDMPage(BaseModel):
    items: list[CDMOut]
    next: str | None


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    next: str | None


class ObjectPage(BaseModel):
    items: list[ObjectOut]
    next: str | None = Field(description="Pass as ?after= for the next page; null on the last page")


class ConjunctionPage(BaseModel):
    items: list[ConjunctionOut]
    next: str | None


class EventPage(BaseModel):
    items: list[EventOut]
    next: str | None


def _not_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("must be an integer, not true or false")
    return value


Count = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=1000)]


class AlertRules(BaseModel):
    """Which alerts a subscription wants beyond its kinds: watched targets (an incident or surge matches when it
    targets one of them, any case) and, for FIMI surges, a least number of outlets or languages."""

    model_config = ConfigDict(extra="forbid")
    targets: list[Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]] | None = Field(
        None, min_length=1, max_length=100)
    min_outlets: Count | None = None
    min_languages: Count | None = None


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(pattern=r"^https?://[^\s\x00]{1,490}$")
    kinds: list[Literal["conjunction", "event", "fimi-incident", "fimi-surge"]] = Field(min_length=1, max_length=4)
    rules: AlertRules | None = None


class SubscriptionOut(BaseModel):
    id: str
    url: str
    kinds: list[str]
    rules: dict | None = None
    created_utc: str
    secret: str | None = Field(None, description="HMAC-SHA256 key for X-Kompas-Signature; returned once")


class MarkingItem(BaseModel):
    """A marking as the API returns it (``banner`` ignored)."""

    model_config = ConfigDict(extra="ignore")
    classification: Literal["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP_SECRET"]
    tlp: Literal["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"] = "AMBER"
    releasable_to: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")]] | None = Field(
        None, max_length=100)
    communities: list[list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]]] = Field([], max_length=50)
    originators: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")]] = Field([], max_length=100)
    caveats: list[Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9 _.-]+$")]] = Field(
        [], max_length=10)


class MarkingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    markings: list[MarkingItem] = Field(min_length=1, max_length=2000,
                                        description="Markings as the API returns them")


class PictureObject(BaseModel):
    norad_id: int
    name: str
    role: Literal["asset", "related", "object"]
    period_min: float | None = Field(description="Orbital period of the newest element set, minutes")


class Marker(BaseModel):
    kind: Literal["conjunction", "event"]
    id: str
    time_utc: str
    label: str
    lat: float
    lon: float
    alt_km: float


class PictureOut(BaseModel):
    start_utc: str
    minutes: int
    objects: list[PictureObject]
    markers: list[Marker]
    markings: list[MarkingOut]


class TrackOut(BaseModel):
    norad_id: int
    lat: list[float | None]
    lon: list[float | None]
    alt_km: list[float | None]


class TracksOut(BaseModel):
    times_utc: list[str]
    tracks: list[TrackOut]
    markings: list[MarkingOut]


class SeriesOut(BaseModel):
    times_utc: list[str]
    distance_km: list[float | None]
    markings: list[MarkingOut]


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
    evidence: str = Field(min_length=1, max_length=4000, pattern=NO_NUL)
    as_of: str = Field(pattern=DAY, json_schema_extra={"format": "date"},
                       description="The date the evidence speaks for, YYYY-MM-DD")
    marking: MarkingIn = MarkingIn()


class ImportOut(BaseModel):
    imported: list[str]
    rejected: list[dict]


class Problem(BaseModel):
    detail: str | list


ERRORS = {400: {"model": Problem, "description": "Body that cannot be parsed"},
          401: {"model": Problem, "description": "Missing or unknown bearer token"},
          413: {"model": Problem, "description": "Body too large"},
          422: {"model": Problem, "description": "Request that does not validate"},
          429: {"model": Problem, "description": "Over the token's rate limit (see Retry-After)"}}
WRITE_ERRORS = {**ERRORS, 403: {"model": Problem, "description": "A marking you may not give (above your "
                                                                 "clearance, or one you could not see yourself)"}}

# --- limits ------------------------------------------------------------------------------------------------------


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with 413 (declared or streamed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _too_large(self.limit, send)
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(self.limit, send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(limit: int, send: Send) -> None:
    body = f'{{"detail":"request body over {limit} bytes"}}'.encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """Token bucket per key: ``rate`` requests per second sustained, ``burst`` at once (in-process)."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def wait_s(self, key: str) -> float:
        """0 when a request may proceed now (and take a token), else seconds until it may."""
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self.buckets[key] = (tokens - 1, now)
                return 0.0
            self.buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate


# --- the application ---------------------------------------------------------------------------------------------


def create_app(engine: Engine | str | None = None, rate_per_s: float = RATE_PER_S,
               burst: float = RATE_BURST) -> FastAPI:
    """The API on ``engine`` (an Engine or database URL; default :func:`kompas.core.db.database_url`)."""
    engine = engine if isinstance(engine, Engine) else make_engine(engine)
    store = Store(engine)
    limiter = RateLimiter(rate_per_s, burst)
    bearer = HTTPBearer(auto_error=False, description="API token from `kompas admin add-user`")
    app = FastAPI(title="Kompas", version="0.1.0", description=__doc__,
                  responses={500: {"model": Problem, "description": "Internal error (details in the server log)"}})
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.state.store = store

    def account(request: Request,
                credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Account:
        """The caller, from the bearer token; 401 (and an audited denial) otherwise; 429 over the rate."""
        token = credentials.credentials if credentials else ""
        found = store.authenticate(token) if token else None
        if found is None:
            audit.append(engine, "anonymous", "authenticate", request.url.path, "denied",
                         "missing token" if not token else "unknown token")
            raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})
        wait = limiter.wait_s(found.name)
        if wait > 0:
            audit.append(engine, found.name, "rate-limit", request.url.path, "denied", f"retry after {wait:.2f} s")
            raise HTTPException(429, "too many requests", headers={"Retry-After": str(max(1, round(wait)))})
        return found

    Caller = Annotated[Account, Depends(account)]

    def note(who: Account, action: str, target: str, outcome: str = "ok", detail: str = "") -> None:
        audit.append(engine, who.name, action, target, outcome, detail)

    @app.exception_handler(StoreError)
    async def refused(_request: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=422)

    @app.exception_handler(MarkingError)
    async def forbidden(_request: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=403)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = dict(error.headers or {})
        if error.status_code == 405:  # list every method of the path, not only those of the first route
            methods = {m for r in app.routes if isinstance(r, APIRoute) and r.path_regex.match(request.url.path)
                       for m in r.methods}
            headers["Allow"] = ", ".join(sorted(methods))
        return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                   for e in error.errors()]
        return JSONResponse({"detail": details}, status_code=422)

    @app.exception_handler(Exception)
    async def crashed(request: Request, error: Exception) -> JSONResponse:
        log.exception("error serving %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error; the server log has the details"}, status_code=500)

    @app.post("/api/v1/contributions", status_code=201, response_model=ContributionOut, responses=WRITE_ERRORS,
              tags=["contributions"])
    def contribute(body: ContributionIn, who: Caller) -> dict:
        """Contribute element sets, a CDM or a document under a marking. Good records are stored, each bad one
        is listed in ``rejected`` with its line, field and reason (the same rule as `kompas space ingest`)."""
        m = body.marking
        marking = Marking.build(m.classification, m.tlp, m.releasable_to, m.communities, who.org, m.caveats)
        source = f"api:{who.name}"
        try:
            if isinstance(body, ElementsIn):
                done = store.contribute_elements(who, body.content, body.format, marking, source)
            elif isinstance(body, CDMIn):
                done = store.contribute_cdm(who, body.content, body.format, marking, source)
            else:
                done = store.contribute_document(who, body.content, body.format, body.title, marking, source)
        except (StoreError, MarkingError) as error:
            note(who, "contribute", body.format, "rejected", str(error))
            raise
        note(who, "contribute", done.id, "ok", f"{done.accepted} accepted, {len(done.rejected)} rejected")
        return {"id": done.id, "accepted": done.accepted,
                "rejected": [{"source": r.source, "line": r.line, "field": r.field, "reason": r.reason,
                              "value": r.value} for r in done.rejected]}

    Limit = Annotated[int, Query(ge=1, le=1000)]
    After = Annotated[str | None, Query(pattern=TIME_CURSOR, description="Cursor: the previous page's `next`")]
    ObjectAfter = Annotated[str | None, Query(pattern=r"^\d{1,9}$", description="Cursor: the previous page's "
                                                                               "`next`")]
    Time = Annotated[str | None, Query(pattern=TIME, description="UTC time, e.g. 2026-05-05T00:00:00Z")]

    @app.get("/api/v1/objects", response_model=ObjectPage, responses=ERRORS, tags=["objects"])
    def objects(who: Caller, after: ObjectAfter = None, limit: Limit = 100,
                name: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None) -> dict:
        """Objects with at least one element set you may see, by NORAD id."""
        page = store.objects(who.viewer, after=after, limit=limit, name=name)
        note(who, "read", "objects")
        return {"items": page.items, "next": page.next}

    @app.get("/api/v1/objects/{norad_id}/elements", response_model=list[ElementSetOut], responses=ERRORS,
             tags=["objects"])
    def elements(norad_id: NORAD, who: Caller, limit: Limit = 100) -> list[dict]:
        """The element sets of one object you may see, newest epoch first (an empty list otherwise)."""
        found = store.element_sets(who.viewer, norad_id, limit)
        note(who, "read", f"objects/{norad_id}/elements", detail=f"{len(found)} element sets")
        return found

    @app.get("/api/v1/conjunctions", response_model=ConjunctionPage, responses=ERRORS, tags=["conjunctions"])
    def conjunctions(who: Caller, after: After = None, limit: Limit = 100, norad_id: NORAD | None = None,
                     since: Time = None, until: Time = None,
                     max_miss_km: Annotated[float | None, Query(gt=0, le=1e6)] = None) -> dict:
        """Conjunctions you may see, by TCA: optionally one object's, in a TCA window, under a miss distance."""
        page = store.conjunctions(who.viewer, after, limit, norad_id, _stored_time(since), _stored_time(until),
                                  max_miss_km)
        note(who, "read", "conjunctions")
        return {"items": page.items, "next": page.next}

    @app.get("/api/v1/conjunctions/{conjunction_id}", response_model=ConjunctionOut,
             responses={**ERRORS, 404: {"model": Problem}}, tags=["conjunctions"])
    def conjunction(conjunction_id: ITEM_ID, who: Caller) -> dict:
        """One conjunction; 404 when it does not exist or you may not see it (the same answer)."""
        return _found(store.conjunction(who.viewer, conjunction_id), who, f"conjunctions/{conjunction_id}")

    @app.get("/api/v1/cdms", response_model=CDMPage, responses=ERRORS, tags=["cdms"])
    def cdms(who: Caller, after: After = None, limit: Limit = 100, norad_id: NORAD | None = None,
             since: Time = None, until: Time = None) -> dict:
        """Contributed CDMs you may see, by TCA: optionally one object's, in a TCA window."""
        page = store.cdms(who.viewer, after, limit, norad_id, _stored_time(since), _stored_time(until))
        note(who, "read", "cdms")
        return {"items": page.items, "next": page.next}

    @app.get("/api/v1/cdms/{cdm_id}", response_model=CDMOut, responses={**ERRORS, 404: {"model": Problem}},
             tags=["cdms"])
    def one_cdm(cdm_id: ITEM_ID, who: Caller) -> dict:
        """One CDM with its text; 404 when it does not exist or you may not see it (the same answer)."""
        return _found(store.cdm(who.viewer, cdm_id), who, f"cdms/{cdm_id}")

    @app.get("/api/v1/documents", response_model=DocumentPage, responses=ERRORS, tags=["documents"])
    def documents(who: Caller, after: After = None, limit: Limit = 100) -> dict:
        """Documents you may see, oldest first."""
        page = store.documents(who.viewer, after, limit)
        note(who, "read", "documents")
        return {"items": page.items, "next": page.next}

    @app.get("/api/v1/documents/{document_id}", response_model=DocumentOut,
             responses={**ERRORS, 404: {"model": Problem}}, tags=["documents"])
    def one_document(document_id: ITEM_ID, who: Caller) -> dict:
        """One document with its text; 404 when it does not exist or you may not see it (the same answer)."""
        return _found(store.document(who.viewer, document_id), who, f"documents/{document_id}")

    @app.get("/api/v1/events", response_model=EventPage, responses=ERRORS, tags=["events"])
    def events(who: Caller, after: After = None, limit: Limit = 100,
               kind: Annotated[str | None, Query(max_length=32, pattern=NO_NUL)] = None, norad_id: NORAD | None = None,
               since: Time = None, until: Time = None) -> dict:
        """Events you may see, by time: optionally of one kind, one object, in a time window."""
        page = store.events(who.viewer, after, limit, kind, norad_id, _stored_time(since), _stored_time(until))
        note(who, "read", "events")
        return {"items": page.items, "next": page.next}

    @app.get("/api/v1/events/stix", tags=["events"], response_class=JSONResponse, responses={
        **ERRORS, 200: {"description": "A STIX 2.1 bundle", "content": {STIX_MEDIA_TYPE: {"schema": {
            "type": "object", "required": ["type", "id", "objects"],
            "properties": {"type": {"const": "bundle"}, "id": {"type": "string"},
                           "objects": {"type": "array", "items": {"type": "object"}}}}}}}})
    def events_stix(who: Caller, kind: Annotated[str | None, Query(max_length=32, pattern=NO_NUL)] = None,
                    norad_id: NORAD | None = None, since: Time = None, until: Time = None,
                    limit: Annotated[int, Query(ge=1, le=10000)] = 1000) -> JSONResponse:
        """The events you may see as a STIX 2.1 bundle (incidents with TLP 2.0 and EU classification markings)."""
        items, after = [], None
        while len(items) < limit:
            page = store.events(who.viewer, after, min(1000, limit - len(items)), kind, norad_id,
                                _stored_time(since), _stored_time(until))
            items += page.items
            if page.next is None:
                break
            after = page.next
        note(who, "export", "events/stix", detail=f"{len(items)} events")
        return JSONResponse(export_events(items), media_type=STIX_MEDIA_TYPE)

    @app.post("/api/v1/events/stix", status_code=201, response_model=ImportOut, responses=WRITE_ERRORS,
              tags=["events"])
    async def import_stix(request: Request, who: Caller) -> dict:
        """Import the incidents of a STIX 2.1 bundle as events, under their markings (yours added as
        originator); objects that cannot be read are listed in ``rejected``."""
        text = (await request.body()).decode("utf-8", errors="replace")
        ids, rejected = store.import_events(who, text, source=f"stix:{who.name}")
        note(who, "import", "events/stix", "ok" if not rejected else "rejected",
             f"{len(ids)} imported, {len(rejected)} rejected")
        alerts.deliver(store, "event", ids)
        return {"imported": ids, "rejected": rejected}

    @app.get("/api/v1/events/{event_id}", response_model=EventOut, responses={**ERRORS, 404: {"model": Problem}},
             tags=["events"])
    def event(event_id: ITEM_ID, who: Caller) -> dict:
        """One event; 404 when it does not exist or you may not see it (the same answer)."""
        return _found(store.event(who.viewer, event_id), who, f"events/{event_id}")

    @app.post("/api/v1/subscriptions", status_code=201, response_model=SubscriptionOut, responses=ERRORS,
              tags=["alerts"])
    def subscribe(body: SubscriptionIn, who: Caller) -> dict:
        """Subscribe a webhook to alerts. Deliveries are POSTs signed ``X-Kompas-Signature: sha256=<HMAC>``
        with the returned secret, and carry only items you may see."""
        rules = body.rules.model_dump(exclude_none=True) if body.rules else None
        created = alerts.subscribe(store, who, body.url, body.kinds, rules)
        note(who, "subscribe", created["id"], detail=body.url)
        return created

    @app.get("/api/v1/subscriptions", response_model=list[SubscriptionOut], responses=ERRORS, tags=["alerts"])
    def list_subscriptions(who: Caller) -> list[dict]:
        """Your subscriptions (secrets are not shown again)."""
        note(who, "read", "subscriptions")
        return alerts.subscriptions(store, who)

    @app.delete("/api/v1/subscriptions/{subscription_id}", status_code=204,
                responses={**ERRORS, 404: {"model": Problem}}, tags=["alerts"])
    def unsubscribe(subscription_id: ITEM_ID, who: Caller) -> None:
        """Delete one of your subscriptions."""
        if not alerts.unsubscribe(store, who, subscription_id):
            note(who, "unsubscribe", subscription_id, "denied", "no such subscription of yours")
            raise HTTPException(404, "no such subscription")
        note(who, "unsubscribe", subscription_id)

    @app.get("/api/v1/commitments", response_model=list[CommitmentOut], responses=ERRORS, tags=["commitments"])
    def commitments(who: Caller, as_of: Annotated[str | None, Query(
                        pattern=DAY, json_schema_extra={"format": "date"},
                        description="Status date, YYYY-MM-DD (default: today)")] = None,
                    public_evidence: Annotated[bool, Query(description="Also use the public evidence shipped "
                                                                       "with Kompas")] = True) -> list[dict]:
        """The commitments register with each commitment's status as of a date, from the evidence notes you may
        see (rules: `kompas.compass.status`)."""
        from kompas.compass.evidence import by_commitment, load_evidence
        from kompas.compass.register import load
        from kompas.compass.status import assess_all

        day = _day(as_of) if as_of else date.today()
        notes = by_commitment(load_evidence()[0] if public_evidence else [], store.commitment_statuses(who.viewer))
        note(who, "read", "commitments")
        return [{"id": c.id, "source": c.source, "line_start": c.place.first, "line_end": c.place.last,
                 "quote": c.place.quote, "summary": c.summary, "actors": list(c.actors), "deadline": c.deadline.text,
                 "strand": c.strand, "system": c.system, "status": a.status,
                 "due": a.due and a.due.isoformat(), "next_due": a.next_due and a.next_due.isoformat(),
                 "done_on": a.done_on and a.done_on.isoformat(), "late": a.late,
                 "notes": [{"as_of": n.as_of.isoformat(), "status": n.status, "evidence": n.evidence}
                           for n in a.notes]}
                for a in assess_all(load(), notes, day) for c in [a.commitment]]

    @app.post("/api/v1/commitments/{commitment_id}/status", status_code=201, response_model=ContributionOut,
              responses={**WRITE_ERRORS, 404: {"model": Problem}}, tags=["commitments"])
    def commitment_status(commitment_id: Annotated[str, Path(pattern=r"^(SC|CT|SP)-\d{3}$")],
                          body: CommitmentStatusIn, who: Caller) -> dict:
        """Record a commitment's status with dated evidence under a marking (as `kompas compass set-status`)."""
        from kompas.compass.register import load

        if commitment_id not in {c.id for c in load()}:
            note(who, "commitment-status", commitment_id, "rejected", "no such commitment")
            raise HTTPException(404, f"no commitment {commitment_id} in the register")
        m = body.marking
        marking = Marking.build(m.classification, m.tlp, m.releasable_to, m.communities, who.org, m.caveats)
        done = store.set_commitment_status(who, commitment_id, body.status, body.evidence,
                                           _day(body.as_of).isoformat(), marking, source=f"api:{who.name}")
        note(who, "commitment-status", commitment_id, "ok", f"{body.status} as of {body.as_of}")
        return {"id": done.id, "accepted": done.accepted, "rejected": []}

    @app.post("/api/v1/markings/combine", response_model=MarkingOut, responses=ERRORS, tags=["markings"])
    def combine_markings(body: MarkingsIn, who: Caller) -> dict:
        """The combined (most restrictive) marking of the items given: what a page or report showing them all
        carries (the rule of `kompas.core.markings.combine`)."""
        try:
            found = [Marking.from_dict(m.model_dump()) for m in body.markings]
        except MarkingError as error:
            raise HTTPException(422, str(error)) from None
        return combine(found).as_dict()

    @app.get("/api/v1/objects/names", responses=ERRORS, tags=["objects"])
    def object_names(who: Caller, ids: Annotated[str, Query(pattern=r"^\d{1,9}(,\d{1,9})*$", max_length=5000,
                                                           description="Up to 500 NORAD ids, comma-separated")]
                     ) -> dict:
        """Names of objects from the element sets you may see, and the owners Kompas knows (the protected assets'
        public owners): ``{"names": {"25544": "ISS (ZARYA)"}, "owners": {"31698": "DE (DLR)"}}``."""
        from kompas.files import load_assets

        wanted = [int(i) for i in ids.split(",")][:500]
        names = store.names(who.viewer, wanted)
        assets = load_assets()
        note(who, "read", "objects/names")
        return {"names": {str(k): v for k, v in names.items()},
                "owners": {str(k): assets[k].owner for k in names if k in assets}}

    @app.get("/api/v1/picture", response_model=PictureOut, responses=ERRORS, tags=["picture"])
    def situational_picture(who: Caller, which: Annotated[Literal["assets", "all"], Query(
            alias="set", description="assets: the protected assets and everything in a conjunction or event with "
                                     "them; all: every object (up to limit)")] = "assets",
            limit: Annotated[int, Query(ge=1, le=picture_module.MAX_OBJECTS)] = 1000) -> dict:
        """The objects to draw on the globe, markers for conjunctions and events, and the markings used."""
        note(who, "read", "picture")
        return picture_module.picture(store, who.viewer, which, limit)

    @app.get("/api/v1/tracks", response_model=TracksOut, responses=ERRORS, tags=["picture"])
    def object_tracks(who: Caller,
                      ids: Annotated[str, Query(pattern=r"^\d{1,9}(,\d{1,9})*$", max_length=20_000,
                                                description="NORAD ids, comma-separated (the first 2000 "
                                                            "distinct ones are drawn)")],
                      start: Annotated[str | None, Query(pattern=MODERN_TIME, description="Start (default: the "
                                                                           "newest epoch of the objects)")] = None,
                      minutes: Annotated[float, Query(gt=0, le=1440)] = 180.0,
                      step_s: Annotated[float, Query(ge=1, le=3600)] = 60.0) -> dict:
        """Geodetic tracks (WGS84 latitude, longitude in degrees, height in km; ITRF) of the objects' newest element
        sets you may see, by SGP4; null where SGP4 cannot propagate. The step is widened when needed to keep at
        most 1441 times."""
        from kompas.space.elements import parse_time_utc

        ids_list = [int(i) for i in ids.split(",")]
        if start is None:
            latest = store.latest_element_sets(who.viewer, ids_list)
            begin = max((e.epoch_utc for _, e, _ in latest), default=np.datetime64("now", "ns"))
        else:
            begin = parse_time_utc(start)
        try:
            out = picture_module.tracks(store, who.viewer, ids_list, begin, minutes, step_s)
        except ValueError as error:
            raise HTTPException(422, str(error)) from None
        note(who, "read", "tracks", detail=f"{len(out['tracks'])} objects")
        return out

    @app.get("/api/v1/conjunctions/{conjunction_id}/series", response_model=SeriesOut,
             responses={**ERRORS, 404: {"model": Problem}}, tags=["conjunctions"])
    def conjunction_distance(conjunction_id: ITEM_ID, who: Caller) -> dict:
        """The distance between the two objects 10 minutes either side of TCA, every 5 s, from the newest
        element sets you may see of both; 404 when you may not see the conjunction or either object's elements."""
        found = store.conjunction(who.viewer, conjunction_id)
        series = picture_module.conjunction_series(store, who.viewer, found) if found else None
        return _found(series, who, f"conjunctions/{conjunction_id}/series")

    @app.get("/api/v1/conjunctions/{conjunction_id}/cdm", tags=["conjunctions"], response_class=Response,
             responses={**ERRORS, 404: {"model": Problem}, 200: {"content": {"text/plain": {}},
                                                                "description": "CCSDS CDM (KVN)"}})
    def conjunction_cdm(conjunction_id: ITEM_ID, who: Caller) -> Response:
        """The CCSDS CDM Kompas derived for the conjunction (default element-set covariance, Foster Pc), as KVN;
        404 when there is none or you may not see the conjunction."""
        text = _found(store.conjunction_cdm(who.viewer, conjunction_id), who, f"conjunctions/{conjunction_id}/cdm")
        return Response(text, media_type="text/plain; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{conjunction_id}.cdm"'})

    @app.get("/api/v1/reports/threat-landscape", tags=["reports"], response_class=Response, responses={
        **ERRORS, 200: {"content": {"application/pdf": {}, "text/html": {}}, "description": "The report"}})
    def threat_landscape_report(who: Caller,
                                first: Annotated[str, Query(alias="from", pattern=MODERN_DAY, json_schema_extra={
                                    "format": "date"}, description="First day (UTC)")],
                                last: Annotated[str, Query(alias="to", pattern=MODERN_DAY, json_schema_extra={
                                    "format": "date"}, description="Last day (UTC)")],
                                fmt: Annotated[Literal["pdf", "html"], Query(alias="format")] = "pdf") -> Response:
        """The space threat landscape report over the events you may see between the two days (in either order),
        marked with their combined marking; the period before, as long, is the comparison."""
        from kompas.reports import threat_landscape
        from kompas.space.events import check

        since, until = sorted((_day(first), _day(last)))
        start, end = f"{since.isoformat()}T00:00:00.000Z", f"{(until + timedelta(days=1)).isoformat()}T00:00:00.000Z"
        previous = f"{(since - (until + timedelta(days=1) - since)).isoformat()}T00:00:00.000Z"
        window = {"since_utc": _stored_time(previous), "until_utc": _stored_time(end)}
        rows = picture_module.collect(lambda after, limit: store.events(who.viewer, after, limit, **window), 200_000)
        items, _ = check([{"id": r["id"], "type": r["kind"], "norad_ids": r["norad_ids"], "summary": r["title"],
                           **r["detail"]} for r in rows], "platform")
        marking = combine(Marking.from_dict(r["marking"]) for r in rows) if rows else Marking.build(tlp="CLEAR")
        note(who, "report", "threat-landscape", detail=f"{len(items)} events")
        return _document(threat_landscape.build(items, start, end, marking.banner()), fmt, "threat-landscape")

    @app.get("/api/v1/reports/commitments", tags=["reports"], response_class=Response, responses={
        **ERRORS, 200: {"content": {"application/pdf": {}, "text/html": {}}, "description": "The report"}})
    def commitments_report(who: Caller, as_of: Annotated[str, Query(pattern=MODERN_DAY, json_schema_extra={
                               "format": "date"}, description="Report date")],
                           fmt: Annotated[Literal["pdf", "html"], Query(alias="format")] = "pdf") -> Response:
        """The commitments progress report as of a date, from the status notes you may see and the public
        evidence, marked with the combined marking of the notes used."""
        from kompas.compass.evidence import by_commitment, load_evidence
        from kompas.compass.register import load
        from kompas.reports import progress

        day = _day(as_of)
        rows = store.commitment_statuses(who.viewer)
        marking = combine([Marking.build(tlp="CLEAR"), *(Marking.from_dict(r["marking"]) for r in rows)])
        note(who, "report", "commitments", detail=f"{len(rows)} notes")
        # without the annex of every commitment (ten more pages; `kompas compass report` has it)
        page = progress.build(load(), by_commitment(load_evidence()[0], rows), day, marking.banner(), annex=False)
        return _document(page, fmt, f"commitments_{day}")

    @app.get("/api/v1/whoami", tags=["accounts"], responses=ERRORS)
    def whoami(who: Caller) -> dict:
        """Your name, organisation, clearance and communities."""
        note(who, "read", "whoami")
        return {"name": who.name, "org": who.org, "country": who.viewer.country,
                "clearance": who.viewer.clearance.name, "communities": sorted(who.viewer.communities)}

    def _found(item: dict | None, who: Account, target: str) -> dict:
        if item is None:
            note(who, "read", target, "denied", "not found or not visible")
            raise HTTPException(404, "not found")
        note(who, "read", target)
        return item

    fimi_routes.add_routes(app, store, Caller, note, _found, ERRORS, WRITE_ERRORS, MarkingIn, _document)

    from kompas import web

    if web.mount(app):
        app.add_middleware(web.SecurityHeaders)
    return app


def _document(page: str, fmt: str, name: str) -> Response:
    """A report page as the HTTP answer: HTML as is, or PDF rendered by WeasyPrint."""
    if fmt == "html":
        return Response(page, media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.html"'})
    from weasyprint import HTML

    return Response(HTML(string=page).write_pdf(), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})


def _day(text: str) -> date:
    """A date from a request (its form already checked by :data:`DAY`); 422 for a day that does not exist."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(422, f"{text!r} is not a date") from None


def _stored_time(text: str | None) -> str | None:
    """A query time (validated by :data:`TIME`) as stored: nanoseconds and ``Z``, so that text order is time
    order. Only the text is rewritten: a day that does not exist (30 February) still sorts where it reads."""
    if text is None:
        return None
    whole, _, fraction = text.removesuffix("Z").partition(".")
    return f"{whole}.{fraction:0<9}Z"
