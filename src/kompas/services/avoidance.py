"""The manoeuvre trade space of a stored conjunction (:mod:`kompas.space.avoidance`) for the API, the job queue and
the command line: read what the caller may see, run the engine, mark the result.

- :func:`conjunction_trade_space`: the trade space of a conjunction the viewer may see, from its CDM (states and
  covariances at TCA, the hard-body radius), marked with the conjunction's marking; ``None`` when the viewer may
  not see it (or it does not exist). With ``secondaries`` the smallest burns are screened against the newest element
  sets the viewer may see (:func:`kompas.space.avoidance.secondary_conjunctions`), each row marked with the
  combination of the conjunction's and the other object's element-set marking, the result with the combination of
  all of them.
- :func:`avoidance_job`: the same as a job of :mod:`kompas.core.jobqueue` (kind ``avoidance``), JSON.
- :func:`trade_table`: the table `kompas space avoid` prints.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import numpy as np

from kompas.core.gate import Gate
from kompas.space import avoidance as av
from kompas.space import cdm
from kompas.space.elements import parse_time_utc
from kompas.times import now_utc, utc_text_ms

if TYPE_CHECKING:
    from kompas.core.markings import Marking, Viewer
    from kompas.core.store import Account, Store

MapBlocks = Callable[[Callable, Sequence], Iterable]


class AvoidanceError(ValueError):
    """A conjunction without what a trade space needs (no CDM, no covariance, no hard-body radius, no element set
    of the primary): the message says what is missing."""


def encounter_of(message: cdm.CDM, hbr_m: float | None = None) -> tuple[Any, float]:
    """The encounter and hard-body radius (m) of a CDM (``hbr_m`` overrides the message's); AvoidanceError when
    it lacks covariances or a radius."""
    hbr = hbr_m if hbr_m is not None else message.hard_body_radius_m()
    if hbr is None or not hbr > 0:
        raise AvoidanceError("the CDM gives no hard-body radius")
    enc = cdm.encounter(message)
    if enc.cov1 is None or enc.cov2 is None:
        raise AvoidanceError("the CDM lacks a covariance: no Pc, no trade space")
    return enc, float(hbr)


def conjunction_trade_space(store: Store, viewer: Viewer, conjunction_id: str, *,
                            sizes_m_s: Sequence[float] = av.DEFAULT_SIZES_M_S,
                            leads_orbits: Sequence[float] = av.DEFAULT_LEADS_ORBITS,
                            threshold: float = av.RED_PC, secondaries: bool = False,
                            secondary_threshold_km: float = av.SECONDARY_THRESHOLD_KM,
                            after_tca_s: float = av.SECONDARY_AFTER_TCA_S,
                            map_blocks: MapBlocks | None = None, now: np.datetime64 | None = None,
                            gate: Gate | None = None) -> tuple[dict[str, Any], Marking] | None:
    """The trade space of one conjunction the viewer may see (see the module docstring) as JSON-ready data with
    its marking; None when not found or not visible; AvoidanceError (a ValueError) when it cannot be computed or a
    parameter is out of range. Burns before :func:`earliest_burn_utc` (``now``: the clock, by default) are left
    out of the grid and named in ``leads_left_out_orbits``. ``gate``: computed only with a place in it (the API's
    :data:`GATE`; :class:`kompas.core.gate.Busy` when none is free); the job and the CLI run ungated."""
    from sqlalchemy import select

    from kompas.core.markings import combine
    from kompas.core.models import ConjunctionRecord
    from kompas.core.store.inputs import input_facts

    with store.session(viewer) as s:
        row = s.scalar(select(ConjunctionRecord).where(ConjunctionRecord.id == conjunction_id))
        if row is None:
            return None
        marking = store.marking_of(s, row.marking_id)
        text, primary_id, primary_set = row.cdm, row.primary_id, row.primary_elset_id
        secondary_id, tca_text = row.secondary_id, row.tca_utc
        # the data time: the newer epoch of the two element sets screened (the conjunction's marking covers them)
        epochs = [e for e, _ in input_facts(s, [row.primary_elset_id, row.secondary_elset_id]).values()]
    if not text:
        raise AvoidanceError("this conjunction has no CDM (no covariance): no trade space")
    message = cdm.parse(text, f"conjunction {conjunction_id}")
    enc, hbr = encounter_of(message)
    earliest = earliest_burn_utc(message.tca_utc, [parse_time_utc(e) for e in epochs], now or now_utc())
    max_lead = None if earliest is None else float((message.tca_utc - earliest) / np.timedelta64(1, "ns")) / 1e9
    try:
        trade = _cached_trade_space(text, enc, hbr, tuple(float(x) for x in sizes_m_s),
                                    tuple(float(x) for x in leads_orbits), float(threshold), max_lead, gate)
    except ValueError as error:
        raise AvoidanceError(str(error)) from None
    out = av.summary(trade) | {"conjunction_id": conjunction_id, "primary_id": primary_id,
                               "secondary_id": secondary_id, "tca_utc": tca_text,
                               "earliest_burn_utc": None if earliest is None else utc_text_ms(earliest),
                               "leads_left_out_orbits": [float(x) for x in leads_orbits
                                                         if float(x) not in set(trade.leads_orbits.tolist())],
                               "minimum": [_burn(b, message.tca_utc) for b in trade.minimum]}
    if secondaries:
        rows, used = _secondaries(store, viewer, primary_set, primary_id, message.tca_utc, trade,
                                  secondary_threshold_km, after_tca_s, map_blocks, marking)
        out["secondaries"] = rows
        marking = combine([marking, *used])
    out["marking"] = marking.as_dict()
    return out, marking


#: The trade spaces computed last (the web page and its reloads ask for the same one again): LRU, per process.
CACHE_SIZE = 64
_cache: OrderedDict[tuple, av.TradeSpace] = OrderedDict()
_cache_lock = threading.Lock()
#: The API's gate: at most one trade space computed at a time per server process (about 0.7 s of one core each):
#: more requests wait up to 2 s for their turn, then get 503 with Retry-After (:mod:`kompas.core.gate`).
GATE = Gate("trade spaces", slots=1, wait_s=2.0)


def _cached_trade_space(text: str, enc: Any, hbr: float, sizes: tuple[float, ...], leads: tuple[float, ...],
                        threshold: float, max_lead_s: float | None, gate: Gate | None) -> av.TradeSpace:
    """:func:`kompas.space.avoidance.trade_space` of a CDM's encounter, remembered per CDM text and parameters
    (the leads a later earliest burn leaves out are part of the key: the grid actually computed). The caller has
    checked the viewer may see the CDM; the result is the same for everyone who may."""
    period = av.period_s(np.asarray(enc.state1, float) / 1000.0)
    kept = tuple(x for x in leads if max_lead_s is None or x * period <= max_lead_s)
    key = (hashlib.sha256(text.encode()).hexdigest(), hbr, sizes, kept or leads, threshold, bool(kept))
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    with gate.enter() if gate is not None else nullcontext():
        trade = av.trade_space(enc, hbr, sizes_m_s=sizes, leads_orbits=leads, threshold=threshold,
                               max_lead_s=max_lead_s)
    with _cache_lock:
        _cache[key] = trade
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return trade


def earliest_burn_utc(tca_utc: np.datetime64, data_epochs_utc: Sequence[np.datetime64], now_utc: np.datetime64
                      ) -> np.datetime64 | None:
    """The earliest time a burn can be planned for: the data time (the newest epoch of the element sets the
    conjunction was screened from: a burn before the orbit it is planned on was determined is no option), or now
    when TCA is still ahead and now is later (a burn in the past is no option). For a TCA already passed (an
    analysis after the fact) the data time only. None when no epoch is known."""
    if not data_epochs_utc:
        return None
    data_time = max(data_epochs_utc)
    return max(data_time, now_utc) if now_utc < tca_utc else data_time


def _burn(b: av.Burn, tca: np.datetime64) -> dict[str, Any]:
    burn_utc = tca - np.timedelta64(round(b.lead_s * 1e9), "ns")
    return {"label": b.label, "direction": b.direction, "dv_m_s": b.dv_m_s, "lead_s": b.lead_s,
            "lead_orbits": b.lead_orbits, "burn_utc": utc_text_ms(burn_utc), "pc": b.pc, "miss_m": b.miss_m}


def _secondaries(store: Store, viewer: Viewer, primary_set: str, primary_id: int, tca: np.datetime64,
                 trade: av.TradeSpace, threshold_km: float, after_tca_s: float, map_blocks: MapBlocks | None,
                 marking: Marking) -> tuple[list[dict], list[Marking]]:
    from sqlalchemy import select

    from kompas.core.markings import combine
    from kompas.core.models import ElementSetRecord
    from kompas.space import omm

    with store.session(None) as s:  # the set screened: the conjunction's marking covers it
        fields = s.scalar(select(ElementSetRecord.fields).where(ElementSetRecord.id == primary_set))
    primary = omm.elements_from_fields(fields, f"element set {primary_set}", 0)[0] if fields else None
    if primary is None:
        raise AvoidanceError("the primary was screened from an operator ephemeris, not an element set: the "
                             "secondary screening of manoeuvred element sets does not apply (the trade space does)")
    inputs = [i for i in store.latest_inputs(viewer) if i.element_set.norad_id != primary_id]
    found = av.secondary_conjunctions(primary, [i.element_set for i in inputs], tca, trade.minimum,
                                      threshold_km=threshold_km, after_tca_s=after_tca_s, map_blocks=map_blocks)
    by_id = {i.element_set.norad_id: i.marking_id for i in inputs}
    with store.session(None) as s:
        markings = {mid: store.marking_of(s, mid) for mid in set(by_id.values())}
    rows, used = [], []
    for label, items in found.items():
        for item in items:
            theirs = markings[by_id[item.secondary_id]]
            used.append(theirs)
            rows.append({"burn": label, "secondary_id": item.secondary_id, "secondary_name": item.secondary_name,
                         "tca_utc": utc_text_ms(item.tca_utc), "miss_km": item.miss_km,
                         "v_rel_km_s": item.v_rel_km_s, "new": item.new, "miss_before_km": item.miss_before_km,
                         "marking": combine([marking, theirs]).as_dict()})
    return rows, used


def avoidance_job(store: Store, owner: Account, params: dict[str, Any]) -> tuple[bytes, str, str, Marking]:
    """The ``avoidance`` job (:mod:`kompas.core.jobqueue`): the trade space with secondary conjunctions of
    ``params["conjunction_id"]`` as its owner may see it, JSON (``threshold``, ``after_tca_s`` optional)."""
    from kompas.core.jobqueue import JobError

    cid = str(params.get("conjunction_id", ""))
    try:
        found = conjunction_trade_space(store, owner.viewer, cid, threshold=float(params.get("threshold", av.RED_PC)),
                                        secondaries=True,
                                        after_tca_s=float(params.get("after_tca_s", av.SECONDARY_AFTER_TCA_S)))
    except (ValueError, TypeError) as error:
        raise JobError(str(error)) from None
    if found is None:
        raise JobError("no such conjunction, or you may not see it")
    data, marking = found
    return json.dumps(data).encode(), "application/json", f"avoidance_{cid}.json", marking


def trade_table(trade: av.TradeSpace) -> list[str]:
    """The trade space as CSV lines: direction, lead (orbits, s), burn size (m/s), Pc, miss (m); then the smallest
    burns (``minimum`` rows)."""
    lines = ["kind,direction,lead_orbits,lead_s,dv_m_s,pc,miss_m"]
    for b in trade.rows():
        lines.append(f"grid,{b.direction},{b.lead_orbits:g},{b.lead_s:.1f},{b.dv_m_s:.6g},"
                     f"{'' if b.pc is None else f'{b.pc:.6e}'},{b.miss_m:.3f}")
    for b in trade.minimum:
        lines.append(f"minimum,{b.label},{b.lead_orbits:g},{b.lead_s:.1f},{b.dv_m_s:.6g},"
                     f"{'' if b.pc is None else f'{b.pc:.6e}'},{b.miss_m:.3f}")
    return lines
