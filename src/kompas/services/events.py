"""Event workflows, shared by the CLI and the API: contribute events (an engine's file or a STIX 2.1 bundle) and
read them in the envelope.

Exporting is one workflow too: :func:`export_stix` (``GET /api/v1/events/stix``).

Each contribution is one workflow: validate everything, store the good events in one transaction under their
markings (:func:`kompas.core.events.store`), write the audit entry, alert the subscribers who may see the new
events. ``kompas admin import-events`` and ``POST /api/v1/events/stix`` call these functions; nothing else stores
events.
"""

from __future__ import annotations

from collections.abc import Sequence

from kompas.core import alerts, audit
from kompas.core.envelope import from_space
from kompas.core.markings import Marking, Viewer
from kompas.core.shapes import EventView
from kompas.core.store import Account, Store, StoredEvents
from kompas.core.store import events as platform_events


def contribute_space_events(store: Store, items: Sequence[dict], marking: Marking, by: str = "kompas",
                            source: str = "kompas space events") -> StoredEvents:
    """Store the items of a ``kompas space events`` file (already checked by :func:`kompas.space.events.check`)
    under ``marking`` for ``by`` (a user name, or ``kompas`` for the platform's own jobs); audited; subscribers of
    ``event`` alerts notified of the new ones. A rerun stores nothing new (stable ids)."""
    done = platform_events.store(store, [(from_space(item, source), marking) for item in items], source)
    audit.append(store.engine, by, "store-events", f"{source}: {len(items)} events",
                 "ok" if not done.rejected else "rejected",
                 f"{len(done.ids)} new, {len(done.existing)} already stored, {len(done.rejected)} rejected")
    alerts.deliver(store, "event", done.ids)
    return done


def contribute_stix(store: Store, account: Account, text: str, source: str) -> tuple[list[str], list[dict]]:
    """Store the incidents of a STIX 2.1 bundle as events for ``account`` (:meth:`Store.import_events`: markings
    from the bundle, the importer's organisation the only originator, ids derived from it and the STIX ids);
    audited; subscribers alerted. Returns the ids newly stored and the rejected objects."""
    ids, rejected = store.import_events(account, text, source=source)
    audit.append(store.engine, account.name, "import", "events/stix", "ok" if not rejected else "rejected",
                 f"{len(ids)} imported, {len(rejected)} rejected")
    alerts.deliver(store, "event", ids)
    return ids, rejected


def export_stix(store: Store, viewer: Viewer, limit: int = 1000, observed: bool = False, kind: str | None = None,
                norad_id: int | None = None, since_utc: str | None = None, until_utc: str | None = None,
                domain: str | None = None, severity: str | None = None) -> tuple[dict, int]:
    """The first ``limit`` events ``viewer`` may see (filters as :meth:`Store.events`, times in the stored form)
    as a STIX 2.1 bundle (:func:`kompas.core.stix.export_events`): incidents with their marking definitions and,
    with ``observed``, each event's observed-data, actors and relationships. Returns the bundle and the number of
    events in it."""
    from kompas.core.stix import export_events

    items: list[EventView] = []
    after = None
    while len(items) < limit:
        page = store.events(viewer, after, min(1000, limit - len(items)), kind, norad_id, since_utc, until_utc,
                            domain, severity)
        items += page.items
        if page.next is None:
            break
        after = page.next
    return export_events((dict(i) for i in items), observed=observed), len(items)
