"""Physical constants and unit conversions, each named after the model it belongs to.

Two Earth models are in use and must not be mixed:

- **WGS-72** is the model of SGP4/SDP4 (Hoots & Roehrich 1980, Spacetrack Report #3; Vallado et al. 2006). Every
  quantity derived from SGP4 mean elements or from SGP4 states (semi-major axis from the mean motion, perigee and
  apogee heights above a spherical Earth, altitudes of propagated states, re-entry and divergence thresholds, the
  point-mass gravity that bounds SGP4's accelerations) uses the WGS-72 values, as ``sgp4.api.WGS72`` does.
- **WGS-84** (NIMA TR8350.2, 3rd ed.) is the model of geodetic coordinates: geodetic latitude, longitude and height
  above the ellipsoid (ERFA's ``gc2gd(1, ...)``), e.g. sub-satellite points and ground sites.

Time units: a UTC day is taken as 86,400 SI seconds throughout (leap seconds are handled by ERFA where a time
scale conversion needs them).
"""

from __future__ import annotations

import math

# --- WGS-72, the SGP4 model (sgp4.earth_gravity.wgs72) ------------------------------------------------------------
#: WGS-72 equatorial radius of the Earth, km (SGP4's ``radiusearthkm``).
EARTH_RADIUS_WGS72_KM = 6378.135
#: WGS-72 gravitational parameter of the Earth, km^3/s^2 (SGP4's ``mu``).
MU_WGS72_KM3_S2 = 398600.8
#: WGS-72 second zonal harmonic J2, dimensionless (SGP4's ``j2``).
J2_WGS72 = 0.001082616
#: WGS-72 third zonal harmonic J3, dimensionless (SGP4's ``j3``).
J3_WGS72 = -0.00000253881
#: WGS-72 fourth zonal harmonic J4, dimensionless (SGP4's ``j4``).
J4_WGS72 = -0.00000165597

# --- WGS-84, the geodetic model ------------------------------------------------------------------------------------
#: WGS-84 equatorial radius (semi-major axis of the ellipsoid), km.
EARTH_RADIUS_WGS84_KM = 6378.137
#: WGS-84 flattening of the ellipsoid, dimensionless.
FLATTENING_WGS84 = 1.0 / 298.257223563
#: WGS-84 gravitational parameter of the Earth (including the atmosphere), km^3/s^2.
MU_WGS84_KM3_S2 = 398600.4418
#: WGS-84 polar radius (semi-minor axis of the ellipsoid), km.
EARTH_POLAR_RADIUS_WGS84_KM = EARTH_RADIUS_WGS84_KM * (1.0 - FLATTENING_WGS84)

# --- Earth rotation --------------------------------------------------------------------------------------------------
#: Earth's nominal rotation rate, rad/s (IERS Conventions 2010, as used by Vallado).
OMEGA_EARTH_RAD_S = 7.292115146706979e-5
#: Earth's rotation relative to the mean Sun (the sidereal rate expressed per solar day), deg/day.
SIDEREAL_DEG_DAY = 360.98564736629

# --- Time units ----------------------------------------------------------------------------------------------------
#: Seconds per (UTC) day.
SECONDS_PER_DAY = 86_400.0
#: Minutes per day (TLE/OMM mean motions are per day; SGP4 works per minute).
MINUTES_PER_DAY = 1_440.0
#: Seconds per hour.
SECONDS_PER_HOUR = 3_600.0
#: Nanoseconds per second (``datetime64[ns]`` arithmetic).
NS_PER_SECOND = 1_000_000_000
#: Nanoseconds per day (``datetime64[ns]`` arithmetic).
NS_PER_DAY = 86_400_000_000_000

# --- Angles --------------------------------------------------------------------------------------------------------
#: One revolution, rad.
TWO_PI = 2.0 * math.pi
#: Radians per degree.
RAD_PER_DEG = math.pi / 180.0
#: Radians per arcsecond.
RAD_PER_ARCSEC = math.pi / (180.0 * 3600.0)

# --- Unit conversions ----------------------------------------------------------------------------------------------
#: Metres per kilometre (CDMs use m and m/s: convert at the boundary).
M_PER_KM = 1000.0
