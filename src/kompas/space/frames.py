"""Reference frames and time scales: SGP4's TEME to GCRS and to ITRF.

The chain is the standard one (Vallado et al. 2006, "Revisiting Spacetrack Report #3", AIAA 2006-6753,
section on TEME; IERS Conventions 2010 for the celestial-to-terrestrial part)::

    r_PEF  = Rz(GMST82(UT1)) r_TEME                       pseudo Earth-fixed
    r_ITRF = W(xp, yp, s') r_PEF                          polar motion
    r_GCRS = Q(TT)^T Rz(ERA(UT1))^T W^T r_ITRF            IAU 2006/2000A, CIO based
           = Q(TT)^T Rz(GMST82 - ERA) r_TEME              (polar motion cancels)

with ``Rz(a)`` the rotation of the coordinate frame by ``a`` about z (ERFA's ``rz``), ``Q`` ERFA's
celestial-to-intermediate matrix ``c2i06a``. Velocities: ``v_ITRF = W (Rz v_TEME - omega x r_PEF)`` with
omega the Earth rotation rate corrected for length of day; for GCRS the same rotation as positions (the
neglected rate of Q and of GMST82 - ERA is ~1e-11 rad/s, under 1 mm/s even at GEO).

Time scales: TT from UTC through ERFA's leap-second table; UT1-UTC and polar motion from the IERS
tables shipped with astropy (``astropy-iers-data``, read offline; dates past their predictions use the
last value with a warning). Callers may pass their own :class:`EarthOrientation` (e.g. a published example).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import erfa
import numpy as np

from kompas.constants import OMEGA_EARTH_RAD_S, RAD_PER_ARCSEC, SECONDS_PER_DAY
from kompas.space.elements import split_julian_date

FRAMES = ("teme", "gcrs", "itrf")
_ARCSEC = RAD_PER_ARCSEC


@dataclass(frozen=True)
class EarthOrientation:
    """Earth orientation parameters per time: UT1-UTC (s), polar motion (arcsec), length of day (s)."""

    ut1_minus_utc_s: np.ndarray
    xp_arcsec: np.ndarray
    yp_arcsec: np.ndarray
    lod_s: np.ndarray


def earth_orientation(times_utc: np.ndarray) -> EarthOrientation:
    """Interpolate UT1-UTC and polar motion from the IERS tables bundled with astropy (no download)."""
    from astropy.time import Time
    from astropy.utils import iers

    jd, fr = split_julian_date(times_utc)
    with iers.conf.set_temp("auto_download", False), iers.conf.set_temp("iers_degraded_accuracy", "warn"), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = iers.earth_orientation_table.get()
        time = Time(jd, fr, format="jd", scale="utc")
        dut1, status = table.ut1_utc(time, return_status=True)
        xp, yp = table.pm_xy(time)
    if np.any(status < 0) or caught:
        warnings.warn("some times lie outside the bundled IERS tables: UT1-UTC and polar motion extrapolated "
                      "(upgrade astropy-iers-data for current values)", stacklevel=2)
    zeros = np.zeros(len(jd))
    return EarthOrientation(np.asarray(dut1.to_value("s"), dtype=float), np.asarray(xp.to_value("arcsec")),
                            np.asarray(yp.to_value("arcsec")), zeros)


#: How fast GMST82 - ERA turns per second of UT1 (rad/s): the difference of their rates, 1.00273790935 and
#: 1.00273781191135448 turns per UT1 day. It is all TEME -> GCRS takes from UT1 (polar motion cancels), so UT1-UTC
#: (under 0.9 s) moves a GCRS state by under 6.4e-12 rad, 0.3 mm at GEO: the GCRS map reads no IERS table (loading
#: astropy's took 3 s and 80 MB in every process that converted a state).
GCRS_UT1_SENSITIVITY_RAD_S = 2.0 * np.pi * (1.00273790935 - 1.00273781191135448) / SECONDS_PER_DAY


def _NO_EOP(m: int) -> EarthOrientation:  # noqa: N802 (reads like the constant it stands for)
    zeros = np.zeros(m)
    return EarthOrientation(zeros, zeros, zeros, zeros)


def _rz(angle_rad: np.ndarray) -> np.ndarray:
    """Stack of ERFA-style frame rotations about z: (M,) angles -> (M, 3, 3)."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    out = np.zeros(angle_rad.shape + (3, 3))
    out[..., 0, 0], out[..., 0, 1], out[..., 1, 0], out[..., 1, 1], out[..., 2, 2] = c, s, -s, c, 1.0
    return out


@dataclass(frozen=True)
class Rotation:
    """Per-time linear map from TEME: ``r' = A r`` and ``v' = A v + B r`` (A, B of shape (M, 3, 3))."""

    frame: str
    a: np.ndarray
    b: np.ndarray | None = None

    def apply(self, states: np.ndarray) -> np.ndarray:
        """Map TEME states of shape (M, 6, N) (x, y, z km, vx, vy, vz km/s per time) to this frame."""
        if self.frame == "teme":
            return states
        out = np.empty_like(states)
        np.matmul(self.a, states[:, 0:3, :], out=out[:, 0:3, :])
        np.matmul(self.a, states[:, 3:6, :], out=out[:, 3:6, :])
        if self.b is not None:
            out[:, 3:6, :] += np.matmul(self.b, states[:, 0:3, :])
        return out


def rotation_from_teme(times_utc: np.ndarray, frame: str, eop: EarthOrientation | None = None) -> Rotation:
    """The TEME -> ``frame`` map at each UTC time (``frame`` one of :data:`FRAMES`)."""
    frame = frame.lower()
    if frame not in FRAMES:
        raise ValueError(f"unknown frame {frame!r}; expected one of {', '.join(FRAMES)}")
    times_utc = np.asarray(times_utc, dtype="datetime64[ns]")
    m = times_utc.shape[0]
    if frame == "teme":
        return Rotation("teme", np.broadcast_to(np.eye(3), (m, 3, 3)))
    if eop is None and frame == "gcrs":
        eop = _NO_EOP(m)  # UT1 enters GCRS only through GMST82 - ERA: see GCRS_UT1_SENSITIVITY_RAD_S
    eop = eop if eop is not None else earth_orientation(times_utc)
    jd, fr = split_julian_date(times_utc)
    ut1_fr = fr + eop.ut1_minus_utc_s / SECONDS_PER_DAY
    gmst = erfa.gmst82(jd, ut1_fr)
    if frame == "gcrs":
        tai1, tai2 = erfa.utctai(jd, fr)
        tt1, tt2 = erfa.taitt(tai1, tai2)
        q = erfa.c2i06a(tt1, tt2)
        era = erfa.era00(jd, ut1_fr)
        return Rotation("gcrs", np.matmul(np.swapaxes(q, -1, -2), _rz(gmst - era)))
    tai1, tai2 = erfa.utctai(jd, fr)
    tt1, tt2 = erfa.taitt(tai1, tai2)
    w = erfa.pom00(eop.xp_arcsec * _ARCSEC, eop.yp_arcsec * _ARCSEC, erfa.sp00(tt1, tt2))
    rz = _rz(gmst)
    omega = OMEGA_EARTH_RAD_S * (1.0 - eop.lod_s / SECONDS_PER_DAY)
    cross = np.zeros((m, 3, 3))
    cross[:, 0, 1], cross[:, 1, 0] = -1.0, 1.0  # omega_hat x r  ==  cross @ r
    b = -omega[:, None, None] * np.matmul(w, np.matmul(cross, rz))
    return Rotation("itrf", np.matmul(w, rz), b)


def slow_rotation_from_teme(times_utc: np.ndarray, frame: str, node_s: float = 600.0) -> Rotation:
    """:func:`rotation_from_teme` for the quasi-inertial frames (``teme``, ``gcrs``), computed at nodes every
    ``node_s`` seconds and interpolated linearly. Precession, nutation and the equation of the equinoxes are
    so slow that linear interpolation between 10-minute nodes is within 1e-12 of the exact matrix
    (``tests/space/test_frames_against_astropy.py``): 0.04 mm at GEO, for one ERFA call per node instead of
    one per time.
    """
    frame = frame.lower()
    if frame not in ("teme", "gcrs"):
        raise ValueError("only TEME -> TEME/GCRS rotations can be interpolated; ITRF turns with the Earth")
    times_utc = np.asarray(times_utc, dtype="datetime64[ns]")
    if frame == "teme" or times_utc.size == 0:
        return rotation_from_teme(times_utc, frame)
    step = np.timedelta64(round(node_s * 1e9), "ns")
    first = times_utc.min()
    count = int((times_utc.max() - first) // step) + 2
    nodes = first + step * np.arange(count)
    a = rotation_from_teme(nodes, frame).a
    x = (times_utc - first) / step
    k = np.minimum(np.floor(x).astype(np.int64), count - 2)
    w = (x - k)[:, None, None]
    return Rotation(frame, (1.0 - w) * a[k] + w * a[k + 1])


def geodetic(position_itrf_km: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS84 geodetic latitude (deg), longitude (deg, -180..180) and height (km) of ITRF positions (..., 3) km;
    NaN positions give NaN (erfa.gc2gd)."""
    xyz_m = np.asarray(position_itrf_km, dtype=float) * 1000.0
    good = np.isfinite(xyz_m).all(axis=-1)
    lon = np.full(xyz_m.shape[:-1], np.nan)
    lat, height = lon.copy(), lon.copy()
    if good.any():
        e_lon, e_lat, e_h = erfa.gc2gd(1, xyz_m[good])
        lon[good], lat[good], height[good] = np.degrees(e_lon), np.degrees(e_lat), e_h / 1000.0
    return lat, lon, height


def rtn_axes(position: np.ndarray, velocity: np.ndarray) -> np.ndarray:
    """An orbit's radial / transverse / normal unit vectors as the rows of a 3x3 matrix (or (n, 3, 3) for n states),
    in the frame of ``position`` and ``velocity`` (any units): R along r, N along r x v, T = N x R. The one RTN
    frame of Kompas (CDM covariances, element-set residuals, density-error sensitivities)."""
    r = position / np.linalg.norm(position, axis=-1, keepdims=True)
    h = np.cross(position, velocity)
    n = h / np.linalg.norm(h, axis=-1, keepdims=True)
    return np.stack([r, np.cross(n, r), n], axis=-2)
