"""Behaviour detectors over vessel tracks (no I/O). Each rule is written out here with its thresholds and its source.

Every detector takes cleaned tracks (:func:`kompas.maritime.tracks.build_tracks`: duplicates merged, position jumps
taken out, impossible speeds blanked) and returns :class:`~kompas.maritime.events.Event` objects whose evidence is
the fixes that triggered them. Thresholds live in :class:`Rules` (defaults below, each overridable).

**Stop** (MovingPandas' ``TrajectoryStopDetector``, read at movingpandas@e981913): scanning fixes in time order, a
window of fixes is *stopped* while its extent (the diagonal of its bounding box in local metres; MovingPandas uses
the minimum rotated rectangle, which is never longer) is under ``stop_diameter_m``; outside a stop the window's
oldest fixes are dropped while it spans ``stop_min_s`` or more. A stop lasts from the window's first fix to the last
fix inside the diameter and is kept when it lasts ``stop_min_s`` or more. Kompas then walks the start back over
earlier fixes that still fit the diameter, so the start is the arrival, not up to ``stop_min_s`` after it.

**Loitering** (Global Fishing Watch's ``pipe-loitering``): fixes are put in UTC hour buckets; a bucket is slow when
its average speed from positions (distance over time) is under ``loiter_kn``; consecutive slow buckets form a
candidate from the last fix before the first slow bucket to the last fix of the last; it is loitering when it
lasts ``loiter_min_s`` or more, is not a stop (it spans more than ``stop_diameter_m``), and the vessel is not moored
or at anchor in most of it (those are stops or anchor drags). GFW's products also keep only events 20 nm from
shore; Kompas has no coastline, so loitering in harbours shows (a stated limit).

**Drift** (the Danish Maritime Authority's ``DriftAnalysis``, dma-ais/AisAbnormal@186e4cc): a fix is drifting when
1 <= SOG <= 5 kn and the course over ground differs from the heading by more than 45 degrees both bow and stern
first (sideways). Drift is confirmed at a fix when the track has more than ``drift_window_s`` of history, every fix
in the last ``drift_window_s`` is drifting, and the unbroken drifting run has covered more than ``drift_min_m``. The
event runs from the first fix of the run (the onset; ``detail["confirmed_utc"]`` gives the first confirmation, the
DMA's own start) to its last drifting fix. As the DMA, vessels known to be under 50 m, pleasure craft, towing and
special craft (types 31-32, 36-37, 50-55) and class B are skipped, and of the ships whose type and length are known
only those of 75 m or more, or passenger, cargo and tanker ships, are analysed; Kompas also analyses ships without
static data (the DMA skips them) and skips fixes reporting "at anchor" (a drifting anchored ship is an anchor
drag).

**Anchor drag**: the vessel reports "at anchor" (status 1) or "restricted manoeuvrability" (3; not for towing,
dredging and underwater-operations ships, whose work that is), sends a heading, and moves over the ground at
``drag_min_kn`` to ``drag_max_kn`` for ``drag_min_s`` or more, covering ``drag_min_m`` or more from where the run
began (a ship swinging at anchor stays within a few hundred metres). A ship leaving an anchorage with its status
not yet changed looks the same until it passes ``drag_max_kn``: the event says what AIS shows, the analyst judges.

**Gaps and going dark** (after Welch et al. 2022, *Science Advances* 8, eabq2109, and GFW ``pipe-gaps``): a gap is
``gap_min_s`` or more between two fixes of a vessel that had ``gap_prior_fixes`` fixes in the hour before it.
Whether it is *dark* depends on an expected-reception model measured from the same data: for each 15-minute period
of the gap, were other vessels heard on AIS within ``reception_km`` of where it fell silent or reappeared? If they
were in at least ``reception_share`` of the periods, the receivers could hear that spot and the vessel was silent
there: ``dark``. Otherwise the spot was out of coverage: ``reception_gap`` (reported, never alerted on).

**Encounter** (GFW ``encounters_pipeline``): positions are resampled every ``encounter_step_s`` (interpolated
across gaps under an hour); two vessels at the same step within ``encounter_m`` are adjacent; a run of consecutive
adjacent steps lasting half of ``encounter_min_s`` is a raw encounter; raw encounters of the same pair under
``encounter_merge_s`` apart are merged; an encounter lasts ``encounter_min_s`` or more with both vessels' median
speed under ``encounter_kn``. GFW also drops encounters within 10 km of a port; Kompas
has no port list, so encounters at anchorages show (a stated limit).

**Identity** anomalies: an MMSI that is not a valid station identity, a coast, group, aid-to-navigation or SAR
aircraft MMSI sending vessel position reports, or a ship MMSI whose MID is not in the table of allocated MIDs; an
IMO number failing its check digit; one MMSI reporting several names or IMO numbers; one IMO used by several MMSIs;
one MMSI in two places at once (:func:`kompas.maritime.tracks.build_tracks` splits its fixes by reachability); a flag
in a contributed registry other than the MID's.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from typing import Any

import numba
import numpy as np

from kompas.maritime.events import Event, iso, sample
from kompas.maritime.geo import KNOT_MS, angle_diff_deg, haversine_m, local_xy_m
from kompas.maritime.model import Positions
from kompas.maritime.registry import imo_valid, station
from kompas.maritime.tracks import Built, Track, Vessel

HOUR = 3600.0


@dataclass(frozen=True)
class Rules:
    """Detector thresholds (units in the names: ``_s`` seconds, ``_m`` metres, ``_km``, ``_kn`` knots)."""

    stop_diameter_m: float = 1000.0
    stop_min_s: float = 3600.0
    loiter_kn: float = 2.0
    loiter_min_s: float = 2 * HOUR
    drift_min_kn: float = 1.0
    drift_max_kn: float = 5.0
    drift_angle_deg: float = 45.0
    drift_window_s: float = 600.0
    drift_min_m: float = 500.0
    drift_min_length_m: float = 50.0
    drag_min_kn: float = 0.5
    drag_max_kn: float = 8.0
    drag_min_s: float = 300.0
    drag_min_m: float = 1000.0
    gap_min_s: float = HOUR
    gap_prior_fixes: int = 5
    reception_km: float = 20.0
    reception_share: float = 0.5
    encounter_m: float = 500.0
    encounter_kn: float = 2.0
    encounter_min_s: float = 2 * HOUR
    encounter_step_s: float = 600.0
    encounter_merge_s: float = 4 * HOUR

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def with_(self, **changes: float) -> Rules:
        """These rules with some thresholds changed (unknown names raise ``TypeError``)."""
        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT = Rules()
#: Detector names in the order they run, for ``--only``.
DETECTORS = ("stop", "loitering", "drift", "anchor_drag", "gap", "encounter", "identity", "data_error")


def _event(kind: str, track: Track, lo: int, hi: int, rule: str, **detail: Any) -> Event:
    """An event over fixes ``lo..hi`` (inclusive) of ``track``, positioned at their median."""
    fixes = track.fixes.take(np.arange(lo, hi + 1))
    return Event(kind, track.mmsi, float(fixes.t[0]), float(fixes.t[-1]), float(np.median(fixes.lat)),
                 float(np.median(fixes.lon)), sample(fixes), {"rule": rule, "evidence_fixes": len(fixes), **detail},
                 vessel=track.vessel)


def _runs(mask: np.ndarray, t: np.ndarray, max_gap_s: float) -> list[tuple[int, int]]:
    """(first, last) indices of the runs of ``True`` in ``mask`` not broken by a gap over ``max_gap_s``."""
    if not mask.any():
        return []
    breaks = np.r_[True, (~mask[1:]) | (~mask[:-1]) | (np.diff(t) > max_gap_s)]
    out = []
    for start in np.flatnonzero(breaks & mask):
        end = start
        while end + 1 < len(mask) and mask[end + 1] and not breaks[end + 1]:
            end += 1
        out.append((int(start), int(end)))
    return out


# --- stops -----------------------------------------------------------------------------------------------------


@numba.njit(cache=True)
def _stop_scan(x: np.ndarray, y: np.ndarray, t: np.ndarray, diameter_m: float, min_s: float,
               out: np.ndarray) -> int:  # pragma: no cover (compiled; tested through stop_segments)
    """MovingPandas' streaming scan (see the module docstring) in O(n): the window's bounding box is kept by four
    monotonic queues of indices (the window only ever loses its oldest fixes), so no fix is looked at twice.
    Writes (first, last) of each stop into ``out`` and returns how many."""
    n = t.shape[0]
    qx_lo = np.empty(n, np.int64)
    qx_hi = np.empty(n, np.int64)
    qy_lo = np.empty(n, np.int64)
    qy_hi = np.empty(n, np.int64)
    h0 = e0 = h1 = e1 = h2 = e2 = h3 = e3 = 0  # head (first) and end (one past the last) of each queue
    count = 0
    lo = 0
    stopped = False
    for i in range(n):
        while e0 > h0 and x[qx_lo[e0 - 1]] >= x[i]:
            e0 -= 1
        qx_lo[e0] = i
        e0 += 1
        while e1 > h1 and x[qx_hi[e1 - 1]] <= x[i]:
            e1 -= 1
        qx_hi[e1] = i
        e1 += 1
        while e2 > h2 and y[qy_lo[e2 - 1]] >= y[i]:
            e2 -= 1
        qy_lo[e2] = i
        e2 += 1
        while e3 > h3 and y[qy_hi[e3 - 1]] <= y[i]:
            e3 -= 1
        qy_hi[e3] = i
        e3 += 1
        if not stopped:
            while i - lo + 1 > 2 and t[i] - t[lo] >= min_s:
                lo += 1
        while qx_lo[h0] < lo:
            h0 += 1
        while qx_hi[h1] < lo:
            h1 += 1
        while qy_lo[h2] < lo:
            h2 += 1
        while qy_hi[h3] < lo:
            h3 += 1
        dx = x[qx_hi[h1]] - x[qx_lo[h0]]
        dy = y[qy_hi[h3]] - y[qy_lo[h2]]
        fits = i - lo + 1 >= 2 and math.sqrt(dx * dx + dy * dy) < diameter_m
        if not fits and stopped and i - lo > 1 and t[i - 1] - t[lo] >= min_s:
            out[count, 0] = lo
            out[count, 1] = i - 1
            count += 1
            lo = i
        stopped = fits
    if stopped and n > 0 and t[n - 1] - t[lo] >= min_s:
        out[count, 0] = lo
        out[count, 1] = n - 1
        count += 1
    return count


def stop_segments(x: np.ndarray, y: np.ndarray, t: np.ndarray, diameter_m: float, min_s: float) -> list[
        tuple[int, int]]:
    """(first, last) fix indices of the stops in a track given in local metres ``x``, ``y`` and seconds ``t``
    (MovingPandas' streaming rule, see the module docstring, with the start walked back to the arrival). The scan
    is compiled (numba): a national day holds millions of fixes, and a per-fix Python loop over the window was the
    detectors' slowest part."""
    out = np.empty((max(len(t) // 2 + 1, 1), 2), dtype=np.int64)
    count = _stop_scan(np.ascontiguousarray(x, dtype=np.float64), np.ascontiguousarray(y, dtype=np.float64),
                       np.ascontiguousarray(t, dtype=np.float64), float(diameter_m), float(min_s), out)
    stops = [(int(a), int(b)) for a, b in out[:count]]
    walked = []
    floor = 0
    for first, last in stops:
        box = [x[first:last + 1].min(), x[first:last + 1].max(), y[first:last + 1].min(), y[first:last + 1].max()]
        while first - 1 >= floor:
            cx, cy = x[first - 1], y[first - 1]
            grown = [min(box[0], cx), max(box[1], cx), min(box[2], cy), max(box[3], cy)]
            if math.hypot(grown[1] - grown[0], grown[3] - grown[2]) >= diameter_m:
                break
            box = grown
            first -= 1
        walked.append((first, last))
        floor = last + 1
    return walked


def stops(track: Track, rules: Rules = DEFAULT) -> list[Event]:
    """Stops of one track (see the module docstring)."""
    fixes = track.fixes
    if len(fixes) < 2:
        return []
    x, y = local_xy_m(fixes.lat, fixes.lon, float(fixes.lat[0]), float(fixes.lon[0]))
    rule = f"within {rules.stop_diameter_m:g} m for {rules.stop_min_s / 60:g} min or more (MovingPandas' rule)"
    return [_event("stop", track, lo, hi, rule, diameter_m=rules.stop_diameter_m)
            for lo, hi in stop_segments(x, y, fixes.t, rules.stop_diameter_m, rules.stop_min_s)]


# --- loitering -------------------------------------------------------------------------------------------------


def loitering(track: Track, rules: Rules = DEFAULT) -> list[Event]:
    """Loitering of one track (GFW's hourly buckets; see the module docstring)."""
    fixes = track.fixes
    n = len(fixes)
    if n < 3:
        return []
    step = np.r_[0.0, haversine_m(fixes.lat[:-1], fixes.lon[:-1], fixes.lat[1:], fixes.lon[1:])]
    dt = np.r_[0.0, np.diff(fixes.t)]
    bucket = np.floor(fixes.t / HOUR).astype(np.int64)
    keys, first = np.unique(bucket, return_index=True)
    last = np.r_[first[1:] - 1, n - 1]
    events: list[Event] = []
    slow = []
    for _k, lo, hi in zip(keys, first, last, strict=False):
        hours = dt[lo:hi + 1].sum() / HOUR
        speed = step[lo:hi + 1].sum() / KNOT_MS / HOUR / hours if hours > 0 else math.inf
        slow.append(speed < rules.loiter_kn and hi > lo)
    group: list[int] = []
    for index, is_slow in enumerate([*slow, False]):
        consecutive = group and index < len(keys) and keys[index] == keys[group[-1]] + 1
        if is_slow and (not group or consecutive):
            group.append(index)
            continue
        if group:
            lo = max(int(first[group[0]]) - 1, 0)
            hi = int(last[group[-1]])
            events.extend(_loiter_event(track, lo, hi, rules))
        group = [index] if is_slow else []
    return events


def _loiter_event(track: Track, lo: int, hi: int, rules: Rules) -> list[Event]:
    fixes = track.fixes
    t, lat, lon = fixes.t[lo:hi + 1], fixes.lat[lo:hi + 1], fixes.lon[lo:hi + 1]
    if t[-1] - t[0] < rules.loiter_min_s:
        return []
    x, y = local_xy_m(lat, lon, float(lat[0]), float(lon[0]))
    extent = math.hypot(float(x.max() - x.min()), float(y.max() - y.min()))
    status = fixes.status[lo:hi + 1]
    berthed = np.isin(status, (1, 5)).mean()
    if extent < rules.stop_diameter_m or berthed > 0.5:
        return []
    distance = float(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]).sum())
    speed = distance / (t[-1] - t[0]) / KNOT_MS
    rule = (f"hourly average speed under {rules.loiter_kn:g} kn for {rules.loiter_min_s / 3600:g} h or more, "
            f"over more than {rules.stop_diameter_m:g} m, not moored or at anchor (GFW's loitering rule)")
    return [_event("loitering", track, lo, hi, rule, mean_speed_kn=round(float(speed), 2), extent_m=round(extent),
                   distance_m=round(distance))]


# --- drift -----------------------------------------------------------------------------------------------------

SKIPPED_TYPES = frozenset({31, 32, 36, 37, 50, 51, 52, 53, 54, 55})
#: Stations that send vessel position reports legitimately but are not vessels (AIS-SART, MOB, EPIRB beacons).
BEACONS = frozenset({"sart", "mob", "epirb"})
#: Stations whose MMSI on a vessel position report is an identity anomaly (a made-up or borrowed number).
NOT_A_SHIP = frozenset({"coast", "group", "aid to navigation", "sar aircraft"})


def drifting(sog: np.ndarray, cog: np.ndarray, heading: np.ndarray, rules: Rules = DEFAULT) -> np.ndarray:
    """Per fix, whether it is drifting: speed within the drift band and the course more than ``drift_angle_deg``
    off the heading both bow and stern first (NaN fields: not drifting)."""
    with np.errstate(invalid="ignore"):
        return ((sog >= rules.drift_min_kn) & (sog <= rules.drift_max_kn)
                & (angle_diff_deg(cog, heading) > rules.drift_angle_deg)
                & (angle_diff_deg(cog + 180.0, heading) > rules.drift_angle_deg))


#: Ship types the DMA analyses for drift whatever their length: passenger (40-49 high-speed, 60-69), cargo, tanker.
DRIFT_TYPES = frozenset(range(40, 50)) | frozenset(range(60, 90))


def _drift_analysed(vessel: Vessel, fixes: Positions, rules: Rules) -> bool:
    """The DMA's vessel filter for drift: not class B (types 18/19), not a towing, pleasure or special craft, not
    known to be under ``drift_min_length_m``; of those whose type and length are both known, only ships of 75 m or
    more, or passenger, cargo and tanker ships. Kompas analyses a vessel without static data, which the DMA skips:
    a ship near a cable that never sent its name is worth a look."""
    if np.isin(fixes.msg_type, (18, 19)).mean() > 0.5 or vessel.ship_type in SKIPPED_TYPES:
        return False
    if vessel.length_m and vessel.length_m < rules.drift_min_length_m:
        return False
    if vessel.length_m and vessel.ship_type:
        return vessel.length_m >= 75 or vessel.ship_type in DRIFT_TYPES
    return True


def drift(track: Track, rules: Rules = DEFAULT) -> list[Event]:
    """Drift of one track (the DMA's rule; see the module docstring)."""
    vessel = track.vessel
    fixes = track.fixes
    if len(fixes) < 2 or not _drift_analysed(vessel, fixes, rules):
        return []
    mask = drifting(fixes.sog, fixes.cog, fixes.heading, rules) & (fixes.status != 1)
    events = []
    t = fixes.t
    for lo, hi in _runs(mask, t, rules.drift_window_s):
        confirmed = -1
        before = t[lo - 1] if lo > 0 else t[0]  # the last fix not drifting (or the track's first)
        for i in range(lo, hi + 1):
            if t[i] - t[0] <= rules.drift_window_s or t[i] - rules.drift_window_s <= before:
                continue  # history shorter than the window, or a fix not drifting still inside it
            if haversine_m(fixes.lat[lo], fixes.lon[lo], fixes.lat[i], fixes.lon[i]) > rules.drift_min_m:
                confirmed = i
                break
        if confirmed < 0:
            continue
        rule = (f"{rules.drift_min_kn:g}-{rules.drift_max_kn:g} kn with the course more than "
                f"{rules.drift_angle_deg:g} deg off the heading (sideways) for {rules.drift_window_s / 60:g} min and "
                f"over {rules.drift_min_m:g} m (the Danish Maritime Authority's drift rule)")
        moved = float(haversine_m(fixes.lat[lo], fixes.lon[lo], fixes.lat[hi], fixes.lon[hi]))
        events.append(_event("drift", track, lo, hi, rule, confirmed_utc=iso(float(t[confirmed])),
                             distance_m=round(moved),
                             mean_speed_kn=round(float(np.nanmean(fixes.sog[lo:hi + 1])), 2)))
    return events


# --- anchor drag -----------------------------------------------------------------------------------------------


#: Ship types that work slowly under "restricted manoeuvrability" (towing, dredging and underwater operations:
#: cable layers and survey ships among them): their status 3 is their work, not an anchor drag.
WORKING_TYPES = frozenset({31, 32, 33, 34})


def anchor_drag(track: Track, rules: Rules = DEFAULT) -> list[Event]:
    """Anchor drags of one track (see the module docstring)."""
    fixes = track.fixes
    if len(fixes) < 2:
        return []
    statuses = (1,) if track.vessel.ship_type in WORKING_TYPES else (1, 3)
    with np.errstate(invalid="ignore"):
        mask = (np.isin(fixes.status, statuses) & ~np.isnan(fixes.heading) & (fixes.sog >= rules.drag_min_kn)
                & (fixes.sog <= rules.drag_max_kn))
    events = []
    for lo, hi in _runs(mask, fixes.t, 10 * 60.0):
        lat, lon = fixes.lat[lo:hi + 1], fixes.lon[lo:hi + 1]
        reach = float(haversine_m(lat[0], lon[0], lat, lon).max())
        if fixes.t[hi] - fixes.t[lo] < rules.drag_min_s or reach < rules.drag_min_m:
            continue
        status = sorted({int(s) for s in fixes.status[lo:hi + 1]})
        rule = (f"reporting at anchor or restricted manoeuvrability, with a heading, moving {rules.drag_min_kn:g}-"
                f"{rules.drag_max_kn:g} kn for {rules.drag_min_s / 60:g} min or more and {rules.drag_min_m:g} m or "
                "more from where it began")
        events.append(_event("anchor_drag", track, lo, hi, rule, distance_m=round(reach), statuses=status,
                             mean_speed_kn=round(float(np.nanmean(fixes.sog[lo:hi + 1])), 2)))
    return events


# --- gaps ------------------------------------------------------------------------------------------------------


class Reception:
    """Where and when anyone was heard on AIS: fixes of all vessels binned by :data:`BIN_S` and a 0.25-degree cell
    (a contributor's own radar tracks, message type 0, are not AIS reception and are left out)."""

    CELL_DEG = 0.25
    BIN_S = 900.0  #: 15 minutes: a class A vessel under way reports 90 times in one, at anchor 5 times
    MAX_BINS = 7 * 96  #: a gap longer than a week is judged on this many evenly spread periods

    def __init__(self, tracks: list[Track]) -> None:
        self.heard: dict[tuple[int, int, int], set[int]] = defaultdict(set)
        for track in tracks:
            fixes = track.fixes
            ais = fixes.msg_type != 0
            bins = np.floor(fixes.t[ais] / self.BIN_S).astype(np.int64)
            cy = np.floor(fixes.lat[ais] / self.CELL_DEG).astype(np.int64)
            cx = np.floor(fixes.lon[ais] / self.CELL_DEG).astype(np.int64)
            for key in set(zip(bins.tolist(), cy.tolist(), cx.tolist(), strict=True)):
                self.heard[key].add(track.mmsi)

    def share(self, mmsi: int, t0: float, t1: float, points: list[tuple[float, float]], km: float) -> tuple[
            float, int, int]:
        """(share of the 15-minute periods of (t0, t1) in which a vessel other than ``mmsi`` was heard within about
        ``km`` of one of ``points``, periods counted, vessels heard)."""
        first, last = int(math.floor(t0 / self.BIN_S)), int(math.floor(t1 / self.BIN_S))
        periods = np.unique(np.linspace(first, last, min(last - first + 1, self.MAX_BINS)).round().astype(np.int64))
        reach_lat = km / 111.2
        cells = set()
        for lat, lon in points:
            reach_lon = km / (111.2 * max(math.cos(math.radians(lat)), 0.05))
            for cy in range(int(math.floor((lat - reach_lat) / self.CELL_DEG)),
                            int(math.floor((lat + reach_lat) / self.CELL_DEG)) + 1):
                for cx in range(int(math.floor((lon - reach_lon) / self.CELL_DEG)),
                                int(math.floor((lon + reach_lon) / self.CELL_DEG)) + 1):
                    cells.add((cy, cx))
        heard = 0
        others: set[int] = set()
        for period in periods.tolist():
            here = set().union(*(self.heard.get((period, cy, cx), set()) for cy, cx in cells)) - {mmsi}
            if here:
                heard += 1
                others |= here
        return heard / len(periods), len(periods), len(others)


def gaps(track: Track, reception: Reception, rules: Rules = DEFAULT) -> list[Event]:
    """AIS gaps of one track, each ``dark`` or ``reception_gap`` (see the module docstring)."""
    fixes = track.fixes
    if len(fixes) < 2:
        return []
    t = fixes.t
    events = []
    for i in np.flatnonzero(np.diff(t) >= rules.gap_min_s):
        prior = int(np.searchsorted(t, t[i] - HOUR))
        if i - prior + 1 < rules.gap_prior_fixes:
            continue
        points = [(float(fixes.lat[i]), float(fixes.lon[i])), (float(fixes.lat[i + 1]), float(fixes.lon[i + 1]))]
        share, periods, others = reception.share(track.mmsi, float(t[i]), float(t[i + 1]), points,
                                                 rules.reception_km)
        dark = share >= rules.reception_share
        moved = float(haversine_m(*points[0], *points[1]))
        rule = (f"silent for {rules.gap_min_s / 3600:g} h or more after {rules.gap_prior_fixes} fixes in the hour "
                f"before; others heard on AIS within {rules.reception_km:g} km in {share:.0%} of its {periods} "
                f"15-minute periods ({'at least' if dark else 'under'} {rules.reception_share:.0%}: "
                f"{'in coverage, so dark' if dark else 'a coverage hole'})")
        event = _event("dark" if dark else "reception_gap", track, int(i), int(i) + 1, rule,
                       gap_s=round(float(t[i + 1] - t[i]), 1), reception_share=round(share, 3),
                       periods_checked=periods, others_heard=others, moved_m=round(moved),
                       implied_speed_kn=round(float(moved / (t[i + 1] - t[i]) / KNOT_MS), 2))
        event.lat, event.lon = points[0]
        events.append(event)
    return events


# --- encounters ------------------------------------------------------------------------------------------------


def _resampled(track: Track, step_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(step numbers, lat, lon, speed kn) at multiples of ``step_s`` inside the track, interpolated across gaps
    under an hour only."""
    fixes = track.fixes
    t = fixes.t
    if len(t) < 2:
        return np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0)
    steps = np.arange(math.ceil(t[0] / step_s), math.floor(t[-1] / step_s) + 1, dtype=np.int64)
    at = steps * step_s
    after = np.clip(np.searchsorted(t, at, side="left"), 1, len(t) - 1)
    before = after - 1
    ok = (t[after] - t[before] < HOUR) | (t[after] == at) | (t[before] == at)
    span = np.maximum(t[after] - t[before], 1e-9)
    w = np.clip((at - t[before]) / span, 0.0, 1.0)
    lat = fixes.lat[before] + w * (fixes.lat[after] - fixes.lat[before])
    lon = fixes.lon[before] + w * (fixes.lon[after] - fixes.lon[before])
    speed = haversine_m(fixes.lat[before], fixes.lon[before], fixes.lat[after], fixes.lon[after]) / span / KNOT_MS
    speed = np.where(t[after] - t[before] > 0, speed, 0.0)
    return steps[ok], lat[ok], lon[ok], speed[ok]


def encounters(tracks: list[Track], rules: Rules = DEFAULT) -> list[Event]:
    """Encounters between tracks (GFW's rule; see the module docstring): one event per vessel of each pair."""
    cell = rules.encounter_m / 111_200.0 * 2.0  # degrees of latitude per grid cell (twice the distance)
    grid: dict[tuple[int, int, int], list[tuple[int, float, float, float]]] = defaultdict(list)
    by_mmsi = {track.mmsi: track for track in tracks}
    for track in tracks:
        if track.vessel.station in BEACONS:
            continue
        steps, lat, lon, speed = _resampled(track, rules.encounter_step_s)
        slow = speed < rules.encounter_kn * 2  # candidates only; the median is checked below
        candidates = zip(steps[slow].tolist(), lat[slow].tolist(), lon[slow].tolist(), speed[slow].tolist(),
                         strict=True)
        for s, a, o, v in candidates:
            grid[(s, int(a // cell), int(o // cell))].append((track.mmsi, a, o, v))
    close: dict[tuple[int, int], list[tuple[int, float, float, float, float, float]]] = defaultdict(list)
    for (s, cy, cx), members in grid.items():
        # a cell is as wide in degrees of longitude as of latitude, so narrower in metres away from the equator:
        # look as many cells east and west as the distance needs there
        reach = int(math.ceil(1.0 / max(math.cos(math.radians((cy + 0.5) * cell)), 0.05)))
        near = [m for dy in (-1, 0, 1) for dx in range(-reach, reach + 1) for m in grid.get((s, cy + dy, cx + dx),
                                                                                              ())]
        for m1, a1, o1, v1 in members:
            pairs = [(m2, a2, o2, v2) for m2, a2, o2, v2 in near if m1 < m2]
            if not pairs:
                continue
            apart = haversine_m(a1, o1, np.array([p[1] for p in pairs]), np.array([p[2] for p in pairs]))
            for (m2, _, _, v2), metres in zip(pairs, apart.tolist(), strict=True):
                if metres <= rules.encounter_m:
                    close[(m1, m2)].append((s, a1, o1, v1, v2, metres))
    events = []
    merge_steps = rules.encounter_merge_s / rules.encounter_step_s
    raw_min_s = rules.encounter_min_s / 2.0  # GFW: raw encounters of 1 h, merged ones of 2 h
    for (m1, m2), rows in close.items():
        rows.sort()
        raw: list[list[tuple[int, float, float, float, float, float]]] = []  # runs of consecutive adjacent steps
        for row in rows:
            if raw and row[0] == raw[-1][-1][0]:
                continue
            if raw and row[0] == raw[-1][-1][0] + 1:
                raw[-1].append(row)
            else:
                raw.append([row])
        raw = [r for r in raw if len(r) >= 2 and (r[-1][0] - r[0][0]) * rules.encounter_step_s >= raw_min_s]
        runs: list[list[tuple[int, float, float, float, float, float]]] = []
        for part in raw:  # raw encounters of a pair under encounter_merge_s apart are one
            if runs and part[0][0] - runs[-1][-1][0] <= merge_steps:
                runs[-1].extend(part)
            else:
                runs.append(list(part))
        for run in runs:
            start, end = run[0][0] * rules.encounter_step_s, run[-1][0] * rules.encounter_step_s
            speed1 = float(np.median([r[3] for r in run]))
            speed2 = float(np.median([r[4] for r in run]))
            if end - start < rules.encounter_min_s or max(speed1, speed2) >= rules.encounter_kn:
                continue
            distance = float(np.median([r[5] for r in run]))
            rule = (f"within {rules.encounter_m:g} m, both with median speed under {rules.encounter_kn:g} kn, for "
                    f"{rules.encounter_min_s / 3600:g} h or more (GFW's encounter rule, {rules.encounter_step_s / 60:g}"
                    f"-minute steps, runs under {rules.encounter_merge_s / 3600:g} h apart merged)")
            for me, other, my_speed in ((m1, m2, speed1), (m2, m1, speed2)):
                track = by_mmsi[me]
                lo = int(np.searchsorted(track.fixes.t, start))
                hi = max(int(np.searchsorted(track.fixes.t, end, side="right")) - 1, lo)
                event = _event("encounter", track, lo, hi, rule, median_distance_m=round(distance),
                               median_speed_kn=round(my_speed, 2), steps=len(run))
                event.start, event.end, event.other_mmsi = start, end, other
                event.lat, event.lon = float(np.median([r[1] for r in run])), float(np.median([r[2] for r in run]))
                events.append(event)
    return events


# --- identity --------------------------------------------------------------------------------------------------


def identity(built: Built, registry: dict[int, str] | None = None) -> list[Event]:
    """Identity anomalies across tracks (see the module docstring); ``registry`` maps an MMSI or IMO to the
    ISO alpha-2 flag a contributed registry gives."""
    events: list[Event] = []
    imo_users: dict[int, set[int]] = defaultdict(set)
    for track in built.tracks:
        vessel = track.vessel
        whole = (0, len(track) - 1)
        reasons = []
        kind, mid = station(vessel.mmsi)
        if vessel.station == "unknown":
            pass  # a source's own vessel ids: nothing to check
        elif kind == "invalid":
            reasons.append("the MMSI is not a valid station identity")
        elif kind in NOT_A_SHIP:
            reasons.append(f"the MMSI is a {kind} station's, yet it sends vessel position reports")
        elif kind == "ship" and vessel.flag is None and built.mid_table:
            reasons.append(f"MID {mid} is not in the table of allocated MIDs Kompas holds (the ITU list of 2015 "
                           "with later allocations seen added): no flag known, perhaps a made-up MMSI")
        for imo in vessel.imos:
            imo_users[imo].add(vessel.mmsi)
            if not imo_valid(imo):
                reasons.append(f"IMO {imo} fails its check digit")
        if len(vessel.names) > 1:
            reasons.append("several names: " + ", ".join(vessel.names))
        if len(vessel.imos) > 1:
            reasons.append("several IMO numbers: " + ", ".join(map(str, vessel.imos)))
        if registry and vessel.flag and vessel.flag.country:
            claimed = registry.get(vessel.mmsi) or (registry.get(vessel.imo) if vessel.imo else None)
            if claimed and claimed != vessel.flag.country:
                reasons.append(f"the registry gives flag {claimed}, the MID {vessel.flag.country}")
        for reason in reasons:
            events.append(_event("identity", track, *whole, reason, anomaly=reason))
    for imo, users in imo_users.items():
        if len(users) > 1:
            by_mmsi = {t.mmsi: t for t in built.tracks}
            for mmsi in sorted(users):
                reason = f"IMO {imo} is also used by MMSI " + ", ".join(str(m) for m in sorted(users - {mmsi}))
                track = by_mmsi[mmsi]
                events.append(_event("identity", track, 0, len(track) - 1, reason, anomaly=reason))
    events.extend(_two_places(built))
    return events


def _two_places(built: Built) -> list[Event]:
    """One MMSI in two places at once (:func:`kompas.maritime.tracks.build_tracks` splits them): the second
    place's fixes as evidence."""
    by_mmsi = {t.mmsi: t for t in built.tracks}
    events = []
    for mmsi, ghost, apart in built.doubles:
        track = by_mmsi.get(mmsi)
        reason = (f"one MMSI in two places: {len(ghost)} fixes form a second track at the same time, a median "
                  f"{apart / 1000:.0f} km from the vessel's (two transmitters on one identity)")
        events.append(Event("identity", mmsi, float(ghost.t[0]), float(ghost.t[-1]), float(np.median(ghost.lat)),
                            float(np.median(ghost.lon)), sample(ghost), {"rule": reason, "anomaly": reason,
                                                                         "evidence_fixes": len(ghost)},
                            vessel=track.vessel if track else None))
    return events


def data_errors(built: Built) -> list[Event]:
    """The data errors found while building tracks, as events (evidence: the fix and its neighbours)."""
    by_mmsi = {t.mmsi: t for t in built.tracks}
    events = []
    for error in built.errors:
        evidence = error.evidence
        centre = min(2, error.index)
        t = float(evidence.t[centre])
        events.append(Event(error.kind, error.mmsi, t, t, float(evidence.lat[centre]), float(evidence.lon[centre]),
                            evidence, {"rule": error.reason, "evidence_fixes": len(evidence)},
                            vessel=by_mmsi[error.mmsi].vessel if error.mmsi in by_mmsi else None))
    return events


def detect(built: Built, rules: Rules = DEFAULT, only: tuple[str, ...] = DETECTORS,
           registry: dict[int, str] | None = None) -> list[Event]:
    """Every detector named in ``only`` over ``built``'s tracks; events ordered by start time then MMSI."""
    unknown = set(only) - set(DETECTORS)
    if unknown:
        raise ValueError(f"unknown detectors {sorted(unknown)}; known: {', '.join(DETECTORS)}")
    events: list[Event] = []
    reception = Reception(built.tracks) if "gap" in only else None
    per_track = {"stop": stops, "loitering": loitering, "drift": drift, "anchor_drag": anchor_drag}
    for track in built.tracks:
        if track.vessel.station in BEACONS:
            continue  # AIS-SART, man-overboard and EPIRB beacons send position reports: they are not vessels
        for name, detector in per_track.items():
            if name in only:
                events.extend(detector(track, rules))
        if reception is not None:
            events.extend(gaps(track, reception, rules))
    if "encounter" in only:
        events.extend(encounters(built.tracks, rules))
    if "identity" in only:
        events.extend(identity(built, registry))
    if "data_error" in only:
        events.extend(data_errors(built))
    events.sort(key=lambda e: (e.start, e.mmsi, e.type))
    return events
