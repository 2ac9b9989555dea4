"""The Kompas HTTP API (FastAPI; OpenAPI 3 spec at ``/openapi.json``, interactive docs at ``/docs``).

Thin adapter: authenticate, validate, call the store, audit, format. Every request with a body is size-limited,
every caller rate-limited per token, every failure answered with JSON ``{"detail": ...}`` and an HTTP status,
never a stack trace. Authentication is a bearer token (stored hashed) resolved by :func:`account`; an OIDC
provider can replace it by resolving the token to an :class:`~kompas.core.store.Account` the same way.
"""

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from sqlalchemy import Engine

from kompas.api import errors, guard
from kompas.api.middleware import MAX_BODY_BYTES, RATE_BURST, RATE_PER_S, BodyLimit, install_limits
from kompas.api.routers import ROUTERS
from kompas.core import outbox
from kompas.core.db import make_engine
from kompas.core.jobqueue import Worker
from kompas.core.store import Store
from kompas.services.reports import RUNNERS

__all__ = ["MAX_BODY_BYTES", "RATE_BURST", "RATE_PER_S", "create_app"]
#: How the application runs queued report jobs: "process" (default: a worker process at a lower CPU priority, so
#: reports never slow the answers), "thread" (in a thread of the API's process), "0" (not at all: another process
#: runs them, e.g. a `python -m kompas.services.reports` of its own).
JOB_WORKER = os.environ.get("KOMPAS_JOB_WORKER", "process")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the job worker and the webhook delivery worker while the application serves."""
    worker: Worker | None = app.state.worker
    webhooks: outbox.Worker | None = app.state.webhooks
    if worker is not None:
        worker.start()
    if webhooks is not None:
        webhooks.start()
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()
        if webhooks is not None:
            webhooks.stop()


def _worker(store: Store) -> Worker | None:
    """The job worker ``KOMPAS_JOB_WORKER`` asks for (see :data:`JOB_WORKER`)."""
    if JOB_WORKER == "0":
        return None
    if JOB_WORKER == "thread":
        return Worker(store, RUNNERS)
    url = store.engine.url.render_as_string(hide_password=False)
    return Worker(store, RUNNERS, command=[sys.executable, "-m", "kompas.services.reports"], env={"KOMPAS_DB": url})


def create_app(engine: Engine | str | None = None, rate_per_s: float = RATE_PER_S,
               burst: float = RATE_BURST) -> FastAPI:
    """The API on ``engine`` (an Engine or database URL; default :func:`kompas.core.db.database_url`), with a
    token-bucket rate limit per bearer token of ``rate_per_s`` requests per second and ``burst`` at once. While
    it serves, a worker runs the queued report jobs (:data:`JOB_WORKER`) and threads post the queued webhooks
    (:class:`kompas.core.outbox.Worker`; ``KOMPAS_WEBHOOK_WORKER=0``: not here)."""
    engine = engine if isinstance(engine, Engine) else make_engine(engine)
    app = FastAPI(title="Kompas", version="0.1.0", description=__doc__, responses=errors.SERVER_ERRORS,
                  lifespan=_lifespan)
    app.state.engine = engine
    app.state.store = store = Store(engine)
    app.state.worker = _worker(store)
    # webhook deliveries (kompas.core.outbox): threads of this process; KOMPAS_WEBHOOK_WORKER=0 leaves them to
    # another process (`kompas admin deliver --forever`)
    app.state.webhooks = outbox.Worker(store) if os.environ.get("KOMPAS_WEBHOOK_WORKER", "1") != "0" else None
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(guard.Boundary, bulk_limit=MAX_BODY_BYTES)  # depth, text, size per route (boundary)
    install_limits(app, engine, rate_per_s, burst)  # per address (before authentication), per account
    errors.add_handlers(app)
    for router in ROUTERS:
        app.include_router(router)

    from kompas import web

    if web.mount(app):
        app.add_middleware(web.SecurityHeaders)
    # compressed answers for clients that ask (JSON pages, tracks, the site's bundle: a fifth of their size on a slow
    # link); no cookie carries authority here (bearer tokens in a header), so compression reveals nothing secret
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    return app
