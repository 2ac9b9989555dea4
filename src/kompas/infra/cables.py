"""Readers of TeleGeography's submarine cable map (pure: the text of each file in, elements out).

Two vintages are read: late 2022 (Steve Song's fork ``open_undersea_cable_map``, the last CC-licensed data: one
JSON per cable with ``landing_points[{id, name, country}]``, ``owners``, ``suppliers``, ``rfs_year``) and June 2021
(TeleGeography's own API v2: ``landing_points[{id, name, latlon}]``, no suppliers, the country only in the landing
point's name, ``"Hanko, Finland"``). Routes come from ``cable-geo.json`` (MultiLineStrings keyed by ``id`` in 2022,
``slug`` in 2021) and landing coordinates from ``landing-point-geo.json``.

TeleGeography draws the routes by hand (Adobe Illustrator) and places landing points at city level: a distance to
a route is approximate by kilometres (:data:`ROUTE_CAVEAT`). The data is CC BY-NC-SA 3.0 (:data:`ATTRIBUTION`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from kompas.infra.countries import alpha2
from kompas.infra.model import Cable, Landing, Line, Rejection, Route

ATTRIBUTION = ("Submarine cables and landing points: TeleGeography, Submarine Cable Map (2021 and 2022 vintages, the "
               "2022 one via S. Song's open_undersea_cable_map), CC BY-NC-SA 3.0, non-commercial use only.")
ROUTE_CAVEAT = ("Cable routes on the public map are drawn, not surveyed, and landing points are city-level: any "
                "distance to a cable (an area, a buffer, an anchor track) is approximate by kilometres.")
MAX_POINTS = 20_000  #: coordinates kept per route (the longest public route has ~1,100)


def split_names(text: str | None) -> tuple[str, ...]:
    """``"Arelion (formerly Telia Carrier), Orange Polska"`` -> the names, split on commas outside parentheses."""
    if not text:
        return ()
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == "," and depth <= 0:
            names.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    names.append("".join(current).strip())
    return tuple(n for n in names if n)


def _length_km(text: Any) -> float | None:  # noqa: ANN401 (a JSON value)
    """``"1,172 km"`` -> 1172.0; None when absent or not a length."""
    found = re.match(r"^\s*([\d,.]+)\s*km", str(text or ""))
    if not found:
        return None
    try:
        return float(found.group(1).replace(",", ""))
    except ValueError:
        return None


def _year(value: Any) -> int | None:  # noqa: ANN401
    found = re.search(r"(19|20)\d\d", str(value or ""))
    return int(found.group(0)) if found else None


def _route(geometry: Mapping[str, Any]) -> Route:
    """The lines of a GeoJSON LineString or MultiLineString as tuples of (lon, lat), bounded by :data:`MAX_POINTS`."""
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    parts = [coords] if kind == "LineString" else coords if kind == "MultiLineString" else []
    lines: list[Line] = []
    kept = 0
    for part in parts:
        line = tuple((float(p[0]), float(p[1])) for p in part[: MAX_POINTS - kept])
        kept += len(line)
        if len(line) >= 2:
            lines.append(line)
    return tuple(lines)


def parse_routes(text: str, key: str = "id") -> dict[str, Route]:
    """``cable-geo.json`` -> cable id -> its route (features sharing an id are joined); ``key`` is the property
    holding the cable id (``id`` in 2022, ``slug`` in 2021)."""
    routes: dict[str, list[Line]] = {}
    for feature in json.loads(text).get("features", []):
        cable_id = str((feature.get("properties") or {}).get(key) or "")
        if cable_id and feature.get("geometry"):
            routes.setdefault(cable_id, []).extend(_route(feature["geometry"]))
    return {k: tuple(v) for k, v in routes.items()}


def parse_landing_points(text: str, key: str = "id") -> dict[str, tuple[float, float, str]]:
    """``landing-point-geo.json`` -> landing id -> (lon, lat, name)."""
    out = {}
    for feature in json.loads(text).get("features", []):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Point" and props.get(key):
            lon, lat = geometry["coordinates"][:2]
            out[str(props[key])] = (float(lon), float(lat), str(props.get("name") or ""))
    return out


_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"), start=1)}
#: The month each vintage was drawn (2021: the API's creation_time, 2021-06-28; 2022: the fork's last update).
VINTAGE_MONTH = {"2021": (2021, 6), "2022": (2022, 12)}


def _planned_then(record: Mapping[str, Any], vintage: str) -> bool:
    """Whether a cable was still planned when ``vintage`` was drawn, for files without ``is_planned`` (2021): its
    ready-for-service date (``"2022"``, ``"2021 Q4"``, ``"2021 September"``) lies after the vintage's month."""
    year, month = VINTAGE_MONTH.get(vintage, (9999, 12))
    rfs = str(record.get("rfs") or "").lower()
    rfs_year = _year(rfs)
    if rfs_year is None:
        return False
    if rfs_year != year:
        return rfs_year > year
    named = [m for name, m in _MONTHS.items() if name in rfs]
    quarter = re.search(r"q([1-4])", rfs)
    rfs_month = named[0] if named else 3 * int(quarter.group(1)) if quarter else 12
    return rfs_month > month


def _country_of_name(name: str) -> str:
    """The country at the end of a landing point's name: ``"Hanko, Finland"`` -> ``FI``; the longest tail that
    names a country wins (``"Muanda, Congo, Dem. Rep."`` -> ``CD``)."""
    parts = name.split(",")
    for start in range(1, len(parts)):
        code = alpha2(",".join(parts[start:]))
        if code:
            return code
    return ""


def parse_cables(files: Mapping[str, str], routes_text: str, landings_text: str, vintage: str = "2022",
                 source: str = "infra/cables_2022") -> tuple[list[Landing], list[Cable], list[Rejection]]:
    """One vintage of the cable map. ``files`` maps each per-cable file name to its text (``all.json`` and
    ``cable-geo.json`` are skipped); ``routes_text`` is ``cable-geo.json``, ``landings_text`` is
    ``landing-point-geo.json``. Returns the landing points used by some cable, the cables, and the rejections (a
    file that is not JSON, a cable without an id, a landing point whose country cannot be named, a landing point
    without coordinates)."""
    key = "id" if vintage == "2022" else "slug"
    routes = parse_routes(routes_text, key)
    points = parse_landing_points(landings_text, key)
    rejections: list[Rejection] = []
    landings: dict[str, Landing] = {}
    cables: list[Cable] = []
    for name, text in sorted(files.items()):
        if name in ("all.json", "cable-geo.json"):
            continue
        where = f"{source}/cable/{name}"
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            rejections.append(Rejection(where, f"line {exc.lineno}", "json", f"not JSON: {exc.msg}"))
            continue
        if not isinstance(record, dict) or not record.get("id"):
            rejections.append(Rejection(where, "record", "id", "a cable needs an id"))
            continue
        cable_id = str(record["id"])
        ids: list[str] = []
        for lp in record.get("landing_points") or []:
            lp_id = str(lp.get("id") or "")
            lp_name = str(lp.get("name") or lp_id)
            if not lp_id:
                rejections.append(Rejection(where, cable_id, "landing_points.id", "a landing point without an id"))
                continue
            country = alpha2(str(lp["country"])) if lp.get("country") else _country_of_name(lp_name)
            if not country:
                rejections.append(Rejection(where, cable_id, "landing_points.country",
                                            f"{lp.get('country') or lp_name!r} is not a country Kompas can name"))
            if lp_id not in landings:
                point = points.get(lp_id)
                if point is None and lp.get("latlon"):
                    lat, _, lon = str(lp["latlon"]).partition(",")
                    try:
                        point = (float(lon), float(lat), lp_name)
                    except ValueError:
                        point = None
                if point is None:
                    rejections.append(Rejection(where, cable_id, "landing_points", f"{lp_id}: no coordinates"))
                    continue
                landings[lp_id] = Landing(lp_id, lp_name, country, point[0], point[1], source=source)
            ids.append(lp_id)
        countries = tuple(sorted({landings[i].country for i in ids if landings[i].country}))
        planned = bool(record.get("is_planned")) if "is_planned" in record else _planned_then(record, vintage)
        cables.append(Cable(
            id=cable_id, name=str(record.get("name") or cable_id), landings=tuple(dict.fromkeys(ids)),
            countries=countries, owners=split_names(record.get("owners")),
            suppliers=split_names(record.get("suppliers")),
            rfs_year=record.get("rfs_year") if isinstance(record.get("rfs_year"), int) else _year(record.get("rfs")),
            planned=planned, length_km=_length_km(record.get("length")),
            cable_kind="power" if cable_id in POWER_CABLES else "telecom", route=routes.get(cable_id, ()),
            source=source, url=str(record.get("url") or "")))
    return list(landings.values()), cables, rejections


#: Cables on the telecom map that carry power, not data (PROVENANCE: NordBalt is the one in the Baltic).
POWER_CABLES = frozenset({"nordbalt"})
