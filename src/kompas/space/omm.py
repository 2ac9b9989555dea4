"""CCSDS Orbit Mean-elements Messages (OMM, CCSDS 502.0-B-3) in KVN, XML, JSON and CSV.

JSON and CSV use the keyword names of the standard, as CelesTrak's and Space-Track's GP services do
(``OBJECT_NAME, OBJECT_ID, EPOCH, MEAN_MOTION, ... BSTAR, MEAN_MOTION_DOT, MEAN_MOTION_DDOT``), with values
as strings or numbers. Only SGP4 mean elements (``MEAN_ELEMENT_THEORY`` SGP4, or absent) are accepted:
other theories are rejected with that reason, since their elements mean something else.

Every record is converted through :func:`elements_from_fields`, so the four encodings share one set of
field rules; each problem becomes a :class:`~kompas.space.elements.Rejection` with the line (KVN, CSV,
XML) or the line on which the JSON object starts.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from kompas.csvsafe import SafeDictWriter
from kompas.rejections import Rejection
from kompas.space.elements import ElementSet, validate
from kompas.times import now_utc as clock_utc

REQUIRED = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
            "MEAN_ANOMALY", "NORAD_CAT_ID")
#: Column order of CelesTrak's GP CSV/JSON output.
GP_FIELDS = ("OBJECT_NAME", "OBJECT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
             "ARG_OF_PERICENTER", "MEAN_ANOMALY", "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID",
             "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
_DOY = re.compile(r"^(\d{4})-(\d{3})T(.*)$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,12})?$")
_UNITS = re.compile(r"\s*\[[^\]]*\]\s*$")


def parse_epoch(text: str) -> np.datetime64:
    """CCSDS epoch (``YYYY-MM-DDThh:mm:ss.d`` or ``YYYY-DDDThh:mm:ss.d``, optional ``Z``) to datetime64[ns]."""
    value = text.strip().rstrip("Zz")
    match = _DOY.match(value)
    if match:
        year, doy, rest = match.groups()
        day0 = np.datetime64(f"{year}-01-01", "D") + np.timedelta64(int(doy) - 1, "D")
        value = f"{day0}T{rest}"
    if not _ISO.match(value):
        raise ValueError("not a CCSDS epoch (YYYY-MM-DDThh:mm:ss[.f] or YYYY-DDDThh:mm:ss[.f], UTC)")
    try:
        parsed = np.datetime64(value, "ns")
    except ValueError:
        raise ValueError("not a CCSDS epoch (YYYY-MM-DDThh:mm:ss[.f] or YYYY-DDDThh:mm:ss[.f])") from None
    if np.isnat(parsed):
        raise ValueError("not a CCSDS epoch")
    return parsed


def elements_from_fields(fields: Mapping[str, Any], source: str, line: int,
                         now_utc: np.datetime64 | None = None) -> tuple[ElementSet | None, list[Rejection]]:
    """Build an element set from OMM keyword/value pairs; return it or the rejections explaining why not."""
    problems: list[Rejection] = []
    get = {str(k).strip().upper(): v for k, v in fields.items()}

    def text(key: str) -> str:
        value = get.get(key)
        return "" if value is None else str(value).strip()

    theory = text("MEAN_ELEMENT_THEORY").upper()
    if theory and theory not in ("SGP4", "SGP/SGP4"):
        return None, [Rejection(source, line, "MEAN_ELEMENT_THEORY", "only SGP4 mean elements are supported",
                                theory)]
    for key in REQUIRED:
        if not text(key):
            problems.append(Rejection(source, line, key, "missing"))
    if problems:
        return None, problems

    def number(key: str, default: float = 0.0) -> float:
        raw = _UNITS.sub("", text(key))  # KVN may append units: "15.49 [rev/day]"
        if not raw:
            return default
        try:
            return float(raw)
        except ValueError:
            problems.append(Rejection(source, line, key, "not a number", raw))
            return float("nan")

    def integer(key: str) -> int:
        raw = _UNITS.sub("", text(key))
        if not raw:
            return 0
        if re.fullmatch(r"[+-]?\d+(\.0*)?", raw):
            return int(raw.split(".")[0])
        problems.append(Rejection(source, line, key, "not an integer", raw))
        return 0

    try:
        epoch = parse_epoch(text("EPOCH"))
    except ValueError as err:
        problems.append(Rejection(source, line, "EPOCH", str(err), text("EPOCH")))
        epoch = np.datetime64("NaT", "ns")
    elset = ElementSet(
        norad_id=integer("NORAD_CAT_ID"),
        epoch_utc=epoch,
        mean_motion_rev_day=number("MEAN_MOTION"),
        eccentricity=number("ECCENTRICITY"),
        inclination_deg=number("INCLINATION"),
        raan_deg=number("RA_OF_ASC_NODE"),
        arg_perigee_deg=number("ARG_OF_PERICENTER"),
        mean_anomaly_deg=number("MEAN_ANOMALY"),
        bstar_per_earth_radii=number("BSTAR"),
        mean_motion_dot_rev_day2=number("MEAN_MOTION_DOT"),
        mean_motion_ddot_rev_day3=number("MEAN_MOTION_DDOT"),
        name=text("OBJECT_NAME"),
        intl_designator=text("OBJECT_ID"),
        classification=text("CLASSIFICATION_TYPE") or "U",
        element_set_no=integer("ELEMENT_SET_NO"),
        rev_at_epoch=integer("REV_AT_EPOCH"),
        ephemeris_type=integer("EPHEMERIS_TYPE"),
        source=f"{source}:{line}",
    )
    if problems:
        return None, problems
    problems = validate(elset, source, line, now_utc)
    return (None, problems) if problems else (elset, [])


def _collect(records: Iterable[tuple[int, Mapping[str, Any]] | Rejection], source: str,
             now_utc: np.datetime64 | None) -> tuple[list[ElementSet], list[Rejection]]:
    now = now_utc if now_utc is not None else clock_utc()
    elsets: list[ElementSet] = []
    rejections: list[Rejection] = []
    for record in records:
        if isinstance(record, Rejection):
            rejections.append(record)
            continue
        line, fields = record
        elset, problems = elements_from_fields(fields, source, line, now)
        rejections.extend(problems)
        if elset is not None:
            elsets.append(elset)
    return elsets, rejections


# --- KVN -------------------------------------------------------------------------------------------

def _kvn_records(text: str, source: str) -> Iterator[tuple[int, dict[str, str]] | Rejection]:
    fields: dict[str, str] = {}
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("COMMENT"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            yield Rejection(source, number, "KVN", "not a KEY = VALUE line", line[:40])
            continue
        key = key.strip().upper()
        if key in fields and key != "CCSDS_OMM_VERS":
            yield Rejection(source, number, key, "keyword repeated: a new message without CCSDS_OMM_VERS?")
            yield start, fields
            fields, start = {}, number
        if key == "CCSDS_OMM_VERS":
            if fields:
                yield start, fields
            fields, start = {}, number
        if not fields and not start:
            start = number
        fields[key] = value.strip()
    if fields:
        yield start, fields


def parse_kvn(text: str, source: str = "<text>", now_utc: np.datetime64 | None = None
              ) -> tuple[list[ElementSet], list[Rejection]]:
    """Parse one or more KVN OMMs (each starting with ``CCSDS_OMM_VERS``)."""
    return _collect(_kvn_records(text, source), source, now_utc)


# --- XML -------------------------------------------------------------------------------------------

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


MAX_XML_DEPTH = 32  #: Deepest element nesting read (an NDM holding OMMs nests 6 deep).


def _xml_records(text: str, source: str) -> Iterator[tuple[int, dict[str, str]] | Rejection]:
    # defusedxml's parser: a DTD (so any entity: the billion-laughs bomb, XXE) is refused
    parser: ET.XMLPullParser[Any] = ET.XMLPullParser(events=("start", "end"), _parser=DefusedXMLParser(
        target=ET.TreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True))
    lines: dict[int, int] = {}
    depth = 0
    try:
        # Line numbers: feed line by line so that each <omm> start knows where it is.
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            parser.feed(line)
            for item in parser.read_events():
                event, element = cast(tuple[str, ET.Element], item)  # "start"/"end" events carry elements
                depth += 1 if event == "start" else -1
                if depth > MAX_XML_DEPTH:
                    yield Rejection(source, number, "XML", f"nested deeper than {MAX_XML_DEPTH} elements (no OMM "
                                                           "is); rest of file not read")
                    return
                if event == "start" and _local(element.tag) == "omm":
                    lines[id(element)] = number
                elif event == "end" and _local(element.tag) == "omm":
                    fields = {_local(child.tag).upper(): (child.text or "").strip()
                              for child in element.iter() if len(child) == 0}
                    yield lines.pop(id(element), number), fields
                    element.clear()
        parser.close()
    except ET.ParseError as err:
        yield Rejection(source, err.position[0], "XML", f"not well-formed: {err}; rest of file not read")
    except DefusedXmlException as err:
        yield Rejection(source, 1, "XML", f"XML with a DTD or entities is refused ({type(err).__name__}); "
                                          "file not read")


def parse_xml(text: str, source: str = "<text>", now_utc: np.datetime64 | None = None
              ) -> tuple[list[ElementSet], list[Rejection]]:
    """Parse OMMs in XML: a single ``<omm>`` or an NDM container ``<ndm>`` holding several."""
    return _collect(_xml_records(text, source), source, now_utc)


# --- JSON ------------------------------------------------------------------------------------------

def _json_records(text: str, source: str) -> Iterator[tuple[int, Mapping[str, Any]] | Rejection]:
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    single = pos < len(text) and text[pos] == "{"
    if not single:
        if pos >= len(text) or text[pos] != "[":
            yield Rejection(source, 1, "JSON", "expected an array of OMM objects or one object")
            return
        pos = _skip_ws(text, pos + 1)
    index = 0
    while pos < len(text):
        if text[pos] == "]" and not single:
            yield from _trailing(text, _skip_ws(text, pos + 1), source, "the closing ']'")
            return
        line = text.count("\n", 0, pos) + 1
        index += 1
        try:
            record, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            yield Rejection(source, err.lineno, "JSON", f"record {index}: {err.msg}; rest of file not read")
            return
        except RecursionError:  # a record nested thousands deep: no OMM is (boundary, issue 18 #11)
            yield Rejection(source, line, "JSON", f"record {index}: nested too deeply; rest of file not read")
            return
        if isinstance(record, dict):
            yield line, record
        else:
            yield Rejection(source, line, "JSON", f"record {index} is not an object", str(record)[:40])
        if single:
            yield from _trailing(text, _skip_ws(text, pos), source, "the object")
            return
        pos = _skip_ws(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
        elif pos < len(text) and text[pos] != "]":
            yield Rejection(source, text.count("\n", 0, pos) + 1, "JSON", "expected ',' or ']'; rest not read")
            return
    if not single:
        yield Rejection(source, text.count("\n") + 1, "JSON", "array not closed (truncated file?)")


def _trailing(text: str, pos: int, source: str, after: str) -> Iterator[Rejection]:
    """A rejection for anything but whitespace left after the JSON document (nothing is ignored silently)."""
    if pos < len(text):
        yield Rejection(source, text.count("\n", 0, pos) + 1, "JSON", f"text after {after}; not read",
                        text[pos:pos + 40])


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n\ufeff":
        pos += 1
    return pos


def parse_json(text: str, source: str = "<text>", now_utc: np.datetime64 | None = None
               ) -> tuple[list[ElementSet], list[Rejection]]:
    """Parse CelesTrak/Space-Track GP JSON (an array of OMM objects) or a single OMM object."""
    return _collect(_json_records(text, source), source, now_utc)


# --- CSV -------------------------------------------------------------------------------------------

def _csv_records(text: str, source: str) -> Iterator[tuple[int, Mapping[str, Any]] | Rejection]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        for row in reader:
            if None in row:
                yield Rejection(source, reader.line_num, "CSV", "more values than header columns",
                                ",".join(row[None])[:40])
                continue
            if all(v in ("", None) for v in row.values()):
                continue
            if any(v is None for v in row.values()):
                yield Rejection(source, reader.line_num, "CSV", f"fewer values than the {len(row)} header columns "
                                "(a damaged header or row)", ",".join(v for v in row.values() if v)[:40])
                continue
            yield reader.line_num, row
    except csv.Error as err:
        yield Rejection(source, reader.line_num, "CSV", f"{err}; rest of file not read")


def parse_csv(text: str, source: str = "<text>", now_utc: np.datetime64 | None = None
              ) -> tuple[list[ElementSet], list[Rejection]]:
    """Parse GP CSV with OMM keyword column names (CelesTrak ``FORMAT=csv``)."""
    return _collect(_csv_records(text, source), source, now_utc)


# --- writing ---------------------------------------------------------------------------------------

def to_fields(elset: ElementSet) -> dict[str, Any]:
    """The OMM keyword/value pairs of an element set, in CelesTrak GP order and types."""
    return {
        "OBJECT_NAME": elset.name,
        "OBJECT_ID": elset.intl_designator,
        "EPOCH": _epoch_text(elset.epoch_utc),
        "MEAN_MOTION": elset.mean_motion_rev_day,
        "ECCENTRICITY": elset.eccentricity,
        "INCLINATION": elset.inclination_deg,
        "RA_OF_ASC_NODE": elset.raan_deg,
        "ARG_OF_PERICENTER": elset.arg_perigee_deg,
        "MEAN_ANOMALY": elset.mean_anomaly_deg,
        "EPHEMERIS_TYPE": elset.ephemeris_type,
        "CLASSIFICATION_TYPE": elset.classification,
        "NORAD_CAT_ID": elset.norad_id,
        "ELEMENT_SET_NO": elset.element_set_no,
        "REV_AT_EPOCH": elset.rev_at_epoch,
        "BSTAR": elset.bstar_per_earth_radii,
        "MEAN_MOTION_DOT": elset.mean_motion_dot_rev_day2,
        "MEAN_MOTION_DDOT": elset.mean_motion_ddot_rev_day3,
    }


def _epoch_text(epoch: np.datetime64) -> str:
    """Microseconds as CelesTrak prints them, nanoseconds when needed for an exact round trip."""
    text = np.datetime_as_string(epoch, unit="ns")
    return text[:-3] if text.endswith("000") else text


def write_json(elsets: Iterable[ElementSet]) -> str:
    """CelesTrak-style GP JSON: one object per element set, one per line."""
    return "[\n" + ",\n".join(json.dumps(to_fields(e)) for e in elsets) + "\n]\n"


def write_csv(elsets: Iterable[ElementSet]) -> str:
    """CelesTrak-style GP CSV."""
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=GP_FIELDS, lineterminator="\n")  # spreadsheet-safe cells
    writer.writeheader()
    for elset in elsets:
        writer.writerow(to_fields(elset))
    return out.getvalue()


_META = ("OBJECT_NAME", "OBJECT_ID")
_MEAN = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
         "MEAN_ANOMALY")
_TLE_PARAMS = ("EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR",
               "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")


def write_kvn(elsets: Iterable[ElementSet], originator: str = "KOMPAS") -> str:
    """One KVN OMM per element set, concatenated."""
    created = np.datetime_as_string(np.datetime64("now", "s"))
    parts = []
    for elset in elsets:
        f = to_fields(elset)
        lines = ["CCSDS_OMM_VERS = 3.0", f"CREATION_DATE = {created}", f"ORIGINATOR = {originator}", ""]
        lines += [f"OBJECT_NAME = {f['OBJECT_NAME']}", f"OBJECT_ID = {f['OBJECT_ID']}", "CENTER_NAME = EARTH",
                  "REF_FRAME = TEME", "TIME_SYSTEM = UTC", "MEAN_ELEMENT_THEORY = SGP4", ""]
        lines += [f"{k} = {f[k]}" for k in _MEAN + _TLE_PARAMS]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def write_xml(elsets: Iterable[ElementSet], originator: str = "KOMPAS") -> str:
    """An NDM XML container with one ``<omm>`` per element set."""
    created = np.datetime_as_string(np.datetime64("now", "s"))
    ndm = ET.Element("ndm")
    for elset in elsets:
        f = {k: str(v) for k, v in to_fields(elset).items()}
        omm = ET.SubElement(ndm, "omm", id="CCSDS_OMM_VERS", version="3.0")
        header = ET.SubElement(omm, "header")
        ET.SubElement(header, "CREATION_DATE").text = created
        ET.SubElement(header, "ORIGINATOR").text = originator
        segment = ET.SubElement(ET.SubElement(omm, "body"), "segment")
        meta = ET.SubElement(segment, "metadata")
        for key, value in ((k, f[k]) for k in _META):
            ET.SubElement(meta, key).text = value
        for key, value in (("CENTER_NAME", "EARTH"), ("REF_FRAME", "TEME"), ("TIME_SYSTEM", "UTC"),
                           ("MEAN_ELEMENT_THEORY", "SGP4")):
            ET.SubElement(meta, key).text = value
        data = ET.SubElement(segment, "data")
        mean = ET.SubElement(data, "meanElements")
        for key in _MEAN:
            ET.SubElement(mean, key).text = f[key]
        params = ET.SubElement(data, "tleParameters")
        for key in _TLE_PARAMS:
            ET.SubElement(params, key).text = f[key]
    ET.indent(ndm)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(ndm, encoding="unicode") + "\n"
