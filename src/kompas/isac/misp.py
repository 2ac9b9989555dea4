"""Space ISAC reports as MISP events (MISP core format), with ``tlp:`` and ``PAP:`` tags.

The shape is :mod:`kompas.cyber.misp`'s (MISP/misp-rfc ``misp-core-format``): ``{"Event": {uuid, info, date,
threat_level_id, analysis, Tag[], Attribute[], Object[], Galaxy[]}}``, so that Kompas's own MISP reader
(:func:`kompas.cyber.misp.import_misp`) and any MISP instance read it. One report becomes one event:

- ``uuid`` the report id; ``info`` its title; ``date`` the start's day; ``threat_level_id`` from the impact level
  (destruction or denial 1 high, disruption or degradation 2 medium, none 3 low, unknown 4 undefined);
  ``analysis`` 0 (initial: a contributed report, not yet assessed); ``distribution`` 0 (your organisation only:
  the receiving instance's administrator decides any further sharing, as :mod:`kompas.cyber.misp` writes it);
- ``Tag``: the marking as :func:`kompas.cyber.tags.marking_tags` states it (``tlp:amber``, ``euci:...``,
  ``kompas-marking:...``; originators left out unless the reporter asked to be named) and the PAP as MISP's
  ``PAP`` taxonomy spells it (``PAP:AMBER``);
- ``Orgc``: the reporter when named, the pseudonym when pseudonymous, none when anonymous;
- attributes: the summary (``text``), the start and stop (``datetime``), each affected satellite (``text``), the
  report's URLs (``link``);
- objects: a MISP ``geolocation`` object per place (latitude, longitude, ``text`` with the place's label, kind
  and radius; template uuid and version as misp-objects publishes them), and a ``kompas-isac-report`` object whose
  ``record`` attribute is the Kompas record (JSON), so that another Kompas reads the report back whole;
- ``Galaxy``: SPARTA techniques as clusters of the MISP ``sparta-techniques`` galaxy (tag
  ``misp-galaxy:sparta-techniques="<name>"``, the galaxy's cluster uuid) when the SPARTA vocabulary is given, and
  ATT&CK techniques as ``mitre-attack-pattern`` clusters when their names are given; ids without a name are
  written as ``text`` attributes instead (a galaxy cluster is named by its value).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kompas.cyber.tags import marking_tags
from kompas.isac.model import NAMESPACE, IsacReport, report_from_dict
from kompas.isac.sparta import Vocabulary

__all__ = ["GEOLOCATION_TEMPLATE", "KOMPAS_OBJECT", "export_misp", "report_from_misp"]

KOMPAS_OBJECT = "kompas-isac-report"  #: the MISP object carrying the Kompas record
KOMPAS_TEMPLATE = "4f7c2a18-93d5-5e0b-8c61-2d9e7b3a1f54"  #: its template uuid (Kompas's own)
#: The misp-objects ``geolocation`` template (MISP/misp-objects objects/geolocation/definition.json, version 3),
#: its uuid as that file gives it.
GEOLOCATION_TEMPLATE = ("fdd30d5f-6752-45ed-bef2-25e8ce4d8a3", "3")
THREAT_LEVELS = {"destruction": "1", "denial": "1", "disruption": "2", "degradation": "2", "none": "3",
                 "unknown": "4"}


def _uuid(*parts: str) -> str:
    import uuid

    return str(uuid.uuid5(NAMESPACE, "|".join(("misp",) + parts)))


def _unix(stored: str) -> str:
    return str(int(datetime.fromisoformat(stored[:19] + "+00:00").timestamp()))


def _attribute(report: IsacReport, kind: str, value: str, comment: str, timestamp: str, category: str = "Other",
               relation: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"uuid": _uuid(report.id, kind, relation, value, comment), "type": kind,
                           "category": category, "value": value, "to_ids": False, "comment": comment,
                           "distribution": "5", "timestamp": timestamp, "deleted": False}
    if relation:
        out["object_relation"] = relation
    return out


def export_misp(report: IsacReport, vocabulary: Vocabulary | None = None,
                attack_names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The MISP event JSON of a report (module docstring). ``vocabulary``: SPARTA names for galaxy clusters;
    ``attack_names``: ATT&CK technique id -> name. Raises :class:`~kompas.core.markings.MarkingError` for a marking
    tags cannot state."""
    stamp = _unix(report.reported_utc or report.start_utc)
    attributes = [_attribute(report, "datetime", report.start_utc, "anomaly start (UTC)", stamp)]
    if report.summary:
        attributes.insert(0, _attribute(report, "text", report.summary, "summary", stamp))
    if report.stop_utc:
        attributes.append(_attribute(report, "datetime", report.stop_utc, "anomaly stop (UTC)", stamp))
    attributes.append(_attribute(report, "text", report.interference, "interference type (Kompas vocabulary)",
                                 stamp))
    for sat in report.satellites:
        attributes.append(_attribute(report, "text", sat.label, "affected satellite"
                                     + (" (NORAD id obfuscated)" if report.norad_ids_obfuscated else ""), stamp))
    for url in report.references:
        attributes.append(_attribute(report, "link", url, "reference", stamp, "External analysis"))
    galaxies: dict[str, list[dict[str, Any]]] = {}
    for tid in report.sparta_ids:
        known = vocabulary.techniques.get(tid) if vocabulary else None
        if known is None or '"' in known.name:
            attributes.append(_attribute(report, "text", tid, "SPARTA technique", stamp))
            continue
        galaxies.setdefault("sparta-techniques", []).append(
            {"type": "sparta-techniques", "value": known.name, "uuid": known.uuid,
             "tag_name": f'misp-galaxy:sparta-techniques="{known.name}"'})
    for tid in report.attack_ids:
        name = (attack_names or {}).get(tid)
        if not name or '"' in name:
            attributes.append(_attribute(report, "text", tid, "MITRE ATT&CK technique", stamp))
            continue
        value = f"{name} - {tid}"
        galaxies.setdefault("mitre-attack-pattern", []).append(
            {"type": "mitre-attack-pattern", "value": value, "tag_name": f'misp-galaxy:mitre-attack-pattern="{value}"'})
    objects = []
    for n, place in enumerate(report.locations):
        members = []
        if place.point:
            members += [_attribute(report, "float", f"{place.lat_deg:.6f}", "", stamp, relation="latitude"),
                        _attribute(report, "float", f"{place.lon_deg:.6f}", "", stamp, relation="longitude")]
        if place.region:
            members.append(_attribute(report, "text", place.region, "", stamp, relation="region"))
        text = "; ".join(p for p in (place.label, f"{place.kind} location",
                                     f"radius {place.radius_km:g} km" if place.radius_km else "",
                                     f"observed by NORAD {place.norad_id}" if place.norad_id else "") if p)
        members.append(_attribute(report, "text", text, "", stamp, relation="text"))
        for m in members:
            m["uuid"] = _uuid(report.id, "geolocation", str(n), m["object_relation"])
        objects.append({"uuid": _uuid(report.id, "geolocation", str(n)), "name": "geolocation",
                        "meta-category": "misc", "description": "An object to describe a geographic location.",
                        "template_uuid": GEOLOCATION_TEMPLATE[0], "template_version": GEOLOCATION_TEMPLATE[1],
                        "distribution": "5", "timestamp": stamp, "comment": "", "deleted": False,
                        "Attribute": members})
    record = json.dumps(report.as_dict(hide_reporter=True), sort_keys=True, ensure_ascii=False)
    objects.append({"uuid": _uuid(report.id, KOMPAS_OBJECT), "name": KOMPAS_OBJECT, "meta-category": "misc",
                    "description": "The Kompas Space ISAC report record (kompas.isac.model, JSON)",
                    "template_uuid": KOMPAS_TEMPLATE, "template_version": "1", "distribution": "5",
                    "timestamp": stamp, "comment": "", "deleted": False,
                    "Attribute": [_attribute(report, "text", record, "", stamp, relation="record")]})
    tags = marking_tags(report.shared_marking) + [report.pap.label] + \
        [c["tag_name"] for clusters in galaxies.values() for c in clusters]
    event: dict[str, Any] = {
        "uuid": report.id, "info": report.title, "date": report.start_utc[:10],
        "threat_level_id": THREAT_LEVELS[report.impact_level], "analysis": "0", "distribution": "0",
        "published": False, "timestamp": stamp, "publish_timestamp": "0",
        "Tag": [{"name": t, "exportable": True} for t in tags], "Attribute": attributes, "Object": objects,
        "Galaxy": [{"type": g, "name": g, "namespace": "misp", "GalaxyCluster": clusters}
                   for g, clusters in galaxies.items()]}
    if report.disclosure != "anonymous":
        event["Orgc"] = {"name": report.contributor}
    return {"Event": event}


def report_from_misp(event: Mapping[str, Any]) -> IsacReport:
    """The report a :func:`export_misp` event carries (its ``kompas-isac-report`` object's record). Raises
    :class:`~kompas.isac.model.IsacError` when the event has none or it does not read."""
    from kompas.isac.model import IsacError

    body = event.get("Event", event)
    for obj in body.get("Object") or []:
        if isinstance(obj, Mapping) and obj.get("name") == KOMPAS_OBJECT:
            for attribute in obj.get("Attribute") or []:
                if isinstance(attribute, Mapping) and attribute.get("object_relation") == "record":
                    try:
                        return report_from_dict(json.loads(str(attribute.get("value"))))
                    except json.JSONDecodeError as error:
                        raise IsacError("Event.Object.record", f"not JSON: {error.msg}") from None
    raise IsacError("Event.Object", f"no {KOMPAS_OBJECT} object with a record")
