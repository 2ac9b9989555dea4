"""Engine jobs run through the platform: their inputs read, and their results stored, under markings.

:func:`screen_catalogue` screens the newest element set of every object in the database (all contributors'
element sets, as the system sees them), stores each conjunction with the combination of its two inputs'
markings, and alerts subscribers who may see it. :func:`store_space_events` stores the events of
`kompas space events` under the marking the analyst gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from kompas.core import alerts, audit
from kompas.core.markings import Marking
from kompas.core.store import Store
from kompas.space.screening import screen, serial_map


def screen_catalogue(store: Store, start_utc: np.datetime64 | None = None, days: float = 1.0,
                     threshold_km: float = 5.0, step_s: float = 60.0,
                     map_blocks: Callable[[Callable, Sequence], Iterable] = serial_map,
                     progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Screen everything stored, store the conjunctions (derived markings), deliver alerts; returns their ids.

    ``start_utc`` defaults to the newest element-set epoch. Same-object rows are not stored.
    """
    latest = store.latest_element_sets(None)
    if len(latest) < 2:
        return []
    elsets = [e for _, e, _ in latest]
    start = np.datetime64(start_utc, "ns") if start_utc is not None else max(e.epoch_utc for e in elsets)
    result = screen(elsets, start, days * 86400.0, threshold_km, step_s=step_s, map_blocks=map_blocks,
                    progress=progress)
    found = [c for c in result.conjunctions if c.label != "same-object"]
    ids = store.store_conjunctions(found, {e.norad_id: rid for rid, e, _ in latest},
                                   {e.norad_id: mid for _, e, mid in latest},
                                   derived_cdms(found, {e.norad_id: e for e in elsets}))
    audit.append(store.engine, "kompas", "screen", f"{len(elsets)} objects, {days:g} d, {threshold_km:g} km",
                 "ok", f"{len(ids)} conjunctions stored")
    alerts.deliver(store, "conjunction", ids)
    return ids


def derived_cdms(conjunctions: Sequence, elsets: dict) -> list[tuple[float | None, str]]:
    """Per conjunction, its Foster Pc and CCSDS CDM (KVN) with the default element-set covariance, the ages of the
    element sets at TCA and the default hard-body radius of each object (as `kompas space screen --cdm-dir`)."""
    from kompas.files import DEFAULT_HBR_M
    from kompas.space import cdm

    created = np.datetime64("now", "ns")
    out = []
    for c in conjunctions:
        ages = tuple(float((c.tca_utc - elsets[i].epoch_utc) / np.timedelta64(1, "D"))
                     for i in (c.primary_id, c.secondary_id))
        message, pc = cdm.for_screening(c, created_utc=created, hbr_m=2 * DEFAULT_HBR_M, ages_days=ages)
        out.append((pc, cdm.write_kvn(message)))
    return out


def store_space_events(store: Store, events: Sequence[dict], marking: Marking) -> list[str]:
    """Store events from `kompas space events` (JSON items) under ``marking``; returns the ids stored.

    Event ids are stable (derived from type, objects and time), so storing the same file twice stores nothing
    new. Subscribers who may see a new event are alerted.
    """
    from sqlalchemy import select

    from kompas.core.models import EventRecord
    from kompas.core.store import utc_text
    from kompas.space.elements import parse_time_utc

    with store.session(None) as s:
        known = set(s.scalars(select(EventRecord.id).where(EventRecord.id.in_([e["id"] for e in events]))))
    ids = []
    for event in events:
        if event["id"] in known:
            continue
        detail = {k: v for k, v in event.items() if k not in ("id", "type", "norad_ids", "summary")}
        ids.append(store.add_event(event["type"], utc_text(parse_time_utc(event["epoch_utc"])), event["norad_ids"],
                                   event.get("summary") or event["type"], marking, detail, source="kompas space events",
                                   event_id=event["id"]))
    audit.append(store.engine, "kompas", "store-events", f"{len(events)} events", "ok", f"{len(ids)} new")
    alerts.deliver(store, "event", ids)
    return ids
