"""Cyber incidents as STIX 2.1 bundles, out and in, with their markings.

**Export** (:func:`export_stix`). Each :class:`~kompas.cyber.model.Incident` becomes, every object marked (below):

- an ``incident`` (name, description, ``created``/``modified`` the first of its reported, detected or started times,
  else its date; ``labels`` its RSIT, NIS2 and carried tags, e.g. ``rsit:fraud="phishing"``, ``PAP:AMBER``, and the
  galaxy clusters no object below stands for; ``external_references`` its ``link`` annotations) with the whole
  Kompas record (marking left out: it travels as marking definitions) as ``x_kompas_incident``;
- an ``attack-pattern`` per ATT&CK technique (``external_references`` ``mitre-attack`` with the ``external_id``
  and ATT&CK's URL, as ATT&CK's own bundles write them), a ``malware`` (``is_family``) per malware name and a
  ``tool`` per tool, each joined to the incident by a ``uses`` relationship (as OpenCTI models incidents);
- a ``threat-actor`` per actor the source names, joined by ``related-to`` with the description "named by the
  source; not an attribution" (Kompas never attributes; ``attributed-to`` is left to member states);
- each observable as a STIX cyber-observable (``ipv4-addr``, ``domain-name``, ``url``, ``file`` with ``hashes``
  or ``name`` ...; a CVE as a ``vulnerability``), grouped per marking into an ``observed-data``; an observable that
  is an indicator (``to_ids``) or was sighted also as an ``indicator`` with a STIX pattern
  (``[ipv4-addr:value = '198.51.100.7']``), ``related-to`` from the incident;
- each sighting as a ``sighting`` of its indicator (of its ``vulnerability`` for a CVE) with ``count``,
  ``first_seen``, ``last_seen``, the observer, when given, as an ``identity`` in ``where_sighted_refs``; its kind
  other than a plain sighting as ``x_kompas_kind``, its source as ``description``.

Identifiers are UUID 5 from the incident id, the technique or name, and for cyber-observables the marking and the
value (one object per marking, as :mod:`kompas.core.stix` does for event actors), so that exporting twice gives the
same objects.

**Markings** reuse :mod:`kompas.core.stix`: the FIRST TLP 2.0 marking definition (the OASIS extension's fixed ids)
and a ``statement`` definition carrying the EU classification banner (``SECRET UE/EU SECRET // REL TO BE, FR //
NTK (cyber-eu) // TLP:AMBER``) with the whole marking as ``x_kompas_marking``. An observable under a marking of its
own carries its own references.

**Import** (:func:`import_stix`) reads every ``incident``: from ``x_kompas_incident`` when present (a Kompas
export: the exact record back), else from its standard properties and the objects related to it (attack
patterns by their ``mitre-attack`` id, malware, tools, threat actors and intrusion sets, indicators with a
single-comparison pattern, observed-data's cyber-observables, vulnerabilities; ``created`` as the reported time and
date, the ``created_by_ref`` identity as the source organisation). The marking comes from
``object_marking_refs``: TLP 2.0 or 1.0 definitions, Kompas statements (``x_kompas_marking``, else the banner parsed
back), other statements (a copyright notice ...) as caveats, OpenCTI's ``PAP`` definitions as ``PAP:`` labels.
**Rejected**, each a :class:`~kompas.rejections.Rejection` (source, item = the object's 1-based place in
``objects``, field, reason, the object's id): an object STIX 2.1 does not accept (``stix2.parse``); a reference to a
marking definition the bundle does not hold or of a type Kompas does not read; two different TLPs or Kompas
markings on one object; granular markings (Kompas marks whole objects); an indicator whose pattern is not one
comparison of a supported observable; a sighting of no readable indicator.

The OASIS ``stix2-validator`` accepts every bundle :func:`export_stix` writes (tested).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import stix2

from kompas.core.markings import TLP, Classification, Marking, MarkingError
from kompas.core.stix import TLP1_IDS, TLP2_IDS, marking_from_dict, marking_refs
from kompas.cyber.model import (
    NAMESPACE,
    GalaxyRef,
    Imported,
    Incident,
    IncidentError,
    Observable,
    Sighting,
    galaxy_meaning,
    incident_from_dict,
    utc_ms,
)
from kompas.cyber.tags import decode_tags, field_tags, incident_fields
from kompas.cyber.taxonomy import Taxonomy
from kompas.rejections import Rejection

__all__ = ["ATTACK_URL", "export_stix", "import_stix", "incident_id", "parse_banner", "parse_stix", "pattern",
           "read_stix"]

ATTACK_URL = "https://attack.mitre.org/techniques/"  #: ATT&CK technique pages (sub-techniques as T1566/001)
#: Observable type -> (STIX cyber-observable type, the property holding the value, the pattern path).
SCO: dict[str, tuple[str, str, str]] = {
    "ipv4-addr": ("ipv4-addr", "value", "ipv4-addr:value"), "ipv6-addr": ("ipv6-addr", "value", "ipv6-addr:value"),
    "domain-name": ("domain-name", "value", "domain-name:value"), "url": ("url", "value", "url:value"),
    "email-addr": ("email-addr", "value", "email-addr:value"), "mac-addr": ("mac-addr", "value", "mac-addr:value"),
    "md5": ("file", "hashes.MD5", "file:hashes.MD5"), "sha1": ("file", "hashes.SHA-1", "file:hashes.'SHA-1'"),
    "sha256": ("file", "hashes.SHA-256", "file:hashes.'SHA-256'"),
    "sha512": ("file", "hashes.SHA-512", "file:hashes.'SHA-512'"), "file-name": ("file", "name", "file:name"),
    "autonomous-system": ("autonomous-system", "number", "autonomous-system:number"),
    "mutex": ("mutex", "name", "mutex:name"), "windows-registry-key": ("windows-registry-key", "key",
                                                                       "windows-registry-key:key")}
#: Pattern path (quotes removed) -> observable type, for import.
PATHS = {path.replace("'", ""): kind for kind, (_, _, path) in SCO.items()} | {
    "file:hashes.SHA1": "sha1", "file:hashes.SHA256": "sha256", "file:hashes.SHA512": "sha512"}
_PATTERN = re.compile(r"^\[\s*(?P<path>[a-z0-9-]+:[A-Za-z0-9_.'-]+)\s*=\s*(?:'(?P<text>(?:[^'\\]|\\.)*)'|"
                      r"(?P<number>\d+))\s*\]$")
NOT_ATTRIBUTION = "named by the source; not an attribution"


def _id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(('stix', kind) + parts))}"


def incident_id(incident: Incident) -> str:
    """The STIX id of an incident: ``incident--<its id>``, or a UUID 5 derived from it when its id is not an RFC 4122
    UUID of version 1 to 5 (the STIX 2.1 identifier schema requires one; MISP events may carry others): the exact
    id travels in ``x_kompas_incident``."""
    found = uuid.UUID(incident.id)
    if found.variant == uuid.RFC_4122 and found.version in (1, 2, 3, 4, 5):
        return f"incident--{incident.id}"
    return _id("incident", incident.id)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def pattern(observable: Observable) -> str | None:
    """The STIX pattern matching an observable (``[file:hashes.'SHA-256' = '...']``), None for a CVE (STIX has no
    cyber-observable for it)."""
    if observable.type not in SCO:
        return None
    path = SCO[observable.type][2]
    if observable.type == "autonomous-system":
        return f"[{path} = {int(observable.value)}]"
    return f"[{path} = '{_escape(observable.value)}']"


def _sco(observable: Observable, marking: Marking, refs: list[str]) -> dict[str, Any]:
    kind, prop, _ = SCO[observable.type]
    out: dict[str, Any] = {"type": kind, "spec_version": "2.1",
                           "id": _id(kind, marking.key(), observable.type, observable.value),
                           "object_marking_refs": refs}
    if prop.startswith("hashes."):
        out["hashes"] = {prop.removeprefix("hashes."): observable.value}
    elif prop == "number":
        out["number"] = int(observable.value)
    else:
        out[prop] = observable.value
    return out


def _time(incident: Incident) -> str:
    return incident.reported_utc or incident.detected_utc or incident.started_utc or f"{incident.date}T00:00:00.000Z"


def _labels(incident: Incident) -> list[str]:
    """The incident's RSIT and NIS2 tags, its carried tags, and the galaxy clusters no STIX object stands for
    (``misp-galaxy:exploit-kit="Sednit EK"``): what OpenCTI and MISP users read as labels."""
    return field_tags(incident) + list(incident.tags) + [g.tag for g in incident.galaxies if galaxy_meaning(g) is None]


class _Bundle:
    """The objects of a bundle being written, by id (the first object with an id stays)."""

    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}

    def add(self, obj: dict[str, Any]) -> str:
        self.objects.setdefault(obj["id"], obj)
        return str(obj["id"])

    def relate(self, source: str, kind: str, target: str, refs: list[str], created: str,
               description: str = "") -> None:
        rel = {"type": "relationship", "spec_version": "2.1", "id": _id("relationship", source, kind, target),
               "created": created, "modified": created, "relationship_type": kind, "source_ref": source,
               "target_ref": target, "object_marking_refs": refs}
        if description:
            rel["description"] = description
        self.add(rel)


def _incident_objects(out: _Bundle, incident: Incident, sighted: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Write one incident's objects; returns the indicator id of each observable key it gave an indicator."""
    refs = marking_refs(incident.marking, out.objects)
    created = _time(incident)
    record = incident.as_dict()
    record.pop("marking")
    main: dict[str, Any] = {"type": "incident", "spec_version": "2.1", "id": incident_id(incident),
            "created": created,
            "modified": created, "name": incident.title, "description": incident.description or incident.title,
            "object_marking_refs": refs, "x_kompas_incident": record}
    labels = _labels(incident)
    if labels:
        main["labels"] = labels
    links = [a.value for a in incident.annotations if a.misp_type == "link" and a.value.startswith(("http://",
                                                                                                    "https://"))]
    if links:
        main["external_references"] = [{"source_name": incident.source_org or "reference", "url": url}
                                       for url in dict.fromkeys(links)]
    out.add(main)
    names: dict[str, str] = {}
    for ref in incident.galaxies:
        meaning = galaxy_meaning(ref)
        if meaning and meaning[0] == "technique":
            label = ref.value.rpartition(" - ")[0].strip()
            names.setdefault(meaning[1], label or meaning[1])
    for technique in incident.techniques:
        url = ATTACK_URL + technique.replace(".", "/") + "/"
        target = out.add({"type": "attack-pattern", "spec_version": "2.1", "id": _id("attack-pattern", technique),
                          "created": created, "modified": created, "name": names.get(technique, technique),
                          "external_references": [{"source_name": "mitre-attack", "external_id": technique,
                                                   "url": url}], "object_marking_refs": refs})
        out.relate(main["id"], "uses", target, refs, created)
    for kind, values in (("malware", incident.malware), ("tool", incident.tools)):
        for name in values:
            obj: dict[str, Any] = {"type": kind, "spec_version": "2.1", "id": _id(kind, name), "created": created,
                   "modified": created, "name": name, "object_marking_refs": refs}
            if kind == "malware":
                obj["is_family"] = True
            out.relate(main["id"], "uses", out.add(obj), refs, created)
    for name in incident.actors:
        target = out.add({"type": "threat-actor", "spec_version": "2.1", "id": _id("threat-actor", name),
                          "created": created, "modified": created, "name": name, "object_marking_refs": refs})
        out.relate(main["id"], "related-to", target, refs, created, NOT_ATTRIBUTION)
    indicators: dict[tuple[str, str], str] = {}
    observed: dict[str, tuple[Marking, list[str], list[Observable]]] = {}
    for observable in incident.observables:
        marking = incident.marking_of(observable)
        own = marking_refs(marking, out.objects)
        if observable.type == "vulnerability":
            target = out.add({"type": "vulnerability", "spec_version": "2.1",
                              "id": _id("vulnerability", marking.key(), observable.value), "created": created,
                              "modified": created, "name": observable.value, "object_marking_refs": own,
                              "external_references": [{"source_name": "cve", "external_id": observable.value}]})
            out.relate(main["id"], "related-to", target, own, created)
            indicators.setdefault(observable.key, target)  # a CVE is sighted as its vulnerability object
            continue
        out.add(_sco(observable, marking, own))
        observed.setdefault(marking.key(), (marking, own, []))[2].append(observable)
        if observable.to_ids or observable.key in sighted:
            valid_from = observable.first_seen_utc or created
            indicator = {"type": "indicator", "spec_version": "2.1",
                         "id": _id("indicator", marking.key(), observable.type, observable.value),
                         "created": created, "modified": created, "name": observable.value,
                         "pattern": pattern(observable), "pattern_type": "stix", "valid_from": valid_from,
                         "object_marking_refs": own}
            if observable.last_seen_utc and observable.last_seen_utc > valid_from:
                indicator["valid_until"] = observable.last_seen_utc
            if observable.comment:
                indicator["description"] = observable.comment
            if observable.tags:
                indicator["labels"] = list(observable.tags)
            indicators.setdefault(observable.key, out.add(indicator))
            out.relate(main["id"], "related-to", indicators[observable.key], own, created)
    for key, (_, own, items) in observed.items():
        first = min((o.first_seen_utc for o in items if o.first_seen_utc), default=None) or \
            incident.started_utc or created
        last = max([o.last_seen_utc for o in items if o.last_seen_utc] + [first])
        data = {"type": "observed-data", "spec_version": "2.1", "id": _id("observed-data", incident.id, key),
                "created": created, "modified": created, "first_observed": first, "last_observed": last,
                "number_observed": 1, "object_refs": list(dict.fromkeys(_id(SCO[o.type][0], key, o.type, o.value)
                                                                        for o in items)),
                "object_marking_refs": own}
        out.relate(main["id"], "related-to", out.add(data), own, created)
    return indicators


def export_stix(incidents: Iterable[Incident],
                sightings: Iterable[Sighting | tuple[Sighting, Marking]] = ()) -> dict[str, Any]:
    """A STIX 2.1 bundle of incidents and sightings (module docstring). A sighting is marked with the marking given
    beside it, else with its indicator's. Raises ValueError for a sighting of no observable of these incidents."""
    out = _Bundle()
    marked = [(s, None) if isinstance(s, Sighting) else s for s in sightings]
    sighted = {s.key for s, _ in marked}
    indicators: dict[tuple[str, str], tuple[str, Marking]] = {}
    for incident in incidents:
        for key, ident in _incident_objects(out, incident, sighted).items():
            observable = next(o for o in incident.observables if o.key == key)
            indicators.setdefault(key, (ident, incident.marking_of(observable)))
    for n, (sighting, marking) in enumerate(marked):
        if sighting.key not in indicators:
            raise ValueError(f"sighting of {sighting.type} {sighting.value!r}: no incident has that observable")
        indicator, indicator_marking = indicators[sighting.key]
        refs = marking_refs(marking or indicator_marking, out.objects)
        obj: dict[str, Any] = {
            "type": "sighting", "spec_version": "2.1",
            "id": _id("sighting", indicator, sighting.observer, sighting.kind, sighting.source,
                      sighting.first_seen_utc, str(sighting.last_seen_utc), str(sighting.count), str(n)),
            "created": sighting.first_seen_utc, "modified": sighting.first_seen_utc,
            "sighting_of_ref": indicator, "count": sighting.count, "first_seen": sighting.first_seen_utc,
            "last_seen": sighting.last_seen_utc, "object_marking_refs": refs}
        if sighting.observer:
            obj["where_sighted_refs"] = [out.add({
                "type": "identity", "spec_version": "2.1",
                "id": _id("identity", (marking or indicator_marking).key(), sighting.observer),
                "created": sighting.first_seen_utc, "modified": sighting.first_seen_utc, "name": sighting.observer,
                "identity_class": "organization", "object_marking_refs": refs})]
        if sighting.kind != "sighting":
            obj["x_kompas_kind"] = sighting.kind
        if sighting.source:
            obj["description"] = sighting.source
        out.add(obj)
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(out.objects.values())}


# ----------------------------------------------------------------------------------------------------------------
# Import
# ----------------------------------------------------------------------------------------------------------------


def parse_banner(text: str) -> Marking | None:
    """The marking a Kompas banner states (:meth:`Marking.banner`, ``SECRET UE/EU SECRET // REL TO BE, FR //
    NTK (a OR b) AND (c) // CAVEAT // TLP:AMBER``), or None when ``text`` does not start with an EU classification
    name. Originators are not in a banner."""
    parts = [p.strip() for p in text.split("//")]
    try:
        level = Classification.parse(parts[0])
    except MarkingError:
        return None
    tlp = TLP.AMBER
    rel: frozenset[str] | None = None
    clauses: list[frozenset[str]] = []
    caveats: list[str] = []
    for part in parts[1:]:
        try:
            tlp = TLP.parse(part) if part.startswith("TLP:") else tlp
            if part.startswith("TLP:"):
                continue
        except MarkingError:  # TLP:EX:CHR is a caveat
            caveats.append(part)
            continue
        if part == "NO RELEASE":
            rel = frozenset()
        elif part.startswith("REL TO "):
            rel = frozenset(c.strip() for c in part.removeprefix("REL TO ").split(","))
        elif part.startswith("NTK "):
            clauses = [frozenset(n.strip().lower() for n in clause.strip(" ()").split(" OR "))
                       for clause in part.removeprefix("NTK ").split(" AND ")]
        elif part:
            caveats.append(part)
    return Marking(level, tlp, rel, frozenset(clauses), frozenset(), frozenset(caveats))


def _object_marking(obj: Mapping[str, Any], definitions: Mapping[str, Mapping[str, Any]]) -> tuple[
        Marking, list[str]]:
    """The marking of an object from its ``object_marking_refs`` and the labels its PAP definitions give; raises
    ValueError saying why it cannot be read (module docstring)."""
    if obj.get("granular_markings"):
        raise ValueError("granular markings are not read (Kompas marks whole objects)")
    tlps: set[TLP] = set()
    markings: set[Marking] = set()
    caveats: set[str] = set()
    labels: list[str] = []
    refs = obj.get("object_marking_refs") or []
    if not isinstance(refs, list):
        raise ValueError("object_marking_refs must be a list")
    for ref in refs:
        if ref in TLP1_IDS:
            tlps.add(TLP1_IDS[ref])
            continue
        if ref in TLP2_IDS.values():
            tlps.add(next(level for level, ident in TLP2_IDS.items() if ident == ref))
            continue
        definition = definitions.get(ref)
        if definition is None:
            raise ValueError(f"object_marking_refs names {ref}, which the bundle does not define")
        kind = definition.get("definition_type")
        found_body = definition.get("definition")
        body: Mapping[str, Any] = found_body if isinstance(found_body, Mapping) else {}
        extension = next((e for e in (definition.get("extensions") or {}).values()
                          if isinstance(e, Mapping) and "tlp_2_0" in e), None)
        if isinstance(definition.get("x_kompas_marking"), Mapping):
            markings.add(marking_from_dict(dict(definition["x_kompas_marking"])))
        elif extension is not None:
            tlps.add(TLP.parse(str(extension["tlp_2_0"])))
        elif kind == "tlp" and isinstance(body.get("tlp"), str):
            tlps.add(TLP.parse(body["tlp"]))
        elif kind == "statement" and isinstance(body.get("statement"), str):
            banner = parse_banner(body["statement"])
            if banner is not None:
                markings.add(banner)
            elif body["statement"].strip():
                caveats.add(body["statement"].strip().upper())
        elif str(kind).upper() == "PAP" or str(definition.get("name", "")).upper().startswith("PAP:"):
            value = str(body.get("PAP") or body.get("pap") or definition.get("name", "")).upper()
            labels.append("PAP:" + value.removeprefix("PAP:"))
        else:
            raise ValueError(f"marking definition {ref} of type {kind!r} is not one Kompas reads")
    if len(tlps) > 1:
        raise ValueError(f"two different TLPs on one object: {', '.join(sorted(t.label for t in tlps))}")
    if len(markings) > 1:
        raise ValueError("two different Kompas markings on one object")
    base = next(iter(markings)) if markings else Marking(tlp=next(iter(tlps)) if tlps else TLP.AMBER)
    tlp = max([base.tlp, *tlps]) if markings else base.tlp
    return Marking(base.classification, tlp, base.releasable_to, base.clauses, base.originators,
                   base.caveats | caveats), labels


def _pattern_observable(text: str) -> tuple[str, str] | None:
    found = _PATTERN.match(text.strip())
    if not found:
        return None
    kind = PATHS.get(found.group("path").replace("'", ""))
    if kind is None:
        return None
    value = found.group("number") if found.group("number") is not None else \
        re.sub(r"\\(.)", r"\1", found.group("text"))
    return kind, value


def _sco_observable(sco: Mapping[str, Any]) -> tuple[str, str] | None:
    kind = sco.get("type")
    if kind == "file":
        hashes = sco.get("hashes") or {}
        for name, observable in (("SHA-256", "sha256"), ("SHA-1", "sha1"), ("MD5", "md5"), ("SHA-512", "sha512")):
            if isinstance(hashes.get(name), str):
                return observable, hashes[name]
        return ("file-name", sco["name"]) if isinstance(sco.get("name"), str) else None
    for observable, (stix_type, prop, _) in SCO.items():
        if stix_type == kind and prop in sco:
            return observable, str(sco[prop])
    return None


class _Reader:
    def __init__(self, source: str, objects: list[Any]) -> None:
        self.source = source
        self.objects = objects
        self.by_id = {str(o.get("id")): o for o in objects if isinstance(o, Mapping) and o.get("id")}
        self.place = {str(o.get("id")): n for n, o in enumerate(objects, start=1) if isinstance(o, Mapping)}
        self.definitions = {k: v for k, v in self.by_id.items() if v.get("type") == "marking-definition"}
        self.rejections: list[Rejection] = []
        self.related: dict[str, list[tuple[str, str]]] = {}
        for o in objects:
            if isinstance(o, Mapping) and o.get("type") == "relationship":
                source_ref, target_ref = str(o.get("source_ref")), str(o.get("target_ref"))
                self.related.setdefault(source_ref, []).append((str(o.get("relationship_type")), target_ref))
                self.related.setdefault(target_ref, []).append((str(o.get("relationship_type")), source_ref))

    def reject(self, ident: str, field: str, reason: str) -> None:
        self.rejections.append(Rejection(self.source, self.place.get(ident, 0), field, reason[:300], ident,
                                         unit="item"))

    def marking(self, obj: Mapping[str, Any]) -> tuple[Marking, list[str]] | None:
        try:
            return _object_marking(obj, self.definitions)
        except (ValueError, MarkingError) as error:
            self.reject(str(obj.get("id")), "object_marking_refs", str(error))
            return None

    def incident(self, obj: Mapping[str, Any]) -> Incident | None:
        ident = str(obj.get("id"))
        try:
            stix2.parse(dict(obj), allow_custom=True, version="2.1")
        except (stix2.exceptions.STIXError, ValueError, TypeError, KeyError) as error:
            self.reject(ident, "incident", f"not a STIX 2.1 incident: {error}")
            return None
        found = self.marking(obj)
        if found is None:
            return None
        marking, pap = found
        try:
            if isinstance(obj.get("x_kompas_incident"), Mapping):
                return incident_from_dict({**obj["x_kompas_incident"], "marking": marking.as_dict()})
            return self._standard(obj, marking, pap)
        except IncidentError as error:
            self.reject(ident, error.field, error.reason)
            return None

    def _standard(self, obj: Mapping[str, Any], marking: Marking, pap: list[str]) -> Incident:
        ident = str(obj["id"])
        labels = [str(label) for label in obj.get("labels") or []] + pap
        decoded = decode_tags(labels)
        if decoded.problems:
            raise IncidentError("labels", f"label {decoded.problems[0].tag!r}: {decoded.problems[0].reason}")
        if decoded.parts.stated:
            raise IncidentError("labels", "a marking stated as a label: markings travel as object_marking_refs")
        techniques: list[str] = []
        malware: list[str] = []
        tools: list[str] = []
        actors: list[str] = []
        observables: list[Observable] = []
        for _, other_id in self.related.get(ident, []):
            other = self.by_id.get(other_id)
            if not isinstance(other, Mapping):
                continue
            kind = other.get("type")
            if kind == "attack-pattern":
                techniques += [r["external_id"] for r in other.get("external_references") or []
                               if isinstance(r, Mapping) and r.get("source_name") in ("mitre-attack",
                                                                                      "mitre-ics-attack")
                               and isinstance(r.get("external_id"), str)]
            elif kind in ("malware", "tool") and isinstance(other.get("name"), str):
                (malware if kind == "malware" else tools).append(other["name"])
            elif kind in ("threat-actor", "intrusion-set") and isinstance(other.get("name"), str):
                actors.append(other["name"])
            elif kind in ("indicator", "observed-data", "vulnerability"):
                observables += self._observables(other, marking)
        rsit_class, rsit_type, nis2 = incident_fields(decoded)
        created = str(obj.get("created"))
        author = self.by_id.get(str(obj.get("created_by_ref")))
        source_org = str(author.get("name") or "") if isinstance(author, Mapping) else ""
        return Incident(ident.removeprefix("incident--"), str(obj.get("name") or ""), utc_ms(created)[:10],
                        marking, str(obj.get("description") or ""), reported_utc=created,
                        rsit_class=rsit_class, rsit_type=rsit_type,
                        nis2=nis2, observables=tuple(_unique(observables)), techniques=tuple(techniques),
                        malware=tuple(malware), tools=tuple(tools), actors=tuple(actors),
                        galaxies=tuple(GalaxyRef(t.predicate, t.value or "") for t in decoded.machine("galaxy")),
                        tags=decoded.of("label", "other"), source_org=source_org)

    def _observables(self, obj: Mapping[str, Any], incident_marking: Marking) -> list[Observable]:
        ident = str(obj.get("id"))
        found = self.marking(obj)
        if found is None:
            return []
        marking = found[0]
        own = None if marking == incident_marking else marking
        try:
            if obj.get("type") == "vulnerability":
                cves = [r["external_id"] for r in obj.get("external_references") or []
                        if isinstance(r, Mapping) and r.get("source_name") == "cve"]
                return [Observable("vulnerability", cves[0] if cves else str(obj.get("name")), to_ids=False,
                                   marking=own)]
            if obj.get("type") == "indicator":
                read = _pattern_observable(str(obj.get("pattern", "")))
                if read is None:
                    self.reject(ident, "pattern", "only a single comparison of a supported observable is read "
                                "(e.g. [ipv4-addr:value = '198.51.100.7'])")
                    return []
                return [Observable(read[0], read[1], to_ids=True, comment=str(obj.get("description") or ""),
                                   first_seen_utc=obj.get("valid_from"), marking=own)]
            out = []
            for ref in obj.get("object_refs") or []:
                sco = self.by_id.get(str(ref))
                read = _sco_observable(sco) if isinstance(sco, Mapping) else None
                if read is None:
                    self.reject(str(ref), "object_refs", "not a cyber-observable Kompas reads (or not in the bundle)")
                    continue
                out.append(Observable(read[0], read[1], to_ids=False, marking=own))
            return out
        except IncidentError as error:
            self.reject(ident, error.field, error.reason)
            return []

    def sighting(self, obj: Mapping[str, Any]) -> Sighting | None:
        ident = str(obj.get("id"))
        indicator = self.by_id.get(str(obj.get("sighting_of_ref")))
        read = None
        if isinstance(indicator, Mapping) and indicator.get("type") == "indicator":
            read = _pattern_observable(str(indicator.get("pattern", "")))
        elif isinstance(indicator, Mapping) and indicator.get("type") == "vulnerability":
            read = next((("vulnerability", str(r["external_id"])) for r in indicator.get("external_references") or []
                         if isinstance(r, Mapping) and r.get("source_name") == "cve"), None)
        if read is None:
            self.reject(ident, "sighting_of_ref", "not an indicator in the bundle with a pattern Kompas reads (or a "
                                                  "vulnerability with its CVE id)")
            return None
        observers = [self.by_id.get(str(r)) for r in obj.get("where_sighted_refs") or []]
        names = [str(o.get("name")) for o in observers if isinstance(o, Mapping) and o.get("name")]
        try:
            return Sighting(read[0], read[1], str(obj.get("first_seen") or obj.get("created")),
                            obj.get("last_seen") or obj.get("first_seen") or obj.get("created"),
                            obj.get("count", 1), names[0] if names else "",
                            str(obj.get("x_kompas_kind") or "sighting"), str(obj.get("description") or ""))
        except IncidentError as error:
            self.reject(ident, error.field, error.reason)
            return None


def _unique(items: list[Observable]) -> list[Observable]:
    """One observable per key (an indicator and an observed-data of the same value are one indicator)."""
    out: dict[tuple[str, str], Observable] = {}
    for item in items:
        known = out.get(item.key)
        out[item.key] = item if known is None or (item.to_ids and not known.to_ids) else known
    return list(out.values())


def import_stix(data: Any, source: str = "stix",  # noqa: ANN401 (decoded JSON)
                taxonomies: Mapping[str, Taxonomy] | None = None) -> Imported:
    """The incidents, sightings and rejections of a decoded STIX 2.1 bundle (module docstring). Pure."""
    del taxonomies  # the shipped taxonomies check the labels (kept for the same signature as import_misp)
    if not isinstance(data, Mapping) or data.get("type") != "bundle" or not isinstance(data.get("objects"), list):
        return Imported(rejections=[Rejection(source, 0, "", "not a STIX bundle (type 'bundle' with an 'objects' "
                                              "list)", unit="item")])
    reader = _Reader(source, data["objects"])
    out = Imported()
    for n, obj in enumerate(data["objects"], start=1):
        if not isinstance(obj, Mapping):
            reader.rejections.append(Rejection(source, n, "", "not a JSON object", unit="item"))
            continue
        if obj.get("type") == "incident":
            out.events += 1
            incident = reader.incident(obj)
            if incident is not None:
                out.incidents.append(incident)
        elif obj.get("type") == "sighting":
            sighting = reader.sighting(obj)
            if sighting is not None:
                out.sightings.append(sighting)
    out.rejections = reader.rejections
    return out


def parse_stix(text: str, source: str = "stix") -> Imported:
    """:func:`import_stix` of JSON text; text that is not JSON is one rejection."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return Imported(rejections=[Rejection(source, 0, "", f"not JSON: {error.msg} (line {error.lineno})",
                                              unit="item")])
    except RecursionError:
        return Imported(rejections=[Rejection(source, 0, "", "JSON nested too deeply", unit="item")])
    return import_stix(data, source)


def read_stix(path: str | Path) -> Imported:
    """Read a STIX 2.1 bundle file (the reader; :func:`import_stix` does the work)."""
    from kompas.files import read_text

    return parse_stix(read_text(path), str(path))
