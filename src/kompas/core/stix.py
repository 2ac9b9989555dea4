"""STIX 2.1 export and import of events, with their markings.

An event is a STIX ``incident`` (name, description) with Kompas's fields as custom properties
(``x_kompas_kind``, ``x_kompas_time_utc``, ``x_kompas_norad_ids``, ``x_kompas_detail``). Its marking travels as
two marking definitions referenced from ``object_marking_refs``:

- the FIRST TLP 2.0 marking definition (the fixed identifiers of the OASIS TLP 2.0 extension, as OpenCTI and
  MISP use them); TLP 1.0 definitions (``definition_type: tlp``) are understood on import;
- a ``statement`` marking definition whose statement is the EU classification banner
  (``SECRET UE/EU SECRET // REL TO ...``), with the full marking as ``x_kompas_marking``; its id is derived from
  the marking, so equal markings share one definition.

On import, the classification comes from ``x_kompas_marking`` or, failing that, from an EU classification name at
the start of a statement; an incident without any is UNCLASSIFIED under its TLP (AMBER when none).

With ``observed`` (:func:`export_events`), each event is also what was observed, in STIX 2.1's own objects:

- an ``observed-data`` (``first_observed``/``last_observed``: the event's window ``start_utc``..``end_utc``,
  ``number_observed`` 1: one detection) whose ``object_refs`` are the event's actors as observables, in their order;
- each actor as an observable ``x-kompas-actor`` (a custom SCO: ``actor_kind``, ``actor_id``, ``name`` and, for a
  space object, ``norad_id``; STIX 2.1 lets ``object_refs`` name only SCOs and SROs), and as a domain object: a
  space object or an outlet an ``infrastructure`` (which ``consists-of`` its observable), anything else (a threat
  actor, a country, a target) an ``identity`` (``related-to`` its observable);
- relationships from the incident: ``related-to`` the observed-data, and ``related-to`` each actor's domain object
  with the actor's ``x_kompas_role`` and ``x_kompas_order`` (0 the primary, then in the envelope's order).

Every object carries the event's ``object_marking_refs``; the derived objects' ids come from the event (and for an
actor from its kind, id and the marking: one actor under two markings is two objects, each marked as its event), so
an export is the same bundle every time. An import reads the incidents; the other objects are allowed and, when an
incident has no ``x_kompas_actors`` (a bundle from another tool), its actors come from its relationships to
identities and infrastructures (by ``x_kompas_order``, else in bundle order).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import stix2
from stix2.properties import IntegerProperty, StringProperty

from kompas.core.envelope import DOMAINS, MAX_ACTORS, SEVERITIES, Actor, Envelope, Place, json_problem, legacy_space
from kompas.core.markings import TLP, Classification, Marking, MarkingError
from kompas.space.elements import Rejection
from kompas.times import utc_text_ns

if TYPE_CHECKING:
    from kompas.fimi.incident import Incident

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_IDS = {
    TLP.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    TLP.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    TLP.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    TLP.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    TLP.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP1_IDS = {stix2.TLP_WHITE.id: TLP.CLEAR, stix2.TLP_GREEN.id: TLP.GREEN, stix2.TLP_AMBER.id: TLP.AMBER,
            stix2.TLP_RED.id: TLP.RED}
NAMESPACE = uuid.UUID("5d1c3a4e-7f0b-4c55-9b7e-3a0f6f1f2a10")  # Kompas's namespace for derived STIX ids
ACTOR_SCO = "x-kompas-actor"  #: the observable of an event's actor (a custom STIX cyber-observable)
INFRASTRUCTURE_KINDS = frozenset({"space-object", "outlet"})  #: actors exported as infrastructure (else identity)
IDENTITY_CLASSES = {"country": "organization", "threat-actor": "group", "organisation": "organization",
                    "organization": "organization", "person": "individual"}  #: identity_class by actor kind
CREATED = "2026-01-01T00:00:00.000Z"  #: created/modified of the objects shared by events (actors)


def _stix_time(time_utc: str) -> str:
    """STIX timestamps: RFC 3339 UTC with millisecond precision."""
    return time_utc[:23] + "Z"


def tlp_definition(tlp: TLP) -> dict:
    """The TLP 2.0 marking definition (OASIS extension form)."""
    return {"type": "marking-definition", "spec_version": "2.1", "id": TLP2_IDS[tlp],
            "created": "2022-10-01T00:00:00.000Z", "name": tlp.label,
            "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension",
                                            "tlp_2_0": tlp.name.lower().replace("_", "+")}}}


def statement_definition(marking: Marking) -> dict:
    """The statement marking definition carrying the EU classification banner and the whole marking."""
    return {"type": "marking-definition", "spec_version": "2.1",
            "id": f"marking-definition--{uuid.uuid5(NAMESPACE, marking.key())}",
            "created": "2026-01-01T00:00:00.000Z", "definition_type": "statement",
            "definition": {"statement": marking.banner()}, "x_kompas_marking": marking.as_dict()}


@stix2.v21.CustomObservable(ACTOR_SCO, [("actor_kind", StringProperty(required=True)),
                                        ("actor_id", StringProperty(required=True)), ("name", StringProperty()),
                                        ("norad_id", IntegerProperty(min=1))],
                            id_contrib_props=["actor_kind", "actor_id"])
class KompasActor:
    """The ``x-kompas-actor`` observable (registered with stix2 so that its parser checks its properties)."""


def _derived_id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(parts))}"


def observed_objects(event: dict, incident_id: str, refs: list[str], marking_key: str) -> list[dict]:
    """The observed-data, actor observables and objects, and relationships of one event (see the module
    docstring), each marked with ``refs``. ``marking_key``: :meth:`Marking.key` of the event's marking."""
    marked: dict[str, Any] = {"spec_version": "2.1", "object_marking_refs": refs}
    created = _stix_time(event["time_utc"])
    start = _stix_time(event.get("start_utc") or event["time_utc"])
    end = max(start, _stix_time(event.get("end_utc") or event["time_utc"]))
    actors = [a for a in event.get("actors") or [] if isinstance(a, dict)]
    if not actors:  # observed-data needs an observable: the event's subject, of no known kind
        actors = [{"role": "subject", "kind": "unspecified", "id": event["id"], "name": event.get("title", "")}]
    out: list[dict] = []
    observables = []
    for order, actor in enumerate(actors):
        kind, ident = str(actor.get("kind") or "unspecified"), str(actor.get("id") or "")
        name = str(actor.get("name") or "") or (f"NORAD {ident}" if kind == "space-object" else ident) or kind
        sco: dict[str, Any] = {"type": ACTOR_SCO, "id": _derived_id(ACTOR_SCO, marking_key, kind, ident), **marked,
               "actor_kind": kind, "actor_id": ident or kind, "name": name}
        if kind == "space-object" and ident.isdigit() and 0 < int(ident) < 1_000_000_000:
            sco["norad_id"] = int(ident)
        observables.append(sco["id"])
        sdo_type = "infrastructure" if kind in INFRASTRUCTURE_KINDS else "identity"
        sdo = {"type": sdo_type, "id": _derived_id(sdo_type, marking_key, kind, ident), **marked,
               "created": CREATED, "modified": CREATED, "name": name, "x_kompas_actor_kind": kind,
               "x_kompas_actor_id": ident}
        if sdo_type == "identity":
            sdo["identity_class"] = IDENTITY_CLASSES.get(kind, "unknown")
        link = "consists-of" if sdo_type == "infrastructure" else "related-to"
        out += [sco, sdo,
                {"type": "relationship", "id": _derived_id("relationship", marking_key, kind, ident, link), **marked,
                 "created": CREATED, "modified": CREATED, "relationship_type": link, "source_ref": sdo["id"],
                 "target_ref": sco["id"]},
                {"type": "relationship", "id": _derived_id("relationship", incident_id, "actor", str(order)),
                 **marked, "created": created, "modified": created, "relationship_type": "related-to",
                 "source_ref": incident_id, "target_ref": sdo["id"],
                 "description": f"{actor.get('role') or 'object'} of the incident (order {order})",
                 "x_kompas_role": str(actor.get("role") or "object"), "x_kompas_order": order}]
    observed = {"type": "observed-data", "id": _derived_id("observed-data", incident_id), **marked,
                "created": created, "modified": created, "first_observed": start, "last_observed": end,
                "number_observed": 1, "object_refs": list(dict.fromkeys(observables))}
    return [observed, {"type": "relationship", "id": _derived_id("relationship", incident_id, "observed"), **marked,
                       "created": created, "modified": created, "relationship_type": "related-to",
                       "source_ref": incident_id, "target_ref": observed["id"],
                       "description": "what was observed: the event's window and objects"}, *out]


def export_events(events: Iterable[dict], observed: bool = False) -> dict:
    """A STIX 2.1 bundle of events in the envelope (as :meth:`Store.events` returns them) and their marking
    definitions: each event an ``incident`` carrying the envelope as ``x_kompas_*`` properties (confidence also as
    STIX's 0-100 ``confidence``). With ``observed``, each event also as observed-data, its actors and the
    relationships between them (:func:`observed_objects`, the module docstring)."""
    objects: dict[str, dict] = {}
    for event in events:
        marking = marking_from_dict(event["marking"])
        refs = marking_refs(marking, objects)
        created = _stix_time(event["time_utc"])
        incident = {
            "type": "incident", "spec_version": "2.1", "id": f"incident--{event['id']}", "created": created,
            "modified": created, "name": event["title"],
            "description": f"{event.get('domain', 'space')} {event['kind']} at {event['time_utc']}",
            "object_marking_refs": refs, "x_kompas_domain": event.get("domain", "space"),
            "x_kompas_kind": event["kind"], "x_kompas_time_utc": event["time_utc"],
            "x_kompas_start_utc": event.get("start_utc", event["time_utc"]),
            "x_kompas_end_utc": event.get("end_utc", event["time_utc"]),
            "x_kompas_severity": event.get("severity", "medium"), "x_kompas_norad_ids": event["norad_ids"],
            "x_kompas_actors": event.get("actors", []), "x_kompas_place": event.get("place", {}),
            "x_kompas_evidence": event.get("evidence", {}), "x_kompas_detail": event["detail"]}
        if event.get("confidence") is not None:
            incident["confidence"] = round(100 * event["confidence"])
        for key in [k for k, v in incident.items() if k.startswith("x_kompas_") and v in ([], {})]:
            del incident[key]  # STIX 2.1 allows no empty lists (3.1); the importer reads absence as empty
        objects[incident["id"]] = incident
        if observed:
            for obj in observed_objects(event, incident["id"], refs, marking.key()):
                objects.setdefault(obj["id"], obj)
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects.values())}


def contributed_marking(marking: Marking, org: str) -> Marking:
    """The marking an item is stored under when organisation ``org`` contributes it (a STIX import, a submission):
    ``marking`` with ``org`` as the only originator, and ``org`` added to the releasability list when there is one
    (it must be able to see its own contribution).

    Originators say who contributed an item to this platform, which only the authenticated organisation can vouch
    for: originators named by a bundle (or any marking built elsewhere) are replaced, not refused, so that a bundle
    exported by one organisation and passed on by another imports as the second one's contribution (issue 18 #7).
    """
    return Marking(marking.classification, marking.tlp,
                   None if marking.releasable_to is None else marking.releasable_to | {org}, marking.clauses,
                   frozenset({org}), marking.caveats)


def marking_from_dict(data: dict) -> Marking:
    """Inverse of :meth:`Marking.as_dict`."""
    return Marking(Classification.parse(data["classification"]), TLP.parse(data["tlp"]),
                   None if data.get("releasable_to") is None else frozenset(data["releasable_to"]),
                   frozenset(frozenset(c) for c in data.get("communities", [])),
                   frozenset(data.get("originators", [])), frozenset(data.get("caveats", [])))


@dataclass
class ImportedEvent:
    """One incident read from a bundle: its fields and marking (before the importer's checks)."""

    stix_id: str
    kind: str
    time_utc: str
    norad_ids: list[int]
    title: str
    detail: dict
    marking: Marking
    properties: dict = field(default_factory=dict)  #: the incident's other x_kompas_* envelope properties

    def envelope(self, event_id: str, source: str) -> Envelope:
        """The event in the envelope under ``event_id``: the exported envelope fields where the bundle holds them
        (a Kompas export), else a space event from the older fields. Raises ValueError for a bad time."""
        from kompas.space.elements import parse_time_utc

        time_utc = _stored(parse_time_utc(self.time_utc))
        envelope = legacy_space(self.kind, time_utc, self.norad_ids, self.title, self.detail, source, event_id)
        p = self.properties
        domain = p.get("x_kompas_domain")
        if isinstance(domain, str) and domain in DOMAINS:
            envelope.domain = domain
        for key, name in (("x_kompas_start_utc", "start_utc"), ("x_kompas_end_utc", "end_utc")):
            if isinstance(p.get(key), str):
                setattr(envelope, name, _stored(parse_time_utc(p[key])))
        if p.get("x_kompas_severity") in SEVERITIES:
            envelope.severity = p["x_kompas_severity"]
        confidence = p.get("confidence")
        if isinstance(confidence, int) and not isinstance(confidence, bool) and 0 <= confidence <= 100:
            envelope.confidence = confidence / 100
        if isinstance(p.get("x_kompas_evidence"), dict):
            envelope.evidence = p["x_kompas_evidence"]
        actors = p.get("x_kompas_actors")
        if isinstance(actors, list) and all(isinstance(a, dict) for a in actors):
            envelope.actors = tuple(Actor(str(a.get("role", "object")), str(a.get("kind", "")), str(a.get("id", "")),
                                          str(a.get("name", ""))) for a in actors[:MAX_ACTORS])
        place = p.get("x_kompas_place")
        if isinstance(place, dict):
            lat, lon = place.get("lat"), place.get("lon")
            envelope.place = Place(lat if isinstance(lat, int | float) else None,
                                   lon if isinstance(lon, int | float) else None,
                                   tuple(n for n in place.get("norad_ids", self.norad_ids) if isinstance(n, int)),
                                   place.get("orbit") if isinstance(place.get("orbit"), dict) else None,
                                   tuple(str(c) for c in place.get("countries", []))[:100])
        return envelope


@dataclass
class Imported:
    """What a bundle held: events, and each object that could not be read (index in ``objects``, reason)."""

    events: list[ImportedEvent] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)


def import_events(text: str, source: str = "stix") -> Imported:
    """Read the incidents of a STIX 2.1 bundle (JSON text); malformed objects are rejected one by one."""
    out = Imported()
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as error:
        out.rejected.append({"source": source, "object": None, "reason": f"not JSON: {error}"})
        return out
    except RecursionError:
        out.rejected.append({"source": source, "object": None, "reason": "JSON nested too deeply"})
        return out
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or not isinstance(bundle.get("objects"), list):
        out.rejected.append({"source": source, "object": None, "reason": "not a STIX bundle (type 'bundle' with "
                                                                         "an 'objects' list)"})
        return out
    definitions: dict[str, dict] = {str(o.get("id")): o for o in bundle["objects"]
                   if isinstance(o, dict) and o.get("type") == "marking-definition"}
    related = _related_actors(bundle["objects"])
    for index, obj in enumerate(bundle["objects"]):
        if not isinstance(obj, dict) or obj.get("type") != "incident":
            continue
        if "\\u0000" in json.dumps(obj):
            out.rejected.append({"source": source, "object": index, "id": obj.get("id"),
                                 "reason": "contains a NUL character"})
            continue
        try:
            stix2.parse(obj, allow_custom=True, version="2.1")
            out.events.append(_event(obj, definitions, related.get(str(obj.get("id")), [])))
        except (stix2.exceptions.STIXError, MarkingError, ValueError, TypeError, KeyError) as error:
            out.rejected.append({"source": source, "object": index, "id": obj.get("id"), "reason": str(error)})
    return out


def object_marking(obj: dict, definitions: dict[str, dict]) -> Marking:
    """The marking of a STIX object from its ``object_marking_refs`` (see the module docstring); raises
    ValueError for a reference the bundle does not define."""
    tlp, marking = None, None
    for ref in obj.get("object_marking_refs", []):
        if ref in TLP1_IDS:
            tlp = TLP1_IDS[ref]
        elif ref in TLP2_IDS.values():
            tlp = next(level for level, ident in TLP2_IDS.items() if ident == ref)
        elif ref in definitions:
            marking = _statement_marking(definitions[ref]) or marking
        else:
            raise ValueError(f"object_marking_refs names {ref}, which the bundle does not define")
    if marking is None:
        return Marking(tlp=tlp if tlp is not None else TLP.AMBER)
    if tlp is not None:
        return Marking(marking.classification, max(tlp, marking.tlp), marking.releasable_to, marking.clauses,
                       marking.originators, marking.caveats)
    return marking


def marking_refs(marking: Marking, objects: dict[str, dict]) -> list[str]:
    """The ``object_marking_refs`` of ``marking``, adding its two definitions to ``objects`` (by id)."""
    tlp, statement = tlp_definition(marking.tlp), statement_definition(marking)
    objects.setdefault(tlp["id"], tlp)
    objects.setdefault(statement["id"], statement)
    return [tlp["id"], statement["id"]]


def export_incidents(incidents: Iterable[dict], tactics: dict[str, str] | None = None) -> dict:
    """A STIX 2.1 bundle of FIMI incidents (as :func:`kompas.core.incidents.incident` returns them), every object
    of an incident marked with the incident's marking (:mod:`kompas.fimi.stix` for the mapping)."""
    from kompas.fimi import stix as fimi_stix
    from kompas.fimi.incident import from_dict

    objects: dict[str, dict] = {}
    for item in incidents:
        refs = marking_refs(marking_from_dict(item["marking"]), objects)
        for obj in fimi_stix.to_objects(from_dict(item, item.get("source", "api")), item["id"], tactics):
            if obj["type"] in ("attack-pattern", "location", "threat-actor") and obj["id"] in objects:
                continue  # shared by several incidents: the first marking found stays (these hold no case data)
            objects[obj["id"]] = obj | {"object_marking_refs": refs}
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects.values())}


def import_incidents(text: str, source: str = "stix") -> tuple[list[tuple[Incident, Marking]], list[Rejection]]:
    """FIMI incidents of a STIX bundle with their markings, and the rejections (objects that cannot be read or
    name an undefined marking)."""
    from kompas.fimi import stix as fimi_stix
    from kompas.space.elements import Rejection

    found, rejections, by_id = fimi_stix.read_objects(text, source)
    out = []
    for incident, obj, index in found:
        try:
            out.append((incident, object_marking(obj, by_id)))
        except (ValueError, MarkingError) as error:
            rejections.append(Rejection(source, index, "object_marking_refs", str(error), obj.get("id", "")))
    return out, rejections


def _related_actors(objects: list) -> dict[str, list[dict]]:
    """The actors of each incident from its ``related-to`` relationships to identities and infrastructures, in
    ``x_kompas_order`` (then bundle) order: for a bundle whose incidents do not carry ``x_kompas_actors``."""
    by_id = {str(o.get("id")): o for o in objects if isinstance(o, dict)
             and o.get("type") in ("identity", "infrastructure")}
    found: dict[str, list[tuple[int, int, dict]]] = {}
    for position, rel in enumerate(objects):
        if not (isinstance(rel, dict) and rel.get("type") == "relationship"
                and rel.get("relationship_type") == "related-to"
                and str(rel.get("source_ref", "")).startswith("incident--") and str(rel.get("target_ref")) in by_id):
            continue
        target = by_id[str(rel["target_ref"])]
        order = rel.get("x_kompas_order")
        order = order if isinstance(order, int) and not isinstance(order, bool) else 1_000_000
        kind = target.get("x_kompas_actor_kind") or target["type"]
        actor = {"role": str(rel.get("x_kompas_role") or ("primary" if order == 0 else "object")), "kind": str(kind),
                 "id": str(target.get("x_kompas_actor_id") or target.get("name") or target["id"]),
                 "name": str(target.get("name") or "")}
        found.setdefault(str(rel["source_ref"]), []).append((order, position, actor))
    return {incident: [a for _, _, a in sorted(items, key=lambda x: (x[0], x[1]))]
            for incident, items in found.items()}


def _event(obj: dict, definitions: dict[str, dict], related: list[dict] | None = None) -> ImportedEvent:
    marking = object_marking(obj, definitions)
    ids = obj.get("x_kompas_norad_ids", [])
    if not isinstance(ids, list) or not all(isinstance(n, int) and 0 < n < 1_000_000_000 for n in ids):
        raise ValueError("x_kompas_norad_ids must be a list of positive integers")
    detail = obj.get("x_kompas_detail", {})
    if not isinstance(detail, dict):
        raise ValueError("x_kompas_detail must be an object")
    reason = json_problem(obj)
    if reason:
        raise ValueError(reason)
    time_utc = obj.get("x_kompas_time_utc") or obj["created"]
    properties = {k: v for k, v in obj.items() if k.startswith("x_kompas_") or k == "confidence"}
    if "x_kompas_actors" not in properties and related:
        properties["x_kompas_actors"] = related[:MAX_ACTORS]
    return ImportedEvent(obj["id"], str(obj.get("x_kompas_kind", "incident"))[:32], str(time_utc), ids,
                         str(obj["name"]), detail, marking, properties)


def _stored(time: np.datetime64) -> str:
    """A datetime64 in the stored form (ns, ``Z``)."""
    return utc_text_ns(time)


def _statement_marking(definition: dict) -> Marking | None:
    if "x_kompas_marking" in definition:
        return marking_from_dict(definition["x_kompas_marking"])
    statement = (definition.get("definition") or {}).get("statement", "")
    head = str(statement).split("//")[0].strip()
    try:
        return Marking(Classification.parse(head)) if head else None
    except MarkingError:
        return None
