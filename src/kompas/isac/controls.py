"""Resilience practices for ISAC incidents: ENISA's Space Threat Landscape control framework, linked by threat.

**Source.** ENISA, *Space Threat Landscape*, March 2025 (ISBN 978-92-9204-696-5, DOI 10.2824/8841206), and its
dataset ``Control Framework.xlsx`` (enisaeu/Space-Threat-Landscape, CC BY 4.0), in ``../shared/data/space-threats/
enisa/enisa-space-threat-landscape-2025_control-framework.xlsx``. Two of its views are read (openpyxl, read-only):

- the **control view** (sheet ``Control Framework_Control based``, header on row 2): one row per control: ``#``,
  control cluster, control title, control, description, reference frameworks, lifecycle phase, segment, threats
  addressed; 125 controls in 18 clusters;
- the **threat view** (``Control Framework_Threat based``, header on row 2): one row per threat-control pair:
  threat cluster, threat, control title, control, description, control cluster, frameworks, phase, segment; 648
  rows, 58 threats. Its threat-cluster labels include "Unintention damage" (3 threats) beside "Unintentional
  damage" (1): the same cluster spelled two ways, read as "Unintentional damage" (9 clusters).

How the workbook is read: blank threat-cluster and threat cells are filled from the row above (forward fill: how
merged cells arrive when a workbook's merges are flattened; this snapshot has no merged cells, so nothing is filled
there). A threat row is joined to its control by the control title (spaces collapsed, case ignored; every title of
the threat view is a title of the control view). Eight threat-view rows (threat "Damage/Destruction of segment
assets") leave the control cluster blank: the cluster is the control view's, not the row above's (a forward fill
would give Maneuverability "Capacity building" where the control view says "Defence capabilities").

**Interference type -> ENISA threats** (:data:`INTERFERENCE_THREATS`): Kompas's mapping, a judgement documented
here, not ENISA's: jamming -> Jamming; spoofing -> Spoofing; unattributed EMI -> Electromagnetic interference and
Jamming (ENISA lists one control for EMI; its jamming controls are the resilience practices against RF interference
whatever its cause); laser and kinetic -> Damage/Destruction of the satellite via the use of ASAT (laser: the
non-kinetic, directed-energy end of counterspace); cyber intrusion -> Seizure of control, Unauthorised access,
Malicious code/software/activity: Network exploit, Hijacking; physical -> Damage/Destruction of segment assets,
Unauthorised physical access, Sabotage through hardware/software; RPO -> Damage/Destruction of the satellite via
the use of ASAT (co-orbital) and Interception of communication (inspection); space weather -> Environmental
hazards.

**Shipped sample** (``kompas/data/isac/enisa_controls_sample.json``, :data:`SAMPLE`): the threat-view rows of
Jamming, Spoofing, Electromagnetic interference and Seizure of control and their controls, so that the library works
without ``../shared`` (CC BY 4.0, ENISA credited, changes stated in the file and in its PROVENANCE.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kompas.isac.model import INTERFERENCE_TYPES
from kompas.rejections import Rejection

__all__ = ["CONTROL_SHEET", "INTERFERENCE_THREATS", "SAMPLE", "SAMPLE_THREATS", "THREAT_SHEET", "Control",
           "ControlLibrary", "Threat", "library_from_json", "library_to_json", "parse_library_json",
           "parse_workbook", "parse_workbook_bytes"]

CONTROL_SHEET = "Control Framework_Control based"
THREAT_SHEET = "Control Framework_Threat based"
SAMPLE = "isac/enisa_controls_sample.json"  #: the shipped sample, under ``kompas/data``
SAMPLE_THREATS = ("Jamming", "Spoofing", "Electromagnetic interference", "Seizure of control")
CLUSTER_SPELLINGS = {"Unintention damage": "Unintentional damage"}  #: threat-cluster labels read as another
ATTRIBUTION = ("ENISA, Space Threat Landscape, March 2025, DOI 10.2824/8841206; dataset 'Control Framework.xlsx' "
               "(github.com/enisaeu/Space-Threat-Landscape, commit e8fb6ffb), CC BY 4.0")

#: Kompas's mapping of its interference types to ENISA threat names (module docstring; a judgement, not ENISA's).
INTERFERENCE_THREATS: dict[str, tuple[str, ...]] = {
    "jamming": ("Jamming",),
    "spoofing": ("Spoofing",),
    "unknown-emi": ("Electromagnetic interference", "Jamming"),
    "laser": ("Damage/Destruction of the satellite via the use of ASAT",),
    "kinetic": ("Damage/Destruction of the satellite via the use of ASAT",),
    "cyber-intrusion": ("Seizure of control", "Unauthorised access",
                        "Malicious code/software/activity: Network exploit", "Hijacking"),
    "physical": ("Damage/Destruction of segment assets", "Unauthorised physical access",
                 "Sabotage through hardware/software"),
    "rpo": ("Damage/Destruction of the satellite via the use of ASAT", "Interception of communication"),
    "space-weather": ("Environmental hazards",),
}
assert set(INTERFERENCE_THREATS) == set(INTERFERENCE_TYPES)  # noqa: S101 (a module invariant)


def _key(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().casefold()


def _lines(text: object) -> tuple[str, ...]:
    """A cell holding one value per line (frameworks, phases, segments) as a tuple, spaces trimmed."""
    if text is None:
        return ()
    return tuple(dict.fromkeys(p for part in str(text).split("\n") if (p := re.sub(r"\s+", " ", part).strip())))


def _cell(value: object) -> str:
    return "" if value is None else re.sub(r"[ \t]+", " ", str(value)).strip()


@dataclass(frozen=True)
class Control:
    """An ENISA control: ``id`` the workbook's ``#`` (1-125), ``name`` its title, ``cluster`` its control cluster,
    ``statement`` the control, ``description``, ``frameworks``, lifecycle ``phases``, ``segments``, and the
    ``threats`` the control view says it addresses (as written there)."""

    id: str
    name: str
    cluster: str
    statement: str = ""
    description: str = ""
    frameworks: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    threats: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "cluster": self.cluster, "statement": self.statement,
                "description": self.description, "frameworks": list(self.frameworks), "phases": list(self.phases),
                "segments": list(self.segments), "threats": list(self.threats)}


@dataclass(frozen=True)
class Threat:
    """An ENISA threat and its threat cluster (``cluster`` normalised, ``cluster_as_written`` the label read)."""

    name: str
    cluster: str
    cluster_as_written: str = ""


@dataclass
class ControlLibrary:
    """The controls, the threats, and which controls each threat is mapped to (threat view order)."""

    controls: dict[str, Control] = field(default_factory=dict)
    threats: dict[str, Threat] = field(default_factory=dict)
    threat_controls: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rows: int = 0  #: threat-view rows read
    source: str = ""
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def clusters(self) -> set[str]:
        """The control clusters."""
        return {c.cluster for c in self.controls.values()}

    def threat_clusters(self, as_written: bool = False) -> set[str]:
        """The threat clusters, normalised (or as the workbook spells them)."""
        return {t.cluster_as_written if as_written else t.cluster for t in self.threats.values()}

    def controls_for(self, threat: str) -> list[Control]:
        """The controls ENISA maps to a threat (threat view order); [] for a threat it does not list."""
        return [self.controls[c] for c in self.threat_controls.get(threat, ())]

    def for_interference(self, interference: str) -> list[tuple[str, Control]]:
        """(ENISA threat, control) pairs for an interference type (:data:`INTERFERENCE_THREATS`), each control
        once (under the first threat naming it). Raises KeyError for an unknown interference type."""
        seen: set[str] = set()
        out = []
        for threat in INTERFERENCE_THREATS[interference]:
            for control in self.controls_for(threat):
                if control.id not in seen:
                    seen.add(control.id)
                    out.append((threat, control))
        return out


def _header(rows: Sequence[Sequence[object]], first: str) -> tuple[int, dict[str, int]]:
    for i, row in enumerate(rows[:10]):
        cells = [_cell(c) for c in row]
        if first in cells:
            return i, {name: j for j, name in enumerate(cells) if name}
    raise ValueError(f"no header row with {first!r} in the first 10 rows")


def _sheet_rows(workbook: Any, name: str, source: str) -> list[tuple[object, ...]]:  # noqa: ANN401 (openpyxl)
    if name not in workbook.sheetnames:
        raise ValueError(f"{source}: no sheet {name!r} (is this ENISA's control framework workbook?)")
    return [tuple(row) for row in workbook[name].iter_rows(values_only=True)]


def parse_workbook(control_rows: Sequence[Sequence[object]], threat_rows: Sequence[Sequence[object]],
                   source: str = "") -> ControlLibrary:
    """The library from the rows (cell values) of the control view and the threat view (module docstring).
    Rows that cannot be read are rejected (``source``, ``line`` = the sheet's row number, field, reason)."""
    lib = ControlLibrary(source=source)
    start, col = _header(control_rows, "#")
    need = ("#", "Control cluster", "Control title", "Control", "Control description", "Reference frameworks",
            "Lifecycle phase", "Segment", "Threats addressed")
    missing = [n for n in need if n not in col]
    if missing:
        raise ValueError(f"{source}: {CONTROL_SHEET}: no column {missing[0]!r}")
    by_title: dict[str, str] = {}
    where = f"{source}[{CONTROL_SHEET}]"
    for n, row in enumerate(control_rows[start + 1:], start=start + 2):
        if all(c is None or _cell(c) == "" for c in row):
            continue
        number, title, cluster = _cell(row[col["#"]]), _cell(row[col["Control title"]]), _cell(
            row[col["Control cluster"]])
        if not number.isdigit() or not title or not cluster:
            lib.rejections.append(Rejection(where, n, "#" if not number.isdigit() else "Control title" if not title
                                            else "Control cluster", "a control needs a number, a title and a "
                                            "cluster", number or title))
            continue
        if number in lib.controls or _key(title) in by_title:
            lib.rejections.append(Rejection(where, n, "#", "control number or title seen before: the first kept",
                                            f"{number} {title}"))
            continue
        threats = tuple(t for part in _cell(row[col["Threats addressed"]]).split(";") if (t := part.strip()))
        lib.controls[number] = Control(number, title, cluster, _cell(row[col["Control"]]),
                                       _cell(row[col["Control description"]]),
                                       _lines(row[col["Reference frameworks"]]), _lines(row[col["Lifecycle phase"]]),
                                       _lines(row[col["Segment"]]), threats)
        by_title[_key(title)] = number
    start, col = _header(threat_rows, "Threat cluster")
    for name in ("Threat cluster", "Threat", "Control title", "Control cluster"):
        if name not in col:
            raise ValueError(f"{source}: {THREAT_SHEET}: no column {name!r}")
    where = f"{source}[{THREAT_SHEET}]"
    previous = {"Threat cluster": "", "Threat": ""}
    filled_cluster = 0
    mapped: dict[str, list[str]] = {}
    for n, row in enumerate(threat_rows[start + 1:], start=start + 2):
        if all(c is None or _cell(c) == "" for c in row):
            continue
        values = {}
        for name in ("Threat cluster", "Threat"):
            values[name] = _cell(row[col[name]]) or previous[name]
            previous[name] = values[name]
        title = _cell(row[col["Control title"]])
        found = by_title.get(_key(title))
        if not values["Threat"] or found is None:
            lib.rejections.append(Rejection(where, n, "Control title" if values["Threat"] else "Threat",
                                            "not a control title of the control view" if values["Threat"] else
                                            "no threat on this row or above", title))
            continue
        number = found
        lib.rows += 1
        written = values["Threat cluster"]
        cluster = CLUSTER_SPELLINGS.get(written, written)
        known = lib.threats.get(values["Threat"])
        if known is None:
            lib.threats[values["Threat"]] = Threat(values["Threat"], cluster, written)
        elif known.cluster != cluster:
            lib.rejections.append(Rejection(where, n, "Threat cluster", f"threat {values['Threat']!r} is in "
                                            f"{known.cluster!r} above: the first kept", written))
        stated = _cell(row[col["Control cluster"]])
        if not stated:
            filled_cluster += 1
        elif stated != lib.controls[number].cluster:
            lib.notes.append(f"row {n}: control cluster {stated!r} differs from the control view's "
                             f"{lib.controls[number].cluster!r} for {title!r}: the control view's kept")
        items = mapped.setdefault(values["Threat"], [])
        if number not in items:
            items.append(number)
    lib.threat_controls = {k: tuple(v) for k, v in mapped.items()}
    if filled_cluster:
        lib.notes.append(f"{filled_cluster} threat-view rows without a control cluster: the control view's used")
    respelled = sorted({t.cluster_as_written for t in lib.threats.values() if t.cluster_as_written in
                        CLUSTER_SPELLINGS})
    if respelled:
        lib.notes.append(f"threat cluster {', '.join(map(repr, respelled))} read as "
                         f"{', '.join(repr(CLUSTER_SPELLINGS[r]) for r in respelled)}")
    return lib


def parse_workbook_bytes(data: bytes, source: str = "") -> ControlLibrary:
    """The library from the bytes of ENISA's control framework workbook (the control and threat views, read with
    openpyxl in read-only mode from memory; :func:`kompas.isac.load.read_workbook` reads the file). Raises
    ValueError when it is not that workbook."""
    import io
    import zipfile

    import openpyxl  # type: ignore[import-untyped, unused-ignore]

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError) as error:
        raise ValueError(f"{source}: not an XLSX workbook ({error})") from None
    try:
        controls = _sheet_rows(workbook, CONTROL_SHEET, source)
        threats = _sheet_rows(workbook, THREAT_SHEET, source)
    finally:
        workbook.close()
    return parse_workbook(controls, threats, source)


def library_to_json(lib: ControlLibrary, threats: Iterable[str] | None = None) -> dict[str, Any]:
    """The library (or the part of it for ``threats``) as JSON, with the attribution and the changes made."""
    wanted = list(threats) if threats is not None else list(lib.threat_controls)
    unknown = [t for t in wanted if t not in lib.threat_controls]
    if unknown:
        raise KeyError(f"ENISA lists no threat {unknown[0]!r}")
    ids = list(dict.fromkeys(c for t in wanted for c in lib.threat_controls[t]))
    return {"attribution": ATTRIBUTION, "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
            "changes": "Extract by Kompas: the threat-view rows of the threats listed and the control-view rows of "
                       "their controls, converted from XLSX to JSON; spaces collapsed; control clusters left blank "
                       "in the threat view taken from the control view; 'Unintention damage' read as "
                       "'Unintentional damage'.",
            "controls": [lib.controls[c].as_dict() for c in sorted(ids, key=int)],
            "threats": [{"name": t, "cluster": lib.threats[t].cluster,
                         "cluster_as_written": lib.threats[t].cluster_as_written,
                         "controls": list(lib.threat_controls[t])} for t in wanted]}


def library_from_json(data: Mapping[str, Any], source: str = "") -> ControlLibrary:
    """Inverse of :func:`library_to_json`; raises ValueError naming the first malformed entry."""
    lib = ControlLibrary(source=source)
    try:
        for item in data["controls"]:
            control = Control(str(item["id"]), str(item["name"]), str(item["cluster"]), str(item["statement"]),
                              str(item["description"]), tuple(item["frameworks"]), tuple(item["phases"]),
                              tuple(item["segments"]), tuple(item["threats"]))
            lib.controls[control.id] = control
        for item in data["threats"]:
            name = str(item["name"])
            lib.threats[name] = Threat(name, str(item["cluster"]), str(item["cluster_as_written"]))
            ids = tuple(str(c) for c in item["controls"])
            bad = [c for c in ids if c not in lib.controls]
            if bad:
                raise ValueError(f"threat {name!r} names control {bad[0]}, which the file does not hold")
            lib.threat_controls[name] = ids
            lib.rows += len(ids)
    except (KeyError, TypeError) as error:
        raise ValueError(f"{source}: not a Kompas ENISA control library ({error})") from None
    return lib


def parse_library_json(text: str, source: str = "") -> ControlLibrary:
    """:func:`library_from_json` of JSON text; ValueError naming ``source`` when it is not JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{source}: not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, Mapping):
        raise ValueError(f"{source}: not a Kompas ENISA control library (not an object)")
    return library_from_json(data, source)
