"""`kompas admin remove-event ID`: an administrator removes one stored event (helper "boundary", issue 18 #1).

Registered on the ``kompas admin`` group by :mod:`kompas.cli`; kept apart from :mod:`kompas.cli.admin` so that the
event repair commands and the account commands do not share a file.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kompas.cli.admin import DB, _store, admin
from kompas.cli.common import console, err_console


@admin.command("remove-event")
def remove_event(
    event_id: Annotated[str, typer.Argument(help="The event's id (a UUID, as /api/v1/events lists it).")],
    db: DB = None,
    by: Annotated[str, typer.Option(help="Who removes it (written to the audit log).")] = "admin",
) -> None:
    """Remove one event of any domain (e.g. one that cannot be served any more) and its object index; the removal
    is written to the audit log. Exit status 2 when no event has that id."""
    from kompas.core import audit
    from kompas.core.envelope import ID
    from kompas.core.store import events as platform_events

    if not ID.match(event_id):
        err_console.print(f"error: {event_id!r} is not an event id (a UUID)", highlight=False)
        raise typer.Exit(2)
    store = _store(db)
    if not platform_events.remove(store, event_id):
        err_console.print(f"error: no event {event_id}", highlight=False)
        raise typer.Exit(2)
    audit.append(store.engine, by, "remove-event", event_id, "ok", "removed by an administrator")
    console.print(f"event {event_id} removed", highlight=False)
