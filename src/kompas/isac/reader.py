"""Reading contributed Space ISAC reports: the Kompas ISAC JSON form and the Space ISAC notional reporting format.

**Kompas ISAC JSON** (:func:`parse_json`): one report object, a list of them, or ``{"reports": [...]}``; each
object is :meth:`kompas.isac.model.IsacReport.as_dict`'s form (``title``, ``start_utc`` and ``interference``
required; ``id`` derived from the source, title and start when absent; ``marking`` a Kompas marking object, or a
bare ``tlp``; ``band`` an object ``{low_mhz, high_mhz, letter}`` or a letter text). Example::

    {"reports": [{"title": "GNSS jamming over Gotland", "start_utc": "2026-03-01T06:00:00Z",
                  "stop_utc": "2026-03-01T09:30:00Z", "interference": "jamming", "segment": "user",
                  "band": {"low_mhz": 1575.42, "high_mhz": 1575.42}, "pap": "AMBER", "tlp": "AMBER",
                  "locations": [{"lat_deg": 57.5, "lon_deg": 18.5, "radius_km": 150}],
                  "disclosure": "pseudonymous", "pseudonym": "member-7f3a"}]}

Each bad record is one :class:`~kompas.rejections.Rejection` (source, item = its 1-based place, field as a JSON
path such as ``locations[0].lat_deg``, reason, value); the good ones go through.

**The notional reporting format** (:func:`parse_notional`), as the Space ISAC's contribution to OASIS SATIS lays
it out ("Notional Reporting Format" and use cases 1-3 and 5 of ``../shared/data/space-threats/satis/
stix-mapping-proof-of-concept.md``): ``TITLE:``, ``SUMMARY:``, ``ANOMALY DETAILS:`` (a. TYPE, b. DATE, c. START
TIME, d. STOP TIME, e. BEAM FORMAT, f. PULSE DURATION, g. LASER COLOR, h. WAVELENGTH/FREQUENCY) and
``SATELLITE/SENSOR DETAILS:`` (constellation, satellite(s) affected, location at anomaly start and end as GPS time
with ECEF position and velocity, sensor operating range, pointing quaternion, field of view, sensor effect, post
event status, event association). Items are matched by their labels, whatever their enumerators (``a.``, ``b)``,
``-``). Plain text or the Markdown of the SATIS document (its pandoc emphasis, underlines, escapes and ``<!-- -->``
separators are removed line by line, so line numbers stay those of the file). What the reader derives, it says in
the report's ``notes``:

- **times**: DATE + START/STOP TIME; a time marked ``GPS`` is converted to UTC (GPS = TAI - 19 s, TAI - UTC from
  ERFA's leap-second table: UTC = GPS - 18 s in 2017-2026); a stop earlier than its start on the same date is taken
  to be on the next day; ``00:00:00 UTC/2 March 2025`` carries its own date;
- **ECEF states**: SATIS gives metres and m/s (|r| = 6,960 km in use case 1); stored as km and km/s, their times
  in the same scale conversion;
- **interference type**: from TYPE's words (``EMI (Jamming)`` is jamming; EMI, RFI or interference alone is
  ``unknown-emi``);
- **segment**: ``link`` when the report speaks of an uplink or downlink (use case 3), else ``space`` (the
  notional format reports effects on a satellite or its sensor);
- **impact level**: the most severe SPARTA impact technique the report carries (IMP-0004/0002/0003/0005), else
  ``none`` when the sensor effect is "None", else unknown;
- **SPARTA ids** anywhere in the report, including its STIX proof-of-concept section (use case 5: IMP-0002,
  IMP-0003, as the Space ISAC's working group assigned them);
- **locations**: use case 3's "RF EMI Incident N: lat lon" points, each tied to the satellite listed above it;
  a "SATELLITE LOCATION AT TIME OF ANOMALY" with "Lat, Long" (use case 5) as the sub-satellite point.

**Use case 3 is one report with 11 locations**, not 11 reports: SATIS maps it to one Report whose bundle
"includes all 11 incidents reported" (11 Incident objects, 3 Identity objects): one contributor reporting one
interference campaign over a week, observed at 11 places by 3 satellites. Counting it as 11 reports would make one
member's report a "me too" surge by itself; :mod:`kompas.isac.stix` writes the 11 incidents as SATIS does.

Use case 4 is a CISA narrative (no TITLE, no ANOMALY DETAILS): it is rejected as not in the notional format,
with its line; its time ("January 2022 ... thirty-three (33) hour period") has no start a report could hold.

Reported: missing TITLE, start time or TYPE (rejections: the report is not read); values a field cannot hold
(warnings: the report goes through without that value, nothing is dropped silently); two dates that disagree by
more than a day (DATE against the satellite location time, use case 2; "Initial Start Date" against "START
TIME/Date", use case 3: warnings, the date as written is kept).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import erfa
import numpy as np

from kompas.core.markings import Marking
from kompas.isac.model import (
    IMPACT_LEVELS,
    IMPACT_TECHNIQUES,
    PAP,
    Attitude,
    Band,
    EcefState,
    IsacError,
    IsacReport,
    Location,
    Satellite,
    report_from_dict,
    report_id,
)
from kompas.isac.sparta import Vocabulary, check_ids
from kompas.rejections import Rejection
from kompas.times import as_ns, utc_text_ns

__all__ = ["Contributor", "ReadResult", "UseCase", "gps_to_utc", "import_json", "interference_of", "normalise_markdown",
           "parse_json",
           "parse_notional", "parse_satis_document", "satis_use_cases"]


@dataclass
class ReadResult:
    """What a reader found: the reports, the records rejected, and warnings on reports that went through."""

    reports: list[IsacReport] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)

    def extend(self, other: ReadResult) -> None:
        self.reports += other.reports
        self.rejections += other.rejections
        self.warnings += other.warnings


@dataclass(frozen=True)
class Contributor:
    """Who contributes a text report and under what terms (the JSON form states these in each record)."""

    reporter: str = ""
    pseudonym: str = ""
    disclosure: str = "anonymous"
    marking: Marking = field(default_factory=Marking)
    pap: PAP = PAP.AMBER
    reported_utc: str | None = None


# ----------------------------------------------------------------------------------------------------------------
# JSON
# ----------------------------------------------------------------------------------------------------------------

def import_json(data: Any, source: str = "isac-json") -> ReadResult:  # noqa: ANN401 (decoded JSON)
    """The reports of decoded Kompas ISAC JSON (module docstring); one rejection per bad record."""
    out = ReadResult()
    if isinstance(data, Mapping) and isinstance(data.get("reports"), list):
        records = list(data["reports"])
    elif isinstance(data, list):
        records = data
    elif isinstance(data, Mapping):
        records = [data]
    else:
        out.rejections.append(Rejection(source, 0, "", "not Kompas ISAC JSON (a report object, a list of them or "
                                        "{'reports': [...]})", unit="item"))
        return out
    for number, record in enumerate(records, start=1):
        try:
            fallback = ""
            if isinstance(record, Mapping) and not record.get("id"):
                fallback = report_id(source, str(number), str(record.get("title")), str(record.get("start_utc")))
            report = report_from_dict(record, fallback)
            if not report.source:
                report = _with(report, source=f"{source}#{number}")
            out.reports.append(report)
        except IsacError as error:
            out.rejections.append(Rejection(source, number, error.field, error.reason, error.value, unit="item"))
    return out


def parse_json(text: str, source: str = "isac-json") -> ReadResult:
    """:func:`import_json` of JSON text; text that is not JSON is one rejection."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return ReadResult(rejections=[Rejection(source, 0, "", f"not JSON: {error.msg} (line {error.lineno})",
                                                unit="item")])
    except RecursionError:
        return ReadResult(rejections=[Rejection(source, 0, "", "JSON nested too deeply", unit="item")])
    return import_json(data, source)


def _with(report: IsacReport, **changes: Any) -> IsacReport:  # noqa: ANN401
    from dataclasses import replace

    return replace(report, **changes)


# ----------------------------------------------------------------------------------------------------------------
# The notional reporting format
# ----------------------------------------------------------------------------------------------------------------

_UNDERLINE = re.compile(r"\[([^\]\[]*)\]\{\.underline\}")
_LINK = re.compile(r"\[([^\]\[]*)\]\((https?://[^)\s]+)\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?")
_SPACES = re.compile("[\u00a0\u2000-\u200b\u202f\u205f\u3000]")  #: no-break and other Unicode spaces


def normalise_markdown(text: str) -> str:
    """The text with the SATIS document's Markdown removed line by line (the number of lines is kept): pandoc
    underlines ``[x]{.underline}``, emphasis ``*``, escapes ``\\"``, hard breaks (a trailing ``\\``), quote marks
    ``>``, images, ``<!-- -->`` separators; links become ``text (url)``."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip() == "<!-- -->":
            out.append("")
            continue
        line = _IMAGE.sub("", line)
        line = _UNDERLINE.sub(r"\1", line)
        line = _LINK.sub(r"\1 (\2)", line)
        line = _SPACES.sub(" ", line).replace("*", "")
        line = re.sub(r"\\([\"\[\]~'_#])", r"\1", line)
        line = re.sub(r"\s*\\\s*$", "", line)
        line = re.sub(r"^\s*>\s?", "", line)
        out.append(line.rstrip())
    return "\n".join(out)


@dataclass(frozen=True)
class UseCase:
    """One use case of the SATIS document: its number, heading, first line (1-based, in the file) and text."""

    number: int
    heading: str
    first_line: int
    text: str


_USE_CASE = re.compile(r"^#+\s*Use Case\s*#?\s*(\d+)\s*:?\s*(.*)$", re.IGNORECASE)
_AFTER_USE_CASES = re.compile(r"^#+\s*Consolidated Mapping", re.IGNORECASE)


def satis_use_cases(text: str) -> list[UseCase]:
    """The use cases of the SATIS proof-of-concept document, each from its ``## Use Case N`` heading to the next
    use case (its STIX proof-of-concept section included) or the closing consolidated mapping."""
    lines = text.replace("\r\n", "\n").split("\n")
    starts = [(i, m) for i, line in enumerate(lines) if (m := _USE_CASE.match(line.strip()))]
    out = []
    for k, (i, found) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else next(
            (j for j in range(i + 1, len(lines)) if _AFTER_USE_CASES.match(lines[j].strip())), len(lines))
        out.append(UseCase(int(found.group(1)), lines[i].strip().lstrip("#").strip(), i + 1,
                           "\n".join(lines[i:end])))
    return out


_SECTION = re.compile(r"^\s*(TITLE|SUMMARY|ANOMALY DETAILS|SATELLITE\s*/\s*SENSOR DETAILS)\s*:?\s*(.*)$",
                      re.IGNORECASE)
_POC = re.compile(r"^#+\s*STIX 2\.1 Proof of Concept", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:[a-z][.)]|-)\s+(.*)$")
_HINT = r"(?:\s*\((?P<hint>[^)]*)\))?\s*:?\s*"
#: Item labels of the notional format, most specific first (first match wins).
_LABELS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(rf"^(?P<label>{label}){_HINT}(?P<value>.*)$",
                                                                re.IGNORECASE)) for name, label in (
    ("sensor_range", r"SENSOR WAVELENGTH\s*/\s*FREQUENCY OPERATING RANGE"),
    ("pointing", r"SENSOR POINTING ANGLE\(S\) DURING ANOMALY"),
    ("fov", r"SENSOR FIELD OF VIEW"),
    ("sensor_effect", r"SENSOR EFFECT"),
    ("status", r"POST EVENT STATUS OF SATELLITE"),
    ("association", r"EVENT ASSOCIATION"),
    ("location_start", r"SATELLITE LOCATION AT ANOMALY START"),
    ("location_end", r"SATELLITE LOCATION AT ANOMALY END"),
    ("constellation", r"(?:SATELLITE\s+)?CONSTELLATION"),
    ("satellites", r"SATELLITE(?:\(S\)|S)?\s+AFFECTED"),
    ("norad", r"(?:Obfuscated\s+)?NORAD ID"),
    ("initial_start_date", r"Initial Start Date"),
    ("start_time", r"START TIME(?:\s*/\s*Date)?"),
    ("stop_time", r"STOP TIME(?:\s*/\s*Date)?"),
    ("date", r"DATE"),
    ("type", r"TYPE"),
    ("beam_format", r"BEAM FORMAT"),
    ("pulse", r"PULSE DURATION\s*/\s*TIME BETWEEN PULSES"),
    ("laser_colour", r"LASER COLOU?R"),
    ("frequency", r"WAVEL\s*ENGTH\s*/\s*FREQUENCY"),
    ("polarization", r"POLARI[SZ]ATION"),
    ("regions", r"Regions of Interference Correlation[^:]*"),
    ("incident_point", r"RF EMI Incident\s*(?P<number>\d+)"),
    ("attack_patterns", r"Attack Patterns Denoted"),
)]
_NONE = re.compile(r"^\s*(?:n/?a|not disclosed|none given|-)?\s*$", re.IGNORECASE)
_SPARTA_ANYWHERE = re.compile(r"\b(?:REC|RD|IA|EX|PER|DE|LM|EXF|IMP)-\d{4}(?:\.\d{2})?\b")
_ATTACK_ANYWHERE = re.compile(r"\bT\d{4}(?:\.\d{3})?\b")
_URL = re.compile(r"https?://[^\s)\]]+")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}
_NUMBER_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(THz|GHz|MHz|kHz|Hz)\b", re.IGNORECASE)
_RANGE_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*(THz|GHz|MHz|kHz|Hz)\b", re.IGNORECASE)
_LETTER = re.compile(r"\b(HF|VHF|UHF|Ku|Ka|L|S|C|X|K|V|W)[\s-]*band\b", re.IGNORECASE)
_TO_MHZ = {"thz": 1e6, "ghz": 1e3, "mhz": 1.0, "khz": 1e-3, "hz": 1e-6}
_QUOTED = r'"{key}"\s*:\s*'
_LAT_LONG = re.compile(r"(?:(?P<label>[^:\n]*?)\s*:\s*)?(?P<lat>-?\s?\d+(?:\.\d+)?)\s*Lat\s*,?\s*"
                       r"(?P<lon>-?\s?\d+(?:\.\d+)?)\s*Long", re.IGNORECASE)


@dataclass
class _Item:
    name: str  #: the label's key in _LABELS, or "" when no label matched
    label: str
    hint: str
    value: str
    line: int
    extra: dict[str, str] = field(default_factory=dict)


def _items(lines: list[tuple[int, str]]) -> tuple[dict[str, tuple[str, int]], list[_Item], str]:
    """Sections (TITLE, SUMMARY text and line), the detail items in order, and the summary."""
    sections: dict[str, tuple[str, int]] = {}
    items: list[_Item] = []
    summary: list[str] = []
    current = ""
    raw: list[tuple[int, str]] = []

    def close() -> None:
        if not raw:
            return
        line, text = raw[0][0], " ".join(t.strip() for _, t in raw if t.strip())
        raw.clear()
        for name, pattern in _LABELS:
            found = pattern.match(text)
            if found:
                extra = {"number": found.group("number")} if "number" in pattern.groupindex and \
                    found.group("number") else {}
                items.append(_Item(name, found.group("label"), found.group("hint") or "",
                                   found.group("value").strip(), line, extra))
                return
        items.append(_Item("", "", "", text, line))

    for number, line in lines:
        section = _SECTION.match(line)
        if section:
            close()
            current = re.sub(r"\s+", " ", section.group(1).upper().replace(" /", "/").replace("/ ", "/"))
            sections.setdefault(current, (section.group(2).strip(), number))
            if current == "SUMMARY" and section.group(2).strip():
                summary.append(section.group(2).strip())
            continue
        if current == "SUMMARY":
            summary.append(line.strip())
            continue
        if current in ("ANOMALY DETAILS", "SATELLITE/SENSOR DETAILS"):
            item = _ITEM.match(line)
            if item:
                close()
                raw.append((number, item.group(1)))
            elif line.strip():  # a continuation line (or a label without an enumerator)
                raw.append((number, line))
    close()
    paragraphs = re.split(r"\n\s*\n", "\n".join(summary).strip())
    return sections, items, "\n".join(re.sub(r"\s+", " ", p).strip() for p in paragraphs if p.strip())


def _empty(value: str) -> bool:
    return bool(_NONE.match(value))


def _date(text: str) -> tuple[int, int, int] | None:
    found = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
    if found:
        return int(found.group(1)), int(found.group(2)), int(found.group(3))
    found = re.search(r"\b(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})\b", text)
    if found and found.group(2).lower() in _MONTHS:
        return int(found.group(3)), _MONTHS[found.group(2).lower()], int(found.group(1))
    return None


def _clock(text: str) -> tuple[int, int, str, str] | None:
    """(hours, minutes, seconds text with fraction, scale 'UTC' | 'GPS' | '') of the first time in ``text``."""
    found = re.search(r"\b(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)\s*(UTC|GPS|Z)?", text, re.IGNORECASE)
    if not found:
        return None
    scale = (found.group(4) or "").upper().replace("Z", "UTC")
    return int(found.group(1)), int(found.group(2)), found.group(3), scale


def _moment(day: tuple[int, int, int], clock: tuple[int, int, str, str]) -> np.datetime64:
    seconds, _, fraction = clock[2].partition(".")
    text = f"{day[0]:04d}-{day[1]:02d}-{day[2]:02d}T{clock[0]:02d}:{clock[1]:02d}:{int(seconds):02d}"
    if fraction:
        text += "." + fraction[:9]
    return np.datetime64(text, "ns")


def gps_to_utc(time_gps: np.datetime64) -> np.datetime64:
    """A GPS time (``datetime64``) as UTC: GPS = TAI - 19 s, and TAI - UTC from ERFA's leap-second table (``dat``)
    at that date (UTC = GPS - 18 s from 2017 to at least 2026)."""
    moment = as_ns(time_gps)
    day = moment.astype("datetime64[D]")
    year, month, date = (int(p) for p in str(day).split("-"))
    fraction = float((moment - day) / np.timedelta64(1, "D"))
    tai_minus_utc = float(erfa.dat(year, month, date, fraction))
    return moment - np.timedelta64(round((tai_minus_utc - 19.0) * 1e9), "ns")


def _band_of(text: str) -> Band | None:
    """The band of a WAVELENGTH/FREQUENCY text (``9.5 GHz to 9.8 GHz``, ``L-Band (1.4 GHz)``); None when it gives
    none. Raises :class:`IsacError` when the letter and the numbers disagree."""
    letter = _LETTER.search(text)
    values: list[float] = []
    for low, high, unit in _RANGE_UNIT.findall(text):
        values += [float(low) * _TO_MHZ[unit.lower()], float(high) * _TO_MHZ[unit.lower()]]
    if not values:
        values = [float(v) * _TO_MHZ[u.lower()] for v, u in _NUMBER_UNIT.findall(text)]
    if not values and letter is None:
        return None
    return Band(min(values) if values else None, max(values) if values else None,
                letter.group(1) if letter else "")


def interference_of(text: str) -> str | None:
    t = text.lower()
    for words, kind in ((("spoof",), "spoofing"), (("jam",), "jamming"), (("laser",), "laser"),
                        (("kinetic",), "kinetic"), (("space wx", "space weather"), "space-weather"),
                        (("cyber", "intrusion"), "cyber-intrusion"), (("rpo", "proximity"), "rpo")):
        if any(w in t for w in words):
            return kind
    return "unknown-emi" if re.search(r"\b(emi|rfi|interference)\b", t) else None


def _status(text: str) -> str:
    t = text.lower()
    if re.search(r"\bnon[- ]?operational|\bnot operational", t):
        return "non-operational"
    if "degraded" in t:
        return "degraded"
    return "operational" if "operational" in t else "unknown"


def _clean_name(text: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", re.sub(r"NORAD ID\s*#?\s*\d+", "", text)).strip(" ,:;-")


class _Notional:
    """One report in the notional format being read (see :func:`parse_notional`)."""

    def __init__(self, text: str, source: str, first_line: int, contributor: Contributor,
                 vocabulary: Vocabulary | None, obfuscated: bool | None) -> None:
        self.source, self.first_line, self.who, self.vocabulary = source, first_line, contributor, vocabulary
        self.raw = text
        lines = normalise_markdown(text).split("\n")
        poc = next((i for i, line in enumerate(lines) if _POC.match(line.strip())), len(lines))
        self.main = [(first_line + i, line) for i, line in enumerate(lines[:poc])]
        self.poc = [(first_line + poc + i, line) for i, line in enumerate(lines[poc:])]
        self.text = "\n".join(line for _, line in self.main + self.poc)
        self.obfuscated = obfuscated if obfuscated is not None else bool(re.search(r"obfuscat", self.text, re.I))
        self.out = ReadResult()
        self.notes: list[str] = []

    def warn(self, line: int, field_name: str, reason: str, value: str = "") -> None:
        self.out.warnings.append(Rejection(self.source, line, field_name, reason, value[:200]))

    def reject(self, line: int, field_name: str, reason: str, value: str = "") -> None:
        self.out.rejections.append(Rejection(self.source, line, field_name, reason, value[:200]))

    def read(self) -> ReadResult:
        sections, items, summary = _items(self.main)
        by_name: dict[str, _Item] = {}
        for item in items:
            if item.name and item.name not in ("norad", "incident_point"):
                by_name.setdefault(item.name, item)
        title = sections.get("TITLE", ("", 0))[0]
        if not title:
            self.reject(self.first_line, "TITLE", "missing: not in the Space ISAC notional reporting format (TITLE:, "
                        "SUMMARY:, ANOMALY DETAILS:, SATELLITE/SENSOR DETAILS:)")
            return self.out
        interference = self._type(by_name.get("type"))
        start, stop, scale = self._times(by_name)
        if interference is None or start is None:
            return self.out
        states = {k: self._state(by_name.get(k), scale) for k in ("location_start", "location_end")}
        self._check_dates(by_name, start, states["location_start"])
        satellites = self._satellites(items, summary)
        sparta = list(dict.fromkeys(_SPARTA_ANYWHERE.findall(self.text)))
        if sparta:
            checked = check_ids(sparta, self.vocabulary, self.source, self.first_line)
            for bad in checked.rejections:
                self.warn(self.first_line, "SPARTA", bad.reason, bad.value)
            if checked.note:
                self.notes.append(checked.note)
            sparta = list(checked.accepted)
        link = next((w for w in ("downlink", "uplink") if re.search(rf"\b{w}", self.text, re.IGNORECASE)), "")
        if link:
            self.notes.append(f"segment 'link' ({link}): the report speaks of {link} interference")
        else:
            self.notes.append("segment 'space': the notional format reports effects on a satellite or its sensor")
        effect = self._value(by_name.get("sensor_effect"))
        impact = max((IMPACT_TECHNIQUES[t] for t in sparta if t in IMPACT_TECHNIQUES),
                     key=IMPACT_LEVELS.index, default="none" if effect.lower() == "none" else "unknown")
        for item in items:
            if not item.name:
                self.notes.append(f"item kept as written: {item.value}")
        try:
            report = IsacReport(
                id=report_id(self.source, title, start), title=title, start_utc=start, stop_utc=stop,
                interference=interference, summary=summary, reported_utc=self.who.reported_utc,
                segment="link" if link else "space", band=self._band(by_name.get("frequency")),
                locations=tuple(self._locations(items, satellites)), satellites=tuple(satellites),
                constellation=_clean_name(self._value(by_name.get("constellation"))), link=link,
                payload_impact=effect, impact_level=impact,
                post_event_status=_status(self._value(by_name.get("status"))), sparta_ids=tuple(sparta),
                attack_ids=tuple(dict.fromkeys(_ATTACK_ANYWHERE.findall(self.text))), pap=self.who.pap,
                marking=self.who.marking, reporter=self.who.reporter, pseudonym=self.who.pseudonym,
                disclosure=self.who.disclosure, sensor_range=self._band(by_name.get("sensor_range")),
                sensor_fov_deg=self._fov(by_name.get("fov")), pointing=tuple(self._pointing(by_name.get("pointing"),
                                                                                            scale)),
                state_start=states["location_start"], state_end=states["location_end"],
                polarization=self._value(by_name.get("polarization")),
                beam_format=self._value(by_name.get("beam_format")), pulse=self._value(by_name.get("pulse")),
                laser_colour=self._value(by_name.get("laser_colour")),
                event_association=self._value(by_name.get("association")),
                norad_ids_obfuscated=self.obfuscated, references=tuple(dict.fromkeys(_URL.findall(self.raw))),
                notes=tuple(self.notes), source=self.source)
        except IsacError as error:
            self.reject(self.first_line, error.field, error.reason, error.value)
            return self.out
        self.out.reports.append(report)
        return self.out

    def _value(self, item: _Item | None) -> str:
        if item is None or _empty(item.value):
            return ""
        return item.value

    def _type(self, item: _Item | None) -> str | None:
        if item is None or _empty(item.value):
            self.reject(item.line if item else self.first_line, "TYPE", "missing: the anomaly type (EMI, Laser, "
                        "Kinetic, Jamming, Spoofing, Space WX ...) is required")
            return None
        kind = interference_of(item.value)
        if kind is None:
            self.reject(item.line, "TYPE", "not an anomaly type Kompas knows (EMI/RFI/interference, jamming, "
                        "spoofing, laser, kinetic, cyber intrusion, RPO, space weather)", item.value)
            return None
        self.notes.append(f"TYPE {item.value!r} read as {kind}")
        return kind

    def _times(self, by_name: dict[str, _Item]) -> tuple[str | None, str | None, str]:
        date_item = by_name.get("date")
        day = _date(date_item.value) if date_item else None
        out: list[str | None] = []
        scales = set()
        start_at: np.datetime64 | None = None
        for key in ("start_time", "stop_time"):
            item = by_name.get(key)
            clock = _clock(item.value) if item else None
            if item is None or clock is None:
                if key == "start_time":
                    self.reject(item.line if item else self.first_line, "START TIME", "missing or not a time "
                                "(hh:mm:ss[.fff] UTC|GPS)", item.value if item else "")
                out.append(None)
                continue
            own = _date(item.value)
            when_day = own or day
            if when_day is None:
                self.reject(item.line, "DATE", "no date for the start time (DATE, or a date after the time)",
                            date_item.value if date_item else "")
                out.append(None)
                continue
            try:
                moment = _moment(when_day, clock)
            except ValueError:
                self.reject(item.line, key.upper().replace("_", " "), "not a valid date and time", item.value)
                out.append(None)
                continue
            if key == "stop_time" and start_at is not None and moment < start_at and own is None:
                moment += np.timedelta64(1, "D")
                self.notes.append("STOP TIME earlier than START TIME on the same DATE: taken on the next day")
            if key == "start_time":
                start_at = moment
            scale = clock[3] or "UTC"
            if not clock[3]:
                self.notes.append(f"{key.upper().replace('_', ' ')} has no time scale: read as UTC")
            scales.add(scale)
            if scale == "GPS":
                moment = gps_to_utc(moment)
            out.append(utc_text_ns(moment))
        if "GPS" in scales:
            self.notes.append("START/STOP TIME given in GPS time: converted to UTC (GPS = TAI - 19 s; TAI - UTC "
                              "from ERFA's leap-second table)")
        return out[0], out[1], "GPS" if "GPS" in scales else "UTC"

    def _check_dates(self, by_name: dict[str, _Item], start: str, state: EcefState | None) -> None:
        initial = by_name.get("initial_start_date")
        day = _date(initial.value) if initial else None
        if initial and day:
            gap = abs((np.datetime64(f"{day[0]:04d}-{day[1]:02d}-{day[2]:02d}") - np.datetime64(start[:10]))
                      / np.timedelta64(1, "D"))
            if gap > 1:
                self.warn(initial.line, "Initial Start Date", f"{initial.value} differs from START TIME/Date "
                          f"({start[:10]}) by {gap:.0f} days: START TIME/Date used", initial.value)
        date_item = by_name.get("date")
        if state is not None and date_item is not None:
            gap = abs((np.datetime64(state.time_utc.rstrip("Z")) - np.datetime64(start.rstrip("Z")))
                      / np.timedelta64(1, "D"))
            if gap > 1:
                self.warn(date_item.line, "DATE", f"the anomaly start {start[:19]}Z is {gap:.0f} days from the "
                          f"satellite location time {state.time_utc[:19]}Z: DATE kept as written", date_item.value)

    def _state(self, item: _Item | None, scale: str) -> EcefState | None:
        if item is None:
            return None
        time = re.search(_QUOTED.format(key="time") + r'"([^"]+)"', item.value)
        vectors = {}
        for key in ("position", "velocity"):
            found = re.search(_QUOTED.format(key=key) + r"\[([^\]]*)\]", item.value)
            if found:
                try:
                    vectors[key] = [float(v) for v in found.group(1).split(",")]
                except ValueError:
                    self.warn(item.line, item.label, f"{key} is not a list of numbers: state not kept",
                              found.group(1))
                    return None
        if time is None or "position" not in vectors:
            if re.search(r"\d", item.value.replace("N/A", "")):
                self.warn(item.line, item.label, "no \"time\" and \"position\" [x, y, z] found: state not kept",
                          item.value)
            return None
        gps = "GPS" in item.hint.upper() or scale == "GPS"
        try:
            moment = np.datetime64(time.group(1).rstrip("Z"), "ns")
            if gps:
                moment = gps_to_utc(moment)
            velocity = vectors.get("velocity")
            state = EcefState(utc_text_ns(moment), tuple(v / 1000.0 for v in vectors["position"]),  # type: ignore[arg-type]
                              None if velocity is None else tuple(v / 1000.0 for v in velocity))  # type: ignore[arg-type]
        except (ValueError, IsacError) as error:
            reason = error.reason if isinstance(error, IsacError) else str(error)
            self.warn(item.line, item.label, f"{reason} (SATIS gives metres and m/s): state not kept", item.value)
            return None
        self.notes.append(f"{item.label}: ECEF metres and m/s stored as km and km/s"
                          + ("; GPS time converted to UTC" if gps else ""))
        return state

    def _pointing(self, item: _Item | None, scale: str) -> list[Attitude]:
        if item is None or not re.search(r"\d", item.value):
            return []
        time = re.search(_QUOTED.format(key="time") + r'"([^"]+)"', item.value)
        quaternion = re.search(_QUOTED.format(key="attitude") + r"\[([^\]]*)\]", item.value)
        if time is None or quaternion is None:
            self.warn(item.line, item.label, "no \"time\" and \"attitude\" quaternion [q1, q2, q3, q4] found: "
                      "pointing not kept", item.value)
            return []
        try:
            moment = np.datetime64(time.group(1).rstrip("Z"), "ns")
            moment = gps_to_utc(moment) if scale == "GPS" or "GPS" in item.hint.upper() else moment
            return [Attitude(utc_text_ns(moment), tuple(float(v) for v in quaternion.group(1).split(",")))]  # type: ignore[arg-type]
        except (ValueError, IsacError) as error:
            reason = error.reason if isinstance(error, IsacError) else str(error)
            self.warn(item.line, item.label, f"{reason}: pointing not kept", item.value)
            return []

    def _band(self, item: _Item | None) -> Band | None:
        if item is None or _empty(item.value):
            return None
        try:
            band = _band_of(item.value)
        except IsacError as error:
            self.warn(item.line, item.label, f"{error.reason}: band not kept", item.value)
            return None
        if band is None:
            self.warn(item.line, item.label, "no frequency (number with Hz, kHz, MHz, GHz) or letter band found: "
                      "band not kept", item.value)
        return band

    def _fov(self, item: _Item | None) -> float | None:
        if item is None or _empty(item.value):
            return None
        found = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(?:deg|degrees|°)", item.value, re.IGNORECASE)
        if not found:
            self.warn(item.line, item.label, "not an angle in degrees: field of view not kept", item.value)
            return None
        return float(found.group(1))

    def _satellites(self, items: list[_Item], summary: str) -> list[Satellite]:
        pairs: list[tuple[int | None, str]] = []
        for found in re.finditer(r"([A-Z][\w\-]*(?: [\w\-]+)*?)\s*\(NORAD ID\s*#?\s*(\d+)\)", summary):
            pairs.append((int(found.group(2)), found.group(1)))
        pairs += [(int(n), "") for n in re.findall(r"NORAD ID\s*#\s*(\d+)", summary)]
        for item in items:
            if item.name == "norad":
                numbered = re.match(r"^(\d+)\s*,?\s*(.*)$", item.value)
                if numbered:
                    pairs.append((int(numbered.group(1)), _clean_name(numbered.group(2))))
                if "obfuscat" in item.label.lower():
                    self.obfuscated = True
            elif item.name == "satellites" and not _empty(item.value):
                if "NORAD" in item.value.upper():
                    numbers = [int(n) for n in re.findall(r"\b(\d{4,9})\b", item.value)]
                    name = _clean_name(item.value) if len(numbers) == 1 else ""
                    pairs += [(n, name) for n in numbers]
                else:
                    pairs.append((None, _clean_name(item.value)))
        by_id: dict[int, str] = {}
        names: list[str] = []
        for norad, name in pairs:
            if norad is None:
                if name and name not in names:
                    names.append(name)
            elif not by_id.get(norad):
                by_id[norad] = name
        named = set(by_id.values())
        loose = [n for n in names if n not in named]
        unnamed = [k for k, v in by_id.items() if not v]
        if len(loose) == 1 and len(unnamed) == 1:
            by_id[unnamed[0]] = loose.pop()
        try:
            return [Satellite(k, v) for k, v in by_id.items()] + [Satellite(None, n) for n in loose]
        except IsacError as error:
            self.warn(self.first_line, "NORAD ID", error.reason, error.value)
            return [Satellite(None, n) for n in loose]

    def _locations(self, items: list[_Item], satellites: list[Satellite]) -> list[Location]:
        out: list[Location] = []
        current: int | None = None
        for item in items:
            if item.name == "norad":
                found = re.match(r"^(\d+)", item.value)
                current = int(found.group(1)) if found else current
            elif item.name == "incident_point":
                found = re.match(r"^(-?\d+(?:\.\d+)?)[\s,]+(-?\d+(?:\.\d+)?)\s*$", item.value)
                if not found:
                    self.warn(item.line, item.label, "not 'lat long' in degrees: location not kept", item.value)
                    continue
                try:
                    out.append(Location(float(found.group(1)), float(found.group(2)), norad_id=current,
                                        label=f"RF EMI Incident {item.extra.get('number', '')}".strip()))
                except IsacError as error:
                    self.warn(item.line, item.label, f"{error.reason}: location not kept", item.value)
        if out:
            self.notes.append(f"{len(out)} interference locations (lat, long as the report orders them)")
        only = satellites[0].norad_id if len(satellites) == 1 else None
        for k, (number, line) in enumerate(self.poc):
            found = _LAT_LONG.search(line)
            if not found:
                continue
            before = " ".join(text for _, text in self.poc[max(0, k - 3):k]).upper()
            kind = "sub-satellite" if "SATELLITE LOCATION" in before else "interference"
            try:
                out.append(Location(float(found.group("lat").replace(" ", "")),
                                    float(found.group("lon").replace(" ", "")), norad_id=only,
                                    label=(found.group("label") or "").strip(" -"), kind=kind))
                self.notes.append(f"line {number}: {kind} location read from the STIX proof-of-concept section")
            except IsacError as error:
                self.warn(number, "location", f"{error.reason}: location not kept", line)
        return out


def parse_notional(text: str, source: str = "isac-text", first_line: int = 1,
                   contributor: Contributor | None = None, vocabulary: Vocabulary | None = None,
                   obfuscated: bool | None = None) -> ReadResult:
    """One report in the Space ISAC notional reporting format (module docstring), with its rejections and
    warnings, line numbers counted from ``first_line``. ``contributor``: who contributed it and under what
    marking, PAP and disclosure (anonymous by default); ``vocabulary``: check SPARTA ids against it (unknown ones
    are warned about and left out); ``obfuscated``: whether its NORAD ids are obfuscated (default: when the text
    says so)."""
    return _Notional(text, source, first_line, contributor or Contributor(), vocabulary, obfuscated).read()


def parse_satis_document(text: str, source: str = "satis", contributor: Contributor | None = None,
                         vocabulary: Vocabulary | None = None) -> ReadResult:
    """Every use case of the text of the SATIS proof-of-concept document (``stix-mapping-proof-of-concept.md``,
    read from ``../shared`` only: an OASIS TC contribution, not openly licensed; :func:`kompas.isac.load.
    read_satis_document` reads the file). Source of each: ``SOURCE#use-case-N``, lines those of the file. The
    document says member data was obfuscated: a use case that cites no public source (no URL) is read with
    ``norad_ids_obfuscated`` True."""
    out = ReadResult()
    for case in satis_use_cases(text):
        public = bool(_URL.search(case.text))
        out.extend(parse_notional(case.text, f"{source}#use-case-{case.number}", case.first_line, contributor,
                                  vocabulary, obfuscated=None if public else True))
    return out
