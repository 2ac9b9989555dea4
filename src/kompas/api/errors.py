"""How the API answers failures: JSON ``{"detail": ...}`` with an HTTP status, never a stack trace.

:data:`ERRORS` and :data:`WRITE_ERRORS` are the error answers routes declare in the OpenAPI spec;
:func:`add_handlers` installs the exception handlers on an application.
"""

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from kompas.core.markings import MarkingError
from kompas.core.store import NotPermitted, StoreError

log = logging.getLogger("kompas.api")


class Problem(BaseModel):
    detail: str | list


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "Body that cannot be parsed"},
    401: {"model": Problem, "description": "Missing or unknown bearer token"},
    403: {"model": Problem, "description": "An exercise (X-Kompas-Exercise) your organisation takes no part in"},
    413: {"model": Problem, "description": "Body too large"},
    422: {"model": Problem, "description": "Request that does not validate"},
    429: {"model": Problem, "description": "Over the token's rate limit (see Retry-After)"}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS, 403: {"model": Problem, "description": "A marking you may not give (above your clearance, or one you "
                                                     "could not see yourself), a write your organisation may not "
                                                     "make, or an exercise you take no part in"}}
#: Reads of one item: 404 when it does not exist or the caller may not see it (the same answer).
NOT_FOUND: dict[int | str, dict[str, Any]] = {**ERRORS, 404: {"model": Problem}}
#: The server's own failures, declared once for the whole application.
SERVER_ERRORS: dict[int | str, dict[str, Any]] = {
    500: {"model": Problem, "description": "Internal error (details in the server log)"}}


class ProblemResponse(JSONResponse):
    """A JSON error answer that can always be written: non-ASCII escaped (``\\uXXXX``), so that a text holding a
    lone surrogate (echoed from a malformed request) never fails the answer and resets the connection."""

    def render(self, content: Any) -> bytes:  # noqa: ANN401 (any JSON value)
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"),
                          default=str).encode("ascii")


async def refused(_request: Request, error: Exception) -> JSONResponse:
    """A request the store refuses: 422."""
    return ProblemResponse({"detail": str(error)}, status_code=422)


async def forbidden(_request: Request, error: Exception) -> JSONResponse:
    """A marking the caller may not give: 403."""
    return ProblemResponse({"detail": str(error)}, status_code=403)


async def http_error(request: Request, error: Exception) -> JSONResponse:
    """An HTTP error raised by a route or by routing; 405 lists every method of the path."""
    assert isinstance(error, StarletteHTTPException)
    headers = dict(error.headers or {})
    if error.status_code == 405:  # list every method of the path, not only those of the first route
        methods = {m for r in request.app.routes if isinstance(r, APIRoute) and r.path_regex.match(request.url.path)
                   for m in r.methods or ()}
        headers["Allow"] = ", ".join(sorted(methods))
    return ProblemResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)


async def invalid(_request: Request, error: Exception) -> JSONResponse:
    """A request that does not validate: 422 with each problem's location, message and type (no input echo)."""
    assert isinstance(error, RequestValidationError)
    details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
               for e in error.errors()]
    return ProblemResponse({"detail": details}, status_code=422)


async def crashed(request: Request, _error: Exception) -> JSONResponse:
    """Anything else: logged with its traceback on the server, 500 without details for the caller."""
    log.exception("error serving %s %s", request.method, request.url.path)
    return ProblemResponse({"detail": "internal error; the server log has the details"}, status_code=500)


def add_handlers(app: FastAPI) -> None:
    """Install the exception handlers on ``app``."""
    app.add_exception_handler(StoreError, refused)
    app.add_exception_handler(MarkingError, forbidden)
    app.add_exception_handler(NotPermitted, forbidden)
    from kompas.api.routers.taxii import NotAcceptable, not_acceptable

    app.add_exception_handler(NotAcceptable, not_acceptable)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, crashed)
