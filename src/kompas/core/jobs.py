"""Engine jobs run through the platform: their inputs read, and their results stored, under markings.

:func:`screen_catalogue` screens the newest element set of every object in the database (all contributors'
element sets, as the system sees them), stores each conjunction with the combination of its two inputs'
markings, and alerts subscribers who may see it. :func:`store_space_events` stores the events of
`kompas space events` under the marking the analyst gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from kompas.core import alerts, audit
from kompas.core.markings import Marking
from kompas.core.store import Store, StoredEvents
from kompas.space.cdm import Covariance
from kompas.space.elements import ElementSet
from kompas.space.screening import screen, serial_map
from kompas.times import as_ns, utc_text_ns


def screen_catalogue(store: Store, start_utc: np.datetime64 | None = None, days: float = 1.0,
                     threshold_km: float = 5.0, step_s: float = 60.0,
                     map_blocks: Callable[[Callable, Sequence], Iterable] = serial_map,
                     progress: Callable[[int, int], None] | None = None,
                     primaries: set[int] | None = None, covariance: Covariance | None = None,
                     covariance_marking: Marking | None = None) -> list[str]:
    """Screen everything stored (or ``primaries`` against everything), store the conjunctions under derived
    markings, deliver alerts; returns the ids of the conjunctions newly stored.

    Each object's input is its newest element set; where contributors hold it under several markings, the least
    restrictive copy (:meth:`Store.latest_inputs`, recorded in each conjunction's provenance). ``start_utc``
    defaults to the newest element-set epoch. Same-object rows are not stored; a rerun stores nothing twice.
    Each CDM carries the covariance fitted on the element sets stored over the last :data:`HISTORY_DAYS`
    (:func:`stored_history_covariance`, per marking); ``covariance`` (a model the caller fitted on history it read
    under ``covariance_marking``) is used instead for the objects whose screened input has exactly that marking,
    so no CDM holds anything from data its readers might not see.
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
    elset_ids = {i.element_set.norad_id: i.record_id for i in inputs}
    found = store.unstored_conjunctions([c for c in result.conjunctions if c.label != "same-object"], elset_ids)
    if found:
        covariance = _covariance_for(store, inputs, start, covariance, covariance_marking)
    ids = store.store_conjunctions(found, elset_ids,
                                   {i.element_set.norad_id: i.marking_id for i in inputs},
                                   derived_cdms(found, {e.norad_id: e for e in elsets}, covariance),
                                   {i.element_set.norad_id: i.provenance for i in inputs})
    scope = f"{len(wanted)} primaries vs {len(elsets)} objects" if wanted is not None else f"{len(elsets)} objects"
    audit.append(store.engine, "kompas", "screen", f"{scope}, {days:g} d, {threshold_km:g} km",
                 "ok", f"{len(ids)} conjunctions stored")
    alerts.deliver(store, "conjunction", ids)
    return ids


def derived_cdms(conjunctions: Sequence, elsets: dict, covariance: Covariance | None = None
                 ) -> list[tuple[float | None, str, str | None, tuple[str, ...], tuple[float, float] | None]]:
    """Per conjunction, ``(Pc, CCSDS CDM (KVN), Pc basis, usage flags, Monte Carlo interval)``: the Pc to decide on
    (:func:`kompas.space.decision.assess`) with each object's ``covariance`` at the element set's age at TCA
    (the placeholder where there is none) and the default hard-body radius of each object (as
    `kompas space screen --cdm-dir`)."""
    from kompas.space import cdm

    derived = cdm.for_conjunctions(conjunctions, {n: e.epoch_utc for n, e in elsets.items()},
                                   created_utc=np.datetime64("now", "ns"), covariance=covariance)
    return [(None, cdm.write_kvn(message), None, (), None) if found is None
            else (found.pc, cdm.write_kvn(message), found.basis, found.flags, found.interval)
            for message, found in derived]


#: Days of stored element-set history the screening covariance is fitted on.
HISTORY_DAYS = 14.0


class Lazy:
    """A covariance (:data:`kompas.space.cdm.Covariance`) fitted by ``make`` on its first use, once: a screening
    that finds nothing new to derive never pays for the fit."""

    def __init__(self, make: Callable[[], Covariance | None]) -> None:
        self._make: Callable[[], Covariance | None] | None = make
        self._value: Covariance | None = None

    def __call__(self, norad_id: int, age_days: float) -> np.ndarray | None:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return None if self._value is None else self._value(norad_id, age_days)


def history_covariance(history: Mapping[int, Sequence[ElementSet]], newest: Mapping[int, ElementSet],
                       object_types: Mapping[int, str] | None = None) -> Covariance | None:
    """The screening CDMs' covariance from element-set history (:mod:`kompas.space.covariance`: each object's SGP4
    prediction residuals against its own later sets, population priors by regime and object type); None when the
    history holds no object with two distinct epochs (the CDMs then carry the placeholder and say so)."""
    from kompas.space import covariance

    if not any(len({e.epoch_utc for e in sets}) > 1 for sets in history.values()):
        return None
    try:
        model = covariance.for_objects(history, object_types)
    except ValueError:  # too little history to fit
        return None
    return covariance.cdm_covariance(model, newest, object_types)


def _covariance_for(store: Store, inputs: Sequence, start_utc: np.datetime64, given: Covariance | None,
                    marking: Marking | None) -> Covariance | None:
    """``given`` for the inputs marked exactly ``marking``, the stored history's model for the others."""
    if given is None or marking is None:
        return stored_history_covariance(store, inputs, start_utc)
    with store.session(None) as s:
        same = {mid for mid in {i.marking_id for i in inputs} if store.marking_of(s, mid) == marking}
    allowed = {i.element_set.norad_id for i in inputs if i.marking_id in same}
    others = [i for i in inputs if i.marking_id not in same]
    stored = stored_history_covariance(store, others, start_utc) if others else None

    def covariance_of(norad_id: int, age_days: float) -> np.ndarray | None:
        if norad_id in allowed:
            return given(norad_id, age_days)
        return None if stored is None else stored(norad_id, age_days)

    return covariance_of


def stored_history_covariance(store: Store, inputs: Sequence, start_utc: np.datetime64) -> Covariance | None:
    """:func:`history_covariance` fitted on the element sets stored over the :data:`HISTORY_DAYS` before the
    newest epoch, separately for each marking of the inputs screened: an object's covariance comes only from sets
    under the very marking of its screened input, so a CDM (marked with its inputs' combination) holds nothing
    from sets its readers might not see. None when no marking's history has two epochs of one object."""
    by_marking: dict[int, dict[int, ElementSet]] = {}
    for i in inputs:
        by_marking.setdefault(i.marking_id, {})[i.element_set.norad_id] = i.element_set
    since = as_ns(start_utc) - np.timedelta64(round(HISTORY_DAYS * 86400), "s")
    rows = store.element_set_history([i.element_set.norad_id for i in inputs], utc_text_ns(since))
    marking_of = {i.element_set.norad_id: i.marking_id for i in inputs}
    models: dict[int, Covariance] = {}
    for marking_id, newest in by_marking.items():
        history: dict[int, list[ElementSet]] = {}
        for row_marking, elset in rows:
            if row_marking == marking_id and marking_of.get(elset.norad_id) == marking_id:
                history.setdefault(elset.norad_id, []).append(elset)
        found = history_covariance(history, newest)
        if found is not None:
            models[marking_id] = found

    def covariance_of(norad_id: int, age_days: float) -> np.ndarray | None:
        model = models.get(marking_of.get(norad_id, -1))
        return None if model is None else model(norad_id, age_days)

    return covariance_of if models else None


def store_space_events(store: Store, events: Sequence[dict], marking: Marking,
                       source: str = "kompas space events") -> StoredEvents:
    """Store events from `kompas space events` under ``marking`` as platform events in the envelope (the workflow
    :func:`kompas.services.events.contribute_space_events`, by the platform itself)."""
    from kompas.services.events import contribute_space_events

    return contribute_space_events(store, events, marking, "kompas", source)
