"""MISP event JSON in and out: incidents, observables, sightings and markings.

The format is MISP's core format (``MISP/misp-rfc`` ``misp-core-format``, checked at commit ``b10f23ac``, and the
event files of PyMISP's tests): ``{"Event": {uuid, info, date, threat_level_id, analysis, Orgc, Tag[],
Attribute[] (type, category, value, to_ids, comment, first_seen, last_seen, Tag[], Sighting[]), Object[] (name,
meta-category, Attribute[], ObjectReference[]), Galaxy[] (GalaxyCluster[]), Sighting[]}}``. A file may hold one
such object, a bare event (what PyMISP writes for one event), a list of them, or MISP's search answer
``{"response": [...]}``.

**What an event becomes** (:func:`import_misp`), one :class:`~kompas.cyber.model.Incident` per event:

- ``uuid`` -> ``id``; ``info`` -> ``title``; ``date`` -> ``date``; ``threat_level_id`` 1-4 -> ``threat_level``
  high/medium/low/undefined; ``analysis`` 0-2 -> initial/ongoing/complete; ``Orgc`` -> ``source_org``;
- ``Tag[]`` -> the marking, RSIT class and type, NIS2 values and carried labels, as :mod:`kompas.cyber.tags` says
  (the mapping table is there); galaxy tags and ``Galaxy[]`` clusters -> ``galaxies``, read into ATT&CK
  ``techniques``, ``malware``, ``tools`` and the ``actors`` the source names (:func:`kompas.cyber.model.
  galaxy_meaning`);
- an attribute of a type in :data:`kompas.cyber.model.OBSERVABLE_TYPES` (``ip-dst``, ``domain``, ``url``, ``sha256``
  ...) -> an :class:`~kompas.cyber.model.Observable`, its value normalised and checked; any other (``link``,
  ``text``, ``comment``, ``regkey|value``, ``filename|sha1`` ...) -> an :class:`~kompas.cyber.model.Annotation`,
  kept verbatim; an attribute's own marking tags -> its marking (parts over the event's);
- ``Object[]`` -> :class:`~kompas.cyber.model.Group` records with their attributes as above, except Kompas's own
  object ``kompas-incident`` (:data:`KOMPAS_OBJECT`), which carries the fields MISP has no place for: description,
  started/detected/reported times, NIS2 entity type, significance and report submission times, affected member
  states;
- ``Sighting[]`` (on attributes, or at event level naming ``attribute_uuid``) -> :class:`~kompas.cyber.model.
  Sighting` records, one per observable, observer, kind and source, with the count and the first and last time.

Not read (the MISP instance's own state, not the information): ``id``, ``org_id``, ``Org``, ``timestamp``,
``published``, ``publish_timestamp``, ``distribution`` and ``sharing_group_id`` (a MISP instance's sharing
settings are not Kompas markings: tags are), ``attribute_count``, ``RelatedEvent``, ``ShadowAttribute`` (proposals),
the galaxy clusters' bodies (descriptions, meta: reference data of the MISP galaxy, kept by uuid), and the
``data`` of ``attachment`` and ``malware-sample`` attributes (base64 file contents: Kompas stores no files from
MISP; the attribute itself, with its file name, is kept).

**Rejected**, each as a :class:`~kompas.rejections.Rejection` (source, item = the event's number in the file,
field as a JSON path such as ``Event.Attribute[3].value``, reason, value): an event that is not an object or lacks
``uuid``, ``info`` or ``date``, or whose tags do not read (then nothing of it is kept: Kompas never guesses a
marking); an attribute whose value is not valid for its type, whose tags do not read, or that MISP marks
``deleted`` (revoked); a sighting without a time or of an attribute that is not an observable.

**Export** (:func:`export_misp`) writes the same shape back: ``export_misp(import(event))`` keeps every tag and
attribute the import read (``tlp:white`` is written ``tlp:clear``, FIRST TLP 2.0; a tag restating the event's
marking on an attribute is left out), and ``import_misp(export_misp(x))`` gives ``x`` back. ``distribution`` is
written ``0`` (your organisation only): the receiving MISP's administrator decides any further sharing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kompas.core.markings import Marking
from kompas.cyber.model import (
    ANALYSIS,
    OBSERVABLE_TYPES,
    SIGHTING_KINDS,
    THREAT_LEVELS,
    Annotation,
    GalaxyRef,
    Group,
    Imported,
    Incident,
    IncidentError,
    Nis2,
    Observable,
    Sighting,
    _derived,
    ip_type,
    utc_ms,
)
from kompas.cyber.tags import Decoded, decode_tags, field_tags, incident_fields, marking_of, marking_tags, rejections
from kompas.cyber.taxonomy import MachineTag, Taxonomy
from kompas.rejections import Rejection

__all__ = ["KOMPAS_OBJECT", "MISP_TYPES", "Imported", "export_misp", "import_misp", "parse_misp", "read_misp",
           "with_technique_names"]

#: MISP attribute type -> observable type (``ip-src``/``ip-dst`` by the address's version).
MISP_TYPES: dict[str, str] = {misp: kind for kind, (_, types) in OBSERVABLE_TYPES.items() for misp in types
                              if kind != "ipv6-addr"}
KOMPAS_OBJECT = "kompas-incident"  #: the MISP object carrying the Kompas incident fields MISP has no place for
KOMPAS_TEMPLATE = "9c1d3f47-5e2a-5b8c-a4d1-7f0e6b3c2a19"  #: its template uuid (Kompas's own)
#: relation -> (MISP attribute type, the field it carries)
KOMPAS_RELATIONS = {"description": "text", "started": "datetime", "detected": "datetime", "reported": "datetime",
                    "member-state": "text", "nis2-entity-type": "text", "nis2-significant": "boolean",
                    "nis2-early-warning": "datetime", "nis2-notification": "datetime",
                    "nis2-final-report": "datetime"}
_TIME_FIELDS = {"started": "started_utc", "detected": "detected_utc", "reported": "reported_utc",
                "nis2-early-warning": "early_warning_utc", "nis2-notification": "notification_utc",
                "nis2-final-report": "final_report_utc"}


class _EventRejected(Exception):
    def __init__(self, *found: Rejection) -> None:
        super().__init__(found[0].reason if found else "")
        self.found = list(found)


def _events(data: Any) -> list[Any] | None:  # noqa: ANN401 (decoded JSON)
    """The events of a decoded MISP file (each still wrapped or bare), or None when it is not one."""
    if isinstance(data, Mapping) and isinstance(data.get("response"), list):
        data = data["response"]
    if isinstance(data, list):
        return list(data)
    if isinstance(data, Mapping) and ("Event" in data or "info" in data):
        return [data]
    return None


def parse_misp(text: str, source: str = "misp", taxonomies: Mapping[str, Taxonomy] | None = None) -> Imported:
    """:func:`import_misp` of JSON text; text that is not JSON is one rejection."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return Imported(rejections=[Rejection(source, 0, "", f"not JSON: {error.msg} (line {error.lineno})",
                                              unit="item")])
    except RecursionError:
        return Imported(rejections=[Rejection(source, 0, "", "JSON nested too deeply", unit="item")])
    return import_misp(data, source, taxonomies)


def read_misp(path: str | Path, taxonomies: Mapping[str, Taxonomy] | None = None) -> Imported:
    """Read a MISP event file (the reader; :func:`import_misp` does the work)."""
    from kompas.files import read_text

    return parse_misp(read_text(path), str(path), taxonomies)


def import_misp(data: Any, source: str = "misp",  # noqa: ANN401 (decoded JSON)
                taxonomies: Mapping[str, Taxonomy] | None = None) -> Imported:
    """The incidents, sightings and rejections of a decoded MISP file (see the module docstring). Pure."""
    events = _events(data)
    if events is None:
        return Imported(rejections=[Rejection(source, 0, "", "not a MISP event file (an object with 'Event', a "
                                              "bare event, a list of them, or {'response': [...]})", unit="item")])
    out = Imported(events=len(events))
    for number, wrapped in enumerate(events, start=1):
        event = wrapped.get("Event", wrapped) if isinstance(wrapped, Mapping) else wrapped
        reader = _EventReader(source, number, taxonomies)
        try:
            incident, sightings = reader.read(event)
        except _EventRejected as rejected:
            out.rejections += reader.rejections + rejected.found
            continue
        out.incidents.append(incident)
        out.sightings += sightings
        out.rejections += reader.rejections
    return out


def _text(data: Mapping[str, Any], key: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    return value if isinstance(value, str) else str(value) if isinstance(value, int | float) else default


def _epoch(value: Any) -> str:  # noqa: ANN401 (a field as read)
    """A Unix time (seconds, as MISP writes them: a decimal string) as a UTC time in the JSON form."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("not a Unix time")
    seconds = float(value)
    if not 0 <= seconds < 32503680000:  # before year 3000
        raise ValueError("not a Unix time")
    return utc_ms(datetime.fromtimestamp(seconds, UTC).isoformat())


class _EventReader:
    """Reads one event; collects the rejections of its parts (the event goes in without them)."""

    def __init__(self, source: str, number: int, taxonomies: Mapping[str, Taxonomy] | None) -> None:
        self.source, self.number, self.taxonomies = source, number, taxonomies
        self.rejections: list[Rejection] = []

    def reject(self, where: str, reason: str, value: Any = "") -> Rejection:  # noqa: ANN401
        return Rejection(self.source, self.number, where, reason, str(value)[:200], unit="item")

    def read(self, event: Any) -> tuple[Incident, list[Sighting]]:  # noqa: ANN401 (decoded JSON)
        if not isinstance(event, Mapping):
            raise _EventRejected(self.reject("Event", "not a JSON object"))
        for key in ("uuid", "info", "date"):
            if not isinstance(event.get(key), str) or not event[key].strip():
                raise _EventRejected(self.reject(f"Event.{key}", "missing: the MISP core format requires it"))
        decoded = decode_tags(self._tag_names(event.get("Tag"), "Event"), self.taxonomies)
        marking, problems = marking_of(decoded)
        if marking is None:
            raise _EventRejected(*rejections(problems, self.source, self.number, "Event"))
        rsit_class, rsit_type, nis2 = incident_fields(decoded)
        fields: dict[str, Any] = {}
        galaxies = self._galaxies(event, decoded)
        groups, grouped, kompas = self._objects(event)
        fields.update(self._kompas_fields(kompas, nis2))
        nis2 = fields.pop("nis2", nis2)
        observables: list[Observable] = []
        annotations: list[Annotation] = []
        sighted: dict[str, list[tuple[str, Any]]] = {}
        attributes = [(f"Event.Attribute[{i}]", a, None) for i, a in enumerate(self._list(event, "Attribute",
                                                                                           "Event"))]
        for where, attribute, group in attributes + grouped:
            read = self._attribute(where, attribute, group, marking)
            if read is None:
                continue
            if isinstance(read, Observable):
                observables.append(read)
            else:
                annotations.append(read)
            for j, sighting in enumerate(self._list(attribute, "Sighting", where)):
                sighted.setdefault(read.id, []).append((f"{where}.Sighting[{j}]", sighting))
        for j, sighting in enumerate(self._list(event, "Sighting", "Event")):
            ref = _text(sighting, "attribute_uuid") if isinstance(sighting, Mapping) else ""
            sighted.setdefault(ref, []).append((f"Event.Sighting[{j}]", sighting))
        threat = _text(event, "threat_level_id", "4")
        analysis = _text(event, "analysis", "0")
        if threat not in ("1", "2", "3", "4"):
            raise _EventRejected(self.reject("Event.threat_level_id", "must be 1 (high) to 4 (undefined)", threat))
        if analysis not in ("0", "1", "2"):
            raise _EventRejected(self.reject("Event.analysis", "must be 0 (initial), 1 (ongoing) or 2 (complete)",
                                             analysis))
        found_orgc = event.get("Orgc")
        orgc: Mapping[str, Any] = found_orgc if isinstance(found_orgc, Mapping) else {}
        try:
            incident = Incident(
                event["uuid"], event["info"], event["date"].strip(), marking, rsit_class=rsit_class,
                rsit_type=rsit_type, nis2=nis2, observables=tuple(observables), galaxies=tuple(galaxies),
                tags=decoded.carried, annotations=tuple(annotations), groups=tuple(groups),
                threat_level=THREAT_LEVELS[int(threat) - 1], analysis=ANALYSIS[int(analysis)],
                source_org=_text(orgc, "name"), source_org_uuid=_text(orgc, "uuid"), **fields)
        except IncidentError as error:
            raise _EventRejected(self.reject(f"Event.{_event_field(error.field)}", error.reason, error.value)) \
                from None
        return incident, self._sightings(incident, sighted)

    def _list(self, data: Any, key: str, where: str) -> list[Any]:  # noqa: ANN401
        value = data.get(key) if isinstance(data, Mapping) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.rejections.append(self.reject(f"{where}.{key}", "must be a list", type(value).__name__))
            return []
        return value

    def _tag_names(self, tags: Any, where: str) -> list[str]:  # noqa: ANN401
        if tags is None:
            return []
        if not isinstance(tags, list):
            raise _EventRejected(self.reject(f"{where}.Tag", "must be a list of tags"))
        names = []
        for i, tag in enumerate(tags):
            name = tag.get("name") if isinstance(tag, Mapping) else tag
            if not isinstance(name, str) or not name.strip():
                raise _EventRejected(self.reject(f"{where}.Tag[{i}].name", "a tag needs a name", name))
            names.append(name)
        return names

    def _galaxies(self, event: Mapping[str, Any], decoded: Decoded) -> list[GalaxyRef]:
        refs: dict[tuple[str, str], GalaxyRef] = {}
        for i, galaxy in enumerate(self._list(event, "Galaxy", "Event")):
            if not isinstance(galaxy, Mapping):
                self.rejections.append(self.reject(f"Event.Galaxy[{i}]", "not an object"))
                continue
            for j, cluster in enumerate(self._list(galaxy, "GalaxyCluster", f"Event.Galaxy[{i}]")):
                where = f"Event.Galaxy[{i}].GalaxyCluster[{j}]"
                tag = MachineTag.parse(_text(cluster, "tag_name")) if isinstance(cluster, Mapping) else None
                kind = tag.predicate if tag is not None and tag.namespace == "misp-galaxy" else \
                    _text(cluster, "type") if isinstance(cluster, Mapping) else ""
                value = _text(cluster, "value") if isinstance(cluster, Mapping) else ""
                if not kind or not value.strip() or '"' in value or ":" in kind:
                    self.rejections.append(self.reject(where, "a galaxy cluster needs a type and a value (no '\"')",
                                                       value))
                    continue
                refs[(kind, value)] = GalaxyRef(kind, value, _text(cluster, "uuid"))
        for tag in decoded.machine("galaxy"):
            assert tag.value is not None
            if '"' in tag.value or ":" in tag.predicate:
                raise _EventRejected(self.reject("Event.Tag", "a galaxy tag value cannot hold '\"'", str(tag)))
            refs.setdefault((tag.predicate, tag.value), GalaxyRef(tag.predicate, tag.value))
        return list(refs.values())

    def _objects(self, event: Mapping[str, Any]) -> tuple[list[Group], list[tuple[str, Any, str]], list[
            tuple[str, Any]]]:
        groups, members, kompas = [], [], []
        for i, obj in enumerate(self._list(event, "Object", "Event")):
            where = f"Event.Object[{i}]"
            if not isinstance(obj, Mapping):
                self.rejections.append(self.reject(where, "not an object"))
                continue
            if obj.get("name") == KOMPAS_OBJECT:
                kompas += [(f"{where}.Attribute[{j}]", a) for j, a in enumerate(self._list(obj, "Attribute", where))]
                continue
            if obj.get("deleted") is True:
                self.rejections.append(self.reject(where, "the MISP object is deleted (revoked): not imported",
                                                   _text(obj, "uuid")))
                continue
            references = []
            for k, ref in enumerate(self._list(obj, "ObjectReference", where)):
                if isinstance(ref, Mapping) and _text(ref, "referenced_uuid") and _text(ref, "relationship_type"):
                    references.append((_text(ref, "referenced_uuid"), _text(ref, "relationship_type"),
                                       _text(ref, "comment")))
                else:
                    self.rejections.append(self.reject(f"{where}.ObjectReference[{k}]",
                                                       "needs referenced_uuid and relationship_type"))
            try:
                group = Group(_text(obj, "uuid"), _text(obj, "name"), _text(obj, "meta-category"),
                              _text(obj, "description"), _text(obj, "comment"), _text(obj, "template_uuid"),
                              _text(obj, "template_version"), tuple(references))
            except IncidentError as error:
                self.rejections.append(self.reject(f"{where}.{error.field.removeprefix('Object.')}", error.reason,
                                                   error.value))
                continue
            groups.append(group)
            members += [(f"{where}.Attribute[{j}]", a, group.id)
                        for j, a in enumerate(self._list(obj, "Attribute", where))]
        return groups, members, kompas

    def _kompas_fields(self, attributes: list[tuple[str, Any]], nis2: Nis2) -> dict[str, Any]:
        """The incident fields of the ``kompas-incident`` object, the NIS2 ones as an updated ``nis2`` under the key
        ``nis2`` (a bad value rejects the event: these fields carry the NIS2 clocks)."""
        out: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        states: list[str] = []
        for where, attribute in attributes:
            if not isinstance(attribute, Mapping):
                raise _EventRejected(self.reject(where, "not an object"))
            relation, value = _text(attribute, "object_relation"), attribute.get("value")
            if relation not in KOMPAS_RELATIONS or not isinstance(value, str):
                raise _EventRejected(self.reject(f"{where}.object_relation", f"not a {KOMPAS_OBJECT} relation "
                                                 f"({', '.join(KOMPAS_RELATIONS)}) with a text value", relation))
            if relation == "description":
                out["description"] = value
            elif relation == "member-state":
                states.append(value)
            elif relation == "nis2-entity-type":
                extra["entity_type"] = value
            elif relation == "nis2-significant":
                if value not in ("0", "1"):
                    raise _EventRejected(self.reject(f"{where}.value", "a MISP boolean is 0 or 1", value))
                extra["significant"] = value == "1"
            elif relation in ("started", "detected", "reported"):
                out[_TIME_FIELDS[relation]] = value
            else:
                extra[_TIME_FIELDS[relation]] = value
        if states:
            out["member_states"] = tuple(states)
        if extra:
            try:
                out["nis2"] = replace(nis2, **extra)
            except IncidentError as error:
                raise _EventRejected(self.reject(f"Event.Object[{KOMPAS_OBJECT}].{error.field}", error.reason,
                                                 error.value)) from None
        return out

    def _attribute(self, where: str, attribute: Any, group: str | None,  # noqa: ANN401
                   event_marking: Marking) -> Observable | Annotation | None:
        if not isinstance(attribute, Mapping):
            self.rejections.append(self.reject(where, "not an object"))
            return None
        if attribute.get("deleted") is True:
            self.rejections.append(self.reject(where, "the attribute is deleted (revoked) in MISP: not imported",
                                               _text(attribute, "value")))
            return None
        misp_type, value = attribute.get("type"), attribute.get("value")
        if not isinstance(misp_type, str) or not misp_type.strip():
            self.rejections.append(self.reject(f"{where}.type", "missing: an attribute needs a type"))
            return None
        if not isinstance(value, str):
            self.rejections.append(self.reject(f"{where}.value", "missing or not a string", value))
            return None
        try:
            names = self._tag_names(attribute.get("Tag"), where)
        except _EventRejected as rejected:
            self.rejections += rejected.found
            return None
        decoded = decode_tags(names, self.taxonomies)
        marking: Marking | None = None
        if decoded.problems or decoded.parts.stated:
            found, problems = marking_of(decoded, event_marking)
            if found is None or problems:
                self.rejections += rejections(problems, self.source, self.number, where)
                return None
            marking = found if decoded.parts.stated else None
        common: dict[str, Any] = {
            "id": _text(attribute, "uuid"), "comment": _text(attribute, "comment"),
            "first_seen_utc": attribute.get("first_seen"), "last_seen_utc": attribute.get("last_seen"),
            "tags": decoded.of("label", "other", "field", "galaxy"), "marking": marking, "group": group or "",
            "relation": _text(attribute, "object_relation")}
        to_ids = attribute.get("to_ids", False)
        if not isinstance(to_ids, bool):
            to_ids = str(to_ids).lower() in ("1", "true")
        category = _text(attribute, "category")
        try:
            kind = MISP_TYPES.get(misp_type)
            if kind is None:
                return Annotation(misp_type, value, category or "Other", to_ids=to_ids, **common)
            if kind == "ipv4-addr":
                kind = ip_type(value)
            return Observable(kind, value, to_ids=to_ids, misp_type=misp_type, misp_category=category, **common)
        except IncidentError as error:
            self.rejections.append(self.reject(f"{where}.{_attribute_field(error.field)}",
                                               f"{error.reason} (MISP type {misp_type})", error.value or value))
            return None

    def _sightings(self, incident: Incident, sighted: dict[str, list[tuple[str, Any]]]) -> list[Sighting]:
        by_id = {o.id: o for o in incident.observables}
        annotated = {a.id for a in incident.annotations}
        groups: dict[tuple[str, str, str, str, str], list[str]] = {}
        for attribute_id, items in sighted.items():
            observable = by_id.get(attribute_id)
            for where, sighting in items:
                if observable is None:
                    reason = "a sighting of an attribute Kompas does not read as an observable" \
                        if attribute_id in annotated else "a sighting of an attribute the event does not hold"
                    self.rejections.append(self.reject(where, reason, attribute_id))
                    continue
                if not isinstance(sighting, Mapping):
                    self.rejections.append(self.reject(where, "not an object"))
                    continue
                try:
                    when = _epoch(sighting.get("date_sighting"))
                except ValueError:
                    self.rejections.append(self.reject(f"{where}.date_sighting", "missing or not a Unix time",
                                                       sighting.get("date_sighting")))
                    continue
                kind = _text(sighting, "type", "0")
                if kind not in ("0", "1", "2", "3"):
                    self.rejections.append(self.reject(f"{where}.type", "a MISP sighting type is 0 to 3", kind))
                    continue
                org = sighting.get("Organisation")
                observer = _text(org, "name") if isinstance(org, Mapping) else ""
                key = (observable.type, observable.value, observer, SIGHTING_KINDS[int(kind)],
                       _text(sighting, "source"))
                groups.setdefault(key, []).append(when)
        return [Sighting(t, v, min(times), max(times), len(times), observer, kind, source)
                for (t, v, observer, kind, source), times in groups.items()]


def _event_field(name: str) -> str:
    """The MISP place of an incident field named in an :class:`IncidentError`."""
    return {"id": "uuid", "title": "info", "date": "date", "threat_level": "threat_level_id"}.get(name, name)


def _attribute_field(name: str) -> str:
    return {"first_seen_utc": "first_seen", "last_seen_utc": "last_seen", "id": "uuid", "group": "object_id",
            "misp_type": "type", "tags": "Tag"}.get(name, name)


# ----------------------------------------------------------------------------------------------------------------
# Export
# ----------------------------------------------------------------------------------------------------------------


def _unix(time_utc: str) -> str:
    return str(int(datetime.fromisoformat(time_utc.replace("Z", "+00:00")).timestamp()))


def _tags(names: Iterable[str]) -> list[dict[str, Any]]:
    return [{"name": name, "exportable": True} for name in names]


def _attribute(incident: Incident, item: Observable | Annotation, timestamp: str,
               sightings: list[Sighting]) -> dict[str, Any]:
    out: dict[str, Any] = {"uuid": item.id, "type": item.misp_type, "category": item.misp_category,
                           "value": item.value, "to_ids": item.to_ids, "comment": item.comment,
                           "distribution": "5", "timestamp": timestamp, "deleted": False}
    if item.relation:
        out["object_relation"] = item.relation
    if item.first_seen_utc:
        out["first_seen"] = item.first_seen_utc
    if item.last_seen_utc:
        out["last_seen"] = item.last_seen_utc
    tags = ([] if item.marking is None else marking_tags(item.marking, incident.marking)) + list(item.tags)
    if tags:
        out["Tag"] = _tags(tags)
    if sightings:
        out["Sighting"] = [entry for s in sightings for entry in _sighting_entries(s, item.id)]
    return out


def _sighting_entries(sighting: Sighting, attribute_id: str) -> list[dict[str, Any]]:
    times = [sighting.first_seen_utc] + [sighting.last_seen_utc or sighting.first_seen_utc] * (sighting.count - 1)
    out = []
    for n, when in enumerate(times):
        entry: dict[str, Any] = {
            "uuid": _derived("sighting", attribute_id, sighting.observer, sighting.kind, sighting.source, str(n)),
            "attribute_uuid": attribute_id, "date_sighting": _unix(when),
            "type": str(SIGHTING_KINDS.index(sighting.kind)), "source": sighting.source}
        if sighting.observer:
            entry["Organisation"] = {"name": sighting.observer}
        out.append(entry)
    return out


def _kompas_object(incident: Incident, timestamp: str) -> dict[str, Any] | None:
    values: list[tuple[str, str]] = []
    if incident.description:
        values.append(("description", incident.description))
    for relation, name in _TIME_FIELDS.items():
        value = getattr(incident, name, None) or getattr(incident.nis2, name, None)
        if value:
            values.append((relation, value))
    values += [("member-state", s) for s in incident.member_states]
    if incident.nis2.entity_type:
        values.append(("nis2-entity-type", incident.nis2.entity_type))
    if incident.nis2.significant is not None:
        values.append(("nis2-significant", "1" if incident.nis2.significant else "0"))
    if not values:
        return None
    object_id = _derived("kompas-incident", incident.id)
    return {"uuid": object_id, "name": KOMPAS_OBJECT, "meta-category": "misc",
            "description": "Kompas incident fields: description, times (UTC), NIS2 entity type, significance and "
                           "report submissions (Directive (EU) 2022/2555 art. 23), affected member states",
            "template_uuid": KOMPAS_TEMPLATE, "template_version": "1", "distribution": "5", "timestamp": timestamp,
            "comment": "", "deleted": False,
            "Attribute": [{"uuid": _derived("kompas-incident", incident.id, relation, value, str(n)),
                           "type": KOMPAS_RELATIONS[relation], "category": "Other", "object_relation": relation,
                           "value": value, "to_ids": False, "distribution": "5", "timestamp": timestamp,
                           "comment": "", "deleted": False}
                          for n, (relation, value) in enumerate(values)]}


def export_misp(incident: Incident, sightings: Iterable[Sighting] = ()) -> dict[str, Any]:
    """The MISP event JSON (``{"Event": {...}}``) of an incident and the sightings of its observables (see the
    module docstring). A sighting is written on the first observable with its key; raises ValueError for a
    sighting of no observable of the incident, and :class:`~kompas.core.markings.MarkingError` for a marking tags
    cannot state (:func:`kompas.cyber.tags.marking_tags`)."""
    first: dict[tuple[str, str], str] = {}
    for o in incident.observables:
        first.setdefault(o.key, o.id)
    by_attribute: dict[str, list[Sighting]] = {}
    for s in sightings:
        if s.key not in first:
            raise ValueError(f"sighting of {s.type} {s.value!r}: the incident has no such observable")
        by_attribute.setdefault(first[s.key], []).append(s)
    timestamp = _unix(incident.reported_utc or incident.detected_utc or f"{incident.date}T00:00:00Z")
    members: dict[str, list[dict[str, Any]]] = {}
    top: list[dict[str, Any]] = []
    items: list[Observable | Annotation] = [*incident.observables, *incident.annotations]
    for item in items:
        attribute = _attribute(incident, item, timestamp, by_attribute.get(item.id, []))
        (members.setdefault(item.group, []) if item.group else top).append(attribute)
    objects = []
    for group in incident.groups:
        obj: dict[str, Any] = {
            "uuid": group.id, "name": group.name, "meta-category": group.meta_category,
            "description": group.description, "template_uuid": group.template_uuid,
            "template_version": group.template_version, "comment": group.comment, "distribution": "5",
            "timestamp": timestamp, "deleted": False, "Attribute": members.get(group.id, [])}
        if group.references:
            obj["ObjectReference"] = [{"uuid": _derived("reference", group.id, *r), "object_uuid": group.id,
                                       "referenced_uuid": r[0], "relationship_type": r[1], "comment": r[2]}
                                      for r in group.references]
        objects.append(obj)
    kompas = _kompas_object(incident, timestamp)
    if kompas:
        objects.append(kompas)
    galaxies: dict[str, list[GalaxyRef]] = {}
    for ref in incident.galaxies:
        galaxies.setdefault(ref.galaxy, []).append(ref)
    tags = marking_tags(incident.marking) + field_tags(incident) + list(incident.tags) + \
        [ref.tag for ref in incident.galaxies]
    event: dict[str, Any] = {
        "uuid": incident.id, "info": incident.title, "date": incident.date,
        "threat_level_id": str(THREAT_LEVELS.index(incident.threat_level) + 1),
        "analysis": str(ANALYSIS.index(incident.analysis)), "distribution": "0", "published": False,
        "timestamp": timestamp, "publish_timestamp": "0", "Tag": _tags(tags), "Attribute": top, "Object": objects,
        "Galaxy": [{"type": g, "name": g, "namespace": "misp",
                    "GalaxyCluster": [{"type": g, "value": r.value, "tag_name": r.tag,
                                       **({"uuid": r.uuid} if r.uuid else {})} for r in refs]}
                   for g, refs in galaxies.items()]}
    if incident.source_org:
        event["Orgc"] = {"name": incident.source_org, **({"uuid": incident.source_org_uuid}
                                                          if incident.source_org_uuid else {})}
    return {"Event": event}


def with_technique_names(incident: Incident, names: Mapping[str, str]) -> Incident:
    """The incident with each technique cluster written by a bare ATT&CK id (``T1566``) given its name as MISP's
    ATT&CK galaxy spells clusters: ``Phishing - T1566`` (``names``: technique id -> name, e.g. from
    :mod:`kompas.response.techniques`), so that a MISP instance links it to its galaxy."""
    refs = tuple(GalaxyRef(r.galaxy, f"{names[r.value]} - {r.value}", r.uuid)
                 if r.galaxy == "mitre-attack-pattern" and r.value in names and '"' not in names[r.value] else r
                 for r in incident.galaxies)
    return replace(incident, galaxies=refs)

