"""Airfields and their runways from OurAirports ``runways.csv`` joined to the airportsdata list (pure: text in).

Sources: OurAirports (davidmegginson/ourairports-data, public domain) for runways; airportsdata (MIT, © Mike
Borsetti) for the airport names, positions and countries, because OurAirports' own ``airports.csv`` is not in the
shared snapshot. **The join is** ``runways.airport_ident == airportsdata.icao``: it matches 26,193 of 48,184 runway
rows worldwide; the rest are mostly small fields with local OurAirports idents (see the shared PROVENANCE.md).

Units: runway lengths and widths m (the source's feet x 0.3048); coordinates WGS84 degrees.

**Paved or not.** OurAirports' ``surface`` is free text (ASP, ASPH-G, CON, CONC, TURF, GRS, "Asphalt", "grass
paved with a plastic grille"...). It is read as words (split at ``/``, ``-``, ``,``, ``&``, spaces) after dropping the
FAA condition suffixes (``-E`` excellent, ``-G`` good, ``-F`` fair, ``-P`` poor, ``-L`` failed). A runway is paved when
at least one word is in :data:`PAVED_WORDS` and none is in :data:`UNPAVED_WORDS` (so "ASPH/GRVL", part gravel, is
not paved, and "grass paved with a plastic grille" is not either); anything else, unknown words and "UNK"
included, counts as unpaved: a runway not known to be paved is not offered to an aircraft that needs pavement.

**The runway rule** (:func:`usable`): an airfield can take an aircraft when one of its open runways is at least the
aircraft's :class:`~kompas.mobility.aircraft.RunwayRule` length and width and is paved (or the aircraft may use
unpaved strips). A runway whose width OurAirports does not record is taken as wide enough, and the answer says so.
Runway strength (PCN against the aircraft's ACN) is not in the data and not checked.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kompas.mobility.aircraft import Aircraft
from kompas.mobility.model import Airfield, Runway
from kompas.rejections import Rejection

FT_M = 0.3048  #: metres per international foot
SOURCE = "OurAirports runways.csv (public domain) joined to airportsdata airports.csv (MIT, © Mike Borsetti)"
#: Surface words read as pavement: asphalt, concrete, bitumen, tarmac, PEM (partly concrete, asphalt or bitumen-bound
#: macadam, FAA), paved. Codes of unclear meaning (single letters, COP, COM) are not in it.
PAVED_WORDS = frozenset({"ASP", "ASPH", "ASPHALT", "ASHPALT", "ASPHALTIC", "CON", "CONC", "CONCRETE", "BIT",
                         "BITUMEN", "BITUMINOUS", "TAR", "TARMAC", "PEM", "PAVED"})
#: Surface words that make a runway unpaved whatever else it says (grass, turf, gravel, earth, sand, water, ice...).
UNPAVED_WORDS = frozenset({"TURF", "GRS", "GRASS", "GRAS", "GRASSY", "GRE", "GRA", "GR", "G", "GVL", "GRVL", "GRAVEL",
                           "DIRT", "EARTH", "SOIL", "CLAY", "SAND", "SAN", "WATER", "WAT", "ICE", "SNOW", "MATS",
                           "WOOD", "OILGRAVEL", "OLIGRAVEL", "UNK", "UNKNOWN", "X", "L", "N", "S", "ROOF", "TOP",
                           "MET", "PSP", "LATERITE", "CORAL", "SHALE", "SOD", "STEEL", "GRILLE", "PLASTIC"})
_CONDITION = re.compile(r"-(E|G|F|P|L)$")
_SPLIT = re.compile(r"[/\-,&+\s]+")
_RUNWAY_COLUMNS = ("id", "airport_ident", "length_ft", "width_ft", "surface", "lighted", "closed", "le_ident",
                   "he_ident")
_AIRPORT_COLUMNS = ("icao", "name", "country", "lat", "lon")


def paved(surface: str) -> bool:
    """Whether an OurAirports ``surface`` text means a paved runway (the module docstring's rule)."""
    text = _CONDITION.sub("", surface.strip().upper())
    words = [w for w in _SPLIT.split(text) if w]
    return any(w in PAVED_WORDS for w in words) and not any(w in UNPAVED_WORDS for w in words) and \
        all(w in PAVED_WORDS or w in {"PAVED", "WITH", "AND", "OR"} for w in words)


@dataclass(frozen=True)
class RunwayRow:
    """One runway of ``runways.csv`` with the ident of its airport (ICAO or OurAirports local ident)."""

    airport_ident: str
    runway: Runway


@dataclass(frozen=True)
class AirportRow:
    """One airport of ``airports.csv`` (airportsdata): ICAO code, name, country ISO-2, position (degrees)."""

    icao: str
    name: str
    country: str
    lat: float
    lon: float


def _reader(text: str, source: str, columns: Iterable[str]) -> tuple[csv.DictReader[str] | None, list[Rejection]]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in columns if c not in header]
    if missing:
        return None, [Rejection(source, 0, ",".join(missing), "column(s) missing from the header")]
    return reader, []


def _feet(value: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError("not a positive length")
    return number * FT_M


def parse_runways(text: str, source: str) -> tuple[list[RunwayRow], list[Rejection]]:
    """The runways of an OurAirports ``runways.csv`` text, and one :class:`Rejection` per bad row (line numbers
    of the text): a row without ``airport_ident`` or with a missing, non-numeric or non-positive ``length_ft`` is
    dropped; a bad ``width_ft`` is reported and the runway kept with the width unknown (``None``; an empty width is
    just unknown, not an error). Runway ids are ``IDENT:LE/HE`` (e.g. ``EPWA:11/29``)."""
    reader, rejections = _reader(text, source, _RUNWAY_COLUMNS)
    if reader is None:
        return [], rejections
    rows: list[RunwayRow] = []
    for row in reader:
        line = reader.line_num
        ident = (row.get("airport_ident") or "").strip().upper()
        if not ident:
            rejections.append(Rejection(source, line, "airport_ident", "empty"))
            continue
        raw_length = (row.get("length_ft") or "").strip()
        try:
            length = _feet(raw_length)
        except ValueError:
            reason = "empty: the runway's length is unknown" if not raw_length else "not a positive number of feet"
            rejections.append(Rejection(source, line, "length_ft", f"{ident}: {reason}", raw_length))
            continue
        raw_width = (row.get("width_ft") or "").strip()
        width: float | None = None
        if raw_width:
            try:
                width = _feet(raw_width)
            except ValueError:
                rejections.append(Rejection(source, line, "width_ft", f"{ident}: not a positive number of feet "
                                                                      "(runway kept, width unknown)", raw_width))
        ends = "/".join(e for e in ((row.get("le_ident") or "").strip(), (row.get("he_ident") or "").strip()) if e)
        surface = (row.get("surface") or "").strip()
        runway = Runway(id=f"{ident}:{ends or 'runway-' + (row.get('id') or str(line)).strip()}", length_m=length,
                        width_m=width, surface=surface, paved=paved(surface),
                        lighted=(row.get("lighted") or "").strip() == "1",
                        closed=(row.get("closed") or "").strip() == "1")
        rows.append(RunwayRow(ident, runway))
    return rows, rejections


def parse_airports(text: str, source: str) -> tuple[dict[str, AirportRow], list[Rejection]]:
    """The airports of an airportsdata ``airports.csv`` text by ICAO code, and one :class:`Rejection` per bad row:
    an empty ``icao``, a latitude or longitude that is not a number in range, or an ICAO code listed twice (the
    first is kept)."""
    reader, rejections = _reader(text, source, _AIRPORT_COLUMNS)
    if reader is None:
        return {}, rejections
    airports: dict[str, AirportRow] = {}
    for row in reader:
        line = reader.line_num
        icao = (row.get("icao") or "").strip().upper()
        if not icao:
            rejections.append(Rejection(source, line, "icao", "empty"))
            continue
        try:
            lat, lon = float(row.get("lat") or ""), float(row.get("lon") or "")
        except ValueError:
            rejections.append(Rejection(source, line, "lat/lon", f"{icao}: not numbers",
                                        f"{row.get('lat')},{row.get('lon')}"))
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            rejections.append(Rejection(source, line, "lat/lon", f"{icao}: out of range", f"{lat},{lon}"))
            continue
        if icao in airports:
            rejections.append(Rejection(source, line, "icao", f"{icao}: listed twice (the first is kept)", icao))
            continue
        airports[icao] = AirportRow(icao, (row.get("name") or "").strip(), (row.get("country") or "").strip().upper(),
                                    lat, lon)
    return airports, rejections


def airfields(runways: Iterable[RunwayRow], airports: Mapping[str, AirportRow],
              countries: Iterable[str] | None = None) -> dict[str, Airfield]:
    """Airfields keyed ``icao:XXXX``: every airport of ``airports`` (in ``countries``, ISO-2, when given) with at
    least one runway whose ``airport_ident`` is its ICAO code; runways sorted longest first."""
    wanted = None if countries is None else {c.upper() for c in countries}
    grouped: dict[str, list[Runway]] = {}
    for row in runways:
        airport = airports.get(row.airport_ident)
        if airport is None or (wanted is not None and airport.country not in wanted):
            continue
        grouped.setdefault(airport.icao, []).append(row.runway)
    out: dict[str, Airfield] = {}
    for icao, found in sorted(grouped.items()):
        airport = airports[icao]
        found.sort(key=lambda r: (-r.length_m, r.id))
        out[f"icao:{icao}"] = Airfield(id=f"icao:{icao}", name=airport.name, lon=airport.lon, lat=airport.lat,
                                       country=airport.country, runways=tuple(found), source=SOURCE)
    return out


def unmatched(runways: Iterable[RunwayRow], airports: Mapping[str, AirportRow]) -> int:
    """How many runway rows have no airport of ``airports`` under their ``airport_ident`` (the join's loss)."""
    return sum(1 for row in runways if row.airport_ident not in airports)


def _size(runway: Runway) -> str:
    width = f" x {runway.width_m:,.0f} m" if runway.width_m is not None else " (width not recorded)"
    return f"{runway.length_m:,.0f} m{width} {runway.surface or 'surface not recorded'}"


def _rule(aircraft: Aircraft) -> str:
    rule = aircraft.runway
    width = f" x {rule.width_m:g} m" if rule.width_m is not None else ""
    surface = "paved or unpaved" if rule.unpaved else "paved"
    return f"{aircraft.name}'s minimum {rule.length_m:,.0f} m{width}, {surface}"


LENGTH_TOLERANCE_M = 0.5  #: runways are listed in whole feet: 4,593 ft is 1,399.95 m, not short of 1,400 m


def _shortfalls(runway: Runway, aircraft: Aircraft) -> list[str]:
    rule = aircraft.runway
    out = []
    if runway.length_m + LENGTH_TOLERANCE_M < rule.length_m:
        out.append(f"{runway.length_m:,.0f} m long < {rule.length_m:,.0f} m")
    if rule.width_m is not None and runway.width_m is not None and runway.width_m < rule.width_m:
        out.append(f"{runway.width_m:,.0f} m wide < {rule.width_m:g} m")
    if not rule.unpaved and not runway.paved:
        out.append(f"surface {runway.surface or 'not recorded'} not paved")
    return out


def usable(airfield: Airfield, aircraft: Aircraft) -> tuple[bool, str]:
    """Whether ``aircraft`` can use ``airfield`` by the runway rule (module docstring), and why: the runway that
    qualifies (``"EPWA:11/29 3,690 m x 60 m ASPH meets C-17A's minimum 1,067 m x 27.4 m, paved or unpaved"``) or,
    when none does, the longest open runway (paved, when the aircraft needs pavement) and what it lacks."""
    open_runways = [r for r in airfield.runways if not r.closed]
    if not open_runways:
        closed = len(airfield.runways)
        return False, f"{airfield.id}: no open runway ({closed} closed) for {_rule(aircraft)}"
    for runway in sorted(open_runways, key=lambda r: -r.length_m):
        if not _shortfalls(runway, aircraft):
            note = "; width not recorded, taken as sufficient" if runway.width_m is None and \
                aircraft.runway.width_m is not None else ""
            return True, f"{runway.id} {_size(runway)} meets {_rule(aircraft)}{note}"
    candidates = open_runways if aircraft.runway.unpaved else [r for r in open_runways if r.paved] or open_runways
    best = max(candidates, key=lambda r: r.length_m)
    kind = "longest open runway" if aircraft.runway.unpaved or not best.paved else "longest open paved runway"
    return False, f"{kind} {best.id} {_size(best)}: {'; '.join(_shortfalls(best, aircraft))} ({_rule(aircraft)})"


def able(fields: Mapping[str, Airfield], aircraft: Aircraft) -> dict[str, str]:
    """The airfields of ``fields`` that ``aircraft`` can use, id -> the runway that qualifies (see :func:`usable`)."""
    out = {}
    for key, airfield in fields.items():
        ok, reason = usable(airfield, aircraft)
        if ok:
            out[key] = reason
    return out


def unusable(fields: Mapping[str, Airfield], aircraft: Aircraft) -> dict[str, str]:
    """The airfields of ``fields`` that ``aircraft`` cannot use, id -> why (the form :func:`route.with_runways`
    takes)."""
    out = {}
    for key, airfield in fields.items():
        ok, reason = usable(airfield, aircraft)
        if not ok:
            out[key] = reason
    return out
