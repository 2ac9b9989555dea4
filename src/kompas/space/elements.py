"""Element sets (SGP4 mean elements), object metadata and the rules that validate them.

An :class:`ElementSet` is one general-perturbations element set as published in a TLE or a CCSDS OMM
(``MEAN_ELEMENT_THEORY = SGP4``). Field names carry their units; the values are exactly the ones the
source printed (no unit conversion besides the epoch), so that an element set can be written back to
TLE or OMM without loss.

Bad input is described by :class:`kompas.rejections.Rejection` (re-exported here): source, line (or record)
number, field, offending value and reason. Parsers never raise on bad records; they return rejections beside the
good element sets. Times are parsed and printed by :mod:`kompas.times` (``parse_time_utc`` and ``format_time_utc``
are re-exported here for existing callers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from kompas.constants import (
    EARTH_RADIUS_WGS72_KM,
    MINUTES_PER_DAY,
    MU_WGS72_KM3_S2,
    NS_PER_DAY,
    SECONDS_PER_DAY,
    TWO_PI,
)
from kompas.rejections import Rejection
from kompas.times import format_time_utc, parse_time_utc
from kompas.times import now_utc as clock_utc

__all__ = ["DEEP_SPACE_PERIOD_MIN", "EPOCH_MAX_AHEAD", "EPOCH_MIN", "MEAN_MOTION_MAX_REV_DAY", "ElementSet",
           "ObjectInfo", "Rejection", "epoch_from_year_day", "format_time_utc", "is_digits", "parse_time_utc",
           "split_julian_date", "validate"]

#: Earliest acceptable epoch: the launch of Sputnik 1.
EPOCH_MIN = np.datetime64("1957-10-04T00:00:00", "ns")
#: Element sets dated further ahead of the reference time than this are rejected as insane.
EPOCH_MAX_AHEAD = np.timedelta64(400, "D")
#: Mean motion above this (rev/day) means a period shorter than about 72 min: below Earth's surface.
MEAN_MOTION_MAX_REV_DAY = 20.0
#: SGP4's deep-space (SDP4) threshold on the orbital period, minutes.
DEEP_SPACE_PERIOD_MIN = 225.0


#: The catalogue numbers of objects an exercise invents (the fragments of a generated break-up,
#: :mod:`kompas.space.breakup`): above any real catalogue number, in OMM's nine digits, never writable as a TLE; stored
#: only under EXERCISE markings (:mod:`kompas.core.markings`).
EXERCISE_IDS = (900_000_001, 999_999_999)


def is_digits(text: str) -> bool:
    """Whether ``text`` is ASCII digits only (``str.isdigit`` also accepts "²" and other Unicode digits, which
    ``int`` refuses: a fuzzed record must be rejected, not crash the parser)."""
    return text.isascii() and text.isdigit()


@dataclass(frozen=True, slots=True)
class ElementSet:
    """One SGP4 mean element set (TEME, WGS-72 constants, as distributed by the 18th/19th SDS).

    Angles in degrees, mean motion in revolutions per day. ``mean_motion_dot_rev_day2`` and
    ``mean_motion_ddot_rev_day3`` are the TLE/OMM fields as printed (half the first and one sixth of the
    second derivative); SGP4 does not use them. ``bstar_per_earth_radii`` is B* in 1/earth radii.
    """

    norad_id: int
    epoch_utc: np.datetime64
    mean_motion_rev_day: float
    eccentricity: float
    inclination_deg: float
    raan_deg: float
    arg_perigee_deg: float
    mean_anomaly_deg: float
    bstar_per_earth_radii: float = 0.0
    mean_motion_dot_rev_day2: float = 0.0
    mean_motion_ddot_rev_day3: float = 0.0
    name: str = ""
    intl_designator: str = ""
    classification: str = "U"
    element_set_no: int = 0
    rev_at_epoch: int = 0
    ephemeris_type: int = 0
    source: str = field(default="", compare=False)
    #: Where the set comes from: ``gp``, ``supgp``, ``oem`` or ``contributed`` (:mod:`kompas.space.sources`);
    #: ``source`` above is the record's place (file and line).
    origin: str = field(default="gp", compare=False)

    @property
    def period_min(self) -> float:
        """Orbital period from the (Kozai) mean motion, minutes."""
        return MINUTES_PER_DAY / self.mean_motion_rev_day

    @property
    def semi_major_axis_km(self) -> float:
        """Semi-major axis from the Kozai mean motion with WGS-72 mu (an approximation, within ~km)."""
        n_rad_s = self.mean_motion_rev_day * TWO_PI / SECONDS_PER_DAY
        return (MU_WGS72_KM3_S2 / n_rad_s**2) ** (1.0 / 3.0)

    @property
    def perigee_altitude_km(self) -> float:
        """Perigee height above a spherical Earth of radius 6378.135 km (WGS-72)."""
        return self.semi_major_axis_km * (1.0 - self.eccentricity) - EARTH_RADIUS_WGS72_KM

    @property
    def apogee_altitude_km(self) -> float:
        """Apogee height above a spherical Earth of radius 6378.135 km (WGS-72)."""
        return self.semi_major_axis_km * (1.0 + self.eccentricity) - EARTH_RADIUS_WGS72_KM

    def same_elements(self, other: ElementSet) -> bool:
        """True when both carry the same object, epoch and orbital elements (names may differ)."""
        return (
            self.norad_id == other.norad_id
            and self.epoch_utc == other.epoch_utc
            and self.mean_motion_rev_day == other.mean_motion_rev_day
            and self.eccentricity == other.eccentricity
            and self.inclination_deg == other.inclination_deg
            and self.raan_deg == other.raan_deg
            and self.arg_perigee_deg == other.arg_perigee_deg
            and self.mean_anomaly_deg == other.mean_anomaly_deg
            and self.bstar_per_earth_radii == other.bstar_per_earth_radii
        )


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """What is known about a catalogued object besides its orbit (from SATCAT or element-set headers).

    ``object_type`` uses the SATCAT codes PAY, R/B, DEB, UNK. ``rcs_m2`` is the radar cross-section in
    square metres when published.
    """

    norad_id: int
    name: str = ""
    intl_designator: str = ""
    object_type: str = ""
    owner: str = ""
    launch_date: date | None = None
    decay_date: date | None = None
    rcs_m2: float | None = None
    ops_status: str = ""
    source: str = field(default="", compare=False)

    def merged(self, newer: ObjectInfo) -> ObjectInfo:
        """This record updated with every field ``newer`` knows."""
        values = {}
        for name in ObjectInfo.__slots__:
            mine, theirs = getattr(self, name), getattr(newer, name)
            values[name] = theirs if theirs not in ("", None) else mine
        return ObjectInfo(**values)


def validate(elset: ElementSet, source: str, line: int, now_utc: np.datetime64 | None = None) -> list[Rejection]:
    """Check the physical ranges of an element set; return one :class:`Rejection` per violated rule.

    Rules: eccentricity in [0, 1); 0 < mean motion <= 20 rev/day; inclination in [0, 180] deg; the other
    angles in [0, 360] deg; every value finite; epoch between Sputnik 1 and ``now_utc`` + 400 days
    (``now_utc`` defaults to the clock).
    """
    problems: list[Rejection] = []

    def bad(field_name: str, value: object, reason: str) -> None:
        problems.append(Rejection(source, line, field_name, reason, str(value)))

    numbers = {
        "MEAN_MOTION": elset.mean_motion_rev_day,
        "ECCENTRICITY": elset.eccentricity,
        "INCLINATION": elset.inclination_deg,
        "RA_OF_ASC_NODE": elset.raan_deg,
        "ARG_OF_PERICENTER": elset.arg_perigee_deg,
        "MEAN_ANOMALY": elset.mean_anomaly_deg,
        "BSTAR": elset.bstar_per_earth_radii,
        "MEAN_MOTION_DOT": elset.mean_motion_dot_rev_day2,
        "MEAN_MOTION_DDOT": elset.mean_motion_ddot_rev_day3,
    }
    for name, value in numbers.items():
        if not math.isfinite(value):
            bad(name, value, "not a finite number")
    if not 0.0 <= elset.eccentricity < 1.0:
        bad("ECCENTRICITY", elset.eccentricity, "must be in [0, 1)")
    if not 0.0 < elset.mean_motion_rev_day <= MEAN_MOTION_MAX_REV_DAY:
        bad("MEAN_MOTION", elset.mean_motion_rev_day, f"must be in (0, {MEAN_MOTION_MAX_REV_DAY:g}] rev/day")
    if not 0.0 <= elset.inclination_deg <= 180.0:
        bad("INCLINATION", elset.inclination_deg, "must be in [0, 180] deg")
    for name, value in (
        ("RA_OF_ASC_NODE", elset.raan_deg),
        ("ARG_OF_PERICENTER", elset.arg_perigee_deg),
        ("MEAN_ANOMALY", elset.mean_anomaly_deg),
    ):
        if not 0.0 <= value <= 360.0:
            bad(name, value, "must be in [0, 360] deg")
    if not (0 < elset.norad_id <= 339_999 or EXERCISE_IDS[0] <= elset.norad_id <= EXERCISE_IDS[1]):
        bad("NORAD_CAT_ID", elset.norad_id, "must be in 1..339999 (Alpha-5 range)")
    now = now_utc if now_utc is not None else clock_utc()
    if not EPOCH_MIN <= elset.epoch_utc <= now + EPOCH_MAX_AHEAD:
        bad("EPOCH", elset.epoch_utc, f"not between {EPOCH_MIN} and 400 days after {now}")
    return problems


def epoch_from_year_day(year: int, day_of_year: float) -> np.datetime64:
    """UTC epoch from a year and a fractional day of year (1.0 = 1 January 00:00), to the nanosecond."""
    start = np.datetime64(f"{year:04d}-01-01T00:00:00", "ns")
    return start + np.timedelta64(round((day_of_year - 1.0) * NS_PER_DAY), "ns")


def split_julian_date(times_utc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split ``datetime64`` UTC times into (whole Julian date ending in .5, fraction of day).

    The split keeps full precision: the fraction carries the time of day to ~1e-16 day.
    """
    ns = np.asarray(times_utc, dtype="datetime64[ns]").astype(np.int64)
    days, rem = np.divmod(ns, NS_PER_DAY)
    return days.astype(np.float64) + 2440587.5, rem.astype(np.float64) / NS_PER_DAY
