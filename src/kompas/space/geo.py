"""Geostationary behaviour from element-set histories: longitude, drift rate, station-keeping box, relocations.

For each element set of a geosynchronous object (mean motion 0.9-1.1 rev/day, eccentricity < 0.1, inclination
< 20 deg):

- **longitude**: the east longitude of the sub-satellite point at the element set's epoch (SGP4/SDP4 state
  rotated to ITRF), degrees in (-180, 180];
- **drift rate**: ``360 n - 360.9856`` deg/day from the mean motion ``n`` (rev/day): the mean motion of the
  longitude; 0 for a perfectly geostationary orbit, positive eastward.

An object whose every set drifts less than :data:`STATION_KEPT_DEG_DAY` is station-kept; its box is the range of
its longitudes. A **relocation** is a run of sets drifting faster than :data:`DRIFTING_DEG_DAY` between two
station-kept sets: it starts between the last station-kept set and the first drifting one and ends between the
last drifting set and the next station-kept one (the reported times are those midpoints, the windows the set
epochs), moving the object by at least :data:`MIN_MOVE_DEG`. A run that has not ended by the last set is a
**drift** (its start is known, its end is not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kompas.constants import SIDEREAL_DEG_DAY
from kompas.space.elements import ElementSet, split_julian_date
from kompas.space.frames import rotation_from_teme
from kompas.space.propagation import Propagator

STATION_KEPT_DEG_DAY = 0.05  #: Below this drift rate a set counts as station-kept.
DRIFTING_DEG_DAY = 0.1  #: Above this drift rate a set counts as drifting.
MIN_MOVE_DEG = 0.5  #: A completed drift that moves the object less than this is a station-keeping excursion.


def is_geosynchronous(elset: ElementSet) -> bool:
    return 0.9 < elset.mean_motion_rev_day < 1.1 and elset.eccentricity < 0.1 and elset.inclination_deg < 20.0


def drift_rate_deg_day(elset: ElementSet) -> float:
    """Mean longitude drift, deg/day, positive eastward."""
    return 360.0 * elset.mean_motion_rev_day - SIDEREAL_DEG_DAY


def longitudes_deg(elsets: Sequence[ElementSet]) -> np.ndarray:
    """East longitude (deg, -180..180) of each set's sub-satellite point at its own epoch."""
    times = np.array([e.epoch_utc for e in elsets], dtype="datetime64[ns]")
    states, _ = Propagator.from_elements(elsets).each(*split_julian_date(times))
    itrf = rotation_from_teme(times, "itrf").apply(states.T[:, :, None])[:, :, 0]
    return np.degrees(np.arctan2(itrf[:, 1], itrf[:, 0]))


@dataclass
class Relocation:
    """A drift between station-kept slots (``end_utc`` None: still drifting at the last set)."""

    norad_id: int
    name: str
    start_utc: np.datetime64  # midpoint between the last station-kept set and the first drifting one
    start_window_utc: tuple[np.datetime64, np.datetime64]
    end_utc: np.datetime64 | None
    end_window_utc: tuple[np.datetime64, np.datetime64] | None
    from_longitude_deg: float
    to_longitude_deg: float | None
    max_drift_deg_day: float


@dataclass
class GeoObject:
    """One geosynchronous object's behaviour over its history."""

    norad_id: int
    name: str
    longitude_deg: float  # at the newest set
    drift_deg_day: float  # at the newest set
    station_kept: bool  # every set below STATION_KEPT_DEG_DAY
    box_deg: float | None  # longitude range when station-kept
    relocations: list[Relocation]


def behaviour(histories: Sequence[Sequence[ElementSet]]) -> list[GeoObject]:
    """GEO behaviour of every geosynchronous history (others are skipped)."""
    geo = [[e for e in h if is_geosynchronous(e)] for h in histories]
    geo = [h for h in geo if h]
    flat = [e for h in geo for e in h]
    if not flat:
        return []
    lon = longitudes_deg(flat)
    out, at = [], 0
    for history in geo:
        lons = lon[at:at + len(history)]
        at += len(history)
        drift = np.array([drift_rate_deg_day(e) for e in history])
        kept = bool(np.all(np.abs(drift) < STATION_KEPT_DEG_DAY))
        unwrapped = np.degrees(np.unwrap(np.radians(lons)))
        out.append(GeoObject(history[-1].norad_id, history[-1].name, float(lons[-1]), float(drift[-1]), kept,
                             float(np.ptp(unwrapped)) if kept else None, _relocations(history, lons, drift)))
    return out


def _relocations(history: Sequence[ElementSet], lons: np.ndarray, drift: np.ndarray) -> list[Relocation]:
    out = []
    k, n = 0, len(history)
    while k < n:
        if abs(drift[k]) > DRIFTING_DEG_DAY and k > 0 and abs(drift[k - 1]) < STATION_KEPT_DEG_DAY:
            first = k
            while k < n and abs(drift[k]) >= STATION_KEPT_DEG_DAY:
                k += 1
            before = history[first - 1]
            start = _mid(before.epoch_utc, history[first].epoch_utc)
            ended = k < n
            if ended and abs((float(lons[k]) - float(lons[first - 1]) + 180.0) % 360.0 - 180.0) < MIN_MOVE_DEG:
                continue  # back in its box: a station-keeping excursion, not a relocation
            out.append(Relocation(
                history[first].norad_id, history[first].name, start, (before.epoch_utc, history[first].epoch_utc),
                _mid(history[k - 1].epoch_utc, history[k].epoch_utc) if ended else None,
                (history[k - 1].epoch_utc, history[k].epoch_utc) if ended else None,
                float(lons[first - 1]), float(lons[k]) if ended else None,
                float(np.max(np.abs(drift[first:k])))))
        k += 1
    return out


def _mid(a: np.datetime64, b: np.datetime64) -> np.datetime64:
    return a + (b - a) // 2
