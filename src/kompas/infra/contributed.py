"""The Kompas infrastructure contribution format: what operators and member states add to the public map (pipelines,
capacities, private cables, an HVDC link missing from the public list), as CSV or GeoJSON text (pure: text in,
elements and rejections out; no file access).

Both encodings carry the same fields (``examples/infra/README.md`` is the reference, with examples):

============= =========================================================================================================
field         meaning (applies to)
============= =========================================================================================================
kind          ``landing``, ``cable``, ``link``, ``building`` or ``exchange`` (all; required)
id            the element's id, 1-128 characters without spaces or ``;`` (all; required). The id of a public element
              (``c-lion1``) replaces that element for the viewers who may see the contribution; the fields left empty
              are then taken from the public element (:func:`parse_contribution` with ``base``)
name          display name (all; default: the public element's, else the id)
countries     ISO 3166 alpha-2 codes or English names, ``;``-separated: one for a landing, building or exchange, the
              two ends of a link (``FI;EE``), the countries of a cable (default: those of its landings)
owners        ``;``-separated owner names (cable, link)
suppliers     ``;``-separated suppliers: who built it (cable, link)
year          ready-for-service year (cable, link), the year an exchange went online (exchange); 1850-2100
capacity      a number >= 0: a cable's design capacity in Tbps; a link's rated capacity in ``unit`` (cable, link)
unit          ``Tbps`` for a cable; ``MW`` for an ``hvdc`` or ``ac`` link, ``GWh/d`` for a ``pipeline`` (default: that)
link_kind     ``hvdc``, ``ac`` or ``pipeline`` for a link (required); ``telecom`` or ``power`` for a cable (default
              telecom)
status        ``operating``, ``planned`` or ``decommissioned`` for a link; ``operating`` or ``planned`` for a cable
lon, lat      degrees WGS84: a landing's or building's position; a link's first terminal
lon2, lat2    a link's second terminal (both terminals or none; default: the ends of its route)
landings      ``;``-separated landing ids a cable lands at (public ids or landings of the same contribution)
exchanges     ``;``-separated exchange ids a building hosts
buildings     ``;``-separated building ids an exchange is present in
city          a building's or exchange's city
length_km     a cable's length (km)
url           a web page describing the cable
route         a cable's or link's route: WKT ``LINESTRING (lon lat, ...)`` or ``MULTILINESTRING ((...), (...))``
note          a link's note: where its figures come from
============= =========================================================================================================

**CSV**: a header row naming the columns (any order, any subset holding ``kind`` and ``id``, each column once, at
most :data:`MAX_COLUMNS`; names are matched without regard to case: another header is refused whole), then one row
per element; lines starting with ``#`` are comments (provenance, labels). A field that does not apply to the row's
kind must be empty. **GeoJSON**: a FeatureCollection (or one Feature); each feature's ``properties`` carry the
fields (a list field may be a JSON list or a ``;``-separated text, a number a JSON number); its geometry gives
``lon``/``lat`` (a Point: landing, building) or the ``route`` (a LineString or MultiLineString: cable, link). A
third coordinate (altitude) is not read.

Every row that cannot be used is reported as a :class:`~kompas.infra.model.Rejection` (source, ``line N`` or
``feature N``, field, reason) and left out; the others are kept. Sizes are bounded (:data:`MAX_ELEMENTS` rows,
:data:`MAX_ROUTE_POINTS` coordinates per route, :data:`MAX_NAME` characters of a name...). A contributed element
carries ``origin`` (the contributing organisation) and ``source`` (the file or body it came from).

:func:`to_dict` / :func:`from_dict` are an element's JSON form (how the platform stores it); :func:`to_csv` writes
elements back in the CSV encoding (parsing it again gives the same elements).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from kompas.infra.countries import alpha2
from kompas.infra.model import (
    KINDS,
    LINK_KINDS,
    Building,
    Cable,
    Element,
    Exchange,
    Landing,
    Link,
    Network,
    Point,
    Rejection,
    Route,
)

#: The fields of the format, in the order :func:`to_csv` writes them.
FIELDS = ("kind", "id", "name", "countries", "owners", "suppliers", "year", "capacity", "unit", "link_kind", "status",
          "lon", "lat", "lon2", "lat2", "landings", "exchanges", "buildings", "city", "length_km", "url", "route",
          "note")
#: The fields each kind may carry (besides kind and id); any other field of a row must be empty.
APPLIES: dict[str, frozenset[str]] = {
    "landing": frozenset({"name", "countries", "lon", "lat"}),
    "cable": frozenset({"name", "countries", "owners", "suppliers", "year", "capacity", "unit", "link_kind", "status",
                        "landings", "length_km", "url", "route"}),
    "link": frozenset({"name", "countries", "owners", "suppliers", "year", "capacity", "unit", "link_kind", "status",
                       "lon", "lat", "lon2", "lat2", "route", "note"}),
    "building": frozenset({"name", "countries", "lon", "lat", "exchanges", "city"}),
    "exchange": frozenset({"name", "countries", "buildings", "city", "year"}),
}
LIST_FIELDS = frozenset({"countries", "owners", "suppliers", "landings", "exchanges", "buildings"})
CABLE_KINDS = ("telecom", "power")
LINK_STATUSES = ("operating", "planned", "decommissioned")
CABLE_STATUSES = ("operating", "planned")
CABLE_UNIT = "Tbps"  #: the unit of a cable's capacity

MAX_TEXT_CHARS = 16 * 1024 * 1024  #: largest contribution (characters; the API's bulk body limit is as large)
MAX_ELEMENTS = 20_000  #: most rows or features in one contribution
MAX_COLUMNS = 64  #: most columns of a CSV header (the format has 23; a longer header is refused whole)
MAX_ROUTE_POINTS = 20_000  #: most coordinates in one route (the longest public cable route has about 1,100)
MAX_ROUTE_LINES = 1_000  #: most lines in one MultiLineString
MAX_LIST = 500  #: most items in one list field (landings, owners...)
MAX_ID = 128  #: longest id (characters)
MAX_NAME = 300  #: longest name, city, owner or supplier (characters)
MAX_NOTE = 2_000  #: longest note or url (characters)
MAX_REJECTIONS = 5_000  #: most rejections reported for one contribution (a count of the rest follows)
YEARS = (1850, 2100)  #: accepted years (inclusive)
#: The csv module's own bound on one field (characters): a longer route is refused; GeoJSON has no such bound.
CSV_FIELD_CHARS = csv.field_size_limit()

_ID = re.compile(r"^[^\s;\x00-\x1f\x7f\ud800-\udfff]{1,128}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_WKT = re.compile(r"^\s*(MULTI)?LINESTRING\s*(\(.*\))\s*$", re.IGNORECASE | re.DOTALL)
_PART = re.compile(r"\(([^()]*)\)")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$")

Cell = str | list[str]  #: a field as read: CSV text, or a GeoJSON list


class _Bad(ValueError):
    """One field of one row cannot be used: ``field`` and ``reason``."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


@dataclasses.dataclass(frozen=True)
class Row:
    """One element as read, before it is built: its ``kind`` and ``id``, the fields given (``cells``, not empty)
    with their positions ``lon``/``lat`` or ``route`` from a GeoJSON geometry already parsed (``point``,
    ``route``), and where it is (``record``: ``line N`` or ``feature N``)."""

    kind: str
    id: str
    cells: Mapping[str, Cell]
    record: str
    point: Point | None = None
    route: Route | None = None


# --- reading ---------------------------------------------------------------------------------------------------


def encoding_of(text: str) -> str:
    """``geojson`` when ``text`` (after a byte-order mark and white space) starts with ``{``, else ``csv``."""
    return "geojson" if text.lstrip("\ufeff \t\r\n").startswith("{") else "csv"


def parse_contribution(text: str, source: str, origin: str, base: Network | None = None
                       ) -> tuple[Network, list[Rejection]]:
    """The elements of a contribution (CSV or GeoJSON, recognised by :func:`encoding_of`) as a :class:`Network`
    (each element with ``origin`` and ``source``), and a rejection for every row that cannot be used. An element
    whose id is one of ``base``'s elements of its kind (the public network) takes the fields it leaves empty from
    that element; a cable's landings may be ``base``'s. Never raises on bad text."""
    rows, rejections = read_rows(text, source)
    network = Network()
    for row in rows:
        try:
            element = build(row, network, base, origin, source)
        except _Bad as bad:
            rejections.append(Rejection(source, row.record, bad.field, bad.reason))
            continue
        network.add(element)
    return network, _bounded(sorted(rejections, key=_position_of), source)


def _position_of(rejection: Rejection) -> tuple[int, int]:
    """Sort key: the whole file first, then by line or feature number."""
    number = rejection.record.rpartition(" ")[2]
    return (0, 0) if not number.isdigit() else (1, int(number))


def read_rows(text: str, source: str) -> tuple[list[Row], list[Rejection]]:
    """The rows of a contribution (CSV or GeoJSON) with their fields as given, and the rejections of the rows (or
    the file) that cannot be read: too large, not JSON, a missing header, a second row with the same kind and id
    (the first is kept)."""
    if not isinstance(text, str):
        return [], [Rejection(source, "file", "", "not text")]
    if len(text) > MAX_TEXT_CHARS:
        return [], [Rejection(source, "file", "", f"larger than {MAX_TEXT_CHARS:,} characters: send it in parts")]
    text = text.removeprefix("\ufeff")
    rows, rejections = (_geojson_rows if encoding_of(text) == "geojson" else _csv_rows)(text, source)
    seen: dict[tuple[str, str], str] = {}
    kept = []
    for row in rows:
        key = (row.kind, row.id)
        if key in seen:
            rejections.append(Rejection(source, row.record, "id", f"{row.kind} {row.id!r} is given twice ({seen[key]} "
                                                                  "too): the first is kept"))
            continue
        seen[key] = row.record
        kept.append(row)
    return kept, rejections


def _bounded(rejections: list[Rejection], source: str) -> list[Rejection]:
    if len(rejections) <= MAX_REJECTIONS:
        return rejections
    rest = len(rejections) - MAX_REJECTIONS
    return rejections[:MAX_REJECTIONS] + [Rejection(source, "file", "", f"{rest:,} more rejections not listed")]


def _text_problem(value: str, most: int) -> str | None:
    if len(value) > most:
        return f"longer than {most} characters"
    if _CONTROL.search(value):
        return "holds a control character"
    return None


def _kind_and_id(cells: Mapping[str, Cell]) -> tuple[str, str]:
    kind = cells.get("kind", "")
    element_id = cells.get("id", "")
    if not isinstance(kind, str) or kind.strip().lower() not in KINDS:
        raise _Bad("kind", f"{str(kind)[:40]!r} is not one of {', '.join(KINDS)}" if kind else "missing: give one of "
                   + ", ".join(KINDS))
    if not isinstance(element_id, str) or not element_id.strip():
        raise _Bad("id", "missing")
    element_id = element_id.strip()
    if not _ID.match(element_id):
        raise _Bad("id", f"{element_id[:40]!r}: 1 to {MAX_ID} characters without spaces, ';' or control characters")
    return kind.strip().lower(), element_id


def _csv_rows(text: str, source: str) -> tuple[list[Row], list[Rejection]]:
    """The rows of the CSV encoding; the header is the first line that is not blank or a comment."""
    rejections: list[Rejection] = []
    rows: list[Row] = []
    lines = _Lines(text)
    reader = csv.reader(lines, strict=False)
    header: list[str] | None = None
    columns: list[tuple[int, str]] = []  # (position, name) of the header's columns of the format
    header_line = 0
    count = 0
    while True:
        start = lines.peek()
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            reason = str(error)
            if "field larger" in reason:
                reason = (f"a field longer than {CSV_FIELD_CHARS:,} characters (the CSV reader's limit): give long "
                          "routes in GeoJSON")
            rejections.append(Rejection(source, f"line {start}", "", f"not CSV: {reason}"))
            continue
        if not values or all(not v.strip() for v in values):
            continue
        if header is None:
            header, header_line = [v.strip().lower() for v in values], start
            refused = _header_problem(header)
            if refused is not None:
                rejections.append(Rejection(source, f"line {start}", refused[0], refused[1]))
                return [], rejections
            for position, name in enumerate(header):
                if name not in FIELDS:
                    rejections.append(Rejection(source, f"line {start}", name[:40] or f"column {position + 1}",
                                                "not a column of the format (examples/infra/README.md): not read"))
            columns = [(position, name) for position, name in enumerate(header) if name in FIELDS]
            continue
        count += 1
        if count > MAX_ELEMENTS:
            rejections.append(Rejection(source, f"line {start}", "", f"more than {MAX_ELEMENTS:,} rows: the rest is "
                                                                     "not read (send it in parts)"))
            break
        record = f"line {start}"
        if len(values) > len(header):
            extra = [v for v in values[len(header):] if v.strip()]
            if extra:
                rejections.append(Rejection(source, record, "", f"{len(values)} fields, the header (line "
                                                                f"{header_line}) names {len(header)}"))
                continue
        cells: dict[str, Cell] = {}
        for position, name in columns:
            if position < len(values) and values[position].strip():
                cells[name] = values[position].strip()
        try:
            kind, element_id = _kind_and_id(cells)
        except _Bad as bad:
            rejections.append(Rejection(source, record, bad.field, bad.reason))
            continue
        rows.append(Row(kind, element_id, cells, record))
    if header is None:
        rejections.append(Rejection(source, "file", "", "no header row (kind,id,...) and no rows"))
    return rows, rejections


def _header_problem(header: Sequence[str]) -> tuple[str, str] | None:
    """Why a CSV header is refused as a whole (field, reason), or None: more than :data:`MAX_COLUMNS` columns, a
    column name given twice, or no ``kind`` or ``id`` column. Linear in the header's length (one dict)."""
    if len(header) > MAX_COLUMNS:
        return "", (f"the header has {len(header):,} columns; at most {MAX_COLUMNS} (the format has {len(FIELDS)}): "
                    "nothing read")
    first: dict[str, int] = {}
    for position, name in enumerate(header):
        if name and name in first:
            return name[:40], (f"columns {first[name] + 1} and {position + 1} are both named {name[:40]!r}: "
                               "nothing read (name each column once)")
        first.setdefault(name, position)
    missing = [n for n in ("kind", "id") if n not in first]
    if missing:
        return missing[0], "the header needs the columns kind and id: nothing read"
    return None


class _Lines:
    """The lines of a text that are not comments (``#`` first), line ends kept as the csv module wants them, and the
    number (from 1) of the next one."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines(keepends=True)
        self._next = 0

    def _skip_comments(self) -> None:
        while self._next < len(self._lines) and self._lines[self._next].lstrip().startswith("#"):
            self._next += 1

    def __iter__(self) -> Iterator[str]:
        while True:
            self._skip_comments()
            if self._next >= len(self._lines):
                return
            self._next += 1
            yield self._lines[self._next - 1]

    def peek(self) -> int:
        """The number of the next line the reader will get (comment lines are dropped before the CSV reader sees
        them: a quote in a comment opens no field)."""
        self._skip_comments()
        return self._next + 1


def _geojson_rows(text: str, source: str) -> tuple[list[Row], list[Rejection]]:
    """The rows of the GeoJSON encoding: one per feature."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [Rejection(source, f"line {error.lineno}", "", f"not JSON: {error.msg}")]
    except (RecursionError, ValueError):
        return [], [Rejection(source, "file", "", "not JSON (nested too deeply, or not text)")]
    if isinstance(document, dict) and document.get("type") == "Feature":
        features: Any = [document]
    elif isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
    else:
        return [], [Rejection(source, "file", "type", "not a GeoJSON FeatureCollection or Feature")]
    if not isinstance(features, list):
        return [], [Rejection(source, "file", "features", "must be a list")]
    rejections: list[Rejection] = []
    if len(features) > MAX_ELEMENTS:
        rejections.append(Rejection(source, f"feature {MAX_ELEMENTS + 1}", "", f"more than {MAX_ELEMENTS:,} features: "
                                                                              "the rest is not read"))
        features = features[:MAX_ELEMENTS]
    rows: list[Row] = []
    unknown: dict[str, list[int]] = {}
    for number, feature in enumerate(features, start=1):
        record = f"feature {number}"
        try:
            rows.append(_feature_row(feature, record, number, unknown))
        except _Bad as bad:
            rejections.append(Rejection(source, record, bad.field, bad.reason))
    for name, numbers in unknown.items():
        rejections.append(Rejection(source, f"feature {numbers[0]}", name[:40], "not a field of the format "
                                    f"(examples/infra/README.md): not read (in {len(numbers)} features)"))
    return rows, rejections


def _feature_row(feature: Any, record: str, number: int, unknown: dict[str, list[int]]) -> Row:  # noqa: ANN401
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _Bad("type", "not a GeoJSON Feature")
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise _Bad("properties", "a feature needs properties (kind, id, ...)")
    cells: dict[str, Cell] = {}
    for name, value in props.items():
        key = str(name).strip().lower()
        if key not in FIELDS:
            unknown.setdefault(str(name), []).append(number)
            continue
        if key == "route":
            raise _Bad("route", "a GeoJSON feature's route is its geometry (LineString or MultiLineString)")
        cell = _cell(key, value)
        if cell:
            cells[key] = cell
    kind, element_id = _kind_and_id(cells)
    point, route = _geometry(feature.get("geometry"), kind)
    return Row(kind, element_id, cells, record, point, route)


def _cell(name: str, value: Any) -> Cell:  # noqa: ANN401 (a JSON value)
    """A GeoJSON property as a field: text (numbers written as text), or a list of texts for list fields."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise _Bad(name, "a true/false value where text or a number is expected")
    if isinstance(value, int | float):
        if not _finite(value):
            raise _Bad(name, "not a finite number")
        return repr(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list) and name in LIST_FIELDS:
        items = []
        for item in value[:MAX_LIST + 1]:
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise _Bad(name, "a list of texts is expected")
            items.append(str(item).strip())
        return [i for i in items if i]
    raise _Bad(name, "a list of texts is expected" if name in LIST_FIELDS else "text or a number is expected")


def _finite(value: int | float) -> bool:
    """Whether a JSON number is a finite float (an integer too large for a float is not)."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _position(value: Any, field: str) -> Point:  # noqa: ANN401 (a JSON value)
    if not isinstance(value, list) or len(value) < 2 or any(
            isinstance(v, bool) or not isinstance(v, int | float) for v in value[:2]):
        raise _Bad(field, "a position is [lon, lat] in degrees")
    if not (_finite(value[0]) and _finite(value[1])):
        raise _Bad(field, "not a finite number")
    return _point(float(value[0]), float(value[1]), field)


def _geometry(geometry: Any, kind: str) -> tuple[Point | None, Route | None]:  # noqa: ANN401 (a JSON value)
    """A feature's geometry as a point (landing, building) or a route (cable, link); None for a null geometry."""
    if geometry is None:
        return None, None
    if not isinstance(geometry, dict):
        raise _Bad("geometry", "not a GeoJSON geometry")
    kind_of = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind in ("landing", "building", "exchange"):
        if kind == "exchange":
            raise _Bad("geometry", "an exchange has no position (its buildings have): give a null geometry")
        if kind_of != "Point":
            raise _Bad("geometry", f"a {kind} is a Point, not {str(kind_of)[:30]}")
        return _position(coordinates, "geometry"), None
    if kind_of == "LineString":
        parts: Any = [coordinates]
    elif kind_of == "MultiLineString":
        parts = coordinates
    else:
        raise _Bad("geometry", f"a {kind} is a LineString or MultiLineString, not {str(kind_of)[:30]}")
    if not isinstance(parts, list) or not all(isinstance(p, list) for p in parts):
        raise _Bad("geometry", "coordinates must be lists of positions")
    if len(parts) > MAX_ROUTE_LINES:
        raise _Bad("geometry", f"more than {MAX_ROUTE_LINES} lines")
    if sum(len(p) for p in parts) > MAX_ROUTE_POINTS:
        raise _Bad("geometry", f"more than {MAX_ROUTE_POINTS:,} positions")
    return None, _lines([[_position(p, "geometry") for p in part] for part in parts], "geometry")


# --- values ------------------------------------------------------------------------------------------------------


def _point(lon: float, lat: float, field: str) -> Point:
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise _Bad(field, "not a finite number")
    if not -180.0 <= lon <= 180.0:
        raise _Bad(field, f"longitude {lon} is outside -180..180 degrees")
    if not -90.0 <= lat <= 90.0:
        raise _Bad(field, f"latitude {lat} is outside -90..90 degrees")
    return (lon, lat)


def _lines(parts: Sequence[Sequence[Point]], field: str) -> Route:
    if not parts:
        raise _Bad(field, "a route needs at least one line")
    for part in parts:
        if len(part) < 2:
            raise _Bad(field, "each line of a route needs at least two positions")
    return tuple(tuple(part) for part in parts)


def parse_wkt(text: str, field: str = "route") -> Route:
    """A route from WKT ``LINESTRING (lon lat, ...)`` or ``MULTILINESTRING ((lon lat, ...), (...))`` (degrees);
    bounded by :data:`MAX_ROUTE_POINTS` and :data:`MAX_ROUTE_LINES`. Raises ``ValueError`` naming the problem."""
    found = _WKT.match(text)
    if not found:
        raise _Bad(field, "not WKT LINESTRING (lon lat, ...) or MULTILINESTRING ((lon lat, ...), ...)")
    if text.count(",") + 1 > MAX_ROUTE_POINTS:
        raise _Bad(field, f"more than {MAX_ROUTE_POINTS:,} positions")
    body = found.group(2).strip()
    if found.group(1):
        inner = body[1:-1]
        parts = _PART.findall(inner)
        if not parts or _PART.sub("", inner).replace(",", "").strip():
            raise _Bad(field, "MULTILINESTRING needs ((lon lat, ...), (lon lat, ...))")
        if len(parts) > MAX_ROUTE_LINES:
            raise _Bad(field, f"more than {MAX_ROUTE_LINES} lines")
    else:
        parts = [body[1:-1]]
        if "(" in parts[0] or ")" in parts[0]:
            raise _Bad(field, "LINESTRING needs (lon lat, lon lat, ...)")
    lines = []
    for part in parts:
        points = []
        for position in part.split(","):
            numbers = position.split()
            if len(numbers) != 2:
                raise _Bad(field, f"{position.strip()[:40]!r} is not 'lon lat'")
            try:
                points.append(_point(float(numbers[0]), float(numbers[1]), field))
            except ValueError as error:
                if isinstance(error, _Bad):
                    raise
                raise _Bad(field, f"{position.strip()[:40]!r} is not 'lon lat' in degrees") from None
        lines.append(points)
    return _lines(lines, field)


def _text(cells: Mapping[str, Cell], name: str, most: int = MAX_NAME) -> str:
    value = cells.get(name, "")
    if isinstance(value, list):
        raise _Bad(name, "text is expected, not a list")
    problem = _text_problem(value, most)
    if problem:
        raise _Bad(name, problem)
    return value


def _items(cells: Mapping[str, Cell], name: str) -> tuple[str, ...]:
    value = cells.get(name, "")
    items = value if isinstance(value, list) else [v.strip() for v in value.split(";")]
    items = [i for i in items if i]
    if len(items) > MAX_LIST:
        raise _Bad(name, f"more than {MAX_LIST} items")
    for item in items:
        problem = _text_problem(item, MAX_NAME)
        if problem:
            raise _Bad(name, f"{item[:40]!r}: {problem}")
    return tuple(dict.fromkeys(items))


def _ids(cells: Mapping[str, Cell], name: str) -> tuple[str, ...]:
    items = _items(cells, name)
    for item in items:
        if not _ID.match(item):
            raise _Bad(name, f"{item[:40]!r} is not an id (no spaces or ';')")
    return items


def _countries(cells: Mapping[str, Cell]) -> tuple[str, ...]:
    codes = []
    for item in _items(cells, "countries"):
        code = alpha2(item)
        if not code:
            raise _Bad("countries", f"{item[:40]!r} is not a country Kompas can name (give ISO 3166 alpha-2 codes)")
        codes.append(code)
    return tuple(codes)


def _number(cells: Mapping[str, Cell], name: str, low: float = 0.0, high: float = math.inf) -> float | None:
    value = _text(cells, name)
    if not value:
        return None
    if not _NUMBER.match(value):
        raise _Bad(name, f"{value[:40]!r} is not a number")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise _Bad(name, f"{value[:40]!r} is outside {low:g}..{high:g}")
    return number


def _year(cells: Mapping[str, Cell]) -> int | None:
    value = _text(cells, "year")
    if not value:
        return None
    if not re.fullmatch(r"\d{4}(\.0)?", value) or not YEARS[0] <= int(float(value)) <= YEARS[1]:
        raise _Bad("year", f"{value[:40]!r} is not a year {YEARS[0]}-{YEARS[1]}")
    return int(float(value))


def _choice(cells: Mapping[str, Cell], name: str, allowed: Sequence[str]) -> str:
    value = _text(cells, name).lower()
    if value and value not in allowed:
        raise _Bad(name, f"{value[:40]!r} is not one of {', '.join(allowed)}")
    return value


def _coordinate(cells: Mapping[str, Cell], lon: str, lat: str) -> Point | None:
    x = _number(cells, lon, -180.0, 180.0)
    y = _number(cells, lat, -90.0, 90.0)
    if (x is None) != (y is None):
        raise _Bad(lat if y is None else lon, f"give {lon} and {lat} together")
    return None if x is None or y is None else (x, y)


# --- building the elements -----------------------------------------------------------------------------------------


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _missing(what: str, old: Any) -> str:  # noqa: ANN401 (an element or None)
    """The reason of a missing field, saying when the row's id names no public element it could complete."""
    return f"missing: {what}" + ("" if old is not None else " (no public element has this id, so nothing fills it)")


def build(row: Row, network: Network, base: Network | None, origin: str, source: str) -> Element:
    """The element of ``row`` (its fields checked), ``origin`` and ``source`` set; a field left empty taken from
    ``base``'s element of the same kind and id when there is one. ``network`` holds the elements built before from
    the same contribution (a cable's landings may be among them). Raises ``ValueError`` (``_Bad``) naming the
    field and the reason."""
    cells = row.cells
    given = set(cells) - {"kind", "id"}
    if row.point is not None:
        given |= {"lon", "lat"}
    if row.route is not None:
        given.add("route")
    wrong = sorted(given - APPLIES[row.kind])
    if wrong:
        raise _Bad(wrong[0], f"does not apply to {_a(row.kind)} (it takes {', '.join(sorted(APPLIES[row.kind]))})")
    if row.point is not None and ("lon" in cells or "lat" in cells):
        raise _Bad("lon", "give the position once: as the geometry or as lon/lat")
    old: Any = base.table(row.kind).get(row.id) if base is not None else None
    name = _text(cells, "name") or (old.name if old is not None else row.id)
    common = {"id": row.id, "name": name, "origin": origin, "source": source[:200]}
    if row.kind in ("landing", "building", "exchange"):
        countries = _countries(cells)
        if len(countries) > 1:
            raise _Bad("countries", f"{_a(row.kind)} is in one country")
        country = countries[0] if countries else (old.country if old is not None else "")
        if not country:
            raise _Bad("countries", _missing(f"{_a(row.kind)} needs its country", old))
        if row.kind == "exchange":
            return Exchange(**common, city=_text(cells, "city") or (old.city if old is not None else ""),
                            country=country,
                            buildings=_ids(cells, "buildings") or (old.buildings if old is not None else ()),
                            since_year=_year(cells) or (old.since_year if old is not None else None))
        point = row.point or _coordinate(cells, "lon", "lat") or (
            (old.lon, old.lat) if old is not None else None)
        if point is None:
            raise _Bad("lon", _missing(f"{_a(row.kind)} needs its position (lon, lat)", old))
        if row.kind == "landing":
            return Landing(**common, country=country, lon=point[0], lat=point[1])
        return Building(**common, city=_text(cells, "city") or (old.city if old is not None else ""), country=country,
                        lon=point[0], lat=point[1], exchanges=_ids(cells, "exchanges") or (
                            old.exchanges if old is not None else ()))
    route = row.route if row.route is not None else parse_wkt(_text(cells, "route", CSV_FIELD_CHARS)) \
        if cells.get("route") else (old.route if old is not None else ())
    owners = _items(cells, "owners") or (old.owners if old is not None else ())
    suppliers = _items(cells, "suppliers") or (old.suppliers if old is not None else ())
    year = _year(cells)
    if row.kind == "cable":
        return _cable(row, cells, old, network, base, common, route, owners, suppliers, year)
    return _link(cells, old, common, route, owners, suppliers, year)


def _cable(row: Row, cells: Mapping[str, Cell], old: Any, network: Network, base: Network | None,  # noqa: ANN401
           common: dict[str, Any], route: Route, owners: tuple[str, ...], suppliers: tuple[str, ...],
           year: int | None) -> Cable:
    unit = _text(cells, "unit")
    if unit and unit != CABLE_UNIT:
        raise _Bad("unit", f"a cable's capacity is in {CABLE_UNIT}, not {unit[:20]!r}")
    landings = _ids(cells, "landings") or (old.landings if old is not None else ())
    countries = _countries(cells)
    if not countries:
        known = [network.landings.get(i) or (base.landings.get(i) if base is not None else None) for i in landings]
        countries = tuple(sorted({lp.country for lp in known if lp is not None and lp.country}))
        if not countries and old is not None and not cells.get("landings"):
            countries = old.countries
    if not countries:
        raise _Bad("countries", _missing("give the cable's countries, or landings whose countries are known", old))
    cable_kind = _choice(cells, "link_kind", CABLE_KINDS) or (old.cable_kind if old is not None else "telecom")
    status = _choice(cells, "status", CABLE_STATUSES)
    planned = status == "planned" if status else (old.planned if old is not None else False)
    capacity = _number(cells, "capacity")
    length = _number(cells, "length_km", 0.0, 100_000.0)
    return Cable(**common, landings=landings, countries=tuple(sorted(set(countries))), owners=owners,
                 suppliers=suppliers, rfs_year=year or (old.rfs_year if old is not None else None), planned=planned,
                 length_km=length if length is not None else (old.length_km if old is not None else None),
                 capacity_tbps=capacity if capacity is not None else (old.capacity_tbps if old is not None else None),
                 cable_kind=cable_kind, route=route,
                 url=_text(cells, "url", MAX_NOTE) or (old.url if old is not None else ""))


def _link(cells: Mapping[str, Cell], old: Any, common: dict[str, Any], route: Route,  # noqa: ANN401
          owners: tuple[str, ...], suppliers: tuple[str, ...], year: int | None) -> Link:
    link_kind = _choice(cells, "link_kind", tuple(LINK_KINDS)) or (old.link_kind if old is not None else "")
    if not link_kind:
        raise _Bad("link_kind", _missing(f"a link is one of {', '.join(LINK_KINDS)}", old))
    unit = _text(cells, "unit")
    if unit and unit != LINK_KINDS[link_kind]:
        raise _Bad("unit", f"a {link_kind} link's capacity is in {LINK_KINDS[link_kind]}, not {unit[:20]!r}")
    countries = _countries(cells)
    if countries and len(countries) != 2:
        raise _Bad("countries", "a link joins two countries (the same one twice for a link inside a country)")
    pair = countries or (old.countries if old is not None else ())
    if len(pair) != 2:
        raise _Bad("countries", _missing("a link needs the countries of its two ends", old))
    first, second = _coordinate(cells, "lon", "lat"), _coordinate(cells, "lon2", "lat2")
    if (first is None) != (second is None):
        raise _Bad("lon2" if second is None else "lon", "give both terminals (lon, lat, lon2, lat2) or none")
    ends = (first, second) if first is not None and second is not None else \
        (route[0][0], route[-1][-1]) if route else (old.ends if old is not None else None)
    capacity = _number(cells, "capacity")
    estimated = False  # a contributor states a rating; an estimate is kept only from the element it completes
    if capacity is None and old is not None and old.link_kind == link_kind:
        capacity, estimated = old.capacity, old.estimated
    status = _choice(cells, "status", LINK_STATUSES) or (old.status if old is not None else "operating")
    return Link(**common, link_kind=link_kind, countries=(pair[0], pair[1]), capacity=capacity,
                unit=LINK_KINDS[link_kind], estimated=estimated, year=year or (old.year if old is not None else None),
                owners=owners, suppliers=suppliers, ends=ends, route=route, status=status,
                note=_text(cells, "note", MAX_NOTE) or (old.note if old is not None else ""))


# --- the JSON form and writing -------------------------------------------------------------------------------------

_CLASSES: dict[str, type] = {"landing": Landing, "cable": Cable, "link": Link, "building": Building,
                             "exchange": Exchange}


def _plain(value: Any) -> Any:  # noqa: ANN401 (JSON-ready values)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def to_dict(element: Element) -> dict[str, Any]:
    """The JSON form of an element: ``kind`` and every field (tuples as lists, a route as nested lists)."""
    return {"kind": element.kind} | {f.name: _plain(getattr(element, f.name)) for f in dataclasses.fields(element)}


def _route_of(value: Any) -> Route:  # noqa: ANN401
    return tuple(tuple((float(p[0]), float(p[1])) for p in line) for line in value or ())


def from_dict(data: Mapping[str, Any]) -> Element:
    """An element from its JSON form (:func:`to_dict`); keys the element does not have are not read (a form
    written by a later version). ``ValueError`` when it is not one."""
    cls = _CLASSES.get(str(data.get("kind")))
    if cls is None:
        raise ValueError(f"kind {str(data.get('kind'))[:40]!r} is not one of {', '.join(KINDS)}")
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "route":
            value = _route_of(value)
        elif f.name == "ends":
            value = None if value is None else ((float(value[0][0]), float(value[0][1])),
                                                (float(value[1][0]), float(value[1][1])))
        elif isinstance(value, list):
            value = tuple(value)
        values[f.name] = value
    try:
        element: Element = cls(**values)
    except TypeError as error:
        raise ValueError(f"not a {data.get('kind')}: {error}") from None
    return element


def _wkt(route: Route) -> str:
    if not route:
        return ""
    body = ", ".join("(" + ", ".join(f"{lon!r} {lat!r}" for lon, lat in line) + ")" for line in route)
    return f"MULTILINESTRING ({body})" if len(route) > 1 else f"LINESTRING {body}"


def _cells_of(element: Element) -> dict[str, str]:
    """The CSV fields of an element (the inverse of :func:`build`)."""
    join = ";".join
    out: dict[str, str] = {"kind": element.kind, "id": element.id, "name": element.name}
    if isinstance(element, Landing | Building | Exchange):
        out["countries"] = element.country
    if isinstance(element, Landing | Building):
        out |= {"lon": repr(element.lon), "lat": repr(element.lat)}
    if isinstance(element, Building):
        out |= {"city": element.city, "exchanges": join(element.exchanges)}
    if isinstance(element, Exchange):
        out |= {"city": element.city, "buildings": join(element.buildings),
                "year": "" if element.since_year is None else str(element.since_year)}
    if isinstance(element, Cable):
        out |= {"countries": join(element.countries), "owners": join(element.owners),
                "suppliers": join(element.suppliers), "year": "" if element.rfs_year is None else str(element.rfs_year),
                "capacity": "" if element.capacity_tbps is None else repr(element.capacity_tbps),
                "unit": "" if element.capacity_tbps is None else CABLE_UNIT, "link_kind": element.cable_kind,
                "status": "planned" if element.planned else "operating", "landings": join(element.landings),
                "length_km": "" if element.length_km is None else repr(element.length_km), "url": element.url,
                "route": _wkt(element.route)}
    if isinstance(element, Link):
        out |= {"countries": join(element.countries), "owners": join(element.owners),
                "suppliers": join(element.suppliers), "year": "" if element.year is None else str(element.year),
                "capacity": "" if element.capacity is None else repr(element.capacity), "unit": element.unit,
                "link_kind": element.link_kind, "status": element.status, "route": _wkt(element.route),
                "note": element.note}
        if element.ends is not None:
            (x1, y1), (x2, y2) = element.ends
            out |= {"lon": repr(x1), "lat": repr(y1), "lon2": repr(x2), "lat2": repr(y2)}
    return out


def to_csv(elements: Iterable[Element]) -> str:
    """Elements in the CSV encoding (every column of :data:`FIELDS`), one row each."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for element in elements:
        writer.writerow(_cells_of(element))
    return buffer.getvalue()


def to_geojson(elements: Iterable[Element]) -> dict[str, Any]:
    """Elements as a GeoJSON FeatureCollection in the format's GeoJSON encoding (the fields as properties, the
    position or route as the geometry; an exchange with a null geometry)."""
    features = []
    for element in elements:
        point = isinstance(element, Landing | Building)
        props: dict[str, Any] = {k: v for k, v in _cells_of(element).items()
                                 if v and k != "route" and not (point and k in ("lon", "lat"))}
        geometry: dict[str, Any] | None = None
        if isinstance(element, Landing | Building):
            geometry = {"type": "Point", "coordinates": [element.lon, element.lat]}
        elif isinstance(element, Cable | Link) and element.route:
            geometry = {"type": "LineString", "coordinates": _plain(element.route[0])} if len(element.route) == 1 \
                else {"type": "MultiLineString", "coordinates": _plain(element.route)}
        for key in ("lon", "lat", "lon2", "lat2", "capacity", "length_km", "year"):
            if key in props and isinstance(props[key], str):
                props[key] = float(props[key]) if key != "year" else int(props[key])
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


__all__ = ["APPLIES", "FIELDS", "MAX_ELEMENTS", "MAX_ROUTE_POINTS", "Row", "build", "encoding_of", "from_dict",
           "parse_contribution", "parse_wkt", "read_rows", "to_csv", "to_dict", "to_geojson"]
