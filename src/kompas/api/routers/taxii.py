"""TAXII 2.1 read endpoints at ``/taxii2/`` (OASIS TAXII Version 2.1): discovery, the API root ``/taxii2/kompas/``,
its collections, their objects, one object, its versions and the manifest. Authenticated as the rest of the API (a
bearer token: ``Authorization: Bearer TOKEN``); each caller lists only the collections and reads only the objects
they may see (:mod:`kompas.services.taxii`). Read only: ``can_write`` is false on every collection.

Protocol points kept (sections of the specification): requests must accept ``application/taxii+json;version=2.1``
(406 otherwise, 1.6.8.1), answers carry that media type; ``added_after`` is exclusive and ``next`` opaque (3.4);
``X-TAXII-Date-Added-First`` / ``-Last`` headers on object and manifest pages (5.3, 5.6); errors are TAXII error
messages ``{title, description, http_status}`` (3.6.1); a collection or object the caller may not see is 404, as a
missing one."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from kompas.api.deps import Caller, StoreDep, note
from kompas.api.errors import ERRORS
from kompas.services import taxii as service

router = APIRouter(tags=["taxii"])
ROOT = "/taxii2/kompas/"
CID = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$", description="A collection's id")]
OBJECT_ID = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,249}--[0-9a-fA-F-]{36}$",
                                description="A STIX object's id (type--UUID)")]
LIMIT = Annotated[int, Query(ge=1, le=service.MAX_LIMIT, description="Most items (rows) per page")]
ADDED_AFTER = Annotated[str | None, Query(max_length=40, description="Only objects added after this time (RFC 3339, "
                                                                     "exclusive)")]
NEXT = Annotated[str | None, Query(alias="next", max_length=200, pattern=r"^[A-Za-z0-9_-]+$",
                                   description="The next page (from the previous answer)")]
MATCH_ID = Annotated[str | None, Query(alias="match[id]", max_length=8000, description="STIX ids, comma-separated")]
MATCH_TYPE = Annotated[str | None, Query(alias="match[type]", max_length=2000,
                                         description="STIX types, comma-separated")]
MATCH_VERSION = Annotated[str | None, Query(alias="match[version]", max_length=200,
                                            description="last (default), first, all or a time: Kompas serves one "
                                                        "version of each object")]
MATCH_SPEC = Annotated[str | None, Query(alias="match[spec_version]", max_length=50,
                                         description="2.1 (the only one served)")]
TAXII_CONTENT = {service.MEDIA_TAXII: {"schema": {"type": "object"}}}


def _taxii(data: dict, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, media_type=service.MEDIA_TAXII, headers=headers)


def _error(status: int, title: str, description: str) -> JSONResponse:
    return _taxii({"title": title, "description": description, "http_status": str(status)}, status)


_error_response = _error


def accepts_taxii(request: Request) -> None:
    """406 unless the request accepts TAXII 2.1 (``application/taxii+json`` of version 2.1 or any, or ``*/*``)."""
    accept = request.headers.get("accept", "*/*").replace(" ", "").lower()
    for part in accept.split(","):
        kind, _, params = part.partition(";")
        if kind in ("*/*", "application/*") or (kind == "application/taxii+json" and (
                "version=" not in params or "version=2.1" in params)):
            return
    raise NotAcceptable()


class NotAcceptable(Exception):
    """A request that does not accept TAXII 2.1: answered with a TAXII error message (406)."""


async def not_acceptable(_request: Request, _error: Exception) -> JSONResponse:
    """The 406 answer, a TAXII error message."""
    return _error_response(406, "Not acceptable", "accept application/taxii+json;version=2.1")


Accepts = Depends(accepts_taxii)
ERROR_SCHEMA = {"type": "object", "required": ["title", "http_status"],
                "properties": {"title": {"type": "string"}, "description": {"type": "string"},
                               "http_status": {"type": "string"}}}
ANSWERS: dict[int | str, dict] = {
    **ERRORS, 406: {"description": "The request does not accept application/taxii+json;version=2.1",
                    "content": {service.MEDIA_TAXII: {"schema": {"type": "object"}}}},
    200: {"content": TAXII_CONTENT}}
#: Answers of the routes naming a collection: a TAXII error message for a missing (or unseen) collection or object
#: and for a bad filter or ``next``.
MISSING: dict[int | str, dict] = {
    404: {"description": "No such collection or object (or not one you may see)",
          "content": {service.MEDIA_TAXII: {"schema": ERROR_SCHEMA}}},
    400: {"description": "A bad filter or next", "content": {service.MEDIA_TAXII: {"schema": ERROR_SCHEMA}}}}


@router.get("/taxii2/", response_class=JSONResponse, responses=ANSWERS, dependencies=[Accepts])
def discovery(request: Request, who: Caller) -> JSONResponse:
    """TAXII discovery: this server's one API root."""
    root = str(request.url_for("api_root"))
    return _taxii({"title": "Kompas TAXII 2.1", "description": "Platform events, FIMI and cyber threat intelligence "
                   "you may see, with their EU classification and TLP markings",
                   "contact": "the platform's administrators", "default": root, "api_roots": [root]})


@router.get(ROOT, response_class=JSONResponse, responses=ANSWERS, dependencies=[Accepts], name="api_root")
def api_root(who: Caller) -> JSONResponse:
    """The API root: versions and the largest request accepted (read only: no content is accepted)."""
    return _taxii({"title": "Kompas", "description": "Read-only collections, each caller's own view",
                   "versions": [service.MEDIA_TAXII], "max_content_length": 0})


@router.get(ROOT + "collections/", response_class=JSONResponse, responses=ANSWERS, dependencies=[Accepts])
def collections(who: Caller, store: StoreDep) -> JSONResponse:
    """The collections you may see (community collections only for their members)."""
    note(store, who, "read", "taxii/collections")
    return _taxii({"collections": [c.as_dict() for c in service.collections(who.viewer)]})


@router.get(ROOT + "collections/{cid}/", response_class=JSONResponse, responses={**ANSWERS, **MISSING},
            dependencies=[Accepts])
def collection(cid: CID, who: Caller) -> JSONResponse:
    """One collection (404 when it does not exist or you may not see it)."""
    found = service.find(who.viewer, cid)
    return _taxii(found.as_dict()) if found else _error(404, "Not found", "no such collection")


def _page(store: StoreDep, who: Caller, cid: str, added_after: str | None, limit: int, next_: str | None,
          match_id: str | None, match_type: str | None, match_version: str | None,
          match_spec: str | None) -> service.Page | JSONResponse:
    found = service.find(who.viewer, cid)
    if found is None:
        return _error(404, "Not found", "no such collection")
    try:
        if match_spec is not None and "2.1" not in match_spec.split(","):
            return service.Page([], False, None, None, None)
        if match_version is not None and match_version not in ("last", "first", "all"):
            service.stored_after(match_version, "match[version]")
        return service.page(store, who.viewer, found, added_after, limit, next_,
                            service.split(match_id, "match[id]"),
                            service.split(match_type, "match[type]", service.MATCH_TYPE))
    except service.TaxiiError as error:
        return _error(error.status, error.title, error.description)


def _headers(got: service.Page) -> dict[str, str]:
    if got.first_added is None or got.last_added is None:
        return {}
    return {"X-TAXII-Date-Added-First": service.taxii_time(got.first_added),
            "X-TAXII-Date-Added-Last": service.taxii_time(got.last_added)}


@router.get(ROOT + "collections/{cid}/objects/", response_class=JSONResponse,
            responses={**ANSWERS, **MISSING}, dependencies=[Accepts])
def objects(cid: CID, who: Caller, store: StoreDep, added_after: ADDED_AFTER = None,
            limit: LIMIT = service.DEFAULT_LIMIT, next_: NEXT = None, match_id: MATCH_ID = None,
            match_type: MATCH_TYPE = None, match_version: MATCH_VERSION = None,
            match_spec: MATCH_SPEC = None) -> JSONResponse:
    """The objects of a collection that you may see, as a TAXII envelope, oldest added first."""
    got = _page(store, who, cid, added_after, limit, next_, match_id, match_type, match_version, match_spec)
    if isinstance(got, JSONResponse):
        return got
    note(store, who, "read", f"taxii/collections/{cid}/objects", detail=f"{len(got.objects)} objects")
    body: dict = {"more": got.more, "objects": [o for o, _ in got.objects]}
    if got.next:
        body["next"] = got.next
    return _taxii(body, headers=_headers(got))


@router.get(ROOT + "collections/{cid}/manifest/", response_class=JSONResponse,
            responses={**ANSWERS, **MISSING}, dependencies=[Accepts])
def manifest(cid: CID, who: Caller, store: StoreDep, added_after: ADDED_AFTER = None,
             limit: LIMIT = service.DEFAULT_LIMIT, next_: NEXT = None, match_id: MATCH_ID = None,
             match_type: MATCH_TYPE = None, match_version: MATCH_VERSION = None,
             match_spec: MATCH_SPEC = None) -> JSONResponse:
    """What a collection holds that you may see: each object's id, date added, version and media type."""
    got = _page(store, who, cid, added_after, limit, next_, match_id, match_type, match_version, match_spec)
    if isinstance(got, JSONResponse):
        return got
    note(store, who, "read", f"taxii/collections/{cid}/manifest")
    body: dict = {"more": got.more, "objects": service.manifest(got.objects)}
    if got.next:
        body["next"] = got.next
    return _taxii(body, headers=_headers(got))


@router.get(ROOT + "collections/{cid}/objects/{object_id}/", response_class=JSONResponse,
            responses={**ANSWERS, **MISSING}, dependencies=[Accepts])
def one_object(cid: CID, object_id: OBJECT_ID, who: Caller, store: StoreDep) -> JSONResponse:
    """One object of a collection, with the marking definitions it references (404 when you may not see it)."""
    got = _page(store, who, cid, None, service.MAX_LIMIT, None, object_id, None, None, None)
    if isinstance(got, JSONResponse):
        return got
    if not any(o["id"] == object_id for o, _ in got.objects):
        return _error(404, "Not found", "no such object in this collection")
    note(store, who, "read", f"taxii/collections/{cid}/objects/{object_id}")
    return _taxii({"more": False, "objects": [o for o, _ in got.objects]}, headers=_headers(got))


@router.get(ROOT + "collections/{cid}/objects/{object_id}/versions/", response_class=JSONResponse,
            responses={**ANSWERS, **MISSING}, dependencies=[Accepts])
def versions(cid: CID, object_id: OBJECT_ID, who: Caller, store: StoreDep) -> JSONResponse:
    """The versions of one object (Kompas serves one: its ``modified``)."""
    got = _page(store, who, cid, None, service.MAX_LIMIT, None, object_id, None, None, None)
    if isinstance(got, JSONResponse):
        return got
    found = [(o, added) for o, added in got.objects if o["id"] == object_id]
    if not found:
        return _error(404, "Not found", "no such object in this collection")
    return _taxii({"more": False, "versions": [service.version(*found[0])]}, headers=_headers(got))
