"""The boundary guard: every request body is checked against :mod:`kompas.core.limits` before a route sees it.

An ASGI middleware (registered in :func:`kompas.api.app.create_app`) that, for each request with a body to an
``/api/`` path, reads the body up to the limit of its route class (:func:`kompas.core.limits.body_limit`: 413
beyond), then refuses with 422 a body nested deeper than :data:`kompas.core.limits.MAX_JSON_DEPTH`, not UTF-8, or
holding a lone UTF-16 surrogate or a control character (:func:`kompas.core.limits.json_text_problem`), and hands
the route the same bytes otherwise. The scan is iterative and runs off the event loop for large bodies, so no
body can reach ``json.loads``' recursion or stall other requests.
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kompas.core.limits import BULK_BODY_BYTES, body_limit, json_text_problem

METHODS = frozenset({"POST", "PUT", "PATCH"})  #: Methods whose body is checked.
THREAD_BYTES = 64 * 1024  #: Bodies larger than this (bytes) are scanned in a worker thread.


class Boundary:
    """ASGI middleware: size limit per route class (413), JSON depth and text checks (422) of request bodies.
    ``bulk_limit`` (bytes) is the limit of the bulk imports (:data:`kompas.core.limits.BULK_ROUTES`)."""

    def __init__(self, app: ASGIApp, bulk_limit: int = BULK_BODY_BYTES) -> None:
        self.app, self.bulk_limit = app, bulk_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in METHODS or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        limit = body_limit(scope["path"], self.bulk_limit)
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await _answer(send, 413, f"request body over {limit} bytes (the limit of this request)")
        chunks, seen, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: nothing to answer
                return None
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                return await _answer(send, 413, f"request body over {limit} bytes (the limit of this request)")
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        if body:  # whatever its declared type: the raw-body routes (STIX imports) parse JSON regardless
            problem = await run_in_threadpool(json_text_problem, body) if len(body) > THREAD_BYTES \
                else json_text_problem(body)
            if problem:
                return await _answer(send, 422, f"request body refused: {problem}")
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _answer(send: Send, status: int, detail: str) -> None:
    """Answer ``status`` with ``{"detail": detail}``; a 413 also closes the connection (``Connection: close``), so
    that the server stops reading a body it refused instead of draining it to the end."""
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 413:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
