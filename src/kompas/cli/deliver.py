"""Webhook deliveries from the command line: ``kompas admin deliver`` and the delivery that follows commands storing
new items (``kompas admin screen``, ``admin import-events``, ``fimi ingest``, ``fimi analyse``).

The commands that store items only queue their alerts (:mod:`kompas.core.outbox`); :func:`deliver_pending` then
posts what is pending before the command exits, with a progress bar on a terminal, so a command run without a
server still alerts its subscribers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kompas.cli.common import err_console, progress_bar

if TYPE_CHECKING:
    from kompas.core.outbox import Drained
    from kompas.core.store import Store

def deliver_pending(store: Store, quiet: bool = False, threads: int = 4) -> Drained | None:
    """Post every pending webhook delivery, retries included, then return what was done (None when nothing was
    pending); a progress bar on a terminal and a one-line summary on standard error."""
    from kompas.core import outbox

    if not outbox.pending(store):
        return None
    with progress_bar("webhooks", 1) as advance:
        done = outbox.drain(store, threads=threads, progress=lambda finished, total: advance(finished / max(total, 1)))
    if not quiet:
        err_console.print(f"webhooks: {done.delivered} delivered, {done.dead} given up, {done.dropped} dropped "
                          "(see the audit log)", highlight=False)
    return done


def deliver(forever: Annotated[bool, typer.Option("--forever", help="Keep delivering (a worker process beside "
                                                                    "a server started with "
                                                                    "KOMPAS_WEBHOOK_WORKER=0) until interrupted.")
                                ] = False,
            threads: Annotated[int, typer.Option(help="Delivery threads.", min=1, max=64)] = 4,
            db: Annotated[str | None, typer.Option("--db", help="Database URL (default: $KOMPAS_DB, else "
                                                                "$KOMPAS_HOME/kompas.db).", show_default=False)
                          ] = None) -> None:
    """Post the queued webhook deliveries: failures are retried with exponential backoff (KOMPAS_WEBHOOK_BACKOFF_S,
    default 2 s, doubling) up to KOMPAS_WEBHOOK_MAX_ATTEMPTS (default 8) attempts, then given up and audited; each
    attempt times out after KOMPAS_WEBHOOK_TIMEOUT_S (default 5 s). Without --forever, returns when nothing is
    pending (exit status 1 when a delivery was given up). Webhook destinations on loopback, private, link-local or
    other internal addresses are refused unless the host is listed in $KOMPAS_WEBHOOK_ALLOW (comma-separated host
    or host:port, e.g. KOMPAS_WEBHOOK_ALLOW='hooks.internal,10.0.0.5:8443')."""
    import threading

    from kompas.cli.admin import _store
    from kompas.core import outbox

    store = _store(db)
    if not forever:
        done = deliver_pending(store, quiet=True, threads=threads)
        if done is None:
            err_console.print("webhooks: nothing pending", highlight=False)
            return
        err_console.print(f"webhooks: {done.delivered} delivered, {done.dead} given up, {done.dropped} dropped",
                          highlight=False)
        raise typer.Exit(1 if done.dead else 0)
    worker = outbox.Worker(store, threads=threads)
    worker.start()
    err_console.print(f"delivering webhooks with {threads} threads until interrupted", highlight=False)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()
