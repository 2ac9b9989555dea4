"""FIMI incidents as STIX 2.1 objects, the way OpenCTI and the DISARM STIX bundle model them.

An incident becomes:

- an ``incident`` SDO (name, description, ``first_seen`` / ``last_seen`` as OpenCTI writes them, evidence as
  ``external_references``, the DISARM tactics as ``kill_chain_phases`` of the kill chain ``disarm``), carrying
  the whole Kompas record as the custom property ``x_kompas_incident``;
- an ``attack-pattern`` per DISARM technique (``external_references`` source ``DISARM``, ``external_id`` T0xxx,
  as in DISARM's own bundle) with a ``uses`` relationship from the incident;
- a ``threat-actor`` per attributed actor, with an ``attributed-to`` relationship from the incident;
- a ``location`` per target country, with a ``targets`` relationship from the incident.

Identifiers are derived (UUID 5) from the incident's id and the technique, actor or country, so that exporting
twice gives the same objects. Markings are the platform's business (:mod:`kompas.core.stix` adds them).

On import, an incident with ``x_kompas_incident`` is read from it; any other STIX ``incident`` is read from its
standard properties: name, description, first/last seen (else ``created``), external references as evidence,
and the DISARM ids of the attack patterns it ``uses``.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from functools import lru_cache
from typing import Any

import pycountry
import stix2

from kompas.fimi.incident import TECHNIQUE_ID, Evidence, Incident, IncidentError, from_dict
from kompas.rejections import Rejection

NAMESPACE = uuid.UUID("8a3f2c61-4d7e-4b8f-9a21-6c0e5b7d9f13")  #: namespace of Kompas's derived FIMI STIX ids


def _id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(parts))}"


def _time(day: str) -> str:
    return f"{day}T00:00:00.000Z"


def to_objects(incident: Incident, key: str, tactics: dict[str, str] | None = None) -> list[dict]:
    """STIX objects of one incident (``key``: its stable id, such as the stored record id); the incident first.
    ``tactics`` maps technique id to DISARM tactic name for the kill-chain phases."""
    incident_id = _id("incident", key)
    created = _time(incident.first_seen)
    refs = [{"source_name": incident.source, "url": e.url, **({"description": f"archived: {e.archive_url}"}
                                                              if e.archive_url else {})}
            for e in incident.evidence]
    main = {"type": "incident", "spec_version": "2.1", "id": incident_id, "created": created, "modified": created,
            "name": incident.title[:1000], "description": incident.summary or incident.title,
            "first_seen": created, "last_seen": _time(incident.last_seen or incident.first_seen),
            "external_references": refs, "x_kompas_incident": incident.as_dict()}
    phases = sorted({tactics[t] for t in incident.techniques if tactics and t in tactics})
    if phases:
        main["kill_chain_phases"] = [{"kill_chain_name": "disarm", "phase_name": p.lower().replace(" ", "-")}
                                     for p in phases]
    objects: list[dict[str, Any]] = [main]
    for technique in incident.techniques:
        pattern = {"type": "attack-pattern", "spec_version": "2.1", "id": _id("attack-pattern", technique),
                   "created": "2024-11-22T00:00:00.000Z", "modified": "2024-11-22T00:00:00.000Z", "name": technique,
                   "external_references": [{"source_name": "DISARM", "external_id": technique,
                                            "url": f"https://disarmframework.herokuapp.com/technique/{technique}"}]}
        objects += [pattern, _relationship(incident_id, "uses", str(pattern["id"]), created)]
    for actor in incident.actors:
        threat = {"type": "threat-actor", "spec_version": "2.1", "id": _id("threat-actor", actor.name, actor.state),
                  "created": created, "modified": created, "name": actor.name,
                  "threat_actor_types": ["nation-state"] if actor.state else ["unknown"],
                  "x_kompas_attribution": actor.category}
        objects += [threat, _relationship(incident_id, "attributed-to", str(threat["id"]), created)]
    for target in incident.targets:
        code = alpha2(target.name) if target.kind == "country" else ""
        if not code:  # a region or bloc ("EU", "West"): kept in x_kompas_incident only
            continue
        place = {"type": "location", "spec_version": "2.1", "id": _id("location", code), "created": created,
                 "modified": created, "name": target.name, "country": code}
        objects += [place, _relationship(incident_id, "targets", str(place["id"]), created)]
    return objects


COMMON_NAMES = {"Russia": "RU", "UK": "GB", "Great Britain": "GB", "Britain": "GB", "Iran": "IR", "Venezuela": "VE",
                "Bolivia": "BO", "South Korea": "KR", "North Korea": "KP", "Kosovo": "XK", "Vatican": "VA",
                "Taiwan": "TW", "Turkey": "TR", "USA": "US", "Tanzania": "TZ"}  #: names pycountry does not resolve


@lru_cache(maxsize=4096)
def alpha2(name: str) -> str:
    """ISO 3166-1 alpha-2 code of a country name or code ("Germany", "DEU", "US"), or "" when it is none."""
    name = name.strip()
    if not name or name in COMMON_NAMES:
        return COMMON_NAMES.get(name, "")
    found = pycountry.countries.get(alpha_2=name) if len(name) == 2 else None
    found = found or (pycountry.countries.get(alpha_3=name) if len(name) == 3 else None)
    if found is None:
        try:
            found = pycountry.countries.lookup(name)
        except LookupError:
            return ""
    return found.alpha_2


def _relationship(source: str, kind: str, target: str, created: str) -> dict:
    return {"type": "relationship", "spec_version": "2.1", "id": _id("relationship", source, kind, target),
            "created": created, "modified": created, "relationship_type": kind, "source_ref": source,
            "target_ref": target}


def bundle(objects: list[dict]) -> dict:
    """A STIX 2.1 bundle of ``objects`` (duplicates by id dropped)."""
    unique = {o["id"]: o for o in objects}
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(unique.values())}


def read_objects(text: str, source: str) -> tuple[list[tuple[Incident, dict, int]], list[Rejection],
                                                 dict[str, dict]]:
    """Incidents of a STIX bundle with the object each came from and its index in ``objects``, the rejections
    (``line`` = the object's index), and every object by id (for marking definitions)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [Rejection(source, error.lineno, "json", f"not JSON: {error.msg}")], {}
    except RecursionError:  # (boundary, issue 18 #11)
        return [], [Rejection(source, 1, "json", "JSON nested too deeply")], {}
    if not isinstance(data, dict) or data.get("type") != "bundle" or not isinstance(data.get("objects"), list):
        return [], [Rejection(source, 0, "bundle", "not a STIX bundle (type 'bundle' with an 'objects' list)")], {}
    objects = [o for o in data["objects"] if isinstance(o, dict)]
    by_id: dict[str, dict] = {str(o.get("id")): o for o in objects if o.get("id") is not None}
    uses: dict[str, list[str]] = defaultdict(list)
    for o in objects:
        if o.get("type") == "relationship" and o.get("relationship_type") == "uses":
            target = by_id.get(str(o.get("target_ref")), {})
            ids = [r.get("external_id", "") for r in target.get("external_references", []) if isinstance(r, dict)]
            uses[o.get("source_ref", "")] += [i for i in ids if TECHNIQUE_ID.match(i)]
    out, rejections = [], []
    for index, obj in enumerate(data["objects"]):
        if not isinstance(obj, dict) or obj.get("type") != "incident":
            continue
        try:
            if "\x00" in json.dumps(obj, ensure_ascii=False):
                raise IncidentError("incident", "contains a NUL character")
            stix2.parse(obj, allow_custom=True, version="2.1")
            out.append((_incident(obj, uses.get(obj["id"], [])), obj, index))
        except IncidentError as error:
            rejections.append(Rejection(source, index, error.field, error.reason, str(obj.get("id", ""))))
        except (stix2.exceptions.STIXError, ValueError, TypeError, KeyError) as error:
            rejections.append(Rejection(source, index, "incident", str(error)[:300], str(obj.get("id", ""))))
    return out, rejections, by_id


def import_bundle(text: str, source: str) -> tuple[list[Incident], list[Rejection]]:
    """The incidents of a STIX bundle (without markings) and the objects that could not be read."""
    found, rejections, _ = read_objects(text, source)
    return [incident for incident, _, _ in found], rejections


def _incident(obj: dict, techniques: list[str]) -> Incident:
    if isinstance(obj.get("x_kompas_incident"), dict):
        data = dict(obj["x_kompas_incident"])
        data["ref"] = data.get("ref") or obj["id"]
        found = from_dict(data, "stix")
    else:
        evidence = [{"url": r["url"]} for r in obj.get("external_references", [])
                    if isinstance(r, dict) and str(r.get("url", "")).startswith(("http://", "https://"))]
        found = from_dict({"ref": obj["id"], "title": obj.get("name"), "summary": obj.get("description", ""),
                           "first_seen": obj.get("first_seen") or obj.get("created"),
                           "last_seen": obj.get("last_seen") or "", "evidence": evidence,
                           "techniques": list(dict.fromkeys(techniques))}, "stix")
    found.source = "stix"
    if not any(e.url == found.ref for e in found.evidence) and found.ref.startswith("http"):
        found.evidence.insert(0, Evidence(found.ref))
    return found
