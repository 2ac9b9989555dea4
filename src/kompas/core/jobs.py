"""Engine jobs run through the platform: their inputs read, and their results stored, under markings.

:func:`screen_catalogue` screens the newest element set of every object in the database (all contributors'
element sets, as the system sees them), stores each conjunction with the combination of its two inputs'
markings, and alerts subscribers who may see it. :func:`store_space_events` stores the events of
`kompas space events` under the marking the analyst gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kompas.core import alerts, audit
from kompas.core.markings import Marking
from kompas.core.store import Store, StoredEvents
from kompas.space.cdm import Covariance
from kompas.space.elements import ElementSet
from kompas.space.ephemeris import Ephemeris
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

    **Operator ephemerides** (contributed OEMs, :func:`operator_ephemerides`) are the best source of their object
    (:mod:`kompas.space.sources`): one covering the screening window replaces the object's element set when its
    marking is no more restrictive than that set's (so nobody loses conjunctions they saw from the shared set);
    the CDMs carry the OEM's covariance. An ephemeris under a more restrictive marking is screened in a second
    pass, as a primary against the same catalogue, and its conjunctions are marked accordingly: those who may see
    it get the operator's conjunctions besides the shared ones, everyone else sees the shared ones only.
    """
    inputs = store.latest_inputs(None)
    elsets = [i.element_set for i in inputs]
    if not elsets:
        return []
    start = as_ns(start_utc) if start_utc is not None else max(e.epoch_utc for e in elsets)
    operators = operator_ephemerides(store, start, start + np.timedelta64(round(days * 86400e9), "ns"))
    by_norad = {i.element_set.norad_id: i for i in inputs}
    with store.session(None) as s:
        shared = {n for n, o in operators.items() if n not in by_norad or _covers(
            store.marking_of(s, by_norad[n].marking_id), store.marking_of(s, o.marking_id))}
    ids = {n: i.record_id for n, i in by_norad.items()} | {n: operators[n].record_id for n in shared}
    marks = {n: i.marking_id for n, i in by_norad.items()} | {n: operators[n].marking_id for n in shared}
    origin = {n: i.provenance for n, i in by_norad.items()} | {n: operators[n].provenance(by_norad.get(n))
                                                               for n in shared}
    objects: list = [operators[e.norad_id].ephemeris if e.norad_id in shared else e for e in elsets]
    objects += [operators[n].ephemeris for n in sorted(shared - set(by_norad))]
    if len(objects) < 2:
        return []
    wanted = None if primaries is None else set(primaries) & {o.norad_id for o in objects}
    if wanted is not None and not wanted:
        return []
    stored = _screen_and_store(store, objects, ids, marks, origin, inputs, start, days, threshold_km, step_s, wanted,
                               map_blocks, progress, covariance, covariance_marking,
                               {n: operators[n].ephemeris for n in shared})
    restricted = sorted(set(operators) - shared)
    if restricted:  # the operators' own view: their restricted ephemerides against the same catalogue
        own = {n: operators[n] for n in restricted}
        second = [own[o.norad_id].ephemeris if o.norad_id in own else o for o in objects]
        stored += _screen_and_store(store, second, ids | {n: o.record_id for n, o in own.items()},
                                    marks | {n: o.marking_id for n, o in own.items()},
                                    origin | {n: o.provenance(by_norad.get(n)) for n, o in own.items()}, inputs,
                                    start, days, threshold_km, step_s, set(restricted), map_blocks, progress,
                                    covariance, covariance_marking,
                                    {n: operators[n].ephemeris for n in shared} | {n: o.ephemeris
                                                                                   for n, o in own.items()})
    return stored


def _covers(wide: Marking, narrow: Marking) -> bool:
    """Whether whoever may see ``wide``'s data may see ``narrow``'s (``narrow`` no more restrictive)."""
    from kompas.core.markings import combine

    return combine([wide, narrow]) == wide


def _screen_and_store(store: Store, objects: list, ids: dict[int, str], marks: dict[int, int],
                      origin: dict[int, dict], inputs: Sequence, start: np.datetime64, days: float,
                      threshold_km: float, step_s: float, wanted: set[int] | None,
                      map_blocks: Callable[[Callable, Sequence], Iterable],
                      progress: Callable[[int, int], None] | None, covariance: Covariance | None,
                      covariance_marking: Marking | None, ephemerides: Mapping[int, Ephemeris]) -> list[str]:
    """One screening pass of ``objects`` (element sets and ephemerides) and the storing of what it found."""
    result = screen(objects, start, days * 86400.0, threshold_km, primaries=wanted, step_s=step_s,
                    map_blocks=map_blocks, progress=progress)
    screened = [c for c in result.conjunctions if c.label != "same-object"]
    if store.exercise is not None:  # an exercise stores what its own items meet; real pairs are the real world's
        with store.session(None) as s:
            own = {n for n, mid in marks.items() if store.marking_of(s, mid).exercise == store.exercise}
        screened = [c for c in screened if c.primary_id in own or c.secondary_id in own]
    found = store.unstored_conjunctions(screened, ids)
    if found:
        covariance = _covariance_for(store, inputs, start, covariance, covariance_marking)
    stored = store.store_conjunctions(found, ids, marks,
                                      derived_cdms(found, {o.norad_id: o for o in objects}, covariance, ephemerides),
                                      origin)
    scope = f"{len(wanted)} primaries vs {len(objects)} objects" if wanted is not None else f"{len(objects)} objects"
    if ephemerides:
        scope += f" ({len(ephemerides)} operator ephemerides)"
    audit.append(store.engine, "kompas", "screen", f"{scope}, {days:g} d, {threshold_km:g} km",
                 "ok", f"{len(stored)} conjunctions stored")
    alerts.deliver(store, "conjunction", stored)
    return stored


@dataclass(frozen=True)
class OperatorEphemeris:
    """A contributed OEM as screening uses it: its record, the interpolable ephemeris and its marking row."""

    record_id: str
    ephemeris: Ephemeris
    marking_id: int
    message_id: str

    def provenance(self, replaced: object | None) -> dict:
        """Why this input was used (stored with each conjunction): the ephemeris, and the element set it replaced."""
        out: dict[str, object] = {"source": "oem", "ephemeris_id": self.record_id, "message_id": self.message_id,
               "rule": "an operator ephemeris covering the window is the object's best source"}
        if replaced is not None:
            out["replaced_element_set_id"] = getattr(replaced, "record_id", None)
        return out


def operator_ephemerides(store: Store, start_utc: np.datetime64, end_utc: np.datetime64
                         ) -> dict[int, OperatorEphemeris]:
    """The newest contributed OEM (by creation date) of each object whose span overlaps [start, end), ready to
    screen. Stored OEMs were checked to build an ephemeris when contributed; one that no longer does (the engine's
    rules changed since) is left out and the audit log says so."""
    from kompas.space import ephemeris, odm

    out: dict[int, OperatorEphemeris] = {}
    for record_id, norad_id, text, marking_id in store.ephemerides_covering(None, utc_text_ns(start_utc),
                                                                            utc_text_ns(end_utc)):
        if norad_id in out:
            continue
        source = f"ephemeris {record_id}"
        try:
            message = odm.read(text, source)
            segments = list(getattr(message, "segments", []))
            name = segments[0].metadata.get("OBJECT_NAME", "") if segments else ""
            made = ephemeris.from_segments(segments, norad_id, name, source)
        except ValueError as error:
            audit.append(store.engine, "kompas", "screen", source, "skipped", str(error)[:500])
            continue
        header = getattr(message, "header", {}) or {}
        out[norad_id] = OperatorEphemeris(record_id, made, marking_id, str(header.get("MESSAGE_ID", ""))[:200])
    return out


def derived_cdms(conjunctions: Sequence, elsets: dict, covariance: Covariance | None = None,
                 ephemerides: Mapping[int, Ephemeris] | None = None
                 ) -> list[tuple[float | None, str, str | None, tuple[str, ...], tuple[float, float] | None]]:
    """Per conjunction, ``(Pc, CCSDS CDM (KVN), Pc basis, usage flags, Monte Carlo interval)``: the Pc to decide on
    (:func:`kompas.space.decision.assess`) with each object's ``covariance`` at the element set's age at TCA
    (the placeholder where there is none), an operator ephemeris's own covariance for the objects in
    ``ephemerides``, and the default hard-body radius of each object (as `kompas space screen --cdm-dir`)."""
    from kompas.space import cdm

    derived = cdm.for_conjunctions(conjunctions, {n: e.epoch_utc for n, e in elsets.items()},
                                   created_utc=np.datetime64("now", "ns"), covariance=covariance,
                                   ephemerides=ephemerides)
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
