"""Decoded AIS in CSV, as authorities and providers export it, to an :class:`Ingest` (no I/O: text in).

Columns are found by name, so one reader covers the layouts people have (names compared without case, spaces,
``_``, ``-`` or a leading ``#``):

- the Danish Maritime Authority's daily files (``# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational
  status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,...,Width,Length,...,Draught,Destination,...``, times
  ``dd/mm/yyyy HH:MM:SS``, statuses in words);
- NOAA/MarineCadastre (``MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,
  Length,Width,Draft,...``, ISO times);
- satellite-provider layouts with a message type column (``MMSI,Message_ID,...,Time (yyyymmdd_HHMMSS),...``), where
  static rows (types 5, 19, 24) carry no position;
- any table with an identifier, a time and a position (``ID,ais_pos_timestamp,longitude,latitude``).

AIS "not available" values are handled as in :mod:`kompas.maritime.nmea`; an empty cell is "not sent".
"""

from __future__ import annotations

import calendar
import csv
import math
import re
from collections.abc import Callable, Iterable
from datetime import datetime

from kompas.maritime.model import (
    COG_NA,
    COG_NA_LONG_RANGE,
    HEADING_NA,
    LAT_NA,
    LON_NA,
    NO_STATUS,
    POSITION_TYPES,
    SOG_NA,
    SOG_NA_LONG_RANGE,
    STATIC_TYPES,
    STATUS,
    STATUS_NA,
    Ingest,
    Positions,
    StaticReport,
)
from kompas.maritime.nmea import sane_time
from kompas.rejections import Rejection

NAN = float("nan")
MAX_COLUMNS = 500  #: the widest AIS export known (a provider's, 139 columns) with room to spare

#: Canonical column -> the names sources give it (normalised: lower case, no spaces, "_", "-" or "#").
ALIASES: dict[str, tuple[str, ...]] = {
    "mmsi": ("mmsi", "userid", "id", "vesselid", "shipid"),
    "time": ("timestamp", "basedatetime", "time", "aispostimestamp", "datetime", "timeutc", "receivedtime",
             "postimestamp", "dtstatic", "dtposutc"),
    "millisecond": ("millisecond",),
    "lat": ("latitude", "lat"),
    "lon": ("longitude", "lon", "long", "lng"),
    "sog": ("sog", "speed", "speedoverground"),
    "cog": ("cog", "course", "courseoverground"),
    "heading": ("heading", "trueheading"),
    "status": ("navigationalstatus", "navstatus", "status"),
    "msg_type": ("messageid", "messagetype", "msgtype", "type"),
    "name": ("vesselname", "name", "shipname"),
    "callsign": ("callsign",),
    "imo": ("imo", "imonumber"),
    "ship_type": ("shiptype", "vesseltype"),
    "length": ("length",),
    "width": ("width", "beam"),
    "to_bow": ("dimensiontobow", "a", "tobow"),
    "to_stern": ("dimensiontostern", "b", "tostern"),
    "to_port": ("dimensiontoport", "c", "toport"),
    "to_starboard": ("dimensiontostarboard", "d", "tostarboard"),
    "draught": ("draught", "draft"),
    "destination": ("destination",),
}
TIME_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y%m%d_%H%M%S",
                "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")
_STATUS_WORDS = {text: code for code, text in STATUS.items()} | {
    "unknown value": STATUS_NA, "unknown": STATUS_NA, "restricted maneuverability": 3,
    "restricted manoeuverability": 3, "reserved for future amendment [hsc]": 9,
    "reserved for future amendment [wig]": 10,
    "reserved for future use": 13, "ais-sart": 14, "ais-sart (active)": 14, "power-driven vessel towing astern": 11,
    "power-driven vessel pushing ahead or towing alongside": 12, "undefined": STATUS_NA}
#: The Danish Maritime Authority's ship-type words -> the ITU type code (the first of its range).
SHIP_TYPE_WORDS = {"fishing": 30, "towing": 31, "towing long/wide": 32, "dredging": 33, "diving": 34, "military": 35,
                   "sailing": 36, "pleasure": 37, "hsc": 40, "pilot": 50, "sar": 51, "tug": 52, "port tender": 53,
                   "anti-pollution": 54, "law enforcement": 55, "medical": 58, "passenger": 60, "cargo": 70,
                   "tanker": 80, "other": 90, "wig": 20, "spare 1": 56, "spare 2": 57, "not party to conflict": 59}
#: Cells meaning "not sent" in the vessel columns.
NOT_SENT = frozenset({"", "unknown", "undefined", "none", "nan", "null", "n/a"})


def _normal(name: str) -> str:
    return re.sub(r"[\s_\-#]", "", name.strip().lower().lstrip("\ufeff"))


def columns_of(header: list[str]) -> dict[str, int]:
    """Canonical column -> index for a CSV ``header`` (the first alias present wins)."""
    normal = [_normal(name) for name in header]
    found: dict[str, int] = {}
    for canonical, names in ALIASES.items():
        for name in names:
            if name in normal:
                found[canonical] = normal.index(name)
                break
    return found


class BadValue(ValueError):
    """A cell that cannot be read; the message is the reason."""


def parse_time(text: str, formats: list[str]) -> float:
    """Unix seconds UTC of ``text`` (a naive time is UTC; ``Z`` or an offset are honoured); ``formats`` holds the
    format that worked last, first, so a file pays for detection once."""
    value = text.strip().rstrip("Z")
    if value.isdigit() and len(value) in (10, 13):
        return float(value) / (1000.0 if len(value) == 13 else 1.0)
    for index, fmt in enumerate(formats):
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if index:
            formats.insert(0, formats.pop(index))
        return calendar.timegm(moment.timetuple()) + moment.microsecond / 1e6
    try:
        moment = datetime.fromisoformat(text.strip())
        return moment.timestamp() if moment.tzinfo else calendar.timegm(moment.timetuple()) + moment.microsecond / 1e6
    except ValueError:
        raise BadValue("not a time Kompas reads (ISO 8601, dd/mm/yyyy HH:MM[:SS], yyyymmdd_HHMMSS or Unix "
                       "seconds)") from None


def _number(text: str) -> float:
    """A number, NaN for an empty cell; :class:`BadValue` for anything else."""
    value = text.strip()
    if not value or value.lower() in ("none", "nan", "null", "unknown"):
        return NAN
    try:
        number = float(value)
    except ValueError:
        raise BadValue("not a number") from None
    if not math.isfinite(number):
        raise BadValue("not a finite number")
    return number


def _status(text: str) -> int:
    value = text.strip().lower()
    if not value:
        return NO_STATUS
    if value in _STATUS_WORDS:
        return _STATUS_WORDS[value]
    try:
        number = _number(value)
    except BadValue:
        raise BadValue("not a navigational status (0-15 or its words, e.g. 'Under way using engine')") from None
    if number != number or not 0 <= number <= 15 or number != int(number):
        raise BadValue("not a navigational status (0-15 or its words, e.g. 'Under way using engine')")
    return int(number)


def _imo(text: str) -> int:
    digits = text.strip().upper().removeprefix("IMO").strip()
    return int(digits) if digits.isdigit() and 0 < int(digits) < 1_000_000_000 else 0


def parse_table(lines: Iterable[str], source: str = "csv") -> Ingest:
    """Decoded AIS rows from CSV ``lines`` (text, the header first) of ``source``; see the module docstring."""
    rows = csv.reader(lines)
    rejections: list[Rejection] = []
    counts: dict[str, int] = {}

    def count(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    def reject(line: int, field: str, reason: str, value: str = "") -> None:
        rejections.append(Rejection(source, line, field, reason, value[:120]))
        count("rejected")

    try:
        header = next(rows)
    except StopIteration:
        return Ingest(Positions.empty(), [], [Rejection(source, 0, "", "empty file: no header")], {"rejected": 1})
    except csv.Error as exc:
        return Ingest(Positions.empty(), [], [Rejection(source, 1, "header", f"not CSV: {exc}")], {"rejected": 1})
    if len(header) > MAX_COLUMNS:
        return Ingest(Positions.empty(), [], [Rejection(source, 1, "header", f"{len(header):,} columns; an AIS "
                                                        f"table has at most {MAX_COLUMNS}")], {"rejected": 1})
    cols = columns_of(header)
    missing = [name for name in ("mmsi", "time") if name not in cols]
    if "lat" not in cols and "msg_type" not in cols:
        missing += ["lat", "lon"]
    if missing:
        return Ingest(Positions.empty(), [], [Rejection(
            source, 1, ",".join(missing), "no column for " + " and ".join(missing) + "; the header names "
            + ", ".join(header[:12])[:300])], {"rejected": 1})
    width = len(header)
    columns: dict[str, list] = {name: [] for name in Positions.COLUMNS}
    statics: list[StaticReport] = []
    last_static: dict[int, tuple] = {}
    formats = list(TIME_FORMATS)
    has_type = "msg_type" in cols

    line = 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            line = rows.line_num
            reject(line, "", f"not CSV: {exc}")
            continue
        line = rows.line_num
        count("rows")
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            reject(line, "", f"{len(row)} fields where the header has {width}", ",".join(row)[:80])
            continue

        def cell(name: str, row: list[str] = row) -> str:
            index = cols.get(name)
            return row[index] if index is not None else ""

        field = "mmsi"
        try:
            mmsi_text = cell("mmsi").strip()
            if not mmsi_text.isdigit() or not 0 < int(mmsi_text) < 1_000_000_000:
                raise BadValue("not an MMSI or vessel id (1 to 9 digits)")
            mmsi = int(mmsi_text)
            field = "time"
            t = parse_time(cell("time"), formats)
            if "millisecond" in cols and cell("millisecond").strip().isdigit():
                t += min(int(cell("millisecond")), 999) / 1000.0
            if not sane_time(t):
                raise BadValue("not a time between 1980 and 2100")
            field = "msg_type"
            number = _number(cell("msg_type")) if has_type and cell("msg_type").strip() else 0.0
            if number != number or not 0 <= number <= 27 or number != int(number):
                raise BadValue("not an AIS message type (1-27)")
            kind = int(number)
            if has_type:
                count(f"type {kind}")
            field = "status"
            status = _status(cell("status"))
        except BadValue as exc:
            reject(line, field, str(exc), cell(field))
            continue
        wants_position = kind in POSITION_TYPES if has_type else True
        if wants_position:
            field = "lat"
            try:
                lat = _number(cell("lat"))
                field = "lon"
                lon = _number(cell("lon"))
                field = "sog"
                sog = _number(cell("sog"))
                field = "cog"
                cog = _number(cell("cog"))
                field = "heading"
                heading = _number(cell("heading"))
            except BadValue as exc:
                reject(line, field, str(exc), cell(field))
                continue
            if lat == LAT_NA or lon == LON_NA or math.isnan(lat) or math.isnan(lon):
                count("position not available")
                reject(line, "lat", "position not available (empty, or AIS's 91/181)", f"{cell('lat')},{cell('lon')}")
            elif not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                reject(line, "lat" if abs(lat) > 90 else "lon", "impossible position", f"{lat},{lon}")
            elif lat == 0.0 and lon == 0.0:
                reject(line, "lat", "position 0,0 is a receiver default, not a position", "0,0")
            else:
                long_range = kind == 27
                if sog >= (SOG_NA_LONG_RANGE if long_range else SOG_NA) or sog < 0:
                    sog = NAN
                    count("sog not available")
                if cog >= (COG_NA_LONG_RANGE if long_range else COG_NA) or cog < 0:
                    cog = NAN
                    count("cog not available")
                if heading >= HEADING_NA or heading > 359:
                    heading = NAN
                    count("heading not available")
                if status == STATUS_NA:
                    count("status not defined")
                for name, value in (("mmsi", mmsi), ("t", t), ("lat", lat), ("lon", lon), ("sog", sog),
                                    ("cog", cog), ("heading", heading), ("status", status),
                                    ("msg_type", kind or 1), ("source", 0), ("line", line)):
                    columns[name].append(value)
        if has_type and kind not in STATIC_TYPES:
            continue
        static = _static(cell, mmsi, t, kind, source, line)
        if static is not None:
            key = (static.name, static.callsign, static.imo, static.ship_type, static.to_bow, static.to_stern,
                   static.to_port, static.to_starboard, static.draught, static.destination)
            if last_static.get(mmsi) != key:
                last_static[mmsi] = key
                statics.append(static)
    counts["lines"] = line
    anonymous = _normal(header[cols["mmsi"]]) not in ("mmsi", "userid")
    return Ingest(Positions.from_columns(columns, (source,)), statics, rejections, counts, anonymous)


def _static(get: Callable[[str], str], mmsi: int, t: float, kind: int, source: str, line: int) -> StaticReport | None:
    """The vessel columns of a row (``get(column)`` gives a cell) as a static report, or None when it has none."""

    def number(name: str, limit: float = 1000.0) -> float:
        """The cell as a number in 0..limit, else 0 (not sent or not possible: a ship type of 1e30, length -5)."""
        try:
            value = _number(get(name))
        except BadValue:
            return 0.0
        return value if 0.0 <= value <= limit else 0.0

    def text(column: str) -> str:
        value = get(column).strip()
        return "" if value.lower() in NOT_SENT else value

    name = text("name")
    callsign = text("callsign")
    imo = _imo(get("imo"))
    type_word = text("ship_type").lower()
    ship_type = SHIP_TYPE_WORDS.get(type_word, 0) if type_word and not type_word[0].isdigit() else int(
        number("ship_type", 99))
    to_bow, to_stern = int(number("to_bow")), int(number("to_stern"))
    to_port, to_starboard = int(number("to_port")), int(number("to_starboard"))
    if not (to_bow or to_stern) and number("length"):
        to_bow = int(number("length"))
    if not (to_port or to_starboard) and number("width"):
        to_port = int(number("width"))
    if not (name or callsign or imo or ship_type or to_bow or to_stern):
        return None
    return StaticReport(mmsi=mmsi, t=t, name=name, callsign=callsign, imo=imo, ship_type=ship_type,
                        to_bow=to_bow, to_stern=to_stern, to_port=to_port, to_starboard=to_starboard,
                        draught=number("draught", 30.0), destination=text("destination"),
                        msg_type=kind, source=source, line=line)
