"""Readers of the European transmission grid as PyPSA-Eur ships it (pure: the text of each file in, links out).

Two sources, both CC-BY-4.0 "The PyPSA-Eur Authors" (:data:`ATTRIBUTION`), from ``PyPSA/pypsa-eur`` ``data/``:

``links_p_nom.csv``
    The HVDC projects, compiled from Wikipedia's list of HVDC projects (49 rows): name, converter stations (free
    text with a country prefix and coordinates), rated power (MW), year, remarks (supplier, decommissioning) and the
    converter coordinates ``x1, y1, x2, y2`` (lon, lat in degrees). :func:`parse_hvdc_links` makes one
    ``Link(link_kind="hvdc")`` per row.
``entsoegridkit/{buses,lines,links}.csv``
    GridKit's unofficial extract of the ENTSO-E interactive map (March 2022): buses with an hstore ``country`` tag,
    AC lines (voltage, circuits, WKT geometry) and DC links. :func:`parse_gridkit` returns the cross-border AC
    lines with an estimated capacity; :func:`gridkit_dc_routes` the drawn DC routes that :func:`with_routes` lends
    to the HVDC links. GridKit's coordinates are stylised (the ENTSO-E map favours topological clarity) and its
    voltages are the lower bound of ENTSO-E's ranges.

Capacities of AC lines are *estimated* as PyPSA-Eur does (``scripts/base_network.py``,
``_set_lines_s_nom_from_linetypes``): ``s_nom = sqrt(3) * v_nom [kV] * i_nom [kA] * circuits`` (MVA, reported as
MW: the thermal rating, before PyPSA-Eur's ``s_max_pu`` 0.7 security margin), with the standard line type PyPSA-Eur
assigns to each voltage (:data:`LINE_TYPES`).
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import NamedTuple

import pycountry

from kompas.infra.countries import alpha2
from kompas.infra.model import Line, Link, Point, Rejection, Route

ATTRIBUTION = ("European transmission grid: PyPSA-Eur data (links_p_nom.csv compiled from Wikipedia's list of HVDC "
               "projects; GridKit's unofficial extract of the ENTSO-E interactive map, March 2022, not endorsed by "
               "ENTSO-E), The PyPSA-Eur Authors, CC-BY-4.0.")
HVDC_SOURCE = "grid/links_p_nom.csv"
GRIDKIT_SOURCE = "grid/entsoegridkit"
EARTH_RADIUS_KM = 6371.0088  #: mean Earth radius (IUGG), for great-circle distances

#: Nominal voltage (kV) -> (PyPSA standard line type, its nominal current ``i_nom`` in kA).
#: The voltage -> type mapping is PyPSA-Eur's ``lines: types:`` in ``config/config.default.yaml`` (PyPSA/pypsa-eur
#: commit 16ed084ecd04e481d67c24a2af284275ca47dde8, 2026-08-21; the file last changed in ee1d49aa0820, 2026-08-19);
#: ``i_nom`` is the ``i_nom`` column of ``pypsa/data/standard_types/line_types.csv`` (PyPSA/PyPSA commit
#: 0209b0ed0a29e7e373b92883e88999dac4dc85a1, 2026-08-19; the file last changed in 35aafc08f5ab, 2025-09-04).
#: PyPSA-Eur itself keeps only buses of 220-750 kV (``electricity: voltages``); Kompas keeps the lower voltages of
#: the table too, since a 132 kV tie line is still a connection between two countries.
LINE_TYPES: dict[float, tuple[str, float]] = {
    63.0: ("94-AL1/15-ST1A 20.0", 0.35),
    66.0: ("94-AL1/15-ST1A 20.0", 0.35),
    90.0: ("184-AL1/30-ST1A 110.0", 0.535),
    110.0: ("184-AL1/30-ST1A 110.0", 0.535),
    132.0: ("243-AL1/39-ST1A 110.0", 0.645),
    150.0: ("243-AL1/39-ST1A 110.0", 0.645),
    220.0: ("Al/St 240/40 2-bundle 220.0", 1.29),
    300.0: ("Al/St 240/40 3-bundle 300.0", 1.935),
    330.0: ("Al/St 240/40 3-bundle 300.0", 1.935),
    380.0: ("Al/St 240/40 4-bundle 380.0", 2.58),
    400.0: ("Al/St 240/40 4-bundle 380.0", 2.58),
    500.0: ("Al/St 240/40 4-bundle 380.0", 2.58),
    750.0: ("Al/St 560/50 4-bundle 750.0", 4.16),
}

HVDC_COLUMNS = ("Name", "Converterstation 1", "Converterstation 2", "Power (MW)", "Year", "Remarks",
                "x1", "y1", "x2", "y2")
#: A row of ``links_p_nom.csv`` is ``decommissioned`` when its Remarks match this (case-insensitive); else
#: ``operating``. PyPSA-Eur drops rows matching ``"Shut down|Replaced"`` (``_set_electrical_parameters_links_eg``);
#: read row by row, the 49 rows also say "Decommissioned in 1986" (Gotland 1) and "Never placed in service
#: Dismantled" (Elbe-Project). Matching rows (8): Elbe-Project, Gotland 1, Cross-Channel (1961), Volgograd-Donbass,
#: Konti-Skan 1 and SACOI 1a/1b (their mercury-arc converters "Replaced": the row describes the retired scheme;
#: SACOI 2 is listed as its own rows, the rebuilt Konti-Skan 1 is not), Kingsnorth. "Expected completion 2011"
#: (Cometa, in service since 2012) and "Operational since ..." stay operating.
DECOMMISSIONED = re.compile(r"decommissioned|dismantled|never placed in service|shut down|replaced", re.IGNORECASE)
#: Supplier names as the Remarks write them -> the name Kompas records (the spelling of ``suppliers.yaml``).
#: ``STK(Nexans)`` (Skagerrak 1 + 2: Standard Telefon og Kabelfabrik, which the source itself labels Nexans, its
#: owner today) is recorded as Nexans.
SUPPLIERS: tuple[tuple[str, str], ...] = (
    (r"ABB", "ABB"), (r"Siemens", "Siemens"), (r"Nexans", "Nexans"), (r"Prysmian(?: Group)?", "Prysmian"),
    (r"Alstom", "Alstom"), (r"Toshiba", "Toshiba"), (r"English Electric", "English Electric"),
    (r"STK\s*\(Nexans\)", "Nexans"), (r"STK", "STK"),
    (r"Hitachi(?: Energy)?", "Hitachi Energy"), (r"\bGE\b", "GE"), (r"NKT", "NKT"), (r"Pirelli", "Pirelli"),
)
_SUPPLIER_RE = re.compile("|".join(f"(?P<s{i}>{pattern})" for i, (pattern, _) in enumerate(SUPPLIERS)))
#: GridKit country tags that are not the ISO 3166-1 alpha-2 code of the country meant: ENTSO-E writes UK for the
#: United Kingdom, and PA (ISO: Panama) for the Palestinian territories (its PA buses lie at 34.2-35.6E, 31.2-32.5N,
#: tied to IL, JO and EG).
GRIDKIT_COUNTRIES = {"UK": "GB", "PA": "PS", "EL": "GR"}

_COORDINATE = re.compile(r"\s\d{1,3}°")
_COUNTRY_TAG = re.compile(r'"country"=>"([^"]*)"')
_WKT_LINESTRING = re.compile(r"^\s*LINESTRING\s*\(([^()]*)\)\s*$", re.IGNORECASE)
_TRANSLIT = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d",
                           "Đ": "D", "þ": "th", "ð": "d"})


class DcRoute(NamedTuple):
    """A GridKit DC link: its two ends (lon, lat: the first and last point of its drawn geometry, the points
    PyPSA-Eur matches ``links_p_nom`` against), the drawn route, the GridKit ``link_id``, the countries of its two
    buses (``""`` when untagged) and whether GridKit marks it under construction."""

    start: Point
    end: Point
    route: Route
    link_id: str
    countries: tuple[str, str] = ("", "")
    under_construction: bool = False


# --------------------------------------------------------------------------------------------------------- helpers

def slug(text: str) -> str:
    """A stable id from a name: ``"Estlink 2"`` -> ``"estlink-2"``, ``"StoreBælt"`` -> ``"storebaelt"`` (Latin
    letters without their accents, runs of anything else become one ``-``)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance in km between two (lon, lat) points in degrees."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def parse_linestring(text: str) -> Line:
    """The points of a WKT ``LINESTRING(lon lat, lon lat, ...)`` (degrees). Raises ValueError, saying why, for
    anything else: another geometry type, a point without two numbers, fewer than two points, a coordinate outside
    [-180, 180] x [-90, 90]. Hand-written because GridKit writes only 2-D LINESTRINGs and this is several times
    faster than shapely.wkt for the few hundred lines read."""
    found = _WKT_LINESTRING.match(text or "")
    if not found:
        head = (text or "").strip()[:40]
        raise ValueError(f"not a WKT LINESTRING: {head!r}")
    points: list[Point] = []
    for part in found.group(1).split(","):
        numbers = part.split()
        if len(numbers) != 2:
            raise ValueError(f"a point needs lon and lat: {part.strip()!r}")
        lon, lat = float(numbers[0]), float(numbers[1])  # ValueError on a non-number
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0) or math.isnan(lon) or math.isnan(lat):
            raise ValueError(f"coordinate out of range: {part.strip()!r}")
        points.append((lon, lat))
    if len(points) < 2:
        raise ValueError("a LINESTRING needs at least two points")
    return tuple(points)


def _rows(text: str, quotechar: str = '"', where: str = "",
          rejections: list[Rejection] | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number of the row's start, row) for each data row of a CSV text; the header is line 1. A text the csv
    module cannot read on (a field beyond its size limit) ends the rows there, with a rejection."""
    reader = csv.DictReader(io.StringIO(text, newline=""), quotechar=quotechar)
    start = reader.line_num + 1
    try:
        for row in reader:
            yield start, {k: (v if isinstance(v, str) else "") for k, v in row.items() if k is not None}
            start = reader.line_num + 1
    except csv.Error as exc:
        if rejections is not None:
            rejections.append(Rejection(where, f"line {start}", "", f"unreadable CSV ({exc}): the rest is skipped"))


def _missing(text: str, columns: Iterable[str], quotechar: str = '"') -> list[str]:
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), quotechar=quotechar), [])
    except csv.Error:
        header = []
    return [c for c in columns if c not in header]


# ------------------------------------------------------------------------------------------------------ HVDC links

def station_country(text: str) -> tuple[str, str]:
    """``(alpha-2, place)`` of a ``links_p_nom`` converter station: ``"Finland - Espoo 60°12′14″N ..."`` ->
    ``("FI", "Espoo")``. The text before the first coordinate is split on hyphens; the first piece that names a
    country (``alpha2``: ISO names and codes, ``UK``) is the country, the rest the place. The file writes the
    country first except once (``"Codrongianos- Italy"``). ``("", text)`` when no piece is a country."""
    head = _COORDINATE.split(text.replace("\ufeff", " "), maxsplit=1)[0]
    pieces = [p.strip() for p in re.split(r"\s*-\s*", head) if p.strip()]
    for i, piece in enumerate(pieces):
        code = alpha2(piece)
        if code:
            return code, "-".join(pieces[:i] + pieces[i + 1:])
    return "", head.strip()


def parse_suppliers(remarks: str) -> tuple[str, ...]:
    """The suppliers named after ``Supplier:`` / ``Suppliers:`` in a Remarks text, in order, as :data:`SUPPLIERS`
    names them: ``"Supplier: Siemens- Nexans"`` -> ``("Siemens", "Nexans")``; ``"Supplier: Siemens (converter
    stations); Prysmian/Nexans (cables)"`` -> ``("Siemens", "Prysmian", "Nexans")``. A remark naming a supplier
    outside ``Supplier:`` ("Expanded by ABB in 1970", "upgrade by ABB in 2007") is not a supplier of the link. When
    the text after ``Supplier:`` names none of the known companies, its first phrase (to ``.``, ``;`` or ``(``) is
    kept as written."""
    found = re.search(r"Suppliers?\s*:\s*(.*)", remarks or "", re.IGNORECASE | re.DOTALL)
    if not found:
        return ()
    tail = found.group(1)
    # Wikipedia's later sentences: cut where the supplier list visibly ends.
    tail = re.split(r"\b(?:Control system|Shut down|Decommissioned|First subsea)\b|€", tail)[0]
    names: list[str] = []
    for match in _SUPPLIER_RE.finditer(tail):
        name = SUPPLIERS[int(next(k for k, v in match.groupdict().items() if v)[1:])][1]
        if name not in names:
            names.append(name)
    if not names:
        phrase = re.split(r"[.;(]", tail)[0].strip(" -,")
        if phrase:
            names.append(phrase)
    return tuple(names)


def _float(text: str) -> float:
    value = float(text.strip().replace("±", ""))
    if math.isnan(value) or math.isinf(value):
        raise ValueError("not finite")
    return value


def parse_hvdc_links(text: str, source: str = HVDC_SOURCE) -> tuple[list[Link], list[Rejection]]:
    """PyPSA-Eur's ``links_p_nom.csv`` -> one ``Link(link_kind="hvdc", unit="MW")`` per row, and the rejections.

    - ``id``: :func:`slug` of the name (``"estlink-2"``); a name written on several rows (``SACOI 2``, one row per
      leg of the multi-terminal scheme) gets the slug of its second converter's place appended
      (``"sacoi-2-lucciana"``, ``"sacoi-2-codrongianos"``); ``name`` as written.
    - ``countries``: of converter station 1 and 2, in that order (:func:`station_country`); ``""`` with a rejection
      when a station names no country Kompas knows.
    - ``capacity``: ``Power (MW)``; empty or not a positive number -> ``None`` with a rejection (the link is kept:
      it exists, its rating is unknown).
    - ``year``: the first four digits of ``Year`` (``"2017-18"`` -> 2017); else ``None`` with a rejection.
    - ``ends``: ``((x1, y1), (x2, y2))`` (lon, lat degrees); unreadable -> ``None`` with a rejection.
    - ``route``: the straight line between the ends (:func:`with_routes` replaces it by a drawn GridKit route).
    - ``status``: ``decommissioned`` when Remarks match :data:`DECOMMISSIONED`, else ``operating``.
    - ``suppliers``: :func:`parse_suppliers` of Remarks; ``note``: the Remarks and how the route was drawn.

    A row without a name is rejected whole. Rejection ``record`` is ``"line N (Name)"``, N the file line (header 1).
    """
    rejections: list[Rejection] = []
    missing = _missing(text, HVDC_COLUMNS)
    if missing:
        return [], [Rejection(source, "line 1", c, "missing column") for c in missing]
    rows = list(_rows(text, '"', source, rejections))
    names: dict[str, int] = defaultdict(int)
    for _, row in rows:
        names[row["Name"].strip()] += 1
    links: list[Link] = []
    used: set[str] = set()
    for line, row in rows:
        name = row["Name"].strip()
        record = f"line {line} ({name})" if name else f"line {line}"
        if not name:
            rejections.append(Rejection(source, record, "Name", "a link needs a name: row skipped"))
            continue
        countries: list[str] = []
        places: list[str] = []
        for column in ("Converterstation 1", "Converterstation 2"):
            code, place = station_country(row[column])
            if not code:
                rejections.append(Rejection(source, record, column,
                                            f"no known country in {row[column].split('°')[0][:60]!r}: kept as ''"))
            countries.append(code)
            places.append(place)
        link_id = slug(name)
        if names[name] > 1:
            link_id = f"{link_id}-{slug(places[1].split('-')[0]) or 'b'}"
        base, n = link_id, 2
        while link_id in used:
            link_id, n = f"{base}-{n}", n + 1
        used.add(link_id)

        capacity: float | None = None
        power = row["Power (MW)"].strip()
        try:
            capacity = _float(power)
            if capacity <= 0:
                raise ValueError
        except ValueError:
            capacity = None
            reason = "empty" if not power else f"not a positive number: {power!r}"
            rejections.append(Rejection(source, record, "Power (MW)", f"{reason}: link kept with capacity unknown"))
        year_match = re.match(r"\s*(\d{4})", row["Year"])
        year = int(year_match.group(1)) if year_match else None
        if year is None:
            rejections.append(Rejection(source, record, "Year", f"no year in {row['Year']!r}: kept as unknown"))
        ends: tuple[Point, Point] | None = None
        try:
            x1, y1, x2, y2 = (_float(row[c]) for c in ("x1", "y1", "x2", "y2"))
            if not all(-180 <= x <= 180 for x in (x1, x2)) or not all(-90 <= y <= 90 for y in (y1, y2)):
                raise ValueError
            ends = ((x1, y1), (x2, y2))
        except ValueError:
            values = ", ".join(row[c] for c in ("x1", "y1", "x2", "y2"))
            rejections.append(Rejection(source, record, "x1,y1,x2,y2",
                                        f"not lon/lat degrees: {values!r}: kept without location"))
        remarks = " ".join(row["Remarks"].split())
        status = "decommissioned" if DECOMMISSIONED.search(remarks) else "operating"
        note = "; ".join(p for p in (f"Remarks: {remarks}" if remarks else "",
                                     "route: straight line between the converter stations" if ends else
                                     "route: unknown (no converter coordinates)") if p)
        links.append(Link(id=link_id, name=name, link_kind="hvdc", countries=(countries[0], countries[1]),
                          capacity=capacity, unit="MW", estimated=False, year=year,
                          suppliers=parse_suppliers(remarks), ends=ends, route=((ends[0], ends[1]),) if ends else (),
                          status=status, source=source, note=note))
    return links, rejections


# --------------------------------------------------------------------------------------------------------- GridKit

def gridkit_country(tag: str) -> str:
    """The alpha-2 code of a GridKit ``country`` tag (``"UK"`` -> ``"GB"``, see :data:`GRIDKIT_COUNTRIES`), or
    ``""`` when it is not an ISO 3166-1 alpha-2 code."""
    code = tag.strip().upper()
    if code in GRIDKIT_COUNTRIES:
        return GRIDKIT_COUNTRIES[code]
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return code
    return ""


class _Bus(NamedTuple):
    country: str
    lon: float
    lat: float
    joint: bool


def _read_buses(text: str, source: str, rejections: list[Rejection]) -> dict[str, _Bus]:
    where = f"{source}/buses.csv"
    missing = _missing(text, ("bus_id", "symbol", "tags", "x", "y"), "'")
    if missing:
        rejections.extend(Rejection(where, "line 1", c, "missing column") for c in missing)
        return {}
    buses: dict[str, _Bus] = {}
    for line, row in _rows(text, "'", where, rejections):
        bus_id = row["bus_id"].strip()
        record = f"line {line} (bus {bus_id})"
        try:
            lon, lat = _float(row["x"]), _float(row["y"])
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError
        except ValueError:
            rejections.append(Rejection(where, record, "x,y", f"not lon/lat degrees: {row['x']!r}, {row['y']!r}: "
                                        "bus skipped (its lines are reported)"))
            continue
        joint = row["symbol"].strip() == "joint"
        tag = _COUNTRY_TAG.search(row["tags"])
        country = gridkit_country(tag.group(1)) if tag else ""
        if not country and not joint:
            reason = f"unknown country tag {tag.group(1)!r}" if tag else "no country tag"
            rejections.append(Rejection(where, record, "tags.country",
                                        f"{reason}: country taken from the nearest tagged bus it connects to"))
        buses[bus_id] = _Bus(country, lon, lat, joint)
    return buses


def _resolve_untagged(buses: dict[str, _Bus], edges: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The country of every bus: its tag, else (GridKit's synthetic ``joint`` stations carry none) the country of
    the geographically nearest tagged bus among those its cluster of untagged buses touches (the cluster: untagged
    buses joined by lines or links). A line between a joint and a tagged bus of another country is thereby the
    crossing of the border, placed where the nearest terminal changes: approximate, as the map is."""
    country = {b: bus.country for b, bus in buses.items()}
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        if a in buses and b in buses and (not buses[a].country or not buses[b].country):
            neighbours[a].append(b)
            neighbours[b].append(a)
    seen: set[str] = set()
    for start, bus in buses.items():
        if bus.country or start in seen:
            continue
        cluster: list[str] = []
        terminals: set[str] = set()
        stack = [start]
        seen.add(start)
        while stack:
            here = stack.pop()
            cluster.append(here)
            for there in neighbours[here]:
                if buses[there].country:
                    terminals.add(there)
                elif there not in seen:
                    seen.add(there)
                    stack.append(there)
        if not terminals:
            continue
        ordered = sorted(terminals)
        for member in cluster:
            spot = (buses[member].lon, buses[member].lat)
            nearest = min(ordered, key=lambda t: distance_km(spot, (buses[t].lon, buses[t].lat)))
            country[member] = buses[nearest].country
    return country


def _truthy(text: str) -> bool:
    return text.strip().lower() in ("t", "true", "1", "yes")


def parse_gridkit(buses: str, lines: str, links: str, source: str = GRIDKIT_SOURCE) -> tuple[list[Link],
                                                                                              list[Rejection]]:
    """GridKit's ``buses.csv``, ``lines.csv`` and ``links.csv`` texts (CSV quote character ``'``) -> the
    cross-border AC lines as ``Link(link_kind="ac", unit="MW", estimated=True)``, and the rejections.

    A line is cross-border when its two buses lie in different countries: a bus's hstore ``country`` tag
    (:func:`gridkit_country`), or for GridKit's untagged synthetic ``joint`` buses the country inferred by
    :func:`_resolve_untagged` (said in ``note``). ``capacity`` = sqrt(3) * voltage [kV] * i_nom [kA] * circuits
    (MVA taken as MW: the thermal rating), with ``i_nom`` of the line type :data:`LINE_TYPES` assigns to the
    voltage; a voltage outside the table leaves it ``None`` with a rejection. ``status`` is ``planned`` for lines
    GridKit marks under construction, else ``operating``. ``ends`` are the two buses (lon, lat), ``route`` the
    line's WKT geometry (a malformed one is rejected and replaced by the straight line between the buses).
    ``countries`` follow the bus order (bus0, bus1); ``id`` is ``"ac-<line_id>"``.

    The links text is read for the topology (a DC link can join untagged buses) and its rows are checked here (bus
    ids, WKT): :func:`gridkit_dc_routes` skips the malformed ones that this function reports. Lines between two
    buses of one country are read for their bus ids only.
    """
    rejections: list[Rejection] = []
    bus_table = _read_buses(buses, source, rejections)
    lines_where, links_where = f"{source}/lines.csv", f"{source}/links.csv"
    line_rows: list[tuple[int, dict[str, str]]] = []
    edges: list[tuple[str, str]] = []
    for where, text, columns, keep in (
            (lines_where, lines, ("line_id", "bus0", "bus1", "voltage", "circuits", "under_construction",
                                  "geometry"), True),
            (links_where, links, ("link_id", "bus0", "bus1", "geometry"), False)):
        missing = _missing(text, columns, "'")
        if missing:
            rejections.extend(Rejection(where, "line 1", c, "missing column") for c in missing)
            continue
        id_column = columns[0]
        for line, row in _rows(text, "'", where, rejections):
            a, b = row["bus0"].strip(), row["bus1"].strip()
            unknown = [bus for bus in (a, b) if bus not in bus_table]
            if unknown:
                rejections.append(Rejection(where, f"line {line} ({id_column} {row[id_column]})", "bus0,bus1",
                                            f"unknown or unusable bus {', '.join(unknown)}: skipped"))
                continue
            edges.append((a, b))
            if keep:
                line_rows.append((line, row))
            else:
                try:
                    parse_linestring(row["geometry"])
                except ValueError as exc:
                    rejections.append(Rejection(where, f"line {line} (link_id {row['link_id']})", "geometry",
                                                f"{exc}: no drawn route from this DC link"))
    country = _resolve_untagged(bus_table, edges)

    out: list[Link] = []
    for line, row in line_rows:
        a, b = row["bus0"].strip(), row["bus1"].strip()
        ca, cb = country[a], country[b]
        if not ca or not cb or ca == cb:
            continue
        line_id = row["line_id"].strip()
        record = f"line {line} (line_id {line_id})"
        bus_a, bus_b = bus_table[a], bus_table[b]
        ends = ((bus_a.lon, bus_a.lat), (bus_b.lon, bus_b.lat))
        notes: list[str] = []
        try:
            voltage = _float(row["voltage"])
        except ValueError:
            voltage = float("nan")
        circuits_text = row["circuits"].strip()
        circuits = int(circuits_text) if circuits_text.isdigit() and int(circuits_text) > 0 else 0
        capacity: float | None = None
        line_type = LINE_TYPES.get(voltage)
        if line_type is None:
            rejections.append(Rejection(lines_where, record, "voltage",
                                        f"no standard line type for {row['voltage']!r} kV: capacity unknown"))
        elif not circuits:
            rejections.append(Rejection(lines_where, record, "circuits",
                                        f"not a positive whole number: {circuits_text!r}: capacity unknown"))
        else:
            capacity = round(math.sqrt(3) * voltage * line_type[1] * circuits, 1)
            notes.append(f"{voltage:g} kV, {circuits} circuit(s), PyPSA line type {line_type[0]!r} "
                         f"(i_nom {line_type[1]:g} kA): capacity = sqrt(3)*U*I*circuits, thermal rating")
        try:
            route: Route = (parse_linestring(row["geometry"]),)
        except ValueError as exc:
            rejections.append(Rejection(lines_where, record, "geometry",
                                        f"{exc}: route drawn as the straight line between the buses"))
            route = (ends,)
            notes.append("route: straight line between the buses (geometry unreadable)")
        inferred = [f"bus {bus} ({country[bus]})" for bus in (a, b) if not bus_table[bus].country]
        if inferred:
            notes.append("country inferred from the nearest tagged bus for " + ", ".join(inferred))
        if _truthy(row.get("underground", "")):
            notes.append("underground cable")
        planned = _truthy(row["under_construction"])
        if planned:
            notes.append("under construction in the March 2022 extract")
        name = f"{voltage:g} kV {ca}-{cb} line {line_id}" if line_type else f"{ca}-{cb} line {line_id}"
        out.append(Link(id=f"ac-{line_id}", name=name, link_kind="ac", countries=(ca, cb), capacity=capacity,
                        unit="MW", estimated=True, ends=ends, route=route,
                        status="planned" if planned else "operating", source=source, note="; ".join(notes)))
    return out, rejections


def gridkit_dc_routes(buses: str, links: str) -> list[DcRoute]:
    """The DC links of GridKit's ``links.csv`` (with the ``buses.csv`` text for their countries) as
    :class:`DcRoute` (ends = first and last point of the WKT geometry). Rows with an unreadable geometry are
    skipped here and reported by :func:`parse_gridkit`, which reads the same text."""
    tags: dict[str, str] = {}
    for _, row in _rows(buses, "'"):
        found = _COUNTRY_TAG.search(row.get("tags", ""))
        tags[row.get("bus_id", "").strip()] = gridkit_country(found.group(1)) if found else ""
    out: list[DcRoute] = []
    if _missing(links, ("link_id", "bus0", "bus1", "geometry"), "'"):
        return out
    for _, row in _rows(links, "'"):
        try:
            points = parse_linestring(row["geometry"])
        except ValueError:
            continue
        countries = (tags.get(row["bus0"].strip(), ""), tags.get(row["bus1"].strip(), ""))
        out.append(DcRoute(points[0], points[-1], (points,), row["link_id"].strip(), countries,
                           _truthy(row.get("under_construction", ""))))
    return out


def with_routes(hvdc: list[Link], dc_routes: Sequence[DcRoute], max_km: float = 30.0) -> list[Link]:
    """The HVDC links, each with the drawn route of the GridKit DC link whose two ends lie within ``max_km`` (great
    circle) of its two converter stations, in either orientation (the best by the larger of the two end distances;
    several HVDC rows may share one GridKit link, e.g. Skagerrak 1-4); else the straight line between its
    converters. ``note`` says which (its ``route: ...`` part is replaced). Links without ends are returned as
    they are. PyPSA-Eur matches the same ends by a KD-tree in degrees (``_find_closest_links``, bound 1.5)."""
    out: list[Link] = []
    for link in hvdc:
        if link.ends is None:
            out.append(link)
            continue
        a, b = link.ends
        best: tuple[float, DcRoute] | None = None
        for dc in dc_routes:
            gap = min(max(distance_km(a, dc.start), distance_km(b, dc.end)),
                      max(distance_km(a, dc.end), distance_km(b, dc.start)))
            if gap <= max_km and (best is None or gap < best[0]):
                best = (gap, dc)
        kept = [p for p in link.note.split("; ") if p and not p.startswith("route:")]
        if best is not None:
            gap, dc = best
            kept.append(f"route: GridKit DC link {dc.link_id} (both ends within {gap:.1f} km of the converter "
                        "stations; drawn on the ENTSO-E map, stylised)")
            out.append(replace(link, route=dc.route, note="; ".join(kept)))
        else:
            kept.append(f"route: straight line between the converter stations (no GridKit DC link within "
                        f"{max_km:g} km of both)")
            out.append(replace(link, route=((a, b),), note="; ".join(kept)))
    return out
