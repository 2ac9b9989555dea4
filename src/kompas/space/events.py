"""Security-relevant space events as data, and their JSON form.

Every event has an ``id`` (a UUID derived from its type, objects, window and time, :meth:`Event.key`, so reruns
give the same id and no two detections share one), a ``type``, the ``norad_ids`` it concerns, a time window
``start_utc``..``end_utc`` with the best estimate ``epoch_utc`` of when it happened, a ``severity`` (``low``,
``medium``, ``high``), a ``confidence`` in 0..1 and the ``evidence`` it rests on (element-set epochs and computed
quantities, units in the key names). With a SATCAT, ``owners`` maps each NORAD id to its owner/country code.
:data:`SCHEMA` is the JSON Schema of the file :func:`to_json` writes (a list of events).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kompas.rejections import Rejection
from kompas.space.elements import ElementSet
from kompas.space.fragmentation import BreakupEstimate, Cloud
from kompas.space.geo import Relocation
from kompas.space.manoeuvres import Manoeuvre
from kompas.space.proximity import Proximity
from kompas.space.reentry import ReentryPrediction
from kompas.times import UTC_MS_PATTERN, utc_text_ms

TYPES = ("manoeuvre", "proximity", "fragmentation", "reentry", "geo_drift", "geo_relocation")
SEVERITIES = ("low", "medium", "high")
NAMESPACE = uuid.UUID("0b7f3a52-5c1e-4f2e-9a57-6f1d2c9e8b40")

_NUMBER, _TEXT, _LIST, _OBJECT, _FLAG = "number", "string", "array", "object", "boolean"
EVIDENCE = {
    "manoeuvre": {"delta_v_m_s": _NUMBER, "delta_v_rtn_m_s": _LIST, "direction": _TEXT, "da_m": _NUMBER,
                  "de": _NUMBER, "dh_deg": _NUMBER, "ratio_to_threshold": _NUMBER, "element_set_epochs_utc": _LIST},
    "proximity": {"asset": _OBJECT, "approaches": _NUMBER, "closest_km": _NUMBER, "slowest_km_s": _NUMBER,
                  "other_manoeuvred": _FLAG, "approach_times_utc": _LIST, "approach_km": _LIST},
    "fragmentation": {"designator": _TEXT, "fragments": _NUMBER, "perigee_km": _LIST, "apogee_km": _LIST,
                      "inclination_deg": _LIST, "breakup_epoch_estimated": _FLAG},
    "reentry": {"perigee_km": _NUMBER},
    "geo_drift": {"from_longitude_deg": _NUMBER, "max_drift_deg_day": _NUMBER},
    "geo_relocation": {"from_longitude_deg": _NUMBER, "to_longitude_deg": _NUMBER, "max_drift_deg_day": _NUMBER},
}  #: Evidence every event of a type carries (what the report and the platform read), by JSON type.

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Kompas space events",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type", "norad_ids", "start_utc", "end_utc", "epoch_utc", "severity", "confidence",
                     "evidence"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "type": {"enum": list(TYPES)},
            "norad_ids": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1},
            "names": {"type": "array", "items": {"type": "string"}},
            "start_utc": {"type": "string", "pattern": UTC_MS_PATTERN},
            "end_utc": {"type": "string", "pattern": UTC_MS_PATTERN},
            "epoch_utc": {"type": "string", "pattern": UTC_MS_PATTERN},
            "severity": {"enum": list(SEVERITIES)},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "summary": {"type": "string"},
            "owners": {"type": "object", "additionalProperties": {"type": "string"}},
            "evidence": {"type": "object"},
        },
        "allOf": [{"if": {"properties": {"type": {"const": kind}}},
                   "then": {"properties": {"evidence": {"required": list(keys),
                                                        "properties": {k: {"type": t} for k, t in keys.items()}}}}}
                  for kind, keys in EVIDENCE.items()],
    },
}


@dataclass
class Event:
    """One security-relevant space event (see the module docstring)."""

    type: str
    norad_ids: tuple[int, ...]
    start_utc: np.datetime64
    end_utc: np.datetime64
    epoch_utc: np.datetime64
    severity: str
    confidence: float
    evidence: dict = field(default_factory=dict)
    names: tuple[str, ...] = ()
    summary: str = ""
    owners: dict[int, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """A UUID derived from :meth:`key`: the same detection gets the same id on every run."""
        return str(uuid.uuid5(NAMESPACE, self.key()))

    def key(self) -> str:
        """What identifies the detection: type, objects in their order, window and best estimate of the time.

        The window is part of it because the best estimate alone does not separate detections. Each detector gives
        at most one event per (type, objects, window): a manoeuvre per pair of consecutive element sets of an object
        (the window is the two sets' epochs, and an object has one set per epoch), a proximity per asset and other
        object in one screening, a fragmentation per cloud, a re-entry per object, a GEO relocation or drift per
        departure from a slot. The estimated burn time of a manoeuvre is not unique: when the trajectories
        before and after meet at the window's edge, the search stops there, and the pairs on both sides of one
        element set (commonly a set that is off its neighbours, seen as a change there and back) both put their
        burn at that set's epoch.
        """
        return "|".join([self.type, ",".join(map(str, self.norad_ids)), utc_text_ms(self.start_utc),
                         utc_text_ms(self.end_utc), utc_text_ms(self.epoch_utc)])

    def as_dict(self) -> dict:
        out = {"id": self.id, "type": self.type, "norad_ids": list(self.norad_ids), "names": list(self.names),
               "start_utc": utc_text_ms(self.start_utc), "end_utc": utc_text_ms(self.end_utc),
               "epoch_utc": utc_text_ms(self.epoch_utc),
               "severity": self.severity, "confidence": round(float(self.confidence), 3), "summary": self.summary,
               "evidence": _plain(self.evidence)}
        if self.owners:
            out["owners"] = {str(k): v for k, v in self.owners.items()}
        return out


def from_manoeuvre(m: Manoeuvre) -> Event:
    """A ``manoeuvre`` event; severity by delta-v: >= 5 m/s high, >= 0.5 m/s medium, else low."""
    severity = "high" if m.delta_v_m_s >= 5.0 else "medium" if m.delta_v_m_s >= 0.5 else "low"
    r, t, n = m.delta_v_rtn_m_s
    evidence = {**m.evidence, "delta_v_m_s": m.delta_v_m_s, "delta_v_rtn_m_s": [r, t, n], "direction": m.direction,
                "element_set_epochs_utc": [utc_text_ms(m.start_utc), utc_text_ms(m.end_utc)]}
    # What the largest component did: along-track thrust raises or lowers the orbit, cross-track turns its plane,
    # radial changes its shape.
    effect = {"along-track": "raise" if t > 0 else "lowering", "cross-track": "plane change",
              "radial": "shape change"}.get(m.direction, "plane/shape change")
    summary = f"{m.name or m.norad_id}: {m.direction} manoeuvre of {m.delta_v_m_s:.2f} m/s ({effect})"
    return Event("manoeuvre", (m.norad_id,), m.start_utc, m.end_utc, m.epoch_utc, severity, m.confidence, evidence,
                 (m.name,), summary)


def from_cloud(cloud: Cloud, estimate: BreakupEstimate | None, first_epoch_utc: np.datetime64,
               min_sharpness: float = 0.5, members: Sequence[ElementSet] = ()) -> Event:
    """A ``fragmentation`` event. With a clear break-up estimate (sharpness >= ``min_sharpness``) its epoch is the
    estimate (window +- half a day); otherwise the cloud is reported at its earliest element set, epoch unknown.

    ``members``: the cloud's element sets; their period and apogee/perigee altitudes go into the evidence as
    ``gabbard`` (the data of the cloud's Gabbard diagram).
    """
    estimated = estimate is not None and estimate.sharpness >= min_sharpness
    evidence: dict[str, Any] = {
        "designator": cloud.designator, "parent_id": cloud.parent_id, "fragments": cloud.fragments,
        "perigee_km": list(cloud.perigee_km), "apogee_km": list(cloud.apogee_km),
        "inclination_deg": list(cloud.inclination_deg), "period_min": list(cloud.period_min),
        "breakup_epoch_estimated": estimated}
    if members:
        evidence["gabbard"] = {"norad_id": [e.norad_id for e in members],
                               "period_min": [round(e.period_min, 3) for e in members],
                               "apogee_km": [round(e.apogee_altitude_km, 1) for e in members],
                               "perigee_km": [round(e.perigee_altitude_km, 1) for e in members]}
    if estimate is not None:
        evidence |= {"median_offset_km": estimate.offset_km, "sharpness": estimate.sharpness}
    ids = tuple(([cloud.parent_id] if cloud.parent_id else []) + [n for n in cloud.norad_ids if n != cloud.parent_id])
    if estimate is not None and estimated:
        half_day = np.timedelta64(12, "h")
        epoch, start, end = estimate.epoch_utc, estimate.epoch_utc - half_day, estimate.epoch_utc + half_day
        confidence = estimate.sharpness
    else:
        epoch = start = end = first_epoch_utc
        confidence = 0.9  # the cloud itself is certain; its epoch is not estimated
    summary = (f"break-up of {cloud.designator} ({cloud.fragments} fragments)"
               + (f", estimated at {utc_text_ms(epoch)}" if estimated else ", epoch outside the elements' reach"))
    return Event("fragmentation", ids, start, end, epoch, "high", confidence, evidence, (), summary)


def from_relocation(r: Relocation) -> Event:
    """``geo_relocation`` (a drift that ended in a new slot) or ``geo_drift`` (still drifting at the last set)."""
    evidence = {"from_longitude_deg": r.from_longitude_deg, "to_longitude_deg": r.to_longitude_deg,
                "max_drift_deg_day": r.max_drift_deg_day,
                "start_window_utc": [utc_text_ms(t) for t in r.start_window_utc],
                "end_window_utc": [utc_text_ms(t) for t in r.end_window_utc] if r.end_window_utc else None}
    who = r.name or str(r.norad_id)
    if r.end_utc is None or r.end_window_utc is None:
        return Event("geo_drift", (r.norad_id,), r.start_window_utc[0], r.start_window_utc[1], r.start_utc,
                     "medium", 0.9, evidence, (r.name,),
                     f"{who} left {r.from_longitude_deg:.2f} deg E, drifting up to {r.max_drift_deg_day:.2f} deg/day")
    return Event("geo_relocation", (r.norad_id,), r.start_window_utc[0], r.end_window_utc[1], r.start_utc, "medium",
                 0.9, evidence | {"arrival_utc": utc_text_ms(r.end_utc)}, (r.name,),
                 f"{who} moved from {r.from_longitude_deg:.2f} to {r.to_longitude_deg:.2f} deg E")


def from_reentry(p: ReentryPrediction) -> Event:
    """A ``reentry`` event: predicted time and its window, from the drag model with the object's fitted ballistic
    coefficient (``method`` ``drag``: confidence 0.9, the window of B +- 2 sigma and F10.7 +- 20%) or from SGP4 with
    +-20% of the remaining lifetime (``sgp4``: 0.55) (:mod:`kompas.space.reentry`). Raises ``ValueError`` for a
    prediction without a re-entry (none within the horizon)."""
    if p.reentry_utc is None or p.window_utc is None:
        raise ValueError(f"{p.norad_id}: no re-entry predicted within the horizon")
    lifetime_days = float((p.reentry_utc - p.epoch_utc) / np.timedelta64(1, "D"))
    method = p.method
    evidence = {"element_set_epoch_utc": utc_text_ms(p.epoch_utc), "perigee_km": p.perigee_km,
                "remaining_lifetime_days": lifetime_days, "method": method}
    if method == "drag":
        evidence |= {"ballistic_m2_kg": p.ballistic_m2_kg, "ballistic_sigma_m2_kg": p.ballistic_sigma_m2_kg}
        window = (f"window {utc_text_ms(p.window_utc[0])} to {utc_text_ms(p.window_utc[1])}, drag with B "
                  f"{p.ballistic_m2_kg:.4f} +- {p.ballistic_sigma_m2_kg:.4f} m^2/kg")
    else:
        window = f"+-{0.2 * lifetime_days:.1f} d"
    return Event("reentry", (p.norad_id,), p.window_utc[0], p.window_utc[1], p.reentry_utc,
                 "medium" if lifetime_days < 7 else "low", 0.9 if method == "drag" else 0.55, evidence, (p.name,),
                 f"{p.name or p.norad_id}: re-entry predicted {utc_text_ms(p.reentry_utc)} ({window})")


def from_proximity(p: Proximity, series: tuple[np.ndarray, np.ndarray] | None = None) -> Event:
    """A ``proximity`` event: high when the other object manoeuvred, medium otherwise.

    ``series``: optional (times, km) of the asset-to-object distance over the window
    (:func:`kompas.space.proximity.distance_series`), kept in the evidence as ``distance_series`` with its start,
    step and values rounded to 10 m, so that a report can draw the approach pattern.
    """
    pattern = " and ".join(x for x, on in (("repeated", p.repeated), ("sustained", p.sustained)) if on)
    evidence = {"asset": {"norad_id": p.asset.norad_id, "name": p.asset.name, "owner": p.asset.owner,
                          "programme": p.asset.programme},
                "approaches": p.approaches, "closest_km": p.closest_km, "slowest_km_s": p.slowest_km_s,
                "repeated": p.repeated, "sustained": p.sustained, "other_manoeuvred": p.manoeuvred,
                "approach_times_utc": [utc_text_ms(t) for t in p.approach_times_utc],
                "approach_km": [round(float(x), 4) for x in p.approach_km],
                "approach_km_s": [round(float(x), 5) for x in p.approach_km_s]}
    if series is not None:
        times, km = series
        step_s = float((times[1] - times[0]) / np.timedelta64(1, "s")) if len(times) > 1 else 0.0
        evidence["distance_series"] = {"start_utc": utc_text_ms(times[0]), "step_s": step_s,
                                       "km": [None if not np.isfinite(x) else round(float(x), 2) for x in km]}
    return Event("proximity", (p.asset.norad_id, p.other_id), p.first_utc, p.last_utc, p.closest_utc,
                 "high" if p.manoeuvred else "medium", 0.8, evidence, (p.asset.name, p.other_name),
                 f"{p.other_name or p.other_id} near {p.asset.name} ({p.asset.owner}): {p.approaches} approaches, "
                 f"closest {p.closest_km:.1f} km, {pattern}" + (", after manoeuvring" if p.manoeuvred else ""))


def with_owners(events: Iterable[Event], owners: Mapping[int, str]) -> list[Event]:
    """Events with the owner/country code of each of their objects, where ``owners`` knows it."""
    out = []
    for event in events:
        event.owners = {n: owners[n] for n in event.norad_ids if n in owners}
        out.append(event)
    return out


def check(items: object, source: str = "events") -> tuple[list[dict], list[Rejection]]:
    """The well-formed items of an events file and a :class:`~kompas.rejections.Rejection` per bad one (unit
    "item", printed ``source: item N: field: reason``).

    Checks what the platform and the report read: the required fields, their types and the time format.
    """
    if not isinstance(items, list):
        return [], [Rejection(source, 0, "", "not a JSON list of events", unit="item")]
    good: list[dict] = []
    problems: list[Rejection] = []
    for number, item in enumerate(items, 1):
        found = _item_problem(item)
        if found is None:
            good.append(item)
        else:
            problems.append(Rejection(source, number, *found, unit="item"))
    return good, problems


def _item_problem(item: object) -> tuple[str, str, str] | None:
    """(field, reason, value) of the first problem of one item of an events file; None when it is well-formed."""
    if not isinstance(item, dict):
        return "-", "not an object", ""
    missing = [k for k in SCHEMA["items"]["required"] if k not in item]
    if missing:
        return missing[0], "missing", ""
    if item["type"] not in TYPES:
        return "type", f"{item['type']!r} is not one of {', '.join(TYPES)}", str(item["type"])
    if not (isinstance(item["norad_ids"], list) and item["norad_ids"]
            and all(isinstance(n, int) and n > 0 for n in item["norad_ids"])):
        return "norad_ids", "not a non-empty list of positive integers", str(item["norad_ids"])
    if item["severity"] not in SEVERITIES:
        return "severity", f"{item['severity']!r} is not one of {', '.join(SEVERITIES)}", str(item["severity"])
    if not isinstance(item["confidence"], int | float) or not 0 <= item["confidence"] <= 1:
        return "confidence", "not a number in 0..1", str(item["confidence"])
    bad = [k for k in ("start_utc", "end_utc", "epoch_utc")
           if not (isinstance(item[k], str) and re.match(UTC_MS_PATTERN, item[k]))]
    if bad:
        return bad[0], "not a UTC time like 2026-05-01T12:00:00.000Z", str(item[bad[0]])
    return _evidence_problem(item)


_PYTHON_TYPES = {_NUMBER: (int, float), _TEXT: (str,), _LIST: (list,), _OBJECT: (dict,), _FLAG: (bool,)}


def _evidence_problem(item: dict) -> tuple[str, str, str] | None:
    """(``evidence.KEY``, reason, value) for the first evidence entry of :data:`EVIDENCE` that is missing or
    mistyped."""
    evidence = item["evidence"]
    if not isinstance(evidence, dict):
        return "evidence", "not an object", ""
    for key, kind in EVIDENCE[item["type"]].items():
        if key not in evidence:
            return f"evidence.{key}", f"missing (a {item['type']} event needs it)", ""
        value = evidence[key]
        if not isinstance(value, _PYTHON_TYPES[kind]) or (kind == _NUMBER and isinstance(value, bool)):
            return f"evidence.{key}", f"not a JSON {kind}", str(value)
    return None


def to_json(events: Sequence[Event]) -> str:
    """The events file: a JSON list of :meth:`Event.as_dict` in time order (see :data:`SCHEMA`)."""
    ordered = sorted(events, key=lambda e: (e.epoch_utc, e.type, e.norad_ids))
    return json.dumps([e.as_dict() for e in ordered], indent=1)



def _plain(value: Any) -> Any:
    """A JSON-able copy of evidence (NumPy scalars as Python numbers, floats to 9 decimals)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float):
        return round(value, 9)
    return value
