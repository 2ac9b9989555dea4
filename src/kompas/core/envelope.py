"""The event envelope: one shape for every domain's detections on the platform.

Every engine's detections (space manoeuvres and approaches, FIMI incidents and surges, and the domains to come)
become platform events with the same fields, so that alerts, the fused picture, early warning, the response
engine, reports, the web and the STIX exchange read events without knowing the domain:

========== ==========================================================================================
field      meaning
========== ==========================================================================================
id         stable identifier (UUID text): the same detection stored twice has the same id
domain     ``space``, ``fimi``, ... (:data:`DOMAINS`)
type       what happened, in the domain's words (``manoeuvre``, ``proximity``, ``incident``, ``surge``)
start_utc  time span of the event, ISO 8601 UTC with ``Z``; ``time_utc`` is the best estimate inside it
end_utc    (``time_utc`` orders listings)
place      where: ``lat``/``lon`` (degrees, WGS-84) when on Earth, else ``norad_ids`` (objects in orbit)
           and an optional ``orbit`` description, and ``countries`` (ISO 3166 alpha-2/3 or names)
actors     the objects or actors in their meaningful order, primary first: ``role``, ``kind``, ``id``, ``name``
severity   ``low``, ``medium`` or ``high`` (:data:`SEVERITIES`)
confidence 0..1, or None when the domain states none
evidence   what the detection rests on (numbers with units in their keys, times, URLs)
payload    the domain's own fields (what a domain page needs beyond the envelope)
marking    who may see it (stored beside the envelope by the platform)
========== ==========================================================================================

This module is pure: mapping functions from each domain's detections (``from_space``, ``from_fimi_incident``,
``from_fimi_surge``) and the validation every stored envelope passes (:func:`problems`), which bounds nesting
depth and size so that no stored event can break a listing for others.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kompas.core.limits import text_problem

DOMAINS = ("space", "fimi", "cyber", "infra", "maritime", "intel", "mobility", "forces", "isac")
SEVERITIES = ("low", "medium", "high")
ROLES = ("primary", "secondary", "object", "actor", "target", "channel", "victim", "asset", "reporter")
MAX_DEPTH = 16  #: Deepest nesting of lists and objects allowed in evidence and payload.
MAX_JSON_BYTES = 256 * 1024  #: Largest evidence + payload, as compact JSON.
MAX_ACTORS = 500
ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")  #: an event id
NAMESPACE = uuid.UUID("2a4f0c7e-9b1d-4e36-8f55-1c7d3b9a6e02")  #: For ids derived from other ids.


@dataclass(frozen=True)
class Actor:
    """An object or actor of an event: its ``role`` in the event (primary first), its ``kind`` (``space-object``,
    ``threat-actor``, ``outlet``, ``country``, ...), its ``id`` in that kind's scheme (a NORAD id as text, a name)
    and a display ``name``."""

    role: str
    kind: str
    id: str
    name: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "kind": self.kind, "id": self.id, "name": self.name}


@dataclass(frozen=True)
class Place:
    """Where an event happened: on Earth (``lat``/``lon``, degrees WGS-84), in orbit (``norad_ids``, with an
    optional ``orbit`` description such as a GEO longitude), and the ``countries`` it concerns."""

    lat: float | None = None
    lon: float | None = None
    norad_ids: tuple[int, ...] = ()
    orbit: dict[str, Any] | None = None
    countries: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.lat is not None and self.lon is not None:
            out |= {"lat": self.lat, "lon": self.lon}
        if self.norad_ids:
            out["norad_ids"] = list(self.norad_ids)
        if self.orbit:
            out["orbit"] = dict(self.orbit)
        if self.countries:
            out["countries"] = list(self.countries)
        return out


@dataclass
class Envelope:
    """One platform event (see the module docstring). Times are stored-form text (ns, ``Z``)."""

    id: str
    domain: str
    type: str
    time_utc: str
    start_utc: str
    end_utc: str
    title: str
    severity: str = "medium"
    confidence: float | None = None
    actors: tuple[Actor, ...] = ()
    place: Place = field(default_factory=Place)
    evidence: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def norad_ids(self) -> list[int]:
        """The space objects among the actors, in the actors' order (primary first)."""
        return [int(a.id) for a in self.actors if a.kind == "space-object" and a.id.isdigit()]


def problems(envelope: Envelope) -> list[tuple[str, str]]:
    """``(field, reason)`` for each way ``envelope`` breaks the envelope's rules (empty when it may be stored)."""
    out = []
    if not isinstance(envelope.id, str) or not ID.match(envelope.id):
        out.append(("id", "must be a UUID (36 characters: hex digits and hyphens)"))
    if envelope.domain not in DOMAINS:
        out.append(("domain", f"{envelope.domain!r} is not one of {', '.join(DOMAINS)}"))
    if not envelope.type or len(envelope.type) > 32:
        out.append(("type", "must be 1 to 32 characters"))
    if envelope.severity not in SEVERITIES:
        out.append(("severity", f"{envelope.severity!r} is not one of {', '.join(SEVERITIES)}"))
    if envelope.confidence is not None and not (isinstance(envelope.confidence, int | float)
                                                and 0 <= envelope.confidence <= 1):
        out.append(("confidence", "must be a number in 0..1"))
    if not envelope.start_utc <= envelope.time_utc <= envelope.end_utc:
        out.append(("time_utc", f"{envelope.time_utc} is not within {envelope.start_utc}..{envelope.end_utc}"))
    if len(envelope.actors) > MAX_ACTORS:
        out.append(("actors", f"more than {MAX_ACTORS}"))
    for actor in envelope.actors:
        if actor.role not in ROLES:
            out.append(("actors", f"role {actor.role!r} is not one of {', '.join(ROLES)}"))
            break
    lat, lon = envelope.place.lat, envelope.place.lon
    if (lat is None) != (lon is None):
        out.append(("place", "lat and lon go together"))
    elif lat is not None and lon is not None and not (
            math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        out.append(("place", "lat must be in -90..90 and lon in -180..180 degrees"))
    for name in ("evidence", "payload"):
        reason = json_problem(getattr(envelope, name))
        if reason:
            out.append((name, reason))
    if not out and len(json.dumps([envelope.evidence, envelope.payload], separators=(",", ":"))) > MAX_JSON_BYTES:
        out.append(("payload", f"evidence and payload over {MAX_JSON_BYTES} bytes of JSON"))
    if "\x00" in envelope.title or any("\x00" in a.id + a.name for a in envelope.actors):
        out.append(("title", "contains a NUL character"))
    else:  # names are shown in pages, terminals, CSV and XML: no lone surrogate, no control character
        for name, text in [("title", envelope.title), *(("actors", a.id + a.name) for a in envelope.actors)]:
            reason = text_problem(text)
            if reason:
                out.append((name, reason))
                break
    return out


def json_problem(value: object, depth: int = 0) -> str | None:
    """Why ``value`` cannot be stored as event JSON (too deep, not JSON, NUL or lone surrogate in a text, a
    number that is not finite), or None. Iterative over siblings, recursive only to :data:`MAX_DEPTH`."""
    if depth > MAX_DEPTH:
        return f"nested deeper than {MAX_DEPTH} levels"
    if isinstance(value, str):
        return _text_problem(value)
    if value is None or isinstance(value, bool | int):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else "a number that is not finite"
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return "an object key that is not text"
            reason = _text_problem(key) or json_problem(item, depth + 1)
            if reason:
                return reason
        return None
    if isinstance(value, list | tuple):
        for item in value:
            reason = json_problem(item, depth + 1)
            if reason:
                return reason
        return None
    return f"a {type(value).__name__}, not JSON"


def servable(value: Any, event_id: str = "", empty: Any = None) -> Any:
    """``value`` (a stored event's place, actors, evidence or payload) when it can be served as JSON, else a
    stand-in saying why (``empty`` when given, else ``{"unavailable": reason}``), so that a row stored before the
    limits (e.g. nested 900 deep) is shown safely instead of failing a listing for everyone. Checks only to
    :data:`MAX_DEPTH` (no deep recursion)."""
    reason = json_problem(value)
    if reason is None:
        return value
    if empty is not None:
        return empty
    return {"unavailable": f"the stored value cannot be shown ({reason}); an administrator can remove the event: "
                           f"kompas admin remove-event {event_id}".rstrip()}


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "a text with a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "a text with a lone surrogate (not UTF-8)"
    return None


def derived_id(*parts: str) -> str:
    """A stable id from other ids (e.g. an importer's organisation and a STIX id)."""
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


# --- space --------------------------------------------------------------------------------------------------------


def stored_time(text: str) -> str:
    """``2026-05-01T12:00:00.000Z`` (or any ISO 8601 UTC form with ``Z``) in the stored form, nanoseconds:
    ``2026-05-01T12:00:00.000000000Z`` (fixed width, so that text order is time order)."""
    whole, _, fraction = text.removesuffix("Z").partition(".")
    return f"{whole}.{fraction:0<9}Z"


def from_space(item: Mapping[str, Any], source: str = "kompas space events") -> Envelope:
    """The envelope of one item of a ``kompas space events`` file (already checked by
    :func:`kompas.space.events.check`): the objects in the engine's order (a proximity's asset first), their
    names, the event's window, severity, confidence and evidence; the rest of the item is the payload. A debris
    cloud of more than :data:`MAX_ACTORS` objects (Cosmos 1408: 924) keeps every object in ``place.norad_ids`` and
    the first :data:`MAX_ACTORS` (the parent first) as actors, saying so in ``payload.actors_listed``."""
    ids = [int(n) for n in item["norad_ids"]]
    names = list(item.get("names") or [])
    roles = ["primary"] + ["secondary"] * (len(ids) - 1) if item["type"] == "proximity" else \
        ["primary"] + ["object"] * (len(ids) - 1)
    actors = tuple(Actor(role, "space-object", str(n), str(names[i]) if i < len(names) and names[i] else "")
                   for i, (n, role) in enumerate(zip(ids[:MAX_ACTORS], roles, strict=False)))
    orbit = None
    evidence = item.get("evidence") or {}
    if item["type"] in ("geo_drift", "geo_relocation"):
        orbit = {"regime": "GEO", "longitude_deg": evidence.get("from_longitude_deg")}
    owners = item.get("owners") or {}
    payload = {k: v for k, v in item.items() if k not in ("id", "type", "norad_ids", "summary")}
    if len(ids) > MAX_ACTORS:  # a large debris cloud: every object stays in the place, the first ones are actors
        payload["actors_listed"] = f"the first {MAX_ACTORS} of {len(ids)} objects (all are in place.norad_ids)"
    return Envelope(
        id=str(item["id"]), domain="space", type=str(item["type"]), time_utc=stored_time(item["epoch_utc"]),
        start_utc=stored_time(item["start_utc"]), end_utc=stored_time(item["end_utc"]),
        title=str(item.get("summary") or item["type"])[:300], severity=str(item["severity"]),
        confidence=float(item["confidence"]), actors=actors,
        place=Place(norad_ids=tuple(ids), orbit=orbit, countries=tuple(sorted(set(map(str, owners.values()))))),
        evidence=dict(evidence), payload=payload, source=source)


def legacy_space(kind: str, time_utc: str, norad_ids: Sequence[int], title: str, detail: Mapping[str, Any] | None,
                 source: str = "", event_id: str | None = None) -> Envelope:
    """An envelope for a space event given the platform's older fields (kind, one time, objects, title, detail):
    the objects in the order given, window and severity from ``detail`` when it holds them."""
    detail = dict(detail or {})
    ids = list(dict.fromkeys(int(n) for n in norad_ids))
    actors = tuple(Actor("primary" if i == 0 else "object", "space-object", str(n)) for i, n in enumerate(ids))
    severity = str(detail["severity"]) if detail.get("severity") in SEVERITIES else "medium"
    confidence = detail.get("confidence")
    confidence = float(confidence) if isinstance(confidence, int | float) and not isinstance(confidence, bool) \
        and 0 <= confidence <= 1 else None
    start, end = time_utc, time_utc
    for key, target in (("start_utc", "start"), ("end_utc", "end")):
        value = detail.get(key)
        if isinstance(value, str) and len(value) >= 20 and value.endswith("Z"):
            if target == "start":
                start = min(stored_time(value), time_utc)
            else:
                end = max(stored_time(value), time_utc)
    found = detail.get("evidence")
    evidence: dict[str, Any] = found if isinstance(found, dict) else {}
    return Envelope(id=event_id or str(uuid.uuid4()), domain="space", type=kind, time_utc=time_utc,
                    start_utc=start, end_utc=end, title=title[:300], severity=severity, confidence=confidence,
                    actors=actors, place=Place(norad_ids=tuple(ids)), evidence=evidence, payload=detail,
                    source=source)


# --- FIMI ---------------------------------------------------------------------------------------------------------

_CONFIDENCE = {"high": 0.9, "medium": 0.6, "low": 0.3}  #: FIMI's word confidences as numbers
_STATE_LINKED = ("official-state-channel", "state-controlled-outlet", "state-linked")


def _day_start(day: str) -> str:
    return f"{day[:10]}T00:00:00.000000000Z"


def _day_end(day: str) -> str:
    return f"{day[:10]}T23:59:59.999999999Z"


def from_fimi_incident(record_id: str, fields: Mapping[str, Any], attribution: str) -> Envelope:
    """The envelope of a stored FIMI incident (``fields``: :meth:`kompas.fimi.incident.Incident.as_dict`):
    actors first (attributed), then the channels and the targets; severity ``high`` when attributed to an official
    state channel, a state-controlled outlet or a state-linked actor, else ``medium``; the publication links as
    evidence."""
    actors = [Actor("actor", "threat-actor", str(a.get("name", "")), str(a.get("name", "")))
              for a in fields.get("actors", [])]
    actors += [Actor("channel", "outlet", str(c.get("name", "")), str(c.get("name", "")))
               for c in fields.get("channels", [])]
    actors += [Actor("target", str(t.get("kind") or "target"), str(t.get("name", "")), str(t.get("name", "")))
               for t in fields.get("targets", [])]
    countries = tuple(dict.fromkeys(str(t.get("name", "")) for t in fields.get("targets", [])
                                    if t.get("kind") == "country"))
    first = str(fields.get("first_seen", ""))[:10]
    last = str(fields.get("last_seen") or first)[:10]
    evidence = {"urls": [e.get("url", "") for e in fields.get("evidence", []) if e.get("url")][:100]}
    payload = {"incident_id": record_id, "ref": fields.get("ref", ""), "source": fields.get("source", ""),
               "attribution": attribution, "languages": list(fields.get("languages", [])),
               "narratives": list(fields.get("narratives", [])), "techniques": list(fields.get("techniques", []))}
    return Envelope(id=record_id, domain="fimi", type="incident", time_utc=_day_start(first),
                    start_utc=_day_start(first), end_utc=_day_end(max(first, last)),
                    title=str(fields.get("title", ""))[:300],
                    severity="high" if attribution in _STATE_LINKED else "medium",
                    confidence=_CONFIDENCE.get(str(fields.get("confidence", "")).lower()),
                    actors=tuple(actors[:MAX_ACTORS]), place=Place(countries=countries), evidence=evidence,
                    payload=payload, source=f"fimi {fields.get('source', '')}".strip())


#: MISP threat level -> envelope severity (``undefined``: medium, as an unrated report is neither).
_THREAT_SEVERITY = {"high": "high", "medium": "medium", "low": "low", "undefined": "medium"}


def from_cyber_incident(fields: Mapping[str, Any], source: str = "cyber") -> Envelope:
    """The envelope of a shared cyber incident (``fields``: :meth:`kompas.cyber.model.Incident.as_dict`): the
    threat actors its source names as ``actor`` (the source's claim, not an attribution), the affected member
    states as the place; started (else detected, else its date) to detected (or reported) as the window; severity
    from MISP's threat level (``high`` also when NIS2's impact severity is ``red``); the payload what the response
    engine reads: ``techniques`` (ATT&CK Enterprise or ICS by id), ``software`` (malware and tools), ``sectors``
    (NIS2) and the RSIT class and type; as evidence the count of the observables marked as the incident (those
    marked apart are neither counted nor shown here: they stay in the cyber tables, under their markings)."""
    day = str(fields.get("date") or "")[:10]
    times = [stored_time(t) for t in (fields.get("started_utc"), fields.get("detected_utc"),
                                      fields.get("reported_utc")) if isinstance(t, str) and t]
    start = times[0] if times else _day_start(day)
    end = max([*times, start])
    nis2 = fields.get("nis2") or {}
    severity = _THREAT_SEVERITY.get(str(fields.get("threat_level", "undefined")), "medium")
    if str(nis2.get("impact_severity") or "").lower() == "red":  # NIS2 taxonomy: red, yellow, green, white
        severity = "high"
    actors = [Actor("actor", "threat-actor", str(a), str(a)) for a in fields.get("actors", [])]
    actors += [Actor("target", "country", str(c), str(c)) for c in fields.get("member_states", [])]
    payload = {"incident_id": fields.get("id"), "rsit_class": fields.get("rsit_class"),
               "rsit_type": fields.get("rsit_type"), "sectors": list(nis2.get("sectors") or []),
               "techniques": list(fields.get("techniques", [])),
               "software": list(fields.get("malware", [])) + list(fields.get("tools", [])),
               "entity_type": nis2.get("entity_type"), "significant": nis2.get("significant"),
               "analysis": fields.get("analysis"), "source_org": fields.get("source_org", "")}
    shared = [o for o in fields.get("observables", []) if not o.get("marking")]  # those marked as the incident
    evidence = {"observables": len(shared), "to_ids": sum(1 for o in shared if o.get("to_ids"))}
    return Envelope(id=str(fields["id"]), domain="cyber", type="incident", time_utc=start, start_utc=start,
                    end_utc=end, title=str(fields.get("title", ""))[:300], severity=severity, confidence=None,
                    actors=tuple(actors[:MAX_ACTORS]),
                    place=Place(countries=tuple(map(str, fields.get("member_states", [])))), evidence=evidence,
                    payload=payload, source=source[:200])


def from_fimi_surge(record_id: str, surge: Mapping[str, Any]) -> Envelope:
    """The envelope of a stored FIMI surge (an item of :meth:`kompas.fimi.analysis.Analysis.surge_items`): the
    outlets as channels, the targets; severity ``high`` when it spans 3 or more languages or 8 or more outlets,
    else ``medium``; the incidents and counts as evidence."""
    outlets = list(surge.get("outlets", []))
    targets = [t["name"] if isinstance(t, dict) else str(t) for t in surge.get("targets", [])]
    actors = [Actor("channel", "outlet", str(o), str(o)) for o in outlets]
    actors += [Actor("target", "target", t, t) for t in targets]
    languages = list(surge.get("languages", []))
    evidence = {k: surge[k] for k in ("cases", "expected_per_window", "score", "incident_ids") if k in surge}
    evidence["incidents"] = list(surge.get("evidence", []))[:100]
    return Envelope(id=record_id, domain="fimi", type="surge", time_utc=stored_time(str(surge["start_utc"])),
                    start_utc=stored_time(str(surge["start_utc"])), end_utc=stored_time(str(surge["end_utc"])),
                    title=f"surge: {surge.get('label', '')}"[:300],
                    severity="high" if len(languages) >= 3 or len(outlets) >= 8 else "medium", confidence=None,
                    actors=tuple(actors[:MAX_ACTORS]), evidence=evidence,
                    payload={k: v for k, v in surge.items() if k not in ("incident_ids", "evidence")},
                    source="fimi analysis")


_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?Z?$")


def from_dict(data: object, source: str = "") -> tuple[Envelope | None, list[tuple[str, str]]]:
    """An envelope from its JSON form (as ``GET /api/v1/events/{id}`` answers it: ``id, domain, type, time_utc,
    start_utc, end_utc, title, severity, confidence, actors, place, evidence`` and the payload as ``detail`` or
    ``payload``), with every problem as ``(field, reason)``: ``(None, problems)`` when it cannot be one, else the
    envelope and the problems :func:`problems` finds (empty when it may be used). Times may be given in any ISO
    8601 UTC form (a day, minutes, seconds with up to 9 decimals; ``Z`` optional)."""
    import numpy as np

    from kompas.times import utc_text_ns

    if not isinstance(data, Mapping):
        return None, [("", "an event is a JSON object (the platform's event envelope)")]
    found: list[tuple[str, str]] = []

    def text(key: str, required: bool = True, most: int = 300) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                found.append((key, "required"))
            return ""
        if not isinstance(value, str):
            found.append((key, "must be text"))
            return ""
        return value[:most]

    times = {}
    for key in ("time_utc", "start_utc", "end_utc"):
        raw = text(key, key == "time_utc", 40)
        try:
            if raw and (not _ISO_TIME.match(raw) or not 1957 <= int(raw[:4]) <= 2100):
                raise ValueError(raw)
            times[key] = utc_text_ns(np.datetime64(raw.rstrip("Z"), "ns")) if raw else ""
        except (ValueError, TypeError):
            found.append((key, f"{raw!r} is not an ISO 8601 UTC time in 1957..2100"))
            times[key] = ""
    times["start_utc"] = times["start_utc"] or times["time_utc"]
    times["end_utc"] = times["end_utc"] or times["time_utc"]
    actors = []
    raw_actors = data.get("actors") or []
    if not isinstance(raw_actors, list):
        found.append(("actors", "must be a list"))
        raw_actors = []
    for k, a in enumerate(raw_actors[:MAX_ACTORS]):
        if not isinstance(a, Mapping) or not all(isinstance(a.get(f, ""), str) for f in ("role", "kind", "id", "name")):
            found.append((f"actors[{k}]", "must be an object of texts: role, kind, id, name"))
            continue
        actors.append(Actor(a.get("role") or "object", a.get("kind") or "", a.get("id") or "", a.get("name") or ""))
    place = data.get("place") or {}
    if not isinstance(place, Mapping):
        found.append(("place", "must be an object"))
        place = {}
    lat, lon = place.get("lat"), place.get("lon")
    for key in ("norad_ids", "countries"):
        if not isinstance(place.get(key) or [], list):
            found.append((f"place.{key}", "must be a list"))
    listed = {k: v if isinstance(v := place.get(k), list) else [] for k in ("norad_ids", "countries")}
    numbers = [n for n in listed["norad_ids"][:MAX_ACTORS] if isinstance(n, int) and not isinstance(n, bool)]
    countries = [c[:64] for c in listed["countries"][:300] if isinstance(c, str)]
    for key, value in (("place.lat", lat), ("place.lon", lon)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            found.append((key, "must be a number (degrees)"))
    confidence = data.get("confidence")
    if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, int | float)):
        found.append(("confidence", "must be a number in 0..1 or null"))
        confidence = None
    evidence, payload = data.get("evidence") or {}, data.get("payload", data.get("detail")) or {}
    for key, value in (("evidence", evidence), ("payload", payload)):
        if not isinstance(value, Mapping):
            found.append((key, "must be an object"))
    if found:
        return None, found
    envelope = Envelope(
        id=text("id", False) or str(uuid.uuid4()), domain=text("domain"), type=text("type", most=64),
        time_utc=times["time_utc"], start_utc=times["start_utc"], end_utc=times["end_utc"],
        title=text("title", False), severity=text("severity", False) or "medium",
        confidence=float(confidence) if confidence is not None else None, actors=tuple(actors),
        place=Place(float(lat) if isinstance(lat, int | float) and not isinstance(lat, bool) else None,
                    float(lon) if isinstance(lon, int | float) and not isinstance(lon, bool) else None,
                    tuple(numbers), place.get("orbit") if isinstance(place.get("orbit"), Mapping) else None,
                    tuple(countries)),
        evidence=dict(evidence), payload=dict(payload), source=text("source", False) or source)
    return envelope, found + problems(envelope)


# --- infra (issue 24) ---------------------------------------------------------------------------------------------

#: Stress-test measure (a row's ``kind``) -> (the service it carries, its CER Directive sector): what the response
#: engine reads as ``payload.services`` and ``payload.sectors`` (``energy`` and ``digital-infrastructure`` make the
#: event one on critical infrastructure).
INFRA_SERVICES = {"cables": ("international connectivity (submarine cables)", "digital-infrastructure"),
                  "hvdc_mw": ("electricity interconnection (HVDC)", "energy"),
                  "ac_mw": ("electricity interconnection (AC lines)", "energy"),
                  "pipeline_gwh_d": ("gas transmission (pipelines)", "energy"),
                  "ixp": ("internet exchange", "digital-infrastructure")}
#: Element kind (and a link's kind) -> the measure whose service it carries, for assets lost without a row changing.
_INFRA_MEASURE = {"cable": "cables", "landing": "cables", "building": "ixp", "exchange": "ixp", "hvdc": "hvdc_mw",
                  "ac": "ac_mw", "pipeline": "pipeline_gwh_d"}
#: Element kind -> the actor kind of an asset in the envelope.
INFRA_ACTOR_KINDS = {"cable": "submarine-cable", "link": "interconnector", "landing": "landing-station",
                     "building": "data-centre", "exchange": "internet-exchange"}
_INFRA_ROWS = 500  #: rows, assets and pairs kept in an event's payload (the stress answer has them all)


def infra_severity(result: Mapping[str, Any], member_states: Sequence[str]) -> str:
    """The severity of a stress result (:meth:`kompas.infra.stress.StressResult.as_dict`) for ``member_states``:
    ``high`` when a member state can no longer reach a country it reached, is left without any direct carrier to
    a neighbour, or loses more than half of a direct power or gas capacity; ``medium`` when any capacity or
    exchange is lost; ``low`` otherwise (the loss is absorbed by redundancy)."""
    states = set(member_states)
    rows = [r for r in result.get("rows") or [] if isinstance(r, Mapping)]
    if any({d.get("from_country"), d.get("to_country")} & states for d in result.get("disconnected") or []
           if isinstance(d, Mapping)):
        return "high"
    for row in rows:
        if not {row.get("from_country"), row.get("to_country")} & states:
            continue
        before, after = float(row.get("before") or 0), float(row.get("after") or 0)
        if row.get("kind") != "ixp" and before > 0 and (after == 0 or (
                row.get("kind") != "cables" and (before - after) / before > 0.5)):
            return "high"
    return "medium" if rows else "low"


def _infra_payload(result: Mapping[str, Any], member_states: Sequence[str]) -> dict[str, Any]:
    """The payload the response engine and the pages read from a stress result: ``member_states`` (ISO alpha-2),
    ``assets_affected`` (the elements lost), ``services`` and ``sectors`` (:data:`INFRA_SERVICES`), the rows, the
    pairs disconnected, the alternatives (countries only) and the exchanges cut off, each bounded."""
    removed = [dict(r) for r in result.get("removed") or [] if isinstance(r, Mapping)]
    rows = [dict(r) for r in result.get("rows") or [] if isinstance(r, Mapping)]
    measures = [str(r.get("kind")) for r in rows]
    for asset in removed:
        ref = str(asset.get("ref", ""))
        kind = ref.split(":", 1)[0]
        measures.append(_INFRA_MEASURE.get(str(asset.get("link_kind", "")), _INFRA_MEASURE.get(kind, "")))
    chosen = [INFRA_SERVICES[m] for m in dict.fromkeys(measures) if m in INFRA_SERVICES]
    kept = ("reachable", "shortest_hops", "exits", "entries", "transit")
    found = list((result.get("alternatives") or {}).items())[:_INFRA_ROWS]
    alternatives = {str(k): {key: v.get(key) for key in kept} for k, v in found if isinstance(v, Mapping)}
    return {"scenario": str(result.get("scenario", ""))[:2000], "member_states": list(member_states),
            "countries": list(result.get("countries") or [])[:300], "assets_affected": removed[:_INFRA_ROWS],
            "services": list(dict.fromkeys(s for s, _ in chosen)), "sectors": list(dict.fromkeys(c for _, c in chosen)),
            "rows": rows[:_INFRA_ROWS], "disconnected": list(result.get("disconnected") or [])[:_INFRA_ROWS],
            "alternatives": alternatives, "exchanges_cut": list(result.get("exchanges_cut") or [])[:_INFRA_ROWS],
            "caveats": [str(c) for c in result.get("caveats") or []]}


def _infra_evidence(result: Mapping[str, Any]) -> dict[str, Any]:
    lost: dict[str, float] = {}
    for row in result.get("rows") or []:
        if isinstance(row, Mapping):
            key = f"{row.get('kind')}_lost"
            lost[key] = round(lost.get(key, 0.0) + float(row.get("before") or 0) - float(row.get("after") or 0), 3)
    return {"elements_removed": len(result.get("removed") or []), "pairs_changed": len(result.get("rows") or []),
            "pairs_disconnected": len(result.get("disconnected") or []), **lost}


def _infra_assets(result: Mapping[str, Any]) -> list[Actor]:
    return [Actor("asset", INFRA_ACTOR_KINDS.get(str(r.get("kind")), "infrastructure"), str(r.get("ref", ""))[:200],
                  str(r.get("name", ""))[:300]) for r in list(result.get("removed") or [])[:MAX_ACTORS - 1]
            if isinstance(r, Mapping)]


def from_infra_stress(event_id: str, result: Mapping[str, Any], time_utc: str, member_states: Sequence[str],
                      source: str = "infra stress test") -> Envelope:
    """The envelope of a recorded stress test (``result``: :meth:`kompas.infra.stress.StressResult.as_dict`) run at
    ``time_utc``: type ``stress-test``, the elements removed as assets, the countries concerned as the place, the
    severity of :func:`infra_severity` for ``member_states`` (the EU member states among the countries concerned),
    the payload of :func:`_infra_payload`. A stress test is a hypothesis, not an incident: nothing happened."""
    when = stored_time(time_utc)
    payload = _infra_payload(result, member_states) | {"hypothetical": True}
    countries = tuple(dict.fromkeys([*member_states, *payload["countries"]]))[:300]
    return Envelope(id=event_id, domain="infra", type="stress-test", time_utc=when, start_utc=when, end_utc=when,
                    title=f"stress test: {result.get('scenario', '')}"[:300],
                    severity=infra_severity(result, member_states), confidence=None,
                    actors=tuple(_infra_assets(result)), place=Place(countries=countries),
                    evidence=_infra_evidence(result), payload=payload, source=source[:200])


def from_infra_incident(event_id: str, fields: Mapping[str, Any], result: Mapping[str, Any],
                        member_states: Sequence[str], source: str = "infra incident") -> Envelope:
    """The envelope of an infrastructure incident: ``fields`` as recorded (``time_utc`` of the damage,
    ``reported_utc``, ``title``, ``cause`` suspected, ``vessel`` when known, ``lat``/``lon`` of the place, ``note``,
    ``assets`` as named) and ``result`` the stress result of losing the damaged assets. Type ``incident``; the damaged
    assets as actors (role asset), a vessel as an actor of kind ``vessel`` (a suspicion, never an attribution); the
    severity of :func:`infra_severity`, at least ``medium`` (damage happened); the payload of
    :func:`_infra_payload` with the recorded fields."""
    start = stored_time(str(fields["time_utc"]))
    end = start  # the damage happened then; when it was reported is in the payload (reported_utc), not the span
    severity = infra_severity(result, member_states)
    severity = "medium" if severity == "low" else severity
    actors = _infra_assets(result)
    vessel = fields.get("vessel")
    if vessel:
        actors.append(Actor("actor", "vessel", str(vessel)[:200], str(vessel)[:300]))
    names = ", ".join(str(r.get("name", "")) for r in list(result.get("removed") or [])[:5] if isinstance(r, Mapping))
    payload = _infra_payload(result, member_states) | {
        "cause": fields.get("cause") or "unknown", "vessel": vessel or None, "assets_named": list(fields.get("assets")
                                                                                               or [])[:_INFRA_ROWS],
        "note": str(fields.get("note") or "")[:4000], "kinds": ["infrastructure-damage"]}
    lat, lon = fields.get("lat"), fields.get("lon")
    countries = tuple(dict.fromkeys([*member_states, *payload["countries"]]))[:300]
    return Envelope(id=event_id, domain="infra", type="incident", time_utc=start, start_utc=start, end_utc=end,
                    title=str(fields.get("title") or f"damage to {names}")[:300], severity=severity, confidence=None,
                    actors=tuple(actors), place=Place(lat=None if lat is None else float(lat),
                                                      lon=None if lon is None else float(lon), countries=countries),
                    evidence=_infra_evidence(result), payload=payload, source=source[:200])


# --- maritime -----------------------------------------------------------------------------------------------------

#: Maritime event types that matter near undersea infrastructure (raised to ``high`` when an asset is named).
MARITIME_THREATS = ("anchor_drag", "dark", "drift", "loitering")


def maritime_severity(event: Mapping[str, Any]) -> str:
    """``high`` for an anchor drag, a vessel going dark, drifting or loitering near a named undersea asset; ``low``
    for data errors, coverage holes and stops; ``medium`` otherwise (anchor drags, drift, loitering, going dark,
    encounters and identity anomalies away from the assets)."""
    if event.get("data_error") or event.get("type") in ("reception_gap", "stop"):
        return "low"
    if event.get("assets") and event.get("type") in MARITIME_THREATS:
        return "high"
    return "medium"


def from_maritime_event(event: Mapping[str, Any], source: str = "maritime", scope: str = "") -> Envelope:
    """The envelope of a maritime event (:meth:`kompas.maritime.events.Event.as_dict`): the vessel as the primary
    actor (kind ``vessel``, id its MMSI; an encounter's other vessel secondary), each undersea asset named as an
    ``asset`` actor, the event's position and the assets' countries as the place, severity of
    :func:`maritime_severity`, the rule and figures as evidence, the rest (vessel, assets, evidence fixes) as
    payload; near an asset, a behaviour of :data:`MARITIME_THREATS` also names the services and CER sectors the
    assets carry (:data:`INFRA_SERVICES`) and the kinds ``threat-to-undersea-infrastructure`` and the behaviour, for
    the response engine (a threat to the assets, not damage known). The id is derived from the type, MMSI, start
    and ``scope`` (the recording organisation and the marking), so the same event recorded twice by one
    organisation under one marking is stored once, and another's recording neither collides with it nor reveals
    it."""
    start, end = stored_time(str(event["start_utc"])), stored_time(str(event["end_utc"]))
    vessel = event.get("vessel") or {}
    name = str(vessel.get("name") or "")
    actors = [Actor("primary", "vessel", str(event["mmsi"]), name or f"MMSI {event['mmsi']}")]
    if event.get("other_mmsi"):
        actors.append(Actor("secondary", "vessel", str(event["other_mmsi"]), f"MMSI {event['other_mmsi']}"))
    assets = [a for a in event.get("assets") or [] if isinstance(a, Mapping)][:MAX_ACTORS - 2]
    for asset in assets:
        kind = "submarine-cable" if str(asset.get("ref", "")).startswith("cable:") else "interconnector"
        actors.append(Actor("asset", kind, str(asset.get("ref", ""))[:200], str(asset.get("name", ""))[:300]))
    countries = tuple(dict.fromkeys(str(c) for a in assets for c in a.get("countries") or []))[:300]
    detail = dict(event.get("detail") or {})
    near = f" near {event['asset']}" if event.get("asset") else ""
    title = f"{event['type'].replace('_', ' ')}: {name or 'MMSI ' + str(event['mmsi'])}{near}"
    payload = {k: v for k, v in event.items() if k not in ("type", "detail")}
    if assets and event.get("type") in MARITIME_THREATS:  # a threat to the assets: what the response engine reads
        chosen = [INFRA_SERVICES["cables" if str(a.get("ref", "")).startswith("cable:") else "hvdc_mw"]
                  for a in assets]
        payload |= {"services": list(dict.fromkeys(s for s, _ in chosen)),
                    "sectors": list(dict.fromkeys(c for _, c in chosen)),
                    "kinds": ["threat-to-undersea-infrastructure", str(event["type"]).replace("_", "-")]}
    return Envelope(id=derived_id("maritime", str(event["type"]), str(event["mmsi"]), start,
                                  str(event.get("other_mmsi") or ""), scope),
                    domain="maritime", type=str(event["type"])[:32], time_utc=start, start_utc=start, end_utc=end,
                    title=title[:300], severity=maritime_severity(event), confidence=None, actors=tuple(actors),
                    place=Place(lat=float(event["lat"]), lon=float(event["lon"]), countries=countries),
                    evidence=detail, payload=payload, source=source[:200])


# --- early warning of armed conflict (issue 26) -------------------------------------------------------------------


def from_warning(warning: Mapping[str, Any], source: str = "kompas warning", scope: str = "") -> Envelope:
    """The envelope of a conflict warning (:meth:`kompas.warning.alerts.ConflictWarning.as_dict`): domain ``intel``,
    type ``conflict-warning``; the country as the primary actor (kind ``country``, id its ISO3 code, else the VIEWS
    id) and as ``place.countries``; the span of the months warned about (a year threshold: the whole window); the
    warning's severity (from its probability); as evidence the probability, the threshold (fatalities, span,
    probability), the model, the window, the expected fatalities and the months; the whole warning as payload. A
    forecast is not an observation: ``payload.forecast`` is true and ``confidence`` None (the probability is in the
    evidence). The id is derived from the model, window, country, threshold and ``scope`` (the recording
    organisation and marking), so the same warning recorded twice is stored once."""
    from calendar import monthrange  # imported here: this function is appended to the module (one owner per part)

    threshold = dict(warning.get("threshold") or {})
    months = [str(m) for m in warning.get("months") or []] or [str(warning.get("peak_month", ""))]
    first, last = min(months), max(months)
    year, month = (int(part) for part in last.split("-")[:2])
    days = monthrange(year, month)[1]
    start, end = stored_time(f"{first}-01T00:00:00Z"), stored_time(f"{last}-{days:02d}T23:59:59.999Z")
    code = str(warning.get("iso3") or "")
    name = str(warning.get("country") or code or f"VIEWS country {warning.get('country_id')}")
    span = str(threshold.get("span", "month"))
    probability = float(warning.get("probability", 0.0))
    fatalities = float(threshold.get("fatalities", 0.0))
    title = (f"conflict warning: {name}, P(>= {fatalities:g} deaths in a {span}) = {probability:.2f} "
             f"({warning.get('window')}, {warning.get('model')})")
    evidence = {"probability": probability, "threshold_fatalities": fatalities,
                "threshold_probability": float(threshold.get("probability", 0.0)), "span": span,
                "model": str(warning.get("model", "")), "window": warning.get("window"),
                "expected_fatalities": float(warning.get("expected_fatalities", 0.0)), "months": months[:12],
                "peak_month": str(warning.get("peak_month", ""))}
    severity = str(warning.get("severity")) if warning.get("severity") in SEVERITIES else "medium"
    time_utc = stored_time(f"{warning.get('peak_month') or first}-01T00:00:00Z")
    return Envelope(
        id=derived_id("conflict-warning", str(warning.get("model")), str(warning.get("window")),
                      code or str(warning.get("country_id")), span, f"{fatalities:g}",
                      str(threshold.get("probability")), scope),
        domain="intel", type="conflict-warning", time_utc=min(max(time_utc, start), end), start_utc=start,
        end_utc=end, title=title[:300], severity=severity, confidence=None,
        actors=(Actor("primary", "country", (code or str(warning.get("country_id")))[:200], name[:300]),),
        place=Place(countries=(code,) if code else ()), evidence=evidence,
        payload={**{k: v for k, v in warning.items() if k != "notes"}, "notes": list(warning.get("notes") or [])[:20],
                 "forecast": True, "kinds": ["armed-conflict-warning"]},
        source=source[:200])
