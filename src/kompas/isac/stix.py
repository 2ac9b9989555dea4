"""Space ISAC reports as STIX 2.1 bundles, out and back, as the OASIS SATIS proof of concept maps them.

**Reference.** The Space ISAC's "RF EMI to STIX Notional Mapping" (OASIS SATIS TC contribution, 2025; read from
``../shared/data/space-threats/satis/``): TITLE -> Report (description: the full report); SATELLITE AFFECTED ->
Identity; SATELLITE CONSTELLATION and the associated ground station -> Infrastructure; ANOMALY DETAILS and
SATELLITE/SENSOR DETAILS -> Incident (in the revised terminology: the SATIS draft first used Intrusion Set);
SPARTA and ATT&CK TTPs -> Attack Pattern; SATELLITE LOCATION / terrestrial lat-long -> Location; MITRE D3FEND ->
Course of Action (Kompas links ENISA's controls there: :mod:`kompas.isac.controls`). Use case 3's report with 11
correlated places gives "11x Incident objects" and "3x Identity objects": a report with several places is written
as one incident per place, each related to the satellite that observed it.

**Objects of one report** (ids UUID 5 from the report id, or for shared objects from the marking and the thing
named, so that exporting twice gives the same bundle):

- ``report`` (``report_types`` threat-report, ``published`` the reported time, else the start), its
  ``object_refs`` every object below, ``external_references`` the report's URLs, and the whole Kompas record as
  ``x_kompas_isac_report`` (reporter and originators left out unless the reporter asked to be named);
- ``incident`` (one, or one per place), description in the SATIS fields' words, with ``x_kompas_start_utc``,
  ``x_kompas_stop_utc`` and ``x_kompas_interference`` for tools that do not read the record;
- ``identity`` per satellite (``identity_class`` system, ``x_kompas_norad_id``), ``infrastructure`` for the
  constellation and the ground station, ``location`` per place (``precision`` the radius in metres, as STIX
  defines it), ``attack-pattern`` per SPARTA id (``external_references`` source ``sparta``, SPARTA's URL, and
  its tactic as a ``sparta`` kill-chain phase when the vocabulary is given) and per ATT&CK id (``mitre-attack``),
  ``course-of-action`` per ENISA control linked to the incident's threats;
- relationships: incident ``uses`` attack-pattern (as OpenCTI and :mod:`kompas.cyber.stix` model incidents),
  otherwise ``related-to`` with ``x_kompas_role`` (STIX 2.1 defines no other relationship for incidents).

**Contributor.** ``created_by_ref`` of every object is an ``identity`` standing for the contributor: the
organisation when the reporter asked to be named; the platform's pseudonym (the same identity on each of that
member's reports) when pseudonymous; a fresh "anonymous Space ISAC member" identity per report when anonymous,
so that two anonymous reports cannot be linked. The real organisation then appears nowhere in the bundle: not in
the record, not as an originator of the marking, not in its releasability list (:attr:`kompas.isac.model.
IsacReport.shared_marking`; tested).

**Markings.** :func:`kompas.core.stix.marking_refs` (reused): the FIRST TLP 2.0 marking definition and the Kompas
statement (EU classification banner, the whole marking as ``x_kompas_marking``); plus PAP as the OASIS PAP
marking-definition extension (``extension-definition--f8d78575-edfd-406e-8e84-6162a8450f5b``, CISA's draft of
2022-11-28 in oasis-open/cti-stix-common-objects), with its four fixed marking-definition ids, as OpenCTI and the
OASIS common objects express PAP. The PAP definitions are written into the bundle (the extension says they may be
assumed; writing them keeps the bundle self-contained). :mod:`kompas.cyber.stix` reads them back as ``PAP:`` labels.

**Import** (:func:`import_stix`): every ``report`` of a bundle: from ``x_kompas_isac_report`` when present (a Kompas
export: the record back, its marking and PAP from ``object_marking_refs``), else from the standard objects it
refers to (name, description, published; incidents' ``x_kompas_*`` times or the published time; satellites from
identities' NORAD ids; places; SPARTA and ATT&CK ids; the interference type from the incident, else from the SPARTA
ids (EX-0016 jamming, EX-0014 spoofing), else from the words). What cannot be read is a
:class:`~kompas.rejections.Rejection` (source, item = the object's 1-based place in ``objects``, field, reason).

The OASIS ``stix2-validator`` accepts every bundle :func:`export_stix` writes, without errors (tested; its
warnings on UUID 5 ids, custom ``x_kompas_*`` properties and open-vocabulary values are expected).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import stix2

from kompas.core.markings import MarkingError
from kompas.core.stix import marking_refs, object_marking
from kompas.isac.controls import INTERFERENCE_THREATS, ControlLibrary
from kompas.isac.model import (
    NAMESPACE,
    PAP,
    SPARTA_ID,
    IsacError,
    IsacReport,
    Location,
    Satellite,
    report_from_dict,
)
from kompas.isac.reader import ReadResult, interference_of
from kompas.isac.sparta import Vocabulary, technique_url
from kompas.rejections import Rejection

__all__ = ["PAP_EXTENSION", "PAP_IDS", "export_stix", "import_stix", "pap_definition", "parse_stix",
           "report_objects"]

PAP_EXTENSION = "extension-definition--f8d78575-edfd-406e-8e84-6162a8450f5b"  #: the OASIS PAP extension
#: The PAP marking definitions the extension fixes (id, created), as its examples and common implementations
#: (OpenCTI, txt2stix, stidantic) write them.
PAP_IDS: dict[PAP, tuple[str, str]] = {
    PAP.CLEAR: ("marking-definition--ad15a0cd-55b6-4588-a14c-a66105329b92", "2022-10-01T00:00:00.000Z"),
    PAP.GREEN: ("marking-definition--c43594d1-4b11-4c59-93ab-1c9b14d53ce9", "2022-10-09T00:00:00.000Z"),
    PAP.AMBER: ("marking-definition--60f8932b-e51e-4458-b265-a2e8be9a80ab", "2022-10-02T00:00:00.000Z"),
    PAP.RED: ("marking-definition--740d36e5-7714-4c30-961a-3ae632ceee0e", "2022-10-06T00:00:00.000Z"),
}
PAP_WHITE_ID = "marking-definition--a3bea94c-b469-41dc-9cfe-d6e7daba7730"  #: PAP:WHITE (read as CLEAR)
ATTACK_URL = "https://attack.mitre.org/techniques/"
ENISA_SOURCE = "enisa-space-threat-landscape-2025"
RECORD = "x_kompas_isac_report"  #: the custom property carrying the Kompas record on the report


def pap_definition(pap: PAP) -> dict[str, Any]:
    """The OASIS PAP marking definition of a level."""
    ident, created = PAP_IDS[pap]
    return {"type": "marking-definition", "spec_version": "2.1", "id": ident, "created": created,
            "name": pap.label, "extensions": {PAP_EXTENSION: {"extension_type": "property-extension",
                                                              "pap": pap.name.lower()}}}


def _id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(('stix', kind) + parts))}"


def _time(stored: str) -> str:
    """A stored-form time as a STIX timestamp (millisecond precision)."""
    return stored[:23] + "Z"


def _author(report: IsacReport, created: str) -> dict[str, Any]:
    """The identity standing for the contributor (module docstring)."""
    if report.disclosure == "named":
        ident, name = _id("identity", "reporter", report.reporter), report.reporter
        description = "the contributing organisation (it asked to be named)"
    elif report.disclosure == "pseudonymous":
        ident, name = _id("identity", "pseudonym", report.pseudonym), report.pseudonym
        description = "a Space ISAC member under its pseudonym (the platform knows it; other members do not)"
    else:
        ident, name = _id("identity", "anonymous", report.id), "Anonymous Space ISAC member"
        description = "a member that asked to stay anonymous (the platform knows it; other members do not)"
    return {"type": "identity", "spec_version": "2.1", "id": ident, "created": created, "modified": created,
            "name": name, "identity_class": "organization", "description": description}


def _fmt(value: float | None, unit: str) -> str:
    return "" if value is None else f"{value:g} {unit}"


def _description(report: IsacReport, place: Location | None) -> str:
    """The incident's description in the SATIS elements' words."""
    parts = [f"TYPE: {report.interference}", f"SEGMENT: {report.segment}", f"START (UTC): {report.start_utc}"]
    if report.stop_utc:
        parts.append(f"STOP (UTC): {report.stop_utc}")
    if report.band:
        rng = report.band.range_mhz if report.band.low_mhz is not None else None
        parts.append(f"FREQUENCY BAND: {report.band.letter}-band" + (f" ({rng[0]:g}-{rng[1]:g} MHz)" if rng else ""))
    if report.link:
        parts.append(f"LINK IMPACTED: {report.link}")
    for name, value in (("BEAM FORMAT", report.beam_format), ("PULSE DURATION", report.pulse),
                        ("LASER COLOR", report.laser_colour), ("POLARIZATION", report.polarization)):
        if value:
            parts.append(f"{name}: {value}")
    sats = [s for s in report.satellites if place is None or place.norad_id is None or s.norad_id == place.norad_id]
    if sats:
        parts.append("SATELLITE(S) AFFECTED: " + ", ".join(s.label for s in sats))
    if place is not None:
        where = f"{place.lat_deg:.6f}, {place.lon_deg:.6f}" if place.point else place.region
        parts.append(f"LOCATION ({place.kind}): {place.label + ': ' if place.label else ''}{where}")
    for name, state in (("AT ANOMALY START", report.state_start), ("AT ANOMALY END", report.state_end)):
        if state:
            parts.append(f"SATELLITE LOCATION {name} (UTC, ECEF km, km/s): {state.time_utc} "
                         f"{list(state.position_km)} {list(state.velocity_km_s or ())}")
    if report.sensor_range:
        parts.append(f"SENSOR OPERATING RANGE: {report.sensor_range.letter}")
    if report.sensor_fov_deg is not None:
        parts.append(f"SENSOR FIELD OF VIEW: {_fmt(report.sensor_fov_deg, 'deg')}")
    if report.payload_impact:
        parts.append(f"SENSOR EFFECT / PAYLOAD IMPACT: {report.payload_impact}")
    parts.append(f"IMPACT LEVEL: {report.impact_level}")
    parts.append(f"POST EVENT STATUS: {report.post_event_status}")
    if report.event_association:
        parts.append(f"EVENT ASSOCIATION: {report.event_association}")
    if report.norad_ids_obfuscated:
        parts.append("NORAD IDs obfuscated by the reporter")
    return "\n".join(parts)


def report_objects(report: IsacReport, objects: dict[str, dict[str, Any]], vocabulary: Vocabulary | None = None,
                   controls: ControlLibrary | None = None) -> str:
    """Add the objects of one report (module docstring) to ``objects`` (by id); returns the report's STIX id."""
    marking = report.shared_marking
    key = marking.key()
    refs = [*marking_refs(marking, objects), PAP_IDS[report.pap][0]]
    objects.setdefault(PAP_IDS[report.pap][0], pap_definition(report.pap))
    created = _time(report.reported_utc or report.start_utc)
    author = _author(report, created)
    objects.setdefault(author["id"], author)
    common: dict[str, Any] = {"spec_version": "2.1", "created": created, "modified": created,
                              "created_by_ref": author["id"], "object_marking_refs": refs}
    mine: list[str] = [author["id"]]

    def add(obj: dict[str, Any]) -> str:
        objects.setdefault(obj["id"], obj)
        mine.append(obj["id"])
        return str(obj["id"])

    def relate(source: str, kind: str, target: str, role: str, description: str = "") -> None:
        rel = {"type": "relationship", "id": _id("relationship", report.id, source, kind, target), **common,
               "relationship_type": kind, "source_ref": source, "target_ref": target}
        if role:
            rel["x_kompas_role"] = role
        if description:
            rel["description"] = description
        add(rel)

    satellites: dict[int | str, str] = {}
    for sat in report.satellites:
        obj: dict[str, Any] = {"type": "identity", "id": _id("identity", key, "satellite", str(sat.norad_id or
                                                                                              sat.name)),
                               **common, "name": sat.label, "identity_class": "system",
                               "description": "satellite" + (f" of the {report.constellation} constellation"
                                                             if report.constellation else "")
                               + ("; NORAD id obfuscated by the reporter" if report.norad_ids_obfuscated else "")}
        if sat.norad_id is not None:
            obj["x_kompas_norad_id"] = sat.norad_id
        satellites[sat.norad_id if sat.norad_id is not None else sat.name] = add(obj)
    infrastructure = []
    for name, kind, role in ((report.constellation, "satellite-constellation", "constellation"),
                             (report.ground_station, "ground-station", "ground-station")):
        if name:
            infrastructure.append((add({"type": "infrastructure", "id": _id("infrastructure", key, kind, name),
                                        **common, "name": name, "infrastructure_types": [kind]}), role))
    techniques = []
    for tid in report.sparta_ids:
        known = vocabulary.techniques.get(tid) if vocabulary else None
        obj = {"type": "attack-pattern", "id": _id("attack-pattern", key, "sparta", tid), **common,
               "name": known.name if known else tid,
               "external_references": [{"source_name": "sparta", "external_id": tid, "url": technique_url(tid)}]}
        if known and known.tactics:
            obj["kill_chain_phases"] = [{"kill_chain_name": "sparta", "phase_name": t} for t in known.tactics]
        techniques.append(add(obj))
    for tid in report.attack_ids:
        techniques.append(add({"type": "attack-pattern", "id": _id("attack-pattern", key, "mitre-attack", tid),
                               **common, "name": tid,
                               "external_references": [{"source_name": "mitre-attack", "external_id": tid,
                                                        "url": ATTACK_URL + tid.replace(".", "/") + "/"}]}))
    places = list(report.locations)
    per_place = len(places) > 1
    incidents = []
    for n, place in enumerate(places if per_place else [places[0] if places else None]):
        name = report.title + (f": {place.label or f'place {n + 1}'}" if per_place and place else "")
        incident = add({"type": "incident", "id": _id("incident", report.id, str(n)), **common, "name": name,
                        "description": _description(report, place), "x_kompas_start_utc": report.start_utc,
                        **({"x_kompas_stop_utc": report.stop_utc} if report.stop_utc else {}),
                        "x_kompas_interference": report.interference})
        incidents.append(incident)
        for sat in report.satellites:
            if place is None or place.norad_id is None or place.norad_id == sat.norad_id:
                relate(incident, "related-to", satellites[sat.norad_id if sat.norad_id is not None else sat.name],
                       "affected-satellite")
        for target, role in infrastructure:
            relate(incident, "related-to", target, role)
        for target in techniques:
            relate(incident, "uses", target, "")
    for n, place in enumerate(places):
        obj = {"type": "location", "id": _id("location", key, report.id, str(n)), **common,
               "name": place.label or place.region or f"{place.kind} location",
               "description": f"{place.kind} location" + (f" observed by NORAD {place.norad_id}"
                                                          if place.norad_id else ""),
               "x_kompas_location_kind": place.kind}
        if place.point:
            obj["latitude"], obj["longitude"] = place.lat_deg, place.lon_deg
            if place.radius_km is not None:
                obj["precision"] = place.radius_km * 1000.0
        if place.region:
            obj["region"] = place.region
        target = add(obj)
        relate(incidents[n if per_place else 0], "related-to", target, place.kind)
        if place.norad_id is not None and place.norad_id in satellites and place.kind == "sub-satellite":
            relate(satellites[place.norad_id], "located-at", target, "sub-satellite")
    if controls is not None:
        for threat, control in controls.for_interference(report.interference):
            coa = add({"type": "course-of-action", "id": _id("course-of-action", key, "enisa", control.id),
                       **common, "name": control.name, "description": control.statement,
                       "external_references": [{"source_name": ENISA_SOURCE, "external_id": f"control {control.id}",
                                                "description": "ENISA, Space Threat Landscape (2025), control "
                                                               "framework, CC BY 4.0"}],
                       "x_kompas_enisa_cluster": control.cluster})
            for incident in incidents:
                relate(coa, "related-to", incident, "resilience-practice",
                       f"ENISA control for the threat {threat!r} (Kompas maps {report.interference} to "
                       f"{', '.join(INTERFERENCE_THREATS[report.interference])})")
    record = report.as_dict(hide_reporter=True)
    record.pop("marking")
    main: dict[str, Any] = {"type": "report", "id": f"report--{report.id}", **common, "name": report.title,
                            "description": (report.summary + "\n\n" if report.summary else "")
                            + _description(report, None),
                            "published": created, "report_types": ["threat-report"],
                            "object_refs": list(dict.fromkeys(mine)), RECORD: record}
    if report.references:
        main["external_references"] = [{"source_name": "reference", "url": url} for url in report.references]
    objects[main["id"]] = main
    return str(main["id"])


def export_stix(reports: Iterable[IsacReport], vocabulary: Vocabulary | None = None,
                controls: ControlLibrary | None = None) -> dict[str, Any]:
    """A STIX 2.1 bundle of reports (module docstring). ``vocabulary``: SPARTA names and tactics for the attack
    patterns; ``controls``: link the ENISA controls of each report's threats as courses of action."""
    objects: dict[str, dict[str, Any]] = {}
    for report in reports:
        report_objects(report, objects, vocabulary, controls)
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects.values())}


# ----------------------------------------------------------------------------------------------------------------
# Import
# ----------------------------------------------------------------------------------------------------------------

_PAP_BY_ID = {ident: level for level, (ident, _) in PAP_IDS.items()} | {PAP_WHITE_ID: PAP.CLEAR}
_NORAD = re.compile(r"NORAD(?:\s*ID)?\s*#?\s*:?\s*(\d{1,9})", re.IGNORECASE)


def _pap(obj: Mapping[str, Any], definitions: Mapping[str, Mapping[str, Any]]) -> PAP | None:
    """The PAP of an object's marking refs: the fixed ids, or a definition of the PAP extension or named PAP:X."""
    found = None
    for ref in obj.get("object_marking_refs") or []:
        if ref in _PAP_BY_ID:
            found = _PAP_BY_ID[ref]
            continue
        definition = definitions.get(ref) or {}
        extension = (definition.get("extensions") or {}).get(PAP_EXTENSION)
        name = str(definition.get("name", ""))
        if isinstance(extension, Mapping) and extension.get("pap"):
            found = PAP.parse(str(extension["pap"]))
        elif name.upper().startswith("PAP:"):
            found = PAP.parse(name)
    return found


def _without_pap(obj: Mapping[str, Any], definitions: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    def is_pap(ref: str) -> bool:
        definition = definitions.get(ref) or {}
        return ref in _PAP_BY_ID or PAP_EXTENSION in (definition.get("extensions") or {}) or \
            str(definition.get("name", "")).upper().startswith("PAP:")

    return {**obj, "object_marking_refs": [r for r in obj.get("object_marking_refs") or [] if not is_pap(r)]}


class _Reader:
    def __init__(self, source: str, objects: list[Any]) -> None:
        self.source = source
        self.by_id = {str(o.get("id")): o for o in objects if isinstance(o, Mapping)}
        self.place = {str(o.get("id")): n for n, o in enumerate(objects, start=1) if isinstance(o, Mapping)}
        self.definitions: dict[str, dict[Any, Any]] = {k: dict(v) for k, v in self.by_id.items()
                                                       if v.get("type") == "marking-definition"}
        self.out = ReadResult()

    def reject(self, ident: str, field: str, reason: str, value: str = "") -> None:
        self.out.rejections.append(Rejection(self.source, self.place.get(ident, 0), field, reason[:300], value[:200],
                                             unit="item"))

    def report(self, obj: Mapping[str, Any]) -> None:
        ident = str(obj.get("id"))
        try:
            stix2.parse(dict(obj), allow_custom=True, version="2.1")
        except (stix2.exceptions.STIXError, ValueError, TypeError, KeyError) as error:
            self.reject(ident, "report", f"not a STIX 2.1 report: {error}")
            return
        try:
            marking = object_marking(_without_pap(obj, self.definitions), self.definitions)
            pap = _pap(obj, self.definitions)
        except (ValueError, MarkingError) as error:
            reason = error.reason if isinstance(error, IsacError) else str(error)
            self.reject(ident, "object_marking_refs", reason)
            return
        try:
            if isinstance(obj.get(RECORD), Mapping):
                record = dict(obj[RECORD])
                record.pop("marking", None)
                report = report_from_dict(record)
                report = replace(report, marking=marking, pap=pap if pap is not None else report.pap)
            else:
                report = self._standard(obj, marking, pap)
        except IsacError as error:
            self.reject(ident, error.field, error.reason, error.value)
            return
        self.out.reports.append(report)

    def _refs(self, obj: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
        return [o for r in obj.get("object_refs") or [] if isinstance(o := self.by_id.get(str(r)), Mapping)
                and o.get("type") == kind]

    def _standard(self, obj: Mapping[str, Any], marking: Any, pap: PAP | None) -> IsacReport:  # noqa: ANN401
        ident = str(obj["id"])
        notes = ["read from a STIX report without the Kompas record"]
        incidents = self._refs(obj, "incident")
        starts = [str(i["x_kompas_start_utc"]) for i in incidents if i.get("x_kompas_start_utc")]
        stops = [str(i["x_kompas_stop_utc"]) for i in incidents if i.get("x_kompas_stop_utc")]
        if not starts:
            notes.append("no incident start time: the report's published time taken as the start")
        sparta, attack = [], []
        for pattern in self._refs(obj, "attack-pattern"):
            for ref in pattern.get("external_references") or []:
                if not isinstance(ref, Mapping) or not isinstance(ref.get("external_id"), str):
                    continue
                if ref.get("source_name") == "sparta" or SPARTA_ID.match(ref["external_id"]):
                    sparta.append(ref["external_id"])
                elif str(ref.get("source_name", "")).startswith("mitre"):
                    attack.append(ref["external_id"])
        kinds = [str(i["x_kompas_interference"]) for i in incidents if i.get("x_kompas_interference")]
        kind = kinds[0] if kinds else next(("jamming" if t.startswith("EX-0016") else "spoofing" for t in sparta
                                            if t.startswith(("EX-0016", "EX-0014"))), None)
        if kind is None:
            words = " ".join([str(obj.get("name", "")), str(obj.get("description", ""))]
                             + [str(i.get("name", "")) + " " + str(i.get("description", "")) for i in incidents])
            kind = interference_of(words)
            notes.append(f"interference type {kind} read from the words of the report")
        if kind is None:
            raise IsacError("interference", "no interference type: no x_kompas_interference, no SPARTA jamming or "
                            "spoofing technique, no words saying it")
        satellites = []
        for identity in self._refs(obj, "identity"):
            if identity.get("identity_class") not in ("system", None) or identity.get("id") == obj.get(
                    "created_by_ref"):
                continue
            norad = identity.get("x_kompas_norad_id")
            found = _NORAD.search(str(identity.get("name", "")) + " " + str(identity.get("description", "")))
            number = norad if isinstance(norad, int) else int(found.group(1)) if found else None
            name = re.sub(r"\s*\(?NORAD(?:\s*ID)?\s*#?\s*:?\s*\d+\)?", "", str(identity.get("name", ""))).strip()
            satellites.append(Satellite(number, name))
        places = []
        for loc in self._refs(obj, "location"):
            lat, lon = loc.get("latitude"), loc.get("longitude")
            precision = loc.get("precision")
            places.append(Location(lat, lon, precision / 1000.0 if isinstance(precision, int | float) and precision
                                   else None, str(loc.get("region") or ""),
                                   label=str(loc.get("name") or ""),
                                   kind=str(loc.get("x_kompas_location_kind") or "interference")))
        infrastructures = self._refs(obj, "infrastructure")
        constellation = next((str(i.get("name")) for i in infrastructures
                              if "satellite-constellation" in (i.get("infrastructure_types") or [])), "")
        references = [str(r["url"]) for r in obj.get("external_references") or []
                      if isinstance(r, Mapping) and isinstance(r.get("url"), str)]
        return IsacReport(
            id=ident.removeprefix("report--"), title=str(obj.get("name") or ""),
            start_utc=min(starts) if starts else str(obj["published"]), stop_utc=max(stops) if stops else None,
            interference=kind, summary=str(obj.get("description") or ""), reported_utc=str(obj["published"]),
            locations=tuple(places), satellites=tuple(satellites), constellation=constellation,
            sparta_ids=tuple(sparta), attack_ids=tuple(attack), pap=pap if pap is not None else PAP.AMBER,
            marking=marking, references=tuple(references), notes=tuple(notes), source=f"{self.source}#{ident}")


def import_stix(data: Any, source: str = "stix") -> ReadResult:  # noqa: ANN401 (decoded JSON)
    """The reports of a decoded STIX 2.1 bundle (module docstring), with one rejection per report not read."""
    if not isinstance(data, Mapping) or data.get("type") != "bundle" or not isinstance(data.get("objects"), list):
        return ReadResult(rejections=[Rejection(source, 0, "", "not a STIX bundle (type 'bundle' with an 'objects' "
                                                "list)", unit="item")])
    reader = _Reader(source, data["objects"])
    for n, obj in enumerate(data["objects"], start=1):
        if not isinstance(obj, Mapping):
            reader.out.rejections.append(Rejection(source, n, "", "not a JSON object", unit="item"))
        elif obj.get("type") == "report":
            reader.report(obj)
    return reader.out


def parse_stix(text: str, source: str = "stix") -> ReadResult:
    """:func:`import_stix` of JSON text; text that is not JSON is one rejection."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return ReadResult(rejections=[Rejection(source, 0, "", f"not JSON: {error.msg} (line {error.lineno})",
                                                unit="item")])
    except RecursionError:
        return ReadResult(rejections=[Rejection(source, 0, "", "JSON nested too deeply", unit="item")])
    return import_stix(data, source)
