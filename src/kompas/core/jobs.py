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
from kompas.core.store import Store, StoredEvents
from kompas.space.screening import screen, serial_map
from kompas.times import as_ns


def screen_catalogue(store: Store, start_utc: np.datetime64 | None = None, days: float = 1.0,
                     threshold_km: float = 5.0, step_s: float = 60.0,
                     map_blocks: Callable[[Callable, Sequence], Iterable] = serial_map,
                     progress: Callable[[int, int], None] | None = None,
                     primaries: set[int] | None = None) -> list[str]:
    """Screen everything stored (or ``primaries`` against everything), store the conjunctions under derived
    markings, deliver alerts; returns the ids of the conjunctions newly stored.

    Each object's input is its newest element set; where contributors hold it under several markings, the least
    restrictive copy (:meth:`Store.latest_inputs`, recorded in each conjunction's provenance). ``start_utc``
    defaults to the newest element-set epoch. Same-object rows are not stored; a rerun stores nothing twice.
    """
    inputs = store.latest_inputs(None)
    if len(inputs) < 2:
        return []
    elsets = [i.element_set for i in inputs]
    start = as_ns(start_utc) if start_utc is not None else max(e.epoch_utc for e in elsets)
    wanted = None if primaries is None else set(primaries) & {e.norad_id for e in elsets}
    if wanted is not None and not wanted:
        return []
    result = screen(elsets, start, days * 86400.0, threshold_km, primaries=wanted, step_s=step_s,
                    map_blocks=map_blocks, progress=progress)
    found = [c for c in result.conjunctions if c.label != "same-object"]
    ids = store.store_conjunctions(found, {i.element_set.norad_id: i.record_id for i in inputs},
                                   {i.element_set.norad_id: i.marking_id for i in inputs},
                                   derived_cdms(found, {e.norad_id: e for e in elsets}),
                                   {i.element_set.norad_id: i.provenance for i in inputs})
    scope = f"{len(wanted)} primaries vs {len(elsets)} objects" if wanted is not None else f"{len(elsets)} objects"
    audit.append(store.engine, "kompas", "screen", f"{scope}, {days:g} d, {threshold_km:g} km",
                 "ok", f"{len(ids)} conjunctions stored")
    alerts.deliver(store, "conjunction", ids)
    return ids


def derived_cdms(conjunctions: Sequence, elsets: dict) -> list[tuple[float | None, str]]:
    """Per conjunction, its Foster Pc and CCSDS CDM (KVN) with the default element-set covariance, the ages of the
    element sets at TCA and the default hard-body radius of each object (as `kompas space screen --cdm-dir`)."""
    from kompas.space import cdm

    derived = cdm.for_conjunctions(conjunctions, {n: e.epoch_utc for n, e in elsets.items()},
                                   created_utc=np.datetime64("now", "ns"))
    return [(pc, cdm.write_kvn(message)) for message, pc in derived]


def store_space_events(store: Store, events: Sequence[dict], marking: Marking,
                       source: str = "kompas space events") -> StoredEvents:
    """Store events from `kompas space events` under ``marking`` as platform events in the envelope (the workflow
    :func:`kompas.services.events.contribute_space_events`, by the platform itself)."""
    from kompas.services.events import contribute_space_events

    return contribute_space_events(store, events, marking, "kompas", source)
