"""Raw AIS NMEA to positions and static reports, through pyais (no I/O: lines in, :class:`Ingest` out).

What a receiver network writes, line by line:

- ``!AIVDM``/``!AIVDO`` (and base-station ``!BSVDM``, ``!ABVDM``) sentences, single or multi-sentence; fragments are
  joined by (sequence id, channel, fragment count) in order, and a message whose parts never all arrive is reported;
- NMEA 4.0 tag blocks before a sentence (``\\s:station,c:unixtime*hh\\!AIVDM...``) or on a line of their own (the
  Danish Maritime Authority's ``\\si:AISD*3F\\``): ``c:`` (seconds, or milliseconds when it has 13 digits) is the
  receive time;
- Gatehouse ``$PGHP,1,yyyy,m,d,H,M,S,ms,...`` headers, whose time applies to the sentence after them;
- a receive time after the checksum: the USCG receiver suffix (``...,0*28,d-109,S2105,t050056.00,T56.13,r003669946,
  1325394060,...``) or an MSSIS relay's (``...,0*6A,1411920506``): the first 10-digit field; the checksum covers the
  sentence only;
- blank lines, ``#`` comments and other NMEA sentences with a valid checksum (receiver status ``$PSTT``, GPS
  ``$GPGGA``), counted and skipped.

A sentence that fails its checksum, has no payload, an unknown message type or bits pyais cannot decode is reported
with its line and the reason; the lines around it go through. Positions at 91/181 (not available), outside
±90/±180 or at exactly 0,0 (a receiver's default) are reported and kept out. Speed 102.3, course 360 and heading 511
are blanked and counted (see :mod:`kompas.maritime.model`).
"""

from __future__ import annotations

import calendar
import math
from array import array
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any

from pyais.exceptions import AISBaseException
from pyais.messages import AISSentence

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
    STATUS_NA,
    Ingest,
    Positions,
    StaticReport,
)
from kompas.rejections import Rejection

NAN = float("nan")
#: Talkers whose sentences carry AIS payloads (``!AIVDM`` mobile, ``!BSVDM``/``!ABVDM`` base stations...).
AIS_SUFFIXES = (b"VDM", b"VDO")
#: Fragments waiting longer than this many sentences for their siblings are reported as incomplete.
FRAGMENT_WINDOW = 200
MAX_LINE = 1000  #: characters; an AIS sentence is at most 82 (plus tag block and suffix); longer lines are refused
EARLIEST = 315_532_800.0  #: 1980-01-01T00:00:00Z: no AIS before (the system dates from 2002); an earlier time is wrong
LATEST = 4_102_444_800.0  #: 2100-01-01T00:00:00Z: a later receive time is wrong


def sane_time(t: float) -> bool:
    """Whether ``t`` (Unix s) is a receive time AIS can have: 1980 to 2100 (NaN is "no time", not a wrong one)."""
    return EARLIEST <= t < LATEST


def nmea_checksum(body: bytes) -> int:
    """The NMEA checksum (XOR of every byte) of ``body``, the text between ``$``/``!`` and ``*``."""
    value = 0
    for byte in body:
        value ^= byte
    return value


def _checked(text: bytes) -> tuple[bytes, bool]:
    """(body, checksum ok) for ``text`` = ``BODY*HH``; a text without ``*HH`` is not ok."""
    body, star, given = text.rpartition(b"*")
    if not star:
        return text, False
    try:
        return body, int(given[:2], 16) == nmea_checksum(body)
    except ValueError:
        return body, False


def _tag(block: bytes) -> tuple[float, bytes, str]:
    """(receive time in Unix s or NaN, station ``s:`` or b"", problem or "") of a tag block's text (without the
    backslashes)."""
    body, ok = _checked(block)
    if not ok:
        return NAN, b"", "tag block checksum mismatch"
    when, station, problem = NAN, b"", ""
    for item in body.split(b","):
        key, _, value = item.partition(b":")
        if key == b"s":
            station = value[:40]
        elif key == b"c":
            try:
                number = float(value)
            except ValueError:
                problem = f"tag block time c:{value.decode('ascii', 'replace')[:30]} is not a number"
                continue
            moment = number / 1000.0 if number > 1e11 else number
            if sane_time(moment):
                when = moment
            else:
                problem = f"tag block time c:{value.decode('ascii', 'replace')[:30]} is not between 1980 and 2100"
    return when, station, problem


def _gatehouse(line: bytes) -> tuple[float, bytes, str]:
    """(receive time, the receiving station's id or b"", problem) of a ``$PGHP,1,yyyy,m,d,H,M,S,ms,country,region,
    station,...*hh`` header."""
    when, problem = _gatehouse_time(line)
    fields = line.split(b",")
    return when, (fields[11][:40] if len(fields) > 11 else b""), problem


_TYPECODES = ("q", "d", "d", "d", "d", "d", "d", "b", "b", "i", "q")  #: array typecodes of Positions.COLUMNS


@lru_cache(maxsize=4096)
def _hour_start(year: int, month: int, day: int, hour: int) -> float:
    """Unix seconds of a UTC hour (raises ValueError for a date that does not exist), cached: a feed's headers fall
    in few hours."""
    return float(calendar.timegm(datetime(year, month, day, hour).timetuple()))


def _gatehouse_time(line: bytes) -> tuple[float, str]:
    """(receive time, problem) of a ``$PGHP,1,yyyy,m,d,H,M,S,ms,...*hh`` header."""
    body, ok = _checked(line[1:])
    if not ok:
        return NAN, "$PGHP checksum mismatch"
    fields = body.split(b",")
    if len(fields) < 9 or fields[1] != b"1":
        return NAN, "$PGHP header is not a type-1 time header"
    try:
        year, month, day, hour, minute, second, milli = (int(f) for f in fields[2:9])
        if not (0 <= minute < 60 and 0 <= second <= 60 and 0 <= milli < 1000):
            raise ValueError
        when = _hour_start(year, month, day, hour) + minute * 60 + second + milli / 1000.0  # Feb 31: ValueError
    except (ValueError, OverflowError):
        return NAN, "$PGHP time fields are not a valid date and time"
    if not sane_time(when):
        return NAN, "$PGHP time is not between 1980 and 2100"
    return when, ""


def _suffix_time(fields: list[bytes]) -> float:
    """The receive time in the fields after a sentence's checksum (a USCG suffix ``...,r003669946,1325394060,...``
    or the MSSIS relay's ``...,1411920506``): the first 10-digit field, or NaN."""
    for item in fields:
        if len(item) == 10 and item.isdigit() and sane_time(float(item)):
            return float(item)
    return NAN


class _Reader:
    """Accumulates one source's positions, statics, rejections and counts."""

    def __init__(self, source: str) -> None:
        self.source = source
        # typed arrays, not lists: 8 bytes a value instead of a Python object (a national day is millions of rows)
        self.columns: dict[str, Any] = {name: array(code) for name, code in zip(Positions.COLUMNS, _TYPECODES,
                                                                                strict=True)}
        self.statics: list[StaticReport] = []
        self.rejections: list[Rejection] = []
        self.counts: dict[str, int] = {}
        #: (sequence id, channel, count) -> [(line, sentence, time)], with the sentence number it started at
        self.fragments: dict[tuple[bytes, bytes, bytes, int], tuple[int, list[tuple[int, AISSentence, float]]]] = {}
        self.sentence_number = 0

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def reject(self, line: int, field: str, reason: str, value: str = "") -> None:
        self.rejections.append(Rejection(self.source, line, field, reason, value[:120]))
        self.count("rejected")

    def sentence(self, line: int, text: bytes, time: float, station: bytes = b"") -> None:
        """One AIS sentence (tag block removed), received at ``time`` by ``station`` (fragments of one message are
        joined per station: a merged feed interleaves the stations' fragments)."""
        fields = text.split(b",")
        if len(fields) < 7:
            self.reject(line, "sentence", f"an AIS sentence has 7 fields, this has {len(fields)}", text.decode(
                "ascii", "replace"))
            return
        last, star, after = fields[6].partition(b"*")
        tail = after[2:]  # anything after the two checksum digits is not the sentence's (a suffix, a literal \r\n)
        core = b",".join([*fields[:6], last + star + after[:2]])
        if (len(fields) > 7 or tail) and math.isnan(time):
            time = _suffix_time(fields[7:])
        try:
            sentence = AISSentence(core)
        except AISBaseException as exc:
            self.reject(line, "sentence", f"not a valid AIS sentence: {exc}", core.decode("ascii", "replace"))
            return
        self.count("sentences")
        self.sentence_number += 1
        if not sentence.is_valid:
            self.reject(line, "checksum", "checksum mismatch: the sentence was corrupted in transmission",
                        core.decode("ascii", "replace"))
            return
        if not sentence.payload:
            self.reject(line, "payload", "empty payload", core.decode("ascii", "replace"))
            return
        if sentence.frag_cnt == 1:
            self.decode(line, [sentence], time)
            return
        if not 1 <= int(sentence.frag_num) <= int(sentence.frag_cnt) <= 9:
            self.reject(line, "fragment", f"part {sentence.frag_num} of {sentence.frag_cnt}: not a fragment number",
                        core.decode("ascii", "replace"))
            return
        key = (station, str(sentence.seq_id or "").encode(), str(sentence.channel or "").encode(),
               int(sentence.frag_cnt))
        if sentence.frag_num == 1:
            if key in self.fragments:
                self.incomplete(key)
            self.fragments[key] = (self.sentence_number, [(line, sentence, time)])
        elif key not in self.fragments or len(self.fragments[key][1]) != sentence.frag_num - 1:
            self.reject(line, "fragment", f"part {sentence.frag_num} of {sentence.frag_cnt} without the parts "
                        "before it", core.decode("ascii", "replace"))
            return
        else:
            self.fragments[key][1].append((line, sentence, time))
        parts = self.fragments[key][1]
        if len(parts) == sentence.frag_cnt:
            del self.fragments[key]
            first_time = next((t for _, _, t in parts if not math.isnan(t)), NAN)
            self.decode(parts[-1][0], [s for _, s, _ in parts], first_time)
        if len(self.fragments) > 8:
            for stale in [k for k, (n, _) in self.fragments.items() if self.sentence_number - n > FRAGMENT_WINDOW]:
                self.incomplete(stale)

    def incomplete(self, key: tuple[bytes, bytes, bytes, int]) -> None:
        _, parts = self.fragments.pop(key)
        line, sentence, _ = parts[0]
        self.reject(line, "fragment", f"multi-sentence message incomplete: {len(parts)} of {key[3]} parts arrived",
                    sentence.raw.decode("ascii", "replace"))

    def decode(self, line: int, sentences: list[AISSentence], time: float) -> None:
        try:
            sentence = sentences[0] if len(sentences) == 1 else AISSentence.assemble_from_iterable(sentences)
            message = sentence.decode()
        except (AISBaseException, ValueError, IndexError, KeyError, TypeError) as exc:
            self.reject(line, "payload", f"payload cannot be decoded: {type(exc).__name__} {exc}".strip(),
                        sentences[0].payload.decode("ascii", "replace"))
            return
        kind = int(message.msg_type)
        used = kind in POSITION_TYPES or kind in STATIC_TYPES  # the others are counted, not read
        wanted = ("mmsi", "lat", "lon", "speed", "course") if kind in POSITION_TYPES else ("mmsi",)
        missing = [name for name in wanted if getattr(message, name, None) is None] if used else []
        if used and missing:
            self.reject(line, "payload", f"payload too short for a type {kind} message (no {', '.join(missing)})",
                        sentences[0].payload.decode("ascii", "replace"))
            return
        self.count("messages")
        self.count(f"type {kind}")
        if used and not 0 < int(message.mmsi) < 1_000_000_000:
            self.reject(line, "mmsi", f"MMSI {message.mmsi}: no station identity", str(message.mmsi))
            return
        if kind in POSITION_TYPES:
            self.position(line, message, kind, time)
        if kind == 5 or kind == 19 or kind == 24:
            self.static(line, message, kind, time)

    def position(self, line: int, message: object, kind: int, time: float) -> None:
        lat = float(message.lat)  # type: ignore[attr-defined]
        lon = float(message.lon)  # type: ignore[attr-defined]
        if lat == LAT_NA or lon == LON_NA:
            self.count("position not available")
            self.reject(line, "lat" if lat == LAT_NA else "lon", "position not available (AIS sends 91/181)",
                        f"{lat},{lon}")
            return
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            self.reject(line, "lat" if abs(lat) > 90 else "lon", "impossible position", f"{lat},{lon}")
            return
        if lat == 0.0 and lon == 0.0:
            self.reject(line, "lat", "position 0,0 is a receiver default, not a position", "0,0")
            return
        long_range = kind == 27
        sog = float(message.speed)  # type: ignore[attr-defined]
        cog = float(message.course)  # type: ignore[attr-defined]
        if sog >= (SOG_NA_LONG_RANGE if long_range else SOG_NA) or sog < 0:
            sog = NAN
            self.count("sog not available")
        if cog >= (COG_NA_LONG_RANGE if long_range else COG_NA) or cog < 0:
            cog = NAN
            self.count("cog not available")
        heading = float(getattr(message, "heading", HEADING_NA))
        if heading >= HEADING_NA or heading > 359:
            heading = NAN
            if not long_range:
                self.count("heading not available")
        status = int(getattr(message, "status", NO_STATUS))
        if status == STATUS_NA:
            self.count("status not defined")
        columns = self.columns
        columns["mmsi"].append(int(message.mmsi))  # type: ignore[attr-defined]
        columns["t"].append(time)
        columns["lat"].append(lat)
        columns["lon"].append(lon)
        columns["sog"].append(sog)
        columns["cog"].append(cog)
        columns["heading"].append(heading)
        columns["status"].append(status)
        columns["msg_type"].append(kind)
        columns["source"].append(0)
        columns["line"].append(line)

    def static(self, line: int, message: object, kind: int, time: float) -> None:
        def get(name: str) -> object:
            return getattr(message, name, None)

        if kind == 24 and get("partno") not in (0, 1):
            return

        def text(name: str) -> str:
            value = get(name)
            return value.strip(" @") if isinstance(value, str) else ""

        def number(name: str) -> int:
            value = get(name)
            return int(value) if isinstance(value, int) else 0

        imo = number("imo")
        draught = get("draught")
        self.statics.append(StaticReport(
            mmsi=number("mmsi"), t=time, name=text("shipname"), callsign=text("callsign"),
            imo=imo if 0 < imo < 1_000_000_000 else 0, ship_type=number("ship_type"), to_bow=number("to_bow"),
            to_stern=number("to_stern"), to_port=number("to_port"), to_starboard=number("to_starboard"),
            draught=float(draught) if isinstance(draught, (int, float)) else 0.0, destination=text("destination"),
            msg_type=kind, source=self.source, line=line))

    def finish(self) -> Ingest:
        for key in list(self.fragments):
            self.incomplete(key)
        return Ingest(Positions.from_columns(self.columns, (self.source,)), self.statics, self.rejections,
                      self.counts)


def parse_nmea(lines: Iterable[str | bytes], source: str = "nmea") -> Ingest:
    """Decode raw AIS NMEA ``lines`` (text or bytes, with or without newlines) from ``source`` (a name for reports).

    Returns the positions of message types 1, 2, 3, 18, 19 and 27 (receive time NaN where the source gives none),
    the static reports of types 5, 19 and 24, one rejection per line that could not be used and counts
    (``lines``, ``sentences``, ``messages``, ``type N``, ``comments``, ``... not available``, ``rejected``).
    """
    reader = _Reader(source)
    pending_time = NAN
    pending_station = b""
    for number, raw in enumerate(lines, 1):
        line = (raw.encode("ascii", "replace") if isinstance(raw, str) else raw).strip()
        reader.count("lines")
        if not line:
            continue
        if len(line) > MAX_LINE:
            reader.reject(number, "line", f"line of {len(line)} characters; an AIS line is under {MAX_LINE}",
                          line[:60].decode("ascii", "replace"))
            continue
        if line[:1] == b"#":
            reader.count("comments")
            continue
        time, station = NAN, b""
        if line[:1] == b"\\":
            end = line.find(b"\\", 1)
            if end < 0:
                reader.reject(number, "tag block", "tag block without its closing backslash",
                              line.decode("ascii", "replace"))
                continue
            time, station, problem = _tag(line[1:end])
            if problem:
                reader.reject(number, "tag block", problem, line[:end + 1].decode("ascii", "replace"))
            line = line[end + 1:]
            pending_station = station or pending_station  # a group's later parts name no station: the same one
            if not line:  # a tag block on a line of its own applies to the next sentence
                pending_time = time if not math.isnan(time) else pending_time
                continue
        if line[:5] == b"$PGHP":
            pending_time, station, problem = _gatehouse(line)
            pending_station = station or pending_station
            if problem:
                reader.reject(number, "$PGHP", problem, line.decode("ascii", "replace"))
            continue
        head = line.split(b",", 1)[0]
        if line[:1] in (b"!", b"$") and head[-3:] in AIS_SUFFIXES:
            reader.sentence(number, line, time if not math.isnan(time) else pending_time, pending_station)
            pending_time = NAN  # a header's time is the next sentence's; the station stays until another is named
            continue
        if line[:1] == b"$" and _checked(line[1:])[1]:
            reader.count("other NMEA sentences")  # receiver status ($PSTT), GPS fixes ($GPGGA): valid, not AIS
            continue
        reader.reject(number, "line", "not an AIS sentence, tag block, $PGHP header, other NMEA sentence or comment",
                      line[:80].decode("ascii", "replace"))
    return reader.finish()
