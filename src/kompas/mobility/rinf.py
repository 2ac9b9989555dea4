"""The German rail network of the EU Register of Infrastructure (RINF), as extracted in early 2022 by
bergmannjg/RInfData (``Graph.json``, ``OpInfos.json``, ``LineInfos.json``), read into a mobility
:class:`~kompas.mobility.model.Network` (pure: JSON text in; the files are read by :mod:`kompas.mobility.load`).

- **Places** ``rinf:<UOPID>``, one per operational point of ``OpInfos.json`` (which repeats most of them: the first
  row is kept; a repeat with other coordinates or another name is a rejection naming both). Names have their runs
  of blanks collapsed (the register pads some: ``Berlin Wollankstraße                 Üst``). The ``EU…`` points
  are the border points (kind ``border``; they sit on the border and are registered by Germany, so their country is
  ``DE`` like the rest); every other point is kind ``station`` (the register's operational points include
  junctions and block posts; the extract does not say which is which).
- **Links** ``rinf:<Line>:<a>-<b>`` (``a`` < ``b`` in text order), one per pair of places per line:
  ``Graph.json`` lists each section in both directions, and about 300 of them twice more. Identical copies are
  merged (their number is in the source entry's ``duplicates``); copies whose ``MaxSpeed`` or ``Length`` differ are
  merged into the fastest, then shortest, and reported (``asymmetric`` when the two directions differ).
  ``length_km`` is ``Length`` (km, rounded by the register to 0.1 km: sections shorter than 50 m have 0),
  ``maxspeed_kmh`` ``MaxSpeed``, ``name`` the line's name from ``LineInfos.json`` (a line listed in several parts:
  the part whose operational points hold both ends), kind ``line``.
- **No gauge, axle load, loading gauge, electrification or train length**: the extract kept only line numbers,
  speeds and kilometres, so ``gauge_mm`` and ``electrified`` are None (unknown) on every link. Germany's network is
  standard gauge (1435 mm) but the extract cannot say so per section, and Kompas does not assume it.

Rejections name the file (``<source>/Graph.json``...), the 1-based item (the record's place in the file's list),
the field (``Edges[3].MaxSpeed`` for the 4th edge of a node record) and the reason; the good records go through.
A file that is not JSON, or not a list, raises ValueError naming it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from kompas.mobility.model import Link, Network, Place
from kompas.rejections import Rejection

ATTRIBUTION = ("EU Agency for Railways, Register of Infrastructure (RINF), German extract of February 2022 by "
               "bergmannjg/RInfData (MIT, © 2021 Jürgen Bergmann)")
NOTE = "RINF graph: no gauge, axle load, loading gauge or train length in this extract"
BORDER_PREFIX = "EU"  #: UOPIDs of border points (the others begin with the country code, ``DE``)
COUNTRY = "DE"
_BLANKS = re.compile(r"\s+")


def _load(text: str, name: str) -> list[Any]:
    """The JSON list in ``text``, or ValueError naming ``name``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, list):
        raise ValueError(f"{name}: expected a JSON list of records, got {type(data).__name__}")
    return data


def _number(record: dict[str, Any], key: str) -> float | str:
    """The record's finite number at ``key``, or the reason it is not one."""
    if key not in record:
        return "required"
    value = record[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"must be a number, got {value!r}"
    return float(value)


def _text(record: dict[str, Any], key: str) -> str | None:
    """The record's non-empty text at ``key`` (blanks collapsed), or None."""
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    return _BLANKS.sub(" ", value.strip())


def _ident(record: dict[str, Any], key: str) -> str | None:
    """The record's UOPID at ``key`` exactly as written (RINF pads codes with blanks, ``DELK  B``: they are part of
    the id), or None when it is not a non-empty text."""
    value = record.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _places(records: list[Any], name: str, source: str, rejections: list[Rejection]) -> dict[str, Place]:
    """The operational points of ``OpInfos.json``, deduplicated."""
    places: dict[str, Place] = {}
    for item, record in enumerate(records, 1):
        def reject(field: str, reason: str, value: str = "", item: int = item) -> None:
            rejections.append(Rejection(name, item, field, reason, value, "item"))

        if not isinstance(record, dict):
            reject("", f"an operational point must be an object, got {type(record).__name__}")
            continue
        uopid = _ident(record, "UOPID")
        if uopid is None:
            reject("UOPID", f"required (a non-empty text), got {record.get('UOPID')!r}")
            continue
        lat, lon = _number(record, "Latitude"), _number(record, "Longitude")
        if isinstance(lat, str) or isinstance(lon, str):
            field, reason = ("Latitude", lat) if isinstance(lat, str) else ("Longitude", lon)
            reject(field, f"{uopid}: {reason}")
            continue
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            reject("Latitude/Longitude", f"{uopid}: ({lat}, {lon}) is not a position")
            continue
        title = _text(record, "Name") or ""
        kept = places.get(uopid)
        if kept is None:
            kind = "border" if uopid.startswith(BORDER_PREFIX) else "station"
            places[uopid] = Place(f"rinf:{uopid}", title, lon, lat, COUNTRY, kind, source)
        elif (kept.lat, kept.lon) != (lat, lon):
            reject("Latitude/Longitude", f"{uopid} repeated at ({lat}, {lon}): kept the first, ({kept.lat}, "
                   f"{kept.lon})")
        elif title and title != kept.name:
            reject("Name", f"{uopid} repeated with the name {title!r}: kept the first, {kept.name!r}")
    return {place.id: place for place in places.values()}


def _line_names(records: list[Any], name: str, rejections: list[Rejection]) -> dict[str, list[tuple[str, set[str]]]]:
    """Line number -> its parts in ``LineInfos.json`` (a line may be listed in several parts): (name, UOPIDs)."""
    lines: dict[str, list[tuple[str, set[str]]]] = {}
    for item, record in enumerate(records, 1):
        line = record.get("Line") if isinstance(record, dict) else None
        if not isinstance(line, str | int) or isinstance(line, bool) or not str(line).strip():
            rejections.append(Rejection(name, item, "Line", f"required (a line number), got {line!r}", unit="item"))
            continue
        title = _text(record, "Name")
        if title is None:
            rejections.append(Rejection(name, item, "Name", f"line {line}: required (the line's name)", unit="item"))
            continue
        points = record.get("UOPIDs")
        ids = {point for point in points if isinstance(point, str)} if isinstance(points, list) else set()
        lines.setdefault(str(line).strip(), []).append((title, ids))
    return lines


def _line_name(parts: list[tuple[str, set[str]]], a: str, b: str) -> str:
    """The name of the line part holding both ends (else one of them, else the line's first part; "" if none)."""
    both = [title for title, ids in parts if a in ids and b in ids]
    either = [title for title, ids in parts if a in ids or b in ids]
    return next(iter(both + either + [title for title, _ in parts]), "")


@dataclass
class _Entry:
    """One directed edge entry of ``Graph.json``."""

    item: int
    u: str
    v: str
    line: str
    speed_kmh: float
    length_km: float


def _entries(records: list[Any], name: str, places: dict[str, Place],
             rejections: list[Rejection]) -> list[_Entry]:
    """The usable directed edge entries of ``Graph.json``."""
    out: list[_Entry] = []
    for item, record in enumerate(records, 1):
        def reject(field: str, reason: str, item: int = item) -> None:
            rejections.append(Rejection(name, item, field, reason, unit="item"))

        if not isinstance(record, dict):
            reject("", f"a node must be an object, got {type(record).__name__}")
            continue
        u = _ident(record, "Node")
        if u is None:
            reject("Node", f"required (a UOPID), got {record.get('Node')!r}")
            continue
        edges = record.get("Edges")
        if not isinstance(edges, list):
            reject("Edges", f"node {u}: required (a list of edges), got {edges!r}")
            continue
        if f"rinf:{u}" not in places:
            if edges:
                reject("Node", f"{u} is not in OpInfos (no position): its {len(edges)} edges are left out")
            continue
        for j, edge in enumerate(edges):
            where = f"Edges[{j}]"
            if not isinstance(edge, dict):
                reject(where, f"node {u}: an edge must be an object, got {type(edge).__name__}")
                continue
            v = _ident(edge, "Node")
            line = edge.get("Line")
            speed, length = _number(edge, "MaxSpeed"), _number(edge, "Length")
            if v is None:
                reject(f"{where}.Node", f"node {u}: required (a UOPID), got {edge.get('Node')!r}")
            elif not isinstance(line, str | int) or isinstance(line, bool) or not str(line).strip():
                reject(f"{where}.Line", f"edge {u}-{v}: required (a line number), got {line!r}")
            elif isinstance(speed, str) or speed <= 0:
                reject(f"{where}.MaxSpeed", f"edge {u}-{v}: {speed if isinstance(speed, str) else 'must be > 0'}"
                       + ("" if isinstance(speed, str) else f", got {speed:g}"))
            elif isinstance(length, str) or length < 0:
                reject(f"{where}.Length", f"edge {u}-{v}: {length if isinstance(length, str) else 'must be >= 0'}"
                       + ("" if isinstance(length, str) else f", got {length:g}"))
            elif f"rinf:{v}" not in places:
                reject(f"{where}.Node", f"edge {u}-{v}: {v} is not in OpInfos (no position)")
            elif v == u:
                reject(f"{where}.Node", f"edge {u}-{v}: joins a place to itself")
            else:
                out.append(_Entry(item, u, v, str(line).strip(), speed, length))
    return out


def parse_rinf(graph_json: str, opinfos_json: str, lineinfos_json: str | None, source: str) -> Network:
    """The RINF rail network of ``Graph.json`` and ``OpInfos.json`` (and the line names of ``LineInfos.json`` when
    given), ``source`` naming the folder (rejections name ``<source>/<file>``). See the module docstring."""
    rejections: list[Rejection] = []
    op_name, graph_name, line_name = (f"{source}/OpInfos.json", f"{source}/Graph.json", f"{source}/LineInfos.json")
    places = _places(_load(opinfos_json, op_name), op_name, source, rejections)
    line_names = _line_names(_load(lineinfos_json, line_name), line_name, rejections) if lineinfos_json else {}
    groups: dict[tuple[str, str, str], list[_Entry]] = {}
    for entry in _entries(_load(graph_json, graph_name), graph_name, places, rejections):
        a, b = sorted((entry.u, entry.v))
        groups.setdefault((entry.line, a, b), []).append(entry)
    links: dict[str, Link] = {}
    duplicates = 0
    for (line, a, b), entries in groups.items():
        best = max(entries, key=lambda e: (e.speed_kmh, -e.length_km))
        values = {(e.speed_kmh, e.length_km) for e in entries}
        forward = {(e.speed_kmh, e.length_km) for e in entries if e.u == a}
        backward = {(e.speed_kmh, e.length_km) for e in entries if e.u == b}
        duplicates += len(entries) - (len(forward) + len(backward))
        if len(values) > 1:
            shown = ", ".join(f"{s:g} km/h {km:g} km" for s, km in sorted(values))
            asymmetric = forward.isdisjoint(backward) and bool(forward) and bool(backward)
            what = "differs by direction" if asymmetric else "is listed with different values"
            rejections.append(Rejection(graph_name, entries[0].item, "Edges", f"line {line} {a}-{b} {what} "
                                        f"({shown}): kept {best.speed_kmh:g} km/h {best.length_km:g} km",
                                        unit="item"))
        lid = f"rinf:{line}:{a}-{b}"
        links[lid] = Link(lid, f"rinf:{a}", f"rinf:{b}", "rail", best.length_km, best.speed_kmh,
                          _line_name(line_names.get(line, []), a, b), "line", country=COUNTRY, source=source)
    note = {"name": source, "attribution": ATTRIBUTION, "licence": "MIT", "note": NOTE,
            "duplicates": str(duplicates)}
    return Network(places=places, links=links, sources=[note], rejections=rejections)
