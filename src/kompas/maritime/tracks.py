"""One time-ordered track per vessel from decoded AIS, with its static data and its data errors flagged (no I/O).

Building a track:

1. positions without a receive time are reported (a track needs time) and kept out;
2. the rest are ordered by (MMSI, time); the same report heard by several stations (same MMSI, position and time
   within :data:`DUPLICATE_S`) is kept once and counted;
3. **position jumps** are data errors: a fix that the vessel could reach from neither neighbour (the speed implied by
   the distance, less :data:`POSITION_NOISE_M` of GPS noise, above :data:`MAX_SPEED_KN` both in and out) while the
   neighbours are consistent with each other is taken out of the track and reported as a ``position_jump`` event;
4. **speed glitches** are data errors: a reported speed over ground above what the positions allow (more than
   :data:`SOG_GLITCH_KN` knots above the speed implied by the fixes around it, and at least three times it, or the
   102.2 kn ceiling while the positions say otherwise) is blanked and reported as a ``speed_glitch`` event (the
   Danish Maritime Authority's LOTUS case: SOG 102.2 kn at anchor);
5. static data (name, call sign, IMO, type, dimensions) is the latest report per field; the flag comes from the MID.

Detectors (:mod:`kompas.maritime.detect`) then read the cleaned tracks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from kompas.maritime.geo import KNOT_MS, haversine_m
from kompas.maritime.model import Ingest, Positions, StaticReport
from kompas.maritime.registry import Flag, flag_of, station
from kompas.rejections import Rejection

DUPLICATE_S = 2.0  #: seconds; the same report heard by two stations within this is one report
MAX_SPEED_KN = 60.0  #: knots; faster than any merchant ship or patrol craft AIS tracks (high-speed craft reach ~50)
POSITION_NOISE_M = 100.0  #: metres of GPS and timing noise allowed before a jump is counted
SOG_GLITCH_KN = 20.0  #: knots above the implied speed for a reported speed to be a glitch
SOG_CEILING = 102.2  #: knots; AIS's "102.2 or more": never a real merchant ship's speed


@dataclass
class Vessel:
    """What static reports and the MMSI say about a vessel."""

    mmsi: int
    name: str = ""
    callsign: str = ""
    imo: int = 0
    ship_type: int = 0
    length_m: int = 0
    beam_m: int = 0
    draught_m: float = 0.0
    destination: str = ""
    station: str = "ship"  #: see :func:`kompas.maritime.registry.station`; "unknown" for a source's own ids
    flag: Flag | None = None
    names: tuple[str, ...] = ()  #: every distinct name reported (identity changes show here)
    imos: tuple[int, ...] = ()  #: every distinct IMO reported

    def label(self) -> str:
        """``NAME (MMSI)`` or the MMSI alone."""
        return f"{self.name} ({self.mmsi})" if self.name else str(self.mmsi)


@dataclass
class Track:
    """One vessel's fixes in time order (columns as in :class:`~kompas.maritime.model.Positions`)."""

    vessel: Vessel
    fixes: Positions

    @property
    def mmsi(self) -> int:
        return self.vessel.mmsi

    def __len__(self) -> int:
        return len(self.fixes)


@dataclass
class DataError:
    """A data error found while building tracks: the rows it concerns (indices into the track's fixes before the
    error was taken out) and why."""

    kind: str  #: "position_jump" or "speed_glitch"
    mmsi: int
    index: int  #: the fix's index in the track's fixes (for a position jump: in the track before removal)
    evidence: Positions  #: the fix and its neighbours
    reason: str


@dataclass
class Built:
    """The tracks, the data errors found, rejections (no time) and counts."""

    tracks: list[Track]
    errors: list[DataError] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    mid_table: bool = False  #: whether MIDs were looked up (else no flag is not an anomaly)
    #: MMSIs heard in two places at once: (mmsi, the second place's fixes, median distance between them in m)
    doubles: list[tuple[int, Positions, float]] = field(default_factory=list)


def _vessels(statics: list[StaticReport], flags: dict[int, Flag]) -> dict[int, Vessel]:
    """The latest value per field of each MMSI's static reports."""
    ordered = sorted(statics, key=lambda s: (s.mmsi, -math.inf if math.isnan(s.t) else s.t))
    vessels: dict[int, Vessel] = {}
    for report in ordered:
        vessel = vessels.get(report.mmsi)
        if vessel is None:
            vessel = vessels[report.mmsi] = Vessel(report.mmsi)
        if report.name:
            vessel.name = report.name
            if report.name not in vessel.names:
                vessel.names += (report.name,)
        if report.callsign:
            vessel.callsign = report.callsign
        if report.imo:
            vessel.imo = report.imo
            if report.imo not in vessel.imos:
                vessel.imos += (report.imo,)
        if report.ship_type:
            vessel.ship_type = report.ship_type
        if report.length_m:
            vessel.length_m = report.length_m
        if report.beam_m:
            vessel.beam_m = report.beam_m
        if report.draught:
            vessel.draught_m = report.draught
        if report.destination:
            vessel.destination = report.destination
    for mmsi, vessel in vessels.items():
        vessel.station = station(mmsi)[0]
        vessel.flag = flag_of(mmsi, flags)
    return vessels


def _neighbours(fixes: Positions, index: int, reach: int = 2) -> Positions:
    lo, hi = max(0, index - reach), min(len(fixes), index + reach + 1)
    return fixes.take(np.arange(lo, hi))


def _jumps(fixes: Positions) -> np.ndarray:
    """Indices of fixes the vessel could reach from neither neighbour while the neighbours agree."""
    n = len(fixes)
    if n < 3:
        return np.zeros(0, dtype=np.int64)
    dist = haversine_m(fixes.lat[:-1], fixes.lon[:-1], fixes.lat[1:], fixes.lon[1:])
    dt = np.maximum(np.diff(fixes.t), 1.0)
    too_fast = (dist - POSITION_NOISE_M) / dt > MAX_SPEED_KN * KNOT_MS
    inner = np.flatnonzero(too_fast[:-1] & too_fast[1:]) + 1
    if not inner.size:
        return inner
    skip = haversine_m(fixes.lat[inner - 1], fixes.lon[inner - 1], fixes.lat[inner + 1], fixes.lon[inner + 1])
    skip_dt = np.maximum(fixes.t[inner + 1] - fixes.t[inner - 1], 1.0)
    return inner[(skip - POSITION_NOISE_M) / skip_dt <= MAX_SPEED_KN * KNOT_MS]


DOUBLE_MIN_FIXES = 3  #: fixes a second place needs to be one (fewer are position jumps)
DOUBLE_MIN_M = 10_000.0  #: metres apart (median) for two places to be two transmitters, not GPS trouble
_RECENT = 4  #: places a fix is tried against (the most recently heard)


def _split_doubles(fixes: Positions) -> tuple[Positions, tuple[Positions, float] | None]:
    """Fixes split into places by reachability (GFW-style segmenting): each fix joins the recently heard place it
    could reach at the lowest speed (at most :data:`MAX_SPEED_KN`), else starts one. When a second place of at least
    :data:`DOUBLE_MIN_FIXES` fixes overlaps the largest in time, more than :data:`DOUBLE_MIN_M` away, the MMSI is in
    two places: returns (the largest place, (the second place, median distance m)); else (fixes, None)."""
    n = len(fixes)
    lat, lon, t = fixes.lat, fixes.lon, fixes.t
    places: list[list[int]] = []
    for i in range(n):
        best, best_speed = -1, math.inf
        for k in range(max(0, len(places) - _RECENT), len(places)):
            j = places[k][-1]
            speed = max(float(haversine_m(lat[j], lon[j], lat[i], lon[i])) - POSITION_NOISE_M, 0.0) / max(
                t[i] - t[j], 1.0) / KNOT_MS
            if speed <= MAX_SPEED_KN and speed < best_speed:
                best, best_speed = k, speed
        if best < 0:
            places.append([i])
        else:
            places[best].append(i)
            places.append(places.pop(best))  # the most recently heard last
    places.sort(key=len, reverse=True)
    main = places[0]
    for other in places[1:]:
        if len(other) < DOUBLE_MIN_FIXES:
            break
        if t[other[0]] > t[main[-1]] or t[other[-1]] < t[main[0]]:
            continue  # not at the same time: one vessel that moved while unheard
        nearest = np.clip(np.searchsorted(t[main], t[other]), 0, len(main) - 1)
        apart = float(np.median(haversine_m(lat[other], lon[other], lat[main][nearest], lon[main][nearest])))
        if apart < DOUBLE_MIN_M:
            continue
        keep = np.ones(n, dtype=bool)
        keep[other] = False
        return fixes.take(keep), (fixes.take(np.array(other)), apart)
    return fixes, None


def _implied_kn(fixes: Positions) -> np.ndarray:
    """Per fix, the speed in knots implied by the positions around it (the previous to the next fix, at the ends the
    one pair there is), NaN when the fixes around it are less than 10 s apart."""
    n = len(fixes)
    if n < 2:
        return np.full(n, np.nan)
    lo = np.maximum(np.arange(n) - 1, 0)
    hi = np.minimum(np.arange(n) + 1, n - 1)
    dist = haversine_m(fixes.lat[lo], fixes.lon[lo], fixes.lat[hi], fixes.lon[hi])
    dt = fixes.t[hi] - fixes.t[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = np.maximum(dist - POSITION_NOISE_M, 0.0) / dt / KNOT_MS
    return np.where(dt >= 10.0, speed, np.nan)


def _speed_glitches(fixes: Positions) -> np.ndarray:
    """Indices of fixes whose reported speed the positions around them cannot explain."""
    implied = _implied_kn(fixes)
    sog = fixes.sog
    with np.errstate(invalid="ignore"):
        excess = (sog - implied > SOG_GLITCH_KN) & (sog > 3.0 * implied)
        ceiling = (sog >= SOG_CEILING) & (implied < MAX_SPEED_KN)
    return np.flatnonzero(excess | ceiling)


def build_tracks(ingest: Ingest, flags: dict[int, Flag] | None = None) -> Built:
    """Tracks from an :class:`Ingest` (see the module docstring); ``flags`` maps MIDs to flags."""
    positions = ingest.positions
    counts: dict[str, int] = {}
    rejections: list[Rejection] = []
    untimed = np.flatnonzero(np.isnan(positions.t))
    for index in untimed:
        rejections.append(Rejection(positions.sources[positions.source[index]], int(positions.line[index]), "time",
                                    "no receive time (no $PGHP header, tag block c: or time column): kept out of "
                                    "tracks", f"MMSI {positions.mmsi[index]}"))
    counts["untimed"] = int(untimed.size)
    timed = positions.take(~np.isnan(positions.t))
    order = np.lexsort((timed.t, timed.mmsi))
    timed = timed.take(order)
    same = np.zeros(len(timed), dtype=bool)
    if len(timed) > 1:
        same[1:] = ((timed.mmsi[1:] == timed.mmsi[:-1]) & (np.diff(timed.t) <= DUPLICATE_S)
                    & (timed.lat[1:] == timed.lat[:-1]) & (timed.lon[1:] == timed.lon[:-1]))
    counts["duplicate receptions"] = int(same.sum())
    timed = timed.take(~same)
    vessels = _vessels(ingest.statics, flags or {})
    starts = np.flatnonzero(np.r_[True, timed.mmsi[1:] != timed.mmsi[:-1]]) if len(timed) else np.zeros(0, int)
    ends = np.r_[starts[1:], len(timed)]
    tracks: list[Track] = []
    errors: list[DataError] = []
    doubles: list[tuple[int, Positions, float]] = []
    for lo, hi in zip(starts, ends, strict=False):
        fixes = timed.take(np.arange(lo, hi))
        mmsi = int(fixes.mmsi[0])
        vessel = vessels.get(mmsi) or Vessel(mmsi, station=station(mmsi)[0], flag=flag_of(mmsi, flags or {}))
        if ingest.anonymous:
            vessel.station, vessel.flag = "unknown", None
        jumps = _jumps(fixes)
        if jumps.size >= DOUBLE_MIN_FIXES:  # perhaps two transmitters on one MMSI: split by reachability
            fixes, double = _split_doubles(fixes)
            if double is not None:
                doubles.append((mmsi, *double))
                counts["mmsi in two places"] = counts.get("mmsi in two places", 0) + 1
            jumps = _jumps(fixes)
        for index in jumps:
            errors.append(DataError("position_jump", mmsi, int(index), _neighbours(fixes, int(index)),
                                    f"a fix more than {MAX_SPEED_KN:g} kn away from both neighbours, which agree"))
        if jumps.size:
            keep = np.ones(len(fixes), dtype=bool)
            keep[jumps] = False
            fixes = fixes.take(keep)
        glitches = _speed_glitches(fixes)
        for index in glitches:
            errors.append(DataError("speed_glitch", mmsi, int(index), _neighbours(fixes, int(index)),
                                    f"reported {fixes.sog[index]:.1f} kn where the positions give "
                                    f"{_implied_kn(fixes)[index]:.1f} kn"))
        if glitches.size:
            fixes.sog = fixes.sog.copy()
            fixes.sog[glitches] = np.nan
        counts["position jumps"] = counts.get("position jumps", 0) + int(jumps.size)
        counts["speed glitches"] = counts.get("speed glitches", 0) + int(glitches.size)
        tracks.append(Track(vessel, fixes))
    counts["tracks"] = len(tracks)
    counts["fixes"] = sum(len(track) for track in tracks)
    return Built(tracks, errors, rejections, counts, bool(flags), doubles)
